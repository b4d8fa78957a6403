//! The one event stream: every change to the world, whoever made it (a
//! feed, detection, the simulator, an operator), is an [`Envelope`] holding
//! an [`Event`]. The journal stores envelopes, replay applies them, and a
//! later bus carries them between consoles.
//!
//! The schema is versioned by [`SCHEMA_VERSION`]. Rules for changing it:
//! add variants at the end, never reorder or remove one, never change a
//! field's type; a change that breaks these bumps the version, and readers
//! keep decoding the old one. The binary form (journal) is postcard, the
//! text form (bus, export) JSON; both come from these serde derives.

use serde::{Deserialize, Serialize};

use crate::feeds::mavlink::DroneTelemetry;
use crate::model::{AlertSource, CheckpointStatus, LonLat, Ring, UnitKind, UnixMicros};
use crate::site::Site;
use crate::status::{AlertSeverity, AlertState, UnitStatus};

/// Version of the event schema written by this build.
pub const SCHEMA_VERSION: u16 = 1;

/// One event with its time and origin.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Envelope {
    /// When it happened (the feed's own time where it has one).
    pub at: UnixMicros,
    /// Who or what produced it.
    pub origin: Origin,
    /// What happened.
    pub event: Event,
}

/// Who or what produced an event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Origin {
    /// A network feed, named by protocol and listening address, e.g.
    /// `cot/udp 127.0.0.1:4242`.
    Feed(String),
    /// Detection on a camera.
    Detection(String),
    /// The scenario simulator, in-process.
    Simulator,
    /// An operator, by name.
    Operator(String),
    /// The site configuration, by file.
    Site(String),
    /// The console itself (link-loss timers, ring rules).
    System,
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Feed(name) | Self::Operator(name) | Self::Site(name) => f.write_str(name),
            Self::Detection(camera) => write!(f, "detection on {camera}"),
            Self::Simulator => f.write_str("simulator"),
            Self::System => f.write_str("system"),
        }
    }
}

/// A change to the world.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Event {
    /// The site configuration was (re)loaded: checkpoints, rings, grid, cameras.
    SiteLoaded(Box<Site>),
    /// A unit reported its position (CoT).
    UnitReported(UnitReport),
    /// A unit's availability changed.
    UnitStatusSet {
        /// Unit id.
        id: String,
        /// New status.
        status: UnitStatus,
    },
    /// A drone sent telemetry (MAVLink).
    DroneTelemetry {
        /// MAVLink system id.
        system_id: u32,
        /// What it said.
        telemetry: DroneTelemetry,
    },
    /// A drone's link was declared lost (no frame for a while).
    DroneLinkLost {
        /// MAVLink system id.
        system_id: u32,
    },
    /// A drone's mission: name, home, planned path, video stream.
    DroneMission {
        /// MAVLink system id.
        system_id: u32,
        /// Display name.
        name: String,
        /// Home point.
        home: LonLat,
        /// Planned path.
        path: Vec<LonLat>,
        /// Video stream URL, if any.
        stream: Option<String>,
    },
    /// An alert was raised.
    AlertRaised {
        /// New alert id (unique).
        id: String,
        /// What raised it.
        source: AlertSource,
        /// How urgent.
        severity: AlertSeverity,
        /// One line.
        title: String,
        /// Where.
        lonlat: LonLat,
    },
    /// An operator moved an alert along its lifecycle (acknowledge, resolve).
    AlertStateSet {
        /// Alert id.
        id: String,
        /// New state.
        state: AlertState,
        /// Who.
        by: String,
    },
    /// Units were dispatched to an alert: they go en route, the alert goes
    /// to `Dispatched` and its response timer starts.
    Dispatched {
        /// Alert id.
        alert: String,
        /// Units sent.
        units: Vec<String>,
        /// Who sent them.
        by: String,
        /// The ETA each unit had when sent, seconds (same order as `units`).
        etas_s: Vec<f64>,
    },
    /// A unit reached its alert: it goes on scene; the first one stops the
    /// alert's response timer.
    UnitOnScene {
        /// Unit id.
        unit: String,
        /// Alert id.
        alert: String,
    },
    /// A ring was drawn (e.g. an emergency ring around an incident).
    RingDrawn(Ring),
    /// A ring was removed.
    RingRemoved {
        /// Ring id.
        id: String,
    },
    /// A checkpoint's status changed.
    CheckpointStatusSet {
        /// Checkpoint id.
        id: String,
        /// New status.
        status: CheckpointStatus,
    },
    /// A one-click alarm was pressed at a site; it raises a critical alert
    /// with id `alarm:{site}:{at}`.
    AlarmPressed {
        /// The site (compound, checkpoint) id.
        site: String,
        /// Where.
        lonlat: LonLat,
        /// Who pressed it, if known (callsign).
        by: Option<String>,
    },
    /// The evidence behind a detection alert: the boxes that raised it and
    /// the JPEG snapshot written beside the journal. It changes no live
    /// state; replay and export read it from the journal.
    AlertEvidence {
        /// The alert it belongs to.
        id: String,
        /// Camera id.
        camera: String,
        /// Rule id.
        rule: String,
        /// Boxes in image coordinates (0..1): `[x0, y0, x1, y1]`.
        boxes: Vec<[f32; 4]>,
        /// Track ids (stable within the camera only).
        tracks: Vec<u64>,
        /// Count, where the rule keeps one (crossings, crowd size).
        count: Option<u64>,
        /// Snapshot file, relative to the journal folder.
        snapshot: Option<String>,
    },
    /// An operator's note on an alert (what was found, what was done), e.g.
    /// when resolving it. It changes no live state; the journal keeps it for
    /// the audit trail and incident export.
    AlertNoted {
        /// The alert.
        id: String,
        /// The note.
        note: String,
        /// Who wrote it.
        by: String,
    },
}

