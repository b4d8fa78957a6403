//! A local metric frame around a site's origin (equirectangular: x east,
//! y north, metres), so that distances inside a city are plain metres.
//! Within 50 km of the origin the distance error stays under 0.5 %, which is
//! city scale; a console covering a country needs several frames.

use serde::{Deserialize, Serialize};

/// Metres per degree of latitude (mean).
const M_PER_DEG_LAT: f64 = 110_574.0;
/// Metres per degree of longitude at the equator.
const M_PER_DEG_LON_EQUATOR: f64 = 111_320.0;

/// Converts between lon/lat degrees and metres around an origin.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LocalFrame {
    origin: [f64; 2],
    m_per_deg_lon: f64,
}

impl LocalFrame {
    /// A frame centred on `origin_lonlat`.
    pub fn new(origin_lonlat: [f64; 2]) -> Self {
        Self {
            origin: origin_lonlat,
            m_per_deg_lon: M_PER_DEG_LON_EQUATOR * origin_lonlat[1].to_radians().cos(),
        }
    }

    /// The origin, lon/lat degrees.
    pub fn origin(&self) -> [f64; 2] {
        self.origin
    }

    /// Metres east and north of the origin.
    pub fn xy(&self, lonlat: [f64; 2]) -> [f64; 2] {
        [
            (lonlat[0] - self.origin[0]) * self.m_per_deg_lon,
            (lonlat[1] - self.origin[1]) * M_PER_DEG_LAT,
        ]
    }

    /// Lon/lat of a point given in metres east and north of the origin.
    pub fn lonlat(&self, xy: [f64; 2]) -> [f64; 2] {
        [
            self.origin[0] + xy[0] / self.m_per_deg_lon,
            self.origin[1] + xy[1] / M_PER_DEG_LAT,
        ]
    }

    /// Straight-line distance in metres between two lon/lat points.
    pub fn distance_m(&self, a: [f64; 2], b: [f64; 2]) -> f64 {
        let (a, b) = (self.xy(a), self.xy(b));
        (a[0] - b[0]).hypot(a[1] - b[1])
    }

    /// The point `distance_m` from `lonlat` towards `bearing_deg` (clockwise
    /// from north).
    pub fn offset(&self, lonlat: [f64; 2], bearing_deg: f64, distance_m: f64) -> [f64; 2] {
        let xy = self.xy(lonlat);
        let b = bearing_deg.to_radians();
        self.lonlat([xy[0] + distance_m * b.sin(), xy[1] + distance_m * b.cos()])
    }
}

/// Bearing in degrees clockwise from north from `a` to `b` (metric points).
pub fn bearing_deg(a: [f64; 2], b: [f64; 2]) -> f64 {
    (b[0] - a[0])
        .atan2(b[1] - a[1])
        .to_degrees()
        .rem_euclid(360.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_measures_in_metres() {
        let f = LocalFrame::new([71.43, 51.13]);
        let p = [71.5, 51.2];
        let back = f.lonlat(f.xy(p));
        assert!((back[0] - p[0]).abs() < 1e-12 && (back[1] - p[1]).abs() < 1e-12);
        // 0.01° of latitude is about 1.1 km.
        let d = f.distance_m([71.43, 51.13], [71.43, 51.14]);
        assert!((d - 1105.74).abs() < 0.1, "{d}");
        let east = f.offset([71.43, 51.13], 90.0, 500.0);
        assert!((f.distance_m([71.43, 51.13], east) - 500.0).abs() < 1e-6);
        assert!((bearing_deg(f.xy([71.43, 51.13]), f.xy(east)) - 90.0).abs() < 1e-9);
    }
}
