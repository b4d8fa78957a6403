//! The status bar: clock, feed health, and what the start-up checks found
//! (video pipeline, detector runtime, GPU).

use super::{Console, theme};
use crate::i18n::Msg;
use crate::wiring::startup::Check;
use watchfloor_layers::FeedHealth;

pub(super) fn show(console: &mut Console, ui: &mut egui::Ui) {
    egui::Panel::bottom("status_bar").show(ui, |ui| {
        super::name_area(ui, console.t(Msg::AreaStatus));
        ui.horizontal(|ui| {
            let now = console.now();
            ui.label(
                egui::RichText::new(now.format("%Y-%m-%d %H:%M:%S").to_string())
                    .monospace()
                    .strong(),
            )
            .on_hover_text(now.format("UTC%:z").to_string());
            ui.separator();
            let (live, total) = console.cameras.live_count();
            if total == 0 {
                key_value(
                    ui,
                    console.t(Msg::StatusCameras),
                    console.t(Msg::StatusNone),
                    None,
                );
            } else {
                let health = if live == total {
                    FeedHealth::Live
                } else {
                    FeedHealth::Stalled
                };
                let look = theme::feed_look(health);
                key_value(
                    ui,
                    console.t(Msg::StatusCameras),
                    &format!(
                        "{} {live}/{total} {}",
                        look.symbol,
                        console.t(Msg::FeedLive)
                    ),
                    Some(look.color),
                );
            }
            ui.separator();
            key_value(
                ui,
                console.t(Msg::StatusFeeds),
                console.t(Msg::StatusNone),
                None,
            );
            ui.separator();
            let (video, detector) = match &console.system {
                Some(report) => (Some(&report.video), Some(&report.detector)),
                None => (None, None),
            };
            check(console, ui, Msg::StatusVideo, video);
            ui.separator();
            check(console, ui, Msg::StatusDetector, detector);
            if let Some(gpu) = &console.gpu {
                ui.separator();
                key_value(ui, console.t(Msg::StatusGpu), gpu, None);
            }
        });
    });
}

fn key_value(ui: &mut egui::Ui, key: &str, value: &str, color: Option<egui::Color32>) {
    ui.label(egui::RichText::new(format!("{key}:")).color(theme::TEXT_WEAK));
    let value = egui::RichText::new(value);
    ui.label(match color {
        Some(c) => value.color(c),
        None => value,
    });
}

/// One start-up check: a health symbol and colour, a short text, and the full
/// reason on hover.
fn check(console: &Console, ui: &mut egui::Ui, what: Msg, check: Option<&Check>) {
    let (health, text, detail) = match check {
        None => (
            FeedHealth::Connecting,
            console.t(Msg::StatusChecking).to_owned(),
            None,
        ),
        Some(Check::Ready(s)) => (FeedHealth::Live, s.clone(), None),
        Some(Check::Degraded(s)) => (
            FeedHealth::Stalled,
            format!("{}: {}", console.t(Msg::StatusMissing), s),
            Some(s.clone()),
        ),
        Some(Check::Unavailable(s)) => (
            FeedHealth::Offline,
            console.t(Msg::StatusUnavailable).to_owned(),
            Some(s.clone()),
        ),
    };
    let look = theme::feed_look(health);
    ui.label(egui::RichText::new(format!("{}:", console.t(what))).color(theme::TEXT_WEAK));
    let response =
        ui.label(egui::RichText::new(format!("{} {text}", look.symbol)).color(look.color));
    if let Some(detail) = detail {
        response.on_hover_text(detail);
    }
}
