//! The alert queue on the right: open alerts, most severe first, then
//! oldest first, each with its state, age and response timer; acknowledge,
//! dispatch (nearest available units by road travel time) and resolve.
//! Until alerts arrive it explains where they come from.

use std::fmt::Write as _;

use super::modes::Action;
use crate::i18n::Msg;
use crate::{
    area::Area, command::Command, frame::FrameCtx, seat::Seat, theme, widgets::area_heading,
    widgets::empty_hint, widgets::legend_row, widgets::track_focus,
};
use watchfloor_layers::event::Event;
use watchfloor_layers::model::Alert;
use watchfloor_layers::{AlertSeverity, AlertState};

/// Suggestions offered per alert.
const SUGGESTIONS: usize = 3;

/// Alert pictures kept for the cards (the newest).
const PICTURES: usize = 256;

/// The alert queue, and the pictures of detection alerts for its cards.
#[derive(Default)]
pub(crate) struct AlertQueue {
    pictures: std::collections::VecDeque<(String, egui::TextureHandle)>,
}

impl AlertQueue {
    /// Detection alerts' pictures that arrived become textures (every
    /// frame, drawn or not: they arrive once).
    pub(crate) fn take_pictures(&mut self, egui_ctx: &egui::Context, ctx: &FrameCtx) {
        for (id, t) in ctx.thumbnails {
            let image = egui::ColorImage::from_rgba_unmultiplied([t.width, t.height], &t.rgba);
            let texture =
                egui_ctx.load_texture(format!("alert-{id}"), image, egui::TextureOptions::LINEAR);
            self.pictures.push_back((id.clone(), texture));
            if self.pictures.len() > PICTURES {
                self.pictures.pop_front();
            }
        }
    }

    /// The picture of a detection alert, if it has one.
    fn picture(&self, alert: &str) -> Option<&egui::TextureHandle> {
        self.pictures
            .iter()
            .rev()
            .find(|(id, _)| id == alert)
            .map(|(_, t)| t)
    }

    /// Draws the queue; returns what the operator asked for.
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

fn show(queue: &AlertQueue, console: &mut Seat, ctx: &FrameCtx, ui: &mut egui::Ui) {
    let rect = ui.max_rect();
    crate::widgets::name_area(ui, console.t(Area::Alerts.title()));
    area_heading(console, ui, Area::Alerts);
    ui.separator();
    let mut alerts: Vec<Alert> = ctx.world.map_or_else(Vec::new, |w| {
        w.state()
            .alerts
            .values()
            .filter(|a| a.state.is_open())
            .cloned()
            .collect()
    });
    alerts.sort_by_key(|a| (a.severity, a.raised_at()));
    if alerts.is_empty() {
        empty_hint(ui, console.t(Msg::AlertsEmpty));
    }
    let mut actions: Vec<Vec<Event>> = Vec::new();
    let mut selected: Option<String> = None;
    let mut wanted: Option<String> = None;
    egui::ScrollArea::vertical()
        .max_height((ui.available_height() - 150.0).max(80.0))
        .auto_shrink([false, false])
        .show(ui, |ui| {
            for alert in &alerts {
                let (events, select) = alert_card(queue, console, ctx, ui, alert, &mut wanted);
                if !events.is_empty() {
                    actions.push(events);
                }
                if select {
                    selected = Some(alert.id.clone());
                }
            }
        });
    if let Some(id) = selected {
        console.select_alert(&id, ctx);
    }
    if let Some(alert) = wanted {
        console.commands.push(Command::WantSuggestions { alert });
    }
    // The program applies them to the live world, and audits them once
    // the world has taken them.
    if ctx.world.is_some() {
        console
            .commands
            .extend(actions.into_iter().map(Command::Act));
    }
    ui.with_layout(egui::Layout::bottom_up(egui::Align::Min), |ui| {
        for severity in AlertSeverity::ALL.iter().rev() {
            legend_row(console, ui, theme::severity_look(*severity));
        }
        ui.label(egui::RichText::new(console.t(Msg::Severity)).strong());
        ui.separator();
    });
    track_focus(console, ui, Area::Alerts, rect);
}

/// The card's frame: a new critical alert flashes (once a second) until
/// someone acknowledges it.
fn card_frame(ui: &egui::Ui, alert: &Alert, now: i64, color: egui::Color32) -> egui::Frame {
    let frame = egui::Frame::group(ui.style());
    if alert.severity != AlertSeverity::Critical || alert.state != AlertState::New {
        return frame;
    }
    ui.ctx()
        .request_repaint_after(std::time::Duration::from_millis(100));
    // Lit for the first half of each second of its age.
    let age = (now - alert.raised_at()).max(0);
    if age % 1_000_000 < 500_000 {
        frame.fill(color.gamma_multiply(0.25))
    } else {
        frame
    }
}

/// One alert; returns the operator's actions on it, and whether its title
/// was clicked (select it on the map).
fn alert_card(
    queue: &AlertQueue,
    console: &Seat,
    ctx: &FrameCtx,
    ui: &mut egui::Ui,
    alert: &Alert,
    wanted: &mut Option<String>,
) -> (Vec<Event>, bool) {
    let now = console.now_us();
    let look = theme::severity_look(alert.severity);
    let mut action = None;
    let mut select = false;
    let mut resolved = Vec::new();
    card_frame(ui, alert, now, look.color).show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.horizontal(|ui| {
            ui.label(
                egui::RichText::new(look.symbol)
                    .color(look.color)
                    .size(20.0),
            );
            let selected = console.selected_alert.as_deref() == Some(alert.id.as_str());
            let title = egui::RichText::new(title(console, alert)).strong();
            let title = if selected {
                title.color(theme::FOCUS)
            } else {
                title
            };
            if ui
                .add(egui::Label::new(title).wrap().sense(egui::Sense::click()))
                .on_hover_text(console.t(Msg::ShowOnMap))
                .clicked()
            {
                select = true;
            }
        });
        // What the camera saw, with the boxes that raised it.
        if let Some(texture) = queue.picture(&alert.id) {
            let size = texture.size_vec2();
            let width = size.x.min(ui.available_width());
            ui.add(
                egui::Image::new((texture.id(), size))
                    .fit_to_exact_size(egui::vec2(width, size.y * width / size.x)),
            );
        }
        let age = (now - alert.raised_at()).max(0) / 1_000_000;
        let mut line = format!(
            "{} · {} · {}:{:02}",
            console.t(look.label),
            console.t(theme::alert_state_msg(alert.state)),
            age / 60,
            age % 60
        );
        if let Some(r) = alert.response_us(now) {
            let r = r / 1_000_000;
            let _ = write!(
                line,
                " · {} {}:{:02}",
                console.t(Msg::ResponseTimer),
                r / 60,
                r % 60
            );
        }
        ui.label(egui::RichText::new(line).color(theme::TEXT_WEAK));
        action_row(console, ctx, ui, alert, &mut action, &mut resolved, wanted);
    });
    (action.into_iter().chain(resolved).collect(), select)
}

