//! Which cameras an export may show: the site's privacy masks, and the
//! refusal of a camera whose masks are unknown while redaction is kept.

use std::path::Path;

use watchfloor_media::detect::config;
use watchfloor_media::detect::descriptor::ModelDescriptor;
use watchfloor_media::detect::privacy::PrivacyPolicy;

use crate::paths::{DEMO_RULES, asset};

/// The privacy policy from `rules` (default: the demo site's): every
/// camera's masks, or why they are unknown (then the camera is blanked in
/// the console and refused by an export that keeps redaction). Never
/// fails: an unreadable file makes every camera's masks unknown.
pub fn privacy_policy(rules: Option<&Path>) -> PrivacyPolicy {
    let path = match rules {
        Some(p) => p.to_path_buf(),
        None => match asset(DEMO_RULES) {
            Ok(p) if p.is_file() => {
                tracing::info!(
                    rules = %p.display(),
                    "privacy masks from the demo site's rules (give --rules for a real site's)"
                );
                p
            }
            _ => {
                tracing::warn!("no demo detection rules found: no privacy masks applied");
                return PrivacyPolicy::clear();
            }
        },
    };
    let model = match ModelDescriptor::bundled() {
        Ok(m) => m,
        Err(e) => return PrivacyPolicy::unreadable(format!("{}: {e}", path.display())),
    };
    let loaded = config::load(&path, &model);
    if let Some(why) = loaded.privacy.all_unknown() {
        tracing::error!("privacy masks unreadable, every camera is blanked: {why}");
    }
    for (camera, why) in loaded.privacy.unknown() {
        tracing::error!(camera, "privacy masks unreadable, camera blanked: {why}");
    }
    loaded.privacy
}

/// Refuses an export that would show a camera whose masks are unknown,
/// unless redaction is lifted (a supervisor's audited decision).
pub fn check_privacy(
    privacy: &PrivacyPolicy,
    redact: bool,
    cameras: &[String],
) -> anyhow::Result<()> {
    for camera in cameras {
        if let Err(why) = privacy.masks_of(camera) {
            if redact {
                anyhow::bail!(
                    "camera `{camera}`: privacy masks unreadable ({why}), so it is not exported; \
                     fix the rules file, leave the camera out (--cameras), or have a supervisor \
                     lift redaction with a reason"
                );
            }
            tracing::warn!(
                camera,
                "privacy masks unreadable ({why}): exported unmasked, redaction lifted"
            );
        }
    }
    Ok(())
}
