//! The timeline behind the console: the replay engine started once the
//! journal is open (it also indexes the marks while live), the marks read
//! from it once a second, and the journal's first instant.

use std::time::{Duration, Instant};

use watchfloor_layers::journal::Journal;
use watchfloor_layers::timeline::Mark;

use crate::replay::ReplayEngine;
use crate::world::LiveWorld;

/// How often the marks are read again from the engine.
const MARKS_EVERY: Duration = Duration::from_secs(1);

/// The replay engine and what the timeline shows of it.
pub struct Timeline {
    engine: ReplayEngine,
    journal: Journal,
    start: Option<i64>,
    marks: Vec<Mark>,
    marks_read: Option<Instant>,
}

impl Timeline {
    /// Starts the engine on `world`'s journal, once it is open (`None`
    /// until then); recorded video in `recordings` gives the outages.
    pub fn start(
        world: &LiveWorld,
        recordings: Option<std::path::PathBuf>,
        repaint: impl Fn() + Send + Sync + 'static,
    ) -> Option<Self> {
        let journal = world.journal()?;
        match ReplayEngine::start(
            journal.clone(),
            world.empty_state(),
            world.replay_target(),
            recordings,
            repaint,
        ) {
            Ok(engine) => Some(Self {
                engine,
                journal,
                start: None,
                marks: Vec::new(),
                marks_read: None,
            }),
            Err(e) => {
                tracing::error!("replay cannot start: {e}");
                None
            }
        }
    }

    /// Reads the marks again (once a second) and the journal's start.
    pub fn refresh(&mut self) {
        if self
            .marks_read
            .is_none_or(|read| read.elapsed() >= MARKS_EVERY)
        {
            self.marks = self.engine.marks().0;
            self.marks_read = Some(Instant::now());
            if self.start.is_none() {
                self.start = self.journal.first_key().ok().flatten().map(|k| k.at);
            }
        }
    }

    /// Rebuilds the world shown at `at` (on the engine's thread).
    pub fn seek(&self, at: i64) {
        self.engine.seek(at);
    }

    /// The marks, oldest first.
    pub fn marks(&self) -> &[Mark] {
        &self.marks
    }

    /// The journal's first instant, once known.
    pub fn start_us(&self) -> Option<i64> {
        self.start
    }

    /// The engine (benchmarks wait on its rebuilds).
    pub fn engine(&self) -> &ReplayEngine {
        &self.engine
    }
}
