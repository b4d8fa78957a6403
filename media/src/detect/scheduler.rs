//! One detector budget shared by all cameras: which cameras to infer next.
//!
//! A camera is a candidate when it has an un-inferred frame with motion, or
//! when it has a new frame and its last inference is `idle_refresh_s` old.
//! Candidates that have waited `max_wait_s` go first, oldest first; the rest
//! by urgency = waiting time × (1 + its priority weights), except that a
//! slot goes to the longest-waiting camera instead when, at the inference
//! rate learned from the spacing of `next` calls, serving a more urgent one
//! first would push a camera past `max_wait_s` (earliest-deadline-first
//! with slack: priorities use only the spare capacity).

use std::cmp::Ordering;

/// Flags that make a camera more urgent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Priority {
    /// An alert is open near this camera.
    pub near_open_alert: bool,
    /// The camera watches a checkpoint.
    pub checkpoint: bool,
    /// The camera is shown on the video wall.
    pub on_wall: bool,
}

/// Scheduler settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SchedulerConfig {
    /// Fairness bound: a camera with motion that has waited this long goes first.
    pub max_wait_s: f64,
    /// A camera without motion still gets an inference this often.
    pub idle_refresh_s: f64,
    /// Urgency weight of [`Priority::near_open_alert`].
    pub near_open_alert_weight: f64,
    /// Urgency weight of [`Priority::checkpoint`].
    pub checkpoint_weight: f64,
    /// Urgency weight of [`Priority::on_wall`].
    pub on_wall_weight: f64,
}

impl Default for SchedulerConfig {
    fn default() -> Self {
        Self {
            max_wait_s: 2.0,
            idle_refresh_s: 10.0,
            near_open_alert_weight: 4.0,
            checkpoint_weight: 2.0,
            on_wall_weight: 1.0,
        }
    }
}

impl SchedulerConfig {
    /// Sum of the weights of the flags set.
    fn weight(&self, p: Priority) -> f64 {
        let flag = |on: bool, w: f64| if on { w } else { 0.0 };
        flag(p.near_open_alert, self.near_open_alert_weight)
            + flag(p.checkpoint, self.checkpoint_weight)
            + flag(p.on_wall, self.on_wall_weight)
    }
}

/// Scheduling state of one camera. Times are seconds on the caller's clock.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct CameraSlot {
    priority: Priority,
    /// First moving frame not yet inferred.
    motion_since: Option<f64>,
    /// Latest moving frame.
    last_motion: Option<f64>,
    /// First frame of any kind not yet inferred.
    frame_since: Option<f64>,
    /// Latest frame.
    last_frame: Option<f64>,
    last_inferred: Option<f64>,
    inferences: u64,
}

impl CameraSlot {
    /// Its priority flags.
    pub fn priority(&self) -> Priority {
        self.priority
    }

    /// When its oldest un-inferred moving frame was reported.
    pub fn motion_since(&self) -> Option<f64> {
        self.motion_since
    }

    /// When it was last inferred.
    pub fn last_inferred(&self) -> Option<f64> {
        self.last_inferred
    }

    /// Inferences so far.
    pub fn inferences(&self) -> u64 {
        self.inferences
    }

    /// Since when it has been waiting for an inference, if it is a candidate:
    /// since its motion, or since its idle refresh fell due with a new frame.
    fn waiting_since(&self, now_s: f64, idle_refresh_s: f64) -> Option<f64> {
        let idle_due = self
            .frame_since
            .map(|f| self.last_inferred.map_or(f, |t| f.max(t + idle_refresh_s)))
            .filter(|&due| due <= now_s);
        match (self.motion_since, idle_due) {
            (Some(m), Some(d)) => Some(m.min(d)),
            (m, d) => m.or(d),
        }
    }
}

/// Counters for the status view.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SchedulerStats {
    /// Inferences per camera index.
    pub inferences: Vec<u64>,
    /// Frames reported without motion, over all cameras.
    pub skipped_no_motion: u64,
}

/// Chooses which cameras the shared detector infers next.
#[derive(Debug, Clone)]
pub struct Scheduler {
    config: SchedulerConfig,
    slots: Vec<CameraSlot>,
    skipped_no_motion: u64,
    /// Time of the last `next` call and whether it chose anyone.
    last_call: Option<(f64, bool)>,
    /// Smoothed seconds between a `next` that chose cameras and the next call.
    period_s: Option<f64>,
}

/// A camera ready for inference, with its sort keys.
struct Candidate {
    camera: usize,
    /// When it started waiting; its deadline is this plus `max_wait_s`.
    since: f64,
    urgency: f64,
    last_inferred: f64,
}

