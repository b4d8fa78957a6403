//! The road network, built from the basemap's road lines, and the travel
//! times a dispatcher needs: how long a unit takes to reach an incident, and
//! where units can get to within 1, 3 and 5 minutes.
//!
//! Nodes are line vertices keyed by position (to 1 cm), so roads that share
//! an OSM node join, and pieces of a road cut at a tile edge — clipped at
//! import to meet at one grid point — join too; dangling ends within
//! [`JOIN_TOLERANCE_M`] of another node are then welded. Edges are
//! undirected (one-way streets are not modelled: a known optimism of a few
//! seconds in the city centre). Where a point is far from any road, or no
//! road path exists, travel falls back to the straight line with a detour
//! factor, and says so.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

use geo::ConcaveHull as _;
use rstar::RTree;
use rstar::primitives::{GeomWithData, Line};

use crate::basemap::{Basemap, FeatureClass, MapGeometry, RoadClass};
use crate::frame::LocalFrame;

/// Dangling line ends closer than this to another node are joined to it.
pub const JOIN_TOLERANCE_M: f64 = 1.0;
/// Points farther than this from any road are routed in a straight line.
pub const MAX_SNAP_M: f64 = 400.0;
/// Straight-line distance times this is the fallback's road distance.
pub const DETOUR_FACTOR: f64 = 1.35;
/// Walking speed, m/s.
pub const WALK_MPS: f64 = 1.4;

/// How something moves on the network.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum TravelMode {
    /// Drivable roads at each class's urban speed, scaled by `factor`.
    Drive {
        /// Speed relative to a patrol car (a motorbike is a little faster).
        factor: f64,
    },
    /// Every road and path at a fixed speed (foot patrols, ground robots).
    Walk {
        /// Metres per second.
        speed_mps: f64,
    },
}

impl TravelMode {
    /// A patrol car.
    pub const CAR: Self = Self::Drive { factor: 1.0 };

    /// Speed on a road of `class`, or `None` where this mode cannot go.
    pub fn speed_on(self, class: RoadClass) -> Option<f64> {
        match self {
            Self::Drive { factor } => class.car_speed_mps().map(|v| v * factor),
            Self::Walk { speed_mps } => Some(speed_mps),
        }
    }

    /// Speed off the network (from a point to the nearest road, fallbacks).
    pub fn off_road_mps(self) -> f64 {
        match self {
            Self::Drive { factor } => 8.0 * factor,
            Self::Walk { speed_mps } => speed_mps,
        }
    }
}

use serde::{Deserialize, Serialize};

/// Travel time and distance to somewhere.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Eta {
    /// Seconds.
    pub seconds: f64,
    /// Metres travelled.
    pub metres: f64,
    /// Whether the road network was used (false: straight-line fallback).
    pub by_road: bool,
}

#[derive(Debug, Clone, Copy)]
struct Edge {
    to: u32,
    length_m: f32,
    class: RoadClass,
}

/// An undirected road graph in a site's metric frame.
#[derive(Debug, Clone)]
pub struct RoadGraph {
    frame: LocalFrame,
    nodes: Vec<[f64; 2]>,
    edges: Vec<Vec<Edge>>,
    tree: RTree<GeomWithData<[f64; 2], u32>>,
    segments: RTree<Segment>,
    welded: usize,
}

/// A road segment in the R-tree: its end nodes and class.
type Segment = GeomWithData<Line<[f64; 2]>, (u32, u32, RoadClass)>;

/// Where a point meets the network: the nearest point on a road segment.
#[derive(Debug, Clone, Copy)]
struct Snap {
    a: u32,
    b: u32,
    /// Metres along the segment from `a` and from `b`.
    to_a_m: f64,
    to_b_m: f64,
    /// Metres from the point to the road.
    off_m: f64,
    speed_mps: f64,
}

