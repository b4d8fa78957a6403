//! Multi-object tracking within one camera, SORT/ByteTrack style.
//!
//! Tracks follow positions and sizes only: no appearance features and no
//! re-identification across cameras (privacy rule). Each track's centre runs a
//! constant-velocity alpha-beta filter and its size is smoothed. Every update
//! predicts all tracks to the frame's time, then matches detections to the
//! predicted boxes by intersection over union (greedy, highest first,
//! classes must agree) in two stages: high-score detections against all
//! tracks, then low-score detections against the confirmed tracks still
//! unmatched (as `ByteTrack` does).

use std::collections::VecDeque;

use super::types::{BBox, Detection};

/// How many (time, foot point) samples a track keeps.
pub const FOOT_HISTORY_LEN: usize = 64;

/// Alpha: share of the position residual taken into the estimate.
const POSITION_GAIN: f32 = 0.7;
/// Beta: share of the residual (per second) taken into the velocity.
const VELOCITY_GAIN: f32 = 0.3;
/// Share of the size residual taken into the box size.
const SIZE_GAIN: f32 = 0.5;
/// Shortest gap between matches that updates the velocity, seconds.
const MIN_DT_S: f64 = 1e-3;

/// Thresholds and timings of the tracker.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TrackerConfig {
    /// Detections at or above this score are matched first and may start tracks.
    pub high_score: f32,
    /// Detections below this score are ignored; between the two they only
    /// keep confirmed tracks alive (the `ByteTrack` second stage).
    pub low_score: f32,
    /// Least intersection over union between a predicted box and a detection for a match.
    pub match_iou: f32,
    /// A track unseen for longer than this is dropped, seconds.
    pub max_missed_s: f64,
    /// Matches needed before a track is confirmed.
    pub min_hits: u32,
}

impl Default for TrackerConfig {
    fn default() -> Self {
        Self {
            high_score: 0.5,
            low_score: 0.2,
            match_iou: 0.3,
            max_missed_s: 1.5,
            min_hits: 2,
        }
    }
}

/// One tracked object.
#[derive(Debug, Clone, PartialEq)]
pub struct Track {
    /// Identifier, unique within its tracker, increasing from 1.
    pub id: u64,
    /// Class index of the detections that started it.
    pub class: u32,
    /// Current estimate: filtered when matched, predicted while coasting.
    pub bbox: BBox,
    /// Score of the last matched detection.
    pub score: f32,
    /// Smoothed velocity of the box centre, normalised units per second.
    pub velocity: [f32; 2],
    /// When the track started, seconds.
    pub first_seen_s: f64,
    /// When a detection last matched it, seconds.
    pub last_seen_s: f64,
    /// How many detections matched it (the first one included).
    pub hits: u32,
    /// Whether it has had `min_hits` matches.
    pub confirmed: bool,
    /// (time in seconds, foot point) at each match, oldest first, at most
    /// [`FOOT_HISTORY_LEN`] entries.
    pub foot_history: VecDeque<(f64, [f32; 2])>,
}

impl Track {
    /// A new, unconfirmed track from its first detection.
    pub fn new(id: u64, detection: &Detection, now_s: f64) -> Self {
        let mut foot_history = VecDeque::with_capacity(FOOT_HISTORY_LEN);
        foot_history.push_back((now_s, detection.bbox.foot()));
        Self {
            id,
            class: detection.class,
            bbox: detection.bbox,
            score: detection.score,
            velocity: [0.0, 0.0],
            first_seen_s: now_s,
            last_seen_s: now_s,
            hits: 1,
            confirmed: false,
            foot_history,
        }
    }

    /// The current foot point: bottom centre of the estimated box.
    pub fn foot(&self) -> [f32; 2] {
        self.bbox.foot()
    }

    /// Whether no detection matched it at `now_s` (it is being predicted).
    pub fn is_coasting(&self, now_s: f64) -> bool {
        self.last_seen_s < now_s
    }

    /// Mean foot speed, normalised units per second, between the newest
    /// history sample and the oldest one at most `window_s` older; `None`
    /// when the window holds fewer than two samples.
    pub fn foot_speed(&self, window_s: f64) -> Option<f32> {
        let &(t1, [x1, y1]) = self.foot_history.back()?;
        let &(t0, [x0, y0]) = self
            .foot_history
            .iter()
            .find(|(t, _)| t1 - *t <= window_s)?;
        let dt = t1 - t0;
        (dt > 0.0).then(|| (x1 - x0).hypot(y1 - y0) / dt as f32)
    }

