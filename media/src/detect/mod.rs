//! Object detection with ONNX Runtime: the runtime library, and later the
//! model, decoders, scheduler, tracker and rules.

pub mod runtime;

pub use runtime::{OnnxRuntime, locate_onnxruntime, onnx_runtime};
