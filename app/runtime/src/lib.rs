//! Watchfloor's runtime: everything the console asks work of and that must
//! stay off the UI thread — the live world (hub, journal, feeds), cameras
//! and detection, the replay engine, the basemap loader, incident packages
//! (writing, verifying, opening), the layout and notes writers, and the
//! one [`job::Job`] type for background work.
//!
//! It knows nothing of egui panels: the console reads what it prepares and
//! hands back what the operator asked for.

pub mod camera_set;
pub mod camera_start;
pub mod detection;
pub mod export;
pub mod feeds;
pub mod job;
pub mod map;
pub mod package;
pub mod paths;
pub mod prepare;
pub mod replay;
pub mod sim_child;
pub mod startup;
pub mod timeline;
pub mod world;
pub mod writer;
