//! What the operator asked for this frame. The console only returns these;
//! the program applies them, in order, in one place.

use std::path::PathBuf;

use watchfloor_layers::audit::AuditAction;
use watchfloor_layers::event::Event;
use watchfloor_media::detect::scheduler::Priority;

/// One request from the console to the runtime.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// Apply an operator's events to the live world, as one action (then
    /// audit what they did: acknowledge, dispatch, resolve with its note).
    Act(Vec<Event>),
    /// Record an action in the audit trail.
    Audit(AuditAction),
    /// Sound the alert chime (a new critical alert).
    Chime,
    /// Replay from the journal and recordings (the world shown becomes the
    /// replayed one; recorded video plays in place of live pictures).
    StartReplay,
    /// Show the world and the cameras `on_screen` (view indices) at this
    /// instant of the past.
    ReplayAt {
        /// Unix µs.
        at: i64,
        /// The cameras on screen, whose players decode.
        on_screen: Vec<usize>,
    },
    /// Back to the live world and pictures.
    GoLive,
    /// Keep the layouts (the text of `layouts.json`).
    SaveLayouts(String),
    /// Append a trainer's note to the package (one `notes.jsonl` line).
    AppendNote(String),
    /// Detection priority of each camera (by id).
    SetPriorities(Vec<(String, Priority)>),
    /// Reachability areas around an alert (prepared off the UI thread).
    WantReach {
        /// The alert.
        alert: String,
        /// Where it is.
        lonlat: [f64; 2],
    },
    /// The nearest units by travel time for an alert (prepared off the UI
    /// thread, refreshed while asked for).
    WantSuggestions {
        /// The alert.
        alert: String,
    },
    /// Write (and verify) an incident package.
    Export(ExportAsk),
}

/// An export as the dialog asks for it; the program adds the recordings,
/// the privacy masks and the journal, and audits it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportAsk {
    /// Start of the span, Unix µs.
    pub from_us: i64,
    /// End of the span, Unix µs.
    pub to_us: i64,
    /// The package folder.
    pub out: PathBuf,
    /// Why a supervisor lifted redaction (`None`: people stay blurred).
    pub lifted: Option<String>,
}
