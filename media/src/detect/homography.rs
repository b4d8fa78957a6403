//! Camera image → ground (longitude, latitude) by a plane homography.
//!
//! A fixed camera looking at flat ground maps image points to ground points
//! by a 3×3 homography. It is fitted from four or more hand-picked pairs of
//! (normalised image point, lon/lat): the ground side is first flattened to
//! local east/north metres around the pairs' centroid (equirectangular, good
//! over a few kilometres), both sides are normalised (Hartley), and the
//! eight unknowns (h33 = 1) are solved by linear least squares (normal
//! equations, Gaussian elimination with partial pivoting).

use std::fmt;

/// Metres per degree of latitude.
const M_PER_DEG_LAT: f64 = 110_540.0;
/// Metres per degree of longitude at the equator.
const M_PER_DEG_LON: f64 = 111_320.0;
/// Three points count as collinear when twice their triangle's area is
/// below this share of their longest side squared.
const COLLINEAR_TOL: f64 = 1e-4;
/// A pivot below this share of the largest matrix entry is singular.
const PIVOT_TOL: f64 = 1e-12;
/// Image points whose w falls to this or below are at or beyond the
/// horizon (w is scaled to 1 at the fitted points' centroid).
const HORIZON_W: f64 = 1e-6;

/// One image point and the ground point it shows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GroundPair {
    /// Normalised image coordinates (x right, y down, 0..1).
    pub image: [f64; 2],
    /// Longitude and latitude, degrees.
    pub lonlat: [f64; 2],
}

/// A fitted image → ground mapping.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Homography {
    /// Image (x, y, 1) → local metres (east, north) times w.
    h: [[f64; 3]; 3],
    /// Longitude and latitude of the local plane's origin.
    origin: [f64; 2],
    /// Metres per degree of longitude at the origin.
    m_per_deg_lon: f64,
}

/// The result of a fit, with how well it reproduces its own pairs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fitted {
    /// The mapping.
    pub homography: Homography,
    /// Root mean square distance between each pair's ground point and its
    /// projected image point, metres.
    pub rms_error_m: f64,
    /// The largest such distance, metres.
    pub max_error_m: f64,
}

/// Why a homography could not be fitted.
#[derive(Debug, Clone, PartialEq)]
pub enum HomographyError {
    /// Fewer than four pairs.
    TooFewPairs {
        /// How many were given.
        got: usize,
    },
    /// A pair has a non-finite coordinate or a latitude beyond ±89°.
    InvalidPair {
        /// Its index.
        index: usize,
    },
    /// No four of the points on one side are in general position.
    Degenerate {
        /// `"image"` or `"ground"`.
        side: &'static str,
    },
    /// The least-squares system is singular or ill-conditioned.
    IllConditioned,
    /// The fitted mapping puts one of its own pairs at or beyond the horizon.
    BeyondHorizon {
        /// The pair's index.
        index: usize,
    },
}

impl fmt::Display for HomographyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TooFewPairs { got } => write!(
                f,
                "a ground homography needs at least 4 image/ground pairs, got {got}"
            ),
            Self::InvalidPair { index } => write!(
                f,
                "pair {index} has a non-finite coordinate or a latitude beyond ±89°"
            ),
            Self::Degenerate { side } => write!(
                f,
                "degenerate {side} points: no 4 of them are in general position \
                 (3 or more lie on one line, or points coincide); spread them out"
            ),
            Self::IllConditioned => write!(
                f,
                "degenerate fit: the least-squares system is singular or ill-conditioned; \
                 spread the points out"
            ),
            Self::BeyondHorizon { index } => write!(
                f,
                "degenerate fit: it puts pair {index} at or beyond the horizon; check that pair"
            ),
        }
    }
}

impl std::error::Error for HomographyError {}

