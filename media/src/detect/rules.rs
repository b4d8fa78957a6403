//! Rules that turn one camera's tracks into hits: intrusion, line crossing,
//! loitering, stopped vehicles and crowds.
//!
//! Zones and tripwires are in normalised image coordinates (x right, y down,
//! 0..1). An object's position is its box's foot point (bottom centre), and
//! only confirmed tracks count. Dwell times are measured between calls to
//! [`RuleSet::evaluate`], so they are as fine as the frame rate.

use std::collections::{HashMap, HashSet};
use std::fmt;

use super::tracker::Track;
use super::types::BBox;

/// How far back a track's foot history is looked at to measure its speed for
/// stopped-vehicle rules, seconds.
pub const SPEED_WINDOW_S: f64 = 1.0;

/// A polygonal area of the image.
#[derive(Debug, Clone, PartialEq)]
pub struct Zone {
    /// Identifier that rules refer to.
    pub id: String,
    /// Corners in normalised image coordinates, at least three; closed implicitly.
    pub polygon: Vec<[f32; 2]>,
}

impl Zone {
    /// Whether `point` is inside (even-odd rule, by ray casting).
    pub fn contains(&self, point: [f32; 2]) -> bool {
        let [px, py] = point;
        let Some(&last) = self.polygon.last() else {
            return false;
        };
        let mut inside = false;
        let mut prev = last;
        for &corner in &self.polygon {
            let ([x0, y0], [x1, y1]) = (prev, corner);
            if (y0 > py) != (y1 > py) && px < x0 + (x1 - x0) * (py - y0) / (y1 - y0) {
                inside = !inside;
            }
            prev = corner;
        }
        inside
    }
}

/// A directed line segment from `a` to `b` that tracks cross.
///
/// Sides are as seen on screen (image coordinates, y down) by someone
/// standing on `a` and facing `b`: the *right* side is on their right hand.
/// Crossing [`CrossDirection::Forward`] is from the left side to the right
/// side. So for a line drawn left to right across the screen, forward is
/// moving down the screen; for a line drawn top to bottom, forward is moving
/// from the screen's right to its left.
#[derive(Debug, Clone, PartialEq)]
pub struct Tripwire {
    /// Identifier that rules refer to.
    pub id: String,
    /// Start, normalised image coordinates.
    pub a: [f32; 2],
    /// End, normalised image coordinates.
    pub b: [f32; 2],
}

impl Tripwire {
    /// Which side `point` is on: positive on the right, negative on the left,
    /// zero on the line (which counts as the right side for crossings).
    pub fn side(&self, point: [f32; 2]) -> f32 {
        cross(sub(self.b, self.a), sub(point, self.a))
    }

    /// The direction in which a move from `from` to `to` crosses the
    /// segment, if it does: `Forward` or `Backward`, never `Both`.
    pub fn crossing(&self, from: [f32; 2], to: [f32; 2]) -> Option<CrossDirection> {
        let (before, after) = (self.side(from) >= 0.0, self.side(to) >= 0.0);
        if before == after {
            return None;
        }
        // The move's line must separate (or touch) the segment's ends.
        let step = sub(to, from);
        let ea = cross(step, sub(self.a, from));
        let eb = cross(step, sub(self.b, from));
        if ea * eb > 0.0 {
            return None;
        }
        Some(if after {
            CrossDirection::Forward
        } else {
            CrossDirection::Backward
        })
    }
}

fn sub(p: [f32; 2], q: [f32; 2]) -> [f32; 2] {
    [p[0] - q[0], p[1] - q[1]]
}

fn cross(u: [f32; 2], v: [f32; 2]) -> f32 {
    u[0] * v[1] - u[1] * v[0]
}

/// Which crossings of a tripwire a rule wants (see [`Tripwire`] for sides).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CrossDirection {
    /// From the left side to the right side.
    Forward,
    /// From the right side to the left side.
    Backward,
    /// Either way.
    Both,
}

impl CrossDirection {
    /// Whether a crossing made in direction `made` is wanted.
    pub fn accepts(self, made: Self) -> bool {
        self == Self::Both || self == made
    }
}

/// How urgent a rule's hits are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// For the record.
    Low,
    /// Worth a look.
    Medium,
    /// Needs attention.
    High,
    /// Needs attention now.
    Critical,
}

