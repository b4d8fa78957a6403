//! One console at work: the [`Console`] and the runtime behind it. Each
//! frame the station takes what arrived (start-up checks, cameras,
//! detection alerts, the basemap, the timeline, prepared answers, an
//! export), reads the world once, hands the console a [`FrameCtx`], and
//! applies the [`Command`]s it returns — the one place they are applied.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use watchfloor_console::modes::Mode;
use watchfloor_console::replay::parse_notes;
use watchfloor_console::{
    CameraSet, Command, Console, ExportAsk, ExportProgress, FeedSummary, FrameCtx, Timeline,
};
use watchfloor_layers::audit::{AuditAction, AuditHealth, AuditTrail, actions_of};
use watchfloor_layers::clock::{now_us, system_time};
use watchfloor_media::chime::Chime;
use watchfloor_media::detect::snapshot::Thumbnail;
use watchfloor_media::readiness::SystemReport;
use watchfloor_render::map::LoadedMap;
use watchfloor_runtime::camera_set::{CameraView, Cameras};
use watchfloor_runtime::export::background::{self, ExportJob};
use watchfloor_runtime::export::package::ExportRequest;
use watchfloor_runtime::map::MapLoader;
use watchfloor_runtime::package::OpenedPackage;
use watchfloor_runtime::prepare::Prepared;
use watchfloor_runtime::startup::StartupChecks;
use watchfloor_runtime::world::LiveWorld;
use watchfloor_runtime::writer::{Writer, read_regular};

/// Requests a repaint (from any thread).
type Repaint = Arc<dyn Fn() + Send + Sync>;

/// The console and everything it asks work of.
pub struct Station {
    console: Console,
    operator: String,
    /// Declared before the world, so detection and players stop first.
    cameras: Cameras,
    timeline: Option<watchfloor_runtime::timeline::Timeline>,
    world: Option<LiveWorld>,
    recordings: Option<PathBuf>,
    map: Option<MapLoader>,
    map_ready: Option<LoadedMap>,
    map_error: Option<String>,
    checks: Option<StartupChecks>,
    system: Option<SystemReport>,
    audit: Option<AuditTrail>,
    audit_health: Option<AuditHealth>,
    chime: Option<Chime>,
    prepared: Prepared,
    export: Option<ExportJob>,
    export_progress: Option<ExportProgress>,
    layouts: Option<Writer>,
    notes: Option<Writer>,
    /// (camera, track, ring) already alerted.
    geofenced: BTreeSet<(String, u64, String)>,
    /// Detection alerts' pictures that arrived this frame.
    thumbnails: Vec<(String, Thumbnail)>,
    camera_set: CameraSet,
    feeds: Option<FeedSummary>,
    video_ready: bool,
    gpu: Option<String>,
    repaint: Option<Repaint>,
}

impl Station {
    /// A station around `console`, with nothing attached yet.
    pub fn new(console: Console, operator: &str) -> Self {
        Self {
            console,
            operator: operator.to_owned(),
            cameras: Cameras::default(),
            timeline: None,
            world: None,
            recordings: None,
            map: None,
            map_ready: None,
            map_error: None,
            checks: None,
            system: None,
            audit: None,
            audit_health: None,
            chime: None,
            prepared: Prepared::default(),
            export: None,
            export_progress: None,
            layouts: None,
            notes: None,
            geofenced: BTreeSet::new(),
            thumbnails: Vec::new(),
            camera_set: CameraSet::default(),
            feeds: None,
            video_ready: false,
            gpu: None,
            repaint: None,
        }
    }

    /// A station around a new console started with `options`.
    pub fn of(options: &watchfloor_console::ConsoleOptions) -> Self {
        Self::new(Console::new(options), &options.operator)
    }

    /// The console.
    pub fn console(&self) -> &Console {
        &self.console
    }

    /// The console, to change.
    pub fn console_mut(&mut self) -> &mut Console {
        &mut self.console
    }

    /// Takes over the live world (units, drones, alerts, feeds, journal).
    pub fn attach_world(&mut self, world: LiveWorld) {
        self.world = Some(world);
    }

