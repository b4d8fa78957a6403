//! Video for incident packages: the recorded segments of one camera that
//! overlap a time range, each cut to the range into a clip named like a
//! recording (`<first frame's Unix ms>.mkv`, so the file name is still the
//! time index).
//!
//! A clip is remuxed (the recorded H.264, no re-encode; it starts at the
//! keyframe at or before the range) unless its picture is edited: then it
//! is decoded from exactly the start of the range, people are blurred
//! ([`Redactor`]), the camera's privacy masks are filled grey
//! ([`fill_polygon`]), and it is encoded again (x264, a keyframe every
//! second, no B-frames). The pixel operations are public so that the
//! console can apply the same blur and masks to what it shows.

mod clip;
pub mod pixels;
pub mod redact;
#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use gstreamer as gst;
use gstreamer_video as gst_video;
use gstreamer_video::prelude::*;

pub use pixels::{I420Mut, MASK_GREY, blur_box, expand, fill_polygon, merge_overlapping};
pub use redact::{ClipRedaction, Picture, RedactOptions, RedactStats, Redactor};

use self::clip::{Read, Reader, Write, Writer, stream_time};
use crate::MediaError;
use crate::error::FileError;
use crate::gst_error::{GstError, SegmentError};
use crate::record::{Segment, list_segments, segment_duration};

