//! Clips from real recordings: the plaza footage (real people walking)
//! recorded as a camera would be (640×360 H.264, a keyframe a second,
//! `splitmuxsink` + `matroskamux` segments named by Unix ms), cut, remuxed,
//! redacted and masked, then decoded again and compared with the original.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use gstreamer as gst;
use gstreamer::prelude::*;
use gstreamer_app as gst_app;
use gstreamer_video as gst_video;
use gstreamer_video::prelude::*;

use super::*;
use crate::detect::BBox;
use crate::detect::descriptor::ModelDescriptor;
use crate::detect::detector::{Detector, DetectorOptions};
use crate::detect::preprocess::PlanarImage;
use crate::ingest::PixelFormat;

/// Wall-clock time of the fixture's first frame.
const BASE_MS: u64 = 1_790_000_000_000;
const WIDTH: usize = 640;
const HEIGHT: usize = 360;

fn at_ms(ms: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_millis(ms)
}

/// The camera folder of the fixture: the plaza footage in 10-s segments,
/// made once and kept in the temporary folder for later runs.
fn recorded() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    gst::init().expect("gstreamer");
    DIR.get_or_init(|| {
        let camera = std::env::temp_dir().join("wf-export-media-fixture/cam-plaza");
        if list_segments(&camera).is_ok_and(|s| s.len() == 8) {
            return camera;
        }
        // Made aside and moved in place, so a run beside this one never
        // sees half a fixture.
        let making =
            std::env::temp_dir().join(format!("wf-export-media-making-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&making);
        std::fs::create_dir_all(&making).expect("fixture folder");
        record_plaza(&making);
        if !list_segments(&camera).is_ok_and(|s| s.len() == 8) {
            let _ = std::fs::remove_dir_all(&camera);
        }
        std::fs::create_dir_all(camera.parent().expect("parent")).expect("fixture folder");
        if std::fs::rename(&making, &camera).is_err() {
            let _ = std::fs::remove_dir_all(&making);
        }
        camera
    })
}

/// Encodes the plaza footage like a camera recording and names each
/// segment by its first frame's time.
fn record_plaza(camera: &Path) {
    gst::init().expect("gstreamer");
    let footage = crate::assets::assets_dir()
        .expect("assets")
        .join("footage/vtest-plaza.mp4");
    let pipeline = gst::parse::launch(&format!(
        "filesrc location=\"{}\" ! qtdemux ! h264parse ! avdec_h264 ! videoscale ! videoconvert \
         ! video/x-raw,format=I420,width={WIDTH},height={HEIGHT} \
         ! x264enc speed-preset=ultrafast key-int-max=10 bframes=0 bitrate=1500 ! h264parse \
         ! splitmuxsink muxer-factory=matroskamux max-size-time=10000000000 location=\"{}/frag%02d.mkv\"",
        footage.display(),
        camera.display()
    ))
    .expect("fixture pipeline");
    pipeline.set_state(gst::State::Playing).expect("plays");
    let bus = pipeline.bus().expect("bus");
    let msg = bus
        .timed_pop_filtered(
            gst::ClockTime::from_seconds(120),
            &[gst::MessageType::Eos, gst::MessageType::Error],
        )
        .expect("fixture finishes");
    assert!(matches!(msg.view(), gst::MessageView::Eos(_)), "{msg:?}");
    pipeline.set_state(gst::State::Null).expect("stops");
    let mut start = BASE_MS;
    for i in 0.. {
        let frag = camera.join(format!("frag{i:02}.mkv"));
        if !frag.exists() {
            break;
        }
        let length = crate::record::segment_duration(&frag).expect("segment duration");
        std::fs::rename(&frag, camera.join(format!("{start}.mkv"))).expect("rename");
        start += length.as_millis() as u64;
    }
}

/// One decoded picture: its time in the file and its planes (tight).
struct Decoded {
    at: Duration,
    y: Vec<u8>,
    u: Vec<u8>,
    v: Vec<u8>,
}

impl Decoded {
    fn planar(&self) -> PlanarImage<'_> {
        PlanarImage {
            format: PixelFormat::I420,
            width: WIDTH,
            height: HEIGHT,
            planes: [&self.y, &self.u, &self.v],
            strides: [WIDTH, WIDTH / 2, WIDTH / 2],
        }
    }
}

