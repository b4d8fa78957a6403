//! What a timeline draws: marks at instants of the journal (alerts,
//! dispatches, operator actions, camera outages).

use crate::event::{Envelope, Event, Origin};

/// Something the timeline draws at an instant.
#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    /// Journal time, Unix microseconds.
    pub at: i64,
    /// What happened.
    pub kind: MarkKind,
    /// One line for the tooltip.
    pub label: String,
}

/// Kinds of timeline mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkKind {
    /// A camera recorded nothing from `at` until this instant (an outage).
    Outage {
        /// End of the gap, Unix µs.
        until: i64,
    },
    /// An alert was raised (critical ones stand out).
    Alert {
        /// Whether it is critical.
        critical: bool,
    },
    /// Units were dispatched.
    Dispatch,
    /// An operator acted (acknowledge, resolve, note, ring drawn…).
    Operator,
}

impl Mark {
    /// The mark an event makes on the timeline, if any.
    pub fn of(at: i64, envelope: &Envelope) -> Option<Self> {
        let (kind, label) = match &envelope.event {
            Event::AlertRaised {
                title, severity, ..
            } => (
                MarkKind::Alert {
                    critical: *severity == crate::AlertSeverity::Critical,
                },
                title.clone(),
            ),
            Event::Dispatched { alert, units, .. } => (
                MarkKind::Dispatch,
                format!("{} → {alert}", units.join(", ")),
            ),
            other => match &envelope.origin {
                Origin::Operator(who) => (MarkKind::Operator, format!("{who}: {}", name(other))),
                _ => return None,
            },
        };
        Some(Self { at, kind, label })
    }
}

/// A short name for an operator's event.
fn name(event: &Event) -> String {
    match event {
        Event::AlertStateSet { id, state, .. } => format!("{id} {state:?}"),
        Event::AlertNoted { id, .. } => format!("note on {id}"),
        Event::RingDrawn(r) => format!("ring {} drawn", r.id),
        Event::RingRemoved { id } => format!("ring {id} removed"),
        Event::UnitStatusSet { id, status } => format!("{id} {status:?}"),
        Event::CheckpointStatusSet { id, .. } => format!("checkpoint {id}"),
        _ => "action".into(),
    }
}
