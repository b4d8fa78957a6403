//! `watchfloor bench render`: the map as the console draws it (the Astana
//! basemap and the region outlines) with N moving entities drawn offscreen at 1920×1080, each frame timed until the GPU has
//! finished it (and, by default, copied it to host memory — the headless
//! stand-in for presenting), against an empty frame (clear and the same
//! copy) on the same adapter and target in the same run: the floor no map
//! can beat.

use crate::cli::bench::RenderBenchArgs;
use std::time::{Duration, Instant};

use eframe::egui_wgpu::wgpu;
use watchfloor_render::HeadlessRenderer;
use watchfloor_render::map::{Camera, MapGpu, MapStyle, Marker, MarkerShape};

use super::report::{Report, Value, percentile};

const WARM_UP: u32 = 10;
const GPU_WAIT: Duration = Duration::from_secs(60);

/// Runs the benchmark and prints its report.
pub fn run(args: &RenderBenchArgs) -> anyhow::Result<()> {
    let renderer = HeadlessRenderer::new()?;
    let (loaded, geometry) = watchfloor_runtime::map::load(&watchfloor_runtime::paths::asset(
        watchfloor_runtime::paths::ASTANA_BASEMAP,
    )?)
    .map_err(|e| anyhow::anyhow!(e))?;
    let frame = loaded.frame;
    let triangles = (geometry.fill_indices.len() + geometry.line_indices.len()) / 3;
    let camera = Camera {
        centre: frame.scene(watchfloor_layers::site::DEFAULT_ORIGIN),
        zoom: args.zoom,
        rotation: 0.0,
        viewport: [args.size.0 as f32, args.size.1 as f32],
    };
    let mut bench = Offscreen::new(
        renderer.render_state(),
        &geometry,
        camera,
        args.size,
        !args.no_present,
    );
    // Entities spread over the city, each moving along its own heading.
    let mut rng = fastrand::Rng::with_seed(11);
    let mut markers: Vec<Marker> = (0..args.entities)
        .map(|i| Marker {
            pos: [
                rng.f32() * 20_000.0 - 10_000.0,
                rng.f32() * 20_000.0 - 10_000.0,
            ],
            heading_size: [rng.f32() * std::f32::consts::TAU, 8.0],
            color: [0, 158, 115, 255],
            shape: if i % 50 == 0 {
                MarkerShape::Drone as u32
            } else {
                MarkerShape::Unit as u32
            },
        })
        .collect();
    let mut map_ms = Vec::new();
    for f in 0..WARM_UP + args.frames {
        for m in &mut markers {
            let (s, c) = m.heading_size[0].sin_cos();
            m.pos[0] += s * 12.0;
            m.pos[1] += c * 12.0;
        }
        if args.pan {
            // A slow drag: two pixels a frame to the east.
            bench.camera.pan_pixels([2.0, 0.0]);
        }
        let ms = bench.frame(Some(&markers))?;
        if f >= WARM_UP {
            map_ms.push(ms);
        }
    }
    let mut empty_ms = Vec::new();
    for f in 0..WARM_UP + args.frames {
        let ms = bench.frame(None)?;
        if f >= WARM_UP {
            empty_ms.push(ms);
        }
    }
    print_report(
        args,
        renderer.adapter(),
        (triangles, bench.gpu.basemap_renders()),
        &mut map_ms,
        &mut empty_ms,
    );
    Ok(())
}

fn print_report(
    args: &RenderBenchArgs,
    adapter: &watchfloor_render::AdapterSummary,
    (triangles, basemap_renders): (usize, u64),
    map_ms: &mut [f64],
    empty_ms: &mut [f64],
) {
    let p95 = percentile(map_ms, 95.0);
    let empty_p95 = percentile(empty_ms, 95.0);
    let (w, h) = args.size;
    let mut report = Report::new(&format!(
        "bench render: Astana basemap + {} moving entities, {w}×{h}, zoom {}, {} frames",
        args.entities, args.zoom, args.frames
    ));
    report.add("adapter", "adapter", Value::Text(adapter.to_string()));
    report.add(
        "present",
        "frames end with a copy to host memory",
        Value::Text((!args.no_present).to_string()),
    );
    report.add(
        "entities",
        "moving entities",
        Value::Int(u64::from(args.entities)),
    );
    report.add(
        "triangles",
        "basemap triangles",
        Value::Int(triangles as u64),
    );
    report.add(
        "camera_moving",
        "camera panned every frame",
        Value::Text(args.pan.to_string()),
    );
    report.add(
        "basemap_renders",
        "basemap renders into its cache",
        Value::Int(basemap_renders),
    );
    report.add(
        "frame_ms_p50",
        "map frame p50 (ms, GPU finished)",
        Value::Float(percentile(map_ms, 50.0)),
    );
    report.add(
        "frame_ms_p95",
        "map frame p95 (ms, GPU finished)",
        Value::Float(p95),
    );
    report.add(
        "empty_frame_ms_p50",
        "raw: empty frame p50 (ms)",
        Value::Float(percentile(empty_ms, 50.0)),
    );
    report.add(
        "empty_frame_ms_p95",
        "raw: empty frame p95 (ms)",
        Value::Float(empty_p95),
    );
    report.add(
        "frame_ratio",
        "map p95 / empty p95",
        Value::Float(p95 / empty_p95),
    );
    print!("{}", report.table());
    if args.json {
        println!("{}", report.json());
    }
}

