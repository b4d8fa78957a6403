//! MAVLink 2 from drones, decoded into what the console shows: heartbeat
//! (armed, state), position, attitude, battery, and the camera gimbal's
//! orientation (for the camera footprint on the ground). Framing, CRC and
//! message layouts come from the `mavlink` crate (common dialect); this
//! module picks the messages that matter and converts units.
//!
//! A datagram may hold several frames, MAVLink 2 or 1; garbage and frames
//! with a bad CRC are skipped by the reader, and a datagram with no valid
//! frame is an error. Frames are checked against the fleet's signing keys
//! ([`DroneKeys`]) before they are read.

use mavlink::MavHeader;
use mavlink::Message as _;
use mavlink::dialects::common::MavMessage;

pub use super::mavlink_signing::{DroneKeys, Refusal};

/// Largest datagram accepted (a MAVLink 2 frame is at most 280 bytes).
pub const MAX_DATAGRAM_BYTES: usize = 64 * 1024;

/// What one frame told us about a drone.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum DroneTelemetry {
    /// `HEARTBEAT`: the link is alive.
    Heartbeat {
        /// Motors armed.
        armed: bool,
        /// `MAV_STATE` as text, e.g. `MAV_STATE_ACTIVE`.
        state: String,
    },
    /// `GLOBAL_POSITION_INT`.
    Position {
        /// Latitude, degrees.
        lat_deg: f64,
        /// Longitude, degrees.
        lon_deg: f64,
        /// Altitude above mean sea level, metres.
        alt_msl_m: f64,
        /// Altitude above home, metres.
        alt_rel_m: f64,
        /// Heading, degrees from north, if known.
        heading_deg: Option<f64>,
        /// Ground speed, metres per second.
        ground_speed_mps: f64,
    },
    /// `ATTITUDE`, in degrees.
    Attitude {
        /// Roll.
        roll_deg: f64,
        /// Pitch.
        pitch_deg: f64,
        /// Yaw.
        yaw_deg: f64,
    },
    /// `SYS_STATUS` battery fields.
    Battery {
        /// Remaining charge, percent, if the autopilot knows it.
        remaining_pct: Option<u8>,
        /// Battery voltage, volts, if known.
        voltage_v: Option<f64>,
    },
    /// `GIMBAL_DEVICE_ATTITUDE_STATUS`, as pitch (negative = down) and yaw.
    Gimbal {
        /// Pitch, degrees.
        pitch_deg: f64,
        /// Yaw, degrees.
        yaw_deg: f64,
    },
}

/// A decoded frame: which drone, and what it said.
#[derive(Debug, Clone, PartialEq)]
pub struct DroneMessage {
    /// MAVLink system id (one per vehicle).
    pub system_id: u32,
    /// Component id (autopilot, gimbal, …).
    pub component_id: u8,
    /// The content.
    pub telemetry: DroneTelemetry,
}

/// Why a datagram gave nothing.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MavlinkError {
    /// Over [`MAX_DATAGRAM_BYTES`].
    #[error("MAVLink datagram of {0} bytes is over the {MAX_DATAGRAM_BYTES}-byte limit")]
    TooLarge(usize),
    /// No CRC-valid MAVLink frame in it.
    #[error("no valid MAVLink frame in {0} bytes")]
    NoFrame(usize),
    /// Every valid frame in it was refused by the signing rules (the first
    /// refusal, and how many).
    #[error("{first} ({count} frame(s) in the datagram)")]
    Refused {
        /// Why the first frame was refused.
        first: Refusal,
        /// Frames refused.
        count: usize,
    },
}

/// Decodes every valid MAVLink frame in a datagram, with no signing keys
/// (every drone unsigned); frames of messages the console does not use are
/// dropped silently (they are valid, just not ours).
pub fn parse_datagram(bytes: &[u8]) -> Result<Vec<DroneMessage>, MavlinkError> {
    parse_datagram_signed(bytes, &DroneKeys::default())
}

