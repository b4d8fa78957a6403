//! The `watchfloor` binary as a user runs it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn watchfloor() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_watchfloor"));
    cmd.env_remove("ORT_DYLIB_PATH");
    cmd
}

fn run(cmd: &mut Command) -> Output {
    cmd.output().expect("watchfloor runs")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn temp_png(name: &str) -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join(name)
}

/// Decodes a PNG into (width, height, rgba).
fn read_png(path: &Path) -> (u32, u32, Vec<u8>) {
    let decoder = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(path).expect("png exists"),
    ));
    let mut reader = decoder.read_info().expect("png header");
    let mut buf = vec![0; reader.output_buffer_size().expect("size")];
    let info = reader.next_frame(&mut buf).expect("png data");
    buf.truncate(info.buffer_size());
    (info.width, info.height, buf)
}

/// `--screenshot` needs no display server: `DISPLAY` and `WAYLAND_DISPLAY` are
/// removed, and the PNG still shows the console, with the start-up checks'
/// results (GStreamer, ONNX Runtime found without any variable) in it.
#[test]
fn screenshot_renders_headlessly_without_a_display() {
    let path = temp_png("cli-screenshot.png");
    let _ = std::fs::remove_file(&path);
    let out = run(watchfloor()
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .args(["--screenshot"])
        .arg(&path)
        .args(["--size", "1280x720", "--lang", "zh-CN"]));
    assert!(out.status.success(), "{}", stderr(&out));
    let log = stderr(&out);
    assert!(log.contains("ONNX Runtime loaded"), "{log}");
    assert!(log.contains("video: GStreamer 1."), "{log}");
    let (w, h, rgba) = read_png(&path);
    assert_eq!((w, h), (1280, 720));
    let distinct: std::collections::HashSet<&[u8]> = rgba.chunks_exact(4).collect();
    assert!(distinct.len() > 50, "the screenshot looks blank");
}

#[test]
fn replay_of_a_missing_package_names_it() {
    let out = run(watchfloor().args(["replay", "/nonexistent/incident-pkg"]));
    assert!(!out.status.success());
    let text = stderr(&out);
    assert!(text.contains("/nonexistent/incident-pkg"), "{text}");
}

#[test]
fn bad_arguments_are_named() {
    let out = run(watchfloor().args(["--log-level", "no=such=level", "--screenshot", "x.png"]));
    assert!(!out.status.success());
    assert!(stderr(&out).contains("--log-level"), "{}", stderr(&out));

    let out = run(watchfloor().args(["--lang", "fr"]));
    assert!(!out.status.success());
    assert!(stderr(&out).contains("zh-CN"), "{}", stderr(&out));

    let out = run(watchfloor().args([
        "--screenshot",
        "/nonexistent-dir/shot.png",
        "--size",
        "320x200",
    ]));
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("/nonexistent-dir/shot.png"),
        "{}",
        stderr(&out)
    );
}

/// A wrong `ORT_DYLIB_PATH` is reported, and the console still renders (the
/// detector is shown as unavailable, nothing else is lost).
#[test]
fn a_wrong_onnx_runtime_path_degrades_detection_only() {
    let path = temp_png("cli-screenshot-no-ort.png");
    let out = run(watchfloor()
        .env("ORT_DYLIB_PATH", "/nonexistent/libonnxruntime.so")
        .arg("--screenshot")
        .arg(&path)
        .args(["--size", "640x400"]));
    assert!(out.status.success(), "{}", stderr(&out));
    let log = stderr(&out);
    assert!(log.contains("detector unavailable"), "{log}");
    assert!(log.contains("/nonexistent/libonnxruntime.so"), "{log}");
}

