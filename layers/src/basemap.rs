//! The offline basemap: OpenStreetMap vector tiles (MVT) imported once into
//! a compact file the console loads at start.
//!
//! Import keeps what a map and a road network need — geometry, a feature
//! class and a short whitelist of tags (`highway`, `name`, …) — and drops
//! everything else, notably the `@user`/`@uid` tags of OSM editors, which are
//! personal data we do not need. Coordinates stay on the tiles' integer grid
//! (the Astana tiles are zoom 12 with extent 2²⁰: a 2³² grid over the
//! Web-Mercator world, ~6 mm per step), stored relative to the north-west
//! corner of the first tile so they fit `i32`; pieces of one road cut at a
//! tile edge meet at exactly the same grid point after clipping.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// Magic bytes and version of the file format.
const FILE_MAGIC: &[u8; 8] = b"WFMAP\x00\x00\x01";

/// Tags kept at import; every other tag is dropped.
pub const KEPT_TAGS: [&str; 16] = [
    "highway",
    "name",
    "name:en",
    "name:ru",
    "name:kk",
    "building",
    "landuse",
    "leisure",
    "natural",
    "waterway",
    "water",
    "railway",
    "place",
    "boundary",
    "admin_level",
    "oneway",
];

/// A point on the basemap's integer grid (x east, y south), relative to
/// [`Basemap::grid_origin`].
pub type GridPoint = [i32; 2];

/// What a feature is, for styling and for the road network.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum FeatureClass {
    /// A road, with its class.
    Road(RoadClass),
    /// Rail.
    Railway,
    /// A building footprint.
    Building,
    /// Water bodies and waterways.
    Water,
    /// Parks, forests, grass.
    Green,
    /// Other land use (residential, industrial, …).
    Landuse,
    /// A named place (district, suburb, neighbourhood).
    Place,
    /// Administrative boundaries.
    Boundary,
    /// Anything else that was tagged with a kept tag.
    Other,
}

/// OSM `highway` classes, most important first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum RoadClass {
    /// `motorway` (+ link).
    Motorway,
    /// `trunk` (+ link).
    Trunk,
    /// `primary` (+ link).
    Primary,
    /// `secondary` (+ link).
    Secondary,
    /// `tertiary` (+ link).
    Tertiary,
    /// `residential`, `unclassified`, `living_street`, `road`.
    Residential,
    /// `service`, `track`.
    Service,
    /// `footway`, `path`, `pedestrian`, `cycleway`, `steps`, …: not for cars.
    Path,
}

impl RoadClass {
    /// The class of an OSM `highway` value, if it is a road at all.
    pub fn from_highway(value: &str) -> Option<Self> {
        let base = value.strip_suffix("_link").unwrap_or(value);
        Some(match base {
            "motorway" => Self::Motorway,
            "trunk" => Self::Trunk,
            "primary" => Self::Primary,
            "secondary" => Self::Secondary,
            "tertiary" => Self::Tertiary,
            "residential" | "unclassified" | "living_street" | "road" => Self::Residential,
            "service" | "track" => Self::Service,
            "footway" | "path" | "pedestrian" | "cycleway" | "steps" | "bridleway" | "corridor" => {
                Self::Path
            }
            _ => return None,
        })
    }

    /// Typical urban driving speed on this class, m/s (what a patrol car
    /// averages with traffic, not the legal limit).
    pub fn car_speed_mps(self) -> Option<f64> {
        let kmh = match self {
            Self::Motorway => 80.0,
            Self::Trunk => 65.0,
            Self::Primary => 50.0,
            Self::Secondary => 42.0,
            Self::Tertiary => 36.0,
            Self::Residential => 25.0,
            Self::Service => 15.0,
            Self::Path => return None,
        };
        Some(kmh / 3.6)
    }
}

/// Geometry on the grid.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum MapGeometry {
    /// Points.
    Points(Vec<GridPoint>),
    /// Lines (clipped to their tile, so pieces meet at tile edges).
    Lines(Vec<Vec<GridPoint>>),
    /// Polygons: each is an exterior ring followed by its holes.
    Polygons(Vec<Vec<Vec<GridPoint>>>),
}

