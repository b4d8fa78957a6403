//! The video wall beside the map: layouts from one tile to 6×6 of live
//! camera tiles (video converted from YUV on the GPU, detection boxes and
//! age on top), cameras dragged onto tiles from the cameras list, a tile
//! enlarged by double-click, and empty tiles saying where cameras go. Only
//! the tiles shown cost display work.

use super::{Area, Console, FrameCtx, area_heading, empty_hint, theme, track_focus};
use crate::i18n::Msg;
use watchfloor_media::detect::privacy::CameraPrivacy;
use watchfloor_media::view::{CameraView, Recorded};

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

pub(super) fn show(console: &mut Console, ctx: &FrameCtx, ui: &mut egui::Ui) {
    let rect = ui.max_rect();
    super::name_area(ui, console.t(Area::Wall.title()));
    egui::Frame::new()
        .inner_margin(egui::Margin::same(12))
        .show(ui, |ui| {
            ui.set_min_width(ui.available_width());
            ui.horizontal_wrapped(|ui| {
                area_heading(console, ui, Area::Wall);
                ui.add_space(12.0);
                if console.checkpoint.is_none() {
                    layout_buttons(console, ui);
                }
                checkpoint_picker(console, ctx, ui);
                window_toggle(console, ui);
            });
            if let Some(id) = console.checkpoint.clone() {
                let other_owner = console.search_open
                    || console.help_open
                    || ui.ctx().memory(|m| m.focused().is_some())
                    || ui.ctx().any_popup_open();
                if !other_owner && ui.input(|i| i.key_pressed(egui::Key::Escape)) {
                    console.checkpoint = None;
                }
                super::checkpoint_view::show(console, ctx, ui, &id);
                return;
            }
            if let Some(error) = &ctx.camera_set.error {
                ui.label(
                    egui::RichText::new(console.t(Msg::CamerasFailed))
                        .color(theme::palette::VERMILLION),
                );
                empty_hint(ui, error);
            } else if ctx.camera_set.starting {
                empty_hint(ui, console.t(Msg::WallStarting));
            } else if ctx.cameras.is_empty() {
                empty_hint(ui, console.t(Msg::WallEmpty));
            }
            ui.add_space(4.0);
            tiles(console, ctx, ui);
        });
    track_focus(console, ui, Area::Wall, rect);
}

/// The wall in a window of its own (a second monitor): the same wall,
/// drawn by the same renderer; closing the window brings it back.
pub(super) fn show_window(console: &mut Console, frame: &FrameCtx, ctx: &egui::Context) {
    let title = format!("Watchfloor · {}", console.t(Area::Wall.title()));
    let mut builder = egui::ViewportBuilder::default()
        .with_title(title)
        .with_app_id("watchfloor-wall")
        .with_inner_size([1280.0, 760.0]);
    // Opens beside the console (on the next monitor of a side-by-side pair).
    // Placed once, when it opens: moving the console later leaves it be.
    if console.wall_window_at.is_none() {
        console.wall_window_at = ctx.input(|i| i.viewport().outer_rect.map(|r| r.right_top()));
    }
    if let Some(at) = console.wall_window_at {
        builder = builder.with_position(at);
    }
    ctx.show_viewport_immediate(
        egui::ViewportId::from_hash_of("watchfloor-wall"),
        builder,
        |ui, _class| {
            egui::CentralPanel::no_frame().show(ui, |ui| show(console, frame, ui));
            if ui.input(|i| i.viewport().close_requested()) {
                console.wall_window = false;
                console.wall_window_at = None;
            }
        },
    );
}

/// Moves the wall into its own window or back.
fn window_toggle(console: &mut Console, ui: &mut egui::Ui) {
    let (text, hint) = if console.wall_window {
        (Msg::WallBack, Msg::WallOwnWindowHint)
    } else {
        (Msg::WallOwnWindow, Msg::WallOwnWindowHint)
    };
    if ui
        .selectable_label(console.wall_window, console.t(text))
        .on_hover_text(console.t(hint))
        .clicked()
    {
        console.wall_window = !console.wall_window;
        console.wall_window_at = None;
    }
}

