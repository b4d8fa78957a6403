//! What a camera is: its identity, where its video comes from, and where it
//! stands and looks (for the map). Loaded from `cameras.toml`; every error
//! names the file and the camera.
//!
//! Credentials may be given in the URL (`rtsp://user:pass@host/…`) or as
//! `username`/`password` fields. They are used to connect and never appear in
//! logs, UI or errors: everything printable goes through [`redact_url`].

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use serde::Deserialize;

/// A camera's stable id, as written in config (`"gate-3-north"`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CameraId(Arc<str>);

impl CameraId {
    /// Makes an id; ids are short, printable and unique within a site.
    pub fn new(id: &str) -> Self {
        Self(Arc::from(id))
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CameraId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// How RTSP media travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RtspTransport {
    /// Interleaved in the RTSP TCP connection: works through NAT and firewalls.
    #[default]
    Tcp,
    /// RTP over UDP: lower overhead, may lose packets.
    Udp,
}

/// Where a camera's video comes from.
#[derive(Clone, PartialEq, Eq)]
pub enum Source {
    /// A network camera or recorder speaking RTSP.
    Rtsp {
        /// The URL, credentials included (never print it: use [`Source::display`]).
        url: url::Url,
        /// TCP or UDP.
        transport: RtspTransport,
        /// RTP jitter-buffer latency.
        latency: Duration,
    },
    /// A local video file, played in a loop (demos and drills).
    File {
        /// The file.
        path: PathBuf,
    },
    /// GStreamer's `videotestsrc` with a named pattern (e.g. `smpte`, `ball`).
    TestPattern {
        /// The pattern's nick.
        pattern: String,
    },
}

impl Source {
    /// A printable description with credentials removed.
    pub fn display(&self) -> String {
        match self {
            Self::Rtsp { url, .. } => redact_url(url.as_str()),
            Self::File { path } => path.display().to_string(),
            Self::TestPattern { pattern } => format!("test://{pattern}"),
        }
    }

    /// Parses a source from config text: `rtsp://…`/`rtsps://…`, `test://PATTERN`,
    /// `file:///path` or a plain path (relative paths are taken from `base_dir`).
    pub fn parse(
        text: &str,
        transport: RtspTransport,
        latency: Duration,
        base_dir: &Path,
    ) -> Result<Self, SourceError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(SourceError::Empty);
        }
        if let Some(pattern) = text.strip_prefix("test://") {
            return Ok(Self::TestPattern {
                pattern: if pattern.is_empty() {
                    "smpte".into()
                } else {
                    pattern.into()
                },
            });
        }
        if let Some(path) = text.strip_prefix("file://") {
            return Ok(Self::File {
                path: PathBuf::from(path),
            });
        }
        if text.contains("://") {
            let url = url::Url::parse(text).map_err(|source| SourceError::NotUrl {
                shown: redact_url(text),
                source,
            })?;
            return match url.scheme() {
                "rtsp" | "rtsps" | "rtspt" => {
                    if url.host_str().is_none_or(str::is_empty) {
                        Err(SourceError::NoHost {
                            shown: redact_url(text),
                        })
                    } else {
                        Ok(Self::Rtsp {
                            url,
                            transport,
                            latency,
                        })
                    }
                }
                other => Err(SourceError::Scheme {
                    shown: redact_url(text),
                    scheme: other.to_owned(),
                }),
            };
        }
        let path = Path::new(text);
        Ok(Self::File {
            path: if path.is_absolute() {
                path.to_path_buf()
            } else {
                base_dir.join(path)
            },
        })
    }
}

/// Why a camera's source text was refused. URLs in it are redacted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SourceError {
    /// Nothing was given.
    #[error("the URL is empty")]
    Empty,
    /// `scheme://…` that does not parse as a URL.
    #[error("`{shown}` is not a valid URL: {source}")]
    NotUrl {
        /// The text, redacted.
        shown: String,
        /// Why it does not parse.
        #[source]
        source: url::ParseError,
    },
    /// An RTSP URL without a host.
    #[error("`{shown}` has no host")]
    NoHost {
        /// The text, redacted.
        shown: String,
    },
    /// A scheme other than RTSP, file or test.
    #[error("`{shown}`: scheme `{scheme}` is not supported (use rtsp://, file:// or test://)")]
    Scheme {
        /// The text, redacted.
        shown: String,
        /// The scheme given.
        scheme: String,
    },
}

