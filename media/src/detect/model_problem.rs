//! What went wrong opening or running a detection model (the model file is
//! named by [`crate::MediaError::Model`]).

use super::decode::DecodeError;
use super::descriptor::ClassNotEnabled;
use crate::MediaError;

/// Why a model could not be opened or run.
#[derive(Debug, thiserror::Error)]
pub enum ModelProblem {
    /// ONNX Runtime itself is unavailable.
    #[error(transparent)]
    Runtime(&'static MediaError),
    /// The model file is not there.
    #[error("model file not found")]
    NotFound,
    /// ONNX Runtime refused a step.
    #[error("{what}: {source}")]
    Ort {
        /// The step (session set-up, inference, reading an output…).
        what: String,
        /// ONNX Runtime's answer.
        #[source]
        source: ort::Error,
    },
    /// The site asked for a class the model does not enable.
    #[error(transparent)]
    Classes(#[from] ClassNotEnabled),
    /// The descriptor's input is not in the model.
    #[error("the model has no input `{name}` (it has: {})", has.join(", "))]
    NoInput {
        /// The input named by the descriptor.
        name: String,
        /// The model's inputs.
        has: Vec<String>,
    },
    /// A descriptor's output is not in the model.
    #[error("the model has no output `{name}`")]
    NoOutput {
        /// The output named by the descriptor.
        name: String,
    },
    /// A batch size the model cannot take.
    #[error("batch of {given} (1..={max} allowed)")]
    Batch {
        /// Frames given.
        given: usize,
        /// The most the model takes.
        max: usize,
    },
    /// An input layout this build does not fill.
    #[error("u8 input is supported in nhwc layout only")]
    U8Layout,
    /// A frame whose pixel planes could not be read.
    #[error("a frame's planes are not readable")]
    UnreadableFrame,
    /// The outputs do not decode as the descriptor says.
    #[error(transparent)]
    Decode(#[from] DecodeError),
}

impl ModelProblem {
    /// A maker for `map_err` on an ONNX Runtime call doing `what`.
    pub fn ort<E: Into<ort::Error>>(what: &str) -> impl FnOnce(E) -> Self + '_ {
        move |e| Self::Ort {
            what: what.to_owned(),
            source: e.into(),
        }
    }
}
