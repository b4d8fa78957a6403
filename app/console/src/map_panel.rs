//! The map area in the centre: the Astana basemap on the GPU with what
//! the [`map_layers`] draw over it (units, drones, checkpoints and open
//! alerts as instanced markers; reach, grid, cones, rings and footprints as
//! outlines; names last); drag to pan, wheel to zoom, keys when focused;
//! hover and click pick what is under the cursor. Until the basemap is on the GPU it shows a plain canvas and
//! says what will be drawn here.

use std::sync::Arc;

use watchfloor_render::map::{Camera, SceneFrame};

use crate::i18n::Msg;
use crate::map_layers;
use crate::{
    area::Area, command::Command, frame::FrameCtx, seat::Seat, theme, widgets::area_heading,
    widgets::empty_hint, widgets::track_focus,
};

/// Spacing of the placeholder graticule, in points.
const GRID_STEP: f32 = 64.0;
/// Which live layers the map draws (saved with each mode's layout).
pub type Layers = crate::modes::MapLayers;

/// Zoom the map opens at (the whole city).
const START_ZOOM: f64 = 12.3;

/// The map panel, and where it looks.
pub(crate) struct MapPanel {
    camera: Option<Camera>,
    start_zoom: f64,
}

impl Default for MapPanel {
    fn default() -> Self {
        Self {
            camera: None,
            start_zoom: START_ZOOM,
        }
    }
}

impl MapPanel {
    /// Sets the zoom (0 = the world in 256 px; ~12 a city, ~16 a street).
    pub(crate) fn set_zoom(&mut self, zoom: f64) {
        self.start_zoom = zoom;
        if let Some(camera) = &mut self.camera {
            camera.zoom = zoom;
        }
    }

    /// Draws the map; returns what the operator asked for.
    pub(crate) fn ui(
        &mut self,
        seat: &mut Seat,
        ctx: &FrameCtx,
        ui: &mut egui::Ui,
    ) -> Vec<Command> {
        show(self, seat, ctx, ui);
        seat.take_commands()
    }
}

fn show(map: &mut MapPanel, console: &mut Seat, ctx: &FrameCtx, ui: &mut egui::Ui) {
    let rect = ui.max_rect();
    crate::widgets::name_area(ui, console.t(Area::Map.title()));
    match ctx.map {
        Some(loaded) => live_map(map, console, ctx, ui, rect, loaded),
        None => placeholder(console, ctx, ui, rect),
    }
    egui::Frame::new()
        .inner_margin(egui::Margin::same(12))
        .show(ui, |ui| {
            area_heading(console, ui, Area::Map);
            if ctx.map.is_some() {
                layer_toggles(console, ui);
            }
        });
    track_focus(console, ui, Area::Map, rect);
}

fn layer_toggles(console: &mut Seat, ui: &mut egui::Ui) {
    let lang = console.lang;
    let layers = &mut console.layers;
    ui.horizontal_wrapped(|ui| {
        for (on, msg) in [
            (&mut layers.units, Msg::LayerUnits),
            (&mut layers.drones, Msg::LayerDrones),
            (&mut layers.alerts, Msg::LayerAlerts),
            (&mut layers.sites, Msg::LayerSites),
            (&mut layers.cameras, Msg::LayerCameras),
            (&mut layers.rings, Msg::LayerRings),
            (&mut layers.grid, Msg::LayerGrid),
            (&mut layers.reach, Msg::LayerReach),
        ] {
            let response = ui.selectable_label(*on, msg.text(lang));
            let response = if msg == Msg::LayerReach {
                response.on_hover_text(Msg::ReachHint.text(lang))
            } else {
                response
            };
            if response.clicked() {
                *on = !*on;
            }
        }
    });
}

fn placeholder(console: &Seat, ctx: &FrameCtx, ui: &mut egui::Ui, rect: egui::Rect) {
    let painter = ui.painter_at(rect);
    painter.rect_filled(rect, 0.0, theme::CANVAS_FILL);
    let line = egui::Stroke::new(1.0, theme::LINE.gamma_multiply(0.6));
    let mut x = rect.left() + GRID_STEP;
    while x < rect.right() {
        painter.vline(x, rect.y_range(), line);
        x += GRID_STEP;
    }
    let mut y = rect.top() + GRID_STEP;
    while y < rect.bottom() {
        painter.hline(rect.x_range(), y, line);
        y += GRID_STEP;
    }
    let hint_rect = egui::Rect::from_center_size(
        rect.center(),
        egui::vec2(rect.width().min(560.0) - 40.0, 120.0),
    );
    let text = match ctx.map_error {
        Some(e) => format!("{}\n{e}", console.t(Msg::MapEmpty)),
        None => console.t(Msg::MapEmpty).to_owned(),
    };
    ui.scope_builder(egui::UiBuilder::new().max_rect(hint_rect), |ui| {
        ui.vertical_centered(|ui| empty_hint(ui, &text));
    });
}