/// How a graph came out, for the log and tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GraphStats {
    /// Nodes.
    pub nodes: usize,
    /// Undirected edges.
    pub edges: usize,
    /// Dangling ends welded to a nearby node.
    pub welded: usize,
    /// Connected components.
    pub components: usize,
    /// Nodes in the largest component.
    pub largest_component: usize,
}

impl RoadGraph {
    /// Builds the graph from every road line of a basemap.
    pub fn from_basemap(map: &Basemap, frame: LocalFrame) -> Self {
        let lines = map
            .features
            .iter()
            .filter_map(|f| match (&f.class, &f.geometry) {
                (FeatureClass::Road(class), MapGeometry::Lines(lines)) => Some((*class, lines)),
                _ => None,
            });
        let lines = lines.flat_map(|(class, lines)| {
            lines
                .iter()
                .map(move |line| (class, line.iter().map(|&p| map.lonlat(p)).collect()))
        });
        Self::from_lines(lines, frame)
    }

    /// Builds the graph from lon/lat polylines with their road class.
    pub fn from_lines(
        lines: impl IntoIterator<Item = (RoadClass, Vec<[f64; 2]>)>,
        frame: LocalFrame,
    ) -> Self {
        let mut graph = Self {
            frame,
            nodes: Vec::new(),
            edges: Vec::new(),
            tree: RTree::new(),
            segments: RTree::new(),
            welded: 0,
        };
        let mut by_key: HashMap<(i64, i64), u32> = HashMap::new();
        for (class, line) in lines {
            let mut previous: Option<u32> = None;
            for lonlat in line {
                let xy = frame.xy(lonlat);
                let key = (
                    (xy[0] * 100.0).round() as i64,
                    (xy[1] * 100.0).round() as i64,
                );
                let id = *by_key.entry(key).or_insert_with(|| {
                    graph.nodes.push(xy);
                    graph.edges.push(Vec::new());
                    (graph.nodes.len() - 1) as u32
                });
                if let Some(p) = previous.filter(|&p| p != id) {
                    graph.connect(p, id, class);
                }
                previous = Some(id);
            }
        }
        graph.tree = RTree::bulk_load(
            graph
                .nodes
                .iter()
                .enumerate()
                .map(|(i, &xy)| GeomWithData::new(xy, i as u32))
                .collect(),
        );
        graph.weld_dangling_ends();
        let mut segments = Vec::new();
        for (a, edges) in graph.edges.iter().enumerate() {
            for e in edges.iter().filter(|e| e.to > a as u32) {
                let line = Line::new(graph.nodes[a], graph.nodes[e.to as usize]);
                segments.push(GeomWithData::new(line, (a as u32, e.to, e.class)));
            }
        }
        graph.segments = RTree::bulk_load(segments);
        graph
    }

    fn connect(&mut self, a: u32, b: u32, class: RoadClass) {
        let (pa, pb) = (self.nodes[a as usize], self.nodes[b as usize]);
        let length_m = (pa[0] - pb[0]).hypot(pa[1] - pb[1]) as f32;
        if self.edges[a as usize].iter().any(|e| e.to == b) {
            return;
        }
        self.edges[a as usize].push(Edge {
            to: b,
            length_m,
            class,
        });
        self.edges[b as usize].push(Edge {
            to: a,
            length_m,
            class,
        });
    }

    /// Joins each dead end to the nearest other node within the tolerance
    /// (pieces of one road whose cut points rounded apart).
    fn weld_dangling_ends(&mut self) {
        let dangling: Vec<u32> = (0..self.nodes.len() as u32)
            .filter(|&n| self.edges[n as usize].len() == 1)
            .collect();
        for n in dangling {
            if self.edges[n as usize].len() != 1 {
                continue; // already welded from the other end
            }
            let here = self.nodes[n as usize];
            let neighbour = self.edges[n as usize][0].to;
            let class = self.edges[n as usize][0].class;
            let target = self
                .tree
                .nearest_neighbor_iter_with_distance_2(&here)
                .take_while(|(_, d2)| *d2 <= JOIN_TOLERANCE_M * JOIN_TOLERANCE_M)
                .map(|(g, _)| g.data)
                .find(|&m| m != n && m != neighbour);
            if let Some(m) = target {
                self.connect(n, m, class);
                self.welded += 1;
            }
        }
    }

