//! The console as one window: a thin shell that lays its panels out, gives
//! each the shared seat and the frame, and hands back their commands.

use std::time::Duration;

use crate::area::Area;
use crate::command::Command;
use crate::frame::FrameCtx;
use crate::i18n::Lang;
use crate::seat::{ConsoleOptions, ListTab, Seat};
use crate::{
    alerts, audit, export_dialog, help, map_panel, modes, problems, replay, role_dialog, search,
    status_bar, timeline, top_bar, units_list, wall,
};

/// The console: the shared seat and every panel.
pub struct Console {
    seat: Seat,
    top_bar: top_bar::TopBar,
    banner: audit::AuditBanner,
    status: status_bar::StatusBar,
    timeline: timeline::TimelinePanel,
    units: units_list::UnitsList,
    alerts: alerts::AlertQueue,
    wall: wall::WallPanel,
    map: map_panel::MapPanel,
    help: help::HelpWindow,
    search: search::SearchWindow,
    export: export_dialog::ExportWindow,
    problems: problems::ProblemsWindow,
    role: role_dialog::RoleDialog,
}

impl Console {
    /// A console in its initial state.
    pub fn new(options: &ConsoleOptions) -> Self {
        Self {
            seat: Seat::new(options),
            top_bar: top_bar::TopBar,
            banner: audit::AuditBanner,
            status: status_bar::StatusBar,
            timeline: timeline::TimelinePanel::default(),
            units: units_list::UnitsList,
            alerts: alerts::AlertQueue::default(),
            wall: wall::WallPanel::default(),
            map: map_panel::MapPanel::default(),
            help: help::HelpWindow,
            search: search::SearchWindow::default(),
            export: export_dialog::ExportWindow::default(),
            problems: problems::ProblemsWindow,
            role: role_dialog::RoleDialog,
        }
    }

    /// What the panels share (read).
    pub fn seat(&self) -> &Seat {
        &self.seat
    }

    /// What the panels share (to change, as the panels do).
    pub fn seat_mut(&mut self) -> &mut Seat {
        &mut self.seat
    }

    /// Builds one frame of the whole console into `ui` from `ctx`, and
    /// returns what the operator asked for.
    pub fn ui(&mut self, ui: &mut egui::Ui, ctx: &FrameCtx) -> Vec<Command> {
        let seat = &mut self.seat;
        self.alerts.take_pictures(ui.ctx(), ctx);
        seat.begin_frame(ui.ctx(), ctx);
        let mut out = seat.take_commands();
        out.extend(self.top_bar.ui(seat, ctx, ui));
        out.extend(self.banner.ui(seat, ctx, ui));
        out.extend(self.status.ui(seat, ctx, ui));
        out.extend(self.timeline.ui(seat, ctx, ui));
        let mut list_open = seat.list_open;
        let units = &mut self.units;
        egui::Panel::left("units_list")
            .resizable(true)
            .default_size(300.0)
            .min_size(220.0)
            .show_collapsible(ui, &mut list_open, |ui| out.extend(units.ui(seat, ctx, ui)));
        seat.list_open = list_open;
        let alerts = &mut self.alerts;
        egui::Panel::right("alert_queue")
            .resizable(true)
            .default_size(360.0)
            .min_size(260.0)
            .show(ui, |ui| out.extend(alerts.ui(seat, ctx, ui)));
        let (wall, map) = (&mut self.wall, &mut self.map);
        egui::CentralPanel::no_frame().show(ui, |ui| {
            if !seat.wall_window {
                let wall_width = (ui.available_width() * 0.46).max(400.0);
                egui::Panel::right("video_wall")
                    .resizable(true)
                    .default_size(wall_width)
                    .min_size(280.0)
                    .frame(egui::Frame::new())
                    .show(ui, |ui| out.extend(wall.ui(seat, ctx, ui)));
            }
            egui::CentralPanel::no_frame().show(ui, |ui| out.extend(map.ui(seat, ctx, ui)));
        });
        if seat.wall_window {
            out.extend(self.wall.window(seat, ctx, ui.ctx()));
        }
        out.extend(self.help.ui(seat, ui.ctx()));
        out.extend(self.search.ui(seat, ctx, ui.ctx()));
        out.extend(self.export.ui(seat, ctx, ui.ctx()));
        out.extend(self.problems.ui(seat, ctx, ui.ctx()));
        out.extend(self.role.ui(seat, ui.ctx()));
        audit::cameras_viewed(seat, ctx);
        out.extend(seat.take_commands());

        // The clock ticks once a second; nothing else here needs a timer.
        let subsec = Duration::from_millis(u64::from(seat.now().timestamp_subsec_millis()));
        ui.ctx()
            .request_repaint_after(Duration::from_secs(1).saturating_sub(subsec));
        out
    }

