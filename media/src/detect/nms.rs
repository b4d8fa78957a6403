//! Greedy non-maximum suppression.

use super::types::Detection;

/// Keeps the best-scoring boxes: sorted by score (highest first), a box is
/// dropped when its intersection over union with a kept box exceeds `iou`
/// (only a box of the same class counts when `per_class`). At most `max` are kept; NaN scores are
/// dropped.
pub fn nms(
    mut detections: Vec<Detection>,
    iou: f32,
    per_class: bool,
    max: usize,
) -> Vec<Detection> {
    detections.retain(|d| !d.score.is_nan());
    detections.sort_by(|a, b| b.score.total_cmp(&a.score));
    let mut kept: Vec<Detection> = Vec::with_capacity(max.min(detections.len()));
    for d in detections {
        if kept.len() >= max {
            break;
        }
        let suppressed = kept
            .iter()
            .any(|k| (!per_class || k.class == d.class) && k.bbox.iou(&d.bbox) > iou);
        if !suppressed {
            kept.push(d);
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::super::types::BBox;
    use super::*;

    fn det(x0: f32, class: u32, score: f32) -> Detection {
        Detection {
            bbox: BBox::new(x0, 0.0, x0 + 0.2, 0.2),
            class,
            score,
        }
    }

    #[test]
    fn class_agnostic_suppresses_across_classes() {
        // 0.0 and 0.02 overlap with IoU 0.82; 0.5 is apart.
        let dets = vec![det(0.02, 2, 0.6), det(0.5, 1, 0.4), det(0.0, 1, 0.9)];
        let out = nms(dets, 0.5, false, 100);
        let got: Vec<(u32, f32)> = out.iter().map(|d| (d.class, d.score)).collect();
        assert_eq!(got, vec![(1, 0.9), (1, 0.4)]);
    }

    #[test]
    fn per_class_keeps_other_classes() {
        let dets = vec![det(0.02, 2, 0.6), det(0.01, 1, 0.7), det(0.0, 1, 0.9)];
        let out = nms(dets, 0.5, true, 100);
        let got: Vec<(u32, f32)> = out.iter().map(|d| (d.class, d.score)).collect();
        assert_eq!(got, vec![(1, 0.9), (2, 0.6)]);
    }

    #[test]
    fn max_and_nan() {
        let dets = vec![
            det(0.0, 1, f32::NAN),
            det(0.3, 1, 0.5),
            det(0.6, 1, 0.8),
            det(0.0, 1, 0.7),
        ];
        let out = nms(dets.clone(), 0.5, false, 2);
        let scores: Vec<f32> = out.iter().map(|d| d.score).collect();
        assert_eq!(scores, vec![0.8, 0.7]);
        assert!(nms(dets, 0.5, false, 0).is_empty());
    }
}