/// What a rule watches for.
#[derive(Debug, Clone, PartialEq)]
pub enum RuleKind {
    /// A track inside `zone` continuously for at least `min_dwell_s`; once
    /// per stay.
    Intrusion {
        /// Zone id.
        zone: String,
        /// Seconds inside before it fires (0: at once).
        min_dwell_s: f64,
    },
    /// A track's foot crossing `line` in `direction`; every time.
    LineCrossing {
        /// Tripwire id.
        line: String,
        /// Which crossings fire.
        direction: CrossDirection,
    },
    /// A track inside `zone` continuously for at least `dwell_s`; once per stay.
    Loitering {
        /// Zone id.
        zone: String,
        /// Seconds inside before it fires.
        dwell_s: f64,
    },
    /// A track inside `zone` whose foot speed stayed below `max_speed` for
    /// at least `dwell_s`; once until it moves or leaves.
    StoppedVehicle {
        /// Zone id.
        zone: String,
        /// Seconds stopped before it fires.
        dwell_s: f64,
        /// Speeds below this count as stopped, normalised units per second
        /// (measured over [`SPEED_WINDOW_S`]).
        max_speed: f32,
    },
    /// At least `min_count` tracks inside `zone` at once; once until the
    /// count drops below `min_count`.
    Crowd {
        /// Zone id.
        zone: String,
        /// Tracks needed, at least 1.
        min_count: usize,
    },
}

/// One rule of a camera.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    /// Identifier, unique within the rule set.
    pub id: String,
    /// Name shown to operators.
    pub name: String,
    /// What it watches for.
    pub kind: RuleKind,
    /// Class indices it applies to; empty for any class.
    pub classes: Vec<u32>,
    /// How urgent its hits are.
    pub severity: Severity,
}

impl Rule {
    /// Whether it applies to objects of `class`.
    pub fn applies_to(&self, class: u32) -> bool {
        self.classes.is_empty() || self.classes.contains(&class)
    }
}

/// A rule firing.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleHit {
    /// Id of the rule.
    pub rule: String,
    /// Name of the rule.
    pub name: String,
    /// Severity of the rule.
    pub severity: Severity,
    /// `"intrusion"`, `"line_crossing"`, `"loitering"`, `"stopped_vehicle"`
    /// or `"crowd"`.
    pub kind: &'static str,
    /// Ids of the tracks involved.
    pub tracks: Vec<u64>,
    /// Their boxes, in the same order.
    pub boxes: Vec<BBox>,
    /// Crowd: tracks in the zone. Line crossing: crossings so far in this
    /// hit's direction. Otherwise `None`.
    pub count: Option<u64>,
}

/// Why a rule set was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuleError {
    /// A rule names a zone that is not in the set.
    UnknownZone {
        /// Rule id.
        rule: String,
        /// The missing zone's id.
        zone: String,
    },
    /// A rule names a tripwire that is not in the set.
    UnknownLine {
        /// Rule id.
        rule: String,
        /// The missing tripwire's id.
        line: String,
    },
    /// A zone has fewer than three corners or a non-finite one.
    BadZone {
        /// Zone id.
        zone: String,
        /// How many corners it has.
        points: usize,
    },
    /// A tripwire's ends coincide (closer than 1e-6) or are not finite.
    DegenerateLine {
        /// Tripwire id.
        line: String,
    },
    /// Two zones, tripwires or rules share an id.
    DuplicateId {
        /// `"zone"`, `"line"` or `"rule"`.
        what: &'static str,
        /// The repeated id.
        id: String,
    },
    /// A rule has a parameter out of range.
    BadParameter {
        /// Rule id.
        rule: String,
        /// What is wrong.
        reason: &'static str,
    },
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnknownZone { rule, zone } => {
                write!(
                    f,
                    "rule `{rule}` refers to zone `{zone}`, which is not defined"
                )
            }
            Self::UnknownLine { rule, line } => {
                write!(
                    f,
                    "rule `{rule}` refers to line `{line}`, which is not defined"
                )
            }
            Self::BadZone { zone, points } => write!(
                f,
                "zone `{zone}` needs at least 3 finite corners (it has {points} corners)"
            ),
            Self::DegenerateLine { line } => {
                write!(f, "line `{line}` needs two distinct, finite ends")
            }
            Self::DuplicateId { what, id } => write!(f, "{what} id `{id}` is used twice"),
            Self::BadParameter { rule, reason } => write!(f, "rule `{rule}`: {reason}"),
        }
    }
}