/// Pulls every sample of `file` through `tail` (after the parser) until
/// the end, with its time in the file.
fn pull_all(file: &Path, tail: &str) -> Vec<(Duration, gst::Sample)> {
    gst::init().expect("gstreamer");
    let pipeline = gst::parse::launch(&format!(
        "filesrc location=\"{}\" ! matroskademux ! h264parse ! {tail} ! appsink name=out sync=false",
        file.display()
    ))
    .expect("pipeline")
    .downcast::<gst::Pipeline>()
    .expect("a pipeline");
    let sink = pipeline
        .by_name("out")
        .and_then(|e| e.downcast::<gst_app::AppSink>().ok())
        .expect("appsink");
    pipeline.set_state(gst::State::Playing).expect("plays");
    let mut out = Vec::new();
    while let Some(sample) = sink.try_pull_sample(gst::ClockTime::from_seconds(10)) {
        out.push((clip::stream_time(&sample).expect("timestamp"), sample));
    }
    assert!(sink.is_eos(), "{} decodes to the end", file.display());
    pipeline.set_state(gst::State::Null).expect("stops");
    out
}

fn decode_all(file: &Path) -> Vec<Decoded> {
    pull_all(file, "avdec_h264 ! videoconvert ! video/x-raw,format=I420")
        .into_iter()
        .map(|(at, sample)| {
            let info = gst_video::VideoInfo::from_caps(sample.caps().expect("caps")).expect("info");
            let frame = gst_video::VideoFrameRef::from_buffer_ref_readable(
                sample.buffer().expect("buffer"),
                &info,
            )
            .expect("readable");
            let plane = |i: u32, w: usize, h: usize| {
                let stride = frame.plane_stride()[i as usize] as usize;
                let data = frame.plane_data(i).expect("plane");
                (0..h)
                    .flat_map(|r| data[r * stride..r * stride + w].iter().copied())
                    .collect::<Vec<u8>>()
            };
            Decoded {
                at,
                y: plane(0, WIDTH, HEIGHT),
                u: plane(1, WIDTH / 2, HEIGHT / 2),
                v: plane(2, WIDTH / 2, HEIGHT / 2),
            }
        })
        .collect()
}

fn segment_at(ms: u64) -> Segment {
    list_segments(recorded())
        .expect("segments")
        .into_iter()
        .rev()
        .find(|s| s.start <= at_ms(ms))
        .expect("a segment")
}

/// A fresh output folder of this run (removed by the test when it passes).
fn out_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("wf-export-media-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn the_fixture_segments_start_their_file_time_at_zero() {
    let segments = list_segments(recorded()).expect("segments");
    assert_eq!(segments.len(), 8, "{segments:?}");
    for s in &segments[..2] {
        let first = crate::record::decode_frame_at(&s.path, Duration::ZERO).expect("decodes");
        assert!(first < Duration::from_millis(50), "{first:?}");
    }
}

