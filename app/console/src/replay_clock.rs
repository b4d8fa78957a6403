//! The replay clock's state: the instant shown, speed, playing, the span
//! a package locks it to; the speeds offered and a frame's step; bookmarks.

use std::time::Instant;

/// Playback speeds offered.
pub const SPEEDS: [f32; 7] = [0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0];
/// One frame of the cameras (15 fps), for stepping.
pub const FRAME_US: i64 = 66_667;

/// A moment someone marked on the timeline (in a package: a trainer note).
pub use watchfloor_layers::package::Note as Bookmark;

/// Replay in progress.
pub(crate) struct ReplayClock {
    /// The instant shown, Unix µs.
    pub(crate) at: i64,
    pub(crate) speed: f32,
    pub(crate) playing: bool,
    pub(crate) tick: Instant,
    /// An incident package: no live end, the range is the package's.
    pub(crate) locked: Option<(i64, i64)>,
}

/// What replay needs to start once the window is up.
pub(crate) struct PendingReplay {
    pub(crate) at: i64,
    pub(crate) locked: Option<(i64, i64)>,
}