/// Why a clip could not be exported. Each names the file or folder.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The camera's recordings cannot be listed.
    #[error("recordings {0}")]
    Recordings(#[source] FileError),
    /// GStreamer would not start.
    #[error("GStreamer cannot start: {0}")]
    Init(#[source] gst::glib::Error),
    /// A recorded segment could not be read.
    #[error(transparent)]
    Segment(#[from] SegmentError),
    /// A clip could not be written.
    #[error("clip {}: {source}", path.display())]
    Clip {
        /// The clip being written.
        path: PathBuf,
        /// What GStreamer said.
        #[source]
        source: GstError,
    },
    /// A decoded picture was not what the editor works on.
    #[error("a decoded picture {0}")]
    Picture(&'static str),
    /// The person detector failed.
    #[error("redaction: {0}")]
    Redaction(#[from] MediaError),
    /// A file operation failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

/// What happens to the picture of a clip.
#[derive(Debug, Default)]
pub struct Edit<'a> {
    /// Blur people with this detector (`None`: people stay visible).
    pub redactor: Option<&'a mut Redactor>,
    /// Privacy masks of the camera, filled grey in every frame.
    pub masks: &'a [Vec<[f32; 2]>],
}

impl Edit<'_> {
    /// Whether the picture changes (and the clip must be re-encoded).
    pub fn reencodes(&self) -> bool {
        self.redactor.is_some() || !self.masks.is_empty()
    }
}

/// One clip written.
#[derive(Debug, Clone, PartialEq)]
pub struct Clip {
    /// The file, `<out_dir>/<start ms>.mkv`.
    pub path: PathBuf,
    /// Wall-clock time of its first frame.
    pub start: SystemTime,
    /// From its first frame's start to its last frame's end.
    pub duration: Duration,
    /// Frames in it.
    pub frames: u64,
    /// File size.
    pub bytes: u64,
    /// The recorded segment it was cut from.
    pub segment: PathBuf,
    /// Whether it was decoded and encoded again.
    pub reencoded: bool,
}

/// A recorded segment overlapping a range, and the range within it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SegmentRange {
    /// The segment.
    pub segment: Segment,
    /// Where the range starts in the file (0 if before the segment).
    pub start: Duration,
    /// Where the range ends in the file.
    pub stop: Duration,
}

/// The segments in `camera_dir` that overlap `from..=to`, oldest first. A
/// segment runs until the next one starts; the last one for its declared
/// duration, or until its file was last written.
pub fn segments_in(
    camera_dir: &Path,
    from: SystemTime,
    to: SystemTime,
) -> Result<Vec<SegmentRange>, ExportError> {
    gst::init().map_err(ExportError::Init)?;
    let segments = list_segments(camera_dir).map_err(ExportError::Recordings)?;
    let mut out = Vec::new();
    for (i, segment) in segments.iter().enumerate() {
        if segment.start > to {
            break;
        }
        let end = match segments.get(i + 1) {
            Some(next) => next.start,
            None => last_end(segment),
        };
        if end <= from {
            continue;
        }
        out.push(SegmentRange {
            start: from.duration_since(segment.start).unwrap_or_default(),
            stop: to.duration_since(segment.start).unwrap_or_default(),
            segment: segment.clone(),
        });
    }
    Ok(out)
}

/// When the newest segment ends: by its declared duration, else by the
/// time its file was last written.
fn last_end(segment: &Segment) -> SystemTime {
    segment_duration(&segment.path).map_or_else(
        |_| {
            std::fs::metadata(&segment.path)
                .and_then(|m| m.modified())
                .unwrap_or(segment.start)
        },
        |d| segment.start + d,
    )
}

/// Cuts every segment of `camera_dir` overlapping `from..=to` into a clip
/// in `out_dir` (created if needed). Segments with no frame in the range
/// give no clip.
pub fn export_clips(
    camera_dir: &Path,
    from: SystemTime,
    to: SystemTime,
    out_dir: &Path,
    edit: &mut Edit<'_>,
) -> Result<Vec<Clip>, ExportError> {
    let ranges = segments_in(camera_dir, from, to)?;
    let mut clips = Vec::new();
    for range in &ranges {
        if let Some(clip) = export_clip(range, out_dir, edit)? {
            clips.push(clip);
        }
    }
    Ok(clips)
}

/// Cuts one segment's range into a clip in `out_dir`; `None` if no frame
/// of the segment lies in the range.
pub fn export_clip(
    range: &SegmentRange,
    out_dir: &Path,
    edit: &mut Edit<'_>,
) -> Result<Option<Clip>, ExportError> {
    gst::init().map_err(ExportError::Init)?;
    std::fs::create_dir_all(out_dir).map_err(|source| ExportError::Io {
        path: out_dir.to_path_buf(),
        source,
    })?;
    let partial = out_dir.join(format!(".partial-{}.mkv", unix_ms(range.segment.start)));
    let written = write_clip(range, &partial, edit);
    let written = match written {
        Ok(Some(w)) => w,
        other => {
            let _ = std::fs::remove_file(&partial);
            return other.map(|_| None);
        }
    };
    let start = range.segment.start + written.first;
    let path = out_dir.join(format!("{}.mkv", unix_ms(start)));
    let io = |source| ExportError::Io {
        path: path.clone(),
        source,
    };
    std::fs::rename(&partial, &path).map_err(io)?;
    let bytes = std::fs::metadata(&path).map_err(io)?.len();
    Ok(Some(Clip {
        path,
        start,
        duration: written.duration,
        frames: written.frames,
        bytes,
        segment: range.segment.path.clone(),
        reencoded: edit.reencodes(),
    }))
}

/// What [`write_clip`] wrote.
struct Written {
    /// The first frame's offset in the segment.
    first: Duration,
    duration: Duration,
    frames: u64,
}

/// Copies (or edits and encodes) the range's frames into `path`.
fn write_clip(
    range: &SegmentRange,
    path: &Path,
    edit: &mut Edit<'_>,
) -> Result<Option<Written>, ExportError> {
    let read = if edit.reencodes() {
        Read::Decoded
    } else {
        Read::Encoded
    };
    let segment_error = |source| SegmentError {
        path: range.segment.path.clone(),
        source,
    };
    let clip_error = |source| ExportError::Clip {
        path: path.to_path_buf(),
        source,
    };
    let reader =
        Reader::open(&range.segment.path, read, range.start, range.stop).map_err(segment_error)?;
    let masks = edit.masks;
    let mut redaction = edit.redactor.as_deref_mut().map(Redactor::clip::<Mapped>);
    let mut writer: Option<(Writer, gst::ClockTime, Option<gst_video::VideoInfo>)> = None;
    let mut written = Written {
        first: Duration::ZERO,
        duration: Duration::ZERO,
        frames: 0,
    };
    while let Some(sample) = reader.next().map_err(segment_error)? {
        let (Some(at), Some(buffer)) = (stream_time(&sample), sample.buffer_owned()) else {
            continue;
        };
        if at > range.stop {
            break;
        }
        let Some(pts) = buffer.pts() else { continue };
        if writer.is_none() {
            writer = Some(open_writer(path, &sample, read)?);
            written.first = at;
        }
        // Ours alone now, so the picture can be edited without a copy.
        drop(sample);
        let Some((out, base, info)) = &writer else {
            break;
        };
        let buffer = rebase(buffer, *base);
        let frame = buffer
            .duration()
            .map_or(Duration::ZERO, |d| Duration::from_nanos(d.nseconds()));
        written.frames += 1;
        written.duration = Duration::from_nanos(pts.saturating_sub(*base).nseconds()) + frame;
        let Some(info) = info else {
            out.push(buffer).map_err(clip_error)?;
            continue;
        };
        let mapped = Mapped::new(buffer, info)?;
        let ready = match redaction.as_mut() {
            Some(r) => r.push(mapped, at.saturating_sub(written.first).as_secs_f64())?,
            None => vec![mapped],
        };
        write_pictures(out, path, ready, masks)?;
    }
    drop(reader);
    let Some((out, _, _)) = writer else {
        return Ok(None);
    };
    if let Some(r) = redaction {
        write_pictures(&out, path, r.finish()?, masks)?;
    }
    out.finish().map_err(clip_error)?;
    Ok(Some(written))
}

/// A decoded buffer mapped for writing.
struct Mapped(gst_video::VideoFrame<gst_video::video_frame::Writable>);

impl Mapped {
    fn new(buffer: gst::Buffer, info: &gst_video::VideoInfo) -> Result<Self, ExportError> {
        gst_video::VideoFrame::from_buffer_writable(buffer, info)
            .map(Self)
            .map_err(|_| ExportError::Picture("cannot be mapped"))
    }
}

impl Picture for Mapped {
    fn planes(&mut self) -> Option<I420Mut<'_>> {
        let frame = &mut self.0;
        if frame.format() != gst_video::VideoFormat::I420 {
            return None;
        }
        let strides = frame.plane_stride();
        let strides = [0, 1, 2].map(|i| strides.get(i).map_or(0, |&s| s.max(0) as usize));
        let (width, height) = (frame.width() as usize, frame.height() as usize);
        let [y, u, v, _] = frame.planes_data_mut();
        I420Mut::new(width, height, [y, u, v], strides)
    }
}

/// Fills the privacy masks in each picture and queues it for the encoder.
fn write_pictures(
    out: &Writer,
    path: &Path,
    pictures: Vec<Mapped>,
    masks: &[Vec<[f32; 2]>],
) -> Result<(), ExportError> {
    for mut picture in pictures {
        if !masks.is_empty() {
            let mut planes = picture
                .planes()
                .ok_or(ExportError::Picture("is not planar I420"))?;
            for mask in masks {
                fill_polygon(&mut planes, mask, MASK_GREY);
            }
        }
        out.push(picture.0.into_buffer())
            .map_err(|source| ExportError::Clip {
                path: path.to_path_buf(),
                source,
            })?;
    }
    Ok(())
}

/// The writer for a clip whose first sample is `first`: its timestamps
/// become the clip's zero; decoded pictures come with their layout.
fn open_writer(
    path: &Path,
    first: &gst::Sample,
    read: Read,
) -> Result<(Writer, gst::ClockTime, Option<gst_video::VideoInfo>), ExportError> {
    let clip_error = |source| ExportError::Clip {
        path: path.to_path_buf(),
        source,
    };
    let caps = first
        .caps()
        .ok_or(GstError::Sample("the first sample has no caps"))
        .map_err(clip_error)?;
    let base = first
        .buffer()
        .and_then(gst::BufferRef::pts)
        .unwrap_or(gst::ClockTime::ZERO);
    let (write, info) = match read {
        Read::Encoded => (Write::Remux, None),
        Read::Decoded => {
            let info = gst_video::VideoInfo::from_caps(caps)
                .map_err(GstError::graph("read the decoded picture's layout"))
                .map_err(clip_error)?;
            let fps = info.fps();
            let gop = if fps.numer() > 0 && fps.denom() > 0 {
                (f64::from(fps.numer()) / f64::from(fps.denom()))
                    .round()
                    .max(1.0) as u32
            } else {
                30
            };
            (Write::Encode { gop }, Some(info))
        }
    };
    let writer = Writer::open(path, &caps.to_owned(), write).map_err(clip_error)?;
    Ok((writer, base, info))
}

/// Moves a buffer's timestamps so that `base` becomes zero.
fn rebase(mut buffer: gst::Buffer, base: gst::ClockTime) -> gst::Buffer {
    let b = buffer.make_mut();
    let pts = b.pts().map(|t| t.saturating_sub(base));
    let dts = b.dts().and_then(|t| t.checked_sub(base));
    b.set_pts(pts);
    b.set_dts(dts);
    buffer
}

/// Unix milliseconds of `t`.
pub fn unix_ms(t: SystemTime) -> u128 {
    t.duration_since(UNIX_EPOCH).unwrap_or_default().as_millis()
}
