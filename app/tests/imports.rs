//! The committed overview outlines and demo site are exactly what their
//! import commands make from the published sources.

use std::path::{Path, PathBuf};
use std::process::Command;

fn assets() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets")
}

fn cache() -> PathBuf {
    std::env::var_os("XDG_CACHE_HOME").map_or_else(
        || PathBuf::from(std::env::var_os("HOME").expect("HOME")).join(".cache"),
        PathBuf::from,
    )
}

fn watchfloor(args: &[&str]) {
    let out = Command::new(env!("CARGO_BIN_EXE_watchfloor"))
        .args(["--log-level", "warn"])
        .args(args)
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn region_outlines_are_a_faithful_import_of_natural_earth() {
    let geojson = cache().join("watchfloor/natural-earth/world_map_outlines.geojson");
    assert!(
        geojson.exists(),
        "{} is missing: run scripts/fetch-regions.sh",
        geojson.display()
    );
    let out = std::env::temp_dir().join(format!("wf-regions-{}.wfmap", std::process::id()));
    watchfloor(&[
        "import",
        "regions",
        "--geojson",
        &geojson.to_string_lossy(),
        "--out",
        &out.to_string_lossy(),
    ]);
    let fresh = std::fs::read(&out).expect("written");
    std::fs::remove_file(&out).ok();
    assert!(
        fresh == std::fs::read(assets().join("basemap/regions.wfmap")).expect("committed"),
        "assets/basemap/regions.wfmap is stale"
    );
    let map = watchfloor_layers::basemap::Basemap::load(&assets().join("basemap/regions.wfmap"))
        .expect("loads");
    let level = |l: &str| {
        map.features
            .iter()
            .filter(|f| f.tags.get("admin_level").map(String::as_str) == Some(l))
            .count()
    };
    assert_eq!(
        (level("2"), level("4")),
        (240, 4556),
        "every country and province"
    );
    assert!(
        map.features
            .iter()
            .any(|f| f.tags.get("name").map(String::as_str) == Some("Kazakhstan"))
    );
}

#[test]
fn demo_site_is_reproducible_from_the_basemap() {
    let dir = std::env::temp_dir().join(format!("wf-demo-site-{}", std::process::id()));
    watchfloor(&[
        "import",
        "demo-site",
        "--basemap",
        &assets().join("basemap/astana.wfmap").to_string_lossy(),
        "--out",
        &dir.to_string_lossy(),
    ]);
    for file in ["site.toml", "astana.geojson"] {
        let fresh = std::fs::read(dir.join(file)).expect("written");
        assert!(
            fresh == std::fs::read(assets().join("site/astana").join(file)).expect("committed"),
            "{file} is stale"
        );
    }
    std::fs::remove_dir_all(&dir).ok();
    let (site, issues) =
        watchfloor_layers::site::Site::load(&assets().join("site/astana/site.toml"))
            .expect("loads");
    assert!(issues.is_empty(), "{issues:?}");
    assert!(
        site.checkpoints.len() >= 10 && site.rings.len() == 2 && site.grid.len() > 400,
        "{} {} {}",
        site.checkpoints.len(),
        site.rings.len(),
        site.grid.len()
    );
}
