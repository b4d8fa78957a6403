//! Per-camera counters, written lock-free by GStreamer's streaming threads and
//! read by anyone; rates are computed by the camera's supervisor once a second.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use crate::health::CameraState;

/// Counters one camera's pipeline updates.
#[derive(Debug, Default)]
pub struct Counters {
    /// Encoded access units that reached the parser.
    pub received: AtomicU64,
    /// Encoded bytes that reached the parser.
    pub received_bytes: AtomicU64,
    /// Frames out of the decoder.
    pub decoded: AtomicU64,
    /// Frames replaced in the display mailbox before anyone took them.
    pub dropped: AtomicU64,
    /// Frames that left the decoder later than the late threshold after arriving.
    pub late: AtomicU64,
    /// Reconnect attempts after a failure.
    pub reconnects: AtomicU64,
}

/// A consistent view of one camera, for the wall, the lists and benchmarks.
#[derive(Debug, Clone, PartialEq)]
pub struct CameraStatus {
    /// Connection state.
    pub state: CameraState,
    /// Why it is offline (or the last failure), naming the camera; never
    /// contains credentials.
    pub last_error: Option<String>,
    /// Encoded access units received.
    pub received: u64,
    /// Frames decoded.
    pub decoded: u64,
    /// Frames dropped (replaced unseen in the display mailbox).
    pub dropped: u64,
    /// Frames decoded later than the late threshold.
    pub late: u64,
    /// Reconnect attempts.
    pub reconnects: u64,
    /// Decoded frames per second over the last second.
    pub fps: f64,
    /// Received bits per second over the last second.
    pub bitrate_bps: f64,
    /// Time since the newest frame was decoded, if any was.
    pub newest_frame_age: Option<Duration>,
}

/// Shared status: counters plus what the supervisor computes.
#[derive(Debug)]
pub struct StatusCell {
    pub(crate) counters: Counters,
    pub(crate) inner: Mutex<Computed>,
    /// Nanoseconds since `epoch` at which the newest frame was decoded (0 = none).
    pub(crate) newest_frame_ns: AtomicU64,
    pub(crate) epoch: Instant,
}

#[derive(Debug)]
pub(crate) struct Computed {
    pub state: CameraState,
    pub last_error: Option<String>,
    pub fps: f64,
    pub bitrate_bps: f64,
    window_start: Instant,
    window_decoded: u64,
    window_bytes: u64,
}

impl StatusCell {
    pub(crate) fn new() -> Self {
        let now = Instant::now();
        Self {
            counters: Counters::default(),
            inner: Mutex::new(Computed {
                state: CameraState::Connecting,
                last_error: None,
                fps: 0.0,
                bitrate_bps: 0.0,
                window_start: now,
                window_decoded: 0,
                window_bytes: 0,
            }),
            newest_frame_ns: AtomicU64::new(0),
            epoch: now,
        }
    }

    pub(crate) fn lock(&self) -> std::sync::MutexGuard<'_, Computed> {
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Marks a frame decoded now.
    pub(crate) fn frame_decoded(&self) {
        let ns = u64::try_from(self.epoch.elapsed().as_nanos())
            .unwrap_or(u64::MAX)
            .max(1);
        self.newest_frame_ns.store(ns, Ordering::Relaxed);
        self.counters.decoded.fetch_add(1, Ordering::Relaxed);
    }

    /// Time since the newest frame, if any.
    pub(crate) fn newest_frame_age(&self) -> Option<Duration> {
        match self.newest_frame_ns.load(Ordering::Relaxed) {
            0 => None,
            ns => Some(
                self.epoch
                    .elapsed()
                    .saturating_sub(Duration::from_nanos(ns)),
            ),
        }
    }

    /// Recomputes fps and bitrate when at least a second has passed.
    pub(crate) fn update_rates(&self) {
        let decoded = self.counters.decoded.load(Ordering::Relaxed);
        let bytes = self.counters.received_bytes.load(Ordering::Relaxed);
        let mut c = self.lock();
        let elapsed = c.window_start.elapsed();
        if elapsed >= Duration::from_secs(1) {
            let secs = elapsed.as_secs_f64();
            c.fps = (decoded - c.window_decoded) as f64 / secs;
            c.bitrate_bps = (bytes - c.window_bytes) as f64 * 8.0 / secs;
            c.window_start = Instant::now();
            c.window_decoded = decoded;
            c.window_bytes = bytes;
        }
    }

    pub(crate) fn set_state(&self, state: CameraState, error: Option<String>) {
        let mut c = self.lock();
        c.state = state;
        if error.is_some() {
            c.last_error = error;
        }
        if state != CameraState::Live {
            c.fps = 0.0;
            c.bitrate_bps = 0.0;
        }
    }

    pub(crate) fn snapshot(&self) -> CameraStatus {
        let c = self.lock();
        let n = &self.counters;
        CameraStatus {
            state: c.state,
            last_error: c.last_error.clone(),
            received: n.received.load(Ordering::Relaxed),
            decoded: n.decoded.load(Ordering::Relaxed),
            dropped: n.dropped.load(Ordering::Relaxed),
            late: n.late.load(Ordering::Relaxed),
            reconnects: n.reconnects.load(Ordering::Relaxed),
            fps: c.fps,
            bitrate_bps: c.bitrate_bps,
            newest_frame_age: self.newest_frame_age(),
        }
    }
}
