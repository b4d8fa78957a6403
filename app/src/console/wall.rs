//! The video wall beside the map: a 2×2 layout of live camera tiles (video
//! converted from YUV on the GPU), and empty tiles saying where cameras go.

use super::cameras::CameraView;
use super::{Area, Console, area_heading, empty_hint, theme, track_focus};
use crate::i18n::Msg;

/// Tiles per side of the default layout.
const DEFAULT_GRID: usize = 2;
/// Cameras the wall shows (the first ones).
pub(super) const TILES: usize = DEFAULT_GRID * DEFAULT_GRID;

pub(super) fn show(console: &mut Console, ui: &mut egui::Ui) {
    let rect = ui.max_rect();
    super::name_area(ui, console.t(Area::Wall.title()));
    egui::Frame::new()
        .inner_margin(egui::Margin::same(12))
        .show(ui, |ui| {
            ui.set_min_width(ui.available_width());
            area_heading(console, ui, Area::Wall);
            if let Some(error) = console.cameras.error() {
                ui.label(
                    egui::RichText::new(console.t(Msg::CamerasFailed))
                        .color(theme::palette::VERMILLION),
                );
                empty_hint(ui, error);
            } else if console.cameras.is_starting() {
                empty_hint(ui, console.t(Msg::WallStarting));
            } else if console.cameras.views().is_empty() {
                empty_hint(ui, console.t(Msg::WallEmpty));
            }
            ui.add_space(4.0);
            tiles(console, ui);
        });
    track_focus(console, ui, Area::Wall, rect);
}

fn tiles(console: &Console, ui: &mut egui::Ui) {
    let gap = 8.0;
    let area = ui.available_rect_before_wrap();
    let n = DEFAULT_GRID as f32;
    let tile_w = ((area.width() - gap * (n - 1.0)) / n).max(40.0);
    // Keep tiles 16:9 unless the wall is too short for that.
    let tile_h = (tile_w * 9.0 / 16.0)
        .min((area.height() - gap * (n - 1.0)) / n)
        .max(30.0);
    let views = console.cameras.views();
    for row in 0..DEFAULT_GRID {
        for col in 0..DEFAULT_GRID {
            let min =
                area.min + egui::vec2(col as f32 * (tile_w + gap), row as f32 * (tile_h + gap));
            let tile = egui::Rect::from_min_size(min, egui::vec2(tile_w, tile_h));
            let index = row * DEFAULT_GRID + col;
            match views.get(index) {
                Some(view) => camera_tile(console, ui, tile, index as u64, view),
                None => empty_tile(console, ui, tile),
            }
        }
    }
    ui.allocate_rect(
        egui::Rect::from_min_size(
            area.min,
            egui::vec2(area.width(), n * tile_h + (n - 1.0) * gap),
        ),
        egui::Sense::hover(),
    );
}

fn empty_tile(console: &Console, ui: &egui::Ui, tile: egui::Rect) {
    let painter = ui.painter();
    painter.rect_filled(tile, 4.0, theme::PANEL_FILL);
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
fn camera_tile(console: &Console, ui: &egui::Ui, tile: egui::Rect, index: u64, view: &CameraView) {
    let painter = ui.painter_at(tile);
    painter.rect_filled(tile, 0.0, egui::Color32::BLACK);
    match (&view.frame, console.video_ready) {
        (Some(frame), true) => {
            let (w, h) = (frame.0.width() as f32, frame.0.height() as f32);
            let scale = (tile.width() / w).min(tile.height() / h);
            let video =
                egui::Rect::from_center_size(tile.center(), egui::vec2(w * scale, h * scale));
            let frame_id = frame.0.seq();
            let frame: std::sync::Arc<dyn watchfloor_render::video::YuvFrame> = frame.clone();
            painter.add(watchfloor_render::video::tile_callback(
                video, index, frame_id, frame,
            ));
            if let Some(d) = &view.detections {
                detection_boxes(ui, &painter, video, d);
            }
        }
        _ => centered_text(ui, tile, console.t(Msg::WallNoVideo)),
    }
    let look = theme::feed_look(view.health());
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

fn centered_text(ui: &egui::Ui, tile: egui::Rect, text: &str) {
    let mut job = egui::text::LayoutJob::simple(
        text.to_owned(),
        egui::TextStyle::Small.resolve(ui.style()),
        theme::TEXT_WEAK,
        tile.width() - 16.0,
    );
    job.halign = egui::Align::Center;
    let galley = ui.painter().layout_job(job);
    let top_center = tile.center() - egui::vec2(0.0, galley.size().y / 2.0);
    ui.painter().galley(top_center, galley, theme::TEXT_WEAK);
}
