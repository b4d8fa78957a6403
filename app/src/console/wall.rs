//! The video wall beside the map. Until cameras connect it shows the empty
//! 2×2 layout so the operator sees where tiles will go.

use super::{Area, Console, area_heading, empty_hint, theme, track_focus};
use crate::i18n::Msg;

/// Tiles per side of the default layout.
const DEFAULT_GRID: usize = 2;

pub(super) fn show(console: &mut Console, ui: &mut egui::Ui) {
    let rect = ui.max_rect();
    super::name_area(ui, console.t(Area::Wall.title()));
    egui::Frame::new()
        .inner_margin(egui::Margin::same(12))
        .show(ui, |ui| {
            ui.set_min_width(ui.available_width());
            area_heading(console, ui, Area::Wall);
            empty_hint(ui, console.t(Msg::WallEmpty));
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
    for row in 0..DEFAULT_GRID {
        for col in 0..DEFAULT_GRID {
            let min =
                area.min + egui::vec2(col as f32 * (tile_w + gap), row as f32 * (tile_h + gap));
            let tile = egui::Rect::from_min_size(min, egui::vec2(tile_w, tile_h));
            let painter = ui.painter();
            painter.rect_filled(tile, 4.0, theme::PANEL_FILL);
            painter.rect_stroke(
                tile,
                4.0,
                egui::Stroke::new(1.0, theme::LINE),
                egui::StrokeKind::Inside,
            );
            let mut job = egui::text::LayoutJob::simple(
                console.t(Msg::WallTileEmpty).to_owned(),
                egui::TextStyle::Small.resolve(ui.style()),
                theme::TEXT_WEAK,
                tile.width() - 16.0,
            );
            job.halign = egui::Align::Center;
            let galley = painter.layout_job(job);
            let top_center = tile.center() - egui::vec2(0.0, galley.size().y / 2.0);
            painter.galley(top_center, galley, theme::TEXT_WEAK);
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
