//! Helpers shared by the media integration tests.

#![allow(dead_code, reason = "each test binary uses a different subset")]

use std::path::Path;
use std::time::{Duration, Instant};

use watchfloor_media::camera::{Camera, CameraId, RtspTransport, Source};
use watchfloor_media::sim::{Encoding, SimOptions};

/// A camera `id` reading `url` over RTSP/TCP with a short jitter buffer.
pub fn camera(id: &str, url: &str) -> Camera {
    Camera {
        id: CameraId::new(id),
        name: id.to_owned(),
        source: Source::parse(
            url,
            RtspTransport::Tcp,
            Duration::from_millis(50),
            Path::new("."),
        )
        .expect("valid url"),
        sub_source: None,
        lonlat: None,
        heading_deg: None,
        fov_deg: None,
        note: None,
    }
}

/// Polls `f` every 20 ms until it is true or `timeout` passes.
pub fn wait_until(timeout: Duration, mut f: impl FnMut() -> bool) -> bool {
    let end = Instant::now() + timeout;
    while Instant::now() < end {
        if f() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    f()
}

/// `count` small simulated cameras (320×180, 15 fps, 6-s loop) on `port`
/// (0 picks a free one).
pub fn sim_options(count: usize, port: u16) -> SimOptions {
    SimOptions {
        count,
        port,
        encoding: Encoding {
            width: 320,
            height: 180,
            fps: 15,
            seconds: 6,
        },
        offset_step_s: 2,
    }
}
