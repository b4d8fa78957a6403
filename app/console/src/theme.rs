//! The look of the console: dark, high-contrast, large type for reading at
//! wall distance, and status colours from the Okabe–Ito palette, which stays
//! distinguishable with the common colour-vision deficiencies. Colour is never
//! the only cue: every status also has its own symbol and word.

use egui::{Color32, FontFamily, FontId, Stroke, TextStyle};
use watchfloor_layers::{AlertSeverity, FeedHealth, UnitStatus};

/// Okabe–Ito colours (Okabe & Ito, "Color Universal Design", 2008).
pub mod palette {
    use egui::Color32;
    /// Vermillion.
    pub const VERMILLION: Color32 = Color32::from_rgb(213, 94, 0);
    /// Orange.
    pub const ORANGE: Color32 = Color32::from_rgb(230, 159, 0);
    /// Yellow.
    pub const YELLOW: Color32 = Color32::from_rgb(240, 228, 66);
    /// Sky blue.
    pub const SKY_BLUE: Color32 = Color32::from_rgb(86, 180, 233);
    /// Bluish green.
    pub const BLUISH_GREEN: Color32 = Color32::from_rgb(0, 158, 115);
    /// Reddish purple.
    pub const REDDISH_PURPLE: Color32 = Color32::from_rgb(204, 121, 167);
    /// Neutral grey for "not in play".
    pub const GREY: Color32 = Color32::from_rgb(150, 150, 150);
}

/// Background of the window and panels.
pub const PANEL_FILL: Color32 = Color32::from_rgb(20, 24, 31);
/// Background of the map and wall areas, a step darker than panels.
pub const CANVAS_FILL: Color32 = Color32::from_rgb(11, 14, 19);
/// Body text.
pub const TEXT: Color32 = Color32::from_rgb(230, 232, 235);
/// Secondary text (hints, empty-area explanations).
pub const TEXT_WEAK: Color32 = Color32::from_rgb(160, 168, 180);
/// The frame around the area that has keyboard focus.
pub const FOCUS: Color32 = palette::SKY_BLUE;
/// Thin lines between and inside areas.
pub const LINE: Color32 = Color32::from_rgb(48, 56, 68);

/// What the window is cleared to before egui draws: the panels' colour.
pub const BACKGROUND: Color32 = PANEL_FILL;

/// Applies the console's visuals and type sizes to a context.
pub fn apply(ctx: &egui::Context) {
    ctx.set_fonts(super::fonts::font_definitions());
    ctx.set_theme(egui::Theme::Dark);
    ctx.style_mut_of(egui::Theme::Dark, |style| {
        style.text_styles = [
            (
                TextStyle::Small,
                FontId::new(14.0, FontFamily::Proportional),
            ),
            (TextStyle::Body, FontId::new(18.0, FontFamily::Proportional)),
            (
                TextStyle::Button,
                FontId::new(18.0, FontFamily::Proportional),
            ),
            (
                TextStyle::Heading,
                FontId::new(22.0, FontFamily::Proportional),
            ),
            (
                TextStyle::Monospace,
                FontId::new(17.0, FontFamily::Monospace),
            ),
        ]
        .into();
        style.spacing.item_spacing = egui::vec2(10.0, 8.0);
        style.spacing.button_padding = egui::vec2(10.0, 5.0);
        let visuals = &mut style.visuals;
        // Panels leave their background to the frame's clear colour
        // (`BACKGROUND`): one clear instead of shaded fills over most of the
        // screen, which a software rasteriser pays for per pixel.
        visuals.panel_fill = Color32::TRANSPARENT;
        visuals.window_fill = PANEL_FILL;
        visuals.extreme_bg_color = CANVAS_FILL;
        visuals.override_text_color = Some(TEXT);
        visuals.widgets.noninteractive.bg_stroke = Stroke::new(1.0, LINE);
        visuals.selection.bg_fill = palette::SKY_BLUE.gamma_multiply(0.45);
    });
}

/// How a status is shown: colour, a symbol that differs per state, and the
/// catalogue key of its word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatusLook {
    /// The status colour.
    pub color: Color32,
    /// A symbol distinct within its kind, so colour is not the only cue.
    pub symbol: &'static str,
    /// Its name in the catalogue.
    pub label: crate::i18n::Msg,
}

/// The look of an alert severity.
pub fn severity_look(severity: AlertSeverity) -> StatusLook {
    use crate::i18n::Msg;
    let (color, symbol, label) = match severity {
        AlertSeverity::Critical => (palette::VERMILLION, "◆", Msg::SeverityCritical),
        AlertSeverity::High => (palette::ORANGE, "▲", Msg::SeverityHigh),
        AlertSeverity::Medium => (palette::YELLOW, "■", Msg::SeverityMedium),
        AlertSeverity::Low => (palette::SKY_BLUE, "●", Msg::SeverityLow),
    };
    StatusLook {
        color,
        symbol,
        label,
    }
}

