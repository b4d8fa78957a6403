//! `watchfloor export …` and `watchfloor export verify DIR`: the command
//! line over the runtime's export writing and verifying.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context as _;
use watchfloor_layers::access::Role;
use watchfloor_layers::audit::AuditAction;
use watchfloor_layers::clock::now_us;
use watchfloor_media::detect::privacy::PrivacyPolicy;
use watchfloor_runtime::export::{
    ExportReport, ExportRequest, cameras_to_export, check_privacy, export, manifest, open_audit,
    open_journal, privacy_policy, verify,
};
use watchfloor_runtime::paths::{audit_dir, data_dir};

use crate::cli::{ExportArgs, ExportCommand};
use crate::commands::audit::parse_when;

/// Exit status of a refused export (nothing written).
const EXIT_REFUSED: u8 = 2;

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
    check_privacy(
        &request.privacy,
        request.redact,
        &cameras_to_export(&request)?,
    )?;
    let audit_dir = args.audit.clone().unwrap_or_else(audit_dir);
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
            now_us(),
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
        now_us(),
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
        None => now_us(),
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
