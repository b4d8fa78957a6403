//! The map on the GPU: static basemap buffers made once, then per frame only
//! the camera uniform and the marker instance buffer change.
//!
//! The basemap (fills and lines) is rendered into a cache texture the size of
//! the map's viewport, and only again when the camera, the size or the zoom
//! changes; every frame copies the cache with one full-viewport triangle and
//! draws all markers with one instanced draw on top. A still map over moving
//! units — the console's normal state — costs a copy, not a city.

use std::sync::Arc;

use egui_wgpu::wgpu;
use wgpu::util::DeviceExt as _;

use super::projection::{Camera, CameraUniforms};
use super::tessellate::{FILL_CLASSES, FillClass, FillVertex2, Geometry, LINE_CLASSES, LineVertex};

/// Marker shapes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u32)]
pub enum MarkerShape {
    /// A unit: circle with a heading tick.
    Unit = 0,
    /// An alert: diamond.
    Alert = 1,
    /// A drone: triangle.
    Drone = 2,
    /// A checkpoint or camera: square.
    Site = 3,
}

/// One marker instance.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, bytemuck::Pod, bytemuck::Zeroable)]
pub struct Marker {
    /// Scene position.
    pub pos: [f32; 2],
    /// Heading (radians clockwise from north) and size (pixels, half width).
    pub heading_size: [f32; 2],
    /// sRGB colour with alpha.
    pub color: [u8; 4],
    /// [`MarkerShape`] as a number.
    pub shape: u32,
}

/// Colours and widths of the basemap classes (sRGB).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MapStyle {
    /// Fill colour per fill class.
    pub fills: [[u8; 4]; FILL_CLASSES],
    /// Colour per line class.
    pub lines: [[u8; 4]; LINE_CLASSES],
    /// Width in pixels (at zoom 15 for roads), the zoom below which the
    /// class fades out, and the zoom above which it does (99: never).
    pub line_shape: [[f32; 3]; LINE_CLASSES],
    /// The land colour under everything (areas without data show it).
    pub background: [u8; 4],
}

impl Default for MapStyle {
    /// A dark style for a control room: quiet land, readable road hierarchy.
    fn default() -> Self {
        Self {
            fills: [
                [27, 32, 40, 255], // land use
                [29, 43, 34, 255], // green
                [23, 50, 74, 255], // water
                [44, 49, 58, 255], // buildings
            ],
            lines: [
                [110, 104, 126, 220], // province
                [176, 160, 196, 255], // country
                [122, 106, 138, 200], // boundary
                [42, 84, 120, 255],   // waterway
                [68, 71, 77, 255],    // path
                [74, 78, 85, 255],    // service
                [92, 96, 104, 255],   // residential
                [118, 118, 118, 255], // tertiary
                [90, 95, 106, 255],   // railway
                [138, 129, 112, 255], // secondary
                [160, 140, 106, 255], // primary
                [184, 149, 90, 255],  // trunk
                [199, 162, 90, 255],  // motorway
            ],
            line_shape: [
                [0.8, 0.0, 10.0],
                [1.6, 0.0, 11.0],
                [1.5, 8.0, 99.0],
                [2.0, 11.0, 99.0],
                [1.0, 15.0, 99.0],
                [1.5, 14.0, 99.0],
                [2.5, 12.5, 99.0],
                [3.5, 11.0, 99.0],
                [2.0, 11.0, 99.0],
                [4.0, 9.0, 99.0],
                [5.0, 8.0, 99.0],
                [5.5, 6.0, 99.0],
                [6.0, 5.0, 99.0],
            ],
            background: [21, 25, 31, 255],
        }
    }
}

#[repr(C)]
#[derive(Debug, Clone, Copy, bytemuck::Pod, bytemuck::Zeroable)]
struct StyleUniforms {
    fills: [[f32; 4]; FILL_CLASSES],
    lines: [[f32; 4]; LINE_CLASSES],
    line_shape: [[f32; 4]; LINE_CLASSES],
    zoom_linear: [f32; 4],
    marker_outline: [f32; 4],
    marker_tick: [f32; 4],
}

fn rgba(c: [u8; 4]) -> [f32; 4] {
    c.map(|v| f32::from(v) / 255.0)
}

