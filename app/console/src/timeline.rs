//! The timeline at the bottom: live or replay, the transport (play/pause,
//! 0.25–16×, step by frame and by event), bookmarks and trainer notes, and
//! a ruler with alerts, dispatches and operator actions on it. A click or a
//! drag on the ruler replays that moment; the scroll wheel zooms.

use chrono::TimeZone as _;

use super::replay::SPEEDS;
use crate::command::Command;
use crate::i18n::Msg;
use crate::{
    area::Area, frame::FrameCtx, seat::Seat, theme, widgets::area_heading, widgets::empty_hint,
    widgets::track_focus,
};
use watchfloor_layers::timeline::MarkKind;

/// Shortest and longest span the ruler shows, seconds.
const SPAN_RANGE_S: (f64, f64) = (60.0, 24.0 * 3600.0);

/// The timeline panel: how much time it shows, and the note being typed.
pub(crate) struct TimelinePanel {
    span_s: f64,
    note: String,
}

impl Default for TimelinePanel {
    fn default() -> Self {
        Self {
            span_s: 3600.0,
            note: String::new(),
        }
    }
}

impl TimelinePanel {
    /// Draws it; returns what the operator asked for.
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

fn show(panel: &mut TimelinePanel, console: &mut Seat, ctx: &FrameCtx, ui: &mut egui::Ui) {
    egui::Panel::bottom("timeline")
        .resizable(false)
        .exact_size(132.0)
        .show(ui, |ui| {
            let rect = ui.max_rect();
            crate::widgets::name_area(ui, console.t(Area::Timeline.title()));
            ui.horizontal(|ui| {
                area_heading(console, ui, Area::Timeline);
                badge(console, ui);
                transport(console, ui);
                ui.separator();
                bookmark_field(panel, console, ui);
                if console.package.is_none()
                    && ui
                        .button(console.t(Msg::TimelineExport))
                        .on_hover_text(console.t(Msg::TimelineExportHint))
                        .clicked()
                {
                    console.open_export();
                }
                if console.replay.is_none() && console.bookmarks.is_empty() {
                    empty_hint(ui, console.t(Msg::TimelineScrubHint));
                }
            });
            ruler(panel, console, ctx, ui);
            keys(console, ui);
            track_focus(console, ui, Area::Timeline, rect);
        });
}

/// LIVE (green) or REPLAY with the instant shown (orange).
fn badge(console: &Seat, ui: &mut egui::Ui) {
    let (text, color) = if console.replay_at().is_none() {
        (
            format!("● {}", console.t(Msg::TimelineLive)),
            theme::palette::BLUISH_GREEN,
        )
    } else {
        {
            let symbol = if console.replay_playing() {
                "▶"
            } else {
                "‖"
            };
            let package = if console.package.is_some() {
                format!(" · {}", console.t(Msg::TimelinePackage))
            } else {
                String::new()
            };
            (
                format!(
                    "{symbol} {} {}{package}",
                    console.t(Msg::TimelineReplay),
                    console.now().format("%Y-%m-%d %H:%M:%S%.3f")
                ),
                theme::palette::ORANGE,
            )
        }
    };
    ui.label(egui::RichText::new(text).strong().color(color));
}

/// Play/pause, steps, speed and the way back to live.
fn transport(console: &mut Seat, ui: &mut egui::Ui) {
    let replaying = console.replay_at().is_some();
    let button = |ui: &mut egui::Ui, symbol: &str, hint: &str| {
        ui.add_enabled(
            replaying,
            egui::Button::new(symbol).min_size(egui::vec2(30.0, 24.0)),
        )
        .on_hover_text(hint)
        .on_disabled_hover_text(hint)
        .clicked()
    };
    if button(ui, "⇤", console.t(Msg::TimelinePrevEvent)) {
        console.step_event(false);
    }
    if button(ui, "◀|", console.t(Msg::TimelineStepBack)) {
        console.step_frames(-1);
    }
    let playing = console.replay_playing();
    let (symbol, hint) = if playing {
        ("‖", Msg::TimelinePause)
    } else {
        ("▶", Msg::TimelinePlay)
    };
    if button(ui, symbol, console.t(hint)) {
        console.set_replay_playing(!playing);
    }
    if button(ui, "|▶", console.t(Msg::TimelineStepOn)) {
        console.step_frames(1);
    }
    if button(ui, "⇥", console.t(Msg::TimelineNextEvent)) {
        console.step_event(true);
    }
    let speed = console.replay.as_ref().map_or(1.0, |r| r.speed);
    ui.add_enabled_ui(replaying, |ui| {
        egui::ComboBox::from_id_salt("replay-speed")
            .selected_text(format!("{speed}×"))
            .width(64.0)
            .show_ui(ui, |ui| {
                for s in SPEEDS {
                    if ui
                        .selectable_label((s - speed).abs() < 1e-3, format!("{s}×"))
                        .clicked()
                    {
                        console.set_replay_speed(s);
                    }
                }
            })
            .response
            .on_hover_text(console.t(Msg::TimelineSpeed));
    });
    let locked = console.replay.as_ref().is_some_and(|r| r.locked.is_some());
    if replaying
        && !locked
        && ui
            .button(
                egui::RichText::new(format!("● {}", console.t(Msg::TimelineGoLive)))
                    .color(theme::palette::BLUISH_GREEN),
            )
            .on_hover_text(console.t(Msg::TimelineGoLiveHint))
            .clicked()
    {
        console.go_live();
    }
}

/// A text field and a button: a trainer's note at the instant shown, or a
/// bookmark.
fn bookmark_field(panel: &mut TimelinePanel, console: &mut Seat, ui: &mut egui::Ui) {
    let trainer = console.package.is_some();
    let hint = console.t(Msg::TimelineNoteHint);
    let field = egui::TextEdit::singleline(&mut panel.note)
        .hint_text(hint)
        .desired_width(220.0);
    let entered = ui.add(field).lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
    let label = if trainer {
        Msg::TimelineAddNote
    } else {
        Msg::TimelineBookmark
    };
    let clicked = ui
        .button(format!("+ {}", console.t(label)))
        .on_hover_text(console.t(Msg::TimelineAddBookmark))
        .clicked();
    if clicked || (entered && !panel.note.trim().is_empty()) {
        let text = std::mem::take(&mut panel.note);
        let text = if text.trim().is_empty() {
            console.t(Msg::TimelineBookmark).to_owned()
        } else {
            text
        };
        console.add_bookmark(&text);
    }
}

/// Space plays or pauses; arrows step by frame, with Shift by event.
fn keys(console: &mut Seat, ui: &egui::Ui) {
    if console.focus != Area::Timeline
        || console.replay.is_none()
        || ui.ctx().egui_wants_keyboard_input()
    {
        return;
    }
    let (space, left, right, shift) = ui.input(|i| {
        (
            i.key_pressed(egui::Key::Space),
            i.key_pressed(egui::Key::ArrowLeft),
            i.key_pressed(egui::Key::ArrowRight),
            i.modifiers.shift,
        )
    });
    if space {
        console.set_replay_playing(!console.replay_playing());
    }
    match (left, right, shift) {
        (true, _, false) => console.step_frames(-1),
        (_, true, false) => console.step_frames(1),
        (true, _, true) => console.step_event(false),
        (_, true, true) => console.step_event(true),
        _ => {}
    }
}

/// The span the ruler shows: the package, or up to now with the instant
/// replayed kept in view.
fn span(panel: &TimelinePanel, console: &Seat) -> (i64, i64) {
    if let Some((a, b)) = console.replay.as_ref().and_then(|r| r.locked) {
        return (a, b.max(a + 1_000_000));
    }
    let end = console.real_now_us();
    let span_us = (panel.span_s * 1e6) as i64;
    let mut start = end - span_us;
    if let Some(at) = console.replay_at()
        && at < start + span_us / 20
    {
        start = at - span_us / 20;
        return (start, start + span_us);
    }
    (start, end)
}

/// Ticks, marks, bookmarks and the playhead; clicks and drags seek.
fn ruler(panel: &mut TimelinePanel, console: &mut Seat, ctx: &FrameCtx, ui: &mut egui::Ui) {
    let (rect, response) = ui.allocate_exact_size(
        egui::vec2(ui.available_width(), ui.available_height().max(40.0)),
        egui::Sense::click_and_drag(),
    );
    let (start, end) = span(panel, console);
    let width_us = (end - start).max(1) as f64;
    let x_of = |t: i64| rect.left() + rect.width() * ((t - start) as f64 / width_us) as f32;
    let t_of = |x: f32| start + (f64::from((x - rect.left()) / rect.width()) * width_us) as i64;
    let painter = ui.painter_at(rect);
    painter.rect_filled(rect, 2.0, theme::CANVAS_FILL);
    ticks(console, ui, &painter, rect, (start, end), &x_of);
    if let Some(label) = marks(console, ctx, &painter, rect, &x_of, &response) {
        response.clone().on_hover_text(label);
    }
    let head = console.replay_at().map_or(rect.right() - 1.0, x_of);
    let color = if console.replay_at().is_some() {
        theme::palette::ORANGE
    } else {
        theme::palette::BLUISH_GREEN
    };
    painter.vline(head, rect.y_range(), egui::Stroke::new(3.0, color));
    if let Some(pos) = response.interact_pointer_pos()
        && (response.clicked() || response.dragged())
    {
        let at = t_of(pos.x.clamp(rect.left(), rect.right()));
        console.enter_replay(at);
    }
    if response.hovered() && console.replay.as_ref().is_none_or(|r| r.locked.is_none()) {
        let scroll = ui.input(|i| i.smooth_scroll_delta.y);
        if scroll != 0.0 {
            panel.span_s = (panel.span_s * f64::from((-scroll * 0.004).exp()))
                .clamp(SPAN_RANGE_S.0, SPAN_RANGE_S.1);
        }
    }
}

/// Labelled ticks at a round step that fits the span.
fn ticks(
    console: &Seat,
    ui: &egui::Ui,
    painter: &egui::Painter,
    rect: egui::Rect,
    (start, end): (i64, i64),
    x_of: &dyn Fn(i64) -> f32,
) {
    let span_s = (end - start) as f64 / 1e6;
    let step_s = [
        10, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600,
    ]
    .into_iter()
    .find(|&s| span_s / f64::from(s) <= 8.0)
    .unwrap_or(21600);
    let tick_us = i64::from(step_s) * 1_000_000;
    let font = egui::TextStyle::Small.resolve(ui.style());
    let offset = console.now().offset().to_owned();
    let mut tick = (start.div_euclid(tick_us) + 1) * tick_us;
    while tick <= end {
        let x = x_of(tick);
        painter.vline(x, rect.y_range(), egui::Stroke::new(1.0, theme::LINE));
        let local = offset.timestamp_micros(tick).single();
        let format = if step_s < 60 { "%H:%M:%S" } else { "%H:%M" };
        if let Some(local) = local {
            painter.text(
                egui::pos2(x + 4.0, rect.top() + 2.0),
                egui::Align2::LEFT_TOP,
                local.format(format).to_string(),
                font.clone(),
                theme::TEXT_WEAK,
            );
        }
        tick += tick_us;
    }
}

/// Alerts (vermillion; critical taller), dispatches (blue), operator
/// actions (yellow), bookmarks and notes (purple flags). Returns what the
/// one under the pointer is.
fn marks(
    console: &Seat,
    ctx: &FrameCtx,
    painter: &egui::Painter,
    rect: egui::Rect,
    x_of: &dyn Fn(i64) -> f32,
    response: &egui::Response,
) -> Option<String> {
    let band = |row: f32| {
        let top = rect.top() + 18.0 + row * 8.0;
        top..=top + 8.0
    };
    let mut nearest: Option<(f32, String)> = None;
    let hover = response.hover_pos();
    let mut consider = |x: f32, label: &str| {
        if let Some(p) = hover {
            let d = (p.x - x).abs();
            if d < 5.0 && nearest.as_ref().is_none_or(|(n, _)| d < *n) {
                nearest = Some((d, label.to_owned()));
            }
        }
    };
    {
        for m in ctx.timeline.marks {
            let x = x_of(m.at);
            if let MarkKind::Outage { until } = m.kind {
                let (x, x2) = (x.max(rect.left()), x_of(until).min(rect.right()));
                if x2 < rect.left() || x > rect.right() {
                    continue;
                }
                let y = rect.bottom() - 22.0;
                painter.rect_filled(
                    egui::Rect::from_x_y_ranges(x..=x2.max(x + 2.0), y..=y + 4.0),
                    0.0,
                    theme::palette::GREY,
                );
                consider(x, &m.label);
                continue;
            }
            if !(rect.left()..=rect.right()).contains(&x) {
                continue;
            }
            let (color, rows, width) = match m.kind {
                MarkKind::Alert { critical: true } => (theme::palette::VERMILLION, 0.0..=2.0, 3.0),
                MarkKind::Alert { critical: false } => (theme::palette::VERMILLION, 0.0..=1.0, 2.0),
                MarkKind::Dispatch => (theme::palette::SKY_BLUE, 2.0..=2.0, 2.0),
                MarkKind::Operator | MarkKind::Outage { .. } => {
                    (theme::palette::YELLOW, 3.0..=3.0, 2.0)
                }
            };
            let y = *band(*rows.start()).start()..=*band(*rows.end()).end();
            painter.vline(x, y, egui::Stroke::new(width, color));
            consider(x, &m.label);
        }
    }
    for b in &console.bookmarks {
        let x = x_of(b.at_us);
        if !(rect.left()..=rect.right()).contains(&x) {
            continue;
        }
        let top = rect.bottom() - 14.0;
        painter.vline(
            x,
            top..=rect.bottom(),
            egui::Stroke::new(2.0, theme::palette::REDDISH_PURPLE),
        );
        painter.add(egui::Shape::convex_polygon(
            vec![
                egui::pos2(x, top),
                egui::pos2(x + 8.0, top + 3.0),
                egui::pos2(x, top + 6.0),
            ],
            theme::palette::REDDISH_PURPLE,
            egui::Stroke::NONE,
        ));
        consider(x, &format!("{} ({})", b.text, b.by));
    }
    nearest.map(|(_, label)| label)
}