/// [`parse_datagram`], each frame first checked against `keys`.
pub fn parse_datagram_signed(
    bytes: &[u8],
    keys: &DroneKeys,
) -> Result<Vec<DroneMessage>, MavlinkError> {
    if bytes.len() > MAX_DATAGRAM_BYTES {
        return Err(MavlinkError::TooLarge(bytes.len()));
    }
    let mut reader = mavlink::MavlinkReader::new(bytes);
    let mut frames = 0_usize;
    let mut refused: Option<(Refusal, usize)> = None;
    let mut out = Vec::new();
    // Each successful read consumes at least a frame header, so this bound is never the limit.
    for _ in 0..=bytes.len() {
        let raw = match reader.read_any_raw_message::<MavMessage>() {
            Ok(raw) => raw,
            Err(mavlink::error::MessageReadError::Io(_)) => break, // end of the datagram
            Err(_) => continue,                                    // skip a frame we cannot read
        };
        frames += 1;
        if let Err(r) = keys.check(&raw) {
            let count = refused.as_ref().map_or(0, |(_, n)| *n) + 1;
            let first = refused.map_or(r, |(first, _)| first);
            refused = Some((first, count));
            continue;
        }
        let Ok(message) = MavMessage::parse(raw.version(), raw.message_id(), raw.payload()) else {
            continue;
        };
        if let Some(telemetry) = telemetry_of(&message) {
            out.push(DroneMessage {
                system_id: raw.system_id(),
                component_id: raw.component_id(),
                telemetry,
            });
        }
    }
    if frames == 0 {
        return Err(MavlinkError::NoFrame(bytes.len()));
    }
    match refused {
        Some((first, count)) if count == frames => Err(MavlinkError::Refused { first, count }),
        _ => Ok(out),
    }
}

fn telemetry_of(message: &MavMessage) -> Option<DroneTelemetry> {
    Some(match message {
        MavMessage::HEARTBEAT(h) => DroneTelemetry::Heartbeat {
            armed: h
                .base_mode
                .contains(mavlink::dialects::common::MavModeFlag::MAV_MODE_FLAG_SAFETY_ARMED),
            state: format!("{:?}", h.system_status),
        },
        MavMessage::GLOBAL_POSITION_INT(p) => DroneTelemetry::Position {
            lat_deg: f64::from(p.lat) / 1e7,
            lon_deg: f64::from(p.lon) / 1e7,
            alt_msl_m: f64::from(p.alt) / 1000.0,
            alt_rel_m: f64::from(p.relative_alt) / 1000.0,
            // UINT16_MAX means "unknown".
            heading_deg: (p.hdg != u16::MAX).then(|| f64::from(p.hdg) / 100.0),
            ground_speed_mps: f64::from(p.vx).hypot(f64::from(p.vy)) / 100.0,
        },
        MavMessage::ATTITUDE(a) => DroneTelemetry::Attitude {
            roll_deg: f64::from(a.roll).to_degrees(),
            pitch_deg: f64::from(a.pitch).to_degrees(),
            yaw_deg: f64::from(a.yaw).to_degrees(),
        },
        MavMessage::SYS_STATUS(s) => DroneTelemetry::Battery {
            // -1 and UINT16_MAX mean "not known".
            remaining_pct: u8::try_from(s.battery_remaining).ok().filter(|&p| p <= 100),
            voltage_v: (s.voltage_battery != u16::MAX)
                .then(|| f64::from(s.voltage_battery) / 1000.0),
        },
        MavMessage::GIMBAL_DEVICE_ATTITUDE_STATUS(g) => {
            let (pitch_deg, yaw_deg) = pitch_yaw_of_quaternion(g.q);
            DroneTelemetry::Gimbal { pitch_deg, yaw_deg }
        }
        _ => return None,
    })
}

/// Pitch and yaw (degrees) of a `[w, x, y, z]` rotation quaternion.
fn pitch_yaw_of_quaternion(quaternion: [f32; 4]) -> (f64, f64) {
    let [qw, qx, qy, qz] = quaternion.map(f64::from);
    let pitch = (2.0 * (qw * qy - qz * qx)).clamp(-1.0, 1.0).asin();
    let yaw = (2.0 * (qw * qz + qx * qy)).atan2(1.0 - 2.0 * (qy * qy + qz * qz));
    (pitch.to_degrees(), yaw.to_degrees())
}