/// A unit's position report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitReport {
    /// Unit id (CoT uid).
    pub id: String,
    /// Callsign, if the report carried one.
    pub callsign: Option<String>,
    /// Kind, from the CoT type.
    pub kind: UnitKind,
    /// Where.
    pub lonlat: LonLat,
    /// Horizontal error, metres.
    pub ce_m: f64,
    /// Course, degrees.
    pub heading_deg: Option<f64>,
    /// Speed, m/s.
    pub speed_mps: Option<f64>,
    /// When the report goes stale.
    pub stale_at: UnixMicros,
}

impl Envelope {
    /// The compact binary form (journal): version, then postcard.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = SCHEMA_VERSION.to_le_bytes().to_vec();
        // Serialising plain data into a Vec cannot fail.
        out.extend(postcard::to_stdvec(self).unwrap_or_default());
        out
    }

    /// Decodes [`Envelope::to_bytes`]; names the version it cannot read.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, SchemaError> {
        let (version, body) = bytes.split_at_checked(2).ok_or(SchemaError::Truncated)?;
        let version = u16::from_le_bytes([version[0], version[1]]);
        if version != SCHEMA_VERSION {
            return Err(SchemaError::Version(version));
        }
        postcard::from_bytes(body).map_err(|e| SchemaError::Body(e.to_string()))
    }

    /// The text form (bus, export): one JSON object with the version.
    pub fn to_json(&self) -> String {
        serde_json::json!({ "v": SCHEMA_VERSION, "envelope": self }).to_string()
    }

    /// Decodes [`Envelope::to_json`].
    pub fn from_json(text: &str) -> Result<Self, SchemaError> {
        #[derive(Deserialize)]
        struct Versioned {
            v: u16,
            envelope: serde_json::Value,
        }
        let versioned: Versioned =
            serde_json::from_str(text).map_err(|e| SchemaError::Body(e.to_string()))?;
        if versioned.v != SCHEMA_VERSION {
            return Err(SchemaError::Version(versioned.v));
        }
        serde_json::from_value(versioned.envelope).map_err(|e| SchemaError::Body(e.to_string()))
    }
}

/// Why stored bytes are not an event of this schema.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SchemaError {
    /// Too short to hold a version.
    #[error("event record is truncated")]
    Truncated,
    /// Written by another schema version.
    #[error("event schema version {0} is not readable by this build (it reads {SCHEMA_VERSION})")]
    Version(u16),
    /// The body does not decode.
    #[error("event record does not decode: {0}")]
    Body(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Vec<Envelope> {
        let report = UnitReport {
            id: "ANDROID-1".into(),
            callsign: Some("PATROL-12".into()),
            kind: UnitKind::Car,
            lonlat: [71.43, 51.13],
            ce_m: 4.5,
            heading_deg: Some(271.5),
            speed_mps: None,
            stale_at: 1_700_000_060_000_000,
        };
        vec![
            Envelope {
                at: 1_700_000_000_000_000,
                origin: Origin::Feed("cot/udp 127.0.0.1:4242".into()),
                event: Event::UnitReported(report),
            },
            Envelope {
                at: 1_700_000_001_000_000,
                origin: Origin::Operator("Aigerim".into()),
                event: Event::Dispatched {
                    alert: "A-1".into(),
                    units: vec!["ANDROID-1".into()],
                    by: "Aigerim".into(),
                    etas_s: vec![95.5],
                },
            },
            Envelope {
                at: 1_700_000_002_000_000,
                origin: Origin::Feed("mavlink/udp 127.0.0.1:14550".into()),
                event: Event::DroneTelemetry {
                    system_id: 7,
                    telemetry: DroneTelemetry::Gimbal {
                        pitch_deg: -45.0,
                        yaw_deg: 10.0,
                    },
                },
            },
        ]
    }

    #[test]
    fn both_forms_round_trip() {
        for e in sample() {
            assert_eq!(Envelope::from_bytes(&e.to_bytes()), Ok(e.clone()));
            assert_eq!(Envelope::from_json(&e.to_json()), Ok(e.clone()));
        }
    }

    /// The JSON form is the published schema: its shape must not drift.
    #[test]
    fn json_shape_is_stable() {
        let json = sample()[1].to_json();
        assert_eq!(
            json,
            r#"{"envelope":{"at":1700000001000000,"event":{"Dispatched":{"alert":"A-1","by":"Aigerim","etas_s":[95.5],"units":["ANDROID-1"]}},"origin":{"Operator":"Aigerim"}},"v":1}"#
        );
    }

    #[test]
    fn other_versions_and_garbage_are_named() {
        let mut bytes = sample()[0].to_bytes();
        bytes[0] = 9;
        assert_eq!(Envelope::from_bytes(&bytes), Err(SchemaError::Version(9)));
        assert_eq!(Envelope::from_bytes(&[1]), Err(SchemaError::Truncated));
        assert!(matches!(
            Envelope::from_bytes(&[1, 0, 0xff, 0xff]),
            Err(SchemaError::Body(_))
        ));
        assert!(
            Envelope::from_json(r#"{"v":2,"envelope":{}}"#)
                .expect_err("v2")
                .to_string()
                .contains("version 2")
        );
    }
}
