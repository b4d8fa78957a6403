//! Segments interrupted by a crash or `kill -9`: at start, before anything is
//! written, the camera's newest segments are checked. One that declares no
//! duration (it never got its cues) is remuxed into a finalised file under
//! the same name; one with no frames at all (0 bytes, or unreadable) is
//! removed. Every file left in the folder then plays, and the time the
//! console was down shows as a gap between segments (the timeline's grey
//! outage bar).

use std::path::Path;
use std::time::Duration;

use gstreamer as gst;
use gstreamer::prelude::*;

use super::{list_segments, segment_duration};
use crate::gst_error::GstError;

/// What became of one checked segment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Repair {
    /// It was finalised already.
    Sound,
    /// Remuxed into a finalised file.
    Repaired,
    /// Held no playable frame and was removed.
    Removed(String),
    /// Could not be repaired now (no room to write the repaired copy):
    /// left as it is, to be tried again.
    Kept(String),
}

/// Checks every segment in `camera_dir` (a header read each: finalised
/// files are left alone) and repairs the unfinalised ones; returns what
/// became of each one that needed it.
pub fn repair_interrupted(camera_dir: &Path) -> Vec<(std::path::PathBuf, Repair)> {
    let Ok(segments) = list_segments(camera_dir) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for segment in segments.iter().rev() {
        if segment.bytes > 0 && has_index(&segment.path) {
            continue;
        }
        let outcome = repair_one(&segment.path);
        match &outcome {
            Repair::Sound => {}
            Repair::Repaired => {
                tracing::warn!(file = %segment.path.display(), "an interrupted segment was repaired (remuxed with its index)");
            }
            Repair::Removed(why) => {
                tracing::warn!(file = %segment.path.display(), "an interrupted segment held no playable video and was removed: {why}");
            }
            Repair::Kept(why) => {
                tracing::warn!(file = %segment.path.display(), "an interrupted segment could not be repaired now: {why}");
            }
        }
        out.push((segment.path.clone(), outcome));
    }
    out
}

fn repair_one(path: &Path) -> Repair {
    if std::fs::metadata(path).is_ok_and(|m| m.len() == 0) {
        let _ = std::fs::remove_file(path);
        return Repair::Removed("empty file".into());
    }
    if has_index(path) && segment_duration(path).is_ok() {
        return Repair::Sound;
    }
    if segment_duration(path).is_err() && !readable(path) {
        let _ = std::fs::remove_file(path);
        return Repair::Removed("no frame can be read from it".into());
    }
    let tmp = path.with_extension("repair.tmp");
    let outcome = match remux(path, &tmp) {
        Ok(frames) if frames > 0 && segment_duration(&tmp).is_ok() => {
            match std::fs::rename(&tmp, path) {
                Ok(()) => return Repair::Repaired,
                Err(e) => Err(format!("cannot replace it: {e}")),
            }
        }
        Ok(_) => Ok("no frames".to_owned()),
        Err(Remux::Write(e)) => Err(e.to_string()),
        Err(Remux::Read(e)) => Ok(format!("unreadable: {e}")),
    };
    let _ = std::fs::remove_file(&tmp);
    match outcome {
        // Unreadable: nothing in it can be played.
        Ok(why) => {
            let _ = std::fs::remove_file(path);
            Repair::Removed(why)
        }
        // Our copy could not be written: the original stays.
        Err(why) => Repair::Kept(why),
    }
}

/// Whether the demuxer can read at least one frame of the file.
fn readable(path: &Path) -> bool {
    let Ok(pipeline) = gst::parse::launch(&format!(
        "filesrc location=\"{}\" ! matroskademux ! fakesink",
        path.display()
    )) else {
        return true; // cannot tell: keep it
    };
    let ok = pipeline.set_state(gst::State::Paused).is_ok()
        && pipeline.state(gst::ClockTime::from_seconds(10)).0.is_ok();
    let _ = pipeline.set_state(gst::State::Null);
    ok
}

