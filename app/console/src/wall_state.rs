//! The wall's arrangement, shared by the panels that put cameras on it
//! (the wall, the map, the alert queue, the search): tiles per side, the
//! cameras placed, the tile enlarged, the tour.

use watchfloor_media::view::CameraView;

/// Largest layout: 6×6 tiles.
pub const MAX_SIDE: usize = 6;

/// What the cameras list hands to a tile when a camera is dragged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CameraDrag(pub usize);

/// The wall's arrangement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WallState {
    /// Tiles per side, 1 to [`MAX_SIDE`].
    pub side: usize,
    /// Camera (by index) placed on a tile by the operator; other tiles show
    /// the cameras in list order.
    pub placed: std::collections::BTreeMap<usize, usize>,
    /// The tile shown alone (double-click), if any.
    pub enlarged: Option<usize>,
    /// A camera tour: when it started; the wall pages through all cameras
    /// every [`TOUR_EVERY`].
    pub tour: Option<std::time::Instant>,
    /// The tour's current page (0 when not touring).
    pub page: usize,
}

/// How long a tour shows each page of cameras.
pub const TOUR_EVERY: std::time::Duration = std::time::Duration::from_secs(10);

impl Default for WallState {
    fn default() -> Self {
        Self {
            side: 2,
            placed: std::collections::BTreeMap::new(),
            enlarged: None,
            tour: None,
            page: 0,
        }
    }
}

impl WallState {
    /// The camera a tile shows, if any, among `cameras`.
    pub fn camera_of(&self, tile: usize, cameras: usize) -> Option<usize> {
        if self.tour.is_some() {
            // Touring: page after page of all cameras, in list order.
            let tiles = self.side * self.side;
            let pages = cameras.div_ceil(tiles).max(1);
            let camera = (self.page % pages) * tiles + tile;
            return (camera < cameras).then_some(camera);
        }
        self.placed
            .get(&tile)
            .copied()
            .or(Some(tile))
            .filter(|&c| c < cameras)
    }

    /// The tiles shown now: all of the layout, or the enlarged one.
    pub fn visible_tiles(&self) -> Vec<usize> {
        match self.enlarged {
            Some(t) => vec![t],
            None => (0..self.side * self.side).collect(),
        }
    }

    /// Puts `cameras` (indices, most relevant first) on the first tiles of
    /// the layout, and shows the layout (not one enlarged tile).
    pub fn show_first(&mut self, cameras: &[usize]) {
        self.enlarged = None;
        self.placed.clear();
        for (tile, &camera) in cameras.iter().take(self.side * self.side).enumerate() {
            self.placed.insert(tile, camera);
        }
    }

    /// Whether camera `camera` is on a visible tile.
    pub fn shows(&self, camera: usize, cameras: usize) -> bool {
        self.visible_tiles()
            .into_iter()
            .any(|t| self.camera_of(t, cameras) == Some(camera))
    }
}

/// The cameras to show for an alert at `lonlat`: the camera that raised it
/// (a detection alert) first, then those with a position, nearest first.
pub fn cameras_for_alert(
    views: &[CameraView],
    source_camera: Option<&str>,
    lonlat: [f64; 2],
) -> Vec<usize> {
    let frame = watchfloor_layers::frame::LocalFrame::new(lonlat);
    let mut near: Vec<(f64, usize)> = views
        .iter()
        .enumerate()
        .filter(|(_, v)| Some(v.id.as_str()) != source_camera)
        .filter_map(|(i, v)| v.lonlat.map(|p| (frame.distance_m(lonlat, p), i)))
        .collect();
    near.sort_by(|a, b| a.0.total_cmp(&b.0));
    views
        .iter()
        .position(|v| Some(v.id.as_str()) == source_camera)
        .into_iter()
        .chain(near.into_iter().map(|(_, i)| i))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use watchfloor_media::health::CameraState;
    use watchfloor_media::stats::CameraStatus;
    use watchfloor_media::view::CameraView;

    fn view(id: &str, lonlat: Option<[f64; 2]>) -> CameraView {
        CameraView {
            name: id.into(),
            note: None,
            status: CameraStatus {
                state: CameraState::Live,
                last_error: None,
                received: 0,
                decoded: 0,
                dropped: 0,
                late: 0,
                reconnects: 0,
                fps: 0.0,
                bitrate_bps: 0.0,
                newest_frame_age: None,
            },
            frame: None,
            id: id.into(),
            detections: None,
            lonlat,
            recorded: None,
            recording: None,
        }
    }

    #[test]
    fn an_alert_brings_its_own_camera_then_the_nearest() {
        let views = [
            view("far", Some([71.50, 51.13])),
            view("near", Some([71.431, 51.1283])),
            view("nowhere", None),
            view("source", None),
            view("middle", Some([71.45, 51.13])),
        ];
        let order = cameras_for_alert(&views, Some("source"), [71.4304, 51.1283]);
        assert_eq!(
            order,
            [3, 1, 4, 0],
            "source, then nearest first; unplaced left out"
        );
        let mut wall = WallState::default();
        wall.show_first(&order);
        assert_eq!(
            (0..4)
                .map(|t| wall.camera_of(t, views.len()))
                .collect::<Vec<_>>(),
            [Some(3), Some(1), Some(4), Some(0)]
        );
    }

    #[test]
    fn a_tour_pages_through_every_camera() {
        let mut wall = WallState {
            tour: Some(std::time::Instant::now()),
            ..WallState::default()
        };
        let shown = |wall: &WallState| (0..4).map(|t| wall.camera_of(t, 6)).collect::<Vec<_>>();
        assert_eq!(shown(&wall), [Some(0), Some(1), Some(2), Some(3)]);
        wall.page = 1;
        assert_eq!(shown(&wall), [Some(4), Some(5), None, None]);
        wall.page = 2;
        assert_eq!(
            shown(&wall),
            [Some(0), Some(1), Some(2), Some(3)],
            "and round again"
        );
    }
}
