//! The journal: every event, in the order the console applied it, in a
//! `sled` database, with periodic snapshots of the world so that the state
//! at any instant is one snapshot plus a short replay.
//!
//! Keys are `(time, sequence)` big-endian, so sled's order is time order.
//! Time is the envelope's `at`, made monotonic at append (an event older
//! than the last one is filed at the last one's time): the journal is what
//! the console knew, in the order it knew it, which is what replay shows.
//! Sled writes its log to the file every [`FLUSH_EVERY_MS`], so a `kill -9`
//! loses at most that much.
//!
//! [`JournalWriter`] runs appends and snapshots on its own thread, fed by
//! a bounded channel, so neither the UI nor the feeds wait on the disk.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, SyncSender, TrySendError};
use std::time::Duration;

use crate::event::{Envelope, SchemaError};
use crate::model::UnixMicros;
use crate::world::{World, WorldState};

/// How often sled writes its log to the file (the most a crash loses).
pub const FLUSH_EVERY_MS: u64 = 200;
/// Journal time between snapshots.
pub const SNAPSHOT_EVERY_US: UnixMicros = 10_000_000;
/// Events between snapshots, whatever the time (bounds replay work).
pub const SNAPSHOT_EVERY_EVENTS: u64 = 20_000;
/// Snapshot format version (bumped with [`WorldState`]'s shape).
const SNAPSHOT_VERSION: u16 = 1;

/// Why the journal failed. Names the database.
#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    /// Sled failed.
    #[error("journal {path}: {source}")]
    Db {
        /// Database directory.
        path: PathBuf,
        /// Why.
        source: sled::Error,
    },
    /// A record does not decode.
    #[error("journal {path}: {source}")]
    Schema {
        /// Database directory.
        path: PathBuf,
        /// Why.
        source: SchemaError,
    },
    /// A snapshot does not decode.
    #[error("journal {path}: snapshot at {at} does not decode: {reason}")]
    Snapshot {
        /// Database directory.
        path: PathBuf,
        /// Its time.
        at: UnixMicros,
        /// Why.
        reason: String,
    },
    /// The writer thread is gone.
    #[error("journal writer has stopped")]
    WriterGone,
    /// The database is being reopened after a write failure (a full disk).
    #[error("journal {path}: reopening after a write failure; try again")]
    Reopening {
        /// The database directory.
        path: PathBuf,
    },
}

/// A journal on disk.
#[derive(Clone)]
pub struct Journal {
    path: PathBuf,
    /// The open database; `None` while it is being reopened. Shared by
    /// every clone, so a reopen (after a full disk) reaches all readers.
    store: std::sync::Arc<std::sync::RwLock<Option<Store>>>,
}

/// One open sled database and its trees.
#[derive(Clone)]
struct Store {
    db: sled::Db,
    events: sled::Tree,
    snapshots: sled::Tree,
}

impl Store {
    fn open(path: &Path) -> Result<Self, JournalError> {
        let db_err = |source| JournalError::Db {
            path: path.to_path_buf(),
            source,
        };
        let db = sled::Config::new()
            .path(path)
            .flush_every_ms(Some(FLUSH_EVERY_MS))
            .open()
            .map_err(db_err)?;
        Ok(Self {
            events: db.open_tree("events").map_err(db_err)?,
            snapshots: db.open_tree("snapshots").map_err(db_err)?,
            db,
        })
    }
}

impl std::fmt::Debug for Journal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Journal")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

/// A position in the journal: time, then sequence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct JournalKey {
    /// Journal time (monotonic `at`).
    pub at: UnixMicros,
    /// Sequence number, unique and increasing.
    pub seq: u64,
}

impl JournalKey {
    fn bytes(self) -> [u8; 16] {
        let mut out = [0; 16];
        // Flip the sign bit so negative times sort before positive ones.
        out[..8].copy_from_slice(&((self.at as u64) ^ (1 << 63)).to_be_bytes());
        out[8..].copy_from_slice(&self.seq.to_be_bytes());
        out
    }

