//! The state the console's panels share (see [`Seat`]).

use std::time::Duration;

use crate::area::{self, Area};
use crate::command::Command;
use crate::frame::FrameCtx;
use crate::i18n::{Lang, Msg};
use crate::modes::ModeLook as _;
use crate::{checkpoint_summary, export_form, modes, replay_clock, wall_state};
use watchfloor_layers::timeline::Mark;

/// Which list the units & cameras panel shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ListTab {
    /// Patrol units and drones.
    #[default]
    Units,
    /// Cameras.
    Cameras,
    /// The one-screen overview.
    Overview,
}

/// How the console was started.
#[derive(Debug, Clone, Default)]
pub struct ConsoleOptions {
    /// The language to start in.
    pub lang: Lang,
    /// Whether the embedded demo scenario runs.
    pub demo: bool,
    /// Who is at the console; `None`: asked at start.
    pub role: Option<modes::Role>,
    /// The operator's name (audit trail, notes, dispatches).
    pub operator: String,
    /// Where the export dialog offers to write packages.
    pub exports: std::path::PathBuf,
    /// The operating mode to start in; `None`: the last one used.
    pub mode: Option<modes::Mode>,
    /// A checkpoint to show at start (a supervisor's own).
    pub checkpoint: Option<String>,
}

/// What the console's panels share: who is at it, the language and
/// clock, what has focus, what is selected, the wall, the replay clock,
/// the layouts; and the commands given this frame. Each panel keeps its
/// own state besides, and none reaches into another.
#[expect(
    clippy::struct_excessive_bools,
    reason = "independent UI toggles, not a state machine"
)]
pub struct Seat {
    pub(crate) lang: Lang,
    pub(crate) demo: bool,
    pub(crate) focus: Area,
    pub(crate) list_open: bool,
    /// Whether the problems window is open.
    pub(crate) problems_open: bool,
    pub(crate) list_tab: ListTab,
    pub(crate) help_open: bool,
    pub(crate) clock: Clock,
    pub(crate) operator: String,
    pub(crate) layers: modes::MapLayers,
    pub(crate) selected_alert: Option<String>,
    /// The video wall's layout and placements.
    pub(crate) wall: wall_state::WallState,
    /// Where the map should centre next frame (an alert just selected).
    pub(crate) centre_on: Option<[f64; 2]>,
    /// Whether the find window (Ctrl+K) is open.
    pub(crate) search_open: bool,
    /// The checkpoint shown in place of the wall (the checkpoint view).
    pub(crate) checkpoint: Option<String>,
    /// Who is at the console (`None` until chosen at start).
    pub(crate) role: Option<modes::Role>,
    /// The operating mode, and every mode's layout.
    pub(crate) mode: modes::Mode,
    pub(crate) saved: modes::Saved,
    /// Whether layouts are kept (then changes go out as commands), and
    /// what was last handed out.
    layouts_kept: bool,
    layouts_sent: Option<modes::Saved>,
    /// Wall placements by camera id still waiting for their camera.
    pending_wall: std::collections::BTreeMap<usize, String>,
    /// Whether the wall is in its own window.
    pub(crate) wall_window: bool,
    /// When the layout was last compared with the saved one.
    layout_checked: std::time::Instant,
    /// A supervisor without a checkpoint yet: the first one opens once the
    /// site is loaded.
    checkpoint_pending: bool,
    /// Whether the chime sounds, and the critical alerts already announced.
    pub(crate) sound: bool,
    chimed: std::collections::BTreeSet<String>,
    /// The cameras on screen last frame (for the audit trail).
    pub(crate) viewed: std::collections::BTreeSet<String>,
    /// Replay: the clock while replaying, and a start waiting for the
    /// runtime's timeline; the package being trained on.
    pub(crate) replay: Option<replay_clock::ReplayClock>,
    pub(crate) pending_replay: Option<replay_clock::PendingReplay>,
    pub(crate) package: Option<std::path::PathBuf>,
    /// Bookmarks (and, in a package, trainer notes), and whether notes are
    /// kept in the package.
    pub(crate) bookmarks: Vec<replay_clock::Bookmark>,
    pub(crate) notes_kept: bool,
    /// Privacy masks painted over camera pictures, by camera id.
    pub(crate) privacy: watchfloor_media::detect::privacy::PrivacyPolicy,
    /// A request to open the export dialog (its first fields), and where it
    /// offers to write.
    pub(crate) export: Option<export_form::ExportDialog>,
    pub(crate) exports: std::path::PathBuf,
    /// What the last frame was given, kept for actions between frames:
    /// the cameras' ids (wall placements by id), the timeline's marks and
    /// start (stepping and clamping replay).
    camera_ids: Vec<String>,
    pub(crate) marks: Vec<Mark>,
    pub(crate) journal_start: Option<i64>,
    /// Commands given this frame.
    pub(crate) commands: Vec<Command>,
}

