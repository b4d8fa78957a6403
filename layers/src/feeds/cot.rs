//! Cursor on Target (CoT) 2.0 events, as TAK clients and gateways send them
//! for units: `<event uid type how time start stale>` with a `<point lat lon
//! hae ce le>`, and in `<detail>` a `<contact callsign>` and a
//! `<track course speed>`. Other detail elements are skipped, not rejected.
//!
//! Hostile input is bounded: messages over [`MAX_MESSAGE_BYTES`] are refused
//! before parsing, every number must be finite and in range, and every
//! problem is an error that names the element and attribute.

use std::borrow::Cow;

use chrono::{DateTime, SecondsFormat, Utc};
use quick_xml::events::{BytesStart, Event};

/// Largest message accepted (TAK position reports are well under 2 KiB).
pub const MAX_MESSAGE_BYTES: usize = 64 * 1024;

/// CoT's "unknown" value for circular and linear error.
pub const UNKNOWN_ERROR_M: f64 = 9_999_999.0;

/// One CoT event: who, what, where, and for how long it is valid.
#[derive(Debug, Clone, PartialEq)]
pub struct CotEvent {
    /// Globally unique id of the thing described (e.g. `ANDROID-deadbeef`).
    pub uid: String,
    /// The CoT type, e.g. `a-f-G-U-C` (atom, friendly, ground unit, combat).
    pub kind: String,
    /// How the position was obtained, e.g. `m-g` (machine, GPS).
    pub how: Option<String>,
    /// When the event was generated.
    pub time: DateTime<Utc>,
    /// When it starts to be valid.
    pub start: DateTime<Utc>,
    /// When it goes stale (the console greys the unit out after this).
    pub stale: DateTime<Utc>,
    /// Where.
    pub point: CotPoint,
    /// `<detail><contact callsign>`.
    pub callsign: Option<String>,
    /// `<detail><track course>`: degrees clockwise from true north.
    pub course_deg: Option<f64>,
    /// `<detail><track speed>`: metres per second.
    pub speed_mps: Option<f64>,
    /// `<detail><emergency type>`: the alarm kind of an emergency event
    /// (TAK's `b-a-o-*` types, e.g. `911 Alert`), if any.
    pub emergency: Option<String>,
    /// `<detail><__group name role>`: the sender's team colour and role.
    pub group: Option<CotGroup>,
}

/// `<__group>`: the TAK team (a colour, e.g. `Cyan`) and the role in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CotGroup {
    /// Team name.
    pub name: String,
    /// Role, e.g. `Team Member`, `Team Lead`.
    pub role: String,
}

/// `<point>`: WGS-84 position with its error estimates.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CotPoint {
    /// Latitude, degrees.
    pub lat: f64,
    /// Longitude, degrees.
    pub lon: f64,
    /// Height above the ellipsoid, metres.
    pub hae: f64,
    /// Circular (horizontal) error, metres ([`UNKNOWN_ERROR_M`] if unknown).
    pub ce: f64,
    /// Linear (vertical) error, metres ([`UNKNOWN_ERROR_M`] if unknown).
    pub le: f64,
}

impl CotEvent {
    /// Whether the event is stale at `now`.
    pub fn is_stale(&self, now: DateTime<Utc>) -> bool {
        now >= self.stale
    }
}

/// Why bytes are not a CoT event. Every variant says where.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CotError {
    /// Over [`MAX_MESSAGE_BYTES`].
    #[error("CoT message of {0} bytes is over the {MAX_MESSAGE_BYTES}-byte limit")]
    TooLarge(usize),
    /// Not UTF-8.
    #[error("CoT message is not UTF-8")]
    NotUtf8,
    /// Not well-formed XML.
    #[error("CoT message is not well-formed XML: {0}")]
    Xml(String),
    /// The root element is not `<event>` (or there is none).
    #[error("CoT message has no <event> root element")]
    NoEvent,
    /// A required element is missing.
    #[error("CoT <event> has no <{0}>")]
    MissingElement(&'static str),
    /// A required attribute is missing.
    #[error("CoT <{element}> has no `{attribute}`")]
    MissingAttribute {
        /// Element.
        element: &'static str,
        /// Attribute.
        attribute: &'static str,
    },
    /// An attribute's value is unusable.
    #[error("CoT <{element} {attribute}=\"{value}\">: {reason}")]
    BadValue {
        /// Element.
        element: &'static str,
        /// Attribute.
        attribute: &'static str,
        /// The value as received (cut to 64 characters).
        value: String,
        /// What is wrong with it.
        reason: &'static str,
    },
}

