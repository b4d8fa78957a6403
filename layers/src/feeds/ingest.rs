//! From feed bytes to world events, with the bookkeeping a console needs
//! about its feeds: counters per source, and malformed input logged once
//! per source per interval instead of once per packet.
//!
//! Everything here is pure and cheap; the sockets that call it live in
//! `app`.

use std::collections::HashMap;

use crate::event::{Envelope, Event, Origin, UnitReport};
use crate::feeds::cot::{self, CotEvent};
use crate::feeds::mavlink;
use crate::feeds::tak::{self, Frame, TakPayload};
use crate::model::{UnitKind, UnixMicros};

/// Malformed input from one source is logged at most once per this interval.
pub const MALFORMED_LOG_INTERVAL_US: UnixMicros = 10_000_000;

/// A sender whose clock differs from the console's by at least this much
/// (median of its recent messages) is named as skewed. Transit over a
/// network or a TAK server adds well under a second; GPS- or NTP-synced
/// devices agree to much better than this.
pub const CLOCK_SKEW_THRESHOLD_US: UnixMicros = 30_000_000;

/// Recent messages per source the clock estimate is the median of: one
/// delayed or replayed message does not move it, a steady offset does.
const CLOCK_SAMPLES: usize = 9;

/// What became of one message.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Decoded into these events.
    Events(Vec<Envelope>),
    /// Valid, but nothing the console shows (e.g. a hostile-track CoT type).
    Ignored,
    /// Not decodable; the reason.
    Malformed(String),
}

/// One message decoded, with the sender's own clock reading when the
/// protocol carries one (CoT `time`), to check the sender's clock by.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded {
    /// What became of the message.
    pub outcome: Outcome,
    /// When the sender says it sent the message (its clock), if it says.
    pub sent_at: Option<UnixMicros>,
    /// Whether it came as TAK Protocol (protobuf) rather than XML.
    pub tak_protocol: bool,
}

impl From<Outcome> for Decoded {
    fn from(outcome: Outcome) -> Self {
        Self {
            outcome,
            sent_at: None,
            tak_protocol: false,
        }
    }
}

/// Turns one CoT message into events, stamped `at` (arrival time: the
/// console's clock, not the sender's).
pub fn cot_to_events(bytes: &[u8], origin: &Origin, at: UnixMicros) -> Outcome {
    decode_cot(bytes, origin, at).outcome
}

/// [`cot_to_events`], keeping the sender's `time` for [`FeedBook`]'s clock
/// check.
pub fn decode_cot(bytes: &[u8], origin: &Origin, at: UnixMicros) -> Decoded {
    match cot::parse(bytes) {
        Ok(event) => decoded_event(&event, origin, at),
        Err(e) => Outcome::Malformed(e.to_string()).into(),
    }
}

/// One datagram from a CoT UDP port: CoT XML, or TAK Protocol (mesh
/// header, or streaming framing as some clients send it over unicast),
/// told apart by the first byte.
pub fn decode_datagram(bytes: &[u8], origin: &Origin, at: UnixMicros) -> Decoded {
    if bytes.first() != Some(&tak::TAK_MAGIC) {
        return decode_cot(bytes, origin, at);
    }
    match tak::parse_datagram(bytes) {
        Ok(message) => decode_tak(message, origin, at),
        Err(e) => Decoded {
            tak_protocol: true,
            ..Outcome::Malformed(e.to_string()).into()
        },
    }
}

/// One message cut from a CoT TCP stream, XML or TAK Protocol.
pub fn decode_frame(frame: &Frame, origin: &Origin, at: UnixMicros) -> Decoded {
    match frame {
        Frame::Xml(bytes) => decode_cot(bytes, origin, at),
        Frame::Tak(bytes) => decode_tak(bytes, origin, at),
    }
}

/// One TAK Protocol `TakMessage` (without its framing) into events, as
/// [`decode_cot`] does for XML: the same event gives the same envelope.
pub fn decode_tak(message: &[u8], origin: &Origin, at: UnixMicros) -> Decoded {
    let decoded = match tak::decode_message(message) {
        Ok(TakPayload::Event(event)) => decoded_event(&event, origin, at),
        Ok(TakPayload::Control(_)) => Outcome::Ignored.into(),
        Err(e) => Outcome::Malformed(e.to_string()).into(),
    };
    Decoded {
        tak_protocol: true,
        ..decoded
    }
}

