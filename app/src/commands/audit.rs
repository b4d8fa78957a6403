//! `watchfloor audit verify` and `watchfloor audit show`: the audit trail
//! from the command line.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use watchfloor_layers::audit::verify::{Report, verify_dir};
use watchfloor_layers::audit::{AuditAction, AuditEntry};

use crate::cli::AuditCommand;

/// The console's default audit log.
pub fn default_dir() -> PathBuf {
    watchfloor_runtime::paths::data_dir().join("audit")
}

/// Runs an audit subcommand: 0 when fine, 1 when the chain is broken.
pub fn run(command: &AuditCommand) -> anyhow::Result<ExitCode> {
    match command {
        AuditCommand::Verify { dir } => verify(&dir.clone().unwrap_or_else(default_dir)),
        AuditCommand::Show { since, dir } => {
            let since = since.as_deref().map(parse_since).transpose()?;
            show(
                &dir.clone().unwrap_or_else(default_dir),
                since.unwrap_or(i64::MIN),
            )
        }
    }
}

/// Verifies the log in `dir` without writing to it (see [`verify_dir`]).
fn check(dir: &Path) -> anyhow::Result<Report> {
    anyhow::ensure!(
        dir.exists(),
        "{}: no audit log here (the console writes one when it runs)",
        dir.display()
    );
    Ok(verify_dir(dir)?)
}

/// 0 when every entry verifies in both copies and no fallback holds
/// actions; 1 naming each entry that does not (by sequence) otherwise.
fn verify(dir: &Path) -> anyhow::Result<ExitCode> {
    let report = check(dir)?;
    let problems = report.problems();
    let entries = report.entries.len();
    if problems.is_empty() {
        println!(
            "audit log {}: {entries} entries, chain intact; head {}",
            dir.display(),
            report.head
        );
    } else {
        println!(
            "audit log {}: {entries} entries, {} do not verify (first: entry {}); head {}",
            dir.display(),
            problems.len(),
            problems[0].seq,
            report.head
        );
        for p in &problems {
            println!(
                "audit log {}: entry {} is broken: {}",
                dir.display(),
                p.seq,
                p.reason
            );
        }
    }
    if report.copy_missing {
        println!(
            "audit log {}: no {} (a log from before the second copy was kept): the chain was \
             checked in one copy only",
            dir.display(),
            watchfloor_layers::audit::CHAIN_COPY
        );
    }
    for line in &report.damaged_copy_lines {
        println!(
            "audit log {}: line {line} of {} is not an entry (damaged)",
            dir.display(),
            watchfloor_layers::audit::CHAIN_COPY
        );
    }
    for f in &report.fallback {
        println!(
            "fallback {}: {} actions recorded while the log could not be written (not in the chain)",
            f.path.display(),
            f.actions
        );
    }
    Ok(if report.is_intact() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Lists entries from `since` on; an entry that does not verify is marked
/// `✗` with why (one unreadable in both copies is listed by sequence).
fn show(dir: &Path, since: i64) -> anyhow::Result<ExitCode> {
    let report = check(dir)?;
    for checked in &report.entries {
        match (&checked.entry, &checked.problem) {
            (Some(e), None) if e.record.at >= since => println!("{}", line(e)),
            (Some(e), Some(why)) if e.record.at >= since => {
                println!("{}  ✗ does not verify: {why}", line(e));
            }
            (None, Some(why)) => println!("#{:<6} ✗ {why}", checked.seq),
            _ => {}
        }
    }
    for f in &report.fallback {
        println!(
            "✗ {} actions outside the chain in {}",
            f.actions,
            f.path.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// One entry as a line: sequence, local time, operator, role, action.
pub fn line(entry: &AuditEntry) -> String {
    let r = &entry.record;
    let at = chrono::DateTime::from_timestamp_micros(r.at).map_or_else(
        || r.at.to_string(),
        |t| {
            t.with_timezone(&chrono::Local)
                .format("%Y-%m-%d %H:%M:%S%.3f %:z")
                .to_string()
        },
    );
    format!(
        "#{:<6} {at}  {}  {}  {}",
        r.seq,
        r.operator,
        r.role.as_deref().unwrap_or("-"),
        describe(&r.action)
    )
}

fn describe(action: &AuditAction) -> String {
    match action {
        AuditAction::RoleChosen { role } => format!("role chosen: {role}"),
        AuditAction::ModeSwitched { mode } => format!("mode switched: {mode}"),
        AuditAction::CameraViewed { camera, place } => format!("camera viewed: {camera} ({place})"),
        AuditAction::AlertAcknowledged { alert } => format!("alert acknowledged: {alert}"),
        AuditAction::AlertDispatched { alert, unit } => {
            format!("alert dispatched: {alert} -> {unit}")
        }
        AuditAction::AlertResolved { alert, note } => match note {
            Some(n) => format!("alert resolved: {alert} (note: {n})"),
            None => format!("alert resolved: {alert}"),
        },
        AuditAction::Exported {
            dir,
            cameras,
            from,
            to,
            manifest_sha256,
        } => format!(
            "exported {from}..{to} ({} cameras) to {dir}{}",
            cameras.len(),
            manifest_sha256
                .as_ref()
                .map(|s| format!(" (manifest SHA-256 {s})"))
                .unwrap_or_default()
        ),
        AuditAction::RedactionLifted { scope, reason } => {
            format!("redaction lifted: {scope} (reason: {reason})")
        }
        AuditAction::ReplayOpened { source } => format!("replay opened: {source}"),
    }
}

/// `2026-11-23T08:00:00+06:00`, or an age such as `30m`, `8h`, `2d`, `90s`.
pub fn parse_since(text: &str) -> anyhow::Result<i64> {
    parse_when("--since", text)
}

/// An instant (Unix µs) given as an RFC 3339 time or as an age (`30m`,
/// `8h`, `2d`, `90s`: that long ago); errors name `flag`.
pub fn parse_when(flag: &str, text: &str) -> anyhow::Result<i64> {
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(text) {
        return Ok(t.timestamp_micros());
    }
    let split = text.char_indices().last().map_or(0, |(i, _)| i);
    let (number, unit) = text.split_at(split);
    let seconds = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        _ => 0,
    };
    match number.parse::<i64>() {
        Ok(n) if seconds > 0 && n >= 0 => Ok(watchfloor_layers::clock::now_us()
            - n.saturating_mul(seconds).saturating_mul(1_000_000)),
        _ => anyhow::bail!(
            "{flag} `{text}`: give an RFC 3339 time (2026-11-23T08:00:00+06:00) or an age (30m, 8h, 2d)"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn since_takes_times_and_ages_and_names_bad_input() {
        assert_eq!(
            parse_since("2026-11-23T08:00:00Z").expect("time"),
            1_795_420_800_000_000
        );
        let hour_ago = parse_since("1h").expect("age");
        let expect = watchfloor_layers::clock::now_us() - 3_600_000_000;
        assert!((hour_ago - expect).abs() < 5_000_000);
        assert!(
            parse_since("8ч").is_err(),
            "a non-ASCII unit is refused, not a panic"
        );
        let e = parse_since("yesterday").expect_err("bad");
        assert!(e.to_string().contains("--since `yesterday`"), "{e}");
        let e = parse_when("--from", "8x").expect_err("bad");
        assert!(e.to_string().contains("--from `8x`"), "{e}");
    }
}
