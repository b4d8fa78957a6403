//! Units and cameras on the left (collapsible with Ctrl+L).

use std::fmt::Write as _;

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
    match console.list_tab {
        ListTab::Units => empty_hint(ui, console.t(Msg::UnitsEmpty)),
        ListTab::Cameras if console.cameras.views().is_empty() => {
            empty_hint(ui, console.t(Msg::CamerasEmpty));
            config_errors(console, ui);
        }
        ListTab::Cameras => {
            for view in console.cameras.views() {
                let look = theme::feed_look(view.health());
                ui.horizontal(|ui| {
                    ui.label(
                        egui::RichText::new(look.symbol)
                            .color(look.color)
                            .size(20.0),
                    );
                    let response = ui.label(&view.name);
                    let mut detail =
                        format!("{} · {:.1} fps", console.t(look.label), view.status.fps);
                    if let Some(e) = &view.status.last_error {
                        let _ = write!(detail, "\n{e}");
                    }
                    if let Some(note) = &view.note {
                        let _ = write!(detail, "\n{note}");
                    }
                    response.on_hover_text(detail);
                });
            }
            config_errors(console, ui);
        }
    }
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

/// Problems in the camera configuration, each naming its file and entry.
fn config_errors(console: &Console, ui: &mut egui::Ui) {
    for error in console.cameras.config_errors() {
        ui.add(
            egui::Label::new(
                egui::RichText::new(error)
                    .small()
                    .color(theme::palette::ORANGE),
            )
            .wrap(),
        );
    }
}
