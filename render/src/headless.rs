//! Draws egui frames into an offscreen texture and reads them back, with no
//! window and no display server: `watchfloor --screenshot`, snapshot tests and
//! render benchmarks all go through here, on whatever adapter wgpu finds
//! (Mesa's lavapipe on a machine without a GPU).

use std::sync::mpsc;
use std::time::Duration;

use crate::{AdapterSummary, RenderError, RgbaImage};

/// How long to wait for the GPU (a software rasteriser is slow, not stuck).
const GPU_WAIT: Duration = Duration::from_secs(20);

/// Bytes per RGBA8 pixel.
const BYTES_PER_PIXEL: u32 = 4;

/// A wgpu device with egui's renderer, drawing into offscreen textures.
pub struct HeadlessRenderer {
    state: egui_wgpu::RenderState,
    adapter: AdapterSummary,
    last: FrameTiming,
    clear: wgpu::Color,
}

/// Where the last [`HeadlessRenderer::render`] spent its time.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct FrameTiming {
    /// Turning egui shapes into triangles, ms.
    pub tessellate_ms: f64,
    /// Texture and buffer uploads, paint-callback preparation (video
    /// uploads, map updates) and recording the pass, ms.
    pub prepare_ms: f64,
    /// From submitting to the pixels in host memory (the rasteriser), ms.
    pub gpu_ms: f64,
}

impl HeadlessRenderer {
    /// Opens the default adapter without a surface.
    pub fn new() -> Result<Self, RenderError> {
        let setup = egui_wgpu::WgpuSetup::CreateNew(
            egui_wgpu::WgpuSetupCreateNew::without_display_handle(),
        );
        let instance = pollster::block_on(setup.new_instance());
        let config = egui_wgpu::WgpuConfiguration {
            wgpu_setup: setup,
            ..Default::default()
        };
        let state = pollster::block_on(egui_wgpu::RenderState::create(
            &config,
            &instance,
            None,
            egui_wgpu::RendererOptions::default(),
        ))
        .map_err(|e| RenderError::NoAdapter(e.to_string()))?;
        let adapter = AdapterSummary::from_info(&state.adapter.get_info());
        tracing::info!(%adapter, "headless renderer ready");
        Ok(Self {
            state,
            adapter,
            last: FrameTiming::default(),
            clear: wgpu::Color::BLACK,
        })
    }

    /// The wgpu device, queue and egui renderer (to install paint-callback
    /// resources such as video tiles).
    pub fn render_state(&self) -> &egui_wgpu::RenderState {
        &self.state
    }

    /// The colour frames are cleared to before egui draws (black unless
    /// set): what a window's clear colour is, so UIs that leave their
    /// background to the clear look the same here.
    pub fn set_clear_color(&mut self, color: egui::Color32) {
        let [r, g, b, a] = if self.state.target_format.is_srgb() {
            egui::Rgba::from(color).to_array()
        } else {
            color.to_normalized_gamma_f32()
        }
        .map(f64::from);
        self.clear = wgpu::Color { r, g, b, a };
    }

    /// Where the last frame's time went.
    pub fn last_timing(&self) -> FrameTiming {
        self.last
    }

    /// The adapter frames are drawn on.
    pub fn adapter(&self) -> &AdapterSummary {
        &self.adapter
    }

    /// Draws one egui frame (`output` of a `Context::run_ui` on `ctx`) and
    /// returns its pixels. Texture changes in `output` are applied first, so
    /// call this for every frame the context produces, not only the last.
    pub fn render(
        &mut self,
        ctx: &egui::Context,
        output: egui::FullOutput,
    ) -> Result<RgbaImage, RenderError> {
        let pixels_per_point = ctx.pixels_per_point();
        let size = ctx.content_rect().size() * pixels_per_point;
        let screen = egui_wgpu::ScreenDescriptor {
            size_in_pixels: [
                size.x.round().max(1.0) as u32,
                size.y.round().max(1.0) as u32,
            ],
            pixels_per_point,
        };
        let device = &self.state.device;
        let queue = &self.state.queue;
        let mut renderer = self.state.renderer.write();

        let egui::FullOutput {
            mut textures_delta,
            shapes,
            ..
        } = output;
        for (id, deltas) in textures_delta.set.drain() {
            for delta in &deltas {
                renderer.update_texture(device, queue, id, delta);
            }
        }
        let started = std::time::Instant::now();
        let primitives = ctx.tessellate(shapes, pixels_per_point);
        let tessellated = std::time::Instant::now();
        let mut encoder = device.create_command_encoder(&wgpu::CommandEncoderDescriptor {
            label: Some("headless egui frame"),
        });
        let callback_buffers =
            renderer.update_buffers(device, queue, &mut encoder, &primitives, &screen);

        let texture = device.create_texture(&wgpu::TextureDescriptor {
            label: Some("headless target"),
            size: wgpu::Extent3d {
                width: screen.size_in_pixels[0],
                height: screen.size_in_pixels[1],
                depth_or_array_layers: 1,
            },
            mip_level_count: 1,
            sample_count: 1,
            dimension: wgpu::TextureDimension::D2,
            format: self.state.target_format,
            usage: wgpu::TextureUsages::RENDER_ATTACHMENT | wgpu::TextureUsages::COPY_SRC,
            view_formats: &[],
        });
        let view = texture.create_view(&wgpu::TextureViewDescriptor::default());
        {
            let mut pass = encoder
                .begin_render_pass(&wgpu::RenderPassDescriptor {
                    label: Some("headless egui pass"),
                    color_attachments: &[Some(wgpu::RenderPassColorAttachment {
                        view: &view,
                        resolve_target: None,
                        ops: wgpu::Operations {
                            load: wgpu::LoadOp::Clear(self.clear),
                            store: wgpu::StoreOp::Store,
                        },
                        depth_slice: None,
                    })],
                    ..Default::default()
                })
                .forget_lifetime();
            renderer.render(&mut pass, &primitives, &screen);
        }
        for id in textures_delta.free.drain() {
            renderer.free_texture(&id);
        }
        drop(renderer);

        let encoder = encoder.finish();
        let prepared = std::time::Instant::now();
        queue.submit(callback_buffers.into_iter().chain([encoder]));
        let image = self.read_back(&texture);
        let ms = |a: std::time::Instant, b: std::time::Instant| (b - a).as_secs_f64() * 1e3;
        self.last = FrameTiming {
            tessellate_ms: ms(started, tessellated),
            prepare_ms: ms(tessellated, prepared),
            gpu_ms: ms(prepared, std::time::Instant::now()),
        };
        image
    }

