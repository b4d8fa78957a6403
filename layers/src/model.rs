//! The things on the map. Plain data (serde, `PartialEq`), so a world state
//! can be snapshotted, journaled and compared; behaviour lives in
//! [`crate::world`].

use std::collections::VecDeque;

use serde::{Deserialize, Serialize};

use crate::feeds::mavlink::DroneTelemetry;
use crate::frame::LocalFrame;
use crate::roads::{TravelMode, WALK_MPS};
use crate::status::{AlertSeverity, AlertState, UnitStatus};

/// Microseconds since the Unix epoch, UTC: the one time type of the world.
pub type UnixMicros = i64;

/// Lon/lat degrees (WGS-84).
pub type LonLat = [f64; 2];

/// Points kept in a unit's trail.
pub const TRAIL_POINTS: usize = 30;

/// A drone's link counts as lost after this long without a frame.
pub const DRONE_LINK_TIMEOUT_US: UnixMicros = 3_000_000;

/// A checkpoint: a fixed post on a ring road, or a mobile one for a time window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Checkpoint {
    /// Stable id from the site file.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Fixed or mobile.
    pub kind: CheckpointKind,
    /// Where.
    pub lonlat: LonLat,
    /// Lanes controlled.
    pub lanes: u8,
    /// Ids of the cameras that watch it.
    pub cameras: Vec<String>,
    /// Id of the control ring it sits on, if any.
    pub ring: Option<String>,
    /// Current status.
    pub status: CheckpointStatus,
}

impl Checkpoint {
    /// Whether it is manned at `now` (mobile ones only in their window).
    pub fn is_active(&self, now: UnixMicros) -> bool {
        match self.kind {
            CheckpointKind::Fixed => true,
            CheckpointKind::Mobile { from, until } => (from..until).contains(&now),
        }
    }
}

/// Fixed or mobile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CheckpointKind {
    /// Always there.
    Fixed,
    /// Set up for a time window.
    Mobile {
        /// Start of the window.
        from: UnixMicros,
        /// End of the window.
        until: UnixMicros,
    },
}

/// A checkpoint's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum CheckpointStatus {
    /// Its alarm button was pressed.
    Alarm,
    /// Checking traffic.
    Operating,
    /// Not checking (closed, or outside its window).
    Closed,
}

/// Which control ring a polygon is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum RingLevel {
    /// At the city boundary.
    Outer,
    /// Around the centre.
    Inner,
    /// Drawn on demand around an incident.
    Emergency,
}

/// A control ring: a closed polygon whose crossings matter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ring {
    /// Stable id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Outer, inner or emergency.
    pub level: RingLevel,
    /// Exterior, lon/lat, first point not repeated.
    pub polygon: Vec<LonLat>,
}

impl Ring {
    /// A circle of `radius_m` around `centre` (32 vertices), for rings drawn
    /// around an incident on demand.
    pub fn circle(id: &str, name: &str, centre: LonLat, radius_m: f64, frame: &LocalFrame) -> Self {
        let polygon = (0..32)
            .map(|i| frame.offset(centre, f64::from(i) * 360.0 / 32.0, radius_m))
            .collect();
        Self {
            id: id.to_owned(),
            name: name.to_owned(),
            level: RingLevel::Emergency,
            polygon,
        }
    }

    /// As a `geo` polygon.
    pub fn to_polygon(&self) -> geo::Polygon<f64> {
        polygon_of(&self.polygon)
    }

    /// Whether `lonlat` is inside the ring.
    pub fn contains(&self, lonlat: LonLat) -> bool {
        use geo::Contains as _;
        self.to_polygon()
            .contains(&geo::Point::new(lonlat[0], lonlat[1]))
    }
}

/// A `geo` polygon from a lon/lat exterior.
pub fn polygon_of(exterior: &[LonLat]) -> geo::Polygon<f64> {
    geo::Polygon::new(
        exterior
            .iter()
            .map(|p| (p[0], p[1]))
            .collect::<Vec<_>>()
            .into(),
        Vec::new(),
    )
}

/// A grid cell: the unit of grid management, with its responsible staff.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GridCell {
    /// Stable id, e.g. `G-03-11`.
    pub id: String,
    /// Who answers for it.
    pub responsible: Option<String>,
    /// Exterior, lon/lat.
    pub polygon: Vec<LonLat>,
}

/// A camera's place on the map.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CameraSite {
    /// Same id as in the camera configuration.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Where.
    pub lonlat: LonLat,
    /// Where it looks, degrees clockwise from north.
    pub heading_deg: f64,
    /// Horizontal field of view, degrees.
    pub fov_deg: f64,
    /// How far it usefully sees, metres (for the view cone).
    pub range_m: f64,
    /// Stream URL (credentials redacted where shown).
    pub stream: Option<String>,
}

