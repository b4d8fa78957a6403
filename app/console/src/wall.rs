//! The video wall beside the map: layouts from one tile to 6×6 of live
//! camera tiles (video converted from YUV on the GPU, detection boxes and
//! age on top), cameras dragged onto tiles from the cameras list, a tile
//! enlarged by double-click, and empty tiles saying where cameras go. Only
//! the tiles shown cost display work.

use crate::i18n::Msg;
use crate::{
    area::Area, frame::FrameCtx, seat::Seat, theme, widgets::area_heading, widgets::empty_hint,
    widgets::track_focus,
};

use crate::command::Command;
use crate::tile::{camera_tile, centered_text};
pub use crate::wall_state::{CameraDrag, MAX_SIDE, TOUR_EVERY, WallState, cameras_for_alert};

/// The wall panel, and where its own window opened.
#[derive(Default)]
pub(crate) struct WallPanel {
    window_at: Option<egui::Pos2>,
}

impl WallPanel {
    /// The wall, in its place beside the map.
    pub(crate) fn ui(
        &mut self,
        seat: &mut Seat,
        ctx: &FrameCtx,
        ui: &mut egui::Ui,
    ) -> Vec<Command> {
        show(self, seat, ctx, ui);
        seat.take_commands()
    }

    /// The wall in a window of its own.
    pub(crate) fn window(
        &mut self,
        seat: &mut Seat,
        frame: &FrameCtx,
        ctx: &egui::Context,
    ) -> Vec<Command> {
        show_window(self, seat, frame, ctx);
        seat.take_commands()
    }
}

fn show(panel: &mut WallPanel, console: &mut Seat, ctx: &FrameCtx, ui: &mut egui::Ui) {
    let rect = ui.max_rect();
    crate::widgets::name_area(ui, console.t(Area::Wall.title()));
    egui::Frame::new()
        .inner_margin(egui::Margin::same(12))
        .show(ui, |ui| {
            ui.set_min_width(ui.available_width());
            ui.horizontal_wrapped(|ui| {
                area_heading(console, ui, Area::Wall);
                ui.add_space(12.0);
                if console.checkpoint.is_none() {
                    layout_buttons(console, ui);
                }
                checkpoint_picker(console, ctx, ui);
                window_toggle(panel, console, ui);
            });
            if let Some(id) = console.checkpoint.clone() {
                let other_owner = console.search_open
                    || console.help_open
                    || ui.ctx().memory(|m| m.focused().is_some())
                    || ui.ctx().any_popup_open();
                if !other_owner && ui.input(|i| i.key_pressed(egui::Key::Escape)) {
                    console.checkpoint = None;
                }
                crate::checkpoint_view::show(console, ctx, ui, &id);
                return;
            }
            if let Some(error) = &ctx.camera_set.error {
                ui.label(
                    egui::RichText::new(console.t(Msg::CamerasFailed))
                        .color(theme::palette::VERMILLION),
                );
                empty_hint(ui, error);
            } else if ctx.camera_set.starting {
                empty_hint(ui, console.t(Msg::WallStarting));
            } else if ctx.cameras.is_empty() {
                empty_hint(ui, console.t(Msg::WallEmpty));
            }
            ui.add_space(4.0);
            tiles(console, ctx, ui);
        });
    track_focus(console, ui, Area::Wall, rect);
}

/// The wall in a window of its own (a second monitor): the same wall,
/// drawn by the same renderer; closing the window brings it back.
fn show_window(panel: &mut WallPanel, console: &mut Seat, frame: &FrameCtx, ctx: &egui::Context) {
    let title = format!("Watchfloor · {}", console.t(Area::Wall.title()));
    let mut builder = egui::ViewportBuilder::default()
        .with_title(title)
        .with_app_id("watchfloor-wall")
        .with_inner_size([1280.0, 760.0]);
    // Opens beside the console (on the next monitor of a side-by-side pair).
    // Placed once, when it opens: moving the console later leaves it be.
    if panel.window_at.is_none() {
        panel.window_at = ctx.input(|i| i.viewport().outer_rect.map(|r| r.right_top()));
    }
    if let Some(at) = panel.window_at {
        builder = builder.with_position(at);
    }
    ctx.show_viewport_immediate(
        egui::ViewportId::from_hash_of("watchfloor-wall"),
        builder,
        |ui, _class| {
            egui::CentralPanel::no_frame().show(ui, |ui| show(panel, console, frame, ui));
            if ui.input(|i| i.viewport().close_requested()) {
                console.wall_window = false;
                panel.window_at = None;
            }
        },
    );
}

/// Moves the wall into its own window or back.
fn window_toggle(panel: &mut WallPanel, console: &mut Seat, ui: &mut egui::Ui) {
    let (text, hint) = if console.wall_window {
        (Msg::WallBack, Msg::WallOwnWindowHint)
    } else {
        (Msg::WallOwnWindow, Msg::WallOwnWindowHint)
    };
    if ui
        .selectable_label(console.wall_window, console.t(text))
        .on_hover_text(console.t(hint))
        .clicked()
    {
        console.wall_window = !console.wall_window;
        panel.window_at = None;
    }
}

