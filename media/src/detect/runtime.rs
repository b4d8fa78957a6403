//! Finding and loading the ONNX Runtime shared library.
//!
//! `ort` is built with `load-dynamic`: nothing is linked at build time, and the
//! library is opened at run time from the first of these that exists:
//!
//! 1. `ORT_DYLIB_PATH` (a file), when set: it overrides everything else;
//! 2. `libonnxruntime.so*` beside the `watchfloor` executable (installed layout);
//! 3. the project-local `.deps/onnxruntime/` that `scripts/setup.sh` fills from
//!    the `onnxruntime` PyPI wheel (a source checkout needs no variable).

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::MediaError;

/// The environment variable that overrides where the library is looked for.
pub const ORT_DYLIB_ENV: &str = "ORT_DYLIB_PATH";

/// Where `scripts/setup.sh` puts the library in a source checkout.
const PROJECT_LOCAL_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../.deps/onnxruntime");

/// A loaded ONNX Runtime, ready to open models.
pub struct OnnxRuntime {
    library: PathBuf,
    version: String,
    environment: ort::environment::Environment,
}

impl std::fmt::Debug for OnnxRuntime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OnnxRuntime")
            .field("library", &self.library)
            .field("version", &self.version)
            .finish_non_exhaustive()
    }
}

impl OnnxRuntime {
    /// The library file that was loaded.
    pub fn library(&self) -> &Path {
        &self.library
    }

    /// The runtime's version, e.g. "1.31.1".
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The process-wide ONNX Runtime environment that sessions are built on.
    pub fn environment(&self) -> &ort::environment::Environment {
        &self.environment
    }
}

/// The process-wide runtime, loaded on first use (ONNX Runtime allows one
/// environment per process). Later calls return the same result.
///
/// Loading opens a shared library: call it off the UI thread.
pub fn onnx_runtime() -> Result<&'static OnnxRuntime, &'static MediaError> {
    static RUNTIME: OnceLock<Result<OnnxRuntime, MediaError>> = OnceLock::new();
    RUNTIME
        .get_or_init(|| {
            let exe_dir = std::env::current_exe()
                .ok()
                .and_then(|exe| exe.parent().map(Path::to_path_buf));
            let override_path = std::env::var_os(ORT_DYLIB_ENV).map(PathBuf::from);
            let library = locate_onnxruntime(override_path.as_deref(), exe_dir.as_deref())?;
            load(library)
        })
        .as_ref()
}

/// Finds the library: the override if given (and nothing else), otherwise
/// beside the executable, otherwise in the project-local folder.
pub fn locate_onnxruntime(
    override_path: Option<&Path>,
    exe_dir: Option<&Path>,
) -> Result<PathBuf, MediaError> {
    if let Some(path) = override_path {
        return if path.is_file() {
            Ok(path.to_path_buf())
        } else {
            Err(MediaError::OrtNotFound {
                searched: vec![path.to_path_buf()],
            })
        };
    }
    let dirs: Vec<PathBuf> = exe_dir
        .map(Path::to_path_buf)
        .into_iter()
        .chain(std::iter::once(PathBuf::from(PROJECT_LOCAL_DIR)))
        .collect();
    dirs.iter()
        .find_map(|dir| library_in(dir))
        .ok_or(MediaError::OrtNotFound { searched: dirs })
}

/// `libonnxruntime.so` in `dir`, or else any versioned `libonnxruntime.so.*`.
fn library_in(dir: &Path) -> Option<PathBuf> {
    let plain = dir.join("libonnxruntime.so");
    if plain.is_file() {
        return Some(plain);
    }
    let mut versioned: Vec<PathBuf> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|p| {
            p.is_file()
                && p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with("libonnxruntime.so."))
        })
        .collect();
    // Newest version first by number (1.31.1 beats 1.9.0).
    versioned.sort_by_key(|p| {
        p.file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.strip_prefix("libonnxruntime.so."))
            .map(|v| {
                v.split('.')
                    .map(|part| part.parse::<u32>().unwrap_or(0))
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    });
    versioned.pop()
}

fn load(library: PathBuf) -> Result<OnnxRuntime, MediaError> {
    let environment = ort::init_from(&library)
        .map_err(|source| MediaError::OrtLoad {
            path: library.clone(),
            source,
        })?
        .with_name("watchfloor")
        .build()
        .map_err(|source| MediaError::OrtInit {
            path: library.clone(),
            source,
        })?;
    let version = version_of(&library).unwrap_or_else(|| ort::info().to_string());
    tracing::info!(library = %library.display(), %version, "ONNX Runtime loaded");
    Ok(OnnxRuntime {
        library,
        version,
        environment,
    })
}

/// The version in the library's real file name (`libonnxruntime.so.1.31.1`).
fn version_of(library: &Path) -> Option<String> {
    let real = std::fs::canonicalize(library).ok()?;
    let name = real.file_name()?.to_str()?;
    name.strip_prefix("libonnxruntime.so.").map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn override_is_used_alone_and_a_missing_override_is_an_error() {
        let missing = Path::new("/nonexistent/libonnxruntime.so");
        let err = locate_onnxruntime(Some(missing), None).expect_err("missing file");
        let text = err.to_string();
        assert!(text.contains("/nonexistent/libonnxruntime.so"), "{text}");
        assert!(text.contains("ORT_DYLIB_PATH"), "{text}");
    }

    #[test]
    fn a_library_beside_the_executable_wins_over_the_project_folder() {
        let dir = std::env::temp_dir().join(format!("wf-ort-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let lib = dir.join("libonnxruntime.so.1.99.0");
        std::fs::write(&lib, b"not really a library").expect("write");
        let found = locate_onnxruntime(None, Some(&dir)).expect("found");
        assert_eq!(found, lib);
        std::fs::remove_dir_all(&dir).expect("cleanup");
    }

    #[test]
    fn a_file_that_is_not_a_library_gives_a_load_error_naming_it() {
        let dir = std::env::temp_dir().join(format!("wf-ort-bad-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let lib = dir.join("libonnxruntime.so");
        std::fs::write(&lib, b"garbage").expect("write");
        let err = load(lib.clone()).expect_err("garbage is not a library");
        assert!(
            err.to_string().contains(&lib.display().to_string()),
            "{err}"
        );
        std::fs::remove_dir_all(&dir).expect("cleanup");
    }

    /// The set-up script's library is found without any variable and loads.
    #[test]
    fn the_project_local_runtime_loads() {
        let runtime = onnx_runtime().expect("run scripts/setup.sh first");
        let major_minor: Vec<u32> = runtime
            .version()
            .split('.')
            .take(2)
            .map(|n| n.parse().expect("numeric version"))
            .collect();
        assert_eq!(major_minor[0], 1);
        assert!(major_minor[1] >= 31, "version {}", runtime.version());
    }
}
