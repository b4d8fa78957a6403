//! The streaming negotiation: a TAK connection starts in CoT XML; the server
//! announces the protocol versions it speaks (`t-x-takp-v`), a client that
//! wants protobuf asks for one (`t-x-takp-q`), and once the server answers
//! yes (`t-x-takp-r`) both sides send TAK Protocol messages from then on.

use chrono::{DateTime, SecondsFormat, Utc};
use quick_xml::events::Event;

use super::PROTOCOL_VERSION;

/// The uid TAK uses for negotiation messages.
const UID: &str = "protouid";

/// Negotiation messages stay valid this long.
const VALID_S: i64 = 60;

/// One negotiation message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Control {
    /// `t-x-takp-v`: the server speaks these versions.
    Support {
        /// Versions offered.
        versions: Vec<u32>,
    },
    /// `t-x-takp-q`: the client asks for this version.
    Request {
        /// Version asked for.
        version: u32,
    },
    /// `t-x-takp-r`: the server's answer.
    Response {
        /// Whether the switch happens.
        accepted: bool,
    },
}

/// Reads `xml` as a negotiation message, if it is one (cheaply `None` for
/// everything else: the type is looked for before anything is parsed).
pub fn parse(xml: &[u8]) -> Option<Control> {
    find(xml, b"t-x-takp-")?;
    let text = std::str::from_utf8(xml).ok()?;
    let mut reader = quick_xml::Reader::from_str(text);
    let mut kind = None;
    let mut versions = Vec::new();
    let mut asked = None;
    let mut answer = None;
    loop {
        let element = match reader.read_event().ok()? {
            Event::Start(e) | Event::Empty(e) => e,
            Event::Eof => break,
            _ => continue,
        };
        let value = |name: &str| {
            element
                .try_get_attribute(name)
                .ok()
                .flatten()
                .and_then(|a| {
                    a.normalized_value(quick_xml::XmlVersion::default())
                        .ok()
                        .map(std::borrow::Cow::into_owned)
                })
        };
        match element.local_name().as_ref() {
            "event" => kind = value("type"),
            "TakProtocolSupport" => {
                versions.extend(value("version").and_then(|v| v.trim().parse::<u32>().ok()));
            }
            "TakRequest" => asked = value("version").and_then(|v| v.trim().parse::<u32>().ok()),
            "TakResponse" => answer = value("status").map(|s| s.trim() == "true"),
            _ => {}
        }
    }
    match kind.as_deref()? {
        "t-x-takp-v" => Some(Control::Support { versions }),
        "t-x-takp-q" => asked.map(|version| Control::Request { version }),
        "t-x-takp-r" => answer.map(|accepted| Control::Response { accepted }),
        _ => None,
    }
}

/// The server's announcement: version 1 is spoken here.
pub fn announcement(now: DateTime<Utc>) -> String {
    message(
        "t-x-takp-v",
        &format!(r#"<TakProtocolSupport version="{PROTOCOL_VERSION}"/>"#),
        now,
    )
}

/// A client's request for `version`.
pub fn request(version: u32, now: DateTime<Utc>) -> String {
    message(
        "t-x-takp-q",
        &format!(r#"<TakRequest version="{version}"/>"#),
        now,
    )
}

/// The server's answer to a request.
pub fn response(accepted: bool, now: DateTime<Utc>) -> String {
    message(
        "t-x-takp-r",
        &format!(r#"<TakResponse status="{accepted}"/>"#),
        now,
    )
}

/// Whether a server that speaks [`PROTOCOL_VERSION`] grants `request`.
pub fn grants(request: u32) -> bool {
    request == PROTOCOL_VERSION
}

fn message(kind: &str, control: &str, now: DateTime<Utc>) -> String {
    let t = |t: DateTime<Utc>| t.to_rfc3339_opts(SecondsFormat::Millis, true);
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><event version="2.0" uid="{UID}" type="{kind}" how="m-g" time="{}" start="{}" stale="{}"><point lat="0.0" lon="0.0" hae="0.0" ce="9999999.0" le="9999999.0"/><detail><TakControl>{control}</TakControl></detail></event>"#,
        t(now),
        t(now),
        t(now + chrono::Duration::seconds(VALID_S)),
    )
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_three_messages_read_back() {
        let now = Utc::now();
        assert_eq!(
            parse(announcement(now).as_bytes()),
            Some(Control::Support { versions: vec![1] })
        );
        assert_eq!(
            parse(request(1, now).as_bytes()),
            Some(Control::Request { version: 1 })
        );
        assert_eq!(
            parse(response(false, now).as_bytes()),
            Some(Control::Response { accepted: false })
        );
        assert!(grants(1) && !grants(2));
    }

    #[test]
    fn a_position_report_is_not_negotiation() {
        let pli = br#"<event version="2.0" uid="A" type="a-f-G-U-C" time="2021-01-01T00:00:00Z" start="2021-01-01T00:00:00Z" stale="2021-01-01T00:05:00Z"><point lat="1" lon="2" hae="0" ce="1" le="1"/></event>"#;
        assert_eq!(parse(pli), None);
        // A request without a version is not one.
        let empty = request(1, Utc::now()).replace(r#" version="1"/>"#, "/>");
        assert_eq!(parse(empty.as_bytes()), None);
    }
}