/// Where the console reads the time from.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Clock {
    /// The system clock, in local time.
    System,
    /// A fixed instant (tests and reproducible renders).
    Fixed(chrono::DateTime<chrono::FixedOffset>),
}

impl Seat {
    /// The shared state a console starts with.
    pub fn new(options: &ConsoleOptions) -> Self {
        let mut console = Self {
            lang: options.lang,
            demo: options.demo,
            focus: Area::Map,
            list_open: true,
            problems_open: false,
            list_tab: ListTab::default(),
            help_open: false,
            clock: Clock::System,
            operator: if options.operator.is_empty() {
                "operator".to_owned()
            } else {
                options.operator.clone()
            },
            layers: modes::MapLayers::default(),
            selected_alert: None,
            wall: wall_state::WallState::default(),
            centre_on: None,
            search_open: false,
            checkpoint: None,
            role: None,
            mode: options.mode.unwrap_or(modes::Mode::Normal),
            saved: modes::Saved::default(),
            layouts_kept: false,
            layouts_sent: None,
            pending_wall: std::collections::BTreeMap::new(),
            wall_window: false,
            layout_checked: std::time::Instant::now(),
            checkpoint_pending: false,
            sound: true,
            chimed: std::collections::BTreeSet::new(),
            viewed: std::collections::BTreeSet::new(),
            replay: None,
            pending_replay: None,
            package: None,
            bookmarks: Vec::new(),
            notes_kept: false,
            privacy: watchfloor_media::detect::privacy::PrivacyPolicy::clear(),
            export: None,
            exports: options.exports.clone(),
            camera_ids: Vec::new(),
            marks: Vec::new(),
            journal_start: None,
            commands: Vec::new(),
        };
        console.apply_layout(&console.saved.layout(console.mode));
        if let Some(role) = options.role {
            console.set_role(role);
            // Chosen before anything is audited: the program records the
            // role when it attaches the audit trail.
            console.commands.clear();
        }
        if let Some(id) = &options.checkpoint {
            console.checkpoint = Some(id.clone());
        }
        console
    }

    /// Uses the layouts kept in `layouts.json` (its text, `None` when there
    /// is none yet; `source` names the file in messages): the saved ones
    /// are used now (the last mode unless one was asked for) and every
    /// change goes out as [`Command::SaveLayouts`]. A broken file is named
    /// in the log and the defaults are used.
    pub fn keep_layouts(
        &mut self,
        text: Option<&str>,
        source: &std::path::Path,
        mode: Option<modes::Mode>,
    ) {
        let (saved, problem) = modes::Saved::from_json(text, source);
        if let Some(p) = problem {
            tracing::error!("{p}");
        }
        // What the file holds: anything else is handed out to be written.
        self.layouts_sent = text.is_some().then(|| saved.clone());
        self.saved = saved;
        if let Some(role) = self.role {
            self.saved.role = Some(role);
        }
        self.mode = mode.unwrap_or(self.saved.mode);
        self.saved.mode = self.mode;
        let checkpoint = self.checkpoint.clone();
        self.apply_layout(&self.saved.layout(self.mode));
        if checkpoint.is_some() {
            self.checkpoint = checkpoint;
        }
        self.layouts_kept = true;
    }

    /// The role offered first at start (the last one chosen).
    pub fn last_role(&self) -> Option<modes::Role> {
        self.saved.role
    }

