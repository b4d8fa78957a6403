//! The checkpoint view for supervisors, in place of the wall: one
//! checkpoint's cameras large, what detection counts per lane and how long
//! the queue is, the units on duty there, and its open alerts.

use crate::i18n::Msg;
use crate::{frame::FrameCtx, seat::Seat, theme, widgets::empty_hint};

pub use crate::checkpoint_summary::{
    ALERT_RADIUS_M, CheckpointSummary, CrossingRow, LaneRow, ON_DUTY_RADIUS_M, OnDuty, QueueState,
    summarise,
};

/// Draws the checkpoint view into the wall's panel.
pub(super) fn show(console: &mut Seat, ctx: &FrameCtx, ui: &mut egui::Ui, id: &str) {
    let summary = ctx.world.and_then(|w| summarise(w, ctx.cameras, id));
    let Some(s) = summary else {
        empty_hint(ui, console.t(Msg::CheckpointUnknown));
        return;
    };
    header(console, ui, &s);
    ui.add_space(6.0);
    cameras(console, ctx, ui, &s);
    ui.add_space(8.0);
    egui::ScrollArea::vertical()
        .id_salt("checkpoint-details")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            queue_and_lanes(console, ui, &s);
            ui.add_space(8.0);
            on_duty(console, ui, &s);
            ui.add_space(8.0);
            alerts(console, ctx, ui, &s);
        });
}

fn header(console: &mut Seat, ui: &mut egui::Ui, s: &CheckpointSummary) {
    let look = theme::checkpoint_look(s.checkpoint.status);
    ui.horizontal_wrapped(|ui| {
        ui.label(egui::RichText::new(&s.checkpoint.name).size(20.0).strong());
        ui.label(
            egui::RichText::new(format!("{} {}", look.symbol, console.t(look.label)))
                .color(look.color)
                .strong(),
        );
        ui.label(
            egui::RichText::new(format!(
                "{}: {}",
                console.t(Msg::CheckpointLanes),
                s.checkpoint.lanes
            ))
            .color(theme::TEXT_WEAK),
        );
        if ui
            .button(console.t(Msg::CheckpointBackToWall))
            .on_hover_text("Esc")
            .clicked()
        {
            console.checkpoint = None;
        }
    });
}

/// The checkpoint's cameras, as large as the panel allows (one or two per row).
fn cameras(console: &Seat, ctx: &FrameCtx, ui: &mut egui::Ui, s: &CheckpointSummary) {
    let n = s.live_cameras.len();
    if n == 0 {
        empty_hint(ui, console.t(Msg::CheckpointNoVideo));
    } else {
        let per_row = if n == 1 { 1 } else { 2 };
        let gap = 8.0;
        let width = (ui.available_width() - gap * (per_row as f32 - 1.0)) / per_row as f32;
        let height =
            (width * 9.0 / 16.0).min(ui.available_height() * 0.55 / n.div_ceil(per_row) as f32);
        let origin = ui.available_rect_before_wrap().min;
        for (slot, &camera) in s.live_cameras.iter().enumerate() {
            let (row, col) = (slot / per_row, slot % per_row);
            let tile = egui::Rect::from_min_size(
                origin + egui::vec2(col as f32 * (width + gap), row as f32 * (height + gap)),
                egui::vec2(width, height),
            );
            crate::tile::camera_tile(console, ctx, ui, tile, camera as u64, &ctx.cameras[camera]);
        }
        let rows = n.div_ceil(per_row) as f32;
        ui.allocate_rect(
            egui::Rect::from_min_size(
                origin,
                egui::vec2(ui.available_width(), rows * height + (rows - 1.0) * gap),
            ),
            egui::Sense::hover(),
        );
    }
    for name in &s.dark_cameras {
        ui.label(
            egui::RichText::new(format!("{name}: {}", console.t(Msg::CheckpointCameraDark)))
                .color(theme::TEXT_WEAK),
        );
    }
}