impl std::error::Error for RuleError {}

/// A rule with its zone or tripwire resolved to an index.
#[derive(Debug, Clone, Copy)]
enum Check {
    Dwell {
        zone: usize,
        dwell_s: f64,
        kind: &'static str,
    },
    Crossing {
        line: usize,
        direction: CrossDirection,
    },
    Stopped {
        zone: usize,
        dwell_s: f64,
        max_speed: f32,
    },
    Crowd {
        zone: usize,
        min_count: usize,
    },
}

/// What a rule remembers about one track.
#[derive(Debug, Clone, Copy, Default)]
struct TrackState {
    /// When the current stay (or stop) began.
    since: Option<f64>,
    /// Whether it fired for the current stay.
    fired: bool,
    /// Time of the newest foot-history sample already checked for crossings.
    checked_s: Option<f64>,
}

/// A rule and its state.
#[derive(Debug, Clone)]
struct Armed {
    rule: Rule,
    check: Check,
    tracks: HashMap<u64, TrackState>,
    crowd_fired: bool,
    forward: u64,
    backward: u64,
}

/// The zones, tripwires and rules of one camera, with per-track state.
#[derive(Debug, Clone)]
pub struct RuleSet {
    zones: Vec<Zone>,
    lines: Vec<Tripwire>,
    rules: Vec<Armed>,
}

impl RuleSet {
    /// Checks and arms a camera's rules.
    pub fn new(
        zones: Vec<Zone>,
        lines: Vec<Tripwire>,
        rules: Vec<Rule>,
    ) -> Result<Self, RuleError> {
        for (i, zone) in zones.iter().enumerate() {
            let finite = zone.polygon.iter().flatten().all(|v| v.is_finite());
            if zone.polygon.len() < 3 || !finite {
                return Err(RuleError::BadZone {
                    zone: zone.id.clone(),
                    points: zone.polygon.len(),
                });
            }
            check_unique("zone", &zone.id, zones[..i].iter().map(|z| &z.id))?;
        }
        for (i, line) in lines.iter().enumerate() {
            let finite = line.a.iter().chain(&line.b).all(|v| v.is_finite());
            let step = sub(line.b, line.a);
            if !finite || step[0].hypot(step[1]) < 1e-6 {
                return Err(RuleError::DegenerateLine {
                    line: line.id.clone(),
                });
            }
            check_unique("line", &line.id, lines[..i].iter().map(|l| &l.id))?;
        }
        let mut armed: Vec<Armed> = Vec::with_capacity(rules.len());
        for rule in rules {
            check_unique("rule", &rule.id, armed.iter().map(|a| &a.rule.id))?;
            let check = resolve(&rule, &zones, &lines)?;
            armed.push(Armed {
                rule,
                check,
                tracks: HashMap::new(),
                crowd_fired: false,
                forward: 0,
                backward: 0,
            });
        }
        Ok(Self {
            zones,
            lines,
            rules: armed,
        })
    }

    /// The zones.
    pub fn zones(&self) -> &[Zone] {
        &self.zones
    }

    /// The tripwires.
    pub fn lines(&self) -> &[Tripwire] {
        &self.lines
    }

    /// The rules, in evaluation order.
    pub fn rules(&self) -> impl Iterator<Item = &Rule> {
        self.rules.iter().map(|a| &a.rule)
    }

    /// Crossings (forward, backward) counted so far by line-crossing rule
    /// `rule_id`, in both directions whatever the rule fires on; `None` for
    /// an unknown id or another kind of rule.
    pub fn counts(&self, rule_id: &str) -> Option<(u64, u64)> {
        let armed = self.rules.iter().find(|a| a.rule.id == rule_id)?;
        matches!(armed.check, Check::Crossing { .. }).then_some((armed.forward, armed.backward))
    }

