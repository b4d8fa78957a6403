//! Pixel operations on a planar I420 picture: blur a box so that whatever
//! is inside cannot be recognised, fill a polygon solid. Coordinates are
//! normalised (0..1 from the top-left), like boxes and zones, so the same
//! box or mask works at any resolution and on every plane.

use crate::detect::BBox;
use crate::detect::preprocess::PlanarImage;
use crate::ingest::PixelFormat;

/// Mid grey (Y, U, V): what privacy masks are filled with.
pub const MASK_GREY: [u8; 3] = [128, 128, 128];

/// A planar I420 picture borrowed for writing: the Y plane, then U and V
/// at half width and height (rounded up).
#[derive(Debug)]
pub struct I420Mut<'a> {
    /// Width in pixels.
    pub width: usize,
    /// Height in pixels.
    pub height: usize,
    /// Y, U, V.
    pub planes: [&'a mut [u8]; 3],
    /// Bytes per row of each plane.
    pub strides: [usize; 3],
}

impl<'a> I420Mut<'a> {
    /// A picture over `planes`, or `None` if a plane is too small for its
    /// stride and size.
    pub fn new(
        width: usize,
        height: usize,
        planes: [&'a mut [u8]; 3],
        strides: [usize; 3],
    ) -> Option<Self> {
        let frame = Self {
            width,
            height,
            planes,
            strides,
        };
        frame.as_image().is_valid().then_some(frame)
    }

    /// The same picture, read-only (for the detector).
    pub fn as_image(&self) -> PlanarImage<'_> {
        PlanarImage {
            format: PixelFormat::I420,
            width: self.width,
            height: self.height,
            planes: [&*self.planes[0], &*self.planes[1], &*self.planes[2]],
            strides: self.strides,
        }
    }

    /// Width and height of plane `i` (0 = Y, 1 = U, 2 = V).
    fn plane_size(&self, i: usize) -> (usize, usize) {
        if i == 0 {
            (self.width, self.height)
        } else {
            (self.width.div_ceil(2), self.height.div_ceil(2))
        }
    }
}

/// A rectangle of pixels in one plane: columns `x0..x1`, rows `y0..y1`.
#[derive(Debug, Clone, Copy)]
struct Rect {
    x0: usize,
    y0: usize,
    x1: usize,
    y1: usize,
}

impl Rect {
    /// The pixels `bbox` covers in a plane of `w`×`h` (partly covered
    /// pixels included).
    fn of(bbox: BBox, w: usize, h: usize) -> Self {
        let b = bbox.clamped();
        let edge = |v: f32, size: usize, up: bool| {
            let p = v * size as f32;
            let p = if up { p.ceil() } else { p.floor() };
            (p.max(0.0) as usize).min(size)
        };
        Self {
            x0: edge(b.x0, w, false),
            y0: edge(b.y0, h, false),
            x1: edge(b.x1, w, true),
            y1: edge(b.y1, h, true),
        }
    }

    fn is_empty(&self) -> bool {
        self.x0 >= self.x1 || self.y0 >= self.y1
    }
}

/// Blurs `bbox` beyond recognition in every plane: the box is pixelated
/// into blocks (at least `min_block_px` luma pixels, and at least an
/// eighth of the box's height, so a face is one or two blocks whatever
/// its size), then box-blurred across the blocks so no edge detail is left.
pub fn blur_box(frame: &mut I420Mut<'_>, bbox: BBox, min_block_px: usize) {
    let box_h = (bbox.clamped().height() * frame.height as f32) as usize;
    let block = min_block_px.max(box_h / 8).max(2);
    for i in 0..3 {
        let (w, h) = frame.plane_size(i);
        let rect = Rect::of(bbox, w, h);
        if rect.is_empty() {
            continue;
        }
        let block = if i == 0 { block } else { block.div_ceil(2) };
        let stride = frame.strides[i];
        let plane = &mut *frame.planes[i];
        pixelate(plane, stride, rect, block);
        smooth(plane, stride, rect, block / 2);
    }
}

/// Replaces each `block`×`block` cell of `rect` (from its top-left) by its mean.
fn pixelate(plane: &mut [u8], stride: usize, rect: Rect, block: usize) {
    for by in (rect.y0..rect.y1).step_by(block) {
        let ey = (by + block).min(rect.y1);
        for bx in (rect.x0..rect.x1).step_by(block) {
            let ex = (bx + block).min(rect.x1);
            let mut sum = 0_u64;
            for y in by..ey {
                sum += plane[y * stride + bx..y * stride + ex]
                    .iter()
                    .map(|&v| u64::from(v))
                    .sum::<u64>();
            }
            let mean = (sum / ((ey - by) * (ex - bx)) as u64) as u8;
            for y in by..ey {
                plane[y * stride + bx..y * stride + ex].fill(mean);
            }
        }
    }
}

