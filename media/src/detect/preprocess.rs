//! From a decoded planar frame (I420 or NV12) to the model's RGB input, in
//! one pass: each output pixel samples luma bilinearly and chroma at the
//! nearest site, and converts BT.601 limited-range YUV to RGB. No full-size
//! RGB frame is ever made.
#![expect(
    clippy::many_single_char_names,
    reason = "colour maths reads best in its own letters (y, u, v, r, g, b)"
)]

use crate::ingest::{Frame, PixelFormat};

use super::descriptor::Resize;
use super::types::BBox;

/// A planar YUV 4:2:0 picture borrowed from a frame (or a test buffer).
#[derive(Debug, Clone, Copy)]
pub struct PlanarImage<'a> {
    /// I420 or NV12.
    pub format: PixelFormat,
    /// Width in pixels.
    pub width: usize,
    /// Height in pixels.
    pub height: usize,
    /// Y, then U and V (I420) or interleaved UV (NV12; the third is unused).
    pub planes: [&'a [u8]; 3],
    /// Bytes per row of each plane.
    pub strides: [usize; 3],
}

impl<'a> PlanarImage<'a> {
    /// The planes of a decoded frame, or `None` if a plane is missing.
    pub fn of(frame: &'a Frame) -> Option<Self> {
        let format = frame.format();
        let plane = |i: usize| -> Option<(&'a [u8], usize)> {
            if i < format.planes() {
                Some((frame.plane(i)?, frame.stride(i)?))
            } else {
                Some((&[][..], 0))
            }
        };
        let (y, ys) = plane(0)?;
        let (u, us) = plane(1)?;
        let (v, vs) = plane(2)?;
        let image = Self {
            format,
            width: frame.width() as usize,
            height: frame.height() as usize,
            planes: [y, u, v],
            strides: [ys, us, vs],
        };
        image.is_valid().then_some(image)
    }

    /// Whether every plane holds the rows its stride and height claim.
    pub fn is_valid(&self) -> bool {
        let (cw, ch) = (self.width.div_ceil(2), self.height.div_ceil(2));
        let fits = |plane: &[u8], stride: usize, row: usize, rows: usize| {
            stride >= row && rows > 0 && plane.len() >= stride * (rows - 1) + row
        };
        self.width > 0
            && self.height > 0
            && fits(self.planes[0], self.strides[0], self.width, self.height)
            && match self.format {
                PixelFormat::I420 => {
                    fits(self.planes[1], self.strides[1], cw, ch)
                        && fits(self.planes[2], self.strides[2], cw, ch)
                }
                PixelFormat::Nv12 => fits(self.planes[1], self.strides[1], cw * 2, ch),
            }
    }
}

/// Where the picture landed inside the model input, to map boxes back.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Placement {
    /// Left edge of the picture, as a fraction of the input width.
    pub x0: f32,
    /// Top edge, as a fraction of the input height.
    pub y0: f32,
    /// Picture width as a fraction of the input width.
    pub w: f32,
    /// Picture height as a fraction of the input height.
    pub h: f32,
}

impl Placement {
    /// Fills the whole input.
    pub const FULL: Self = Self {
        x0: 0.0,
        y0: 0.0,
        w: 1.0,
        h: 1.0,
    };

    /// A box in input coordinates mapped to frame coordinates.
    pub fn to_frame(&self, b: BBox) -> BBox {
        let x = |v: f32| (v - self.x0) / self.w;
        let y = |v: f32| (v - self.y0) / self.h;
        BBox::new(x(b.x0), y(b.y0), x(b.x1), y(b.y1)).clamped()
    }
}

