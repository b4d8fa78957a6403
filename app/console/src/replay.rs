//! The console's replay clock: live, or an instant in the recorded past
//! that plays at 0.25×–16×, steps by frame or by event, and asks the
//! runtime for both the map (the world rebuilt from the journal) and the
//! wall (recorded segments) at the same instant. Everything else in the
//! console reads the same clock.

use std::time::Instant;

pub use watchfloor_layers::clock::system_time;

use crate::{command::Command, frame::FrameCtx, seat::Seat};

pub use crate::replay_clock::{Bookmark, FRAME_US, SPEEDS};
use crate::replay_clock::{PendingReplay, ReplayClock};

impl Seat {
    /// Replays the recorded past from `at_us` (paused), once the runtime's
    /// timeline is ready; recorded video plays where it was recorded.
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

    /// Trains on an incident package's span `[from, to]` in `package`, with
    /// the trainer notes already in it (new ones go out as
    /// [`Command::AppendNote`]): replay only, no way back to live.
    pub fn open_package(
        &mut self,
        from_us: i64,
        to_us: i64,
        package: std::path::PathBuf,
        notes: Vec<Bookmark>,
    ) {
        self.package = Some(package);
        self.bookmarks = notes;
        self.notes_kept = true;
        self.pending_replay = Some(PendingReplay {
            at: from_us,
            locked: Some((from_us, to_us)),
        });
    }

    /// Whether replay is starting or running (headless renders wait for
    /// its pictures).
    pub fn replay_pending_or_running(&self) -> bool {
        self.pending_replay.is_some() || self.replay.is_some()
    }

    /// Starts what `enter_replay` asked for, once the runtime's timeline is
    /// ready.
    fn start_pending_replay(&mut self, ctx: &FrameCtx) {
        if !ctx.timeline.ready {
            return;
        }
        let Some(pending) = self.pending_replay.take() else {
            return;
        };
        self.commands.push(Command::StartReplay);
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
            self.commands.push(Command::GoLive);
        }
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
        let Some(r) = &mut self.replay else { return };
        let bookmarks = self.bookmarks.iter().map(|b| b.at_us);
        let mut instants: Vec<i64> = self
            .marks
            .iter()
            .filter(|m| !matches!(m.kind, watchfloor_layers::timeline::MarkKind::Outage { .. }))
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

    /// Marks the instant shown (or now, live) with `text`; in a package the
    /// note is kept in it.
    pub fn add_bookmark(&mut self, text: &str) {
        let at_us = self.now_us();
        let bookmark = Bookmark {
            at_us,
            text: text.trim().to_owned(),
            by: self.operator.clone(),
        };
        if self.notes_kept {
            match serde_json::to_string(&bookmark) {
                Ok(line) => self.commands.push(Command::AppendNote(line)),
                Err(e) => tracing::error!("note not saved: {e}"),
            }
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
        Some((self.journal_start?, self.real_now_us()))
    }

    fn clamp_replay(&mut self) {
        let range = self.replay_range();
        if let (Some(r), Some((a, b))) = (&mut self.replay, range) {
            r.at = r.at.clamp(a, b.max(a));
        }
    }

    /// Advances the clock and asks for the world and the pictures at it.
    /// Playing up to the live end goes live again.
    pub(super) fn tick_replay(&mut self, egui_ctx: &egui::Context, ctx: &FrameCtx) {
        self.start_pending_replay(ctx);
        let range = self.replay_range();
        let Some(r) = &mut self.replay else { return };
        let elapsed = r.tick.elapsed();
        r.tick = Instant::now();
        if r.playing {
            r.at += (elapsed.as_secs_f64() * 1e6 * f64::from(r.speed)) as i64;
            egui_ctx.request_repaint();
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
        let on_screen = self.cameras_on_screen(ctx);
        self.commands.push(Command::ReplayAt { at, on_screen });
    }

    /// The cameras on screen now (wall, or the checkpoint view), by index.
    fn cameras_on_screen(&self, ctx: &FrameCtx) -> Vec<usize> {
        if let Some(cp) = &self.checkpoint
            && let Some(c) = ctx.world.and_then(|w| w.state().checkpoints.get(cp))
        {
            return c
                .cameras
                .iter()
                .filter_map(|id| ctx.camera_index(id))
                .collect();
        }
        self.wall
            .visible_tiles()
            .into_iter()
            .filter_map(|t| self.wall.camera_of(t, ctx.cameras.len()))
            .collect()
    }

    /// Now by the system (or frozen) clock, whatever is replayed.
    pub(super) fn real_now_us(&self) -> i64 {
        match self.clock {
            crate::seat::Clock::System => watchfloor_layers::clock::now_us(),
            crate::seat::Clock::Fixed(at) => at.timestamp_micros(),
        }
    }
}

/// The notes of a `notes.jsonl` text; a bad line is named (by `source`
/// and line) in the log and skipped.
pub fn parse_notes(text: &str, source: &std::path::Path) -> Vec<Bookmark> {
    let (notes, bad) = watchfloor_layers::package::parse_notes(text);
    for (line, why) in bad {
        tracing::error!("{}: line {line}: {why}", source.display());
    }
    notes
}