/// The map, an offscreen target and the buffer frames are copied into.
struct Offscreen<'a> {
    device: &'a wgpu::Device,
    queue: &'a wgpu::Queue,
    gpu: MapGpu,
    camera: Camera,
    target: wgpu::Texture,
    view: wgpu::TextureView,
    readback: Option<(wgpu::Buffer, u32)>,
}

impl<'a> Offscreen<'a> {
    fn new(
        state: &'a eframe::egui_wgpu::RenderState,
        geometry: &watchfloor_render::map::Geometry,
        camera: Camera,
        (w, h): (u32, u32),
        present: bool,
    ) -> Self {
        let (device, queue) = (&state.device, &state.queue);
        let format = wgpu::TextureFormat::Rgba8Unorm;
        let target = device.create_texture(&wgpu::TextureDescriptor {
            label: Some("bench render target"),
            size: wgpu::Extent3d {
                width: w,
                height: h,
                depth_or_array_layers: 1,
            },
            mip_level_count: 1,
            sample_count: 1,
            dimension: wgpu::TextureDimension::D2,
            format,
            usage: wgpu::TextureUsages::RENDER_ATTACHMENT | wgpu::TextureUsages::COPY_SRC,
            view_formats: &[],
        });
        let row = (w * 4).div_ceil(wgpu::COPY_BYTES_PER_ROW_ALIGNMENT)
            * wgpu::COPY_BYTES_PER_ROW_ALIGNMENT;
        let readback = present.then(|| {
            let buffer = device.create_buffer(&wgpu::BufferDescriptor {
                label: Some("bench present copy"),
                size: u64::from(row) * u64::from(h),
                usage: wgpu::BufferUsages::MAP_READ | wgpu::BufferUsages::COPY_DST,
                mapped_at_creation: false,
            });
            (buffer, row)
        });
        Self {
            device,
            queue,
            gpu: MapGpu::new(device, format, geometry, &MapStyle::default()),
            camera,
            view: target.create_view(&wgpu::TextureViewDescriptor::default()),
            target,
            readback,
        }
    }

    /// One frame (the map with `markers`, or an empty frame), timed until
    /// the GPU has finished it and its copy is in host memory.
    fn frame(&mut self, markers: Option<&[Marker]>) -> anyhow::Result<f64> {
        let started = Instant::now();
        let mut encoder = self
            .device
            .create_command_encoder(&wgpu::CommandEncoderDescriptor {
                label: Some("bench frame"),
            });
        if let Some(m) = markers {
            let size = self.target.size();
            self.gpu.update(
                self.device,
                self.queue,
                &mut encoder,
                &self.camera,
                m,
                [size.width, size.height],
            );
        }
        {
            let mut pass = encoder.begin_render_pass(&wgpu::RenderPassDescriptor {
                label: Some("bench pass"),
                color_attachments: &[Some(wgpu::RenderPassColorAttachment {
                    view: &self.view,
                    resolve_target: None,
                    ops: wgpu::Operations {
                        load: wgpu::LoadOp::Clear(wgpu::Color::BLACK),
                        store: wgpu::StoreOp::Store,
                    },
                    depth_slice: None,
                })],
                ..Default::default()
            });
            if markers.is_some() {
                self.gpu.draw(&mut pass);
            }
        }
        if let Some((buffer, row)) = &self.readback {
            encoder.copy_texture_to_buffer(
                self.target.as_image_copy(),
                wgpu::TexelCopyBufferInfo {
                    buffer,
                    layout: wgpu::TexelCopyBufferLayout {
                        offset: 0,
                        bytes_per_row: Some(*row),
                        rows_per_image: None,
                    },
                },
                self.target.size(),
            );
        }
        let submission = self.queue.submit([encoder.finish()]);
        let wait = wgpu::PollType::Wait {
            submission_index: Some(submission),
            timeout: Some(GPU_WAIT),
        };
        self.device
            .poll(wait)
            .map_err(|e| anyhow::anyhow!("GPU did not finish: {e}"))?;
        if let Some((buffer, _)) = &self.readback {
            // Map the copy so its bytes are really in host memory, then release it.
            let slice = buffer.slice(..);
            slice.map_async(wgpu::MapMode::Read, |_| {});
            let wait = wgpu::PollType::Wait {
                submission_index: None,
                timeout: Some(GPU_WAIT),
            };
            self.device
                .poll(wait)
                .map_err(|e| anyhow::anyhow!("GPU did not finish: {e}"))?;
            std::hint::black_box(slice.get_mapped_range().map(|m| m[0]).ok());
            buffer.unmap();
        }
        Ok(started.elapsed().as_secs_f64() * 1e3)
    }
}
