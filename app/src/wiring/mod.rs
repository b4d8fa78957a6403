//! Threads, channels and the work that must stay off the UI thread.

pub mod cameras;
pub mod detection;
pub mod map;
pub mod package;
pub mod replay;
pub mod startup;
pub mod world;
