//! Whether a polygon's outline crosses itself (a "bow tie"), and where: a
//! ring or grid cell that does is refused at load, since inside/outside
//! (ring crossings, cell counts) would mean nothing for it.

use std::fmt;

use geo::line_intersection::{LineIntersection, line_intersection};
use geo::{Coord, Line};

use crate::model::LonLat;

/// Where an outline first crosses itself: two edges (edge `i` runs from
/// point `i` to point `i + 1`, the last back to point 0) and the point.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Crossing {
    /// The earlier edge.
    pub edge_a: usize,
    /// The later edge.
    pub edge_b: usize,
    /// Where they meet (the start of their overlap, if they run together).
    pub at: LonLat,
}

impl fmt::Display for Crossing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "crosses itself: edge {} crosses edge {} at [{:.6}, {:.6}]",
            self.edge_a, self.edge_b, self.at[0], self.at[1]
        )
    }
}

/// The first crossing of the closed outline through `points` (the closing
/// point not repeated), or `None` for a simple polygon. Neighbouring edges
/// share a corner, which is no crossing; folding back along each other is.
pub fn first_crossing(points: &[LonLat]) -> Option<Crossing> {
    // A repeated point (two equal neighbours, a closing point equal to the
    // first) makes a zero-length edge, no crossing: drop it first.
    let mut distinct: Vec<LonLat> = Vec::with_capacity(points.len());
    for p in points {
        if distinct.last() != Some(p) {
            distinct.push(*p);
        }
    }
    while distinct.len() > 1 && distinct.first() == distinct.last() {
        distinct.pop();
    }
    let points = distinct.as_slice();
    let n = points.len();
    if n < 3 {
        return None;
    }
    let edge = |i: usize| {
        let (a, b) = (points[i], points[(i + 1) % n]);
        Line::new(Coord { x: a[0], y: a[1] }, Coord { x: b[0], y: b[1] })
    };
    for i in 0..n {
        for j in i + 1..n {
            let neighbours = j == i + 1 || (i == 0 && j == n - 1);
            let hit = match line_intersection(edge(i), edge(j)) {
                None => None,
                Some(LineIntersection::SinglePoint { .. }) if neighbours => None,
                Some(LineIntersection::SinglePoint { intersection, .. }) => Some(intersection),
                Some(LineIntersection::Collinear { intersection }) => {
                    // Neighbours meeting end to end touch in one point only.
                    (!neighbours || intersection.start != intersection.end)
                        .then_some(intersection.start)
                }
            };
            if let Some(at) = hit {
                return Some(Crossing {
                    edge_a: i,
                    edge_b: j,
                    at: [at.x, at.y],
                });
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bow_tie_is_found_where_it_crosses() {
        // (0,0) → (2,2) → (2,0) → (0,2): edges 0 and 2 cross at (1,1).
        let bow_tie = [[0.0, 0.0], [2.0, 2.0], [2.0, 0.0], [0.0, 2.0]];
        let c = first_crossing(&bow_tie).expect("crosses");
        assert_eq!((c.edge_a, c.edge_b), (0, 2));
        assert!((c.at[0] - 1.0).abs() < 1e-9 && (c.at[1] - 1.0).abs() < 1e-9);
        assert_eq!(
            c.to_string(),
            "crosses itself: edge 0 crosses edge 2 at [1.000000, 1.000000]"
        );
    }

    #[test]
    fn simple_polygons_pass_and_a_spike_does_not() {
        let square = [[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]];
        assert_eq!(first_crossing(&square), None);
        let l_shape = [
            [0.0, 0.0],
            [2.0, 0.0],
            [2.0, 1.0],
            [1.0, 1.0],
            [1.0, 2.0],
            [0.0, 2.0],
        ];
        assert_eq!(first_crossing(&l_shape), None);
        assert_eq!(first_crossing(&[[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]]), None);
        let doubled = [[0.0, 0.0], [1.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 0.0]];
        assert_eq!(first_crossing(&doubled), None);
        // Out along an edge and back over it.
        let spike = [[0.0, 0.0], [2.0, 0.0], [1.0, 0.0], [1.0, 1.0]];
        assert!(first_crossing(&spike).is_some());
    }
}
