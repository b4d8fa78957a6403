//! Where units are, and the questions a dispatcher asks of it: what is under
//! the cursor (a radius), what is inside a zone (a polygon), and which
//! *available* units are nearest to an incident.
//!
//! Positions are kept in the site's [`LocalFrame`], so R-tree distances are
//! metres.

use std::collections::HashMap;
use std::sync::Arc;

use geo::Contains as _;
use rstar::{AABB, PointDistance, RTree, RTreeObject};

use crate::frame::LocalFrame;

/// One indexed unit.
#[derive(Debug, Clone, PartialEq)]
struct Node {
    xy: [f64; 2],
    lonlat: [f64; 2],
    id: Arc<str>,
    available: bool,
}

impl RTreeObject for Node {
    type Envelope = AABB<[f64; 2]>;

    fn envelope(&self) -> Self::Envelope {
        AABB::from_point(self.xy)
    }
}

impl PointDistance for Node {
    fn distance_2(&self, point: &[f64; 2]) -> f64 {
        let (dx, dy) = (self.xy[0] - point[0], self.xy[1] - point[1]);
        dx * dx + dy * dy
    }
}

/// Units by position, updated as positions arrive.
#[derive(Debug)]
pub struct UnitIndex {
    frame: LocalFrame,
    tree: RTree<Node>,
    by_id: HashMap<Arc<str>, Node>,
}

impl UnitIndex {
    /// An empty index whose metric frame is centred on `origin_lonlat`.
    pub fn new(origin_lonlat: [f64; 2]) -> Self {
        Self {
            frame: LocalFrame::new(origin_lonlat),
            tree: RTree::new(),
            by_id: HashMap::new(),
        }
    }

    /// Metres east and north of the origin.
    pub fn xy_from_lonlat(&self, lonlat: [f64; 2]) -> [f64; 2] {
        self.frame.xy(lonlat)
    }

    /// The index's metric frame.
    pub fn frame(&self) -> &LocalFrame {
        &self.frame
    }

