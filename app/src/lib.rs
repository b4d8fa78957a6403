//! The Watchfloor console: the eframe shell, its panels, the command line,
//! and the wiring between the `render`, `media` and `layers` crates.
//!
//! This is the only crate that knows all three; it translates between them.

pub mod audit_cli;
pub mod bench;
pub mod cli;
pub mod console;
pub mod export;
pub mod feeds;
pub mod i18n;
pub mod import;
pub mod screenshot;
pub mod sim;
pub mod sim_world;
pub mod window;
pub mod wiring;