    /// The graph's metric frame.
    pub fn frame(&self) -> &LocalFrame {
        &self.frame
    }

    /// Size and connectivity.
    pub fn stats(&self) -> GraphStats {
        let mut component = vec![u32::MAX; self.nodes.len()];
        let mut sizes = Vec::new();
        for start in 0..self.nodes.len() {
            if component[start] != u32::MAX {
                continue;
            }
            let id = sizes.len() as u32;
            let mut stack = vec![start as u32];
            component[start] = id;
            let mut size = 0;
            while let Some(n) = stack.pop() {
                size += 1;
                for e in &self.edges[n as usize] {
                    if component[e.to as usize] == u32::MAX {
                        component[e.to as usize] = id;
                        stack.push(e.to);
                    }
                }
            }
            sizes.push(size);
        }
        GraphStats {
            nodes: self.nodes.len(),
            edges: self.edges.iter().map(Vec::len).sum::<usize>() / 2,
            welded: self.welded,
            components: sizes.len(),
            largest_component: sizes.iter().copied().max().unwrap_or(0),
        }
    }

    /// The nearest point on a road usable by `mode`, within [`MAX_SNAP_M`].
    fn snap(&self, lonlat: [f64; 2], mode: TravelMode) -> Option<Snap> {
        let xy = self.frame.xy(lonlat);
        let (segment, d2) = self
            .segments
            .nearest_neighbor_iter_with_distance_2(&xy)
            .take_while(|(_, d2)| *d2 <= MAX_SNAP_M * MAX_SNAP_M)
            .find(|(g, _)| mode.speed_on(g.data.2).is_some())?;
        let (a, b, class) = segment.data;
        let (pa, pb) = (self.nodes[a as usize], self.nodes[b as usize]);
        let length = (pb[0] - pa[0]).hypot(pb[1] - pa[1]);
        let t = if length > 0.0 {
            (((xy[0] - pa[0]) * (pb[0] - pa[0]) + (xy[1] - pa[1]) * (pb[1] - pa[1]))
                / (length * length))
                .clamp(0.0, 1.0)
        } else {
            0.0
        };
        Some(Snap {
            a,
            b,
            to_a_m: t * length,
            to_b_m: (1.0 - t) * length,
            off_m: d2.sqrt(),
            speed_mps: mode.speed_on(class)?,
        })
    }

    /// Travel times (s) and distances (m) from `lonlat` to every node
    /// reachable within `limit_s`; stops early once every node in `wanted`
    /// is settled (if `wanted` is not empty).
    fn times_from(
        &self,
        lonlat: [f64; 2],
        mode: TravelMode,
        limit_s: f64,
        wanted: &[u32],
    ) -> Option<TravelTimes> {
        let snap = self.snap(lonlat, mode)?;
        let access_s = snap.off_m / mode.off_road_mps();
        let mut best = vec![(f64::INFINITY, 0.0); self.nodes.len()];
        let mut heap = BinaryHeap::new();
        for (node, along) in [(snap.a, snap.to_a_m), (snap.b, snap.to_b_m)] {
            let t = access_s + along / snap.speed_mps;
            if t <= limit_s && t < best[node as usize].0 {
                best[node as usize] = (t, snap.off_m + along);
                heap.push(Reverse((Ordered(t), node)));
            }
        }
        let mut pending: std::collections::HashSet<u32> = wanted.iter().copied().collect();
        let early_exit = !pending.is_empty();
        while let Some(Reverse((Ordered(t), n))) = heap.pop() {
            let (known_t, metres) = best[n as usize];
            if t > known_t {
                continue;
            }
            if early_exit {
                pending.remove(&n);
                if pending.is_empty() {
                    break;
                }
            }
            for e in &self.edges[n as usize] {
                let Some(speed) = mode.speed_on(e.class) else {
                    continue;
                };
                let nt = t + f64::from(e.length_m) / speed;
                if nt <= limit_s && nt < best[e.to as usize].0 {
                    best[e.to as usize] = (nt, metres + f64::from(e.length_m));
                    heap.push(Reverse((Ordered(nt), e.to)));
                }
            }
        }
        Some(TravelTimes { snap, best })
    }

