//! The one place the program is assembled: what the command line asks for
//! becomes the runtime's options, the console and its window (or a
//! headless render), or a subcommand.

use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context as _;
use watchfloor_layers::access::Role;
use watchfloor_layers::feeds::ports::MulticastGroup;
use watchfloor_runtime::camera_set::Cameras;
use watchfloor_runtime::camera_start::{DemoCameras, start_configured};
use watchfloor_runtime::feeds::FeedPorts;
use watchfloor_runtime::package::OpenedPackage;
use watchfloor_runtime::paths::{ASTANA_BASEMAP, DEMO_RECORDINGS, DEMO_SITE, asset, data_dir};
use watchfloor_runtime::world::LiveWorld;
use watchfloor_runtime::world::WorldOptions;

use crate::cli::{BenchCommand, Cli, Command, ImportCommand, SimCommand};
use crate::console::{Console, ConsoleOptions};

pub mod station;
use crate::i18n::Lang;
use crate::{bench, commands, screenshot, sim_world, window};
pub use station::Station;

/// The options the command line asks for: the demo runs the Astana site
/// with its simulator on free loopback ports and a fresh demo journal;
/// otherwise the feeds listen on the standard ports of `listen`.
pub fn world_options(cli: &Cli) -> WorldOptions {
    let asset = |p: &str| asset(p).ok().filter(|p| p.exists());
    let site = cli
        .site
        .clone()
        .or_else(|| if cli.demo { asset(DEMO_SITE) } else { None });
    let data = data_dir();
    let journal = if cli.no_journal {
        None
    } else if let Some(dir) = &cli.journal {
        Some(dir.clone())
    } else if cli.demo {
        // Each demo run starts from an empty world.
        let dir = data.join("demo-journal");
        let _ = std::fs::remove_dir_all(&dir);
        Some(dir)
    } else {
        Some(data.join("journal"))
    };
    let ports = if cli.demo {
        FeedPorts::any_free()
    } else {
        let at = |port| Some(std::net::SocketAddr::new(cli.listen, port));
        FeedPorts {
            cot_udp: at(4242),
            cot_tcp: at(8087),
            sa_multicast: (!cli.no_sa).then_some(MulticastGroup {
                group: cli.sa_group,
                interface: cli.sa_interface,
            }),
            mavlink_udp: at(14550),
        }
    };
    let recordings = cli.recordings.clone().unwrap_or_else(|| {
        if cli.demo {
            watchfloor_media::assets::cache_dir().join(DEMO_RECORDINGS)
        } else {
            data.join("recordings")
        }
    });
    WorldOptions {
        site,
        basemap: asset(ASTANA_BASEMAP),
        journal,
        recordings,
        ports,
        drone_keys: cli.drones.clone(),
        simulate: cli.demo,
    }
}

/// Runs what the command line asks for: a subcommand, a headless render,
/// or the console in a window.
pub fn run(cli: &Cli) -> anyhow::Result<ExitCode> {
    if let Some(Command::Sim(SimCommand::Cameras(args))) = &cli.command {
        return commands::sim::run_cameras(args);
    }
    if let Some(Command::Sim(SimCommand::World(args))) = &cli.command {
        return sim_world::run(args);
    }
    if let Some(Command::Sim(SimCommand::TakClients(args))) = &cli.command {
        return sim_world::tak_clients::run(args);
    }
    if let Some(Command::Bench(bench)) = &cli.command {
        run_bench(bench)?;
        return Ok(ExitCode::SUCCESS);
    }
    if let Some(Command::Export(args)) = &cli.command {
        return commands::export::run(args);
    }
    if let Some(Command::Import(ImportCommand::Basemap { tiles, out })) = &cli.command {
        commands::import::basemap(tiles, out)?;
        return Ok(ExitCode::SUCCESS);
    }
    if let Some(Command::Import(ImportCommand::Regions { geojson, out })) = &cli.command {
        commands::import::regions(geojson, out)?;
        return Ok(ExitCode::SUCCESS);
    }
    if let Some(Command::Import(ImportCommand::DemoSite { basemap, out })) = &cli.command {
        commands::import::demo_site(basemap, out)?;
        return Ok(ExitCode::SUCCESS);
    }
    if let Some(Command::Audit(command)) = &cli.command {
        return commands::audit::run(command);
    }
    let package = open_package(cli)?;
    let demo = cli.demo && package.is_none();

    let headless = cli.screenshot.is_some();
    let options = ConsoleOptions {
        lang: cli.lang.unwrap_or_else(Lang::from_environment),
        demo,
        // A package is for training; a headless render cannot answer the
        // start dialog.
        role: if package.is_some() {
            Some(Role::Trainer)
        } else {
            cli.role.or(headless.then_some(Role::Dispatcher))
        },
        mode: cli.mode,
        checkpoint: cli.checkpoint.clone(),
        operator: operator(),
        exports: data_dir().join("exports"),
    };
    tracing::info!(lang = %options.lang, demo = options.demo, "starting the console");
    let mut console = Station::new(Console::new(&options), &options.operator);
    console.console_mut().set_map_zoom(cli.map_zoom);
    if !headless {
        keep_operator_state(&mut console, cli);
    }
    let world_options = if let Some(opened) = package {
        console.train_on(opened);
        None
    } else {
        let options = world_options(cli);
        console.set_recordings(options.recordings.clone());
        load_privacy_masks(&mut console, &options);
        Some(options)
    };

    if let Some(path) = &cli.screenshot {
        console.attach_checks(watchfloor_runtime::startup::start_checks(|| {})?);
        if let Some(world_options) = world_options {
            start_headless_world(&mut console, cli, demo, world_options)?;
        }
        screenshot::write_screenshot(&mut console, cli.size, path)?;
        return Ok(ExitCode::SUCCESS);
    }

    let window_shots = window_shots(cli)?;
    window::run(
        console,
        demo,
        cli.cameras.clone(),
        world_options,
        cli.size,
        window_shots,
    )?;
    Ok(ExitCode::SUCCESS)
}

