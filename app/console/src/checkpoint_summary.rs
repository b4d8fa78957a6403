//! What the checkpoint view shows of one checkpoint, worked out from the
//! world and the cameras: its cameras, lanes and crossings, the queue, the
//! units on duty and its alerts.

use watchfloor_layers::UnitStatus;
use watchfloor_layers::model::{AlertSource, Checkpoint};
use watchfloor_layers::world::World;
use watchfloor_media::view::CameraView;

use crate::i18n::Msg;
use crate::theme;

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

    pub(crate) fn look(self) -> (Msg, egui::Color32) {
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