/// One output row: luma blended from two source lines, chroma from the
/// nearest site (`chroma` takes the chroma column).
fn convert_row(
    row: &mut [u8],
    columns: &[(usize, usize, u32)],
    (line0, line1, wy): (&[u8], &[u8], u32),
    chroma: impl Fn(usize) -> (u8, u8),
) {
    for (px, &(x0, x1, wx)) in row.chunks_exact_mut(3).zip(columns) {
        let top = u32::from(line0[x0]) * (256 - wx) + u32::from(line0[x1]) * wx;
        let bottom = u32::from(line1[x0]) * (256 - wx) + u32::from(line1[x1]) * wx;
        let y = ((top * (256 - wy) + bottom * wy + (1 << 15)) >> 16) as u8;
        let (u, v) = chroma(if wx >= 128 { x1 } else { x0 } / 2);
        px.copy_from_slice(&rgb(y, u, v));
    }
}

/// For each of `out` output samples over `size` source samples: the two
/// source indices to blend and the second one's weight (0..=256).
fn taps(size: usize, out: usize) -> Vec<(usize, usize, u32)> {
    let scale = size as f32 / out as f32;
    let last = size - 1;
    (0..out)
        .map(|o| {
            let f = ((o as f32 + 0.5) * scale - 0.5).clamp(0.0, last as f32);
            let i = f as usize;
            (i, (i + 1).min(last), ((f - i as f32) * 256.0) as u32)
        })
        .collect()
}

/// BT.601 limited range to RGB, integer arithmetic.
fn rgb(y: u8, u: u8, v: u8) -> [u8; 3] {
    let c = (i32::from(y) - 16) * 298;
    let d = i32::from(u) - 128;
    let e = i32::from(v) - 128;
    let clamp = |x: i32| ((x + 128) >> 8).clamp(0, 255) as u8;
    [
        clamp(c + 409 * e),
        clamp(c - 100 * d - 208 * e),
        clamp(c + 516 * d),
    ]
}

