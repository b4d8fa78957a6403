//! A camera's connection state and when to try again.
//!
//! `Connecting → Live` on the first frame; `Live → Stalled` when no frame came
//! for the stall timeout; `Stalled → Live` when frames resume; any error or
//! end of stream → `Offline`, and after a backoff delay → `Connecting` again.

use std::time::Duration;

/// Where a camera's connection stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CameraState {
    /// Opening the source, or waiting for the first frame.
    Connecting,
    /// Frames arrive.
    Live,
    /// Connected, but no frame for longer than the stall timeout.
    Stalled,
    /// Failed; a reconnect is scheduled.
    Offline,
}

impl CameraState {
    /// A short lowercase name for logs and tables.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Connecting => "connecting",
            Self::Live => "live",
            Self::Stalled => "stalled",
            Self::Offline => "offline",
        }
    }
}

/// Exponential backoff between reconnects, reset once a connection goes live.
#[derive(Debug, Clone)]
pub struct Backoff {
    first: Duration,
    max: Duration,
    next: Duration,
}

impl Backoff {
    /// Starts at `first`, doubling up to `max`.
    pub fn new(first: Duration, max: Duration) -> Self {
        Self {
            first,
            max,
            next: first,
        }
    }

    /// The delay before the next attempt; each call doubles the one after.
    pub fn next_delay(&mut self) -> Duration {
        let delay = self.next;
        self.next = (self.next * 2).min(self.max);
        delay
    }

    /// Back to the first delay (after a successful connection).
    pub fn reset(&mut self) {
        self.next = self.first;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_the_cap_and_resets() {
        let mut b = Backoff::new(Duration::from_millis(250), Duration::from_secs(2));
        let delays: Vec<_> = (0..6).map(|_| b.next_delay().as_millis()).collect();
        assert_eq!(delays, [250, 500, 1000, 2000, 2000, 2000]);
        b.reset();
        assert_eq!(b.next_delay(), Duration::from_millis(250));
    }
}
