//! Opening an incident package for training (`watchfloor replay DIR`):
//! verified against its manifest first, then its state and events are read
//! into a private journal so that replay works exactly as on a live console.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use watchfloor_layers::event::Envelope;
use watchfloor_layers::journal::{Journal, JournalKey};
use watchfloor_layers::world::WorldState;

/// A package ready to replay.
#[derive(Debug)]
pub struct OpenedPackage {
    /// The package folder.
    pub dir: PathBuf,
    /// Its span, Unix µs.
    pub from_us: i64,
    /// End of its span, Unix µs.
    pub to_us: i64,
    /// The journal rebuilt from it.
    pub journal: Journal,
    /// The world's origin (for the map frame).
    pub origin: [f64; 2],
    /// Its video clips (`<camera>/<start_ms>.mkv`).
    pub clips: PathBuf,
    /// Events read.
    pub events: usize,
}

#[derive(serde::Deserialize)]
struct ManifestSpan {
    from_us: i64,
    to_us: i64,
}

/// Checks `dir` against its manifest and reads it into a journal under
/// `work` (replaced if there). Every problem names the package file.
pub fn open(dir: &Path, work: &Path) -> anyhow::Result<OpenedPackage> {
    if !dir.is_dir() {
        anyhow::bail!("incident package {}: not a folder", dir.display());
    }
    verify_package(dir)?;
    let manifest_path = dir.join("manifest.json");
    let span: ManifestSpan = serde_json::from_slice(
        &std::fs::read(&manifest_path).with_context(|| manifest_path.display().to_string())?,
    )
    .with_context(|| format!("{}: not a manifest", manifest_path.display()))?;
    let state_path = dir.join("state.json");
    let state: WorldState = serde_json::from_slice(
        &std::fs::read(&state_path).with_context(|| state_path.display().to_string())?,
    )
    .with_context(|| format!("{}: not a world state", state_path.display()))?;
    let _ = std::fs::remove_dir_all(work);
    std::fs::create_dir_all(work).with_context(|| work.display().to_string())?;
    let journal = Journal::open(work)?;
    // The state at `from` already holds the events filed at `from`: the
    // snapshot sits after all of them.
    journal.write_snapshot(
        JournalKey {
            at: span.from_us,
            seq: u64::MAX,
        },
        &state,
    )?;
    let events = append_events(&journal, &dir.join("events.jsonl"))?;
    journal.flush()?;
    Ok(OpenedPackage {
        dir: dir.to_owned(),
        from_us: span.from_us,
        to_us: span.to_us,
        origin: state.origin,
        journal,
        clips: dir.join("clips"),
        events,
    })
}

/// Appends `events.jsonl` to `journal`; a bad line is an error naming it.
fn append_events(journal: &Journal, path: &Path) -> anyhow::Result<usize> {
    let text = std::fs::read_to_string(path).with_context(|| path.display().to_string())?;
    let mut batch = Vec::with_capacity(4096);
    let mut count = 0;
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let envelope = Envelope::from_json(line)
            .map_err(|e| anyhow::anyhow!("{}: line {}: {e}", path.display(), i + 1))?;
        batch.push(envelope);
        if batch.len() == 4096 {
            journal.append(&batch)?;
            count += batch.len();
            batch.clear();
        }
    }
    count += batch.len();
    journal.append(&batch)?;
    Ok(count)
}

/// Refuses a package whose files do not match its manifest.
fn verify_package(dir: &Path) -> anyhow::Result<()> {
    let report = crate::export::verify::verify(dir)
        .with_context(|| format!("incident package {}", dir.display()))?;
    if !report.is_intact() {
        let problems: Vec<String> = report
            .problems()
            .map(|c| format!("{}: {}", c.path, c.state.describe()))
            .collect();
        anyhow::bail!(
            "incident package {} fails verification ({}); it is not opened",
            dir.display(),
            problems.join("; ")
        );
    }
    Ok(())
}