    /// Runs every rule over this frame's tracks (all live tracks of the
    /// camera, at `now_s` seconds) and returns the hits, in rule order.
    ///
    /// A line-crossing rule seeing a track for the first time checks its
    /// whole foot history, so the crossing that confirmed it counts.
    pub fn evaluate(&mut self, now_s: f64, tracks: &[Track]) -> Vec<RuleHit> {
        let present: HashSet<u64> = tracks.iter().map(|t| t.id).collect();
        let mut hits = Vec::new();
        for armed in &mut self.rules {
            let rule = &armed.rule;
            let mine: Vec<&Track> = tracks
                .iter()
                .filter(|t| t.confirmed && rule.applies_to(t.class))
                .collect();
            match armed.check {
                Check::Dwell {
                    zone,
                    dwell_s,
                    kind,
                } => {
                    let zone = &self.zones[zone];
                    armed.dwell(
                        now_s,
                        &mine,
                        |t| zone.contains(t.foot()),
                        dwell_s,
                        kind,
                        &mut hits,
                    );
                }
                Check::Stopped {
                    zone,
                    dwell_s,
                    max_speed,
                } => {
                    let zone = &self.zones[zone];
                    let stopped = |t: &Track| {
                        zone.contains(t.foot())
                            && t.foot_speed(SPEED_WINDOW_S).is_some_and(|s| s < max_speed)
                    };
                    armed.dwell(now_s, &mine, stopped, dwell_s, "stopped_vehicle", &mut hits);
                }
                Check::Crossing { line, direction } => {
                    armed.crossings(&mine, &self.lines[line], direction, &mut hits);
                }
                Check::Crowd { zone, min_count } => {
                    armed.crowd(&mine, &self.zones[zone], min_count, &mut hits);
                }
            }
            armed.tracks.retain(|id, _| present.contains(id));
        }
        hits
    }
}

/// Fails when `id` is already among `seen`.
fn check_unique<'a>(
    what: &'static str,
    id: &str,
    mut seen: impl Iterator<Item = &'a String>,
) -> Result<(), RuleError> {
    if seen.any(|s| s == id) {
        return Err(RuleError::DuplicateId {
            what,
            id: id.to_owned(),
        });
    }
    Ok(())
}

/// Resolves a rule's zone or tripwire and checks its parameters.
fn resolve(rule: &Rule, zones: &[Zone], lines: &[Tripwire]) -> Result<Check, RuleError> {
    let zone_index = |zone: &str| {
        zones
            .iter()
            .position(|z| z.id == zone)
            .ok_or_else(|| RuleError::UnknownZone {
                rule: rule.id.clone(),
                zone: zone.to_owned(),
            })
    };
    let bad = |reason| RuleError::BadParameter {
        rule: rule.id.clone(),
        reason,
    };
    let dwell_ok = |s: f64| s.is_finite() && s >= 0.0;
    match &rule.kind {
        RuleKind::Intrusion {
            zone,
            min_dwell_s: dwell_s,
        }
        | RuleKind::Loitering { zone, dwell_s } => {
            if !dwell_ok(*dwell_s) {
                return Err(bad(
                    "dwell time must be a finite, non-negative number of seconds",
                ));
            }
            let kind = if matches!(rule.kind, RuleKind::Intrusion { .. }) {
                "intrusion"
            } else {
                "loitering"
            };
            Ok(Check::Dwell {
                zone: zone_index(zone)?,
                dwell_s: *dwell_s,
                kind,
            })
        }
        RuleKind::LineCrossing { line, direction } => {
            let index =
                lines
                    .iter()
                    .position(|l| l.id == *line)
                    .ok_or_else(|| RuleError::UnknownLine {
                        rule: rule.id.clone(),
                        line: line.clone(),
                    })?;
            Ok(Check::Crossing {
                line: index,
                direction: *direction,
            })
        }
        RuleKind::StoppedVehicle {
            zone,
            dwell_s,
            max_speed,
        } => {
            if !dwell_ok(*dwell_s) {
                return Err(bad(
                    "dwell time must be a finite, non-negative number of seconds",
                ));
            }
            if !(max_speed.is_finite() && *max_speed > 0.0) {
                return Err(bad("max_speed must be a finite, positive speed"));
            }
            Ok(Check::Stopped {
                zone: zone_index(zone)?,
                dwell_s: *dwell_s,
                max_speed: *max_speed,
            })
        }
        RuleKind::Crowd { zone, min_count } => {
            if *min_count == 0 {
                return Err(bad("min_count must be at least 1"));
            }
            Ok(Check::Crowd {
                zone: zone_index(zone)?,
                min_count: *min_count,
            })
        }
    }
}