/// The card's buttons, each allowed or not by the operator's role.
fn action_row(
    console: &Seat,
    ctx: &FrameCtx,
    ui: &mut egui::Ui,
    alert: &Alert,
    action: &mut Option<Event>,
    resolved: &mut Vec<Event>,
    wanted: &mut Option<String>,
) {
    // Wraps in a narrow queue rather than pushing buttons out of sight;
    // each button keeps its words on one line.
    ui.horizontal_wrapped(|ui| {
        ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Extend);
        let not_allowed = if console.replay_at().is_some() {
            console.t(Msg::ReplayNoActions)
        } else {
            console.t(Msg::RoleNotAllowed)
        };
        let may = |a| console.may(a);
        if alert.state == AlertState::New
            && ui
                .add_enabled(
                    may(Action::Acknowledge),
                    egui::Button::new(console.t(Msg::Acknowledge)),
                )
                .on_disabled_hover_text(not_allowed)
                .clicked()
        {
            *action = Some(Event::AlertStateSet {
                id: alert.id.clone(),
                state: AlertState::Acknowledged,
                by: console.operator.clone(),
            });
        }
        let dispatch_allowed = may(Action::Dispatch);
        if alert.state < AlertState::OnScene {
            if dispatch_allowed {
                ui.menu_button(console.t(Msg::Dispatch), |ui| {
                    *wanted = Some(alert.id.clone());
                    if let Some(a) = dispatch_menu(console, ctx, ui, alert) {
                        *action = Some(a);
                        ui.close();
                    }
                });
            } else {
                refused(ui, console.t(Msg::Dispatch), not_allowed);
            }
        }
        if let Some(ring) = emergency_ring(ctx, alert)
            && ui
                .add_enabled(
                    dispatch_allowed,
                    egui::Button::new(console.t(Msg::DrawRing)),
                )
                .on_hover_text(console.t(Msg::DrawRingHint))
                .on_disabled_hover_text(not_allowed)
                .clicked()
        {
            *action = Some(Event::RingDrawn(ring));
        }
        if may(Action::Resolve) {
            ui.menu_button(console.t(Msg::Resolve), |ui| {
                if let Some(events) = resolve_form(console, ctx, ui, alert) {
                    *resolved = events;
                    ui.close();
                }
            });
        } else {
            refused(ui, console.t(Msg::Resolve), not_allowed);
        }
    });
}

