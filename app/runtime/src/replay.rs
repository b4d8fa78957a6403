//! Replay of the world: the state the journal recorded at any instant,
//! rebuilt on the `replay` thread (never on the UI thread), and the marks
//! the timeline draws (alerts, dispatches, operator actions).
//!
//! A seek a little ahead of the state shown applies the journal's events in
//! between to it; anything else starts from the snapshot before the instant
//! ([`Journal::state_at`]). The rebuilt world is swapped into the handle the
//! console reads, so the console cannot tell it from the live one.

use std::sync::{Arc, Condvar, Mutex, PoisonError, RwLock};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use watchfloor_layers::journal::{Journal, JournalKey};
pub use watchfloor_layers::timeline::{Mark, MarkKind};
use watchfloor_layers::world::{World, WorldState};

/// A seek at most this far ahead of the state shown applies events instead
/// of rebuilding from a snapshot.
const STEP_ON_US: i64 = 20_000_000;
/// Events indexed for marks per pass: small, so a seek arriving meanwhile
/// waits a few milliseconds at most.
const MARKS_PER_PASS: usize = 2_000;
/// A segment starting later than 1.5 times the camera's usual segment
/// spacing (the median) after the previous one leaves a gap in the
/// recording (a camera outage).
const GAP_FACTOR: f64 = 1.5;
/// How often the recordings are looked at again for outages.
const OUTAGES_EVERY: Duration = Duration::from_secs(5);

/// What the replay thread has done, for the console and the benchmark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Built {
    /// The instant the shown world is at.
    pub at: i64,
    /// The seek it answers (counts up with each seek).
    pub seek: u64,
    /// How long the rebuild took.
    pub took: Duration,
}

#[derive(Default)]
struct Request {
    at: Option<i64>,
    seek: u64,
    stop: bool,
}

#[derive(Default)]
struct Progress {
    built: Option<Built>,
    error: Option<String>,
    marks: Vec<Mark>,
    /// Journal time up to which marks are complete.
    marked_to: Option<i64>,
    /// Gaps in the cameras' recordings.
    outages: Vec<Mark>,
}

type Shared<T> = Arc<(Mutex<T>, Condvar)>;

/// The world as recorded, at the instant last asked for.
pub struct ReplayEngine {
    request: Shared<Request>,
    progress: Shared<Progress>,
    thread: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for ReplayEngine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReplayEngine").finish_non_exhaustive()
    }
}

impl ReplayEngine {
    /// Starts the `replay` thread over `journal`; rebuilt worlds go into
    /// `shown` (starting from `empty` before the first snapshot); `repaint`
    /// runs after each.
    pub fn start(
        journal: Journal,
        empty: WorldState,
        shown: Arc<RwLock<World>>,
        recordings: Option<std::path::PathBuf>,
        repaint: impl Fn() + Send + 'static,
    ) -> std::io::Result<Self> {
        let request: Shared<Request> = Arc::default();
        let progress: Shared<Progress> = Arc::default();
        let worker = Worker {
            journal,
            empty,
            shown,
            request: Arc::clone(&request),
            progress: Arc::clone(&progress),
            at: None,
            own: None,
            recordings,
            outages_read: None,
        };
        let thread = std::thread::Builder::new()
            .name("replay".into())
            .spawn(move || worker.run(&repaint))?;
        Ok(Self {
            request,
            progress,
            thread: Some(thread),
        })
    }

    /// Asks for the world at `at` (Unix µs); returns the seek's number.
    pub fn seek(&self, at: i64) -> u64 {
        let (lock, wake) = &*self.request;
        let mut r = lock.lock().unwrap_or_else(PoisonError::into_inner);
        if r.at != Some(at) {
            r.at = Some(at);
            r.seek += 1;
            wake.notify_one();
        }
        r.seek
    }

    /// The last world built.
    pub fn built(&self) -> Option<Built> {
        self.progress
            .0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .built
    }

