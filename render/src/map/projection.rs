//! Where things are drawn: lon/lat → Web-Mercator metres (EPSG:3857)
//! relative to a scene origin (so `f32` keeps millimetres across a city) →
//! screen pixels through a camera (centre, zoom, rotation).

/// WGS-84 equatorial radius, metres (the spherical Web-Mercator radius).
const EARTH_RADIUS_M: f64 = 6_378_137.0;
/// Latitude limit of Web Mercator.
const MAX_LAT_DEG: f64 = 85.051_128_78;

/// Web-Mercator metres of a lon/lat point (x east, y north).
pub fn mercator_from_lonlat(lonlat: [f64; 2]) -> [f64; 2] {
    let lat = lonlat[1].clamp(-MAX_LAT_DEG, MAX_LAT_DEG).to_radians();
    [
        EARTH_RADIUS_M * lonlat[0].to_radians(),
        EARTH_RADIUS_M * (std::f64::consts::FRAC_PI_4 + lat / 2.0).tan().ln(),
    ]
}

/// Lon/lat of Web-Mercator metres.
pub fn lonlat_from_mercator(m: [f64; 2]) -> [f64; 2] {
    [
        (m[0] / EARTH_RADIUS_M).to_degrees(),
        (2.0 * (m[1] / EARTH_RADIUS_M).exp().atan() - std::f64::consts::FRAC_PI_2).to_degrees(),
    ]
}

/// Scene coordinates: Web-Mercator metres relative to an origin.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SceneFrame {
    origin: [f64; 2],
}

impl SceneFrame {
    /// A frame whose origin is `origin_lonlat`.
    pub fn new(origin_lonlat: [f64; 2]) -> Self {
        Self {
            origin: mercator_from_lonlat(origin_lonlat),
        }
    }

    /// Scene position of a lon/lat point.
    pub fn scene(&self, lonlat: [f64; 2]) -> [f32; 2] {
        let m = mercator_from_lonlat(lonlat);
        [
            (m[0] - self.origin[0]) as f32,
            (m[1] - self.origin[1]) as f32,
        ]
    }

    /// Lon/lat of a scene position.
    pub fn lonlat(&self, p: [f32; 2]) -> [f64; 2] {
        lonlat_from_mercator([
            f64::from(p[0]) + self.origin[0],
            f64::from(p[1]) + self.origin[1],
        ])
    }
}

/// The map camera: what scene point is at the centre of the view, how many
/// scene metres per pixel, and how the map is turned.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Camera {
    /// Scene point at the centre of the viewport.
    pub centre: [f32; 2],
    /// Zoom level as on web maps: 0 shows the world in 256 px.
    pub zoom: f64,
    /// Map rotation, radians, counter-clockwise (north up = 0).
    pub rotation: f32,
    /// Viewport size, pixels.
    pub viewport: [f32; 2],
}

/// Web-Mercator metres across the world at zoom 0 in 256 pixels.
const WORLD_M: f64 = 2.0 * std::f64::consts::PI * EARTH_RADIUS_M;

impl Camera {
    /// Pixels per scene metre at this zoom (at the scene's Mercator scale).
    pub fn pixels_per_metre(&self) -> f32 {
        (256.0 * 2f64.powf(self.zoom) / WORLD_M) as f32
    }

    /// Screen pixel (origin top-left, y down) of a scene point.
    pub fn screen(&self, p: [f32; 2]) -> [f32; 2] {
        let s = self.pixels_per_metre();
        let (dx, dy) = (p[0] - self.centre[0], p[1] - self.centre[1]);
        let (sin, cos) = self.rotation.sin_cos();
        let (rx, ry) = (dx * cos - dy * sin, dx * sin + dy * cos);
        [
            self.viewport[0] / 2.0 + rx * s,
            self.viewport[1] / 2.0 - ry * s,
        ]
    }

    /// Scene point under a screen pixel.
    pub fn scene(&self, px: [f32; 2]) -> [f32; 2] {
        let s = self.pixels_per_metre();
        let rx = (px[0] - self.viewport[0] / 2.0) / s;
        let ry = (self.viewport[1] / 2.0 - px[1]) / s;
        let (sin, cos) = self.rotation.sin_cos();
        [
            self.centre[0] + rx * cos + ry * sin,
            self.centre[1] - rx * sin + ry * cos,
        ]
    }

    /// Zooms by `delta` levels keeping the scene point under `px` fixed.
    pub fn zoom_about(&mut self, px: [f32; 2], delta: f64) {
        let before = self.scene(px);
        self.zoom = (self.zoom + delta).clamp(3.0, 19.0);
        let after = self.scene(px);
        self.centre[0] += before[0] - after[0];
        self.centre[1] += before[1] - after[1];
    }

