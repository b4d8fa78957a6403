//! The world state and how events change it. [`World::apply`] is the only
//! way state changes, so the journal's replay of the same envelopes
//! rebuilds exactly the same state. What an event *implies* but does not
//! store — a unit entering a ring — comes back as a [`Notice`].

use std::collections::{BTreeMap, VecDeque};

use geo::{BoundingRect as _, Contains as _};
use serde::{Deserialize, Serialize};

use crate::event::{Envelope, Event, UnitReport};
use crate::frame::LocalFrame;
use crate::model::{
    Alert, AlertSource, AlertStep, Checkpoint, CheckpointStatus, Drone, LonLat, Ring, TRAIL_POINTS,
    TrailPoint, Unit, UnixMicros, polygon_of,
};
use crate::site::Site;
use crate::spatial::UnitIndex;
use crate::status::{AlertSeverity, AlertState, UnitStatus};

/// Everything on the map at one instant: plain data, comparable and
/// serialisable (snapshots are this).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct WorldState {
    /// Time of the last applied event.
    pub at: UnixMicros,
    /// Events applied since the start of the journal.
    pub applied: u64,
    /// Site name.
    pub site_name: String,
    /// Centre of the metric frame.
    pub origin: LonLat,
    /// Checkpoints by id.
    pub checkpoints: BTreeMap<String, Checkpoint>,
    /// Rings by id.
    pub rings: BTreeMap<String, Ring>,
    /// Grid cells by id.
    pub grid: BTreeMap<String, crate::model::GridCell>,
    /// Cameras by id.
    pub cameras: BTreeMap<String, crate::model::CameraSite>,
    /// Units by id.
    pub units: BTreeMap<String, Unit>,
    /// Drones by system id.
    pub drones: BTreeMap<u32, Drone>,
    /// Alerts by id.
    pub alerts: BTreeMap<String, Alert>,
}

/// Something an event implied, for the console and rules (not journaled:
/// replay derives it again).
#[derive(Debug, Clone, PartialEq)]
pub enum Notice {
    /// A unit entered a ring.
    RingEntered {
        /// Ring id.
        ring: String,
        /// Unit id.
        unit: String,
    },
    /// A unit left a ring.
    RingExited {
        /// Ring id.
        ring: String,
        /// Unit id.
        unit: String,
    },
    /// An alert was raised.
    AlertRaised {
        /// Alert id.
        id: String,
        /// Its severity.
        severity: AlertSeverity,
    },
    /// An event could not apply (unknown id, wrong state); it changed nothing.
    Refused(Refusal),
}

/// Why an event could not apply to the world.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// It names a unit the world does not have.
    #[error("no unit \"{0}\"")]
    NoUnit(String),
    /// It names an alert the world does not have.
    #[error("no alert \"{0}\"")]
    NoAlert(String),
    /// It names a checkpoint the site does not have.
    #[error("no checkpoint \"{0}\"")]
    NoCheckpoint(String),
    /// Evidence or a note for an alert the world does not have.
    #[error("evidence or note for unknown alert \"{0}\"")]
    NoteForUnknownAlert(String),
    /// An alert id raised twice.
    #[error("alert \"{0}\" already exists")]
    AlertExists(String),
    /// A state change for a resolved alert.
    #[error("alert \"{0}\" is already resolved")]
    AlreadyResolved(String),
    /// A dispatch to a resolved alert.
    #[error("alert \"{0}\" is resolved")]
    Resolved(String),
}

/// Kinds of thing a hit-test can find.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum EntityKind {
    /// An alert.
    Alert,
    /// A patrol unit.
    Unit,
    /// A drone.
    Drone,
    /// A checkpoint.
    Checkpoint,
    /// A camera.
    Camera,
}

/// One hit of a hit-test or area query.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// What.
    pub kind: EntityKind,
    /// Its id (drones: the system id as text).
    pub id: String,
    /// Distance from the query point, metres (0 for area queries).
    pub distance_m: f64,
}