    /// The live world, if attached.
    pub fn world(&self) -> Option<&LiveWorld> {
        self.world.as_ref()
    }

    /// Takes over live cameras.
    pub fn attach_cameras(&mut self, cameras: Cameras) {
        self.cameras = cameras;
    }

    /// The cameras.
    pub fn cameras_mut(&mut self) -> &mut Cameras {
        &mut self.cameras
    }

    /// This frame's view of every camera.
    pub fn camera_views(&self) -> &[CameraView] {
        self.cameras.views()
    }

    /// Plays recorded video from `dir` (`<camera>/<start_ms>.mkv`) when
    /// replaying.
    pub fn set_recordings(&mut self, dir: PathBuf) {
        self.recordings = Some(dir);
    }

    /// Takes over the basemap loader (the map draws once it is ready).
    pub fn attach_map(&mut self, map: MapLoader) {
        self.map = Some(map);
    }

    /// Waits (bounded) for the basemap: headless renders only.
    pub fn wait_for_map(&mut self, timeout: Duration) -> bool {
        let ready = self
            .map
            .as_ref()
            .is_some_and(|m| m.wait_done(timeout) && watchfloor_runtime::map::ready(m).is_some());
        self.poll_map();
        ready
    }

    /// Takes over the background start-up checks.
    pub fn attach_checks(&mut self, checks: StartupChecks) {
        self.checks = Some(checks);
    }

    /// Waits (bounded) for the start-up report: headless renders only.
    pub fn wait_for_checks(&mut self, timeout: Duration) {
        if let Some(report) = self.checks.as_mut().and_then(|c| c.wait_take(timeout)) {
            self.system = Some(report);
            self.checks = None;
        }
    }

    /// Records operator actions in `trail` from now on (the role, if
    /// already chosen, first).
    pub fn attach_audit(&mut self, trail: AuditTrail) {
        tracing::info!(log = %trail.path().display(), "operator actions are audited");
        self.audit_health = Some(trail.health());
        self.audit = Some(trail);
        if let Some(role) = self.console.role() {
            self.record(AuditAction::RoleChosen {
                role: role.id().to_owned(),
            });
        }
    }

    /// Whether operator actions reach the audit log.
    pub fn audit_health(&self) -> Option<AuditHealth> {
        self.audit.as_ref().map(AuditTrail::health)
    }

    /// Sounds `chime` for new critical alerts (while sound is on).
    pub fn attach_chime(&mut self, chime: Chime) {
        self.chime = Some(chime);
    }

    /// Marks the video tile renderer as installed on the wgpu renderer in use.
    pub fn set_video_ready(&mut self) {
        self.video_ready = true;
    }

    /// Sets the GPU adapter description shown in the status bar.
    pub fn set_gpu(&mut self, description: String) {
        self.gpu = Some(description);
    }

    /// Keeps layouts in `dir/layouts.json`: the saved ones are used now
    /// (the last mode unless one was asked for) and changes are written
    /// back off the UI thread.
    pub fn keep_layouts(&mut self, dir: &Path, mode: Option<Mode>) {
        let path = dir.join("layouts.json");
        let text = match read_regular(&path) {
            Ok(text) => text,
            Err(e) => {
                tracing::error!(file = %path.display(), "cannot read ({e}); using the default layouts");
                None
            }
        };
        match Writer::replacing("layout-writer", path.clone()) {
            Ok(writer) => {
                tracing::info!(file = %path.display(), "layouts kept here");
                self.console.keep_layouts(text.as_deref(), &path, mode);
                self.layouts = Some(writer);
            }
            Err(e) => tracing::error!(dir = %dir.display(), "layouts cannot be kept: {e}"),
        }
    }