/// Which checkpoint to show large (the supervisor's view), or the wall.
fn checkpoint_picker(console: &mut Console, ctx: &FrameCtx, ui: &mut egui::Ui) {
    let checkpoints: Vec<(String, String)> = ctx.world.map_or_else(Vec::new, |w| {
        w.state()
            .checkpoints
            .values()
            .map(|c| (c.id.clone(), c.name.clone()))
            .collect()
    });
    if checkpoints.is_empty() {
        return;
    }
    let current = console
        .checkpoint
        .as_ref()
        .and_then(|id| checkpoints.iter().find(|(c, _)| c == id))
        .map_or_else(
            || console.t(Msg::CheckpointView).to_owned(),
            |(_, n)| n.clone(),
        );
    let mut chosen = None;
    let label =
        ui.label(egui::RichText::new(console.t(Msg::CheckpointView)).color(theme::TEXT_WEAK));
    egui::ComboBox::from_id_salt("checkpoint-picker")
        .selected_text(current)
        .width(200.0)
        .show_ui(ui, |ui| {
            if ui
                .selectable_label(console.checkpoint.is_none(), console.t(Msg::AreaWall))
                .clicked()
            {
                chosen = Some(None);
            }
            for (id, name) in &checkpoints {
                let on = console.checkpoint.as_deref() == Some(id.as_str());
                if ui.selectable_label(on, name).clicked() {
                    chosen = Some(Some(id.clone()));
                }
            }
        })
        .response
        .labelled_by(label.id)
        .on_hover_text(console.t(Msg::CheckpointViewHint));
    if let Some(choice) = chosen {
        console.open_checkpoint(choice.as_deref(), ctx.world);
    }
}

/// 1, 2×2 … 6×6: one click each.
fn layout_buttons(console: &mut Console, ui: &mut egui::Ui) {
    ui.label(egui::RichText::new(console.t(Msg::WallLayout)).color(theme::TEXT_WEAK));
    for side in 1..=MAX_SIDE {
        let label = if side == 1 {
            "1".to_owned()
        } else {
            format!("{side}×{side}")
        };
        let current = console.wall.side == side && console.wall.enlarged.is_none();
        if ui.selectable_label(current, label).clicked() {
            console.wall.side = side;
            console.wall.enlarged = None;
        }
    }
    ui.add_space(8.0);
    let touring = console.wall.tour.is_some();
    if ui
        .selectable_label(touring, console.t(Msg::WallTour))
        .on_hover_text(console.t(Msg::WallTourHint))
        .clicked()
    {
        console.wall.tour = (!touring).then(std::time::Instant::now);
        console.wall.page = 0;
    }
    if let Some(started) = console.wall.tour {
        let every = TOUR_EVERY.as_secs_f64();
        let elapsed = started.elapsed().as_secs_f64();
        console.wall.page = (elapsed / every) as usize;
        let next = every - elapsed % every;
        ui.ctx()
            .request_repaint_after(std::time::Duration::from_secs_f64(next));
    }
}

