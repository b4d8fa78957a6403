//! The model descriptor: a TOML file beside an ONNX model saying how to feed
//! it (input name, layout, size, dtype, normalisation) and how to read it
//! (output decoder, tensors, class names, thresholds). Users drop in their
//! own model by writing one; see `assets/models/*/model.toml`.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::decode::OutputDecoder;

/// Memory layout of the image tensor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Layout {
    /// `[N, H, W, 3]`.
    Nhwc,
    /// `[N, 3, H, W]`.
    Nchw,
}

/// Element type of the image tensor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Dtype {
    /// 0..255 bytes, RGB.
    U8,
    /// Floats: `(pixel / 255 - mean) / std`, RGB.
    F32,
}

/// How a frame is fitted to the model's input size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Resize {
    /// Stretched to fill it (aspect ratio not kept).
    Stretch,
    /// Scaled to fit, centred, the rest grey (aspect ratio kept).
    Letterbox,
}

/// How several cameras' frames may share one inference.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Batch {
    /// Any batch size.
    Dynamic,
    /// Exactly this many frames per run.
    Fixed(usize),
}

/// NMS across classes or within each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum NmsMode {
    /// A box suppresses overlapping boxes of any class.
    ClassAgnostic,
    /// A box suppresses only boxes of its own class.
    PerClass,
}

/// The image input.
#[derive(Debug, Clone, PartialEq)]
pub struct InputSpec {
    /// Tensor name.
    pub name: String,
    /// Layout.
    pub layout: Layout,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Element type.
    pub dtype: Dtype,
    /// Per-channel mean (f32 only).
    pub mean: [f32; 3],
    /// Per-channel standard deviation (f32 only).
    pub std: [f32; 3],
    /// Fitting.
    pub resize: Resize,
    /// Batching.
    pub batch: Batch,
}

/// A loaded, checked model descriptor.
#[derive(Debug, Clone)]
pub struct ModelDescriptor {
    /// Display name.
    pub name: String,
    /// The ONNX file (absolute, or relative to the working directory).
    pub model: PathBuf,
    /// Input.
    pub input: InputSpec,
    /// Output tensor names, in the order the decoder reads them.
    pub outputs: Vec<String>,
    /// Output decoder.
    pub decoder: OutputDecoder,
    /// Score below which a box is dropped.
    pub score_threshold: f32,
    /// NMS mode.
    pub nms: NmsMode,
    /// NMS `IoU` threshold.
    pub nms_iou: f32,
    /// At most this many boxes per frame.
    pub max_detections: usize,
    /// Class names by class index ("" = unused index).
    pub classes: Vec<String>,
    /// Class names detection reports (a subset of `classes`).
    pub enabled: Vec<String>,
}

/// The generic object classes a model may enable. Anything else — above
/// all a face, an identity, a licence plate reader's owner or any biometric
/// class — is refused: Watchfloor detects objects, it never identifies
/// people.
pub const GENERIC_CLASSES: [&str; 6] = ["person", "bicycle", "car", "motorcycle", "bus", "truck"];

/// Why a descriptor is unusable; always names the file.
#[derive(Debug, thiserror::Error)]
#[error("model descriptor {}: {problem}", path.display())]
pub struct DescriptorError {
    /// The descriptor file.
    pub path: PathBuf,
    /// What is wrong.
    #[source]
    pub problem: DescriptorProblem,
}

/// What is wrong with a descriptor.
#[derive(Debug, thiserror::Error)]
pub enum DescriptorProblem {
    /// The file could not be read.
    #[error("{0}")]
    Read(#[source] std::io::Error),
    /// The assets folder holding the bundled model was not found.
    #[error("assets folder not found (tried {})", .0.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", "))]
    NoAssets(Vec<PathBuf>),
    /// Not TOML, or not the descriptor's fields.
    #[error("{0}")]
    Toml(#[source] toml::de::Error),
    /// A zero input size.
    #[error("input width and height must be positive")]
    ZeroInput,
    /// `input.batch` neither `"dynamic"` nor a positive size.
    #[error("input.batch must be \"dynamic\" or a size ≥ 1, not {0}")]
    Batch(String),
    /// An output decoder this build does not know.
    #[error("output.decoder `{0}` is not one of ssd, yolov8, yolov5, yolox")]
    Decoder(String),
    /// The wrong number of output tensors for the decoder.
    #[error("output.tensors: decoder `{decoder}` reads {wanted} tensor(s), {listed} listed")]
    Tensors {
        /// The decoder.
        decoder: String,
        /// How many it reads.
        wanted: usize,
        /// How many are listed.
        listed: usize,
    },
    /// A threshold outside 0..1.
    #[error("output.score_threshold and output.nms_iou must be within 0..1")]
    Thresholds,
    /// An enabled class the model does not have.
    #[error("enabled class `{0}` is not in `classes`")]
    UnknownClass(String),
    /// An enabled class that is not a generic object (a face, an identity…).
    #[error(
        "enabled class `{class}` is not a generic object class: detection may report only {} \
         (never faces, identities or biometrics)",
        GENERIC_CLASSES.join(", ")
    )]
    NotGeneric {
        /// The class refused.
        class: String,
    },
}