impl Homography {
    /// Fits a homography to four or more pairs, and measures how far it
    /// misses them (a large error is reported, not refused).
    pub fn fit(pairs: &[GroundPair]) -> Result<Fitted, HomographyError> {
        if pairs.len() < 4 {
            return Err(HomographyError::TooFewPairs { got: pairs.len() });
        }
        for (index, pair) in pairs.iter().enumerate() {
            let finite = pair.image.iter().chain(&pair.lonlat).all(|v| v.is_finite());
            if !finite || pair.lonlat[1].abs() > 89.0 {
                return Err(HomographyError::InvalidPair { index });
            }
        }
        let n = pairs.len() as f64;
        let lon0 = pairs.iter().map(|p| p.lonlat[0]).sum::<f64>() / n;
        let lat0 = pairs.iter().map(|p| p.lonlat[1]).sum::<f64>() / n;
        let m_per_deg_lon = lat0.to_radians().cos() * M_PER_DEG_LON;
        let image: Vec<[f64; 2]> = pairs.iter().map(|p| p.image).collect();
        let ground: Vec<[f64; 2]> = pairs
            .iter()
            .map(|p| {
                [
                    (p.lonlat[0] - lon0) * m_per_deg_lon,
                    (p.lonlat[1] - lat0) * M_PER_DEG_LAT,
                ]
            })
            .collect();
        for (side, points) in [("image", &image), ("ground", &ground)] {
            if !in_general_position(points) {
                return Err(HomographyError::Degenerate { side });
            }
        }

        let (t_image, image_n) = normalise(&image);
        let (t_ground, ground_n) = normalise(&ground);
        let h_n = solve_dlt(&image_n, &ground_n).ok_or(HomographyError::IllConditioned)?;
        let mut h = mul(&invert_similarity(&t_ground), &mul(&h_n, &t_image));
        // Scale so that w = 1 at the image centroid: points on the fitted
        // side of the horizon then have w > 0.
        let [cx, cy] = centroid(&image);
        let w = h[2][0] * cx + h[2][1] * cy + h[2][2];
        if !w.is_normal() {
            return Err(HomographyError::IllConditioned);
        }
        for v in h.iter_mut().flatten() {
            *v /= w;
        }

        let homography = Self {
            h,
            origin: [lon0, lat0],
            m_per_deg_lon,
        };
        let mut sum_sq = 0.0;
        let mut max_error_m: f64 = 0.0;
        for (index, (&p, &g)) in image.iter().zip(&ground).enumerate() {
            let [e, north] = homography
                .ground_m(p)
                .ok_or(HomographyError::BeyondHorizon { index })?;
            let error = (e - g[0]).hypot(north - g[1]);
            sum_sq += error * error;
            max_error_m = max_error_m.max(error);
        }
        Ok(Fitted {
            homography,
            rms_error_m: (sum_sq / n).sqrt(),
            max_error_m,
        })
    }

    /// The ground point (longitude, latitude) under a normalised image
    /// point; `None` when it maps to or beyond the horizon.
    pub fn project(&self, image: [f64; 2]) -> Option<[f64; 2]> {
        let [east, north] = self.ground_m(image)?;
        Some([
            self.origin[0] + east / self.m_per_deg_lon,
            self.origin[1] + north / M_PER_DEG_LAT,
        ])
    }

    /// The matrix taking image (x, y, 1) to local (east, north) metres
    /// around [`Self::origin`], up to scale.
    pub fn matrix(&self) -> [[f64; 3]; 3] {
        self.h
    }

    /// Longitude and latitude of the local metric plane's origin.
    pub fn origin(&self) -> [f64; 2] {
        self.origin
    }

    /// Image point → local metres east and north of the origin.
    fn ground_m(&self, [x, y]: [f64; 2]) -> Option<[f64; 2]> {
        let h = &self.h;
        let w = h[2][0] * x + h[2][1] * y + h[2][2];
        if w.is_nan() || w <= HORIZON_W {
            return None;
        }
        Some([
            (h[0][0] * x + h[0][1] * y + h[0][2]) / w,
            (h[1][0] * x + h[1][1] * y + h[1][2]) / w,
        ])
    }
}

fn centroid(points: &[[f64; 2]]) -> [f64; 2] {
    let n = points.len() as f64;
    let (sx, sy) = points
        .iter()
        .fold((0.0, 0.0), |(sx, sy), p| (sx + p[0], sy + p[1]));
    [sx / n, sy / n]
}

/// Whether `a`, `b`, `c` lie (nearly) on one line, or two coincide.
fn collinear(a: [f64; 2], b: [f64; 2], c: [f64; 2]) -> bool {
    let (ab, ac) = ([b[0] - a[0], b[1] - a[1]], [c[0] - a[0], c[1] - a[1]]);
    let area2 = (ab[0] * ac[1] - ab[1] * ac[0]).abs();
    let dist_sq = |p: [f64; 2], q: [f64; 2]| (p[0] - q[0]).powi(2) + (p[1] - q[1]).powi(2);
    let longest = dist_sq(a, b).max(dist_sq(a, c)).max(dist_sq(b, c));
    longest == 0.0 || area2 <= COLLINEAR_TOL * longest
}

/// Whether some four of `points` have no three collinear (brute force, with
/// an early exit; pairs are hand-picked, so there are few).
fn in_general_position(points: &[[f64; 2]]) -> bool {
    let n = points.len();
    for i in 0..n {
        for j in i + 1..n {
            for k in j + 1..n {
                let (a, b, c) = (points[i], points[j], points[k]);
                if collinear(a, b, c) {
                    continue;
                }
                let fits = |d| !collinear(a, b, d) && !collinear(a, c, d) && !collinear(b, c, d);
                if points[k + 1..].iter().any(|&d| fits(d)) {
                    return true;
                }
            }
        }
    }
    false
}

