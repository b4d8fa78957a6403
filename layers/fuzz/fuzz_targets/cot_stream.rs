//! A CoT TCP stream in arbitrary reads, XML and TAK Protocol mixed: the
//! framer splits it (bounded buffer) and every message is decoded. The
//! first byte picks the read size.
#![no_main]

use libfuzzer_sys::fuzz_target;
use watchfloor_layers::event::Origin;
use watchfloor_layers::feeds::ingest::decode_frame;
use watchfloor_layers::feeds::tak::{Frame, StreamFramer, control};

fuzz_target!(|data: &[u8]| {
    let Some((&chunk, stream)) = data.split_first() else {
        return;
    };
    let chunk = usize::from(chunk).max(1);
    let origin = Origin::Feed("cot/tcp fuzz".into());
    let mut framer = StreamFramer::default();
    for piece in stream.chunks(chunk) {
        for message in framer.push(piece).messages {
            if let Frame::Xml(xml) = &message {
                let _ = control::parse(xml);
            }
            let _ = decode_frame(&message, &origin, 0);
        }
    }
});