    /// Moves the view by a drag of `delta` pixels.
    pub fn pan_pixels(&mut self, delta: [f32; 2]) {
        let a = self.scene([0.0, 0.0]);
        let b = self.scene(delta);
        self.centre[0] -= b[0] - a[0];
        self.centre[1] -= b[1] - a[1];
    }

    /// The uniform block the shaders read.
    pub fn uniforms(&self) -> CameraUniforms {
        let (sin, cos) = self.rotation.sin_cos();
        CameraUniforms {
            centre: self.centre,
            scale: [
                2.0 * self.pixels_per_metre() / self.viewport[0].max(1.0),
                2.0 * self.pixels_per_metre() / self.viewport[1].max(1.0),
            ],
            rotation: [cos, sin],
            viewport: self.viewport,
        }
    }
}

/// Camera as the GPU sees it (std140-compatible: vec2s only).
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, bytemuck::Pod, bytemuck::Zeroable)]
pub struct CameraUniforms {
    /// Scene point at the centre.
    pub centre: [f32; 2],
    /// Clip units per scene metre, x and y.
    pub scale: [f32; 2],
    /// cos and sin of the rotation.
    pub rotation: [f32; 2],
    /// Viewport, pixels.
    pub viewport: [f32; 2],
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lonlat_mercator_scene_round_trips() {
        for ll in [
            [71.4304, 51.1283],
            [-122.42, 37.77],
            [0.0, 0.0],
            [179.9, -60.0],
        ] {
            let back = lonlat_from_mercator(mercator_from_lonlat(ll));
            assert!(
                (back[0] - ll[0]).abs() < 1e-9 && (back[1] - ll[1]).abs() < 1e-9,
                "{ll:?} {back:?}"
            );
        }
        let frame = SceneFrame::new([71.4304, 51.1283]);
        // 20 km away still round-trips to a few millimetres in f32.
        let far = [71.7, 51.25];
        let back = frame.lonlat(frame.scene(far));
        assert!(
            (back[0] - far[0]).abs() < 1e-7 && (back[1] - far[1]).abs() < 1e-7,
            "{back:?}"
        );
    }

    #[test]
    fn screen_and_scene_round_trip_at_several_zooms_and_rotations() {
        for zoom in [8.0, 12.0, 15.5, 18.0] {
            for rotation in [0.0_f32, 0.7, -2.0] {
                let cam = Camera {
                    centre: [120.0, -40.0],
                    zoom,
                    rotation,
                    viewport: [1920.0, 1080.0],
                };
                for px in [[0.0, 0.0], [960.0, 540.0], [1919.0, 3.0], [100.0, 1000.0]] {
                    let back = cam.screen(cam.scene(px));
                    assert!(
                        (back[0] - px[0]).abs() < 0.05 && (back[1] - px[1]).abs() < 0.05,
                        "z{zoom} r{rotation}: {px:?} {back:?}"
                    );
                }
                let middle = cam.screen(cam.centre);
                assert!((middle[0] - 960.0).abs() < 1e-3 && (middle[1] - 540.0).abs() < 1e-3);
            }
        }
        // North is up with no rotation; zoom 0 is the world in 256 px.
        let cam = Camera {
            centre: [0.0, 0.0],
            zoom: 0.0,
            rotation: 0.0,
            viewport: [256.0, 256.0],
        };
        assert!(cam.screen([0.0, 1000.0])[1] < 128.0);
        assert!((cam.pixels_per_metre() * WORLD_M as f32 - 256.0).abs() < 1e-3);
    }

    #[test]
    fn zooming_keeps_the_point_under_the_cursor() {
        let mut cam = Camera {
            centre: [0.0, 0.0],
            zoom: 13.0,
            rotation: 0.3,
            viewport: [800.0, 600.0],
        };
        let under = cam.scene([100.0, 450.0]);
        cam.zoom_about([100.0, 450.0], 1.5);
        let after = cam.scene([100.0, 450.0]);
        assert!((under[0] - after[0]).abs() < 0.01 && (under[1] - after[1]).abs() < 0.01);
        cam.pan_pixels([50.0, 0.0]);
        let moved = cam.scene([150.0, 450.0]);
        assert!(
            (moved[0] - under[0]).abs() < 0.01 && (moved[1] - under[1]).abs() < 0.01,
            "dragged with the cursor"
        );
    }
}
