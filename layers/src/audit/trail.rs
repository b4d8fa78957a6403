//! The console's audit writer: actions are handed over without waiting and
//! appended on the `audit-writer` thread. When the log cannot be written —
//! unreadable, locked by another process, disk full — every action still
//! lands somewhere: in a fallback file (beside the log, else in the temp
//! folder), else in memory until one can be written. [`AuditTrail::health`]
//! says which, for the console to show; `audit verify` reports fallback
//! files. The log is tried again every few seconds, and writing to it
//! resumes by itself.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, SyncSender, TrySendError};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use serde::Serialize;
use sha2::{Digest as _, Sha256};

use super::{AuditAction, AuditError, AuditLog};
use crate::model::UnixMicros;

/// Entries waiting for the writer at most (then new ones are refused and
/// counted as lost, never waited for).
const QUEUE: usize = 1024;

/// How often a log that could not be opened or written is tried again.
const RETRY: Duration = Duration::from_secs(5);

/// Actions held in memory at most when no fallback file can be written.
const MEMORY: usize = 100_000;

/// Whether actions reach the log.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditHealth {
    /// Why the log is not being written now (`None`: it is).
    pub failing: Option<String>,
    /// The fallback file actions went to, once one was needed.
    pub fallback: Option<PathBuf>,
    /// Actions recorded outside the chain (fallback file or memory).
    pub outside_chain: u64,
    /// Actions held in memory only (no fallback file could be written).
    pub in_memory: u64,
    /// Actions lost (the writer's queue was full or it had stopped).
    pub lost: u64,
}

impl AuditHealth {
    /// Whether every action so far is in the log.
    pub fn is_ok(&self) -> bool {
        self.failing.is_none() && self.outside_chain == 0 && self.lost == 0
    }
}

/// Where actions go when the log in `dir` cannot be written: a folder
/// beside it, then one in the temp folder (often another filesystem).
pub fn fallback_dirs(dir: &Path) -> [PathBuf; 2] {
    let name = dir
        .file_name()
        .map_or_else(|| "audit".into(), |n| n.to_string_lossy().into_owned());
    let beside = dir
        .parent()
        .unwrap_or(Path::new("."))
        .join(format!("{name}-fallback"));
    let tag = super::hex(&Sha256::digest(dir.to_string_lossy().as_bytes()));
    let temp = std::env::temp_dir()
        .join("watchfloor-audit-fallback")
        .join(format!("{name}-{}", &tag[..12]));
    [beside, temp]
}

/// What the console sends to the writer.
#[derive(Debug, Clone, Serialize)]
struct Pending {
    at: UnixMicros,
    operator: String,
    role: Option<String>,
    action: AuditAction,
}

/// Appends to an [`AuditLog`] on the `audit-writer` thread; the console
/// hands actions over without waiting. Dropping it writes what is queued.
pub struct AuditTrail {
    tx: Option<SyncSender<Pending>>,
    writer: Option<std::thread::JoinHandle<()>>,
    path: PathBuf,
    health: Arc<Mutex<AuditHealth>>,
}

impl AuditTrail {
    /// Opens the log in `dir` and starts its writer; an error if the log
    /// cannot be opened (see [`AuditTrail::start_or_fallback`]).
    pub fn start(dir: &Path) -> Result<Self, AuditError> {
        let log = AuditLog::open(dir)?;
        Self::spawn(dir, Ok(log))
    }

    /// Starts the writer even when the log cannot be opened now (locked by
    /// another console, unreadable): actions then go to a fallback file
    /// and the health says why, until the log opens.
    pub fn start_or_fallback(dir: &Path) -> Self {
        let log = AuditLog::open(dir);
        if let Err(e) = &log {
            tracing::error!("{e}: operator actions go to a fallback file until it opens");
        }
        match Self::spawn(dir, log) {
            Ok(trail) => trail,
            Err(e) => {
                // No thread: nothing can be written at all; say so for ever.
                tracing::error!("{e}");
                let health = AuditHealth {
                    failing: Some(e.to_string()),
                    ..AuditHealth::default()
                };
                Self {
                    tx: None,
                    writer: None,
                    path: dir.to_path_buf(),
                    health: Arc::new(Mutex::new(health)),
                }
            }
        }
    }

