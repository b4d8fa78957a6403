//! Operating modes and operator roles. Each mode (normal, emergency,
//! major-event security, special operation) is a saved layout: which panels,
//! map layers and wall arrangement it shows. Switching is one action (a menu
//! or F5–F8); the layouts, the last mode and the last role are kept in
//! `layouts.json` in the user's config folder, written off the UI thread.
//! The role chosen at start decides what is shown first and which alert
//! actions are allowed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, SyncSender, TrySendError};
use std::thread::JoinHandle;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::i18n::Msg;

/// Who is at the console.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// Works the alert queue and dispatches units.
    Dispatcher,
    /// Watches one checkpoint (or a ring of them).
    Supervisor,
    /// Reviews and replays incidents; takes no operational action.
    Trainer,
}

/// What an operator may do to an alert.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Acknowledge a new alert.
    Acknowledge,
    /// Send units to it.
    Dispatch,
    /// Close it with a note.
    Resolve,
}

impl Role {
    /// Every role, in the order the start dialog offers them.
    pub const ALL: [Self; 3] = [Self::Dispatcher, Self::Supervisor, Self::Trainer];

    /// Its id on the command line and in the audit trail.
    pub fn id(self) -> &'static str {
        match self {
            Self::Dispatcher => "dispatcher",
            Self::Supervisor => "supervisor",
            Self::Trainer => "trainer",
        }
    }

    /// Its name.
    pub fn name(self) -> Msg {
        match self {
            Self::Dispatcher => Msg::RoleDispatcher,
            Self::Supervisor => Msg::RoleSupervisor,
            Self::Trainer => Msg::RoleTrainer,
        }
    }

    /// What it does, for the start dialog.
    pub fn about(self) -> Msg {
        match self {
            Self::Dispatcher => Msg::RoleDispatcherAbout,
            Self::Supervisor => Msg::RoleSupervisorAbout,
            Self::Trainer => Msg::RoleTrainerAbout,
        }
    }

    /// Whether this role may take `action`: dispatchers everything,
    /// supervisors acknowledge and resolve (units are the dispatcher's to
    /// send), trainers nothing (they watch, the room operates).
    pub fn may(self, action: Action) -> bool {
        match self {
            Self::Dispatcher => true,
            Self::Supervisor => action != Action::Dispatch,
            Self::Trainer => false,
        }
    }
}

/// The room's operating mode.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, clap::ValueEnum,
)]
#[serde(rename_all = "kebab-case")]
pub enum Mode {
    /// Day-to-day watch.
    Normal,
    /// An incident in progress.
    Emergency,
    /// A major event under security (crowds, many cameras).
    MajorEvent,
    /// A planned special operation (units and drones).
    SpecialOperation,
}

impl Mode {
    /// Every mode, in menu and shortcut order (F5 … F8).
    pub const ALL: [Self; 4] = [
        Self::Normal,
        Self::Emergency,
        Self::MajorEvent,
        Self::SpecialOperation,
    ];

