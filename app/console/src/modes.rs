//! Operating modes and operator roles. Each mode (normal, emergency,
//! major-event security, special operation) is a saved layout: which panels,
//! map layers and wall arrangement it shows. Switching is one action (a menu
//! or F5–F8); the layouts, the last mode and the last role are kept in
//! `layouts.json` in the user's config folder, written by the program off
//! the UI thread from the text the console hands out.
//! The role chosen at start decides what is shown first and which alert
//! actions are allowed.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::i18n::Msg;

pub use watchfloor_layers::access::{Action, Mode, Role};

/// What operators read of a role.
pub trait RoleText {
    /// Its name.
    fn name(self) -> Msg;
    /// What it does, for the start dialog.
    fn about(self) -> Msg;
}

impl RoleText for Role {
    fn name(self) -> Msg {
        match self {
            Self::Dispatcher => Msg::RoleDispatcher,
            Self::Supervisor => Msg::RoleSupervisor,
            Self::Trainer => Msg::RoleTrainer,
        }
    }

    fn about(self) -> Msg {
        match self {
            Self::Dispatcher => Msg::RoleDispatcherAbout,
            Self::Supervisor => Msg::RoleSupervisorAbout,
            Self::Trainer => Msg::RoleTrainerAbout,
        }
    }
}

/// How a mode looks on the console: its name, its key, its first layout.
pub trait ModeLook {
    /// Its name.
    fn name(self) -> Msg;
    /// The key that switches to it.
    fn shortcut(self) -> egui::KeyboardShortcut;
    /// The layout a mode starts with before anyone changes it.
    fn default_layout(self) -> Layout;
}

impl ModeLook for Mode {
    fn name(self) -> Msg {
        match self {
            Self::Normal => Msg::ModeNormal,
            Self::Emergency => Msg::ModeEmergency,
            Self::MajorEvent => Msg::ModeMajorEvent,
            Self::SpecialOperation => Msg::ModeSpecialOperation,
        }
    }

    fn shortcut(self) -> egui::KeyboardShortcut {
        let key = match self {
            Self::Normal => egui::Key::F5,
            Self::Emergency => egui::Key::F6,
            Self::MajorEvent => egui::Key::F7,
            Self::SpecialOperation => egui::Key::F8,
        };
        egui::KeyboardShortcut::new(egui::Modifiers::NONE, key)
    }

    fn default_layout(self) -> Layout {
        let base = Layout::default();
        match self {
            Self::Normal => base,
            // Alerts, rings and reach; the units list and more tiles.
            Self::Emergency => Layout {
                wall_side: 3,
                list_tab: ListTabName::Units,
                layers: MapLayers {
                    grid: false,
                    reach: true,
                    rings: true,
                    ..MapLayers::default()
                },
                ..base
            },
            // Many cameras and the grid; the overview beside them.
            Self::MajorEvent => Layout {
                wall_side: 4,
                list_tab: ListTabName::Overview,
                layers: MapLayers {
                    grid: true,
                    ..MapLayers::default()
                },
                ..base
            },
            // Units and drones on the map; one large camera.
            Self::SpecialOperation => Layout {
                wall_side: 1,
                list_tab: ListTabName::Units,
                layers: MapLayers {
                    cameras: false,
                    grid: false,
                    reach: false,
                    ..MapLayers::default()
                },
                ..base
            },
        }
    }
}

/// The list tab, as saved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ListTabName {
    /// Units and drones.
    #[default]
    Units,
    /// Cameras.
    Cameras,
    /// The one-screen overview.
    Overview,
}

/// Map layers on or off, as saved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[expect(clippy::struct_excessive_bools, reason = "independent layer toggles")]
pub struct MapLayers {
    /// Patrol units.
    pub units: bool,
    /// Drones.
    pub drones: bool,
    /// Alerts.
    pub alerts: bool,
    /// Checkpoints.
    pub sites: bool,
    /// Cameras and their view cones.
    pub cameras: bool,
    /// Control rings.
    pub rings: bool,
    /// Grid cells.
    pub grid: bool,
    /// Reachability around the selected alert.
    pub reach: bool,
}

impl Default for MapLayers {
    fn default() -> Self {
        Self {
            units: true,
            drones: true,
            alerts: true,
            sites: true,
            cameras: true,
            rings: true,
            grid: false,
            reach: true,
        }
    }
}

/// One mode's saved arrangement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Layout {
    /// Whether the units & cameras list is open.
    pub list_open: bool,
    /// Its tab.
    pub list_tab: ListTabName,
    /// Wall tiles per side.
    pub wall_side: usize,
    /// Cameras placed on tiles, by tile and camera id.
    pub wall_cameras: BTreeMap<usize, String>,
    /// Map layers.
    pub layers: MapLayers,
    /// The checkpoint shown in place of the wall, if any.
    pub checkpoint: Option<String>,
    /// Whether the wall is in its own window.
    pub wall_window: bool,
}

impl Default for Layout {
    fn default() -> Self {
        Self {
            list_open: true,
            list_tab: ListTabName::Units,
            wall_side: 2,
            wall_cameras: BTreeMap::new(),
            layers: MapLayers::default(),
            checkpoint: None,
            wall_window: false,
        }
    }
}

/// Everything kept between runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Saved {
    /// The mode in use last.
    pub mode: Mode,
    /// The role chosen last (offered first at the next start).
    pub role: Option<Role>,
    /// Each mode's layout as last left.
    pub layouts: BTreeMap<Mode, Layout>,
}

impl Default for Saved {
    fn default() -> Self {
        Self {
            mode: Mode::Normal,
            role: None,
            layouts: Mode::ALL.iter().map(|&m| (m, m.default_layout())).collect(),
        }
    }
}

impl Saved {
    /// The layout of `mode` (its default if none was saved).
    pub fn layout(&self, mode: Mode) -> Layout {
        self.layouts
            .get(&mode)
            .cloned()
            .unwrap_or_else(|| mode.default_layout())
    }

    /// Reads a `layouts.json` text (`None`: no file yet gives the
    /// defaults); a broken one gives the defaults and a message naming
    /// `source`.
    pub fn from_json(text: Option<&str>, source: &Path) -> (Self, Option<String>) {
        match text.map(serde_json::from_str::<Self>) {
            None => (Self::default(), None),
            Some(Ok(saved)) => (saved, None),
            Some(Err(e)) => (
                Self::default(),
                Some(format!(
                    "{}: not a layouts file ({e}); using the default layouts",
                    source.display()
                )),
            ),
        }
    }

    /// The text `layouts.json` holds.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layouts_read_back_and_a_broken_file_is_named() {
        let path = Path::new("/conf/layouts.json");
        let (saved, problem) = Saved::from_json(None, path);
        assert_eq!((saved.clone(), problem), (Saved::default(), None));
        let mut changed = saved;
        changed.mode = Mode::MajorEvent;
        changed.role = Some(Role::Supervisor);
        let layout = changed.layouts.get_mut(&Mode::MajorEvent).expect("layout");
        layout.wall_side = 5;
        layout.wall_cameras.insert(3, "cam-cp-02".into());
        layout.checkpoint = Some("cp-02".into());
        let (again, problem) = Saved::from_json(Some(&changed.to_json()), path);
        assert_eq!(problem, None);
        assert_eq!(again, changed);
        let (fallback, problem) = Saved::from_json(Some("{ not json"), path);
        assert_eq!(fallback, Saved::default());
        assert!(problem.expect("a message").contains("/conf/layouts.json"));
    }
}
