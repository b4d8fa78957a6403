//! The subcommands that are not the console: export, audit, import and the
//! camera simulator.

pub mod audit;
pub mod export;
pub mod import;
pub mod sim;