/// Weight of a new sample in the learned inference period.
const PERIOD_SMOOTHING: f64 = 0.2;

impl Scheduler {
    /// A scheduler with no cameras.
    pub fn new(config: SchedulerConfig) -> Self {
        Self {
            config,
            slots: Vec::new(),
            skipped_no_motion: 0,
            last_call: None,
            period_s: None,
        }
    }

    /// Sets the number of cameras (indices `0..n`); existing ones keep their state.
    pub fn set_cameras(&mut self, n: usize) {
        self.slots.resize(n, CameraSlot::default());
    }

    /// Sets a camera's priority flags (unknown cameras are ignored).
    pub fn set_priority(&mut self, camera: usize, priority: Priority) {
        if let Some(slot) = self.slots.get_mut(camera) {
            slot.priority = priority;
        }
    }

    /// Records a newly observed frame and whether it moved.
    pub fn report_motion(&mut self, camera: usize, now_s: f64, moving: bool) {
        let Some(slot) = self.slots.get_mut(camera) else {
            return;
        };
        slot.frame_since.get_or_insert(now_s);
        slot.last_frame = Some(now_s);
        if moving {
            slot.motion_since.get_or_insert(now_s);
            slot.last_motion = Some(now_s);
        } else {
            self.skipped_no_motion += 1;
        }
    }

    /// Up to `max_batch` distinct cameras to infer now, in the order chosen.
    /// Call it when the detector is ready for a batch: the spacing of calls
    /// that chose cameras is taken as the inference period.
    pub fn next(&mut self, now_s: f64, max_batch: usize) -> Vec<usize> {
        self.learn_period(now_s);
        let (config, period) = (self.config, self.period_s.unwrap_or(0.0));
        let mut queue: Vec<Candidate> = self
            .slots
            .iter()
            .enumerate()
            .filter_map(|(camera, slot)| {
                let since = slot.waiting_since(now_s, config.idle_refresh_s)?;
                Some(Candidate {
                    camera,
                    since,
                    urgency: (now_s - since).max(0.0) * (1.0 + config.weight(slot.priority)),
                    last_inferred: slot.last_inferred.unwrap_or(f64::NEG_INFINITY),
                })
            })
            .collect();
        queue.sort_by(|a, b| a.since.total_cmp(&b.since).then_with(|| by_urgency(a, b)));
        let mut chosen = Vec::with_capacity(max_batch.min(queue.len()));
        while chosen.len() < max_batch && !queue.is_empty() {
            let urgent = (0..queue.len())
                .min_by(|&a, &b| by_urgency(&queue[a], &queue[b]))
                .unwrap_or(0);
            // Serving `urgent` delays everyone ahead of it in deadline order by one slot.
            let slot = chosen.len();
            let can_defer = queue[..urgent].iter().enumerate().all(|(k, c)| {
                let call = (slot + 1 + k) / max_batch;
                now_s + call as f64 * period <= c.since + config.max_wait_s
            });
            chosen.push(queue.remove(if can_defer { urgent } else { 0 }).camera);
        }
        self.last_call = Some((now_s, !chosen.is_empty()));
        chosen
    }

    /// Records an inference of `camera` on its frame at `now_s`; frames
    /// reported after `now_s` stay pending (counted from `now_s`).
    pub fn mark_inferred(&mut self, camera: usize, now_s: f64) {
        let Some(slot) = self.slots.get_mut(camera) else {
            return;
        };
        slot.last_inferred = Some(now_s);
        slot.inferences += 1;
        slot.motion_since = slot.last_motion.filter(|&t| t > now_s).map(|_| now_s);
        slot.frame_since = slot.last_frame.filter(|&t| t > now_s).map(|_| now_s);
    }

    /// Seconds since the camera's last inference; `None` if never (or unknown).
    pub fn freshness(&self, camera: usize, now_s: f64) -> Option<f64> {
        let last = self.slots.get(camera)?.last_inferred?;
        Some((now_s - last).max(0.0))
    }

    /// One camera's state.
    pub fn slot(&self, camera: usize) -> Option<&CameraSlot> {
        self.slots.get(camera)
    }

    /// Counters so far.
    pub fn stats(&self) -> SchedulerStats {
        SchedulerStats {
            inferences: self.slots.iter().map(|s| s.inferences).collect(),
            skipped_no_motion: self.skipped_no_motion,
        }
    }
}