fn live_map(
    map: &mut MapPanel,
    console: &mut Seat,
    ctx: &FrameCtx,
    ui: &mut egui::Ui,
    rect: egui::Rect,
    loaded: &watchfloor_render::map::LoadedMap,
) {
    let (frame, attribution) = (&loaded.frame, loaded.attribution.as_str());
    let origin = ctx
        .world
        .map_or(watchfloor_layers::site::DEFAULT_ORIGIN, |w| {
            w.frame().origin()
        });
    let start_zoom = map.start_zoom;
    let camera = map.camera.get_or_insert_with(|| Camera {
        centre: frame.scene(origin),
        zoom: start_zoom,
        rotation: 0.0,
        viewport: [rect.width(), rect.height()],
    });
    camera.viewport = [rect.width(), rect.height()];
    // An alert selected in the queue: the map centres on it (once).
    if let Some(lonlat) = console.centre_on.take() {
        camera.centre = frame.scene(lonlat);
    }

    let response = ui.interact(
        rect,
        ui.scope_id().with("map"),
        egui::Sense::click_and_drag(),
    );
    if response.drag_started()
        && let Some(press) = ui.input(|i| i.pointer.press_origin())
        && let Some(index) = live_camera_at(ctx, console.layers, camera, frame, press - rect.min)
    {
        // A drag that starts on a camera with live video carries it to a
        // wall tile instead of panning the map.
        egui::DragAndDrop::set_payload(ui.ctx(), crate::wall_state::CameraDrag(index));
    }
    let carrying = egui::DragAndDrop::payload::<crate::wall_state::CameraDrag>(ui.ctx());
    if let Some(drag) = &carrying {
        carried_camera_label(ctx.cameras, ui, drag.0);
    } else if response.dragged() {
        let d = response.drag_delta();
        camera.pan_pixels([d.x, d.y]);
    }
    if response.hovered() {
        let scroll = ui.input(|i| i.smooth_scroll_delta.y);
        if scroll != 0.0
            && let Some(p) = response.hover_pos()
        {
            let local = p - rect.min;
            camera.zoom_about([local.x, local.y], f64::from(scroll) / 120.0);
        }
    }
    if console.focus == Area::Map {
        keyboard(ui, camera);
    }
    let camera = *camera;

    want_reach(console, ctx);
    let projector = map_layers::Projector::new(camera, frame, rect);
    let scene = |markers| {
        ctx.world.map(|world| map_layers::Scene {
            world,
            ctx,
            now_us: console.now_us(),
            projector,
            markers,
            labels: &loaded.labels,
        })
    };
    let markers = scene(&[]).map_or_else(Vec::new, |s| map_layers::markers(&s, console.layers));
    let pulsing = ctx.world.is_some_and(|w| {
        w.state()
            .alerts
            .values()
            .any(|a| a.state == watchfloor_layers::AlertState::New)
    });
    if pulsing {
        ui.ctx()
            .request_repaint_after(std::time::Duration::from_millis(100));
    }
    // No egui fill under the map: the basemap cache is cleared to the land
    // colour and covers the whole rect (a full-rect fill costs as much as
    // the map itself on a software rasteriser).
    ui.painter().add(watchfloor_render::map::gpu::map_callback(
        rect,
        camera,
        Arc::new(markers.clone()),
    ));
    if let Some(scene) = scene(&markers) {
        map_layers::paint(&scene, console.layers, &ui.painter_at(rect));
    }
    scale_and_attribution(ui, rect, &camera, attribution);
    hover(console, ctx, &response, rect, &camera, frame);
    if response.clicked()
        && let Some(pos) = response.interact_pointer_pos()
    {
        click(console, ctx, &camera, frame, pos - rect.min);
    }
}