/// What a patrol unit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum UnitKind {
    /// Patrol car.
    Car,
    /// Motorbike.
    Motorbike,
    /// Officers on foot.
    Foot,
    /// Ground robot.
    Robot,
}

impl UnitKind {
    /// How it moves on the road network.
    pub fn travel_mode(self) -> TravelMode {
        match self {
            Self::Car => TravelMode::CAR,
            Self::Motorbike => TravelMode::Drive { factor: 1.1 },
            Self::Foot => TravelMode::Walk {
                speed_mps: WALK_MPS,
            },
            Self::Robot => TravelMode::Walk { speed_mps: 1.0 },
        }
    }

    /// The kind a CoT type denotes, by TAK convention: `a-f-G-E-V-C`
    /// (vehicle, civilian/car), `…-E-V-C-M` motorbike, `…-E-S`/`…-E-R`
    /// (equipment: sensor, robot) robot, otherwise ground units are foot.
    pub fn from_cot_type(kind: &str) -> Self {
        let ground = kind.split('-').skip(2).collect::<Vec<_>>().join("-");
        if ground.starts_with("G-E-V-C-M") || ground.starts_with("G-E-V-M") {
            Self::Motorbike
        } else if ground.starts_with("G-E-V") {
            Self::Car
        } else if ground.starts_with("G-E-S") || ground.starts_with("G-E-R") {
            Self::Robot
        } else {
            Self::Foot
        }
    }

    /// The CoT type we send for this kind (friendly ground).
    pub fn cot_type(self) -> &'static str {
        match self {
            Self::Car => "a-f-G-E-V-C",
            Self::Motorbike => "a-f-G-E-V-C-M",
            Self::Foot => "a-f-G-U-C-I",
            Self::Robot => "a-f-G-E-S",
        }
    }
}

/// One point of a trail.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TrailPoint {
    /// When.
    pub at: UnixMicros,
    /// Where.
    pub lonlat: LonLat,
}

/// A patrol unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Unit {
    /// Feed uid (CoT `uid`).
    pub id: String,
    /// Radio callsign.
    pub callsign: String,
    /// Car, motorbike, foot or robot.
    pub kind: UnitKind,
    /// Availability.
    pub status: UnitStatus,
    /// Last position.
    pub lonlat: LonLat,
    /// Course over ground, degrees, if known.
    pub heading_deg: Option<f64>,
    /// Speed, m/s, if known.
    pub speed_mps: Option<f64>,
    /// Horizontal error, metres.
    pub ce_m: f64,
    /// Time of the last report.
    pub reported_at: UnixMicros,
    /// When the last report goes stale (greyed out after).
    pub stale_at: UnixMicros,
    /// Recent positions, oldest first.
    pub trail: VecDeque<TrailPoint>,
    /// Ids of the rings it is inside.
    pub inside_rings: Vec<String>,
    /// The alert it is assigned to.
    pub assignment: Option<String>,
}

impl Unit {
    /// Whether its last report is stale at `now`.
    pub fn is_stale(&self, now: UnixMicros) -> bool {
        now >= self.stale_at
    }
}

/// A drone, as its telemetry describes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Drone {
    /// MAVLink system id.
    pub system_id: u32,
    /// Display name.
    pub name: String,
    /// Last position, if any.
    pub lonlat: Option<LonLat>,
    /// Altitude above mean sea level, metres.
    pub alt_msl_m: f64,
    /// Altitude above home, metres.
    pub alt_rel_m: f64,
    /// Heading, degrees.
    pub heading_deg: f64,
    /// Ground speed, m/s.
    pub ground_speed_mps: f64,
    /// Attitude, degrees: roll, pitch, yaw.
    pub attitude_deg: [f64; 3],
    /// Battery, percent, if known.
    pub battery_pct: Option<u8>,
    /// Battery, volts, if known.
    pub battery_v: Option<f64>,
    /// Gimbal pitch (negative = down) and yaw relative to the nose, degrees.
    pub gimbal_deg: [f64; 2],
    /// Motors armed.
    pub armed: bool,
    /// Autopilot state text.
    pub state: String,
    /// Home (launch) point.
    pub home: Option<LonLat>,
    /// Planned path.
    pub planned_path: Vec<LonLat>,
    /// Video stream URL, if it has one.
    pub stream: Option<String>,
    /// Time of the last frame.
    pub last_seen: UnixMicros,
    /// Set by a link-loss event, cleared by the next frame.
    pub link_lost: bool,
    /// Camera horizontal and vertical field of view, degrees.
    pub camera_fov_deg: [f64; 2],
}