/// Units, alerts and open alerts counted in one grid cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellCount {
    /// Cell id.
    pub cell: String,
    /// Units inside.
    pub units: usize,
    /// Units inside that are available.
    pub available: usize,
    /// Open alerts inside.
    pub open_alerts: usize,
}

/// The live world: state plus the spatial index over its units.
#[derive(Debug)]
pub struct World {
    state: WorldState,
    frame: LocalFrame,
    index: UnitIndex,
    ring_shapes: BTreeMap<String, (geo::Polygon<f64>, geo::Rect<f64>)>,
}

impl World {
    /// An empty world whose metric frame is centred on `origin`.
    pub fn new(origin: LonLat) -> Self {
        Self::from_state(WorldState {
            origin,
            ..WorldState::default()
        })
    }

    /// A world from a snapshot (the index is rebuilt).
    pub fn from_state(state: WorldState) -> Self {
        let frame = LocalFrame::new(state.origin);
        let mut index = UnitIndex::new(state.origin);
        for u in state.units.values() {
            index.upsert(&u.id, u.lonlat, u.status.is_dispatchable());
        }
        let mut world = Self {
            state,
            frame,
            index,
            ring_shapes: BTreeMap::new(),
        };
        world.rebuild_ring_shapes();
        world
    }

    /// The state.
    pub fn state(&self) -> &WorldState {
        &self.state
    }

    /// The metric frame.
    pub fn frame(&self) -> &LocalFrame {
        &self.frame
    }

    /// The unit index.
    pub fn index(&self) -> &UnitIndex {
        &self.index
    }

    fn rebuild_ring_shapes(&mut self) {
        self.ring_shapes = self
            .state
            .rings
            .values()
            .filter_map(|r| {
                let p = r.to_polygon();
                let b = p.bounding_rect()?;
                Some((r.id.clone(), (p, b)))
            })
            .collect();
    }

    fn rings_containing(&self, lonlat: LonLat) -> Vec<String> {
        let point = geo::Point::new(lonlat[0], lonlat[1]);
        self.ring_shapes
            .iter()
            .filter(|(_, (polygon, bbox))| bbox.contains(&point) && polygon.contains(&point))
            .map(|(id, _)| id.clone())
            .collect()
    }

    /// Applies one event; returns what it implied.
    pub fn apply(&mut self, envelope: &Envelope) -> Vec<Notice> {
        let at = envelope.at;
        self.state.at = self.state.at.max(at);
        self.state.applied += 1;
        let mut notices = Vec::new();
        let result = match &envelope.event {
            Event::SiteLoaded(site) => {
                self.load_site(site);
                Ok(())
            }
            Event::UnitReported(report) => {
                self.report_unit(report, at, &mut notices);
                Ok(())
            }
            Event::UnitStatusSet { id, status } => self.set_unit_status(id, *status),
            Event::DroneTelemetry { .. }
            | Event::DroneLinkLost { .. }
            | Event::DroneMission { .. } => {
                self.apply_drone(&envelope.event, at);
                Ok(())
            }
            Event::AlertRaised {
                id,
                source,
                severity,
                title,
                lonlat,
            } => {
                let by = envelope.origin.to_string();
                let alert = Alert::raised(id, source.clone(), *severity, title, *lonlat, at, by);
                self.raise(alert, &mut notices)
            }
            Event::AlertStateSet { id, state, by } => self.set_alert_state(id, *state, by, at),
            Event::Dispatched {
                alert, units, by, ..
            } => self.dispatch(alert, units, by, at),
            Event::UnitOnScene { unit, alert } => self.on_scene(unit, alert, at),
            Event::RingDrawn(ring) => {
                self.state.rings.insert(ring.id.clone(), ring.clone());
                self.rings_changed(&mut notices);
                Ok(())
            }
            Event::RingRemoved { id } => {
                self.state.rings.remove(id);
                self.rings_changed(&mut notices);
                Ok(())
            }
            Event::CheckpointStatusSet { id, status } => self
                .state
                .checkpoints
                .get_mut(id)
                .map(|c| c.status = *status)
                .ok_or_else(|| Refusal::NoCheckpoint(id.clone())),
            Event::AlarmPressed { site, lonlat, by } => {
                let alert = self.alarm(site, *lonlat, by.as_deref(), at, &envelope.origin);
                self.raise(alert, &mut notices)
            }
            Event::AlertEvidence { id, .. } | Event::AlertNoted { id, .. } => self
                .state
                .alerts
                .contains_key(id)
                .then_some(())
                .ok_or_else(|| Refusal::NoteForUnknownAlert(id.clone())),
        };
        if let Err(why) = result {
            notices.push(Notice::Refused(why));
        }
        notices
    }

