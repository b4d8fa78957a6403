//! Simulated patrol units: each drives (or walks) along shortest paths on
//! the real road network to random destinations, and reports itself in CoT.

use watchfloor_layers::feeds::cot::{CotEvent, CotPoint};
use watchfloor_layers::frame::{LocalFrame, bearing_deg};
use watchfloor_layers::model::UnitKind;
use watchfloor_layers::roads::RoadGraph;

/// Seconds a report stays valid (TAK clients use 30 s to a few minutes).
const STALE_AFTER_S: i64 = 30;

/// One simulated unit.
#[derive(Debug)]
pub struct SimUnit {
    /// CoT uid.
    pub uid: String,
    /// Callsign.
    pub callsign: String,
    /// What it is.
    pub kind: UnitKind,
    /// Its cruising speed, m/s.
    speed_mps: f64,
    /// The current route, metric points, and how far along it we are.
    route: Vec<[f64; 2]>,
    along_m: f64,
    /// Parked until this time (s) after arriving.
    parked_until_s: f64,
    /// Reports over TCP (like a TAK client on a server) rather than UDP.
    pub over_tcp: bool,
    /// Where a unit on post at a checkpoint walks (nodes near it); empty
    /// for a roaming patrol.
    pub post: Vec<[f64; 2]>,
}

impl SimUnit {
    /// A unit parked at `start` (metric).
    pub fn new(index: usize, kind: UnitKind, start: [f64; 2], rng: &mut fastrand::Rng) -> Self {
        let (prefix, speed) = match kind {
            UnitKind::Car => ("P", 9.0 + rng.f64() * 4.0),
            UnitKind::Motorbike => ("M", 10.0 + rng.f64() * 4.0),
            UnitKind::Foot => ("F", 1.2 + rng.f64() * 0.4),
            UnitKind::Robot => ("R", 0.9 + rng.f64() * 0.3),
        };
        Self {
            uid: format!("WF-SIM-{prefix}{index:02}"),
            callsign: format!("{prefix}-{index:02}"),
            kind,
            speed_mps: speed,
            route: vec![start],
            along_m: 0.0,
            parked_until_s: 0.0,
            over_tcp: matches!(kind, UnitKind::Foot | UnitKind::Robot),
            post: Vec::new(),
        }
    }

    /// Where it is now (metric) and its heading.
    pub fn position(&self) -> ([f64; 2], f64) {
        let mut left = self.along_m;
        for pair in self.route.windows(2) {
            let length = (pair[1][0] - pair[0][0]).hypot(pair[1][1] - pair[0][1]);
            if left <= length && length > 0.0 {
                let t = left / length;
                let p = [
                    pair[0][0] + (pair[1][0] - pair[0][0]) * t,
                    pair[0][1] + (pair[1][1] - pair[0][1]) * t,
                ];
                return (p, bearing_deg(pair[0], pair[1]));
            }
            left -= length;
        }
        let last = self.route.last().copied().unwrap_or_default();
        let heading = self
            .route
            .windows(2)
            .last()
            .map_or(0.0, |p| bearing_deg(p[0], p[1]));
        (last, heading)
    }

    fn route_length(&self) -> f64 {
        self.route
            .windows(2)
            .map(|p| (p[1][0] - p[0][0]).hypot(p[1][1] - p[0][1]))
            .sum()
    }

    /// Whether it is moving now.
    pub fn moving(&self, now_s: f64) -> bool {
        now_s >= self.parked_until_s && self.along_m < self.route_length()
    }

    /// Moves `dt` seconds along; at the end of a route, parks a while and
    /// picks a new destination `reach_m` to `2 × reach_m` away.
    pub fn advance(
        &mut self,
        now_s: f64,
        dt: f64,
        graph: &RoadGraph,
        targets: &[[f64; 2]],
        rng: &mut fastrand::Rng,
    ) {
        if now_s < self.parked_until_s {
            return;
        }
        if self.along_m < self.route_length() {
            self.along_m += self.speed_mps * dt;
            if self.along_m >= self.route_length() {
                self.parked_until_s = now_s + 5.0 + rng.f64() * 40.0;
            }
            return;
        }
        // Pick a destination in reach and route to it.
        let (here, _) = self.position();
        let reach = match self.kind {
            UnitKind::Car | UnitKind::Motorbike => 2500.0,
            UnitKind::Foot | UnitKind::Robot => 400.0,
        };
        let frame = graph.frame();
        for _ in 0..20 {
            let Some(&to) = targets.get(rng.usize(..targets.len().max(1))) else {
                return;
            };
            let d = (to[0] - here[0]).hypot(to[1] - here[1]);
            let nearest = if reach < 500.0 { 50.0 } else { reach };
            if !(nearest..reach * 2.0).contains(&d) {
                continue;
            }
            if let Some(path) = graph.path(
                frame.lonlat(here),
                frame.lonlat(to),
                self.kind.travel_mode(),
            ) {
                let mut route = vec![here];
                route.extend(path.iter().map(|&p| frame.xy(p)));
                if route.len() >= 2 {
                    self.route = route;
                    self.along_m = 0.0;
                    return;
                }
            }
        }
    }

    /// Its CoT position report at `now`.
    pub fn report(
        &self,
        frame: &LocalFrame,
        now: chrono::DateTime<chrono::Utc>,
        now_s: f64,
    ) -> CotEvent {
        let (xy, heading) = self.position();
        let lonlat = frame.lonlat(xy);
        CotEvent {
            uid: self.uid.clone(),
            kind: self.kind.cot_type().to_owned(),
            how: Some("m-g".into()),
            time: now,
            start: now,
            stale: now + chrono::Duration::seconds(STALE_AFTER_S),
            point: CotPoint {
                lat: lonlat[1],
                lon: lonlat[0],
                hae: 350.0,
                ce: 4.0,
                le: 9_999_999.0,
            },
            callsign: Some(self.callsign.clone()),
            course_deg: Some(heading),
            speed_mps: Some(if self.moving(now_s) {
                self.speed_mps
            } else {
                0.0
            }),
            emergency: None,
            group: None,
        }
    }
}