/// The live camera (by index) whose site marker is under `cursor`, if any.
fn live_camera_at(
    ctx: &FrameCtx,
    layers: Layers,
    camera: &Camera,
    frame: &SceneFrame,
    cursor: egui::Vec2,
) -> Option<usize> {
    if !layers.cameras {
        return None;
    }
    hits(
        ctx.world?,
        camera,
        frame,
        [cursor.x, cursor.y],
        PICK_RADIUS_PX,
    )
    .into_iter()
    .filter(|h| h.kind == watchfloor_layers::world::EntityKind::Camera)
    .find_map(|h| ctx.camera_index(&h.id))
}

/// The name of the camera being dragged from the map, at the pointer.
fn carried_camera_label(views: &[watchfloor_media::view::CameraView], ui: &egui::Ui, index: usize) {
    let (Some(view), Some(at)) = (views.get(index), ui.input(|i| i.pointer.hover_pos())) else {
        return;
    };
    let painter = ui.ctx().layer_painter(egui::LayerId::new(
        egui::Order::Tooltip,
        egui::Id::unique("map-camera-drag"),
    ));
    let galley = painter.layout_no_wrap(
        view.name.clone(),
        egui::TextStyle::Body.resolve(ui.style()),
        theme::TEXT,
    );
    let bg = egui::Rect::from_min_size(at + egui::vec2(12.0, 12.0), galley.size()).expand(4.0);
    painter.rect_filled(bg, 3.0, theme::PANEL_FILL);
    painter.galley(bg.min + egui::vec2(4.0, 4.0), galley, theme::TEXT);
}

/// A click on a marker: a checkpoint opens its view, an alert is selected,
/// a camera with live video goes to the wall.
fn click(
    console: &mut Seat,
    ctx: &FrameCtx,
    camera: &Camera,
    frame: &SceneFrame,
    cursor: egui::Vec2,
) {
    use watchfloor_layers::world::EntityKind;
    let hit = {
        let Some(world) = ctx.world else {
            return;
        };
        // What a click is for, first: an alert, a checkpoint, then a camera
        // with live video; markers of hidden layers are not clickable.
        let rank = |k: EntityKind| match k {
            EntityKind::Alert => 0,
            EntityKind::Checkpoint => 1,
            EntityKind::Camera => 2,
            EntityKind::Unit | EntityKind::Drone => 3,
        };
        hits(world, camera, frame, [cursor.x, cursor.y], PICK_RADIUS_PX)
            .into_iter()
            .filter(|h| shown(console.layers, h.kind))
            .filter(|h| h.kind != EntityKind::Camera || ctx.camera_index(&h.id).is_some())
            .min_by_key(|h| rank(h.kind))
    };
    let Some(hit) = hit else {
        return;
    };
    match hit.kind {
        EntityKind::Checkpoint => console.open_checkpoint(Some(&hit.id), ctx.world),
        EntityKind::Alert => console.select_alert(&hit.id, ctx),
        EntityKind::Camera => {
            if let Some(index) = ctx.camera_index(&hit.id) {
                console.checkpoint = None;
                console.wall.show_first(&[index]);
            }
        }
        EntityKind::Unit | EntityKind::Drone => {}
    }
}

fn keyboard(ui: &egui::Ui, camera: &mut Camera) {
    let step = 80.0;
    ui.input(|i| {
        let pressed = |k| i.key_pressed(k);
        if pressed(egui::Key::ArrowLeft) {
            camera.pan_pixels([step, 0.0]);
        }
        if pressed(egui::Key::ArrowRight) {
            camera.pan_pixels([-step, 0.0]);
        }
        if pressed(egui::Key::ArrowUp) {
            camera.pan_pixels([0.0, step]);
        }
        if pressed(egui::Key::ArrowDown) {
            camera.pan_pixels([0.0, -step]);
        }
        let centre = [camera.viewport[0] / 2.0, camera.viewport[1] / 2.0];
        if pressed(egui::Key::Plus) || pressed(egui::Key::Equals) {
            camera.zoom_about(centre, 0.5);
        }
        if pressed(egui::Key::Minus) {
            camera.zoom_about(centre, -0.5);
        }
        if pressed(egui::Key::OpenBracket) {
            camera.rotation += 15_f32.to_radians();
        }
        if pressed(egui::Key::CloseBracket) {
            camera.rotation -= 15_f32.to_radians();
        }
        if pressed(egui::Key::N) {
            camera.rotation = 0.0;
        }
    });
}

