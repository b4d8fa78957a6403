//! The start dialog: who is at the console. The role chosen last is offered
//! first (Enter takes it); until a role is chosen no alert action is allowed.

use super::modes::Role;
use crate::command::Command;
use crate::i18n::Msg;
use crate::modes::RoleText as _;
use crate::seat::Seat;

/// The panel.
#[derive(Default)]
pub(crate) struct RoleDialog;

impl RoleDialog {
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
    if console.role.is_some() {
        return;
    }
    let last = console.saved.role.unwrap_or(Role::Dispatcher);
    let mut chosen = None;
    egui::Modal::new(egui::Id::unique("role-dialog")).show(ctx, |ui| {
        ui.set_width(520.0);
        ui.heading(console.t(Msg::RoleQuestion));
        ui.add_space(8.0);
        for role in Role::ALL {
            let text = egui::RichText::new(console.t(role.name()))
                .size(18.0)
                .strong();
            let button = ui.add_sized(
                [500.0, 34.0],
                egui::Button::new(text).selected(role == last),
            );
            if role == last
                && !ui.memory(|m| m.has_focus(button.id))
                && !ui.memory(|m| m.focused().is_some())
            {
                button.request_focus();
            }
            if button.clicked() {
                chosen = Some(role);
            }
            ui.label(egui::RichText::new(console.t(role.about())).color(super::theme::TEXT_WEAK));
            ui.add_space(6.0);
        }
    });
    if let Some(role) = chosen {
        console.set_role(role);
    }
}
