//! An incident package as `watchfloor replay` reads it (packages come from
//! outside): the first line is `state.json`, the rest `events.jsonl`; the
//! state is built and every event applied, as the trainer's console does.
#![no_main]

use libfuzzer_sys::fuzz_target;
use watchfloor_layers::event::Envelope;
use watchfloor_layers::world::{World, WorldState};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut lines = text.lines();
    let state = lines
        .next()
        .and_then(|l| serde_json::from_str::<WorldState>(l).ok())
        .unwrap_or_default();
    let mut world = World::from_state(state);
    for line in lines {
        if let Ok(envelope) = Envelope::from_json(line) {
            world.apply(&envelope);
        }
    }
});
