//! The `watchfloor` binary's library: the command line, the console
//! panels (still here; they move to their own crate next), the window and
//! headless screenshot, the subcommands, the world simulator and the
//! benchmarks. The live world, cameras, replay and export are
//! `watchfloor-runtime`'s.

pub mod bench;
pub mod cli;
pub mod commands;
pub mod compose;
pub mod console;
pub mod i18n;
pub mod screenshot;
pub mod sim_world;
pub mod window;
