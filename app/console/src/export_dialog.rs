//! Exporting an incident package from the console (timeline → Export):
//! the span around the instant shown, the cameras, and redaction, which only
//! a supervisor may lift (with a reason; audited). The dialog asks for the
//! export ([`Command::Export`]); the program writes and verifies it off the
//! UI thread and the dialog shows how it went ([`FrameCtx::export`]).

use std::path::PathBuf;

use crate::i18n::Msg;
use crate::{command::Command, command::ExportAsk, frame::FrameCtx, modes, seat::Seat, theme};

use crate::export_form::ExportDialog;

impl Seat {
    /// Opens the export dialog for the five minutes either side of the
    /// instant shown.
    pub fn open_export(&mut self) {
        let now = self.now();
        let stamp = now.format("%Y%m%d-%H%M%S");
        let out = self.exports.join(format!("incident-{stamp}"));
        let (from, to) = match self.replay.as_ref().and_then(|r| r.locked) {
            Some((a, b)) => (self.local(a), self.local(b)),
            // Up to a segment before now: the segment being recorded is
            // not finished yet.
            None => (
                self.local(self.now_us() - 300_000_000),
                self.local((self.now_us() + 300_000_000).min(self.real_now_us() - 15_000_000)),
            ),
        };
        self.export = Some(ExportDialog {
            from,
            to,
            out: out.display().to_string(),
            lift: false,
            reason: String::new(),
            refused: None,
        });
    }

    /// Opens the export dialog filled in for `from_us..=to_us` into `out`
    /// (e.g. an incident's span; the operator can still change it).
    pub fn open_export_for(&mut self, from_us: i64, to_us: i64, out: &std::path::Path) {
        self.open_export();
        let (from, to) = (self.local(from_us), self.local(to_us));
        if let Some(d) = &mut self.export {
            d.from = from;
            d.to = to;
            d.out = out.display().to_string();
        }
    }

    fn local(&self, us: i64) -> String {
        let offset = *self.now().offset();
        chrono::DateTime::from_timestamp_micros(us)
            .unwrap_or_default()
            .with_timezone(&offset)
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
    }

    /// Asks for the export dialog `d` describes.
    fn start_export(&mut self, d: &ExportDialog) -> Result<(), String> {
        let parse = |s: &str| {
            chrono::DateTime::parse_from_rfc3339(s.trim())
                .map(|t| t.timestamp_micros())
                .map_err(|e| format!("`{s}`: {e} (e.g. 2026-11-23T09:00:00+06:00)"))
        };
        let (from_us, to_us) = (parse(&d.from)?, parse(&d.to)?);
        let lift = d.lift && self.role == Some(modes::Role::Supervisor);
        if lift && d.reason.trim().is_empty() {
            return Err(self.t(Msg::ExportReasonNeeded).to_owned());
        }
        let ask = ExportAsk {
            from_us,
            to_us,
            out: PathBuf::from(d.out.trim()),
            lifted: lift.then(|| d.reason.trim().to_owned()),
        };
        self.commands.push(Command::Export(ask));
        Ok(())
    }
}

/// The export window, and its fields while it is open (the seat only
/// carries a request to open it, from the timeline or the program).
#[derive(Default)]
pub(crate) struct ExportWindow {
    dialog: Option<ExportDialog>,
}

impl ExportWindow {
    /// The dialog, while open.
    pub(crate) fn ui(
        &mut self,
        seat: &mut Seat,
        frame: &FrameCtx,
        ctx: &egui::Context,
    ) -> Vec<Command> {
        if let Some(asked) = seat.export.take() {
            self.dialog = Some(asked);
        }
        show(&mut self.dialog, seat, frame, ctx);
        seat.take_commands()
    }
}

fn show(
    dialog: &mut Option<ExportDialog>,
    console: &mut Seat,
    frame: &FrameCtx,
    ctx: &egui::Context,
) {
    let Some(d) = dialog else { return };
    let running = frame.export.is_some_and(|e| e.running);
    let outcome = d
        .refused
        .clone()
        .map(Err)
        .or_else(|| frame.export.and_then(|e| e.outcome.clone()));
    let supervisor = console.role == Some(modes::Role::Supervisor);
    let lang = console.lang;
    let t = |m: Msg| m.text(lang);
    let mut open = true;
    let mut start = false;
    egui::Window::new(t(Msg::ExportTitle))
        .open(&mut open)
        .collapsible(false)
        .resizable(false)
        .show(ctx, |ui| {
            egui::Grid::new("export-fields")
                .num_columns(2)
                .show(ui, |ui| {
                    for (msg, text) in [
                        (Msg::ExportFrom, &mut d.from),
                        (Msg::ExportTo, &mut d.to),
                        (Msg::ExportFolder, &mut d.out),
                    ] {
                        let label = ui.label(t(msg));
                        ui.add(egui::TextEdit::singleline(text).desired_width(420.0))
                            .labelled_by(label.id);
                        ui.end_row();
                    }
                });
            ui.label(egui::RichText::new(t(Msg::ExportRedactedNote)).color(theme::TEXT_WEAK));
            ui.add_enabled(
                supervisor,
                egui::Checkbox::new(&mut d.lift, t(Msg::ExportLift)),
            )
            .on_disabled_hover_text(t(Msg::ExportLiftSupervisorOnly));
            if d.lift && supervisor {
                ui.add(
                    egui::TextEdit::singleline(&mut d.reason)
                        .hint_text(t(Msg::ExportReason))
                        .desired_width(420.0),
                );
            }
            ui.horizontal(|ui| {
                let idle = !running;
                start = ui
                    .add_enabled(idle, egui::Button::new(t(Msg::ExportRun)))
                    .clicked();
                if !idle {
                    ui.spinner();
                    ui.label(t(Msg::ExportRunning));
                }
            });
            match &outcome {
                Some(Ok(text)) => {
                    ui.label(egui::RichText::new(text).color(theme::palette::BLUISH_GREEN));
                }
                Some(Err(text)) => {
                    ui.label(egui::RichText::new(text).color(theme::palette::VERMILLION));
                }
                None => {}
            }
        });
    if start {
        d.refused = console.start_export(d).err();
    }
    if !open && !running {
        *dialog = None;
    }
}