    /// Appends an action to the audit trail (as a command).
    pub(crate) fn audit(&mut self, action: watchfloor_layers::audit::AuditAction) {
        self.commands.push(Command::Audit(action));
    }

    /// Rings once for critical alerts not yet acknowledged and not yet
    /// announced (live alerts ring even while the operator replays).
    pub(crate) fn announce_critical(&mut self, ctx: &FrameCtx) {
        let Some(world) = ctx.live_world() else {
            return;
        };
        let mut fresh = false;
        for a in world.state().alerts.values() {
            if a.severity == watchfloor_layers::AlertSeverity::Critical
                && a.state == watchfloor_layers::AlertState::New
                && self.chimed.insert(a.id.clone())
            {
                fresh = true;
            }
        }
        if fresh && self.sound {
            self.commands.push(Command::Chime);
        }
    }

    /// Who is at the console, once chosen.
    pub fn role(&self) -> Option<modes::Role> {
        self.role
    }

    /// Sets who is at the console: a supervisor starts on a checkpoint.
    pub fn set_role(&mut self, role: modes::Role) {
        tracing::info!(?role, operator = %self.operator, "role chosen");
        self.role = Some(role);
        self.saved.role = Some(role);
        self.audit(watchfloor_layers::audit::AuditAction::RoleChosen {
            role: role.id().to_owned(),
        });
        self.checkpoint_pending = role == modes::Role::Supervisor && self.checkpoint.is_none();
    }

    /// Whether the operator's role allows `action` (nothing before a role
    /// is chosen).
    pub fn may(&self, action: modes::Action) -> bool {
        // The past is only looked at: acting needs the live world.
        self.replay.is_none() && self.role.is_some_and(|r| r.may(action))
    }

    /// The operating mode now.
    pub fn mode(&self) -> modes::Mode {
        self.mode
    }

    /// Switches the operating mode: this mode's layout is kept as it is
    /// now, the other's is shown.
    pub fn switch_mode(&mut self, mode: modes::Mode) {
        if mode == self.mode {
            return;
        }
        tracing::info!(from = ?self.mode, to = ?mode, operator = %self.operator, "operating mode switched");
        let current = self.capture_layout();
        self.saved.layouts.insert(self.mode, current);
        self.mode = mode;
        self.saved.mode = mode;
        self.apply_layout(&self.saved.layout(mode));
        self.save_layouts();
        self.audit(watchfloor_layers::audit::AuditAction::ModeSwitched {
            mode: mode.id().to_owned(),
        });
    }

    /// The arrangement on screen now, as a mode's layout.
    pub fn capture_layout(&self) -> modes::Layout {
        // Still-pending saved placements, then what is on the tiles now.
        let mut wall_cameras = self.pending_wall.clone();
        wall_cameras.extend(
            self.wall
                .placed
                .iter()
                .filter_map(|(&tile, &camera)| Some((tile, self.camera_ids.get(camera)?.clone()))),
        );
        modes::Layout {
            list_open: self.list_open,
            list_tab: match self.list_tab {
                ListTab::Units => modes::ListTabName::Units,
                ListTab::Cameras => modes::ListTabName::Cameras,
                ListTab::Overview => modes::ListTabName::Overview,
            },
            wall_side: self.wall.side,
            wall_cameras,
            layers: self.layers,
            checkpoint: self.checkpoint.clone(),
            wall_window: self.wall_window,
        }
    }

    pub(crate) fn apply_layout(&mut self, layout: &modes::Layout) {
        self.list_open = layout.list_open;
        self.list_tab = match layout.list_tab {
            modes::ListTabName::Units => ListTab::Units,
            modes::ListTabName::Cameras => ListTab::Cameras,
            modes::ListTabName::Overview => ListTab::Overview,
        };
        self.wall.side = layout.wall_side.clamp(1, wall_state::MAX_SIDE);
        self.wall.enlarged = None;
        self.wall.tour = None;
        self.wall.placed.clear();
        self.pending_wall.clone_from(&layout.wall_cameras);
        self.place_pending_wall();
        self.layers = layout.layers;
        self.checkpoint.clone_from(&layout.checkpoint);
        self.wall_window = layout.wall_window;
    }