impl Drone {
    /// A drone first heard of at `now`.
    pub fn new(system_id: u32, now: UnixMicros) -> Self {
        Self {
            system_id,
            name: format!("UAV-{system_id}"),
            lonlat: None,
            alt_msl_m: 0.0,
            alt_rel_m: 0.0,
            heading_deg: 0.0,
            ground_speed_mps: 0.0,
            attitude_deg: [0.0; 3],
            battery_pct: None,
            battery_v: None,
            gimbal_deg: [-90.0, 0.0],
            armed: false,
            state: String::new(),
            home: None,
            planned_path: Vec::new(),
            stream: None,
            last_seen: now,
            link_lost: false,
            camera_fov_deg: [70.0, 45.0],
        }
    }

    /// Applies one telemetry frame.
    pub fn apply(&mut self, telemetry: &DroneTelemetry, at: UnixMicros) {
        self.last_seen = at;
        self.link_lost = false;
        match telemetry {
            DroneTelemetry::Heartbeat { armed, state } => {
                self.armed = *armed;
                self.state.clone_from(state);
            }
            DroneTelemetry::Position {
                lat_deg,
                lon_deg,
                alt_msl_m,
                alt_rel_m,
                heading_deg,
                ground_speed_mps,
            } => {
                self.lonlat = Some([*lon_deg, *lat_deg]);
                self.alt_msl_m = *alt_msl_m;
                self.alt_rel_m = *alt_rel_m;
                if let Some(h) = heading_deg {
                    self.heading_deg = *h;
                }
                self.ground_speed_mps = *ground_speed_mps;
                if self.home.is_none() {
                    self.home = self.lonlat;
                }
            }
            DroneTelemetry::Attitude {
                roll_deg,
                pitch_deg,
                yaw_deg,
            } => self.attitude_deg = [*roll_deg, *pitch_deg, *yaw_deg],
            DroneTelemetry::Battery {
                remaining_pct,
                voltage_v,
            } => {
                self.battery_pct = *remaining_pct;
                self.battery_v = *voltage_v;
            }
            DroneTelemetry::Gimbal { pitch_deg, yaw_deg } => {
                self.gimbal_deg = [*pitch_deg, *yaw_deg];
            }
        }
    }

    /// Whether the link is lost at `now` (an explicit event, or silence).
    pub fn is_link_lost(&self, now: UnixMicros) -> bool {
        self.link_lost || now - self.last_seen > DRONE_LINK_TIMEOUT_US
    }

    /// The camera's footprint on flat ground: the four corners where the
    /// frustum's edge rays meet the ground, lon/lat, clockwise from the near
    /// left. Rays at or above the horizon are cut at `max_range_m`.
    pub fn footprint(&self, frame: &LocalFrame, max_range_m: f64) -> Option<[LonLat; 4]> {
        let centre = self.lonlat?;
        let height = self.alt_rel_m;
        if height <= 0.5 {
            return None;
        }
        let yaw = (self.heading_deg + self.gimbal_deg[1]).to_radians();
        let pitch = self.gimbal_deg[0].to_radians();
        // Camera axes in east-north-up: forward, right, and image-up.
        let forward = [
            yaw.sin() * pitch.cos(),
            yaw.cos() * pitch.cos(),
            pitch.sin(),
        ];
        let right = [yaw.cos(), -yaw.sin(), 0.0];
        let up = [
            -yaw.sin() * pitch.sin(),
            -yaw.cos() * pitch.sin(),
            pitch.cos(),
        ];
        let (th, tv) = (
            (self.camera_fov_deg[0] / 2.0).to_radians().tan(),
            (self.camera_fov_deg[1] / 2.0).to_radians().tan(),
        );
        let origin = frame.xy(centre);
        let corner = |sr: f64, su: f64| {
            let d: [f64; 3] =
                std::array::from_fn(|i| forward[i] + sr * th * right[i] + su * tv * up[i]);
            let horizontal = d[0].hypot(d[1]).max(1e-9);
            // Where the ray meets the ground, or the range limit if it never does.
            let reach = if d[2] < -1e-3 {
                (height / -d[2] * horizontal).min(max_range_m)
            } else {
                max_range_m
            };
            frame.lonlat([
                origin[0] + d[0] / horizontal * reach,
                origin[1] + d[1] / horizontal * reach,
            ])
        };
        Some([
            corner(-1.0, -1.0), // near left
            corner(-1.0, 1.0),  // far left
            corner(1.0, 1.0),   // far right
            corner(1.0, -1.0),  // near right
        ])
    }
}

