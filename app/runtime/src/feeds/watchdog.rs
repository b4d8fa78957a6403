//! Drone link-loss detection: a drone silent for longer than
//! [`DRONE_LINK_TIMEOUT_US`] gets one `DroneLinkLost` event (journaled, so
//! replay shows it); its next frame clears it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use watchfloor_layers::event::{Envelope, Event, Origin};
use watchfloor_layers::model::{DRONE_LINK_TIMEOUT_US, UnixMicros};

use super::serve::EventSender;
use watchfloor_layers::clock::now_us;

/// When each drone was last heard, and whether its loss was announced.
#[derive(Debug, Clone, Default)]
pub struct DroneClock(Arc<Mutex<HashMap<u32, (UnixMicros, bool)>>>);

impl DroneClock {
    /// A frame from `system_id` arrived at `at`.
    pub fn heard(&self, system_id: u32, at: UnixMicros) {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(system_id, (at, false));
    }

    /// Drones silent past the timeout at `now` and not yet announced; marks
    /// them announced.
    pub fn newly_lost(&self, now: UnixMicros) -> Vec<u32> {
        let mut map = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        let mut lost: Vec<u32> = map
            .iter_mut()
            .filter(|(_, (last, announced))| !*announced && now - *last > DRONE_LINK_TIMEOUT_US)
            .map(|(id, entry)| {
                entry.1 = true;
                *id
            })
            .collect();
        lost.sort_unstable();
        lost
    }
}

pub(super) fn start(drones: DroneClock, events: EventSender) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_millis(500));
        loop {
            tick.tick().await;
            let now = now_us();
            for system_id in drones.newly_lost(now) {
                tracing::warn!(system_id, "drone link lost: no MAVLink for over 3 s");
                let e = Envelope {
                    at: now,
                    origin: Origin::System,
                    event: Event::DroneLinkLost { system_id },
                };
                if events.send(e).await.is_err() {
                    return;
                }
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_silent_drone_is_announced_once_and_cleared_when_heard() {
        let clock = DroneClock::default();
        clock.heard(1, 0);
        clock.heard(2, 2_000_000);
        assert!(clock.newly_lost(3_000_000).is_empty());
        assert_eq!(clock.newly_lost(3_500_000), [1]);
        assert!(clock.newly_lost(4_000_000).is_empty(), "announced once");
        assert_eq!(clock.newly_lost(5_500_000), [2]);
        clock.heard(1, 6_000_000);
        assert_eq!(clock.newly_lost(9_100_000), [1]);
    }
}
