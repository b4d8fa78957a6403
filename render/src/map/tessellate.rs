//! Turns map features into GPU geometry once, at load: polygons (land use,
//! parks, water, buildings) are triangulated with lyon; lines (roads,
//! railways, rings) become one quad per segment whose width the vertex
//! shader sets in pixels, so roads stay crisp at every zoom.

use lyon_tessellation::geometry_builder::{BuffersBuilder, VertexBuffers};
use lyon_tessellation::math::point;
use lyon_tessellation::path::Path;
use lyon_tessellation::{FillOptions, FillTessellator, FillVertex};

/// Kinds of filled area, in drawing order (later draws on top).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u32)]
pub enum FillClass {
    /// Residential, industrial, … land use.
    Landuse = 0,
    /// Parks, forests, grass.
    Green = 1,
    /// Lakes, rivers as areas.
    Water = 2,
    /// Building footprints.
    Building = 3,
}

/// Kinds of line, in drawing order (later draws on top).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u32)]
pub enum LineClass {
    /// Province (first-level division) outlines, for overview zooms.
    Province = 0,
    /// Country outlines, for overview zooms.
    Country = 1,
    /// Administrative boundaries from the city basemap.
    Boundary = 2,
    /// Rivers and canals as lines.
    Waterway = 3,
    /// Footways, paths, cycleways.
    Path = 4,
    /// Service roads and tracks.
    Service = 5,
    /// Residential and unclassified streets.
    Residential = 6,
    /// Tertiary roads.
    Tertiary = 7,
    /// Railways.
    Railway = 8,
    /// Secondary roads.
    Secondary = 9,
    /// Primary roads.
    Primary = 10,
    /// Trunk roads.
    Trunk = 11,
    /// Motorways.
    Motorway = 12,
}

/// Number of line classes (the style table's length).
pub const LINE_CLASSES: usize = 13;
/// Number of fill classes.
pub const FILL_CLASSES: usize = 4;

/// Map features in scene coordinates, before tessellation.
#[derive(Debug, Clone, Default)]
pub struct MapFeatures {
    /// Polygons: exterior ring then holes, each ring open (first ≠ last).
    pub fills: Vec<(FillClass, Vec<Vec<[f32; 2]>>)>,
    /// Polylines.
    pub lines: Vec<(LineClass, Vec<[f32; 2]>)>,
}

/// A vertex of a filled area.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, bytemuck::Pod, bytemuck::Zeroable)]
pub struct FillVertex2 {
    /// Scene position.
    pub pos: [f32; 2],
    /// [`FillClass`] as a number.
    pub class: u32,
}

/// A corner of a line segment's quad.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, bytemuck::Pod, bytemuck::Zeroable)]
pub struct LineVertex {
    /// The segment end this corner belongs to (scene).
    pub pos: [f32; 2],
    /// Unit direction of the segment (scene).
    pub dir: [f32; 2],
    /// −1 or +1: which side of the line; −1 or +1: start or end (the shader
    /// extends the quad by half a width past each end, closing joins).
    pub side_along: [f32; 2],
    /// [`LineClass`] as a number.
    pub class: u32,
}

/// Triangles ready for vertex and index buffers.
#[derive(Debug, Default)]
pub struct Geometry {
    /// Fill vertices.
    pub fill_vertices: Vec<FillVertex2>,
    /// Fill triangles.
    pub fill_indices: Vec<u32>,
    /// Line vertices.
    pub line_vertices: Vec<LineVertex>,
    /// Line triangles.
    pub line_indices: Vec<u32>,
    /// Polygons lyon refused (self-intersecting beyond repair); skipped.
    pub skipped_polygons: usize,
    /// Index range of each fill class (geometry is sorted by class), so a
    /// class hidden at the current zoom costs nothing.
    pub fill_ranges: [std::ops::Range<u32>; FILL_CLASSES],
    /// Index range of each line class.
    pub line_ranges: [std::ops::Range<u32>; LINE_CLASSES],
}