/// Parses one CoT event from a UDP datagram or a TCP stream frame.
pub fn parse(bytes: &[u8]) -> Result<CotEvent, CotError> {
    if bytes.len() > MAX_MESSAGE_BYTES {
        return Err(CotError::TooLarge(bytes.len()));
    }
    let text = std::str::from_utf8(bytes).map_err(|_| CotError::NotUtf8)?;
    let mut reader = quick_xml::Reader::from_str(text);
    reader.config_mut().trim_text(true);

    let mut event: Option<PartialEvent> = None;
    let mut depth = 0_usize;
    let mut in_detail = false;
    loop {
        let (element, is_empty) = match reader
            .read_event()
            .map_err(|e| CotError::Xml(e.to_string()))?
        {
            Event::Start(e) => (e, false),
            Event::Empty(e) => (e, true),
            Event::End(e) => {
                depth = depth.saturating_sub(1);
                if e.local_name().as_ref() == "detail" {
                    in_detail = false;
                }
                continue;
            }
            Event::Eof => break,
            _ => continue,
        };
        let name = element.local_name();
        match (depth, name.as_ref()) {
            (0, "event") => event = Some(PartialEvent::from_event(&element)?),
            (0, _) => return Err(CotError::NoEvent),
            (1, "point") => {
                if let Some(e) = event.as_mut() {
                    e.point = Some(parse_point(&element)?);
                }
            }
            (1, "detail") => in_detail = !is_empty,
            (2, _) if in_detail => {
                if let Some(e) = event.as_mut() {
                    e.detail.read(&element)?;
                }
            }
            _ => {}
        }
        if !is_empty {
            depth += 1;
        }
    }
    event.ok_or(CotError::NoEvent)?.finish()
}

/// What has been read of an event so far.
struct PartialEvent {
    uid: String,
    kind: String,
    how: Option<String>,
    time: DateTime<Utc>,
    start: DateTime<Utc>,
    stale: DateTime<Utc>,
    point: Option<CotPoint>,
    detail: DetailFields,
}

/// What the console reads of `<detail>`: from its child elements in XML, or
/// from TAK Protocol's typed fields and its `xmlDetail` fragment.
#[derive(Debug, Default)]
pub(crate) struct DetailFields {
    pub(crate) callsign: Option<String>,
    pub(crate) course_deg: Option<f64>,
    pub(crate) speed_mps: Option<f64>,
    pub(crate) emergency: Option<String>,
    pub(crate) group: Option<CotGroup>,
}

impl DetailFields {
    /// Reads one child element of `<detail>`; others are skipped.
    fn read(&mut self, element: &BytesStart<'_>) -> Result<(), CotError> {
        match element.local_name().as_ref() {
            "contact" => {
                self.callsign = attr(element, "contact", "callsign")?.map(Cow::into_owned);
            }
            "emergency" => {
                self.emergency = Some(
                    attr(element, "emergency", "type")?
                        .map_or_else(|| "Emergency".to_owned(), Cow::into_owned),
                );
            }
            "track" => {
                self.course_deg = number(element, "track", "course", COURSE_RANGE)?;
                self.speed_mps = number(element, "track", "speed", SPEED_RANGE)?;
            }
            "__group" => {
                self.group = Some(CotGroup {
                    name: attr(element, "__group", "name")?
                        .map(Cow::into_owned)
                        .unwrap_or_default(),
                    role: attr(element, "__group", "role")?
                        .map(Cow::into_owned)
                        .unwrap_or_default(),
                });
            }
            _ => {}
        }
        Ok(())
    }

    /// Reads the top-level elements of an XML fragment (TAK Protocol's
    /// `xmlDetail`: `<detail>`'s children without the `<detail>` itself).
    pub(crate) fn read_fragment(&mut self, xml: &str) -> Result<(), CotError> {
        let mut reader = quick_xml::Reader::from_str(xml);
        reader.config_mut().trim_text(true);
        let mut depth = 0_usize;
        loop {
            let (element, is_empty) = match reader
                .read_event()
                .map_err(|e| CotError::Xml(format!("xmlDetail: {e}")))?
            {
                Event::Start(e) => (e, false),
                Event::Empty(e) => (e, true),
                Event::End(_) => {
                    depth = depth.saturating_sub(1);
                    continue;
                }
                Event::Eof => return Ok(()),
                _ => continue,
            };
            if depth == 0 {
                self.read(&element)?;
            }
            if !is_empty {
                depth += 1;
            }
        }
    }
}

