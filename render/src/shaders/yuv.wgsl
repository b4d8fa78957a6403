// Planar YUV (BT.601, limited range) to RGB for video tiles.
// I420: bindings 0/1/2 are Y/U/V (R8). NV12: binding 1 is the UV plane (RG8),
// bound again as 2, and params.nv12 is 1.

struct Params {
    // 1 when the target is an sRGB format: write linear values.
    linear_output: u32,
    // 1 for NV12 (U in .r and V in .g of binding 1).
    nv12: u32,
    _pad1: u32,
    _pad2: u32,
};

@group(0) @binding(0) var y_plane: texture_2d<f32>;
@group(0) @binding(1) var u_plane: texture_2d<f32>;
@group(0) @binding(2) var v_plane: texture_2d<f32>;
@group(0) @binding(3) var planes_sampler: sampler;
@group(0) @binding(4) var<uniform> params: Params;

struct VertexOut {
    @builtin(position) position: vec4<f32>,
    @location(0) uv: vec2<f32>,
};

// A quad covering the callback's viewport, as a 4-vertex triangle strip.
@vertex
fn vs_main(@builtin(vertex_index) index: u32) -> VertexOut {
    let x = f32(index & 1u);
    let y = f32((index >> 1u) & 1u);
    var out: VertexOut;
    out.position = vec4<f32>(x * 2.0 - 1.0, 1.0 - y * 2.0, 0.0, 1.0);
    out.uv = vec2<f32>(x, y);
    return out;
}

fn srgb_to_linear(c: vec3<f32>) -> vec3<f32> {
    let low = c / 12.92;
    let high = pow((c + 0.055) / 1.055, vec3<f32>(2.4));
    return select(high, low, c <= vec3<f32>(0.04045));
}

@fragment
fn fs_main(in: VertexOut) -> @location(0) vec4<f32> {
    let y = textureSample(y_plane, planes_sampler, in.uv).r;
    let uv_sample = textureSample(u_plane, planes_sampler, in.uv);
    let v_sample = textureSample(v_plane, planes_sampler, in.uv);
    let u = uv_sample.r;
    let v = select(v_sample.r, uv_sample.g, params.nv12 == 1u);
    let yy = (y - 16.0 / 255.0) * 1.164;
    let cb = u - 0.5;
    let cr = v - 0.5;
    var rgb = vec3<f32>(
        yy + 1.596 * cr,
        yy - 0.392 * cb - 0.813 * cr,
        yy + 2.017 * cb,
    );
    rgb = clamp(rgb, vec3<f32>(0.0), vec3<f32>(1.0));
    if (params.linear_output == 1u) {
        rgb = srgb_to_linear(rgb);
    }
    return vec4<f32>(rgb, 1.0);
}