/// Tessellates every feature, in drawing order.
pub fn tessellate(features: &MapFeatures) -> Geometry {
    let mut geometry = Geometry::default();
    let mut fills: Vec<&(FillClass, Vec<Vec<[f32; 2]>>)> = features.fills.iter().collect();
    fills.sort_by_key(|f| f.0);
    let mut buffers: VertexBuffers<FillVertex2, u32> = VertexBuffers::new();
    let mut tessellator = FillTessellator::new();
    let options = FillOptions::even_odd().with_tolerance(0.5);
    for (class, rings) in fills {
        let start = buffers.indices.len() as u32;
        if geometry.fill_ranges[*class as usize].is_empty() {
            geometry.fill_ranges[*class as usize] = start..start;
        }
        let mut builder = Path::builder();
        for ring in rings.iter().filter(|r| r.len() >= 3) {
            builder.begin(point(ring[0][0], ring[0][1]));
            for p in &ring[1..] {
                builder.line_to(point(p[0], p[1]));
            }
            builder.end(true);
        }
        let path = builder.build();
        let class = *class as u32;
        let result = tessellator.tessellate_path(
            &path,
            &options,
            &mut BuffersBuilder::new(&mut buffers, |v: FillVertex| FillVertex2 {
                pos: v.position().to_array(),
                class,
            }),
        );
        if result.is_err() {
            geometry.skipped_polygons += 1;
        }
        geometry.fill_ranges[class as usize].end = buffers.indices.len() as u32;
    }
    geometry.fill_vertices = buffers.vertices;
    geometry.fill_indices = buffers.indices;

    let mut lines: Vec<&(LineClass, Vec<[f32; 2]>)> = features.lines.iter().collect();
    lines.sort_by_key(|l| l.0);
    for (class, points) in lines {
        let range = &mut geometry.line_ranges[*class as usize];
        if range.start == range.end {
            let start = geometry.line_indices.len() as u32;
            *range = start..start;
        }
        for pair in points.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
            let length = dx.hypot(dy);
            if length <= 0.0 {
                continue;
            }
            let dir = [dx / length, dy / length];
            let base = geometry.line_vertices.len() as u32;
            for (pos, along) in [(a, -1.0), (b, 1.0)] {
                for side in [-1.0, 1.0] {
                    geometry.line_vertices.push(LineVertex {
                        pos,
                        dir,
                        side_along: [side, along],
                        class: *class as u32,
                    });
                }
            }
            geometry
                .line_indices
                .extend([base, base + 1, base + 2, base + 1, base + 3, base + 2]);
        }
        geometry.line_ranges[*class as usize].end = geometry.line_indices.len() as u32;
    }
    geometry
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn polygons_with_holes_and_lines_become_triangles_in_drawing_order() {
        let square = |x: f32, y: f32, s: f32| vec![[x, y], [x + s, y], [x + s, y + s], [x, y + s]];
        let features = MapFeatures {
            fills: vec![
                (FillClass::Building, vec![square(0.0, 0.0, 10.0)]),
                // A park with a pond-shaped hole.
                (
                    FillClass::Green,
                    vec![square(0.0, 0.0, 100.0), square(40.0, 40.0, 20.0)],
                ),
            ],
            lines: vec![
                (
                    LineClass::Primary,
                    vec![[0.0, 0.0], [50.0, 0.0], [50.0, 50.0]],
                ),
                (LineClass::Path, vec![[0.0, 5.0], [0.0, 5.0], [10.0, 5.0]]),
            ],
        };
        let g = tessellate(&features);
        assert_eq!(g.skipped_polygons, 0);
        // Green (class 1) before building (class 3).
        assert_eq!(g.fill_vertices[0].class, FillClass::Green as u32);
        assert_eq!(
            g.fill_vertices.last().map(|v| v.class),
            Some(FillClass::Building as u32)
        );
        // Area of the triangles: park 100² − 20² plus building 10².
        let area: f32 = g
            .fill_indices
            .chunks(3)
            .map(|t| {
                let [a, b, c] = [0, 1, 2].map(|i| g.fill_vertices[t[i] as usize].pos);
                ((b[0] - a[0]) * (c[1] - a[1]) - (c[0] - a[0]) * (b[1] - a[1])).abs() / 2.0
            })
            .sum();
        assert!((area - (10_000.0 - 400.0 + 100.0)).abs() < 1.0, "{area}");
        // Three real segments (the repeated point is no segment): 4 corners and 2 triangles each,
        // the path (minor) first.
        assert_eq!(g.line_vertices.len(), 12);
        assert_eq!(g.line_indices.len(), 18);
        assert_eq!(g.line_vertices[0].class, LineClass::Path as u32);
        assert_eq!(g.line_ranges[LineClass::Path as usize], 0..6);
        assert_eq!(g.line_ranges[LineClass::Primary as usize], 6..18);
        assert!(g.line_ranges[LineClass::Motorway as usize].is_empty());
        let building = &g.fill_ranges[FillClass::Building as usize];
        assert_eq!(building.end as usize, g.fill_indices.len());
        assert_eq!(building.len(), 6, "a square is two triangles");
    }
}