impl Armed {
    fn hit(&self, kind: &'static str, tracks: &[&Track], count: Option<u64>) -> RuleHit {
        RuleHit {
            rule: self.rule.id.clone(),
            name: self.rule.name.clone(),
            severity: self.rule.severity,
            kind,
            tracks: tracks.iter().map(|t| t.id).collect(),
            boxes: tracks.iter().map(|t| t.bbox).collect(),
            count,
        }
    }

    /// Fires once per track when `holds` has been true of it continuously
    /// for `dwell_s`; re-arms when it stops holding.
    fn dwell(
        &mut self,
        now_s: f64,
        tracks: &[&Track],
        holds: impl Fn(&Track) -> bool,
        dwell_s: f64,
        kind: &'static str,
        hits: &mut Vec<RuleHit>,
    ) {
        for &track in tracks {
            let state = self.tracks.entry(track.id).or_default();
            if !holds(track) {
                state.since = None;
                state.fired = false;
                continue;
            }
            let since = *state.since.get_or_insert(now_s);
            if !state.fired && now_s - since >= dwell_s {
                state.fired = true;
                hits.push(self.hit(kind, &[track], None));
            }
        }
    }

    /// Counts each track's new crossings of `line` and fires on the wanted ones.
    fn crossings(
        &mut self,
        tracks: &[&Track],
        line: &Tripwire,
        direction: CrossDirection,
        hits: &mut Vec<RuleHit>,
    ) {
        for &track in tracks {
            let state = self.tracks.entry(track.id).or_default();
            let checked = state.checked_s.unwrap_or(f64::NEG_INFINITY);
            if let Some(&(newest, _)) = track.foot_history.back() {
                state.checked_s = Some(newest);
            }
            let history = &track.foot_history;
            for (&(_, from), &(t, to)) in history.iter().zip(history.iter().skip(1)) {
                if t <= checked {
                    continue;
                }
                let Some(made) = line.crossing(from, to) else {
                    continue;
                };
                let count = if made == CrossDirection::Forward {
                    self.forward += 1;
                    self.forward
                } else {
                    self.backward += 1;
                    self.backward
                };
                if direction.accepts(made) {
                    hits.push(self.hit("line_crossing", &[track], Some(count)));
                }
            }
        }
    }

