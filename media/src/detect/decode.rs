//! Output decoders: a model's flat output tensors in, per-frame detections
//! out (before non-maximum suppression), filtered by score and class.

use std::fmt;

use super::types::{BBox, Detection};

/// How a model's output tensors are laid out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutputDecoder {
    /// TensorFlow SSD: scores `[N, A, C]` (already sigmoid) and boxes
    /// `[N, A, 1, 4]` or `[N, A, 4]`, normalised `[ymin, xmin, ymax, xmax]`.
    Ssd {
        /// Score column `j` becomes class `j + class_offset`.
        class_offset: u32,
    },
    /// `YOLOv8`/`YOLO11`: `[N, 4 + C, A]`, channels first; `cx, cy, w, h` in input
    /// pixels, then class scores (no objectness).
    YoloV8,
    /// `YOLOv5`: `[N, A, 5 + C]`; `cx, cy, w, h` in input pixels, objectness,
    /// class probabilities. Score = objectness × class probability.
    YoloV5,
    /// Raw YOLOX (`decode_in_inference=False`): `[N, A, 5 + C]` with rows
    /// being grid cells stride by stride, each grid row-major.
    YoloX {
        /// Strides in output order, usually `[8, 16, 32]`.
        strides: Vec<u32>,
    },
}

/// The tensors of one inference run and how to filter them.
#[derive(Debug, Clone)]
pub struct DecodeInput<'a> {
    /// Output tensors in the descriptor's output order, each with its shape.
    pub outputs: Vec<(&'a [f32], &'a [usize])>,
    /// Frames in the run; the tensors' batch dimension may be larger (padding).
    pub batch: usize,
    /// Model input width and height in pixels.
    pub input_size: [u32; 2],
    /// Scores below this are dropped.
    pub score_threshold: f32,
    /// Allowed classes by class index; a class past the end is not allowed.
    pub allowed: &'a [bool],
}

/// Why outputs could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// The decoder reads a different number of tensors.
    OutputCount {
        /// Decoder name.
        decoder: &'static str,
        /// Tensors it reads.
        expected: usize,
        /// Tensors given.
        got: usize,
    },
    /// A tensor's shape does not match the decoder's layout.
    Shape {
        /// Which tensor, e.g. "SSD scores".
        tensor: &'static str,
        /// The layout expected, e.g. "[N, A, C]".
        expected: String,
        /// The shape given.
        got: Vec<usize>,
    },
    /// A tensor's data length is not the product of its shape.
    DataLength {
        /// Which tensor.
        tensor: &'static str,
        /// Its shape.
        shape: Vec<usize>,
        /// Its data length.
        len: usize,
    },
    /// A tensor holds fewer frames than the run.
    Batch {
        /// Which tensor.
        tensor: &'static str,
        /// Frames in the run.
        expected: usize,
        /// The tensor's batch dimension.
        got: usize,
    },
    /// The model input size has a zero side.
    InputSize([u32; 2]),
    /// A YOLOX stride is zero.
    ZeroStride(Vec<u32>),
    /// The YOLOX anchor count is not the number of grid cells.
    YoloxGrid {
        /// Anchors in the tensor.
        anchors: usize,
        /// Grid cells for the strides and input size.
        cells: usize,
        /// The strides.
        strides: Vec<u32>,
        /// Model input width and height.
        input_size: [u32; 2],
    },
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::OutputCount {
                decoder,
                expected,
                got,
            } => {
                write!(
                    f,
                    "{decoder} decoder reads {expected} output tensor(s), got {got}"
                )
            }
            Self::Shape {
                tensor,
                expected,
                got,
            } => {
                write!(f, "{tensor} must be {expected}, got {got:?}")
            }
            Self::DataLength { tensor, shape, len } => {
                write!(f, "{tensor} has shape {shape:?} but {len} values")
            }
            Self::Batch {
                tensor,
                expected,
                got,
            } => {
                write!(f, "{tensor} holds {got} frame(s), the run has {expected}")
            }
            Self::InputSize(size) => write!(f, "model input size {size:?} has a zero side"),
            Self::ZeroStride(strides) => {
                write!(f, "YOLOX strides must be non-zero, got {strides:?}")
            }
            Self::YoloxGrid {
                anchors,
                cells,
                strides,
                input_size,
            } => write!(
                f,
                "YOLOX output has {anchors} anchors but strides {strides:?} over a \
                 {input_size:?} input give {cells} grid cells"
            ),
        }
    }
}

