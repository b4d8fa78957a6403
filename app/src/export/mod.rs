//! Incident packages: `watchfloor export` and `watchfloor export verify`.
//!
//! An export of `[from, to]` writes into one folder:
//! - `clips/<camera>/<start_ms>.mkv`: each recorded segment overlapping the
//!   range, cut to it, named by its first frame's wall-clock Unix ms (the
//!   recordings' layout). People are blurred and privacy masks filled grey
//!   (re-encoded) unless redaction is lifted and the camera has no masks
//!   (then remuxed, the recorded H.264 unchanged);
//! - `events.jsonl`: every journal event with time in `[from, to]`, one
//!   `Envelope::to_json` object a line (`{"v": 1, "envelope": …}`);
//! - `state.json`: the `WorldState` at `from` (events at `from` included);
//! - `tracks.geojson`: one `LineString` per unit and drone over the range;
//! - `layers.geojson`: checkpoints, cameras, rings and grid cells at `from`;
//! - `manifest.json`: range, cameras, redaction, and every other file with
//!   its size and SHA-256.
//!
//! [`verify`] checks a package against its manifest; a trainer's
//! `notes.jsonl` is the one file that may be added afterwards.

pub mod geojson;
pub mod manifest;
pub mod package;
pub mod verify;

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context as _;
use watchfloor_layers::audit::{AuditAction, AuditLog};
use watchfloor_layers::journal::Journal;
use watchfloor_media::detect::config;
use watchfloor_media::detect::descriptor::ModelDescriptor;
use watchfloor_media::detect::privacy::PrivacyPolicy;

pub use manifest::{FORMAT, Manifest, ManifestFile, TRAINER_NOTES};
pub use package::{CameraExport, ExportReport, ExportRequest, cameras_to_export, export};
pub use verify::{FileCheck, FileState, VerifyReport, verify};

use crate::audit_cli::parse_when;
use crate::cli::{ExportArgs, ExportCommand};
use crate::console::modes::Role;
use crate::wiring::world::data_dir;

/// Exit status of a refused export (nothing written).
const EXIT_REFUSED: u8 = 2;

/// The demo site's detection rules (with its privacy masks), under the
/// assets folder.
const DEMO_RULES: &str = "site/astana/detection.toml";

/// Runs `watchfloor export …`: 0 when written (or verified), 1 when a
/// package does not verify, 2 when lifting redaction is refused.
pub fn run(args: &ExportArgs) -> anyhow::Result<ExitCode> {
    if let Some(ExportCommand::Verify { dir }) = &args.verify {
        return run_verify(dir);
    }
    if args.unredacted && args.role != Role::Supervisor {
        tracing::error!(
            "--unredacted needs --role supervisor (lifting redaction is a supervisor's decision, \
             and it is audited); nothing was exported"
        );
        return Ok(ExitCode::from(EXIT_REFUSED));
    }
    let request = request_of(args)?;
    if let Some(rules) = &args.rules {
        anyhow::ensure!(rules.is_file(), "--rules {}: no such file", rules.display());
    }
    let request = ExportRequest {
        privacy: privacy_policy(args.rules.as_deref()),
        ..request
    };
    check_privacy(&request, &cameras_to_export(&request)?)?;
    let audit_dir = args
        .audit
        .clone()
        .unwrap_or_else(crate::audit_cli::default_dir);
    let audit = open_audit(&audit_dir)?;
    let journal_dir = args
        .journal
        .clone()
        .unwrap_or_else(|| data_dir().join("journal"));
    let journal = open_journal(&journal_dir)?;
    let operator = std::env::var("USER").unwrap_or_else(|_| "operator".into());
    let role = Some(args.role.id());
    if args.unredacted {
        audit.append(
            crate::feeds::now_us(),
            &operator,
            role,
            AuditAction::RedactionLifted {
                scope: format!(
                    "export of {}..{} to {}",
                    request.from_us,
                    request.to_us,
                    request.out.display()
                ),
                reason: args.reason.clone().unwrap_or_default(),
            },
        )?;
    }
    let report = export(&request, &journal)?;
    audit.append(
        crate::feeds::now_us(),
        &operator,
        role,
        AuditAction::Exported {
            dir: request.out.display().to_string(),
            cameras: report.manifest.cameras.clone(),
            from: request.from_us,
            to: request.to_us,
            manifest_sha256: Some(report.manifest_sha256.clone()),
        },
    )?;
    print_report(&report, &journal_dir, &request.recordings);
    Ok(ExitCode::SUCCESS)
}

/// The request the arguments describe (masks not yet loaded).
fn request_of(args: &ExportArgs) -> anyhow::Result<ExportRequest> {
    let from = args
        .from
        .as_deref()
        .context("--from is required (an RFC 3339 time or an age such as 30m)")?;
    let from_us = parse_when("--from", from)?;
    let to_us = match args.to.as_deref() {
        Some(to) => parse_when("--to", to)?,
        None => crate::feeds::now_us(),
    };
    anyhow::ensure!(
        from_us <= to_us,
        "--from ({from}) is after --to ({})",
        args.to.as_deref().unwrap_or("now")
    );
    Ok(ExportRequest {
        from_us,
        to_us,
        out: args.out.clone().context("--out DIR is required")?,
        recordings: args
            .recordings
            .clone()
            .unwrap_or_else(|| data_dir().join("recordings")),
        cameras: args.cameras.clone(),
        redact: !args.unredacted,
        privacy: PrivacyPolicy::clear(),
        origin: None,
    })
}

