//! Evidence snapshots: the frame as JPEG with the boxes that raised an alert
//! drawn on it.

use super::descriptor::Resize;
use super::preprocess::{PlanarImage, to_rgb};
use super::types::BBox;

/// Box outline colour (amber) and width in pixels.
const BOX_RGB: [u8; 3] = [255, 176, 0];
const BOX_WIDTH: usize = 2;

/// The picture as a JPEG (quality 85) with `boxes` outlined.
pub fn jpeg_with_boxes(image: &PlanarImage<'_>, boxes: &[BBox]) -> Result<Vec<u8>, String> {
    let (w, h) = (image.width, image.height);
    let (w16, h16) = (
        u16::try_from(w).map_err(|_| format!("frame too wide for JPEG: {w}"))?,
        u16::try_from(h).map_err(|_| format!("frame too tall for JPEG: {h}"))?,
    );
    let mut rgb = vec![0; w * h * 3];
    to_rgb(image, &mut rgb, (w, h), Resize::Stretch);
    for b in boxes {
        outline(&mut rgb, w, h, b);
    }
    let mut out = Vec::new();
    jpeg_encoder::Encoder::new(&mut out, 85)
        .encode(&rgb, w16, h16, jpeg_encoder::ColorType::Rgb)
        .map_err(|e| e.to_string())?;
    Ok(out)
}

/// A small RGBA picture of the frame with `boxes` outlined, `width` pixels
/// wide (aspect kept): what the alert card shows at a glance.
pub fn thumbnail_with_boxes(image: &PlanarImage<'_>, boxes: &[BBox], width: usize) -> Thumbnail {
    let w = width.clamp(16, image.width);
    let h = (image.height * w / image.width).max(1);
    let mut rgb = vec![0; w * h * 3];
    to_rgb(image, &mut rgb, (w, h), Resize::Stretch);
    for b in boxes {
        outline(&mut rgb, w, h, b);
    }
    let rgba = rgb
        .chunks_exact(3)
        .flat_map(|p| [p[0], p[1], p[2], 255])
        .collect();
    Thumbnail {
        width: w,
        height: h,
        rgba,
    }
}

/// A small picture, RGBA, row by row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Thumbnail {
    /// Width in pixels.
    pub width: usize,
    /// Height in pixels.
    pub height: usize,
    /// `width * height * 4` bytes.
    pub rgba: Vec<u8>,
}

/// Draws a box's outline into an RGB buffer.
fn outline(rgb: &mut [u8], w: usize, h: usize, b: &BBox) {
    let b = b.clamped();
    let px = |v: f32, size: usize| ((v * size as f32) as usize).min(size - 1);
    let (x0, x1) = (px(b.x0, w), px(b.x1, w));
    let (y0, y1) = (px(b.y0, h), px(b.y1, h));
    let mut put = |x: usize, y: usize| {
        let at = (y * w + x) * 3;
        rgb[at..at + 3].copy_from_slice(&BOX_RGB);
    };
    for t in 0..BOX_WIDTH {
        for x in x0..=x1 {
            put(x, (y0 + t).min(h - 1));
            put(x, y1.saturating_sub(t));
        }
        for y in y0..=y1 {
            put((x0 + t).min(w - 1), y);
            put(x1.saturating_sub(t), y);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::PixelFormat;

    #[test]
    fn a_snapshot_is_a_jpeg_of_the_frame_size() {
        let (w, h) = (64, 48);
        let y = vec![120u8; w * h];
        let c = vec![128u8; w * h / 4];
        let image = PlanarImage {
            format: PixelFormat::I420,
            width: w,
            height: h,
            planes: [&y, &c, &c],
            strides: [w, w / 2, w / 2],
        };
        let jpeg = jpeg_with_boxes(&image, &[BBox::new(0.25, 0.25, 0.75, 0.75)]).expect("jpeg");
        assert_eq!(&jpeg[..2], &[0xFF, 0xD8], "JPEG start marker");
        // SOF0 carries height then width.
        let sof = jpeg
            .windows(2)
            .position(|p| p == [0xFF, 0xC0])
            .expect("SOF0");
        assert_eq!(u16::from_be_bytes([jpeg[sof + 5], jpeg[sof + 6]]), 48);
        assert_eq!(u16::from_be_bytes([jpeg[sof + 7], jpeg[sof + 8]]), 64);
        let thumb = thumbnail_with_boxes(&image, &[BBox::new(0.25, 0.25, 0.75, 0.75)], 32);
        assert_eq!(
            (thumb.width, thumb.height, thumb.rgba.len()),
            (32, 24, 32 * 24 * 4)
        );
        // The box's top-left corner is amber, the middle is the grey frame.
        assert_eq!(&thumb.rgba[(6 * 32 + 8) * 4..][..3], &BOX_RGB);
        assert_ne!(&thumb.rgba[(12 * 32 + 16) * 4..][..3], &BOX_RGB);
    }
}
