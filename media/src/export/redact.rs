//! Redaction of people in exported video: the detector (class `person`
//! only) runs on every `detect_every`-th frame, the `IoU` tracker carries the
//! boxes across the frames between (so they move with the people; those
//! frames also take the boxes of the inferences on either side), and each
//! box, grown a little, is blurred beyond recognition. Generic class
//! only: no faces, no appearance, no re-identification.

use std::time::Instant;

use super::ExportError;
use super::pixels::{I420Mut, blur_box, expand, merge_overlapping};
use crate::MediaError;
use crate::detect::BBox;
use crate::detect::descriptor::ModelDescriptor;
use crate::detect::detector::{Detector, DetectorOptions};
use crate::detect::tracker::{Tracker, TrackerConfig};

/// How people are found and blurred.
#[derive(Debug, Clone, PartialEq)]
pub struct RedactOptions {
    /// Run the detector on every n-th frame (1 = every frame); the tracker
    /// moves the boxes in between. Default 2: with the look-ahead it
    /// covered every person the model finds in every frame of the plaza
    /// test (3 did not), at about twice the speed of 1.
    pub detect_every: u32,
    /// Person detections at or above this score are blurred (lower than
    /// the alerting threshold: blurring too much is the safe mistake).
    pub score_threshold: f32,
    /// Each box grows by this share of its size on every side.
    pub expand: f32,
    /// Smallest blur block, luma pixels.
    pub min_block_px: usize,
    /// ONNX Runtime intra-op threads.
    pub threads: usize,
}

impl Default for RedactOptions {
    fn default() -> Self {
        Self {
            detect_every: 2,
            score_threshold: 0.3,
            expand: 0.1,
            min_block_px: 16,
            threads: 2,
        }
    }
}

/// What redaction did so far.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct RedactStats {
    /// Frames redacted.
    pub frames: u64,
    /// Inferences run.
    pub inferences: u64,
    /// Boxes blurred, over all frames.
    pub boxes: u64,
    /// Seconds spent in the detector.
    pub detect_s: f64,
}

/// The person detector and its settings, opened once per export.
pub struct Redactor {
    detector: Detector,
    options: RedactOptions,
    stats: RedactStats,
}

impl std::fmt::Debug for Redactor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Redactor")
            .field("options", &self.options)
            .field("stats", &self.stats)
            .finish_non_exhaustive()
    }
}

impl Redactor {
    /// Opens `descriptor`'s model to find people only.
    pub fn open(
        mut descriptor: ModelDescriptor,
        options: RedactOptions,
    ) -> Result<Self, MediaError> {
        descriptor.score_threshold = descriptor.score_threshold.min(options.score_threshold);
        let detector = Detector::open(
            descriptor,
            &DetectorOptions {
                threads: options.threads,
                classes: Some(vec!["person".to_owned()]),
                max_batch: 1,
            },
        )?;
        Ok(Self {
            detector,
            options,
            stats: RedactStats::default(),
        })
    }

    /// Opens the model shipped in `assets/`.
    pub fn bundled(options: RedactOptions) -> Result<Self, MediaError> {
        let descriptor = ModelDescriptor::bundled()?;
        Self::open(descriptor, options)
    }

    /// Its settings.
    pub fn options(&self) -> &RedactOptions {
        &self.options
    }

    /// What it did so far.
    pub fn stats(&self) -> RedactStats {
        self.stats
    }

    /// Starts a clip: a fresh tracker, the first frame inferred.
    pub fn clip<T: Picture>(&mut self) -> ClipRedaction<'_, T> {
        let threshold = self.detector.descriptor().score_threshold;
        ClipRedaction {
            redactor: self,
            tracker: Tracker::new(TrackerConfig {
                high_score: threshold,
                low_score: threshold,
                ..TrackerConfig::default()
            }),
            frame: 0,
            waiting: Vec::new(),
            last: Vec::new(),
        }
    }
}

/// A decoded picture redaction can write into (a mapped video frame in
/// the export, anything with I420 planes elsewhere).
pub trait Picture {
    /// Its planes, or `None` if it is not a usable I420 picture.
    fn planes(&mut self) -> Option<I420Mut<'_>>;
}