    /// Fires once when `min_count` tracks are inside `zone`; re-arms when
    /// fewer are.
    fn crowd(&mut self, tracks: &[&Track], zone: &Zone, min_count: usize, hits: &mut Vec<RuleHit>) {
        let inside: Vec<&Track> = tracks
            .iter()
            .copied()
            .filter(|t| zone.contains(t.foot()))
            .collect();
        if inside.len() < min_count {
            self.crowd_fired = false;
        } else if !self.crowd_fired {
            self.crowd_fired = true;
            hits.push(self.hit("crowd", &inside, Some(inside.len() as u64)));
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::VecDeque;

    use super::*;

    const PERSON: u32 = 0;
    const CAR: u32 = 2;

    /// A confirmed track whose box has its foot at the last history point.
    fn track(id: u64, class: u32, history: &[(f64, [f32; 2])]) -> Track {
        let &(last_s, [x, y]) = history.last().unwrap();
        Track {
            id,
            class,
            bbox: BBox::new(x - 0.05, y - 0.2, x + 0.05, y),
            score: 0.9,
            velocity: [0.0, 0.0],
            first_seen_s: history[0].0,
            last_seen_s: last_s,
            hits: history.len() as u32,
            confirmed: true,
            foot_history: history.iter().copied().collect::<VecDeque<_>>(),
        }
    }

    fn at(id: u64, class: u32, t: f64, foot: [f32; 2]) -> Track {
        track(id, class, &[(t, foot)])
    }

    fn square() -> Zone {
        Zone {
            id: "yard".into(),
            polygon: vec![[0.2, 0.2], [0.8, 0.2], [0.8, 0.8], [0.2, 0.8]],
        }
    }

    fn wire() -> Tripwire {
        Tripwire {
            id: "gate".into(),
            a: [0.0, 0.5],
            b: [1.0, 0.5],
        }
    }

    fn rule(kind: RuleKind, classes: Vec<u32>) -> Rule {
        Rule {
            id: "r1".into(),
            name: "Rule one".into(),
            kind,
            classes,
            severity: Severity::High,
        }
    }

    fn set(kind: RuleKind, classes: Vec<u32>) -> RuleSet {
        RuleSet::new(vec![square()], vec![wire()], vec![rule(kind, classes)]).unwrap()
    }

    const IN: [f32; 2] = [0.5, 0.5];
    const OUT: [f32; 2] = [0.9, 0.5];

    #[test]
    fn zone_contains_even_odd() {
        let l_shape = Zone {
            id: "l".into(),
            polygon: vec![
                [0.0, 0.0],
                [1.0, 0.0],
                [1.0, 0.4],
                [0.4, 0.4],
                [0.4, 1.0],
                [0.0, 1.0],
            ],
        };
        assert!(l_shape.contains([0.2, 0.8]));
        assert!(l_shape.contains([0.8, 0.2]));
        assert!(!l_shape.contains([0.8, 0.8]), "the notch is outside");
        assert!(!l_shape.contains([1.2, 0.2]));
    }

    #[test]
    fn tripwire_directions() {
        let w = wire();
        assert!(
            w.side([0.5, 0.6]) > 0.0,
            "below a left-to-right line is its right side"
        );
        assert_eq!(
            w.crossing([0.5, 0.4], [0.5, 0.6]),
            Some(CrossDirection::Forward)
        );
        assert_eq!(
            w.crossing([0.5, 0.6], [0.5, 0.4]),
            Some(CrossDirection::Backward)
        );
        assert_eq!(
            w.crossing([0.5, 0.4], [0.6, 0.45]),
            None,
            "stays on one side"
        );
        let short = Tripwire {
            id: "s".into(),
            a: [0.2, 0.5],
            b: [0.4, 0.5],
        };
        assert_eq!(
            short.crossing([0.5, 0.4], [0.5, 0.6]),
            None,
            "passes beside the segment"
        );
        let down = Tripwire {
            id: "d".into(),
            a: [0.5, 0.0],
            b: [0.5, 1.0],
        };
        assert_eq!(
            down.crossing([0.6, 0.5], [0.4, 0.5]),
            Some(CrossDirection::Forward)
        );
    }

    #[test]
    fn intrusion_fires_once_after_dwell_and_rearms() {
        let kind = RuleKind::Intrusion {
            zone: "yard".into(),
            min_dwell_s: 1.0,
        };
        let mut rules = set(kind, vec![PERSON]);
        assert!(rules.evaluate(0.0, &[at(7, PERSON, 0.0, IN)]).is_empty());
        assert!(rules.evaluate(0.5, &[at(7, PERSON, 0.5, IN)]).is_empty());
        let hits = rules.evaluate(1.0, &[at(7, PERSON, 1.0, IN)]);
        assert_eq!(hits.len(), 1);
        assert_eq!(
            (hits[0].kind, hits[0].tracks.clone()),
            ("intrusion", vec![7])
        );
        assert_eq!(
            (hits[0].rule.as_str(), hits[0].severity),
            ("r1", Severity::High)
        );
        assert!(
            rules.evaluate(1.5, &[at(7, PERSON, 1.5, IN)]).is_empty(),
            "once per stay"
        );
        assert!(rules.evaluate(2.0, &[at(7, PERSON, 2.0, OUT)]).is_empty());
        assert!(rules.evaluate(2.5, &[at(7, PERSON, 2.5, IN)]).is_empty());
        assert_eq!(
            rules.evaluate(3.5, &[at(7, PERSON, 3.5, IN)]).len(),
            1,
            "re-armed"
        );
    }

    #[test]
    fn intrusion_ignores_other_classes_short_stays_and_unconfirmed() {
        let kind = RuleKind::Intrusion {
            zone: "yard".into(),
            min_dwell_s: 1.0,
        };
        let mut rules = set(kind.clone(), vec![PERSON]);
        for i in 0..5 {
            let t = f64::from(i);
            assert!(rules.evaluate(t, &[at(1, CAR, t, IN)]).is_empty());
        }
        let mut rules = set(kind.clone(), vec![]);
        let steps = [(0.0, IN), (0.6, IN), (0.9, OUT), (1.0, IN), (1.5, IN)];
        for (t, foot) in steps {
            assert!(
                rules.evaluate(t, &[at(1, CAR, t, foot)]).is_empty(),
                "t = {t}"
            );
        }
        let mut rules = set(kind, vec![]);
        let mut tentative = at(1, PERSON, 0.0, IN);
        tentative.confirmed = false;
        assert!(
            rules
                .evaluate(0.0, std::slice::from_ref(&tentative))
                .is_empty()
        );
        assert!(rules.evaluate(5.0, &[tentative]).is_empty());
    }

    #[test]
    fn loitering_needs_full_dwell() {
        let kind = RuleKind::Loitering {
            zone: "yard".into(),
            dwell_s: 30.0,
        };
        let mut rules = set(kind, vec![]);
        for i in 0..30 {
            let t = f64::from(i);
            assert!(
                rules
                    .evaluate(t, &[at(3, PERSON, t, IN), at(4, PERSON, t, OUT)])
                    .is_empty()
            );
        }
        let hits = rules.evaluate(30.0, &[at(3, PERSON, 30.0, IN), at(4, PERSON, 30.0, OUT)]);
        assert_eq!(hits.len(), 1);
        assert_eq!(
            (hits[0].kind, hits[0].tracks.clone()),
            ("loitering", vec![3])
        );
        assert!(rules.evaluate(31.0, &[at(3, PERSON, 31.0, IN)]).is_empty());
    }

    #[test]
    fn line_crossing_in_wanted_direction_counts_both() {
        let kind = RuleKind::LineCrossing {
            line: "gate".into(),
            direction: CrossDirection::Forward,
        };
        let mut rules = set(kind, vec![CAR]);
        let down = track(
            1,
            CAR,
            &[(0.0, [0.5, 0.4]), (0.1, [0.5, 0.45]), (0.2, [0.5, 0.55])],
        );
        let hits = rules.evaluate(0.2, std::slice::from_ref(&down));
        assert_eq!(hits.len(), 1);
        assert_eq!((hits[0].kind, hits[0].count), ("line_crossing", Some(1)));
        assert!(
            rules.evaluate(0.3, &[down]).is_empty(),
            "a crossing is counted once"
        );
        let up = track(2, CAR, &[(0.0, [0.3, 0.6]), (0.1, [0.3, 0.4])]);
        assert!(rules.evaluate(0.4, &[up]).is_empty(), "wrong direction");
        let person = track(3, PERSON, &[(0.0, [0.5, 0.4]), (0.1, [0.5, 0.6])]);
        assert!(rules.evaluate(0.5, &[person]).is_empty(), "class filter");
        assert_eq!(rules.counts("r1"), Some((1, 1)));
        assert_eq!(rules.counts("nope"), None);
    }

    #[test]
    fn line_crossing_checks_only_new_history() {
        let kind = RuleKind::LineCrossing {
            line: "gate".into(),
            direction: CrossDirection::Both,
        };
        let mut rules = set(kind, vec![]);
        let mut t = track(1, CAR, &[(0.0, [0.5, 0.4]), (0.1, [0.5, 0.6])]);
        assert_eq!(rules.evaluate(0.1, &[t.clone()]).len(), 1);
        t.foot_history.push_back((0.2, [0.5, 0.4]));
        let hits = rules.evaluate(0.2, &[t]);
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].count, Some(1), "first backward crossing");
        assert_eq!(rules.counts("r1"), Some((1, 1)));
    }