/// The look of a patrol unit's status.
pub fn unit_look(status: UnitStatus) -> StatusLook {
    use crate::i18n::Msg;
    let (color, symbol, label) = match status {
        UnitStatus::Available => (palette::BLUISH_GREEN, "●", Msg::UnitAvailable),
        UnitStatus::EnRoute => (palette::SKY_BLUE, "▶", Msg::UnitEnRoute),
        UnitStatus::OnScene => (palette::REDDISH_PURPLE, "■", Msg::UnitOnScene),
        UnitStatus::OffDuty => (palette::GREY, "○", Msg::UnitOffDuty),
    };
    StatusLook {
        color,
        symbol,
        label,
    }
}

/// The look of a checkpoint's status.
pub fn checkpoint_look(status: watchfloor_layers::model::CheckpointStatus) -> StatusLook {
    use crate::i18n::Msg;
    use watchfloor_layers::model::CheckpointStatus;
    let (color, symbol, label) = match status {
        CheckpointStatus::Alarm => (palette::VERMILLION, "▲", Msg::CheckpointAlarm),
        CheckpointStatus::Operating => (palette::BLUISH_GREEN, "●", Msg::CheckpointOperating),
        CheckpointStatus::Closed => (palette::GREY, "○", Msg::CheckpointClosed),
    };
    StatusLook {
        color,
        symbol,
        label,
    }
}

/// The catalogue word for an alert's lifecycle state.
pub fn alert_state_msg(state: watchfloor_layers::AlertState) -> crate::i18n::Msg {
    use crate::i18n::Msg;
    use watchfloor_layers::AlertState;
    match state {
        AlertState::New => Msg::AlertNew,
        AlertState::Acknowledged => Msg::AlertAcknowledged,
        AlertState::Dispatched => Msg::AlertDispatched,
        AlertState::OnScene => Msg::AlertOnScene,
        AlertState::Resolved => Msg::AlertResolved,
    }
}

/// The catalogue word for a unit kind.
pub fn kind_msg(kind: watchfloor_layers::model::UnitKind) -> crate::i18n::Msg {
    use crate::i18n::Msg;
    use watchfloor_layers::model::UnitKind;
    match kind {
        UnitKind::Car => Msg::KindCar,
        UnitKind::Motorbike => Msg::KindMotorbike,
        UnitKind::Foot => Msg::KindFoot,
        UnitKind::Robot => Msg::KindRobot,
    }
}

/// The look of a feed's health.
pub fn feed_look(health: FeedHealth) -> StatusLook {
    use crate::i18n::Msg;
    let (color, symbol, label) = match health {
        FeedHealth::Live => (palette::BLUISH_GREEN, "●", Msg::FeedLive),
        FeedHealth::Connecting => (palette::SKY_BLUE, "◐", Msg::FeedConnecting),
        FeedHealth::Stalled => (palette::ORANGE, "▲", Msg::FeedStalled),
        FeedHealth::Offline => (palette::VERMILLION, "○", Msg::FeedOffline),
    };
    StatusLook {
        color,
        symbol,
        label,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all_distinct<T: PartialEq>(items: &[T]) -> bool {
        items
            .iter()
            .enumerate()
            .all(|(i, a)| items[i + 1..].iter().all(|b| a != b))
    }

    /// Within each kind, states differ by colour *and* by symbol.
    #[test]
    fn every_state_has_its_own_colour_and_symbol() {
        let kinds: [Vec<StatusLook>; 3] = [
            AlertSeverity::ALL.map(severity_look).to_vec(),
            UnitStatus::ALL.map(unit_look).to_vec(),
            FeedHealth::ALL.map(feed_look).to_vec(),
        ];
        for looks in kinds {
            let colors: Vec<_> = looks.iter().map(|l| l.color).collect();
            let symbols: Vec<_> = looks.iter().map(|l| l.symbol).collect();
            assert!(all_distinct(&colors), "{looks:?}");
            assert!(all_distinct(&symbols), "{looks:?}");
        }
    }

    /// Body text stays readable on the panel background (WCAG AA asks 4.5:1;
    /// a wall at distance needs more, so we ask 7:1).
    #[test]
    fn text_contrast_is_high() {
        fn luminance(c: Color32) -> f32 {
            let lin = |v: u8| {
                let v = f32::from(v) / 255.0;
                if v <= 0.040_45 {
                    v / 12.92
                } else {
                    ((v + 0.055) / 1.055).powf(2.4)
                }
            };
            0.2126 * lin(c.r()) + 0.7152 * lin(c.g()) + 0.0722 * lin(c.b())
        }
        let ratio = |a: Color32, b: Color32| {
            let (hi, lo) = (
                luminance(a).max(luminance(b)),
                luminance(a).min(luminance(b)),
            );
            (hi + 0.05) / (lo + 0.05)
        };
        assert!(ratio(TEXT, PANEL_FILL) >= 7.0);
        assert!(ratio(TEXT_WEAK, PANEL_FILL) >= 4.5);
    }
}
