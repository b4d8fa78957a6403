//! Geofences drawn on the map apply across cameras: a tracked object whose
//! ground position (from its camera's homography) lies inside an emergency
//! ring raises one alert, with its evidence, through the live world.

use std::time::{Duration, Instant};

use watchfloor_layers::event::Event;
use watchfloor_layers::frame::LocalFrame;
use watchfloor_layers::model::{AlertSource, Ring};
use watchfloor_media::detect::BBox;
use watchfloor_media::detect::service::{CameraDetections, TrackBox};
use watchfloor_media::health::CameraState;
use watchfloor_media::stats::CameraStatus;
use watchfloor_runtime::camera_set::CameraView;
use watchfloor_runtime::detection::geofence_hits;
use watchfloor_runtime::feeds::FeedPorts;
use watchfloor_runtime::world::{LiveWorld, WorldOptions};

const CENTRE: [f64; 2] = [71.4304, 51.1283];

fn view(id: &str, boxes: Vec<TrackBox>) -> CameraView {
    CameraView {
        name: id.into(),
        note: None,
        status: CameraStatus {
            state: CameraState::Live,
            last_error: None,
            received: 0,
            decoded: 0,
            dropped: 0,
            late: 0,
            reconnects: 0,
            fps: 15.0,
            bitrate_bps: 0.0,
            newest_frame_age: None,
        },
        frame: None,
        id: id.into(),
        detections: Some(CameraDetections {
            boxes,
            last_inference: Some(Instant::now()),
            inferences: 1,
            frame_seq: 1,
            counts: Vec::new(),
            occupancy: Vec::new(),
            overlay: None,
        }),
        lonlat: None,
        recorded: None,
        recording: None,
    }
}

fn person(track: u64, ground: [f64; 2]) -> TrackBox {
    TrackBox {
        track,
        class: "person".into(),
        score: 0.9,
        bbox: BBox::new(0.4, 0.4, 0.5, 0.8),
        ground: Some(ground),
    }
}

#[test]
fn a_tracked_person_inside_an_emergency_ring_alerts_once() {
    let live = LiveWorld::start(
        WorldOptions {
            site: None,
            basemap: None,
            journal: None,
            recordings: std::env::temp_dir().join("watchfloor-unused-recordings"),
            ports: FeedPorts {
                cot_udp: None,
                cot_tcp: None,
                sa_multicast: None,
                mavlink_udp: None,
            },
            drone_keys: None,
            simulate: false,
        },
        || {},
    )
    .expect("starts");
    let frame = LocalFrame::new(CENTRE);
    live.submit(
        Event::RingDrawn(Ring::circle("e1", "Emergency 1", CENTRE, 200.0, &frame)),
        "test",
    )
    .expect("queued");
    let deadline = Instant::now() + Duration::from_secs(20);
    while live.world().state().rings.is_empty() {
        assert!(Instant::now() < deadline, "ring applied");
        std::thread::sleep(Duration::from_millis(20));
    }
    let views = [
        view(
            "cam-a",
            vec![
                person(1, frame.lonlat([50.0, 0.0])),
                person(2, frame.lonlat([500.0, 0.0])),
            ],
        ),
        view("cam-b", vec![person(1, frame.lonlat([0.0, -120.0]))]),
    ];
    let mut done = std::collections::BTreeSet::new();
    let hits = geofence_hits(&live, &views, &mut done);
    assert_eq!(
        hits,
        [
            ("cam-a".to_string(), 1, "e1".to_string()),
            ("cam-b".to_string(), 1, "e1".to_string())
        ],
        "inside only; the person 500 m away is not"
    );
    assert!(
        geofence_hits(&live, &views, &mut done).is_empty(),
        "once per track"
    );
    while live.world().state().alerts.len() < 2 {
        assert!(Instant::now() < deadline, "alerts applied");
        std::thread::sleep(Duration::from_millis(20));
    }
    let world = live.world();
    let alert = world
        .state()
        .alerts
        .get("geo-cam-a-1-e1")
        .expect("cam-a's alert");
    assert!(matches!(
        &alert.source,
        AlertSource::Detection { camera, rule } if camera == "cam-a" && rule == "geofence:e1"
    ));
}