    fn spawn(dir: &Path, log: Result<AuditLog, AuditError>) -> Result<Self, AuditError> {
        let health = Arc::new(Mutex::new(AuditHealth {
            failing: log.as_ref().err().map(ToString::to_string),
            ..AuditHealth::default()
        }));
        let (tx, rx) = std::sync::mpsc::sync_channel(QUEUE);
        let mut writer = Writer {
            dir: dir.to_path_buf(),
            log: log.ok(),
            last_try: Instant::now(),
            fallback: None,
            memory: Vec::new(),
            health: Arc::clone(&health),
        };
        let thread = std::thread::Builder::new()
            .name("audit-writer".into())
            .spawn(move || writer.run(&rx))
            .map_err(|e| AuditError::Db {
                path: dir.to_path_buf(),
                source: sled::Error::Io(e),
            })?;
        Ok(Self {
            tx: Some(tx),
            writer: Some(thread),
            path: dir.to_path_buf(),
            health,
        })
    }

    /// Where the log is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether actions reach the log, and where they go if not.
    pub fn health(&self) -> AuditHealth {
        self.health
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Records an action by `operator` (in `role`) at `at`; never waits.
    pub fn record(&self, at: UnixMicros, operator: &str, role: Option<&str>, action: AuditAction) {
        let pending = Pending {
            at,
            operator: operator.to_owned(),
            role: role.map(str::to_owned),
            action,
        };
        let Some(tx) = &self.tx else {
            self.lose(&pending, "the audit writer never started");
            return;
        };
        match tx.try_send(pending) {
            Ok(()) => {}
            Err(TrySendError::Full(p)) => self.lose(&p, "the audit writer is behind"),
            Err(TrySendError::Disconnected(p)) => self.lose(&p, "the audit writer has stopped"),
        }
    }

    fn lose(&self, p: &Pending, why: &str) {
        tracing::error!(log = %self.path.display(), action = ?p.action, "{why}: an action was not recorded");
        let mut h = self.health.lock().unwrap_or_else(PoisonError::into_inner);
        h.lost += 1;
        h.failing.get_or_insert_with(|| why.to_owned());
    }
}

impl Drop for AuditTrail {
    fn drop(&mut self) {
        self.tx = None;
        if let Some(writer) = self.writer.take() {
            let _ = writer.join();
        }
    }
}

/// The writer thread's state.
struct Writer {
    dir: PathBuf,
    log: Option<AuditLog>,
    last_try: Instant,
    fallback: Option<PathBuf>,
    memory: Vec<Pending>,
    health: Arc<Mutex<AuditHealth>>,
}

impl Writer {
    fn run(&mut self, rx: &Receiver<Pending>) {
        loop {
            match rx.recv_timeout(RETRY) {
                Ok(p) => self.write(p),
                Err(RecvTimeoutError::Timeout) => {
                    // Quiet: try the log anyway, so the banner clears as
                    // soon as it can be written, not at the next action.
                    self.reopen_if_due();
                    if self.log.is_some() {
                        self.set(|h| h.failing = None);
                    }
                    self.retry_memory();
                }
                Err(RecvTimeoutError::Disconnected) => break,
            }
        }
        self.retry_memory();
    }

    fn set(&self, change: impl FnOnce(&mut AuditHealth)) {
        change(&mut self.health.lock().unwrap_or_else(PoisonError::into_inner));
    }

    /// Opens the log again if it is closed and a retry is due.
    fn reopen_if_due(&mut self) {
        if self.log.is_none() && self.last_try.elapsed() >= RETRY {
            self.last_try = Instant::now();
            match AuditLog::open(&self.dir) {
                Ok(log) => {
                    tracing::info!(log = %self.dir.display(), "the audit log opened: writing to it again");
                    self.log = Some(log);
                }
                Err(e) => self.set(|h| h.failing = Some(e.to_string())),
            }
        }
    }

    /// Into the log if it can be; else into the fallback.
    fn write(&mut self, p: Pending) {
        self.reopen_if_due();
        if let Some(log) = &self.log {
            match log.append(p.at, &p.operator, p.role.as_deref(), p.action.clone()) {
                Ok(_) => {
                    self.set(|h| h.failing = None);
                    return;
                }
                Err(e) => {
                    tracing::error!("{e}: the action goes to the fallback file");
                    self.set(|h| h.failing = Some(e.to_string()));
                    if matches!(e, AuditError::Db { .. }) {
                        // Reopened on the next retry (a full disk may clear).
                        self.log = None;
                        self.last_try = Instant::now();
                    }
                }
            }
        }
        self.keep_outside(p);
    }