impl Scheduler {
    /// Updates the inference period from the time since a busy `next` call.
    fn learn_period(&mut self, now_s: f64) {
        if let Some((prev, true)) = self.last_call
            && now_s > prev
        {
            let sample = now_s - prev;
            self.period_s = Some(
                self.period_s
                    .map_or(sample, |p| p + PERIOD_SMOOTHING * (sample - p)),
            );
        }
    }
}

/// Most urgent first; ties go to the camera inferred longest ago, then the
/// lower index.
fn by_urgency(a: &Candidate, b: &Candidate) -> Ordering {
    b.urgency
        .total_cmp(&a.urgency)
        .then_with(|| a.last_inferred.total_cmp(&b.last_inferred))
        .then(a.camera.cmp(&b.camera))
}

#[cfg(test)]
mod tests {
    use super::*;

    const STEP: f64 = 0.0625; // 16 inferences/s at batch 1

    /// Runs `seconds` of `n` cameras at one frame per step and one batch of
    /// `batch` per step. Returns inference times per camera and the longest
    /// wait of a moving frame that began waiting after `warmup` s, measured
    /// independently of the scheduler.
    fn simulate(
        s: &mut Scheduler,
        n: usize,
        seconds: f64,
        batch: usize,
        warmup: f64,
        moving: impl Fn(usize, f64) -> bool,
    ) -> (Vec<Vec<f64>>, f64) {
        s.set_cameras(n);
        let mut pending: Vec<Option<f64>> = vec![None; n];
        let mut times = vec![Vec::new(); n];
        let mut max_wait: f64 = 0.0;
        for k in 0..(seconds / STEP) as usize {
            let t = k as f64 * STEP;
            for (cam, p) in pending.iter_mut().enumerate() {
                let m = moving(cam, t);
                s.report_motion(cam, t, m);
                if m {
                    p.get_or_insert(t);
                }
            }
            let chosen = s.next(t, batch);
            assert!(chosen.len() <= batch);
            for &cam in &chosen {
                assert_eq!(chosen.iter().filter(|&&c| c == cam).count(), 1, "distinct");
                if let Some(since) = pending[cam].take().filter(|&since| since >= warmup) {
                    max_wait = max_wait.max(t - since);
                }
                times[cam].push(t);
                s.mark_inferred(cam, t);
            }
        }
        for (cam, p) in pending.iter().enumerate() {
            if let Some(since) = p {
                max_wait = max_wait.max(seconds - since);
                assert!(seconds - since < 3.0, "camera {cam} starved");
            }
        }
        (times, max_wait)
    }

    #[test]
    fn every_moving_camera_within_max_wait() {
        // 30 cameras at 16/s is 1.875 s per round: within the 2 s bound,
        // even with some priority cameras taking extra turns.
        let mut s = Scheduler::new(SchedulerConfig::default());
        s.set_cameras(30);
        for cam in 0..3 {
            s.set_priority(
                cam,
                Priority {
                    checkpoint: true,
                    ..Priority::default()
                },
            );
        }
        let (times, max_wait) = simulate(&mut s, 30, 60.0, 1, 0.0, |_, _| true);
        assert!(max_wait <= 2.0 + STEP, "max wait {max_wait}");
        assert!(times.iter().all(|t| t.len() >= 25), "{:?}", s.stats());
    }

    #[test]
    fn overload_degrades_to_round_robin() {
        // 40 cameras need 2.5 s at 16/s, so 2 s cannot hold; nobody starves.
        let mut s = Scheduler::new(SchedulerConfig::default());
        let (times, max_wait) = simulate(&mut s, 40, 60.0, 1, 0.0, |_, _| true);
        assert!(max_wait <= 40.0 * STEP + STEP, "max wait {max_wait}");
        let counts: Vec<usize> = times.iter().map(Vec::len).collect();
        let (lo, hi) = (counts.iter().min(), counts.iter().max());
        assert!(hi.zip(lo).is_some_and(|(h, l)| h - l <= 1), "{counts:?}");
    }

    #[test]
    fn intermittent_motion_of_40_cameras_within_max_wait() {
        // Each camera moves half the time (5 s on, 5 s off, staggered).
        let mut s = Scheduler::new(SchedulerConfig::default());
        let moving =
            |cam: usize, t: f64| (((t + cam as f64 * 0.25) / 5.0) as u64).is_multiple_of(2);
        let (_, max_wait) = simulate(&mut s, 40, 60.0, 1, 5.0, moving);
        assert!(max_wait <= 2.0 + STEP, "max wait {max_wait}");
    }

