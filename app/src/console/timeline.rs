//! The timeline at the bottom: for now the live end of a one-hour ruler in
//! local time; recorded incidents and replay controls come with replay.

use chrono::{Duration as ChronoDuration, Timelike};

use super::{Area, Console, area_heading, empty_hint, theme, track_focus};
use crate::i18n::Msg;

/// How much time the ruler spans.
const SPAN_MINUTES: i64 = 60;
/// Minutes between labelled ticks.
const TICK_MINUTES: i64 = 10;

pub(super) fn show(console: &mut Console, ui: &mut egui::Ui) {
    egui::Panel::bottom("timeline")
        .resizable(false)
        .exact_size(118.0)
        .show(ui, |ui| {
            let rect = ui.max_rect();
            super::name_area(ui, console.t(Area::Timeline.title()));
            ui.horizontal(|ui| {
                area_heading(console, ui, Area::Timeline);
                ui.label(
                    egui::RichText::new(format!("● {}", console.t(Msg::TimelineLive)))
                        .strong()
                        .color(theme::palette::BLUISH_GREEN),
                );
                empty_hint(ui, console.t(Msg::TimelineEmpty));
            });
            ruler(console, ui);
            track_focus(console, ui, Area::Timeline, rect);
        });
}

/// Ticks every `TICK_MINUTES` over the last `SPAN_MINUTES`, "now" at the right.
fn ruler(console: &Console, ui: &mut egui::Ui) {
    let (rect, _) = ui.allocate_exact_size(
        egui::vec2(ui.available_width(), ui.available_height().max(36.0)),
        egui::Sense::hover(),
    );
    let painter = ui.painter_at(rect);
    painter.rect_filled(rect, 2.0, theme::CANVAS_FILL);
    let now = console.now();
    let start = now - ChronoDuration::minutes(SPAN_MINUTES);
    let span_s = (SPAN_MINUTES * 60) as f32;
    let x_of = |t: chrono::DateTime<chrono::FixedOffset>| {
        rect.left() + rect.width() * ((t - start).num_milliseconds() as f32 / 1000.0 / span_s)
    };
    let font = egui::TextStyle::Small.resolve(ui.style());
    // First tick: the next whole TICK_MINUTES after `start`.
    let minute = i64::from(start.minute());
    let mut tick = start
        .with_second(0)
        .and_then(|t| t.with_nanosecond(0))
        .unwrap_or(start)
        + ChronoDuration::minutes(TICK_MINUTES - minute % TICK_MINUTES);
    while tick <= now {
        let x = x_of(tick);
        painter.vline(x, rect.y_range(), egui::Stroke::new(1.0, theme::LINE));
        painter.text(
            egui::pos2(x + 4.0, rect.top() + 4.0),
            egui::Align2::LEFT_TOP,
            tick.format("%H:%M").to_string(),
            font.clone(),
            theme::TEXT_WEAK,
        );
        tick += ChronoDuration::minutes(TICK_MINUTES);
    }
    let live_x = rect.right() - 1.0;
    painter.vline(
        live_x,
        rect.y_range(),
        egui::Stroke::new(3.0, theme::palette::BLUISH_GREEN),
    );
}
