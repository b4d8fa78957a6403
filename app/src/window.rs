//! The console in a real window: eframe with the wgpu renderer.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{self, SyncSender};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use anyhow::anyhow;

use crate::compose::station::Station;
use crate::console::theme;
use watchfloor_runtime::camera_set::Cameras;
use watchfloor_runtime::camera_start::{ConfiguredCameras, DemoCameras};

/// The smallest window the layout stays usable in.
const MIN_SIZE: [f32; 2] = [1024.0, 640.0];

/// Opens the console window and runs until it is closed.
pub fn run(
    console: Station,
    demo: bool,
    cameras_file: Option<PathBuf>,
    world: Option<watchfloor_runtime::world::WorldOptions>,
    size: (u32, u32),
    window_shots: Vec<(Duration, PathBuf)>,
) -> anyhow::Result<()> {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Watchfloor")
            .with_app_id("watchfloor")
            .with_inner_size([size.0 as f32, size.1 as f32])
            .with_min_inner_size(MIN_SIZE),
        renderer: eframe::Renderer::Wgpu,
        ..Default::default()
    };
    eframe::run_native(
        "watchfloor",
        options,
        Box::new(move |cc| {
            theme::apply(&cc.egui_ctx);
            let mut console = console;
            if let Some(state) = &cc.wgpu_render_state {
                let adapter =
                    watchfloor_render::AdapterSummary::from_info(&state.adapter.get_info());
                tracing::info!(%adapter, "window renderer ready");
                console.set_gpu(adapter.to_string());
                watchfloor_render::video::install(state);
                console.set_video_ready();
                if let Ok(basemap) =
                    watchfloor_runtime::paths::asset(watchfloor_runtime::paths::ASTANA_BASEMAP)
                {
                    let ctx = cc.egui_ctx.clone();
                    console.attach_map(watchfloor_runtime::map::start_loading(
                        state.clone(),
                        basemap,
                        move || ctx.request_repaint(),
                    )?);
                }
            }
            if let Some(world) = world {
                start_live(&mut console, &cc.egui_ctx, demo, cameras_file, world)?;
            }
            let ctx = cc.egui_ctx.clone();
            console.attach_checks(watchfloor_runtime::startup::start_checks(move || {
                ctx.request_repaint();
            })?);
            let window_shot = (!window_shots.is_empty())
                .then(|| WindowShot::start(window_shots, cc.egui_ctx.clone()))
                .transpose()?;
            Ok(Box::new(ConsoleApp {
                console,
                window_shot,
            }))
        }),
    )
    .map_err(|e| anyhow!("could not open the console window: {e}"))
}

/// Cameras, detection, the chime and the live world, for a console at work.
fn start_live(
    console: &mut Station,
    ctx: &egui::Context,
    demo: bool,
    cameras_file: Option<PathBuf>,
    world: watchfloor_runtime::world::WorldOptions,
) -> anyhow::Result<()> {
    let repaint = {
        let ctx = ctx.clone();
        move || ctx.request_repaint()
    };
    let mut cameras = if demo {
        Cameras::from_demo(DemoCameras::start(repaint.clone())?)
    } else {
        Cameras::default()
    };
    cameras.enable_detection(
        watchfloor_runtime::detection::rules_beside(world.site.as_deref()),
        world.journal.clone(),
        repaint.clone(),
    );
    if let Some(file) = cameras_file {
        cameras.add_configured(ConfiguredCameras::start(
            file,
            world.recordings.clone(),
            repaint.clone(),
        )?);
    }
    console.attach_cameras(cameras);
    match watchfloor_media::chime::Chime::start(watchfloor_media::chime::DEFAULT_SINK) {
        Ok(chime) => console.attach_chime(chime),
        Err(e) => tracing::warn!("critical alerts will not sound: {e}"),
    }
    console.attach_world(watchfloor_runtime::world::LiveWorld::start(world, repaint)?);
    Ok(())
}

struct ConsoleApp {
    console: Station,
    window_shot: Option<WindowShot>,
}