    /// Copies a texture into a mappable buffer and unpads its rows.
    fn read_back(&self, texture: &wgpu::Texture) -> Result<RgbaImage, RenderError> {
        let (width, height) = (texture.width(), texture.height());
        let unpadded_row = width * BYTES_PER_PIXEL;
        let padded_row = unpadded_row.div_ceil(wgpu::COPY_BYTES_PER_ROW_ALIGNMENT)
            * wgpu::COPY_BYTES_PER_ROW_ALIGNMENT;
        let device = &self.state.device;
        let buffer = device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("headless read-back"),
            size: u64::from(padded_row) * u64::from(height),
            usage: wgpu::BufferUsages::MAP_READ | wgpu::BufferUsages::COPY_DST,
            mapped_at_creation: false,
        });
        let mut encoder = device.create_command_encoder(&wgpu::CommandEncoderDescriptor {
            label: Some("headless read-back"),
        });
        encoder.copy_texture_to_buffer(
            texture.as_image_copy(),
            wgpu::TexelCopyBufferInfo {
                buffer: &buffer,
                layout: wgpu::TexelCopyBufferLayout {
                    offset: 0,
                    bytes_per_row: Some(padded_row),
                    rows_per_image: None,
                },
            },
            texture.size(),
        );
        let submission = self.state.queue.submit([encoder.finish()]);

        let slice = buffer.slice(..);
        let (mapped_tx, mapped_rx) = mpsc::sync_channel(1);
        slice.map_async(wgpu::MapMode::Read, move |result| {
            // The receiver is alive until we read it below.
            let _ = mapped_tx.send(result);
        });
        device
            .poll(wgpu::PollType::Wait {
                submission_index: Some(submission),
                timeout: Some(GPU_WAIT),
            })
            .map_err(|e| RenderError::Gpu(e.to_string()))?;
        mapped_rx
            .recv_timeout(GPU_WAIT)
            .map_err(|e| RenderError::Gpu(format!("read-back never mapped: {e}")))?
            .map_err(|e| RenderError::Gpu(e.to_string()))?;

        let mapped = slice
            .get_mapped_range()
            .map_err(|e| RenderError::Gpu(e.to_string()))?;
        let mut pixels = Vec::with_capacity((unpadded_row * height) as usize);
        for row in mapped.chunks_exact(padded_row as usize) {
            pixels.extend_from_slice(&row[..unpadded_row as usize]);
        }
        Ok(RgbaImage {
            width,
            height,
            pixels,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A real frame on the real adapter: a red square on a blue panel must
    /// come back as those colours where they were drawn.
    #[test]
    fn draws_an_egui_frame_and_reads_back_its_pixels() {
        let mut renderer = HeadlessRenderer::new().expect("an adapter (lavapipe on CI)");
        let ctx = egui::Context::default();
        let input = egui::RawInput {
            screen_rect: Some(egui::Rect::from_min_size(
                egui::Pos2::ZERO,
                egui::vec2(200.0, 100.0),
            )),
            ..Default::default()
        };
        let output = ctx.run_ui(input, |ui| {
            let painter = ui.painter();
            painter.rect_filled(ui.max_rect(), 0.0, egui::Color32::from_rgb(0, 0, 255));
            painter.rect_filled(
                egui::Rect::from_min_size(egui::pos2(10.0, 10.0), egui::vec2(40.0, 40.0)),
                0.0,
                egui::Color32::from_rgb(255, 0, 0),
            );
        });
        let image = renderer.render(&ctx, output).expect("frame");
        assert_eq!((image.width, image.height), (200, 100));
        assert_eq!(image.pixel(30, 30), Some([255, 0, 0, 255]));
        assert_eq!(image.pixel(150, 70), Some([0, 0, 255, 255]));
        assert!(!renderer.adapter().name.is_empty());
    }
}
