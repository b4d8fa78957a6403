//! Every problem the console knows of, listed in one window reachable from
//! the status bar: site features refused, rules-file problems, cameras whose
//! privacy masks are unreadable (blanked), camera entries that did not load,
//! senders whose clocks are off. The status bar counts them; the window
//! names each with its file, line or source.

use std::fmt::Write as _;

use crate::command::Command;
use crate::i18n::Msg;
use crate::{frame::FrameCtx, seat::Seat, theme};
use watchfloor_media::detect::privacy::CameraPrivacy;

/// One problem: the group it belongs to and what it says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Which part of the console (site, detection, privacy, feeds, cameras).
    pub group: Msg,
    /// The problem, naming its source.
    pub text: String,
}

/// Everything wrong now, grouped in a fixed order.
pub fn collect(console: &Seat, ctx: &FrameCtx) -> Vec<Problem> {
    let mut out = Vec::new();
    let mut push = |group: Msg, text: String| out.push(Problem { group, text });
    if let Some(why) = console.privacy.all_unknown() {
        push(
            Msg::ProblemsPrivacy,
            format!(
                "{}: {why} — {}",
                console.t(Msg::PrivacyMasksUnreadable),
                console.t(Msg::PrivacyAllBlanked)
            ),
        );
    }
    for (camera, why) in console.privacy.unknown() {
        push(
            Msg::ProblemsPrivacy,
            format!(
                "{camera}: {}: {why}",
                console.t(Msg::PrivacyMasksUnreadable)
            ),
        );
    }
    if let Some(h) = ctx.audit.filter(|h| !h.is_ok()) {
        let mut text = h
            .failing
            .clone()
            .unwrap_or_else(|| console.t(Msg::AuditOutsideChain).to_owned());
        if let Some(file) = &h.fallback {
            let _ = write!(
                text,
                " · {} {} ({})",
                h.outside_chain,
                console.t(Msg::AuditKeptIn),
                file.display()
            );
        }
        push(Msg::ProblemsAudit, text);
    }
    if let Some(status) = ctx.world_status {
        if let Some(Err(why)) = &status.journal {
            push(Msg::ProblemsJournal, why.clone());
        }
        for issue in &status.site_issues {
            push(Msg::ProblemsSite, issue.clone());
        }
    }
    for skew in ctx.feeds.iter().flat_map(|f| &f.skews) {
        push(
            Msg::ProblemsFeeds,
            format!("{}: {}", skew.source, clock_text(console, skew.behind_us)),
        );
    }
    if let watchfloor_media::view::DetectionState::Running { problems, .. } =
        &ctx.camera_set.detection
    {
        for p in problems {
            push(Msg::ProblemsDetection, p.clone());
        }
    }
    for view in ctx.cameras {
        if let Some(why) = view.recording.as_ref().and_then(|r| r.stopped.as_ref()) {
            push(Msg::ProblemsRecording, format!("{}: {why}", view.name));
        }
    }
    for e in &ctx.camera_set.config_errors {
        push(Msg::ProblemsCameras, e.clone());
    }
    out
}

/// `clock 10 min behind` / `时钟慢 10 分钟`, in the console's language.
pub fn clock_text(console: &Seat, behind_us: i64) -> String {
    let s = behind_us.unsigned_abs() / 1_000_000;
    let span = match s {
        0..=119 => format!("{s} {}", console.t(Msg::UnitSeconds)),
        120..=7199 => format!("{} {}", (s + 30) / 60, console.t(Msg::UnitMinutes)),
        _ => format!("{} {}", (s + 1800) / 3600, console.t(Msg::UnitHours)),
    };
    let template = if behind_us >= 0 {
        console.t(Msg::ClockBehind)
    } else {
        console.t(Msg::ClockAhead)
    };
    template.replace("{}", &span)
}

/// Cameras whose pictures are blanked for unreadable masks, among those
/// the console knows.
pub fn blanked_cameras(console: &Seat, ctx: &FrameCtx) -> Vec<String> {
    ctx.cameras
        .iter()
        .filter(|v| matches!(console.privacy.for_camera(&v.id), CameraPrivacy::Unknown(_)))
        .map(|v| v.name.clone())
        .collect()
}

/// The status bar's entry: privacy first (cameras blanked, named), then a
/// button counting every problem that opens the window.
pub(super) fn status_items(console: &mut Seat, ctx: &FrameCtx, ui: &mut egui::Ui) {
    let blanked = blanked_cameras(console, ctx);
    if !blanked.is_empty() || console.privacy.all_unknown().is_some() {
        ui.separator();
        let names = if blanked.is_empty() {
            console.t(Msg::PrivacyAllBlanked).to_owned()
        } else {
            blanked.join(", ")
        };
        ui.label(
            egui::RichText::new(format!("{}:", console.t(Msg::StatusPrivacy)))
                .color(theme::TEXT_WEAK),
        );
        ui.label(
            egui::RichText::new(format!("■ {} {names}", console.t(Msg::StatusBlanked)))
                .color(theme::palette::VERMILLION)
                .strong(),
        );
    }
    let count = collect(console, ctx).len();
    if count > 0 {
        ui.separator();
        let button = ui
            .button(
                egui::RichText::new(format!(
                    "▲ {count} {}",
                    console.t(if count == 1 {
                        Msg::StatusProblem
                    } else {
                        Msg::StatusProblems
                    })
                ))
                .color(theme::palette::ORANGE),
            )
            .on_hover_text(console.t(Msg::ProblemsOpen));
        if button.clicked() {
            console.problems_open = true;
        }
    }
}

/// The panel.
#[derive(Default)]
pub(crate) struct ProblemsWindow;

impl ProblemsWindow {
    /// Draws it; returns what the operator asked for.
    #[expect(
        clippy::unused_self,
        reason = "every panel has the same ui method; this one keeps no state"
    )]
    pub(crate) fn ui(
        &mut self,
        seat: &mut Seat,
        frame: &FrameCtx,
        ctx: &egui::Context,
    ) -> Vec<Command> {
        show(seat, frame, ctx);
        seat.take_commands()
    }
}

/// The window, while open.
fn show(console: &mut Seat, frame: &FrameCtx, ctx: &egui::Context) {
    if !console.problems_open {
        return;
    }
    let problems = collect(console, frame);
    let mut open = true;
    egui::Window::new(console.t(Msg::ProblemsTitle))
        .open(&mut open)
        .collapsible(false)
        .default_width(720.0)
        .show(ctx, |ui| {
            if problems.is_empty() {
                ui.label(console.t(Msg::ProblemsNone));
                return;
            }
            egui::ScrollArea::vertical()
                .max_height(480.0)
                .show(ui, |ui| {
                    let mut group = None;
                    for p in &problems {
                        if group != Some(p.group) {
                            group = Some(p.group);
                            ui.add_space(4.0);
                            ui.label(egui::RichText::new(console.t(p.group)).strong());
                        }
                        ui.add(
                            egui::Label::new(egui::RichText::new(&p.text).color(theme::TEXT))
                                .wrap(),
                        );
                    }
                });
        });
    console.problems_open = open;
}