impl eframe::App for ConsoleApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.console.ui(ui);
        if let Some(shot) = &mut self.window_shot {
            shot.poll(ui.ctx());
        }
    }

    fn clear_color(&self, _visuals: &egui::Visuals) -> [f32; 4] {
        theme::BACKGROUND.to_normalized_gamma_f32()
    }
}

/// Saves what the real window shows at given times after start, then
/// closes it after the last: how CI checks that the window opens, draws and
/// moves under Xvfb. Encoding and writing the PNGs happen on their own
/// thread, never on the UI thread.
struct WindowShot {
    /// Shots still to take, soonest first.
    due: std::collections::VecDeque<(Instant, PathBuf)>,
    /// Whether a screenshot is requested and not yet delivered.
    waiting: Arc<std::sync::atomic::AtomicBool>,
    images: Option<SyncSender<(Arc<egui::ColorImage>, PathBuf, bool)>>,
    writer: Option<JoinHandle<()>>,
}

impl WindowShot {
    fn start(mut shots: Vec<(Duration, PathBuf)>, ctx: egui::Context) -> std::io::Result<Self> {
        shots.sort_by_key(|(after, _)| *after);
        // A slot per shot: a shot is never dropped while an earlier one is
        // written; the writer waits until well after the last one is due.
        let capacity = shots.len().max(1);
        let wait =
            shots.last().map_or(Duration::ZERO, |(after, _)| *after) + Duration::from_secs(180);
        let start = Instant::now();
        let due = shots
            .into_iter()
            .map(|(after, path)| (start.checked_add(after).unwrap_or(start), path))
            .collect();
        let (tx, rx) = mpsc::sync_channel::<(Arc<egui::ColorImage>, PathBuf, bool)>(capacity);
        let writer = std::thread::Builder::new()
            .name("window-shot-writer".into())
            .spawn(move || {
                // Bounded: if the window closes before its screenshots, give up.
                while let Ok((image, path, last)) = rx.recv_timeout(wait) {
                    let rgba = watchfloor_render::RgbaImage {
                        width: image.size[0] as u32,
                        height: image.size[1] as u32,
                        pixels: image
                            .pixels
                            .iter()
                            .flat_map(egui::Color32::to_srgba_unmultiplied)
                            .collect(),
                    };
                    match rgba.write_png(&path) {
                        Ok(()) => {
                            tracing::info!(path = %path.display(), "window screenshot written");
                        }
                        Err(e) => tracing::error!("window screenshot failed: {e}"),
                    }
                    if last {
                        ctx.send_viewport_cmd_to(
                            egui::ViewportId::ROOT,
                            egui::ViewportCommand::Close,
                        );
                        return;
                    }
                }
            })?;
        Ok(Self {
            due,
            waiting: Arc::new(std::sync::atomic::AtomicBool::new(false)),
            images: Some(tx),
            writer: Some(writer),
        })
    }

    fn poll(&mut self, ctx: &egui::Context) {
        use std::sync::atomic::Ordering;
        if self.waiting.load(Ordering::Acquire) {
            return;
        }
        let Some((at, _)) = self.due.front() else {
            return;
        };
        let now = Instant::now();
        if now < *at {
            ctx.request_repaint_after(*at - now);
            return;
        }
        let Some((_, path)) = self.due.pop_front() else {
            return;
        };
        let last = self.due.is_empty();
        if let Some(tx) = self.images.clone() {
            let repaint = ctx.clone();
            let waiting = Arc::clone(&self.waiting);
            waiting.store(true, Ordering::Release);
            ctx.request_screenshot(move |image| {
                let _ = tx.try_send((image, path, last));
                waiting.store(false, Ordering::Release);
                repaint.request_repaint();
            });
        }
        if last {
            self.images = None;
        }
    }
}

impl Drop for WindowShot {
    fn drop(&mut self) {
        // Dropping the sender lets an idle writer end before we join it.
        self.images = None;
        if let Some(writer) = self.writer.take()
            && writer.join().is_err()
        {
            tracing::error!("the window screenshot writer panicked");
        }
    }
}