    /// Its id on the command line, in `layouts.json` and the audit trail.
    pub fn id(self) -> &'static str {
        match self {
            Self::Normal => "normal",
            Self::Emergency => "emergency",
            Self::MajorEvent => "major-event",
            Self::SpecialOperation => "special-operation",
        }
    }

    /// Its name.
    pub fn name(self) -> Msg {
        match self {
            Self::Normal => Msg::ModeNormal,
            Self::Emergency => Msg::ModeEmergency,
            Self::MajorEvent => Msg::ModeMajorEvent,
            Self::SpecialOperation => Msg::ModeSpecialOperation,
        }
    }

    /// The key that switches to it.
    pub fn shortcut(self) -> egui::KeyboardShortcut {
        let key = match self {
            Self::Normal => egui::Key::F5,
            Self::Emergency => egui::Key::F6,
            Self::MajorEvent => egui::Key::F7,
            Self::SpecialOperation => egui::Key::F8,
        };
        egui::KeyboardShortcut::new(egui::Modifiers::NONE, key)
    }

    /// The layout a mode starts with before anyone changes it.
    pub fn default_layout(self) -> Layout {
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

    /// Reads `path`; a missing file gives the defaults, an unreadable one
    /// the defaults and a message naming the file.
    pub fn load(path: &Path) -> (Self, Option<String>) {
        match std::fs::read_to_string(path) {
            Ok(text) => match serde_json::from_str(&text) {
                Ok(saved) => (saved, None),
                Err(e) => (
                    Self::default(),
                    Some(format!(
                        "{}: not a layouts file ({e}); using the default layouts",
                        path.display()
                    )),
                ),
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => (Self::default(), None),
            Err(e) => (
                Self::default(),
                Some(format!(
                    "{}: cannot read ({e}); using the default layouts",
                    path.display()
                )),
            ),
        }
    }
}

/// The default folder for `layouts.json`: `$XDG_CONFIG_HOME/watchfloor`,
/// else `~/.config/watchfloor`.
pub fn default_config_dir() -> PathBuf {
    crate::wiring::world::xdg_dir("XDG_CONFIG_HOME", ".config")
}

/// Writes `layouts.json` on its own thread: the UI sends the newest state,
/// the thread writes it (to a temporary file, then renamed) once changes
/// pause. Dropping the store writes what is pending.
pub struct LayoutStore {
    path: PathBuf,
    last_sent: Option<Saved>,
    tx: Option<SyncSender<Saved>>,
    writer: Option<JoinHandle<()>>,
}

/// How long the writer waits for more changes before writing.
const WRITE_PAUSE: Duration = Duration::from_millis(300);

impl LayoutStore {
    /// A store for `dir/layouts.json`, and what it holds now (with a message
    /// if the file could not be used).
    pub fn open(dir: &Path) -> std::io::Result<(Self, Saved, Option<String>)> {
        let path = dir.join("layouts.json");
        let (saved, problem) = Saved::load(&path);
        let (tx, rx) = mpsc::sync_channel(4);
        let target = path.clone();
        let writer = std::thread::Builder::new()
            .name("layout-writer".into())
            .spawn(move || write_loop(&rx, &target))?;
        Ok((
            Self {
                path,
                last_sent: Some(saved.clone()),
                tx: Some(tx),
                writer: Some(writer),
            },
            saved,
            problem,
        ))
    }

    /// Where the layouts are kept.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Hands `saved` to the writer if it differs from what was last handed;
    /// never waits (if the writer is behind, the next call hands it again).
    pub fn save(&mut self, saved: &Saved) {
        if self.last_sent.as_ref() == Some(saved) {
            return;
        }
        let Some(tx) = &self.tx else {
            return;
        };
        match tx.try_send(saved.clone()) {
            Ok(()) => self.last_sent = Some(saved.clone()),
            Err(TrySendError::Full(_)) => {}
            Err(TrySendError::Disconnected(_)) => {
                tracing::error!(file = %self.path.display(), "the layout writer has stopped");
                self.tx = None;
            }
        }
    }
}

impl Drop for LayoutStore {
    fn drop(&mut self) {
        self.tx = None;
        if let Some(writer) = self.writer.take() {
            let _ = writer.join();
        }
    }
}

fn write_loop(rx: &Receiver<Saved>, path: &Path) {
    while let Ok(mut newest) = rx.recv() {
        // Coalesce a burst of changes into one write.
        loop {
            match rx.recv_timeout(WRITE_PAUSE) {
                Ok(next) => newest = next,
                Err(mpsc::RecvTimeoutError::Timeout) => break,
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    write_atomically(path, &newest);
                    return;
                }
            }
        }
        write_atomically(path, &newest);
    }
}

fn write_atomically(path: &Path, saved: &Saved) {
    let result = (|| -> std::io::Result<()> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let text = serde_json::to_string_pretty(saved).map_err(std::io::Error::other)?;
        let tmp = path.with_extension("json.tmp");
        std::fs::write(&tmp, text)?;
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        tracing::error!(file = %path.display(), "layouts not saved: {e}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_allow_what_they_should() {
        use Action::{Acknowledge, Dispatch, Resolve};
        assert!(
            [Acknowledge, Dispatch, Resolve]
                .iter()
                .all(|&a| Role::Dispatcher.may(a))
        );
        assert!(Role::Supervisor.may(Acknowledge) && Role::Supervisor.may(Resolve));
        assert!(!Role::Supervisor.may(Dispatch));
        assert!(
            ![Acknowledge, Dispatch, Resolve]
                .iter()
                .any(|&a| Role::Trainer.may(a))
        );
    }

    #[test]
    fn layouts_survive_a_restart_and_a_broken_file_is_named() {
        let dir = std::env::temp_dir().join(format!("wf-layouts-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let (mut store, saved, problem) = LayoutStore::open(&dir).expect("open");
        assert_eq!((saved.clone(), problem), (Saved::default(), None));
        let mut changed = saved;
        changed.mode = Mode::MajorEvent;
        changed.role = Some(Role::Supervisor);
        let layout = changed.layouts.get_mut(&Mode::MajorEvent).expect("layout");
        layout.wall_side = 5;
        layout.wall_cameras.insert(3, "cam-cp-02".into());
        layout.checkpoint = Some("cp-02".into());
        store.save(&changed);
        drop(store);
        let (_, again, problem) = LayoutStore::open(&dir).expect("reopen");
        assert_eq!(problem, None);
        assert_eq!(again, changed);

        std::fs::write(dir.join("layouts.json"), "{ not json").expect("write");
        let (_, fallback, problem) = LayoutStore::open(&dir).expect("reopen");
        assert_eq!(fallback, Saved::default());
        assert!(problem.expect("a message").contains("layouts.json"));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
