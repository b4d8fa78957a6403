//! The map on the GPU: static basemap buffers made once, then per frame only
//! the camera uniform and the marker instance buffer change. Three draws —
//! fills, lines, markers (one instanced draw for every marker) — whatever the
//! number of features or moving things.

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
        };
        let (camera, style_buffer, bind_group, pipeline_layout) = bindings(device, &style);
        let [opaque, fill, line, marker] = pipelines(device, &shader, &pipeline_layout, target);
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
        let instance_capacity = 1024;
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
            instances: Self::instance_buffer(device, instance_capacity),
            instance_capacity,
            instance_count: 0,
        }
    }

    fn instance_buffer(device: &wgpu::Device, capacity: usize) -> wgpu::Buffer {
        device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("map marker instances"),
            size: (capacity * std::mem::size_of::<Marker>()) as u64,
            usage: wgpu::BufferUsages::VERTEX | wgpu::BufferUsages::COPY_DST,
            mapped_at_creation: false,
        })
    }

    /// Per frame: the camera and the markers (the buffer grows by doubling).
    pub fn update(
        &mut self,
        device: &wgpu::Device,
        queue: &wgpu::Queue,
        camera: &Camera,
        markers: &[Marker],
    ) {
        queue.write_buffer(&self.camera, 0, bytemuck::bytes_of(&camera.uniforms()));
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
    }

    /// Records the three draws.
    pub fn draw(&self, pass: &mut wgpu::RenderPass<'_>) {
        pass.set_bind_group(0, &self.bind_group, &[]);
        let zoom = self.style.zoom_linear[0];
        // Classes invisible at this zoom are not drawn at all (level of
        // detail): buildings below zoom 13, minor roads below their zoom.
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
        if self.instance_count > 0 {
            pass.set_pipeline(&self.marker);
            pass.set_vertex_buffer(0, self.instances.slice(..));
            pass.draw(0..4, 0..self.instance_count);
        }
    }
}

/// The camera and style uniforms, their bind group, and the pipeline layout.
fn bindings(
    device: &wgpu::Device,
    style: &StyleUniforms,
) -> (
    wgpu::Buffer,
    wgpu::Buffer,
    wgpu::BindGroup,
    wgpu::PipelineLayout,
) {
    let uniform_entry = |binding| wgpu::BindGroupLayoutEntry {
        binding,
        visibility: wgpu::ShaderStages::VERTEX_FRAGMENT,
        ty: wgpu::BindingType::Buffer {
            ty: wgpu::BufferBindingType::Uniform,
            has_dynamic_offset: false,
            min_binding_size: None,
        },
        count: None,
    };
    let layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
        label: Some("map bindings"),
        entries: &[uniform_entry(0), uniform_entry(1)],
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
    let bind_group = device.create_bind_group(&wgpu::BindGroupDescriptor {
        label: Some("map bind group"),
        layout: &layout,
        entries: &[
            wgpu::BindGroupEntry {
                binding: 0,
                resource: camera.as_entire_binding(),
            },
            wgpu::BindGroupEntry {
                binding: 1,
                resource: style_buffer.as_entire_binding(),
            },
        ],
    });
    let pipeline_layout = device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
        label: Some("map pipeline layout"),
        bind_group_layouts: &[Some(&layout)],
        immediate_size: 0,
    });
    (camera, style_buffer, bind_group, pipeline_layout)
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
        _screen: &egui_wgpu::ScreenDescriptor,
        _encoder: &mut wgpu::CommandEncoder,
        resources: &mut egui_wgpu::CallbackResources,
    ) -> Vec<wgpu::CommandBuffer> {
        if let Some(map) = resources.get_mut::<MapGpu>() {
            map.update(device, queue, &self.camera, &self.markers);
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
