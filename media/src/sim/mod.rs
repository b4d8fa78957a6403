//! The built-in camera simulator: N RTSP cameras on 127.0.0.1 from looped
//! real footage, pre-encoded once and served without re-encoding.

pub mod footage;
pub mod server;

pub use footage::{Encoding, VARIANTS, Variant};
pub use server::{SimCamera, SimOptions, Simulator};