    /// Trains on an opened incident package: its world, its clips, its
    /// notes (kept in the package's `notes.jsonl`), replay only.
    pub fn train_on(&mut self, opened: OpenedPackage) {
        let path = opened
            .dir
            .join(watchfloor_runtime::export::manifest::TRAINER_NOTES);
        let notes = match read_regular(&path) {
            Ok(text) => parse_notes(text.as_deref().unwrap_or_default(), &path),
            Err(e) => {
                tracing::error!("trainer notes cannot be read: {e}");
                Vec::new()
            }
        };
        match Writer::appending("notes-writer", path) {
            Ok(w) => self.notes = Some(w),
            Err(e) => tracing::error!("trainer notes cannot be saved: {e}"),
        }
        self.attach_world(LiveWorld::offline(&opened.journal, opened.origin));
        self.set_recordings(opened.clips);
        self.console
            .open_package(opened.from_us, opened.to_us, opened.dir, notes);
    }

    /// What the last export from the dialog came to (`None`: none yet, or
    /// still running): the package's summary, or why it failed.
    pub fn export_outcome(&self) -> Option<Result<&str, &str>> {
        match self.export_progress.as_ref()?.outcome.as_ref()? {
            Ok(s) => Some(Ok(s)),
            Err(e) => Some(Err(e)),
        }
    }

    /// Every problem the console knows of.
    pub fn problems(&mut self) -> Vec<watchfloor_console::problems::Problem> {
        self.poll_parts();
        let world = self.world.as_ref().map(LiveWorld::world);
        let status = self.world.as_ref().map(LiveWorld::status);
        let ctx = FrameCtx {
            world: world.as_deref(),
            cameras: self.cameras.views(),
            world_status: status.as_ref(),
            feeds: self.feeds.as_ref(),
            audit: self.audit_health.as_ref(),
            ..FrameCtx::empty(&self.camera_set)
        };
        self.console.problems(&ctx)
    }

    /// How old the picture on each visible wall tile is now.
    pub fn wall_frame_ages(&self) -> Vec<Duration> {
        let ctx = FrameCtx {
            cameras: self.cameras.views(),
            ..FrameCtx::empty(&self.camera_set)
        };
        self.console.wall_frame_ages(&ctx)
    }

    /// One frame: takes what arrived, draws the console, applies what the
    /// operator asked for.
    pub fn ui(&mut self, ui: &mut egui::Ui) {
        self.frame(ui, None);
    }

    /// One area alone (documentation and test snapshots).
    pub fn area_ui(&mut self, ui: &mut egui::Ui, area: watchfloor_console::area::Area) {
        self.frame(ui, Some(area));
    }

    fn frame(&mut self, ui: &mut egui::Ui, area: Option<watchfloor_console::area::Area>) {
        if self.repaint.is_none() {
            let ctx = ui.ctx().clone();
            self.repaint = Some(Arc::new(move || ctx.request_repaint()));
            if let Some(r) = self.repaint.clone() {
                self.prepared = Prepared::new(move || r());
            }
        }
        self.poll_parts();
        self.forward_detection();
        let commands = {
            let world = self.world.as_ref().map(LiveWorld::world);
            let replaying = self.world.as_ref().is_some_and(LiveWorld::replaying);
            let live = self
                .world
                .as_ref()
                .filter(|_| replaying)
                .map(LiveWorld::live_world);
            let status = self.world.as_ref().map(LiveWorld::status);
            let notices = self
                .world
                .as_ref()
                .map(LiveWorld::notices)
                .unwrap_or_default();
            let ctx = FrameCtx {
                world: world.as_deref(),
                live: live.as_deref(),
                cameras: self.cameras.views(),
                camera_set: &self.camera_set,
                map: self.map_ready.as_ref(),
                map_error: self.map_error.as_deref(),
                system: self.system.as_ref(),
                world_status: status.as_ref(),
                feeds: self.feeds.as_ref(),
                notices: &notices,
                timeline: Timeline {
                    ready: self.timeline.is_some(),
                    start: self
                        .timeline
                        .as_ref()
                        .and_then(watchfloor_runtime::timeline::Timeline::start_us),
                    marks: self
                        .timeline
                        .as_ref()
                        .map(watchfloor_runtime::timeline::Timeline::marks)
                        .unwrap_or_default(),
                },
                reach: self.prepared.reach(),
                suggestions: self.prepared.suggestions(),
                thumbnails: &self.thumbnails,
                audit: self.audit_health.as_ref(),
                export: self.export_progress.as_ref(),
                video_ready: self.video_ready,
                gpu: self.gpu.as_deref(),
                chime: self.chime.is_some(),
            };
            match area {
                None => self.console.ui(ui, &ctx),
                Some(area) => self.console.area_ui(ui, area, &ctx),
            }
        };
        self.thumbnails.clear();
        for command in commands {
            self.apply(command);
        }
    }

