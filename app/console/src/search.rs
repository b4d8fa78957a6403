//! Find anything by name (Ctrl+K): cameras, patrol units, drones,
//! checkpoints and places. Enter takes the first match; a unit, drone or
//! place centres the map on it, a camera goes to the wall, a checkpoint
//! opens its view (and centres the map).

use crate::command::Command;
use crate::i18n::Msg;
use crate::{area, frame::FrameCtx, seat::Seat, theme};

/// Matches shown at most.
const MAX_MATCHES: usize = 12;

/// What a match leads to.
#[derive(Debug, Clone, PartialEq)]
pub enum Found {
    /// A camera, by index in the cameras list.
    Camera(usize),
    /// Something with a place on the map.
    Place([f64; 2]),
    /// A checkpoint, by id: its view replaces the wall.
    Checkpoint(String),
}

/// One match: what kind, its name, and where it leads.
#[derive(Debug, Clone, PartialEq)]
pub struct Match {
    /// The kind of thing, in the console's language.
    pub kind: &'static str,
    /// Its name.
    pub name: String,
    /// Where choosing it leads.
    pub found: Found,
}

/// Everything whose name contains `query` (case-insensitive), cameras and
/// units first, at most [`MAX_MATCHES`].
pub fn find(console: &Seat, ctx: &FrameCtx, query: &str) -> Vec<Match> {
    let q = query.trim().to_lowercase();
    if q.is_empty() {
        return Vec::new();
    }
    let hit = |name: &str| name.to_lowercase().contains(&q);
    let mut out = Vec::new();
    for (i, v) in ctx.cameras.iter().enumerate() {
        if hit(&v.name) || hit(&v.id) {
            out.push(Match {
                kind: console.t(Msg::TabCameras),
                name: v.name.clone(),
                found: Found::Camera(i),
            });
        }
    }
    if let Some(world) = ctx.world {
        let state = world.state();
        for u in state
            .units
            .values()
            .filter(|u| hit(&u.callsign) || hit(&u.id))
        {
            out.push(Match {
                kind: console.t(Msg::TabUnits),
                name: u.callsign.clone(),
                found: Found::Place(u.lonlat),
            });
        }
        for d in state.drones.values().filter(|d| hit(&d.name)) {
            if let Some(p) = d.lonlat {
                out.push(Match {
                    kind: console.t(Msg::LayerDrones),
                    name: d.name.clone(),
                    found: Found::Place(p),
                });
            }
        }
        for c in state
            .checkpoints
            .values()
            .filter(|c| hit(&c.name) || hit(&c.id))
        {
            out.push(Match {
                kind: console.t(Msg::LayerSites),
                name: c.name.clone(),
                found: Found::Checkpoint(c.id.clone()),
            });
        }
    }
    if let Some(map) = ctx.map {
        let mut seen = std::collections::BTreeSet::new();
        for l in map.labels.iter().filter(|l| hit(&l.text)) {
            if seen.insert(l.text.clone()) {
                out.push(Match {
                    kind: console.t(Msg::SearchPlace),
                    name: l.text.clone(),
                    found: Found::Place(l.lonlat),
                });
            }
        }
    }
    out.truncate(MAX_MATCHES);
    out
}

/// Takes a match: the map centres on it, or the camera goes to the wall.
pub fn choose(console: &mut Seat, ctx: &FrameCtx, found: &Found) {
    match found {
        Found::Camera(i) => {
            console.checkpoint = None;
            console.wall.show_first(&[*i]);
            console.focus = crate::area::Area::Wall;
        }
        Found::Place(lonlat) => {
            console.centre_on = Some(*lonlat);
            console.focus = crate::area::Area::Map;
        }
        Found::Checkpoint(id) => {
            console.open_checkpoint(Some(id), ctx.world);
            console.focus = crate::area::Area::Wall;
        }
    }
}

/// The find window (Ctrl+K), and what is typed in it.
#[derive(Default)]
pub(crate) struct SearchWindow {
    text: String,
}

impl SearchWindow {
    /// Draws it; returns what the operator asked for.
    pub(crate) fn ui(
        &mut self,
        seat: &mut Seat,
        frame: &FrameCtx,
        ctx: &egui::Context,
    ) -> Vec<Command> {
        show(self, seat, frame, ctx);
        seat.take_commands()
    }
}

fn show(window: &mut SearchWindow, console: &mut Seat, frame: &FrameCtx, ctx: &egui::Context) {
    if ctx.input_mut(|i| i.consume_shortcut(&area::SEARCH)) {
        console.search_open = !console.search_open;
        window.text.clear();
    }
    if !console.search_open {
        return;
    }
    let mut open = true;
    let mut chosen = None;
    egui::Window::new(console.t(Msg::Search))
        .open(&mut open)
        .collapsible(false)
        .resizable(false)
        .anchor(egui::Align2::CENTER_TOP, egui::vec2(0.0, 80.0))
        .show(ctx, |ui| {
            // Read Enter before the text field takes it.
            let enter = ui.input(|i| i.key_pressed(egui::Key::Enter));
            let mut text = std::mem::take(&mut window.text);
            let edit = ui.add(
                egui::TextEdit::singleline(&mut text)
                    .hint_text(console.t(Msg::SearchHint))
                    .desired_width(420.0),
            );
            edit.request_focus();
            let matches = find(console, frame, &text);
            if enter {
                chosen = matches.first().map(|m| m.found.clone());
            }
            for m in &matches {
                let row = format!("{} · {}", m.kind, m.name);
                if ui.selectable_label(false, row).clicked() {
                    chosen = Some(m.found.clone());
                }
            }
            if !text.trim().is_empty() && matches.is_empty() {
                ui.label(
                    egui::RichText::new(console.t(Msg::SearchNothing)).color(theme::TEXT_WEAK),
                );
            }
            window.text = text;
        });
    if let Some(found) = chosen {
        choose(console, frame, &found);
        open = false;
    }
    if ctx.input(|i| i.key_pressed(egui::Key::Escape)) {
        open = false;
    }
    console.search_open = open;
}
