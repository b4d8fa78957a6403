//! Video tiles: decoded frames go to the GPU as they are (planar I420 or
//! NV12, one texture per plane) and a shader converts them to RGB while
//! drawing, inside egui through a paint callback. No RGB conversion on the
//! CPU; a tile's textures are re-uploaded only when its frame changed.
//!
//! This module takes plain pixel planes through [`YuvFrame`]: it knows
//! nothing of where frames come from.

use std::collections::HashMap;
use std::sync::Arc;

use egui_wgpu::wgpu;

/// Planar layouts the shader converts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum YuvLayout {
    /// Y, U, V planes; U and V at half width and height.
    I420,
    /// Y plane and one interleaved UV plane at half width and height.
    Nv12,
}

/// A frame the tile renderer can upload.
pub trait YuvFrame: Send + Sync + 'static {
    /// Width in pixels.
    fn width(&self) -> u32;
    /// Height in pixels.
    fn height(&self) -> u32;
    /// Plane layout.
    fn layout(&self) -> YuvLayout;
    /// Bytes of plane `i` (0 = luma).
    fn plane(&self, i: usize) -> &[u8];
    /// Bytes per row of plane `i`.
    fn stride(&self, i: usize) -> usize;
}

/// Creates the pipeline once; call when the wgpu render state exists.
pub fn install(render_state: &egui_wgpu::RenderState) {
    let resources = VideoResources::new(&render_state.device, render_state.target_format);
    render_state
        .renderer
        .write()
        .callback_resources
        .insert(resources);
}

/// A paint callback that draws `frame` into `rect` as tile `tile`. `frame_id`
/// must change when the frame does (e.g. its sequence number).
pub fn tile_callback(
    rect: egui::Rect,
    tile: u64,
    frame_id: u64,
    frame: Arc<dyn YuvFrame>,
) -> egui::PaintCallback {
    egui_wgpu::Callback::new_paint_callback(
        rect,
        TileCallback {
            tile,
            frame_id,
            frame,
        },
    )
}

struct TileCallback {
    tile: u64,
    frame_id: u64,
    frame: Arc<dyn YuvFrame>,
}

struct TileTextures {
    size: (u32, u32),
    layout: YuvLayout,
    planes: Vec<wgpu::Texture>,
    bind_group: wgpu::BindGroup,
    frame_id: u64,
}

struct VideoResources {
    pipeline: wgpu::RenderPipeline,
    layout: wgpu::BindGroupLayout,
    sampler: wgpu::Sampler,
    /// Whether the target is sRGB-encoded (the shader then writes linear values).
    linear_output: bool,
    tiles: HashMap<u64, TileTextures>,
}

const SHADER: &str = include_str!("shaders/yuv.wgsl");

