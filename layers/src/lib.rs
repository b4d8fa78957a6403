//! The world on the map: checkpoints, patrol units, drones, alerts, zones and
//! rings; later its spatial index, event journal and feed protocols.
//!
//! This crate knows nothing of egui, wgpu or GStreamer. It holds the domain's
//! vocabulary that every other part of the console speaks.

pub mod feeds;
pub mod spatial;
pub mod status;

pub use status::{AlertSeverity, AlertState, FeedHealth, UnitStatus};
