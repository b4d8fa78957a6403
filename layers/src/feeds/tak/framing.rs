//! TAK Protocol framing: the mesh header of a datagram, the length prefix
//! of a streaming message, and a stream splitter that takes XML and TAK
//! messages in any mix (a connection negotiates from XML to protobuf).

use prost::Message as _;

use super::{TakError, from_cot, wire};
use crate::feeds::cot::{CotEvent, MAX_MESSAGE_BYTES};

/// The byte every TAK Protocol message starts with (never the first byte
/// of UTF-8 text, so XML and TAK are told apart by it).
pub const TAK_MAGIC: u8 = 0xBF;

/// The only protocol version there is.
pub const PROTOCOL_VERSION: u32 = 1;

/// The mesh header of version 1.
pub const MESH_HEADER: [u8; 3] = [TAK_MAGIC, 0x01, TAK_MAGIC];

/// The `TakMessage` bytes of one datagram: mesh (`0xBF 0x01 0xBF …`) or
/// streaming framing (`0xBF <length> …`, as some clients send over unicast
/// UDP). The caller has checked the first byte is [`TAK_MAGIC`].
pub fn parse_datagram(bytes: &[u8]) -> Result<&[u8], TakError> {
    if bytes.len() > MAX_MESSAGE_BYTES + MESH_HEADER.len() {
        return Err(TakError::TooLarge(bytes.len() as u64));
    }
    let Some((&TAK_MAGIC, rest)) = bytes.split_first() else {
        return Err(TakError::Header("does not start with 0xBF"));
    };
    let mut cursor = rest;
    let value = prost::encoding::decode_varint(&mut cursor)
        .map_err(|_| TakError::Header("no version or length after 0xBF"))?;
    if cursor.first() == Some(&TAK_MAGIC) && value < 0x80 {
        // Mesh: the varint was the version, closed by a second 0xBF. (A
        // streaming length is followed by the message's first tag, which
        // is never 0xBF for a TakMessage: its fields are 1 and 2.)
        if value != u64::from(PROTOCOL_VERSION) {
            return Err(TakError::Version(value));
        }
        return Ok(&cursor[1..]);
    }
    if value != cursor.len() as u64 {
        return Err(TakError::Truncated {
            declared: value,
            present: cursor.len(),
        });
    }
    Ok(cursor)
}

/// `event` as a mesh datagram.
pub fn encode_mesh(event: &CotEvent) -> Vec<u8> {
    let message = message_of(event);
    let mut out = Vec::with_capacity(MESH_HEADER.len() + message.encoded_len());
    out.extend_from_slice(&MESH_HEADER);
    message.encode_raw(&mut out);
    out
}

/// `event` as a streaming message (for TCP after negotiation).
pub fn encode_stream(event: &CotEvent) -> Vec<u8> {
    let message = message_of(event);
    let len = message.encoded_len();
    let mut out = Vec::with_capacity(1 + prost::length_delimiter_len(len) + len);
    out.push(TAK_MAGIC);
    prost::encoding::encode_varint(len as u64, &mut out);
    message.encode_raw(&mut out);
    out
}

fn message_of(event: &CotEvent) -> wire::TakMessage {
    wire::TakMessage {
        tak_control: None,
        cot_event: Some(from_cot(event)),
    }
}

/// One message cut from a stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Frame {
    /// CoT XML, `<event>…</event>` (with its `<?xml …?>` if sent).
    Xml(Vec<u8>),
    /// A TAK Protocol `TakMessage` (without its framing).
    Tak(Vec<u8>),
}

/// What the framer produced from a read.
#[derive(Debug, Default, PartialEq)]
pub struct Frames {
    /// Complete messages.
    pub messages: Vec<Frame>,
    /// XML messages thrown away for having no `</event>` within the limit.
    pub oversized: usize,
    /// The stream cannot be followed any further (a TAK length over the
    /// limit, a header that does not read): the connection should close.
    pub broken: Option<TakError>,
}

/// Splits a TCP stream into messages, XML or TAK, in any order: at each
/// message boundary a `0xBF` starts a TAK message (its length says where
/// it ends), anything else is XML up to `</event>`. Whitespace between
/// messages is skipped; bytes before an XML message's `<?xml` or `<event`
/// are dropped.
#[derive(Debug, Default)]
pub struct StreamFramer {
    buffer: Vec<u8>,
    /// Bytes of an XML message in `buffer` already searched for its end tag
    /// (less the tag's length, which may straddle two reads): a sender
    /// trickling one byte at a time costs a linear scan, not a quadratic one.
    scanned: usize,
    broken: bool,
}

impl StreamFramer {
    /// Adds bytes read from the socket; returns the complete messages.
    pub fn push(&mut self, bytes: &[u8]) -> Frames {
        let mut frames = Frames::default();
        if self.broken {
            return frames;
        }
        self.buffer.extend_from_slice(bytes);
        loop {
            if self.scanned == 0 {
                let blank = self
                    .buffer
                    .iter()
                    .take_while(|b| b.is_ascii_whitespace() || **b == 0)
                    .count();
                self.buffer.drain(..blank);
            }
            match self.buffer.first() {
                None => break,
                Some(&TAK_MAGIC) => match self.next_tak() {
                    Ok(Some(message)) => frames.messages.push(Frame::Tak(message)),
                    Ok(None) => break,
                    Err(e) => {
                        self.broken = true;
                        self.buffer = Vec::new();
                        frames.broken = Some(e);
                        break;
                    }
                },
                Some(_) => {
                    if let Some(message) = self.next_xml() {
                        frames.messages.push(Frame::Xml(message));
                        continue;
                    }
                    if self.buffer.len() > MAX_MESSAGE_BYTES {
                        self.buffer.clear();
                        self.scanned = 0;
                        frames.oversized += 1;
                    }
                    break;
                }
            }
        }
        frames
    }

    /// The TAK message at the start of the buffer, once all of it is there.
    fn next_tak(&mut self) -> Result<Option<Vec<u8>>, TakError> {
        let mut cursor = &self.buffer[1..];
        let before = cursor.len();
        let len = match prost::encoding::decode_varint(&mut cursor) {
            Ok(len) => len,
            // A varint is at most 10 bytes: fewer may just not be here yet.
            Err(_) if before < 10 => return Ok(None),
            Err(_) => return Err(TakError::Header("the length after 0xBF is not a varint")),
        };
        if len > MAX_MESSAGE_BYTES as u64 {
            return Err(TakError::TooLarge(len));
        }
        let header = 1 + before - cursor.len();
        // `len` is at most MAX_MESSAGE_BYTES here.
        let end = header + usize::try_from(len).unwrap_or(MAX_MESSAGE_BYTES);
        if self.buffer.len() < end {
            return Ok(None);
        }
        let message = self.buffer[header..end].to_vec();
        self.buffer.drain(..end);
        Ok(Some(message))
    }

    /// The XML message at the start of the buffer, once its end tag is here.
    fn next_xml(&mut self) -> Option<Vec<u8>> {
        const END: &[u8] = b"</event>";
        let Some(end) = find(&self.buffer[self.scanned..], END).map(|i| i + self.scanned) else {
            self.scanned = self.buffer.len().saturating_sub(END.len() - 1);
            return None;
        };
        let message: Vec<u8> = self.buffer.drain(..end + END.len()).collect();
        self.scanned = 0;
        let start = find(&message, b"<?xml")
            .or_else(|| find(&message, b"<event"))
            .unwrap_or(0);
        Some(message[start..].to_vec())
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}
