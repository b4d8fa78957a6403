//! Writing an incident package from an open journal and the recordings:
//! clips, events, the state at the start, tracks, layers, and the manifest
//! over all of them. See the module docs of [`super`] for the layout.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::Context as _;
use watchfloor_layers::event::Event;
use watchfloor_layers::journal::Journal;
use watchfloor_layers::model::{LonLat, UnixMicros};
use watchfloor_layers::world::World;
use watchfloor_media::detect::privacy::PrivacyPolicy;
use watchfloor_media::export::{
    self as media_export, Clip, Edit, RedactOptions, RedactStats, Redactor, SegmentRange,
};

use super::geojson::{Tracks, layers};
use super::manifest::{FORMAT, Manifest};

/// What to export.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportRequest {
    /// Start of the range (Unix µs).
    pub from_us: UnixMicros,
    /// End of the range (Unix µs).
    pub to_us: UnixMicros,
    /// The package folder (must not exist, or be empty).
    pub out: PathBuf,
    /// Recordings, `<camera>/<start_ms>.mkv`.
    pub recordings: PathBuf,
    /// Only these cameras (empty: every camera with a recordings folder).
    pub cameras: Vec<String>,
    /// Blur people in the clips.
    pub redact: bool,
    /// Privacy masks by camera id (image coordinates), filled grey in
    /// every exported frame; a camera whose masks are unknown is refused
    /// unless redaction is lifted.
    pub privacy: PrivacyPolicy,
    /// Origin of the empty world the journal's state is rebuilt from
    /// (`None`: the site the journal loaded first, else the default).
    pub origin: Option<LonLat>,
}

/// One camera's part of a package.
#[derive(Debug, Clone, PartialEq)]
pub struct CameraExport {
    /// Camera id.
    pub camera: String,
    /// Its clips, oldest first.
    pub clips: Vec<Clip>,
    /// Whether its privacy masks were applied (it has some).
    pub masked: bool,
}

/// What [`export`] wrote.
#[derive(Debug, Clone)]
pub struct ExportReport {
    /// The package folder.
    pub dir: PathBuf,
    /// Its manifest (as written).
    pub manifest: Manifest,
    /// SHA-256 of `manifest.json` as written (recorded in the audit trail).
    pub manifest_sha256: String,
    /// Events in `events.jsonl`.
    pub events: usize,
    /// Cameras looked at, with their clips (some may have none).
    pub cameras: Vec<CameraExport>,
    /// What redaction did, if it ran.
    pub redaction: Option<RedactStats>,
    /// Seconds spent on the clips.
    pub video_s: f64,
    /// Seconds for the whole export.
    pub total_s: f64,
}

impl ExportReport {
    /// Bytes of all files in the manifest.
    pub fn bytes(&self) -> u64 {
        self.manifest.files.iter().map(|f| f.bytes).sum()
    }

    /// Clips written.
    pub fn clips(&self) -> usize {
        self.cameras.iter().map(|c| c.clips.len()).sum()
    }
}

/// Writes the package `request` asks for from `journal` (already open, so
/// the console can export from its own handle). Nothing is left behind on
/// failure: the folder is removed again.
pub fn export(request: &ExportRequest, journal: &Journal) -> anyhow::Result<ExportReport> {
    let started = Instant::now();
    anyhow::ensure!(
        request.from_us <= request.to_us,
        "the range ends ({}) before it starts ({})",
        request.to_us,
        request.from_us
    );
    let cameras = cameras_to_export(request)?;
    super::privacy::check_privacy(&request.privacy, request.redact, &cameras)?;
    prepare_out(&request.out)?;
    let result = write_package(request, journal, &cameras, started);
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&request.out);
    }
    result
}

/// The camera ids to look at: those asked for (each must have a
/// recordings folder), or every folder under the recordings.
pub fn cameras_to_export(request: &ExportRequest) -> anyhow::Result<Vec<String>> {
    if !request.cameras.is_empty() {
        for id in &request.cameras {
            let dir = request.recordings.join(id);
            anyhow::ensure!(
                dir.is_dir(),
                "camera `{id}`: no recordings at {}",
                dir.display()
            );
        }
        return Ok(request.cameras.clone());
    }
    let Ok(entries) = std::fs::read_dir(&request.recordings) else {
        tracing::warn!(
            dir = %request.recordings.display(),
            "no recordings folder: the package has no video"
        );
        return Ok(Vec::new());
    };
    let mut ids: Vec<String> = entries
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
        .filter_map(|e| e.file_name().to_str().map(str::to_owned))
        .collect();
    ids.sort();
    Ok(ids)
}

/// Creates the package folder; refuses one that holds anything.
fn prepare_out(out: &Path) -> anyhow::Result<()> {
    if let Ok(mut entries) = std::fs::read_dir(out) {
        anyhow::ensure!(
            entries.next().is_none(),
            "{}: the package folder is not empty (choose a new one)",
            out.display()
        );
    }
    std::fs::create_dir_all(out).with_context(|| format!("{}", out.display()))
}