    fn from_bytes(b: &[u8]) -> Option<Self> {
        let at = u64::from_be_bytes(b.get(..8)?.try_into().ok()?) ^ (1 << 63);
        let seq = u64::from_be_bytes(b.get(8..16)?.try_into().ok()?);
        Some(Self { at: at as i64, seq })
    }

    /// The key after `last` for an event at `at` (never earlier than `last`).
    fn next(last: Option<Self>, at: UnixMicros) -> Self {
        match last {
            Some(k) => Self {
                at: at.max(k.at),
                seq: k.seq + 1,
            },
            None => Self { at, seq: 0 },
        }
    }

    /// The last key at time `at`.
    fn end_of(at: UnixMicros) -> Self {
        Self { at, seq: u64::MAX }
    }
}

impl Journal {
    /// Opens (or creates) a journal directory.
    pub fn open(path: &Path) -> Result<Self, JournalError> {
        Ok(Self {
            path: path.to_path_buf(),
            store: std::sync::Arc::new(std::sync::RwLock::new(Some(Store::open(path)?))),
        })
    }

    /// The open database (a cheap handle), or `Reopening`.
    fn store(&self) -> Result<Store, JournalError> {
        self.store
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
            .ok_or_else(|| JournalError::Reopening {
                path: self.path.clone(),
            })
    }

    /// Closes the database and opens it again: sled keeps an I/O error
    /// (a full disk) for as long as a database stays open, so writing can
    /// only resume on a fresh open. What it had not flushed is lost from
    /// it (the writer appends that again). Fails while another handle
    /// (an iterator in progress) keeps the old database open; try later.
    pub fn reopen(&self) -> Result<(), JournalError> {
        // Out from under the lock, so readers get `Reopening` meanwhile
        // instead of waiting on sled's recovery.
        let old = self
            .store
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take();
        drop(old);
        let opened = Store::open(&self.path)?;
        *self
            .store
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(opened);
        Ok(())
    }

