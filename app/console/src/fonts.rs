//! The bundled CJK font, added behind egui's own fonts so that Latin text keeps
//! egui's look and Chinese (and any CJK name in site data) still renders on a
//! machine with no CJK fonts installed.

use std::sync::Arc;

/// WenQuanYi Micro Hei (Apache-2.0), see `assets/fonts/README.md`.
static CJK_FONT: &[u8] = include_bytes!("../../../assets/fonts/wqy-microhei.ttc");

/// The name the font is registered under.
pub const CJK_FONT_NAME: &str = "wqy-microhei";

/// egui's fonts plus the CJK fallback for both families.
pub fn font_definitions() -> egui::FontDefinitions {
    let mut fonts = egui::FontDefinitions::default();
    fonts.font_data.insert(
        CJK_FONT_NAME.to_owned(),
        Arc::new(egui::FontData::from_static(CJK_FONT)),
    );
    for family in [egui::FontFamily::Proportional, egui::FontFamily::Monospace] {
        fonts
            .families
            .entry(family)
            .or_default()
            .push(CJK_FONT_NAME.to_owned());
    }
    fonts
}