    /// Puts saved wall cameras on their tiles once they are live.
    pub(crate) fn place_pending_wall(&mut self) {
        let tiles = self.wall.side * self.wall.side;
        let ids = &self.camera_ids;
        let wall = &mut self.wall;
        self.pending_wall.retain(|&tile, id| {
            if wall.placed.contains_key(&tile) {
                // Something newer was put on the tile: the saved one yields.
                return false;
            }
            if tile >= tiles {
                return true;
            }
            match ids.iter().position(|c| c == id) {
                Some(index) => {
                    wall.placed.insert(tile, index);
                    false
                }
                None => true,
            }
        });
    }

    /// Hands the layouts out if they changed.
    pub(crate) fn save_layouts(&mut self) {
        if let Some(text) = self.changed_layouts() {
            self.commands.push(Command::SaveLayouts(text));
        }
    }

    /// The text of `layouts.json` if the layouts are kept and changed since
    /// last handed out (the program asks once more as it closes).
    pub fn changed_layouts(&mut self) -> Option<String> {
        if !self.layouts_kept {
            return None;
        }
        let current = self.capture_layout();
        self.saved.layouts.insert(self.mode, current);
        if self.layouts_sent.as_ref() == Some(&self.saved) {
            return None;
        }
        self.layouts_sent = Some(self.saved.clone());
        Some(self.saved.to_json())
    }

    /// Paints these privacy masks over their cameras' pictures, live and
    /// recorded; a camera whose masks are unknown is never shown (its tiles
    /// are blanked with the reason, and the status bar names it).
    pub fn set_privacy(&mut self, policy: watchfloor_media::detect::privacy::PrivacyPolicy) {
        if !policy.masks().is_empty() {
            tracing::info!(
                cameras = policy.masks().len(),
                "privacy masks applied to camera views"
            );
        }
        self.privacy = policy;
    }

    /// Opens the problems window (as the status bar's button does).
    pub fn open_problems(&mut self) {
        self.problems_open = true;
    }

    /// The privacy policy camera pictures are shown under.
    pub fn privacy(&self) -> &watchfloor_media::detect::privacy::PrivacyPolicy {
        &self.privacy
    }

    /// Shows a fixed time instead of the system clock.
    pub fn freeze_clock(&mut self, at: chrono::DateTime<chrono::FixedOffset>) {
        self.clock = Clock::Fixed(at);
    }

    /// The language the console speaks now.
    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// The area that has keyboard focus.
    pub fn focus(&self) -> Area {
        self.focus
    }

    /// Whether the units & cameras list is shown.
    pub fn list_open(&self) -> bool {
        self.list_open
    }

    /// Whether the shortcut help is open.
    pub fn help_open(&self) -> bool {
        self.help_open
    }

    /// Switches the language at run time.
    pub fn set_lang(&mut self, lang: Lang) {
        if lang != self.lang {
            tracing::info!(lang = %lang, "language switched");
            self.lang = lang;
        }
    }