/// One map feature.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MapFeature {
    /// What it is.
    pub class: FeatureClass,
    /// The kept tags, sorted by key.
    pub tags: BTreeMap<String, String>,
    /// Where.
    pub geometry: MapGeometry,
}

impl MapFeature {
    /// The `name` tag, if any.
    pub fn name(&self) -> Option<&str> {
        self.tags.get("name").map(String::as_str)
    }
}

/// An imported basemap.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Basemap {
    /// Grid points across the whole Web-Mercator world (2^(zoom + log2 extent)).
    pub grid_size: u64,
    /// Global grid position of the local `[0, 0]`.
    pub grid_origin: [i64; 2],
    /// Attribution to show on the map.
    pub attribution: String,
    /// Every feature.
    pub features: Vec<MapFeature>,
}

/// Why a basemap could not be imported or loaded. Each names its file.
#[derive(Debug, thiserror::Error)]
pub enum BasemapError {
    /// Reading or writing failed.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A tile's name is not `{z}-{x}-{y}.mvt`.
    #[error("{0}: tile file names must be {{z}}-{{x}}-{{y}}.mvt")]
    TileName(PathBuf),
    /// A tile does not decode.
    #[error("{path}: not a Mapbox vector tile: {reason}")]
    Tile {
        /// The file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// Tiles of different zooms or extents.
    #[error("{0}: all tiles must share one zoom and extent")]
    Mixed(PathBuf),
    /// The directory held no tiles.
    #[error("{0}: no .mvt tiles found")]
    Empty(PathBuf),
    /// Not a basemap file, or another version.
    #[error("{0}: not a Watchfloor basemap file of this version (run `watchfloor import basemap`)")]
    Format(PathBuf),
}

/// What an import did, for the log and for tests.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ImportReport {
    /// Tiles read.
    pub tiles: usize,
    /// Features kept, by class.
    pub kept: BTreeMap<FeatureClass, usize>,
    /// Features dropped (no kept tag, or empty after clipping).
    pub dropped: usize,
    /// Tag values dropped, by key (e.g. `@user`).
    pub dropped_tags: BTreeMap<String, usize>,
}