    #[test]
    fn stopped_vehicle_fires_when_still_not_when_moving() {
        let kind = RuleKind::StoppedVehicle {
            zone: "yard".into(),
            dwell_s: 2.0,
            max_speed: 0.02,
        };
        let mut rules = set(kind, vec![CAR]);
        let mut still = Vec::new();
        let mut moving = Vec::new();
        let mut fired = Vec::new();
        for i in 0..=40 {
            let t = f64::from(i) * 0.1;
            still.push((t, [0.5 + 0.001 * (i % 2) as f32, 0.5]));
            moving.push((t, [0.3 + 0.01 * i as f32, 0.5]));
            let tracks = [
                track(1, CAR, &still),
                track(2, CAR, &moving),
                track(3, PERSON, &still),
            ];
            for hit in rules.evaluate(t, &tracks) {
                assert_eq!(hit.kind, "stopped_vehicle");
                fired.push((i, hit.tracks));
            }
        }
        // Slow from the second sample (t = 0.1), so 2 s later at t = 2.1.
        assert_eq!(fired, vec![(21, vec![1])]);
    }

    #[test]
    fn crowd_fires_at_count_and_rearms() {
        let kind = RuleKind::Crowd {
            zone: "yard".into(),
            min_count: 3,
        };
        let mut rules = set(kind, vec![PERSON]);
        let people = |n: u64| {
            (1..=n)
                .map(|id| at(id, PERSON, 0.0, IN))
                .collect::<Vec<_>>()
        };
        let mut two_and_car = people(2);
        two_and_car.push(at(9, CAR, 0.0, IN));
        assert!(
            rules.evaluate(0.0, &two_and_car).is_empty(),
            "a car is not a person"
        );
        let hits = rules.evaluate(1.0, &people(3));
        assert_eq!(hits.len(), 1);
        assert_eq!((hits[0].kind, hits[0].count), ("crowd", Some(3)));
        assert_eq!(
            (hits[0].tracks.clone(), hits[0].boxes.len()),
            (vec![1, 2, 3], 3)
        );
        assert!(
            rules.evaluate(2.0, &people(4)).is_empty(),
            "once while crowded"
        );
        assert!(rules.evaluate(3.0, &people(2)).is_empty());
        assert_eq!(rules.evaluate(4.0, &people(3)).len(), 1, "re-armed");
    }