    #[test]
    fn priority_cameras_inferred_more_often() {
        let mut s = Scheduler::new(SchedulerConfig::default());
        s.set_cameras(24);
        s.set_priority(
            0,
            Priority {
                near_open_alert: true,
                ..Priority::default()
            },
        );
        s.set_priority(
            1,
            Priority {
                on_wall: true,
                checkpoint: true,
                ..Priority::default()
            },
        );
        let (times, max_wait) = simulate(&mut s, 24, 60.0, 1, 0.0, |_, _| true);
        let others = times[2..].iter().map(Vec::len).max().unwrap_or(0);
        assert!(
            times[0].len() > others + others / 2,
            "{} vs {others}",
            times[0].len()
        );
        assert!(times[1].len() > others, "{} vs {others}", times[1].len());
        assert!(max_wait <= 2.0 + STEP, "max wait {max_wait}");
    }

    #[test]
    fn still_camera_only_by_idle_refresh() {
        let mut s = Scheduler::new(SchedulerConfig::default());
        s.set_cameras(3); // camera 2 never reports a frame
        let (times, _) = simulate(&mut s, 2, 60.0, 2, 0.0, |cam, _| cam == 0);
        assert_eq!(times[1], vec![0.0, 10.0, 20.0, 30.0, 40.0, 50.0]);
        assert_eq!(times[0].len(), 960, "the moving camera every step");
        let stats = s.stats();
        assert_eq!(stats.skipped_no_motion, 960);
        assert_eq!(stats.inferences, vec![960, 6]);
        // Without motion and before the refresh is due, never chosen.
        let mut s = Scheduler::new(SchedulerConfig::default());
        s.set_cameras(3);
        s.report_motion(1, 0.0, false);
        assert_eq!(s.next(0.0, 4), vec![1]);
        s.mark_inferred(1, 0.0);
        s.report_motion(1, 5.0, false);
        assert!(s.next(9.9, 4).is_empty());
        assert_eq!(s.next(10.0, 4), vec![1]);
    }

    #[test]
    fn overdue_goes_first_oldest_first() {
        let mut s = Scheduler::new(SchedulerConfig::default());
        s.set_cameras(3);
        s.set_priority(
            2,
            Priority {
                near_open_alert: true,
                checkpoint: true,
                on_wall: true,
            },
        );
        s.report_motion(0, 0.0, true);
        s.report_motion(1, 0.5, true);
        s.report_motion(2, 1.5, true);
        // At 2.4 only 0 is overdue; then 2's urgency 0.9 × 8 beats 1's 1.9.
        assert_eq!(s.next(2.4, 3), vec![0, 2, 1]);
        // At 3.0 both 0 and 1 are overdue: oldest first, before priority.
        assert_eq!(s.next(3.0, 2), vec![0, 1]);
        assert!(s.next(3.0, 0).is_empty());
    }

    #[test]
    fn learned_period_serves_before_the_deadline() {
        let mut s = Scheduler::new(SchedulerConfig::default());
        s.set_cameras(2);
        s.set_priority(
            1,
            Priority {
                near_open_alert: true,
                ..Priority::default()
            },
        );
        s.report_motion(0, 0.0, true);
        s.report_motion(1, 0.5, true);
        assert_eq!(
            s.next(1.1, 1),
            vec![1],
            "no period known: urgency 0.6 × 5 beats 1.1"
        );
        // Period now 0.5 s: deferring camera 0 at 1.6 would serve it at 2.1 > 2.0.
        assert_eq!(s.next(1.6, 1), vec![0]);
        let mut s = Scheduler::new(SchedulerConfig::default());
        s.set_cameras(2);
        s.set_priority(
            1,
            Priority {
                near_open_alert: true,
                ..Priority::default()
            },
        );
        s.report_motion(0, 0.0, true);
        s.report_motion(1, 0.5, true);
        assert_eq!(s.next(1.1, 1), vec![1]);
        assert_eq!(s.next(1.2, 1), vec![1], "period 0.1 s leaves slack");
    }

    #[test]
    fn freshness_and_late_frames() {
        let mut s = Scheduler::new(SchedulerConfig::default());
        s.set_cameras(1);
        assert_eq!(s.freshness(0, 1.0), None);
        assert_eq!(s.freshness(5, 1.0), None);
        s.report_motion(0, 1.0, true);
        s.report_motion(0, 1.2, true); // arrives while the 1.0 frame is inferred
        s.mark_inferred(0, 1.0);
        assert_eq!(s.freshness(0, 3.5), Some(2.5));
        assert_eq!(s.slot(0).and_then(CameraSlot::motion_since), Some(1.0));
        s.mark_inferred(0, 1.3);
        assert_eq!(s.slot(0).and_then(CameraSlot::motion_since), None);
        assert_eq!(s.slot(0).map(CameraSlot::inferences), Some(2));
    }
}