/// A button the operator's role does not allow: shown, disabled, saying why.
fn refused(ui: &mut egui::Ui, text: &str, why: &str) {
    ui.add_enabled(false, egui::Button::new(text))
        .on_disabled_hover_text(why);
}

/// Resolving: a note (what was found, what was done), then one click.
/// Returns the events once confirmed: the note (if any), the state change,
/// and the lifting of the alert's emergency ring.
fn resolve_form(
    console: &Seat,
    ctx: &FrameCtx,
    ui: &mut egui::Ui,
    alert: &Alert,
) -> Option<Vec<Event>> {
    let key = egui::Id::unique(("resolve-note", alert.id.as_str()));
    let mut note: String = ui.data_mut(|d| d.get_temp(key)).unwrap_or_default();
    let label = ui.label(console.t(Msg::ResolveNote));
    ui.add(
        egui::TextEdit::multiline(&mut note)
            .desired_rows(2)
            .desired_width(260.0),
    )
    .labelled_by(label.id);
    ui.data_mut(|d| d.insert_temp(key, note.clone()));
    if !ui.button(console.t(Msg::ResolveConfirm)).clicked() {
        return None;
    }
    ui.data_mut(|d| d.remove::<String>(key));
    let mut events = Vec::new();
    if !note.trim().is_empty() {
        events.push(Event::AlertNoted {
            id: alert.id.clone(),
            note: note.trim().to_owned(),
            by: console.operator.clone(),
        });
    }
    events.push(Event::AlertStateSet {
        id: alert.id.clone(),
        state: AlertState::Resolved,
        by: console.operator.clone(),
    });
    // Its emergency ring is lifted with it.
    let ring = format!("ring:{}", alert.id);
    let exists = ctx
        .world
        .is_some_and(|w| w.state().rings.contains_key(&ring));
    if exists {
        events.push(Event::RingRemoved { id: ring });
    }
    Some(events)
}

/// The alert's title, prefixed with its kind in the console's language.
/// An alert's one line as operators read it (the source's word first).
pub(crate) fn title(console: &Seat, alert: &Alert) -> String {
    use watchfloor_layers::model::AlertSource;
    match &alert.source {
        AlertSource::Alarm { .. } => format!("{} · {}", console.t(Msg::OneClickAlarm), alert.title),
        AlertSource::Ring { .. } => format!("{} · {}", console.t(Msg::RingCrossing), alert.title),
        AlertSource::Detection { .. } | AlertSource::Operator => alert.title.clone(),
    }
}

/// Radius of an emergency ring drawn around an alert.
const EMERGENCY_RING_M: f64 = 1000.0;

/// The emergency ring this alert would get, unless it has one already.
fn emergency_ring(ctx: &FrameCtx, alert: &Alert) -> Option<watchfloor_layers::model::Ring> {
    let world = ctx.world?;
    let id = format!("ring:{}", alert.id);
    (!world.state().rings.contains_key(&id)).then(|| {
        watchfloor_layers::model::Ring::circle(
            &id,
            &format!("Emergency: {}", alert.title),
            alert.lonlat,
            EMERGENCY_RING_M,
            world.frame(),
        )
    })
}

/// The nearest available units by travel time; clicking one dispatches it.
/// The suggestions are prepared off the UI thread while the menu is open.
fn dispatch_menu(
    console: &Seat,
    ctx: &FrameCtx,
    ui: &mut egui::Ui,
    alert: &Alert,
) -> Option<Event> {
    ui.label(egui::RichText::new(console.t(Msg::DispatchNearest)).strong());
    let Some((_, suggestions)) = ctx.suggestions.filter(|(id, _)| *id == alert.id) else {
        ui.spinner();
        return None;
    };
    if suggestions.is_empty() {
        ui.label(console.t(Msg::DispatchNone));
    }
    for s in suggestions.iter().take(SUGGESTIONS) {
        let how = if s.eta.by_road {
            Msg::ByRoad
        } else {
            Msg::StraightLine
        };
        let text = format!(
            "{} · {:.1} min · {:.1} km ({})",
            s.callsign,
            s.eta.seconds / 60.0,
            s.eta.metres / 1000.0,
            console.t(how)
        );
        if ui.button(text).clicked() {
            return Some(Event::Dispatched {
                alert: alert.id.clone(),
                units: vec![s.unit.clone()],
                by: console.operator.clone(),
                etas_s: vec![s.eta.seconds],
            });
        }
    }
    None
}