    #[test]
    fn state_of_vanished_tracks_is_forgotten() {
        let kind = RuleKind::Loitering {
            zone: "yard".into(),
            dwell_s: 5.0,
        };
        let mut rules = set(kind, vec![]);
        rules.evaluate(0.0, &[at(1, PERSON, 0.0, IN), at(2, PERSON, 0.0, IN)]);
        assert_eq!(rules.rules[0].tracks.len(), 2);
        rules.evaluate(1.0, &[at(2, PERSON, 1.0, IN)]);
        assert_eq!(
            rules.rules[0].tracks.keys().copied().collect::<Vec<_>>(),
            vec![2]
        );
    }

    #[test]
    fn validation_names_the_culprit() {
        let kind = RuleKind::Intrusion {
            zone: "dock".into(),
            min_dwell_s: 0.0,
        };
        let err = RuleSet::new(vec![square()], vec![], vec![rule(kind, vec![])]).unwrap_err();
        assert_eq!(
            err,
            RuleError::UnknownZone {
                rule: "r1".into(),
                zone: "dock".into()
            }
        );
        assert!(err.to_string().contains("`dock`") && err.to_string().contains("`r1`"));

        let kind = RuleKind::LineCrossing {
            line: "gate".into(),
            direction: CrossDirection::Both,
        };
        let err = RuleSet::new(vec![], vec![], vec![rule(kind, vec![])]).unwrap_err();
        assert!(matches!(err, RuleError::UnknownLine { .. }), "{err}");

        let thin = Zone {
            id: "thin".into(),
            polygon: vec![[0.0, 0.0], [1.0, 1.0]],
        };
        let err = RuleSet::new(vec![thin], vec![], vec![]).unwrap_err();
        assert!(err.to_string().contains("`thin`"), "{err}");

        let dot = Tripwire {
            id: "dot".into(),
            a: [0.3, 0.3],
            b: [0.3, 0.3],
        };
        let err = RuleSet::new(vec![], vec![dot], vec![]).unwrap_err();
        assert_eq!(err, RuleError::DegenerateLine { line: "dot".into() });

        let kind = RuleKind::Crowd {
            zone: "yard".into(),
            min_count: 0,
        };
        let err = RuleSet::new(vec![square()], vec![], vec![rule(kind, vec![])]).unwrap_err();
        assert!(matches!(err, RuleError::BadParameter { .. }), "{err}");

        let err = RuleSet::new(vec![square(), square()], vec![], vec![]).unwrap_err();
        assert!(
            matches!(err, RuleError::DuplicateId { what: "zone", .. }),
            "{err}"
        );
    }
}
