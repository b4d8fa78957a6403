//! Verifying an audit log as evidence: on a snapshot (the log checked is
//! never opened for writing, so a damaged record is never "repaired" by the
//! check itself), against both copies of the chain (sled and
//! `chain.jsonl`), naming every entry that does not verify by sequence, and
//! counting actions the console kept in a fallback file because the log
//! could not be written.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::{AuditEntry, AuditError, AuditLog, CHAIN_COPY, GENESIS, check_entry, fallback_dirs};

/// One entry that does not verify.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryProblem {
    /// Its sequence number.
    pub seq: u64,
    /// What is wrong with it.
    pub reason: String,
}

/// A file of actions recorded while the log could not be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FallbackFile {
    /// The file.
    pub path: PathBuf,
    /// Actions in it (lines).
    pub actions: usize,
}

/// One entry as verification saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedEntry {
    /// Its sequence number.
    pub seq: u64,
    /// Its content, from whichever copy could be read (`None`: neither).
    pub entry: Option<AuditEntry>,
    /// Why it does not verify, if it does not.
    pub problem: Option<String>,
}

/// What [`verify_dir`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// The log's folder.
    pub dir: PathBuf,
    /// Every sequence number either copy knows of, in order.
    pub entries: Vec<CheckedEntry>,
    /// The hash the chain ends with (over the entries that could be read).
    pub head: String,
    /// Whether `chain.jsonl` is absent (a log from before it was kept).
    pub copy_missing: bool,
    /// Lines of `chain.jsonl` that are not entries (1-based).
    pub damaged_copy_lines: Vec<usize>,
    /// Fallback files holding actions outside the chain.
    pub fallback: Vec<FallbackFile>,
}

impl Report {
    /// Entries that do not verify, in order.
    pub fn problems(&self) -> Vec<EntryProblem> {
        self.entries
            .iter()
            .filter_map(|e| {
                e.problem.as_ref().map(|reason| EntryProblem {
                    seq: e.seq,
                    reason: reason.clone(),
                })
            })
            .collect()
    }

    /// Every entry verifies in both copies and nothing waits in a fallback.
    pub fn is_intact(&self) -> bool {
        self.entries.iter().all(|e| e.problem.is_none())
            && self.damaged_copy_lines.is_empty()
            && self.fallback.is_empty()
    }
}

/// Verifies the log in `dir` without writing to it: sled is opened on a
/// snapshot copy, `chain.jsonl` is read as it is.
pub fn verify_dir(dir: &Path) -> Result<Report, AuditError> {
    let snapshot = Snapshot::take(dir)?;
    let stored = read_sled(&snapshot.path);
    let (copy, copy_missing, damaged_copy_lines) = read_copy(&dir.join(CHAIN_COPY))?;
    let known: std::collections::BTreeSet<u64> =
        stored.entries.keys().chain(copy.keys()).copied().collect();
    // Sequence numbers run 0, 1, 2 …: one far past the number of entries
    // (a forged or damaged key) is named, not walked up to.
    let limit = (known.len() as u64).saturating_add(1024);
    let last = known
        .range(..limit)
        .next_back()
        .map_or(0, |m| m.saturating_add(1));
    let mut prev = GENESIS.to_owned();
    let mut entries = Vec::new();
    for seq in 0..last {
        let in_db = stored.entries.get(&seq);
        let in_copy = copy.get(&seq);
        let (entry, mut problem) = match (in_db, in_copy) {
            (Some(Ok(db)), Some(cp)) if db == cp => (Some(db.clone()), None),
            (Some(Ok(db)), Some(_)) => (
                Some(db.clone()),
                Some(format!("the log and its copy in {CHAIN_COPY} differ")),
            ),
            (Some(Ok(db)), None) if copy_missing => (Some(db.clone()), None),
            (Some(Ok(db)), None) => (
                Some(db.clone()),
                Some(format!("missing from its copy in {CHAIN_COPY}")),
            ),
            (Some(Err(why)), cp) => (
                cp.cloned(),
                Some(format!("unreadable in the log's storage ({why})")),
            ),
            (None, Some(cp)) => (
                Some(cp.clone()),
                Some(if stored.storage_failed {
                    "unreadable in the log's storage (damaged)".to_owned()
                } else {
                    "missing from the log (removed, or lost to storage damage)".to_owned()
                }),
            ),
            (None, None) => (None, Some("missing from both copies".to_owned())),
        };
        // The chain runs on over the best copy, so one bad entry names
        // itself and the next entries are judged on their own.
        if let Some(e) = &entry {
            match check_entry(seq, e, &prev) {
                Ok(hash) => prev = hash,
                Err(reason) => {
                    prev.clone_from(&e.hash);
                    problem = Some(match problem {
                        Some(p) => format!("{p}; {reason}"),
                        None => reason,
                    });
                }
            }
        }
        entries.push(CheckedEntry {
            seq,
            entry,
            problem,
        });
    }
    for &seq in known.range(last..) {
        let entry = match stored.entries.get(&seq) {
            Some(Ok(e)) => Some(e.clone()),
            _ => copy.get(&seq).cloned(),
        };
        entries.push(CheckedEntry {
            seq,
            entry,
            problem: Some(format!(
                "sequence number out of range (the log holds {} entries)",
                known.len()
            )),
        });
    }
    Ok(Report {
        dir: dir.to_path_buf(),
        entries,
        head: prev,
        copy_missing,
        damaged_copy_lines,
        fallback: fallback_files(dir),
    })
}

