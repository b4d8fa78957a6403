//! The checkpoint view for supervisors, in place of the wall: one
//! checkpoint's cameras large, what detection counts per lane and how long
//! the queue is, the units on duty there, and its open alerts.

use watchfloor_layers::UnitStatus;
use watchfloor_layers::model::{AlertSource, Checkpoint};
use watchfloor_layers::world::World;

use super::{Console, FrameCtx, empty_hint, theme};
use crate::i18n::Msg;
use watchfloor_media::view::CameraView;

/// Units this close to a checkpoint are on duty there.
pub const ON_DUTY_RADIUS_M: f64 = 300.0;
/// Alerts this close to a checkpoint are its alerts (besides those from its
/// cameras and its alarm button).
pub const ALERT_RADIUS_M: f64 = 500.0;

/// How the traffic waiting at a checkpoint stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueueState {
    /// No camera sees a vehicle standing in its zones.
    Flowing,
    /// Up to two standing vehicles per lane.
    Building,
    /// More than two standing vehicles per lane.
    Long,
    /// None of its cameras has detection results.
    Unknown,
}

impl QueueState {
    /// Classifies `standing` vehicles over `lanes` lanes.
    pub fn of(standing: Option<u32>, lanes: u8) -> Self {
        match standing {
            None => Self::Unknown,
            Some(0) => Self::Flowing,
            Some(n) if n <= 2 * u32::from(lanes.max(1)) => Self::Building,
            Some(_) => Self::Long,
        }
    }

    fn look(self) -> (Msg, egui::Color32) {
        match self {
            Self::Flowing => (Msg::QueueFlowing, theme::palette::BLUISH_GREEN),
            Self::Building => (Msg::QueueBuilding, theme::palette::YELLOW),
            Self::Long => (Msg::QueueLong, theme::palette::VERMILLION),
            Self::Unknown => (Msg::QueueUnknown, theme::TEXT_WEAK),
        }
    }
}

/// One row of the lanes table: a zone seen by one camera.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LaneRow {
    /// Camera name.
    pub camera: String,
    /// Zone id.
    pub zone: String,
    /// People in it now.
    pub people: u32,
    /// Vehicles in it now.
    pub vehicles: u32,
    /// Of which standing.
    pub standing: u32,
}

/// One line count: how many crossed, each way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrossingRow {
    /// Camera name.
    pub camera: String,
    /// Rule name.
    pub rule: String,
    /// Crossings forward.
    pub forward: u64,
    /// Crossings backward.
    pub backward: u64,
}

/// A unit on duty at the checkpoint.
#[derive(Debug, Clone, PartialEq)]
pub struct OnDuty {
    /// Callsign.
    pub callsign: String,
    /// Status now.
    pub status: UnitStatus,
    /// Distance from the checkpoint, metres.
    pub distance_m: f64,
}

/// Everything the checkpoint view shows of one checkpoint.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckpointSummary {
    /// The checkpoint itself.
    pub checkpoint: Checkpoint,
    /// Its cameras live here, by index in the cameras list.
    pub live_cameras: Vec<usize>,
    /// Its cameras with no live video here, by name.
    pub dark_cameras: Vec<String>,
    /// Zones of its cameras: who is in them now.
    pub lanes: Vec<LaneRow>,
    /// Line counts of its cameras.
    pub crossings: Vec<CrossingRow>,
    /// The queue.
    pub queue: QueueState,
    /// Standing vehicles in its cameras' zones (the queue's length).
    pub standing: u32,
    /// Units within [`ON_DUTY_RADIUS_M`], nearest first.
    pub on_duty: Vec<OnDuty>,
    /// Its open alerts, by id, most severe first.
    pub alerts: Vec<String>,
}

/// Gathers what the view shows of checkpoint `id`, or `None` if the world
/// has no such checkpoint.
pub fn summarise(world: &World, views: &[CameraView], id: &str) -> Option<CheckpointSummary> {
    let state = world.state();
    let checkpoint = state.checkpoints.get(id)?.clone();
    let mut live_cameras = Vec::new();
    let mut dark_cameras = Vec::new();
    for camera in &checkpoint.cameras {
        match views.iter().position(|v| &v.id == camera) {
            Some(i) => live_cameras.push(i),
            None => dark_cameras.push(
                state
                    .cameras
                    .get(camera)
                    .map_or_else(|| camera.clone(), |c| c.name.clone()),
            ),
        }
    }
    let mut lanes = Vec::new();
    let mut crossings = Vec::new();
    let mut standing: Option<u32> = None;
    for view in live_cameras.iter().map(|&i| &views[i]) {
        let Some(d) = &view.detections else {
            continue;
        };
        for o in &d.occupancy {
            *standing.get_or_insert(0) += o.stopped_vehicles;
            lanes.push(LaneRow {
                camera: view.name.clone(),
                zone: o.zone.clone(),
                people: o.people,
                vehicles: o.vehicles,
                standing: o.stopped_vehicles,
            });
        }
        if d.occupancy.is_empty() {
            standing.get_or_insert(0);
        }
        crossings.extend(
            d.counts
                .iter()
                .map(|(rule, forward, backward)| CrossingRow {
                    camera: view.name.clone(),
                    rule: rule.clone(),
                    forward: *forward,
                    backward: *backward,
                }),
        );
    }
    let on_duty = world
        .index()
        .within_radius(checkpoint.lonlat, ON_DUTY_RADIUS_M)
        .into_iter()
        .filter_map(|(unit, distance_m)| {
            let u = state.units.get(unit.as_ref())?;
            Some(OnDuty {
                callsign: u.callsign.clone(),
                status: u.status,
                distance_m,
            })
        })
        .collect();
    let frame = world.frame();
    let mut alerts: Vec<_> = state
        .alerts
        .values()
        .filter(|a| a.state.is_open())
        .filter(|a| match &a.source {
            AlertSource::Detection { camera, .. } => checkpoint.cameras.contains(camera),
            AlertSource::Alarm { site } => site == id,
            _ => false,
        } || frame.distance_m(a.lonlat, checkpoint.lonlat) <= ALERT_RADIUS_M)
        .collect();
    alerts.sort_by_key(|a| (a.severity, a.raised_at()));
    Some(CheckpointSummary {
        queue: QueueState::of(standing, checkpoint.lanes),
        standing: standing.unwrap_or(0),
        alerts: alerts.into_iter().map(|a| a.id.clone()).collect(),
        checkpoint,
        live_cameras,
        dark_cameras,
        lanes,
        crossings,
        on_duty,
    })
}

/// Draws the checkpoint view into the wall's panel.
pub(super) fn show(console: &mut Console, ctx: &FrameCtx, ui: &mut egui::Ui, id: &str) {
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

fn header(console: &mut Console, ui: &mut egui::Ui, s: &CheckpointSummary) {
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
fn cameras(console: &Console, ctx: &FrameCtx, ui: &mut egui::Ui, s: &CheckpointSummary) {
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
            super::wall::camera_tile(console, ctx, ui, tile, camera as u64, &ctx.cameras[camera]);
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

fn queue_and_lanes(console: &Console, ui: &mut egui::Ui, s: &CheckpointSummary) {
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

fn on_duty(console: &Console, ui: &mut egui::Ui, s: &CheckpointSummary) {
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

fn alerts(console: &mut Console, ctx: &FrameCtx, ui: &mut egui::Ui, s: &CheckpointSummary) {
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
