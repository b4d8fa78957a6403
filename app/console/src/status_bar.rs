//! The status bar: clock, feed health, and what the start-up checks found
//! (video pipeline, detector runtime, GPU).

use std::fmt::Write as _;

use crate::command::Command;
use crate::i18n::Msg;
use crate::{frame::FrameCtx, seat::Seat, theme};
use watchfloor_layers::FeedHealth;
use watchfloor_media::readiness::Check;

/// The panel.
#[derive(Default)]
pub(crate) struct StatusBar;

impl StatusBar {
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
    egui::Panel::bottom("status_bar").show(ui, |ui| {
        crate::widgets::name_area(ui, console.t(Msg::AreaStatus));
        ui.horizontal(|ui| {
            let now = console.now();
            ui.label(
                egui::RichText::new(now.format("%Y-%m-%d %H:%M:%S").to_string())
                    .monospace()
                    .strong(),
            )
            .on_hover_text(now.format("UTC%:z").to_string());
            ui.separator();
            let (live, total) = ctx.live_count();
            if console.package.is_some() {
                let recorded = ctx.cameras.len();
                key_value(
                    ui,
                    console.t(Msg::StatusCameras),
                    &format!("{recorded} {}", console.t(Msg::ReplayRecorded)),
                    Some(theme::palette::ORANGE),
                );
            } else if total == 0 {
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
            feeds(console, ctx, ui);
            ui.separator();
            let (video, detector) = match ctx.system {
                Some(report) => (Some(&report.video), Some(&report.detector)),
                None => (None, None),
            };
            check(console, ui, Msg::StatusVideo, video);
            ui.separator();
            check(console, ui, Msg::StatusDetector, detector);
            detection(console, ctx, ui);
            super::problems::status_items(console, ctx, ui);
            if let Some(gpu) = ctx.gpu {
                ui.separator();
                key_value(ui, console.t(Msg::StatusGpu), gpu, None);
            }
        });
    });
}

/// Detection beyond the library check: the model opening, running (with
/// rules-file problems, if any), or why it failed.
/// (The rules file's problems are listed in the problems window.)
fn detection(console: &Seat, ctx: &FrameCtx, ui: &mut egui::Ui) {
    use watchfloor_media::view::DetectionState;
    match &ctx.camera_set.detection {
        DetectionState::Starting => {
            ui.label(
                egui::RichText::new(console.t(Msg::DetectionStarting)).color(theme::TEXT_WEAK),
            );
        }
        DetectionState::Off | DetectionState::Waiting | DetectionState::Running { .. } => {}
        DetectionState::Failed(why) => {
            ui.label(egui::RichText::new("● ✕").color(theme::palette::VERMILLION))
                .on_hover_text(why);
        }
    }
}

/// A `key: ● value` item; returns the value's response (for hover text).
fn item(ui: &mut egui::Ui, key: &str, look: &theme::StatusLook, value: &str) -> egui::Response {
    ui.label(egui::RichText::new(format!("{key}:")).color(theme::TEXT_WEAK));
    ui.label(egui::RichText::new(format!("{} {value}", look.symbol)).color(look.color))
}

/// Feed health (CoT units, MAVLink drones), the journal, and site problems.
fn feeds(console: &Seat, ctx: &FrameCtx, ui: &mut egui::Ui) {
    if let Some(package) = &console.package {
        key_value(
            ui,
            console.t(Msg::StatusFeeds),
            console.t(Msg::StatusPackage),
            Some(theme::palette::ORANGE),
        );
        ui.label(egui::RichText::new(package.display().to_string()).color(theme::TEXT_WEAK));
        return;
    }
    let Some(status) = ctx.world_status else {
        key_value(
            ui,
            console.t(Msg::StatusFeeds),
            console.t(Msg::StatusNone),
            None,
        );
        return;
    };
    let key = console.t(Msg::StatusFeeds);
    match &status.feeds {
        None => {
            let look = theme::feed_look(FeedHealth::Connecting);
            item(ui, key, &look, console.t(look.label));
        }
        Some(Err(e)) => {
            let look = theme::feed_look(FeedHealth::Offline);
            item(ui, key, &look, console.t(Msg::StatusUnavailable)).on_hover_text(e);
        }
        Some(Ok(bound)) => {
            ui.label(egui::RichText::new(format!("{key}:")).color(theme::TEXT_WEAK));
            let summary = ctx.feeds.cloned().unwrap_or_default();
            for (name, counters) in [("CoT", summary.cot), ("MAVLink", summary.mavlink)] {
                feed(console, ui, name, counters, bound);
            }
            let skews = summary.skews;
            if let Some(first) = skews.first() {
                let more = if skews.len() > 1 {
                    format!(" (+{})", skews.len() - 1)
                } else {
                    String::new()
                };
                ui.label(
                    egui::RichText::new(format!(
                        "◐ {}: {}{more}",
                        first.source,
                        super::problems::clock_text(console, first.behind_us)
                    ))
                    .color(theme::palette::ORANGE),
                );
            }
        }
    }
    ui.separator();
    let key = console.t(Msg::StatusJournal);
    match &status.journal {
        Some(Ok(dir)) => {
            let look = theme::feed_look(FeedHealth::Live);
            item(ui, key, &look, console.t(Msg::StatusRecording))
                .on_hover_text(dir.display().to_string());
        }
        other => {
            let look = theme::feed_look(FeedHealth::Offline);
            let response = item(ui, key, &look, console.t(Msg::StatusNotRecording));
            if let Some(Err(e)) = other {
                response.on_hover_text(e);
            }
        }
    }
}

/// One feed protocol: live while messages arrive, with malformed counted.
fn feed(
    console: &Seat,
    ui: &mut egui::Ui,
    name: &str,
    c: watchfloor_layers::feeds::ingest::FeedCounters,
    bound: &watchfloor_layers::feeds::ports::FeedPorts,
) {
    let health = match c.last_good_at {
        Some(t) if watchfloor_layers::clock::now_us() - t < 5_000_000 => FeedHealth::Live,
        Some(_) => FeedHealth::Stalled,
        None => FeedHealth::Connecting,
    };
    let look = theme::feed_look(health);
    let mut text = format!("{} {name}", look.symbol);
    if c.malformed > 0 {
        let _ = write!(
            text,
            " ({} {})",
            c.malformed,
            console.t(Msg::StatusMalformed)
        );
    }
    ui.label(egui::RichText::new(text).color(look.color))
        .on_hover_text(format!(
            "{}\n{} messages, {} events, {} ignored, {} malformed\n{bound:?}",
            console.t(look.label),
            c.received,
            c.events,
            c.ignored,
            c.malformed
        ));
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
fn check(console: &Seat, ui: &mut egui::Ui, what: Msg, check: Option<&Check>) {
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
