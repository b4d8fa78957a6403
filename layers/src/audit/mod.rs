//! The audit trail: every operator action (role chosen, camera viewed,
//! alert acknowledged, dispatched or resolved, mode switched, export,
//! redaction lifted, replay opened) appended to a hash-chained log in
//! `sled`.
//!
//! Entry `n` stores its record (sequence, time, operator, role, action), the
//! hash of entry `n − 1`, and its own hash: SHA-256 over the previous hash
//! and the record's JSON. Changing, removing or reordering an entry breaks
//! the chain there; [`AuditLog::verify`] recomputes it and names the first
//! broken entry. Cutting entries off the end shows only against a head hash
//! kept elsewhere (`verify` prints it). Values are JSON, so the log can be
//! read with any tool. Sled locks the database: one process at a time (the
//! command-line `verify` and `show` run when the console is closed).
//!
//! Every entry is also appended, as one JSON line, to `chain.jsonl` in the
//! same folder: a second copy in a plain file. Storage damage to either
//! copy is then named by the entries it makes unreadable, by sequence
//! ([`verify::verify_dir`], which works on a snapshot and never writes to
//! the log it checks).
//!
//! [`AuditTrail`] appends on its own thread (the UI never waits on the
//! disk), flushing after every entry: an action the console showed as done
//! is on disk. When the log cannot be written, the trail keeps actions in a
//! fallback file and says so ([`AuditHealth`]), never running unaudited in
//! silence.

mod of_events;
mod trail;
pub mod verify;

use std::io::Write as _;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};

use crate::model::UnixMicros;

pub use of_events::actions_of;
pub use trail::{AuditHealth, AuditTrail, fallback_dirs};

/// The hash before the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The plain-file copy of the chain, one entry a line, beside sled's files.
pub const CHAIN_COPY: &str = "chain.jsonl";

/// What the operator did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AuditAction {
    /// Chose their role at the console.
    RoleChosen {
        /// The role.
        role: String,
    },
    /// Switched the room's operating mode.
    ModeSwitched {
        /// The new mode.
        mode: String,
    },
    /// A camera's picture came on screen.
    CameraViewed {
        /// Camera id.
        camera: String,
        /// Where: `wall`, `checkpoint view`, `wall window`.
        place: String,
    },
    /// Acknowledged an alert.
    AlertAcknowledged {
        /// Alert id.
        alert: String,
    },
    /// Sent a unit to an alert.
    AlertDispatched {
        /// Alert id.
        alert: String,
        /// Unit id.
        unit: String,
    },
    /// Resolved an alert.
    AlertResolved {
        /// Alert id.
        alert: String,
        /// The operator's note, if any.
        note: Option<String>,
    },
    /// Exported an incident package.
    Exported {
        /// Where it was written.
        dir: String,
        /// Cameras included.
        cameras: Vec<String>,
        /// From (Unix µs).
        from: UnixMicros,
        /// To (Unix µs).
        to: UnixMicros,
        /// SHA-256 of the package's `manifest.json`: anchors the package in
        /// the chain, so a package re-hashed after export no longer matches.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        manifest_sha256: Option<String>,
    },
    /// Lifted the redaction of people in an export or view.
    RedactionLifted {
        /// What it was lifted for.
        scope: String,
        /// Why, as given.
        reason: String,
    },
    /// Opened a recording or an incident package for replay.
    ReplayOpened {
        /// What was opened.
        source: String,
    },
}

/// One action as recorded (what the hash covers).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRecord {
    /// 0, 1, 2 … without gaps.
    pub seq: u64,
    /// When (Unix µs).
    pub at: UnixMicros,
    /// Who (the operator's login).
    pub operator: String,
    /// In which role, once chosen.
    pub role: Option<String>,
    /// What.
    pub action: AuditAction,
}

/// A stored entry: the record and its place in the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// The record.
    #[serde(flatten)]
    pub record: AuditRecord,
    /// The previous entry's hash (hex), [`GENESIS`] for the first.
    pub prev: String,
    /// SHA-256 of `prev` and the record's JSON (hex).
    pub hash: String,
}

