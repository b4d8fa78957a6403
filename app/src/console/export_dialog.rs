//! Exporting an incident package from the console (timeline → Export):
//! the span around the instant shown, the cameras, and redaction, which only
//! a supervisor may lift (with a reason; audited). The export runs on its
//! own `export` thread from the console's own journal handle; the dialog
//! shows its outcome and the package's verification.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, sync_channel};

use super::{Console, modes, theme};
use crate::i18n::Msg;

/// The dialog's fields and a running export.
pub(super) struct ExportDialog {
    from: String,
    to: String,
    out: String,
    lift: bool,
    reason: String,
    running: Option<Receiver<Result<Exported, String>>>,
    outcome: Option<Result<String, String>>,
}

/// A package written and verified: what the dialog shows and the audit
/// trail records.
pub(super) struct Exported {
    summary: String,
    action: watchfloor_layers::audit::AuditAction,
}

impl Console {
    /// Opens the export dialog for the five minutes either side of the
    /// instant shown.
    pub fn open_export(&mut self) {
        let now = self.now();
        let stamp = now.format("%Y%m%d-%H%M%S");
        let out = watchfloor_runtime::paths::data_dir()
            .join("exports")
            .join(format!("incident-{stamp}"));
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
            running: None,
            outcome: None,
        });
    }

    /// What the last export from the dialog came to (`None`: none yet, or
    /// still running): the package's summary, or why it failed.
    pub fn export_outcome(&self) -> Option<Result<&str, &str>> {
        match self.export.as_ref()?.outcome.as_ref()? {
            Ok(s) => Some(Ok(s)),
            Err(e) => Some(Err(e)),
        }
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

    /// Starts the export the dialog describes.
    fn start_export(&mut self) -> Result<(), String> {
        let Some(d) = &self.export else { return Ok(()) };
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
        let journal = self
            .world
            .as_ref()
            .and_then(watchfloor_runtime::world::LiveWorld::journal)
            .ok_or_else(|| self.t(Msg::ExportNoJournal).to_owned())?;
        let request = watchfloor_runtime::export::package::ExportRequest {
            from_us,
            to_us,
            out: PathBuf::from(d.out.trim()),
            recordings: self.recordings.clone().unwrap_or_default(),
            cameras: Vec::new(),
            redact: !lift,
            privacy: self.privacy.clone(),
            origin: self.world.as_ref().map(|w| w.live_world().frame().origin()),
        };
        if lift {
            self.audit(watchfloor_layers::audit::AuditAction::RedactionLifted {
                scope: format!("export {}", request.out.display()),
                reason: d.reason.trim().to_owned(),
            });
        }
        let (tx, rx) = sync_channel(1);
        std::thread::Builder::new()
            .name("export".into())
            .spawn(move || {
                let outcome = watchfloor_runtime::export::package::export(&request, &journal)
                    .and_then(|report| {
                        let check = watchfloor_runtime::export::verify::verify(&report.dir)?;
                        anyhow::ensure!(check.is_intact(), "the package written does not verify");
                        Ok(Exported {
                            summary: format!(
                                "{}: {} clips, {} events, {} files, verified",
                                report.dir.display(),
                                report.clips(),
                                report.events,
                                report.manifest.files.len(),
                            ),
                            action: watchfloor_layers::audit::AuditAction::Exported {
                                dir: report.dir.display().to_string(),
                                cameras: report.manifest.cameras.clone(),
                                from: request.from_us,
                                to: request.to_us,
                                manifest_sha256: Some(report.manifest_sha256.clone()),
                            },
                        })
                    })
                    .map_err(|e| format!("{e:#}"));
                let _ = tx.send(outcome);
            })
            .map_err(|e| e.to_string())?;
        if let Some(d) = &mut self.export {
            d.running = Some(rx);
            d.outcome = None;
        }
        Ok(())
    }
}

/// The dialog, while open.
pub(super) fn show(console: &mut Console, ctx: &egui::Context) {
    let Some(d) = &mut console.export else { return };
    if let Some(outcome) = d.running.as_ref().and_then(|r| r.try_recv().ok()) {
        d.running = None;
        let shown = match outcome {
            Ok(done) => {
                // Audited once the package exists and verifies.
                console.audit(done.action);
                Ok(done.summary)
            }
            Err(e) => Err(e),
        };
        if let Some(d) = &mut console.export {
            d.outcome = Some(shown);
        }
    }
    let Some(d) = &mut console.export else { return };
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
                let idle = d.running.is_none();
                start = ui
                    .add_enabled(idle, egui::Button::new(t(Msg::ExportRun)))
                    .clicked();
                if !idle {
                    ui.spinner();
                    ui.label(t(Msg::ExportRunning));
                }
            });
            match &d.outcome {
                Some(Ok(text)) => {
                    ui.label(egui::RichText::new(text).color(theme::palette::BLUISH_GREEN));
                }
                Some(Err(text)) => {
                    ui.label(egui::RichText::new(text).color(theme::palette::VERMILLION));
                }
                None => {}
            }
        });
    if start
        && let Err(e) = console.start_export()
        && let Some(d) = &mut console.export
    {
        d.outcome = Some(Err(e));
    }
    if !open && console.export.as_ref().is_some_and(|d| d.running.is_none()) {
        console.export = None;
    }
}