fn tiles(console: &mut Console, ctx: &FrameCtx, ui: &mut egui::Ui) {
    let gap = 8.0;
    let area = ui.available_rect_before_wrap();
    let visible = console.wall.visible_tiles();
    let n = if console.wall.enlarged.is_some() {
        1
    } else {
        console.wall.side
    };
    let side = n as f32;
    let tile_w = ((area.width() - gap * (side - 1.0)) / side).max(40.0);
    // Keep tiles 16:9 unless the wall is too short for that.
    let tile_h = (tile_w * 9.0 / 16.0)
        .min((area.height() - gap * (side - 1.0)) / side)
        .max(24.0);
    let cameras = ctx.cameras.len();
    let mut dropped = None;
    let mut toggled = None;
    for (slot, &tile_index) in visible.iter().enumerate() {
        let (row, col) = (slot / n, slot % n);
        let min = area.min + egui::vec2(col as f32 * (tile_w + gap), row as f32 * (tile_h + gap));
        let tile = egui::Rect::from_min_size(min, egui::vec2(tile_w, tile_h));
        let camera = console.wall.camera_of(tile_index, cameras);
        match camera.and_then(|c| ctx.cameras.get(c).map(|v| (c, v))) {
            Some((c, view)) => camera_tile(console, ctx, ui, tile, c as u64, view),
            None => empty_tile(console, ui, tile),
        }
        let response = ui.interact(
            tile,
            egui::Id::unique(("wall-tile", tile_index)),
            egui::Sense::click(),
        );
        if let Some(payload) = response.dnd_release_payload::<CameraDrag>() {
            dropped = Some((tile_index, payload.0));
        }
        if response.double_clicked() {
            toggled = Some(tile_index);
        }
    }
    if let Some((tile, camera)) = dropped {
        console.wall.placed.insert(tile, camera);
    }
    if let Some(tile) = toggled {
        console.wall.enlarged = match console.wall.enlarged {
            Some(_) => None,
            None => Some(tile),
        };
    }
    ui.allocate_rect(
        egui::Rect::from_min_size(
            area.min,
            egui::vec2(area.width(), side * tile_h + (side - 1.0) * gap),
        ),
        egui::Sense::hover(),
    );
}

fn empty_tile(console: &Console, ui: &egui::Ui, tile: egui::Rect) {
    // No fill: the background shows through (a fill costs per pixel).
    let painter = ui.painter();
    painter.rect_stroke(
        tile,
        4.0,
        egui::Stroke::new(1.0, theme::LINE),
        egui::StrokeKind::Inside,
    );
    centered_text(ui, tile, console.t(Msg::WallTileEmpty));
}

/// Video (converted from YUV on the GPU) with the camera's name on top and
/// its state, frame rate and frame age below.
pub(super) fn camera_tile(
    console: &Console,
    ctx: &FrameCtx,
    ui: &egui::Ui,
    tile: egui::Rect,
    index: u64,
    view: &CameraView,
) {
    let painter = ui.painter_at(tile);
    picture(console, ctx, ui, &painter, tile, index, view);
    let look = theme::feed_look(super::video::health(view));
    let small = egui::TextStyle::Small.resolve(ui.style());
    let band = |top: f32, text: String, color: egui::Color32| {
        let galley = painter.layout_no_wrap(text, small.clone(), color);
        let y = if top >= 0.0 {
            tile.top() + top
        } else {
            tile.bottom() + top - galley.size().y
        };
        let bg = egui::Rect::from_min_size(
            egui::pos2(tile.left(), y - 2.0),
            egui::vec2(galley.size().x + 12.0, galley.size().y + 4.0),
        );
        painter.rect_filled(bg, 0.0, egui::Color32::from_black_alpha(170));
        painter.galley(egui::pos2(tile.left() + 6.0, y), galley, color);
    };
    band(2.0, view.name.clone(), theme::TEXT);
    if recording_stopped(view) {
        // Under the name: recording has stopped (a full disk, say); live
        // video goes on, and the problems window says why.
        band(
            22.0,
            format!("■ {}", console.t(Msg::RecordingStopped)),
            theme::palette::VERMILLION,
        );
    }
    if let Some(recorded) = &view.recorded {
        let text = match recorded {
            Recorded::At(at) => format!(
                "● {} {}",
                console.t(Msg::ReplayRecorded),
                chrono::DateTime::<chrono::Local>::from(*at).format("%H:%M:%S%.3f")
            ),
            Recorded::Missing(_) => format!("○ {}", console.t(Msg::ReplayNoRecording)),
        };
        band(-2.0, text, theme::palette::ORANGE);
        return;
    }
    let age = view
        .status
        .newest_frame_age
        .map_or_else(|| "–".to_owned(), |a| format!("{} ms", a.as_millis()));
    // Detection freshness: how old the boxes are (the detector is shared,
    // so a quiet camera is inferred less often).
    let detected = view
        .detections
        .as_ref()
        .and_then(watchfloor_media::detect::service::CameraDetections::freshness)
        .map(|f| {
            format!(
                " · {} {:.1} s",
                console.t(Msg::DetectionAge),
                f.as_secs_f32()
            )
        })
        .unwrap_or_default();
    band(
        -2.0,
        format!(
            "{} {} · {:.1} fps · {} {}{detected}",
            look.symbol,
            console.t(look.label),
            view.status.fps,
            console.t(Msg::FrameAge),
            age
        ),
        look.color,
    );
    painter.rect_stroke(
        tile,
        0.0,
        egui::Stroke::new(1.0, look.color.gamma_multiply(0.6)),
        egui::StrokeKind::Inside,
    );
}