    /// Takes what arrived since the last frame; never blocks.
    fn poll_parts(&mut self) {
        if let Some(report) = self.checks.as_mut().and_then(StartupChecks::try_take) {
            self.system = Some(report);
            self.checks = None;
        }
        self.poll_map();
        self.cameras.poll();
        if let Some(world) = &self.world
            && self.cameras.views().iter().any(|v| v.lonlat.is_none())
        {
            self.cameras.place_from_site(&world.world().state().cameras);
        }
        self.camera_set = CameraSet {
            starting: self.cameras.is_starting(),
            error: self.cameras.error().map(str::to_owned),
            config_errors: self.cameras.config_errors().to_vec(),
            detection: self.cameras.detection_state(),
        };
        if self.timeline.is_none()
            && let Some(world) = &self.world
        {
            let repaint = self.repaint.clone();
            self.timeline = watchfloor_runtime::timeline::Timeline::start(
                world,
                self.recordings.clone(),
                move || {
                    if let Some(r) = &repaint {
                        r();
                    }
                },
            );
        }
        if let Some(t) = &mut self.timeline {
            t.refresh();
        }
        self.prepared.poll();
        self.poll_export();
        self.feeds = self
            .world
            .as_ref()
            .and_then(LiveWorld::feed_stats)
            .map(|s| FeedSummary {
                cot: s.total("cot/"),
                mavlink: s.total("mavlink/"),
                skews: s.clock_skews(),
            });
        self.audit_health = self.audit.as_ref().map(AuditTrail::health);
    }

    fn poll_map(&mut self) {
        if self.map_ready.is_none()
            && let Some(m) = &self.map
        {
            self.map_ready = watchfloor_runtime::map::ready(m);
            self.map_error = watchfloor_runtime::map::error(m);
        }
    }

    /// Detection alerts become world events (journaled, with evidence);
    /// their pictures go to the alert cards; geofences drawn on the map
    /// apply to every camera with a ground homography.
    fn forward_detection(&mut self) {
        let alerts = self.cameras.drain_detection_alerts();
        let Some(world) = &self.world else {
            return;
        };
        for alert in alerts {
            let camera = self.cameras.views().iter().find(|v| v.id == alert.camera);
            match watchfloor_runtime::detection::forward_alert(world, &alert, camera) {
                Ok(id) => {
                    if let Some(t) = alert.thumbnail {
                        self.thumbnails.push((id, t));
                    }
                }
                Err(e) => {
                    tracing::error!(camera = %alert.camera, rule = %alert.rule, "detection alert not recorded: {e}");
                }
            }
        }
        for (camera, track, ring) in watchfloor_runtime::detection::geofence_hits(
            world,
            &self.cameras.live_views(),
            &mut self.geofenced,
        ) {
            tracing::info!(%camera, track, %ring, "tracked object inside an emergency ring");
        }
    }

    /// Appends an action to the audit trail (never waits).
    fn record(&self, action: AuditAction) {
        if let Some(trail) = &self.audit {
            trail.record(
                now_us(),
                &self.operator,
                self.console.role().map(watchfloor_layers::access::Role::id),
                action,
            );
        }
    }

