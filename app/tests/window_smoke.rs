//! The real console window opens, draws and moves: `watchfloor --demo`
//! under Xvfb (installed by `scripts/setup.sh --test`), on Mesa's lavapipe,
//! saving what the window shows through eframe's own screenshot path, twice
//! a few seconds apart: the video tiles must show live, non-black pictures
//! and the patrol units must have moved.

use std::path::Path;
use std::process::Command;

/// An RGB screenshot.
struct Shot {
    width: usize,
    height: usize,
    rgb: Vec<[u8; 3]>,
}

impl Shot {
    fn read(path: &Path) -> Self {
        let decoder = png::Decoder::new(std::io::BufReader::new(
            std::fs::File::open(path).expect("window screenshot exists"),
        ));
        let mut reader = decoder.read_info().expect("png header");
        let mut rgba = vec![0; reader.output_buffer_size().expect("size")];
        let info = reader.next_frame(&mut rgba).expect("png data");
        Self {
            width: info.width as usize,
            height: info.height as usize,
            rgb: rgba[..info.buffer_size()]
                .chunks_exact(4)
                .map(|p| [p[0], p[1], p[2]])
                .collect(),
        }
    }

    /// Pixels in a region given as fractions of the width and height.
    fn region(&self, x: [f32; 2], y: [f32; 2]) -> impl Iterator<Item = (usize, [u8; 3])> + '_ {
        let xs = (x[0] * self.width as f32) as usize..(x[1] * self.width as f32) as usize;
        let ys = (y[0] * self.height as f32) as usize..(y[1] * self.height as f32) as usize;
        ys.flat_map(move |row| xs.clone().map(move |col| row * self.width + col))
            .map(|i| (i, self.rgb[i]))
    }
}

fn near(a: [u8; 3], b: [u8; 3], tolerance: i32) -> bool {
    a.iter()
        .zip(b)
        .map(|(&p, q)| (i32::from(p) - i32::from(q)).abs())
        .sum::<i32>()
        <= tolerance
}

/// Where the 2×2 wall's tiles are at 1600×900 (fractions of the window),
/// and where the map is.
const WALL: ([f32; 2], [f32; 2]) = ([0.43, 0.67], [0.20, 0.43]);
const MAP: ([f32; 2], [f32; 2]) = ([0.21, 0.41], [0.08, 0.78]);
/// The available-unit marker colour (bluish green).
const UNIT_GREEN: [u8; 3] = [0, 158, 115];