/// Black bars where the video does not fill its tile (only there: the video
/// covers the rest, and every filled pixel costs a software rasteriser).
fn letterbox(painter: &egui::Painter, tile: egui::Rect, video: egui::Rect) {
    let black = egui::Color32::BLACK;
    for bar in [
        egui::Rect::from_min_max(tile.min, egui::pos2(video.min.x, tile.max.y)),
        egui::Rect::from_min_max(egui::pos2(video.max.x, tile.min.y), tile.max),
        egui::Rect::from_min_max(
            egui::pos2(video.min.x, tile.min.y),
            egui::pos2(video.max.x, video.min.y),
        ),
        egui::Rect::from_min_max(
            egui::pos2(video.min.x, video.max.y),
            egui::pos2(video.max.x, tile.max.y),
        ),
    ] {
        if bar.width() >= 0.5 && bar.height() >= 0.5 {
            painter.rect_filled(bar, 0.0, black);
        }
    }
}

/// The camera's detection zones (translucent outlines) and counting lines
/// over its video, so the operator sees what the rules watch.
fn zones_and_lines(
    painter: &egui::Painter,
    video: egui::Rect,
    overlay: &watchfloor_media::detect::service::Overlay,
) {
    let at = |p: [f32; 2]| video.lerp_inside(egui::vec2(p[0], p[1]));
    let zone = egui::Stroke::new(1.0, theme::palette::YELLOW.gamma_multiply(0.55));
    for (_, polygon) in &overlay.zones {
        let points: Vec<egui::Pos2> = polygon.iter().map(|&p| at(p)).collect();
        painter.add(egui::Shape::closed_line(points, zone));
    }
    let line = egui::Stroke::new(1.5, theme::palette::REDDISH_PURPLE);
    for (_, a, b) in &overlay.lines {
        painter.add(egui::Shape::dashed_line(&[at(*a), at(*b)], line, 6.0, 4.0));
    }
}

/// Tracked objects over the video: a box per confirmed track, coloured by
/// class family, with class and track id where the label fits.
fn detection_boxes(
    ui: &egui::Ui,
    painter: &egui::Painter,
    video: egui::Rect,
    detections: &watchfloor_media::detect::service::CameraDetections,
) {
    let small = egui::TextStyle::Small.resolve(ui.style());
    for b in &detections.boxes {
        let color = match b.class.as_str() {
            "person" => theme::palette::ORANGE,
            "bicycle" | "motorcycle" => theme::palette::YELLOW,
            _ => theme::palette::SKY_BLUE,
        };
        let rect = egui::Rect::from_min_max(
            video.lerp_inside(egui::vec2(b.bbox.x0, b.bbox.y0)),
            video.lerp_inside(egui::vec2(b.bbox.x1, b.bbox.y1)),
        );
        painter.rect_stroke(
            rect,
            0.0,
            egui::Stroke::new(1.5, color),
            egui::StrokeKind::Outside,
        );
        let galley = painter.layout_no_wrap(
            format!("{} {}", b.class, b.track),
            small.clone(),
            egui::Color32::BLACK,
        );
        // Labels only where they fit over their box: a small tile shows
        // boxes, a large one says what and which track.
        if galley.size().x + 4.0 <= rect.width() {
            let label = egui::Rect::from_min_size(
                rect.left_top() - egui::vec2(0.0, galley.size().y + 2.0),
                galley.size() + egui::vec2(4.0, 2.0),
            );
            painter.rect_filled(label, 0.0, color);
            painter.galley(
                label.min + egui::vec2(2.0, 1.0),
                galley,
                egui::Color32::BLACK,
            );
        }
    }
}