    /// Applies one command.
    fn apply(&mut self, command: Command) {
        match command {
            Command::Act(events) => self.act(events),
            Command::Audit(action) => self.record(action),
            Command::Chime => {
                if let Some(chime) = &self.chime {
                    chime.ring();
                }
            }
            Command::StartReplay => {
                if let Some(world) = &self.world {
                    world.set_replaying(true);
                }
                if let (Some(dir), Some(repaint)) = (&self.recordings, &self.repaint) {
                    self.cameras.start_replay(dir, repaint);
                }
            }
            Command::ReplayAt { at, on_screen } => {
                if let Some(t) = &self.timeline {
                    t.seek(at);
                }
                self.cameras.show_recorded(system_time(at), &on_screen);
            }
            Command::GoLive => {
                if let Some(world) = &self.world {
                    world.set_replaying(false);
                }
                self.cameras.stop_replay();
            }
            Command::SaveLayouts(text) => {
                if let Some(w) = &mut self.layouts
                    && let Err(e) = w.send(text)
                {
                    tracing::warn!("{e}");
                }
            }
            Command::AppendNote(line) => {
                if let Some(w) = &mut self.notes
                    && let Err(e) = w.send(line)
                {
                    tracing::error!("note not saved: {e}");
                }
            }
            Command::SetPriorities(list) => {
                let by_id: std::collections::HashMap<String, _> = list.into_iter().collect();
                self.cameras
                    .set_priorities(|_, id| by_id.get(id).copied().unwrap_or_default());
            }
            Command::WantReach { alert, lonlat } => {
                if let Some(world) = &self.world {
                    self.prepared.want_reach(world, &alert, lonlat);
                }
            }
            Command::WantSuggestions { alert } => {
                if let Some(world) = &self.world {
                    self.prepared.want_suggestions(world, &alert);
                }
            }
            Command::Export(ask) => self.start_export(ask),
        }
    }

    /// An operator's events go to the live world; what it took is audited.
    fn act(&mut self, events: Vec<watchfloor_layers::event::Event>) {
        let Some(world) = &self.world else {
            return;
        };
        let mut applied = Vec::new();
        for event in events {
            match world.submit(event.clone(), &self.operator) {
                Ok(()) => applied.push(event),
                Err(e) => tracing::error!("operator action not applied: {e}"),
            }
        }
        for action in actions_of(&applied) {
            self.record(action);
        }
    }

    /// Starts the export the dialog asked for (one at a time).
    fn start_export(&mut self, ask: ExportAsk) {
        if self.export.is_some() {
            return;
        }
        let journal = self.world.as_ref().and_then(LiveWorld::journal);
        let Some(journal) = journal else {
            self.export_progress = Some(ExportProgress {
                running: false,
                outcome: Some(Err(
                    "no journal to export from: this console runs without one".into(),
                )),
            });
            return;
        };
        let request = ExportRequest {
            from_us: ask.from_us,
            to_us: ask.to_us,
            out: ask.out,
            recordings: self.recordings.clone().unwrap_or_default(),
            cameras: Vec::new(),
            redact: ask.lifted.is_none(),
            privacy: self.console.privacy().clone(),
            origin: self.world.as_ref().map(|w| w.live_world().frame().origin()),
        };
        if let Some(reason) = &ask.lifted {
            self.record(AuditAction::RedactionLifted {
                scope: format!("export {}", request.out.display()),
                reason: reason.clone(),
            });
        }
        let repaint = self.repaint.clone();
        match background::start(request, journal, move || {
            if let Some(r) = repaint {
                r();
            }
        }) {
            Ok(job) => {
                self.export = Some(job);
                self.export_progress = Some(ExportProgress {
                    running: true,
                    outcome: None,
                });
            }
            Err(e) => {
                self.export_progress = Some(ExportProgress {
                    running: false,
                    outcome: Some(Err(e.to_string())),
                });
            }
        }
    }

    fn poll_export(&mut self) {
        let Some(outcome) = self.export.as_mut().and_then(ExportJob::try_take) else {
            return;
        };
        self.export = None;
        let shown = match outcome {
            Ok(done) => {
                // Audited once the package exists and verifies.
                self.record(done.action);
                Ok(done.summary)
            }
            Err(e) => Err(e),
        };
        self.export_progress = Some(ExportProgress {
            running: false,
            outcome: Some(shown),
        });
    }
}

impl Drop for Station {
    /// What the operator asked for last is applied, and the layout as left
    /// is kept (the writer writes it as it closes).
    fn drop(&mut self) {
        for command in self.console.take_commands() {
            self.apply(command);
        }
        if let Some(text) = self.console.changed_layouts()
            && let Some(w) = &mut self.layouts
            && let Err(e) = w.send(text)
        {
            tracing::error!("layouts not saved: {e}");
        }
    }
}