    fn set_unit_status(&mut self, id: &str, status: UnitStatus) -> Result<(), Refusal> {
        let unit = self
            .state
            .units
            .get_mut(id)
            .ok_or_else(|| Refusal::NoUnit(id.to_owned()))?;
        unit.status = status;
        if !matches!(status, UnitStatus::EnRoute | UnitStatus::OnScene) {
            unit.assignment = None;
        }
        self.index.upsert(id, unit.lonlat, status.is_dispatchable());
        Ok(())
    }

    fn apply_drone(&mut self, event: &Event, at: UnixMicros) {
        let (Event::DroneTelemetry { system_id, .. }
        | Event::DroneLinkLost { system_id }
        | Event::DroneMission { system_id, .. }) = event
        else {
            return;
        };
        let drone = self
            .state
            .drones
            .entry(*system_id)
            .or_insert_with(|| Drone::new(*system_id, at));
        match event {
            Event::DroneTelemetry { telemetry, .. } => drone.apply(telemetry, at),
            Event::DroneLinkLost { .. } => drone.link_lost = true,
            Event::DroneMission {
                name,
                home,
                path,
                stream,
                ..
            } => {
                drone.name.clone_from(name);
                drone.home = Some(*home);
                drone.planned_path.clone_from(path);
                drone.stream.clone_from(stream);
            }
            _ => {}
        }
    }

    /// The alert a one-click alarm raises; the checkpoint (if the site is
    /// one) goes to alarm.
    fn alarm(
        &mut self,
        site: &str,
        lonlat: LonLat,
        by: Option<&str>,
        at: UnixMicros,
        origin: &crate::event::Origin,
    ) -> Alert {
        let name = match self.state.checkpoints.get_mut(site) {
            Some(c) => {
                c.status = CheckpointStatus::Alarm;
                c.name.clone()
            }
            None => site.to_owned(),
        };
        let title = match by {
            // The kind ("one-click alarm") is in the source; the UI words it.
            Some(who) => format!("{name} ({who})"),
            None => name,
        };
        let source = AlertSource::Alarm {
            site: site.to_owned(),
        };
        let id = format!("alarm:{site}:{at}");
        Alert::raised(
            &id,
            source,
            AlertSeverity::Critical,
            &title,
            lonlat,
            at,
            origin.to_string(),
        )
    }

    fn rings_changed(&mut self, notices: &mut Vec<Notice>) {
        self.rebuild_ring_shapes();
        self.recompute_ring_membership(notices);
    }

    fn load_site(&mut self, site: &Site) {
        // Statuses set since an earlier load survive a reload.
        let old = std::mem::take(&mut self.state.checkpoints);
        self.state.site_name.clone_from(&site.name);
        self.state.checkpoints = site
            .checkpoints
            .iter()
            .map(|c| {
                let mut c = c.clone();
                if let Some(prev) = old.get(&c.id) {
                    c.status = prev.status;
                }
                (c.id.clone(), c)
            })
            .collect();
        // Rings drawn on demand stay; configured ones are replaced.
        self.state
            .rings
            .retain(|_, r| r.level == crate::model::RingLevel::Emergency);
        for r in &site.rings {
            self.state.rings.insert(r.id.clone(), r.clone());
        }
        self.state.grid = site
            .grid
            .iter()
            .map(|g| (g.id.clone(), g.clone()))
            .collect();
        self.state.cameras = site
            .cameras
            .iter()
            .map(|c| (c.id.clone(), c.clone()))
            .collect();
        self.rebuild_ring_shapes();
    }

