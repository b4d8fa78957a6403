//! Finding the project's `assets/` folder at run time: `WATCHFLOOR_ASSETS`,
//! else beside the executable's install (`../share/watchfloor/assets`), else
//! the source checkout this binary was built from.

use std::path::{Path, PathBuf};

/// Overrides where assets are looked for.
pub const ASSETS_ENV: &str = "WATCHFLOOR_ASSETS";

const CHECKOUT_ASSETS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../assets");

/// The assets folder, or every place that was tried.
pub fn assets_dir() -> Result<PathBuf, Vec<PathBuf>> {
    let mut tried = Vec::new();
    if let Some(dir) = std::env::var_os(ASSETS_ENV).map(PathBuf::from) {
        return if dir.is_dir() {
            Ok(dir)
        } else {
            Err(vec![dir])
        };
    }
    if let Some(exe_dir) = std::env::current_exe()
        .ok()
        .and_then(|e| e.parent().map(Path::to_path_buf))
    {
        tried.push(exe_dir.join("../share/watchfloor/assets"));
    }
    tried.push(PathBuf::from(CHECKOUT_ASSETS));
    tried.iter().find(|d| d.is_dir()).cloned().ok_or(tried)
}

/// Where derived files (e.g. encoded simulator footage) are cached:
/// `$XDG_CACHE_HOME/watchfloor`, else `~/.cache/watchfloor`, else a temp folder.
pub fn cache_dir() -> PathBuf {
    std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
        .unwrap_or_else(std::env::temp_dir)
        .join("watchfloor")
}