/// Hartley normalisation: the similarity moving the centroid to the origin
/// and the mean distance from it to √2, and the moved points.
fn normalise(points: &[[f64; 2]]) -> ([[f64; 3]; 3], Vec<[f64; 2]>) {
    let [cx, cy] = centroid(points);
    let mean = points
        .iter()
        .map(|p| (p[0] - cx).hypot(p[1] - cy))
        .sum::<f64>()
        / points.len() as f64;
    let s = if mean > 0.0 {
        std::f64::consts::SQRT_2 / mean
    } else {
        1.0
    };
    let t = [[s, 0.0, -s * cx], [0.0, s, -s * cy], [0.0, 0.0, 1.0]];
    let moved = points
        .iter()
        .map(|p| [s * (p[0] - cx), s * (p[1] - cy)])
        .collect();
    (t, moved)
}

/// The inverse of a similarity from [`normalise`].
fn invert_similarity(t: &[[f64; 3]; 3]) -> [[f64; 3]; 3] {
    let s = t[0][0];
    [
        [1.0 / s, 0.0, -t[0][2] / s],
        [0.0, 1.0 / s, -t[1][2] / s],
        [0.0, 0.0, 1.0],
    ]
}

fn mul(a: &[[f64; 3]; 3], b: &[[f64; 3]; 3]) -> [[f64; 3]; 3] {
    let mut m = [[0.0; 3]; 3];
    for (row, a_row) in m.iter_mut().zip(a) {
        for (col, out) in row.iter_mut().enumerate() {
            *out = (0..3).map(|k| a_row[k] * b[k][col]).sum();
        }
    }
    m
}

/// Least-squares DLT with h33 = 1: the homography taking `from` to `to`,
/// or `None` when the system is singular.
fn solve_dlt(from: &[[f64; 2]], to: &[[f64; 2]]) -> Option<[[f64; 3]; 3]> {
    // Normal equations AᵀA h = Aᵀb, kept as an 8×9 augmented matrix.
    let mut m = [[0.0; 9]; 8];
    for (&[x, y], &[u, v]) in from.iter().zip(to) {
        let rows = [
            ([x, y, 1.0, 0.0, 0.0, 0.0, -u * x, -u * y], u),
            ([0.0, 0.0, 0.0, x, y, 1.0, -v * x, -v * y], v),
        ];
        for (a, b) in rows {
            for (i, row) in m.iter_mut().enumerate() {
                for (j, cell) in row.iter_mut().take(8).enumerate() {
                    *cell += a[i] * a[j];
                }
                row[8] += a[i] * b;
            }
        }
    }
    let h = gauss_solve(m)?;
    Some([[h[0], h[1], h[2]], [h[3], h[4], h[5]], [h[6], h[7], 1.0]])
}

/// Solves an 8×8 system (augmented with its right-hand side) by Gaussian
/// elimination with partial pivoting; `None` when a pivot is negligible.
fn gauss_solve(mut m: [[f64; 9]; 8]) -> Option<[f64; 8]> {
    let scale = m
        .iter()
        .flat_map(|r| &r[..8])
        .fold(0.0_f64, |acc, v| acc.max(v.abs()));
    if !scale.is_normal() {
        return None;
    }
    for col in 0..8 {
        let pivot = (col..8).max_by(|&a, &b| m[a][col].abs().total_cmp(&m[b][col].abs()))?;
        if m[pivot][col].abs() <= PIVOT_TOL * scale {
            return None;
        }
        m.swap(col, pivot);
        let top = m[col];
        for row in m.iter_mut().skip(col + 1) {
            let factor = row[col] / top[col];
            for (cell, t) in row.iter_mut().zip(&top).skip(col) {
                *cell -= factor * t;
            }
        }
    }
    let mut h = [0.0; 8];
    for col in (0..8).rev() {
        let known: f64 = (col + 1..8).map(|k| m[col][k] * h[k]).sum();
        h[col] = (m[col][8] - known) / m[col][col];
    }
    h.iter().all(|v| v.is_finite()).then_some(h)
}

#[cfg(test)]
mod tests {
    use super::*;

    const LON0: f64 = 71.43;
    const LAT0: f64 = 51.13;

    /// A camera looking north-east over flat ground near Astana, horizon at
    /// image y = 0.1: image → (east, north) metres from (`LON0`, `LAT0`).
    fn true_ground_m([x, y]: [f64; 2]) -> Option<[f64; 2]> {
        let w = y - 0.1;
        if w <= 0.0 {
            return None;
        }
        let across = (20.0 * x - 10.0) / w;
        let along = (-5.0 * y + 10.5) / w;
        let (sin, cos) = 30_f64.to_radians().sin_cos();
        Some([
            120.0 + across * cos + along * sin,
            -40.0 - across * sin + along * cos,
        ])
    }

