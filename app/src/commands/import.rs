//! `watchfloor import …`: one-off imports into the compact forms the
//! console loads at start.

use std::path::Path;

use watchfloor_layers::basemap::Basemap;

/// Credit for Natural Earth (public domain; credit is customary).
pub const NATURAL_EARTH_CREDIT: &str = "Natural Earth";

/// Imports region outlines (countries, provinces) into a basemap file.
pub fn regions(geojson: &Path, out: &Path) -> anyhow::Result<()> {
    // ~2 km: outlines for overview zooms, not for street level.
    let (map, report) = Basemap::import_outlines(geojson, NATURAL_EARTH_CREDIT, 0.02)?;
    map.save(out)?;
    let points: usize = map
        .features
        .iter()
        .map(|f| match &f.geometry {
            watchfloor_layers::basemap::MapGeometry::Lines(l) => l.iter().map(Vec::len).sum(),
            _ => 0,
        })
        .sum();
    tracing::info!(outlines = map.features.len(), points, dropped = report.dropped, out = %out.display(), "regions imported");
    Ok(())
}

/// Attribution the OpenStreetMap licence (`ODbL`) requires on the map.
pub const OSM_ATTRIBUTION: &str = "© OpenStreetMap contributors (ODbL)";

/// Imports a folder of vector tiles into a basemap file.
pub fn basemap(tiles: &Path, out: &Path) -> anyhow::Result<()> {
    let (map, report) = Basemap::import_tiles(tiles, OSM_ATTRIBUTION)?;
    map.save(out)?;
    let dropped_user = report.dropped_tags.get("@user").copied().unwrap_or(0);
    tracing::info!(
        tiles = report.tiles,
        features = map.features.len(),
        dropped = report.dropped,
        "@user tags dropped" = dropped_user,
        out = %out.display(),
        "basemap imported"
    );
    for (class, n) in &report.kept {
        tracing::info!("  {class:?}: {n}");
    }
    Ok(())
}

/// A control ring of the demo site: id, name, level, centre, radius (m),
/// least spacing of its checkpoints (m), most checkpoints.
struct DemoRing {
    id: &'static str,
    name: &'static str,
    level: &'static str,
    centre: [f64; 2],
    radius_m: f64,
    spacing_m: f64,
    max_checkpoints: usize,
}

/// Writes the Astana demo site into `out_dir` (`site.toml` and
/// `astana.geojson`): an outer ring near the city boundary and an inner ring
/// around the centre, a fixed checkpoint wherever a motorway, trunk or
/// primary road crosses a ring, one mobile checkpoint, and a camera looking
/// outwards at each checkpoint.
pub fn demo_site(basemap_file: &Path, out_dir: &Path) -> anyhow::Result<()> {
    use watchfloor_layers::frame::LocalFrame;

    let map = Basemap::load(basemap_file)?;
    let origin = watchfloor_layers::site::DEFAULT_ORIGIN;
    let frame = LocalFrame::new(origin);
    let [sw, ne] = map
        .bounds()
        .ok_or_else(|| anyhow::anyhow!("empty basemap"))?;
    let rings = [
        DemoRing {
            id: "ring-outer",
            name: "Outer ring",
            level: "outer",
            centre: [f64::midpoint(sw[0], ne[0]), f64::midpoint(sw[1], ne[1])],
            radius_m: 10_500.0,
            spacing_m: 1500.0,
            max_checkpoints: 12,
        },
        DemoRing {
            id: "ring-inner",
            name: "Inner ring",
            level: "inner",
            centre: origin,
            radius_m: 4_000.0,
            spacing_m: 900.0,
            max_checkpoints: 8,
        },
    ];
    let mut features = Vec::new();
    let mut number = 0;
    for ring in &rings {
        features.push(ring_feature(ring, &frame));
        for (lonlat, road, class) in ring_crossings(&map, ring, &frame) {
            number += 1;
            features.extend(checkpoint_features(
                ring, number, lonlat, &road, class, &frame,
            ));
        }
    }
    features.push(serde_json::json!({
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": frame.offset(origin, 250.0, 1500.0)},
        "properties": {"kind": "checkpoint", "id": "cp-mobile-1", "name": "Mobile checkpoint (event security)",
                       "lanes": 2, "mobile_from": "2026-01-01T00:00:00Z", "mobile_until": "2027-12-31T23:59:59Z"}
    }));
    let geojson = serde_json::json!({"type": "FeatureCollection", "features": features});
    std::fs::create_dir_all(out_dir)?;
    std::fs::write(
        out_dir.join("astana.geojson"),
        serde_json::to_string_pretty(&geojson)? + "\n",
    )?;
    let toml = format!(
        "# The Astana demo site (written by `watchfloor import demo-site`).\n\
         name = \"Astana\"\n\
         origin = [{}, {}]\n\
         layers = [\"astana.geojson\"]\n\n\
         # 1 km grid cells over the city.\n\
         [grid]\n\
         cell_m = 1000\n\
         south_west = [{:.4}, {:.4}]\n\
         north_east = [{:.4}, {:.4}]\n",
        origin[0],
        origin[1],
        sw[0] + 0.02,
        sw[1] + 0.01,
        ne[0] - 0.02,
        ne[1] - 0.01
    );
    std::fs::write(out_dir.join("site.toml"), toml)?;
    tracing::info!(checkpoints = number + 1, dir = %out_dir.display(), "demo site written");
    Ok(())
}

