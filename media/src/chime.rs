//! The alert chime: a short two-tone signal played through GStreamer
//! (`audiotestsrc` into the system's audio output) on its own thread, so
//! that a critical alert can be heard across the room. Without an audio
//! device it logs why once and stays silent; the console runs on.

use std::sync::mpsc::{self, Receiver, SyncSender, TrySendError};
use std::thread::JoinHandle;
use std::time::Duration;

use gstreamer as gst;
use gstreamer::prelude::*;

use crate::MediaError;
use crate::gst_error::GstError;

/// The output the chime plays into by default.
pub const DEFAULT_SINK: &str = "autoaudiosink";

/// The tones, Hz, each [`TONE`] long.
const TONES: [u32; 2] = [988, 740];
/// How long each tone lasts.
const TONE: Duration = Duration::from_millis(220);
/// Samples per second.
const RATE: u32 = 48_000;

/// Plays the chime on request; dropping it stops the thread.
pub struct Chime {
    tx: Option<SyncSender<()>>,
    player: Option<JoinHandle<()>>,
}

impl Chime {
    /// Starts the player thread, playing into `sink` (a `gst-launch` style
    /// description such as [`DEFAULT_SINK`]).
    pub fn start(sink: &str) -> Result<Self, MediaError> {
        gst::init().map_err(MediaError::GstInit)?;
        let (tx, rx) = mpsc::sync_channel(0);
        let sink = sink.to_owned();
        let player = std::thread::Builder::new()
            .name("alert-chime".into())
            .spawn(move || play_loop(&rx, &sink))
            .map_err(MediaError::thread("alert-chime"))?;
        Ok(Self {
            tx: Some(tx),
            player: Some(player),
        })
    }

    /// Plays the chime once; a request while one is playing is dropped (a
    /// burst of alerts sounds once, not a queue of chimes).
    pub fn ring(&self) {
        if let Some(tx) = &self.tx
            && let Err(TrySendError::Disconnected(())) = tx.try_send(())
        {
            tracing::warn!("alert chime: player has stopped");
        }
    }
}

impl Drop for Chime {
    fn drop(&mut self) {
        self.tx = None;
        if let Some(player) = self.player.take() {
            let _ = player.join();
        }
    }
}

fn play_loop(rx: &Receiver<()>, sink: &str) {
    let mut reported = false;
    while rx.recv().is_ok() {
        match play_once(sink) {
            Ok(()) => reported = false,
            Err(e) if !reported => {
                tracing::warn!("alert chime not heard ({e})");
                reported = true;
            }
            Err(_) => {}
        }
    }
}

/// Plays both tones into `sink` and waits for the end (bounded).
pub fn play_once(sink: &str) -> Result<(), MediaError> {
    for freq in TONES {
        let samples = u64::from(RATE) * TONE.as_millis() as u64 / 1000;
        let description = format!(
            "audiotestsrc wave=sine freq={freq} volume=0.35 samplesperbuffer={samples} num-buffers=1 \
             ! audio/x-raw,rate={RATE},channels=1 ! audioconvert ! audioresample ! {sink}"
        );
        let pipeline = gst::parse::launch(&description)
            .map_err(|source| GstError::Launch {
                what: "chime pipeline",
                source,
            })
            .map_err(MediaError::Chime)?;
        let result = run_to_end(&pipeline);
        let _ = pipeline.set_state(gst::State::Null);
        result.map_err(MediaError::Chime)?;
    }
    Ok(())
}

fn run_to_end(pipeline: &gst::Element) -> Result<(), GstError> {
    pipeline
        .set_state(gst::State::Playing)
        .map_err(|source| GstError::State {
            what: "playing",
            source,
        })?;
    let bus = pipeline.bus().ok_or(GstError::NoBus)?;
    let timeout = gst::ClockTime::from_mseconds(2_000);
    match bus.timed_pop_filtered(timeout, &[gst::MessageType::Eos, gst::MessageType::Error]) {
        Some(msg) => match msg.view() {
            gst::MessageView::Error(e) => Err(GstError::posted(e)),
            _ => Ok(()),
        },
        None => Err(GstError::Timeout {
            what: "the chime",
            secs: 2,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_chime_plays_to_its_end_in_real_time() {
        gst::init().expect("gst");
        let start = std::time::Instant::now();
        play_once("fakesink sync=true").expect("plays");
        // Two tones played against the clock, not skipped.
        assert!(
            start.elapsed() + Duration::from_millis(40) >= TONE * 2,
            "{:?}",
            start.elapsed()
        );
    }

    #[test]
    fn a_missing_output_is_a_named_error_not_a_hang() {
        gst::init().expect("gst");
        let e = play_once("no-such-audio-sink").expect_err("fails");
        assert!(e.to_string().contains("alert chime"), "{e}");
    }
}