/// The privacy policy from `rules` (default: the demo site's): every
/// camera's masks, or why they are unknown (then the camera is blanked in
/// the console and refused by an export that keeps redaction). Never
/// fails: an unreadable file makes every camera's masks unknown.
pub fn privacy_policy(rules: Option<&Path>) -> PrivacyPolicy {
    let path = match rules {
        Some(p) => p.to_path_buf(),
        None => match crate::sim_world::asset(DEMO_RULES) {
            Ok(p) if p.is_file() => {
                tracing::info!(
                    rules = %p.display(),
                    "privacy masks from the demo site's rules (give --rules for a real site's)"
                );
                p
            }
            _ => {
                tracing::warn!("no demo detection rules found: no privacy masks applied");
                return PrivacyPolicy::clear();
            }
        },
    };
    let model = match ModelDescriptor::bundled() {
        Ok(m) => m,
        Err(e) => return PrivacyPolicy::unreadable(format!("{}: {e}", path.display())),
    };
    let loaded = config::load(&path, &model);
    if let Some(why) = loaded.privacy.all_unknown() {
        tracing::error!("privacy masks unreadable, every camera is blanked: {why}");
    }
    for (camera, why) in loaded.privacy.unknown() {
        tracing::error!(camera, "privacy masks unreadable, camera blanked: {why}");
    }
    loaded.privacy
}

/// Refuses an export that would show a camera whose masks are unknown,
/// unless redaction is lifted (a supervisor's audited decision).
pub fn check_privacy(request: &ExportRequest, cameras: &[String]) -> anyhow::Result<()> {
    for camera in cameras {
        if let Err(why) = request.privacy.masks_of(camera) {
            if request.redact {
                anyhow::bail!(
                    "camera `{camera}`: privacy masks unreadable ({why}), so it is not exported; \
                     fix the rules file, leave the camera out (--cameras), or have a supervisor \
                     lift redaction with a reason"
                );
            }
            tracing::warn!(
                camera,
                "privacy masks unreadable ({why}): exported unmasked, redaction lifted"
            );
        }
    }
    Ok(())
}

/// Opens the journal read-for-export; names the console holding it.
fn open_journal(dir: &Path) -> anyhow::Result<Journal> {
    anyhow::ensure!(
        dir.is_dir(),
        "no journal at {} (give --journal DIR; the demo's is {})",
        dir.display(),
        data_dir().join("demo-journal").display()
    );
    Journal::open(dir).map_err(|e| {
        if is_locked(&e.to_string()) {
            anyhow::anyhow!(
                "the journal {} is in use (is the console running?): close it first, \
                 or export from the console ({e})",
                dir.display()
            )
        } else {
            e.into()
        }
    })
}

/// Opens the audit log every export is recorded in.
fn open_audit(dir: &Path) -> anyhow::Result<AuditLog> {
    std::fs::create_dir_all(dir).with_context(|| format!("audit log {}", dir.display()))?;
    AuditLog::open(dir).map_err(|e| {
        if is_locked(&e.to_string()) {
            anyhow::anyhow!(
                "the audit log {} is in use (is the console running?): exports are audited, \
                 so close it first ({e})",
                dir.display()
            )
        } else {
            e.into()
        }
    })
}

/// Whether a sled error says another process holds the database.
fn is_locked(message: &str) -> bool {
    let m = message.to_lowercase();
    m.contains("lock") || m.contains("resource temporarily unavailable")
}

/// `watchfloor export verify DIR`: the table, then the verdict.
fn run_verify(dir: &Path) -> anyhow::Result<ExitCode> {
    let report = verify(dir)?;
    println!("{:<52} {:>12}  state", "file", "bytes");
    for f in &report.files {
        let bytes = f.bytes.map_or_else(|| "-".to_owned(), |b| b.to_string());
        println!("{:<52} {bytes:>12}  {}", f.path, f.state.describe());
    }
    if let Ok((_, sha)) = manifest::hash_file(&dir.join(manifest::MANIFEST)) {
        println!("manifest.json SHA-256 {sha} (compare with the audit trail's export entry)");
    }
    if report.is_intact() {
        println!("package verified: {} files", report.intact());
        Ok(ExitCode::SUCCESS)
    } else {
        let problems: Vec<String> = report
            .problems()
            .map(|f| format!("{} ({})", f.path, f.state.describe()))
            .collect();
        println!(
            "package {} does NOT verify: {}",
            dir.display(),
            problems.join(", ")
        );
        Ok(ExitCode::from(1))
    }
}

/// The table of what was written.
fn print_report(report: &ExportReport, journal: &Path, recordings: &Path) {
    println!("incident package {}", report.dir.display());
    println!("  journal      {}", journal.display());
    println!("  recordings   {}", recordings.display());
    println!("  events       {}", report.events);
    println!(
        "  redacted     {}",
        if report.manifest.redacted {
            "yes"
        } else {
            "NO (lifted, audited)"
        }
    );
    println!(
        "  {:<12} {:>6} {:>8} {:>10}  masks",
        "camera", "clips", "video s", "bytes"
    );
    for c in &report.cameras {
        let secs: f64 = c.clips.iter().map(|k| k.duration.as_secs_f64()).sum();
        let bytes: u64 = c.clips.iter().map(|k| k.bytes).sum();
        println!(
            "  {:<12} {:>6} {secs:>8.1} {bytes:>10}  {}",
            c.camera,
            c.clips.len(),
            if c.masked { "yes" } else { "-" }
        );
    }
    if let Some(r) = &report.redaction {
        println!(
            "  redaction    {} frames, {} inferences, {} boxes blurred, {:.1} fps",
            r.frames,
            r.inferences,
            r.boxes,
            r.frames as f64 / report.video_s.max(1e-9)
        );
    }
    println!(
        "  files        {} ({} bytes), {} clips, in {:.2} s (video {:.2} s)",
        report.manifest.files.len() + 1,
        report.bytes(),
        report.clips(),
        report.total_s,
        report.video_s
    );
}