fn ring_feature(
    ring: &DemoRing,
    frame: &watchfloor_layers::frame::LocalFrame,
) -> serde_json::Value {
    let shape = watchfloor_layers::model::Ring::circle(
        ring.id,
        ring.name,
        ring.centre,
        ring.radius_m,
        frame,
    );
    let mut coords: Vec<serde_json::Value> =
        shape.polygon.iter().map(|p| serde_json::json!(p)).collect();
    coords.push(serde_json::json!(shape.polygon[0]));
    serde_json::json!({
        "type": "Feature",
        "geometry": {"type": "Polygon", "coordinates": [coords]},
        "properties": {"kind": "ring", "id": ring.id, "name": ring.name, "level": ring.level}
    })
}

/// Where motorways, trunk and primary roads cross the ring, spaced out,
/// clockwise from north: lon/lat, road name, class.
fn ring_crossings(
    map: &Basemap,
    ring: &DemoRing,
    frame: &watchfloor_layers::frame::LocalFrame,
) -> Vec<([f64; 2], String, watchfloor_layers::basemap::RoadClass)> {
    use watchfloor_layers::basemap::{FeatureClass, MapGeometry, RoadClass};
    use watchfloor_layers::frame::bearing_deg;

    let centre = frame.xy(ring.centre);
    let off_ring = |p: [f64; 2]| (p[0] - centre[0]).hypot(p[1] - centre[1]) - ring.radius_m;
    let mut crossings: Vec<([f64; 2], String, RoadClass)> = Vec::new();
    for f in &map.features {
        let (FeatureClass::Road(class), MapGeometry::Lines(lines)) = (&f.class, &f.geometry) else {
            continue;
        };
        if *class > RoadClass::Primary {
            continue;
        }
        let road = f
            .tags
            .get("name:en")
            .or_else(|| f.tags.get("name"))
            .cloned()
            .unwrap_or_default();
        for pair in lines.iter().flat_map(|l| l.windows(2)) {
            let (from, to) = (frame.xy(map.lonlat(pair[0])), frame.xy(map.lonlat(pair[1])));
            let (d_from, d_to) = (off_ring(from), off_ring(to));
            if d_from.signum() != d_to.signum() {
                let along = d_from / (d_from - d_to);
                let at = [
                    from[0] + (to[0] - from[0]) * along,
                    from[1] + (to[1] - from[1]) * along,
                ];
                crossings.push((at, road.clone(), *class));
            }
        }
    }
    // Bigger roads first, then clockwise; keep those far enough apart.
    crossings.sort_by(|x, y| {
        x.2.cmp(&y.2)
            .then(bearing_deg(centre, x.0).total_cmp(&bearing_deg(centre, y.0)))
    });
    let mut chosen: Vec<([f64; 2], String, RoadClass)> = Vec::new();
    for x in crossings {
        let far_enough = chosen
            .iter()
            .all(|y| (x.0[0] - y.0[0]).hypot(x.0[1] - y.0[1]) >= ring.spacing_m);
        if chosen.len() < ring.max_checkpoints && far_enough {
            chosen.push(x);
        }
    }
    chosen.sort_by(|x, y| bearing_deg(centre, x.0).total_cmp(&bearing_deg(centre, y.0)));
    chosen
        .into_iter()
        .map(|(p, road, class)| (frame.lonlat(p), road, class))
        .collect()
}

/// A checkpoint and the camera that watches its approach.
fn checkpoint_features(
    ring: &DemoRing,
    number: usize,
    lonlat: [f64; 2],
    road: &str,
    class: watchfloor_layers::basemap::RoadClass,
    frame: &watchfloor_layers::frame::LocalFrame,
) -> [serde_json::Value; 2] {
    use watchfloor_layers::basemap::RoadClass;
    let heading =
        watchfloor_layers::frame::bearing_deg(frame.xy(ring.centre), frame.xy(lonlat)).round();
    let camera = format!("cam-cp-{number:02}");
    let label = if road.is_empty() {
        format!("{} {number:02}", ring.name)
    } else {
        format!("{} {number:02} · {road}", ring.name)
    };
    let lanes = match class {
        RoadClass::Motorway | RoadClass::Trunk => 4,
        _ => 2,
    };
    [
        serde_json::json!({
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": lonlat},
            "properties": {"kind": "checkpoint", "id": format!("cp-{number:02}"), "name": label,
                           "lanes": lanes, "ring": ring.id, "cameras": [camera]}
        }),
        serde_json::json!({
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": frame.offset(lonlat, heading + 180.0, 25.0)},
            "properties": {"kind": "camera", "id": camera, "name": format!("CP-{number:02} approach"),
                           "heading": heading, "fov": 70, "range": 120}
        }),
    ]
}
