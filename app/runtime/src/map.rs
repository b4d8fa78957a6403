//! Loading the basemap for the GPU map: read the compact basemap, turn its
//! features into scene geometry, tessellate, and install the buffers into
//! the wgpu renderer — all as a job on a thread named `map-load`, never on the UI
//! thread. The console draws a placeholder until it is ready.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use crate::job::Job;
use watchfloor_layers::basemap::{Basemap, FeatureClass, MapGeometry, RoadClass};
use watchfloor_render::RenderState;
use watchfloor_render::map::{FillClass, LineClass, MapFeatures, MapStyle, SceneFrame};
pub use watchfloor_render::map::{Label, LoadedMap};

/// The overview outlines (countries, provinces), beside the city basemap.
pub const REGIONS_FILE: &str = "regions.wfmap";

/// The basemap on its way to the GPU: the loaded map, or why not.
pub type MapLoader = Job<Result<LoadedMap, String>>;

/// Starts loading `basemap` into `render_state` on a thread named
/// `map-load`; `repaint` is called when done.
pub fn start_loading(
    render_state: RenderState,
    basemap: PathBuf,
    repaint: impl FnOnce() + Send + 'static,
) -> std::io::Result<MapLoader> {
    Job::start(
        "map-load",
        move || {
            let started = Instant::now();
            let (loaded, geometry) =
                load(&basemap).inspect_err(|err| tracing::error!("basemap: {err}"))?;
            watchfloor_render::map::gpu::install(&render_state, &geometry, &MapStyle::default());
            tracing::info!(
                triangles = (geometry.fill_indices.len() + geometry.line_indices.len()) / 3,
                skipped_polygons = geometry.skipped_polygons,
                ms = started.elapsed().as_millis(),
                "basemap on the GPU"
            );
            Ok(loaded)
        },
        repaint,
    )
}

/// The loaded map, once it is on the GPU.
pub fn ready(loader: &MapLoader) -> Option<LoadedMap> {
    loader.with(|r| r.and_then(|r| r.as_ref().ok()).cloned())
}

/// Why the map could not load, if it could not.
pub fn error(loader: &MapLoader) -> Option<String> {
    loader.with(|r| r.and_then(|r| r.as_ref().err()).cloned())
}

/// Reads the city basemap and the region outlines beside it, and
/// tessellates them in a scene centred on the city (what the console draws).
pub fn load(
    basemap: &std::path::Path,
) -> Result<(LoadedMap, watchfloor_render::map::Geometry), String> {
    let map = Basemap::load(basemap).map_err(|e| e.to_string())?;
    let [sw, ne] = map
        .bounds()
        .ok_or_else(|| format!("{}: empty basemap", basemap.display()))?;
    let frame = SceneFrame::new([f64::midpoint(sw[0], ne[0]), f64::midpoint(sw[1], ne[1])]);
    let mut features = features_of(&map, &frame);
    let mut attribution = map.attribution.clone();
    match Basemap::load(&basemap.with_file_name(REGIONS_FILE)) {
        Ok(outlines) => {
            features.lines.extend(outlines_of(&outlines, &frame));
            attribution = format!("{attribution} · {}", outlines.attribution);
        }
        Err(err) => tracing::warn!("region outlines unavailable: {err}"),
    }
    let geometry = watchfloor_render::map::tessellate::tessellate(&features);
    let labels = Arc::new(labels_of(&map));
    Ok((
        LoadedMap {
            frame,
            attribution,
            labels,
        },
        geometry,
    ))
}

