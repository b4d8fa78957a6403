//! The `watchfloor` binary's library: the command line, the one place the
//! program is assembled and the console's commands are applied
//! ([`compose`]), the window and headless screenshot, the subcommands, the
//! world simulator and the benchmarks. The panels are `watchfloor-console`'s;
//! the live world, cameras, replay and export are `watchfloor-runtime`'s.

pub mod bench;
pub mod cli;
pub mod commands;
pub mod compose;
pub mod screenshot;
pub mod sim_world;
pub mod window;

pub use watchfloor_console as console;
pub use watchfloor_console::i18n;