impl Basemap {
    /// Imports every `{z}-{x}-{y}.mvt` tile in `dir`.
    pub fn import_tiles(
        dir: &Path,
        attribution: &str,
    ) -> Result<(Self, ImportReport), BasemapError> {
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |source| BasemapError::Io { path, source }
        };
        let mut tiles: Vec<(PathBuf, [u32; 3])> = Vec::new();
        for entry in std::fs::read_dir(dir).map_err(io(dir))? {
            let path = entry.map_err(io(dir))?.path();
            if path.extension().is_some_and(|e| e == "mvt") {
                let zxy =
                    tile_coordinates(&path).ok_or_else(|| BasemapError::TileName(path.clone()))?;
                tiles.push((path, zxy));
            }
        }
        tiles.sort_by_key(|t| t.1);
        if tiles.is_empty() {
            return Err(BasemapError::Empty(dir.to_path_buf()));
        }
        let mut report = ImportReport::default();
        let mut features = Vec::new();
        let mut grid: Option<(u32, u32)> = None;
        // The first tile's north-west corner (tiles are sorted by z, x, y).
        let (min_x, min_y) = (
            tiles.iter().map(|t| t.1[1]).min().unwrap_or(0),
            tiles.iter().map(|t| t.1[2]).min().unwrap_or(0),
        );
        for (path, [z, x, y]) in &tiles {
            let bytes = std::fs::read(path).map_err(io(path))?;
            let tile_error = |reason: String| BasemapError::Tile {
                path: path.clone(),
                reason,
            };
            let reader = mvt_reader::Reader::new(bytes).map_err(|e| tile_error(e.to_string()))?;
            let layers = reader
                .get_layer_metadata()
                .map_err(|e| tile_error(e.to_string()))?;
            for layer in layers {
                if *grid.get_or_insert((*z, layer.extent)) != (*z, layer.extent) {
                    return Err(BasemapError::Mixed(path.clone()));
                }
                let extent = i32::try_from(layer.extent)
                    .ok()
                    .filter(|e| *e <= 1 << 24)
                    .ok_or_else(|| BasemapError::Mixed(path.clone()))?;
                let local = |t: u32, min: u32| {
                    i32::try_from(t - min)
                        .ok()
                        .and_then(|d| d.checked_mul(extent))
                };
                let origin = match (local(*x, min_x), local(*y, min_y)) {
                    (Some(ox), Some(oy)) => [ox, oy],
                    _ => return Err(BasemapError::Mixed(path.clone())),
                };
                let tile_features = reader
                    .get_features_as::<i32>(layer.layer_index)
                    .map_err(|e| tile_error(e.to_string()))?;
                for feature in tile_features {
                    match import_feature(&feature, origin, extent, &mut report.dropped_tags) {
                        Some(f) => {
                            *report.kept.entry(f.class).or_default() += 1;
                            features.push(f);
                        }
                        None => report.dropped += 1,
                    }
                }
            }
            report.tiles += 1;
        }
        let (zoom, extent) = grid.ok_or_else(|| BasemapError::Empty(dir.to_path_buf()))?;
        Ok((
            Self {
                grid_size: (1_u64 << zoom) * u64::from(extent),
                grid_origin: [
                    i64::from(min_x) * i64::from(extent),
                    i64::from(min_y) * i64::from(extent),
                ],
                attribution: attribution.to_owned(),
                features,
            },
            report,
        ))
    }

    /// Imports region outlines (a GeoJSON feature collection of line strings
    /// or multi-line strings with `kind` = `country` | `province` and `name`,
    /// as `scripts/fetch-regions.sh` makes from Natural Earth), simplified
    /// to `tolerance_deg`, onto a world grid. Features of other shapes or
    /// kinds are counted as dropped.
    pub fn import_outlines(
        path: &Path,
        attribution: &str,
        tolerance_deg: f64,
    ) -> Result<(Self, ImportReport), BasemapError> {
        use geo::Simplify as _;
        let text = std::fs::read_to_string(path).map_err(|source| BasemapError::Io {
            path: path.into(),
            source,
        })?;
        let bad = |reason: String| BasemapError::Tile {
            path: path.into(),
            reason,
        };
        let Ok(geojson::GeoJson::FeatureCollection(collection)) = text.parse::<geojson::GeoJson>()
        else {
            return Err(bad("not a GeoJSON FeatureCollection".into()));
        };
        let grid_size: u64 = 1 << 30;
        let to_grid = |lon: f64, lat: f64| -> GridPoint {
            let size = grid_size as f64;
            let lat = lat.clamp(-85.05, 85.05).to_radians();
            let x = (lon.clamp(-180.0, 180.0) + 180.0) / 360.0 * size;
            let y = (1.0 - (lat.tan() + 1.0 / lat.cos()).ln() / std::f64::consts::PI) / 2.0 * size;
            [
                x.round().min(size - 1.0) as i32,
                y.round().clamp(0.0, size - 1.0) as i32,
            ]
        };
        let mut report = ImportReport::default();
        let mut features = Vec::new();
        for feature in &collection.features {
            let props = feature.properties.as_ref();
            let text = |k: &str| {
                props
                    .and_then(|p| p.get(k))
                    .and_then(|v| v.as_str())
                    .map(str::to_owned)
            };
            let level = match text("kind").as_deref() {
                Some("country") => "2",
                Some("province") => "4",
                _ => {
                    report.dropped += 1;
                    continue;
                }
            };
            let lines: Vec<Vec<geojson::Position>> =
                match feature.geometry.as_ref().map(|g| &g.value) {
                    Some(geojson::GeometryValue::LineString { coordinates }) => {
                        vec![coordinates.clone()]
                    }
                    Some(geojson::GeometryValue::MultiLineString { coordinates }) => {
                        coordinates.clone()
                    }
                    _ => {
                        report.dropped += 1;
                        continue;
                    }
                };
            let lines: Vec<Vec<GridPoint>> = lines
                .iter()
                .map(|line| {
                    let ls: geo::LineString<f64> = line
                        .iter()
                        .map(geojson::Position::as_slice)
                        .filter(|p| p.len() >= 2)
                        .map(|p| (p[0], p[1]))
                        .collect::<Vec<_>>()
                        .into();
                    ls.simplify(tolerance_deg)
                        .0
                        .iter()
                        .map(|c| to_grid(c.x, c.y))
                        .collect::<Vec<_>>()
                })
                .filter(|l: &Vec<GridPoint>| l.len() >= 2)
                .collect();
            if lines.is_empty() {
                report.dropped += 1;
                continue;
            }
            let mut tags = BTreeMap::from([("boundary".to_owned(), "administrative".to_owned())]);
            tags.insert("admin_level".into(), level.into());
            if let Some(name) = text("name") {
                tags.insert("name".into(), name);
            }
            *report.kept.entry(FeatureClass::Boundary).or_default() += 1;
            features.push(MapFeature {
                class: FeatureClass::Boundary,
                tags,
                geometry: MapGeometry::Lines(lines),
            });
        }
        Ok((
            Self {
                grid_size,
                grid_origin: [0, 0],
                attribution: attribution.to_owned(),
                features,
            },
            report,
        ))
    }

    /// Writes the compact file.
    pub fn save(&self, path: &Path) -> Result<(), BasemapError> {
        let mut bytes = FILE_MAGIC.to_vec();
        bytes.extend(postcard::to_stdvec(self).map_err(|_| BasemapError::Format(path.into()))?);
        std::fs::write(path, bytes).map_err(|source| BasemapError::Io {
            path: path.into(),
            source,
        })
    }

    /// Reads a file written by [`Basemap::save`].
    pub fn load(path: &Path) -> Result<Self, BasemapError> {
        let bytes = std::fs::read(path).map_err(|source| BasemapError::Io {
            path: path.into(),
            source,
        })?;
        let body = bytes
            .strip_prefix(FILE_MAGIC.as_slice())
            .ok_or_else(|| BasemapError::Format(path.into()))?;
        postcard::from_bytes(body).map_err(|_| BasemapError::Format(path.into()))
    }

    /// Lon/lat degrees of a grid point.
    pub fn lonlat(&self, p: GridPoint) -> [f64; 2] {
        let size = self.grid_size as f64;
        let x = (self.grid_origin[0] + i64::from(p[0])) as f64;
        let y = (self.grid_origin[1] + i64::from(p[1])) as f64;
        let lon = x / size * 360.0 - 180.0;
        let n = std::f64::consts::PI * (1.0 - 2.0 * y / size);
        [lon, n.sinh().atan().to_degrees()]
    }

    /// The lon/lat bounding box of every feature: `[min, max]`.
    pub fn bounds(&self) -> Option<[[f64; 2]; 2]> {
        let mut points = self.features.iter().flat_map(|f| match &f.geometry {
            MapGeometry::Points(p) => p.clone(),
            MapGeometry::Lines(l) => l.iter().flatten().copied().collect(),
            MapGeometry::Polygons(p) => p.iter().flatten().flatten().copied().collect(),
        });
        let first = points.next()?;
        let (mut min, mut max) = (first, first);
        for p in points {
            min = [min[0].min(p[0]), min[1].min(p[1])];
            max = [max[0].max(p[0]), max[1].max(p[1])];
        }
        // Grid y grows southwards.
        let (sw, ne) = (self.lonlat([min[0], max[1]]), self.lonlat([max[0], min[1]]));
        Some([sw, ne])
    }
}