/// Why one `[[camera]]` entry of `cameras.toml` was refused (the file and
/// the entry are named by the caller).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CameraEntryError {
    /// An id that cannot name a recording folder.
    #[error("`id` `{0}` must be letters, digits, `-`, `_` or `.`, and not start with `.`")]
    BadId(String),
    /// An id used by an earlier entry.
    #[error("duplicate id `{0}`")]
    DuplicateId(String),
    /// `url` or `sub_url` refused.
    #[error("`{field}`: {source}")]
    Source {
        /// `url` or `sub_url`.
        field: &'static str,
        /// Why.
        #[source]
        source: SourceError,
    },
    /// `username` or `password` cannot go into that URL.
    #[error("`{field}`: `{credential}` cannot be set on this URL")]
    Credential {
        /// `url` or `sub_url`.
        field: &'static str,
        /// `username` or `password`.
        credential: &'static str,
    },
    /// `lonlat` outside the globe.
    #[error("`lonlat` [{lon}, {lat}] is not a longitude/latitude pair")]
    LonLat {
        /// Longitude given.
        lon: f64,
        /// Latitude given.
        lat: f64,
    },
}

impl fmt::Debug for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display())
    }
}

/// Query parameters whose values are secrets.
const SECRET_PARAMS: &[&str] = &[
    "password", "passwd", "pass", "pwd", "token", "auth", "key", "secret", "user", "username",
];

/// The URL with user, password and secret query values replaced by `***`.
/// Works on any text (error messages too): every `scheme://user:pass@host`
/// in it is redacted, up to the last `@` of that word, so a password holding
/// `/`, `?` or `#` is hidden as well. Over-redacting an `@` in a path is the
/// safe side.
pub fn redact_url(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("://") {
        let (head, tail) = rest.split_at(i + 3);
        out.push_str(head);
        let word_end = tail
            .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '`' | ')' | '>' | ','))
            .unwrap_or(tail.len());
        let (word, after) = tail.split_at(word_end);
        match word.rfind('@') {
            Some(at) => {
                out.push_str("***");
                out.push_str(&redact_query(&word[at..]));
            }
            None => out.push_str(&redact_query(word)),
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

/// `key=value` pairs after `?` whose key names a secret get `***` as value.
fn redact_query(word: &str) -> String {
    let Some(q) = word.find('?') else {
        return word.to_owned();
    };
    let (head, query) = word.split_at(q + 1);
    let pairs: Vec<String> = query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((k, _)) if SECRET_PARAMS.contains(&k.to_ascii_lowercase().as_str()) => {
                format!("{k}=***")
            }
            _ => pair.to_owned(),
        })
        .collect();
    format!("{head}{}", pairs.join("&"))
}

/// One camera, as the console knows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Camera {
    /// Stable id.
    pub id: CameraId,
    /// Name shown to operators.
    pub name: String,
    /// The main stream.
    pub source: Source,
    /// A lower-resolution stream for small tiles, if the camera has one.
    pub sub_source: Option<Source>,
    /// Where it stands, `[lon, lat]` in degrees.
    pub lonlat: Option<[f64; 2]>,
    /// Where it looks, degrees clockwise from north.
    pub heading_deg: Option<f64>,
    /// Horizontal field of view in degrees.
    pub fov_deg: Option<f64>,
    /// Free text about the feed (e.g. "mirrored copy of …, +7 s").
    pub note: Option<String>,
}

/// A camera entry as written in `cameras.toml` (`[[camera]]` tables).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CameraEntry {
    id: String,
    name: Option<String>,
    url: String,
    sub_url: Option<String>,
    username: Option<String>,
    password: Option<String>,
    #[serde(default)]
    transport: RtspTransport,
    latency_ms: Option<u64>,
    lonlat: Option<[f64; 2]>,
    heading_deg: Option<f64>,
    fov_deg: Option<f64>,
    note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CamerasFile {
    #[serde(default)]
    camera: Vec<toml::Value>,
}