impl VideoResources {
    fn new(device: &wgpu::Device, target: wgpu::TextureFormat) -> Self {
        let shader = device.create_shader_module(wgpu::ShaderModuleDescriptor {
            label: Some("yuv tile shader"),
            source: wgpu::ShaderSource::Wgsl(SHADER.into()),
        });
        let texture_entry = |binding| wgpu::BindGroupLayoutEntry {
            binding,
            visibility: wgpu::ShaderStages::FRAGMENT,
            ty: wgpu::BindingType::Texture {
                sample_type: wgpu::TextureSampleType::Float { filterable: true },
                view_dimension: wgpu::TextureViewDimension::D2,
                multisampled: false,
            },
            count: None,
        };
        let layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some("yuv tile bindings"),
            entries: &[
                texture_entry(0),
                texture_entry(1),
                texture_entry(2),
                wgpu::BindGroupLayoutEntry {
                    binding: 3,
                    visibility: wgpu::ShaderStages::FRAGMENT,
                    ty: wgpu::BindingType::Sampler(wgpu::SamplerBindingType::Filtering),
                    count: None,
                },
                wgpu::BindGroupLayoutEntry {
                    binding: 4,
                    visibility: wgpu::ShaderStages::FRAGMENT,
                    ty: wgpu::BindingType::Buffer {
                        ty: wgpu::BufferBindingType::Uniform,
                        has_dynamic_offset: false,
                        min_binding_size: None,
                    },
                    count: None,
                },
            ],
        });
        let pipeline_layout = device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
            label: Some("yuv tile pipeline layout"),
            bind_group_layouts: &[Some(&layout)],
            immediate_size: 0,
        });
        let pipeline = device.create_render_pipeline(&wgpu::RenderPipelineDescriptor {
            label: Some("yuv tile pipeline"),
            layout: Some(&pipeline_layout),
            vertex: wgpu::VertexState {
                module: &shader,
                entry_point: Some("vs_main"),
                buffers: &[],
                compilation_options: wgpu::PipelineCompilationOptions::default(),
            },
            fragment: Some(wgpu::FragmentState {
                module: &shader,
                entry_point: Some("fs_main"),
                targets: &[Some(wgpu::ColorTargetState {
                    format: target,
                    blend: None,
                    write_mask: wgpu::ColorWrites::ALL,
                })],
                compilation_options: wgpu::PipelineCompilationOptions::default(),
            }),
            primitive: wgpu::PrimitiveState {
                topology: wgpu::PrimitiveTopology::TriangleStrip,
                ..Default::default()
            },
            depth_stencil: None,
            multisample: wgpu::MultisampleState::default(),
            multiview_mask: None,
            cache: None,
        });
        let sampler = device.create_sampler(&wgpu::SamplerDescriptor {
            label: Some("yuv tile sampler"),
            mag_filter: wgpu::FilterMode::Linear,
            min_filter: wgpu::FilterMode::Linear,
            ..Default::default()
        });
        Self {
            pipeline,
            layout,
            sampler,
            linear_output: target.is_srgb(),
            tiles: HashMap::new(),
        }
    }

    /// (Re)creates a tile's textures when its size or layout changed.
    fn tile(
        &mut self,
        device: &wgpu::Device,
        id: u64,
        frame: &dyn YuvFrame,
    ) -> Option<&mut TileTextures> {
        let size = (frame.width(), frame.height());
        let layout = frame.layout();
        let stale = self
            .tiles
            .get(&id)
            .is_none_or(|t| t.size != size || t.layout != layout);
        if stale {
            let plane_formats: &[(u32, u32, wgpu::TextureFormat)] = match layout {
                YuvLayout::I420 => &[
                    (1, 1, wgpu::TextureFormat::R8Unorm),
                    (2, 2, wgpu::TextureFormat::R8Unorm),
                    (2, 2, wgpu::TextureFormat::R8Unorm),
                ],
                YuvLayout::Nv12 => &[
                    (1, 1, wgpu::TextureFormat::R8Unorm),
                    (2, 2, wgpu::TextureFormat::Rg8Unorm),
                ],
            };
            let planes: Vec<wgpu::Texture> = plane_formats
                .iter()
                .map(|&(dx, dy, format)| {
                    device.create_texture(&wgpu::TextureDescriptor {
                        label: Some("yuv plane"),
                        size: wgpu::Extent3d {
                            width: size.0.div_ceil(dx).max(1),
                            height: size.1.div_ceil(dy).max(1),
                            depth_or_array_layers: 1,
                        },
                        mip_level_count: 1,
                        sample_count: 1,
                        dimension: wgpu::TextureDimension::D2,
                        format,
                        usage: wgpu::TextureUsages::TEXTURE_BINDING | wgpu::TextureUsages::COPY_DST,
                        view_formats: &[],
                    })
                })
                .collect();
            let views: Vec<wgpu::TextureView> = planes
                .iter()
                .map(|t| t.create_view(&wgpu::TextureViewDescriptor::default()))
                .collect();
            // NV12 binds its UV plane twice; the shader reads .g from the second.
            let (u, v) = match layout {
                YuvLayout::I420 => (&views[1], &views[2]),
                YuvLayout::Nv12 => (&views[1], &views[1]),
            };
            let flags = [
                u32::from(self.linear_output),
                u32::from(layout == YuvLayout::Nv12),
                0,
                0,
            ];
            let params = wgpu::util::DeviceExt::create_buffer_init(
                device,
                &wgpu::util::BufferInitDescriptor {
                    label: Some("yuv tile params"),
                    contents: &flags
                        .iter()
                        .flat_map(|f| f.to_le_bytes())
                        .collect::<Vec<u8>>(),
                    usage: wgpu::BufferUsages::UNIFORM,
                },
            );
            let bind_group = device.create_bind_group(&wgpu::BindGroupDescriptor {
                label: Some("yuv tile"),
                layout: &self.layout,
                entries: &[
                    wgpu::BindGroupEntry {
                        binding: 0,
                        resource: wgpu::BindingResource::TextureView(&views[0]),
                    },
                    wgpu::BindGroupEntry {
                        binding: 1,
                        resource: wgpu::BindingResource::TextureView(u),
                    },
                    wgpu::BindGroupEntry {
                        binding: 2,
                        resource: wgpu::BindingResource::TextureView(v),
                    },
                    wgpu::BindGroupEntry {
                        binding: 3,
                        resource: wgpu::BindingResource::Sampler(&self.sampler),
                    },
                    wgpu::BindGroupEntry {
                        binding: 4,
                        resource: params.as_entire_binding(),
                    },
                ],
            });
            let fresh = TileTextures {
                size,
                layout,
                planes,
                bind_group,
                frame_id: u64::MAX,
            };
            self.tiles.insert(id, fresh);
        }
        self.tiles.get_mut(&id)
    }
}