    /// Draws one area alone into `ui` (documentation and test snapshots):
    /// the map, the wall (or the checkpoint view), the alert queue, the
    /// units & cameras list (or the overview), or the timeline.
    pub fn area_ui(&mut self, ui: &mut egui::Ui, area: Area, ctx: &FrameCtx) -> Vec<Command> {
        let seat = &mut self.seat;
        self.alerts.take_pictures(ui.ctx(), ctx);
        seat.remember(ctx);
        let mut out = seat.take_commands();
        out.extend(match area {
            Area::Map => self.map.ui(seat, ctx, ui),
            Area::Wall => self.wall.ui(seat, ctx, ui),
            Area::Alerts => self.alerts.ui(seat, ctx, ui),
            Area::Units => self.units.ui(seat, ctx, ui),
            Area::Timeline => self.timeline.ui(seat, ctx, ui),
        });
        out
    }

    /// Every problem the console knows of (what its problems window lists).
    pub fn problems(&self, ctx: &FrameCtx) -> Vec<problems::Problem> {
        problems::collect(&self.seat, ctx)
    }

    /// Sets the map's zoom (0 = the world in 256 px; ~12 a city, ~16 a street).
    pub fn set_map_zoom(&mut self, zoom: f64) {
        self.map.set_zoom(zoom);
    }

    /// Opens the export dialog for the five minutes either side of the
    /// instant shown.
    pub fn open_export(&mut self) {
        self.seat.open_export();
    }

    /// Opens the export dialog filled in for `from_us..=to_us` into `out`.
    pub fn open_export_for(&mut self, from_us: i64, to_us: i64, out: &std::path::Path) {
        self.seat.open_export_for(from_us, to_us, out);
    }
}

