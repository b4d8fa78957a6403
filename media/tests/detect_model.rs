//! The real model on real frames: the `vtest` plaza clip decoded by our
//! ingest (GStreamer), run through the bundled `SSDLite` model. The clip shows
//! about five people walking and two parked cars.

use std::time::{Duration, Instant};

use watchfloor_media::camera::{Camera, CameraId, Source};
use watchfloor_media::detect::descriptor::ModelDescriptor;
use watchfloor_media::detect::detector::{Detector, DetectorOptions};
use watchfloor_media::detect::preprocess::PlanarImage;
use watchfloor_media::ingest::{CameraIngest, Frame, IngestOptions};

fn frames_of_vtest(count: usize) -> Vec<Frame> {
    let path = watchfloor_media::assets::assets_dir()
        .expect("assets")
        .join("footage/vtest-plaza.mp4");
    let camera = Camera {
        id: CameraId::new("vtest"),
        name: "vtest".into(),
        source: Source::File { path },
        sub_source: None,
        lonlat: None,
        heading_deg: None,
        fov_deg: None,
        note: None,
    };
    let ingest = CameraIngest::start(camera, IngestOptions::default(), 1, None, None)
        .expect("ingest starts");
    let mailbox = ingest.consumer(0).expect("consumer");
    let mut frames: Vec<Frame> = Vec::new();
    let end = Instant::now() + Duration::from_secs(60);
    while frames.len() < count && Instant::now() < end {
        if let Some(f) = mailbox.take() {
            // Frames ~2.5 s apart (the clip runs at 10 fps): different moments.
            if frames.last().is_none_or(|last| f.seq() >= last.seq() + 25) {
                frames.push(f);
            }
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    assert_eq!(frames.len(), count, "decoded frames of the vtest clip");
    frames
}

#[test]
fn the_model_finds_the_people_and_cars_of_the_plaza() {
    let descriptor = ModelDescriptor::bundled().expect("bundled model");
    let mut detector = Detector::open(
        descriptor,
        &DetectorOptions {
            threads: 2,
            classes: None,
            max_batch: 4,
        },
    )
    .expect("model opens (run scripts/setup.sh for ONNX Runtime)");
    let frames = frames_of_vtest(4);
    let images: Vec<PlanarImage<'_>> = frames
        .iter()
        .map(|f| PlanarImage::of(f).expect("planes"))
        .collect();
    // All four in one batched inference, and the first alone: same answer.
    let batched = detector.detect(&images).expect("batched inference");
    let single = detector.detect(&images[..1]).expect("single inference");
    assert_eq!(batched[0].len(), single[0].len());
    let d = detector.descriptor().clone();
    let mut persons = 0;
    let mut cars = 0;
    let mut seen = Vec::new();
    for (i, dets) in batched.iter().enumerate() {
        let names: Vec<&str> = dets.iter().map(|x| d.class_name(x.class)).collect();
        for det in dets {
            assert!(det.score >= 0.5, "{det:?}");
            assert!(det.bbox.x0 >= 0.0 && det.bbox.x1 <= 1.0 && det.bbox.area() > 0.0);
            let name = d.class_name(det.class);
            assert!(
                d.enabled.iter().any(|e| e == name),
                "only enabled classes: {name}"
            );
        }
        seen.push(format!("frame {}: {names:?}", frames[i].seq()));
        persons += names.iter().filter(|&&n| n == "person").count();
        cars += names.iter().filter(|&&n| n == "car").count();
    }
    let frames_n = batched.len() as f64;
    let (persons, cars) = (persons as f64 / frames_n, cars as f64 / frames_n);
    assert!(
        (3.0..=9.0).contains(&persons),
        "about 5 persons per frame, got {persons}: {seen:?}"
    );
    assert!(
        (1.0..=4.0).contains(&cars),
        "about 2 parked cars per frame, got {cars}: {seen:?}"
    );
}

#[test]
fn a_missing_model_is_a_clear_error() {
    let mut descriptor = ModelDescriptor::bundled().expect("bundled model");
    descriptor.model = "/nonexistent/model.onnx".into();
    let err = Detector::open(descriptor, &DetectorOptions::default()).expect_err("missing");
    let text = err.to_string();
    assert!(
        text.contains("/nonexistent/model.onnx") && text.contains("not found"),
        "{text}"
    );
}