impl std::error::Error for DecodeError {}

/// Decodes one run's outputs into detections, one `Vec` per frame, in order.
pub fn decode(
    decoder: &OutputDecoder,
    input: &DecodeInput,
) -> Result<Vec<Vec<Detection>>, DecodeError> {
    match decoder {
        OutputDecoder::Ssd { class_offset } => decode_ssd(*class_offset, input),
        OutputDecoder::YoloV8 => decode_yolov8(input),
        OutputDecoder::YoloV5 => {
            let (data, shape) = only_output(input, "YOLOv5")?;
            decode_rows(input, data, shape, "YOLOv5 output", None)
        }
        OutputDecoder::YoloX { strides } => {
            let (data, shape) = only_output(input, "YOLOX")?;
            let grid = yolox_grid(strides, input.input_size)?;
            let anchors = shape.get(1).copied().unwrap_or(0);
            if shape.len() == 3 && anchors != grid.len() {
                return Err(DecodeError::YoloxGrid {
                    anchors,
                    cells: grid.len(),
                    strides: strides.clone(),
                    input_size: input.input_size,
                });
            }
            decode_rows(input, data, shape, "YOLOX output", Some(&grid))
        }
    }
}

/// SSD: per anchor, the best allowed class; boxes already normalised.
fn decode_ssd(class_offset: u32, input: &DecodeInput) -> Result<Vec<Vec<Detection>>, DecodeError> {
    expect_outputs(input, "SSD", 2)?;
    let (scores, score_shape) = input.outputs[0];
    let (boxes, box_shape) = input.outputs[1];
    let [_, anchors, classes] = dims3(
        scores,
        score_shape,
        "SSD scores",
        "[N, A, C]",
        [0, 0, 1],
        input.batch,
    )?;
    let box_ok = matches!(box_shape, [_, a, 1, 4] | [_, a, 4] if *a == anchors);
    if !box_ok {
        return Err(DecodeError::Shape {
            tensor: "SSD boxes",
            expected: format!("[N, {anchors}, 1, 4] or [N, {anchors}, 4]"),
            got: box_shape.to_vec(),
        });
    }
    check_tensor(boxes, box_shape, "SSD boxes", input.batch)?;
    let mut out = Vec::with_capacity(input.batch);
    for item in 0..input.batch {
        let item_scores = &scores[item * anchors * classes..][..anchors * classes];
        let item_boxes = &boxes[item * anchors * 4..][..anchors * 4];
        let mut dets = Vec::new();
        for (row, b) in item_scores
            .chunks_exact(classes)
            .zip(item_boxes.chunks_exact(4))
        {
            let Some((class, score)) = best_class(row.iter().copied(), class_offset, input) else {
                continue;
            };
            let bbox = BBox::new(b[1], b[0], b[3], b[2]).clamped();
            if bbox.area() > 0.0 {
                dets.push(Detection { bbox, class, score });
            }
        }
        out.push(dets);
    }
    Ok(out)
}

/// `YOLOv8`: channels first, so classes are scanned channel by channel
/// (contiguous reads), keeping each anchor's best.
fn decode_yolov8(input: &DecodeInput) -> Result<Vec<Vec<Detection>>, DecodeError> {
    let (data, shape) = only_output(input, "YOLOv8")?;
    let [_, channels, anchors] = dims3(
        data,
        shape,
        "YOLOv8 output",
        "[N, 4 + C, A]",
        [0, 5, 1],
        input.batch,
    )?;
    let scale = pixel_scale(input.input_size)?;
    let mut out = Vec::with_capacity(input.batch);
    for item in 0..input.batch {
        let t = &data[item * channels * anchors..][..channels * anchors];
        let mut best: Vec<Option<(u32, f32)>> = vec![None; anchors];
        for (c, channel) in t.chunks_exact(anchors).skip(4).enumerate() {
            let Some(class) = class_id(c, 0) else { break };
            if !is_allowed(input.allowed, class) {
                continue;
            }
            for (slot, &s) in best.iter_mut().zip(channel) {
                if s >= input.score_threshold && slot.is_none_or(|(_, b)| s > b) {
                    *slot = Some((class, s));
                }
            }
        }
        let dets = best.iter().enumerate().filter_map(|(a, slot)| {
            let (class, score) = (*slot)?;
            let bbox = pixel_box(
                [t[a], t[anchors + a], t[2 * anchors + a], t[3 * anchors + a]],
                scale,
            )?;
            Some(Detection { bbox, class, score })
        });
        out.push(dets.collect());
    }
    Ok(out)
}