/// A range inside one segment: the clip starts at the keyframe at or
/// before the range, is named by that frame's time, lasts to the range's
/// end, plays, and holds the recorded H.264 access units byte for byte.
#[test]
fn remuxing_cuts_the_range_without_reencoding() {
    let (from, to) = (BASE_MS + 13_450, BASE_MS + 18_200);
    let out = out_dir("remux");
    let started = Instant::now();
    let clips = export_clips(
        recorded(),
        at_ms(from),
        at_ms(to),
        &out,
        &mut Edit::default(),
    )
    .expect("exported");
    let took = started.elapsed();
    assert_eq!(clips.len(), 1, "{clips:?}");
    let clip = &clips[0];
    assert!(!clip.reencoded);
    let start_ms = unix_ms(clip.start) as u64;
    assert_eq!(clip.path, out.join(format!("{start_ms}.mkv")));
    assert!(
        (from - 1_000..=from).contains(&start_ms),
        "starts at the keyframe before the range: {start_ms} vs {from}"
    );
    let end_ms = start_ms + clip.duration.as_millis() as u64;
    assert!(
        to.abs_diff(end_ms) <= 150,
        "ends at the range's end: {end_ms} vs {to}"
    );

    let decoded = decode_all(&clip.path);
    assert_eq!(decoded.len() as u64, clip.frames, "every frame plays");
    let segment = segment_at(from);
    let offset = clip.start.duration_since(segment.start).expect("after");
    let parsed = "video/x-h264,alignment=au,stream-format=avc";
    let recorded_units: Vec<(Duration, gst::Sample)> = pull_all(&segment.path, parsed)
        .into_iter()
        .filter(|(at, _)| *at + Duration::from_millis(1) >= offset)
        .collect();
    let clip_units = pull_all(&clip.path, parsed);
    assert_eq!(clip_units.len() as u64, clip.frames);
    for (i, ((_, a), (_, b))) in clip_units.iter().zip(&recorded_units).enumerate() {
        let a = a.buffer().expect("buffer").map_readable().expect("map");
        let b = b.buffer().expect("buffer").map_readable().expect("map");
        assert!(
            a.as_slice() == b.as_slice(),
            "access unit {i} differs: re-encoded?"
        );
    }
    println!(
        "remux: {} frames ({:.1} s of video) in {:.3} s",
        clip.frames,
        clip.duration.as_secs_f64(),
        took.as_secs_f64()
    );
    std::fs::remove_dir_all(&out).expect("clean up");
}

#[test]
fn a_range_across_segments_gives_one_clip_per_segment_and_none_outside() {
    let (from, to) = (BASE_MS + 8_000, BASE_MS + 12_000);
    let out = out_dir("across");
    let clips = export_clips(
        recorded(),
        at_ms(from),
        at_ms(to),
        &out,
        &mut Edit::default(),
    )
    .expect("exported");
    assert_eq!(clips.len(), 2, "{clips:?}");
    assert!(clips[0].start <= at_ms(from) && clips[1].start >= clips[0].start);
    let second = segment_at(to);
    assert_eq!(
        clips[1].start, second.start,
        "the second clip is its segment's start"
    );
    let covered: Duration = clips.iter().map(|c| c.duration).sum();
    assert!(covered >= Duration::from_millis(3_900), "{covered:?}");

    let before = export_clips(
        recorded(),
        at_ms(BASE_MS - 60_000),
        at_ms(BASE_MS - 1_000),
        &out_dir("before"),
        &mut Edit::default(),
    )
    .expect("nothing to export is fine");
    assert!(before.is_empty());
    std::fs::remove_dir_all(&out).expect("clean up");
}

/// Mean absolute Laplacian of the luma inside `b` (normalised box).
fn detail(y: &[u8], b: BBox) -> f64 {
    let (x0, x1) = (
        (b.x0 * WIDTH as f32) as usize + 1,
        (b.x1 * WIDTH as f32) as usize - 1,
    );
    let (y0, y1) = (
        (b.y0 * HEIGHT as f32) as usize + 1,
        (b.y1 * HEIGHT as f32) as usize - 1,
    );
    let at = |x: usize, r: usize| i32::from(y[r * WIDTH + x]);
    let mut sum = 0_i64;
    let mut n = 0_i64;
    for r in y0.max(1)..y1.min(HEIGHT - 1) {
        for x in x0.max(1)..x1.min(WIDTH - 1) {
            let lap = 4 * at(x, r) - at(x - 1, r) - at(x + 1, r) - at(x, r - 1) - at(x, r + 1);
            sum += i64::from(lap.abs());
            n += 1;
        }
    }
    sum as f64 / n.max(1) as f64
}