/// The `[w, x, y, z]` quaternion of a gimbal turned `yaw_deg` then tilted
/// `pitch_deg` (negative = down): what `GIMBAL_DEVICE_ATTITUDE_STATUS` carries.
pub fn quaternion_of_pitch_yaw(pitch_deg: f64, yaw_deg: f64) -> [f32; 4] {
    let (p, y) = (pitch_deg.to_radians() / 2.0, yaw_deg.to_radians() / 2.0);
    [
        (y.cos() * p.cos()) as f32,
        (-y.sin() * p.sin()) as f32,
        (y.cos() * p.sin()) as f32,
        (y.sin() * p.cos()) as f32,
    ]
}

/// Encodes one message as a MAVLink 2 frame (for the simulator and tests).
pub fn encode(system_id: u32, component_id: u8, sequence: u8, message: &MavMessage) -> Vec<u8> {
    let header = MavHeader {
        system_id,
        component_id,
        sequence,
    };
    let mut frame = Vec::with_capacity(64);
    // Writing into a Vec cannot fail.
    let _ = mavlink::write_v2_msg(&mut frame, header, message);
    frame
}

#[cfg(test)]
mod tests {
    use mavlink::dialects::common::{
        ATTITUDE_DATA, GIMBAL_DEVICE_ATTITUDE_STATUS_DATA, GLOBAL_POSITION_INT_DATA,
        HEARTBEAT_DATA, MavModeFlag, MavState, SYS_STATUS_DATA,
    };

    use super::*;

    fn close(a: f64, b: f64, eps: f64) -> bool {
        (a - b).abs() < eps
    }

    /// One datagram with a frame of every message the console uses, built
    /// by the crate's own serializer.
    fn sample_datagram() -> Vec<u8> {
        let mut datagram = Vec::new();
        datagram.extend(encode(
            7,
            1,
            0,
            &MavMessage::HEARTBEAT(HEARTBEAT_DATA {
                base_mode: MavModeFlag::MAV_MODE_FLAG_SAFETY_ARMED,
                system_status: MavState::MAV_STATE_ACTIVE,
                ..HEARTBEAT_DATA::default()
            }),
        ));
        datagram.extend(encode(
            7,
            1,
            1,
            &MavMessage::GLOBAL_POSITION_INT(GLOBAL_POSITION_INT_DATA {
                lat: 511_283_000,
                lon: 714_306_000,
                alt: 412_500,
                relative_alt: 60_000,
                vx: 300,
                vy: 400,
                hdg: 9_000,
                ..GLOBAL_POSITION_INT_DATA::default()
            }),
        ));
        datagram.extend(encode(
            7,
            1,
            2,
            &MavMessage::ATTITUDE(ATTITUDE_DATA {
                roll: 0.1,
                pitch: -0.05,
                yaw: 1.5,
                ..ATTITUDE_DATA::default()
            }),
        ));
        datagram.extend(encode(
            7,
            1,
            3,
            &MavMessage::SYS_STATUS(SYS_STATUS_DATA {
                voltage_battery: 15_800,
                battery_remaining: 64,
                ..SYS_STATUS_DATA::default()
            }),
        ));
        // Gimbal looking 45° down, turned 30° right: yaw then pitch.
        let q = quaternion_of_pitch_yaw(-45.0, 30.0);
        datagram.extend(encode(
            7,
            154,
            4,
            &MavMessage::GIMBAL_DEVICE_ATTITUDE_STATUS(GIMBAL_DEVICE_ATTITUDE_STATUS_DATA {
                q,
                ..GIMBAL_DEVICE_ATTITUDE_STATUS_DATA::default()
            }),
        ));
        datagram
    }