fn tile_coordinates(path: &Path) -> Option<[u32; 3]> {
    let stem = path.file_stem()?.to_str()?;
    let mut parts = stem.split('-').map(str::parse::<u32>);
    let zxy = [
        parts.next()?.ok()?,
        parts.next()?.ok()?,
        parts.next()?.ok()?,
    ];
    (parts.next().is_none() && zxy[0] <= 20).then_some(zxy)
}

fn import_feature(
    feature: &mvt_reader::feature::Feature<i32>,
    origin: [i32; 2],
    extent: i32,
    dropped_tags: &mut BTreeMap<String, usize>,
) -> Option<MapFeature> {
    let mut tags = BTreeMap::new();
    for (key, value) in feature.properties.iter().flatten() {
        if KEPT_TAGS.contains(&key.as_str()) {
            let text = match value {
                mvt_reader::feature::Value::String(s) => s.clone(),
                mvt_reader::feature::Value::Int(i) | mvt_reader::feature::Value::SInt(i) => {
                    i.to_string()
                }
                mvt_reader::feature::Value::UInt(u) => u.to_string(),
                mvt_reader::feature::Value::Float(f) => f.to_string(),
                mvt_reader::feature::Value::Double(d) => d.to_string(),
                mvt_reader::feature::Value::Bool(b) => b.to_string(),
                mvt_reader::feature::Value::Null => continue,
            };
            tags.insert(key.clone(), text);
        } else {
            *dropped_tags.entry(key.clone()).or_default() += 1;
        }
    }
    let class = classify(&tags)?;
    let shift = |c: &geo::Coord<i32>| [c.x + origin[0], c.y + origin[1]];
    let geometry = match &feature.geometry {
        geo::Geometry::Point(p) => MapGeometry::Points(vec![shift(&p.0)]),
        geo::Geometry::MultiPoint(mp) => {
            MapGeometry::Points(mp.iter().map(|p| shift(&p.0)).collect())
        }
        geo::Geometry::LineString(l) => MapGeometry::Lines(clip_line(&l.0, extent, origin)),
        geo::Geometry::MultiLineString(ml) => MapGeometry::Lines(
            ml.iter()
                .flat_map(|l| clip_line(&l.0, extent, origin))
                .collect(),
        ),
        geo::Geometry::Polygon(p) => MapGeometry::Polygons(vec![polygon_rings(p, shift)]),
        geo::Geometry::MultiPolygon(mp) => {
            MapGeometry::Polygons(mp.iter().map(|p| polygon_rings(p, shift)).collect())
        }
        _ => return None,
    };
    let empty = match &geometry {
        MapGeometry::Points(p) => p.is_empty(),
        MapGeometry::Lines(l) => l.is_empty(),
        MapGeometry::Polygons(p) => p.is_empty(),
    };
    (!empty).then_some(MapFeature {
        class,
        tags,
        geometry,
    })
}

