//! The console's replay clock: live, or an instant in the recorded past
//! that plays at 0.25×–16×, steps by frame or by event, and drives both the
//! map (the world rebuilt from the journal on the `replay` thread) and the
//! wall (recorded segments played on `playback-*` threads) from the same
//! instant. Everything else in the console reads the same clock.

use std::time::{Duration, Instant};

pub use watchfloor_layers::clock::system_time;

use super::Console;
use watchfloor_runtime::replay::{Mark, ReplayEngine};

/// Playback speeds offered.
pub const SPEEDS: [f32; 7] = [0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0];
/// One frame of the cameras (15 fps), for stepping.
pub const FRAME_US: i64 = 66_667;

/// A moment someone marked on the timeline.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Bookmark {
    /// Unix microseconds.
    pub at_us: i64,
    /// What it is.
    pub text: String,
    /// Who marked it.
    pub by: String,
}

/// The replay engine (started once the journal is open, live or not: it
/// also finds the timeline's marks) and the marks last read from it.
pub(super) struct Timeline {
    pub(super) engine: ReplayEngine,
    /// The journal's first instant (read until there is one).
    start: Option<i64>,
    journal: watchfloor_layers::journal::Journal,
    pub(super) marks: Vec<Mark>,
    marks_read: Option<Instant>,
}

/// Replay in progress.
pub(super) struct ReplayClock {
    /// The instant shown, Unix µs.
    pub(super) at: i64,
    pub(super) speed: f32,
    pub(super) playing: bool,
    tick: Instant,
    /// An incident package: no live end, the range is the package's.
    pub(super) locked: Option<(i64, i64)>,
}

/// What replay needs to start once the window is up.
pub(super) struct PendingReplay {
    pub(super) at: i64,
    pub(super) locked: Option<(i64, i64)>,
}

impl Console {
    /// Plays recorded video from `dir` (`<camera>/<start_ms>.mkv`) when
    /// replaying.
    pub fn set_recordings(&mut self, dir: std::path::PathBuf) {
        self.recordings = Some(dir);
    }

    /// Replays the recorded past from `at_us` (paused). Needs a world with
    /// a journal; recorded video plays if recordings are known.
    pub fn enter_replay(&mut self, at_us: i64) {
        if let Some(r) = &mut self.replay {
            r.at = r.locked.map_or(at_us, |(a, b)| at_us.clamp(a, b));
            return;
        }
        // A package still opening keeps its span.
        let locked = self.pending_replay.as_ref().and_then(|p| p.locked);
        self.pending_replay = Some(PendingReplay {
            at: locked.map_or(at_us, |(a, b)| at_us.clamp(a, b)),
            locked,
        });
    }

    /// Opens an incident package's span `[from, to]` for training: replay
    /// only, no way back to live.
    pub fn open_package(&mut self, from_us: i64, to_us: i64, package: std::path::PathBuf) {
        self.package = Some(package);
        self.pending_replay = Some(PendingReplay {
            at: from_us,
            locked: Some((from_us, to_us)),
        });
    }

    /// Trains on an opened incident package: its world, its clips, its
    /// notes (kept in the package's `notes.jsonl`), replay only.
    pub fn train_on(&mut self, opened: watchfloor_runtime::package::OpenedPackage) {
        match NotesFile::open(opened.dir.join("notes.jsonl")) {
            Ok((notes, existing)) => {
                self.bookmarks = existing;
                self.notes = Some(notes);
            }
            Err(e) => tracing::error!("trainer notes cannot be saved: {e}"),
        }
        self.attach_world(watchfloor_runtime::world::LiveWorld::offline(
            &opened.journal,
            opened.origin,
        ));
        self.set_recordings(opened.clips);
        self.open_package(opened.from_us, opened.to_us, opened.dir);
    }

    /// Whether replay is starting or running (headless renders wait for
    /// its pictures).
    pub fn replay_pending_or_running(&self) -> bool {
        self.pending_replay.is_some() || self.replay.is_some()
    }

    /// Starts the replay engine once the journal is open (it indexes the
    /// timeline's marks while live), and refreshes the marks every second.
    fn keep_timeline(&mut self, ctx: &egui::Context) {
        if self.timeline.is_none()
            && let Some(world) = &self.world
            && let Some(journal) = world.journal()
        {
            let repaint = {
                let ctx = ctx.clone();
                move || ctx.request_repaint()
            };
            match ReplayEngine::start(
                journal.clone(),
                world.empty_state(),
                world.replay_target(),
                self.recordings.clone(),
                repaint,
            ) {
                Ok(engine) => {
                    self.timeline = Some(Timeline {
                        engine,
                        start: None,
                        journal,
                        marks: Vec::new(),
                        marks_read: None,
                    });
                }
                Err(e) => tracing::error!("replay cannot start: {e}"),
            }
        }
        if let Some(t) = &mut self.timeline
            && t.marks_read
                .is_none_or(|read| read.elapsed() >= Duration::from_secs(1))
        {
            t.marks = t.engine.marks().0;
            t.marks_read = Some(Instant::now());
            if t.start.is_none() {
                t.start = t.journal.first_key().ok().flatten().map(|k| k.at);
            }
        }
    }

