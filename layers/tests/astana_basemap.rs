//! The committed Astana basemap: it is exactly what importing the published
//! tiles gives, it carries no editor names, and its roads form one network.

use std::path::{Path, PathBuf};

use watchfloor_layers::basemap::{Basemap, FeatureClass, RoadClass};
use watchfloor_layers::frame::LocalFrame;
use watchfloor_layers::roads::{RoadGraph, TravelMode};

fn committed() -> Basemap {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/basemap/astana.wfmap");
    Basemap::load(&path).expect("assets/basemap/astana.wfmap loads")
}

/// The tiles from the npm registry (`scripts/fetch-basemap.sh`, which the
/// test command runs first).
fn tiles() -> PathBuf {
    let cache = std::env::var_os("XDG_CACHE_HOME").map_or_else(
        || PathBuf::from(std::env::var_os("HOME").expect("HOME")).join(".cache"),
        PathBuf::from,
    );
    let dir = cache.join("watchfloor/mvt-fixtures-4.0.0/package/real-world/osm-qa-astana");
    assert!(
        dir.join("12-2860-1368.mvt").exists(),
        "{} is missing: run scripts/fetch-basemap.sh",
        dir.display()
    );
    dir
}

#[test]
fn committed_basemap_is_a_faithful_import_without_editor_tags() {
    let (imported, report) =
        Basemap::import_tiles(&tiles(), &committed().attribution).expect("tiles import");
    assert_eq!(report.tiles, 16);
    assert_eq!(
        report.dropped_tags.get("@user"),
        Some(&50_835),
        "every feature had an @user tag"
    );
    let kept = |c| report.kept.get(&c).copied().unwrap_or(0);
    assert_eq!(kept(FeatureClass::Building), 32_336);
    let roads: usize = report
        .kept
        .iter()
        .filter(|(c, _)| matches!(c, FeatureClass::Road(_)))
        .map(|(_, n)| n)
        .sum();
    assert_eq!(roads, 10_618);
    assert!(
        imported == committed(),
        "assets/basemap/astana.wfmap is stale: re-import it"
    );
    for f in &imported.features {
        assert!(f.tags.keys().all(|k| !k.starts_with('@')), "{:?}", f.tags);
    }
    let [sw, ne] = imported.bounds().expect("features");
    assert!(
        sw[0] < 71.3 && ne[0] > 71.6 && sw[1] < 51.07 && ne[1] > 51.28,
        "{sw:?} {ne:?}"
    );
}

#[test]
fn astana_roads_form_one_network_with_sensible_travel_times() {
    let map = committed();
    let graph = RoadGraph::from_basemap(&map, LocalFrame::new([71.43, 51.13]));
    let stats = graph.stats();
    assert!(stats.nodes > 40_000, "{stats:?}");
    assert!(
        stats.largest_component * 100 >= stats.nodes * 95,
        "tile pieces must join: {stats:?}"
    );
    // Baiterek tower to Khan Shatyr, about 2 km apart: a few minutes by car.
    let eta = graph.eta([71.4304, 51.1283], [71.4036, 51.1326], TravelMode::CAR);
    assert!(eta.by_road, "{eta:?}");
    assert!((120.0..600.0).contains(&eta.seconds), "{eta:?}");
    assert!(
        eta.metres > 1900.0,
        "roads are never shorter than the crow flies: {eta:?}"
    );
    let reach = graph.reachability([71.4304, 51.1283], TravelMode::CAR, &[60.0, 180.0, 300.0]);
    assert!(
        reach[0].nodes < reach[1].nodes && reach[1].nodes < reach[2].nodes,
        "{reach:?}"
    );
    assert!(
        map.features
            .iter()
            .any(|f| f.class == FeatureClass::Road(RoadClass::Trunk))
    );
}