fn polygon_rings(
    polygon: &geo::Polygon<i32>,
    shift: impl Fn(&geo::Coord<i32>) -> GridPoint,
) -> Vec<Vec<GridPoint>> {
    std::iter::once(polygon.exterior())
        .chain(polygon.interiors())
        .map(|ring| ring.0.iter().map(&shift).collect())
        .collect()
}

fn classify(tags: &BTreeMap<String, String>) -> Option<FeatureClass> {
    let has = |k: &str| tags.contains_key(k);
    let is = |k: &str, values: &[&str]| tags.get(k).is_some_and(|v| values.contains(&v.as_str()));
    Some(
        if let Some(road) = tags.get("highway").and_then(|v| RoadClass::from_highway(v)) {
            FeatureClass::Road(road)
        } else if has("railway") {
            FeatureClass::Railway
        } else if has("building") {
            FeatureClass::Building
        } else if has("waterway") || has("water") || is("natural", &["water", "wetland"]) {
            FeatureClass::Water
        } else if is("leisure", &["park", "garden", "pitch", "playground"])
            || is(
                "landuse",
                &["grass", "forest", "meadow", "recreation_ground", "cemetery"],
            )
            || is("natural", &["wood", "scrub", "grassland"])
        {
            FeatureClass::Green
        } else if has("landuse") {
            FeatureClass::Landuse
        } else if has("place") {
            FeatureClass::Place
        } else if has("boundary") {
            FeatureClass::Boundary
        } else if tags.keys().any(|k| k != "name" && !k.starts_with("name:")) {
            FeatureClass::Other
        } else {
            return None;
        },
    )
}

