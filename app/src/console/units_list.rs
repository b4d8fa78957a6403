//! Units and cameras on the left (collapsible with Ctrl+L).

use super::{Area, Console, ListTab, area_heading, empty_hint, legend_row, theme, track_focus};
use crate::i18n::Msg;
use watchfloor_layers::UnitStatus;

pub(super) fn show(console: &mut Console, ui: &mut egui::Ui) {
    let rect = ui.max_rect();
    super::name_area(ui, console.t(Area::Units.title()));
    area_heading(console, ui, Area::Units);
    ui.horizontal(|ui| {
        for (tab, name) in [
            (ListTab::Units, Msg::TabUnits),
            (ListTab::Cameras, Msg::TabCameras),
        ] {
            if ui
                .selectable_label(console.list_tab == tab, console.t(name))
                .clicked()
            {
                console.list_tab = tab;
            }
        }
    });
    ui.separator();
    let hint = match console.list_tab {
        ListTab::Units => Msg::UnitsEmpty,
        ListTab::Cameras => Msg::CamerasEmpty,
    };
    empty_hint(ui, console.t(hint));
    if console.list_tab == ListTab::Units {
        ui.with_layout(egui::Layout::bottom_up(egui::Align::Min), |ui| {
            for status in UnitStatus::ALL.iter().rev() {
                legend_row(console, ui, theme::unit_look(*status));
            }
            ui.label(egui::RichText::new(console.t(Msg::UnitStatus)).strong());
            ui.separator();
        });
    }
    track_focus(console, ui, Area::Units, rect);
}
