//! Dispatch: for an alert, the nearest available units by travel time, and
//! the event that sends them.

use crate::event::{Envelope, Event, Origin};
use crate::model::UnixMicros;
use crate::roads::{Eta, RoadGraph};
use crate::world::World;

/// Straight-line candidates considered per suggestion asked for: the
/// nearest by road is almost always among the nearest few by air.
const CANDIDATES_PER_SUGGESTION: usize = 4;

/// A unit that could go, and how long it would take.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    /// Unit id.
    pub unit: String,
    /// Callsign.
    pub callsign: String,
    /// Travel time and distance.
    pub eta: Eta,
}

/// The `k` available units that reach `alert` soonest. With no road graph,
/// ETAs are straight-line estimates (and say so).
pub fn suggest(world: &World, graph: Option<&RoadGraph>, alert: &str, k: usize) -> Vec<Suggestion> {
    let Some(alert) = world.state().alerts.get(alert) else {
        return Vec::new();
    };
    let candidates: Vec<(&crate::model::Unit, f64)> = world
        .index()
        .nearest_available(alert.lonlat, k * CANDIDATES_PER_SUGGESTION)
        .iter()
        .filter_map(|(id, straight_m)| Some((world.state().units.get(&**id)?, *straight_m)))
        .collect();
    // One road search per travel mode, from the alert out to every candidate.
    let mut etas: Vec<Option<Eta>> = vec![None; candidates.len()];
    if let Some(g) = graph {
        let mut modes: Vec<crate::roads::TravelMode> = Vec::new();
        for (unit, _) in &candidates {
            let mode = unit.kind.travel_mode();
            if !modes.contains(&mode) {
                modes.push(mode);
            }
        }
        for mode in modes {
            let (slots, origins): (Vec<usize>, Vec<[f64; 2]>) = candidates
                .iter()
                .enumerate()
                .filter(|(_, (u, _))| u.kind.travel_mode() == mode)
                .map(|(i, (u, _))| (i, u.lonlat))
                .unzip();
            for (slot, eta) in slots
                .into_iter()
                .zip(g.etas_to(alert.lonlat, &origins, mode))
            {
                etas[slot] = Some(eta);
            }
        }
    }
    let mut out: Vec<Suggestion> = candidates
        .iter()
        .zip(etas)
        .map(|((unit, straight_m), eta)| {
            let eta = eta.unwrap_or_else(|| {
                let metres = straight_m * crate::roads::DETOUR_FACTOR;
                Eta {
                    seconds: metres / unit.kind.travel_mode().off_road_mps(),
                    metres,
                    by_road: false,
                }
            });
            Suggestion {
                unit: unit.id.clone(),
                callsign: unit.callsign.clone(),
                eta,
            }
        })
        .collect();
    out.sort_by(|a, b| a.eta.seconds.total_cmp(&b.eta.seconds));
    out.truncate(k);
    out
}

/// The event that dispatches `suggestions` to `alert`, by `operator`.
pub fn dispatch_event(
    alert: &str,
    suggestions: &[Suggestion],
    operator: &str,
    at: UnixMicros,
) -> Envelope {
    Envelope {
        at,
        origin: Origin::Operator(operator.to_owned()),
        event: Event::Dispatched {
            alert: alert.to_owned(),
            units: suggestions.iter().map(|s| s.unit.clone()).collect(),
            by: operator.to_owned(),
            etas_s: suggestions.iter().map(|s| s.eta.seconds).collect(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::basemap::RoadClass;
    use crate::event::UnitReport;
    use crate::frame::LocalFrame;
    use crate::model::{AlertSource, LonLat, UnitKind};
    use crate::status::{AlertSeverity, UnitStatus};

    const ORIGIN: LonLat = [71.43, 51.13];

    fn at(east_m: f64, north_m: f64) -> LonLat {
        LocalFrame::new(ORIGIN).lonlat([east_m, north_m])
    }

    fn env(event: Event) -> Envelope {
        Envelope {
            at: 0,
            origin: Origin::Simulator,
            event,
        }
    }

    /// A river with one bridge: the unit nearest by air is across the river
    /// and must drive to the bridge, so a farther unit on the near bank wins.
    #[test]
    fn suggestions_rank_by_road_time_not_distance() {
        let graph = RoadGraph::from_lines(
            vec![
                // Near bank, south of the river (y = 0 … -100).
                (
                    RoadClass::Secondary,
                    vec![at(-3000.0, -100.0), at(0.0, -100.0), at(3000.0, -100.0)],
                ),
                // Far bank.
                (
                    RoadClass::Secondary,
                    vec![at(-3000.0, 100.0), at(0.0, 100.0), at(3000.0, 100.0)],
                ),
                // The bridge, 3 km east.
                (
                    RoadClass::Secondary,
                    vec![at(3000.0, -100.0), at(3000.0, 100.0)],
                ),
            ],
            LocalFrame::new(ORIGIN),
        );
        let mut world = World::new(ORIGIN);
        for (id, p, kind) in [
            ("across", at(0.0, 100.0), UnitKind::Car),
            ("near-bank", at(-1500.0, -100.0), UnitKind::Car),
            ("busy", at(10.0, -100.0), UnitKind::Car),
        ] {
            world.apply(&env(Event::UnitReported(UnitReport {
                id: id.into(),
                callsign: None,
                kind,
                lonlat: p,
                ce_m: 5.0,
                heading_deg: None,
                speed_mps: None,
                stale_at: i64::MAX,
            })));
        }
        world.apply(&env(Event::UnitStatusSet {
            id: "busy".into(),
            status: UnitStatus::OnScene,
        }));
        world.apply(&env(Event::AlertRaised {
            id: "A".into(),
            source: AlertSource::Operator,
            severity: AlertSeverity::High,
            title: "t".into(),
            lonlat: at(0.0, -100.0),
        }));
        let s = suggest(&world, Some(&graph), "A", 2);
        assert_eq!(
            s.iter().map(|s| s.unit.as_str()).collect::<Vec<_>>(),
            ["near-bank", "across"]
        );
        let speed = RoadClass::Secondary.car_speed_mps().expect("drivable");
        assert!((s[0].eta.seconds - 1500.0 / speed).abs() < 0.1, "{s:?}");
        assert!(
            (s[1].eta.metres - (3000.0 + 200.0 + 3000.0)).abs() < 1.0,
            "{s:?}"
        );
        // Without roads, the straight line decides.
        let s = suggest(&world, None, "A", 1);
        assert_eq!(s[0].unit, "across");
        assert!(!s[0].eta.by_road);

        let e = dispatch_event("A", &suggest(&world, Some(&graph), "A", 1), "Aigerim", 5);
        world.apply(&e);
        assert_eq!(world.state().units["near-bank"].status, UnitStatus::EnRoute);
        assert_eq!(
            suggest(&world, Some(&graph), "A", 1)[0].unit,
            "across",
            "dispatched units are not suggested again"
        );
    }
}