/// Pipelines and buffers of one map.
pub struct MapGpu {
    opaque: wgpu::RenderPipeline,
    fill: wgpu::RenderPipeline,
    line: wgpu::RenderPipeline,
    marker: wgpu::RenderPipeline,
    bind_group: wgpu::BindGroup,
    camera: wgpu::Buffer,
    style_buffer: wgpu::Buffer,
    style: StyleUniforms,
    fill_vertices: wgpu::Buffer,
    fill_indices: wgpu::Buffer,
    fill_count: u32,
    fill_ranges: Vec<std::ops::Range<u32>>,
    line_ranges: Vec<std::ops::Range<u32>>,
    line_shape: [[f32; 3]; LINE_CLASSES],
    line_vertices: wgpu::Buffer,
    line_indices: wgpu::Buffer,
    line_count: u32,
    instances: wgpu::Buffer,
    instance_capacity: usize,
    instance_count: u32,
    target: wgpu::TextureFormat,
    background: wgpu::Color,
    blit: wgpu::RenderPipeline,
    blit_layout: wgpu::BindGroupLayout,
    cache: Option<BasemapCache>,
    cache_renders: u64,
}

/// The basemap as last rendered, and what it was rendered for.
struct BasemapCache {
    bind_group: wgpu::BindGroup,
    view: wgpu::TextureView,
    size: [u32; 2],
    camera: CameraUniforms,
    zoom: f32,
}

