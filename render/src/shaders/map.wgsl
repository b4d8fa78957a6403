// The map: filled areas, pixel-width lines and instanced markers, all in
// scene coordinates (Web-Mercator metres from the scene origin) projected by
// one camera uniform.

struct Camera {
    centre: vec2<f32>,
    scale: vec2<f32>,     // clip units per scene metre
    rotation: vec2<f32>,  // cos, sin
    viewport: vec2<f32>,  // pixels
};

struct Style {
    fills: array<vec4<f32>, 4>,        // rgba
    lines: array<vec4<f32>, 13>,       // rgba
    line_shape: array<vec4<f32>, 13>,  // x: width px at zoom 15, y: min zoom, z: max zoom
    zoom_linear: vec4<f32>,            // x: zoom, y: 1 if the target is sRGB
    marker_outline: vec4<f32>,         // in the target's encoding
    marker_tick: vec4<f32>,            // in the target's encoding
};

@group(0) @binding(0) var<uniform> cam: Camera;
@group(0) @binding(1) var<uniform> style: Style;

fn rotate(v: vec2<f32>) -> vec2<f32> {
    return vec2<f32>(v.x * cam.rotation.x - v.y * cam.rotation.y, v.x * cam.rotation.y + v.y * cam.rotation.x);
}

fn to_clip(p: vec2<f32>) -> vec2<f32> {
    return rotate(p - cam.centre) * cam.scale;
}

fn output_color(c: vec4<f32>) -> vec4<f32> {
    if (style.zoom_linear.y > 0.5) {
        let lo = c.rgb / 12.92;
        let hi = pow((c.rgb + 0.055) / 1.055, vec3<f32>(2.4));
        return vec4<f32>(select(hi, lo, c.rgb <= vec3<f32>(0.04045)), c.a);
    }
    return c;
}

struct Varying {
    @builtin(position) position: vec4<f32>,
    @location(0) color: vec4<f32>,
    @location(1) uv: vec2<f32>,
    @location(2) @interpolate(flat) shape: u32,
};

@vertex
fn vs_fill(@location(0) pos: vec2<f32>, @location(1) kind: u32) -> Varying {
    var out: Varying;
    out.position = vec4<f32>(to_clip(pos), 0.0, 1.0);
    var color = style.fills[kind];
    if (kind == 3u) {
        // Buildings fade in between zoom 13 and 14.
        color.a = color.a * clamp(style.zoom_linear.x - 13.0, 0.0, 1.0);
    }
    out.color = color;
    out.uv = vec2<f32>(0.0);
    out.shape = 0u;
    return out;
}

@vertex
fn vs_line(
    @location(0) pos: vec2<f32>,
    @location(1) dir: vec2<f32>,
    @location(2) side_along: vec2<f32>,
    @location(3) kind: u32,
) -> Varying {
    var out: Varying;
    let shape = style.line_shape[kind];
    let zoom = style.zoom_linear.x;
    // Overview outlines (max zoom set) keep their width; roads scale with zoom.
    var width = shape.x;
    if (shape.z > 20.0) {
        width = shape.x * clamp(exp2((zoom - 15.0) * 0.6), 0.25, 2.5);
    }
    let d = rotate(dir);
    let n = vec2<f32>(-d.y, d.x);
    let offset_px = (n * side_along.x + d * side_along.y) * width * 0.5;
    out.position = vec4<f32>(to_clip(pos) + offset_px * 2.0 / cam.viewport, 0.0, 1.0);
    var color = style.lines[kind];
    color.a = color.a * clamp(zoom - shape.y + 1.0, 0.0, 1.0) * clamp(shape.z + 1.0 - zoom, 0.0, 1.0);
    out.color = color;
    out.uv = vec2<f32>(0.0);
    out.shape = 0u;
    return out;
}

@fragment
fn fs_flat(in: Varying) -> @location(0) vec4<f32> {
    return output_color(in.color);
}

// Markers: one instance each, a quad from the vertex index. Everything
// that is the same for the whole marker (its colours, the anti-aliasing
// width) is worked out here, once per vertex, not once per pixel.
struct MarkerVarying {
    @builtin(position) position: vec4<f32>,
    @location(0) color: vec4<f32>,
    @location(1) uv: vec2<f32>,
    @location(2) @interpolate(flat) shape: u32,
    @location(3) @interpolate(flat) aa: f32,
    @location(4) @interpolate(flat) outline: vec3<f32>,
    @location(5) @interpolate(flat) tick: vec3<f32>,
};

@vertex
fn vs_marker(
    @builtin(vertex_index) vi: u32,
    @location(0) pos: vec2<f32>,
    @location(1) heading_size: vec2<f32>,  // heading (radians, clockwise from north), size px
    @location(2) color: vec4<f32>,
    @location(3) shape: u32,
) -> MarkerVarying {
    var corners = array<vec2<f32>, 4>(vec2(-1.0, -1.0), vec2(1.0, -1.0), vec2(-1.0, 1.0), vec2(1.0, 1.0));
    // The quad hugs its shape, so no pixel outside it is shaded.
    var extent = 1.0;
    if (shape == 0u) { extent = 0.84; }
    if (shape == 3u) { extent = 0.79; }
    let corner = corners[vi] * extent;
    // The quad turns with the heading (and the map), so shapes point along it.
    let angle = -heading_size.x;
    let c = cos(angle);
    let s = sin(angle);
    let turned = rotate(vec2<f32>(corner.x * c - corner.y * s, corner.x * s + corner.y * c));
    var out: MarkerVarying;
    // Markers shrink a little at city scale, where thousands share the view.
    let size = heading_size.y * clamp(exp2((style.zoom_linear.x - 14.0) * 0.35), 0.8, 1.0);
    out.position = vec4<f32>(to_clip(pos) + turned * size * 2.0 / cam.viewport, 0.0, 1.0);
    out.color = output_color(color);
    out.uv = corner;
    out.shape = shape;
    // One pixel in quad units (the quad is 2 units across 2 * size pixels).
    out.aa = 1.0 / max(size, 1.0);
    // A dark outline so markers read on any basemap colour; a bright tick.
    out.outline = style.marker_outline.rgb;
    out.tick = style.marker_tick.rgb;
    return out;
}

@fragment
fn fs_marker(in: MarkerVarying) -> @location(0) vec4<f32> {
    let p = in.uv;
    var d: f32;            // signed distance, < 0 inside (in quad units)
    switch in.shape {
        case 1u: { d = abs(p.x) + abs(p.y) - 0.95; }                         // diamond: alert
        case 2u: { d = max(abs(p.x) * 0.9 + p.y * 0.5, -p.y) - 0.55; }      // triangle: drone
        case 3u: { d = max(abs(p.x), abs(p.y)) - 0.75; }                     // square: checkpoint
        default: { d = length(p) - 0.8; }                                    // circle: unit
    }
    if (d > in.aa) {
        discard;
    }
    let inside = clamp(0.5 - d / (2.0 * in.aa), 0.0, 1.0);
    let edge = clamp(0.5 - (d + 0.22) / (2.0 * in.aa), 0.0, 1.0);
    var rgb = mix(in.outline, in.color.rgb, edge);
    // Units show their heading as a bright tick towards the quad's top.
    if (in.shape == 0u && p.y > 0.2 && abs(p.x) < 0.16) {
        rgb = in.tick;
    }
    return vec4<f32>(rgb, in.color.a * inside);
}
