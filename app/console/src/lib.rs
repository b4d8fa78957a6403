//! The console window's contents, independent of how they reach the screen
//! and of what runs behind it: [`Console::ui`] draws one frame from a
//! [`FrameCtx`] (one read of the world and what the runtime prepared) and
//! returns the [`Command`]s the operator gave. It starts no thread and
//! touches no file or socket (its `clippy.toml` bans them): the program
//! applies the commands. eframe drives it in a real window; the headless
//! screenshot and the tests drive the very same function.

pub mod area;
pub mod command;
pub mod fonts;
pub mod frame;
pub mod i18n;
pub mod theme;

mod alerts;
mod audit;
pub mod checkpoint_view;
mod export_dialog;
mod help;
mod map_panel;
pub mod modes;
pub mod overview;
pub mod privacy;
pub mod problems;
pub mod replay;
mod role_dialog;
pub mod search;
mod status_bar;
mod timeline;
mod top_bar;
mod units_list;
pub mod video;
pub mod wall;

use crate::modes::ModeLook as _;
use std::time::Duration;

use area::Area;
pub use command::{Command, ExportAsk};
pub use frame::{CameraSet, ExportProgress, FeedSummary, FrameCtx, Timeline};
use i18n::{Lang, Msg};
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

/// The console's UI state.
#[expect(
    clippy::struct_excessive_bools,
    reason = "independent UI toggles, not a state machine"
)]
pub struct Console {
    lang: Lang,
    demo: bool,
    focus: Area,
    list_open: bool,
    /// Whether the problems window is open.
    problems_open: bool,
    list_tab: ListTab,
    help_open: bool,
    clock: Clock,
    operator: String,
    camera: Option<watchfloor_render::map::Camera>,
    layers: map_panel::Layers,
    selected_alert: Option<String>,
    start_zoom: f64,
    /// The video wall's layout and placements.
    wall: wall::WallState,
    /// Where the map should centre next frame (an alert just selected).
    centre_on: Option<[f64; 2]>,
    /// The find window (Ctrl+K) and what is typed in it.
    search_open: bool,
    search_text: String,
    /// Detection alerts' pictures for their cards (the newest `THUMBNAILS`).
    thumbnails: std::collections::VecDeque<(String, egui::TextureHandle)>,
    /// The checkpoint shown in place of the wall (the checkpoint view).
    checkpoint: Option<String>,
    /// Who is at the console (`None` until chosen at start).
    role: Option<modes::Role>,
    /// The operating mode, and every mode's layout.
    mode: modes::Mode,
    saved: modes::Saved,
    /// Whether layouts are kept (then changes go out as commands), and
    /// what was last handed out.
    layouts_kept: bool,
    layouts_sent: Option<modes::Saved>,
    /// Wall placements by camera id still waiting for their camera.
    pending_wall: std::collections::BTreeMap<usize, String>,
    /// Whether the wall is in its own window, and where it opened.
    wall_window: bool,
    wall_window_at: Option<egui::Pos2>,
    /// When the layout was last compared with the saved one.
    layout_checked: std::time::Instant,
    /// A supervisor without a checkpoint yet: the first one opens once the
    /// site is loaded.
    seat_checkpoint: bool,
    /// Whether the chime sounds, and the critical alerts already announced.
    sound: bool,
    chimed: std::collections::BTreeSet<String>,
    /// The cameras on screen last frame (for the audit trail).
    viewed: std::collections::BTreeSet<String>,
    /// Replay: the clock while replaying, and a start waiting for the
    /// runtime's timeline; the package being trained on.
    replay: Option<replay::ReplayClock>,
    pending_replay: Option<replay::PendingReplay>,
    package: Option<std::path::PathBuf>,
    /// Bookmarks (and, in a package, trainer notes), whether notes are kept
    /// in the package, and the note typed.
    bookmarks: Vec<replay::Bookmark>,
    notes_kept: bool,
    note_text: String,
    /// How much time the timeline shows, seconds.
    timeline_span_s: f64,
    /// Privacy masks painted over camera pictures, by camera id.
    privacy: watchfloor_media::detect::privacy::PrivacyPolicy,
    /// The export dialog, while open, and where it offers to write.
    export: Option<export_dialog::ExportDialog>,
    exports: std::path::PathBuf,
    /// What the last frame was given, kept for actions between frames:
    /// the cameras' ids (wall placements by id), the timeline's marks and
    /// start (stepping and clamping replay).
    camera_ids: Vec<String>,
    marks: Vec<Mark>,
    journal_start: Option<i64>,
    /// Commands given this frame.
    commands: Vec<Command>,
}

/// Alert pictures kept for the alert queue.
const THUMBNAILS: usize = 256;

/// Where the console reads the time from.
#[derive(Debug, Clone, Copy)]
enum Clock {
    /// The system clock, in local time.
    System,
    /// A fixed instant (tests and reproducible renders).
    Fixed(chrono::DateTime<chrono::FixedOffset>),
}