impl MapGpu {
    /// Uploads the basemap geometry and builds the pipelines for `target`.
    pub fn new(
        device: &wgpu::Device,
        target: wgpu::TextureFormat,
        geometry: &Geometry,
        style: &MapStyle,
    ) -> Self {
        let style_in = *style;
        let shader = device.create_shader_module(wgpu::ShaderModuleDescriptor {
            label: Some("map shader"),
            source: wgpu::ShaderSource::Wgsl(include_str!("../shaders/map.wgsl").into()),
        });
        let style = StyleUniforms {
            fills: style.fills.map(rgba),
            lines: style.lines.map(rgba),
            line_shape: style.line_shape.map(|[w, lo, hi]| [w, lo, hi, 0.0]),
            zoom_linear: [14.0, if target.is_srgb() { 1.0 } else { 0.0 }, 0.0, 0.0],
            marker_outline: encoded([13, 15, 20, 255], target.is_srgb()),
            marker_tick: encoded([242, 245, 247, 255], target.is_srgb()),
        };
        let instance_capacity = 1024;
        let instances = Self::instance_buffer(device, instance_capacity);
        let (camera, style_buffer, bind_layout, pipeline_layout) = bindings(device, &style);
        let bind_group = bind_group(device, &bind_layout, [&camera, &style_buffer]);
        let [opaque, fill, line, marker] = pipelines(device, &shader, &pipeline_layout, target);
        let (blit, blit_layout) = blit_pipeline(device, target);
        let buffer = |label, contents: &[u8], usage| {
            device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
                label: Some(label),
                // wgpu needs a non-empty buffer; an empty map draws nothing.
                contents: if contents.is_empty() {
                    &[0; 16]
                } else {
                    contents
                },
                usage,
            })
        };
        let vertex = wgpu::BufferUsages::VERTEX;
        let index = wgpu::BufferUsages::INDEX;
        Self {
            opaque,
            fill,
            line,
            marker,
            bind_group,
            camera,
            style_buffer,
            style,
            fill_vertices: buffer(
                "map fill vertices",
                bytemuck::cast_slice(&geometry.fill_vertices),
                vertex,
            ),
            fill_indices: buffer(
                "map fill indices",
                bytemuck::cast_slice(&geometry.fill_indices),
                index,
            ),
            fill_count: geometry.fill_indices.len() as u32,
            fill_ranges: geometry.fill_ranges.to_vec(),
            line_ranges: geometry.line_ranges.to_vec(),
            line_shape: style_in.line_shape,
            line_vertices: buffer(
                "map line vertices",
                bytemuck::cast_slice(&geometry.line_vertices),
                vertex,
            ),
            line_indices: buffer(
                "map line indices",
                bytemuck::cast_slice(&geometry.line_indices),
                index,
            ),
            line_count: geometry.line_indices.len() as u32,
            instances,
            instance_capacity,
            instance_count: 0,
            target,
            background: background_color(style_in.background, target.is_srgb()),
            blit,
            blit_layout,
            cache: None,
            cache_renders: 0,
        }
    }

    /// How many times the basemap has been rendered into its cache.
    pub fn basemap_renders(&self) -> u64 {
        self.cache_renders
    }

    fn instance_buffer(device: &wgpu::Device, capacity: usize) -> wgpu::Buffer {
        device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("map marker instances"),
            size: (capacity * std::mem::size_of::<Marker>()) as u64,
            usage: wgpu::BufferUsages::VERTEX | wgpu::BufferUsages::COPY_DST,
            mapped_at_creation: false,
        })
    }

    /// Per frame: the camera and the markers (the buffer grows by doubling),
    /// and the basemap rendered again into its cache (recorded on `encoder`)
    /// if the camera, zoom or `pixels` (the viewport's size) changed.
    pub fn update(
        &mut self,
        device: &wgpu::Device,
        queue: &wgpu::Queue,
        encoder: &mut wgpu::CommandEncoder,
        camera: &Camera,
        markers: &[Marker],
        pixels: [u32; 2],
    ) {
        let uniforms = camera.uniforms();
        queue.write_buffer(&self.camera, 0, bytemuck::bytes_of(&uniforms));
        let zoom = camera.zoom as f32;
        if (self.style.zoom_linear[0] - zoom).abs() > f32::EPSILON {
            self.style.zoom_linear[0] = zoom;
            queue.write_buffer(&self.style_buffer, 0, bytemuck::bytes_of(&self.style));
        }
        if markers.len() > self.instance_capacity {
            self.instance_capacity = markers.len().next_power_of_two();
            self.instances = Self::instance_buffer(device, self.instance_capacity);
        }
        if !markers.is_empty() {
            queue.write_buffer(&self.instances, 0, bytemuck::cast_slice(markers));
        }
        self.instance_count = markers.len() as u32;
        let pixels = pixels.map(|p| p.max(1));
        let fresh = self.cache.as_ref().is_some_and(|c| {
            c.size == pixels && c.camera == uniforms && c.zoom.to_bits() == zoom.to_bits()
        });
        if !fresh {
            tracing::debug!(?pixels, zoom, "basemap cache rendered again");
            self.render_cache(device, encoder, uniforms, zoom, pixels);
        }
    }

    /// Renders fills and lines into the cache (made again when the size changed).
    fn render_cache(
        &mut self,
        device: &wgpu::Device,
        encoder: &mut wgpu::CommandEncoder,
        camera: CameraUniforms,
        zoom: f32,
        size: [u32; 2],
    ) {
        let reuse = self.cache.take().filter(|c| c.size == size);
        let (view, bind_group) = match reuse {
            Some(c) => (c.view, c.bind_group),
            None => self.cache_texture(device, size),
        };
        {
            let mut pass = encoder.begin_render_pass(&wgpu::RenderPassDescriptor {
                label: Some("map basemap cache"),
                color_attachments: &[Some(wgpu::RenderPassColorAttachment {
                    view: &view,
                    resolve_target: None,
                    ops: wgpu::Operations {
                        load: wgpu::LoadOp::Clear(self.background),
                        store: wgpu::StoreOp::Store,
                    },
                    depth_slice: None,
                })],
                ..Default::default()
            });
            self.draw_basemap(&mut pass);
        }
        self.cache_renders += 1;
        self.cache = Some(BasemapCache {
            bind_group,
            view,
            size,
            camera,
            zoom,
        });
    }

    fn cache_texture(
        &self,
        device: &wgpu::Device,
        [width, height]: [u32; 2],
    ) -> (wgpu::TextureView, wgpu::BindGroup) {
        let texture = device.create_texture(&wgpu::TextureDescriptor {
            label: Some("map basemap cache"),
            size: wgpu::Extent3d {
                width,
                height,
                depth_or_array_layers: 1,
            },
            mip_level_count: 1,
            sample_count: 1,
            dimension: wgpu::TextureDimension::D2,
            format: self.target,
            usage: wgpu::TextureUsages::RENDER_ATTACHMENT | wgpu::TextureUsages::TEXTURE_BINDING,
            view_formats: &[],
        });
        let view = texture.create_view(&wgpu::TextureViewDescriptor::default());
        let bind_group = device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: Some("map basemap cache"),
            layout: &self.blit_layout,
            entries: &[wgpu::BindGroupEntry {
                binding: 0,
                resource: wgpu::BindingResource::TextureView(&view),
            }],
        });
        (view, bind_group)
    }

    /// Records the frame: the cached basemap, then every marker in one
    /// instanced draw. Call [`MapGpu::update`] first.
    pub fn draw(&self, pass: &mut wgpu::RenderPass<'_>) {
        if let Some(cache) = &self.cache {
            pass.set_pipeline(&self.blit);
            pass.set_bind_group(0, &cache.bind_group, &[]);
            pass.draw(0..3, 0..1);
        }
        if self.instance_count > 0 {
            pass.set_bind_group(0, &self.bind_group, &[]);
            pass.set_pipeline(&self.marker);
            pass.set_vertex_buffer(0, self.instances.slice(..));
            pass.draw(0..4, 0..self.instance_count);
        }
    }

    /// Fills and lines, skipping classes invisible at this zoom (level of
    /// detail): buildings below zoom 13, minor roads below their zoom.
    fn draw_basemap(&self, pass: &mut wgpu::RenderPass<'_>) {
        pass.set_bind_group(0, &self.bind_group, &[]);
        let zoom = self.style.zoom_linear[0];
        if self.fill_count > 0 {
            pass.set_vertex_buffer(0, self.fill_vertices.slice(..));
            pass.set_index_buffer(self.fill_indices.slice(..), wgpu::IndexFormat::Uint32);
            let buildings = FillClass::Building as usize;
            if let Some(range) = contiguous(&self.fill_ranges[..buildings]) {
                pass.set_pipeline(&self.opaque);
                pass.draw_indexed(range, 0, 0..1);
            }
            let range = &self.fill_ranges[buildings];
            if zoom >= 13.0 && !range.is_empty() {
                pass.set_pipeline(&self.fill);
                pass.draw_indexed(range.clone(), 0, 0..1);
            }
        }
        if self.line_count > 0 {
            pass.set_pipeline(&self.line);
            pass.set_vertex_buffer(0, self.line_vertices.slice(..));
            pass.set_index_buffer(self.line_indices.slice(..), wgpu::IndexFormat::Uint32);
            for (range, shape) in self.line_ranges.iter().zip(&self.line_shape) {
                if !range.is_empty() && zoom > shape[1] - 1.0 && zoom < shape[2] + 1.0 {
                    pass.draw_indexed(range.clone(), 0, 0..1);
                }
            }
        }
    }
}