/// Clips a tile-local line to the tile square `[0, extent]²` and moves it to
/// the global grid. Tiles carry a buffer beyond their edge; clipping removes
/// the overlap so that neighbouring tiles' pieces meet end to end.
fn clip_line(points: &[geo::Coord<i32>], extent: i32, origin: [i32; 2]) -> Vec<Vec<GridPoint>> {
    let max = f64::from(extent);
    let mut out: Vec<Vec<GridPoint>> = Vec::new();
    let mut current: Vec<GridPoint> = Vec::new();
    let to_grid = |p: [f64; 2]| {
        [
            p[0].round() as i32 + origin[0],
            p[1].round() as i32 + origin[1],
        ]
    };
    for pair in points.windows(2) {
        let a = [f64::from(pair[0].x), f64::from(pair[0].y)];
        let b = [f64::from(pair[1].x), f64::from(pair[1].y)];
        let Some((t0, t1)) = clip_segment(a, b, max) else {
            if current.len() > 1 {
                out.push(std::mem::take(&mut current));
            }
            current.clear();
            continue;
        };
        let at = |t: f64| [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t];
        let (start, end) = (to_grid(at(t0)), to_grid(at(t1)));
        if current.last() != Some(&start) {
            if current.len() > 1 {
                out.push(std::mem::take(&mut current));
            }
            current.clear();
            current.push(start);
        }
        if current.last() != Some(&end) {
            current.push(end);
        }
        if t1 < 1.0 {
            // The segment leaves the tile: the piece ends here.
            if current.len() > 1 {
                out.push(std::mem::take(&mut current));
            }
            current.clear();
        }
    }
    if current.len() > 1 {
        out.push(current);
    }
    out
}

/// Liang–Barsky: the parameter range of segment `a`→`b` inside `[0, max]²`.
fn clip_segment(a: [f64; 2], b: [f64; 2], max: f64) -> Option<(f64, f64)> {
    let d = [b[0] - a[0], b[1] - a[1]];
    let (mut t0, mut t1) = (0.0_f64, 1.0_f64);
    for (p, q) in [
        (-d[0], a[0]),
        (d[0], max - a[0]),
        (-d[1], a[1]),
        (d[1], max - a[1]),
    ] {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
        } else {
            let r = q / p;
            if p < 0.0 {
                t0 = t0.max(r);
            } else {
                t1 = t1.min(r);
            }
        }
    }
    (t0 <= t1).then_some((t0, t1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn coords(points: &[(i32, i32)]) -> Vec<geo::Coord<i32>> {
        points.iter().map(|&(x, y)| geo::Coord { x, y }).collect()
    }

    #[test]
    fn lines_are_clipped_to_their_tile_and_meet_across_the_edge() {
        // One road crossing the edge x = 100 between two tiles of extent 100,
        // each tile holding it with a 20-unit buffer.
        let left = clip_line(&coords(&[(50, 50), (120, 60)]), 100, [0, 0]);
        let right = clip_line(&coords(&[(-50, 50), (20, 60)]), 100, [100, 0]);
        assert_eq!(left, vec![vec![[50, 50], [100, 57]]]);
        assert_eq!(right, vec![vec![[100, 57], [120, 60]]]);
        // A line leaving and re-entering the tile becomes two pieces.
        let pieces = clip_line(
            &coords(&[(10, 10), (10, 150), (20, 150), (20, 10)]),
            100,
            [0, 0],
        );
        assert_eq!(
            pieces,
            vec![vec![[10, 10], [10, 100]], vec![[20, 100], [20, 10]]]
        );
        // Entirely outside: nothing.
        assert!(clip_line(&coords(&[(-5, -5), (-1, -9)]), 100, [0, 0]).is_empty());
    }

    #[test]
    fn grid_points_map_to_lon_lat() {
        let map = Basemap {
            grid_size: 1 << 24,
            grid_origin: [2859 * 4096, 1366 * 4096],
            attribution: String::new(),
            features: Vec::new(),
        };
        let centre = (1 << 23) - map.grid_origin[0];
        let equator = (1 << 23) - map.grid_origin[1];
        let zero = map.lonlat([centre as i32, equator as i32]);
        assert!(zero[0].abs() < 1e-12 && zero[1].abs() < 1e-12, "{zero:?}");
        // Tile 12/2860/1368 (Astana) has its north-west corner near 71.37° E, 51.18° N.
        let nw = map.lonlat([4096, 2 * 4096]);
        assert!(
            (nw[0] - 71.367).abs() < 0.01 && (nw[1] - 51.18).abs() < 0.01,
            "{nw:?}"
        );
    }

    #[test]
    fn road_classes_come_from_highway_tags() {
        assert_eq!(
            RoadClass::from_highway("primary_link"),
            Some(RoadClass::Primary)
        );
        assert_eq!(RoadClass::from_highway("footway"), Some(RoadClass::Path));
        assert_eq!(RoadClass::from_highway("bus_stop"), None);
        assert!(RoadClass::Path.car_speed_mps().is_none());
    }
}