/// Writes `image` as interleaved RGB (`out_w * out_h * 3` bytes) fitted by
/// `resize`; letterbox margins are mid-grey. Returns where it landed.
pub fn to_rgb(
    image: &PlanarImage<'_>,
    out: &mut [u8],
    (out_w, out_h): (usize, usize),
    resize: Resize,
) -> Placement {
    let placement = match resize {
        Resize::Stretch => Placement::FULL,
        Resize::Letterbox => {
            let scale = (out_w as f32 / image.width as f32).min(out_h as f32 / image.height as f32);
            let w = image.width as f32 * scale / out_w as f32;
            let h = image.height as f32 * scale / out_h as f32;
            Placement {
                x0: (1.0 - w) / 2.0,
                y0: (1.0 - h) / 2.0,
                w,
                h,
            }
        }
    };
    if placement != Placement::FULL {
        out.fill(114);
    }
    let px0 = (placement.x0 * out_w as f32).round() as usize;
    let py0 = (placement.y0 * out_h as f32).round() as usize;
    let pw = ((placement.w * out_w as f32).round() as usize).clamp(1, out_w - px0);
    let ph = ((placement.h * out_h as f32).round() as usize).clamp(1, out_h - py0);
    // Source positions and 8-bit blend weights, worked out once per column
    // and row rather than per pixel.
    let columns = taps(image.width, pw);
    let rows = taps(image.height, ph);
    for (oy, &(y0, y1, wy)) in rows.iter().enumerate() {
        let row = &mut out[((py0 + oy) * out_w + px0) * 3..][..pw * 3];
        let luma = image.planes[0];
        let line0 = &luma[y0 * image.strides[0]..][..image.width];
        let line1 = &luma[y1 * image.strides[0]..][..image.width];
        let cy = if wy >= 128 { y1 } else { y0 } / 2;
        // One monomorphised loop per layout: no per-pixel format match.
        match image.format {
            PixelFormat::I420 => {
                let u = &image.planes[1][cy * image.strides[1]..];
                let v = &image.planes[2][cy * image.strides[2]..];
                convert_row(row, &columns, (line0, line1, wy), |cx| (u[cx], v[cx]));
            }
            PixelFormat::Nv12 => {
                let uv = &image.planes[1][cy * image.strides[1]..];
                convert_row(row, &columns, (line0, line1, wy), |cx| {
                    (uv[cx * 2], uv[cx * 2 + 1])
                });
            }
        }
    }
    placement
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An I420 picture, left half red-ish (Y 81, U 90, V 240), right half
    /// blue-ish (Y 41, U 240, V 110).
    fn halves(w: usize, h: usize) -> (Vec<u8>, Vec<u8>, Vec<u8>) {
        let y = (0..w * h)
            .map(|i| if i % w < w / 2 { 81 } else { 41 })
            .collect();
        let (cw, ch) = (w / 2, h / 2);
        let u = (0..cw * ch)
            .map(|i| if i % cw < cw / 2 { 90 } else { 240 })
            .collect();
        let v = (0..cw * ch)
            .map(|i| if i % cw < cw / 2 { 240 } else { 110 })
            .collect();
        (y, u, v)
    }

    #[test]
    fn i420_converts_and_stretches() {
        let (y, u, v) = halves(64, 32);
        let image = PlanarImage {
            format: PixelFormat::I420,
            width: 64,
            height: 32,
            planes: [&y, &u, &v],
            strides: [64, 32, 32],
        };
        assert!(image.is_valid());
        let mut out = vec![0; 16 * 16 * 3];
        let placement = to_rgb(&image, &mut out, (16, 16), Resize::Stretch);
        assert_eq!(placement, Placement::FULL);
        let left = &out[(8 * 16 + 2) * 3..][..3];
        let right = &out[(8 * 16 + 13) * 3..][..3];
        assert!(left[0] > 200 && left[2] < 60, "red: {left:?}");
        assert!(right[2] > 200 && right[0] < 60, "blue: {right:?}");
    }

    #[test]
    fn nv12_matches_i420() {
        let (y, u, v) = halves(64, 32);
        let uv: Vec<u8> = u.iter().zip(&v).flat_map(|(&a, &b)| [a, b]).collect();
        let i420 = PlanarImage {
            format: PixelFormat::I420,
            width: 64,
            height: 32,
            planes: [&y, &u, &v],
            strides: [64, 32, 32],
        };
        let nv12 = PlanarImage {
            format: PixelFormat::Nv12,
            planes: [&y, &uv, &[]],
            strides: [64, 64, 0],
            ..i420
        };
        let (mut a, mut b) = (vec![0; 20 * 10 * 3], vec![0; 20 * 10 * 3]);
        to_rgb(&i420, &mut a, (20, 10), Resize::Stretch);
        to_rgb(&nv12, &mut b, (20, 10), Resize::Stretch);
        assert_eq!(a, b);
    }

    #[test]
    fn letterbox_keeps_aspect_and_maps_boxes_back() {
        let (y, u, v) = halves(64, 32);
        let image = PlanarImage {
            format: PixelFormat::I420,
            width: 64,
            height: 32,
            planes: [&y, &u, &v],
            strides: [64, 32, 32],
        };
        let mut out = vec![0; 32 * 32 * 3];
        let p = to_rgb(&image, &mut out, (32, 32), Resize::Letterbox);
        assert!(
            (p.h - 0.5).abs() < 1e-6 && (p.y0 - 0.25).abs() < 1e-6,
            "{p:?}"
        );
        assert_eq!(&out[..3], &[114, 114, 114], "grey margin");
        let b = p.to_frame(BBox::new(0.0, 0.25, 0.5, 0.75));
        assert!(
            (b.y0 - 0.0).abs() < 1e-6 && (b.y1 - 1.0).abs() < 1e-6 && (b.x1 - 0.5).abs() < 1e-6
        );
    }

    #[test]
    fn short_planes_are_refused() {
        let y = vec![0u8; 100];
        let image = PlanarImage {
            format: PixelFormat::I420,
            width: 64,
            height: 32,
            planes: [&y, &y, &y],
            strides: [64, 32, 32],
        };
        assert!(!image.is_valid());
    }
}