/// Which checkpoint to show large (the supervisor's view), or the wall.
fn checkpoint_picker(console: &mut Seat, ctx: &FrameCtx, ui: &mut egui::Ui) {
    let checkpoints: Vec<(String, String)> = ctx.world.map_or_else(Vec::new, |w| {
        w.state()
            .checkpoints
            .values()
            .map(|c| (c.id.clone(), c.name.clone()))
            .collect()
    });
    if checkpoints.is_empty() {
        return;
    }
    let current = console
        .checkpoint
        .as_ref()
        .and_then(|id| checkpoints.iter().find(|(c, _)| c == id))
        .map_or_else(
            || console.t(Msg::CheckpointView).to_owned(),
            |(_, n)| n.clone(),
        );
    let mut chosen = None;
    let label =
        ui.label(egui::RichText::new(console.t(Msg::CheckpointView)).color(theme::TEXT_WEAK));
    egui::ComboBox::from_id_salt("checkpoint-picker")
        .selected_text(current)
        .width(200.0)
        .show_ui(ui, |ui| {
            if ui
                .selectable_label(console.checkpoint.is_none(), console.t(Msg::AreaWall))
                .clicked()
            {
                chosen = Some(None);
            }
            for (id, name) in &checkpoints {
                let on = console.checkpoint.as_deref() == Some(id.as_str());
                if ui.selectable_label(on, name).clicked() {
                    chosen = Some(Some(id.clone()));
                }
            }
        })
        .response
        .labelled_by(label.id)
        .on_hover_text(console.t(Msg::CheckpointViewHint));
    if let Some(choice) = chosen {
        console.open_checkpoint(choice.as_deref(), ctx.world);
    }
}

/// 1, 2×2 … 6×6: one click each.
fn layout_buttons(console: &mut Seat, ui: &mut egui::Ui) {
    ui.label(egui::RichText::new(console.t(Msg::WallLayout)).color(theme::TEXT_WEAK));
    for side in 1..=MAX_SIDE {
        let label = if side == 1 {
            "1".to_owned()
        } else {
            format!("{side}×{side}")
        };
        let current = console.wall.side == side && console.wall.enlarged.is_none();
        if ui.selectable_label(current, label).clicked() {
            console.wall.side = side;
            console.wall.enlarged = None;
        }
    }
    ui.add_space(8.0);
    let touring = console.wall.tour.is_some();
    if ui
        .selectable_label(touring, console.t(Msg::WallTour))
        .on_hover_text(console.t(Msg::WallTourHint))
        .clicked()
    {
        console.wall.tour = (!touring).then(std::time::Instant::now);
        console.wall.page = 0;
    }
    if let Some(started) = console.wall.tour {
        let every = TOUR_EVERY.as_secs_f64();
        let elapsed = started.elapsed().as_secs_f64();
        console.wall.page = (elapsed / every) as usize;
        let next = every - elapsed % every;
        ui.ctx()
            .request_repaint_after(std::time::Duration::from_secs_f64(next));
    }
}

fn tiles(console: &mut Seat, ctx: &FrameCtx, ui: &mut egui::Ui) {
    let gap = 8.0;
    let area = ui.available_rect_before_wrap();
    let visible = console.wall.visible_tiles();
    let n = if console.wall.enlarged.is_some() {
        1
    } else {
        console.wall.side
    };
    let side = n as f32;
    let tile_w = ((area.width() - gap * (side - 1.0)) / side).max(40.0);
    // Keep tiles 16:9 unless the wall is too short for that.
    let tile_h = (tile_w * 9.0 / 16.0)
        .min((area.height() - gap * (side - 1.0)) / side)
        .max(24.0);
    let cameras = ctx.cameras.len();
    let mut dropped = None;
    let mut toggled = None;
    for (slot, &tile_index) in visible.iter().enumerate() {
        let (row, col) = (slot / n, slot % n);
        let min = area.min + egui::vec2(col as f32 * (tile_w + gap), row as f32 * (tile_h + gap));
        let tile = egui::Rect::from_min_size(min, egui::vec2(tile_w, tile_h));
        let camera = console.wall.camera_of(tile_index, cameras);
        match camera.and_then(|c| ctx.cameras.get(c).map(|v| (c, v))) {
            Some((c, view)) => camera_tile(console, ctx, ui, tile, c as u64, view),
            None => empty_tile(console, ui, tile),
        }
        let response = ui.interact(
            tile,
            egui::Id::unique(("wall-tile", tile_index)),
            egui::Sense::click(),
        );
        if let Some(payload) = response.dnd_release_payload::<CameraDrag>() {
            dropped = Some((tile_index, payload.0));
        }
        if response.double_clicked() {
            toggled = Some(tile_index);
        }
    }
    if let Some((tile, camera)) = dropped {
        console.wall.placed.insert(tile, camera);
    }
    if let Some(tile) = toggled {
        console.wall.enlarged = match console.wall.enlarged {
            Some(_) => None,
            None => Some(tile),
        };
    }
    ui.allocate_rect(
        egui::Rect::from_min_size(
            area.min,
            egui::vec2(area.width(), side * tile_h + (side - 1.0) * gap),
        ),
        egui::Sense::hover(),
    );
}

fn empty_tile(console: &Seat, ui: &egui::Ui, tile: egui::Rect) {
    // No fill: the background shows through (a fill costs per pixel).
    let painter = ui.painter();
    painter.rect_stroke(
        tile,
        4.0,
        egui::Stroke::new(1.0, theme::LINE),
        egui::StrokeKind::Inside,
    );
    centered_text(ui, tile, console.t(Msg::WallTileEmpty));
}