fn queue_and_lanes(console: &Seat, ui: &mut egui::Ui, s: &CheckpointSummary) {
    let (msg, color) = s.queue.look();
    ui.horizontal(|ui| {
        ui.label(egui::RichText::new(console.t(Msg::CheckpointQueue)).strong());
        ui.label(egui::RichText::new(console.t(msg)).color(color).strong());
        if s.queue != QueueState::Unknown {
            ui.label(format!(
                "· {} {}",
                s.standing,
                console.t(Msg::CheckpointStanding)
            ));
        }
    });
    if !s.lanes.is_empty() {
        egui::Grid::new("checkpoint-lanes")
            .striped(true)
            .num_columns(5)
            .show(ui, |ui| {
                for msg in [
                    Msg::CheckpointZone,
                    Msg::TabCameras,
                    Msg::CheckpointPeople,
                    Msg::CheckpointVehicles,
                    Msg::CheckpointStandingColumn,
                ] {
                    ui.label(egui::RichText::new(console.t(msg)).color(theme::TEXT_WEAK));
                }
                ui.end_row();
                for row in &s.lanes {
                    ui.label(&row.zone);
                    ui.label(&row.camera);
                    ui.label(row.people.to_string());
                    ui.label(row.vehicles.to_string());
                    ui.label(row.standing.to_string());
                    ui.end_row();
                }
            });
    }
    if !s.crossings.is_empty() {
        ui.add_space(4.0);
        egui::Grid::new("checkpoint-crossings")
            .striped(true)
            .num_columns(3)
            .show(ui, |ui| {
                for msg in [
                    Msg::CheckpointLine,
                    Msg::CheckpointForward,
                    Msg::CheckpointBackward,
                ] {
                    ui.label(egui::RichText::new(console.t(msg)).color(theme::TEXT_WEAK));
                }
                ui.end_row();
                for row in &s.crossings {
                    ui.label(format!("{} · {}", row.rule, row.camera));
                    ui.label(row.forward.to_string());
                    ui.label(row.backward.to_string());
                    ui.end_row();
                }
            });
    }
}

fn on_duty(console: &Seat, ui: &mut egui::Ui, s: &CheckpointSummary) {
    ui.label(egui::RichText::new(console.t(Msg::CheckpointOnDuty)).strong());
    if s.on_duty.is_empty() {
        empty_hint(ui, console.t(Msg::CheckpointNobody));
    }
    for u in &s.on_duty {
        let look = theme::unit_look(u.status);
        ui.horizontal(|ui| {
            ui.label(egui::RichText::new(look.symbol).color(look.color));
            ui.label(&u.callsign);
            ui.label(egui::RichText::new(console.t(look.label)).color(look.color));
            ui.label(egui::RichText::new(format!("{:.0} m", u.distance_m)).color(theme::TEXT_WEAK));
        });
    }
}

fn alerts(console: &mut Seat, ctx: &FrameCtx, ui: &mut egui::Ui, s: &CheckpointSummary) {
    ui.label(egui::RichText::new(console.t(Msg::CheckpointAlerts)).strong());
    if s.alerts.is_empty() {
        empty_hint(ui, console.t(Msg::CheckpointNoAlerts));
        return;
    }
    let rows: Vec<(String, String, watchfloor_layers::AlertSeverity)> = ctx
        .world
        .map(|world| {
            s.alerts
                .iter()
                .filter_map(|id| world.state().alerts.get(id))
                .map(|a| (a.id.clone(), a.title.clone(), a.severity))
                .collect()
        })
        .unwrap_or_default();
    for (id, title, severity) in rows {
        let look = theme::severity_look(severity);
        let selected = console.selected_alert.as_deref() == Some(id.as_str());
        let text = egui::RichText::new(format!("{} {title}", look.symbol)).color(look.color);
        if ui.selectable_label(selected, text).clicked() {
            console.select_alert(&id, ctx);
        }
    }
}