    fn db_err(&self) -> impl Fn(sled::Error) -> JournalError + '_ {
        |source| JournalError::Db {
            path: self.path.clone(),
            source,
        }
    }

    /// The database directory.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The last event's key, if any.
    pub fn last_key(&self) -> Result<Option<JournalKey>, JournalError> {
        Ok(self
            .store()?
            .events
            .last()
            .map_err(self.db_err())?
            .and_then(|(k, _)| JournalKey::from_bytes(&k)))
    }

    /// Appends events in order; returns the key of the last one. Times
    /// older than the journal's last are filed at the last time.
    pub fn append(&self, envelopes: &[Envelope]) -> Result<Option<JournalKey>, JournalError> {
        let mut last = self.last_key()?;
        let mut batch = sled::Batch::default();
        for e in envelopes {
            let key = JournalKey::next(last, e.at);
            batch.insert(&key.bytes(), e.to_bytes());
            last = Some(key);
        }
        self.store()?
            .events
            .apply_batch(batch)
            .map_err(self.db_err())?;
        Ok(last)
    }

    /// Appends events with keys already chosen (the writer's path).
    fn append_keyed(&self, keyed: &[(JournalKey, Vec<u8>)]) -> Result<(), JournalError> {
        let mut batch = sled::Batch::default();
        for (key, bytes) in keyed {
            batch.insert(&key.bytes(), bytes.as_slice());
        }
        self.store()?
            .events
            .apply_batch(batch)
            .map_err(self.db_err())
    }

    /// Stores a snapshot of a state that includes every event up to `key`.
    pub fn write_snapshot(&self, key: JournalKey, state: &WorldState) -> Result<(), JournalError> {
        let mut bytes = SNAPSHOT_VERSION.to_le_bytes().to_vec();
        bytes.extend(
            postcard::to_stdvec(state).map_err(|e| JournalError::Snapshot {
                path: self.path.clone(),
                at: key.at,
                reason: e.to_string(),
            })?,
        );
        self.store()?
            .snapshots
            .insert(key.bytes(), bytes)
            .map_err(self.db_err())?;
        Ok(())
    }

    /// The first event's key, if any (where the recording starts).
    pub fn first_key(&self) -> Result<Option<JournalKey>, JournalError> {
        let first = self.store()?.events.first().map_err(self.db_err())?;
        Ok(first.and_then(|(k, _)| JournalKey::from_bytes(&k)))
    }

    /// Writes everything to disk now.
    pub fn flush(&self) -> Result<(), JournalError> {
        self.store()?.db.flush().map_err(self.db_err())?;
        Ok(())
    }

    /// Number of events (0 for the moment a reopen after a write failure
    /// takes).
    pub fn len(&self) -> usize {
        self.store().map_or(0, |s| s.events.len())
    }

    /// Whether there are no events (true while the database is reopened).
    pub fn is_empty(&self) -> bool {
        self.store().map_or(true, |s| s.events.is_empty())
    }

    /// Events with journal time in `from..=to`, in order.
    pub fn events(
        &self,
        from: UnixMicros,
        to: UnixMicros,
    ) -> impl Iterator<Item = Result<(JournalKey, Envelope), JournalError>> + '_ {
        let range = JournalKey { at: from, seq: 0 }.bytes()..=JournalKey::end_of(to).bytes();
        self.ranged(range)
    }

    /// The events in `range` of keys, or one error if the database is
    /// being reopened.
    fn ranged(
        &self,
        range: impl std::ops::RangeBounds<[u8; 16]>,
    ) -> impl Iterator<Item = Result<(JournalKey, Envelope), JournalError>> + '_ {
        let store = self.store();
        let items = store.as_ref().ok().map(|s| s.events.range(range));
        store
            .err()
            .map(Err)
            .into_iter()
            .chain(items.into_iter().flatten().map(|item| self.decode(item)))
    }

    fn decode(
        &self,
        item: sled::Result<(sled::IVec, sled::IVec)>,
    ) -> Result<(JournalKey, Envelope), JournalError> {
        let (k, v) = item.map_err(self.db_err())?;
        let key = JournalKey::from_bytes(&k).ok_or_else(|| JournalError::Schema {
            path: self.path.clone(),
            source: SchemaError::Truncated,
        })?;
        let envelope = Envelope::from_bytes(&v).map_err(|source| JournalError::Schema {
            path: self.path.clone(),
            source,
        })?;
        Ok((key, envelope))
    }

    /// The world as it was at instant `at`: after every event filed at or
    /// before it. Starts from the last snapshot at or before `at` (or from
    /// `empty` if none) and replays the events after it.
    pub fn state_at(&self, at: UnixMicros, empty: &WorldState) -> Result<World, JournalError> {
        Ok(self.state_and_key_at(at, empty)?.0)
    }

    /// [`Self::state_at`], and the key of the last event it holds (`None`:
    /// none), from which [`Self::events_after`] goes on.
    pub fn state_and_key_at(
        &self,
        at: UnixMicros,
        empty: &WorldState,
    ) -> Result<(World, Option<JournalKey>), JournalError> {
        let store = self.store()?;
        let snapshot = store
            .snapshots
            .range(..=JournalKey::end_of(at).bytes())
            .next_back()
            .transpose()
            .map_err(self.db_err())?;
        let (mut world, after) = match snapshot {
            Some((k, v)) => {
                let key = JournalKey::from_bytes(&k).unwrap_or(JournalKey { at, seq: 0 });
                let state = self.decode_snapshot(key, &v)?;
                (World::from_state(state), Some(key))
            }
            None => (World::from_state(empty.clone()), None),
        };
        let start = match after {
            Some(k) => std::ops::Bound::Excluded(k.bytes()),
            None => std::ops::Bound::Unbounded,
        };
        let end = std::ops::Bound::Included(JournalKey::end_of(at).bytes());
        let mut last = after;
        for item in store.events.range((start, end)) {
            let (key, envelope) = self.decode(item)?;
            world.apply(&envelope);
            last = Some(key);
        }
        Ok((world, last))
    }

    /// Events after key `after` (all, if `None`) with journal time up to
    /// `to`, in order: what followed a state, including events filed late.
    pub fn events_after(
        &self,
        after: Option<JournalKey>,
        to: UnixMicros,
    ) -> impl Iterator<Item = Result<(JournalKey, Envelope), JournalError>> + '_ {
        let start = match after {
            Some(k) => std::ops::Bound::Excluded(k.bytes()),
            None => std::ops::Bound::Unbounded,
        };
        let end = std::ops::Bound::Included(JournalKey::end_of(to).bytes());
        self.ranged((start, end))
    }

    fn decode_snapshot(&self, key: JournalKey, bytes: &[u8]) -> Result<WorldState, JournalError> {
        let bad = |reason: String| JournalError::Snapshot {
            path: self.path.clone(),
            at: key.at,
            reason,
        };
        let (version, body) = bytes
            .split_at_checked(2)
            .ok_or_else(|| bad("truncated".into()))?;
        if version != SNAPSHOT_VERSION.to_le_bytes() {
            return Err(bad(format!(
                "version {version:?} is not {SNAPSHOT_VERSION}"
            )));
        }
        postcard::from_bytes(body).map_err(|e| bad(e.to_string()))
    }

    /// Snapshots stored.
    pub fn snapshot_count(&self) -> usize {
        self.store().map_or(0, |s| s.snapshots.len())
    }
}