/// `watchfloor replay DIR`: the incident package verified and read into a
/// private journal, for a trainer, offline.
fn open_package(cli: &Cli) -> anyhow::Result<Option<OpenedPackage>> {
    let Some(Command::Replay(args)) = &cli.command else {
        return Ok(None);
    };
    let work = watchfloor_media::assets::cache_dir()
        .join("replay")
        .join(format!("package-{}", std::process::id()));
    let opened = watchfloor_runtime::package::open(&args.package, &work)?;
    tracing::info!(
        package = %opened.dir.display(),
        events = opened.events,
        "incident package verified and opened"
    );
    Ok(Some(opened))
}

/// The site's privacy masks (its `detection.toml`; the demo's in the demo)
/// painted over camera pictures. Masks that cannot be read blank their
/// cameras (fail closed); the console runs.
fn load_privacy_masks(console: &mut Station, options: &WorldOptions) {
    let rules = watchfloor_runtime::detection::rules_beside(options.site.as_deref());
    if rules.is_none() && !options.simulate {
        return;
    }
    console
        .console_mut()
        .set_privacy(watchfloor_runtime::export::privacy_policy(rules.as_deref()));
}

/// Cameras, detection and the live world for a headless render.
fn start_headless_world(
    console: &mut Station,
    cli: &Cli,
    demo: bool,
    world_options: WorldOptions,
) -> anyhow::Result<()> {
    let mut cameras = if demo {
        Cameras::from_demo(DemoCameras::start(|| {})?)
    } else {
        Cameras::default()
    };
    cameras.enable_detection(
        watchfloor_runtime::detection::rules_beside(world_options.site.as_deref()),
        world_options.journal.clone(),
        || {},
    );
    if let Some(file) = &cli.cameras {
        let (ingests, errors) = start_configured(file, &world_options.recordings, || {});
        cameras.add(ingests, errors);
    }
    console.attach_cameras(cameras);
    let world = LiveWorld::start(world_options, || {})?;
    if demo && !world.wait_for_traffic(40, 3, 1, Duration::from_secs(20)) {
        tracing::warn!(
            "the simulated units, drones and first alarm did not all arrive within 20 s"
        );
    }
    console.attach_world(world);
    Ok(())
}

/// `--window-shot SECONDS FILE` pairs.
fn window_shots(cli: &Cli) -> anyhow::Result<Vec<(Duration, std::path::PathBuf)>> {
    let mut shots = Vec::new();
    for pair in cli.window_shot.as_deref().unwrap_or_default().chunks(2) {
        let [seconds, file] = pair else {
            anyhow::bail!("--window-shot takes SECONDS and FILE");
        };
        let seconds: f64 = seconds
            .parse()
            .ok()
            .filter(|s: &f64| (0.0..=3600.0).contains(s))
            .with_context(|| {
                format!("--window-shot: `{seconds}` is not a number of seconds from 0 to 3600")
            })?;
        shots.push((Duration::from_secs_f64(seconds), file.into()));
    }
    Ok(shots)
}

/// A console at work keeps its mode layouts and audits its operator; a
/// headless render does neither (it is reproducible, and nobody's shift).
fn keep_operator_state(console: &mut Station, cli: &Cli) {
    let dir = cli
        .config_dir
        .clone()
        .unwrap_or_else(watchfloor_runtime::paths::config_dir);
    console.keep_layouts(&dir, cli.mode);
    let audit = cli
        .audit
        .clone()
        .unwrap_or_else(watchfloor_runtime::paths::audit_dir);
    // A log that cannot be opened (locked, unreadable) still gets a trail:
    // actions go to a fallback file and the console says so on screen.
    console.attach_audit(watchfloor_layers::audit::AuditTrail::start_or_fallback(
        &audit,
    ));
}

/// Runs a benchmark.
fn run_bench(bench: &BenchCommand) -> anyhow::Result<()> {
    match bench {
        BenchCommand::Media(args) => bench::media::run(args)?,
        BenchCommand::Render(args) => bench::render::run(args)?,
        BenchCommand::Console(args) => bench::console::run(args)?,
        BenchCommand::Detect(args) => bench::detect::run(args)?,
        BenchCommand::Layers(args) => bench::layers::run(args)?,
        BenchCommand::Replay(args) => bench::replay::run(args)?,
        BenchCommand::Feeds(args) => bench::feeds::run(args)?,
    }
    Ok(())
}

/// Who is at the console: the login name.
pub fn operator() -> String {
    std::env::var("USER").unwrap_or_else(|_| "operator".into())
}