/// Course over ground, degrees from true north.
pub(crate) const COURSE_RANGE: std::ops::RangeInclusive<f64> = 0.0..=360.0;
/// Speed, metres per second.
pub(crate) const SPEED_RANGE: std::ops::RangeInclusive<f64> = 0.0..=10_000.0;
/// Latitude, degrees.
pub(crate) const LAT_RANGE: std::ops::RangeInclusive<f64> = -90.0..=90.0;
/// Longitude, degrees.
pub(crate) const LON_RANGE: std::ops::RangeInclusive<f64> = -180.0..=180.0;
/// Height above the ellipsoid, metres.
pub(crate) const HAE_RANGE: std::ops::RangeInclusive<f64> = -20_000.0..=UNKNOWN_ERROR_M;
/// Circular and linear error, metres.
pub(crate) const ERROR_RANGE: std::ops::RangeInclusive<f64> = 0.0..=UNKNOWN_ERROR_M;

impl PartialEvent {
    fn from_event(e: &BytesStart<'_>) -> Result<Self, CotError> {
        let required = |name: &'static str| {
            attr(e, "event", name)?.ok_or(CotError::MissingAttribute {
                element: "event",
                attribute: name,
            })
        };
        let uid = required("uid")?.into_owned();
        if uid.trim().is_empty() {
            return Err(bad("event", "uid", &uid, "is empty"));
        }
        Ok(Self {
            kind: required("type")?.into_owned(),
            how: attr(e, "event", "how")?.map(Cow::into_owned),
            time: time(&required("time")?, "time")?,
            start: time(&required("start")?, "start")?,
            stale: time(&required("stale")?, "stale")?,
            uid,
            point: None,
            detail: DetailFields::default(),
        })
    }

    fn finish(self) -> Result<CotEvent, CotError> {
        Ok(CotEvent {
            point: self.point.ok_or(CotError::MissingElement("point"))?,
            uid: self.uid,
            kind: self.kind,
            how: self.how,
            time: self.time,
            start: self.start,
            stale: self.stale,
            callsign: self.detail.callsign,
            course_deg: self.detail.course_deg,
            speed_mps: self.detail.speed_mps,
            emergency: self.detail.emergency,
            group: self.detail.group,
        })
    }
}

fn parse_point(e: &BytesStart<'_>) -> Result<CotPoint, CotError> {
    let required = |name: &'static str, range: std::ops::RangeInclusive<f64>| {
        number(e, "point", name, range)?.ok_or(CotError::MissingAttribute {
            element: "point",
            attribute: name,
        })
    };
    Ok(CotPoint {
        lat: required("lat", LAT_RANGE)?,
        lon: required("lon", LON_RANGE)?,
        hae: number(e, "point", "hae", HAE_RANGE)?.unwrap_or(UNKNOWN_ERROR_M),
        ce: number(e, "point", "ce", ERROR_RANGE)?.unwrap_or(UNKNOWN_ERROR_M),
        le: number(e, "point", "le", ERROR_RANGE)?.unwrap_or(UNKNOWN_ERROR_M),
    })
}

/// An attribute's unescaped value, if present.
fn attr<'a>(
    e: &'a BytesStart<'_>,
    element: &'static str,
    name: &'static str,
) -> Result<Option<Cow<'a, str>>, CotError> {
    for a in e.attributes() {
        let a = a.map_err(|err| CotError::Xml(format!("<{element}>: {err}")))?;
        if a.key.local_name().as_ref() == name {
            let value = a
                .normalized_value(quick_xml::XmlVersion::default())
                .map_err(|err| CotError::Xml(format!("<{element} {name}>: {err}")))?;
            return Ok(Some(value));
        }
    }
    Ok(None)
}

/// A finite number in `range`, if the attribute is present.
fn number(
    e: &BytesStart<'_>,
    element: &'static str,
    name: &'static str,
    range: std::ops::RangeInclusive<f64>,
) -> Result<Option<f64>, CotError> {
    let Some(text) = attr(e, element, name)? else {
        return Ok(None);
    };
    let value: f64 = text
        .trim()
        .parse()
        .map_err(|_| bad(element, name, &text, "is not a number"))?;
    if !value.is_finite() || !range.contains(&value) {
        return Err(bad(element, name, &text, "is out of range"));
    }
    Ok(Some(value))
}

fn time(text: &str, name: &'static str) -> Result<DateTime<Utc>, CotError> {
    DateTime::parse_from_rfc3339(text.trim())
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| bad("event", name, text, "is not an ISO 8601 UTC time"))
}

fn bad(
    element: &'static str,
    attribute: &'static str,
    value: &str,
    reason: &'static str,
) -> CotError {
    CotError::BadValue {
        element,
        attribute,
        value: value.chars().take(64).collect(),
        reason,
    }
}