    fn to_lonlat([e, n]: [f64; 2]) -> [f64; 2] {
        let m_per_deg_lon = LAT0.to_radians().cos() * M_PER_DEG_LON;
        [LON0 + e / m_per_deg_lon, LAT0 + n / M_PER_DEG_LAT]
    }

    fn distance_m(p: [f64; 2], q: [f64; 2]) -> f64 {
        let m_per_deg_lon = LAT0.to_radians().cos() * M_PER_DEG_LON;
        ((p[0] - q[0]) * m_per_deg_lon).hypot((p[1] - q[1]) * M_PER_DEG_LAT)
    }

    fn pairs(image: &[[f64; 2]]) -> Vec<GroundPair> {
        image
            .iter()
            .map(|&p| GroundPair {
                image: p,
                lonlat: to_lonlat(true_ground_m(p).unwrap()),
            })
            .collect()
    }

    const SIX: [[f64; 2]; 6] = [
        [0.1, 0.3],
        [0.9, 0.35],
        [0.2, 0.9],
        [0.85, 0.95],
        [0.5, 0.6],
        [0.3, 0.5],
    ];

    #[test]
    fn recovers_a_known_homography() {
        let fitted = Homography::fit(&pairs(&SIX)).unwrap();
        assert!(fitted.rms_error_m < 1e-3, "rms {}", fitted.rms_error_m);
        assert!(fitted.max_error_m < 1e-3, "max {}", fitted.max_error_m);
        for p in [
            [0.5, 0.2],
            [0.05, 0.99],
            [0.95, 0.5],
            [0.6, 0.8],
            [0.5, 0.15],
        ] {
            let want = to_lonlat(true_ground_m(p).unwrap());
            let got = fitted.homography.project(p).unwrap();
            assert!(distance_m(got, want) < 0.5, "{p:?}: {got:?} vs {want:?}");
        }
    }

    #[test]
    fn noisy_pairs_report_their_error() {
        let image = [SIX.as_slice(), &[[0.7, 0.7], [0.15, 0.6]]].concat();
        let mut noisy = pairs(&image);
        let m_per_deg_lon = LAT0.to_radians().cos() * M_PER_DEG_LON;
        for (i, pair) in noisy.iter_mut().enumerate() {
            // About half a metre, alternating in sign.
            let sign = if i % 2 == 0 { 1.0 } else { -1.0 };
            pair.lonlat[0] += sign * 0.5 / m_per_deg_lon;
            pair.lonlat[1] -= sign * 0.4 / M_PER_DEG_LAT;
        }
        let fitted = Homography::fit(&noisy).unwrap();
        assert!(fitted.rms_error_m > 0.01, "rms {}", fitted.rms_error_m);
        assert!(fitted.rms_error_m < 2.0, "rms {}", fitted.rms_error_m);
        assert!(fitted.max_error_m >= fitted.rms_error_m);
    }

    #[test]
    fn three_pairs_are_too_few() {
        let err = Homography::fit(&pairs(&SIX[..3])).unwrap_err();
        assert_eq!(err, HomographyError::TooFewPairs { got: 3 });
        assert!(err.to_string().contains("at least 4"));
    }

    #[test]
    fn collinear_image_points_are_degenerate() {
        let line = [[0.1, 0.3], [0.3, 0.45], [0.5, 0.6], [0.7, 0.75]];
        let err = Homography::fit(&pairs(&line)).unwrap_err();
        assert_eq!(err, HomographyError::Degenerate { side: "image" });
        assert!(err.to_string().contains("image"));
        // A fifth point off the line does not help: any four hold three of the line.
        let five = [line.as_slice(), &[[0.9, 0.3]]].concat();
        assert!(matches!(
            Homography::fit(&pairs(&five)),
            Err(HomographyError::Degenerate { side: "image" })
        ));
    }

    #[test]
    fn points_beyond_the_horizon_give_none() {
        let fitted = Homography::fit(&pairs(&SIX)).unwrap();
        assert!(fitted.homography.project([0.5, 0.05]).is_none());
        assert!(fitted.homography.project([0.5, 0.1]).is_none());
        assert!(fitted.homography.project([0.5, 0.11]).is_some());
    }

    #[test]
    fn invalid_pairs_are_refused() {
        let mut bad = pairs(&SIX);
        bad[2].image[0] = f64::NAN;
        let err = Homography::fit(&bad).unwrap_err();
        assert_eq!(err, HomographyError::InvalidPair { index: 2 });
    }
}
