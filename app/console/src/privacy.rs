//! Privacy masks on camera pictures: each camera's polygons (image
//! coordinates 0..1 from the top-left, from its `detection.toml` entry) are
//! painted opaque over its video wherever the console shows it, live or
//! recorded. Exports fill the same polygons in the pixels themselves.

use std::collections::BTreeMap;

/// Polygons by camera id.
pub type Masks = BTreeMap<String, Vec<Vec<[f32; 2]>>>;

/// The fill: a flat mid grey, as exports use.
pub const MASK_FILL: egui::Color32 = egui::Color32::from_rgb(128, 128, 128);

/// Paints `polygons` opaque over the picture drawn in `video`.
pub fn paint(painter: &egui::Painter, video: egui::Rect, polygons: &[Vec<[f32; 2]>]) {
    for polygon in polygons {
        let points: Vec<egui::Pos2> = polygon
            .iter()
            .map(|[x, y]| video.lerp_inside(egui::vec2(*x, *y)))
            .collect();
        let mut mesh = egui::Mesh::default();
        for p in &points {
            mesh.colored_vertex(*p, MASK_FILL);
        }
        let triangles = triangulate(&points);
        if triangles.len() + 2 == points.len() {
            for [a, b, c] in triangles {
                mesh.add_triangle(a, b, c);
            }
            painter.add(egui::Shape::mesh(mesh));
        } else {
            // Not a simple polygon (it crosses itself): cover all of it.
            painter.rect_filled(egui::Rect::from_points(&points), 0.0, MASK_FILL);
        }
    }
}

/// Ear clipping of a simple polygon (either winding): the triangles as
/// indices into `points`.
pub fn triangulate(points: &[egui::Pos2]) -> Vec<[u32; 3]> {
    let count = points.len();
    if count < 3 {
        return Vec::new();
    }
    let twice_area: f32 = (0..count)
        .map(|i| {
            let (p, q) = (points[i], points[(i + 1) % count]);
            p.x * q.y - q.x * p.y
        })
        .sum();
    let ccw = twice_area > 0.0;
    let mut left: Vec<usize> = (0..count).collect();
    let mut out = Vec::with_capacity(count - 2);
    let corner = |left: &[usize], i: usize| {
        let len = left.len();
        [left[(i + len - 1) % len], left[i], left[(i + 1) % len]]
    };
    let mut guard = 0;
    while left.len() > 3 && guard < count * count {
        guard += 1;
        let ear = (0..left.len()).find(|&i| is_ear(points, &left, corner(&left, i), ccw));
        let Some(i) = ear else { break };
        out.push(corner(&left, i).map(|v| v as u32));
        left.remove(i);
    }
    if left.len() == 3 {
        out.push([left[0] as u32, left[1] as u32, left[2] as u32]);
    }
    out
}

fn cross(o: egui::Pos2, a: egui::Pos2, b: egui::Pos2) -> f32 {
    (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x)
}

/// Whether `b` is a convex corner with no other vertex inside `a b c`.
fn is_ear(points: &[egui::Pos2], left: &[usize], [a, b, c]: [usize; 3], ccw: bool) -> bool {
    let turn = cross(points[a], points[b], points[c]);
    if (turn > 0.0) != ccw || turn == 0.0 {
        return false;
    }
    left.iter()
        .filter(|&&p| p != a && p != b && p != c)
        .all(|&p| {
            let q = points[p];
            let (d1, d2, d3) = (
                cross(points[a], points[b], q),
                cross(points[b], points[c], q),
                cross(points[c], points[a], q),
            );
            let inside = if ccw {
                d1 >= 0.0 && d2 >= 0.0 && d3 >= 0.0
            } else {
                d1 <= 0.0 && d2 <= 0.0 && d3 <= 0.0
            };
            !inside
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn area(points: &[egui::Pos2], triangles: &[[u32; 3]]) -> f32 {
        triangles
            .iter()
            .map(|t| {
                let [a, b, c] = t.map(|i| points[i as usize]);
                cross(a, b, c).abs() / 2.0
            })
            .sum()
    }

    #[test]
    fn a_concave_polygon_is_covered_exactly_in_either_winding() {
        // An L shape: area 3 (a 2×2 square less one 1×1 corner).
        let mut l: Vec<egui::Pos2> = [
            (0.0, 0.0),
            (2.0, 0.0),
            (2.0, 1.0),
            (1.0, 1.0),
            (1.0, 2.0),
            (0.0, 2.0),
        ]
        .into_iter()
        .map(|(x, y)| egui::pos2(x, y))
        .collect();
        let t = triangulate(&l);
        assert_eq!(t.len(), 4);
        assert!((area(&l, &t) - 3.0).abs() < 1e-5);
        l.reverse();
        let t = triangulate(&l);
        assert!((area(&l, &t) - 3.0).abs() < 1e-5);
        assert!(triangulate(&l[..2]).is_empty());
    }
}
