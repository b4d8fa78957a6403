//! Incident packages: writing them (`watchfloor export`, the console's
//! export dialog) and verifying them (`watchfloor export verify`).
//!
//! An export of `[from, to]` writes into one folder:
//! - `clips/<camera>/<start_ms>.mkv`: each recorded segment overlapping the
//!   range, cut to it, named by its first frame's wall-clock Unix ms (the
//!   recordings' layout). People are blurred and privacy masks filled grey
//!   (re-encoded) unless redaction is lifted and the camera has no masks
//!   (then remuxed, the recorded H.264 unchanged);
//! - `events.jsonl`: every journal event with time in `[from, to]`, one
//!   `Envelope::to_json` object a line (`{"v": 1, "envelope": …}`);
//! - `state.json`: the `WorldState` at `from` (events at `from` included);
//! - `tracks.geojson`: one `LineString` per unit and drone over the range;
//! - `layers.geojson`: checkpoints, cameras, rings and grid cells at `from`;
//! - `manifest.json`: range, cameras, redaction, and every other file with
//!   its size and SHA-256.
//!
//! [`verify`] checks a package against its manifest; a trainer's
//! `notes.jsonl` is the one file that may be added afterwards.

pub mod background;
pub mod geojson;
pub mod manifest;
pub mod open;
pub mod package;
pub mod privacy;
pub mod verify;

pub use manifest::{FORMAT, Manifest, ManifestFile, TRAINER_NOTES};
pub use open::{open_audit, open_journal};
pub use package::{CameraExport, ExportReport, ExportRequest, cameras_to_export, export};
pub use privacy::{check_privacy, privacy_policy};
pub use verify::{FileCheck, FileState, VerifyReport, verify};