/// `YOLOv5` and YOLOX rows `[cx, cy, w, h, obj, classes...]`; with a grid
/// (YOLOX) the box is raw and decoded against each row's cell.
fn decode_rows(
    input: &DecodeInput,
    data: &[f32],
    shape: &[usize],
    tensor: &'static str,
    grid: Option<&[[f32; 3]]>,
) -> Result<Vec<Vec<Detection>>, DecodeError> {
    let [_, anchors, width] = dims3(data, shape, tensor, "[N, A, 5 + C]", [0, 0, 6], input.batch)?;
    let scale = pixel_scale(input.input_size)?;
    let mut out = Vec::with_capacity(input.batch);
    for item in 0..input.batch {
        let rows = data[item * anchors * width..][..anchors * width].chunks_exact(width);
        let mut dets = Vec::new();
        for (a, row) in rows.enumerate() {
            let obj = row[4];
            // Class probabilities are at most 1, so obj alone bounds the score.
            if obj.is_nan() || obj < input.score_threshold {
                continue;
            }
            let Some((class, score)) = best_class(row[5..].iter().map(|&p| obj * p), 0, input)
            else {
                continue;
            };
            let raw = [row[0], row[1], row[2], row[3]];
            let pixels = match grid.and_then(|g| g.get(a)) {
                Some(&[gx, gy, s]) => [
                    (raw[0] + gx) * s,
                    (raw[1] + gy) * s,
                    raw[2].exp() * s,
                    raw[3].exp() * s,
                ],
                None => raw,
            };
            if let Some(bbox) = pixel_box(pixels, scale) {
                dets.push(Detection { bbox, class, score });
            }
        }
        out.push(dets);
    }
    Ok(out)
}

/// YOLOX grid cells `[gx, gy, stride]` in output order: stride by stride,
/// each grid `ceil(H / s) × ceil(W / s)` row-major.
fn yolox_grid(strides: &[u32], input_size: [u32; 2]) -> Result<Vec<[f32; 3]>, DecodeError> {
    if strides.contains(&0) {
        return Err(DecodeError::ZeroStride(strides.to_vec()));
    }
    let mut cells = Vec::new();
    for &s in strides {
        for gy in 0..input_size[1].div_ceil(s) {
            for gx in 0..input_size[0].div_ceil(s) {
                cells.push([gx as f32, gy as f32, s as f32]);
            }
        }
    }
    Ok(cells)
}

/// The best allowed class at or above the threshold: `(class, score)`.
fn best_class(
    scores: impl Iterator<Item = f32>,
    offset: u32,
    input: &DecodeInput,
) -> Option<(u32, f32)> {
    let mut best: Option<(u32, f32)> = None;
    for (c, s) in scores.enumerate() {
        let class = class_id(c, offset)?;
        if s >= input.score_threshold
            && is_allowed(input.allowed, class)
            && best.is_none_or(|(_, b)| s > b)
        {
            best = Some((class, s));
        }
    }
    best
}

/// Class index for score column `c`, `None` on overflow.
fn class_id(c: usize, offset: u32) -> Option<u32> {
    u32::try_from(c).ok()?.checked_add(offset)
}

/// Whether the mask allows `class` (past its end: no).
fn is_allowed(allowed: &[bool], class: u32) -> bool {
    usize::try_from(class)
        .ok()
        .and_then(|i| allowed.get(i))
        .copied()
        .unwrap_or(false)
}

/// `[1 / width, 1 / height]` of the model input.
fn pixel_scale(size: [u32; 2]) -> Result<[f32; 2], DecodeError> {
    if size[0] == 0 || size[1] == 0 {
        return Err(DecodeError::InputSize(size));
    }
    Ok([1.0 / size[0] as f32, 1.0 / size[1] as f32])
}