/// A frame between two inferences, waiting for the next one.
struct Waiting<T> {
    frame: T,
    /// Its time, seconds into the clip.
    at_s: f64,
    /// Where the tracker predicted people at its time.
    predicted: Vec<BBox>,
}

/// Redaction of one clip's frames, in order. Frames between inferences
/// wait for the next inference and are blurred where the tracker predicts
/// people *and* where people were at the inferences on either side, so a
/// box that lags or leads the person still covers them.
pub struct ClipRedaction<'a, T> {
    redactor: &'a mut Redactor,
    tracker: Tracker,
    frame: u64,
    waiting: Vec<Waiting<T>>,
    /// Boxes blurred at the last inference.
    last: Vec<BBox>,
}

impl<T: Picture> ClipRedaction<'_, T> {
    /// Takes the next frame (at `at_s` seconds into the clip); returns the
    /// frames now blurred, in order (none while it waits for an inference).
    pub fn push(&mut self, frame: T, at_s: f64) -> Result<Vec<T>, ExportError> {
        let every = u64::from(self.redactor.options.detect_every.max(1));
        let infer = self.frame.is_multiple_of(every);
        self.frame += 1;
        if !infer {
            self.tracker.update(at_s, &[]);
            let predicted = self.tracker.tracks().iter().map(|t| t.bbox).collect();
            self.waiting.push(Waiting {
                frame,
                at_s,
                predicted,
            });
            return Ok(Vec::new());
        }
        self.infer(frame, at_s)
    }

    /// The frames still waiting at the end of the clip: the last one is
    /// inferred (nobody who only appears at the end is left out), and all
    /// are blurred as between two inferences.
    pub fn finish(mut self) -> Result<Vec<T>, ExportError> {
        match self.waiting.pop() {
            Some(last) => self.infer(last.frame, last.at_s),
            None => Ok(Vec::new()),
        }
    }

    /// Infers `frame` and blurs it and the frames waiting before it.
    fn infer(&mut self, mut frame: T, at_s: f64) -> Result<Vec<T>, ExportError> {
        let found = self.detect(&mut frame, at_s)?;
        // This frame's detections, and tracks no detection matched now
        // (people the detector missed in this frame).
        let mut now = found.clone();
        now.extend(
            self.tracker
                .tracks()
                .iter()
                .filter(|t| t.is_coasting(at_s))
                .map(|t| t.bbox),
        );
        let mut ready = Vec::with_capacity(self.waiting.len() + 1);
        for mut w in std::mem::take(&mut self.waiting) {
            w.predicted.extend(self.last.iter().chain(&found).copied());
            self.blur(&mut w.frame, &w.predicted)?;
            ready.push(w.frame);
        }
        self.blur(&mut frame, &now)?;
        ready.push(frame);
        self.last = now;
        Ok(ready)
    }

    /// Runs the detector on `frame` and feeds the tracker; returns the
    /// person boxes found.
    fn detect(&mut self, frame: &mut T, at_s: f64) -> Result<Vec<BBox>, ExportError> {
        let picture = frame.planes().ok_or_else(not_i420)?;
        let started = Instant::now();
        let found = self.redactor.detector.detect(&[picture.as_image()])?;
        let detections = found.into_iter().next().unwrap_or_default();
        let stats = &mut self.redactor.stats;
        stats.detect_s += started.elapsed().as_secs_f64();
        stats.inferences += 1;
        self.tracker.update(at_s, &detections);
        Ok(detections.iter().map(|d| d.bbox).collect())
    }

    /// Blurs `boxes` (each grown; overlapping ones merged) in `frame`.
    fn blur(&mut self, frame: &mut T, boxes: &[BBox]) -> Result<(), ExportError> {
        let mut picture = frame.planes().ok_or_else(not_i420)?;
        let options = &self.redactor.options;
        let merged = merge_overlapping(boxes.iter().map(|b| expand(*b, options.expand)).collect());
        for b in &merged {
            blur_box(&mut picture, *b, options.min_block_px);
        }
        self.redactor.stats.frames += 1;
        self.redactor.stats.boxes += merged.len() as u64;
        Ok(())
    }
}

fn not_i420() -> ExportError {
    ExportError::Picture("is not planar I420")
}
