//! A decoded frame, planar (I420 or NV12), shared without copying: the
//! pixels stay in GStreamer's buffer until the last holder drops the frame.

use std::sync::Arc;
use std::time::{Duration, Instant};

use gstreamer_video as gst_video;
use gstreamer_video::prelude::*;

use crate::camera::CameraId;

/// Pixel layouts the console's shader converts to RGB.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PixelFormat {
    /// Y plane, then U and V planes at half width and height.
    I420,
    /// Y plane, then one plane of interleaved U/V at half width and height.
    Nv12,
}

impl PixelFormat {
    /// The format of a GStreamer video format, if it is one we hand out.
    pub fn from_gst(format: gst_video::VideoFormat) -> Option<Self> {
        match format {
            gst_video::VideoFormat::I420 => Some(Self::I420),
            gst_video::VideoFormat::Nv12 => Some(Self::Nv12),
            _ => None,
        }
    }

    /// Number of planes.
    pub fn planes(self) -> usize {
        match self {
            Self::I420 => 3,
            Self::Nv12 => 2,
        }
    }
}

struct Inner {
    camera: CameraId,
    seq: u64,
    arrived: Instant,
    decoded: Instant,
    format: PixelFormat,
    video: gst_video::VideoFrame<gst_video::video_frame::Readable>,
}

/// One decoded picture from one camera. Cheap to clone.
#[derive(Clone)]
pub struct Frame(Arc<Inner>);

impl Frame {
    pub(crate) fn new(
        camera: CameraId,
        seq: u64,
        arrived: Instant,
        format: PixelFormat,
        video: gst_video::VideoFrame<gst_video::video_frame::Readable>,
    ) -> Self {
        Self(Arc::new(Inner {
            camera,
            seq,
            arrived,
            decoded: Instant::now(),
            format,
            video,
        }))
    }

    /// The camera it came from.
    pub fn camera(&self) -> &CameraId {
        &self.0.camera
    }

    /// Its number in the camera's decoded sequence, counting across reconnects.
    pub fn seq(&self) -> u64 {
        self.0.seq
    }

    /// Pixel layout.
    pub fn format(&self) -> PixelFormat {
        self.0.format
    }

    /// Width in pixels.
    pub fn width(&self) -> u32 {
        self.0.video.width()
    }

    /// Height in pixels.
    pub fn height(&self) -> u32 {
        self.0.video.height()
    }

    /// Bytes of plane `index` (0 = luma), or `None` past the last plane.
    pub fn plane(&self, index: usize) -> Option<&[u8]> {
        if index >= self.0.format.planes() {
            return None;
        }
        self.0.video.plane_data(index as u32).ok()
    }

    /// Bytes per row of plane `index`.
    pub fn stride(&self, index: usize) -> Option<usize> {
        self.0
            .video
            .plane_stride()
            .get(index)
            .map(|s| usize::try_from(*s).unwrap_or(0))
    }

    /// When its encoded data reached the pipeline (after the RTP jitter buffer).
    pub fn arrived(&self) -> Instant {
        self.0.arrived
    }

    /// When it left the decoder.
    pub fn decoded(&self) -> Instant {
        self.0.decoded
    }

    /// Time since its encoded data reached the pipeline.
    pub fn age(&self) -> Duration {
        self.0.arrived.elapsed()
    }
}

impl std::fmt::Debug for Frame {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Frame")
            .field("camera", &self.0.camera)
            .field("seq", &self.0.seq)
            .field("format", &self.0.format)
            .field("size", &(self.width(), self.height()))
            .finish_non_exhaustive()
    }
}
