//! Checks, once at start-up, that GStreamer and the elements the console needs
//! are installed, so a missing plugin is reported by name instead of failing
//! later inside a camera pipeline.

use crate::MediaError;

/// Elements the console builds pipelines from, with what each is for.
pub const REQUIRED_ELEMENTS: &[(&str, &str)] = &[
    ("rtspsrc", "RTSP cameras"),
    ("rtph264depay", "H.264 over RTP"),
    ("rtph265depay", "H.265 over RTP"),
    ("h264parse", "H.264 parsing and recording"),
    ("parsebin", "video files"),
    ("tee", "recording beside decoding"),
    ("queue", "decoupling branches"),
    ("splitmuxsink", "recording segments"),
    ("avdec_h264", "H.264 software decode"),
    ("videoconvert", "pixel format conversion"),
    ("videoscale", "scaling frames to tile size"),
    ("appsink", "handing frames to the console"),
    ("matroskamux", "recording segments"),
    ("x264enc", "camera simulator and redacted exports"),
];

/// What the start-up check found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GstReport {
    /// GStreamer's own version string, e.g. "GStreamer 1.22.0".
    pub version: String,
    /// Required elements that are not installed, with what they are for.
    pub missing: Vec<(&'static str, &'static str)>,
}

impl GstReport {
    /// Whether every required element is present.
    pub fn is_complete(&self) -> bool {
        self.missing.is_empty()
    }
}

/// Initialises GStreamer (idempotent) and lists missing required elements.
pub fn probe() -> Result<GstReport, MediaError> {
    gstreamer::init().map_err(MediaError::GstInit)?;
    let missing = REQUIRED_ELEMENTS
        .iter()
        .filter(|(name, _)| gstreamer::ElementFactory::find(name).is_none())
        .copied()
        .collect();
    Ok(GstReport {
        version: gstreamer::version_string().to_string(),
        missing,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn probe_finds_the_installed_gstreamer_and_elements() {
        let report = probe().expect("GStreamer initialises");
        assert!(
            report.version.starts_with("GStreamer 1."),
            "{}",
            report.version
        );
        assert!(
            report.is_complete(),
            "missing elements: {:?} (run scripts/setup.sh)",
            report.missing
        );
    }
}