/// Default RTP jitter-buffer latency for live display.
pub const DEFAULT_LATENCY: Duration = Duration::from_millis(100);

/// What loading a cameras file produced: the good cameras, and one message per
/// bad entry (naming the file and the entry); a bad entry never stops the rest.
#[derive(Debug, Default)]
pub struct LoadedCameras {
    /// Cameras that parsed.
    pub cameras: Vec<Camera>,
    /// Problems, each naming file and entry.
    pub errors: Vec<String>,
}

/// Loads `[[camera]]` entries from TOML text; `origin` names the file in errors.
pub fn parse_cameras(text: &str, origin: &Path) -> LoadedCameras {
    let base_dir = origin.parent().unwrap_or(Path::new("."));
    let file: CamerasFile = match toml::from_str(text) {
        Ok(file) => file,
        Err(e) => {
            return LoadedCameras {
                cameras: Vec::new(),
                errors: vec![format!("{}: {e}", origin.display())],
            };
        }
    };
    let mut loaded = LoadedCameras::default();
    for (index, value) in file.camera.into_iter().enumerate() {
        let label = value.get("id").and_then(toml::Value::as_str).map_or_else(
            || format!("camera #{}", index + 1),
            |id| format!("camera `{id}`"),
        );
        let entry: CameraEntry = match value.try_into() {
            Ok(entry) => entry,
            Err(e) => {
                loaded
                    .errors
                    .push(format!("{}: {label}: {e}", origin.display()));
                continue;
            }
        };
        match camera_from_entry(entry, base_dir, &loaded.cameras) {
            Ok(camera) => loaded.cameras.push(camera),
            Err(e) => loaded
                .errors
                .push(format!("{}: {label}: {e}", origin.display())),
        }
    }
    loaded
}

