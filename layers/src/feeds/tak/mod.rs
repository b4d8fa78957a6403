//! TAK Protocol Version 1: CoT events as protobuf (`TakMessage`), as TAK
//! clients and servers send them beside (or instead of) XML.
//!
//! - mesh (UDP, multicast SA): `0xBF <version> 0xBF` then one `TakMessage`;
//! - streaming (TCP, and unicast UDP from some clients): `0xBF`, the
//!   message's length as a varint, then the `TakMessage`;
//! - a streaming connection starts in XML and switches after the `TakControl`
//!   negotiation ([`control`]).
//!
//! Decoded events are the same [`CotEvent`] the XML parser gives, checked by
//! the same rules (ranges, times, the 64 KiB limit), so one report reads the
//! same whichever encoding it came in.

pub mod control;
mod convert;
pub mod framing;
pub mod wire;

pub use convert::{from_cot, to_cot};
pub use framing::{
    Frame, Frames, MESH_HEADER, PROTOCOL_VERSION, StreamFramer, TAK_MAGIC, encode_mesh,
    encode_stream, parse_datagram,
};

use crate::feeds::cot::{CotError, CotEvent};

/// Why bytes are not a TAK Protocol message. Every variant says where.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TakError {
    /// Over the CoT size limit.
    #[error("TAK message of {0} bytes is over the {limit}-byte limit", limit = crate::feeds::cot::MAX_MESSAGE_BYTES)]
    TooLarge(u64),
    /// The header is not `0xBF <version> 0xBF` (mesh) or `0xBF <length>`
    /// (streaming).
    #[error("TAK header: {0}")]
    Header(&'static str),
    /// A protocol version other than 1.
    #[error("TAK Protocol version {0} is not supported (only version 1)")]
    Version(u64),
    /// The message ends before its declared length.
    #[error("TAK message declares {declared} bytes but has {present}")]
    Truncated {
        /// Bytes the header declares.
        declared: u64,
        /// Bytes there are.
        present: usize,
    },
    /// Not a `TakMessage`.
    #[error("TAK message is not a valid TakMessage protobuf: {0}")]
    Protobuf(#[source] prost::DecodeError),
    /// A field's value is unusable.
    #[error("TAK CotEvent.{field} = {value}: {reason}")]
    Field {
        /// The field (as the schema names it).
        field: &'static str,
        /// The value as received (cut to 64 characters).
        value: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// `xmlDetail` is not a readable XML fragment.
    #[error("TAK CotEvent.detail.xmlDetail: {0}")]
    Detail(#[source] CotError),
}

/// What one `TakMessage` carries.
#[derive(Debug, Clone, PartialEq)]
pub enum TakPayload {
    /// An event (with or without a control part).
    Event(Box<CotEvent>),
    /// Only a control part: which protocol versions the sender speaks.
    Control(wire::TakControl),
}

/// Decodes one `TakMessage` (the bytes after the framing).
pub fn decode_message(bytes: &[u8]) -> Result<TakPayload, TakError> {
    use prost::Message as _;
    if bytes.len() > crate::feeds::cot::MAX_MESSAGE_BYTES {
        return Err(TakError::TooLarge(bytes.len() as u64));
    }
    let message = wire::TakMessage::decode(bytes).map_err(TakError::Protobuf)?;
    match (message.cot_event, message.tak_control) {
        (Some(event), _) => to_cot(&event).map(|e| TakPayload::Event(Box::new(e))),
        (None, Some(control)) => Ok(TakPayload::Control(control)),
        (None, None) => Err(TakError::Field {
            field: "cotEvent",
            value: "(none)".to_owned(),
            reason: "the message has neither an event nor a control part",
        }),
    }
}

#[cfg(test)]
mod tests;