/// Appends events on its own thread and writes snapshots as it goes. A
/// write that fails (a full disk) never stops the thread: the events are
/// held in memory and tried again, and [`JournalWriter::health`] says why
/// the journal is not writing.
#[derive(Debug)]
pub struct JournalWriter {
    sender: Option<SyncSender<Envelope>>,
    thread: Option<std::thread::JoinHandle<Result<(), JournalError>>>,
    health: std::sync::Arc<std::sync::Mutex<JournalHealth>>,
}

/// Whether the journal is being written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JournalHealth {
    /// Why writing fails now (`None`: it does not).
    pub failing: Option<String>,
    /// Events held in memory, not yet written.
    pub pending: usize,
    /// Events dropped because too many were held.
    pub dropped: u64,
}

/// Events held in memory at most while the journal cannot be written.
const MAX_PENDING: usize = 1_000_000;

/// How often a failed write is tried again.
const RETRY_EVERY: Duration = Duration::from_secs(2);

/// Events written are kept this long (and at most [`RECENT_MAX`]) in case
/// sled loses them unflushed to a write failure.
const RECENT_US: UnixMicros = 5_000_000;

/// Most events kept after writing.
const RECENT_MAX: usize = 100_000;

/// After a write failure, once the retry is due: only once there is room
/// again, on a freshly opened database (sled keeps an I/O error for as long
/// as it stays open). On success, `keyed` gets back in front what sled had
/// taken but not flushed before it failed; `false` while still failing.
fn resume(
    journal: &Journal,
    retry_at: &mut Option<std::time::Instant>,
    recent: &mut std::collections::VecDeque<(JournalKey, Vec<u8>)>,
    keyed: &mut Vec<(JournalKey, Vec<u8>)>,
    health: &std::sync::Mutex<JournalHealth>,
) -> bool {
    let now = std::time::Instant::now();
    let Some(due) = *retry_at else { return true };
    if now < due {
        return false;
    }
    let reopened = room_to_write(journal.path())
        && match journal.reopen() {
            Ok(()) => true,
            Err(e) => {
                health
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .failing = Some(e.to_string());
                false
            }
        };
    if !reopened {
        *retry_at = Some(now + RETRY_EVERY);
        return false;
    }
    let on_disk = journal.last_key().ok().flatten();
    let unflushed: Vec<(JournalKey, Vec<u8>)> = recent
        .iter()
        .filter(|(k, _)| on_disk.is_none_or(|d| *k > d))
        .cloned()
        .collect();
    keyed.splice(0..0, unflushed);
    recent.clear();
    true
}

