//! `manifest.json`: what an incident package holds, with the size and
//! SHA-256 of every file, so that any change after export shows.

use std::io::Read as _;
use std::path::{Path, PathBuf};

use sha2::{Digest as _, Sha256};

pub use watchfloor_layers::package::{FORMAT, MANIFEST, Manifest, ManifestFile, TRAINER_NOTES};

/// Sizes and hashes `dir/path`.
pub fn file_of(dir: &Path, path: &str) -> anyhow::Result<ManifestFile> {
    let (bytes, sha256) = hash_file(&dir.join(path))?;
    Ok(ManifestFile {
        path: path.to_owned(),
        bytes,
        sha256,
    })
}

/// Reads `dir/manifest.json`.
pub fn read(dir: &Path) -> anyhow::Result<Manifest> {
    let path = dir.join(MANIFEST);
    let text = std::fs::read_to_string(&path)
        .map_err(|e| anyhow::anyhow!("{}: {e} (is this an incident package?)", path.display()))?;
    Manifest::parse(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
}

/// Writes `dir/manifest.json` (files sorted by path).
pub fn write(manifest: &mut Manifest, dir: &Path) -> anyhow::Result<PathBuf> {
    manifest.files.sort_by(|a, b| a.path.cmp(&b.path));
    let path = dir.join(MANIFEST);
    let text = serde_json::to_string_pretty(manifest)?;
    std::fs::write(&path, text + "\n").map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    Ok(path)
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
