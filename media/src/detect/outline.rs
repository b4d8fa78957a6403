//! Whether a zone's or privacy mask's outline (image coordinates) crosses
//! itself, and where. Such a polygon has no clear inside — a zone would
//! count the wrong objects, a mask would hide the wrong pixels — so the
//! rules file refuses it, naming the crossing.

/// Where an outline first crosses itself: edge `edge_a` (from point
/// `edge_a` to the next) and the later edge `edge_b`, meeting `at`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Crossing {
    /// The earlier edge.
    pub edge_a: usize,
    /// The later edge.
    pub edge_b: usize,
    /// Where they meet.
    pub at: [f32; 2],
}

impl std::fmt::Display for Crossing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "crosses itself: edge {} crosses edge {} at [{:.3}, {:.3}]",
            self.edge_a, self.edge_b, self.at[0], self.at[1]
        )
    }
}

/// The first crossing of the closed outline through `points`, or `None`
/// for a simple polygon. A repeated point (a closing point equal to the
/// first, two equal neighbours) is dropped first; neighbouring edges share a
/// corner, which is no crossing. Edges are counted over the points left.
pub fn first_crossing(points: &[[f32; 2]]) -> Option<Crossing> {
    let mut distinct: Vec<[f32; 2]> = Vec::with_capacity(points.len());
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
    if n < 4 {
        return None; // a triangle cannot cross itself
    }
    let edge = |i: usize| (points[i], points[(i + 1) % n]);
    for a in 0..n {
        for b in a + 2..n {
            if a == 0 && b == n - 1 {
                continue; // the closing edge neighbours the first
            }
            if let Some(at) = meet(edge(a), edge(b)) {
                return Some(Crossing {
                    edge_a: a,
                    edge_b: b,
                    at,
                });
            }
        }
    }
    None
}

fn cross(o: [f32; 2], a: [f32; 2], b: [f32; 2]) -> f32 {
    (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])
}

/// Where segments `p` and `q` meet (touching counts), if they do.
fn meet(p: ([f32; 2], [f32; 2]), q: ([f32; 2], [f32; 2])) -> Option<[f32; 2]> {
    let (d1, d2) = (cross(q.0, q.1, p.0), cross(q.0, q.1, p.1));
    let (d3, d4) = (cross(p.0, p.1, q.0), cross(p.0, p.1, q.1));
    let straddles = |x: f32, y: f32| (x <= 0.0 && y >= 0.0) || (x >= 0.0 && y <= 0.0);
    if !(straddles(d1, d2) && straddles(d3, d4)) {
        return None;
    }
    if d1.abs() <= f32::EPSILON && d2.abs() <= f32::EPSILON {
        // Collinear: they overlap where both bounding boxes do.
        let on = |r: [f32; 2], s: ([f32; 2], [f32; 2])| {
            (s.0[0].min(s.1[0])..=s.0[0].max(s.1[0])).contains(&r[0])
                && (s.0[1].min(s.1[1])..=s.0[1].max(s.1[1])).contains(&r[1])
        };
        return [p.0, p.1, q.0, q.1]
            .into_iter()
            .find(|&r| on(r, p) && on(r, q));
    }
    let t = d1 / (d1 - d2);
    Some([
        p.0[0] + t * (p.1[0] - p.0[0]),
        p.0[1] + t * (p.1[1] - p.0[1]),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bow_tie_mask_is_found_where_it_crosses_and_simple_ones_pass() {
        let bow_tie = [[0.1, 0.1], [0.5, 0.5], [0.5, 0.1], [0.1, 0.5]];
        let c = first_crossing(&bow_tie).expect("crosses");
        assert_eq!((c.edge_a, c.edge_b), (0, 2));
        assert!((c.at[0] - 0.3).abs() < 1e-6 && (c.at[1] - 0.3).abs() < 1e-6);
        assert_eq!(
            c.to_string(),
            "crosses itself: edge 0 crosses edge 2 at [0.300, 0.300]"
        );
        let l_shape = [
            [0.0, 0.0],
            [0.4, 0.0],
            [0.4, 0.2],
            [0.2, 0.2],
            [0.2, 0.4],
            [0.0, 0.4],
        ];
        assert_eq!(first_crossing(&l_shape), None);
        assert_eq!(first_crossing(&[[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]]), None);
        // A closing point repeated, and a point doubled, are no crossing.
        let closed = [[0.1, 0.1], [0.5, 0.1], [0.5, 0.5], [0.5, 0.5], [0.1, 0.1]];
        assert_eq!(first_crossing(&closed), None);
        // A corner touching a far edge is a crossing too.
        let pinched = [[0.0, 0.0], [0.4, 0.0], [0.2, 0.4], [0.3, 0.0], [0.4, 0.6]];
        assert!(first_crossing(&pinched).is_some());
    }
}