/// A privacy mask along the top edge (the demo site masks office windows there).
const MASK: [[f32; 2]; 4] = [[0.0, 0.0], [0.38, 0.0], [0.38, 0.06], [0.0, 0.09]];

/// People blurred where the detector sees them in the original, the rest
/// of the picture close to it, the mask uniform grey.
#[test]
fn redaction_blurs_people_keeps_the_rest_and_fills_masks() {
    let (from, to) = (BASE_MS + 20_300, BASE_MS + 26_300);
    let mut redactor =
        Redactor::bundled(RedactOptions::default()).expect("model (scripts/setup.sh)");
    let masks = vec![MASK.to_vec()];
    let out = out_dir("redact");
    let started = Instant::now();
    let clips = export_clips(
        recorded(),
        at_ms(from),
        at_ms(to),
        &out,
        &mut Edit {
            redactor: Some(&mut redactor),
            masks: &masks,
        },
    )
    .expect("exported");
    let took = started.elapsed().as_secs_f64();
    assert_eq!(clips.len(), 1, "{clips:?}");
    let clip = &clips[0];
    assert!(clip.reencoded);
    let start_ms = unix_ms(clip.start) as u64;
    assert!(
        start_ms.abs_diff(from) <= 100,
        "decoded from the range's start: {start_ms}"
    );
    let stats = redactor.stats();
    println!(
        "redaction: {} frames 640x360 in {took:.2} s = {:.1} fps ({} inferences, {:.1} ms each, {} boxes)",
        stats.frames,
        stats.frames as f64 / took,
        stats.inferences,
        stats.detect_s * 1e3 / stats.inferences.max(1) as f64,
        stats.boxes
    );

    let segment = segment_at(from);
    let offset = clip.start.duration_since(segment.start).expect("after");
    let original = decode_all(&segment.path);
    let redacted = decode_all(&clip.path);
    assert_eq!(redacted.len() as u64, clip.frames);
    // The same model at the redactor's threshold: every box it finds is
    // kept out of the "rest"; the confident ones must be blurred.
    let mut descriptor = ModelDescriptor::bundled().expect("model");
    descriptor.score_threshold = RedactOptions::default().score_threshold;
    let mut detector = Detector::open(
        descriptor,
        &DetectorOptions {
            threads: 2,
            classes: Some(vec!["person".into()]),
            max_batch: 1,
        },
    )
    .expect("detector");
    let mut people = 0;
    for (k, r) in redacted.iter().enumerate() {
        let o = original
            .iter()
            .find(|o| o.at.abs_diff(offset + r.at) < Duration::from_millis(20))
            .unwrap_or_else(|| panic!("original frame for clip frame {k}"));
        let found = detector.detect(&[o.planar()]).expect("detect").remove(0);
        let confident = found.iter().filter(|d| {
            let b = d.bbox;
            d.score >= 0.5 && b.width() * WIDTH as f32 >= 12.0 && b.height() * HEIGHT as f32 >= 24.0
        });
        for d in confident {
            let b = d.bbox;
            let (before, after) = (detail(&o.y, b), detail(&r.y, b));
            assert!(
                after * 4.0 < before,
                "clip frame {k}: person at {b:?} not blurred: detail {before:.1} -> {after:.1}"
            );
            people += 1;
        }
        let boxes: Vec<BBox> = found.iter().map(|d| d.bbox).collect();
        assert_rest_is_kept(k, o, r, &boxes);
        assert_mask_is_grey(k, r);
    }
    assert!(people >= 100, "the plaza has people in it: {people}");
    std::fs::remove_dir_all(&out).expect("clean up");
}