    /// Travel time from `from` to `to`.
    pub fn eta(&self, from: [f64; 2], to: [f64; 2], mode: TravelMode) -> Eta {
        self.etas_to(to, &[from], mode)[0]
    }

    /// Travel times from each of `origins` to `target` (one search from the
    /// target, as the graph is undirected).
    pub fn etas_to(&self, target: [f64; 2], origins: &[[f64; 2]], mode: TravelMode) -> Vec<Eta> {
        let straight = |from: [f64; 2]| {
            let metres = self.frame.distance_m(from, target) * DETOUR_FACTOR;
            Eta {
                seconds: metres / mode.off_road_mps().max(0.1),
                metres,
                by_road: false,
            }
        };
        let snaps: Vec<Option<Snap>> = origins.iter().map(|&o| self.snap(o, mode)).collect();
        let wanted: Vec<u32> = snaps.iter().flatten().flat_map(|s| [s.a, s.b]).collect();
        if wanted.is_empty() {
            return origins.iter().map(|&o| straight(o)).collect();
        }
        let Some(times) = self.times_from(target, mode, f64::INFINITY, &wanted) else {
            return origins.iter().map(|&o| straight(o)).collect();
        };
        let off_speed = mode.off_road_mps();
        origins
            .iter()
            .zip(snaps)
            .map(|(&origin, snap)| {
                let Some(snap) = snap else {
                    return straight(origin);
                };
                let access = (snap.off_m / off_speed, snap.off_m);
                let via = |node: u32, along: f64| {
                    let (t, m) = times.best[node as usize];
                    t.is_finite()
                        .then(|| (t + along / snap.speed_mps, m + along))
                };
                let mut options: Vec<(f64, f64)> =
                    [via(snap.a, snap.to_a_m), via(snap.b, snap.to_b_m)]
                        .into_iter()
                        .flatten()
                        .collect();
                // Both on the same segment: straight along it.
                let target = times.snap;
                if (target.a, target.b) == (snap.a, snap.b) {
                    let along = (target.to_a_m - snap.to_a_m).abs();
                    let t = target.off_m / off_speed + along / snap.speed_mps;
                    options.push((t, target.off_m + along));
                }
                options
                    .into_iter()
                    .min_by(|x, y| x.0.total_cmp(&y.0))
                    .map_or_else(
                        || straight(origin),
                        |(t, m)| Eta {
                            seconds: t + access.0,
                            metres: m + access.1,
                            by_road: true,
                        },
                    )
            })
            .collect()
    }

    /// Areas reachable from `lonlat` within each of `bands_s` seconds (e.g.
    /// 60, 180, 300), as lon/lat polygons (concave hulls of reached roads).
    pub fn reachability(&self, lonlat: [f64; 2], mode: TravelMode, bands_s: &[f64]) -> Vec<Reach> {
        let limit = bands_s.iter().copied().fold(0.0, f64::max);
        let times = self.times_from(lonlat, mode, limit, &[]);
        bands_s
            .iter()
            .map(|&band| {
                let points: Vec<geo::Coord<f64>> = times
                    .iter()
                    .flat_map(|t| t.best.iter().enumerate())
                    .filter(|(_, (t, _))| *t <= band)
                    .map(|(n, _)| {
                        let ll = self.frame.lonlat(self.nodes[n]);
                        geo::Coord { x: ll[0], y: ll[1] }
                    })
                    .collect();
                // Fairly convex outlines: roads between reached points are
                // mostly reachable too, and deep notches read as noise.
                let options = geo::algorithm::concave_hull::ConcaveHullOptions {
                    concavity: 6.0,
                    length_threshold: 0.004,
                };
                let area = (points.len() >= 3).then(|| points.concave_hull_with_options(options));
                Reach {
                    seconds: band,
                    nodes: points.len(),
                    area,
                }
            })
            .collect()
    }

