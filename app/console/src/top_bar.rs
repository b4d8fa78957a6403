//! The top bar: name, menus (view, language, help), the operating mode,
//! the operator's role and the demo badge.

use super::modes::{Mode, Role};
use crate::command::Command;
use crate::i18n::{Lang, Msg};
use crate::modes::{ModeLook as _, RoleText as _};
use crate::{area, frame::FrameCtx, seat::Seat, theme};

/// The panel.
#[derive(Default)]
pub(crate) struct TopBar;

impl TopBar {
    /// Draws it; returns what the operator asked for.
    #[expect(
        clippy::unused_self,
        reason = "every panel has the same ui method; this one keeps no state"
    )]
    pub(crate) fn ui(
        &mut self,
        seat: &mut Seat,
        ctx: &FrameCtx,
        ui: &mut egui::Ui,
    ) -> Vec<Command> {
        show(seat, ctx, ui);
        seat.take_commands()
    }
}

fn show(console: &mut Seat, ctx: &FrameCtx, ui: &mut egui::Ui) {
    egui::Panel::top("top_bar").show(ui, |ui| {
        egui::MenuBar::new().ui(ui, |ui| {
            ui.label(
                egui::RichText::new(console.t(Msg::AppName))
                    .heading()
                    .strong(),
            );
            ui.label(egui::RichText::new(console.t(Msg::AppSubtitle)).color(theme::TEXT_WEAK));
            ui.separator();
            view_menu(console, ui);
            language_menu(console, ui);
            help_menu(console, ui);
            ui.separator();
            mode_menu(console, ui);
            role_menu(console, ui);
            if ctx.chime {
                let text = if console.sound {
                    Msg::SoundOn
                } else {
                    Msg::SoundOff
                };
                if ui
                    .selectable_label(console.sound, console.t(text))
                    .on_hover_text(console.t(Msg::SoundHint))
                    .clicked()
                {
                    console.sound = !console.sound;
                }
            }
            if console.demo {
                ui.separator();
                ui.label(
                    egui::RichText::new(console.t(Msg::DemoBadge))
                        .strong()
                        .color(theme::CANVAS_FILL)
                        .background_color(theme::palette::ORANGE),
                )
                .on_hover_text(console.t(Msg::DemoTooltip));
            }
        });
    });
}

fn shortcut_text(ui: &egui::Ui, shortcut: egui::KeyboardShortcut) -> String {
    ui.ctx().format_shortcut(&shortcut)
}

fn view_menu(console: &mut Seat, ui: &mut egui::Ui) {
    ui.menu_button(console.t(Msg::MenuView), |ui| {
        let mut open = console.list_open;
        let toggle = egui::Checkbox::new(&mut open, console.t(Msg::ShowUnitList));
        if ui.add(toggle).changed() {
            console.list_open = open;
        }
        for area in crate::area::Area::ALL {
            let button = egui::Button::new(console.t(area.shortcut_help()))
                .shortcut_text(shortcut_text(ui, area.shortcut()));
            if ui.add(button).clicked() {
                console.focus_area(area);
                ui.close();
            }
        }
        let fullscreen = egui::Button::new(console.t(Msg::Fullscreen))
            .shortcut_text(shortcut_text(ui, area::FULLSCREEN));
        if ui.add(fullscreen).clicked() {
            let now = ui.ctx().input(|i| i.viewport().fullscreen.unwrap_or(false));
            ui.ctx()
                .send_viewport_cmd(egui::ViewportCommand::Fullscreen(!now));
            ui.close();
        }
        ui.separator();
        if ui.button(console.t(Msg::Quit)).clicked() {
            ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
        }
    });
}

/// The operating mode, switched in one click (or F5–F8).
fn mode_menu(console: &mut Seat, ui: &mut egui::Ui) {
    let title = format!(
        "{}: {}",
        console.t(Msg::MenuMode),
        console.t(console.mode().name())
    );
    ui.menu_button(egui::RichText::new(title).strong(), |ui| {
        for mode in Mode::ALL {
            let button = egui::Button::selectable(console.mode() == mode, console.t(mode.name()))
                .shortcut_text(shortcut_text(ui, mode.shortcut()));
            if ui.add(button).clicked() {
                console.switch_mode(mode);
                ui.close();
            }
        }
    });
}

/// Who is at the console; another operator taking over picks their role.
fn role_menu(console: &mut Seat, ui: &mut egui::Ui) {
    let now = console.role().map_or("–", |r| console.t(r.name()));
    let title = format!("{}: {now}", console.t(Msg::MenuRole));
    ui.menu_button(title, |ui| {
        for role in Role::ALL {
            if ui
                .radio(console.role() == Some(role), console.t(role.name()))
                .on_hover_text(console.t(role.about()))
                .clicked()
            {
                console.set_role(role);
                ui.close();
            }
        }
    });
}

fn language_menu(console: &mut Seat, ui: &mut egui::Ui) {
    ui.menu_button(console.t(Msg::MenuLanguage), |ui| {
        for lang in Lang::ALL {
            if ui.radio(console.lang == lang, lang.native_name()).clicked() {
                console.set_lang(lang);
                ui.close();
            }
        }
    });
}

fn help_menu(console: &mut Seat, ui: &mut egui::Ui) {
    ui.menu_button(console.t(Msg::MenuHelp), |ui| {
        let button = egui::Button::new(console.t(Msg::KeyboardShortcuts))
            .shortcut_text(shortcut_text(ui, area::HELP));
        if ui.add(button).clicked() {
            console.help_open = true;
            ui.close();
        }
    });
}