    /// Waits (bounded) until seek number `seek` is built: benchmarks and
    /// tests only.
    pub fn wait_built(&self, seek: u64, timeout: Duration) -> Option<Built> {
        let (lock, changed) = &*self.progress;
        let deadline = Instant::now() + timeout;
        let mut p = lock.lock().unwrap_or_else(PoisonError::into_inner);
        loop {
            if let Some(b) = p.built.filter(|b| b.seek >= seek) {
                return Some(b);
            }
            let left = deadline.checked_duration_since(Instant::now())?;
            p = changed
                .wait_timeout(p, left)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
    }

    /// Why the last rebuild failed, if it did.
    pub fn error(&self) -> Option<String> {
        self.progress
            .0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .error
            .clone()
    }

    /// Marks found so far (oldest first; recording gaps after the
    /// journal's marks), and the journal time they cover.
    pub fn marks(&self) -> (Vec<Mark>, Option<i64>) {
        let p = self
            .progress
            .0
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let mut marks = p.marks.clone();
        marks.extend(p.outages.iter().cloned());
        (marks, p.marked_to)
    }
}

impl Drop for ReplayEngine {
    fn drop(&mut self) {
        let (lock, wake) = &*self.request;
        lock.lock().unwrap_or_else(PoisonError::into_inner).stop = true;
        wake.notify_one();
        if let Some(t) = self.thread.take()
            && t.join().is_err()
        {
            tracing::error!("the replay thread panicked");
        }
    }
}

struct Worker {
    journal: Journal,
    empty: WorldState,
    shown: Arc<RwLock<World>>,
    request: Shared<Request>,
    progress: Shared<Progress>,
    /// The instant the shown world is at.
    at: Option<i64>,
    /// The worker's own copy of that world, and the key of the last event
    /// in it (a step on applies what follows, including events filed late).
    own: Option<(World, Option<JournalKey>)>,
    /// Recorded video, for outages.
    recordings: Option<std::path::PathBuf>,
    outages_read: Option<Instant>,
}

impl Worker {
    fn run(mut self, repaint: &dyn Fn()) {
        let mut served = 0;
        loop {
            let request = Arc::clone(&self.request);
            let next = {
                let (lock, wake) = &*request;
                let mut r = lock.lock().unwrap_or_else(PoisonError::into_inner);
                // Index marks while nobody is waiting for a seek.
                while !r.stop && r.seek == served {
                    drop(r);
                    let more = self.index_marks();
                    self.index_outages();
                    r = lock.lock().unwrap_or_else(PoisonError::into_inner);
                    if !more && !r.stop && r.seek == served {
                        r = wake
                            .wait_timeout(r, Duration::from_secs(2))
                            .unwrap_or_else(PoisonError::into_inner)
                            .0;
                    }
                }
                if r.stop {
                    return;
                }
                served = r.seek;
                r.at
            };
            let Some(at) = next else { continue };
            let started = Instant::now();
            let result = self.build(at);
            let (lock, changed) = &*self.progress;
            let mut p = lock.lock().unwrap_or_else(PoisonError::into_inner);
            match result {
                Ok(()) => {
                    p.built = Some(Built {
                        at,
                        seek: served,
                        took: started.elapsed(),
                    });
                    p.error = None;
                }
                Err(e) => {
                    tracing::error!("replay: {e}");
                    p.error = Some(e);
                }
            }
            changed.notify_all();
            drop(p);
            repaint();
        }
    }

