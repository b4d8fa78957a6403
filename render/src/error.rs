//! The render crate's one error type.

use std::path::PathBuf;

/// What went wrong while setting up the GPU or producing an image.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// No usable GPU adapter or device (no driver, no software rasteriser).
    #[error(
        "no usable GPU adapter: {0} (on a machine without a GPU, install Mesa's lavapipe: mesa-vulkan-drivers)"
    )]
    NoAdapter(String),

    /// The GPU did not finish a frame or a read-back in time, or was lost.
    #[error("GPU did not finish the frame: {0}")]
    Gpu(String),

    /// Writing an image file failed.
    #[error("could not write {path}: {reason}")]
    WriteImage {
        /// The file that was being written.
        path: PathBuf,
        /// Why.
        reason: String,
    },
}