#[test]
fn demo_window_shows_live_video_and_moving_units_under_xvfb() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let shots = [dir.join("window-demo-1.png"), dir.join("window-demo-2.png")];
    let config = dir.join("window-demo-config");
    for path in &shots {
        let _ = std::fs::remove_file(path);
    }
    let _ = std::fs::remove_dir_all(&config);
    let out = Command::new("timeout")
        .args(["120", "xvfb-run", "-a", "-s", "-screen 0 1600x900x24"])
        .arg(env!("CARGO_BIN_EXE_watchfloor"))
        .args(["--demo", "--role", "dispatcher", "--size", "1600x900"])
        .arg("--config-dir")
        .arg(&config)
        .arg("--audit")
        .arg(config.join("audit"))
        .arg("--window-shot")
        .arg("12")
        .arg(&shots[0])
        .arg("--window-shot")
        .arg("16")
        .arg(&shots[1])
        .output()
        .expect("xvfb-run is installed (scripts/setup.sh --test)");
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "window run failed: {log}");
    assert!(log.contains("window renderer ready"), "{log}");
    assert_eq!(log.matches("window screenshot written").count(), 2, "{log}");
    assert!(
        config.join("layouts.json").exists(),
        "the mode layouts were not kept"
    );
    // The operator's role and the four cameras that came on the wall are in
    // the audit trail, and its chain holds.
    let audit = watchfloor_layers::audit::AuditLog::open(&config.join("audit")).expect("audit");
    let entries = audit.since(0).expect("entries");
    assert_eq!(
        audit.verify().expect("intact").entries,
        entries.len() as u64
    );
    let viewed = entries
        .iter()
        .filter(|e| {
            matches!(
                e.record.action,
                watchfloor_layers::audit::AuditAction::CameraViewed { .. }
            )
        })
        .count();
    assert!(viewed >= 4 && entries.len() > viewed, "{entries:?}");

    let [a, b] = shots.map(|p| Shot::read(&p));
    assert!(
        a.width >= 1024 && a.height >= 640,
        "{}x{}",
        a.width,
        a.height
    );
    let distinct: std::collections::HashSet<[u8; 3]> = a.rgb.iter().copied().collect();
    assert!(distinct.len() > 50, "the window looks blank");
    // The focus frame around the map is drawn in sky blue (86, 180, 233).
    assert!(
        a.rgb.contains(&[86, 180, 233]),
        "no focus frame: the layout did not draw"
    );

    // Live video: the tiles are not black, and their pictures change.
    let tiles: Vec<(usize, [u8; 3])> = a.region(WALL.0, WALL.1).collect();
    let bright = tiles
        .iter()
        .filter(|(_, p)| p.iter().map(|&c| u32::from(c)).sum::<u32>() > 150)
        .count() as f64
        / tiles.len() as f64;
    let changed = tiles
        .iter()
        .filter(|&&(i, p)| !near(p, b.rgb[i], 30))
        .count() as f64
        / tiles.len() as f64;
    assert!(
        bright > 0.3,
        "the video tiles look black ({bright:.2} bright)"
    );
    assert!(
        changed > 0.05,
        "the video tiles did not change ({changed:.2})"
    );

    // Moving units: the available-unit markers on the map are not where
    // they were.
    let units = |s: &Shot| -> std::collections::HashSet<usize> {
        s.region(MAP.0, MAP.1)
            .filter(|&(_, p)| near(p, UNIT_GREEN, 6))
            .map(|(i, _)| i)
            .collect()
    };
    let (before, after) = (units(&a), units(&b));
    let moved = before.symmetric_difference(&after).count();
    assert!(before.len() > 40, "no unit markers on the map");
    assert!(moved > 20, "the units did not move");
}

/// The wall moved to its own window (as a saved layout) is a second OS
/// window showing live video; captured from the X server by GStreamer's
/// `ximagesrc` while the console runs.
#[test]
fn the_wall_in_its_own_window_shows_live_video() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("wall-window");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    std::fs::write(
        dir.join("layouts.json"),
        r#"{"mode": "normal", "layouts": {"normal": {"wall_window": true}}}"#,
    )
    .expect("layouts");
    let capture = dir.join("wall-window.png");
    let main = dir.join("main-window.png");
    let script = format!(
        "{bin} --demo --role dispatcher --size 1600x900 --config-dir {config} --audit {config}/audit \
         --window-shot 14 {main} & \
         sleep 10; gst-launch-1.0 -q ximagesrc xname='Watchfloor · Video wall' num-buffers=1 \
         ! videoconvert ! pngenc ! filesink location={capture}; wait",
        bin = env!("CARGO_BIN_EXE_watchfloor"),
        config = dir.display(),
        main = main.display(),
        capture = capture.display(),
    );
    let out = Command::new("timeout")
        .args(["120", "xvfb-run", "-a", "-s", "-screen 0 3000x1000x24"])
        .args(["sh", "-c", &script])
        .output()
        .expect("xvfb-run is installed (scripts/setup.sh --test)");
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "window run failed: {log}");
    assert!(log.contains("window screenshot written"), "{log}");
    let wall = Shot::read(&capture);
    assert!(wall.width >= 1000, "{}x{}", wall.width, wall.height);
    let bright = wall
        .rgb
        .iter()
        .filter(|p| p.iter().map(|&c| u32::from(c)).sum::<u32>() > 150)
        .count() as f64
        / wall.rgb.len() as f64;
    let distinct: std::collections::HashSet<[u8; 3]> = wall.rgb.iter().copied().collect();
    assert!(
        bright > 0.3 && distinct.len() > 2000,
        "the wall window shows no video: {bright:.2} bright, {} colours",
        distinct.len()
    );
}