    /// Moves the box along its velocity by `dt_s` seconds.
    fn predict(&mut self, dt_s: f64) {
        let dt = dt_s as f32;
        let [cx, cy] = self.bbox.centre();
        let [vx, vy] = self.velocity;
        self.bbox = BBox::from_centre(
            cx + vx * dt,
            cy + vy * dt,
            self.bbox.width(),
            self.bbox.height(),
        );
    }

    /// Takes a matched detection into the estimate.
    fn correct(&mut self, now_s: f64, detection: &Detection, min_hits: u32) {
        let [px, py] = self.bbox.centre();
        let [mx, my] = detection.bbox.centre();
        let (rx, ry) = (mx - px, my - py);
        // The second sighting sets position and velocity outright.
        let (alpha, beta) = if self.hits == 1 {
            (1.0, 1.0)
        } else {
            (POSITION_GAIN, VELOCITY_GAIN)
        };
        let gap = now_s - self.last_seen_s;
        if gap >= MIN_DT_S {
            let gap = gap as f32;
            self.velocity[0] += beta * rx / gap;
            self.velocity[1] += beta * ry / gap;
        }
        let (w, h) = (self.bbox.width(), self.bbox.height());
        self.bbox = BBox::from_centre(
            px + alpha * rx,
            py + alpha * ry,
            w + SIZE_GAIN * (detection.bbox.width() - w),
            h + SIZE_GAIN * (detection.bbox.height() - h),
        );
        self.score = detection.score;
        self.last_seen_s = now_s;
        self.hits = self.hits.saturating_add(1);
        self.confirmed |= self.hits >= min_hits;
        if self.foot_history.len() >= FOOT_HISTORY_LEN {
            self.foot_history.pop_front();
        }
        self.foot_history.push_back((now_s, self.bbox.foot()));
    }
}

/// Tracks the objects of one camera from frame to frame.
#[derive(Debug, Clone)]
pub struct Tracker {
    config: TrackerConfig,
    tracks: Vec<Track>,
    next_id: u64,
    last_update_s: Option<f64>,
}

impl Tracker {
    /// An empty tracker.
    pub fn new(config: TrackerConfig) -> Self {
        Self {
            config,
            tracks: Vec::new(),
            next_id: 1,
            last_update_s: None,
        }
    }

    /// Its configuration.
    pub fn config(&self) -> &TrackerConfig {
        &self.config
    }

    /// Takes one frame's detections at `now_s` (seconds, non-decreasing) and
    /// returns the live tracks, oldest first: matched ones, coasting ones
    /// (predicted, unseen for at most `max_missed_s`) and unconfirmed ones.
    pub fn update(&mut self, now_s: f64, detections: &[Detection]) -> &[Track] {
        let dt = self.last_update_s.map_or(0.0, |last| now_s - last);
        if dt > 0.0 {
            for track in &mut self.tracks {
                track.predict(dt);
            }
        }
        if dt >= 0.0 {
            self.last_update_s = Some(now_s);
        }

        let cfg = self.config;
        let usable = |d: &Detection| {
            let b = d.bbox;
            [b.x0, b.y0, b.x1, b.y1].iter().all(|v| v.is_finite()) && d.score >= cfg.low_score
        };
        let (high, low): (Vec<usize>, Vec<usize>) = (0..detections.len())
            .filter(|&i| usable(&detections[i]))
            .partition(|&i| detections[i].score >= cfg.high_score);

        // Stage 1: high-score detections against every track.
        let all: Vec<usize> = (0..self.tracks.len()).collect();
        let first = greedy_match(&self.tracks, &all, detections, &high, cfg.match_iou);
        let mut matched = vec![false; self.tracks.len()];
        let mut used = vec![false; detections.len()];
        for &(t, d) in &first {
            matched[t] = true;
            used[d] = true;
        }

        // Stage 2: low-score detections against confirmed tracks left over.
        let left: Vec<usize> = all
            .into_iter()
            .filter(|&t| !matched[t] && self.tracks[t].confirmed)
            .collect();
        let second = greedy_match(&self.tracks, &left, detections, &low, cfg.match_iou);

        for &(t, d) in first.iter().chain(&second) {
            self.tracks[t].correct(now_s, &detections[d], cfg.min_hits);
        }

        // Unmatched high-score detections start tracks.
        for &d in high.iter().filter(|&&d| !used[d]) {
            self.tracks
                .push(Track::new(self.next_id, &detections[d], now_s));
            self.next_id += 1;
        }

        self.tracks
            .retain(|t| now_s - t.last_seen_s <= cfg.max_missed_s);
        &self.tracks
    }

