//! `manifest.json`: what an incident package holds, with the size and
//! SHA-256 of every file, so that any change after export shows.

use std::io::Read as _;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};

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

impl ManifestFile {
    /// Sizes and hashes `dir/path`.
    pub fn of(dir: &Path, path: &str) -> anyhow::Result<Self> {
        let (bytes, sha256) = hash_file(&dir.join(path))?;
        Ok(Self {
            path: path.to_owned(),
            bytes,
            sha256,
        })
    }
}

impl Manifest {
    /// Reads `dir/manifest.json`.
    pub fn read(dir: &Path) -> anyhow::Result<Self> {
        let path = dir.join(MANIFEST);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            anyhow::anyhow!("{}: {e} (is this an incident package?)", path.display())
        })?;
        let manifest: Self = serde_json::from_str(&text)
            .map_err(|e| anyhow::anyhow!("{}: not a manifest: {e}", path.display()))?;
        anyhow::ensure!(
            manifest.format == FORMAT,
            "{}: format `{}` is not `{FORMAT}`",
            path.display(),
            manifest.format
        );
        Ok(manifest)
    }

    /// Writes `dir/manifest.json` (files sorted by path).
    pub fn write(&mut self, dir: &Path) -> anyhow::Result<PathBuf> {
        self.files.sort_by(|a, b| a.path.cmp(&b.path));
        let path = dir.join(MANIFEST);
        let text = serde_json::to_string_pretty(self)?;
        std::fs::write(&path, text + "\n")
            .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        Ok(path)
    }
}

/// Size and SHA-256 (hex) of a file, read in blocks.
pub fn hash_file(path: &Path) -> anyhow::Result<(u64, String)> {
    let mut file =
        std::fs::File::open(path).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    let mut sha = Sha256::new();
    let mut block = vec![0_u8; 1 << 16];
    let mut bytes = 0_u64;
    loop {
        let n = file
            .read(&mut block)
            .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        if n == 0 {
            break;
        }
        sha.update(&block[..n]);
        bytes += n as u64;
    }
    Ok((bytes, hex(&sha.finalize())))
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// Every file under `dir` as a relative `/`-separated path, sorted.
pub fn list_files(dir: &Path) -> anyhow::Result<Vec<String>> {
    let mut out = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        let entries =
            std::fs::read_dir(&folder).map_err(|e| anyhow::anyhow!("{}: {e}", folder.display()))?;
        for entry in entries {
            let entry = entry.map_err(|e| anyhow::anyhow!("{}: {e}", folder.display()))?;
            let path = entry.path();
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                pending.push(path);
            } else if let Ok(relative) = path.strip_prefix(dir) {
                let parts: Vec<String> = relative
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                out.push(parts.join("/"));
            }
        }
    }
    out.sort();
    Ok(out)
}