/// A box blur of `radius` inside `rect` (rows, then columns), reading only
/// pixels inside it.
fn smooth(plane: &mut [u8], stride: usize, rect: Rect, radius: usize) {
    if radius == 0 {
        return;
    }
    let mut line = Vec::new();
    for y in rect.y0..rect.y1 {
        line.clear();
        line.extend_from_slice(&plane[y * stride + rect.x0..y * stride + rect.x1]);
        blur_line(&line, radius, |i, v| plane[y * stride + rect.x0 + i] = v);
    }
    for x in rect.x0..rect.x1 {
        line.clear();
        line.extend((rect.y0..rect.y1).map(|y| plane[y * stride + x]));
        blur_line(&line, radius, |i, v| plane[(rect.y0 + i) * stride + x] = v);
    }
}

/// Writes the mean of `line[i - radius ..= i + radius]` (clipped to the
/// line) for each `i` through `put`, with a running sum.
fn blur_line(line: &[u8], radius: usize, mut put: impl FnMut(usize, u8)) {
    let n = line.len();
    let mut sum: u32 = line[..radius.min(n)].iter().map(|&v| u32::from(v)).sum();
    for i in 0..n {
        if i + radius < n {
            sum += u32::from(line[i + radius]);
        }
        if i > radius {
            sum -= u32::from(line[i - radius - 1]);
        }
        let lo = i.saturating_sub(radius);
        let hi = (i + radius).min(n - 1);
        put(i, (sum / (hi - lo + 1) as u32) as u8);
    }
}

/// Fills `polygon` (normalised image coordinates, at least three points)
/// with `yuv` in every plane: a pixel is filled when its centre is inside
/// (even-odd rule).
pub fn fill_polygon(frame: &mut I420Mut<'_>, polygon: &[[f32; 2]], yuv: [u8; 3]) {
    if polygon.len() < 3 {
        return;
    }
    let mut crossings = Vec::new();
    for (i, &value) in yuv.iter().enumerate() {
        let (w, h) = frame.plane_size(i);
        let stride = frame.strides[i];
        let plane = &mut *frame.planes[i];
        for y in 0..h {
            let yc = (y as f32 + 0.5) / h as f32;
            row_crossings(polygon, yc, &mut crossings);
            for pair in crossings.chunks_exact(2) {
                // Pixels whose centre (x + 0.5) / w lies in [a, b).
                let first = |v: f32| ((v * w as f32 - 0.5).ceil().max(0.0) as usize).min(w);
                let (x0, x1) = (first(pair[0]), first(pair[1]));
                if x0 < x1 {
                    plane[y * stride + x0..y * stride + x1].fill(value);
                }
            }
        }
    }
}

/// Where the horizontal line at `yc` crosses the polygon's edges, sorted.
fn row_crossings(polygon: &[[f32; 2]], yc: f32, out: &mut Vec<f32>) {
    out.clear();
    for (i, a) in polygon.iter().enumerate() {
        let b = polygon[(i + 1) % polygon.len()];
        if (a[1] <= yc && yc < b[1]) || (b[1] <= yc && yc < a[1]) {
            out.push(a[0] + (yc - a[1]) * (b[0] - a[0]) / (b[1] - a[1]));
        }
    }
    out.sort_by(f32::total_cmp);
}

/// A box grown by `share` of its width and height on every side.
pub fn expand(bbox: BBox, share: f32) -> BBox {
    let (dx, dy) = (bbox.width() * share, bbox.height() * share);
    BBox::new(bbox.x0 - dx, bbox.y0 - dy, bbox.x1 + dx, bbox.y1 + dy).clamped()
}

