//! Evidence snapshots: the frame as JPEG with the boxes that raised an alert
//! drawn on it.

use super::descriptor::Resize;
use super::preprocess::{PlanarImage, to_rgb};
use super::types::BBox;

/// Box outline colour (amber) and width in pixels.
const BOX_RGB: [u8; 3] = [255, 176, 0];
const BOX_WIDTH: usize = 2;

/// Privacy masks are filled this grey in evidence pictures, as in exports.
const MASK_RGB: [u8; 3] = [128, 128, 128];

/// Why an evidence snapshot could not be made.
#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    /// A frame larger than JPEG allows (65,535 pixels a side).
    #[error("frame too large for JPEG: {width}×{height}")]
    TooLarge {
        /// Its width.
        width: usize,
        /// Its height.
        height: usize,
    },
    /// The encoder refused.
    #[error("JPEG encoding: {0}")]
    Encode(#[from] jpeg_encoder::EncodingError),
}

/// The picture as a JPEG (quality 85) with `boxes` outlined and the
/// camera's privacy `masks` (image coordinates) filled.
pub fn jpeg_with_boxes(
    image: &PlanarImage<'_>,
    boxes: &[BBox],
    masks: &[Vec<[f32; 2]>],
) -> Result<Vec<u8>, SnapshotError> {
    let (w, h) = (image.width, image.height);
    let too_large = || SnapshotError::TooLarge {
        width: w,
        height: h,
    };
    let (w16, h16) = (
        u16::try_from(w).map_err(|_| too_large())?,
        u16::try_from(h).map_err(|_| too_large())?,
    );
    let mut rgb = vec![0; w * h * 3];
    to_rgb(image, &mut rgb, (w, h), Resize::Stretch);
    for m in masks {
        fill(&mut rgb, w, h, m);
    }
    for b in boxes {
        outline(&mut rgb, w, h, b);
    }
    let mut out = Vec::new();
    jpeg_encoder::Encoder::new(&mut out, 85).encode(
        &rgb,
        w16,
        h16,
        jpeg_encoder::ColorType::Rgb,
    )?;
    Ok(out)
}

/// A small RGBA picture of the frame with `boxes` outlined, `width` pixels
/// wide (aspect kept), privacy `masks` filled: what the alert card shows.
pub fn thumbnail_with_boxes(
    image: &PlanarImage<'_>,
    boxes: &[BBox],
    masks: &[Vec<[f32; 2]>],
    width: usize,
) -> Thumbnail {
    let w = width.clamp(16, image.width);
    let h = (image.height * w / image.width).max(1);
    let mut rgb = vec![0; w * h * 3];
    to_rgb(image, &mut rgb, (w, h), Resize::Stretch);
    for m in masks {
        fill(&mut rgb, w, h, m);
    }
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

/// Fills a polygon (image coordinates 0..1) in an RGB buffer, even-odd,
/// row by row at pixel centres.
fn fill(rgb: &mut [u8], w: usize, h: usize, polygon: &[[f32; 2]]) {
    let points: Vec<(f32, f32)> = polygon
        .iter()
        .map(|[x, y]| (x * w as f32, y * h as f32))
        .collect();
    for row in 0..h {
        let y = row as f32 + 0.5;
        let mut xs: Vec<f32> = points
            .iter()
            .zip(points.iter().cycle().skip(1))
            .filter(|((_, y0), (_, y1))| (*y0 <= y) != (*y1 <= y))
            .map(|((x0, y0), (x1, y1))| x0 + (y - y0) / (y1 - y0) * (x1 - x0))
            .collect();
        xs.sort_by(f32::total_cmp);
        for span in xs.chunks_exact(2) {
            let from = (span[0] - 0.5).ceil().max(0.0) as usize;
            let to = ((span[1] - 0.5).floor().max(-1.0) + 1.0).min(w as f32) as usize;
            for col in from..to {
                rgb[(row * w + col) * 3..][..3].copy_from_slice(&MASK_RGB);
            }
        }
    }
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
    fn privacy_masks_are_filled_in_evidence_pictures() {
        let (w, h) = (64, 48);
        let y = vec![230u8; w * h];
        let c = vec![128u8; w * h / 4];
        let image = PlanarImage {
            format: PixelFormat::I420,
            width: w,
            height: h,
            planes: [&y, &c, &c],
            strides: [w, w / 2, w / 2],
        };
        // A triangle over the top-left corner.
        let mask = vec![[0.0, 0.0], [0.5, 0.0], [0.0, 0.5]];
        let thumb = thumbnail_with_boxes(&image, &[], &[mask], 64);
        let px = |x: usize, y: usize| &thumb.rgba[(y * 64 + x) * 4..][..3];
        assert_eq!(px(2, 2), MASK_RGB);
        assert_eq!(px(12, 8), MASK_RGB);
        assert_ne!(px(30, 20), MASK_RGB, "outside the triangle");
        assert_ne!(px(60, 40), MASK_RGB);
    }

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
        let jpeg =
            jpeg_with_boxes(&image, &[BBox::new(0.25, 0.25, 0.75, 0.75)], &[]).expect("jpeg");
        assert_eq!(&jpeg[..2], &[0xFF, 0xD8], "JPEG start marker");
        // SOF0 carries height then width.
        let sof = jpeg
            .windows(2)
            .position(|p| p == [0xFF, 0xC0])
            .expect("SOF0");
        assert_eq!(u16::from_be_bytes([jpeg[sof + 5], jpeg[sof + 6]]), 48);
        assert_eq!(u16::from_be_bytes([jpeg[sof + 7], jpeg[sof + 8]]), 64);
        let thumb = thumbnail_with_boxes(&image, &[BBox::new(0.25, 0.25, 0.75, 0.75)], &[], 32);
        assert_eq!(
            (thumb.width, thumb.height, thumb.rgba.len()),
            (32, 24, 32 * 24 * 4)
        );
        // The box's top-left corner is amber, the middle is the grey frame.
        assert_eq!(&thumb.rgba[(6 * 32 + 8) * 4..][..3], &BOX_RGB);
        assert_ne!(&thumb.rgba[(12 * 32 + 16) * 4..][..3], &BOX_RGB);
    }
}
