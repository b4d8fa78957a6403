//! Whether this machine can play video and run detection: initialising
//! GStreamer (and finding the elements camera pipelines need) and opening
//! the ONNX Runtime library. Touches the system, so callers run it off
//! their UI thread.

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
    let video = match crate::gst_probe::probe() {
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
    let detector = match crate::detect::onnx_runtime() {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// On a machine set up by `scripts/setup.sh`, both checks pass for real.
    #[test]
    fn checks_find_gstreamer_and_onnx_runtime() {
        let report = run_checks();
        assert!(
            matches!(&report.video, Check::Ready(v) if v.starts_with("GStreamer 1.")),
            "{report:?}"
        );
        assert!(
            matches!(&report.detector, Check::Ready(v) if v.starts_with("ONNX Runtime 1.")),
            "{report:?}"
        );
    }
}
