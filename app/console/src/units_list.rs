//! Units and cameras on the left (collapsible with Ctrl+L): patrol units
//! with status, kind and speed (greyed out when their report is stale), and
//! drones with battery, altitude and link.

use std::fmt::Write as _;

use crate::command::Command;
use crate::i18n::Msg;
use crate::{
    area::Area, frame::FrameCtx, seat::ListTab, seat::Seat, theme, widgets::area_heading,
    widgets::empty_hint, widgets::legend_row, widgets::track_focus,
};
use watchfloor_layers::UnitStatus;
use watchfloor_layers::model::{Drone, Unit};

/// The panel.
#[derive(Default)]
pub(crate) struct UnitsList;

impl UnitsList {
    /// Draws it; returns what the operator asked for.
    #[expect(
        clippy::unused_self,
        reason = "every panel has the same ui method; this one keeps no state"
    )]
    pub(crate) fn ui(
        &mut self,
        seat: &mut Seat,
        ctx: &FrameCtx,
        ui: &mut egui::Ui,
    ) -> Vec<Command> {
        show(seat, ctx, ui);
        seat.take_commands()
    }
}

fn show(console: &mut Seat, ctx: &FrameCtx, ui: &mut egui::Ui) {
    let rect = ui.max_rect();
    crate::widgets::name_area(ui, console.t(Area::Units.title()));
    area_heading(console, ui, Area::Units);
    ui.horizontal(|ui| {
        for (tab, name) in [
            (ListTab::Units, Msg::TabUnits),
            (ListTab::Cameras, Msg::TabCameras),
            (ListTab::Overview, Msg::TabOverview),
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
        ListTab::Units => units_and_drones(console, ctx, ui),
        ListTab::Overview => {
            egui::ScrollArea::vertical()
                .auto_shrink([false, false])
                .show(ui, |ui| {
                    egui::Frame::new()
                        .inner_margin(egui::Margin::symmetric(4, 0))
                        .show(ui, |ui| super::overview::show(console, ctx, ui));
                });
        }
        ListTab::Cameras if ctx.cameras.is_empty() => {
            empty_hint(ui, console.t(Msg::CamerasEmpty));
            config_errors(ctx, ui);
        }
        ListTab::Cameras => {
            for (index, view) in ctx.cameras.iter().enumerate() {
                let look = theme::feed_look(super::video::health(view));
                // Drag a camera onto a wall tile to show it there.
                let drag_id = egui::Id::unique(("camera-drag", index));
                ui.dnd_drag_source(drag_id, crate::wall_state::CameraDrag(index), |ui| {
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
                });
                // Line counts (per-lane counts at checkpoints), when the
                // camera's rules keep them.
                for (name, forward, backward) in view.detections.iter().flat_map(|d| &d.counts) {
                    ui.label(
                        egui::RichText::new(format!("      {name}: {forward} → · {backward} ←"))
                            .color(theme::TEXT_WEAK),
                    );
                }
            }
            config_errors(ctx, ui);
        }
    }
    track_focus(console, ui, Area::Units, rect);
}

fn units_and_drones(console: &Seat, ctx: &FrameCtx, ui: &mut egui::Ui) {
    let now = console.now_us();
    // The sort order is taken under the read lock; only the rows on screen
    // are laid out (thousands of units must not cost thousands of rows).
    let (order, drones): (Vec<String>, Vec<Drone>) = match ctx.world {
        Some(world) => {
            let mut keyed: Vec<(bool, UnitStatus, &str, &str)> = world
                .state()
                .units
                .values()
                .map(|u| {
                    (
                        u.is_stale(now),
                        u.status,
                        u.callsign.as_str(),
                        u.id.as_str(),
                    )
                })
                .collect();
            keyed.sort_unstable();
            (
                keyed.into_iter().map(|k| k.3.to_owned()).collect(),
                world.state().drones.values().cloned().collect(),
            )
        }
        None => (Vec::new(), Vec::new()),
    };
    if order.is_empty() && drones.is_empty() {
        empty_hint(ui, console.t(Msg::UnitsEmpty));
    }
    if !drones.is_empty() {
        ui.label(
            egui::RichText::new(format!(
                "{} {}",
                console.t(Msg::SectionDrones),
                drones.len()
            ))
            .strong(),
        );
        for drone in &drones {
            drone_row(console, ui, drone, now);
        }
    }
    if let (false, Some(world)) = (order.is_empty(), ctx.world) {
        ui.add_space(6.0);
        let (available, stale) = {
            let units = world.state().units.values();
            units.fold((0, 0), |(a, s), u| {
                let is_stale = u.is_stale(now);
                (
                    a + usize::from(u.status.is_dispatchable() && !is_stale),
                    s + usize::from(is_stale),
                )
            })
        };
        ui.label(
            egui::RichText::new(format!(
                "{} {} · {} {available} · {} {stale}",
                console.t(Msg::SectionUnits),
                order.len(),
                console.t(Msg::CountAvailable),
                console.t(Msg::CountStale),
            ))
            .strong(),
        );
        let legend_height = 150.0;
        let row_height = ui.spacing().interact_size.y.max(22.0);
        egui::ScrollArea::vertical()
            .max_height((ui.available_height() - legend_height).max(80.0))
            .auto_shrink([false, false])
            .show_rows(ui, row_height, order.len(), |ui, rows| {
                for id in &order[rows] {
                    if let Some(unit) = world.state().units.get(id) {
                        unit_row(console, ui, unit, now);
                    }
                }
            });
    }
    ui.with_layout(egui::Layout::bottom_up(egui::Align::Min), |ui| {
        for status in UnitStatus::ALL.iter().rev() {
            legend_row(console, ui, theme::unit_look(*status));
        }
        ui.label(egui::RichText::new(console.t(Msg::UnitStatus)).strong());
        ui.separator();
    });
}

fn unit_row(console: &Seat, ui: &mut egui::Ui, unit: &Unit, now: i64) {
    let look = theme::unit_look(unit.status);
    let stale = unit.is_stale(now);
    let (symbol_color, text_color) = if stale {
        (theme::palette::GREY, theme::TEXT_WEAK)
    } else {
        (look.color, theme::TEXT)
    };
    let response = ui
        .horizontal(|ui| {
            ui.label(
                egui::RichText::new(look.symbol)
                    .color(symbol_color)
                    .size(18.0),
            );
            ui.label(
                egui::RichText::new(&unit.callsign)
                    .color(text_color)
                    .strong(),
            );
            ui.label(
                egui::RichText::new(console.t(theme::kind_msg(unit.kind))).color(theme::TEXT_WEAK),
            );
            if stale {
                ui.label(
                    egui::RichText::new(console.t(Msg::CountStale))
                        .color(theme::palette::GREY)
                        .italics(),
                );
            } else if let Some(speed) = unit.speed_mps {
                ui.label(
                    egui::RichText::new(format!("{:.0} km/h", speed * 3.6))
                        .color(theme::TEXT_WEAK)
                        .monospace(),
                );
            }
        })
        .response;
    let mut detail = format!(
        "{} · {}\n{:.5}, {:.5}\n{}: {:.0} {}",
        unit.id,
        console.t(look.label),
        unit.lonlat[1],
        unit.lonlat[0],
        console.t(Msg::LastReport),
        (now - unit.reported_at) as f64 / 1e6,
        console.t(Msg::SecondsAgo),
    );
    if stale {
        let _ = write!(detail, "\n{}", console.t(Msg::UnitStale));
    }
    if !unit.inside_rings.is_empty() {
        let _ = write!(
            detail,
            "\n{}: {}",
            console.t(Msg::InsideRings),
            unit.inside_rings.join(", ")
        );
    }
    if let Some(a) = &unit.assignment {
        let _ = write!(detail, "\n{}: {a}", console.t(Msg::Assignment));
    }
    response.on_hover_text(detail);
}

fn drone_row(console: &Seat, ui: &mut egui::Ui, drone: &Drone, now: i64) {
    let lost = drone.is_link_lost(now);
    let health = if lost {
        watchfloor_layers::FeedHealth::Offline
    } else {
        watchfloor_layers::FeedHealth::Live
    };
    let look = theme::feed_look(health);
    ui.horizontal(|ui| {
        ui.label(
            egui::RichText::new(look.symbol)
                .color(look.color)
                .size(18.0),
        );
        ui.label(egui::RichText::new(&drone.name).strong());
        if lost {
            ui.label(egui::RichText::new(console.t(Msg::DroneLinkLost)).color(look.color));
        } else {
            let battery = drone
                .battery_pct
                .map_or_else(|| "–".to_owned(), |b| format!("{b}%"));
            ui.label(
                egui::RichText::new(format!(
                    "{} {battery} · {} {:.0} m",
                    console.t(Msg::DroneBattery),
                    console.t(Msg::DroneAltitude),
                    drone.alt_rel_m
                ))
                .color(theme::TEXT_WEAK),
            );
        }
    })
    .response
    .on_hover_text(format!(
        "MAVLink system {} · {}\n{}: {:.0} {}",
        drone.system_id,
        drone.state,
        console.t(Msg::LastReport),
        (now - drone.last_seen) as f64 / 1e6,
        console.t(Msg::SecondsAgo),
    ));
}

/// Problems in the camera configuration, each naming its file and entry.
fn config_errors(ctx: &FrameCtx, ui: &mut egui::Ui) {
    for error in &ctx.camera_set.config_errors {
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
