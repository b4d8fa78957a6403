//! `watchfloor sim …`: simulators that speak the real protocols on loopback.

use std::io::Write as _;
use std::process::ExitCode;

use anyhow::Context as _;
use watchfloor_media::sim::{Encoding, SimOptions, Simulator};

use crate::cli::SimCamerasArgs;

/// Serves simulated RTSP cameras until the process is stopped. Prints one
/// line per camera (`URL<TAB>name<TAB>credit`), then `ready`, on stdout.
pub fn run_cameras(args: &SimCamerasArgs) -> anyhow::Result<ExitCode> {
    let options = SimOptions {
        count: usize::from(args.count),
        port: args.port,
        encoding: Encoding {
            width: args.size.0,
            height: args.size.1,
            fps: args.fps,
            seconds: args.loop_seconds,
        },
        ..SimOptions::default()
    };
    let simulator = Simulator::start(&options).context("starting the camera simulator")?;
    let mut out = std::io::stdout().lock();
    for camera in simulator.cameras() {
        writeln!(out, "{}\t{}\t{}", camera.url, camera.name, camera.credit)?;
    }
    writeln!(out, "ready")?;
    out.flush()?;
    drop(out);
    if args.exit_on_stdin_eof {
        // Serve until the parent goes away (its end of our stdin closes).
        let mut sink = Vec::new();
        let _ = std::io::Read::read_to_end(&mut std::io::stdin(), &mut sink);
        tracing::info!("standard input closed: the camera simulator stops");
        drop(simulator);
        return Ok(ExitCode::SUCCESS);
    }
    // Serve until killed; the simulator's threads do the work.
    loop {
        std::thread::park();
    }
}