fn scale_and_attribution(ui: &egui::Ui, rect: egui::Rect, camera: &Camera, attribution: &str) {
    let painter = ui.painter_at(rect);
    painter.text(
        rect.right_bottom() - egui::vec2(6.0, 4.0),
        egui::Align2::RIGHT_BOTTOM,
        attribution,
        egui::FontId::proportional(13.0),
        theme::TEXT_WEAK,
    );
    // A scale bar of a round length near 120 px (Mercator metres at the
    // city's latitude are stretched by 1/cos(latitude)).
    let lat = 51.13_f32.to_radians();
    let metres_per_px = lat.cos() / camera.pixels_per_metre();
    let target = metres_per_px * 120.0;
    let magnitude = 10_f32.powf(target.log10().floor());
    let nice = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|k| k * magnitude)
        .rfind(|&m| m <= target)
        .unwrap_or(magnitude);
    let width = nice / metres_per_px;
    let start = rect.left_bottom() + egui::vec2(12.0, -30.0);
    let stroke = egui::Stroke::new(2.0, theme::TEXT);
    painter.line_segment([start, start + egui::vec2(width, 0.0)], stroke);
    painter.line_segment([start, start - egui::vec2(0.0, 6.0)], stroke);
    painter.line_segment(
        [
            start + egui::vec2(width, 0.0),
            start + egui::vec2(width, -6.0),
        ],
        stroke,
    );
    let label = if nice >= 1000.0 {
        format!("{} km", nice / 1000.0)
    } else {
        format!("{nice} m")
    };
    painter.text(
        start + egui::vec2(width + 6.0, 0.0),
        egui::Align2::LEFT_CENTER,
        label,
        egui::FontId::proportional(14.0),
        theme::TEXT,
    );
    // North arrow, turned with the map.
    let centre = rect.right_top() + egui::vec2(-28.0, 40.0);
    let (s, c) = camera.rotation.sin_cos();
    let dir = egui::vec2(-s, -c);
    let side = egui::vec2(dir.y, -dir.x);
    painter.add(egui::Shape::convex_polygon(
        vec![
            centre + dir * 14.0,
            centre - dir * 8.0 + side * 7.0,
            centre - dir * 4.0,
            centre - dir * 8.0 - side * 7.0,
        ],
        theme::TEXT,
        egui::Stroke::NONE,
    ));
    painter.text(
        centre - dir * 20.0,
        egui::Align2::CENTER_CENTER,
        "N",
        egui::FontId::proportional(13.0),
        theme::TEXT,
    );
}

/// Asks for the 1-3-5-minute areas (one bounded road search, prepared off
/// the UI thread) for the selected alert, or else the top of the queue
/// (most severe, then oldest), when the ones shown are for another.
fn want_reach(console: &mut Seat, ctx: &FrameCtx) {
    let Some(w) = ctx.world else {
        return;
    };
    let alerts = &w.state().alerts;
    let target = console
        .selected_alert
        .as_ref()
        .and_then(|id| alerts.get(id))
        .filter(|a| a.state.is_open())
        .or_else(|| {
            alerts
                .values()
                .filter(|a| a.state.is_open())
                .min_by_key(|a| (a.severity, a.raised_at()))
        });
    let Some(alert) = target else {
        return;
    };
    if ctx.reach.is_some_and(|(known, _)| *known == alert.id) {
        return;
    }
    console.commands.push(Command::WantReach {
        alert: alert.id.clone(),
        lonlat: alert.lonlat,
    });
}

/// How far from the cursor a marker is still "under" it, pixels.
const PICK_RADIUS_PX: f32 = 12.0;

/// What is under the cursor (a point in the map's own pixels): the world's
/// spatial hit-test at the cursor's lon/lat, with the pixel radius turned
/// into ground metres at this zoom.
pub(crate) fn pick(
    world: &watchfloor_layers::world::World,
    camera: &Camera,
    frame: &SceneFrame,
    cursor: [f32; 2],
    radius_px: f32,
) -> Option<watchfloor_layers::world::Hit> {
    hits(world, camera, frame, cursor, radius_px)
        .into_iter()
        .next()
}

/// Everything within `radius_px` of the cursor, nearest first.
fn hits(
    world: &watchfloor_layers::world::World,
    camera: &Camera,
    frame: &SceneFrame,
    cursor: [f32; 2],
    radius_px: f32,
) -> Vec<watchfloor_layers::world::Hit> {
    let lonlat = frame.lonlat(camera.scene(cursor));
    // Mercator metres are ground metres stretched by 1 / cos(latitude).
    let radius_m = f64::from(radius_px / camera.pixels_per_metre()) * lonlat[1].to_radians().cos();
    world.hit_test(lonlat, radius_m)
}