/// A centre-format box in input pixels, normalised and clamped to the frame;
/// `None` when nothing of it is left (off-frame, empty or not finite).
fn pixel_box([cx, cy, w, h]: [f32; 4], [sx, sy]: [f32; 2]) -> Option<BBox> {
    let bbox = BBox::from_centre(cx * sx, cy * sy, w * sx, h * sy).clamped();
    (bbox.area() > 0.0).then_some(bbox)
}

/// Checks the output count.
fn expect_outputs(
    input: &DecodeInput,
    decoder: &'static str,
    expected: usize,
) -> Result<(), DecodeError> {
    if input.outputs.len() == expected {
        Ok(())
    } else {
        Err(DecodeError::OutputCount {
            decoder,
            expected,
            got: input.outputs.len(),
        })
    }
}

/// The single output of a YOLO-family decoder.
fn only_output<'a>(
    input: &DecodeInput<'a>,
    decoder: &'static str,
) -> Result<(&'a [f32], &'a [usize]), DecodeError> {
    expect_outputs(input, decoder, 1)?;
    Ok(input.outputs[0])
}

/// A rank-3 shape with each dimension at least `min`, its data and batch
/// checked.
fn dims3(
    data: &[f32],
    shape: &[usize],
    tensor: &'static str,
    expected: &str,
    min: [usize; 3],
    batch: usize,
) -> Result<[usize; 3], DecodeError> {
    let ok = shape.len() == 3 && shape.iter().zip(min).all(|(&d, m)| d >= m);
    if !ok {
        return Err(DecodeError::Shape {
            tensor,
            expected: expected.to_string(),
            got: shape.to_vec(),
        });
    }
    check_tensor(data, shape, tensor, batch)?;
    Ok([shape[0], shape[1], shape[2]])
}