fn decoded_event(event: &CotEvent, origin: &Origin, at: UnixMicros) -> Decoded {
    let outcome = match cot_event(event, at) {
        Some(e) => Outcome::Events(vec![Envelope {
            at,
            origin: origin.clone(),
            event: e,
        }]),
        None => Outcome::Ignored,
    };
    Decoded {
        outcome,
        sent_at: Some(event.time.timestamp_micros()),
        tak_protocol: false,
    }
}

fn cot_event(e: &CotEvent, at: UnixMicros) -> Option<Event> {
    let lonlat = [e.point.lon, e.point.lat];
    if e.kind.starts_with("b-a-o-can") {
        return None; // a cancel: operators close alerts themselves
    }
    if e.kind.starts_with("b-a-o-") || e.emergency.is_some() {
        // The alarm's site is the sender the alert links to, by TAK
        // convention its uid without the `-9-1-1` suffix.
        let site = e.uid.trim_end_matches("-9-1-1").to_owned();
        return Some(Event::AlarmPressed {
            site,
            lonlat,
            by: e.callsign.clone(),
        });
    }
    if !e.kind.starts_with("a-f-G") {
        return None; // only friendly ground units are ours to track
    }
    Some(Event::UnitReported(UnitReport {
        id: e.uid.clone(),
        callsign: e.callsign.clone(),
        kind: UnitKind::from_cot_type(&e.kind),
        lonlat,
        ce_m: e.point.ce,
        heading_deg: e.course_deg,
        speed_mps: e.speed_mps,
        // CoT `stale` is an absolute time (TAK): a report that arrives
        // already stale is stale at once. A sender whose clock runs ahead
        // gets no more than the validity it gave, from arrival (else a unit
        // gone silent would look live for as long as its clock is ahead).
        // Its clock is named by [`FeedBook::clock_skews`], never corrected.
        stale_at: e
            .stale
            .timestamp_micros()
            .min(at.saturating_add((e.stale - e.time).num_microseconds().unwrap_or(0).max(0))),
    }))
}

/// Turns one MAVLink datagram into events (no signing keys).
pub fn mavlink_to_events(bytes: &[u8], origin: &Origin, at: UnixMicros) -> Outcome {
    mavlink_to_events_signed(bytes, &mavlink::DroneKeys::default(), origin, at)
}

/// Turns one MAVLink datagram into events, each frame checked against the
/// fleet's signing `keys` (refused frames give no events).
pub fn mavlink_to_events_signed(
    bytes: &[u8],
    keys: &mavlink::DroneKeys,
    origin: &Origin,
    at: UnixMicros,
) -> Outcome {
    match mavlink::parse_datagram_signed(bytes, keys) {
        Ok(messages) if messages.is_empty() => Outcome::Ignored,
        Ok(messages) => Outcome::Events(
            messages
                .into_iter()
                .map(|m| Envelope {
                    at,
                    origin: origin.clone(),
                    event: Event::DroneTelemetry {
                        system_id: m.system_id,
                        telemetry: m.telemetry,
                    },
                })
                .collect(),
        ),
        Err(e) => Outcome::Malformed(e.to_string()),
    }
}

/// Counters of one feed source.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FeedCounters {
    /// Messages (datagrams, TCP frames) received.
    pub received: u64,
    /// Events produced.
    pub events: u64,
    /// Valid messages with nothing for the console.
    pub ignored: u64,
    /// Messages that did not decode.
    pub malformed: u64,
    /// Messages in TAK Protocol (protobuf) rather than XML, of all above.
    pub tak_protocol: u64,
    /// Arrival time of the last good message.
    pub last_good_at: Option<UnixMicros>,
}

/// Per-source counters, the once-per-interval malformed log, and each
/// sender's clock compared with the console's.
#[derive(Debug, Default)]
pub struct FeedBook {
    sources: HashMap<String, (FeedCounters, MalformedLog)>,
    clocks: HashMap<String, ClockSamples>,
}

/// The last few `arrival − sent` offsets of one source (newest last).
#[derive(Debug, Default, Clone)]
struct ClockSamples(std::collections::VecDeque<UnixMicros>);

