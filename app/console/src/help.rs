//! The keyboard-shortcut help window (F1).

use crate::command::Command;
use crate::i18n::Msg;
use crate::{area, area::Area, seat::Seat};

/// The panel.
#[derive(Default)]
pub(crate) struct HelpWindow;

impl HelpWindow {
    /// Draws it; returns what the operator asked for.
    #[expect(
        clippy::unused_self,
        reason = "every panel has the same ui method; this one keeps no state"
    )]
    pub(crate) fn ui(&mut self, seat: &mut Seat, ctx: &egui::Context) -> Vec<Command> {
        show(seat, ctx);
        seat.take_commands()
    }
}

fn show(console: &mut Seat, ctx: &egui::Context) {
    if !console.help_open {
        return;
    }
    let mut open = true;
    let rows: Vec<(String, &'static str)> = Area::ALL
        .iter()
        .map(|a| {
            (
                ctx.format_shortcut(&a.shortcut()),
                console.t(a.shortcut_help()),
            )
        })
        .chain([
            (
                ctx.format_shortcut(&area::TOGGLE_LIST),
                console.t(Msg::ShortcutToggleList),
            ),
            (
                ctx.format_shortcut(&area::SWITCH_LANGUAGE),
                console.t(Msg::ShortcutLanguage),
            ),
            (
                ctx.format_shortcut(&area::FULLSCREEN),
                console.t(Msg::ShortcutFullscreen),
            ),
            (
                ctx.format_shortcut(&area::SEARCH),
                console.t(Msg::ShortcutSearch),
            ),
            ("F5–F8".to_owned(), console.t(Msg::ShortcutMode)),
            ("Esc".to_owned(), console.t(Msg::CheckpointBackToWall)),
            (
                ctx.format_shortcut(&area::HELP),
                console.t(Msg::ShortcutHelp),
            ),
        ])
        .collect();
    egui::Window::new(console.t(Msg::KeyboardShortcuts))
        .open(&mut open)
        .collapsible(false)
        .resizable(false)
        .anchor(egui::Align2::CENTER_CENTER, egui::Vec2::ZERO)
        .show(ctx, |ui| {
            egui::Grid::new("shortcuts").striped(true).show(ui, |ui| {
                for (keys, what) in rows {
                    ui.monospace(keys);
                    ui.label(what);
                    ui.end_row();
                }
            });
        });
    console.help_open = open;
}
