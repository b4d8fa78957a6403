//! Where the console keeps and finds things: the user's data and config
//! folders (XDG), the assets folder, and the demo's files under it.

use std::path::PathBuf;

/// The demo site, under the assets folder.
pub const DEMO_SITE: &str = "site/astana/site.toml";
/// The Astana basemap, under the assets folder.
pub const ASTANA_BASEMAP: &str = "basemap/astana.wfmap";
/// The demo site's detection rules (with its privacy masks), under the
/// assets folder.
pub const DEMO_RULES: &str = "site/astana/detection.toml";
/// The demo's recordings folder, under the cache.
pub const DEMO_RECORDINGS: &str = "demo-recordings";

/// The user's data folder: `$XDG_DATA_HOME/watchfloor`, else
/// `~/.local/share/watchfloor`.
pub fn data_dir() -> PathBuf {
    xdg_dir("XDG_DATA_HOME", ".local/share")
}

/// The default folder for `layouts.json`: `$XDG_CONFIG_HOME/watchfloor`,
/// else `~/.config/watchfloor`.
pub fn config_dir() -> PathBuf {
    xdg_dir("XDG_CONFIG_HOME", ".config")
}

/// The console's default audit log.
pub fn audit_dir() -> PathBuf {
    data_dir().join("audit")
}

/// `$<var>/watchfloor`, else `~/<home_relative>/watchfloor` (the XDG base
/// directory rules), else under the temporary folder.
pub fn xdg_dir(var: &str, home_relative: &str) -> PathBuf {
    std::env::var_os(var)
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(home_relative)))
        .unwrap_or_else(std::env::temp_dir)
        .join("watchfloor")
}

/// An asset path, from the assets folder.
pub fn asset(relative: &str) -> anyhow::Result<PathBuf> {
    let dir = watchfloor_media::assets::assets_dir().map_err(|tried| {
        anyhow::anyhow!("no assets folder (tried {tried:?}; set WATCHFLOOR_ASSETS)")
    })?;
    Ok(dir.join(relative))
}
