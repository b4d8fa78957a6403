//! The console in a real window: eframe with the wgpu renderer.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{self, SyncSender};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use anyhow::anyhow;

use crate::console::cameras::Cameras;
use crate::console::{Console, theme};
use crate::wiring::cameras::{ConfiguredCameras, DemoCameras};
use crate::wiring::startup::StartupChecks;

/// The smallest window the layout stays usable in.
const MIN_SIZE: [f32; 2] = [1024.0, 640.0];

/// Opens the console window and runs until it is closed.
pub fn run(
    console: Console,
    demo: bool,
    cameras_file: Option<PathBuf>,
    world: crate::wiring::world::WorldOptions,
    size: (u32, u32),
    window_shot: Option<(Duration, PathBuf)>,
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
                if let Ok(basemap) = crate::sim_world::asset(crate::sim_world::ASTANA_BASEMAP) {
                    let ctx = cc.egui_ctx.clone();
                    console.attach_map(crate::wiring::map::MapLoader::start(
                        state.clone(),
                        basemap,
                        move || ctx.request_repaint(),
                    )?);
                }
            }
            let ctx = cc.egui_ctx.clone();
            let repaint = move || ctx.request_repaint();
            let mut cameras = if demo {
                Cameras::from_demo(DemoCameras::start(repaint.clone())?)
            } else {
                Cameras::default()
            };
            let ctx = cc.egui_ctx.clone();
            cameras.enable_detection(
                crate::wiring::detection::rules_beside(world.site.as_deref()),
                world.journal.clone(),
                move || ctx.request_repaint(),
            );
            if let Some(file) = cameras_file {
                cameras.add_configured(ConfiguredCameras::start(file, repaint)?);
            }
            console.attach_cameras(cameras);
            let ctx = cc.egui_ctx.clone();
            console.attach_world(crate::wiring::world::LiveWorld::start(world, move || {
                ctx.request_repaint();
            })?);
            let ctx = cc.egui_ctx.clone();
            console.attach_checks(StartupChecks::spawn(move || ctx.request_repaint())?);
            let window_shot = window_shot
                .map(|(after, path)| WindowShot::start(after, path, cc.egui_ctx.clone()))
                .transpose()?;
            Ok(Box::new(ConsoleApp {
                console,
                window_shot,
            }))
        }),
    )
    .map_err(|e| anyhow!("could not open the console window: {e}"))
}

struct ConsoleApp {
    console: Console,
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
        theme::CANVAS_FILL.to_normalized_gamma_f32()
    }
}

/// Saves what the real window shows after a delay, then closes it: how CI
/// checks that the window opens and draws under Xvfb. Encoding and writing the
/// PNG happen on their own thread, never on the UI thread.
struct WindowShot {
    due: Instant,
    requested: bool,
    images: Option<SyncSender<Arc<egui::ColorImage>>>,
    writer: Option<JoinHandle<()>>,
}

impl WindowShot {
    fn start(after: Duration, path: PathBuf, ctx: egui::Context) -> std::io::Result<Self> {
        let (tx, rx) = mpsc::sync_channel::<Arc<egui::ColorImage>>(1);
        let writer = std::thread::Builder::new()
            .name("window-shot-writer".into())
            .spawn(move || {
                // Bounded: if the window closes before its screenshot, give up.
                let Ok(image) = rx.recv_timeout(Duration::from_secs(120)) else {
                    return;
                };
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
                    Ok(()) => tracing::info!(path = %path.display(), "window screenshot written"),
                    Err(e) => tracing::error!("window screenshot failed: {e}"),
                }
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            })?;
        Ok(Self {
            due: Instant::now()
                .checked_add(after)
                .unwrap_or_else(Instant::now),
            requested: false,
            images: Some(tx),
            writer: Some(writer),
        })
    }

    fn poll(&mut self, ctx: &egui::Context) {
        if self.requested {
            return;
        }
        let now = Instant::now();
        if now < self.due {
            ctx.request_repaint_after(self.due - now);
            return;
        }
        self.requested = true;
        if let Some(tx) = self.images.take() {
            let repaint = ctx.clone();
            ctx.request_screenshot(move |image| {
                let _ = tx.try_send(image);
                repaint.request_repaint();
            });
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