/// Place names (districts, towns) and one label per named major road, at
/// the middle of its longest piece.
pub fn labels_of(map: &Basemap) -> Vec<Label> {
    let mut labels = Vec::new();
    let mut roads: std::collections::HashMap<String, (f64, [f64; 2], RoadClass)> =
        std::collections::HashMap::new();
    for f in &map.features {
        let Some(name) = f.tags.get("name:en").or_else(|| f.tags.get("name")) else {
            continue;
        };
        match (&f.class, &f.geometry) {
            (FeatureClass::Place, MapGeometry::Points(points)) => {
                if let Some(&p) = points.first() {
                    labels.push(Label {
                        lonlat: map.lonlat(p),
                        text: name.clone(),
                        min_zoom: 10.5,
                        place: true,
                    });
                }
            }
            (FeatureClass::Road(class), MapGeometry::Lines(lines))
                if *class <= RoadClass::Secondary =>
            {
                for line in lines {
                    let length: f64 = line
                        .windows(2)
                        .map(|w| f64::from(w[1][0] - w[0][0]).hypot(f64::from(w[1][1] - w[0][1])))
                        .sum();
                    let best = roads.get(name).map_or(0.0, |r| r.0);
                    if length > best {
                        let middle = map.lonlat(line[line.len() / 2]);
                        roads.insert(name.clone(), (length, middle, *class));
                    }
                }
            }
            _ => {}
        }
    }
    for (name, (_, lonlat, class)) in roads {
        let min_zoom = if class <= RoadClass::Trunk {
            13.0
        } else {
            14.5
        };
        labels.push(Label {
            lonlat,
            text: name,
            min_zoom,
            place: false,
        });
    }
    labels.sort_by(|a, b| a.text.cmp(&b.text));
    labels
}

/// The basemap's features in scene coordinates, classed for styling.
pub fn features_of(map: &Basemap, frame: &SceneFrame) -> MapFeatures {
    let mut features = MapFeatures::default();
    let point = |p| frame.scene(map.lonlat(p));
    for f in &map.features {
        let line_class = match f.class {
            FeatureClass::Road(road) => Some(match road {
                RoadClass::Motorway => LineClass::Motorway,
                RoadClass::Trunk => LineClass::Trunk,
                RoadClass::Primary => LineClass::Primary,
                RoadClass::Secondary => LineClass::Secondary,
                RoadClass::Tertiary => LineClass::Tertiary,
                RoadClass::Residential => LineClass::Residential,
                RoadClass::Service => LineClass::Service,
                RoadClass::Path => LineClass::Path,
            }),
            FeatureClass::Railway => Some(LineClass::Railway),
            FeatureClass::Water => Some(LineClass::Waterway),
            FeatureClass::Boundary => Some(LineClass::Boundary),
            _ => None,
        };
        let fill_class = match f.class {
            FeatureClass::Building => Some(FillClass::Building),
            FeatureClass::Water => Some(FillClass::Water),
            FeatureClass::Green => Some(FillClass::Green),
            FeatureClass::Landuse => Some(FillClass::Landuse),
            _ => None,
        };
        match &f.geometry {
            MapGeometry::Lines(lines) => {
                if let Some(class) = line_class {
                    for line in lines {
                        features
                            .lines
                            .push((class, line.iter().map(|&p| point(p)).collect()));
                    }
                }
            }
            MapGeometry::Polygons(polygons) => {
                if let Some(class) = fill_class {
                    for rings in polygons {
                        let rings = rings
                            .iter()
                            .map(|ring| {
                                let mut r: Vec<[f32; 2]> = ring.iter().map(|&p| point(p)).collect();
                                if r.len() > 1 && r.first() == r.last() {
                                    r.pop();
                                }
                                r
                            })
                            .collect();
                        features.fills.push((class, rings));
                    }
                }
            }
            MapGeometry::Points(_) => {}
        }
    }
    features
}

/// Country and province outlines (an imported Natural Earth layer) as lines.
pub fn outlines_of(regions: &Basemap, frame: &SceneFrame) -> Vec<(LineClass, Vec<[f32; 2]>)> {
    let mut out = Vec::new();
    for f in &regions.features {
        let class = match f.tags.get("admin_level").map(String::as_str) {
            Some("2") => LineClass::Country,
            Some("4") => LineClass::Province,
            _ => continue,
        };
        if let MapGeometry::Lines(lines) = &f.geometry {
            for line in lines {
                out.push((
                    class,
                    line.iter()
                        .map(|&p| frame.scene(regions.lonlat(p)))
                        .collect(),
                ));
            }
        }
    }
    out
}