/// Why the audit log failed or does not verify. Names the log and, for a
/// broken chain, the first broken entry.
#[derive(Debug, thiserror::Error)]
pub enum AuditError {
    /// Sled failed.
    #[error("audit log {path}: {source}")]
    Db {
        /// Database directory.
        path: PathBuf,
        /// Why.
        source: sled::Error,
    },
    /// The plain-file copy could not be read or written.
    #[error("audit log {path}: {source}")]
    Copy {
        /// The copy's file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// An entry could not be written as JSON.
    #[error("audit log {path}: cannot encode an entry: {source}")]
    Encode {
        /// Database directory.
        path: PathBuf,
        /// Why.
        source: serde_json::Error,
    },
    /// The chain is broken at `seq`.
    #[error("audit log {path}: entry {seq} is broken: {reason}")]
    Broken {
        /// Database directory.
        path: PathBuf,
        /// The first entry that does not verify.
        seq: u64,
        /// What is wrong with it.
        reason: String,
    },
}

/// What a verification found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    /// Entries checked.
    pub entries: u64,
    /// The last entry's hash ([`GENESIS`] for an empty log).
    pub head: String,
}

/// The hash of a record after `prev`.
pub fn chain_hash(prev: &str, record: &AuditRecord) -> Result<String, serde_json::Error> {
    let mut sha = Sha256::new();
    sha.update(prev.as_bytes());
    sha.update(serde_json::to_vec(record)?);
    Ok(hex(&sha.finalize()))
}

