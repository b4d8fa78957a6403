//! The export dialog's fields, while it is open.

/// The dialog's fields.
pub(crate) struct ExportDialog {
    pub(crate) from: String,
    pub(crate) to: String,
    pub(crate) out: String,
    pub(crate) lift: bool,
    pub(crate) reason: String,
    /// Why the fields do not make an export.
    pub(crate) refused: Option<String>,
}
