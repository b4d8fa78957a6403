// The basemap cache copied onto the map's viewport: one triangle covering
// it, each pixel reading its own texel (no sampler, no filtering).

@group(0) @binding(0) var cache: texture_2d<f32>;

struct Varying {
    @builtin(position) position: vec4<f32>,
    @location(0) uv: vec2<f32>,
};

@vertex
fn vs_cache(@builtin(vertex_index) vi: u32) -> Varying {
    let xy = vec2<f32>(f32((vi << 1u) & 2u), f32(vi & 2u)) * 2.0 - 1.0;
    var out: Varying;
    out.position = vec4<f32>(xy, 0.0, 1.0);
    out.uv = vec2<f32>(xy.x * 0.5 + 0.5, 0.5 - xy.y * 0.5);
    return out;
}

@fragment
fn fs_cache(in: Varying) -> @location(0) vec4<f32> {
    let size = vec2<i32>(textureDimensions(cache));
    let texel = clamp(vec2<i32>(floor(in.uv * vec2<f32>(size))), vec2<i32>(0), size - 1);
    return textureLoad(cache, texel, 0);
}
