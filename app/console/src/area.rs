//! The console's main areas, their keyboard shortcuts, and how an area shows
//! that it has focus.

use egui::{Key, KeyboardShortcut, Modifiers};

use crate::i18n::Msg;

/// One of the main areas of the window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Area {
    /// The map in the centre.
    Map,
    /// The live camera tiles beside the map.
    Wall,
    /// The alert queue on the right.
    Alerts,
    /// Units and cameras on the left.
    Units,
    /// The timeline at the bottom.
    Timeline,
}

impl Area {
    /// Every area, in shortcut order (Ctrl+1 … Ctrl+5).
    pub const ALL: [Self; 5] = [
        Self::Map,
        Self::Wall,
        Self::Alerts,
        Self::Units,
        Self::Timeline,
    ];

    /// The area's name, which is also its accessibility label.
    pub fn title(self) -> Msg {
        match self {
            Self::Map => Msg::AreaMap,
            Self::Wall => Msg::AreaWall,
            Self::Alerts => Msg::AreaAlerts,
            Self::Units => Msg::AreaUnits,
            Self::Timeline => Msg::AreaTimeline,
        }
    }

    /// What the shortcut does, for the help window.
    pub fn shortcut_help(self) -> Msg {
        match self {
            Self::Map => Msg::ShortcutFocusMap,
            Self::Wall => Msg::ShortcutFocusWall,
            Self::Alerts => Msg::ShortcutFocusAlerts,
            Self::Units => Msg::ShortcutFocusUnits,
            Self::Timeline => Msg::ShortcutFocusTimeline,
        }
    }

    /// The shortcut that focuses the area.
    pub fn shortcut(self) -> KeyboardShortcut {
        let key = match self {
            Self::Map => Key::Num1,
            Self::Wall => Key::Num2,
            Self::Alerts => Key::Num3,
            Self::Units => Key::Num4,
            Self::Timeline => Key::Num5,
        };
        KeyboardShortcut::new(Modifiers::COMMAND, key)
    }
}

/// Shows or hides the units & cameras list.
pub const TOGGLE_LIST: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::L);
/// Switches between English and Simplified Chinese.
pub const SWITCH_LANGUAGE: KeyboardShortcut =
    KeyboardShortcut::new(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::L);
/// Full screen on or off (for a wall display).
pub const FULLSCREEN: KeyboardShortcut = KeyboardShortcut::new(Modifiers::NONE, Key::F11);
/// Opens the shortcut help.
pub const HELP: KeyboardShortcut = KeyboardShortcut::new(Modifiers::NONE, Key::F1);
/// Finds a camera, unit, checkpoint or place by name.
pub const SEARCH: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::K);

/// Draws the focus frame around `rect` when `focused`.
pub fn paint_focus(ui: &egui::Ui, rect: egui::Rect, focused: bool) {
    if focused {
        ui.painter().rect_stroke(
            rect.shrink(1.0),
            2.0,
            egui::Stroke::new(2.0, super::theme::FOCUS),
            egui::StrokeKind::Inside,
        );
    }
}