/// Data length equals the shape's product, and the batch fits.
fn check_tensor(
    data: &[f32],
    shape: &[usize],
    tensor: &'static str,
    batch: usize,
) -> Result<(), DecodeError> {
    let product = shape.iter().try_fold(1usize, |acc, &d| acc.checked_mul(d));
    if product != Some(data.len()) {
        return Err(DecodeError::DataLength {
            tensor,
            shape: shape.to_vec(),
            len: data.len(),
        });
    }
    let got = shape.first().copied().unwrap_or(0);
    if got < batch {
        return Err(DecodeError::Batch {
            tensor,
            expected: batch,
            got,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [bool; 8] = [true; 8];

    fn input<'a>(
        outputs: Vec<(&'a [f32], &'a [usize])>,
        batch: usize,
        allowed: &'a [bool],
    ) -> DecodeInput<'a> {
        DecodeInput {
            outputs,
            batch,
            input_size: [640, 480],
            score_threshold: 0.5,
            allowed,
        }
    }

    fn close(b: BBox, want: [f32; 4]) {
        let got = [b.x0, b.y0, b.x1, b.y1];
        for (g, w) in got.iter().zip(want) {
            assert!((g - w).abs() < 1e-4, "box {got:?} != {want:?}");
        }
    }

    /// Two frames, three anchors, three classes (COCO ids 1..=3).
    fn ssd_tensors() -> (Vec<f32>, Vec<f32>) {
        #[rustfmt::skip]
        let scores = vec![
            0.9, 0.1, 0.0,   0.0, 0.7, 0.8,   0.2, 0.3, 0.49,
            0.0, 0.0, 0.0,   0.0, 0.0, 0.0,   0.6, 0.0, 0.0,
        ];
        #[rustfmt::skip]
        let boxes = vec![
            0.1, 0.2, 0.5, 0.4,   0.0, 0.0, 0.5, 0.5,   0.0, 0.0, 1.0, 1.0,
            0.0, 0.0, 1.0, 1.0,   0.0, 0.0, 1.0, 1.0,  -0.1, 0.5, 0.6, 1.2,
        ];
        (scores, boxes)
    }

    #[test]
    fn ssd_best_class_offset_and_box_order() {
        let (scores, boxes) = ssd_tensors();
        let inp = input(
            vec![(&scores, &[2, 3, 3]), (&boxes, &[2, 3, 1, 4])],
            2,
            &ALL,
        );
        let out = decode(&OutputDecoder::Ssd { class_offset: 1 }, &inp).unwrap();
        assert_eq!(out.len(), 2);
        assert_eq!(out[0].len(), 2, "third anchor is below threshold");
        assert_eq!((out[0][0].class, out[0][0].score), (1, 0.9));
        close(out[0][0].bbox, [0.2, 0.1, 0.4, 0.5]);
        assert_eq!((out[0][1].class, out[0][1].score), (3, 0.8));
        assert_eq!(out[1].len(), 1);
        assert_eq!(out[1][0].class, 1);
        close(out[1][0].bbox, [0.5, 0.0, 1.0, 0.6]);
    }

    #[test]
    fn ssd_class_mask_takes_next_best_and_accepts_rank3_boxes() {
        let (scores, boxes) = ssd_tensors();
        let mask = [false, false, true]; // only category 2; category 3 is past the end
        let inp = input(vec![(&scores, &[2, 3, 3]), (&boxes, &[2, 3, 4])], 1, &mask);
        let out = decode(&OutputDecoder::Ssd { class_offset: 1 }, &inp).unwrap();
        assert_eq!(out.len(), 1, "only the run's batch is decoded");
        assert_eq!(out[0].len(), 1);
        assert_eq!((out[0][0].class, out[0][0].score), (2, 0.7));
    }

    #[test]
    fn yolov8_channels_first() {
        // 2 anchors, 2 classes: [cx, cy, w, h, c0, c1] per anchor, channel-major.
        #[rustfmt::skip]
        let t = vec![
            320.0, 10.0,
            240.0, 10.0,
            64.0, 4.0,
            48.0, 4.0,
            0.2, 0.1,
            0.95, 0.3,
        ];
        let inp = input(vec![(&t, &[1, 6, 2])], 1, &ALL);
        let out = decode(&OutputDecoder::YoloV8, &inp).unwrap();
        assert_eq!(out[0].len(), 1);
        let d = out[0][0];
        assert_eq!((d.class, d.score), (1, 0.95));
        close(
            d.bbox,
            [288.0 / 640.0, 216.0 / 480.0, 352.0 / 640.0, 264.0 / 480.0],
        );
    }

    #[test]
    fn yolov5_score_is_obj_times_class_and_clamped() {
        #[rustfmt::skip]
        let t = vec![
            0.0, 0.0, 128.0, 96.0, 0.9, 0.1, 0.8,
            320.0, 240.0, 10.0, 10.0, 0.4, 1.0, 1.0,
            320.0, 240.0, 10.0, 10.0, 0.9, 0.5, 0.5,
        ];
        let inp = input(vec![(&t, &[1, 3, 7])], 1, &ALL);
        let out = decode(&OutputDecoder::YoloV5, &inp).unwrap();
        assert_eq!(out[0].len(), 1, "0.4 obj and 0.45 products are dropped");
        let d = out[0][0];
        assert_eq!(d.class, 1);
        assert!((d.score - 0.72).abs() < 1e-6);
        close(d.bbox, [0.0, 0.0, 0.1, 0.1]);
    }

    #[test]
    fn yolox_grid_decoding() {
        // Input 32x16, strides [8, 16]: 4x2 + 2x1 = 10 anchors; row 9 is stride 16, cell (1, 0).
        let mut t = vec![0.0; 10 * 7];
        t[9 * 7..10 * 7].copy_from_slice(&[0.5, 0.5, 0.0, 0.5f32.ln(), 0.8, 0.25, 1.0]);
        t[2 * 7..3 * 7].copy_from_slice(&[0.0, 0.0, 0.0, 0.0, 0.6, 0.9, 0.0]); // stride 8, cell (2, 0)
        let mut inp = input(vec![(&t, &[1, 10, 7])], 1, &ALL);
        inp.input_size = [32, 16];
        let out = decode(
            &OutputDecoder::YoloX {
                strides: vec![8, 16],
            },
            &inp,
        )
        .unwrap();
        assert_eq!(out[0].len(), 2);
        let (a, b) = (out[0][0], out[0][1]);
        assert_eq!(a.class, 0);
        assert!((a.score - 0.54).abs() < 1e-6);
        close(a.bbox, [12.0 / 32.0, 0.0, 20.0 / 32.0, 4.0 / 16.0]);
        assert_eq!(b.class, 1);
        assert!((b.score - 0.8).abs() < 1e-6);
        close(b.bbox, [16.0 / 32.0, 4.0 / 16.0, 1.0, 12.0 / 16.0]);
    }

    #[test]
    fn yolox_anchor_count_must_match_grid() {
        let t = vec![0.0; 9 * 7];
        let mut inp = input(vec![(&t, &[1, 9, 7])], 1, &ALL);
        inp.input_size = [32, 16];
        let err = decode(
            &OutputDecoder::YoloX {
                strides: vec![8, 16],
            },
            &inp,
        )
        .unwrap_err();
        assert!(
            matches!(
                err,
                DecodeError::YoloxGrid {
                    anchors: 9,
                    cells: 10,
                    ..
                }
            ),
            "{err}"
        );
        let err = decode(&OutputDecoder::YoloX { strides: vec![0] }, &inp).unwrap_err();
        assert_eq!(err, DecodeError::ZeroStride(vec![0]));
    }

    #[test]
    fn threshold_is_inclusive_and_nan_dropped() {
        // Channels first, 3 anchors: cx, cy, w, h rows, then class 0 scores.
        #[rustfmt::skip]
        let t = vec![
            320.0, 320.0, 320.0,
            240.0, 240.0, 240.0,
            10.0, 10.0, 10.0,
            10.0, 10.0, 10.0,
            0.5, f32::NAN, 0.499_99,
        ];
        let inp = input(vec![(&t, &[1, 5, 3])], 1, &ALL);
        let out = decode(&OutputDecoder::YoloV8, &inp).unwrap();
        assert_eq!(out[0].len(), 1);
        assert!((out[0][0].score - 0.5).abs() < 1e-6);
        let t = vec![
            320.0,
            240.0,
            10.0,
            10.0,
            f32::NAN,
            1.0,
            320.0,
            240.0,
            10.0,
            10.0,
            1.0,
            f32::NAN,
        ];
        let inp = input(vec![(&t, &[1, 2, 6])], 1, &ALL);
        assert!(decode(&OutputDecoder::YoloV5, &inp).unwrap()[0].is_empty());
    }

    #[test]
    fn shape_errors_name_the_problem() {
        let (scores, boxes) = ssd_tensors();
        let ssd = OutputDecoder::Ssd { class_offset: 1 };
        let err = decode(&ssd, &input(vec![(&scores, &[2, 3, 3])], 1, &ALL)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "SSD decoder reads 2 output tensor(s), got 1"
        );
        let err = decode(
            &ssd,
            &input(vec![(&scores, &[6, 3]), (&boxes, &[2, 3, 4])], 1, &ALL),
        )
        .unwrap_err();
        assert_eq!(err.to_string(), "SSD scores must be [N, A, C], got [6, 3]");
        let err = decode(
            &ssd,
            &input(vec![(&scores, &[2, 3, 3]), (&boxes, &[2, 4, 3])], 1, &ALL),
        )
        .unwrap_err();
        assert!(
            matches!(
                err,
                DecodeError::Shape {
                    tensor: "SSD boxes",
                    ..
                }
            ),
            "{err}"
        );
        let err = decode(
            &ssd,
            &input(vec![(&scores, &[2, 3, 2]), (&boxes, &[2, 3, 4])], 1, &ALL),
        )
        .unwrap_err();
        assert!(matches!(err, DecodeError::DataLength { .. }), "{err}");
        let err = decode(
            &ssd,
            &input(vec![(&scores, &[2, 3, 3]), (&boxes, &[2, 3, 4])], 3, &ALL),
        )
        .unwrap_err();
        assert_eq!(
            err,
            DecodeError::Batch {
                tensor: "SSD scores",
                expected: 3,
                got: 2
            }
        );
        let t = vec![0.0; 12];
        let err = decode(
            &OutputDecoder::YoloV8,
            &input(vec![(&t, &[1, 4, 3])], 1, &ALL),
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "YOLOv8 output must be [N, 4 + C, A], got [1, 4, 3]"
        );
        let err = decode(
            &OutputDecoder::YoloV5,
            &input(vec![(&t, &[1, 12])], 1, &ALL),
        )
        .unwrap_err();
        assert!(matches!(err, DecodeError::Shape { .. }), "{err}");
        let mut inp = input(vec![(&t, &[1, 2, 6])], 1, &ALL);
        inp.input_size = [0, 480];
        assert_eq!(
            decode(&OutputDecoder::YoloV5, &inp).unwrap_err(),
            DecodeError::InputSize([0, 480])
        );
    }
}
