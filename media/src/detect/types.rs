//! Plain detection data shared by the decoders, the tracker and the rules.
//! Image coordinates are normalised: x and y in 0..1 from the top-left
//! corner of the frame, so boxes do not depend on the camera's resolution.

/// An axis-aligned box in normalised image coordinates (`x0 <= x1`, `y0 <= y1`).
#[derive(Debug, Clone, Copy, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct BBox {
    /// Left edge.
    pub x0: f32,
    /// Top edge.
    pub y0: f32,
    /// Right edge.
    pub x1: f32,
    /// Bottom edge.
    pub y1: f32,
}

impl BBox {
    /// A box from its edges, ordered so that `x0 <= x1` and `y0 <= y1`.
    pub fn new(x0: f32, y0: f32, x1: f32, y1: f32) -> Self {
        Self {
            x0: x0.min(x1),
            y0: y0.min(y1),
            x1: x0.max(x1),
            y1: y0.max(y1),
        }
    }

    /// A box from its centre and size.
    pub fn from_centre(cx: f32, cy: f32, w: f32, h: f32) -> Self {
        Self::new(cx - w / 2.0, cy - h / 2.0, cx + w / 2.0, cy + h / 2.0)
    }

    /// Width.
    pub fn width(&self) -> f32 {
        self.x1 - self.x0
    }

    /// Height.
    pub fn height(&self) -> f32 {
        self.y1 - self.y0
    }

    /// Area (0 for an empty box).
    pub fn area(&self) -> f32 {
        self.width().max(0.0) * self.height().max(0.0)
    }

    /// Centre point.
    pub fn centre(&self) -> [f32; 2] {
        [
            f32::midpoint(self.x0, self.x1),
            f32::midpoint(self.y0, self.y1),
        ]
    }

    /// The point where the object meets the ground: bottom centre.
    pub fn foot(&self) -> [f32; 2] {
        [f32::midpoint(self.x0, self.x1), self.y1]
    }

    /// Intersection over union (0 when disjoint or both empty).
    pub fn iou(&self, other: &Self) -> f32 {
        let w = (self.x1.min(other.x1) - self.x0.max(other.x0)).max(0.0);
        let h = (self.y1.min(other.y1) - self.y0.max(other.y0)).max(0.0);
        let inter = w * h;
        let union = self.area() + other.area() - inter;
        if union > 0.0 { inter / union } else { 0.0 }
    }

    /// The box clamped to the frame.
    #[must_use]
    pub fn clamped(&self) -> Self {
        Self::new(
            self.x0.clamp(0.0, 1.0),
            self.y0.clamp(0.0, 1.0),
            self.x1.clamp(0.0, 1.0),
            self.y1.clamp(0.0, 1.0),
        )
    }
}

/// One detected object in one frame.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Detection {
    /// Where it is.
    pub bbox: BBox,
    /// Index into the model descriptor's class names.
    pub class: u32,
    /// Confidence, 0..1.
    pub score: f32,
}
