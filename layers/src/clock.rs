//! The world's clock: now, in the world's time type.

use crate::model::UnixMicros;

/// Now (the system clock), in Unix microseconds.
pub fn now_us() -> UnixMicros {
    chrono::Utc::now().timestamp_micros()
}

/// A world time as the system's time type.
pub fn system_time(us: UnixMicros) -> std::time::SystemTime {
    std::time::UNIX_EPOCH + std::time::Duration::from_micros(u64::try_from(us).unwrap_or(0))
}