    /// Number of units.
    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    /// Whether there are no units.
    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }

    /// Adds or moves a unit; `available` says whether it may be dispatched.
    pub fn upsert(&mut self, id: &str, lonlat: [f64; 2], available: bool) {
        let xy = self.xy_from_lonlat(lonlat);
        let id: Arc<str> = match self.by_id.get_key_value(id) {
            Some((key, old)) => {
                let key = Arc::clone(key);
                let old = old.clone();
                self.tree.remove(&old);
                key
            }
            None => Arc::from(id),
        };
        let node = Node {
            xy,
            lonlat,
            id: Arc::clone(&id),
            available,
        };
        self.tree.insert(node.clone());
        self.by_id.insert(id, node);
    }

    /// Removes a unit; returns whether it was there.
    pub fn remove(&mut self, id: &str) -> bool {
        match self.by_id.remove(id) {
            Some(node) => {
                self.tree.remove(&node);
                true
            }
            None => false,
        }
    }

    /// Units within `radius_m` of `lonlat` (e.g. under the cursor), nearest first.
    pub fn within_radius(&self, lonlat: [f64; 2], radius_m: f64) -> Vec<(Arc<str>, f64)> {
        let xy = self.xy_from_lonlat(lonlat);
        let mut hits: Vec<(Arc<str>, f64)> = self
            .tree
            .locate_within_distance(xy, radius_m * radius_m)
            .map(|n| (Arc::clone(&n.id), n.distance_2(&xy).sqrt()))
            .collect();
        hits.sort_by(|a, b| a.1.total_cmp(&b.1));
        hits
    }

    /// Units inside a polygon given in lon/lat (a zone or a control ring).
    pub fn in_polygon(&self, polygon: &geo::Polygon<f64>) -> Vec<Arc<str>> {
        let Some(bbox) = geo::BoundingRect::bounding_rect(polygon) else {
            return Vec::new();
        };
        let (min, max) = (
            self.xy_from_lonlat([bbox.min().x, bbox.min().y]),
            self.xy_from_lonlat([bbox.max().x, bbox.max().y]),
        );
        self.tree
            .locate_in_envelope(&AABB::from_corners(min, max))
            .filter(|n| polygon.contains(&geo::Point::new(n.lonlat[0], n.lonlat[1])))
            .map(|n| Arc::clone(&n.id))
            .collect()
    }

    /// The `k` nearest units that may be dispatched, with straight-line
    /// distances in metres, nearest first.
    pub fn nearest_available(&self, lonlat: [f64; 2], k: usize) -> Vec<(Arc<str>, f64)> {
        let xy = self.xy_from_lonlat(lonlat);
        self.tree
            .nearest_neighbor_iter_with_distance_2(&xy)
            .filter(|(n, _)| n.available)
            .take(k)
            .map(|(n, d2)| (Arc::clone(&n.id), d2.sqrt()))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Astana's centre.
    const ORIGIN: [f64; 2] = [71.4306, 51.1283];

    /// A point `east_m`, `north_m` from the origin.
    fn at(east_m: f64, north_m: f64) -> [f64; 2] {
        LocalFrame::new(ORIGIN).lonlat([east_m, north_m])
    }

    fn ids(hits: &[(Arc<str>, f64)]) -> Vec<&str> {
        hits.iter().map(|(id, _)| &**id).collect()
    }

    #[test]
    fn radius_hits_are_nearest_first_and_moves_are_followed() {
        let mut index = UnitIndex::new(ORIGIN);
        index.upsert("a", at(10.0, 0.0), true);
        index.upsert("b", at(0.0, 30.0), true);
        index.upsert("c", at(300.0, 0.0), true);
        let hits = index.within_radius(ORIGIN, 50.0);
        assert_eq!(ids(&hits), ["a", "b"]);
        assert!((hits[0].1 - 10.0).abs() < 0.01, "{hits:?}");
        index.upsert("a", at(1000.0, 1000.0), true);
        assert_eq!(ids(&index.within_radius(ORIGIN, 50.0)), ["b"]);
        assert_eq!(index.len(), 3, "a move is not a new unit");
        assert!(index.remove("b") && !index.remove("b"));
        assert!(index.within_radius(ORIGIN, 50.0).is_empty());
    }

    #[test]
    fn nearest_available_skips_busy_units() {
        let mut index = UnitIndex::new(ORIGIN);
        index.upsert("busy-near", at(5.0, 0.0), false);
        index.upsert("free-mid", at(0.0, 400.0), true);
        index.upsert("free-far", at(-900.0, 0.0), true);
        index.upsert("free-farther", at(2000.0, 0.0), true);
        let hits = index.nearest_available(ORIGIN, 2);
        assert_eq!(ids(&hits), ["free-mid", "free-far"]);
        assert!((hits[1].1 - 900.0).abs() < 0.1);
        // Status changes are position updates with a new flag.
        index.upsert("busy-near", at(5.0, 0.0), true);
        assert_eq!(ids(&index.nearest_available(ORIGIN, 1)), ["busy-near"]);
    }

    #[test]
    fn polygon_queries_find_units_inside_a_zone() {
        let mut index = UnitIndex::new(ORIGIN);
        index.upsert("inside", at(100.0, 100.0), true);
        index.upsert("outside", at(600.0, 100.0), true);
        index.upsert("in-the-notch", at(350.0, 350.0), true);
        // An L-shaped zone: a 500 m square without its north-east quarter.
        let ring: Vec<(f64, f64)> = [
            (0.0, 0.0),
            (500.0, 0.0),
            (500.0, 250.0),
            (250.0, 250.0),
            (250.0, 500.0),
            (0.0, 500.0),
        ]
        .iter()
        .map(|&(e, n)| {
            let p = at(e, n);
            (p[0], p[1])
        })
        .collect();
        let zone = geo::Polygon::new(geo::LineString::from(ring), Vec::new());
        let found: Vec<String> = index
            .in_polygon(&zone)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(found, ["inside"]);
    }

    /// On 10,000 units the index answers exactly what a brute-force scan does.
    #[test]
    fn answers_match_a_brute_force_scan() {
        let mut index = UnitIndex::new(ORIGIN);
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 11) as f64 / (1_u64 << 53) as f64
        };
        let mut units = Vec::new();
        for i in 0..10_000 {
            let p = at(next() * 20_000.0 - 10_000.0, next() * 20_000.0 - 10_000.0);
            let available = next() < 0.3;
            index.upsert(&format!("u{i}"), p, available);
            units.push((format!("u{i}"), index.xy_from_lonlat(p), available));
        }
        for _ in 0..50 {
            let q = at(next() * 20_000.0 - 10_000.0, next() * 20_000.0 - 10_000.0);
            let qxy = index.xy_from_lonlat(q);
            let mut brute: Vec<(&str, f64)> = units
                .iter()
                .filter(|u| u.2)
                .map(|u| (u.0.as_str(), (u.1[0] - qxy[0]).hypot(u.1[1] - qxy[1])))
                .collect();
            brute.sort_by(|a, b| a.1.total_cmp(&b.1));
            let got = index.nearest_available(q, 5);
            for (g, b) in got.iter().zip(&brute) {
                assert!((g.1 - b.1).abs() < 1e-6, "{got:?} vs {:?}", &brute[..5]);
            }
            let within: usize = units
                .iter()
                .filter(|u| (u.1[0] - qxy[0]).hypot(u.1[1] - qxy[1]) <= 500.0)
                .count();
            assert_eq!(index.within_radius(q, 500.0).len(), within);
        }
    }
}
