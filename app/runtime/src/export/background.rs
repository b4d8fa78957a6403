//! An export the console asked for, written and verified as a [`Job`] on
//! its own `export` thread from the console's own journal handle.

use watchfloor_layers::audit::AuditAction;
use watchfloor_layers::journal::Journal;

use super::package::{ExportRequest, export};
use super::verify::verify;
use crate::job::Job;

/// A package written and verified: what the dialog shows and the audit
/// trail records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exported {
    /// One line for the operator.
    pub summary: String,
    /// The audit entry (with the manifest's SHA-256).
    pub action: AuditAction,
}

/// An export on its way: the package, or why not.
pub type ExportJob = Job<Result<Exported, String>>;

/// Writes `request` from `journal` and verifies the package; `done` is
/// called when it is finished.
pub fn start(
    request: ExportRequest,
    journal: Journal,
    done: impl FnOnce() + Send + 'static,
) -> std::io::Result<ExportJob> {
    Job::start(
        "export",
        move || {
            export(&request, &journal)
                .and_then(|report| {
                    let check = verify(&report.dir)?;
                    anyhow::ensure!(check.is_intact(), "the package written does not verify");
                    Ok(Exported {
                        summary: format!(
                            "{}: {} clips, {} events, {} files, verified",
                            report.dir.display(),
                            report.clips(),
                            report.events,
                            report.manifest.files.len(),
                        ),
                        action: AuditAction::Exported {
                            dir: report.dir.display().to_string(),
                            cameras: report.manifest.cameras.clone(),
                            from: request.from_us,
                            to: request.to_us,
                            manifest_sha256: Some(report.manifest_sha256.clone()),
                        },
                    })
                })
                .map_err(|e| format!("{e:#}"))
        },
        done,
    )
}