/// Checks entry `seq` against the hash before it; its own hash if sound,
/// else what is wrong.
fn check_entry(seq: u64, entry: &AuditEntry, prev: &str) -> Result<String, String> {
    if entry.record.seq != seq {
        return Err(format!("says it is entry {}", entry.record.seq));
    }
    if entry.prev != prev {
        return Err("its link to the previous entry does not match".into());
    }
    let hash = chain_hash(prev, &entry.record).map_err(|e| format!("cannot encode ({e})"))?;
    if hash != entry.hash {
        return Err("its content does not match its hash (changed after it was written)".into());
    }
    Ok(hash)
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// The log in a sled database of its own, with its plain-file copy.
pub struct AuditLog {
    path: PathBuf,
    db: sled::Db,
    /// Appends read the last entry and write the next: one at a time.
    appending: std::sync::Mutex<()>,
    /// The next sequence number the plain copy lacks.
    copy_next: std::sync::Mutex<u64>,
}

impl AuditLog {
    /// Opens (or creates) the log in `dir`. A copy that fell behind the
    /// log (a crash between the two writes) is caught up.
    pub fn open(dir: &Path) -> Result<Self, AuditError> {
        let log = Self::open_db(dir)?;
        log.catch_up_copy()?;
        Ok(log)
    }

    /// Opens sled alone (verification opens a snapshot this way).
    fn open_db(dir: &Path) -> Result<Self, AuditError> {
        let db = sled::Config::new()
            .path(dir)
            .open()
            .map_err(|source| AuditError::Db {
                path: dir.to_path_buf(),
                source,
            })?;
        Ok(Self {
            path: dir.to_path_buf(),
            db,
            appending: std::sync::Mutex::new(()),
            copy_next: std::sync::Mutex::new(0),
        })
    }

    fn copy_path(&self) -> PathBuf {
        self.path.join(CHAIN_COPY)
    }

    /// Reads where the copy ends (its last readable line), then catches it
    /// up with the log (at open).
    fn catch_up_copy(&self) -> Result<(), AuditError> {
        let copy = self.copy_path();
        let have = match std::fs::read_to_string(&copy) {
            Ok(text) => text
                .lines()
                .filter_map(|l| serde_json::from_str::<AuditEntry>(l).ok())
                .map(|e| e.record.seq.saturating_add(1))
                .max()
                .unwrap_or(0),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => 0,
            Err(source) => return Err(AuditError::Copy { path: copy, source }),
        };
        *self
            .copy_next
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = have;
        self.sync_copy()
    }

    /// Appends to the copy the log's entries from the first it lacks.
    fn sync_copy(&self) -> Result<(), AuditError> {
        let mut next = self
            .copy_next
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        for item in self.db.range(next.to_be_bytes()..) {
            let (key, value) = item.map_err(|e| self.db_err(e))?;
            self.append_copy(&value)?;
            let seq = <[u8; 8]>::try_from(key.as_ref()).map_or(*next, u64::from_be_bytes);
            *next = seq.saturating_add(1);
        }
        Ok(())
    }

    /// One line onto the copy, synced.
    fn append_copy(&self, json: &[u8]) -> Result<(), AuditError> {
        let path = self.copy_path();
        let err = |source| AuditError::Copy {
            path: path.clone(),
            source,
        };
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .map_err(err)?;
        let mut line = json.to_vec();
        line.push(b'\n');
        file.write_all(&line).map_err(err)?;
        file.sync_data().map_err(err)
    }

    /// Where the log is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn db_err(&self, source: sled::Error) -> AuditError {
        AuditError::Db {
            path: self.path.clone(),
            source,
        }
    }

    /// Appends an action after the last entry, and flushes it to disk.
    pub fn append(
        &self,
        at: UnixMicros,
        operator: &str,
        role: Option<&str>,
        action: AuditAction,
    ) -> Result<AuditEntry, AuditError> {
        let _one_at_a_time = self
            .appending
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let last = self.db.last().map_err(|e| self.db_err(e))?;
        let (seq, prev) = match last {
            Some((_, value)) => {
                let last: AuditEntry =
                    serde_json::from_slice(&value).map_err(|e| AuditError::Broken {
                        path: self.path.clone(),
                        seq: u64::MAX,
                        reason: format!("the last entry is not readable ({e}); not appending"),
                    })?;
                (last.record.seq + 1, last.hash)
            }
            None => (0, GENESIS.to_owned()),
        };
        let record = AuditRecord {
            seq,
            at,
            operator: operator.to_owned(),
            role: role.map(str::to_owned),
            action,
        };
        let encode = |source| AuditError::Encode {
            path: self.path.clone(),
            source,
        };
        let hash = chain_hash(&prev, &record).map_err(encode)?;
        let entry = AuditEntry { record, prev, hash };
        let value = serde_json::to_vec(&entry).map_err(encode)?;
        self.db
            .insert(seq.to_be_bytes(), value.as_slice())
            .map_err(|e| self.db_err(e))?;
        self.db.flush().map_err(|e| self.db_err(e))?;
        // The entry is in the chain now: a copy that cannot be written is
        // caught up at the next append (and `verify` names what it lacks),
        // never a reason to record the action a second time elsewhere.
        if let Err(e) = self.sync_copy() {
            tracing::error!("{e}: the second copy is behind the log");
        }
        Ok(entry)
    }

    /// Recomputes the chain from the first entry; the first entry whose
    /// sequence, link or hash is wrong (or that cannot be read) is named.
    pub fn verify(&self) -> Result<Verified, AuditError> {
        let mut prev = GENESIS.to_owned();
        let mut expected = 0_u64;
        for item in self.db.iter() {
            let (key, value) = item.map_err(|e| self.db_err(e))?;
            let broken = |seq, reason: String| AuditError::Broken {
                path: self.path.clone(),
                seq,
                reason,
            };
            let seq = key
                .as_ref()
                .try_into()
                .map(u64::from_be_bytes)
                .map_err(|_| broken(expected, "a key is not a sequence number".into()))?;
            if seq != expected {
                return Err(broken(
                    expected,
                    format!("missing (the next entry is {seq})"),
                ));
            }
            let entry: AuditEntry = serde_json::from_slice(&value)
                .map_err(|e| broken(seq, format!("not readable ({e})")))?;
            let hash = check_entry(seq, &entry, &prev).map_err(|reason| broken(seq, reason))?;
            prev = hash;
            expected += 1;
        }
        Ok(Verified {
            entries: expected,
            head: prev,
        })
    }

    /// Entries at or after `since` (Unix µs), oldest first; unreadable
    /// entries are skipped (`verify` names them).
    pub fn since(&self, since: UnixMicros) -> Result<Vec<AuditEntry>, AuditError> {
        let mut out = Vec::new();
        for item in self.db.iter() {
            let (_, value) = item.map_err(|e| self.db_err(e))?;
            if let Ok(entry) = serde_json::from_slice::<AuditEntry>(&value)
                && entry.record.at >= since
            {
                out.push(entry);
            }
        }
        Ok(out)
    }

    /// The raw tree (tests tamper with it).
    #[doc(hidden)]
    pub fn raw(&self) -> &sled::Db {
        &self.db
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("wf-audit-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    fn fill(log: &AuditLog) {
        let actions = [
            AuditAction::RoleChosen {
                role: "dispatcher".into(),
            },
            AuditAction::CameraViewed {
                camera: "cam-cp-01".into(),
                place: "wall".into(),
            },
            AuditAction::AlertAcknowledged { alert: "a1".into() },
            AuditAction::AlertDispatched {
                alert: "a1".into(),
                unit: "P-01".into(),
            },
            AuditAction::AlertResolved {
                alert: "a1".into(),
                note: Some("false alarm".into()),
            },
        ];
        for (i, action) in actions.into_iter().enumerate() {
            log.append(1_000 + i as i64, "ops1", Some("dispatcher"), action)
                .expect("append");
        }
    }

    #[test]
    fn a_chain_verifies_and_survives_reopening() {
        let dir = temp("ok");
        {
            let log = AuditLog::open(&dir).expect("open");
            assert_eq!(log.verify().expect("empty").entries, 0);
            fill(&log);
        }
        let log = AuditLog::open(&dir).expect("reopen");
        let v = log.verify().expect("verifies");
        assert_eq!(v.entries, 5);
        let entries = log.since(1_003).expect("since");
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[1].hash, v.head);
        assert_eq!(entries[0].prev, log.since(0).expect("all")[2].hash);
        drop(log);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_changed_entry_is_named() {
        let dir = temp("changed");
        let log = AuditLog::open(&dir).expect("open");
        fill(&log);
        // Someone edits entry 2's operator, keeping its stored hash.
        let key = 2_u64.to_be_bytes();
        let value = log.raw().get(key).expect("get").expect("entry 2");
        let edited = String::from_utf8(value.to_vec())
            .expect("json")
            .replace("\"ops1\"", "\"someone-else\"");
        log.raw().insert(key, edited.as_bytes()).expect("edit");
        match log.verify() {
            Err(AuditError::Broken { seq, reason, .. }) => {
                assert_eq!(seq, 2);
                assert!(reason.contains("does not match its hash"), "{reason}");
            }
            other => panic!("expected a broken chain at 2, got {other:?}"),
        }
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_removed_or_rewritten_entry_is_named() {
        let dir = temp("removed");
        let log = AuditLog::open(&dir).expect("open");
        fill(&log);
        log.raw().remove(1_u64.to_be_bytes()).expect("remove");
        let e = log.verify().expect_err("broken");
        assert!(e.to_string().contains("entry 1 is broken: missing"), "{e}");

        // Rewriting an entry with a fresh, self-consistent hash still breaks
        // the next entry's link.
        let dir2 = temp("rewritten");
        let log2 = AuditLog::open(&dir2).expect("open");
        fill(&log2);
        let mut entry: AuditEntry = serde_json::from_slice(
            &log2
                .raw()
                .get(3_u64.to_be_bytes())
                .expect("get")
                .expect("3"),
        )
        .expect("json");
        entry.record.action = AuditAction::AlertDispatched {
            alert: "a1".into(),
            unit: "P-99".into(),
        };
        entry.hash = chain_hash(&entry.prev, &entry.record).expect("hash");
        log2.raw()
            .insert(
                3_u64.to_be_bytes(),
                serde_json::to_vec(&entry).expect("json"),
            )
            .expect("rewrite");
        match log2.verify() {
            Err(AuditError::Broken { seq, .. }) => assert_eq!(seq, 4),
            other => panic!("expected a broken link at 4, got {other:?}"),
        }
        let _ = std::fs::remove_dir_all(&dir);
        let _ = std::fs::remove_dir_all(&dir2);
    }
}