/// The tile's picture: blanked when the camera's privacy masks are
/// unknown, else the video with masks, zones and boxes, else why none.
fn picture(
    console: &Console,
    ctx: &FrameCtx,
    ui: &egui::Ui,
    painter: &egui::Painter,
    tile: egui::Rect,
    index: u64,
    view: &CameraView,
) {
    let privacy = console.privacy.for_camera(&view.id);
    if let CameraPrivacy::Unknown(why) = privacy {
        // Fail closed: masks that cannot be read mean no picture at all.
        painter.rect_filled(tile, 0.0, egui::Color32::BLACK);
        blanked_text(
            ui,
            tile,
            &format!("{}: {why}", console.t(Msg::PrivacyMasksUnreadable)),
        );
    } else if let (Some(frame), true) = (&view.frame, ctx.video_ready) {
        let (w, h) = (frame.width() as f32, frame.height() as f32);
        let scale = (tile.width() / w).min(tile.height() / h);
        let video = egui::Rect::from_center_size(tile.center(), egui::vec2(w * scale, h * scale));
        letterbox(painter, tile, video);
        let frame_id = frame.seq();
        let frame: std::sync::Arc<dyn watchfloor_render::video::YuvFrame> =
            std::sync::Arc::new(super::video::TileFrame(frame.clone()));
        painter.add(watchfloor_render::video::tile_callback(
            video, index, frame_id, frame,
        ));
        if let CameraPrivacy::Masked(masks) = privacy {
            super::privacy::paint(painter, video, masks);
        }
        if let Some(d) = &view.detections {
            if let Some(overlay) = &d.overlay {
                zones_and_lines(painter, video, overlay);
            }
            detection_boxes(ui, painter, video, d);
        }
    } else {
        painter.rect_filled(tile, 0.0, egui::Color32::BLACK);
        let text = match &view.recorded {
            Some(Recorded::Missing(why)) => {
                format!("{} ({why})", console.t(Msg::ReplayNoRecording))
            }
            _ => console.t(Msg::WallNoVideo).to_owned(),
        };
        centered_text(ui, tile, &text);
    }
}

/// A live camera whose recording has stopped.
fn recording_stopped(view: &CameraView) -> bool {
    view.recorded.is_none() && view.recording.as_ref().is_some_and(|r| r.stopped.is_some())
}

fn centered_text(ui: &egui::Ui, tile: egui::Rect, text: &str) {
    centered_text_in(ui, tile, text, theme::TEXT_WEAK);
}

/// Why a tile shows no picture at all (privacy masks unreadable): in the
/// alarm colour, so nobody takes the black tile for a dead camera.
fn blanked_text(ui: &egui::Ui, tile: egui::Rect, text: &str) {
    centered_text_in(ui, tile, &format!("■ {text}"), theme::palette::VERMILLION);
}

fn centered_text_in(ui: &egui::Ui, tile: egui::Rect, text: &str, color: egui::Color32) {
    let mut job = egui::text::LayoutJob::simple(
        text.to_owned(),
        egui::TextStyle::Small.resolve(ui.style()),
        color,
        tile.width() - 16.0,
    );
    job.halign = egui::Align::Center;
    let galley = ui.painter().layout_job(job);
    let top_center = tile.center() - egui::vec2(0.0, galley.size().y / 2.0);
    ui.painter().galley(top_center, galley, color);
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
