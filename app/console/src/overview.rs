//! The one-screen overview (a tab of the left panel): units by status,
//! open alerts by state and age, cameras by health, detection activity,
//! what each control ring holds, the busiest grid cells, and the response
//! timers of running dispatches against the 1-3-5-minute targets.

use watchfloor_layers::world::{EntityKind, World};
use watchfloor_layers::{AlertState, FeedHealth, UnitStatus};

use crate::i18n::Msg;
use crate::{seat::Seat, theme};
use watchfloor_media::view::CameraView;

/// Response targets, seconds: 1, 3 and 5 minutes.
pub const RESPONSE_TARGETS_S: [i64; 3] = [60, 180, 300];

/// The numbers the overview shows, from one read of the world.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Overview {
    /// Units per status, in [`UnitStatus::ALL`] order, and how many are stale.
    pub units: [usize; 4],
    /// Units whose last report is stale.
    pub stale: usize,
    /// Open alerts per state: new, acknowledged, dispatched, on scene.
    pub alerts: [usize; 4],
    /// Open alerts by age: under 1 min, 1–5 min, over 5 min.
    pub ages: [usize; 3],
    /// Cameras: live, connecting, stalled, offline.
    pub cameras: [usize; 4],
    /// Detection alerts raised in the last minute.
    pub detection_alerts_last_min: usize,
    /// Objects tracked on all cameras now.
    pub tracked_now: usize,
    /// Per ring: name, units inside, open alerts inside.
    pub rings: Vec<(String, usize, usize)>,
    /// Busiest grid cells: id, units, open alerts (at most 5).
    pub cells: Vec<(String, usize, usize)>,
    /// Running dispatches: alert title, seconds since dispatch.
    pub responses: Vec<(String, i64)>,
}

/// Collects the overview at `now` (µs); `title` words an alert as the queue does.
pub fn summarise(
    world: &World,
    cameras: &[CameraView],
    now: i64,
    title: impl Fn(&watchfloor_layers::model::Alert) -> String,
) -> Overview {
    let state = world.state();
    let mut o = Overview::default();
    for unit in state.units.values() {
        let i = UnitStatus::ALL
            .iter()
            .position(|s| *s == unit.status)
            .unwrap_or(0);
        o.units[i] += 1;
        o.stale += usize::from(unit.is_stale(now));
    }
    for alert in state.alerts.values().filter(|a| a.state.is_open()) {
        let i = match alert.state {
            AlertState::New => 0,
            AlertState::Acknowledged => 1,
            AlertState::Dispatched => 2,
            _ => 3,
        };
        o.alerts[i] += 1;
        let age_s = (now - alert.raised_at()) / 1_000_000;
        o.ages[usize::from(age_s >= 60) + usize::from(age_s >= 300)] += 1;
        if alert.state == AlertState::Dispatched
            && let Some(r) = alert.response_us(now)
        {
            o.responses.push((title(alert), r / 1_000_000));
        }
    }
    o.responses.sort_by_key(|r| std::cmp::Reverse(r.1));
    o.detection_alerts_last_min = state
        .alerts
        .values()
        .filter(|a| {
            matches!(
                a.source,
                watchfloor_layers::model::AlertSource::Detection { .. }
            ) && now - a.raised_at() < 60_000_000
        })
        .count();
    for view in cameras {
        let i = match super::video::health(view) {
            FeedHealth::Live => 0,
            FeedHealth::Connecting => 1,
            FeedHealth::Stalled => 2,
            FeedHealth::Offline => 3,
        };
        o.cameras[i] += 1;
        o.tracked_now += view.detections.as_ref().map_or(0, |d| d.boxes.len());
    }
    for ring in state.rings.values() {
        let hits = world.inside_ring(&ring.id).unwrap_or_default();
        let count = |kind| hits.iter().filter(|h| h.kind == kind).count();
        o.rings.push((
            ring.name.clone(),
            count(EntityKind::Unit),
            count(EntityKind::Alert),
        ));
    }
    let mut cells = world.grid_counts();
    cells.retain(|c| c.units > 0 || c.open_alerts > 0);
    cells.sort_by_key(|c| std::cmp::Reverse((c.open_alerts, c.units)));
    o.cells = cells
        .into_iter()
        .take(5)
        .map(|c| (c.cell, c.units, c.open_alerts))
        .collect();
    o
}

/// The band a running response is in: 0 within 1 min, 1 within 3, 2 within 5, 3 over.
pub fn response_band(seconds: i64) -> usize {
    RESPONSE_TARGETS_S
        .iter()
        .position(|&t| seconds <= t)
        .unwrap_or(RESPONSE_TARGETS_S.len())
}