/// An sRGB colour as a shader writes it to the target (linear for an sRGB
/// target, which encodes on store).
fn encoded(color: [u8; 4], srgb_target: bool) -> [f32; 4] {
    let channel = |v: u8| {
        let c = f32::from(v) / 255.0;
        if !srgb_target {
            c
        } else if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    [
        channel(color[0]),
        channel(color[1]),
        channel(color[2]),
        f32::from(color[3]) / 255.0,
    ]
}

/// The clear colour for `background` on a target.
fn background_color(background: [u8; 4], srgb_target: bool) -> wgpu::Color {
    let [r, g, b, a] = encoded(background, srgb_target).map(f64::from);
    wgpu::Color { r, g, b, a }
}

/// The pipeline copying the basemap cache onto the map's viewport (one
/// triangle covering it, texels read 1:1 without a sampler).
fn blit_pipeline(
    device: &wgpu::Device,
    target: wgpu::TextureFormat,
) -> (wgpu::RenderPipeline, wgpu::BindGroupLayout) {
    let shader = device.create_shader_module(wgpu::ShaderModuleDescriptor {
        label: Some("map cache shader"),
        source: wgpu::ShaderSource::Wgsl(include_str!("../shaders/map_cache.wgsl").into()),
    });
    let layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
        label: Some("map basemap cache"),
        entries: &[wgpu::BindGroupLayoutEntry {
            binding: 0,
            visibility: wgpu::ShaderStages::FRAGMENT,
            ty: wgpu::BindingType::Texture {
                sample_type: wgpu::TextureSampleType::Float { filterable: false },
                view_dimension: wgpu::TextureViewDimension::D2,
                multisampled: false,
            },
            count: None,
        }],
    });
    let pipeline_layout = device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
        label: Some("map cache pipeline layout"),
        bind_group_layouts: &[Some(&layout)],
        immediate_size: 0,
    });
    let pipeline = device.create_render_pipeline(&wgpu::RenderPipelineDescriptor {
        label: Some("map basemap copy"),
        layout: Some(&pipeline_layout),
        vertex: wgpu::VertexState {
            module: &shader,
            entry_point: Some("vs_cache"),
            buffers: &[],
            compilation_options: wgpu::PipelineCompilationOptions::default(),
        },
        fragment: Some(wgpu::FragmentState {
            module: &shader,
            entry_point: Some("fs_cache"),
            targets: &[Some(wgpu::ColorTargetState {
                format: target,
                blend: None,
                write_mask: wgpu::ColorWrites::ALL,
            })],
            compilation_options: wgpu::PipelineCompilationOptions::default(),
        }),
        primitive: wgpu::PrimitiveState::default(),
        depth_stencil: None,
        multisample: wgpu::MultisampleState::default(),
        multiview_mask: None,
        cache: None,
    });
    (pipeline, layout)
}