/// A site asked for a class its model does not enable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("class `{class}` is not enabled by model `{model}` (enabled: {})", enabled.join(", "))]
pub struct ClassNotEnabled {
    /// The class asked for.
    pub class: String,
    /// The model's name.
    pub model: String,
    /// What the model enables.
    pub enabled: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileForm {
    name: String,
    file: PathBuf,
    #[serde(default)]
    #[expect(
        dead_code,
        reason = "documented in the file; shown by `watchfloor` only through it"
    )]
    licence: Option<String>,
    input: InputForm,
    output: OutputForm,
    classes: Vec<String>,
    enabled: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct InputForm {
    name: String,
    layout: Layout,
    width: u32,
    height: u32,
    dtype: Dtype,
    #[serde(default)]
    mean: Option<[f32; 3]>,
    #[serde(default)]
    std: Option<[f32; 3]>,
    resize: Resize,
    batch: toml::Value,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OutputForm {
    decoder: String,
    tensors: Vec<String>,
    #[serde(default)]
    class_offset: u32,
    #[serde(default)]
    strides: Option<Vec<u32>>,
    score_threshold: f32,
    nms: NmsMode,
    nms_iou: f32,
    max_detections: usize,
}

impl ModelDescriptor {
    /// Reads and checks a descriptor; the model path is resolved against
    /// the descriptor's folder.
    pub fn load(path: &Path) -> Result<Self, DescriptorError> {
        let text = std::fs::read_to_string(path).map_err(|e| DescriptorError {
            path: path.to_path_buf(),
            problem: DescriptorProblem::Read(e),
        })?;
        Self::parse(&text, path)
    }

    /// [`ModelDescriptor::load`] of a descriptor's text (`path` names it and
    /// locates the model).
    pub fn parse(text: &str, path: &Path) -> Result<Self, DescriptorError> {
        let error = |problem| DescriptorError {
            path: path.to_path_buf(),
            problem,
        };
        let form: FileForm = toml::from_str(text).map_err(|e| error(DescriptorProblem::Toml(e)))?;
        let dir = path.parent().unwrap_or(Path::new("."));
        Self::from_form(form, dir).map_err(error)
    }

    fn from_form(form: FileForm, dir: &Path) -> Result<Self, DescriptorProblem> {
        let input = form.input;
        if input.width == 0 || input.height == 0 {
            return Err(DescriptorProblem::ZeroInput);
        }
        let batch = match &input.batch {
            toml::Value::String(s) if s == "dynamic" => Batch::Dynamic,
            toml::Value::Integer(n) if *n >= 1 => Batch::Fixed(
                usize::try_from(*n).map_err(|_| DescriptorProblem::Batch(n.to_string()))?,
            ),
            other => return Err(DescriptorProblem::Batch(format!("{other:?}"))),
        };
        let out = form.output;
        let decoder = match out.decoder.as_str() {
            "ssd" => OutputDecoder::Ssd {
                class_offset: out.class_offset,
            },
            "yolov8" => OutputDecoder::YoloV8,
            "yolov5" => OutputDecoder::YoloV5,
            "yolox" => OutputDecoder::YoloX {
                strides: out.strides.unwrap_or_else(|| vec![8, 16, 32]),
            },
            other => return Err(DescriptorProblem::Decoder(other.to_owned())),
        };
        let wanted = if matches!(decoder, OutputDecoder::Ssd { .. }) {
            2
        } else {
            1
        };
        if out.tensors.len() != wanted {
            return Err(DescriptorProblem::Tensors {
                decoder: out.decoder,
                wanted,
                listed: out.tensors.len(),
            });
        }
        if !(0.0..=1.0).contains(&out.score_threshold) || !(0.0..=1.0).contains(&out.nms_iou) {
            return Err(DescriptorProblem::Thresholds);
        }
        for name in &form.enabled {
            if name.is_empty() || !form.classes.contains(name) {
                return Err(DescriptorProblem::UnknownClass(name.clone()));
            }
            if !GENERIC_CLASSES.contains(&name.as_str()) {
                return Err(DescriptorProblem::NotGeneric {
                    class: name.clone(),
                });
            }
        }
        Ok(Self {
            name: form.name,
            model: dir.join(form.file),
            input: InputSpec {
                name: input.name,
                layout: input.layout,
                width: input.width,
                height: input.height,
                dtype: input.dtype,
                mean: input.mean.unwrap_or([0.0; 3]),
                std: input.std.unwrap_or([1.0; 3]),
                resize: input.resize,
                batch,
            },
            outputs: out.tensors,
            decoder,
            score_threshold: out.score_threshold,
            nms: out.nms,
            nms_iou: out.nms_iou,
            max_detections: out.max_detections,
            classes: form.classes,
            enabled: form.enabled,
        })
    }

    /// Which class indices are reported: the descriptor's `enabled`,
    /// narrowed to `only` when given. A name in `only` that the descriptor
    /// does not enable is an error (a site may report fewer classes, never more).
    pub fn class_mask(&self, only: Option<&[String]>) -> Result<Vec<bool>, ClassNotEnabled> {
        if let Some(only) = only
            && let Some(bad) = only.iter().find(|n| !self.enabled.contains(n))
        {
            return Err(ClassNotEnabled {
                class: bad.clone(),
                model: self.name.clone(),
                enabled: self.enabled.clone(),
            });
        }
        Ok(self
            .classes
            .iter()
            .map(|c| {
                !c.is_empty()
                    && self.enabled.contains(c)
                    && only.is_none_or(|only| only.contains(c))
            })
            .collect())
    }

    /// The name of class index `class` ("?" if out of range).
    pub fn class_name(&self, class: u32) -> &str {
        self.classes.get(class as usize).map_or("?", String::as_str)
    }

    /// The descriptor of the model shipped in `assets/`.
    pub fn bundled() -> Result<Self, DescriptorError> {
        let dir = crate::assets::assets_dir().map_err(|tried| DescriptorError {
            path: PathBuf::from(BUNDLED),
            problem: DescriptorProblem::NoAssets(tried),
        })?;
        Self::load(&dir.join(BUNDLED))
    }
}

/// The bundled model's descriptor, relative to `assets/`.
pub const BUNDLED: &str = "models/ssdlite-mobilenet-v2-coco/model.toml";

#[cfg(test)]
mod tests {
    use super::*;

    fn write(name: &str, text: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("wf-desc-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let path = dir.join("model.toml");
        std::fs::write(&path, text).expect("write");
        path
    }

    #[test]
    fn the_bundled_descriptor_loads_with_generic_classes_only() {
        let d = ModelDescriptor::bundled().expect("bundled descriptor");
        assert!(d.model.is_file(), "{}", d.model.display());
        assert_eq!(d.input.batch, Batch::Dynamic);
        assert_eq!(d.class_name(1), "person");
        assert_eq!(d.class_name(8), "truck");
        let mask = d.class_mask(None).expect("mask");
        let on: Vec<&str> = (0..mask.len())
            .filter(|&i| mask[i])
            .map(|i| d.classes[i].as_str())
            .collect();
        assert_eq!(
            on,
            ["person", "bicycle", "car", "motorcycle", "bus", "truck"]
        );
        let fewer = d
            .class_mask(Some(&["car".to_string(), "truck".to_string()]))
            .expect("fewer");
        assert_eq!(fewer.iter().filter(|&&b| b).count(), 2);
        let err = d
            .class_mask(Some(&["dog".to_string()]))
            .expect_err("not enabled");
        assert!(err.to_string().contains("`dog`"), "{err}");
    }

    #[test]
    fn errors_name_the_file_and_the_problem() {
        let bundled =
            std::fs::read_to_string(crate::assets::assets_dir().expect("assets").join(BUNDLED))
                .expect("read");
        let bad = bundled.replace("decoder = \"ssd\"", "decoder = \"rcnn\"");
        let path = write("decoder", &bad);
        let err = ModelDescriptor::load(&path)
            .expect_err("bad decoder")
            .to_string();
        assert!(err.contains(&path.display().to_string()), "{err}");
        assert!(err.contains("rcnn"), "{err}");
        let bad = bundled.replace("batch = \"dynamic\"", "batch = 0");
        let err = ModelDescriptor::load(&write("batch", &bad))
            .expect_err("batch 0")
            .to_string();
        assert!(err.contains("input.batch"), "{err}");
        let bad = bundled.replace("\"bus\", \"truck\"]", "\"bus\", \"lorry\"]");
        let err = ModelDescriptor::load(&write("class", &bad))
            .expect_err("class")
            .to_string();
        assert!(err.contains("`lorry`"), "{err}");
    }

    /// A descriptor enabling a face-, identity- or biometric-like class (or
    /// any class outside the generic list) is refused, naming the class.
    #[test]
    fn privacy_a_descriptor_enabling_a_non_generic_class_is_refused() {
        let bundled =
            std::fs::read_to_string(crate::assets::assets_dir().expect("assets").join(BUNDLED))
                .expect("read");
        for class in ["face", "person_id", "dog"] {
            let bad = bundled
                .replacen("\"\", \"person\"", &format!("\"{class}\", \"person\""), 1)
                .replace(
                    "enabled = [\"person\"",
                    &format!("enabled = [\"{class}\", \"person\""),
                );
            let path = write(&format!("generic-{class}"), &bad);
            let err = ModelDescriptor::load(&path)
                .expect_err("not generic")
                .to_string();
            assert!(err.contains(&path.display().to_string()), "{err}");
            assert!(
                err.contains(&format!(
                    "enabled class `{class}` is not a generic object class"
                )),
                "{err}"
            );
        }
    }
}