pub(super) fn show(console: &Seat, ctx: &crate::frame::FrameCtx, ui: &mut egui::Ui) {
    let Some(world) = ctx.world else {
        crate::widgets::empty_hint(ui, console.t(Msg::OverviewEmpty));
        return;
    };
    let o = summarise(world, ctx.cameras, console.now_us(), |a| {
        super::alerts::title(console, a)
    });
    let heading = |ui: &mut egui::Ui, msg: Msg| {
        ui.add_space(6.0);
        ui.label(egui::RichText::new(console.t(msg)).strong());
    };
    // What is running late matters most: first.
    responses(console, ui, &o);
    heading(ui, Msg::OverviewUnits);
    for (status, n) in UnitStatus::ALL.iter().zip(o.units) {
        let look = theme::unit_look(*status);
        row(ui, &look, console.t(look.label), n);
    }
    ui.label(
        egui::RichText::new(format!("{}: {}", console.t(Msg::OverviewStale), o.stale))
            .color(theme::TEXT_WEAK),
    );
    heading(ui, Msg::OverviewAlertsByState);
    for (state, n) in [
        AlertState::New,
        AlertState::Acknowledged,
        AlertState::Dispatched,
        AlertState::OnScene,
    ]
    .iter()
    .zip(o.alerts)
    {
        ui.label(format!(
            "{}: {n}",
            console.t(theme::alert_state_msg(*state))
        ));
    }
    ui.label(
        egui::RichText::new(format!(
            "{}: < 1 min {} · 1–5 min {} · > 5 min {}",
            console.t(Msg::OverviewAge),
            o.ages[0],
            o.ages[1],
            o.ages[2]
        ))
        .color(theme::TEXT_WEAK),
    );
    heading(ui, Msg::OverviewCameras);
    for (health, n) in [
        FeedHealth::Live,
        FeedHealth::Connecting,
        FeedHealth::Stalled,
        FeedHealth::Offline,
    ]
    .iter()
    .zip(o.cameras)
    {
        let look = theme::feed_look(*health);
        row(ui, &look, console.t(look.label), n);
    }
    heading(ui, Msg::OverviewDetection);
    ui.label(format!(
        "{}: {} · {}: {}",
        console.t(Msg::OverviewDetectionAlerts),
        o.detection_alerts_last_min,
        console.t(Msg::OverviewTracked),
        o.tracked_now
    ));
    places(console, ui, &o);
}

/// Rings and the busiest cells.
fn places(console: &Seat, ui: &mut egui::Ui, o: &Overview) {
    let heading = |ui: &mut egui::Ui, msg: Msg| {
        ui.add_space(6.0);
        ui.label(egui::RichText::new(console.t(msg)).strong());
    };
    heading(ui, Msg::OverviewRings);
    for (name, units, alerts) in &o.rings {
        ui.label(format!(
            "{name}: {units} {} · {alerts} {}",
            console.t(Msg::OverviewUnitsWord),
            console.t(Msg::OverviewAlerts)
        ));
    }
    heading(ui, Msg::OverviewCells);
    for (cell, units, alerts) in &o.cells {
        ui.label(format!(
            "{cell}: {units} {} · {alerts} {}",
            console.t(Msg::OverviewUnitsWord),
            console.t(Msg::OverviewAlerts)
        ));
    }
}

/// Running dispatches against the 1-3-5-minute targets, longest first.
fn responses(console: &Seat, ui: &mut egui::Ui, o: &Overview) {
    ui.label(egui::RichText::new(console.t(Msg::OverviewResponses)).strong());
    if o.responses.is_empty() {
        ui.label(egui::RichText::new("–").color(theme::TEXT_WEAK));
    }
    for (title, seconds) in &o.responses {
        let band = response_band(*seconds);
        let color = match band {
            0 => theme::palette::BLUISH_GREEN,
            1 => theme::palette::YELLOW,
            2 => theme::palette::ORANGE,
            _ => theme::palette::VERMILLION,
        };
        ui.label(
            egui::RichText::new(format!("{}:{:02} · {title}", seconds / 60, seconds % 60))
                .color(color),
        );
    }
}

fn row(ui: &mut egui::Ui, look: &theme::StatusLook, label: &str, n: usize) {
    ui.horizontal(|ui| {
        ui.label(egui::RichText::new(look.symbol).color(look.color));
        ui.label(format!("{label}: {n}"));
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn responses_fall_in_the_one_three_five_minute_bands() {
        assert_eq!(response_band(30), 0);
        assert_eq!(response_band(60), 0);
        assert_eq!(response_band(61), 1);
        assert_eq!(response_band(180), 1);
        assert_eq!(response_band(299), 2);
        assert_eq!(response_band(301), 3);
    }
}
