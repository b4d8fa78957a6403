//! Who is at a console and what they may do: the access policy every
//! console, the audit trail and the command line share. Names for
//! operators live in the console (they are translated); the ids here are
//! what the command line, `layouts.json` and the audit trail carry.

use serde::{Deserialize, Serialize};

/// Who is at the console.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// Works the alert queue and dispatches units.
    Dispatcher,
    /// Watches one checkpoint (or a ring of them).
    Supervisor,
    /// Reviews and replays incidents; takes no operational action.
    Trainer,
}

/// What an operator may do to an alert.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Acknowledge a new alert.
    Acknowledge,
    /// Send units to it.
    Dispatch,
    /// Close it with a note.
    Resolve,
}

impl Role {
    /// Every role, in the order the start dialog offers them.
    pub const ALL: [Self; 3] = [Self::Dispatcher, Self::Supervisor, Self::Trainer];

    /// Its id on the command line and in the audit trail.
    pub fn id(self) -> &'static str {
        match self {
            Self::Dispatcher => "dispatcher",
            Self::Supervisor => "supervisor",
            Self::Trainer => "trainer",
        }
    }

    /// Whether this role may take `action`: dispatchers everything,
    /// supervisors acknowledge and resolve (units are the dispatcher's to
    /// send), trainers nothing (they watch, the room operates).
    pub fn may(self, action: Action) -> bool {
        match self {
            Self::Dispatcher => true,
            Self::Supervisor => action != Action::Dispatch,
            Self::Trainer => false,
        }
    }
}

impl std::str::FromStr for Role {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|r| r.id() == s)
            .ok_or_else(|| format!("`{s}` is not a role (dispatcher, supervisor, trainer)"))
    }
}

/// The room's operating mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Mode {
    /// Day-to-day watch.
    Normal,
    /// An incident in progress.
    Emergency,
    /// A major event under security (crowds, many cameras).
    MajorEvent,
    /// A planned special operation (units and drones).
    SpecialOperation,
}

impl Mode {
    /// Every mode, in menu and shortcut order (F5 … F8).
    pub const ALL: [Self; 4] = [
        Self::Normal,
        Self::Emergency,
        Self::MajorEvent,
        Self::SpecialOperation,
    ];

    /// Its id on the command line, in `layouts.json` and the audit trail.
    pub fn id(self) -> &'static str {
        match self {
            Self::Normal => "normal",
            Self::Emergency => "emergency",
            Self::MajorEvent => "major-event",
            Self::SpecialOperation => "special-operation",
        }
    }
}

impl std::str::FromStr for Mode {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL.into_iter().find(|m| m.id() == s).ok_or_else(|| {
            format!("`{s}` is not a mode (normal, emergency, major-event, special-operation)")
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_read_back() {
        for r in Role::ALL {
            assert_eq!(r.id().parse::<Role>(), Ok(r));
        }
        for m in Mode::ALL {
            assert_eq!(m.id().parse::<Mode>(), Ok(m));
        }
        assert!("boss".parse::<Role>().is_err());
    }

    #[test]
    fn only_dispatchers_send_units_and_trainers_act_on_nothing() {
        assert!(Role::Dispatcher.may(Action::Dispatch));
        assert!(!Role::Supervisor.may(Action::Dispatch));
        assert!(Role::Supervisor.may(Action::Resolve));
        for a in [Action::Acknowledge, Action::Dispatch, Action::Resolve] {
            assert!(!Role::Trainer.may(a));
        }
    }
}
