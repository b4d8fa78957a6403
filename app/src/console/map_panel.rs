//! The map area in the centre. Until the basemap and live layers arrive it
//! shows a plain canvas with a graticule and says what will be drawn here.

use super::{Area, Console, area_heading, empty_hint, theme, track_focus};
use crate::i18n::Msg;

/// Spacing of the placeholder graticule, in points.
const GRID_STEP: f32 = 64.0;

pub(super) fn show(console: &mut Console, ui: &mut egui::Ui) {
    let rect = ui.max_rect();
    super::name_area(ui, console.t(Area::Map.title()));
    let painter = ui.painter_at(rect);
    painter.rect_filled(rect, 0.0, theme::CANVAS_FILL);
    let line = egui::Stroke::new(1.0, theme::LINE.gamma_multiply(0.6));
    let mut x = rect.left() + GRID_STEP;
    while x < rect.right() {
        painter.vline(x, rect.y_range(), line);
        x += GRID_STEP;
    }
    let mut y = rect.top() + GRID_STEP;
    while y < rect.bottom() {
        painter.hline(rect.x_range(), y, line);
        y += GRID_STEP;
    }

    egui::Frame::new()
        .inner_margin(egui::Margin::same(12))
        .show(ui, |ui| {
            area_heading(console, ui, Area::Map);
        });
    let hint_rect = egui::Rect::from_center_size(
        rect.center(),
        egui::vec2(rect.width().min(560.0) - 40.0, 120.0),
    );
    ui.scope_builder(egui::UiBuilder::new().max_rect(hint_rect), |ui| {
        ui.vertical_centered(|ui| empty_hint(ui, console.t(Msg::MapEmpty)));
    });
    track_focus(console, ui, Area::Map, rect);
}
