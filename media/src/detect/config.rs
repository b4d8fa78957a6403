//! `detection.toml`: per camera, what detection watches for — zones and
//! lines in image coordinates, rules over them, scheduling priority, an
//! optional narrower class list, an optional ground homography, and privacy
//! masks (areas blanked in every exported frame). Every problem names the
//! file, the camera and the item; a bad camera entry never stops the others.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use super::descriptor::ModelDescriptor;
use super::entry_problem::EntryProblem;
use super::homography::{Fitted, GroundPair, Homography};
use super::privacy::{Polygons, PrivacyPolicy};
use super::rules::{CrossDirection, Rule, RuleKind, RuleSet, Severity, Tripwire, Zone};

/// One camera's detection set-up, checked against the model.
#[derive(Debug)]
pub struct CameraDetection {
    /// Camera id (as in `cameras.toml`).
    pub camera: String,
    /// Checkpoint camera (scheduled before others).
    pub checkpoint: bool,
    /// Class mask (by class index) for this camera.
    pub classes: Vec<bool>,
    /// Zones, lines and rules.
    pub rules: RuleSet,
    /// Image → ground, when configured and valid.
    pub ground: Option<Fitted>,
    /// Rules that only count (`alert = false`, e.g. lane counts at a
    /// checkpoint): their hits update counts but raise no alert.
    pub counting_only: Vec<String>,
    /// Privacy masks: polygons in image coordinates (0..1 from the
    /// top-left, like zones) filled solid in every exported frame.
    pub privacy_masks: Vec<Vec<[f32; 2]>>,
}

/// A parsed file: the usable cameras and one message per problem.
#[derive(Debug, Default)]
pub struct DetectionConfig {
    /// Cameras that loaded.
    pub cameras: Vec<CameraDetection>,
    /// Problems, each naming file (and line), camera and item.
    pub problems: Vec<String>,
    /// Ids of camera entries that did not load for detection.
    pub rejected: Vec<String>,
    /// Each camera's privacy masks, or why they are unknown: a camera whose
    /// masks did not read, or every camera when the file itself did not.
    pub privacy: PrivacyPolicy,
}

impl DetectionConfig {
    /// The set-up of `camera`, if configured.
    pub fn camera(&self, camera: &str) -> Option<&CameraDetection> {
        self.cameras.iter().find(|c| c.camera == camera)
    }
}

/// The file's camera entries with where each starts (other keys are
/// checked on the plain table).
#[derive(Deserialize)]
struct FileSpans {
    #[serde(default)]
    camera: Vec<toml::Spanned<toml::Value>>,
}

