//! One model session and everything around it: frames in, boxes out.
//! Pre-processing writes straight into the input tensor's buffer, the
//! session runs the batch, and the descriptor's decoder and NMS turn the
//! outputs into [`Detection`]s in frame coordinates.

use std::path::PathBuf;

use ort::session::Session;
use ort::session::builder::GraphOptimizationLevel;
use ort::value::TensorRef;

use super::decode::{DecodeInput, decode};
use super::descriptor::{Batch, Dtype, Layout, ModelDescriptor, NmsMode};
use super::model_problem::ModelProblem;
use super::nms::nms;
use super::preprocess::{Placement, PlanarImage, to_rgb};
use super::types::Detection;
use crate::MediaError;

/// How a detector is set up.
#[derive(Debug, Clone)]
pub struct DetectorOptions {
    /// ONNX Runtime intra-op threads.
    pub threads: usize,
    /// Report only these classes (a subset of the model's enabled ones).
    pub classes: Option<Vec<String>>,
    /// Most frames per inference (dynamic-batch models).
    pub max_batch: usize,
}

impl Default for DetectorOptions {
    fn default() -> Self {
        Self {
            threads: 2,
            classes: None,
            max_batch: 4,
        }
    }
}

/// A model ready to run.
pub struct Detector {
    descriptor: ModelDescriptor,
    session: Session,
    allowed: Vec<bool>,
    max_batch: usize,
    rgb: Vec<u8>,
    input_u8: Vec<u8>,
    input_f32: Vec<f32>,
    timing: Timing,
}

/// Where the last [`Detector::detect`] spent its time, in milliseconds.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Timing {
    /// Frames to the input tensor.
    pub pre_ms: f64,
    /// `session.run` alone.
    pub model_ms: f64,
    /// Output decoding, mapping back and NMS.
    pub post_ms: f64,
}

impl std::fmt::Debug for Detector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Detector")
            .field("model", &self.descriptor.name)
            .field("max_batch", &self.max_batch)
            .finish_non_exhaustive()
    }
}

/// A session on `descriptor`'s model with `threads` intra-op threads — the
/// same settings the detector uses, so a bare loop can be compared with it.
pub fn open_session(descriptor: &ModelDescriptor, threads: usize) -> Result<Session, MediaError> {
    let fail = |problem| MediaError::Model {
        path: descriptor.model.clone(),
        problem,
    };
    let runtime = super::onnx_runtime().map_err(|e| fail(ModelProblem::Runtime(e)))?;
    if !descriptor.model.is_file() {
        return Err(fail(ModelProblem::NotFound));
    }
    Session::builder(runtime.environment())
        .map_err(ModelProblem::ort("session set-up"))
        .and_then(|b| {
            b.with_intra_threads(threads.max(1))
                .map_err(ModelProblem::ort("intra-op threads"))
        })
        .and_then(|b| {
            b.with_inter_threads(1)
                .map_err(ModelProblem::ort("inter-op threads"))
        })
        // No busy-waiting between runs: on a few cores the decoders and the
        // pre-processing need that time.
        .and_then(|b| {
            b.with_config_entry("session.intra_op.allow_spinning", "0")
                .map_err(ModelProblem::ort("spinning off"))
        })
        .and_then(|b| {
            b.with_optimization_level(GraphOptimizationLevel::All)
                .map_err(ModelProblem::ort("graph optimisation"))
        })
        .and_then(|mut b| {
            b.commit_from_file(&descriptor.model)
                .map_err(ModelProblem::ort("loading the model"))
        })
        .map_err(fail)
}

impl Detector {
    /// Opens the model of `descriptor`; checks its input and outputs exist.
    pub fn open(
        descriptor: ModelDescriptor,
        options: &DetectorOptions,
    ) -> Result<Self, MediaError> {
        let model: PathBuf = descriptor.model.clone();
        let fail = |problem| MediaError::Model {
            path: model.clone(),
            problem,
        };
        let allowed = descriptor
            .class_mask(options.classes.as_deref())
            .map_err(|e| fail(ModelProblem::Classes(e)))?;
        let session = open_session(&descriptor, options.threads)?;
        if !session
            .inputs()
            .iter()
            .any(|i| i.name() == descriptor.input.name)
        {
            return Err(fail(ModelProblem::NoInput {
                name: descriptor.input.name.clone(),
                has: session
                    .inputs()
                    .iter()
                    .map(|i| i.name().to_owned())
                    .collect(),
            }));
        }
        for name in &descriptor.outputs {
            if !session.outputs().iter().any(|o| o.name() == name) {
                return Err(fail(ModelProblem::NoOutput { name: name.clone() }));
            }
        }
        let max_batch = match descriptor.input.batch {
            Batch::Dynamic => options.max_batch.max(1),
            Batch::Fixed(n) => n,
        };
        Ok(Self {
            descriptor,
            session,
            allowed,
            max_batch,
            rgb: Vec::new(),
            input_u8: Vec::new(),
            input_f32: Vec::new(),
            timing: Timing::default(),
        })
    }

