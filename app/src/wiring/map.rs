//! Loading the basemap for the GPU map: read the compact basemap, turn its
//! features into scene geometry, tessellate, and install the buffers into
//! the wgpu renderer — all on a thread named `map-load`, never on the UI
//! thread. The console draws a placeholder until it is ready.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use eframe::egui_wgpu::RenderState;
use watchfloor_layers::basemap::{Basemap, FeatureClass, MapGeometry, RoadClass};
use watchfloor_render::map::{FillClass, LineClass, MapFeatures, MapStyle, SceneFrame};

/// The overview outlines (countries, provinces), beside the city basemap.
pub const REGIONS_FILE: &str = "regions.wfmap";

/// The basemap on its way to the GPU.
pub struct MapLoader {
    ready: Arc<AtomicBool>,
    scene: Arc<OnceLock<(SceneFrame, String)>>,
    error: Arc<Mutex<Option<String>>>,
    thread: Option<JoinHandle<()>>,
}

impl MapLoader {
    /// Starts loading `basemap` into `render_state`; `repaint` is called when
    /// done.
    pub fn start(
        render_state: RenderState,
        basemap: PathBuf,
        repaint: impl Fn() + Send + 'static,
    ) -> std::io::Result<Self> {
        let ready = Arc::new(AtomicBool::new(false));
        let scene = Arc::new(OnceLock::new());
        let error = Arc::new(Mutex::new(None));
        let (r, s, e) = (Arc::clone(&ready), Arc::clone(&scene), Arc::clone(&error));
        let thread = std::thread::Builder::new()
            .name("map-load".into())
            .spawn(move || {
                let started = Instant::now();
                match load(&basemap) {
                    Ok((frame, attribution, geometry)) => {
                        watchfloor_render::map::gpu::install(
                            &render_state,
                            &geometry,
                            &MapStyle::default(),
                        );
                        tracing::info!(
                            triangles =
                                (geometry.fill_indices.len() + geometry.line_indices.len()) / 3,
                            skipped_polygons = geometry.skipped_polygons,
                            ms = started.elapsed().as_millis(),
                            "basemap on the GPU"
                        );
                        let _ = s.set((frame, attribution));
                        r.store(true, Ordering::Release);
                    }
                    Err(err) => {
                        tracing::error!("basemap: {err}");
                        *e.lock().unwrap_or_else(PoisonError::into_inner) = Some(err);
                    }
                }
                repaint();
            })?;
        Ok(Self {
            ready,
            scene,
            error,
            thread: Some(thread),
        })
    }

    /// The scene frame and attribution once the map is on the GPU.
    pub fn ready(&self) -> Option<&(SceneFrame, String)> {
        self.ready
            .load(Ordering::Acquire)
            .then(|| self.scene.get())
            .flatten()
    }

    /// Why the map could not load, if it could not.
    pub fn error(&self) -> Option<String> {
        self.error
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Waits (bounded) for the map: headless renders only.
    pub fn wait(&self, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        while Instant::now() < deadline {
            if self.ready().is_some() || self.error().is_some() {
                return self.ready().is_some();
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        false
    }
}

impl Drop for MapLoader {
    fn drop(&mut self) {
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Reads the city basemap and the region outlines beside it, and
/// tessellates them in a scene centred on the city.
fn load(
    basemap: &std::path::Path,
) -> Result<(SceneFrame, String, watchfloor_render::map::Geometry), String> {
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
    Ok((frame, attribution, geometry))
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