/// Away from people (boxes grown by half) and the mask, the luma is close
/// to the original: PSNR over 30 dB, and 97 % of pixels within 10 levels
/// (a box the tracker still carries for someone who left is allowed).
fn assert_rest_is_kept(k: usize, original: &Decoded, redacted: &Decoded, boxes: &[BBox]) {
    let grown: Vec<BBox> = boxes.iter().map(|b| expand(*b, 0.5)).collect();
    let (mut sq, mut n, mut close) = (0.0, 0.0, 0.0);
    for row in 0..HEIGHT {
        for x in 0..WIDTH {
            let (nx, ny) = (
                (x as f32 + 0.5) / WIDTH as f32,
                (row as f32 + 0.5) / HEIGHT as f32,
            );
            let near = |b: &BBox| (b.x0..b.x1).contains(&nx) && (b.y0..b.y1).contains(&ny);
            if ny < 0.12 || grown.iter().any(near) {
                continue;
            }
            let d = f64::from(original.y[row * WIDTH + x]) - f64::from(redacted.y[row * WIDTH + x]);
            sq += d * d;
            n += 1.0;
            if d.abs() <= 10.0 {
                close += 1.0;
            }
        }
    }
    let psnr = 10.0 * (255.0_f64 * 255.0 / (sq / n).max(1e-9)).log10();
    assert!(
        psnr > 30.0 && close / n > 0.97,
        "clip frame {k}: the picture away from people changed: PSNR {psnr:.1} dB, {:.1} % close",
        100.0 * close / n
    );
}

/// Inside the mask (its first row of macroblocks, clear of the edge where
/// the encoder rings) every plane is grey.
fn assert_mask_is_grey(k: usize, r: &Decoded) {
    let x1 = (0.34 * WIDTH as f32) as usize;
    for row in 1..15 {
        for x in 1..x1 {
            let v = r.y[row * WIDTH + x];
            assert!(
                v.abs_diff(128) <= 3,
                "clip frame {k}: mask luma at ({x}, {row}) is {v}"
            );
        }
    }
    for row in 1..7 {
        for x in 1..x1 / 2 {
            let (u, v) = (r.u[row * WIDTH / 2 + x], r.v[row * WIDTH / 2 + x]);
            assert!(
                u.abs_diff(128) <= 3 && v.abs_diff(128) <= 3,
                "clip frame {k}: mask chroma at ({x}, {row}) is {u}, {v}"
            );
        }
    }
}

/// A segment whose bytes are not a recording: the error is a segment
/// error naming that file, keeping what GStreamer said (the element that
/// posted it), and no partial clip is left in the output folder.
#[test]
fn a_damaged_segment_is_named_and_keeps_gstreamers_error() {
    gst::init().expect("gstreamer");
    let camera = out_dir("damaged-camera");
    std::fs::create_dir_all(&camera).expect("camera folder");
    let bad = camera.join(format!("{BASE_MS}.mkv"));
    std::fs::write(&bad, b"these bytes are not a Matroska file at all").expect("write");
    let out = out_dir("damaged-out");
    let range = SegmentRange {
        segment: Segment {
            path: bad.clone(),
            start: at_ms(BASE_MS),
            bytes: 42,
        },
        start: Duration::ZERO,
        stop: Duration::from_secs(2),
    };
    let e = export_clip(&range, &out, &mut Edit::default()).expect_err("not a recording");
    let ExportError::Segment(SegmentError { path, source }) = &e else {
        panic!("a segment error: {e:?}");
    };
    assert_eq!(path, &bad);
    assert!(
        matches!(source, GstError::Posted { element, .. } if element.contains("matroskademux")),
        "the demuxer is named: {source:?}"
    );
    assert!(e.to_string().contains(&bad.display().to_string()), "{e}");
    let left: Vec<_> = std::fs::read_dir(&out)
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    assert!(left.is_empty(), "no partial clip left: {left:?}");
    std::fs::remove_dir_all(&camera).expect("clean up");
}