    fn report_unit(&mut self, report: &UnitReport, at: UnixMicros, notices: &mut Vec<Notice>) {
        let inside = self.rings_containing(report.lonlat);
        let unit = self
            .state
            .units
            .entry(report.id.clone())
            .or_insert_with(|| Unit {
                id: report.id.clone(),
                callsign: report.id.clone(),
                kind: report.kind,
                status: UnitStatus::Available,
                lonlat: report.lonlat,
                heading_deg: None,
                speed_mps: None,
                ce_m: report.ce_m,
                reported_at: at,
                stale_at: report.stale_at,
                trail: VecDeque::new(),
                inside_rings: inside.clone(),
                assignment: None,
            });
        if let Some(callsign) = &report.callsign {
            unit.callsign.clone_from(callsign);
        }
        unit.kind = report.kind;
        unit.lonlat = report.lonlat;
        unit.heading_deg = report.heading_deg;
        unit.speed_mps = report.speed_mps;
        unit.ce_m = report.ce_m;
        unit.reported_at = at;
        unit.stale_at = report.stale_at;
        unit.trail.push_back(TrailPoint {
            at,
            lonlat: report.lonlat,
        });
        while unit.trail.len() > TRAIL_POINTS {
            unit.trail.pop_front();
        }
        if unit.inside_rings != inside {
            for r in inside.iter().filter(|r| !unit.inside_rings.contains(r)) {
                notices.push(Notice::RingEntered {
                    ring: r.clone(),
                    unit: unit.id.clone(),
                });
            }
            for r in unit.inside_rings.iter().filter(|r| !inside.contains(r)) {
                notices.push(Notice::RingExited {
                    ring: r.clone(),
                    unit: unit.id.clone(),
                });
            }
            unit.inside_rings = inside;
        }
        let available = unit.status.is_dispatchable();
        self.index.upsert(&report.id, report.lonlat, available);
    }

    fn recompute_ring_membership(&mut self, notices: &mut Vec<Notice>) {
        let ids: Vec<(String, LonLat)> = self
            .state
            .units
            .values()
            .map(|u| (u.id.clone(), u.lonlat))
            .collect();
        for (id, lonlat) in ids {
            let inside = self.rings_containing(lonlat);
            let Some(unit) = self.state.units.get_mut(&id) else {
                continue;
            };
            for r in inside.iter().filter(|r| !unit.inside_rings.contains(r)) {
                notices.push(Notice::RingEntered {
                    ring: r.clone(),
                    unit: id.clone(),
                });
            }
            for r in unit.inside_rings.iter().filter(|r| !inside.contains(r)) {
                notices.push(Notice::RingExited {
                    ring: r.clone(),
                    unit: id.clone(),
                });
            }
            unit.inside_rings = inside;
        }
    }

    fn raise(&mut self, alert: Alert, notices: &mut Vec<Notice>) -> Result<(), Refusal> {
        if self.state.alerts.contains_key(&alert.id) {
            return Err(Refusal::AlertExists(alert.id));
        }
        notices.push(Notice::AlertRaised {
            id: alert.id.clone(),
            severity: alert.severity,
        });
        self.state.alerts.insert(alert.id.clone(), alert);
        Ok(())
    }

    fn set_alert_state(
        &mut self,
        id: &str,
        state: AlertState,
        by: &str,
        at: UnixMicros,
    ) -> Result<(), Refusal> {
        let alert = self
            .state
            .alerts
            .get_mut(id)
            .ok_or_else(|| Refusal::NoAlert(id.to_owned()))?;
        if alert.state == AlertState::Resolved {
            return Err(Refusal::AlreadyResolved(id.to_owned()));
        }
        alert.state = state;
        alert.history.push(AlertStep {
            state,
            at,
            by: by.to_owned(),
        });
        if state == AlertState::Resolved {
            // Units on the job become available again.
            let units = alert.units.clone();
            for u in units {
                if let Some(unit) = self.state.units.get_mut(&u)
                    && unit.assignment.as_deref() == Some(id)
                {
                    unit.assignment = None;
                    unit.status = UnitStatus::Available;
                    self.index.upsert(&u, unit.lonlat, true);
                }
            }
        }
        Ok(())
    }