    /// The descriptor.
    pub fn descriptor(&self) -> &ModelDescriptor {
        &self.descriptor
    }

    /// Most frames one call to [`Detector::detect`] takes.
    pub fn max_batch(&self) -> usize {
        self.max_batch
    }

    /// Detects objects in up to [`Detector::max_batch`] pictures (one
    /// inference); boxes are in each picture's own coordinates.
    pub fn detect(
        &mut self,
        images: &[PlanarImage<'_>],
    ) -> Result<Vec<Vec<Detection>>, MediaError> {
        let started = std::time::Instant::now();
        let placements = self.prepare(images)?;
        let prepared = std::time::Instant::now();
        let raw = self.run_prepared(placements.len())?;
        let result = raw
            .into_iter()
            .zip(&placements)
            .map(|(dets, placement)| {
                let mapped = dets
                    .into_iter()
                    .map(|d| Detection {
                        bbox: placement.to_frame(d.bbox),
                        ..d
                    })
                    .collect();
                nms(
                    mapped,
                    self.descriptor.nms_iou,
                    self.descriptor.nms == NmsMode::PerClass,
                    self.descriptor.max_detections,
                )
            })
            .collect();
        let ms = |d: std::time::Duration| d.as_secs_f64() * 1e3;
        self.timing.pre_ms = ms(prepared - started);
        self.timing.post_ms = ms(prepared.elapsed()) - self.timing.model_ms;
        Ok(result)
    }

    /// Where the last detection spent its time.
    pub fn timing(&self) -> Timing {
        self.timing
    }

    /// Fills the input tensor's buffer from `images`; a fixed-batch model's
    /// unused slots are left as they are.
    fn prepare(&mut self, images: &[PlanarImage<'_>]) -> Result<Vec<Placement>, MediaError> {
        let input = &self.descriptor.input;
        if images.is_empty() || images.len() > self.max_batch {
            return Err(MediaError::Model {
                path: self.descriptor.model.clone(),
                problem: ModelProblem::Batch {
                    given: images.len(),
                    max: self.max_batch,
                },
            });
        }
        let (w, h) = (input.width as usize, input.height as usize);
        let slots = match input.batch {
            Batch::Dynamic => images.len(),
            Batch::Fixed(n) => n,
        };
        let per = w * h * 3;
        self.rgb.resize(per, 0);
        match input.dtype {
            Dtype::U8 if input.layout == Layout::Nhwc => self.input_u8.resize(per * slots, 0),
            _ => self.input_f32.resize(per * slots, 0.0),
        }
        let mut placements = Vec::with_capacity(images.len());
        for (i, image) in images.iter().enumerate() {
            if input.dtype == Dtype::U8 && input.layout == Layout::Nhwc {
                // The common case: straight into the tensor, no copy.
                let slot = &mut self.input_u8[i * per..(i + 1) * per];
                placements.push(to_rgb(image, slot, (w, h), input.resize));
            } else {
                placements.push(to_rgb(image, &mut self.rgb, (w, h), input.resize));
                let slot = &mut self.input_f32[i * per..(i + 1) * per];
                fill_float(&self.rgb, slot, input);
            }
        }
        Ok(placements)
    }

    /// Runs the prepared batch and decodes it (frame-independent boxes in
    /// input coordinates, before NMS).
    fn run_prepared(&mut self, count: usize) -> Result<Vec<Vec<Detection>>, MediaError> {
        let d = &self.descriptor;
        let fail = |problem| MediaError::Model {
            path: d.model.clone(),
            problem,
        };
        let (w, h) = (d.input.width as usize, d.input.height as usize);
        let slots = match d.input.batch {
            Batch::Dynamic => count,
            Batch::Fixed(n) => n,
        };
        let shape = match d.input.layout {
            Layout::Nhwc => [slots, h, w, 3],
            Layout::Nchw => [slots, 3, h, w],
        };
        let value = if d.input.dtype == Dtype::U8 && d.input.layout == Layout::Nhwc {
            TensorRef::from_array_view((shape, &self.input_u8[..]))
                .map_err(|e| fail(ModelProblem::ort("input tensor")(e)))?
                .into_dyn()
        } else if d.input.dtype == Dtype::U8 {
            return Err(fail(ModelProblem::U8Layout));
        } else {
            TensorRef::from_array_view((shape, &self.input_f32[..]))
                .map_err(|e| fail(ModelProblem::ort("input tensor")(e)))?
                .into_dyn()
        };
        let run_started = std::time::Instant::now();
        let outputs = self
            .session
            .run(ort::inputs![d.input.name.as_str() => value])
            .map_err(|e| fail(ModelProblem::ort("inference failed")(e)))?;
        self.timing.model_ms = run_started.elapsed().as_secs_f64() * 1e3;
        let mut tensors = Vec::with_capacity(d.outputs.len());
        for name in &d.outputs {
            let (shape, data) = outputs[name.as_str()]
                .try_extract_tensor::<f32>()
                .map_err(|e| fail(ModelProblem::ort(&format!("output `{name}`"))(e)))?;
            let dims: Vec<usize> = shape
                .iter()
                .map(|&n| usize::try_from(n).unwrap_or(0))
                .collect();
            tensors.push((data, dims));
        }
        let input = DecodeInput {
            outputs: tensors
                .iter()
                .map(|(data, dims)| (*data, dims.as_slice()))
                .collect(),
            batch: slots,
            input_size: [d.input.width, d.input.height],
            score_threshold: d.score_threshold,
            allowed: &self.allowed,
        };
        let mut decoded = decode(&d.decoder, &input).map_err(|e| fail(ModelProblem::Decode(e)))?;
        decoded.truncate(count);
        Ok(decoded)
    }
}

/// `(pixel / 255 - mean) / std` into the float tensor slot, in its layout.
fn fill_float(rgb: &[u8], slot: &mut [f32], input: &super::descriptor::InputSpec) {
    let plane = (input.width * input.height) as usize;
    for (i, px) in rgb.chunks_exact(3).enumerate() {
        for c in 0..3 {
            let v = (f32::from(px[c]) / 255.0 - input.mean[c]) / input.std[c];
            match input.layout {
                Layout::Nhwc => slot[i * 3 + c] = v,
                Layout::Nchw => slot[c * plane + i] = v,
            }
        }
    }
}

/// Frames per second of a bare `session.run` loop on a pre-made input of
/// `batch` frames, with the detector's session settings: the raw limit the
/// detection service is compared with. (SSD's post-processing is outside
/// the graph, so the model's cost does not depend on the pixels.)
pub fn bare_inferences_per_s(
    descriptor: &ModelDescriptor,
    threads: usize,
    batch: usize,
    duration: std::time::Duration,
) -> Result<f64, MediaError> {
    let fail = |what: &str, e: ort::Error| MediaError::Model {
        path: descriptor.model.clone(),
        problem: ModelProblem::ort(what)(e),
    };
    let mut session = open_session(descriptor, threads)?;
    let (w, h) = (
        descriptor.input.width as usize,
        descriptor.input.height as usize,
    );
    let batch = batch.max(1);
    let mut seed = 0x9E37_79B9_u32;
    let pixels: Vec<u8> = (0..batch * w * h * 3)
        .map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            seed.to_le_bytes()[0]
        })
        .collect();
    let name = descriptor.input.name.as_str();
    let run = |session: &mut Session| -> Result<(), MediaError> {
        let input = TensorRef::from_array_view(([batch, h, w, 3], &pixels[..]))
            .map_err(|e| fail("input tensor", e))?;
        let outputs = session
            .run(ort::inputs![name => input])
            .map_err(|e| fail("inference", e))?;
        std::hint::black_box(&outputs);
        Ok(())
    };
    for _ in 0..3 {
        run(&mut session)?;
    }
    let started = std::time::Instant::now();
    let mut runs = 0u32;
    while started.elapsed() < duration {
        run(&mut session)?;
        runs += 1;
    }
    Ok(f64::from(runs) * batch as f64 / started.elapsed().as_secs_f64())
}
