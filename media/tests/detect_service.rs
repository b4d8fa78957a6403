//! The detection service end to end on real components: the `vtest` plaza
//! clip decoded by our ingest (GStreamer), the bundled model, tracking, a
//! zone rule, and the alert with its JPEG evidence.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use watchfloor_media::camera::{Camera, CameraId, Source};
use watchfloor_media::detect::config;
use watchfloor_media::detect::descriptor::ModelDescriptor;
use watchfloor_media::detect::detector::{Detector, DetectorOptions};
use watchfloor_media::detect::service::{DetectInput, DetectionService, ServiceOptions};
use watchfloor_media::ingest::{CameraIngest, IngestOptions};

const RULES: &str = r#"
[[camera]]
id = "plaza"
zone = [{ id = "all", polygon = [[0, 0], [1, 0], [1, 1], [0, 1]] }]
line = [{ id = "middle", a = [0.5, 0], b = [0.5, 1] }]

[[camera.rule]]
id = "person-in-view"
name = "Person in view"
kind = "intrusion"
zone = "all"
classes = ["person"]
min_dwell_s = 0.5
severity = "medium"

[[camera.rule]]
id = "count"
name = "Crossing count"
kind = "line_crossing"
line = "middle"
severity = "low"
alert = false

[[camera.rule]]
id = "bus-crowd"
name = "Never: a crowd of buses"
kind = "crowd"
zone = "all"
classes = ["bus"]
min_count = 3
severity = "high"
"#;

#[test]
fn plaza_people_raise_a_zone_alert_with_a_jpeg_snapshot() {
    let descriptor = ModelDescriptor::bundled().expect("bundled model");
    let detector = Detector::open(descriptor.clone(), &DetectorOptions::default())
        .expect("model opens (run scripts/setup.sh for ONNX Runtime)");
    let mut rules = config::parse(RULES, Path::new("test-rules"), &descriptor);
    assert!(rules.problems.is_empty(), "{:?}", rules.problems);
    let path = watchfloor_media::assets::assets_dir()
        .expect("assets")
        .join("footage/vtest-plaza.mp4");
    let camera = Camera {
        id: CameraId::new("plaza"),
        name: "plaza".into(),
        source: Source::File { path },
        sub_source: None,
        lonlat: None,
        heading_deg: None,
        fov_deg: None,
        note: None,
    };
    let evidence = std::env::temp_dir().join(format!("wf-evidence-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&evidence);
    let ingest = CameraIngest::start(camera, IngestOptions::default(), 1, None, None)
        .expect("ingest starts");
    let service = DetectionService::start(
        detector,
        vec![DetectInput {
            camera: "plaza".into(),
            frames: Arc::clone(ingest.consumer(0).expect("consumer")),
            setup: rules.cameras.pop(),
        }],
        &ServiceOptions {
            evidence_dir: Some(evidence.clone()),
            ..ServiceOptions::default()
        },
        None,
    )
    .expect("service starts");

    let end = Instant::now() + Duration::from_secs(60);
    let mut alerts = Vec::new();
    while alerts.is_empty() && Instant::now() < end {
        std::thread::sleep(Duration::from_millis(100));
        alerts.extend(service.drain_alerts());
    }
    let alert = alerts.first().expect("a person-in-view alert within 60 s");
    assert_eq!(alert.camera, "plaza");
    assert_eq!(alert.rule, "person-in-view", "only the person rule alerts");
    assert!(!alert.boxes.is_empty() && !alert.tracks.is_empty());
    assert!(
        alert.latency < Duration::from_secs(5),
        "{:?}",
        alert.latency
    );
    // The evidence: a JPEG of the whole frame (640×360 from the ingest).
    let jpeg = &alert.snapshot_jpeg;
    assert_eq!(&jpeg[..2], &[0xFF, 0xD8], "JPEG");
    let sof = jpeg
        .windows(2)
        .position(|p| p == [0xFF, 0xC0])
        .expect("baseline JPEG");
    let height = u16::from_be_bytes([jpeg[sof + 5], jpeg[sof + 6]]);
    let width = u16::from_be_bytes([jpeg[sof + 7], jpeg[sof + 8]]);
    assert_eq!((width, height), (640, 360));
    // Written to disk by the evidence thread, under the alert's id.
    let file = alert.snapshot_file.as_deref().expect("snapshot written");
    assert_eq!(file, format!("evidence/{}.jpg", alert.id));
    let on_disk = std::fs::read(evidence.join(file)).expect("file");
    assert!(on_disk == *jpeg, "the file holds this alert's snapshot");
    let ids: std::collections::BTreeSet<&str> = alerts.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids.len(), alerts.len(), "alert ids are unique");

    // The wall's view: tracked people with stable ids, and fresh results.
    let view = service.views().remove("plaza").expect("plaza results");
    assert!(view.inferences >= 2);
    assert!(view.freshness().expect("inferred") < Duration::from_secs(5));
    assert!(
        view.boxes.iter().any(|b| b.class == "person"),
        "{:?}",
        view.boxes
    );
    // The counting rule keeps its counts (per-lane counts at checkpoints).
    assert_eq!(view.counts.len(), 1, "{:?}", view.counts);
    assert_eq!(view.counts[0].0, "Crossing count");
    let thumb = alert.thumbnail.as_ref().expect("a picture for the card");
    assert_eq!(thumb.rgba.len(), thumb.width * thumb.height * 4);
    let stats = service.stats();
    assert!(stats.runs >= 2 && stats.last_error.is_none(), "{stats:?}");
    assert_eq!(stats.alerts_dropped, 0);
}