    fn dispatch(
        &mut self,
        alert_id: &str,
        units: &[String],
        by: &str,
        at: UnixMicros,
    ) -> Result<(), Refusal> {
        let alert = self
            .state
            .alerts
            .get_mut(alert_id)
            .ok_or_else(|| Refusal::NoAlert(alert_id.to_owned()))?;
        if !alert.state.is_open() {
            return Err(Refusal::Resolved(alert_id.to_owned()));
        }
        if let Some(missing) = units.iter().find(|u| !self.state.units.contains_key(*u)) {
            return Err(Refusal::NoUnit(missing.clone()));
        }
        if alert.state < AlertState::Dispatched {
            alert.state = AlertState::Dispatched;
        }
        alert.history.push(AlertStep {
            state: AlertState::Dispatched,
            at,
            by: by.to_owned(),
        });
        for u in units {
            if !alert.units.contains(u) {
                alert.units.push(u.clone());
            }
            if let Some(unit) = self.state.units.get_mut(u) {
                unit.status = UnitStatus::EnRoute;
                unit.assignment = Some(alert_id.to_owned());
                self.index.upsert(u, unit.lonlat, false);
            }
        }
        Ok(())
    }

    fn on_scene(&mut self, unit_id: &str, alert_id: &str, at: UnixMicros) -> Result<(), Refusal> {
        let unit = self
            .state
            .units
            .get_mut(unit_id)
            .ok_or_else(|| Refusal::NoUnit(unit_id.to_owned()))?;
        let alert = self
            .state
            .alerts
            .get_mut(alert_id)
            .ok_or_else(|| Refusal::NoAlert(alert_id.to_owned()))?;
        unit.status = UnitStatus::OnScene;
        unit.assignment = Some(alert_id.to_owned());
        self.index.upsert(unit_id, unit.lonlat, false);
        if !alert.units.iter().any(|u| u == unit_id) {
            alert.units.push(unit_id.to_owned());
        }
        if alert.state < AlertState::OnScene {
            alert.state = AlertState::OnScene;
            alert.history.push(AlertStep {
                state: AlertState::OnScene,
                at,
                by: unit.callsign.clone(),
            });
        }
        Ok(())
    }

    /// En-route units now within `radius_m` of the open alert they were sent
    /// to, as `(unit, alert)`: the console turns each into a `UnitOnScene`
    /// event (a geofence arrival; the response timer stops).
    pub fn arrivals(&self, radius_m: f64) -> Vec<(String, String)> {
        self.state
            .units
            .values()
            .filter(|u| u.status == UnitStatus::EnRoute)
            .filter_map(|u| {
                let alert = self.state.alerts.get(u.assignment.as_deref()?)?;
                (alert.state.is_open() && self.frame.distance_m(u.lonlat, alert.lonlat) <= radius_m)
                    .then(|| (u.id.clone(), alert.id.clone()))
            })
            .collect()
    }

    /// Everything within `radius_m` of `lonlat`, nearest first (what is under
    /// the cursor).
    pub fn hit_test(&self, lonlat: LonLat, radius_m: f64) -> Vec<Hit> {
        let f = &self.frame;
        let near = |p: LonLat| {
            let d = f.distance_m(p, lonlat);
            (d <= radius_m).then_some(d)
        };
        let mut hits: Vec<Hit> = self
            .index
            .within_radius(lonlat, radius_m)
            .into_iter()
            .map(|(id, d)| Hit {
                kind: EntityKind::Unit,
                id: id.to_string(),
                distance_m: d,
            })
            .collect();
        let mut add = |kind, id: String, p: LonLat| {
            if let Some(distance_m) = near(p) {
                hits.push(Hit {
                    kind,
                    id,
                    distance_m,
                });
            }
        };
        for a in self.state.alerts.values().filter(|a| a.state.is_open()) {
            add(EntityKind::Alert, a.id.clone(), a.lonlat);
        }
        for d in self.state.drones.values() {
            if let Some(p) = d.lonlat {
                add(EntityKind::Drone, d.system_id.to_string(), p);
            }
        }
        for c in self.state.checkpoints.values() {
            add(EntityKind::Checkpoint, c.id.clone(), c.lonlat);
        }
        for c in self.state.cameras.values() {
            add(EntityKind::Camera, c.id.clone(), c.lonlat);
        }
        hits.sort_by(|a, b| {
            a.distance_m
                .total_cmp(&b.distance_m)
                .then(a.kind.cmp(&b.kind))
        });
        hits
    }