impl ClockSamples {
    fn push(&mut self, offset: UnixMicros) {
        if self.0.len() == CLOCK_SAMPLES {
            self.0.pop_front();
        }
        self.0.push_back(offset);
    }

    /// The lower median: one late message among two does not name a
    /// sender.
    fn median(&self) -> Option<UnixMicros> {
        let mut sorted: Vec<UnixMicros> = self.0.iter().copied().collect();
        sorted.sort_unstable();
        sorted.get(sorted.len().saturating_sub(1) / 2).copied()
    }
}

/// A sender whose clock disagrees with the console's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClockSkew {
    /// The source (as in [`FeedBook::record`]).
    pub source: String,
    /// Console time minus sender time (median of recent messages):
    /// positive when the sender's clock is behind, negative when ahead.
    pub behind_us: UnixMicros,
}

impl ClockSkew {
    /// `clock 10 min behind`, `clock 45 s ahead` (English, for logs).
    pub fn describe(&self) -> String {
        let word = if self.behind_us >= 0 {
            "behind"
        } else {
            "ahead"
        };
        format!("clock {} {word}", span_text(self.behind_us.unsigned_abs()))
    }
}

/// A span in the largest unit that reads well: `45 s`, `10 min`, `3 h`.
pub fn span_text(us: u64) -> String {
    let s = us / 1_000_000;
    match s {
        0..=119 => format!("{s} s"),
        120..=7199 => format!("{} min", (s + 30) / 60),
        _ => format!("{} h", (s + 1800) / 3600),
    }
}

#[derive(Debug, Default, Clone, Copy)]
struct MalformedLog {
    last_logged_at: Option<UnixMicros>,
    suppressed: u64,
}

/// A log line the caller should write now.
#[derive(Debug, Clone, PartialEq)]
pub struct MalformedReport {
    /// Source (e.g. `cot/udp 127.0.0.1:4242 from 10.0.0.7:5000`).
    pub source: String,
    /// Why this message was refused.
    pub reason: String,
    /// Malformed messages not logged since the last report.
    pub suppressed: u64,
}

impl FeedBook {
    /// Records an outcome; returns a log line if one is due.
    pub fn record(
        &mut self,
        source: &str,
        outcome: &Outcome,
        at: UnixMicros,
    ) -> Option<MalformedReport> {
        self.record_as(source, outcome, false, at)
    }

    /// [`FeedBook::record`] for a message that came as TAK Protocol
    /// (`tak_protocol`) or XML.
    pub fn record_as(
        &mut self,
        source: &str,
        outcome: &Outcome,
        tak_protocol: bool,
        at: UnixMicros,
    ) -> Option<MalformedReport> {
        let (counters, log) = match self.sources.get_mut(source) {
            Some(entry) => entry,
            None => self.sources.entry(source.to_owned()).or_default(),
        };
        counters.received += 1;
        counters.tak_protocol += u64::from(tak_protocol);
        match outcome {
            Outcome::Events(e) => {
                counters.events += e.len() as u64;
                counters.last_good_at = Some(at);
                None
            }
            Outcome::Ignored => {
                counters.ignored += 1;
                counters.last_good_at = Some(at);
                None
            }
            Outcome::Malformed(reason) => {
                counters.malformed += 1;
                let due = log
                    .last_logged_at
                    .is_none_or(|t| at - t >= MALFORMED_LOG_INTERVAL_US);
                if due {
                    let report = MalformedReport {
                        source: source.to_owned(),
                        reason: reason.clone(),
                        suppressed: log.suppressed,
                    };
                    log.last_logged_at = Some(at);
                    log.suppressed = 0;
                    Some(report)
                } else {
                    log.suppressed += 1;
                    None
                }
            }
        }
    }

    /// Notes a message's sender time (`sent_at`, its clock) against its
    /// arrival `at` (ours). Returns the skew when this message makes the
    /// source newly skewed, so the caller can log it once.
    pub fn record_clock(
        &mut self,
        source: &str,
        sent_at: UnixMicros,
        at: UnixMicros,
    ) -> Option<ClockSkew> {
        let was = self.clock_skew(source).is_some();
        let samples = match self.clocks.get_mut(source) {
            Some(s) => s,
            None => self.clocks.entry(source.to_owned()).or_default(),
        };
        samples.push(at.saturating_sub(sent_at));
        let now = self.clock_skew(source);
        if was { None } else { now }
    }