/// The demo's cameras come from the simulator over real RTSP: four streams
/// are linked and go live, and the wall in the rendered PNG shows video
/// (many distinct colours where the tiles are), not placeholders.
#[test]
fn demo_screenshot_shows_live_video_from_the_simulator() {
    let path = temp_png("cli-demo.png");
    let _ = std::fs::remove_file(&path);
    let out = run(watchfloor()
        .args(["--demo", "--size", "1600x900", "--screenshot"])
        .arg(&path));
    let log = stderr(&out);
    assert!(out.status.success(), "{log}");
    assert_eq!(log.matches("stream linked").count(), 4, "{log}");
    assert!(log.contains("to=\"live\""), "{log}");
    assert!(log.contains("detection running"), "{log}");
    let (w, h, rgba) = read_png(&path);
    // The wall is right of the map: sample its top-left tile area.
    let (x0, x1, y0, y1) = (w * 55 / 100, w * 78 / 100, h * 8 / 100, h * 30 / 100);
    let mut colours = std::collections::HashSet::new();
    let (mut pixels, mut garbage_green) = (0_u32, 0_u32);
    for y in y0..y1 {
        for x in x0..x1 {
            let i = ((y * w + x) * 4) as usize;
            let [red, green, blue] = [rgba[i], rgba[i + 1], rgba[i + 2]];
            colours.insert([red, green, blue]);
            pixels += 1;
            // Strongly green-dominant pixels are what a YUV frame with
            // missing chroma (or a damaged decode) looks like; the footage
            // (grass included) has none. Measured: 0% clean, 39% damaged.
            if green > red.saturating_add(80) && green > blue.saturating_add(80) {
                garbage_green += 1;
            }
        }
    }
    assert!(
        colours.len() > 2000,
        "wall has {} colours: no video",
        colours.len()
    );
    assert!(
        garbage_green * 100 < pixels,
        "{garbage_green} of {pixels} wall pixels are strongly green: damaged video"
    );
    // Detection boxes (orange for people) drawn over the wall's tiles:
    // the real model found people in the simulated cameras' footage.
    let (x0, x1, y0, y1) = (w * 43 / 100, w * 67 / 100, h * 8 / 100, h * 34 / 100);
    let orange = (y0..y1)
        .flat_map(|y| (x0..x1).map(move |x| ((y * w + x) * 4) as usize))
        .filter(|&i| {
            rgba[i].abs_diff(230) < 25 && rgba[i + 1].abs_diff(159) < 25 && rgba[i + 2] < 40
        })
        .count();
    assert!(
        orange > 30,
        "{orange} box-coloured pixels on the wall: no detection boxes"
    );
}

/// Cameras from a `cameras.toml`: the good entry goes live, the bad entries
/// are reported with the file and the entry, and the console still runs.
#[test]
fn configured_cameras_load_and_bad_entries_are_named() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("cameras-config");
    std::fs::create_dir_all(&dir).expect("dir");
    let file = dir.join("cameras.toml");
    std::fs::write(
        &file,
        r#"
[[camera]]
id = "yard"
name = "Yard (test pattern)"
url = "test://ball"

[[camera]]
id = "gate"
url = "ftp://admin:secret@10.0.0.9/x"

[[camera]]
id = "lobby"
url = "rtsp://127.0.0.1:9/lobby"
lonlat = [200.0, 10.0]
"#,
    )
    .expect("write config");
    let png = temp_png("cli-cameras.png");
    let out = run(watchfloor()
        .arg("--cameras")
        .arg(&file)
        .args(["--size", "1280x720", "--screenshot"])
        .arg(&png));
    let log = stderr(&out);
    assert!(out.status.success(), "{log}");
    let shown = file.display().to_string();
    assert!(
        log.contains(&format!("{shown}: camera `gate`: `url`")),
        "{log}"
    );
    assert!(
        log.contains(&format!("{shown}: camera `lobby`: `lonlat`")),
        "{log}"
    );
    assert!(!log.contains("secret"), "credentials leaked: {log}");
    assert!(
        log.contains("camera=yard") && log.contains("to=\"live\""),
        "{log}"
    );
}

/// Pixels of `rgba` within 6 levels of `color` in each channel.
fn count_color(rgba: &[u8], color: [u8; 3]) -> usize {
    rgba.chunks_exact(4)
        .filter(|p| p.iter().zip(color).all(|(a, b)| a.abs_diff(b) <= 6))
        .count()
}

/// The map at two zooms, headless: the city shows its streets (the road
/// colours of the style are on screen), and zoomed out the region shows
/// country and province outlines instead.
#[test]
fn the_map_shows_the_city_and_zoomed_out_the_region() {
    use watchfloor_render::map::LineClass;
    let style = watchfloor_render::map::MapStyle::default();
    let rgb = |c: [u8; 4]| [c[0], c[1], c[2]];
    let mut counts = Vec::new();
    for zoom in ["13.5", "5"] {
        let path = temp_png(&format!("map-zoom-{zoom}.png"));
        let out = run(watchfloor()
            .args([
                "--log-level",
                "info",
                "--no-journal",
                "--listen",
                "127.0.0.2",
                "--map-zoom",
                zoom,
                "--size",
                "1600x900",
                "--screenshot",
            ])
            .arg(&path));
        assert!(out.status.success(), "{}", stderr(&out));
        assert!(
            stderr(&out).contains("basemap on the GPU"),
            "{}",
            stderr(&out)
        );
        let (_, _, rgba) = read_png(&path);
        let line =
            |c: watchfloor_render::map::LineClass| count_color(&rgba, rgb(style.lines[c as usize]));
        counts.push((
            line(LineClass::Residential) + line(LineClass::Secondary) + line(LineClass::Primary),
            line(LineClass::Country),
        ));
    }
    let [(city_roads, city_borders), (region_roads, region_borders)] = counts[..] else {
        panic!("two renders");
    };
    assert!(
        city_roads > 5_000,
        "streets at zoom 13.5: {city_roads} road pixels"
    );
    assert!(
        region_borders > 200,
        "country outlines at zoom 5: {region_borders} pixels"
    );
    assert!(
        region_roads < city_roads / 10,
        "streets are not drawn over the region: {region_roads}"
    );
    assert!(
        city_borders < region_borders,
        "{city_borders} vs {region_borders}"
    );
}