/// `pub fn name(&self, args) -> T` on the console, answered by the seat.
macro_rules! ask_seat {
    ($($(#[$doc:meta])* fn $name:ident(&self $(, $arg:ident: $ty:ty)*) -> $ret:ty;)*) => {
        impl Console {
            $($(#[$doc])* pub fn $name(&self $(, $arg: $ty)*) -> $ret { self.seat.$name($($arg),*) })*
        }
    };
}

/// `pub fn name(&mut self, args)` on the console, done by the seat.
macro_rules! tell_seat {
    ($($(#[$doc:meta])* fn $name:ident(&mut self $(, $arg:ident: $ty:ty)*) $(-> $ret:ty)?;)*) => {
        impl Console {
            $($(#[$doc])* pub fn $name(&mut self $(, $arg: $ty)*) $(-> $ret)? { self.seat.$name($($arg),*) })*
        }
    };
}

ask_seat! {
    /// Who is at the console, once chosen.
    fn role(&self) -> Option<modes::Role>;
    /// The role offered first at start (the last one chosen).
    fn last_role(&self) -> Option<modes::Role>;
    /// Whether the operator's role allows `action` (never in replay).
    fn may(&self, action: modes::Action) -> bool;
    /// The operating mode now.
    fn mode(&self) -> modes::Mode;
    /// The arrangement on screen now, as a mode's layout.
    fn capture_layout(&self) -> modes::Layout;
    /// The privacy policy camera pictures are shown under.
    fn privacy(&self) -> &watchfloor_media::detect::privacy::PrivacyPolicy;
    /// The language the console speaks now.
    fn lang(&self) -> Lang;
    /// The area that has keyboard focus.
    fn focus(&self) -> Area;
    /// Whether the units & cameras list is shown.
    fn list_open(&self) -> bool;
    /// Whether the shortcut help is open.
    fn help_open(&self) -> bool;
    /// The checkpoint shown in place of the wall, if any.
    fn checkpoint(&self) -> Option<&str>;
    /// The alert selected in the queue, if any.
    fn selected_alert(&self) -> Option<&str>;
    /// Where the map will centre on its next frame (after a selection).
    fn map_centre_request(&self) -> Option<[f64; 2]>;
    /// How old the picture on each visible wall tile is now.
    fn wall_frame_ages(&self, ctx: &FrameCtx) -> Vec<Duration>;
    /// Whether the wall is in its own window.
    fn wall_in_own_window(&self) -> bool;
    /// The video wall's layout and placements.
    fn wall(&self) -> &wall::WallState;
    /// Whether replay is starting or running.
    fn replay_pending_or_running(&self) -> bool;
    /// The instant replayed (Unix µs), or `None` when live.
    fn replay_at(&self) -> Option<i64>;
    /// Whether replay is playing (not paused).
    fn replay_playing(&self) -> bool;
    /// Bookmarks and trainer notes, oldest first.
    fn bookmarks(&self) -> &[replay::Bookmark];
}

tell_seat! {
    /// Uses the layouts kept in `layouts.json` (see [`Seat::keep_layouts`]).
    fn keep_layouts(&mut self, text: Option<&str>, source: &std::path::Path, mode: Option<modes::Mode>);
    /// Sets who is at the console: a supervisor starts on a checkpoint.
    fn set_role(&mut self, role: modes::Role);
    /// Switches the operating mode.
    fn switch_mode(&mut self, mode: modes::Mode);
    /// The text of `layouts.json` if kept and changed since last handed out.
    fn changed_layouts(&mut self) -> Option<String>;
    /// Paints these privacy masks over their cameras' pictures.
    fn set_privacy(&mut self, policy: watchfloor_media::detect::privacy::PrivacyPolicy);
    /// Opens the problems window (as the status bar's button does).
    fn open_problems(&mut self);
    /// Shows a fixed time instead of the system clock.
    fn freeze_clock(&mut self, at: chrono::DateTime<chrono::FixedOffset>);
    /// Switches the language at run time.
    fn set_lang(&mut self, lang: Lang);
    /// Selects an alert (a second time: clears the selection).
    fn select_alert(&mut self, id: &str, ctx: &FrameCtx);
    /// Shows checkpoint `id` in place of the wall (`None`: the wall again).
    fn open_checkpoint(&mut self, id: Option<&str>, world: Option<&watchfloor_layers::world::World>);
    /// Sets the wall's layout: `side` × `side` tiles (1 to 6).
    fn set_wall_side(&mut self, side: usize);
    /// Commands given outside a frame, for the program to apply.
    fn take_commands(&mut self) -> Vec<Command>;
    /// Shows a tab of the units & cameras list.
    fn set_list_tab(&mut self, tab: ListTab);
    /// Gives an area keyboard focus.
    fn focus_area(&mut self, area: Area);
    /// Replays the recorded past from `at_us` (paused).
    fn enter_replay(&mut self, at_us: i64);
    /// Trains on an incident package's span (replay only).
    fn open_package(&mut self, from_us: i64, to_us: i64, package: std::path::PathBuf, notes: Vec<replay::Bookmark>);
    /// Back to live (not for an incident package).
    fn go_live(&mut self);
    /// Plays or pauses replay.
    fn set_replay_playing(&mut self, playing: bool);
    /// Sets the playback speed.
    fn set_replay_speed(&mut self, speed: f32);
    /// Moves the replay by `frames` camera frames (paused).
    fn step_frames(&mut self, frames: i64);
    /// Jumps to the next (`forward`) or previous timeline mark.
    fn step_event(&mut self, forward: bool);
    /// Marks the instant shown (or now, live) with `text`.
    fn add_bookmark(&mut self, text: &str);
}