/// While failing: hold the events (the oldest go past the bound) and say
/// how many wait.
fn hold(
    keyed: &mut Vec<(JournalKey, Vec<u8>)>,
    snapshots: &mut Vec<(JournalKey, WorldState)>,
    health: &std::sync::Mutex<JournalHealth>,
) {
    let mut h = health
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if keyed.len() > MAX_PENDING {
        let excess = keyed.len() - MAX_PENDING;
        keyed.drain(..excess);
        h.dropped += excess as u64;
    }
    snapshots.truncate(1);
    h.pending = keyed.len();
}

/// Whether the journal's filesystem has room again: a 1 MiB probe file can
/// be written (and is removed).
fn room_to_write(dir: &Path) -> bool {
    let probe = dir.join(".space-probe");
    let ok = std::fs::write(&probe, vec![0_u8; 1 << 20]).is_ok();
    let _ = std::fs::remove_file(&probe);
    ok
}

/// Events the channel holds before senders wait (about a minute of a busy
/// city's feeds).
const CHANNEL_CAPACITY: usize = 65_536;

impl JournalWriter {
    /// Starts the writer. `world` is the state the journal's events start
    /// from (normally empty, or the last state of an existing journal).
    pub fn start(journal: Journal, world: World) -> std::io::Result<Self> {
        let (sender, receiver) = std::sync::mpsc::sync_channel(CHANNEL_CAPACITY);
        let health = std::sync::Arc::new(std::sync::Mutex::new(JournalHealth::default()));
        let shared = std::sync::Arc::clone(&health);
        let thread = std::thread::Builder::new()
            .name("journal-writer".into())
            .spawn(move || write_loop(&journal, world, &receiver, &shared))?;
        Ok(Self {
            sender: Some(sender),
            thread: Some(thread),
            health,
        })
    }

