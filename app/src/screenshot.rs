//! Rendering the console without a window: the same `Station::ui` a window
//! runs, drawn offscreen by `watchfloor-render` and written as PNG. Needs no
//! display server, only a wgpu adapter (Mesa's lavapipe on a GPU-less machine).

use std::path::Path;
use std::time::Duration;

use anyhow::Context as _;
use watchfloor_render::{HeadlessRenderer, RgbaImage};

use crate::compose::station::Station;
use crate::console::theme;

/// Frames run before the one that is kept, so layout, fonts and panel sizes
/// have settled (egui sizes some things from the previous frame).
const SETTLE_FRAMES: u32 = 4;

/// How long to wait for start-up checks so the status bar shows their result.
const CHECKS_TIMEOUT: Duration = Duration::from_secs(20);

/// How long to wait for the basemap to be tessellated and uploaded.
const MAP_TIMEOUT: Duration = Duration::from_secs(60);

/// How long to wait for live cameras (when the demo runs) to show a frame;
/// the first run also encodes the simulator's footage.
const CAMERAS_TIMEOUT: Duration = Duration::from_secs(60);

/// Renders `console` at `size` (pixels) and returns the image and the adapter.
pub fn render_console(
    console: &mut Station,
    size: (u32, u32),
) -> anyhow::Result<(RgbaImage, String)> {
    let mut renderer = HeadlessRenderer::new().context("headless rendering needs a GPU adapter")?;
    renderer.set_clear_color(crate::console::theme::BACKGROUND);
    let adapter = renderer.adapter().to_string();
    console.set_gpu(adapter.clone());
    console.wait_for_checks(CHECKS_TIMEOUT);
    watchfloor_render::video::install(renderer.render_state());
    console.set_video_ready();
    if let Ok(basemap) = watchfloor_runtime::paths::asset(watchfloor_runtime::paths::ASTANA_BASEMAP)
    {
        console.attach_map(watchfloor_runtime::map::start_loading(
            renderer.render_state().clone(),
            basemap,
            || {},
        )?);
        if !console.wait_for_map(MAP_TIMEOUT) {
            tracing::warn!("the basemap was not ready in time; the map shows its placeholder");
        }
    }
    console.cameras_mut().wait_for_frames(CAMERAS_TIMEOUT);

    let ctx = egui::Context::default();
    theme::apply(&ctx);
    let screen =
        egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(size.0 as f32, size.1 as f32));
    let mut merged: Option<egui::FullOutput> = None;
    for frame in 0..=SETTLE_FRAMES {
        let input = egui::RawInput {
            screen_rect: Some(screen),
            time: Some(f64::from(frame) * 0.5),
            predicted_dt: 0.5,
            ..Default::default()
        };
        let output = ctx.run_ui(input, |ui| console.ui(ui));
        if console.console().replay_pending_or_running() {
            // Replay rebuilds the world and decodes pictures on its threads.
            std::thread::sleep(Duration::from_millis(500));
        }
        match merged.as_mut() {
            Some(all) => all.append(output),
            None => merged = Some(output),
        }
    }
    let output = merged.context("no frame was produced")?;
    let image = renderer.render(&ctx, output)?;
    Ok((image, adapter))
}

/// Renders the console and writes it to `path` as PNG.
pub fn write_screenshot(
    console: &mut Station,
    size: (u32, u32),
    path: &Path,
) -> anyhow::Result<()> {
    let (image, adapter) = render_console(console, size)?;
    image.write_png(path)?;
    tracing::info!(path = %path.display(), %adapter, "screenshot written");
    Ok(())
}
