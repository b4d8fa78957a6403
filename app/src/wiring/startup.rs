//! Start-up checks that touch the system (initialising GStreamer, opening the
//! ONNX Runtime library) run on their own named thread; the console shows
//! "checking…" until the report arrives and never waits for it.

use std::sync::mpsc::{self, Receiver};
use std::thread::JoinHandle;
use std::time::Duration;

/// The outcome of one check: what was found, or why it is unavailable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Check {
    /// Ready, with a short description (e.g. "GStreamer 1.22.0").
    Ready(String),
    /// Present but incomplete (e.g. GStreamer without an H.264 decoder).
    Degraded(String),
    /// Not usable, and why.
    Unavailable(String),
}

/// What the start-up checks found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SystemReport {
    /// GStreamer and the elements camera pipelines need.
    pub video: Check,
    /// The ONNX Runtime library that detection runs on.
    pub detector: Check,
}

/// Runs every check, on the calling thread.
pub fn run_checks() -> SystemReport {
    let video = match watchfloor_media::gst_probe::probe() {
        Ok(report) if report.is_complete() => Check::Ready(report.version),
        Ok(report) => {
            let missing: Vec<String> = report
                .missing
                .iter()
                .map(|(name, what)| format!("{name} ({what})"))
                .collect();
            Check::Degraded(format!(
                "{}; missing {}",
                report.version,
                missing.join(", ")
            ))
        }
        Err(e) => Check::Unavailable(e.to_string()),
    };
    let detector = match watchfloor_media::detect::onnx_runtime() {
        Ok(runtime) => Check::Ready(format!("ONNX Runtime {}", runtime.version())),
        Err(e) => Check::Unavailable(e.to_string()),
    };
    for (what, check) in [("video", &video), ("detector", &detector)] {
        match check {
            Check::Ready(s) => tracing::info!("{what}: {s}"),
            Check::Degraded(s) => tracing::warn!("{what}: {s}"),
            Check::Unavailable(s) => tracing::error!("{what} unavailable: {s}"),
        }
    }
    SystemReport { video, detector }
}

/// The checks running in the background, and their report once it arrives.
pub struct StartupChecks {
    report: Receiver<SystemReport>,
    thread: Option<JoinHandle<()>>,
}

impl StartupChecks {
    /// Starts the checks on a thread named `startup-checks`; `on_done` is
    /// called after the report is sent (the console passes a repaint request).
    pub fn spawn(on_done: impl FnOnce() + Send + 'static) -> std::io::Result<Self> {
        let (tx, rx) = mpsc::sync_channel(1);
        let thread = std::thread::Builder::new()
            .name("startup-checks".into())
            .spawn(move || {
                // The console may already be gone; then nobody needs the report.
                if tx.send(run_checks()).is_ok() {
                    on_done();
                }
            })?;
        Ok(Self {
            report: rx,
            thread: Some(thread),
        })
    }

    /// The report if it has arrived; never blocks.
    pub fn try_report(&self) -> Option<SystemReport> {
        self.report.try_recv().ok()
    }

    /// Waits up to `timeout` for the report (for headless screenshots only).
    pub fn wait_report(&self, timeout: Duration) -> Option<SystemReport> {
        self.report.recv_timeout(timeout).ok()
    }
}

impl Drop for StartupChecks {
    fn drop(&mut self) {
        if let Some(thread) = self.thread.take()
            && thread.join().is_err()
        {
            tracing::error!("the start-up checks thread panicked");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// On a machine set up by `scripts/setup.sh`, both checks pass for real.
    #[test]
    fn checks_find_gstreamer_and_onnx_runtime() {
        let (done_tx, done_rx) = mpsc::sync_channel(1);
        let checks = StartupChecks::spawn(move || {
            let _ = done_tx.send(());
        })
        .expect("spawn");
        let report = checks
            .wait_report(Duration::from_secs(30))
            .expect("report in time");
        assert!(
            matches!(&report.video, Check::Ready(v) if v.starts_with("GStreamer 1.")),
            "{report:?}"
        );
        assert!(
            matches!(&report.detector, Check::Ready(v) if v.starts_with("ONNX Runtime 1.")),
            "{report:?}"
        );
        done_rx
            .recv_timeout(Duration::from_secs(5))
            .expect("on_done was called");
    }
}
