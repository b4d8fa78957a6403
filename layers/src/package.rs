//! The incident package format (`watchfloor-incident/1`) as far as it is
//! read back: `manifest.json` (what the package holds, with the size and
//! SHA-256 of every file) and `notes.jsonl` (trainer notes added after
//! export). Packages come from outside: both are parsed strictly, and what
//! does not parse is named. Writing and hashing the files is the runtime's.

use serde::{Deserialize, Serialize};

/// The package format this build writes and reads.
pub const FORMAT: &str = "watchfloor-incident/1";

/// The manifest's file name, in the package folder.
pub const MANIFEST: &str = "manifest.json";

/// Notes a trainer may add after export; not covered by the manifest.
pub const TRAINER_NOTES: &str = "notes.jsonl";

/// The manifest of a package.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// [`FORMAT`].
    pub format: String,
    /// Start of the range (Unix µs).
    pub from_us: i64,
    /// End of the range (Unix µs).
    pub to_us: i64,
    /// When the package was written (Unix µs).
    pub created_us: i64,
    /// Cameras with clips in the package.
    pub cameras: Vec<String>,
    /// Whether people are blurred in the clips.
    pub redacted: bool,
    /// Every file but the manifest, sorted by path.
    pub files: Vec<ManifestFile>,
}

/// One file of a package.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestFile {
    /// Relative to the package folder, `/`-separated.
    pub path: String,
    /// Size.
    pub bytes: u64,
    /// SHA-256 of the content, lower-case hex.
    pub sha256: String,
}

/// Why a manifest was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ManifestError {
    /// Not JSON of a manifest's shape.
    #[error("not a manifest: {0}")]
    NotAManifest(String),
    /// Another package format.
    #[error("format `{0}` is not `{FORMAT}`")]
    Format(String),
}

impl Manifest {
    /// Parses a `manifest.json` text, checking its format.
    pub fn parse(text: &str) -> Result<Self, ManifestError> {
        let manifest: Self =
            serde_json::from_str(text).map_err(|e| ManifestError::NotAManifest(e.to_string()))?;
        if manifest.format != FORMAT {
            return Err(ManifestError::Format(manifest.format));
        }
        Ok(manifest)
    }
}

/// A moment someone marked on the timeline (a bookmark; in a package, a
/// trainer note).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Note {
    /// Unix microseconds.
    pub at_us: i64,
    /// What it is.
    pub text: String,
    /// Who marked it.
    pub by: String,
}

/// The notes of a `notes.jsonl` text, and each line that is not one (its
/// number, from 1, and why); blank lines are skipped.
pub fn parse_notes(text: &str) -> (Vec<Note>, Vec<(usize, String)>) {
    let mut notes = Vec::new();
    let mut bad = Vec::new();
    for (i, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        match serde_json::from_str::<Note>(line) {
            Ok(n) => notes.push(n),
            Err(e) => bad.push((i + 1, e.to_string())),
        }
    }
    (notes, bad)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manifest_of_another_format_is_refused() {
        let good = r#"{"format":"watchfloor-incident/1","from_us":1,"to_us":2,"created_us":3,
            "cameras":["c"],"redacted":true,"files":[{"path":"a","bytes":1,"sha256":"00"}]}"#;
        assert_eq!(Manifest::parse(good).expect("parses").cameras, ["c"]);
        let other = good.replace("watchfloor-incident/1", "other/9");
        assert_eq!(
            Manifest::parse(&other),
            Err(ManifestError::Format("other/9".into()))
        );
        assert!(matches!(
            Manifest::parse("{}"),
            Err(ManifestError::NotAManifest(_))
        ));
    }

    #[test]
    fn bad_note_lines_are_named_and_the_rest_kept() {
        let text = "{\"at_us\":5,\"text\":\"a\",\"by\":\"t\"}\n\nnot json\n{\"at_us\":6,\"text\":\"b\",\"by\":\"t\"}\n";
        let (notes, bad) = parse_notes(text);
        assert_eq!(notes.len(), 2);
        assert_eq!(bad.len(), 1);
        assert_eq!(bad[0].0, 3);
    }
}