    /// Into a fallback file, else memory.
    fn keep_outside(&mut self, p: Pending) {
        self.memory.push(p);
        self.flush_memory();
        if self.memory.len() > MEMORY {
            let excess = self.memory.len() - MEMORY;
            self.memory.drain(..excess);
            self.set(|h| h.lost += excess as u64);
        }
        let in_memory = self.memory.len() as u64;
        self.set(|h| h.in_memory = in_memory);
    }

    /// Writes held actions to a fallback file, if one can be written.
    fn flush_memory(&mut self) {
        if self.memory.is_empty() {
            return;
        }
        let mut text = Vec::new();
        for p in &self.memory {
            if serde_json::to_writer(&mut text, p).is_ok() {
                text.push(b'\n');
            }
        }
        let candidates: Vec<PathBuf> = if let Some(f) = &self.fallback {
            vec![f.clone()]
        } else {
            let name = format!(
                "{}-{}.jsonl",
                chrono::Utc::now().timestamp_millis(),
                std::process::id()
            );
            fallback_dirs(&self.dir)
                .iter()
                .map(|d| d.join(&name))
                .collect()
        };
        for path in candidates {
            if append_synced(&path, &text).is_ok() {
                let n = self.memory.len() as u64;
                self.memory.clear();
                if self.fallback.as_ref() != Some(&path) {
                    tracing::error!(file = %path.display(), "operator actions are being kept in a fallback file");
                }
                self.fallback = Some(path.clone());
                self.set(|h| {
                    h.fallback = Some(path);
                    h.outside_chain += n;
                    h.in_memory = 0;
                });
                return;
            }
        }
        // A fallback that stopped taking writes: try the others next time.
        self.fallback = None;
    }

    fn retry_memory(&mut self) {
        self.flush_memory();
        let in_memory = self.memory.len() as u64;
        self.set(|h| h.in_memory = in_memory);
    }
}

fn append_synced(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    file.write_all(bytes)?;
    file.sync_data()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::verify::verify_dir;

    fn temp(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("wf-audit-trail-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        for f in fallback_dirs(&dir) {
            let _ = std::fs::remove_dir_all(f);
        }
        dir
    }

    fn viewed(i: i64) -> AuditAction {
        AuditAction::CameraViewed {
            camera: format!("c{i}"),
            place: "wall".into(),
        }
    }

    #[test]
    fn the_trail_writes_on_its_own_thread_and_everything_lands() {
        let dir = temp("ok");
        {
            let trail = AuditTrail::start(&dir).expect("start");
            for i in 0..50 {
                trail.record(i, "ops2", Some("supervisor"), viewed(i));
            }
            assert!(trail.health().failing.is_none());
        }
        let report = verify_dir(&dir).expect("verify");
        assert!(report.is_intact(), "{:?}", report.problems());
        assert_eq!(report.entries.len(), 50);
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// A log held by another process (sled's lock) cannot be written: the
    /// console is told, the actions go to a fallback file that verify
    /// reports, and writing to the log resumes once it is free.
    #[test]
    fn a_locked_log_sends_actions_to_a_fallback_and_says_so() {
        let dir = temp("locked");
        let holder = AuditLog::open(&dir).expect("first opener holds the lock");
        let trail = AuditTrail::start_or_fallback(&dir);
        for i in 0..3 {
            trail.record(i, "ops3", Some("dispatcher"), viewed(i));
        }
        let deadline = Instant::now() + Duration::from_secs(10);
        while trail.health().outside_chain < 3 && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        let health = trail.health();
        assert!(health.failing.is_some(), "{health:?}");
        assert!(!health.is_ok());
        assert_eq!(health.outside_chain, 3, "{health:?}");
        let fallback = health.fallback.clone().expect("a fallback file");
        assert_eq!(
            std::fs::read_to_string(&fallback)
                .expect("fallback")
                .lines()
                .count(),
            3
        );
        drop(holder);
        // The writer tries the log again after RETRY; the next action lands.
        std::thread::sleep(RETRY + Duration::from_millis(200));
        trail.record(9, "ops3", Some("dispatcher"), viewed(9));
        let deadline = Instant::now() + Duration::from_secs(10);
        while trail.health().failing.is_some() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        assert!(trail.health().failing.is_none(), "{:?}", trail.health());
        drop(trail);
        let report = verify_dir(&dir).expect("verify");
        assert_eq!(report.entries.len(), 1);
        assert_eq!(report.fallback.len(), 1, "verify reports the fallback");
        assert_eq!(report.fallback[0].actions, 3);
        assert!(!report.is_intact());
        let _ = std::fs::remove_dir_all(&dir);
        for f in fallback_dirs(&dir) {
            let _ = std::fs::remove_dir_all(f);
        }
    }
}