    /// Brings the shown world to `at`: built aside, then swapped in, so
    /// the console's reads never wait on a rebuild.
    fn build(&mut self, at: i64) -> Result<(), String> {
        let step_on = self
            .at
            .is_some_and(|from| (0..=STEP_ON_US).contains(&(at - from)));
        let (world, last) = match self.own.take() {
            Some((mut world, last)) if step_on => {
                let mut last_applied = last;
                for item in self.journal.events_after(last, at) {
                    let (key, e) = item.map_err(|e| e.to_string())?;
                    world.apply(&e);
                    last_applied = Some(key);
                }
                (world, last_applied)
            }
            _ => self
                .journal
                .state_and_key_at(at, &self.empty)
                .map_err(|e| e.to_string())?,
        };
        let mut shown = World::from_state(world.state().clone());
        std::mem::swap(
            &mut *self.shown.write().unwrap_or_else(PoisonError::into_inner),
            &mut shown,
        );
        self.own = Some((world, last));
        self.at = Some(at);
        Ok(())
    }

    /// Reads the recordings' segment names again (every few seconds) for
    /// gaps.
    fn index_outages(&mut self) {
        let Some(dir) = &self.recordings else { return };
        if self
            .outages_read
            .is_some_and(|t| t.elapsed() < OUTAGES_EVERY)
        {
            return;
        }
        self.outages_read = Some(Instant::now());
        let mut outages = Vec::new();
        for (camera, folder) in watchfloor_media::playback::recorded_cameras(dir) {
            let Ok(segments) = watchfloor_media::record::list_segments(&folder) else {
                continue;
            };
            outages.extend(gaps(camera.as_str(), &segments));
        }
        self.progress
            .0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .outages = outages;
    }

    /// Scans the next events for marks; `true` if there may be more.
    fn index_marks(&mut self) -> bool {
        let from = {
            let p = self
                .progress
                .0
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            p.marked_to.map_or(i64::MIN, |t| t + 1)
        };
        let mut found = Vec::new();
        let mut last = None;
        let mut count = 0;
        for item in self.journal.events(from, i64::MAX) {
            let Ok((key, envelope)) = item else { break };
            if count >= MARKS_PER_PASS && Some(key.at) != last {
                break;
            }
            count += 1;
            last = Some(key.at);
            found.extend(Mark::of(key.at, &envelope));
        }
        let Some(last) = last else { return false };
        let mut p = self
            .progress
            .0
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        p.marks.extend(found);
        p.marked_to = Some(last);
        count >= MARKS_PER_PASS
    }
}

/// Gaps between a camera's consecutive segments.
fn gaps(camera: &str, segments: &[watchfloor_media::record::Segment]) -> Vec<Mark> {
    let us = |t: std::time::SystemTime| {
        t.duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_micros()).unwrap_or(i64::MAX))
    };
    let mut spacings: Vec<i64> = segments
        .windows(2)
        .map(|w| us(w[1].start) - us(w[0].start))
        .collect();
    spacings.sort_unstable();
    let Some(&usual) = spacings.get(spacings.len() / 2) else {
        return Vec::new();
    };
    segments
        .windows(2)
        .filter_map(|w| {
            let (a, b) = (us(w[0].start), us(w[1].start));
            (b - a > (usual as f64 * GAP_FACTOR) as i64).then(|| Mark {
                at: a + usual,
                kind: MarkKind::Outage { until: b },
                label: format!(
                    "{camera}: no recording for {:.0} s",
                    (b - a - usual) as f64 / 1e6
                ),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};
    use watchfloor_media::record::Segment;

    #[test]
    fn a_late_segment_is_an_outage_and_back_to_back_ones_are_not() {
        let seg = |s: u64| Segment {
            path: format!("{s}.mkv").into(),
            start: UNIX_EPOCH + Duration::from_secs(s),
            bytes: 1,
        };
        let segments = [seg(100), seg(110), seg(121), seg(200), seg(210)];
        let gaps = gaps("cam-1", &segments);
        assert_eq!(gaps.len(), 1, "{gaps:?}");
        assert_eq!(gaps[0].at, 132_000_000);
        assert_eq!(gaps[0].kind, MarkKind::Outage { until: 200_000_000 });
        assert!(gaps[0].label.contains("cam-1: no recording for 68 s"));
    }
}
