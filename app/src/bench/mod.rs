//! `watchfloor bench …`: each benchmark measures our path and, in the same
//! run, the raw limit of the same work; prints a table, and with `--json` one
//! JSON object as the last line of stdout.

pub mod console;
pub mod cpu;
pub mod detect;
pub mod feeds;
pub mod layers;
pub mod media;
pub mod render;
pub mod replay;
pub mod report;
