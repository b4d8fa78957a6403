//! The states a dispatcher reads at a glance: alert severity and lifecycle,
//! unit availability, and the health of a live feed.
//!
//! Each enum lists its variants in the order a console sorts them (most urgent
//! first), so `Ord` is the display order.

/// How urgent an alert is. Ordered most severe first.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum AlertSeverity {
    /// Life or safety at risk now; flashes and may sound.
    Critical,
    /// Needs a unit soon.
    High,
    /// Needs a look.
    Medium,
    /// For information.
    Low,
}

impl AlertSeverity {
    /// All severities, most severe first.
    pub const ALL: [Self; 4] = [Self::Critical, Self::High, Self::Medium, Self::Low];
}

/// Where an alert is in its lifecycle, from raised to resolved.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum AlertState {
    /// Raised, nobody has looked yet.
    New,
    /// An operator has seen it.
    Acknowledged,
    /// A unit is on its way.
    Dispatched,
    /// A unit has arrived.
    OnScene,
    /// Closed, with a note.
    Resolved,
}

impl AlertState {
    /// All states in lifecycle order.
    pub const ALL: [Self; 5] = [
        Self::New,
        Self::Acknowledged,
        Self::Dispatched,
        Self::OnScene,
        Self::Resolved,
    ];

    /// Whether the alert still needs attention.
    pub fn is_open(self) -> bool {
        self != Self::Resolved
    }
}

/// Whether a patrol unit can take a job.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum UnitStatus {
    /// Free to be dispatched.
    Available,
    /// Driving to a job.
    EnRoute,
    /// At a job.
    OnScene,
    /// Not on shift.
    OffDuty,
}

impl UnitStatus {
    /// All statuses, in display order.
    pub const ALL: [Self; 4] = [Self::Available, Self::EnRoute, Self::OnScene, Self::OffDuty];

    /// Whether the unit may be suggested for a new dispatch.
    pub fn is_dispatchable(self) -> bool {
        self == Self::Available
    }
}

/// The health of one live feed (a camera, a CoT or MAVLink link).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum FeedHealth {
    /// Data arrives on time.
    Live,
    /// Trying to (re)connect.
    Connecting,
    /// Connected, but nothing arrived for too long.
    Stalled,
    /// Not reachable; retrying with backoff.
    Offline,
}

impl FeedHealth {
    /// All health states, healthiest first.
    pub const ALL: [Self; 4] = [Self::Live, Self::Connecting, Self::Stalled, Self::Offline];
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severities_sort_most_severe_first() {
        let mut v = vec![
            AlertSeverity::Low,
            AlertSeverity::Critical,
            AlertSeverity::Medium,
            AlertSeverity::High,
        ];
        v.sort();
        assert_eq!(v, AlertSeverity::ALL);
    }

    #[test]
    fn only_resolved_alerts_are_closed() {
        let open: Vec<_> = AlertState::ALL
            .into_iter()
            .filter(|s| s.is_open())
            .collect();
        assert_eq!(open.len(), 4);
        assert!(!AlertState::Resolved.is_open());
    }

    #[test]
    fn only_available_units_are_dispatchable() {
        let free: Vec<_> = UnitStatus::ALL
            .into_iter()
            .filter(|s| s.is_dispatchable())
            .collect();
        assert_eq!(free, vec![UnitStatus::Available]);
    }
}

/// What the starter found, for the status bar.
#[derive(Debug, Clone, Default)]
pub struct WorldStatus {
    /// Feeds bound, or why not.
    pub feeds: Option<Result<crate::feeds::ports::FeedPorts, String>>,
    /// Journal directory in use, or why there is none.
    pub journal: Option<Result<std::path::PathBuf, String>>,
    /// Problems in the site configuration (each names file and feature).
    pub site_issues: Vec<String>,
    /// The simulator's state, if one was asked for.
    pub simulator: Option<Result<(), String>>,
}
