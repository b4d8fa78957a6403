//! Simulated drones: each flies a patrol pattern (an orbit, a lawnmower
//! sweep, a waypoint loop) from its home point, with a camera gimbal that
//! sweeps the ground, and speaks MAVLink 2 as an autopilot would.

use mavlink::dialects::common::{
    ATTITUDE_DATA, GIMBAL_DEVICE_ATTITUDE_STATUS_DATA, GLOBAL_POSITION_INT_DATA, HEARTBEAT_DATA,
    MavAutopilot, MavMessage, MavModeFlag, MavState, MavType, SYS_STATUS_DATA,
};
use watchfloor_layers::feeds::mavlink::{encode, quaternion_of_pitch_yaw};
use watchfloor_layers::frame::{LocalFrame, bearing_deg};

/// Ground elevation of Astana above mean sea level, metres.
const GROUND_MSL_M: f64 = 347.0;
/// MAVLink component id of an autopilot and of a gimbal.
const AUTOPILOT: u8 = 1;
const GIMBAL: u8 = 154;

/// How a drone patrols.
#[derive(Debug, Clone, Copy)]
pub enum Pattern {
    /// Circles its home at a radius.
    Orbit {
        /// Metres.
        radius_m: f64,
    },
    /// Sweeps a rectangle in parallel lanes.
    Lawnmower {
        /// Width and height, metres.
        size_m: [f64; 2],
        /// Lanes.
        lanes: u32,
    },
    /// Loops through waypoints (metric, relative to home).
    Loop,
}

/// One simulated drone.
#[derive(Debug)]
pub struct SimDrone {
    /// MAVLink system id.
    pub system_id: u8,
    waypoints: Vec<[f64; 2]>,
    speed_mps: f64,
    altitude_m: f64,
    along_m: f64,
    battery_pct: f64,
    sequence: u8,
    /// Seconds of every period the link is down (0: never), and the period.
    pub dropout: Option<(f64, f64)>,
}

impl SimDrone {
    /// A drone at `home` (metric) flying `pattern`.
    pub fn new(system_id: u8, home: [f64; 2], pattern: Pattern, altitude_m: f64) -> Self {
        let waypoints: Vec<[f64; 2]> = match pattern {
            Pattern::Orbit { radius_m } => (0..36)
                .map(|i| {
                    let a = f64::from(i) * 10.0_f64.to_radians();
                    [home[0] + radius_m * a.sin(), home[1] + radius_m * a.cos()]
                })
                .collect(),
            Pattern::Lawnmower { size_m, lanes } => (0..lanes.max(2))
                .flat_map(|lane| {
                    let x = home[0] + size_m[0] * f64::from(lane) / f64::from(lanes.max(2) - 1);
                    let (y0, y1) = (home[1], home[1] + size_m[1]);
                    if lane % 2 == 0 {
                        [[x, y0], [x, y1]]
                    } else {
                        [[x, y1], [x, y0]]
                    }
                })
                .collect(),
            Pattern::Loop => [
                [0.0, 900.0],
                [1200.0, 1400.0],
                [1800.0, 300.0],
                [700.0, -600.0],
            ]
            .iter()
            .map(|o| [home[0] + o[0], home[1] + o[1]])
            .collect(),
        };
        Self {
            system_id,
            waypoints,
            speed_mps: 12.0,
            altitude_m,
            along_m: 0.0,
            battery_pct: 100.0 - f64::from(system_id) * 7.0,
            sequence: 0,
            dropout: None,
        }
    }

    fn position(&self) -> ([f64; 2], f64) {
        let n = self.waypoints.len();
        let lengths: Vec<f64> = (0..n)
            .map(|i| {
                let (a, b) = (self.waypoints[i], self.waypoints[(i + 1) % n]);
                (b[0] - a[0]).hypot(b[1] - a[1])
            })
            .collect();
        let total: f64 = lengths.iter().sum();
        let mut left = self.along_m % total.max(1.0);
        for (i, &length) in lengths.iter().enumerate() {
            let (a, b) = (self.waypoints[i], self.waypoints[(i + 1) % n]);
            if left <= length {
                let t = if length > 0.0 { left / length } else { 0.0 };
                return (
                    [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t],
                    bearing_deg(a, b),
                );
            }
            left -= length;
        }
        (self.waypoints.first().copied().unwrap_or_default(), 0.0)
    }

