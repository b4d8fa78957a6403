//! Road questions the console asks about alerts, answered off the UI
//! thread: the 1-3-5-minute reach around an alert (once per alert), and
//! the nearest units by travel time (refreshed while asked for, as units
//! move).

use std::time::{Duration, Instant};

use watchfloor_layers::dispatch::{self, Suggestion};
use watchfloor_layers::roads::{Reach, TravelMode};

use crate::job::Job;
use crate::world::LiveWorld;

/// Travel-time bands of the reach drawn around an alert, seconds.
pub const REACH_BANDS_S: [f64; 3] = [60.0, 180.0, 300.0];
/// Units suggested per alert.
pub const SUGGESTIONS: usize = 3;
/// How old suggestions may get while still asked for.
const SUGGESTIONS_FRESH: Duration = Duration::from_secs(1);

/// The answers, and the questions being worked on.
#[derive(Default)]
pub struct Prepared {
    reach: Option<(String, Vec<Reach>)>,
    reach_job: Option<(String, Job<Option<Vec<Reach>>>)>,
    suggestions: Option<(String, Vec<Suggestion>)>,
    suggested_at: Option<Instant>,
    suggestions_job: Option<(String, Job<Vec<Suggestion>>)>,
    repaint: Option<std::sync::Arc<dyn Fn() + Send + Sync>>,
}

impl Prepared {
    /// Answers that arrive ask for a repaint through `repaint`.
    pub fn new(repaint: impl Fn() + Send + Sync + 'static) -> Self {
        Self {
            repaint: Some(std::sync::Arc::new(repaint)),
            ..Self::default()
        }
    }

    fn done(&self) -> impl FnOnce() + Send + 'static {
        let repaint = self.repaint.clone();
        move || {
            if let Some(r) = repaint {
                r();
            }
        }
    }

    /// Asks for the reach around `alert` at `lonlat` (once the road network
    /// has loaded). Nothing new starts while any reach is being worked out:
    /// replacing a running job would join it on the caller's (UI) thread;
    /// the console asks again next frame and gets its turn then.
    pub fn want_reach(&mut self, world: &LiveWorld, alert: &str, lonlat: [f64; 2]) {
        let known = self.reach.as_ref().is_some_and(|(id, _)| id == alert);
        if known || self.reach_job.is_some() || world.roads().is_none() {
            return;
        }
        let roads = world.roads_handle();
        match Job::start(
            "prepare-reach",
            move || {
                roads
                    .get()
                    .map(|r| r.reachability(lonlat, TravelMode::CAR, &REACH_BANDS_S))
            },
            self.done(),
        ) {
            Ok(job) => self.reach_job = Some((alert.to_owned(), job)),
            Err(e) => tracing::error!(alert, "reach not worked out: {e}"),
        }
    }

    /// Asks for the nearest units to `alert` (refreshed once a second while
    /// asked for).
    pub fn want_suggestions(&mut self, world: &LiveWorld, alert: &str) {
        let fresh = self.suggestions.as_ref().is_some_and(|(id, _)| id == alert)
            && self
                .suggested_at
                .is_some_and(|t| t.elapsed() < SUGGESTIONS_FRESH);
        if fresh || self.suggestions_job.is_some() {
            return;
        }
        let (shared, roads) = (world.shared(), world.roads_handle());
        let id = alert.to_owned();
        match Job::start(
            "prepare-dispatch",
            move || {
                let w = shared
                    .read()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                dispatch::suggest(&w, roads.get(), &id, SUGGESTIONS)
            },
            self.done(),
        ) {
            Ok(job) => self.suggestions_job = Some((alert.to_owned(), job)),
            Err(e) => tracing::error!(alert, "suggestions not worked out: {e}"),
        }
    }

    /// Takes answers that arrived; never blocks.
    pub fn poll(&mut self) {
        if let Some((id, job)) = &mut self.reach_job
            && let Some(answer) = job.try_take()
        {
            if let Some(reach) = answer {
                self.reach = Some((id.clone(), reach));
            }
            self.reach_job = None;
        }
        if let Some((id, job)) = &mut self.suggestions_job
            && let Some(answer) = job.try_take()
        {
            self.suggestions = Some((id.clone(), answer));
            self.suggested_at = Some(Instant::now());
            self.suggestions_job = None;
        }
    }

    /// The reach last worked out, and the alert it is for.
    pub fn reach(&self) -> Option<&(String, Vec<Reach>)> {
        self.reach.as_ref()
    }

    /// The suggestions last worked out, and the alert they are for.
    pub fn suggestions(&self) -> Option<&(String, Vec<Suggestion>)> {
        self.suggestions.as_ref()
    }

    /// Waits (bounded) for the questions being worked on (headless renders
    /// and tests only).
    pub fn settle(&mut self, timeout: Duration) {
        let end = Instant::now() + timeout;
        while (self.reach_job.is_some() || self.suggestions_job.is_some()) && Instant::now() < end {
            std::thread::sleep(Duration::from_millis(10));
            self.poll();
        }
    }
}
