//! One camera's tile, wherever it is drawn (the wall, the checkpoint
//! view): the picture (blanked when its privacy masks are unknown), masks,
//! zones and boxes over it, its name, state and age.

use crate::frame::FrameCtx;
use crate::i18n::Msg;
use crate::seat::Seat;
use crate::theme;
use watchfloor_media::detect::privacy::CameraPrivacy;
use watchfloor_media::view::{CameraView, Recorded};

/// Video (converted from YUV on the GPU) with the camera's name on top and
/// its state, frame rate and frame age below.
pub(crate) fn camera_tile(
    console: &Seat,
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
    console: &Seat,
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

pub(crate) fn centered_text(ui: &egui::Ui, tile: egui::Rect, text: &str) {
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