    /// Drivable shortest path between two points as lon/lat vertices (for
    /// the simulator's routes); `None` if there is none.
    pub fn path(&self, from: [f64; 2], to: [f64; 2], mode: TravelMode) -> Option<Vec<[f64; 2]>> {
        let nearer = |s: Snap| if s.to_a_m <= s.to_b_m { s.a } else { s.b };
        let start = nearer(self.snap(from, mode)?);
        let goal = nearer(self.snap(to, mode)?);
        let mut best: HashMap<u32, (f64, u32)> = HashMap::new();
        let mut heap = BinaryHeap::new();
        best.insert(start, (0.0, start));
        heap.push(Reverse((Ordered(0.0), start)));
        while let Some(Reverse((Ordered(t), n))) = heap.pop() {
            if n == goal {
                break;
            }
            if t > best[&n].0 {
                continue;
            }
            for e in &self.edges[n as usize] {
                let Some(speed) = mode.speed_on(e.class) else {
                    continue;
                };
                let nt = t + f64::from(e.length_m) / speed;
                if best.get(&e.to).is_none_or(|&(bt, _)| nt < bt) {
                    best.insert(e.to, (nt, n));
                    heap.push(Reverse((Ordered(nt), e.to)));
                }
            }
        }
        best.get(&goal)?;
        let mut path = vec![goal];
        while let Some(&last) = path.last() {
            let previous = best[&last].1;
            if previous == last {
                break;
            }
            path.push(previous);
        }
        path.reverse();
        Some(
            path.iter()
                .map(|&n| self.frame.lonlat(self.nodes[n as usize]))
                .collect(),
        )
    }

    /// Lon/lat of every node that `mode` can use (for placing simulated units).
    pub fn usable_nodes(&self, mode: TravelMode) -> Vec<[f64; 2]> {
        (0..self.nodes.len())
            .filter(|&n| {
                self.edges[n]
                    .iter()
                    .any(|e| mode.speed_on(e.class).is_some())
            })
            .map(|n| self.frame.lonlat(self.nodes[n]))
            .collect()
    }
}

/// An area reachable within a time.
#[derive(Debug, Clone, PartialEq)]
pub struct Reach {
    /// The band, seconds.
    pub seconds: f64,
    /// Road nodes reached.
    pub nodes: usize,
    /// The area (lon/lat), if at least three nodes were reached.
    pub area: Option<geo::Polygon<f64>>,
}

struct TravelTimes {
    /// Where the search started on the network.
    snap: Snap,
    /// By node: (seconds, metres); infinite seconds where not reached.
    best: Vec<(f64, f64)>,
}

/// `f64` ordered for the heap (times are never NaN).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Ordered(f64);
impl Eq for Ordered {}
impl PartialOrd for Ordered {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Ordered {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&other.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ORIGIN: [f64; 2] = [71.43, 51.13];

    fn at(east_m: f64, north_m: f64) -> [f64; 2] {
        LocalFrame::new(ORIGIN).lonlat([east_m, north_m])
    }

