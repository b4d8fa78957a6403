//! `watchfloor import …`: one-off imports into the compact forms the
//! console loads at start.

use std::path::Path;

use watchfloor_layers::basemap::Basemap;

/// Attribution the OpenStreetMap licence (ODbL) requires on the map.
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

/// Writes the Astana demo site next to `out` (`site.toml` and
/// `astana.geojson`): an outer ring near the city boundary and an inner ring
/// around the centre, a fixed checkpoint wherever a motorway, trunk or
/// primary road crosses a ring, one mobile checkpoint, and a camera looking
/// outwards at each checkpoint.
pub fn demo_site(basemap_file: &Path, out_dir: &Path) -> anyhow::Result<()> {
    use watchfloor_layers::basemap::{FeatureClass, MapGeometry, RoadClass};
    use watchfloor_layers::frame::{LocalFrame, bearing_deg};
    use watchfloor_layers::model::Ring;

    let map = Basemap::load(basemap_file)?;
    let origin = crate::wiring::world::DEFAULT_ORIGIN;
    let frame = LocalFrame::new(origin);
    let [sw, ne] = map
        .bounds()
        .ok_or_else(|| anyhow::anyhow!("empty basemap"))?;
    let outer_centre = [(sw[0] + ne[0]) / 2.0, (sw[1] + ne[1]) / 2.0];
    let rings = [
        (
            "ring-outer",
            "Outer ring",
            "outer",
            outer_centre,
            10_500.0,
            1500.0,
            12,
        ),
        (
            "ring-inner",
            "Inner ring",
            "inner",
            origin,
            4_000.0,
            900.0,
            8,
        ),
    ];
    let mut features = Vec::new();
    let mut cp = 0;
    for (id, name, level, centre, radius, spacing, max) in rings {
        let ring = Ring::circle(id, name, centre, radius, &frame);
        let mut coords: Vec<serde_json::Value> =
            ring.polygon.iter().map(|p| serde_json::json!(p)).collect();
        coords.push(serde_json::json!(ring.polygon[0]));
        features.push(serde_json::json!({
            "type": "Feature",
            "geometry": {"type": "Polygon", "coordinates": [coords]},
            "properties": {"kind": "ring", "id": id, "name": name, "level": level}
        }));
        // Where major roads cross the ring.
        let c = frame.xy(centre);
        let mut crossings: Vec<([f64; 2], String, RoadClass)> = Vec::new();
        for f in &map.features {
            let (FeatureClass::Road(class), MapGeometry::Lines(lines)) = (&f.class, &f.geometry)
            else {
                continue;
            };
            if *class > RoadClass::Primary {
                continue;
            }
            for line in lines {
                for pair in line.windows(2) {
                    let (a, b) = (frame.xy(map.lonlat(pair[0])), frame.xy(map.lonlat(pair[1])));
                    let (da, db) = (
                        (a[0] - c[0]).hypot(a[1] - c[1]) - radius,
                        (b[0] - c[0]).hypot(b[1] - c[1]) - radius,
                    );
                    if da.signum() != db.signum() {
                        let t = da / (da - db);
                        let p = [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t];
                        let road = f
                            .tags
                            .get("name:en")
                            .or_else(|| f.tags.get("name"))
                            .cloned()
                            .unwrap_or_default();
                        crossings.push((p, road, *class));
                    }
                }
            }
        }
        crossings.sort_by(|x, y| {
            x.2.cmp(&y.2)
                .then(bearing_deg(c, x.0).total_cmp(&bearing_deg(c, y.0)))
        });
        let mut chosen: Vec<([f64; 2], String, RoadClass)> = Vec::new();
        for x in crossings {
            if chosen.len() < max
                && chosen
                    .iter()
                    .all(|y| (x.0[0] - y.0[0]).hypot(x.0[1] - y.0[1]) >= spacing)
            {
                chosen.push(x);
            }
        }
        chosen.sort_by(|x, y| bearing_deg(c, x.0).total_cmp(&bearing_deg(c, y.0)));
        for (p, road, class) in chosen {
            cp += 1;
            let lonlat = frame.lonlat(p);
            let heading = bearing_deg(c, p).round();
            let camera = format!("cam-cp-{cp:02}");
            let label = if road.is_empty() {
                format!("{name} {cp:02}")
            } else {
                format!("{name} {cp:02} · {road}")
            };
            let lanes = match class {
                RoadClass::Motorway | RoadClass::Trunk => 4,
                _ => 2,
            };
            features.push(serde_json::json!({
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": lonlat},
                "properties": {"kind": "checkpoint", "id": format!("cp-{cp:02}"), "name": label,
                               "lanes": lanes, "ring": id, "cameras": [camera]}
            }));
            features.push(serde_json::json!({
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": frame.offset(lonlat, heading + 180.0, 25.0)},
                "properties": {"kind": "camera", "id": camera, "name": format!("CP-{cp:02} approach"),
                               "heading": heading, "fov": 70, "range": 120}
            }));
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
    tracing::info!(checkpoints = cp + 1, dir = %out_dir.display(), "demo site written");
    Ok(())
}