/// Storage damage (bytes of sled's data file flipped): `audit verify` names
/// the entries it makes unreadable by sequence, not the storage library's
/// message, exits 1, and writes nothing to the log it checks (it once
/// rewrote the damaged record); `audit show` marks those entries.
#[test]
fn audit_verify_names_storage_damage_by_entry_and_never_writes() {
    use watchfloor_layers::audit::{AuditAction, AuditLog};
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli-audit-damage");
    let _ = std::fs::remove_dir_all(&dir);
    {
        let log = AuditLog::open(&dir).expect("open");
        for i in 0..30 {
            log.append(
                1_795_420_800_000_000 + i * 1_000_000,
                "ops1",
                Some("dispatcher"),
                AuditAction::AlertAcknowledged {
                    alert: format!("alert-{i:02}"),
                },
            )
            .expect("append");
        }
    }
    let db = dir.join("db");
    let mut bytes = std::fs::read(&db).expect("db");
    let at = bytes
        .windows(10)
        .position(|w| w == b"\"alert-12\"")
        .expect("entry 12 in the data file");
    for b in &mut bytes[at..at + 24] {
        *b = b'#';
    }
    std::fs::write(&db, &bytes).expect("damage");
    let snapshot = |dir: &Path| -> Vec<(PathBuf, Vec<u8>)> {
        let mut files: Vec<(PathBuf, Vec<u8>)> = walk(dir)
            .into_iter()
            .map(|p| {
                let b = std::fs::read(&p).expect("read");
                (p, b)
            })
            .collect();
        files.sort();
        files
    };
    let before = snapshot(&dir);
    let arg = dir.to_str().expect("utf-8 path");
    let out = run(watchfloor().args(["audit", "verify", "--dir", arg]));
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(out.status.code(), Some(1), "{stdout}{}", stderr(&out));
    assert!(stdout.contains("entry 12 is broken"), "{stdout}");
    assert!(!stdout.to_lowercase().contains("sled"), "{stdout}");
    assert_eq!(snapshot(&dir), before, "verify wrote to the log it checks");
    let out = run(watchfloor().args(["audit", "show", "--dir", arg]));
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let marked: Vec<&str> = stdout.lines().filter(|l| l.contains('✗')).collect();
    assert!(
        marked.iter().any(|l| l.starts_with("#12 ")),
        "entry 12 is marked: {stdout}"
    );
    assert_eq!(snapshot(&dir), before, "show wrote to the log");
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("dir").filter_map(Result::ok) {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

/// `audit verify` recomputes the chain (exit 0, or 1 naming the first broken
/// entry); `audit show --since` lists entries from then on.
#[test]
fn audit_verify_and_show_work_on_a_real_log_and_name_a_tampered_entry() {
    use watchfloor_layers::audit::{AuditAction, AuditLog};
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli-audit");
    let _ = std::fs::remove_dir_all(&dir);
    {
        let log = AuditLog::open(&dir).expect("open");
        for (i, alert) in ["a1", "a2", "a3"].iter().enumerate() {
            log.append(
                1_795_420_800_000_000 + i as i64 * 60_000_000,
                "ops1",
                Some("dispatcher"),
                AuditAction::AlertAcknowledged {
                    alert: (*alert).into(),
                },
            )
            .expect("append");
        }
    }
    let arg = dir.to_str().expect("utf-8 path");
    let out = run(watchfloor().args(["audit", "verify", "--dir", arg]));
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "{stdout}{}", stderr(&out));
    assert!(stdout.contains("3 entries, chain intact"), "{stdout}");

    let out = run(watchfloor().args([
        "audit",
        "show",
        "--dir",
        arg,
        "--since",
        "2026-11-23T08:01:00Z",
    ]));
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout.lines().count(), 2, "{stdout}");
    assert!(stdout.contains("alert acknowledged: a2"), "{stdout}");
    assert!(!stdout.contains("a1"), "{stdout}");

    {
        let log = AuditLog::open(&dir).expect("open");
        let key = 1_u64.to_be_bytes();
        let value = log.raw().get(key).expect("get").expect("entry 1");
        let edited = String::from_utf8(value.to_vec())
            .expect("json")
            .replace("\"a2\"", "\"a9\"");
        log.raw().insert(key, edited.as_bytes()).expect("tamper");
        log.raw().flush().expect("flush");
    }
    let out = run(watchfloor().args(["audit", "verify", "--dir", arg]));
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(out.status.code(), Some(1), "{stdout}{}", stderr(&out));
    assert!(stdout.contains("entry 1 is broken"), "{stdout}");

    let out = run(watchfloor().args(["audit", "show", "--since", "soon", "--dir", arg]));
    assert!(!out.status.success());
    assert!(stderr(&out).contains("--since `soon`"), "{}", stderr(&out));
}