    /// Flies `dt` seconds.
    pub fn advance(&mut self, dt: f64) {
        self.along_m += self.speed_mps * dt;
        self.battery_pct = (self.battery_pct - dt * 0.02).max(15.0);
    }

    /// Whether the simulated link is down at `now_s` (from the middle of
    /// each period, for `down` seconds).
    pub fn link_down(&self, now_s: f64) -> bool {
        self.dropout.is_some_and(|(down, period)| {
            (period / 2.0..period / 2.0 + down).contains(&(now_s % period))
        })
    }

    fn frame(&mut self, component: u8, message: &MavMessage) -> Vec<u8> {
        self.sequence = self.sequence.wrapping_add(1);
        encode(u32::from(self.system_id), component, self.sequence, message)
    }

    /// Position and attitude (sent several times a second).
    pub fn fast_frames(&mut self, frame: &LocalFrame, now_s: f64) -> Vec<u8> {
        let (xy, heading) = self.position();
        let lonlat = frame.lonlat(xy);
        let (vx, vy) = (
            self.speed_mps * heading.to_radians().cos(),
            self.speed_mps * heading.to_radians().sin(),
        );
        let mut out = self.frame(
            AUTOPILOT,
            &MavMessage::GLOBAL_POSITION_INT(GLOBAL_POSITION_INT_DATA {
                time_boot_ms: (now_s * 1000.0) as u32,
                lat: (lonlat[1] * 1e7) as i32,
                lon: (lonlat[0] * 1e7) as i32,
                alt: ((GROUND_MSL_M + self.altitude_m) * 1000.0) as i32,
                relative_alt: (self.altitude_m * 1000.0) as i32,
                vx: (vx * 100.0) as i16,
                vy: (vy * 100.0) as i16,
                vz: 0,
                hdg: (heading * 100.0) as u16,
            }),
        );
        let yaw = if heading > 180.0 {
            heading - 360.0
        } else {
            heading
        };
        out.extend(self.frame(
            AUTOPILOT,
            &MavMessage::ATTITUDE(ATTITUDE_DATA {
                time_boot_ms: (now_s * 1000.0) as u32,
                roll: 0.08 * (now_s * 0.3).sin() as f32,
                pitch: -0.05,
                yaw: yaw.to_radians() as f32,
                ..ATTITUDE_DATA::default()
            }),
        ));
        out
    }

    /// Heartbeat, battery and gimbal (once a second).
    pub fn slow_frames(&mut self, now_s: f64) -> Vec<u8> {
        let mut out = self.frame(
            AUTOPILOT,
            &MavMessage::HEARTBEAT(HEARTBEAT_DATA {
                custom_mode: 0,
                mavtype: MavType::MAV_TYPE_QUADROTOR,
                autopilot: MavAutopilot::MAV_AUTOPILOT_PX4,
                base_mode: MavModeFlag::MAV_MODE_FLAG_SAFETY_ARMED
                    | MavModeFlag::MAV_MODE_FLAG_AUTO_ENABLED
                    | MavModeFlag::MAV_MODE_FLAG_CUSTOM_MODE_ENABLED,
                system_status: MavState::MAV_STATE_ACTIVE,
                mavlink_version: 3,
            }),
        );
        out.extend(self.frame(
            AUTOPILOT,
            &MavMessage::SYS_STATUS(SYS_STATUS_DATA {
                voltage_battery: (14_000.0 + self.battery_pct * 22.0) as u16,
                battery_remaining: self.battery_pct as i8,
                current_battery: -1,
                ..SYS_STATUS_DATA::default()
            }),
        ));
        // The camera looks 50–65° down and sweeps ±30° across the track.
        let pitch = -57.5 + 7.5 * (now_s * 0.1).sin();
        let yaw = 30.0 * (now_s * 0.05).sin();
        out.extend(self.frame(
            GIMBAL,
            &MavMessage::GIMBAL_DEVICE_ATTITUDE_STATUS(GIMBAL_DEVICE_ATTITUDE_STATUS_DATA {
                time_boot_ms: (now_s * 1000.0) as u32,
                q: quaternion_of_pitch_yaw(pitch, yaw),
                ..GIMBAL_DEVICE_ATTITUDE_STATUS_DATA::default()
            }),
        ));
        out
    }
}