fn write_package(
    request: &ExportRequest,
    journal: &Journal,
    cameras: &[String],
    started: Instant,
) -> anyhow::Result<ExportReport> {
    let out = &request.out;
    let origin = request.origin.map_or_else(|| site_origin(journal), Ok)?;
    let empty = World::new(origin);
    let world = journal.state_at(request.from_us, empty.state())?;
    write_json(&out.join("state.json"), world.state())?;
    write_json(&out.join("layers.geojson"), &layers(world.state()))?;
    let (events, tracks) = write_events(request, journal, world)?;
    write_json(&out.join("tracks.geojson"), &tracks.to_geojson())?;

    let video_started = Instant::now();
    let (exported, redaction) = write_clips(request, cameras)?;
    let video_s = video_started.elapsed().as_secs_f64();

    let mut files: Vec<String> = [
        "events.jsonl",
        "state.json",
        "tracks.geojson",
        "layers.geojson",
    ]
    .map(str::to_owned)
    .to_vec();
    for camera in &exported {
        for clip in &camera.clips {
            files.push(relative(out, &clip.path)?);
        }
    }
    let mut manifest = Manifest {
        format: FORMAT.to_owned(),
        from_us: request.from_us,
        to_us: request.to_us,
        created_us: watchfloor_layers::clock::now_us(),
        cameras: exported
            .iter()
            .filter(|c| !c.clips.is_empty())
            .map(|c| c.camera.clone())
            .collect(),
        redacted: request.redact,
        files: files
            .iter()
            .map(|f| super::manifest::file_of(out, f))
            .collect::<anyhow::Result<_>>()?,
    };
    let written = super::manifest::write(&mut manifest, out)?;
    let (_, manifest_sha256) = super::manifest::hash_file(&written)?;
    Ok(ExportReport {
        dir: out.clone(),
        manifest,
        manifest_sha256,
        events,
        cameras: exported,
        redaction,
        video_s,
        total_s: started.elapsed().as_secs_f64(),
    })
}

/// The origin of the first site the journal loaded, else the default
/// (what the live world was started with).
pub fn site_origin(journal: &Journal) -> anyhow::Result<LonLat> {
    for item in journal.events(UnixMicros::MIN, UnixMicros::MAX) {
        if let Event::SiteLoaded(site) = item?.1.event {
            return Ok(site.origin);
        }
    }
    Ok(watchfloor_layers::site::DEFAULT_ORIGIN)
}

/// `events.jsonl`: every event in the range, one JSON envelope a line
/// (`Envelope::to_json`); the tracks are gathered on the way.
fn write_events(
    request: &ExportRequest,
    journal: &Journal,
    mut world: World,
) -> anyhow::Result<(usize, Tracks)> {
    let path = request.out.join("events.jsonl");
    let file = std::fs::File::create(&path).with_context(|| format!("{}", path.display()))?;
    let mut lines = std::io::BufWriter::new(file);
    let mut tracks = Tracks::start(world.state(), request.from_us);
    let mut count = 0;
    for item in journal.events(request.from_us, request.to_us) {
        let (key, envelope) = item?;
        writeln!(lines, "{}", envelope.to_json()).with_context(|| format!("{}", path.display()))?;
        count += 1;
        // Events filed at `from` are already in the state at `from`.
        if key.at == request.from_us {
            continue;
        }
        world.apply(&envelope);
        tracks.after(&envelope.event, &world, key.at);
    }
    lines
        .into_inner()
        .map_err(|e| anyhow::anyhow!("{}: {}", path.display(), e.error()))?
        .sync_all()
        .with_context(|| format!("{}", path.display()))?;
    Ok((count, tracks))
}

/// Cuts the clips of every camera; the person detector is opened only if
/// some camera has video in the range and people are to be blurred.
fn write_clips(
    request: &ExportRequest,
    cameras: &[String],
) -> anyhow::Result<(Vec<CameraExport>, Option<RedactStats>)> {
    let (from, to) = (system_time(request.from_us), system_time(request.to_us));
    let mut ranges: Vec<(String, Vec<SegmentRange>)> = Vec::new();
    for camera in cameras {
        let found = media_export::segments_in(&request.recordings.join(camera), from, to)?;
        ranges.push((camera.clone(), found));
    }
    let mut redactor = if request.redact && ranges.iter().any(|(_, r)| !r.is_empty()) {
        Some(Redactor::bundled(RedactOptions::default()).context(
            "people cannot be blurred without the detection model (run scripts/setup.sh)",
        )?)
    } else {
        None
    };
    let mut exported = Vec::new();
    for (camera, segments) in ranges {
        // Unknown masks got this far only with redaction lifted.
        let masks = request.privacy.masks_of(&camera).unwrap_or(&[]);
        let mut edit = Edit {
            redactor: redactor.as_mut(),
            masks,
        };
        let dir = request.out.join("clips").join(&camera);
        let mut clips = Vec::new();
        for range in &segments {
            if let Some(clip) = media_export::export_clip(range, &dir, &mut edit)? {
                tracing::info!(camera, clip = %clip.path.display(), frames = clip.frames, "clip written");
                clips.push(clip);
            }
        }
        exported.push(CameraExport {
            camera,
            clips,
            masked: !masks.is_empty(),
        });
    }
    Ok((exported, redactor.map(|r| r.stats())))
}

/// `path` relative to `dir`, `/`-separated.
fn relative(dir: &Path, path: &Path) -> anyhow::Result<String> {
    let rel = path
        .strip_prefix(dir)
        .with_context(|| format!("{} is outside {}", path.display(), dir.display()))?;
    Ok(rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/"))
}

fn write_json(path: &Path, value: &impl serde::Serialize) -> anyhow::Result<()> {
    let mut text = serde_json::to_vec(value)?;
    text.push(b'\n');
    std::fs::write(path, text).with_context(|| format!("{}", path.display()))
}

/// Unix µs as a system time (before 1970: 1970).
pub fn system_time(us: UnixMicros) -> SystemTime {
    UNIX_EPOCH + Duration::from_micros(u64::try_from(us).unwrap_or(0))
}
