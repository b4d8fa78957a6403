//! The audit entries an operator's events make: acknowledging, resolving
//! (with the note written with it) and dispatching each unit.

use crate::AlertState;
use crate::event::Event;

use super::AuditAction;

/// The audit actions in a batch of operator events (a resolve carries the
/// note written with it).
pub fn actions_of(events: &[Event]) -> Vec<AuditAction> {
    let note_for = |alert: &str| {
        events.iter().find_map(|e| match e {
            Event::AlertNoted { id, note, .. } if id == alert => Some(note.clone()),
            _ => None,
        })
    };
    let mut out = Vec::new();
    for event in events {
        match event {
            Event::AlertStateSet {
                id,
                state: AlertState::Acknowledged,
                ..
            } => out.push(AuditAction::AlertAcknowledged { alert: id.clone() }),
            Event::AlertStateSet {
                id,
                state: AlertState::Resolved,
                ..
            } => out.push(AuditAction::AlertResolved {
                alert: id.clone(),
                note: note_for(id),
            }),
            Event::Dispatched { alert, units, .. } => {
                out.extend(units.iter().map(|unit| AuditAction::AlertDispatched {
                    alert: alert.clone(),
                    unit: unit.clone(),
                }));
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_carry_their_note_and_dispatches_name_each_unit() {
        let events = [
            Event::AlertNoted {
                id: "a".into(),
                note: "found nothing".into(),
                by: "x".into(),
            },
            Event::AlertStateSet {
                id: "a".into(),
                state: AlertState::Resolved,
                by: "x".into(),
            },
            Event::Dispatched {
                alert: "b".into(),
                units: vec!["u1".into(), "u2".into()],
                by: "x".into(),
                etas_s: vec![10.0, 20.0],
            },
            Event::AlertStateSet {
                id: "c".into(),
                state: AlertState::Acknowledged,
                by: "x".into(),
            },
        ];
        assert_eq!(
            actions_of(&events),
            vec![
                AuditAction::AlertResolved {
                    alert: "a".into(),
                    note: Some("found nothing".into()),
                },
                AuditAction::AlertDispatched {
                    alert: "b".into(),
                    unit: "u1".into(),
                },
                AuditAction::AlertDispatched {
                    alert: "b".into(),
                    unit: "u2".into(),
                },
                AuditAction::AlertAcknowledged { alert: "c".into() },
            ]
        );
    }
}
