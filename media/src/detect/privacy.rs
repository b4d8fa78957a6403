//! What each camera's privacy masks are, or that they are unknown. A camera
//! whose masks cannot be read (its `detection.toml` entry, or the whole file,
//! is broken) must never be shown, snapshotted or exported unmasked: callers
//! ask [`PrivacyPolicy::for_camera`] and blank such a camera, naming why.

use std::collections::BTreeMap;

/// Polygons in image coordinates (0..1 from the top-left).
pub type Polygons = Vec<Vec<[f32; 2]>>;

/// What may be shown of one camera.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CameraPrivacy<'a> {
    /// No masks: the picture as it is.
    Clear,
    /// These masks, filled over the picture.
    Masked(&'a [Vec<[f32; 2]>]),
    /// Masks unknown: the picture must not be shown (the reason names the
    /// file and line).
    Unknown(&'a str),
}

/// Every camera's masks, and the cameras (or the whole site) whose masks
/// are unknown.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PrivacyPolicy {
    masks: BTreeMap<String, Polygons>,
    unknown: BTreeMap<String, String>,
    all_unknown: Option<String>,
}

impl PrivacyPolicy {
    /// No masks anywhere (no rules file is configured).
    pub fn clear() -> Self {
        Self::default()
    }

    /// Masks by camera, from a file that read cleanly.
    pub fn from_masks(masks: BTreeMap<String, Polygons>) -> Self {
        Self {
            masks,
            ..Self::default()
        }
    }

    /// The rules file could not be read at all: every camera's masks are
    /// unknown, for `reason`.
    pub fn unreadable(reason: impl Into<String>) -> Self {
        Self {
            all_unknown: Some(reason.into()),
            ..Self::default()
        }
    }

    /// Marks `camera`'s masks unknown, for `reason`.
    pub fn mark_unknown(&mut self, camera: impl Into<String>, reason: impl Into<String>) {
        let camera = camera.into();
        self.masks.remove(&camera);
        self.unknown.insert(camera, reason.into());
    }

    /// What may be shown of `camera`.
    pub fn for_camera(&self, camera: &str) -> CameraPrivacy<'_> {
        if let Some(why) = &self.all_unknown {
            return CameraPrivacy::Unknown(why);
        }
        if let Some(why) = self.unknown.get(camera) {
            return CameraPrivacy::Unknown(why);
        }
        match self.masks.get(camera) {
            Some(polygons) if !polygons.is_empty() => CameraPrivacy::Masked(polygons),
            _ => CameraPrivacy::Clear,
        }
    }

    /// The masks of `camera` when known (empty when it has none).
    pub fn masks_of(&self, camera: &str) -> Result<&[Vec<[f32; 2]>], &str> {
        match self.for_camera(camera) {
            CameraPrivacy::Clear => Ok(&[]),
            CameraPrivacy::Masked(m) => Ok(m),
            CameraPrivacy::Unknown(why) => Err(why),
        }
    }

    /// Cameras whose masks are known, with them.
    pub fn masks(&self) -> &BTreeMap<String, Polygons> {
        &self.masks
    }

    /// Whether any camera's masks are unknown.
    pub fn has_unknown(&self) -> bool {
        self.all_unknown.is_some() || !self.unknown.is_empty()
    }

    /// Why all cameras are blanked, when the whole file is unreadable.
    pub fn all_unknown(&self) -> Option<&str> {
        self.all_unknown.as_deref()
    }

    /// The cameras named unknown, with why.
    pub fn unknown(&self) -> &BTreeMap<String, String> {
        &self.unknown
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_masks_win_over_known_ones_and_an_unreadable_file_blanks_all() {
        let square = vec![vec![[0.0, 0.0], [0.5, 0.0], [0.5, 0.5]]];
        let mut policy =
            PrivacyPolicy::from_masks(BTreeMap::from([("a".to_owned(), square.clone())]));
        assert_eq!(policy.for_camera("a"), CameraPrivacy::Masked(&square));
        assert_eq!(policy.for_camera("b"), CameraPrivacy::Clear);
        policy.mark_unknown("a", "d.toml, line 3: bad");
        assert_eq!(
            policy.for_camera("a"),
            CameraPrivacy::Unknown("d.toml, line 3: bad")
        );
        assert!(policy.has_unknown());
        let all = PrivacyPolicy::unreadable("d.toml, line 1: not TOML");
        assert_eq!(all.masks_of("anything"), Err("d.toml, line 1: not TOML"));
    }
}