/// Encodes an event as CoT 2.0 XML (one line, UTF-8, escaped).
pub fn encode(event: &CotEvent) -> String {
    use std::fmt::Write as _;

    use quick_xml::escape::escape;
    let t = |t: &DateTime<Utc>| t.to_rfc3339_opts(SecondsFormat::Millis, true);
    let mut xml = String::with_capacity(512);
    // Writing into a String cannot fail.
    let _ = write!(
        xml,
        r#"<?xml version="1.0" encoding="UTF-8"?><event version="2.0" uid="{}" type="{}""#,
        escape(event.uid.as_str()),
        escape(event.kind.as_str())
    );
    if let Some(how) = &event.how {
        let _ = write!(xml, r#" how="{}""#, escape(how.as_str()));
    }
    let p = &event.point;
    let _ = write!(
        xml,
        r#" time="{}" start="{}" stale="{}"><point lat="{}" lon="{}" hae="{}" ce="{}" le="{}"/><detail>"#,
        t(&event.time),
        t(&event.start),
        t(&event.stale),
        p.lat,
        p.lon,
        p.hae,
        p.ce,
        p.le
    );
    if let Some(callsign) = &event.callsign {
        let _ = write!(
            xml,
            r#"<contact callsign="{}"/>"#,
            escape(callsign.as_str())
        );
    }
    if event.course_deg.is_some() || event.speed_mps.is_some() {
        xml.push_str("<track");
        if let Some(course) = event.course_deg {
            let _ = write!(xml, r#" course="{course}""#);
        }
        if let Some(speed) = event.speed_mps {
            let _ = write!(xml, r#" speed="{speed}""#);
        }
        xml.push_str("/>");
    }
    if let Some(group) = &event.group {
        let _ = write!(
            xml,
            r#"<__group name="{}" role="{}"/>"#,
            escape(group.name.as_str()),
            escape(group.role.as_str())
        );
    }
    if let Some(kind) = &event.emergency {
        let _ = write!(
            xml,
            r#"<emergency type="{}">{}</emergency>"#,
            escape(kind.as_str()),
            escape(event.callsign.as_deref().unwrap_or_default())
        );
    }
    xml.push_str("</detail></event>");
    xml
}

#[cfg(test)]
#[expect(
    clippy::float_cmp,
    reason = "parsed decimals are compared exactly, on purpose"
)]
mod tests {
    use super::*;

    /// The example event of MITRE's CoT 2.0 documentation (uid J-01334).
    const MITRE_EXAMPLE: &str = r#"<?xml version='1.0' standalone='yes'?>
<event version="2.0" uid="J-01334" type="a-h-A-M-F-U-M"
 time="2005-04-05T11:43:38.07Z" start="2005-04-05T11:43:38.07Z" stale="2005-04-05T11:45:38.07Z" >
 <detail>
 </detail>
 <point lat="30.0090027" lon="-85.9578735" ce="45.3" hae="-42.6" le="99.5" />
</event>"#;

    /// An ATAK position report (PLI) in the form TAK clients send.
    const ATAK_PLI: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<event version="2.0" uid="ANDROID-deadbeef" type="a-f-G-U-C" how="m-g"
 time="2021-02-27T20:32:24.771Z" start="2021-02-27T20:32:24.771Z" stale="2021-02-27T20:38:39.771Z">
  <point lat="1.234567" lon="-3.141592" hae="-25.7" ce="9.9" le="9999999.0"/>
  <detail>
    <takv os="29" version="4.2.0" device="PIXEL" platform="ATAK-CIV"/>
    <contact endpoint="*:-1:stcp" callsign="PATROL-12"/>
    <__group role="Team Member" name="Cyan"/>
    <track course="271.5" speed="12.25"/>
    <status battery="88"/>
  </detail>
</event>"#;

    #[test]
    fn parses_the_mitre_example() {
        let e = parse(MITRE_EXAMPLE.as_bytes()).expect("valid CoT");
        assert_eq!(e.uid, "J-01334");
        assert_eq!(e.kind, "a-h-A-M-F-U-M");
        assert_eq!(e.how, None);
        assert_eq!(
            e.point,
            CotPoint {
                lat: 30.009_002_7,
                lon: -85.957_873_5,
                hae: -42.6,
                ce: 45.3,
                le: 99.5
            }
        );
        assert_eq!((e.stale - e.start).num_seconds(), 120);
        assert_eq!(e.callsign, None);
    }

    #[test]
    fn parses_an_atak_position_report_and_skips_unknown_detail() {
        let e = parse(ATAK_PLI.as_bytes()).expect("valid CoT");
        assert_eq!(e.uid, "ANDROID-deadbeef");
        assert_eq!(e.how.as_deref(), Some("m-g"));
        assert_eq!(e.callsign.as_deref(), Some("PATROL-12"));
        assert_eq!(e.course_deg, Some(271.5));
        assert_eq!(e.speed_mps, Some(12.25));
        assert_eq!(e.point.le, UNKNOWN_ERROR_M);
        let t = DateTime::parse_from_rfc3339("2021-02-27T20:35:00Z")
            .expect("t")
            .with_timezone(&Utc);
        assert!(!e.is_stale(t));
        assert!(e.is_stale(e.stale));
    }

    /// A TAK "911 Alert" as ATAK's emergency button sends it.
    const TAK_911: &str = r#"<event version="2.0" uid="compound-7-9-1-1" type="b-a-o-tbl" how="h-e"
 time="2021-02-27T20:32:24.771Z" start="2021-02-27T20:32:24.771Z" stale="2021-02-27T20:42:24.771Z">
 <point lat="51.13" lon="71.43" hae="0" ce="10" le="10"/>
 <detail><link uid="compound-7" type="a-f-G-U-C" relation="p-p"/><contact callsign="COMPOUND-7-Alert"/>
 <emergency type="911 Alert">COMPOUND-7</emergency></detail></event>"#;

    #[test]
    fn parses_a_tak_emergency_alert() {
        let e = parse(TAK_911.as_bytes()).expect("valid CoT");
        assert_eq!(e.kind, "b-a-o-tbl");
        assert_eq!(e.emergency.as_deref(), Some("911 Alert"));
        assert_eq!(parse(encode(&e).as_bytes()).expect("round trip"), e);
    }

    #[test]
    fn encode_then_parse_round_trips() {
        let mut e = parse(ATAK_PLI.as_bytes()).expect("valid CoT");
        e.callsign = Some(r#"Unit <7> & "Co""#.into());
        let again = parse(encode(&e).as_bytes()).expect("our own output parses");
        assert_eq!(again, e);
        let mitre = parse(MITRE_EXAMPLE.as_bytes()).expect("valid");
        assert_eq!(parse(encode(&mitre).as_bytes()).expect("parses"), mitre);
    }

    #[test]
    fn malformed_and_hostile_input_is_refused_with_the_place_named() {
        let cases: [(&[u8], &str); 9] = [
            (b"", "no <event>"),
            (b"<event", "not well-formed"),
            (b"<html><event/></html>", "no <event>"),
            (&[0xff, 0xfe, 0x00], "not UTF-8"),
            (br#"<event uid="u" type="t" time="2021-01-01T00:00:00Z" start="2021-01-01T00:00:00Z" stale="2021-01-01T00:01:00Z"><detail/></event>"#, "no <point>"),
            (br#"<event uid="u" type="t" time="yesterday" start="2021-01-01T00:00:00Z" stale="2021-01-01T00:01:00Z"/>"#, "<event time=\"yesterday\">"),
            (br#"<event type="t" time="2021-01-01T00:00:00Z" start="2021-01-01T00:00:00Z" stale="2021-01-01T00:01:00Z"/>"#, "no `uid`"),
            (br#"<event uid="u" type="t" time="2021-01-01T00:00:00Z" start="2021-01-01T00:00:00Z" stale="2021-01-01T00:01:00Z"><point lat="95" lon="0"/></event>"#, "<point lat=\"95\">: is out of range"),
            (br#"<event uid="u" type="t" time="2021-01-01T00:00:00Z" start="2021-01-01T00:00:00Z" stale="2021-01-01T00:01:00Z"><point lat="NaN" lon="0"/></event>"#, "<point lat=\"NaN\">"),
        ];
        for (bytes, expected) in cases {
            let err = parse(bytes).expect_err("must be refused").to_string();
            assert!(
                err.contains(expected),
                "{:?}: {err}",
                String::from_utf8_lossy(bytes)
            );
        }
        let huge = vec![b' '; MAX_MESSAGE_BYTES + 1];
        assert!(matches!(parse(&huge), Err(CotError::TooLarge(_))));
        // Deep nesting is skipped without recursion.
        let deep = format!(
            r#"<event uid="u" type="t" time="2021-01-01T00:00:00Z" start="2021-01-01T00:00:00Z" stale="2021-01-01T00:01:00Z"><point lat="1" lon="2"/><detail>{}{}</detail></event>"#,
            "<x>".repeat(5000),
            "</x>".repeat(5000)
        );
        assert_eq!(parse(deep.as_bytes()).expect("valid").point.lon, 2.0);
    }
}
