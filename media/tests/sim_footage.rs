//! The simulator's footage variants are what their names say.

use std::path::{Path, PathBuf};

use gstreamer as gst;
use gstreamer::prelude::*;
use gstreamer_app as gst_app;
use watchfloor_media::sim::footage::{self, Encoding, Look, MARKET_STREET, Variant};

/// Luma of the first frame of an encoded variant in the cache.
fn first_luma(file: &Path, width: usize) -> Vec<u8> {
    let pipeline = gst::parse::launch(&format!(
        "filesrc location={} ! tsdemux ! h264parse ! avdec_h264 ! videoconvert ! \
         video/x-raw,format=GRAY8 ! appsink name=out sync=false",
        file.display()
    ))
    .expect("pipeline")
    .downcast::<gst::Pipeline>()
    .expect("a pipeline");
    let sink = pipeline
        .by_name("out")
        .and_then(|e| e.downcast::<gst_app::AppSink>().ok())
        .expect("appsink");
    pipeline.set_state(gst::State::Playing).expect("play");
    let sample = sink
        .try_pull_sample(gst::ClockTime::from_seconds(20))
        .expect("a frame");
    let buffer = sample.buffer().expect("buffer");
    let map = buffer.map_readable().expect("map");
    let info = gstreamer_video::VideoInfo::from_caps(sample.caps().expect("caps")).expect("info");
    let stride = info.stride()[0] as usize;
    let luma = map
        .chunks(stride)
        .flat_map(|row| row[..width].to_vec())
        .collect();
    pipeline.set_state(gst::State::Null).expect("stop");
    luma
}

fn cached(cache: &Path, look: &str) -> PathBuf {
    std::fs::read_dir(cache)
        .expect("cache")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.to_string_lossy().contains(look) && p.extension().is_some_and(|x| x == "ts"))
        .expect("variant file")
}

#[test]
fn the_mirrored_variant_is_the_original_flipped() {
    gst::init().expect("gst");
    let assets = watchfloor_media::assets::assets_dir().expect("assets");
    let cache =
        Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("footage-{}", std::process::id()));
    let enc = Encoding {
        width: 160,
        height: 90,
        fps: 5,
        seconds: 2,
    };
    for look in [Look::Original, Look::Mirrored] {
        let variant = Variant {
            clip: MARKET_STREET,
            look,
        };
        let units = footage::prepare(&variant, &enc, &assets, &cache).expect("prepare");
        assert!(units[0].keyframe, "footage starts on a keyframe");
    }
    let (w, h) = (160_usize, 90_usize);
    let original = first_luma(&cached(&cache, "original"), w);
    let mirrored = first_luma(&cached(&cache, "mirrored"), w);
    let mean_diff = |flip: bool| {
        let mut total = 0_u64;
        for y in 0..h {
            for x in 0..w {
                let mx = if flip { w - 1 - x } else { x };
                total += u64::from(original[y * w + x].abs_diff(mirrored[y * w + mx]));
            }
        }
        total as f64 / (w * h) as f64
    };
    let (as_flipped, as_is) = (mean_diff(true), mean_diff(false));
    assert!(
        as_flipped * 3.0 < as_is,
        "mirrored variant is not a flip: |diff| flipped {as_flipped:.1}, as is {as_is:.1}"
    );
    std::fs::remove_dir_all(&cache).expect("cleanup");
}