    /// Everything inside a lon/lat polygon (a zone, a ring).
    pub fn inside(&self, polygon: &geo::Polygon<f64>) -> Vec<Hit> {
        let hit = |kind, id: String| Hit {
            kind,
            id,
            distance_m: 0.0,
        };
        let contains = |p: LonLat| polygon.contains(&geo::Point::new(p[0], p[1]));
        let mut hits: Vec<Hit> = self
            .index
            .in_polygon(polygon)
            .into_iter()
            .map(|id| hit(EntityKind::Unit, id.to_string()))
            .collect();
        hits.extend(
            self.state
                .alerts
                .values()
                .filter(|a| a.state.is_open() && contains(a.lonlat))
                .map(|a| hit(EntityKind::Alert, a.id.clone())),
        );
        hits.extend(
            self.state
                .drones
                .values()
                .filter(|d| d.lonlat.is_some_and(contains))
                .map(|d| hit(EntityKind::Drone, d.system_id.to_string())),
        );
        hits.extend(
            self.state
                .checkpoints
                .values()
                .filter(|c| contains(c.lonlat))
                .map(|c| hit(EntityKind::Checkpoint, c.id.clone())),
        );
        hits.extend(
            self.state
                .cameras
                .values()
                .filter(|c| contains(c.lonlat))
                .map(|c| hit(EntityKind::Camera, c.id.clone())),
        );
        hits.sort_by(|a, b| a.kind.cmp(&b.kind).then_with(|| a.id.cmp(&b.id)));
        hits
    }

    /// Everything inside a ring, by ring id.
    pub fn inside_ring(&self, ring: &str) -> Option<Vec<Hit>> {
        self.ring_shapes.get(ring).map(|(p, _)| self.inside(p))
    }