/// A private copy of the log's folder, removed on drop.
struct Snapshot {
    path: PathBuf,
}

impl Snapshot {
    fn take(dir: &Path) -> Result<Self, AuditError> {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let path = std::env::temp_dir().join(format!(
            "watchfloor-audit-verify-{}-{n}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&path);
        copy_tree(dir, &path).map_err(|source| AuditError::Copy {
            path: dir.to_path_buf(),
            source,
        })?;
        Ok(Self { path })
    }
}

impl Drop for Snapshot {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let kind = entry.file_type()?;
        let target = to.join(entry.file_name());
        if kind.is_dir() {
            copy_tree(&entry.path(), &target)?;
        } else if kind.is_file() && entry.file_name() != CHAIN_COPY {
            std::fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}

/// What sled's copy holds: entries by sequence (or why one is unreadable),
/// and whether the storage itself failed (then later entries are unknown).
struct Stored {
    entries: BTreeMap<u64, Result<AuditEntry, String>>,
    storage_failed: bool,
}

fn read_sled(snapshot: &Path) -> Stored {
    let mut stored = Stored {
        entries: BTreeMap::new(),
        storage_failed: false,
    };
    let Ok(log) = AuditLog::open_db(snapshot) else {
        stored.storage_failed = true;
        return stored;
    };
    for item in log.db.iter() {
        let Ok((key, value)) = item else {
            stored.storage_failed = true;
            break;
        };
        let Ok(seq) = <[u8; 8]>::try_from(key.as_ref()).map(u64::from_be_bytes) else {
            continue; // not one of ours; the sequence check names the gap
        };
        let entry =
            serde_json::from_slice::<AuditEntry>(&value).map_err(|_| "not an entry".to_owned());
        stored.entries.insert(seq, entry);
    }
    stored
}

/// The copy's entries by sequence (the last line of a sequence wins), whether
/// the file is absent, and its lines that are not entries.
#[expect(clippy::type_complexity, reason = "one private reader's three results")]
fn read_copy(path: &Path) -> Result<(BTreeMap<u64, AuditEntry>, bool, Vec<usize>), AuditError> {
    let text = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok((BTreeMap::new(), true, Vec::new()));
        }
        Err(source) => {
            return Err(AuditError::Copy {
                path: path.to_path_buf(),
                source,
            });
        }
    };
    let mut entries = BTreeMap::new();
    let mut damaged = Vec::new();
    for (i, line) in text.split(|&b| b == b'\n').enumerate() {
        if line.is_empty() {
            continue;
        }
        match serde_json::from_slice::<AuditEntry>(line) {
            Ok(e) => {
                entries.insert(e.record.seq, e);
            }
            Err(_) => damaged.push(i + 1),
        }
    }
    Ok((entries, false, damaged))
}

/// Fallback files for the log in `dir` (see [`fallback_dirs`]).
pub fn fallback_files(dir: &Path) -> Vec<FallbackFile> {
    let mut out = Vec::new();
    for folder in fallback_dirs(dir) {
        let Ok(list) = std::fs::read_dir(&folder) else {
            continue;
        };
        for entry in list.filter_map(Result::ok) {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "jsonl") {
                let actions = std::fs::read_to_string(&path)
                    .map_or(0, |t| t.lines().filter(|l| !l.trim().is_empty()).count());
                out.push(FallbackFile { path, actions });
            }
        }
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::AuditAction;

    fn temp(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("wf-audit-verify-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    fn fill(dir: &Path, n: usize) {
        let log = AuditLog::open(dir).expect("open");
        for i in 0..n {
            log.append(
                1_000 + i as i64,
                "ops1",
                Some("dispatcher"),
                AuditAction::AlertAcknowledged {
                    alert: format!("a{i}"),
                },
            )
            .expect("append");
        }
    }

    /// Every file's bytes, to show a check wrote nothing.
    fn contents(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
        let mut out = BTreeMap::new();
        for entry in std::fs::read_dir(dir).expect("dir").filter_map(Result::ok) {
            let path = entry.path();
            if path.is_file() {
                out.insert(path.clone(), std::fs::read(&path).expect("read"));
            } else if path.is_dir() {
                out.extend(contents(&path));
            }
        }
        out
    }

    #[test]
    fn an_intact_log_verifies_and_its_copy_matches() {
        let dir = temp("intact");
        fill(&dir, 20);
        let report = verify_dir(&dir).expect("verify");
        assert!(report.is_intact(), "{:?}", report.problems());
        assert_eq!(report.entries.len(), 20);
        let head = AuditLog::open(&dir)
            .expect("open")
            .verify()
            .expect("ok")
            .head;
        assert_eq!(report.head, head);
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// Bytes of the stored records flipped on disk: verification names the
    /// entries by sequence, writes nothing to the log, and the copy still
    /// shows what they said.
    #[test]
    fn storage_damage_is_named_by_sequence_and_verify_writes_nothing() {
        let dir = temp("damage");
        fill(&dir, 40);
        // Damage sled's data file in the middle of the records.
        let db = dir.join("db");
        let mut bytes = std::fs::read(&db).expect("db");
        let needle = b"\"a17\"";
        let at = bytes
            .windows(needle.len())
            .position(|w| w == needle)
            .expect("entry 17 stored in the clear");
        for b in &mut bytes[at..at + 40] {
            *b ^= 0x5a;
        }
        std::fs::write(&db, &bytes).expect("damage");
        let before = contents(&dir);
        let report = verify_dir(&dir).expect("verify runs");
        assert_eq!(contents(&dir), before, "verify wrote to the log it checks");
        let problems = report.problems();
        assert!(!report.is_intact());
        assert!(
            problems.iter().any(|p| p.seq == 17),
            "entry 17 named: {problems:?}"
        );
        for p in &problems {
            assert!(
                !p.reason.to_lowercase().contains("sled"),
                "named as entries, not as the library's message: {p:?}"
            );
        }
        // The copy still says what entry 17 was.
        let e17 = report.entries[17].entry.as_ref().expect("from the copy");
        assert_eq!(
            e17.record.action,
            AuditAction::AlertAcknowledged {
                alert: "a17".into()
            }
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_damaged_copy_line_and_a_fallback_file_are_reported() {
        let dir = temp("copy");
        fill(&dir, 5);
        let copy = dir.join(CHAIN_COPY);
        let text = std::fs::read_to_string(&copy).expect("copy");
        let lines: Vec<&str> = text.lines().collect();
        let damaged = format!(
            "{}\n{}\ngarbage\n{}\n",
            lines[0],
            lines[1],
            lines[3..].join("\n")
        );
        std::fs::write(&copy, damaged).expect("write");
        let report = verify_dir(&dir).expect("verify");
        assert_eq!(report.damaged_copy_lines, [3]);
        assert_eq!(
            report.problems(),
            [EntryProblem {
                seq: 2,
                reason: format!("missing from its copy in {CHAIN_COPY}")
            }]
        );
        let fallback = &fallback_dirs(&dir)[0];
        std::fs::create_dir_all(fallback).expect("fallback dir");
        std::fs::write(fallback.join("1-2.jsonl"), "{}\n{}\n").expect("fallback");
        let report = verify_dir(&dir).expect("verify");
        assert_eq!(report.fallback.len(), 1);
        assert_eq!(report.fallback[0].actions, 2);
        let _ = std::fs::remove_dir_all(&dir);
        let _ = std::fs::remove_dir_all(fallback);
    }

    /// A line claiming sequence number 2^64 − 1 (forged or damaged) is
    /// named; verify neither overflows nor walks up to it.
    #[test]
    fn an_out_of_range_sequence_number_is_named() {
        let dir = temp("range");
        fill(&dir, 3);
        let copy = dir.join(CHAIN_COPY);
        let mut text = std::fs::read_to_string(&copy).expect("copy");
        let last = text.lines().last().expect("a line").to_owned();
        text.push_str(&last.replace("\"seq\":2", &format!("\"seq\":{}", u64::MAX)));
        text.push('\n');
        std::fs::write(&copy, text).expect("write");
        let report = verify_dir(&dir).expect("verify");
        let problems = report.problems();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].seq, u64::MAX);
        assert!(problems[0].reason.contains("out of range"), "{problems:?}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