/// Whether the muxer finalised the file: it then rewrote the Matroska
/// `Segment` element's size, which stays "unknown" (all ones) while it is
/// being written.
pub fn has_index(path: &Path) -> bool {
    use std::io::Read as _;
    const SEGMENT: [u8; 4] = [0x18, 0x53, 0x80, 0x67];
    const UNKNOWN_SIZE: [u8; 8] = [0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF];
    let Ok(file) = std::fs::File::open(path) else {
        return false;
    };
    let mut head = Vec::with_capacity(4096);
    if file.take(4096).read_to_end(&mut head).is_err() {
        return false;
    }
    head.windows(4)
        .position(|w| w == SEGMENT)
        .and_then(|i| head.get(i + 4..i + 12))
        .is_some_and(|size| size != UNKNOWN_SIZE)
}

/// `filesrc ! matroskademux ! matroskamux ! filesink` to the end; the frames
/// copied. A file cut off mid-frame makes the demuxer fail at the cut: what
/// came before it is finalised all the same.
fn remux(from: &Path, to: &Path) -> Result<u64, Remux> {
    let pipeline = gst::parse::launch(&format!(
        "filesrc location=\"{}\" ! matroskademux ! queue name=count ! matroskamux ! filesink location=\"{}\"",
        from.display(),
        to.display()
    ))
    .map_err(|source| {
        Remux::Write(GstError::Launch {
            what: "repair pipeline",
            source,
        })
    })?
    .downcast::<gst::Pipeline>()
    .map_err(|_| {
        Remux::Write(GstError::NoElement {
            name: "top-level bin",
        })
    })?;
    let frames = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    if let Some(pad) = pipeline.by_name("count").and_then(|e| e.static_pad("src")) {
        let counter = std::sync::Arc::clone(&frames);
        pad.add_probe(gst::PadProbeType::BUFFER, move |_, _| {
            counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            gst::PadProbeReturn::Ok
        });
    }
    let bus = pipeline.bus().ok_or(Remux::Write(GstError::NoBus))?;
    if let Err(source) = pipeline.set_state(gst::State::Playing) {
        let why = GstError::posted_or(
            &pipeline,
            GstError::State {
                what: "starting",
                source,
            },
        );
        let _ = pipeline.set_state(gst::State::Null);
        return Err(Remux::Write(why));
    }
    let wait = || {
        bus.timed_pop_filtered(
            gst::ClockTime::from_nseconds(Duration::from_secs(60).as_nanos() as u64),
            &[gst::MessageType::Eos, gst::MessageType::Error],
        )
    };
    let mut end = wait();
    let copied = || frames.load(std::sync::atomic::Ordering::Relaxed);
    let from_writer = |m: &gst::Message| m.src().is_some_and(|s| s.type_().name() == "GstFileSink");
    if let Some(gst::MessageView::Error(_)) = end.as_ref().map(|m| m.view())
        && !end.as_ref().is_some_and(from_writer)
        && copied() > 0
        && let Some(queue) = pipeline.by_name("count").and_then(|q| q.static_pad("sink"))
    {
        // Finish what was read before the cut.
        queue.send_event(gst::event::Eos::new());
        end = wait();
    }
    let _ = pipeline.set_state(gst::State::Null);
    match end.as_ref().map(|m| (m.view(), from_writer(m))) {
        Some((gst::MessageView::Eos(_), _)) => Ok(copied()),
        Some((gst::MessageView::Error(e), true)) => Err(Remux::Write(GstError::posted(e))),
        Some((gst::MessageView::Error(e), false)) => Err(Remux::Read(GstError::posted(e))),
        _ => Err(Remux::Write(GstError::Timeout {
            what: "the repair",
            secs: 60,
        })),
    }
}

/// Why a remux failed: reading the original, or writing the copy.
enum Remux {
    Read(GstError),
    Write(GstError),
}
