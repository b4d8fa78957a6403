//! Small pieces every panel draws with: an area's accessible name and
//! heading, hints, legend rows, and the focus frame.

use crate::area::{self, Area};
use crate::seat::Seat;
use crate::theme;

/// Gives the `Ui` that holds a whole area its accessibility label, so screen
/// readers and tests find the area by name.
pub(crate) fn name_area(ui: &egui::Ui, label: &str) {
    let rect = ui.max_rect();
    ui.ctx().accesskit_node_builder(ui.unique_id(), |node| {
        node.set_label(label);
        node.set_role(egui::Role::Region);
        node.set_bounds(egui::accesskit::Rect {
            x0: rect.min.x.into(),
            y0: rect.min.y.into(),
            x1: rect.max.x.into(),
            y1: rect.max.y.into(),
        });
    });
}

/// A heading that names an area, highlighted while the area has focus.
pub(crate) fn area_heading(console: &Seat, ui: &mut egui::Ui, area: Area) {
    let focused = console.focus == area;
    let text = egui::RichText::new(console.t(area.title()))
        .heading()
        .strong();
    let text = if focused {
        text.color(theme::FOCUS)
    } else {
        text
    };
    ui.label(text);
}

/// Grey explanatory text for an area that has nothing to show yet.
pub(crate) fn empty_hint(ui: &mut egui::Ui, text: &str) {
    ui.add(egui::Label::new(egui::RichText::new(text).color(theme::TEXT_WEAK)).wrap());
}

/// One legend row: coloured symbol and word.
pub(crate) fn legend_row(console: &Seat, ui: &mut egui::Ui, look: theme::StatusLook) {
    ui.horizontal(|ui| {
        ui.label(
            egui::RichText::new(look.symbol)
                .color(look.color)
                .size(20.0),
        );
        ui.label(console.t(look.label));
    });
}

/// Focuses `area` when the primary button is pressed anywhere inside `rect`,
/// without taking the click from the widgets there; draws the focus frame.
pub(crate) fn track_focus(console: &mut Seat, ui: &egui::Ui, area: Area, rect: egui::Rect) {
    let pressed_here = ui.input(|i| i.pointer.primary_pressed()) && ui.rect_contains_pointer(rect);
    if pressed_here {
        console.focus = area;
    }
    area::paint_focus(ui, rect, console.focus == area);
}
