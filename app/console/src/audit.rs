//! What the console writes to the audit trail: the operator's alert actions
//! (from the events they submit), role and mode changes, and each camera
//! whose picture comes on screen.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use watchfloor_layers::audit::AuditAction;

use crate::command::Command;
use crate::i18n::Msg;

use crate::{frame::FrameCtx, seat::Seat};

/// The cameras whose pictures are on screen now, and where (a camera
/// blanked for unreadable privacy masks shows no picture).
fn on_screen(console: &Seat, ctx: &FrameCtx) -> Vec<(String, &'static str)> {
    let views = ctx.cameras;
    let shown = |i: usize| {
        views[i].frame.is_some()
            && !matches!(
                console.privacy.for_camera(&views[i].id),
                watchfloor_media::detect::privacy::CameraPrivacy::Unknown(_)
            )
    };
    if let Some(cp) = &console.checkpoint {
        let cameras = ctx
            .world
            .and_then(|w| super::checkpoint_view::summarise(w, views, cp).map(|s| s.live_cameras));
        return cameras
            .unwrap_or_default()
            .into_iter()
            .filter(|&i| shown(i))
            .map(|i| (views[i].id.clone(), "checkpoint view"))
            .collect();
    }
    let place = if console.wall_window {
        "wall window"
    } else {
        "wall"
    };
    console
        .wall
        .visible_tiles()
        .into_iter()
        .filter_map(|t| console.wall.camera_of(t, views.len()))
        .filter(|&c| shown(c))
        .map(|c| (views[c].id.clone(), place))
        .collect()
}

/// A banner across the console while actions do not reach the audit log:
/// why, and where they are kept instead. Nobody can miss it, and it stays
/// until the log is written again (and, while actions sit outside the
/// chain, says so in a quieter colour).
/// The banner shown while actions do not reach the audit log.
#[derive(Default)]
pub(crate) struct AuditBanner;

impl AuditBanner {
    /// Draws it (when needed).
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
        banner(seat, ctx, ui);
        seat.take_commands()
    }
}

fn banner(console: &Seat, ctx: &FrameCtx, ui: &mut egui::Ui) {
    let Some(health) = ctx.audit else { return };
    if health.is_ok() {
        return;
    }
    let failing = health.failing.is_some() || health.lost > 0;
    let mut text = if failing {
        format!("▲ {}", console.t(Msg::AuditNotWriting))
    } else {
        format!("▲ {}", console.t(Msg::AuditOutsideChain))
    };
    if let Some(why) = &health.failing {
        let _ = write!(text, " — {why}");
    }
    match (&health.fallback, health.in_memory) {
        (Some(file), _) => {
            let _ = write!(
                text,
                " · {} {} ({})",
                health.outside_chain,
                console.t(Msg::AuditKeptIn),
                file.display()
            );
        }
        (None, n) if n > 0 => {
            let _ = write!(text, " · {n} {}", console.t(Msg::AuditInMemory));
        }
        _ => {}
    }
    if health.lost > 0 {
        let _ = write!(text, " · {} {}", health.lost, console.t(Msg::AuditLost));
    }
    let fill = if failing {
        super::theme::palette::VERMILLION
    } else {
        super::theme::palette::ORANGE
    };
    egui::Panel::top("audit_banner")
        .frame(egui::Frame::new().fill(fill).inner_margin(6.0))
        .show(ui, |ui| {
            ui.add(
                egui::Label::new(
                    egui::RichText::new(text)
                        .strong()
                        .color(egui::Color32::BLACK),
                )
                .wrap(),
            );
        });
}

/// Records each camera that came on screen since the last frame.
pub(crate) fn cameras_viewed(console: &mut Seat, ctx: &FrameCtx) {
    if ctx.audit.is_none() {
        return;
    }
    let now = on_screen(console, ctx);
    let ids: BTreeSet<String> = now.iter().map(|(id, _)| id.clone()).collect();
    for (camera, place) in now {
        if !console.viewed.contains(&camera) {
            console.audit(AuditAction::CameraViewed {
                camera,
                place: place.to_owned(),
            });
        }
    }
    console.viewed = ids;
}
