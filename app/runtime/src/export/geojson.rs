//! The map parts of an incident package as GeoJSON: where each unit and
//! drone went during the range (`tracks.geojson`) and the site's layers
//! at its start (`layers.geojson`). Coordinates are `[lon, lat]`.

use std::collections::BTreeMap;

use serde_json::{Value, json};
use watchfloor_layers::event::Event;
use watchfloor_layers::model::{LonLat, UnixMicros};
use watchfloor_layers::world::{World, WorldState};

/// Positions of units and drones over a range, in event order.
#[derive(Debug, Default)]
pub struct Tracks {
    /// By `unit:<id>` / `drone:<system id>`.
    tracks: BTreeMap<String, Track>,
}

#[derive(Debug)]
struct Track {
    entity: &'static str,
    id: String,
    kind: String,
    name: String,
    points: Vec<(UnixMicros, LonLat)>,
}

impl Tracks {
    /// Starts with where everything was at `from`.
    pub fn start(state: &WorldState, from: UnixMicros) -> Self {
        let mut tracks = Self::default();
        for id in state.units.keys() {
            tracks.unit(state, id, from);
        }
        for system_id in state.drones.keys() {
            tracks.drone(state, *system_id, from);
        }
        tracks
    }

    /// Takes the position an event (already applied to `world`) gave.
    pub fn after(&mut self, event: &Event, world: &World, at: UnixMicros) {
        match event {
            Event::UnitReported(report) => self.unit(world.state(), &report.id, at),
            Event::DroneTelemetry { system_id, .. } => {
                self.drone(world.state(), *system_id, at);
            }
            _ => {}
        }
    }

    fn unit(&mut self, state: &WorldState, id: &str, at: UnixMicros) {
        let Some(unit) = state.units.get(id) else {
            return;
        };
        let track = self
            .tracks
            .entry(format!("unit:{id}"))
            .or_insert_with(|| Track {
                entity: "unit",
                id: id.to_owned(),
                kind: format!("{:?}", unit.kind).to_lowercase(),
                name: String::new(),
                points: Vec::new(),
            });
        track.name.clone_from(&unit.callsign);
        track.push(at, unit.lonlat);
    }

    fn drone(&mut self, state: &WorldState, system_id: u32, at: UnixMicros) {
        let Some(drone) = state.drones.get(&system_id) else {
            return;
        };
        let Some(lonlat) = drone.lonlat else {
            return;
        };
        let track = self
            .tracks
            .entry(format!("drone:{system_id}"))
            .or_insert_with(|| Track {
                entity: "drone",
                id: system_id.to_string(),
                kind: "drone".into(),
                name: String::new(),
                points: Vec::new(),
            });
        track.name.clone_from(&drone.name);
        track.push(at, lonlat);
    }

    /// A `FeatureCollection`: one `LineString` per unit and drone (a single
    /// position is repeated, as a line needs two), with `id`, `kind`,
    /// `name`, `entity` (unit or drone) and `times_us` (one per position).
    pub fn to_geojson(&self) -> Value {
        let features: Vec<Value> = self
            .tracks
            .values()
            .map(|t| {
                let mut points = t.points.clone();
                if points.len() == 1 {
                    points.push(points[0]);
                }
                json!({
                    "type": "Feature",
                    "geometry": {
                        "type": "LineString",
                        "coordinates": points.iter().map(|(_, p)| [p[0], p[1]]).collect::<Vec<_>>(),
                    },
                    "properties": {
                        "id": t.id,
                        "kind": t.kind,
                        "name": t.name,
                        "entity": t.entity,
                        "times_us": points.iter().map(|(at, _)| *at).collect::<Vec<_>>(),
                    },
                })
            })
            .collect();
        json!({ "type": "FeatureCollection", "features": features })
    }
}

impl Track {
    /// Adds a position if it moved.
    fn push(&mut self, at: UnixMicros, lonlat: LonLat) {
        let moved = |(_, last): &(UnixMicros, LonLat)| {
            last[0].to_bits() != lonlat[0].to_bits() || last[1].to_bits() != lonlat[1].to_bits()
        };
        if self.points.last().is_none_or(moved) {
            self.points.push((at, lonlat));
        }
    }
}

/// The site's layers in `state` as a `FeatureCollection`: checkpoints and
/// cameras (points), rings and grid cells (polygons), each with `layer`,
/// `id` and `name` properties.
pub fn layers(state: &WorldState) -> Value {
    let mut features = Vec::new();
    for c in state.checkpoints.values() {
        features.push(point(
            c.lonlat,
            &json!({
                "layer": "checkpoint", "id": c.id, "name": c.name,
                "kind": c.kind, "status": c.status, "lanes": c.lanes,
                "cameras": c.cameras, "ring": c.ring,
            }),
        ));
    }
    for c in state.cameras.values() {
        features.push(point(
            c.lonlat,
            &json!({
                "layer": "camera", "id": c.id, "name": c.name,
                "heading_deg": c.heading_deg, "fov_deg": c.fov_deg, "range_m": c.range_m,
            }),
        ));
    }
    for r in state.rings.values() {
        features.push(polygon(
            &r.polygon,
            &json!({ "layer": "ring", "id": r.id, "name": r.name, "level": r.level }),
        ));
    }
    for g in state.grid.values() {
        features.push(polygon(
            &g.polygon,
            &json!({ "layer": "grid", "id": g.id, "name": g.id, "responsible": g.responsible }),
        ));
    }
    json!({ "type": "FeatureCollection", "features": features })
}

fn point(lonlat: LonLat, properties: &Value) -> Value {
    json!({
        "type": "Feature",
        "geometry": { "type": "Point", "coordinates": [lonlat[0], lonlat[1]] },
        "properties": properties,
    })
}

/// A polygon feature; the ring is closed (first point repeated) as GeoJSON
/// requires.
fn polygon(ring: &[LonLat], properties: &Value) -> Value {
    let mut coordinates: Vec<[f64; 2]> = ring.iter().map(|p| [p[0], p[1]]).collect();
    if let (Some(&first), Some(&last)) = (coordinates.first(), coordinates.last())
        && (first[0].to_bits(), first[1].to_bits()) != (last[0].to_bits(), last[1].to_bits())
    {
        coordinates.push(first);
    }
    json!({
        "type": "Feature",
        "geometry": { "type": "Polygon", "coordinates": [coordinates] },
        "properties": properties,
    })
}
