//! Opening the stores an export reads and records in, naming the console
//! that holds them.

use std::path::Path;

use anyhow::Context as _;
use watchfloor_layers::audit::AuditLog;
use watchfloor_layers::journal::Journal;

use crate::paths::data_dir;

/// Opens the journal read-for-export; names the console holding it.
pub fn open_journal(dir: &Path) -> anyhow::Result<Journal> {
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
pub fn open_audit(dir: &Path) -> anyhow::Result<AuditLog> {
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