impl egui_wgpu::CallbackTrait for TileCallback {
    fn prepare(
        &self,
        device: &wgpu::Device,
        queue: &wgpu::Queue,
        _screen: &egui_wgpu::ScreenDescriptor,
        _encoder: &mut wgpu::CommandEncoder,
        resources: &mut egui_wgpu::CallbackResources,
    ) -> Vec<wgpu::CommandBuffer> {
        let Some(video) = resources.get_mut::<VideoResources>() else {
            return Vec::new();
        };
        let frame = self.frame.as_ref();
        let Some(tile) = video.tile(device, self.tile, frame) else {
            return Vec::new();
        };
        if tile.frame_id != self.frame_id {
            for (i, texture) in tile.planes.iter().enumerate() {
                let bytes_per_pixel = if tile.layout == YuvLayout::Nv12 && i == 1 {
                    2
                } else {
                    1
                };
                let size = texture.size();
                let stride = frame.stride(i);
                let data = frame.plane(i);
                let needed =
                    stride * (size.height as usize - 1) + size.width as usize * bytes_per_pixel;
                if data.len() < needed || stride < size.width as usize * bytes_per_pixel {
                    continue; // a malformed frame is skipped, never read out of bounds
                }
                queue.write_texture(
                    texture.as_image_copy(),
                    data,
                    wgpu::TexelCopyBufferLayout {
                        offset: 0,
                        bytes_per_row: Some(stride as u32),
                        rows_per_image: Some(size.height),
                    },
                    size,
                );
            }
            tile.frame_id = self.frame_id;
        }
        Vec::new()
    }

    fn paint(
        &self,
        _info: egui::PaintCallbackInfo,
        render_pass: &mut wgpu::RenderPass<'static>,
        resources: &egui_wgpu::CallbackResources,
    ) {
        let Some(video) = resources.get::<VideoResources>() else {
            return;
        };
        let Some(tile) = video.tiles.get(&self.tile) else {
            return;
        };
        render_pass.set_pipeline(&video.pipeline);
        render_pass.set_bind_group(0, &tile.bind_group, &[]);
        render_pass.draw(0..4, 0..1);
    }
}