    /// A hand-made town: a 2 km primary road west–east, a residential
    /// detour, a footpath shortcut, and a road cut in two at a "tile edge"
    /// whose ends are 40 cm apart.
    fn town() -> RoadGraph {
        let lines = vec![
            (
                RoadClass::Primary,
                vec![at(0.0, 0.0), at(1000.0, 0.0), at(2000.0, 0.0)],
            ),
            (
                RoadClass::Residential,
                vec![at(1000.0, 0.0), at(1000.0, 500.0), at(1500.0, 500.0)],
            ),
            (
                RoadClass::Path,
                vec![at(0.0, 0.0), at(0.0, 500.0), at(1000.0, 500.0)],
            ),
            (
                RoadClass::Residential,
                vec![at(2000.0, 0.0), at(2000.0, 299.8)],
            ),
            (
                RoadClass::Residential,
                vec![at(2000.4, 300.0), at(2000.0, 800.0)],
            ),
        ];
        RoadGraph::from_lines(lines, LocalFrame::new(ORIGIN))
    }

    #[test]
    fn pieces_cut_at_an_edge_are_welded_into_one_network() {
        let stats = town().stats();
        assert_eq!(stats.welded, 1, "{stats:?}");
        assert_eq!(stats.components, 1, "{stats:?}");
        assert_eq!(stats.nodes, 9, "{stats:?}");
    }

    #[test]
    fn car_eta_follows_roads_at_class_speed() {
        let g = town();
        let primary = RoadClass::Primary.car_speed_mps().expect("drivable");
        let residential = RoadClass::Residential.car_speed_mps().expect("drivable");
        // (0,0) → (1500,500): 1000 m primary + 500 m + 500 m residential.
        let eta = g.eta(at(0.0, 0.0), at(1500.0, 500.0), TravelMode::CAR);
        let expected = 1000.0 / primary + 1000.0 / residential;
        assert!(
            eta.by_road && (eta.seconds - expected).abs() < 0.05,
            "{eta:?} vs {expected}"
        );
        assert!((eta.metres - 2000.0).abs() < 0.5, "{eta:?}");
        // Across the welded cut.
        let eta = g.eta(at(0.0, 0.0), at(2000.0, 800.0), TravelMode::CAR);
        assert!(eta.by_road && (eta.metres - 2800.0).abs() < 1.0, "{eta:?}");
        // A pedestrian takes the footpath: 500 + 1000 + 500 m.
        let walk = g.eta(
            at(0.0, 0.0),
            at(1500.0, 500.0),
            TravelMode::Walk {
                speed_mps: WALK_MPS,
            },
        );
        assert!(
            (walk.metres - 2000.0).abs() < 0.5 && walk.by_road,
            "{walk:?}"
        );
        let walk_to_corner = g.eta(
            at(0.0, 0.0),
            at(1000.0, 500.0),
            TravelMode::Walk { speed_mps: 2.0 },
        );
        assert!(
            (walk_to_corner.seconds - 750.0).abs() < 0.5,
            "{walk_to_corner:?}"
        );
    }

    #[test]
    fn far_from_roads_falls_back_to_a_straight_line() {
        let g = town();
        let eta = g.eta(at(0.0, 0.0), at(0.0, -5000.0), TravelMode::CAR);
        assert!(!eta.by_road);
        assert!((eta.metres - 5000.0 * DETOUR_FACTOR).abs() < 1.0, "{eta:?}");
    }

    #[test]
    fn reachability_grows_with_time() {
        let g = town();
        let reach = g.reachability(at(0.0, 0.0), TravelMode::CAR, &[60.0, 180.0]);
        // 60 s at ~13.9 m/s covers 833 m of the primary: two nodes.
        assert_eq!(
            reach[0].nodes,
            1 + usize::from(1000.0 / RoadClass::Primary.car_speed_mps().expect("d") <= 60.0)
        );
        assert!(reach[1].nodes > reach[0].nodes);
        assert!(reach[1].area.is_some());
    }

    #[test]
    fn paths_are_vertex_lists_along_roads() {
        let g = town();
        let path = g
            .path(at(0.0, 0.0), at(1500.0, 500.0), TravelMode::CAR)
            .expect("connected");
        assert_eq!(path.len(), 4);
        let f = LocalFrame::new(ORIGIN);
        assert!(f.distance_m(path[1], at(1000.0, 0.0)) < 0.01);
    }
}
