//! Site configuration: a TOML file of settings naming GeoJSON layers of
//! checkpoints, control rings, grid cells and cameras.
//!
//! ```toml
//! name = "Astana"
//! origin = [71.43, 51.13]          # lon, lat of the metric frame's centre
//! layers = ["astana.geojson"]      # relative to this file
//! [grid]                           # optional: a regular grid of cells
//! cell_m = 1000
//! south_west = [71.33, 51.08]
//! north_east = [71.55, 51.22]
//! ```
//!
//! Each GeoJSON feature says what it is in `properties.kind`: `checkpoint`
//! (Point: `id`, `name`, `lanes`, `cameras`, `ring`, optional `mobile_from`
//! and `mobile_until` as RFC 3339), `ring` (Polygon: `id`, `name`, `level`
//! = outer|inner|emergency), `grid_cell` (Polygon: `id`, `responsible`) or
//! `camera` (Point: `id`, `name`, `heading`, `fov`, `range`, `stream`).
//!
//! A bad feature is reported — file, feature index and id, what is wrong —
//! and the rest still load. Only an unreadable settings file stops loading.

/// Astana's centre (Bayterek): the world frame's origin when no site is
/// loaded.
pub const DEFAULT_ORIGIN: [f64; 2] = [71.4304, 51.1283];

use std::collections::BTreeSet;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::frame::LocalFrame;
use crate::model::{
    CameraSite, Checkpoint, CheckpointKind, CheckpointStatus, GridCell, LonLat, Ring, RingLevel,
};

/// The static world of one site.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Site {
    /// Site name.
    pub name: String,
    /// Centre of the metric frame, lon/lat.
    pub origin: LonLat,
    /// Checkpoints.
    pub checkpoints: Vec<Checkpoint>,
    /// Control rings.
    pub rings: Vec<Ring>,
    /// Grid cells.
    pub grid: Vec<GridCell>,
    /// Cameras.
    pub cameras: Vec<CameraSite>,
}

impl Site {
    /// The site's metric frame.
    pub fn frame(&self) -> LocalFrame {
        LocalFrame::new(self.origin)
    }
}

/// One problem found while loading; the rest of the site still loads.
#[derive(Debug, Clone, PartialEq)]
pub struct SiteIssue {
    /// The file.
    pub file: PathBuf,
    /// Which feature (index, and id if it had one), if a feature.
    pub feature: Option<(usize, Option<String>)>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for SiteIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        match &self.feature {
            Some((index, Some(id))) => write!(f, ": feature #{index} (id \"{id}\")")?,
            Some((index, None)) => write!(f, ": feature #{index}")?,
            None => {}
        }
        write!(f, ": {}", self.message)
    }
}

