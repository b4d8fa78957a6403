//! Values on the command line that need more than a type's own parser.

use watchfloor_layers::access::{Mode, Role};

pub(super) fn parse_role(s: &str) -> Result<Role, String> {
    s.parse()
}

pub(super) fn parse_mode(s: &str) -> Result<Mode, String> {
    s.parse()
}

pub(super) fn parse_zoom(s: &str) -> Result<f64, String> {
    s.parse::<f64>()
        .ok()
        .filter(|z| (3.0..=19.0).contains(z))
        .ok_or_else(|| format!("zoom `{s}` must be a number from 3 to 19"))
}

pub(super) fn parse_size(s: &str) -> Result<(u32, u32), String> {
    let (w, h) = s
        .split_once(['x', 'X'])
        .ok_or_else(|| format!("size `{s}` is not WIDTHxHEIGHT, e.g. 1920x1080"))?;
    let parse = |v: &str| {
        v.trim()
            .parse::<u32>()
            .ok()
            .filter(|n| (64..=8192).contains(n))
            .ok_or_else(|| format!("size `{s}`: each side must be 64–8192 pixels"))
    };
    Ok((parse(w)?, parse(h)?))
}
