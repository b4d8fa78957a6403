//! Feed protocols as pure parse/encode: bytes in, domain values out (and
//! back). Sockets live in `app`; nothing here does I/O, blocks or panics on
//! hostile input.

pub mod cot;
pub mod ingest;
pub mod mavlink;
mod mavlink_signing;
pub mod ports;
pub mod tak;