    /// Real frames decode to the values sent.
    #[test]
    fn decodes_every_message_the_console_uses_from_one_datagram() {
        let datagram = sample_datagram();
        let messages = parse_datagram(&datagram).expect("valid frames");
        assert_eq!(messages.len(), 5);
        assert!(messages.iter().all(|m| m.system_id == 7));
        assert_eq!(
            messages[0].telemetry,
            DroneTelemetry::Heartbeat {
                armed: true,
                state: "MAV_STATE_ACTIVE".into()
            }
        );
        let DroneTelemetry::Position {
            lat_deg,
            lon_deg,
            alt_msl_m,
            alt_rel_m,
            heading_deg,
            ground_speed_mps,
        } = messages[1].telemetry
        else {
            panic!("position expected: {:?}", messages[1]);
        };
        assert!(close(lat_deg, 51.1283, 1e-9) && close(lon_deg, 71.4306, 1e-9));
        assert!(close(alt_msl_m, 412.5, 1e-9) && close(alt_rel_m, 60.0, 1e-9));
        assert_eq!(heading_deg, Some(90.0));
        assert!(close(ground_speed_mps, 5.0, 1e-9));
        let DroneTelemetry::Attitude { yaw_deg, .. } = messages[2].telemetry else {
            panic!("attitude")
        };
        assert!(close(yaw_deg, 1.5_f64.to_degrees(), 1e-4));
        assert_eq!(
            messages[3].telemetry,
            DroneTelemetry::Battery {
                remaining_pct: Some(64),
                voltage_v: Some(15.8)
            }
        );
        let DroneTelemetry::Gimbal { pitch_deg, yaw_deg } = messages[4].telemetry else {
            panic!("gimbal")
        };
        assert!(
            close(pitch_deg, -45.0, 0.01) && close(yaw_deg, 30.0, 0.01),
            "{pitch_deg} {yaw_deg}"
        );
        assert_eq!(messages[4].component_id, 154);
    }

    #[test]
    fn unknown_values_stay_unknown() {
        let frame = encode(
            1,
            1,
            0,
            &MavMessage::SYS_STATUS(SYS_STATUS_DATA {
                voltage_battery: u16::MAX,
                battery_remaining: -1,
                ..SYS_STATUS_DATA::default()
            }),
        );
        let messages = parse_datagram(&frame).expect("valid");
        assert_eq!(
            messages[0].telemetry,
            DroneTelemetry::Battery {
                remaining_pct: None,
                voltage_v: None
            }
        );
    }

    /// CRC-16/MCRF4XX ("X.25") as the MAVLink serialisation guide defines it.
    fn x25(bytes: &[u8]) -> u16 {
        let mut crc = 0xffff_u16;
        for &b in bytes {
            let mut tmp = b ^ (crc & 0xff) as u8;
            tmp ^= tmp << 4;
            let tmp = u16::from(tmp);
            crc = (crc >> 8) ^ (tmp << 8) ^ (tmp << 3) ^ (tmp >> 4);
        }
        crc
    }

    /// A MAVLink 2 frame built by hand from the published serialisation
    /// rules (header, little-endian payload in size order, trailing zeros
    /// truncated, CRC with the message's `CRC_EXTRA`), not by the crate.
    fn hand_frame(
        seq: u8,
        sys: u8,
        comp: u8,
        msg_id: u32,
        crc_extra: u8,
        payload: &[u8],
    ) -> Vec<u8> {
        let mut payload = payload.to_vec();
        while payload.len() > 1 && payload.last() == Some(&0) {
            payload.pop();
        }
        let mut frame = vec![0xfd, payload.len() as u8, 0, 0, seq, sys, comp];
        frame.extend(&msg_id.to_le_bytes()[..3]);
        frame.extend(&payload);
        let mut crc_input = frame[1..].to_vec();
        crc_input.push(crc_extra);
        frame.extend(x25(&crc_input).to_le_bytes());
        frame
    }

