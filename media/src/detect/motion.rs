//! Cheap motion gating on the luma plane: coarse grid cell means compared
//! frame to frame, so a still camera can skip inference.

/// Motion gate settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MotionConfig {
    /// Grid cells across and down (fewer when the frame is smaller).
    pub grid: [usize; 2],
    /// A cell changed when its mean luma moved by more than this.
    pub pixel_delta: u8,
    /// The frame is moving when at least this fraction of cells changed.
    pub min_changed_fraction: f32,
}

impl Default for MotionConfig {
    fn default() -> Self {
        Self {
            grid: [32, 18],
            pixel_delta: 12,
            min_changed_fraction: 0.003,
        }
    }
}

/// The verdict on one frame.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Motion {
    /// Fraction of grid cells that changed (1 when there was nothing to compare).
    pub changed_fraction: f32,
    /// Whether the frame should get an inference.
    pub moving: bool,
}

impl Motion {
    /// No previous frame to compare with: unknown scene, so moving.
    const UNKNOWN: Self = Self {
        changed_fraction: 1.0,
        moving: true,
    };
}

/// Pixels sampled in x and y: every this many.
const SAMPLE_STEP: usize = 4;
/// Cell means are kept in 1/16 luma steps.
const FIXED_ONE: u32 = 16;

/// Motion detector for one camera.
#[derive(Debug, Clone)]
pub struct MotionGate {
    config: MotionConfig,
    /// `[width, height]` of the frames `means` came from.
    size: Option<[usize; 2]>,
    /// Previous cell means (fixed point), row-major.
    means: Vec<u32>,
    /// This frame's cell means, swapped with `means`.
    scratch: Vec<u32>,
}

impl MotionGate {
    /// A gate that has seen no frame yet.
    pub fn new(config: MotionConfig) -> Self {
        Self {
            config,
            size: None,
            means: Vec::new(),
            scratch: Vec::new(),
        }
    }

    /// Forgets the previous frame; the next one counts as moving.
    pub fn reset(&mut self) {
        self.size = None;
        self.means.clear();
    }

    /// Observes one luma plane (`stride` bytes per row). The first frame, a
    /// frame of a new size, and a plane too short for its claimed size (which
    /// also resets) count as moving.
    pub fn observe(&mut self, luma: &[u8], width: usize, height: usize, stride: usize) -> Motion {
        let needed = height
            .checked_sub(1)
            .and_then(|rows| rows.checked_mul(stride))
            .and_then(|n| n.checked_add(width));
        let valid = width > 0 && stride >= width && needed.is_some_and(|n| n <= luma.len());
        if !valid {
            self.reset();
            return Motion::UNKNOWN;
        }
        let cols = self.config.grid[0].clamp(1, width);
        let rows = self.config.grid[1].clamp(1, height);
        self.scratch.clear();
        for cy in 0..rows {
            let ys = span(cy, rows, height);
            for cx in 0..cols {
                let xs = span(cx, cols, width);
                self.scratch.push(cell_mean(luma, stride, ys.clone(), xs));
            }
        }
        std::mem::swap(&mut self.means, &mut self.scratch);
        let same_size =
            self.size == Some([width, height]) && self.scratch.len() == self.means.len();
        self.size = Some([width, height]);
        if !same_size {
            return Motion::UNKNOWN;
        }
        let limit = u32::from(self.config.pixel_delta) * FIXED_ONE;
        let changed = self
            .means
            .iter()
            .zip(&self.scratch)
            .filter(|(a, b)| a.abs_diff(**b) > limit)
            .count();
        let changed_fraction = changed as f32 / self.means.len() as f32;
        Motion {
            changed_fraction,
            moving: changed > 0 && changed_fraction >= self.config.min_changed_fraction,
        }
    }
}

/// Pixel range of cell `i` of `n` over `len` pixels (never empty when `n <= len`).
fn span(i: usize, n: usize, len: usize) -> std::ops::Range<usize> {
    i * len / n..(i + 1) * len / n
}

/// Fixed-point mean luma of a cell, sampling every `SAMPLE_STEP`th pixel.
fn cell_mean(
    luma: &[u8],
    stride: usize,
    ys: std::ops::Range<usize>,
    xs: std::ops::Range<usize>,
) -> u32 {
    let (mut sum, mut count) = (0u64, 0u64);
    for y in ys.step_by(SAMPLE_STEP) {
        let row = &luma[y * stride..];
        for x in xs.clone().step_by(SAMPLE_STEP) {
            sum += u64::from(row[x]);
            count += 1;
        }
    }
    (sum * u64::from(FIXED_ONE)).checked_div(count).unwrap_or(0) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    const W: usize = 640;
    const H: usize = 360;

    /// A grey frame with an optional bright square at `(x, y)`.
    fn frame(square: Option<(usize, usize)>) -> Vec<u8> {
        let mut f = vec![100u8; W * H];
        if let Some((x0, y0)) = square {
            for y in y0..y0 + 24 {
                f[y * W + x0..y * W + x0 + 24].fill(250);
            }
        }
        f
    }

    #[test]
    fn first_frame_moves_static_does_not() {
        let mut gate = MotionGate::new(MotionConfig::default());
        let f = frame(Some((100, 100)));
        assert!(gate.observe(&f, W, H, W).moving);
        let m = gate.observe(&f, W, H, W);
        assert!(!m.moving);
        assert!(m.changed_fraction.abs() < f32::EPSILON, "{m:?}");
    }

    #[test]
    fn small_moving_square_moves() {
        let mut gate = MotionGate::new(MotionConfig::default());
        gate.observe(&frame(Some((100, 100))), W, H, W);
        let m = gate.observe(&frame(Some((140, 100))), W, H, W);
        assert!(m.moving, "{m:?}");
        assert!(m.changed_fraction < 0.05, "{m:?}");
    }

    #[test]
    fn noise_does_not_move() {
        let mut gate = MotionGate::new(MotionConfig::default());
        let mut seed = 12_345u32;
        for i in 0..10 {
            let f: Vec<u8> = (0..W * H)
                .map(|_| {
                    seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                    97 + (seed >> 24) as u8 % 7 // 97..=103: ±3 around 100
                })
                .collect();
            let m = gate.observe(&f, W, H, W);
            assert_eq!(m.moving, i == 0, "frame {i}: {m:?}");
        }
    }

    #[test]
    fn size_change_resets() {
        let mut gate = MotionGate::new(MotionConfig::default());
        let f = frame(None);
        gate.observe(&f, W, H, W);
        assert!(!gate.observe(&f, W, H, W).moving);
        assert!(gate.observe(&f, W / 2, H, W / 2).moving);
        assert!(!gate.observe(&f, W / 2, H, W / 2).moving);
    }

    #[test]
    fn short_or_odd_planes_never_panic() {
        let mut gate = MotionGate::new(MotionConfig::default());
        let f = frame(None);
        gate.observe(&f, W, H, W);
        assert!(gate.observe(&f[..W * H - 1], W, H, W).moving, "short plane");
        assert!(gate.observe(&f, W, H, W).moving, "reset by the short plane");
        assert!(gate.observe(&f, W, H, W - 1).moving, "stride < width");
        assert!(gate.observe(&f, 0, H, W).moving);
        assert!(gate.observe(&f, W, 0, W).moving);
        assert!(gate.observe(&f, usize::MAX, 2, usize::MAX).moving);
        // Tiny odd frame with a padded stride, last row unpadded.
        let tiny = [7u8; 9 * 2 + 5];
        assert!(gate.observe(&tiny, 5, 3, 9).moving);
        assert!(!gate.observe(&tiny, 5, 3, 9).moving);
    }
}