/// Why a site could not be loaded at all.
#[derive(Debug, thiserror::Error)]
pub enum SiteError {
    /// The settings file cannot be read.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The settings file is not valid TOML of the expected shape.
    #[error("{path}: {message}")]
    Settings {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Settings {
    name: String,
    origin: LonLat,
    #[serde(default)]
    layers: Vec<PathBuf>,
    grid: Option<GridSettings>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct GridSettings {
    cell_m: f64,
    south_west: LonLat,
    north_east: LonLat,
    #[serde(default)]
    responsible: Option<String>,
}

/// Most cells a generated grid may have.
const MAX_GRID_CELLS: f64 = 20_000.0;

impl Site {
    /// Loads `site.toml` and its layers; returns the site and every problem
    /// found in its features.
    pub fn load(path: &Path) -> Result<(Self, Vec<SiteIssue>), SiteError> {
        let text = std::fs::read_to_string(path).map_err(|source| SiteError::Io {
            path: path.into(),
            source,
        })?;
        Self::parse(&text, path)
    }

    /// [`Site::load`] of a settings text (`path` names it and locates its
    /// layers).
    pub fn parse(text: &str, path: &Path) -> Result<(Self, Vec<SiteIssue>), SiteError> {
        let settings: Settings = toml::from_str(text).map_err(|e| SiteError::Settings {
            path: path.into(),
            message: e.to_string().trim().to_owned(),
        })?;
        if !valid_lonlat(settings.origin) {
            return Err(SiteError::Settings {
                path: path.into(),
                message: format!("origin {:?} is not a lon/lat position", settings.origin),
            });
        }
        let mut site = Site {
            name: settings.name,
            origin: settings.origin,
            ..Site::default()
        };
        let mut issues = Vec::new();
        if let Some(grid) = &settings.grid {
            match generate_grid(grid, &site.frame()) {
                Ok(cells) => site.grid = cells,
                Err(message) => issues.push(SiteIssue {
                    file: path.into(),
                    feature: None,
                    message: format!("[grid]: {message}"),
                }),
            }
        }
        let dir = path.parent().unwrap_or(Path::new("."));
        for layer in &settings.layers {
            let file = dir.join(layer);
            match std::fs::read_to_string(&file) {
                Ok(text) => site.add_geojson(&file, &text, &mut issues),
                Err(e) => issues.push(SiteIssue {
                    file,
                    feature: None,
                    message: e.to_string(),
                }),
            }
        }
        site.check_references(path, &mut issues);
        Ok((site, issues))
    }

    /// Adds the features of one GeoJSON text, reporting bad ones. Features
    /// are read one by one: a feature with a wrongly typed or missing
    /// coordinate is named (index and id) and the others still load.
    pub fn add_geojson(&mut self, file: &Path, text: &str, issues: &mut Vec<SiteIssue>) {
        let whole = |message: String| SiteIssue {
            file: file.into(),
            feature: None,
            message,
        };
        let root: serde_json::Value = match serde_json::from_str(text) {
            Ok(v) => v,
            Err(e) => {
                issues.push(whole(format!("not JSON: {e}")));
                return;
            }
        };
        if root.get("type").and_then(serde_json::Value::as_str) != Some("FeatureCollection") {
            issues.push(whole("must be a GeoJSON FeatureCollection".into()));
            return;
        }
        let Some(raw_features) = root.get("features").and_then(serde_json::Value::as_array) else {
            issues.push(whole("a FeatureCollection needs a `features` list".into()));
            return;
        };
        let mut features = Vec::with_capacity(raw_features.len());
        for (index, raw) in raw_features.iter().enumerate() {
            match serde_json::from_value::<geojson::Feature>(raw.clone()) {
                Ok(feature) => features.push((index, feature)),
                Err(e) => issues.push(SiteIssue {
                    file: file.into(),
                    feature: Some((index, raw_id(raw))),
                    message: format!("not a GeoJSON feature: {e}"),
                }),
            }
        }
        let mut seen: BTreeSet<String> = self.ids().map(str::to_owned).collect();
        for (index, feature) in &features {
            let index = *index;
            let props = FeatureProps(feature.properties.as_ref());
            let id = props.text("id");
            let issue = |message: String| SiteIssue {
                file: file.into(),
                feature: Some((index, id.clone())),
                message,
            };
            let result = (|| -> Result<(), String> {
                let id = id.clone().ok_or("has no `id` property")?;
                if !seen.insert(id.clone()) {
                    return Err(format!("id \"{id}\" is used twice"));
                }
                let kind = props.text("kind").ok_or("has no `kind` property")?;
                let geometry = feature.geometry.as_ref().map(|g| &g.value);
                match kind.as_str() {
                    "checkpoint" => self.checkpoints.push(checkpoint(id, &props, geometry)?),
                    "ring" => self.rings.push(ring(id, &props, geometry)?),
                    "grid_cell" => self.grid.push(GridCell {
                        responsible: props.text("responsible"),
                        polygon: polygon(geometry)?,
                        id,
                    }),
                    "camera" => self.cameras.push(camera(id, &props, geometry)?),
                    other => {
                        return Err(format!(
                            "unknown kind \"{other}\" (checkpoint, ring, grid_cell or camera)"
                        ));
                    }
                }
                Ok(())
            })();
            if let Err(message) = result {
                issues.push(issue(message));
            }
        }
    }

    fn ids(&self) -> impl Iterator<Item = &str> {
        self.checkpoints
            .iter()
            .map(|c| c.id.as_str())
            .chain(self.rings.iter().map(|r| r.id.as_str()))
            .chain(self.grid.iter().map(|g| g.id.as_str()))
            .chain(self.cameras.iter().map(|c| c.id.as_str()))
    }

    /// Checkpoints naming rings or cameras that do not exist.
    fn check_references(&self, file: &Path, issues: &mut Vec<SiteIssue>) {
        for c in &self.checkpoints {
            let missing_ring = c
                .ring
                .as_ref()
                .filter(|r| !self.rings.iter().any(|x| &x.id == *r));
            if let Some(ring) = missing_ring {
                issues.push(SiteIssue {
                    file: file.into(),
                    feature: None,
                    message: format!(
                        "checkpoint \"{}\" names ring \"{ring}\", which no layer defines",
                        c.id
                    ),
                });
            }
            for cam in c
                .cameras
                .iter()
                .filter(|k| !self.cameras.iter().any(|x| &x.id == *k))
            {
                issues.push(SiteIssue {
                    file: file.into(),
                    feature: None,
                    message: format!(
                        "checkpoint \"{}\" names camera \"{cam}\", which no layer defines",
                        c.id
                    ),
                });
            }
        }
    }
}

/// The `properties.id` of a raw feature, to name one that does not parse.
fn raw_id(raw: &serde_json::Value) -> Option<String> {
    match raw.get("properties")?.get("id")? {
        serde_json::Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

struct FeatureProps<'a>(Option<&'a geojson::JsonObject>);

impl FeatureProps<'_> {
    fn get(&self, key: &str) -> Option<&serde_json::Value> {
        self.0?.get(key).filter(|v| !v.is_null())
    }
    fn text(&self, key: &str) -> Option<String> {
        self.get(key).and_then(|v| match v {
            serde_json::Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
            serde_json::Value::Number(n) => Some(n.to_string()),
            _ => None,
        })
    }
    fn number(
        &self,
        key: &str,
        range: std::ops::RangeInclusive<f64>,
    ) -> Result<Option<f64>, String> {
        match self.get(key) {
            None => Ok(None),
            Some(v) => v
                .as_f64()
                .filter(|x| range.contains(x))
                .map(Some)
                .ok_or_else(|| format!("`{key}` must be a number in {range:?}, not {v}")),
        }
    }
    fn strings(&self, key: &str) -> Result<Vec<String>, String> {
        match self.get(key) {
            None => Ok(Vec::new()),
            Some(serde_json::Value::Array(items)) => items
                .iter()
                .map(|i| {
                    i.as_str()
                        .map(str::to_owned)
                        .ok_or_else(|| format!("`{key}` must list strings"))
                })
                .collect(),
            Some(v) => Err(format!("`{key}` must be a list of strings, not {v}")),
        }
    }
    fn time(&self, key: &str) -> Result<Option<i64>, String> {
        self.text(key)
            .map(|t| {
                chrono::DateTime::parse_from_rfc3339(&t)
                    .map(|d| d.timestamp_micros())
                    .map_err(|_| format!("`{key}` \"{t}\" is not an RFC 3339 time"))
            })
            .transpose()
    }
}

fn valid_lonlat(p: LonLat) -> bool {
    (-180.0..=180.0).contains(&p[0]) && (-90.0..=90.0).contains(&p[1])
}

fn geometry_name(g: Option<&geojson::GeometryValue>) -> &'static str {
    g.map_or("no geometry", geojson::GeometryValue::type_name)
}

fn point(g: Option<&geojson::GeometryValue>, what: &str) -> Result<LonLat, String> {
    match g {
        Some(geojson::GeometryValue::Point { coordinates })
            if coordinates.as_slice().len() >= 2 =>
        {
            let p = coordinates.as_slice();
            let lonlat = [p[0], p[1]];
            valid_lonlat(lonlat)
                .then_some(lonlat)
                .ok_or_else(|| format!("position {lonlat:?} is not a lon/lat"))
        }
        other => Err(format!(
            "{what} needs a Point geometry, found {}",
            geometry_name(other)
        )),
    }
}

fn polygon(g: Option<&geojson::GeometryValue>) -> Result<Vec<LonLat>, String> {
    match g {
        Some(geojson::GeometryValue::Polygon { coordinates }) => {
            let exterior = coordinates.first().ok_or("polygon has no exterior ring")?;
            let mut points: Vec<LonLat> = exterior
                .iter()
                .map(geojson::Position::as_slice)
                .filter(|p| p.len() >= 2)
                .map(|p| [p[0], p[1]])
                .collect();
            if points.len() > 1 && points.first() == points.last() {
                points.pop();
            }
            if points.len() < 3 {
                return Err("polygon needs at least 3 distinct points".into());
            }
            if let Some(bad) = points.iter().find(|p| !valid_lonlat(**p)) {
                return Err(format!("polygon point {bad:?} is not a lon/lat"));
            }
            if let Some(crossing) = crate::polygon_check::first_crossing(&points) {
                return Err(format!("polygon {crossing}"));
            }
            Ok(points)
        }
        other => Err(format!(
            "needs a Polygon geometry, found {}",
            geometry_name(other)
        )),
    }
}

fn checkpoint(
    id: String,
    props: &FeatureProps<'_>,
    g: Option<&geojson::GeometryValue>,
) -> Result<Checkpoint, String> {
    let kind = match (props.time("mobile_from")?, props.time("mobile_until")?) {
        (None, None) => CheckpointKind::Fixed,
        (Some(from), Some(until)) if from < until => CheckpointKind::Mobile { from, until },
        (Some(_), Some(_)) => return Err("`mobile_from` must be before `mobile_until`".into()),
        _ => return Err("a mobile checkpoint needs both `mobile_from` and `mobile_until`".into()),
    };
    Ok(Checkpoint {
        name: props.text("name").unwrap_or_else(|| id.clone()),
        lonlat: point(g, "checkpoint")?,
        lanes: props.number("lanes", 0.0..=64.0)?.map_or(2, |l| l as u8),
        cameras: props.strings("cameras")?,
        ring: props.text("ring"),
        status: CheckpointStatus::Operating,
        kind,
        id,
    })
}

fn ring(
    id: String,
    props: &FeatureProps<'_>,
    g: Option<&geojson::GeometryValue>,
) -> Result<Ring, String> {
    let level = match props.text("level").as_deref() {
        Some("outer") => RingLevel::Outer,
        Some("inner") => RingLevel::Inner,
        Some("emergency") => RingLevel::Emergency,
        Some(other) => {
            return Err(format!(
                "ring level \"{other}\" is not outer, inner or emergency"
            ));
        }
        None => return Err("ring has no `level` (outer, inner or emergency)".into()),
    };
    Ok(Ring {
        name: props.text("name").unwrap_or_else(|| id.clone()),
        level,
        polygon: polygon(g)?,
        id,
    })
}

fn camera(
    id: String,
    props: &FeatureProps<'_>,
    g: Option<&geojson::GeometryValue>,
) -> Result<CameraSite, String> {
    Ok(CameraSite {
        name: props.text("name").unwrap_or_else(|| id.clone()),
        lonlat: point(g, "camera")?,
        heading_deg: props.number("heading", 0.0..=360.0)?.unwrap_or(0.0),
        fov_deg: props.number("fov", 1.0..=360.0)?.unwrap_or(60.0),
        range_m: props.number("range", 1.0..=5000.0)?.unwrap_or(80.0),
        stream: props.text("stream"),
        id,
    })
}

fn generate_grid(grid: &GridSettings, frame: &LocalFrame) -> Result<Vec<GridCell>, String> {
    let (sw, ne) = (frame.xy(grid.south_west), frame.xy(grid.north_east));
    if !(grid.cell_m.is_finite() && grid.cell_m >= 10.0) {
        return Err(format!("cell_m {} must be at least 10 metres", grid.cell_m));
    }
    if !(valid_lonlat(grid.south_west)
        && valid_lonlat(grid.north_east)
        && sw[0] < ne[0]
        && sw[1] < ne[1])
    {
        return Err("south_west must be south-west of north_east".into());
    }
    let (cols, rows) = (
        ((ne[0] - sw[0]) / grid.cell_m).ceil(),
        ((ne[1] - sw[1]) / grid.cell_m).ceil(),
    );
    if cols * rows > MAX_GRID_CELLS {
        return Err(format!(
            "{cols}×{rows} cells is over the {MAX_GRID_CELLS} limit"
        ));
    }
    let mut cells = Vec::new();
    for row in 0..rows as u32 {
        for col in 0..cols as u32 {
            let x0 = sw[0] + f64::from(col) * grid.cell_m;
            let y0 = sw[1] + f64::from(row) * grid.cell_m;
            let (x1, y1) = (x0 + grid.cell_m, y0 + grid.cell_m);
            cells.push(GridCell {
                id: format!("G-{:02}-{:02}", row + 1, col + 1),
                responsible: grid.responsible.clone(),
                polygon: [[x0, y0], [x1, y0], [x1, y1], [x0, y1]]
                    .iter()
                    .map(|&p| frame.lonlat(p))
                    .collect(),
            });
        }
    }
    Ok(cells)
}

#[cfg(test)]
mod tests {
    use super::*;

    const LAYER: &str = r#"{"type":"FeatureCollection","features":[
      {"type":"Feature","geometry":{"type":"Point","coordinates":[71.40,51.10]},
       "properties":{"kind":"checkpoint","id":"cp-1","name":"West gate","lanes":4,"ring":"outer","cameras":["cam-1"]}},
      {"type":"Feature","geometry":{"type":"LineString","coordinates":[[71.4,51.1],[71.5,51.1]]},
       "properties":{"kind":"checkpoint","id":"cp-7"}},
      {"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[71.3,51.0],[71.6,51.0],[71.6,51.3],[71.3,51.3],[71.3,51.0]]]},
       "properties":{"kind":"ring","id":"outer","name":"Outer ring","level":"outer"}},
      {"type":"Feature","geometry":{"type":"Point","coordinates":[71.41,51.11]},
       "properties":{"kind":"camera","id":"cam-1","heading":400}},
      {"type":"Feature","geometry":{"type":"Point","coordinates":[71.41,51.11]},
       "properties":{"kind":"camera","id":"cam-2","heading":90,"fov":75}},
      {"type":"Feature","geometry":{"type":"Point","coordinates":[71.41,51.11]},
       "properties":{"kind":"checkpoint","id":"cp-9","mobile_from":"2026-11-23T08:00:00Z"}},
      {"type":"Feature","geometry":{"type":"Point","coordinates":[71.41,51.11]},
       "properties":{"kind":"tower"}},
      {"type":"Feature","geometry":{"type":"Point","coordinates":[71.42,51.11]},
       "properties":{"kind":"checkpoint","id":"cp-10","mobile_from":"2026-11-23T08:00:00Z","mobile_until":"2026-11-23T20:00:00Z"}}
    ]}"#;