/// Whether markers of `kind` are drawn (hidden layers are not clickable).
fn shown(layers: Layers, kind: watchfloor_layers::world::EntityKind) -> bool {
    use watchfloor_layers::world::EntityKind;
    match kind {
        EntityKind::Unit => layers.units,
        EntityKind::Drone => layers.drones,
        EntityKind::Alert => layers.alerts,
        EntityKind::Checkpoint => layers.sites,
        EntityKind::Camera => layers.cameras,
    }
}

/// A tooltip for the marker under the cursor.
fn hover(
    console: &Seat,
    ctx: &FrameCtx,
    response: &egui::Response,
    rect: egui::Rect,
    camera: &Camera,
    frame: &SceneFrame,
) {
    let Some(pos) = response.hover_pos() else {
        return;
    };
    let cursor = pos - rect.min;
    let Some(world) = ctx.world else {
        return;
    };
    let Some(hit) = pick(world, camera, frame, [cursor.x, cursor.y], PICK_RADIUS_PX) else {
        return;
    };
    let state = world.state();
    let text = match hit.kind {
        watchfloor_layers::world::EntityKind::Unit => state.units.get(&hit.id).map(|u| {
            format!(
                "{} · {} · {}",
                u.callsign,
                console.t(theme::kind_msg(u.kind)),
                console.t(theme::unit_look(u.status).label)
            )
        }),
        watchfloor_layers::world::EntityKind::Alert => {
            state.alerts.get(&hit.id).map(|a| a.title.clone())
        }
        watchfloor_layers::world::EntityKind::Drone => hit
            .id
            .parse()
            .ok()
            .and_then(|id: u32| state.drones.get(&id))
            .map(|d| d.name.clone()),
        watchfloor_layers::world::EntityKind::Checkpoint => {
            state.checkpoints.get(&hit.id).map(|c| c.name.clone())
        }
        watchfloor_layers::world::EntityKind::Camera => {
            state.cameras.get(&hit.id).map(|c| c.name.clone())
        }
    };
    if let Some(text) = text {
        response.clone().on_hover_text_at_pointer(text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use watchfloor_layers::event::{Envelope, Event, Origin, UnitReport};
    use watchfloor_layers::model::UnitKind;
    use watchfloor_layers::world::{EntityKind, World};

    #[test]
    fn the_unit_under_the_cursor_is_picked() {
        let origin = [71.4304, 51.1283];
        let mut world = World::new(origin);
        let metric = *world.frame();
        for (id, east) in [("a", 0.0), ("b", 120.0), ("c", 300.0)] {
            world.apply(&Envelope {
                at: 0,
                origin: Origin::System,
                event: Event::UnitReported(UnitReport {
                    id: id.into(),
                    callsign: None,
                    kind: UnitKind::Car,
                    lonlat: metric.lonlat([east, 0.0]),
                    ce_m: 5.0,
                    heading_deg: None,
                    speed_mps: None,
                    stale_at: i64::MAX,
                }),
            });
        }
        let frame = SceneFrame::new(origin);
        // Zoom 16: ~0.42 px per Mercator metre, so a and b are ~30 px apart on screen.
        let camera = Camera {
            centre: frame.scene(origin),
            zoom: 16.0,
            rotation: 0.4,
            viewport: [800.0, 600.0],
        };
        let at = |id: &str| camera.screen(frame.scene(world.state().units[id].lonlat));
        for id in ["a", "b", "c"] {
            let p = at(id);
            let hit = pick(
                &world,
                &camera,
                &frame,
                [p[0] + 3.0, p[1] - 2.0],
                PICK_RADIUS_PX,
            )
            .expect("a hit");
            assert_eq!((hit.kind, hit.id.as_str()), (EntityKind::Unit, id));
        }
        // Between a and b, more than 12 px from both: nothing.
        let (pa, pb) = (at("a"), at("b"));
        let middle = [f32::midpoint(pa[0], pb[0]), f32::midpoint(pa[1], pb[1])];
        assert!((pa[0] - pb[0]).hypot(pa[1] - pb[1]) > 2.0 * PICK_RADIUS_PX + 2.0);
        assert!(pick(&world, &camera, &frame, middle, PICK_RADIUS_PX).is_none());
    }
}
