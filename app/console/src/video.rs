//! Camera pictures as the wall's tile renderer takes them.

use watchfloor_media::ingest::Frame;

/// Adapts a decoded frame to what the tile renderer uploads.
pub struct TileFrame(pub Frame);

impl watchfloor_render::video::YuvFrame for TileFrame {
    fn width(&self) -> u32 {
        self.0.width()
    }

    fn height(&self) -> u32 {
        self.0.height()
    }

    fn layout(&self) -> watchfloor_render::video::YuvLayout {
        match self.0.format() {
            watchfloor_media::ingest::PixelFormat::I420 => {
                watchfloor_render::video::YuvLayout::I420
            }
            watchfloor_media::ingest::PixelFormat::Nv12 => {
                watchfloor_render::video::YuvLayout::Nv12
            }
        }
    }

    fn plane(&self, i: usize) -> &[u8] {
        self.0.plane(i).unwrap_or_default()
    }

    fn stride(&self, i: usize) -> usize {
        self.0.stride(i).unwrap_or(0)
    }
}

/// A camera's state in the console's shared health vocabulary.
pub fn health(view: &watchfloor_media::view::CameraView) -> watchfloor_layers::FeedHealth {
    use watchfloor_layers::FeedHealth;
    use watchfloor_media::health::CameraState;
    match view.status.state {
        CameraState::Connecting => FeedHealth::Connecting,
        CameraState::Live => FeedHealth::Live,
        CameraState::Stalled => FeedHealth::Stalled,
        CameraState::Offline => FeedHealth::Offline,
    }
}
