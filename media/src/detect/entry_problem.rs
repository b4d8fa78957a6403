//! Why one `[[camera]]` entry of `detection.toml` (or its privacy masks)
//! did not load. The file, line and camera are added by the parser.

use super::descriptor::ClassNotEnabled;
use super::outline::Crossing;
use super::rules::RuleError;

/// What is wrong with one camera entry.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EntryProblem {
    /// The entry's fields do not read (TOML's own message; the entry's
    /// line is added by the parser).
    #[error("{}", .0.message().trim())]
    Fields(#[source] toml::de::Error),
    /// A key that looks meant for masks is not read as them.
    #[error("`{key}` is not `privacy_mask`, so its masks would not apply")]
    MisspeltMaskKey {
        /// The key written.
        key: String,
    },
    /// A privacy mask with fewer than three points.
    #[error("privacy mask #{index}: a polygon needs at least 3 points (it has {points})")]
    MaskTooFewPoints {
        /// The mask, from 0 in file order.
        index: usize,
        /// How many points it has.
        points: usize,
    },
    /// A privacy mask point outside the picture.
    #[error("privacy mask #{index}: point [{x}, {y}] is outside the image (0..1)")]
    MaskOutside {
        /// The mask, from 0 in file order.
        index: usize,
        /// The point.
        x: f32,
        /// The point.
        y: f32,
    },
    /// A privacy mask whose outline crosses itself.
    #[error("privacy mask #{index}: {crossing}")]
    MaskCrosses {
        /// The mask, from 0 in file order.
        index: usize,
        /// Where.
        crossing: Crossing,
    },
    /// A zone whose outline crosses itself.
    #[error("zone `{zone}`: {crossing}")]
    ZoneCrosses {
        /// The zone's id.
        zone: String,
        /// Where.
        crossing: Crossing,
    },
    /// The camera asks for a class its model does not enable.
    #[error(transparent)]
    Classes(#[from] ClassNotEnabled),
    /// Zones, lines and rules that do not fit together.
    #[error(transparent)]
    Rules(#[from] RuleError),
    /// A rule without a setting its kind needs.
    #[error("rule `{rule}`: `{kind}` needs {what}")]
    RuleNeeds {
        /// The rule's id.
        rule: String,
        /// Its kind.
        kind: String,
        /// What is missing (a zone, a line, `dwell_s`, `min_count`).
        what: &'static str,
    },
    /// A rule setting with a value it cannot take.
    #[error("rule `{rule}`: {key} `{given}` is not {allowed}")]
    RuleValue {
        /// The rule's id.
        rule: String,
        /// `kind`, `direction` or `severity`.
        key: &'static str,
        /// What was written.
        given: String,
        /// What it may be.
        allowed: &'static str,
    },
    /// A rule's class the model does not enable.
    #[error("rule `{rule}`: class `{class}` is not enabled by the model")]
    RuleClass {
        /// The rule's id.
        rule: String,
        /// The class.
        class: String,
    },
}