/// Where an alert came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum AlertSource {
    /// Automatic detection on a camera.
    Detection {
        /// Camera id.
        camera: String,
        /// Rule that fired, e.g. `person in closed zone`.
        rule: String,
    },
    /// A one-click alarm from a site (a residential compound, a checkpoint).
    Alarm {
        /// The site that pressed it.
        site: String,
    },
    /// Raised by an operator.
    Operator,
    /// A ring crossing that a rule turned into an alert.
    Ring {
        /// Ring id.
        ring: String,
    },
}

/// One step of an alert's lifecycle: who moved it where, and when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlertStep {
    /// The new state.
    pub state: AlertState,
    /// When.
    pub at: UnixMicros,
    /// Who (operator name, or the feed / system that did it).
    pub by: String,
}

/// An alert in the queue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Alert {
    /// Stable id.
    pub id: String,
    /// What raised it.
    pub source: AlertSource,
    /// How urgent.
    pub severity: AlertSeverity,
    /// One line saying what it is.
    pub title: String,
    /// Where.
    pub lonlat: LonLat,
    /// Where it is in its lifecycle.
    pub state: AlertState,
    /// Every step, first is `New`.
    pub history: Vec<AlertStep>,
    /// Units dispatched to it.
    pub units: Vec<String>,
}

impl Alert {
    /// A new alert, raised at `at` by `by`.
    pub fn raised(
        id: &str,
        source: AlertSource,
        severity: AlertSeverity,
        title: &str,
        lonlat: LonLat,
        at: UnixMicros,
        by: String,
    ) -> Self {
        Self {
            id: id.to_owned(),
            source,
            severity,
            title: title.to_owned(),
            lonlat,
            state: AlertState::New,
            history: vec![AlertStep {
                state: AlertState::New,
                at,
                by,
            }],
            units: Vec::new(),
        }
    }

    /// When it was raised.
    pub fn raised_at(&self) -> UnixMicros {
        self.history.first().map_or(0, |s| s.at)
    }

    /// When it first reached `state`, if it has.
    pub fn reached(&self, state: AlertState) -> Option<UnixMicros> {
        self.history.iter().find(|s| s.state == state).map(|s| s.at)
    }

    /// The response timer: from dispatch to the first unit on scene, or to
    /// `now` while still running. `None` before dispatch.
    pub fn response_us(&self, now: UnixMicros) -> Option<UnixMicros> {
        let dispatched = self.reached(AlertState::Dispatched)?;
        Some(self.reached(AlertState::OnScene).unwrap_or(now) - dispatched)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_emergency_ring_contains_its_centre_not_what_lies_outside() {
        let frame = LocalFrame::new([71.43, 51.13]);
        let ring = Ring::circle("e1", "Emergency", [71.43, 51.13], 100.0, &frame);
        assert!(ring.contains([71.43, 51.13]));
        assert!(ring.contains(frame.offset([71.43, 51.13], 45.0, 90.0)));
        assert!(!ring.contains(frame.offset([71.43, 51.13], 45.0, 110.0)));
    }

    #[test]
    fn cot_types_map_to_unit_kinds_both_ways() {
        for kind in [
            UnitKind::Car,
            UnitKind::Motorbike,
            UnitKind::Foot,
            UnitKind::Robot,
        ] {
            assert_eq!(UnitKind::from_cot_type(kind.cot_type()), kind);
        }
        assert_eq!(UnitKind::from_cot_type("a-f-G-U-C"), UnitKind::Foot);
    }

    #[test]
    fn a_drone_looking_straight_down_sees_a_rectangle_below_it() {
        let frame = LocalFrame::new([71.43, 51.13]);
        let mut drone = Drone::new(1, 0);
        drone.lonlat = Some([71.43, 51.13]);
        drone.alt_rel_m = 100.0;
        drone.gimbal_deg = [-90.0, 0.0];
        let corners = drone.footprint(&frame, 1000.0).expect("airborne");
        let xy: Vec<[f64; 2]> = corners.iter().map(|&c| frame.xy(c)).collect();
        // Half-widths: 100 m × tan(35°) across, 100 m × tan(22.5°) along.
        let across = 100.0 * 35.0_f64.to_radians().tan();
        let along = 100.0 * 22.5_f64.to_radians().tan();
        for p in &xy {
            assert!((p[0].abs() - across).abs() < 1.0, "{xy:?}");
            assert!((p[1].abs() - along).abs() < 1.0, "{xy:?}");
        }
        // Tilted forward (north) to 30° below the horizon the far edge is far ahead.
        drone.gimbal_deg = [-30.0, 0.0];
        let far = frame.xy(drone.footprint(&frame, 1000.0).expect("airborne")[1]);
        assert!(far[1] > 500.0, "{far:?}");
        drone.alt_rel_m = 0.0;
        assert!(
            drone.footprint(&frame, 1000.0).is_none(),
            "on the ground: no footprint"
        );
    }
}