/// Boxes that overlap (or touch) merged into their bounding boxes, until
/// none overlap: blurring the merged boxes leaves no sharp edge of one
/// blurred box inside another.
pub fn merge_overlapping(mut boxes: Vec<BBox>) -> Vec<BBox> {
    let touches = |a: &BBox, b: &BBox| a.x0 <= b.x1 && b.x0 <= a.x1 && a.y0 <= b.y1 && b.y0 <= a.y1;
    let mut merged = true;
    while merged {
        merged = false;
        let mut out: Vec<BBox> = Vec::with_capacity(boxes.len());
        for b in boxes {
            if let Some(o) = out.iter_mut().find(|o| touches(o, &b)) {
                *o = BBox::new(
                    o.x0.min(b.x0),
                    o.y0.min(b.y0),
                    o.x1.max(b.x1),
                    o.y1.max(b.y1),
                );
                merged = true;
            } else {
                out.push(b);
            }
        }
        boxes = out;
    }
    boxes
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A `w`×`h` I420 buffer (tight strides) filled by `f(x, y)` in luma
    /// and a ramp in chroma.
    pub(crate) fn picture(w: usize, h: usize, f: impl Fn(usize, usize) -> u8) -> Vec<u8> {
        let (cw, ch) = (w.div_ceil(2), h.div_ceil(2));
        let mut data = vec![0_u8; w * h + 2 * cw * ch];
        for y in 0..h {
            for x in 0..w {
                data[y * w + x] = f(x, y);
            }
        }
        for (i, v) in data[w * h..].iter_mut().enumerate() {
            *v = (i % 200) as u8;
        }
        data
    }

    fn view(data: &mut [u8], w: usize, h: usize) -> I420Mut<'_> {
        let (cw, ch) = (w.div_ceil(2), h.div_ceil(2));
        let (luma, chroma) = data.split_at_mut(w * h);
        let (u, v) = chroma.split_at_mut(cw * ch);
        I420Mut::new(w, h, [luma, u, v], [w, cw, cw]).expect("valid")
    }

    fn checker(x: usize, y: usize) -> u8 {
        if (x / 2 + y / 2).is_multiple_of(2) {
            30
        } else {
            220
        }
    }

    #[test]
    fn a_blurred_box_loses_its_detail_and_the_rest_is_untouched() {
        let (w, h) = (160, 90);
        let mut data = picture(w, h, checker);
        let original = data.clone();
        let bbox = BBox::new(0.25, 0.2, 0.5, 0.8);
        blur_box(&mut view(&mut data, w, h), bbox, 16);
        let rect = Rect::of(bbox, w, h);
        let mut changed_outside = 0;
        let mut detail = 0_u32;
        for y in 0..h {
            for x in 0..w {
                let inside = (rect.x0..rect.x1).contains(&x) && (rect.y0..rect.y1).contains(&y);
                if inside && x > rect.x0 && x < rect.x1 - 1 {
                    detail += u32::from(data[y * w + x].abs_diff(data[y * w + x + 1]));
                } else if !inside && data[y * w + x] != original[y * w + x] {
                    changed_outside += 1;
                }
            }
        }
        assert_eq!(changed_outside, 0);
        let pixels = ((rect.x1 - rect.x0 - 2) * (rect.y1 - rect.y0)) as f64;
        // The checkerboard differs by 190 between every other pair of
        // neighbours (mean 95); blurred, under 3.
        assert!(
            f64::from(detail) / pixels < 3.0,
            "{}",
            f64::from(detail) / pixels
        );
    }

    #[test]
    fn a_polygon_is_filled_in_every_plane_and_nothing_else() {
        let (w, h) = (100, 60);
        let mut data = picture(w, h, checker);
        let original = data.clone();
        let triangle = [[0.0, 0.0], [0.5, 0.0], [0.0, 0.5]];
        fill_polygon(&mut view(&mut data, w, h), &triangle, MASK_GREY);
        // Inside the triangle (x/50 + y/30 < 1): grey; outside: unchanged.
        for y in 0..h {
            for x in 0..w {
                let s = (x as f32 + 0.5) / 50.0 + (y as f32 + 0.5) / 30.0;
                let v = data[y * w + x];
                if s < 0.97 {
                    assert_eq!(v, 128, "({x}, {y})");
                } else if s > 1.03 {
                    assert_eq!(v, original[y * w + x], "({x}, {y})");
                }
            }
        }
        let (cw, u0) = (w / 2, w * h);
        assert_eq!(data[u0 + cw + 1], 128, "chroma inside");
        assert_eq!(data[u0 + 29 * cw + 49], original[u0 + 29 * cw + 49]);
        let v0 = u0 + cw * (h / 2);
        assert_eq!(data[v0 + 1], 128);
    }

    #[test]
    fn overlapping_boxes_merge_and_apart_ones_stay() {
        let merged = merge_overlapping(vec![
            BBox::new(0.1, 0.1, 0.2, 0.2),
            BBox::new(0.5, 0.5, 0.6, 0.6),
            BBox::new(0.15, 0.15, 0.3, 0.25),
            BBox::new(0.28, 0.0, 0.4, 0.12),
        ]);
        assert_eq!(
            merged,
            [
                BBox::new(0.1, 0.0, 0.4, 0.25),
                BBox::new(0.5, 0.5, 0.6, 0.6)
            ]
        );
    }

    #[test]
    fn boxes_grow_and_stay_in_the_image() {
        let b = expand(BBox::new(0.1, 0.2, 0.3, 0.6), 0.1);
        assert!((b.x0 - 0.08).abs() < 1e-6 && (b.y1 - 0.64).abs() < 1e-6);
        let edge = expand(BBox::new(0.0, 0.0, 1.0, 1.0), 0.1);
        assert_eq!(edge, BBox::new(0.0, 0.0, 1.0, 1.0));
    }
}