    /// The live tracks after the last update.
    pub fn tracks(&self) -> &[Track] {
        &self.tracks
    }
}

/// Greedy matching by intersection over union, highest first: pairs (track
/// index, detection index) of the same class overlapping by at least `min_iou`.
fn greedy_match(
    tracks: &[Track],
    track_ids: &[usize],
    detections: &[Detection],
    det_ids: &[usize],
    min_iou: f32,
) -> Vec<(usize, usize)> {
    let mut candidates: Vec<(f32, usize, usize)> = Vec::new();
    for &t in track_ids {
        for &d in det_ids {
            let det = &detections[d];
            if det.class != tracks[t].class {
                continue;
            }
            let iou = tracks[t].bbox.iou(&det.bbox);
            if iou >= min_iou {
                candidates.push((iou, t, d));
            }
        }
    }
    candidates.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut track_taken = vec![false; tracks.len()];
    let mut det_taken = vec![false; detections.len()];
    let mut pairs = Vec::new();
    for (_, t, d) in candidates {
        if !track_taken[t] && !det_taken[d] {
            track_taken[t] = true;
            det_taken[d] = true;
            pairs.push((t, d));
        }
    }
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn det(cx: f32, cy: f32, class: u32, score: f32) -> Detection {
        Detection {
            bbox: BBox::from_centre(cx, cy, 0.1, 0.2),
            class,
            score,
        }
    }

    fn ids(tracks: &[Track]) -> Vec<u64> {
        tracks.iter().map(|t| t.id).collect()
    }

    #[test]
    fn two_moving_objects_keep_their_ids() {
        let mut tracker = Tracker::new(TrackerConfig::default());
        for frame in 0..20 {
            let t = f64::from(frame) * 0.1;
            let s = frame as f32 * 0.02;
            // One moves right, one moves left and down; listed in swapped
            // order on odd frames so ids cannot follow list order.
            let a = det(0.1 + s, 0.3, 0, 0.9);
            let b = det(0.9 - s, 0.6 + s * 0.5, 0, 0.8);
            let dets = if frame % 2 == 0 {
                vec![a, b]
            } else {
                vec![b, a]
            };
            let tracks = tracker.update(t, &dets);
            assert_eq!(ids(tracks), vec![1, 2], "frame {frame}");
            assert!((tracks[0].foot()[0] - (0.1 + s)).abs() < 0.01);
            assert!((tracks[1].foot()[0] - (0.9 - s)).abs() < 0.01);
            assert_eq!(tracks[0].confirmed, frame >= 1);
        }
        let v = tracker.tracks()[0].velocity;
        assert!((v[0] - 0.2).abs() < 0.01 && v[1].abs() < 0.01, "{v:?}");
        assert_eq!(tracker.tracks()[0].hits, 20);
    }

    #[test]
    fn occluded_object_keeps_id_where_motion_predicts() {
        let mut tracker = Tracker::new(TrackerConfig::default());
        // 0.3 normalised units per second at 10 fps: 0.03 a frame, so the
        // five hidden frames move it 0.18, further than its 0.1 width.
        for frame in 0..10 {
            tracker.update(
                f64::from(frame) * 0.1,
                &[det(0.1 + frame as f32 * 0.03, 0.5, 0, 0.9)],
            );
        }
        for frame in 10..15 {
            let tracks = tracker.update(f64::from(frame) * 0.1, &[]);
            assert_eq!(ids(tracks), vec![1]);
            assert!(tracks[0].is_coasting(f64::from(frame) * 0.1));
        }
        // Coasting moved the box along.
        let predicted = tracker.tracks()[0].bbox.centre()[0];
        assert!(
            (predicted - (0.1 + 14.0 * 0.03)).abs() < 0.01,
            "{predicted}"
        );
        let tracks = tracker.update(1.5, &[det(0.1 + 15.0 * 0.03, 0.5, 0, 0.9)]);
        assert_eq!(ids(tracks), vec![1]);
        assert!(!tracks[0].is_coasting(1.5));
        assert_eq!(tracks[0].hits, 11);
    }

    #[test]
    fn track_dropped_after_max_missed() {
        let mut tracker = Tracker::new(TrackerConfig::default());
        tracker.update(0.0, &[det(0.5, 0.5, 0, 0.9)]);
        tracker.update(0.1, &[det(0.5, 0.5, 0, 0.9)]);
        assert_eq!(
            tracker.update(1.6, &[]).len(),
            1,
            "1.5 s unseen is still live"
        );
        assert!(tracker.update(1.7, &[]).is_empty());
        // A later sighting starts a new track.
        assert_eq!(ids(tracker.update(1.8, &[det(0.5, 0.5, 0, 0.9)])), vec![2]);
    }

    #[test]
    fn class_mismatch_does_not_match() {
        let mut tracker = Tracker::new(TrackerConfig::default());
        tracker.update(0.0, &[det(0.5, 0.5, 0, 0.9)]);
        let tracks = tracker.update(0.1, &[det(0.5, 0.5, 3, 0.9)]);
        assert_eq!(ids(tracks), vec![1, 2]);
        assert_eq!((tracks[0].class, tracks[0].hits), (0, 1));
        assert_eq!((tracks[1].class, tracks[1].hits), (3, 1));
    }

    #[test]
    fn low_score_detection_keeps_confirmed_track_alive() {
        let mut tracker = Tracker::new(TrackerConfig::default());
        tracker.update(0.0, &[det(0.5, 0.5, 0, 0.9)]);
        tracker.update(0.1, &[det(0.5, 0.5, 0, 0.9)]);
        for frame in 2..40 {
            let t = f64::from(frame) * 0.1;
            let tracks = tracker.update(t, &[det(0.5, 0.5, 0, 0.3)]);
            assert_eq!(ids(tracks), vec![1], "frame {frame}");
            assert!((tracks[0].last_seen_s - t).abs() < 1e-9);
        }
        // Below low_score it is ignored, and the track ends.
        assert_eq!(tracker.update(4.0, &[det(0.5, 0.5, 0, 0.1)]).len(), 1);
        assert!(tracker.update(5.5, &[det(0.5, 0.5, 0, 0.1)]).is_empty());
    }

    #[test]
    fn low_score_detection_neither_starts_nor_confirms_tracks() {
        let mut tracker = Tracker::new(TrackerConfig::default());
        assert!(tracker.update(0.0, &[det(0.5, 0.5, 0, 0.3)]).is_empty());
        tracker.update(0.1, &[det(0.5, 0.5, 0, 0.9)]);
        let tracks = tracker.update(0.2, &[det(0.5, 0.5, 0, 0.3)]);
        assert_eq!((tracks[0].hits, tracks[0].confirmed), (1, false));
    }

    #[test]
    fn foot_speed_over_window() {
        let mut track = Track::new(1, &det(0.5, 0.5, 0, 0.9), 0.0);
        assert_eq!(track.foot_speed(1.0), None);
        for i in 1..=30 {
            track
                .foot_history
                .push_back((f64::from(i) * 0.1, [0.5 + i as f32 * 0.01, 0.6]));
        }
        let speed = track.foot_speed(1.0).unwrap();
        assert!((speed - 0.1).abs() < 1e-3, "{speed}");
    }

    #[test]
    fn foot_history_is_bounded() {
        let mut tracker = Tracker::new(TrackerConfig::default());
        for frame in 0..100 {
            tracker.update(f64::from(frame) * 0.1, &[det(0.5, 0.5, 0, 0.9)]);
        }
        let history = &tracker.tracks()[0].foot_history;
        assert_eq!(history.len(), FOOT_HISTORY_LEN);
        assert!((history.back().unwrap().0 - 9.9).abs() < 1e-9);
    }
}