    #[test]
    fn bad_features_are_named_and_the_rest_load() {
        let dir = std::env::temp_dir().join(format!("wf-site-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("tmp");
        std::fs::write(dir.join("city.geojson"), LAYER).expect("write");
        std::fs::write(
            dir.join("site.toml"),
            "name = \"Test\"\norigin = [71.43, 51.13]\nlayers = [\"city.geojson\", \"missing.geojson\"]\n\
             [grid]\ncell_m = 1000\nsouth_west = [71.40, 51.10]\nnorth_east = [71.43, 51.12]\n",
        )
        .expect("write");
        let (site, issues) = Site::load(&dir.join("site.toml")).expect("settings are fine");
        let text: Vec<String> = issues.iter().map(ToString::to_string).collect();
        let file = dir.join("city.geojson").display().to_string();
        let expect = [
            format!(
                "{file}: feature #1 (id \"cp-7\"): checkpoint needs a Point geometry, found LineString"
            ),
            format!(
                "{file}: feature #3 (id \"cam-1\"): `heading` must be a number in 0.0..=360.0, not 400"
            ),
            format!(
                "{file}: feature #5 (id \"cp-9\"): a mobile checkpoint needs both `mobile_from` and `mobile_until`"
            ),
            format!("{file}: feature #6: has no `id` property"),
        ];
        for e in &expect {
            assert!(text.contains(e), "missing {e:?} in {text:#?}");
        }
        assert!(
            text.iter()
                .any(|t| t.contains("missing.geojson") && t.contains("No such file")),
            "{text:#?}"
        );
        assert!(
            text.iter()
                .any(|t| t.contains("checkpoint \"cp-1\" names camera \"cam-1\"")),
            "cam-1 was bad, so cp-1's reference dangles: {text:#?}"
        );
        assert_eq!(issues.len(), 6, "{text:#?}");
        assert_eq!(
            site.checkpoints
                .iter()
                .map(|c| c.id.as_str())
                .collect::<Vec<_>>(),
            ["cp-1", "cp-10"]
        );
        assert!(matches!(
            site.checkpoints[1].kind,
            CheckpointKind::Mobile { .. }
        ));
        assert_eq!(site.rings.len(), 1);
        assert_eq!(site.cameras.len(), 1);
        // 1000 m cells over ~2.1 km × 2.2 km.
        assert_eq!(site.grid.len(), 9);
        assert_eq!(site.grid[0].id, "G-01-01");

        std::fs::write(dir.join("bad.toml"), "name = \"X\"\norigin = [71.4]\n").expect("write");
        let err = Site::load(&dir.join("bad.toml"))
            .expect_err("origin is wrong")
            .to_string();
        assert!(
            err.starts_with(&dir.join("bad.toml").display().to_string()),
            "{err}"
        );
        assert!(err.contains("origin"), "{err}");
        std::fs::remove_dir_all(&dir).ok();
    }

    /// One feature with a coordinate of the wrong type (a string) or none
    /// at all once dropped the whole layer ("not GeoJSON … line 1 column
    /// N"); now it is named and the others load. A bow-tie ring is refused
    /// with where it crosses.
    #[test]
    fn a_feature_with_bad_coordinates_or_a_crossing_ring_is_named_alone() {
        let text = r#"{"type":"FeatureCollection","features":[
          {"type":"Feature","geometry":{"type":"Point","coordinates":[71.40,51.10]},
           "properties":{"kind":"checkpoint","id":"cp-1"}},
          {"type":"Feature","geometry":{"type":"Point","coordinates":["71.40",51.10]},
           "properties":{"kind":"checkpoint","id":"cp-typo"}},
          {"type":"Feature","geometry":{"type":"Point"},
           "properties":{"kind":"camera","id":7}},
          {"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[71.3,51.0],[71.6,51.3],[71.6,51.0],[71.3,51.3],[71.3,51.0]]]},
           "properties":{"kind":"ring","id":"bow-tie","level":"inner"}},
          {"type":"Feature","geometry":{"type":"Point","coordinates":[71.42,51.12]},
           "properties":{"kind":"checkpoint","id":"cp-2"}}
        ]}"#;
        let mut site = Site::default();
        let mut issues = Vec::new();
        site.add_geojson(Path::new("city.geojson"), text, &mut issues);
        let text: Vec<String> = issues.iter().map(ToString::to_string).collect();
        assert_eq!(issues.len(), 3, "{text:#?}");
        assert!(
            text[0]
                .starts_with("city.geojson: feature #1 (id \"cp-typo\"): not a GeoJSON feature:"),
            "{text:#?}"
        );
        assert!(
            text[1].starts_with("city.geojson: feature #2 (id \"7\"): not a GeoJSON feature:"),
            "{text:#?}"
        );
        assert_eq!(
            text[2],
            "city.geojson: feature #3 (id \"bow-tie\"): polygon crosses itself: \
             edge 0 crosses edge 2 at [71.450000, 51.150000]"
        );
        let ids: Vec<&str> = site.checkpoints.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["cp-1", "cp-2"]);
        assert!(site.rings.is_empty());
    }
}