/// The camera and style uniforms, the layout of their bind group, and the
/// pipeline layout.
fn bindings(
    device: &wgpu::Device,
    style: &StyleUniforms,
) -> (
    wgpu::Buffer,
    wgpu::Buffer,
    wgpu::BindGroupLayout,
    wgpu::PipelineLayout,
) {
    let entry = |binding, ty| wgpu::BindGroupLayoutEntry {
        binding,
        visibility: wgpu::ShaderStages::VERTEX_FRAGMENT,
        ty: wgpu::BindingType::Buffer {
            ty,
            has_dynamic_offset: false,
            min_binding_size: None,
        },
        count: None,
    };
    let uniform = wgpu::BufferBindingType::Uniform;
    let layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
        label: Some("map bindings"),
        entries: &[entry(0, uniform), entry(1, uniform)],
    });
    let camera = device.create_buffer(&wgpu::BufferDescriptor {
        label: Some("map camera"),
        size: std::mem::size_of::<CameraUniforms>() as u64,
        usage: wgpu::BufferUsages::UNIFORM | wgpu::BufferUsages::COPY_DST,
        mapped_at_creation: false,
    });
    let style_buffer = device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
        label: Some("map style"),
        contents: bytemuck::bytes_of(style),
        usage: wgpu::BufferUsages::UNIFORM | wgpu::BufferUsages::COPY_DST,
    });
    let pipeline_layout = device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
        label: Some("map pipeline layout"),
        bind_group_layouts: &[Some(&layout)],
        immediate_size: 0,
    });
    (camera, style_buffer, layout, pipeline_layout)
}

/// The bind group of the camera and style buffers.
fn bind_group(
    device: &wgpu::Device,
    layout: &wgpu::BindGroupLayout,
    buffers: [&wgpu::Buffer; 2],
) -> wgpu::BindGroup {
    let entries: Vec<wgpu::BindGroupEntry<'_>> = (0u32..)
        .zip(buffers)
        .map(|(binding, buffer)| wgpu::BindGroupEntry {
            binding,
            resource: buffer.as_entire_binding(),
        })
        .collect();
    device.create_bind_group(&wgpu::BindGroupDescriptor {
        label: Some("map bind group"),
        layout,
        entries: &entries,
    })
}

