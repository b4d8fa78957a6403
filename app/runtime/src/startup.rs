//! Start-up checks that touch the system (initialising GStreamer, opening the
//! ONNX Runtime library) run as a [`Job`] on their own named thread; the
//! console shows "checking…" until the report arrives and never waits for it.

use crate::job::Job;
pub use watchfloor_media::readiness::{Check, SystemReport};

/// The checks running in the background, and their report once it arrives.
pub type StartupChecks = Job<SystemReport>;

/// Starts the checks on a thread named `startup-checks`; `on_done` is
/// called after the report is in (the console passes a repaint request).
pub fn start_checks(on_done: impl FnOnce() + Send + 'static) -> std::io::Result<StartupChecks> {
    Job::start(
        "startup-checks",
        watchfloor_media::readiness::run_checks,
        on_done,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn checks_report_once_in_the_background() {
        let (done_tx, done_rx) = std::sync::mpsc::sync_channel(1);
        let mut checks = start_checks(move || {
            let _ = done_tx.send(());
        })
        .expect("spawn");
        let report = checks
            .wait_take(Duration::from_secs(30))
            .expect("report in time");
        assert!(matches!(report.video, Check::Ready(_)), "{report:?}");
        done_rx
            .recv_timeout(Duration::from_secs(5))
            .expect("on_done was called");
    }
}