    pub(crate) fn t(&self, msg: Msg) -> &'static str {
        msg.text(self.lang)
    }

    /// Now in Unix microseconds, from the console's clock (in replay: the
    /// instant replayed).
    pub(crate) fn now_us(&self) -> i64 {
        self.replay_at().unwrap_or_else(|| self.real_now_us())
    }

    pub(crate) fn now(&self) -> chrono::DateTime<chrono::FixedOffset> {
        if let Some(at) = self.replay_at() {
            let utc = chrono::DateTime::from_timestamp_micros(at).unwrap_or_default();
            return match self.clock {
                Clock::Fixed(fixed) => utc.with_timezone(fixed.offset()),
                Clock::System => utc.with_timezone(&chrono::Local).fixed_offset(),
            };
        }
        match self.clock {
            Clock::System => chrono::Local::now().fixed_offset(),
            Clock::Fixed(at) => at,
        }
    }

    /// Cameras near open detection alerts and on the wall get detection's
    /// priority.
    pub(crate) fn detection_priorities(&mut self, ctx: &FrameCtx) {
        let Some(world) = ctx.live_world() else {
            return;
        };
        if ctx.camera_set.detection == watchfloor_media::view::DetectionState::Off {
            return;
        }
        let hot: std::collections::HashSet<&str> = world
            .state()
            .alerts
            .values()
            .filter(|a| !matches!(a.state, watchfloor_layers::AlertState::Resolved))
            .filter_map(|a| match &a.source {
                watchfloor_layers::model::AlertSource::Detection { camera, .. } => {
                    Some(camera.as_str())
                }
                _ => None,
            })
            .collect();
        let cameras = ctx.cameras.len();
        let priorities = ctx
            .cameras
            .iter()
            .enumerate()
            .map(|(index, v)| {
                (
                    v.id.clone(),
                    watchfloor_media::detect::scheduler::Priority {
                        near_open_alert: hot.contains(v.id.as_str()),
                        checkpoint: false,
                        on_wall: self.wall.shows(index, cameras),
                    },
                )
            })
            .collect();
        self.commands.push(Command::SetPriorities(priorities));
    }

    /// Selects an alert (a second time: clears the selection). A new
    /// selection centres the map on it and puts its cameras on the wall: the
    /// one that raised it, then the nearest.
    pub fn select_alert(&mut self, id: &str, ctx: &FrameCtx) {
        if self.selected_alert.as_deref() == Some(id) {
            self.selected_alert = None;
            return;
        }
        let Some(world) = ctx.world else {
            return;
        };
        let Some(alert) = world.state().alerts.get(id).cloned() else {
            return;
        };
        // The checkpoint view stays for its own alerts; any other alert
        // brings the wall back with the alert's cameras.
        let own = self.checkpoint.as_ref().is_some_and(|cp| {
            checkpoint_summary::summarise(world, ctx.cameras, cp)
                .is_some_and(|s| s.alerts.contains(&alert.id))
        });
        if !own {
            self.checkpoint = None;
        }
        self.selected_alert = Some(alert.id.clone());
        self.centre_on = Some(alert.lonlat);
        let source = match &alert.source {
            watchfloor_layers::model::AlertSource::Detection { camera, .. } => {
                Some(camera.as_str())
            }
            _ => None,
        };
        let cameras = wall_state::cameras_for_alert(ctx.cameras, source, alert.lonlat);
        if !cameras.is_empty() {
            self.wall.show_first(&cameras);
        }
    }

    /// Shows checkpoint `id` in place of the wall (`None`: the wall again),
    /// centring the map on it.
    pub fn open_checkpoint(
        &mut self,
        id: Option<&str>,
        world: Option<&watchfloor_layers::world::World>,
    ) {
        self.checkpoint = id.map(str::to_owned);
        if let Some(id) = id
            && let Some(c) = world.and_then(|w| w.state().checkpoints.get(id))
        {
            self.centre_on = Some(c.lonlat);
        }
    }

    /// The checkpoint shown in place of the wall, if any.
    pub fn checkpoint(&self) -> Option<&str> {
        self.checkpoint.as_deref()
    }

    /// The alert selected in the queue, if any.
    pub fn selected_alert(&self) -> Option<&str> {
        self.selected_alert.as_deref()
    }

    /// Where the map will centre on its next frame (after a selection).
    pub fn map_centre_request(&self) -> Option<[f64; 2]> {
        self.centre_on
    }

    /// Sets the wall's layout: `side` × `side` tiles (1 to 6).
    pub fn set_wall_side(&mut self, side: usize) {
        self.wall.side = side.clamp(1, wall_state::MAX_SIDE);
        self.wall.enlarged = None;
    }

    /// How old the picture on each visible wall tile is now.
    pub fn wall_frame_ages(&self, ctx: &FrameCtx) -> Vec<std::time::Duration> {
        let views = ctx.cameras;
        self.wall
            .visible_tiles()
            .into_iter()
            .filter_map(|t| self.wall.camera_of(t, views.len()))
            .filter_map(|c| {
                views[c]
                    .frame
                    .as_ref()
                    .map(watchfloor_media::ingest::Frame::age)
            })
            .collect()
    }

    /// Whether the wall is in its own window.
    pub fn wall_in_own_window(&self) -> bool {
        self.wall_window
    }

    /// The video wall's layout and placements.
    pub fn wall(&self) -> &wall_state::WallState {
        &self.wall
    }

    /// Keeps what actions between frames need of this frame's inputs.
    pub(crate) fn remember(&mut self, ctx: &FrameCtx) {
        if self.camera_ids.len() != ctx.cameras.len()
            || self
                .camera_ids
                .iter()
                .zip(ctx.cameras)
                .any(|(a, v)| *a != v.id)
        {
            self.camera_ids = ctx.cameras.iter().map(|v| v.id.clone()).collect();
        }
        if self.marks.len() != ctx.timeline.marks.len()
            || self.marks.last() != ctx.timeline.marks.last()
        {
            self.marks = ctx.timeline.marks.to_vec();
        }
        if ctx.timeline.start.is_some() {
            self.journal_start = ctx.timeline.start;
        }
        // Tiles placed on cameras no longer there (recorded-only ones after
        // replay) are free again.
        let cameras = ctx.cameras.len();
        self.wall.placed.retain(|_, camera| *camera < cameras);
    }

    /// What every frame does before the panels draw: keeps what actions
    /// between frames need of `ctx`, loads nothing, advances the replay
    /// clock, hands out detection priorities, takes the keyboard
    /// shortcuts, places saved wall cameras, announces new critical
    /// alerts, seats a supervisor, and hands out changed layouts.
    pub(crate) fn begin_frame(&mut self, egui_ctx: &egui::Context, ctx: &FrameCtx) {
        self.remember(ctx);
        self.tick_replay(egui_ctx, ctx);
        self.detection_priorities(ctx);
        self.handle_shortcuts(egui_ctx);
        if !self.pending_wall.is_empty() {
            self.place_pending_wall();
        }
        self.announce_critical(ctx);
        if self.checkpoint_pending
            && let Some(first) = ctx
                .world
                .and_then(|w| w.state().checkpoints.keys().next().cloned())
        {
            self.checkpoint_pending = false;
            if self.checkpoint.is_none() {
                self.open_checkpoint(Some(&first), ctx.world);
            }
        }
        if self.layout_checked.elapsed() >= Duration::from_secs(1) {
            self.layout_checked = std::time::Instant::now();
            self.save_layouts();
        }
    }

    pub(crate) fn handle_shortcuts(&mut self, ctx: &egui::Context) {
        for area in Area::ALL {
            if ctx.input_mut(|i| i.consume_shortcut(&area.shortcut())) {
                self.focus_area(area);
            }
        }
        // Check the longer combination first: Ctrl+Shift+L also matches Ctrl+L.
        if ctx.input_mut(|i| i.consume_shortcut(&area::SWITCH_LANGUAGE)) {
            self.set_lang(self.lang.next());
        }
        if ctx.input_mut(|i| i.consume_shortcut(&area::TOGGLE_LIST)) {
            self.list_open = !self.list_open;
            if !self.list_open && self.focus == Area::Units {
                self.focus = Area::Map;
            }
        }
        for mode in modes::Mode::ALL {
            if ctx.input_mut(|i| i.consume_shortcut(&mode.shortcut())) {
                self.switch_mode(mode);
            }
        }
        if ctx.input_mut(|i| i.consume_shortcut(&area::HELP)) {
            self.help_open = !self.help_open;
        }
        if ctx.input_mut(|i| i.consume_shortcut(&area::FULLSCREEN)) {
            let fullscreen = ctx.input(|i| i.viewport().fullscreen.unwrap_or(false));
            ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(!fullscreen));
        }
    }

    /// Commands given outside a frame (by calls like [`Console::add_bookmark`]),
    /// for the program to apply; a frame returns them too.
    pub fn take_commands(&mut self) -> Vec<Command> {
        std::mem::take(&mut self.commands)
    }

    /// Shows a tab of the units & cameras list.
    pub fn set_list_tab(&mut self, tab: ListTab) {
        self.list_tab = tab;
    }

    /// Gives an area keyboard focus (opening the list if it is the list).
    pub fn focus_area(&mut self, area: Area) {
        if area == Area::Units {
            self.list_open = true;
        }
        self.focus = area;
    }
}