impl Console {
    /// A console in its initial state; start-up checks are attached separately.
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
            camera: None,
            layers: map_panel::Layers::default(),
            selected_alert: None,
            start_zoom: map_panel::START_ZOOM,
            thumbnails: std::collections::VecDeque::new(),
            wall: wall::WallState::default(),
            centre_on: None,
            search_open: false,
            search_text: String::new(),
            checkpoint: None,
            role: None,
            mode: options.mode.unwrap_or(modes::Mode::Normal),
            saved: modes::Saved::default(),
            layouts_kept: false,
            layouts_sent: None,
            pending_wall: std::collections::BTreeMap::new(),
            wall_window: false,
            wall_window_at: None,
            layout_checked: std::time::Instant::now(),
            seat_checkpoint: false,
            sound: true,
            chimed: std::collections::BTreeSet::new(),
            viewed: std::collections::BTreeSet::new(),
            replay: None,
            pending_replay: None,
            package: None,
            bookmarks: Vec::new(),
            notes_kept: false,
            note_text: String::new(),
            timeline_span_s: 3600.0,
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
    fn audit(&mut self, action: watchfloor_layers::audit::AuditAction) {
        self.commands.push(Command::Audit(action));
    }

    /// Rings once for critical alerts not yet acknowledged and not yet
    /// announced (live alerts ring even while the operator replays).
    fn announce_critical(&mut self, ctx: &FrameCtx) {
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
        self.seat_checkpoint = role == modes::Role::Supervisor && self.checkpoint.is_none();
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

    fn apply_layout(&mut self, layout: &modes::Layout) {
        self.list_open = layout.list_open;
        self.list_tab = match layout.list_tab {
            modes::ListTabName::Units => ListTab::Units,
            modes::ListTabName::Cameras => ListTab::Cameras,
            modes::ListTabName::Overview => ListTab::Overview,
        };
        self.wall.side = layout.wall_side.clamp(1, wall::MAX_SIDE);
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
    fn place_pending_wall(&mut self) {
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
    fn save_layouts(&mut self) {
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

    /// Sets the map's zoom (0 = the world in 256 px; ~12 a city, ~16 a street).
    pub fn set_map_zoom(&mut self, zoom: f64) {
        self.start_zoom = zoom;
        if let Some(camera) = &mut self.camera {
            camera.zoom = zoom;
        }
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

    /// Every problem the console knows of (what its problems window lists).
    pub fn problems(&self, ctx: &FrameCtx) -> Vec<problems::Problem> {
        problems::collect(self, ctx)
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

    fn t(&self, msg: Msg) -> &'static str {
        msg.text(self.lang)
    }

    /// Now in Unix microseconds, from the console's clock (in replay: the
    /// instant replayed).
    fn now_us(&self) -> i64 {
        self.replay_at().unwrap_or_else(|| self.real_now_us())
    }

    fn now(&self) -> chrono::DateTime<chrono::FixedOffset> {
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

    /// Detection alerts' pictures become textures for their cards.
    fn load_thumbnails(&mut self, egui_ctx: &egui::Context, ctx: &FrameCtx) {
        for (id, t) in ctx.thumbnails {
            let image = egui::ColorImage::from_rgba_unmultiplied([t.width, t.height], &t.rgba);
            let texture =
                egui_ctx.load_texture(format!("alert-{id}"), image, egui::TextureOptions::LINEAR);
            self.thumbnails.push_back((id.clone(), texture));
            if self.thumbnails.len() > THUMBNAILS {
                self.thumbnails.pop_front();
            }
        }
    }

    /// Cameras near open detection alerts and on the wall get detection's
    /// priority.
    fn detection_priorities(&mut self, ctx: &FrameCtx) {
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
            checkpoint_view::summarise(world, ctx.cameras, cp)
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
        let cameras = wall::cameras_for_alert(ctx.cameras, source, alert.lonlat);
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
        self.wall.side = side.clamp(1, wall::MAX_SIDE);
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
    pub fn wall(&self) -> &wall::WallState {
        &self.wall
    }

    /// The picture of a detection alert, if it has one.
    fn thumbnail(&self, alert: &str) -> Option<&egui::TextureHandle> {
        self.thumbnails
            .iter()
            .rev()
            .find(|(id, _)| id == alert)
            .map(|(_, t)| t)
    }

    /// Keeps what actions between frames need of this frame's inputs.
    fn remember(&mut self, ctx: &FrameCtx) {
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

    /// Builds one frame of the whole console into `ui` from `ctx`, and
    /// returns what the operator asked for.
    pub fn ui(&mut self, ui: &mut egui::Ui, ctx: &FrameCtx) -> Vec<Command> {
        self.remember(ctx);
        self.load_thumbnails(ui.ctx(), ctx);
        self.tick_replay(ui.ctx(), ctx);
        self.detection_priorities(ctx);
        self.handle_shortcuts(ui.ctx());
        if !self.pending_wall.is_empty() {
            self.place_pending_wall();
        }
        self.announce_critical(ctx);
        if self.seat_checkpoint
            && let Some(first) = ctx
                .world
                .and_then(|w| w.state().checkpoints.keys().next().cloned())
        {
            self.seat_checkpoint = false;
            if self.checkpoint.is_none() {
                self.open_checkpoint(Some(&first), ctx.world);
            }
        }
        if self.layout_checked.elapsed() >= Duration::from_secs(1) {
            self.layout_checked = std::time::Instant::now();
            self.save_layouts();
        }

        top_bar::show(self, ctx, ui);
        audit::banner(self, ctx, ui);
        status_bar::show(self, ctx, ui);
        timeline::show(self, ctx, ui);
        let mut list_open = self.list_open;
        egui::Panel::left("units_list")
            .resizable(true)
            .default_size(300.0)
            .min_size(220.0)
            .show_collapsible(ui, &mut list_open, |ui| units_list::show(self, ctx, ui));
        self.list_open = list_open;
        egui::Panel::right("alert_queue")
            .resizable(true)
            .default_size(360.0)
            .min_size(260.0)
            .show(ui, |ui| alerts::show(self, ctx, ui));
        egui::CentralPanel::no_frame().show(ui, |ui| {
            if !self.wall_window {
                let wall_width = (ui.available_width() * 0.46).max(400.0);
                egui::Panel::right("video_wall")
                    .resizable(true)
                    .default_size(wall_width)
                    .min_size(280.0)
                    .frame(egui::Frame::new())
                    .show(ui, |ui| wall::show(self, ctx, ui));
            }
            egui::CentralPanel::no_frame().show(ui, |ui| map_panel::show(self, ctx, ui));
        });
        if self.wall_window {
            wall::show_window(self, ctx, ui.ctx());
        }
        help::show(self, ui.ctx());
        search::show(self, ctx, ui.ctx());
        export_dialog::show(self, ctx, ui.ctx());
        problems::show(self, ctx, ui.ctx());
        role_dialog::show(self, ui.ctx());
        audit::cameras_viewed(self, ctx);

        // The clock ticks once a second; nothing else here needs a timer.
        let subsec = Duration::from_millis(u64::from(self.now().timestamp_subsec_millis()));
        ui.ctx()
            .request_repaint_after(Duration::from_secs(1).saturating_sub(subsec));
        std::mem::take(&mut self.commands)
    }

    /// Draws one area alone into `ui` (documentation and test snapshots):
    /// the map, the wall (or the checkpoint view), the alert queue, the
    /// units & cameras list (or the overview), or the timeline.
    pub fn area_ui(&mut self, ui: &mut egui::Ui, area: Area, ctx: &FrameCtx) -> Vec<Command> {
        self.remember(ctx);
        match area {
            Area::Map => map_panel::show(self, ctx, ui),
            Area::Wall => wall::show(self, ctx, ui),
            Area::Alerts => alerts::show(self, ctx, ui),
            Area::Units => units_list::show(self, ctx, ui),
            Area::Timeline => timeline::show(self, ctx, ui),
        }
        std::mem::take(&mut self.commands)
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

    fn handle_shortcuts(&mut self, ctx: &egui::Context) {
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

    /// Gives an area keyboard focus (opening the list if it is the list).
    pub fn focus_area(&mut self, area: Area) {
        if area == Area::Units {
            self.list_open = true;
        }
        self.focus = area;
    }
}

/// Gives the `Ui` that holds a whole area its accessibility label, so screen
/// readers and tests find the area by name.
fn name_area(ui: &egui::Ui, label: &str) {
    let rect = ui.max_rect();
    ui.ctx().accesskit_node_builder(ui.unique_id(), |node| {
        node.set_label(label);
        node.set_role(egui::Role::Region);
        node.set_bounds(egui::accesskit::Rect {
            x0: rect.min.x.into(),
            y0: rect.min.y.into(),
            x1: rect.max.x.into(),
            y1: rect.max.y.into(),
        });
    });
}

/// A heading that names an area, highlighted while the area has focus.
fn area_heading(console: &Console, ui: &mut egui::Ui, area: Area) {
    let focused = console.focus == area;
    let text = egui::RichText::new(console.t(area.title()))
        .heading()
        .strong();
    let text = if focused {
        text.color(theme::FOCUS)
    } else {
        text
    };
    ui.label(text);
}

/// Grey explanatory text for an area that has nothing to show yet.
fn empty_hint(ui: &mut egui::Ui, text: &str) {
    ui.add(egui::Label::new(egui::RichText::new(text).color(theme::TEXT_WEAK)).wrap());
}

/// One legend row: coloured symbol and word.
fn legend_row(console: &Console, ui: &mut egui::Ui, look: theme::StatusLook) {
    ui.horizontal(|ui| {
        ui.label(
            egui::RichText::new(look.symbol)
                .color(look.color)
                .size(20.0),
        );
        ui.label(console.t(look.label));
    });
}

/// Focuses `area` when the primary button is pressed anywhere inside `rect`,
/// without taking the click from the widgets there; draws the focus frame.
fn track_focus(console: &mut Console, ui: &egui::Ui, area: Area, rect: egui::Rect) {
    let pressed_here = ui.input(|i| i.pointer.primary_pressed()) && ui.rect_contains_pointer(rect);
    if pressed_here {
        console.focus = area;
    }
    area::paint_focus(ui, rect, console.focus == area);
}
