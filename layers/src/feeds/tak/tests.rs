//! TAK Protocol against an encoder nobody here wrote: the fixtures in
//! `layers/tests/data/tak/` were made by `takproto` (PyPI) from the XML
//! beside them (`make_fixtures.py`).

use super::*;
use crate::event::Origin;
use crate::feeds::cot;
use crate::feeds::ingest::{decode_cot, decode_datagram, decode_frame};

const PLI_XML: &[u8] = include_bytes!("../../../tests/data/tak/atak-pli.xml");
const PLI_MESH: &[u8] = include_bytes!("../../../tests/data/tak/atak-pli.mesh");
const PLI_STREAM: &[u8] = include_bytes!("../../../tests/data/tak/atak-pli.stream");
const SOS_XML: &[u8] = include_bytes!("../../../tests/data/tak/atak-emergency.xml");
const SOS_MESH: &[u8] = include_bytes!("../../../tests/data/tak/atak-emergency.mesh");

fn origin() -> Origin {
    Origin::Feed("cot/udp test".into())
}

#[test]
fn xml_and_takproto_protobuf_of_one_event_give_one_envelope() {
    let at = 1_614_457_945_000_000;
    for (xml, tak) in [
        (PLI_XML, PLI_MESH),
        (PLI_XML, PLI_STREAM),
        (SOS_XML, SOS_MESH),
    ] {
        let from_xml = decode_cot(xml, &origin(), at);
        let from_tak = decode_datagram(tak, &origin(), at);
        assert!(
            matches!(&from_xml.outcome, crate::feeds::ingest::Outcome::Events(e) if e.len() == 1),
            "{from_xml:?}"
        );
        assert_eq!(from_tak.outcome, from_xml.outcome);
        assert_eq!(from_tak.sent_at, from_xml.sent_at);
        assert!(from_tak.tak_protocol && !from_xml.tak_protocol);
    }
    // Every field the XML path reads maps the same, not only what reaches
    // the world: uid, type, how, times, point, callsign, track, group.
    let xml = cot::parse(PLI_XML).expect("xml");
    let Ok(TakPayload::Event(tak)) = decode_message(parse_datagram(PLI_MESH).expect("mesh")) else {
        panic!("not an event");
    };
    assert_eq!(*tak, xml);
    assert_eq!(tak.group.as_ref().map(|g| g.name.as_str()), Some("Cyan"));
    assert_eq!(tak.speed_mps, Some(12.25));
    // The emergency has no typed field: it comes through xmlDetail.
    let Ok(TakPayload::Event(sos)) = decode_message(parse_datagram(SOS_MESH).expect("mesh")) else {
        panic!("not an event");
    };
    assert_eq!(sos.emergency.as_deref(), Some("911 Alert"));
}

#[test]
fn our_encoding_reads_back_as_the_same_event() {
    let event = cot::parse(SOS_XML).expect("xml");
    for bytes in [encode_mesh(&event), encode_stream(&event)] {
        let message = parse_datagram(&bytes).expect("framing");
        assert_eq!(
            decode_message(message),
            Ok(TakPayload::Event(Box::new(event.clone())))
        );
    }
    // And takproto's own streaming bytes are what we write for that event
    // modulo field order: same length, same decode.
    let pli = cot::parse(PLI_XML).expect("xml");
    let ours = encode_stream(&pli);
    assert_eq!(
        decode_message(parse_datagram(&ours).expect("ours")),
        decode_message(parse_datagram(PLI_STREAM).expect("theirs"))
    );
}

#[test]
fn a_stream_mixing_xml_and_tak_is_split_whatever_the_reads() {
    let mut stream = PLI_XML.to_vec();
    stream.extend_from_slice(b"\n");
    stream.extend_from_slice(PLI_STREAM);
    stream.extend_from_slice(PLI_STREAM);
    stream.extend_from_slice(SOS_XML);
    for chunk in [1, 2, 3, 7, 100, stream.len()] {
        let mut framer = StreamFramer::default();
        let split: Vec<Frame> = stream
            .chunks(chunk)
            .flat_map(|c| framer.push(c).messages)
            .collect();
        let kinds: Vec<bool> = split.iter().map(|f| matches!(f, Frame::Tak(_))).collect();
        assert_eq!(kinds, [false, true, true, false], "chunk {chunk}");
        // The XML report and the TAK one after it decode to one envelope.
        let first = decode_frame(&split[0], &origin(), 0);
        assert!(matches!(
            &first.outcome,
            crate::feeds::ingest::Outcome::Events(_)
        ));
        let second = decode_frame(&split[1], &origin(), 0);
        assert_eq!(second.outcome, first.outcome, "chunk {chunk}");
    }
}

#[test]
fn broken_tak_input_is_named_not_guessed() {
    // A mesh header of another version.
    assert_eq!(
        parse_datagram(&[0xBF, 0x02, 0xBF, 0x12, 0x00]),
        Err(TakError::Version(2))
    );
    // A streaming length longer than what came.
    assert!(matches!(
        parse_datagram(&PLI_STREAM[..PLI_STREAM.len() - 5]),
        Err(TakError::Truncated { .. })
    ));
    // Not a protobuf at all.
    assert!(matches!(
        decode_message(&[0xFF, 0xFF, 0xFF]),
        Err(TakError::Protobuf(_))
    ));
    // An event without times (protobuf's zero default) is refused by name.
    let mut event = from_cot(&cot::parse(PLI_XML).expect("xml"));
    event.stale_time = 0;
    let bytes = prost::Message::encode_to_vec(&wire::TakMessage {
        tak_control: None,
        cot_event: Some(event),
    });
    assert_eq!(
        decode_message(&bytes).map_err(|e| e.to_string()),
        Err("TAK CotEvent.staleTime = 0: is not set".to_owned())
    );
    // A stream that declares a message over the limit cannot be followed.
    let mut framer = StreamFramer::default();
    let mut huge = vec![TAK_MAGIC];
    prost::encoding::encode_varint(1 << 20, &mut huge);
    let cut = framer.push(&huge);
    assert_eq!(cut.broken, Some(TakError::TooLarge(1 << 20)));
    assert!(framer.push(PLI_STREAM).messages.is_empty(), "stays closed");
}