    /// Units and open alerts per grid cell.
    pub fn grid_counts(&self) -> Vec<CellCount> {
        self.state
            .grid
            .values()
            .map(|cell| {
                let polygon = polygon_of(&cell.polygon);
                let units = self.index.in_polygon(&polygon);
                let available = units
                    .iter()
                    .filter(|id| {
                        self.state
                            .units
                            .get(&***id)
                            .is_some_and(|u| u.status.is_dispatchable())
                    })
                    .count();
                let open_alerts = self
                    .state
                    .alerts
                    .values()
                    .filter(|a| {
                        a.state.is_open()
                            && polygon.contains(&geo::Point::new(a.lonlat[0], a.lonlat[1]))
                    })
                    .count();
                CellCount {
                    cell: cell.id.clone(),
                    units: units.len(),
                    available,
                    open_alerts,
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::Origin;
    use crate::model::{RingLevel, UnitKind};

    const ORIGIN: LonLat = [71.43, 51.13];

    fn at(east_m: f64, north_m: f64) -> LonLat {
        LocalFrame::new(ORIGIN).lonlat([east_m, north_m])
    }

    fn env(t: i64, event: Event) -> Envelope {
        Envelope {
            at: t * 1_000_000,
            origin: Origin::Operator("op".into()),
            event,
        }
    }

    fn report(id: &str, p: LonLat) -> Event {
        Event::UnitReported(UnitReport {
            id: id.into(),
            callsign: Some(id.to_uppercase()),
            kind: UnitKind::Car,
            lonlat: p,
            ce_m: 5.0,
            heading_deg: None,
            speed_mps: None,
            stale_at: i64::MAX,
        })
    }

    fn square_ring(id: &str, half_m: f64) -> Ring {
        Ring {
            id: id.into(),
            name: id.into(),
            level: RingLevel::Inner,
            polygon: vec![
                at(-half_m, -half_m),
                at(half_m, -half_m),
                at(half_m, half_m),
                at(-half_m, half_m),
            ],
        }
    }

    #[test]
    fn units_entering_and_leaving_a_ring_are_noticed() {
        let mut w = World::new(ORIGIN);
        w.apply(&env(0, Event::RingDrawn(square_ring("inner", 1000.0))));
        assert!(w.apply(&env(1, report("u1", at(-2000.0, 0.0)))).is_empty());
        let n = w.apply(&env(2, report("u1", at(-500.0, 0.0))));
        assert_eq!(
            n,
            [Notice::RingEntered {
                ring: "inner".into(),
                unit: "u1".into()
            }]
        );
        assert!(
            w.apply(&env(3, report("u1", at(0.0, 0.0)))).is_empty(),
            "still inside"
        );
        let n = w.apply(&env(4, report("u1", at(1500.0, 0.0))));
        assert_eq!(
            n,
            [Notice::RingExited {
                ring: "inner".into(),
                unit: "u1".into()
            }]
        );
        // A ring drawn around a unit is entered at once.
        let n = w.apply(&env(
            5,
            Event::RingDrawn(Ring::circle(
                "em-1",
                "Emergency",
                at(1500.0, 0.0),
                300.0,
                w.frame(),
            )),
        ));
        assert_eq!(
            n,
            [Notice::RingEntered {
                ring: "em-1".into(),
                unit: "u1".into()
            }]
        );
        assert_eq!(w.inside_ring("em-1").expect("ring").len(), 1);
        let n = w.apply(&env(6, Event::RingRemoved { id: "em-1".into() }));
        assert_eq!(
            n,
            [Notice::RingExited {
                ring: "em-1".into(),
                unit: "u1".into()
            }]
        );
    }

    #[test]
    #[expect(clippy::too_many_lines, reason = "one lifecycle, start to end")]
    fn alert_lifecycle_records_who_and_when_and_times_the_response() {
        let mut w = World::new(ORIGIN);
        w.apply(&env(0, report("u1", at(100.0, 0.0))));
        w.apply(&env(0, report("u2", at(200.0, 0.0))));
        let n = w.apply(&env(
            10,
            Event::AlarmPressed {
                site: "compound-7".into(),
                lonlat: at(0.0, 0.0),
                by: None,
            },
        ));
        let id = "alarm:compound-7:10000000";
        assert_eq!(
            n,
            [Notice::AlertRaised {
                id: id.into(),
                severity: AlertSeverity::Critical
            }]
        );
        w.apply(&env(
            12,
            Event::AlertStateSet {
                id: id.into(),
                state: AlertState::Acknowledged,
                by: "Aigerim".into(),
            },
        ));
        w.apply(&env(
            20,
            Event::Dispatched {
                alert: id.into(),
                units: vec!["u1".into()],
                by: "Aigerim".into(),
                etas_s: vec![30.0],
            },
        ));
        let s = w.state();
        assert_eq!(s.units["u1"].status, UnitStatus::EnRoute);
        assert_eq!(
            s.alerts[id].response_us(50_000_000),
            Some(30_000_000),
            "timer runs from dispatch"
        );
        assert_eq!(
            w.index().nearest_available(at(0.0, 0.0), 1)[0].0.as_ref(),
            "u2",
            "u1 is busy"
        );
        w.apply(&env(
            95,
            Event::UnitOnScene {
                unit: "u1".into(),
                alert: id.into(),
            },
        ));
        let a = &w.state().alerts[id];
        assert_eq!(a.state, AlertState::OnScene);
        assert_eq!(
            a.response_us(1_000_000_000),
            Some(75_000_000),
            "timer stopped on scene"
        );
        let steps: Vec<(AlertState, &str)> =
            a.history.iter().map(|s| (s.state, s.by.as_str())).collect();
        assert_eq!(
            steps[1..],
            [
                (AlertState::Acknowledged, "Aigerim"),
                (AlertState::Dispatched, "Aigerim"),
                (AlertState::OnScene, "U1")
            ]
        );
        w.apply(&env(
            300,
            Event::AlertStateSet {
                id: id.into(),
                state: AlertState::Resolved,
                by: "Aigerim".into(),
            },
        ));
        assert_eq!(
            w.state().units["u1"].status,
            UnitStatus::Available,
            "freed on resolve"
        );
        let refused = w.apply(&env(
            301,
            Event::Dispatched {
                alert: id.into(),
                units: vec!["u2".into()],
                by: "x".into(),
                etas_s: vec![],
            },
        ));
        assert!(matches!(
            &refused[..],
            [Notice::Refused(Refusal::Resolved(_))]
        ));
        let refused = w.apply(&env(
            302,
            Event::UnitStatusSet {
                id: "nobody".into(),
                status: UnitStatus::OffDuty,
            },
        ));
        assert!(matches!(&refused[..], [Notice::Refused(Refusal::NoUnit(id))] if id == "nobody"));
    }

    #[test]
    fn en_route_units_arrive_by_geofence() {
        let mut w = World::new(ORIGIN);
        w.apply(&env(0, report("u1", at(900.0, 0.0))));
        w.apply(&env(0, report("u2", at(40.0, 0.0))));
        w.apply(&env(
            1,
            Event::AlarmPressed {
                site: "s".into(),
                lonlat: ORIGIN,
                by: None,
            },
        ));
        let id = "alarm:s:1000000";
        assert!(w.arrivals(50.0).is_empty(), "nobody is en route");
        w.apply(&env(
            2,
            Event::Dispatched {
                alert: id.into(),
                units: vec!["u1".into()],
                by: "op".into(),
                etas_s: vec![60.0],
            },
        ));
        assert!(
            w.arrivals(50.0).is_empty(),
            "u2 is near but was not sent; u1 is far"
        );
        w.apply(&env(60, report("u1", at(30.0, 10.0))));
        assert_eq!(w.arrivals(50.0), [("u1".to_owned(), id.to_owned())]);
        w.apply(&env(
            60,
            Event::UnitOnScene {
                unit: "u1".into(),
                alert: id.into(),
            },
        ));
        assert!(w.arrivals(50.0).is_empty(), "on scene now");
    }

    #[test]
    fn hit_tests_area_queries_and_grid_counts() {
        let mut w = World::new(ORIGIN);
        let mut site = Site {
            name: "t".into(),
            origin: ORIGIN,
            ..Site::default()
        };
        site.grid.push(crate::model::GridCell {
            id: "G-1".into(),
            responsible: None,
            polygon: vec![
                at(0.0, 0.0),
                at(1000.0, 0.0),
                at(1000.0, 1000.0),
                at(0.0, 1000.0),
            ],
        });
        w.apply(&env(0, Event::SiteLoaded(Box::new(site))));
        w.apply(&env(1, report("u1", at(10.0, 10.0))));
        w.apply(&env(1, report("u2", at(500.0, 500.0))));
        w.apply(&env(1, report("u3", at(-500.0, 500.0))));
        w.apply(&env(
            1,
            Event::UnitStatusSet {
                id: "u2".into(),
                status: UnitStatus::OffDuty,
            },
        ));
        w.apply(&env(
            2,
            Event::AlertRaised {
                id: "A1".into(),
                source: AlertSource::Operator,
                severity: AlertSeverity::High,
                title: "t".into(),
                lonlat: at(20.0, 10.0),
            },
        ));
        let hits = w.hit_test(at(12.0, 10.0), 30.0);
        assert_eq!(
            hits.iter()
                .map(|h| (h.kind, h.id.as_str()))
                .collect::<Vec<_>>(),
            [(EntityKind::Unit, "u1"), (EntityKind::Alert, "A1")]
        );
        assert_eq!(
            w.grid_counts(),
            [CellCount {
                cell: "G-1".into(),
                units: 2,
                available: 1,
                open_alerts: 1
            }]
        );
    }
}
