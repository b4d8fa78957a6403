//! The world on the map: checkpoints, rings, grid cells, cameras, patrol
//! units, drones and alerts; the events that change them, the journal that
//! keeps those events, the spatial questions a dispatcher asks, the road
//! network that answers "how long until a unit is there", and the feed
//! protocols units and drones speak.
//!
//! This crate knows nothing of egui, wgpu or GStreamer, and does no network
//! I/O: sockets live in `app`, which hands bytes to [`feeds`].

pub mod access;
pub mod audit;
pub mod basemap;
pub mod clock;
pub mod dispatch;
pub mod event;
pub mod feeds;
pub mod frame;
pub mod journal;
pub mod model;
pub mod package;
pub mod polygon_check;
pub mod roads;
pub mod site;
pub mod spatial;
pub mod status;
pub mod timeline;
pub mod world;

pub use status::{AlertSeverity, AlertState, FeedHealth, UnitStatus};