    /// Whether the journal is being written, and why not.
    pub fn health(&self) -> JournalHealth {
        self.health
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// Queues an event; waits only if the disk is a minute behind.
    pub fn append(&self, envelope: Envelope) -> Result<(), JournalError> {
        let sender = self.sender.as_ref().ok_or(JournalError::WriterGone)?;
        match sender.try_send(envelope) {
            Ok(()) => Ok(()),
            Err(TrySendError::Full(e)) => sender.send(e).map_err(|_| JournalError::WriterGone),
            Err(TrySendError::Disconnected(_)) => Err(JournalError::WriterGone),
        }
    }

    /// Writes what is queued, flushes, and stops.
    pub fn finish(mut self) -> Result<(), JournalError> {
        self.sender = None;
        match self.thread.take().map(std::thread::JoinHandle::join) {
            Some(Ok(result)) => result,
            Some(Err(_)) => Err(JournalError::WriterGone),
            None => Ok(()),
        }
    }
}

impl Drop for JournalWriter {
    fn drop(&mut self) {
        self.sender = None;
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn write_loop(
    journal: &Journal,
    mut world: World,
    receiver: &Receiver<Envelope>,
    health: &std::sync::Mutex<JournalHealth>,
) -> Result<(), JournalError> {
    let mut last = journal.last_key()?;
    let mut keyed: Vec<(JournalKey, Vec<u8>)> = Vec::with_capacity(1024);
    let mut snapshots: Vec<(JournalKey, WorldState)> = Vec::new();
    let mut last_snapshot: Option<(UnixMicros, u64)> = None;
    let mut retry_at: Option<std::time::Instant> = None;
    let mut recent: std::collections::VecDeque<(JournalKey, Vec<u8>)> =
        std::collections::VecDeque::new();
    let set = |change: &dyn Fn(&mut JournalHealth)| {
        change(
            &mut health
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        );
    };
    loop {
        let first = match receiver.recv_timeout(Duration::from_millis(FLUSH_EVERY_MS)) {
            Ok(e) => Some(e),
            Err(RecvTimeoutError::Timeout) if keyed.is_empty() => continue,
            Err(RecvTimeoutError::Timeout) => None,
            Err(RecvTimeoutError::Disconnected) => break,
        };
        let mut next = first;
        while let Some(envelope) = next {
            let key = JournalKey::next(last, envelope.at);
            last = Some(key);
            keyed.push((key, envelope.to_bytes()));
            world.apply(&envelope);
            let applied = world.state().applied;
            let due = last_snapshot.is_none_or(|(t, n)| {
                key.at - t >= SNAPSHOT_EVERY_US || applied - n >= SNAPSHOT_EVERY_EVENTS
            });
            if due {
                snapshots.push((key, world.state().clone()));
                last_snapshot = Some((key.at, applied));
            }
            next = if keyed.len() < 4096 || retry_at.is_some() {
                receiver.try_recv().ok()
            } else {
                None
            };
            if retry_at.is_some() && keyed.len() >= MAX_PENDING {
                break;
            }
        }
        if retry_at.is_some() && !resume(journal, &mut retry_at, &mut recent, &mut keyed, health) {
            hold(&mut keyed, &mut snapshots, health);
            continue;
        }
        let written = journal.append_keyed(&keyed).and_then(|()| {
            for (key, state) in &snapshots {
                journal.write_snapshot(*key, state)?;
            }
            Ok(())
        });
        match written {
            Ok(()) => {
                if retry_at.take().is_some() {
                    tracing::info!(journal = %journal.path().display(), "the journal is writing again");
                }
                // Kept a little while: sled flushes every FLUSH_EVERY_MS, so
                // a failure may lose what it had taken since.
                recent.extend(keyed.drain(..));
                let horizon = recent.back().map_or(0, |(k, _)| k.at) - RECENT_US;
                while recent.len() > RECENT_MAX
                    || recent.front().is_some_and(|(k, _)| k.at < horizon)
                {
                    recent.pop_front();
                }
                snapshots.clear();
                set(&|h| {
                    h.failing = None;
                    h.pending = 0;
                });
            }
            Err(e) => {
                let reason = e.to_string();
                if retry_at.is_none() {
                    tracing::error!(
                        "{reason}: events are held in memory and written again when it can"
                    );
                }
                retry_at = Some(std::time::Instant::now() + RETRY_EVERY);
                let pending = keyed.len();
                set(&|h| {
                    h.failing = Some(reason.clone());
                    h.pending = pending;
                });
            }
        }
    }
    if !keyed.is_empty() {
        journal.append_keyed(&keyed)?;
    }
    journal.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::{Event, Origin, UnitReport};
    use crate::model::UnitKind;

    #[test]
    fn keys_sort_by_time_then_sequence_across_the_epoch() {
        let keys = [
            JournalKey { at: -5, seq: 9 },
            JournalKey { at: 0, seq: 0 },
            JournalKey { at: 0, seq: 1 },
            JournalKey {
                at: 1_700_000_000_000_000,
                seq: 2,
            },
        ];
        for w in keys.windows(2) {
            assert!(w[0].bytes() < w[1].bytes());
            assert_eq!(JournalKey::from_bytes(&w[0].bytes()), Some(w[0]));
        }
    }

    #[test]
    fn late_events_are_filed_at_the_last_time() {
        let dir = std::env::temp_dir().join(format!("wf-journal-order-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let journal = Journal::open(&dir).expect("open");
        let env = |at| Envelope {
            at,
            origin: Origin::System,
            event: Event::UnitReported(UnitReport {
                id: "u".into(),
                callsign: None,
                kind: UnitKind::Foot,
                lonlat: [71.0, 51.0],
                ce_m: 1.0,
                heading_deg: None,
                speed_mps: None,
                stale_at: 0,
            }),
        };
        journal
            .append(&[env(100), env(50), env(200)])
            .expect("append");
        let keys: Vec<JournalKey> = journal
            .events(0, 1000)
            .map(|r| r.expect("decodes").0)
            .collect();
        assert_eq!(
            keys.iter().map(|k| k.at).collect::<Vec<_>>(),
            [100, 100, 200]
        );
        assert_eq!(keys.iter().map(|k| k.seq).collect::<Vec<_>>(), [0, 1, 2]);
        drop(journal);
        std::fs::remove_dir_all(&dir).ok();
    }
}