    /// The skew of one source, if its clock is off by the threshold or more.
    pub fn clock_skew(&self, source: &str) -> Option<ClockSkew> {
        let behind_us = self.clocks.get(source)?.median()?;
        (behind_us.abs() >= CLOCK_SKEW_THRESHOLD_US).then(|| ClockSkew {
            source: source.to_owned(),
            behind_us,
        })
    }

    /// Every source whose clock is off, by name.
    pub fn clock_skews(&self) -> Vec<ClockSkew> {
        let mut skews: Vec<ClockSkew> = self
            .clocks
            .keys()
            .filter_map(|source| self.clock_skew(source))
            .collect();
        skews.sort_by(|a, b| a.source.cmp(&b.source));
        skews
    }

    /// Counters of one source.
    pub fn counters(&self, source: &str) -> Option<FeedCounters> {
        self.sources.get(source).map(|(c, _)| *c)
    }

    /// Counters summed over every source whose name starts with `prefix`.
    pub fn total(&self, prefix: &str) -> FeedCounters {
        self.sources
            .iter()
            .filter(|(name, _)| name.starts_with(prefix))
            .fold(FeedCounters::default(), |mut sum, (_, (c, _))| {
                sum.received += c.received;
                sum.events += c.events;
                sum.ignored += c.ignored;
                sum.malformed += c.malformed;
                sum.tak_protocol += c.tak_protocol;
                sum.last_good_at = sum.last_good_at.max(c.last_good_at);
                sum
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::feeds::cot::{CotPoint, encode};

    fn unit_cot(uid: &str, kind: &str) -> Vec<u8> {
        let t = chrono::DateTime::from_timestamp(1_790_000_000, 0).expect("time");
        encode(&CotEvent {
            uid: uid.into(),
            kind: kind.into(),
            how: Some("m-g".into()),
            time: t,
            start: t,
            stale: t + chrono::Duration::seconds(30),
            point: CotPoint {
                lat: 51.13,
                lon: 71.43,
                hae: 350.0,
                ce: 5.0,
                le: 9_999_999.0,
            },
            callsign: Some("P-1".into()),
            course_deg: Some(90.0),
            speed_mps: Some(12.0),
            emergency: None,
            group: None,
        })
        .into_bytes()
    }

    #[test]
    fn cot_becomes_unit_reports_and_alarms() {
        let origin = Origin::Feed("cot/udp test".into());
        let Outcome::Events(e) =
            cot_to_events(&unit_cot("car-1", "a-f-G-E-V-C"), &origin, 5_000_000)
        else {
            panic!("a unit report");
        };
        let Event::UnitReported(r) = &e[0].event else {
            panic!("{e:?}")
        };
        // Arriving long before its own `time` (a sender far ahead): no more
        // than the 30 s it gave, from arrival.
        assert_eq!(
            (r.kind, r.stale_at, r.lonlat),
            (UnitKind::Car, 35_000_000, [71.43, 51.13])
        );
        assert_eq!(
            cot_to_events(&unit_cot("hostile", "a-h-G"), &origin, 0),
            Outcome::Ignored
        );
        let mut alarm = unit_cot("compound-7-9-1-1", "b-a-o-tbl");
        let text = String::from_utf8(alarm.clone()).expect("utf8").replace(
            "</detail>",
            r#"<emergency type="911 Alert">C7</emergency></detail>"#,
        );
        alarm = text.into_bytes();
        let Outcome::Events(e) = cot_to_events(&alarm, &origin, 0) else {
            panic!("alarm")
        };
        assert!(matches!(&e[0].event, Event::AlarmPressed { site, .. } if site == "compound-7"));
        assert!(matches!(
            cot_to_events(b"<event", &origin, 0),
            Outcome::Malformed(_)
        ));
    }

    #[test]
    fn a_report_that_arrives_already_stale_is_stale_at_once() {
        let origin = Origin::Feed("cot/udp test".into());
        // Sent with `stale` 30 s after its `time`; arriving 5 min later.
        let arrival = 1_790_000_000_000_000 + 300_000_000;
        let decoded = decode_cot(&unit_cot("late", "a-f-G-U-C"), &origin, arrival);
        let Outcome::Events(e) = &decoded.outcome else {
            panic!("a unit report")
        };
        let Event::UnitReported(r) = &e[0].event else {
            panic!("{e:?}")
        };
        assert!(r.stale_at <= arrival, "shown stale at once");
        assert_eq!(
            r.stale_at, 1_790_000_030_000_000,
            "at the sender's own stale time"
        );
        assert_eq!(decoded.sent_at, Some(1_790_000_000_000_000));
    }

    #[test]
    fn a_sender_clock_off_by_minutes_is_named_and_jitter_is_not() {
        let mut book = FeedBook::default();
        let sent = 1_790_000_000_000_000_i64;
        // A good sender: 40-900 ms of transit, one message 2 min late (queued).
        for (i, delay) in [40_000, 900_000, 120_000_000, 300_000, 60_000]
            .into_iter()
            .enumerate()
        {
            let t = sent + i as i64 * 1_000_000;
            assert_eq!(book.record_clock("good", t, t + delay), None);
        }
        assert_eq!(book.clock_skew("good"), None);
        // A sender whose clock runs 10 min behind: named on its first message.
        let newly = book.record_clock("slow", sent, sent + 600_000_000);
        assert_eq!(
            newly.as_ref().map(ClockSkew::describe).as_deref(),
            Some("clock 10 min behind")
        );
        assert_eq!(
            book.record_clock("slow", sent + 1, sent + 600_000_001),
            None,
            "reported once"
        );
        // One ahead by 45 s.
        book.record_clock("fast", sent, sent - 45_000_000);
        let skews = book.clock_skews();
        let described: Vec<(String, String)> = skews
            .iter()
            .map(|s| (s.source.clone(), s.describe()))
            .collect();
        assert_eq!(
            described,
            [
                ("fast".to_owned(), "clock 45 s ahead".to_owned()),
                ("slow".to_owned(), "clock 10 min behind".to_owned())
            ]
        );
    }

    #[test]
    fn tcp_stream_is_split_into_messages_whatever_the_reads() {
        let one = unit_cot("a", "a-f-G-U-C");
        let two = unit_cot("b", "a-f-G-U-C");
        let mut stream = b"garbage before ".to_vec();
        stream.extend(&one);
        stream.extend(b"\n");
        stream.extend(&two);
        for chunk in [1, 7, 100, stream.len()] {
            let mut framer = tak::StreamFramer::default();
            let messages: Vec<Vec<u8>> = stream
                .chunks(chunk)
                .flat_map(|c| framer.push(c).messages)
                .map(|f| match f {
                    Frame::Xml(m) => m,
                    Frame::Tak(_) => panic!("no TAK message was sent"),
                })
                .collect();
            assert_eq!(messages.len(), 2, "chunk {chunk}");
            assert_eq!(cot::parse(&messages[0]).expect("first").uid, "a");
            assert_eq!(cot::parse(&messages[1]).expect("second").uid, "b");
        }
        // A sender that never closes its event cannot grow the buffer forever.
        let mut framer = tak::StreamFramer::default();
        let mut oversized = 0;
        for _ in 0..100 {
            oversized += framer.push(&[b'x'; 4096]).oversized;
        }
        // 400 KiB with no end tag: discarded each time it passes 64 KiB.
        assert_eq!(oversized, 5);
        assert_eq!(
            framer.push(&one).messages.len(),
            1,
            "recovers for the next message"
        );
    }

    #[test]
    fn malformed_input_is_counted_always_and_logged_once_per_interval() {
        let mut book = FeedBook::default();
        let bad = Outcome::Malformed("not CoT".into());
        let mut logged = Vec::new();
        for i in 0..25_i64 {
            // One bad packet per second from one source for 25 s.
            if let Some(r) = book.record("cot/udp x from 10.0.0.7", &bad, i * 1_000_000) {
                logged.push((i, r.suppressed));
            }
        }
        assert_eq!(logged, [(0, 0), (10, 9), (20, 9)]);
        assert!(
            book.record("cot/udp x from 10.0.0.8", &bad, 3_000_000)
                .is_some(),
            "per source"
        );
        book.record("cot/udp x from 10.0.0.7", &Outcome::Ignored, 30_000_000);
        let c = book.counters("cot/udp x from 10.0.0.7").expect("counted");
        assert_eq!((c.received, c.malformed, c.ignored), (26, 25, 1));
        assert_eq!(book.total("cot/udp").malformed, 26);
    }
}