/// Only the masks of a camera entry: read even when the rest of the entry
/// is broken, so that a typo in a rule does not cost the masks.
#[derive(Deserialize)]
struct MasksOnly {
    #[serde(default)]
    privacy_mask: Vec<MaskForm>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CameraForm {
    id: String,
    #[serde(default)]
    checkpoint: bool,
    #[serde(default)]
    classes: Option<Vec<String>>,
    #[serde(default)]
    zone: Vec<ZoneForm>,
    #[serde(default)]
    line: Vec<LineForm>,
    #[serde(default)]
    rule: Vec<RuleForm>,
    #[serde(default)]
    ground: Vec<GroundForm>,
    #[serde(default)]
    privacy_mask: Vec<MaskForm>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MaskForm {
    polygon: Vec<[f32; 2]>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ZoneForm {
    id: String,
    polygon: Vec<[f32; 2]>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LineForm {
    id: String,
    a: [f32; 2],
    b: [f32; 2],
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GroundForm {
    image: [f64; 2],
    lonlat: [f64; 2],
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleForm {
    id: String,
    name: String,
    kind: String,
    #[serde(default)]
    zone: Option<String>,
    #[serde(default)]
    line: Option<String>,
    #[serde(default)]
    direction: Option<String>,
    #[serde(default)]
    classes: Vec<String>,
    #[serde(default)]
    min_dwell_s: Option<f64>,
    #[serde(default)]
    dwell_s: Option<f64>,
    #[serde(default)]
    max_speed: Option<f32>,
    #[serde(default)]
    min_count: Option<usize>,
    severity: String,
    #[serde(default = "yes")]
    alert: bool,
}

fn yes() -> bool {
    true
}

/// Reads `path`; an unreadable or unparsable file is one problem.
pub fn load(path: &Path, model: &ModelDescriptor) -> DetectionConfig {
    match std::fs::read_to_string(path) {
        Ok(text) => parse(&text, path, model),
        Err(e) => {
            let reason = format!("{}: {e}", path.display());
            DetectionConfig {
                problems: vec![reason.clone()],
                privacy: PrivacyPolicy::unreadable(reason),
                ..DetectionConfig::default()
            }
        }
    }
}

/// Parses the text of a `detection.toml` (`origin` names it in messages).
/// Camera entries are read one by one: a broken entry is named (file, line,
/// id) and the others load. An entry's privacy masks are read apart from
/// the rest of it; if they cannot be, that camera's masks are unknown, and
/// if the file cannot be read at all, every camera's are.
pub fn parse(text: &str, origin: &Path, model: &ModelDescriptor) -> DetectionConfig {
    let mut config = DetectionConfig::default();
    let file = origin.display();
    let unreadable = |config: &mut DetectionConfig, e: &toml::de::Error| {
        let line = e.span().map_or(1, |span| line_of(text, span.start));
        let reason = format!("{file}, line {line}: {}", e.message().trim());
        config.problems.push(reason.clone());
        config.privacy = PrivacyPolicy::unreadable(reason);
    };
    let table: toml::Table = match toml::from_str(text) {
        Ok(t) => t,
        Err(e) => {
            unreadable(&mut config, &e);
            return config;
        }
    };
    for key in table.keys().filter(|k| *k != "camera") {
        config.problems.push(format!(
            "{file}: unknown key `{key}` (the file holds [[camera]] tables)"
        ));
    }
    let spans: FileSpans = match toml::from_str(text) {
        Ok(s) => s,
        Err(e) => {
            unreadable(&mut config, &e);
            return config;
        }
    };
    let mut masks: BTreeMap<String, Polygons> = BTreeMap::new();
    let mut unknown: Vec<(String, String)> = Vec::new();
    let mut first_at: BTreeMap<String, String> = BTreeMap::new();
    for (index, entry) in spans.camera.into_iter().enumerate() {
        let at = format!("{file}, line {}", line_of(text, entry.span().start));
        let value = entry.into_inner();
        let Some(id) = value
            .get("id")
            .and_then(toml::Value::as_str)
            .map(str::to_owned)
        else {
            // An entry nobody can tell the camera of: any camera's masks
            // may be in it.
            let reason = format!("{at}: camera entry #{index} has no `id`");
            config.problems.push(reason.clone());
            config.privacy = PrivacyPolicy::unreadable(reason);
            return config;
        };
        if let Some(first) = first_at.get(&id) {
            // Which entry's masks hold? Neither can be trusted: the camera
            // is blanked, and detection runs on neither.
            let reason = format!("{at}: camera `{id}` is configured twice (first at {first})");
            config.problems.push(reason.clone());
            unknown.push((id.clone(), reason));
            config.cameras.retain(|c| c.camera != id);
            config.rejected.push(id);
            continue;
        }
        first_at.insert(id.clone(), at.clone());
        match value
            .clone()
            .try_into::<MasksOnly>()
            .map_err(EntryProblem::Fields)
            .and_then(|m| checked_masks(m.privacy_mask))
            .and_then(|polygons| match misspelt_mask_key(&value) {
                // A key that looks meant for masks but is not read as them
                // (`privacy_masks`, `mask`) must not leave the camera clear.
                Some(key) if polygons.is_empty() => Err(EntryProblem::MisspeltMaskKey { key }),
                _ => Ok(polygons),
            }) {
            Ok(polygons) if polygons.is_empty() => {}
            Ok(polygons) => {
                masks.insert(id.clone(), polygons);
            }
            Err(e) => unknown.push((id.clone(), format!("{at}: camera `{id}`: {e}"))),
        }
        let built = value
            .try_into::<CameraForm>()
            .map_err(EntryProblem::Fields)
            .and_then(|form| build_camera(form, model));
        match built {
            Ok((built, warnings)) => {
                config.problems.extend(
                    warnings
                        .into_iter()
                        .map(|w| format!("{at}: camera `{id}`: {w}")),
                );
                config.cameras.push(built);
            }
            Err(e) => {
                config.problems.push(format!("{at}: camera `{id}`: {e}"));
                config.rejected.push(id);
            }
        }
    }
    config.privacy = PrivacyPolicy::from_masks(masks);
    for (camera, reason) in unknown {
        config.privacy.mark_unknown(camera, reason);
    }
    config
}

/// A key of a camera entry that names masks but is not `privacy_mask`.
fn misspelt_mask_key(entry: &toml::Value) -> Option<String> {
    entry
        .as_table()?
        .keys()
        .find(|k| k.to_lowercase().contains("mask") && k.as_str() != "privacy_mask")
        .cloned()
}

/// The 1-based line of byte `offset` in `text` (for a camera entry: the
/// line of its `[[camera]]` header).
fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .split(|&b| b == b'\n')
        .count()
}

/// Every mask of an entry checked, in file order.
fn checked_masks(forms: Vec<MaskForm>) -> Result<Polygons, EntryProblem> {
    forms
        .into_iter()
        .enumerate()
        .map(|(index, m)| check_mask(index, m.polygon))
        .collect()
}

/// One camera; a bad homography is a warning (the rules still run).
fn build_camera(
    form: CameraForm,
    model: &ModelDescriptor,
) -> Result<(CameraDetection, Vec<String>), EntryProblem> {
    let classes = model.class_mask(form.classes.as_deref())?;
    let privacy_masks = checked_masks(form.privacy_mask)?;
    let zones = form
        .zone
        .into_iter()
        .map(|z| match super::outline::first_crossing(&z.polygon) {
            Some(crossing) => Err(EntryProblem::ZoneCrosses {
                zone: z.id,
                crossing,
            }),
            None => Ok(Zone {
                id: z.id,
                polygon: z.polygon,
            }),
        })
        .collect::<Result<Vec<_>, _>>()?;
    let lines = form
        .line
        .into_iter()
        .map(|l| Tripwire {
            id: l.id,
            a: l.a,
            b: l.b,
        })
        .collect();
    let counting_only = form
        .rule
        .iter()
        .filter(|r| !r.alert)
        .map(|r| r.id.clone())
        .collect();
    let rules = form
        .rule
        .into_iter()
        .map(|r| build_rule(r, model))
        .collect::<Result<Vec<_>, _>>()?;
    let rules = RuleSet::new(zones, lines, rules)?;
    let mut warnings = Vec::new();
    let ground = if form.ground.is_empty() {
        None
    } else {
        let pairs: Vec<GroundPair> = form
            .ground
            .iter()
            .map(|g| GroundPair {
                image: g.image,
                lonlat: g.lonlat,
            })
            .collect();
        match Homography::fit(&pairs) {
            Ok(fitted) => {
                tracing::info!(
                    camera = %form.id,
                    rms_m = fitted.rms_error_m,
                    max_m = fitted.max_error_m,
                    "ground homography fitted"
                );
                Some(fitted)
            }
            Err(e) => {
                warnings.push(format!("ground homography refused: {e}"));
                None
            }
        }
    };
    Ok((
        CameraDetection {
            camera: form.id,
            checkpoint: form.checkpoint,
            classes,
            rules,
            ground,
            counting_only,
            privacy_masks,
        },
        warnings,
    ))
}

/// A privacy mask (`index` from 0, in file order) must be a polygon of at
/// least three points inside the image.
fn check_mask(index: usize, polygon: Vec<[f32; 2]>) -> Result<Vec<[f32; 2]>, EntryProblem> {
    if polygon.len() < 3 {
        return Err(EntryProblem::MaskTooFewPoints {
            index,
            points: polygon.len(),
        });
    }
    if let Some(&[x, y]) = polygon
        .iter()
        .find(|p| !p.iter().all(|v| (0.0..=1.0).contains(v)))
    {
        return Err(EntryProblem::MaskOutside { index, x, y });
    }
    if let Some(crossing) = super::outline::first_crossing(&polygon) {
        return Err(EntryProblem::MaskCrosses { index, crossing });
    }
    Ok(polygon)
}

fn build_rule(form: RuleForm, model: &ModelDescriptor) -> Result<Rule, EntryProblem> {
    let id = form.id.clone();
    let needs = |what| EntryProblem::RuleNeeds {
        rule: id.clone(),
        kind: form.kind.clone(),
        what,
    };
    let refused = |key, given: &str, allowed| EntryProblem::RuleValue {
        rule: id.clone(),
        key,
        given: given.to_owned(),
        allowed,
    };
    let need_zone = || form.zone.clone().ok_or_else(|| needs("a `zone`"));
    let need = |value: Option<f64>, what| value.ok_or_else(|| needs(what));
    let kind = match form.kind.as_str() {
        "intrusion" => RuleKind::Intrusion {
            zone: need_zone()?,
            min_dwell_s: form.min_dwell_s.unwrap_or(0.0),
        },
        "line_crossing" => RuleKind::LineCrossing {
            line: form.line.clone().ok_or_else(|| needs("a `line`"))?,
            direction: match form.direction.as_deref().unwrap_or("both") {
                "forward" => CrossDirection::Forward,
                "backward" => CrossDirection::Backward,
                "both" => CrossDirection::Both,
                other => return Err(refused("direction", other, "forward, backward or both")),
            },
        },
        "loitering" => RuleKind::Loitering {
            zone: need_zone()?,
            dwell_s: need(form.dwell_s, "`dwell_s`")?,
        },
        "stopped_vehicle" => RuleKind::StoppedVehicle {
            zone: need_zone()?,
            dwell_s: need(form.dwell_s, "`dwell_s`")?,
            max_speed: form.max_speed.unwrap_or(0.02),
        },
        "crowd" => RuleKind::Crowd {
            zone: need_zone()?,
            min_count: form.min_count.ok_or_else(|| needs("`min_count`"))?,
        },
        other => {
            return Err(refused(
                "kind",
                other,
                "one of intrusion, line_crossing, loitering, stopped_vehicle, crowd",
            ));
        }
    };
    let severity = match form.severity.as_str() {
        "low" => Severity::Low,
        "medium" => Severity::Medium,
        "high" => Severity::High,
        "critical" => Severity::Critical,
        other => return Err(refused("severity", other, "low, medium, high or critical")),
    };
    let classes = form
        .classes
        .iter()
        .map(|name| {
            let refused = || EntryProblem::RuleClass {
                rule: id.clone(),
                class: name.clone(),
            };
            if !model.enabled.contains(name) {
                return Err(refused());
            }
            model
                .classes
                .iter()
                .position(|c| c == name)
                .and_then(|i| u32::try_from(i).ok())
                .ok_or_else(refused)
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Rule {
        id: form.id,
        name: form.name,
        kind,
        classes,
        severity,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::privacy::CameraPrivacy;

    fn model() -> ModelDescriptor {
        ModelDescriptor::bundled().expect("bundled model descriptor")
    }

    const GOOD: &str = r#"
[[camera]]
id = "cam-a"
checkpoint = true
classes = ["person", "car"]
zone = [{ id = "lawn", polygon = [[0.1, 0.5], [0.5, 0.5], [0.5, 0.9], [0.1, 0.9]] }]
line = [{ id = "gate", a = [0.2, 0.6], b = [0.8, 0.6] }]

[[camera.rule]]
id = "lawn"
name = "Person on the lawn"
kind = "intrusion"
zone = "lawn"
classes = ["person"]
min_dwell_s = 1.0
severity = "medium"

[[camera.rule]]
id = "gate-in"
name = "Entering"
kind = "line_crossing"
line = "gate"
direction = "forward"
severity = "low"
alert = false

[[camera]]
id = "cam-b"
[[camera.rule]]
id = "bad"
name = "Bad"
kind = "loitering"
zone = "nowhere"
dwell_s = 30
severity = "high"
"#;

    #[test]
    fn a_good_camera_loads_and_a_bad_one_is_named() {
        let config = parse(GOOD, Path::new("detection.toml"), &model());
        assert_eq!(config.cameras.len(), 1, "{:?}", config.problems);
        let a = config.camera("cam-a").expect("cam-a");
        assert!(a.checkpoint);
        assert_eq!(a.counting_only, ["gate-in"]);
        assert_eq!(a.classes.iter().filter(|&&c| c).count(), 2);
        assert_eq!(config.problems.len(), 1);
        let problem = &config.problems[0];
        assert!(
            problem.starts_with("detection.toml, line 27: camera `cam-b`"),
            "{problem}"
        );
        assert!(problem.contains("nowhere"), "{problem}");
    }

    #[test]
    fn privacy_a_class_the_model_does_not_enable_is_refused() {
        let text = GOOD.replace(
            "classes = [\"person\", \"car\"]",
            "classes = [\"person\", \"dog\"]",
        );
        let config = parse(&text, Path::new("d.toml"), &model());
        assert!(config.camera("cam-a").is_none());
        assert!(
            config.problems.iter().any(|p| p.contains("`dog`")),
            "{:?}",
            config.problems
        );
    }

    #[test]
    fn a_degenerate_homography_is_refused_but_the_rules_still_run() {
        let text = format!(
            "{GOOD}\n[[camera]]\nid = \"cam-c\"\nground = [\n{}]\n",
            (0..4).fold(String::new(), |mut s, i| {
                use std::fmt::Write as _;
                let _ = writeln!(
                    s,
                    "{{ image = [{}, 0.5], lonlat = [71.4{i}, 51.1] }},",
                    0.1 * f64::from(i)
                );
                s
            })
        );
        let config = parse(&text, Path::new("d.toml"), &model());
        let c = config.camera("cam-c").expect("cam-c still loads");
        assert!(c.ground.is_none());
        assert!(
            config
                .problems
                .iter()
                .any(|p| p.contains("cam-c") && p.contains("homography")),
            "{:?}",
            config.problems
        );
    }

    #[test]
    fn privacy_masks_load_and_a_bad_one_names_file_camera_and_index() {
        let text = format!(
            "{GOOD}\n[[camera]]\nid = \"cam-m\"\n[[camera.privacy_mask]]\npolygon = [[0.0, 0.0], [0.3, 0.0], [0.3, 0.1]]\n[[camera.privacy_mask]]\npolygon = [[0.5, 0.5], [0.6, 0.5], [0.6, 0.6], [0.5, 0.6]]\n"
        );
        let config = parse(&text, Path::new("d.toml"), &model());
        let m = config.camera("cam-m").expect("cam-m");
        assert_eq!(m.privacy_masks.len(), 2);
        assert_eq!(m.privacy_masks[1].len(), 4);
        assert!((m.privacy_masks[1][2][0] - 0.6).abs() < 1e-6);
        assert!(
            config
                .camera("cam-a")
                .expect("cam-a")
                .privacy_masks
                .is_empty()
        );

        for (bad, says) in [
            ("[[0.0, 0.0], [0.3, 0.0]]", "at least 3 points"),
            ("[[0.0, 0.0], [1.3, 0.0], [0.3, 0.1]]", "[1.3, 0]"),
        ] {
            let text = format!(
                "[[camera]]\nid = \"cam-m\"\n[[camera.privacy_mask]]\npolygon = [[0.1, 0.1], [0.2, 0.1], [0.2, 0.2]]\n[[camera.privacy_mask]]\npolygon = {bad}\n"
            );
            let config = parse(&text, Path::new("d.toml"), &model());
            assert!(
                config.camera("cam-m").is_none(),
                "a bad mask rejects the camera"
            );
            assert_eq!(config.rejected, ["cam-m"]);
            let problem = &config.problems[0];
            assert!(
                problem.starts_with("d.toml, line 1: camera `cam-m`: privacy mask #1:"),
                "{problem}"
            );
            assert!(problem.contains(says), "{problem}");
            assert!(
                matches!(config.privacy.for_camera("cam-m"), CameraPrivacy::Unknown(why) if why == problem),
                "its picture must not be shown: {:?}",
                config.privacy
            );
        }
    }

    /// A broken file (here: an unclosed array on line 4) leaves every
    /// camera's masks unknown, naming the file and line; so does an entry
    /// without an id, and an unreadable file.
    #[test]
    fn privacy_an_unreadable_file_leaves_every_camera_masks_unknown() {
        let text = "[[camera]]\nid = \"cam-m\"\n[[camera.privacy_mask]]\npolygon = [[0.1, 0.1], [0.2, 0.1]\n";
        let config = parse(text, Path::new("d.toml"), &model());
        let CameraPrivacy::Unknown(why) = config.privacy.for_camera("any-camera") else {
            panic!("masks must be unknown: {:?}", config.privacy)
        };
        assert!(why.starts_with("d.toml, line 4: "), "{why}");
        let no_id = "[[camera]]\nid = \"cam-a\"\n[[camera]]\nname = \"gate\"\n";
        let config = parse(no_id, Path::new("d.toml"), &model());
        assert_eq!(
            config.privacy.for_camera("cam-a"),
            CameraPrivacy::Unknown("d.toml, line 3: camera entry #1 has no `id`")
        );
        let config = load(Path::new("/nonexistent/detection.toml"), &model());
        assert!(config.privacy.all_unknown().is_some());
    }

    /// A broken rule or a typo elsewhere in an entry costs its detection,
    /// not its masks; a mask or zone that crosses itself is refused with
    /// where it crosses.
    #[test]
    fn masks_survive_a_broken_rule_and_crossing_outlines_are_refused() {
        let mask = "[[camera.privacy_mask]]\npolygon = [[0.1, 0.1], [0.4, 0.1], [0.4, 0.4]]\n";
        let text = format!(
            "[[camera]]\nid = \"rule-typo\"\nzone = [{{ id = \"z\", polygon = [[0.1, 0.5], [0.5, 0.5], [0.5, 0.9]] }}]\n\
             {mask}[[camera.rule]]\nid = \"r\"\nname = \"R\"\nkind = \"intrusion\"\nzone = \"z\"\nseverity = \"severe\"\n\
             [[camera]]\nid = \"field-typo\"\nchekpoint = true\n{mask}\
             [[camera]]\nid = \"bow-zone\"\nzone = [{{ id = \"bow\", polygon = [[0.1, 0.1], [0.5, 0.5], [0.5, 0.1], [0.1, 0.5]] }}]\n{mask}\
             [[camera]]\nid = \"bow-mask\"\n[[camera.privacy_mask]]\npolygon = [[0.1, 0.1], [0.5, 0.5], [0.5, 0.1], [0.1, 0.5]]\n"
        );
        let config = parse(&text, Path::new("d.toml"), &model());
        assert!(config.cameras.is_empty(), "{:?}", config.problems);
        assert_eq!(
            config.rejected,
            ["rule-typo", "field-typo", "bow-zone", "bow-mask"]
        );
        for camera in ["rule-typo", "field-typo", "bow-zone"] {
            assert!(
                matches!(config.privacy.for_camera(camera), CameraPrivacy::Masked(m) if m.len() == 1),
                "{camera}: {:?}",
                config.privacy
            );
        }
        let zone = config
            .problems
            .iter()
            .find(|p| p.contains("bow-zone"))
            .expect("the zone named");
        assert!(
            zone.ends_with("zone `bow`: crosses itself: edge 0 crosses edge 2 at [0.300, 0.300]"),
            "{zone}"
        );
        let CameraPrivacy::Unknown(why) = config.privacy.for_camera("bow-mask") else {
            panic!("{:?}", config.privacy)
        };
        assert!(why.contains("privacy mask #0: crosses itself"), "{why}");
        assert!(why.starts_with("d.toml, line 22: "), "{why}");
    }

    /// A camera configured twice, or with its masks under a misspelt key,
    /// is blanked rather than shown with one entry's masks or none.
    #[test]
    fn privacy_a_duplicate_entry_or_a_misspelt_mask_key_leaves_masks_unknown() {
        let mask = "[[camera.privacy_mask]]\npolygon = [[0.1, 0.1], [0.4, 0.1], [0.4, 0.4]]\n";
        let text = format!(
            "[[camera]]\nid = \"twice\"\n{mask}[[camera]]\nid = \"twice\"\n\
             [[camera]]\nid = \"typo\"\n[[camera.privacy_masks]]\npolygon = [[0.1, 0.1], [0.4, 0.1], [0.4, 0.4]]\n"
        );
        let config = parse(&text, Path::new("d.toml"), &model());
        assert!(config.cameras.is_empty(), "{:?}", config.problems);
        assert_eq!(
            config.privacy.for_camera("twice"),
            CameraPrivacy::Unknown(
                "d.toml, line 5: camera `twice` is configured twice (first at d.toml, line 1)"
            )
        );
        let CameraPrivacy::Unknown(why) = config.privacy.for_camera("typo") else {
            panic!("{:?}", config.privacy)
        };
        assert!(
            why.contains("`privacy_masks` is not `privacy_mask`"),
            "{why}"
        );
    }

    /// The demo site's file loads, with the privacy mask of `cam-cp-02`.
    #[test]
    fn the_demo_site_loads_with_its_privacy_mask() {
        let path = crate::assets::assets_dir()
            .expect("assets")
            .join("site/astana/detection.toml");
        let config = load(&path, &model());
        assert!(config.problems.is_empty(), "{:?}", config.problems);
        let cam = config.camera("cam-cp-02").expect("cam-cp-02");
        assert_eq!(cam.privacy_masks.len(), 1);
    }

    /// The example in `docs/detection.md` is a working file.
    #[test]
    fn the_documented_example_loads() {
        let doc =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/detection.md"))
                .expect("docs/detection.md");
        let start = doc.find("```toml\n").expect("a toml example") + 8;
        let end = start + doc[start..].find("\n```").expect("its end");
        let config = parse(&doc[start..end], Path::new("docs/detection.md"), &model());
        assert!(config.problems.is_empty(), "{:?}", config.problems);
        let camera = config.camera("gate-3-north").expect("the example camera");
        assert!(camera.ground.is_some(), "its homography fits");
        assert_eq!(camera.counting_only, ["lane-1-count"]);
        assert_eq!(
            camera.privacy_masks.len(),
            1,
            "the example has a privacy mask"
        );
    }
}