    /// Starts what `enter_replay` asked for, once the engine runs.
    pub(super) fn start_pending_replay(&mut self, ctx: &egui::Context) {
        if self.pending_replay.is_none() || self.timeline.is_none() {
            return;
        }
        let Some(pending) = self.pending_replay.take() else {
            return;
        };
        let Some(world) = &self.world else {
            return;
        };
        world.set_replaying(true);
        if let Some(dir) = &self.recordings {
            let ctx = ctx.clone();
            let repaint: std::sync::Arc<dyn Fn() + Send + Sync> =
                std::sync::Arc::new(move || ctx.request_repaint());
            self.cameras.start_replay(dir, &repaint);
        }
        let source = self.package.as_ref().map_or_else(
            || "journal".to_owned(),
            |p| format!("package {}", p.display()),
        );
        tracing::info!(%source, at = pending.at, "replay opened");
        self.audit(watchfloor_layers::audit::AuditAction::ReplayOpened { source });
        self.replay = Some(ReplayClock {
            at: pending.at,
            speed: 1.0,
            playing: false,
            tick: Instant::now(),
            locked: pending.locked,
        });
    }

    /// Back to live (not for an incident package).
    pub fn go_live(&mut self) {
        if self.replay.as_ref().is_some_and(|r| r.locked.is_some()) {
            return;
        }
        self.pending_replay = None;
        if self.replay.take().is_some() {
            tracing::info!("back to live");
        }
        if let Some(world) = &self.world {
            world.set_replaying(false);
        }
        self.cameras.stop_replay();
        // Tiles placed on recorded-only cameras are free again.
        let cameras = self.cameras.views().len();
        self.wall.placed.retain(|_, camera| *camera < cameras);
    }

    /// The instant replayed (Unix µs), or `None` when live.
    pub fn replay_at(&self) -> Option<i64> {
        self.replay.as_ref().map(|r| r.at)
    }

    /// Whether replay is playing (not paused).
    pub fn replay_playing(&self) -> bool {
        self.replay.as_ref().is_some_and(|r| r.playing)
    }

    /// Plays or pauses replay.
    pub fn set_replay_playing(&mut self, playing: bool) {
        if let Some(r) = &mut self.replay {
            r.playing = playing;
            r.tick = Instant::now();
        }
    }

    /// Sets the playback speed (one of [`SPEEDS`]; others are clamped).
    pub fn set_replay_speed(&mut self, speed: f32) {
        if let Some(r) = &mut self.replay {
            r.speed = speed.clamp(SPEEDS[0], SPEEDS[SPEEDS.len() - 1]);
        }
    }

    /// Moves the replay by `frames` camera frames (paused).
    pub fn step_frames(&mut self, frames: i64) {
        if let Some(r) = &mut self.replay {
            r.playing = false;
            r.at += frames * FRAME_US;
        }
        self.clamp_replay();
    }

    /// Jumps to the next (`forward`) or previous timeline mark.
    pub fn step_event(&mut self, forward: bool) {
        let marks = self
            .timeline
            .as_ref()
            .map(|t| t.marks.clone())
            .unwrap_or_default();
        let Some(r) = &mut self.replay else { return };
        let bookmarks = self.bookmarks.iter().map(|b| b.at_us);
        let mut instants: Vec<i64> = marks
            .iter()
            .filter(|m| !matches!(m.kind, watchfloor_runtime::replay::MarkKind::Outage { .. }))
            .map(|m| m.at)
            .chain(bookmarks)
            .collect();
        instants.sort_unstable();
        let next = if forward {
            instants.into_iter().find(|&t| t > r.at)
        } else {
            instants.into_iter().rev().find(|&t| t < r.at - FRAME_US)
        };
        if let Some(t) = next {
            r.playing = false;
            r.at = t;
        }
        self.clamp_replay();
    }

    /// Marks the instant shown (or now, live) with `text`.
    pub fn add_bookmark(&mut self, text: &str) {
        let at_us = self.now_us();
        let bookmark = Bookmark {
            at_us,
            text: text.trim().to_owned(),
            by: self.operator.clone(),
        };
        if let Some(notes) = &mut self.notes {
            notes.append(&bookmark);
        }
        self.bookmarks.push(bookmark);
        self.bookmarks.sort_by_key(|b| b.at_us);
    }

