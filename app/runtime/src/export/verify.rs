//! Checking an incident package against its manifest: every listed file is
//! hashed again; missing, altered and unlisted files are named. The
//! trainer's `notes.jsonl` is the one file that may be added after export.

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};

use super::manifest::{MANIFEST, Manifest, TRAINER_NOTES, hash_file, list_files};

/// What verification found for one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileState {
    /// Size and SHA-256 as listed.
    Intact,
    /// Listed but not there.
    Missing,
    /// Its size or content changed since export (says which).
    Altered(String),
    /// There but not in the manifest.
    Unlisted,
    /// The trainer's notes: not covered by the manifest, accepted.
    TrainerNotes,
    /// The manifest lists a path outside the package (not read).
    OutsidePackage,
}

impl FileState {
    /// Whether this file breaks the package.
    pub fn is_problem(&self) -> bool {
        !matches!(self, Self::Intact | Self::TrainerNotes)
    }

    /// In words, for the table.
    pub fn describe(&self) -> String {
        match self {
            Self::Intact => "ok".into(),
            Self::Missing => "MISSING".into(),
            Self::Altered(how) => format!("ALTERED ({how})"),
            Self::Unlisted => "UNLISTED (not in the manifest)".into(),
            Self::TrainerNotes => "trainer notes (not covered by the manifest)".into(),
            Self::OutsidePackage => "REFUSED (a path outside the package)".into(),
        }
    }
}

/// One file and its state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileCheck {
    /// Relative path, `/`-separated.
    pub path: String,
    /// Size found on disk, if the file is there.
    pub bytes: Option<u64>,
    /// What was found.
    pub state: FileState,
}

/// The result of [`verify`].
#[derive(Debug, Clone)]
pub struct VerifyReport {
    /// The package folder.
    pub dir: PathBuf,
    /// Its manifest.
    pub manifest: Manifest,
    /// Every listed file, then every file found but not listed.
    pub files: Vec<FileCheck>,
}

impl VerifyReport {
    /// Whether every listed file is intact and nothing else was added
    /// (trainer notes apart).
    pub fn is_intact(&self) -> bool {
        !self.files.iter().any(|f| f.state.is_problem())
    }

    /// The files that break the package.
    pub fn problems(&self) -> impl Iterator<Item = &FileCheck> {
        self.files.iter().filter(|f| f.state.is_problem())
    }

    /// Listed files that verified.
    pub fn intact(&self) -> usize {
        self.files
            .iter()
            .filter(|f| f.state == FileState::Intact)
            .count()
    }
}

/// Recomputes the size and SHA-256 of every file the manifest of `dir`
/// lists and looks for files it does not list. Fails only when the
/// manifest itself cannot be read; a damaged package is a report whose
/// [`VerifyReport::is_intact`] is false.
pub fn verify(dir: &Path) -> anyhow::Result<VerifyReport> {
    let manifest = super::manifest::read(dir)?;
    let mut files = Vec::new();
    for listed in &manifest.files {
        files.push(check_listed(dir, listed));
    }
    let listed: BTreeSet<&str> = manifest.files.iter().map(|f| f.path.as_str()).collect();
    for path in list_files(dir)? {
        if path == MANIFEST || listed.contains(path.as_str()) {
            continue;
        }
        let meta = std::fs::symlink_metadata(dir.join(&path)).ok();
        let bytes = meta.as_ref().map(std::fs::Metadata::len);
        let regular = meta.is_some_and(|m| m.file_type().is_file());
        let state = if path == TRAINER_NOTES && regular {
            FileState::TrainerNotes
        } else {
            FileState::Unlisted
        };
        files.push(FileCheck { path, bytes, state });
    }
    Ok(VerifyReport {
        dir: dir.to_path_buf(),
        manifest,
        files,
    })
}

/// Checks one listed file.
fn check_listed(dir: &Path, listed: &super::manifest::ManifestFile) -> FileCheck {
    let check = |bytes, state| FileCheck {
        path: listed.path.clone(),
        bytes,
        state,
    };
    if !is_inside(&listed.path) {
        return check(None, FileState::OutsidePackage);
    }
    let path = dir.join(&listed.path);
    match std::fs::symlink_metadata(&path) {
        Err(_) => return check(None, FileState::Missing),
        // A link could point anywhere: only the package's own files count.
        Ok(m) if !m.file_type().is_file() => {
            return check(
                None,
                FileState::Altered("not a regular file (a link?)".into()),
            );
        }
        Ok(_) => {}
    }
    match hash_file(&path) {
        Ok((bytes, _)) if bytes != listed.bytes => check(
            Some(bytes),
            FileState::Altered(format!("{bytes} bytes, listed {}", listed.bytes)),
        ),
        Ok((bytes, sha)) if sha != listed.sha256 => check(
            Some(bytes),
            FileState::Altered("its SHA-256 differs".into()),
        ),
        Ok((bytes, _)) => check(Some(bytes), FileState::Intact),
        Err(e) => check(None, FileState::Altered(format!("unreadable: {e}"))),
    }
}

/// Whether a listed path stays inside the package (relative, no `..`).
fn is_inside(path: &str) -> bool {
    !path.is_empty()
        && !path.contains('\\')
        && Path::new(path)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_relative_paths_are_inside() {
        assert!(is_inside("clips/cam-1/1790000000000.mkv"));
        assert!(is_inside("events.jsonl"));
        for bad in ["", "/etc/passwd", "../x", "clips/../../x", "a\\b"] {
            assert!(!is_inside(bad), "{bad}");
        }
    }
}
