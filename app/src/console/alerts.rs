//! The alert queue on the right: most severe first. Until alerts arrive it
//! explains where they come from and shows the severity legend.

use super::{Area, Console, area_heading, empty_hint, legend_row, theme, track_focus};
use crate::i18n::Msg;
use watchfloor_layers::AlertSeverity;

pub(super) fn show(console: &mut Console, ui: &mut egui::Ui) {
    let rect = ui.max_rect();
    super::name_area(ui, console.t(Area::Alerts.title()));
    area_heading(console, ui, Area::Alerts);
    ui.separator();
    empty_hint(ui, console.t(Msg::AlertsEmpty));
    ui.with_layout(egui::Layout::bottom_up(egui::Align::Min), |ui| {
        for severity in AlertSeverity::ALL.iter().rev() {
            legend_row(console, ui, theme::severity_look(*severity));
        }
        ui.label(egui::RichText::new(console.t(Msg::Severity)).strong());
        ui.separator();
    });
    track_focus(console, ui, Area::Alerts, rect);
}