    #[test]
    fn decodes_frames_built_from_the_published_wire_format() {
        // HEARTBEAT (id 0, CRC_EXTRA 50): custom_mode, type=2 (quadrotor),
        // autopilot=12 (PX4), base_mode=0x81 (armed | custom), status=4 (active), version 3.
        let heartbeat = hand_frame(7, 42, 1, 0, 50, &[0, 0, 0, 0, 2, 12, 0x81, 4, 3]);
        // GLOBAL_POSITION_INT (id 33, CRC_EXTRA 104).
        let mut payload = Vec::new();
        payload.extend(1000_u32.to_le_bytes()); // time_boot_ms
        payload.extend(511_283_000_i32.to_le_bytes()); // lat 51.1283°
        payload.extend(714_304_000_i32.to_le_bytes()); // lon 71.4304°
        payload.extend(467_000_i32.to_le_bytes()); // alt 467 m MSL
        payload.extend(120_000_i32.to_le_bytes()); // 120 m above home
        payload.extend(600_i16.to_le_bytes()); // vx 6 m/s
        payload.extend((-800_i16).to_le_bytes()); // vy -8 m/s
        payload.extend(0_i16.to_le_bytes()); // vz
        payload.extend(27_000_u16.to_le_bytes()); // heading 270°
        let position = hand_frame(8, 42, 1, 33, 104, &payload);
        let mut datagram = heartbeat;
        datagram.extend(position);
        let messages = parse_datagram(&datagram).expect("hand-built frames decode");
        assert_eq!(messages.len(), 2);
        assert_eq!(messages[0].system_id, 42);
        assert_eq!(
            messages[0].telemetry,
            DroneTelemetry::Heartbeat {
                armed: true,
                state: "MAV_STATE_ACTIVE".into()
            }
        );
        let DroneTelemetry::Position {
            lat_deg,
            lon_deg,
            alt_msl_m,
            alt_rel_m,
            heading_deg,
            ground_speed_mps,
        } = messages[1].telemetry.clone()
        else {
            panic!("{:?}", messages[1]);
        };
        assert!(close(lat_deg, 51.1283, 1e-9) && close(lon_deg, 71.4304, 1e-9));
        assert!(close(alt_msl_m, 467.0, 1e-9) && close(alt_rel_m, 120.0, 1e-9));
        assert_eq!(heading_deg, Some(270.0));
        assert!(close(ground_speed_mps, 10.0, 1e-9));
        // The crate's encoder produces the very same bytes for the heartbeat.
        let ours = encode(
            42,
            1,
            7,
            &MavMessage::HEARTBEAT(HEARTBEAT_DATA {
                custom_mode: 0,
                mavtype: mavlink::dialects::common::MavType::MAV_TYPE_QUADROTOR,
                autopilot: mavlink::dialects::common::MavAutopilot::MAV_AUTOPILOT_PX4,
                base_mode: MavModeFlag::MAV_MODE_FLAG_SAFETY_ARMED
                    | MavModeFlag::MAV_MODE_FLAG_CUSTOM_MODE_ENABLED,
                system_status: MavState::MAV_STATE_ACTIVE,
                mavlink_version: 3,
            }),
        );
        assert_eq!(
            ours,
            hand_frame(7, 42, 1, 0, 50, &[0, 0, 0, 0, 2, 12, 0x81, 4, 3])
        );
    }

    #[test]
    fn malformed_and_hostile_datagrams_are_refused_without_panicking() {
        let good = encode(3, 1, 0, &MavMessage::HEARTBEAT(HEARTBEAT_DATA::default()));
        let mut bad_crc = good.clone();
        let last = bad_crc.len() - 1;
        bad_crc[last] ^= 0xff;
        let truncated = &good[..good.len() / 2];
        for datagram in [
            &b""[..],
            b"hello, not mavlink",
            &bad_crc,
            truncated,
            &[0xfd; 300],
        ] {
            assert_eq!(
                parse_datagram(datagram),
                Err(MavlinkError::NoFrame(datagram.len()))
            );
        }
        assert!(matches!(
            parse_datagram(&vec![0; MAX_DATAGRAM_BYTES + 1]),
            Err(MavlinkError::TooLarge(_))
        ));
        // Garbage around a good frame: the frame is still found.
        let mut noisy = b"\x00\xfd\x01junk".to_vec();
        noisy.extend(&good);
        noisy.extend(b"trailing");
        assert_eq!(parse_datagram(&noisy).expect("frame found").len(), 1);
        // Random bytes never panic (a cheap deterministic fuzz).
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        for _ in 0..2000 {
            let len = (state % 400) as usize;
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    (state >> 24) as u8
                })
                .collect();
            let _ = parse_datagram(&bytes);
        }
    }
}