fn camera_from_entry(
    entry: CameraEntry,
    base_dir: &Path,
    seen: &[Camera],
) -> Result<Camera, CameraEntryError> {
    let id = entry.id.trim();
    // Ids name recording folders: letters, digits, `-`, `_`, `.`, not starting with `.`.
    if id.is_empty()
        || id.starts_with('.')
        || !id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        return Err(CameraEntryError::BadId(id.to_owned()));
    }
    if seen.iter().any(|c| c.id.as_str() == id) {
        return Err(CameraEntryError::DuplicateId(id.to_owned()));
    }
    let latency = entry
        .latency_ms
        .map_or(DEFAULT_LATENCY, Duration::from_millis);
    let with_credentials = |field: &'static str, text: &str| {
        let mut source = Source::parse(text, entry.transport, latency, base_dir)
            .map_err(|source| CameraEntryError::Source { field, source })?;
        if let Source::Rtsp { url, .. } = &mut source {
            let refused = |credential| CameraEntryError::Credential { field, credential };
            if let Some(user) = &entry.username {
                url.set_username(user).map_err(|()| refused("username"))?;
            }
            if let Some(password) = &entry.password {
                url.set_password(Some(password))
                    .map_err(|()| refused("password"))?;
            }
        }
        Ok(source)
    };
    let source = with_credentials("url", &entry.url)?;
    let sub_source = entry
        .sub_url
        .as_deref()
        .map(|text| with_credentials("sub_url", text))
        .transpose()?;
    if let Some([lon, lat]) = entry.lonlat
        && !((-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat))
    {
        return Err(CameraEntryError::LonLat { lon, lat });
    }
    Ok(Camera {
        id: CameraId::new(id),
        name: entry.name.unwrap_or_else(|| id.to_owned()),
        source,
        sub_source,
        lonlat: entry.lonlat,
        heading_deg: entry.heading_deg,
        fov_deg: entry.fov_deg,
        note: entry.note,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_never_survive_redaction() {
        assert_eq!(
            redact_url("rtsp://admin:s3cret@10.0.0.5:554/stream1"),
            "rtsp://***@10.0.0.5:554/stream1"
        );
        assert_eq!(
            redact_url("rtsp://cam.local/live?user=op&password=hunter2&channel=2"),
            "rtsp://cam.local/live?user=***&password=***&channel=2"
        );
        // Malformed text is redacted too (it shows up in error messages).
        assert_eq!(redact_url("rtsp://a:b@"), "rtsp://***@");
        assert_eq!(redact_url("no scheme at all"), "no scheme at all");
        // Passwords holding URL delimiters, and several URLs in one message.
        for secret in ["pa/ss", "pa#ss", "pa?ss"] {
            let text = format!(
                "could not open rtsp://admin:{secret}@10.0.0.5/x (then rtsp://u:{secret}@h2/y)"
            );
            let shown = redact_url(&text);
            assert!(!shown.contains(secret), "{shown}");
            assert!(
                shown.contains("rtsp://***@10.0.0.5/x") && shown.contains("rtsp://***@h2/y"),
                "{shown}"
            );
        }
    }

    #[test]
    fn sources_parse_by_scheme() {
        let base = Path::new("/site");
        let rtsp = Source::parse("rtsp://u:p@h/x", RtspTransport::Udp, DEFAULT_LATENCY, base)
            .expect("rtsp");
        assert!(matches!(
            rtsp,
            Source::Rtsp {
                transport: RtspTransport::Udp,
                ..
            }
        ));
        assert_eq!(format!("{rtsp:?}"), "rtsp://***@h/x");
        assert_eq!(
            Source::parse("clips/a.mkv", RtspTransport::Tcp, DEFAULT_LATENCY, base),
            Ok(Source::File {
                path: "/site/clips/a.mkv".into()
            })
        );
        assert!(matches!(
            Source::parse("test://ball", RtspTransport::Tcp, DEFAULT_LATENCY, base),
            Ok(Source::TestPattern { .. })
        ));
        let err = Source::parse("http://u:pw@h/x", RtspTransport::Tcp, DEFAULT_LATENCY, base)
            .expect_err("http is not a camera source here")
            .to_string();
        assert!(
            err.contains("scheme `http`") && !err.contains("pw"),
            "{err}"
        );
        let err = Source::parse("rtsp://", RtspTransport::Tcp, DEFAULT_LATENCY, base)
            .expect_err("no host")
            .to_string();
        assert!(err.contains("rtsp://"), "{err}");
    }

    #[test]
    fn a_bad_entry_is_reported_by_file_and_id_and_the_rest_load() {
        let text = r#"
            [[camera]]
            id = "gate-1"
            name = "Gate 1"
            url = "rtsp://127.0.0.1:8554/cam0"
            password = "topsecret"
            username = "viewer"
            lonlat = [71.43, 51.13]

            [[camera]]
            id = "gate-2"
            url = "ftp://nope"

            [[camera]]
            id = "gate-1"
            url = "test://ball"

            [[camera]]
            name = "no id"
            url = "test://"
        "#;
        let loaded = parse_cameras(text, Path::new("/etc/wf/cameras.toml"));
        assert_eq!(loaded.cameras.len(), 1, "{:?}", loaded.errors);
        assert_eq!(loaded.errors.len(), 3, "{:?}", loaded.errors);
        assert!(loaded.errors[0].starts_with("/etc/wf/cameras.toml: camera `gate-2`: `url`"));
        assert!(loaded.errors[1].contains("duplicate id `gate-1`"));
        assert!(
            loaded.errors[2].contains("camera #4"),
            "{}",
            loaded.errors[2]
        );
        let cam = &loaded.cameras[0];
        let Source::Rtsp { url, .. } = &cam.source else {
            panic!("rtsp")
        };
        assert_eq!(url.password(), Some("topsecret"));
        let shown = format!("{cam:?}");
        assert!(
            !shown.contains("topsecret") && !shown.contains("viewer"),
            "{shown}"
        );
    }

    #[test]
    fn broken_toml_names_the_file() {
        let loaded = parse_cameras("[[camera]\nid=", Path::new("site/cameras.toml"));
        assert!(loaded.cameras.is_empty());
        assert!(
            loaded.errors[0].starts_with("site/cameras.toml:"),
            "{:?}",
            loaded.errors
        );
    }
}
