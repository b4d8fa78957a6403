//! The real console window opens and draws: `watchfloor --demo` under Xvfb
//! (installed by `scripts/setup.sh --test`), on Mesa's lavapipe, saving what
//! the window shows through eframe's own screenshot path.

use std::path::Path;
use std::process::Command;

#[test]
fn demo_window_opens_under_xvfb_and_draws_the_console() {
    let shot = Path::new(env!("CARGO_TARGET_TMPDIR")).join("window-demo.png");
    let _ = std::fs::remove_file(&shot);
    let out = Command::new("timeout")
        .args(["120", "xvfb-run", "-a", "-s", "-screen 0 1600x900x24"])
        .arg(env!("CARGO_BIN_EXE_watchfloor"))
        .args(["--demo", "--size", "1600x900", "--window-shot", "4"])
        .arg(&shot)
        .output()
        .expect("xvfb-run is installed (scripts/setup.sh --test)");
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "window run failed: {log}");
    assert!(log.contains("window renderer ready"), "{log}");
    assert!(log.contains("window screenshot written"), "{log}");

    let decoder = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(&shot).expect("window screenshot exists"),
    ));
    let mut reader = decoder.read_info().expect("png header");
    let mut rgba = vec![0; reader.output_buffer_size().expect("size")];
    let info = reader.next_frame(&mut rgba).expect("png data");
    assert!(
        info.width >= 1024 && info.height >= 640,
        "{}x{}",
        info.width,
        info.height
    );
    let pixels: Vec<&[u8]> = rgba[..info.buffer_size()].chunks_exact(4).collect();
    let distinct: std::collections::HashSet<&[u8]> = pixels.iter().copied().collect();
    assert!(distinct.len() > 50, "the window looks blank");
    // The focus frame around the map is drawn in sky blue (86, 180, 233).
    assert!(
        pixels.iter().any(|p| p[..3] == [86, 180, 233]),
        "no focus frame: the layout did not draw"
    );
}