    /// Bookmarks and trainer notes, oldest first.
    pub fn bookmarks(&self) -> &[Bookmark] {
        &self.bookmarks
    }

    /// The span replay may move in: the package's, or the journal's
    /// first event to now.
    pub(super) fn replay_range(&self) -> Option<(i64, i64)> {
        if let Some((a, b)) = self.replay.as_ref().and_then(|r| r.locked) {
            return Some((a, b));
        }
        let first = self.timeline.as_ref().and_then(|t| t.start)?;
        Some((first, self.real_now_us()))
    }

    fn clamp_replay(&mut self) {
        let range = self.replay_range();
        if let (Some(r), Some((a, b))) = (&mut self.replay, range) {
            r.at = r.at.clamp(a, b.max(a));
        }
    }

    /// Advances the clock, asks for the world and the pictures at it.
    /// Playing up to the live end goes live again.
    pub(super) fn tick_replay(&mut self, ctx: &egui::Context) {
        self.keep_timeline(ctx);
        self.start_pending_replay(ctx);
        let range = self.replay_range();
        let Some(r) = &mut self.replay else { return };
        let elapsed = r.tick.elapsed();
        r.tick = Instant::now();
        if r.playing {
            r.at += (elapsed.as_secs_f64() * 1e6 * f64::from(r.speed)) as i64;
            ctx.request_repaint();
        }
        if let Some((a, b)) = range {
            if r.at >= b && r.playing {
                if r.locked.is_none() {
                    self.go_live();
                    return;
                }
                r.playing = false;
            }
            r.at = r.at.clamp(a, b.max(a));
        }
        let at = r.at;
        if let Some(t) = &self.timeline {
            t.engine.seek(at);
        }
        let shown = self.cameras_on_screen();
        self.cameras.show_recorded(system_time(at), &shown);
    }

    /// The cameras on screen now (wall, or the checkpoint view), by index.
    fn cameras_on_screen(&self) -> Vec<usize> {
        let views = self.cameras.views();
        if let Some(cp) = &self.checkpoint
            && let Some(world) = &self.world
        {
            let state = world.world();
            if let Some(c) = state.state().checkpoints.get(cp) {
                return c
                    .cameras
                    .iter()
                    .filter_map(|id| self.cameras.index_of(id))
                    .collect();
            }
        }
        self.wall
            .visible_tiles()
            .into_iter()
            .filter_map(|t| self.wall.camera_of(t, views.len()))
            .collect()
    }

    /// Now by the system (or frozen) clock, whatever is replayed.
    pub(super) fn real_now_us(&self) -> i64 {
        match self.clock {
            super::Clock::System => watchfloor_layers::clock::now_us(),
            super::Clock::Fixed(at) => at.timestamp_micros(),
        }
    }
}

/// Trainer notes kept in a package's `notes.jsonl`: the ones there at
/// start, and the runtime's appending writer for new ones.
pub struct NotesFile {
    writer: watchfloor_runtime::writer::Writer,
}

impl NotesFile {
    /// The notes in `path` so far (a bad line is named in the log and
    /// skipped), and a writer appending new ones. A package is untrusted
    /// input: a link or a pipe there is never read or written.
    pub fn open(path: std::path::PathBuf) -> std::io::Result<(Self, Vec<Bookmark>)> {
        let text = watchfloor_runtime::writer::read_regular(&path)?;
        let notes = parse_notes(text.as_deref().unwrap_or_default(), &path);
        let writer = watchfloor_runtime::writer::Writer::appending("notes-writer", path)?;
        Ok((Self { writer }, notes))
    }

    /// Queues a note to be appended (never waits; a full queue is logged).
    pub fn append(&mut self, note: &Bookmark) {
        match serde_json::to_string(note) {
            Ok(line) => {
                if let Err(e) = self.writer.send(line) {
                    tracing::error!("note not saved: {e}");
                }
            }
            Err(e) => tracing::error!("note not saved: {e}"),
        }
    }
}

/// The notes of a `notes.jsonl` text; a bad line is named (by `source`
/// and line) in the log and skipped.
pub fn parse_notes(text: &str, source: &std::path::Path) -> Vec<Bookmark> {
    let mut notes = Vec::new();
    for (i, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        match serde_json::from_str::<Bookmark>(line) {
            Ok(n) => notes.push(n),
            Err(e) => tracing::error!("{}: line {}: {e}", source.display(), i + 1),
        }
    }
    notes
}