/// The opaque fill, blended fill, line and marker pipelines.
fn pipelines(
    device: &wgpu::Device,
    shader: &wgpu::ShaderModule,
    pipeline_layout: &wgpu::PipelineLayout,
    target: wgpu::TextureFormat,
) -> [wgpu::RenderPipeline; 4] {
    let pipeline =
        |label, vs, fs, buffers: &[Option<wgpu::VertexBufferLayout<'_>>], topology, blend| {
            device.create_render_pipeline(&wgpu::RenderPipelineDescriptor {
                label: Some(label),
                layout: Some(pipeline_layout),
                vertex: wgpu::VertexState {
                    module: shader,
                    entry_point: Some(vs),
                    buffers,
                    compilation_options: wgpu::PipelineCompilationOptions::default(),
                },
                fragment: Some(wgpu::FragmentState {
                    module: shader,
                    entry_point: Some(fs),
                    targets: &[Some(wgpu::ColorTargetState {
                        format: target,
                        blend,
                        write_mask: wgpu::ColorWrites::ALL,
                    })],
                    compilation_options: wgpu::PipelineCompilationOptions::default(),
                }),
                primitive: wgpu::PrimitiveState {
                    topology,
                    ..Default::default()
                },
                depth_stencil: None,
                multisample: wgpu::MultisampleState::default(),
                multiview_mask: None,
                cache: None,
            })
        };
    let fill_layout = wgpu::VertexBufferLayout {
        array_stride: std::mem::size_of::<FillVertex2>() as u64,
        step_mode: wgpu::VertexStepMode::Vertex,
        attributes: &wgpu::vertex_attr_array![0 => Float32x2, 1 => Uint32],
    };
    let line_layout = wgpu::VertexBufferLayout {
        array_stride: std::mem::size_of::<LineVertex>() as u64,
        step_mode: wgpu::VertexStepMode::Vertex,
        attributes: &wgpu::vertex_attr_array![0 => Float32x2, 1 => Float32x2, 2 => Float32x2, 3 => Uint32],
    };
    let marker_layout = wgpu::VertexBufferLayout {
        array_stride: std::mem::size_of::<Marker>() as u64,
        step_mode: wgpu::VertexStepMode::Instance,
        attributes: &wgpu::vertex_attr_array![0 => Float32x2, 1 => Float32x2, 2 => Unorm8x4, 3 => Uint32],
    };
    let tri = wgpu::PrimitiveTopology::TriangleList;
    let blend = Some(wgpu::BlendState::ALPHA_BLENDING);
    // Land use, parks and water are opaque: no blending, so a software
    // rasteriser need not read what is under them.
    let opaque = pipeline(
        "map opaque fills",
        "vs_fill",
        "fs_flat",
        &[Some(fill_layout.clone())],
        tri,
        None,
    );
    let fill = pipeline(
        "map fills",
        "vs_fill",
        "fs_flat",
        &[Some(fill_layout)],
        tri,
        blend,
    );
    let line = pipeline(
        "map lines",
        "vs_line",
        "fs_flat",
        &[Some(line_layout)],
        tri,
        blend,
    );
    let marker = pipeline(
        "map markers",
        "vs_marker",
        "fs_marker",
        &[Some(marker_layout)],
        wgpu::PrimitiveTopology::TriangleStrip,
        blend,
    );
    [opaque, fill, line, marker]
}

/// The span covering `ranges` (consecutive, some possibly empty).
fn contiguous(ranges: &[std::ops::Range<u32>]) -> Option<std::ops::Range<u32>> {
    let start = ranges
        .iter()
        .filter(|r| !r.is_empty())
        .map(|r| r.start)
        .min()?;
    let end = ranges.iter().map(|r| r.end).max()?;
    Some(start..end)
}

/// Installs a map's GPU resources into egui's renderer (once; again to
/// replace the basemap).
pub fn install(render_state: &egui_wgpu::RenderState, geometry: &Geometry, style: &MapStyle) {
    let gpu = MapGpu::new(
        &render_state.device,
        render_state.target_format,
        geometry,
        style,
    );
    render_state.renderer.write().callback_resources.insert(gpu);
}

/// A paint callback drawing the installed map into `rect` (the camera's
/// viewport is in points, the same units as `rect`).
pub fn map_callback(
    rect: egui::Rect,
    camera: Camera,
    markers: Arc<Vec<Marker>>,
) -> egui::PaintCallback {
    egui_wgpu::Callback::new_paint_callback(rect, MapCallback { camera, markers })
}

struct MapCallback {
    camera: Camera,
    markers: Arc<Vec<Marker>>,
}

impl egui_wgpu::CallbackTrait for MapCallback {
    fn prepare(
        &self,
        device: &wgpu::Device,
        queue: &wgpu::Queue,
        screen: &egui_wgpu::ScreenDescriptor,
        encoder: &mut wgpu::CommandEncoder,
        resources: &mut egui_wgpu::CallbackResources,
    ) -> Vec<wgpu::CommandBuffer> {
        if let Some(map) = resources.get_mut::<MapGpu>() {
            // The viewport egui sets for this callback, in pixels.
            let pixels = self
                .camera
                .viewport
                .map(|points| (points * screen.pixels_per_point).round() as u32);
            map.update(device, queue, encoder, &self.camera, &self.markers, pixels);
        }
        Vec::new()
    }

    fn paint(
        &self,
        _info: egui::PaintCallbackInfo,
        render_pass: &mut wgpu::RenderPass<'static>,
        resources: &egui_wgpu::CallbackResources,
    ) {
        if let Some(map) = resources.get::<MapGpu>() {
            map.draw(render_pass);
        }
    }
}

/// Whether a map has been installed.
pub fn is_installed(render_state: &egui_wgpu::RenderState) -> bool {
    render_state
        .renderer
        .read()
        .callback_resources
        .get::<MapGpu>()
        .is_some()
}
