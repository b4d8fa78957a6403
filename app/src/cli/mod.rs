//! The command line: the console itself and its subcommands.

use std::path::PathBuf;

use clap::{Parser, Subcommand};
use watchfloor_layers::access::{Mode, Role};

pub mod bench;
mod parse;

use parse::{parse_mode, parse_role, parse_size, parse_zoom};

use crate::i18n::Lang;

/// Watchfloor: a command-center console with a city map, a video wall, an
/// alert queue and a replay timeline.
#[derive(Debug, Parser)]
#[command(name = "watchfloor", version, about)]
pub struct Cli {
    /// Run the embedded demo scenario.
    #[arg(long)]
    pub demo: bool,

    /// UI language: `en` or `zh-CN` (default: from the locale, else English).
    #[arg(long, value_name = "LANG")]
    pub lang: Option<Lang>,

    /// Log level or filter, e.g. `info`, `debug`, `watchfloor=trace,wgpu=warn`.
    #[arg(long, value_name = "FILTER", default_value = "info", global = true)]
    pub log_level: String,

    /// Cameras to show, from a TOML file of `[[camera]]` entries (`id`,
    /// `name`, `url`, optional `sub_url`, `username`, `password`, `transport`,
    /// `latency_ms`, `lonlat`, `heading_deg`, `fov_deg`, `note`).
    #[arg(long, value_name = "FILE")]
    pub cameras: Option<PathBuf>,

    /// Render the console headlessly (no display needed) to this PNG and exit.
    #[arg(long, value_name = "FILE")]
    pub screenshot: Option<PathBuf>,

    /// Site settings (`site.toml` naming GeoJSON layers of checkpoints,
    /// rings, grid and cameras). The demo uses the Astana demo site.
    #[arg(long, value_name = "FILE")]
    pub site: Option<PathBuf>,

    /// Journal directory (every event, for replay); default: the user's data
    /// folder (`$XDG_DATA_HOME/watchfloor/journal`).
    #[arg(long, value_name = "DIR")]
    pub journal: Option<PathBuf>,

    /// Where cameras from `--cameras` are recorded (`<camera>/<start_ms>.mkv`;
    /// default: `$XDG_DATA_HOME/watchfloor/recordings`; the demo records
    /// into its cache).
    #[arg(long, value_name = "DIR")]
    pub recordings: Option<PathBuf>,

    /// Run without a journal (nothing is recorded for replay).
    #[arg(long, conflicts_with = "journal")]
    pub no_journal: bool,

    /// Address the feeds listen on: CoT on UDP 4242 and TCP 8087, MAVLink on
    /// UDP 14550 (use 0.0.0.0 to accept other hosts). The demo picks free
    /// loopback ports for its own simulator.
    #[arg(long, value_name = "IP", default_value = "127.0.0.1")]
    pub listen: std::net::IpAddr,

    /// TAK's situational-awareness mesh to join, as ATAK does: a multicast
    /// `GROUP:PORT` whose datagrams (CoT XML or TAK Protocol) are read like
    /// the UDP feed's. Not joined by the demo.
    #[arg(long, value_name = "GROUP:PORT", default_value = "239.2.3.1:6969")]
    pub sa_group: std::net::SocketAddrV4,

    /// The interface to join the SA mesh on, by its IPv4 address (default:
    /// the one the routing table picks for the group).
    #[arg(long, value_name = "IP", default_value = "0.0.0.0")]
    pub sa_interface: std::net::Ipv4Addr,

    /// Do not join the SA mesh.
    #[arg(long)]
    pub no_sa: bool,

    /// The fleet's MAVLink signing keys (`drones.toml`: `[[drone]]`
    /// `system_id` with `passphrase` or `key`; `require_signing`). A drone
    /// with a key is heard only through frames signed with it.
    #[arg(long, value_name = "FILE")]
    pub drones: Option<PathBuf>,

    /// The map's zoom at start (web-map levels: ~5 the region, 12.3 the
    /// whole city, 16 a street).
    #[arg(long, value_name = "ZOOM", default_value_t = 12.3, value_parser = parse_zoom)]
    pub map_zoom: f64,

    /// Size of the window or the headless render, as `WIDTHxHEIGHT`.
    #[arg(long, value_name = "WxH", default_value = "1920x1080", value_parser = parse_size)]
    pub size: (u32, u32),

    /// In a real window: after SECONDS, save what the window shows to FILE;
    /// may be given several times, and the window quits after the last
    /// (used to check the window under Xvfb).
    #[arg(long, value_names = ["SECONDS", "FILE"], num_args = 2, action = clap::ArgAction::Append)]
    pub window_shot: Option<Vec<String>>,

    /// Who is at the console: `dispatcher`, `supervisor` or `trainer`
    /// (default: asked at start, the last role offered first; a headless
    /// render uses `dispatcher`).
    #[arg(long, value_name = "ROLE", value_parser = parse_role)]
    pub role: Option<Role>,

    /// Operating mode to start in: `normal`, `emergency`, `major-event` or
    /// `special-operation` (default: the last one used).
    #[arg(long, value_name = "MODE", value_parser = parse_mode)]
    pub mode: Option<Mode>,

    /// A checkpoint to show at start in place of the wall (its site id, e.g.
    /// `cp-01`): a supervisor's own checkpoint.
    #[arg(long, value_name = "ID")]
    pub checkpoint: Option<String>,

    /// The audit trail of operator actions (default:
    /// `$XDG_DATA_HOME/watchfloor/audit`); `watchfloor audit verify` checks it.
    #[arg(long, value_name = "DIR")]
    pub audit: Option<PathBuf>,

    /// Folder of the saved mode layouts, `layouts.json` (default:
    /// `$XDG_CONFIG_HOME/watchfloor`).
    #[arg(long, value_name = "DIR")]
    pub config_dir: Option<PathBuf>,

    /// A subcommand; without one, the console opens.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Simulators: `sim cameras` (RTSP cameras), `sim world` (units, drones, incidents).
    #[command(subcommand)]
    Sim(SimCommand),
    /// Benchmarks, each printing a table (and one JSON object with `--json`).
    #[command(subcommand)]
    Bench(BenchCommand),
    /// Open an incident package for training: offline, map and wall replayed
    /// together, notes saved with the package.
    Replay(ReplayArgs),
    /// Export an incident package (video clips, tracks, layers, events and a
    /// SHA-256 manifest), or `export verify DIR` to check one.
    Export(ExportArgs),
    /// Check or list the audit trail of operator actions.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Import data once into the compact forms the console loads.
    #[command(subcommand)]
    Import(ImportCommand),
}

/// What to do with the audit trail.
#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Recompute the hash chain; name the first broken entry (exit 1).
    Verify {
        /// The audit log (default: `$XDG_DATA_HOME/watchfloor/audit`).
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
    /// List entries, oldest first.
    Show {
        /// From when: an RFC 3339 time (`2026-11-23T08:00:00+06:00`) or an
        /// age (`30m`, `8h`, `2d`); default: everything.
        #[arg(long, value_name = "WHEN")]
        since: Option<String>,
        /// The audit log (default: `$XDG_DATA_HOME/watchfloor/audit`).
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
}

/// What to import.
#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// OpenStreetMap vector tiles (`{z}-{x}-{y}.mvt`) into a basemap file,
    /// keeping a short list of tags and dropping editors' `@user` tags.
    Basemap {
        /// Folder of tiles (`scripts/fetch-basemap.sh` prints the Astana one).
        #[arg(long)]
        tiles: PathBuf,
        /// Output file.
        #[arg(long, default_value = "assets/basemap/astana.wfmap")]
        out: PathBuf,
    },
    /// Natural Earth country and province outlines (a GeoJSON from
    /// `scripts/fetch-regions.sh`) into the overview layer.
    Regions {
        /// The outlines.
        #[arg(long)]
        geojson: PathBuf,
        /// Output file.
        #[arg(long, default_value = "assets/basemap/regions.wfmap")]
        out: PathBuf,
    },
    /// Writes the Astana demo site (rings, checkpoints where major roads
    /// cross them, cameras, grid) from the basemap.
    DemoSite {
        /// The basemap.
        #[arg(long, default_value = "assets/basemap/astana.wfmap")]
        basemap: PathBuf,
        /// Output folder.
        #[arg(long, default_value = "assets/site/astana")]
        out: PathBuf,
    },
}

/// Which benchmark.
#[derive(Debug, Subcommand)]
pub enum BenchCommand {
    /// Camera ingest over RTSP vs bare decode of the same streams.
    Media(bench::MediaBenchArgs),
    /// The world's spatial index, queries, journal and state rebuild.
    Layers(bench::LayersBenchArgs),
    /// The GPU map with N moving entities vs an empty frame, offscreen.
    Render(bench::RenderBenchArgs),
    /// Detection on N simulated cameras vs a bare ONNX Runtime loop.
    Detect(bench::DetectBenchArgs),
    /// The whole console with N live tiles and M moving units vs an empty frame.
    Console(bench::ConsoleBenchArgs),
    /// Seeking in a 1-hour recording: map state and first video frames.
    Replay(bench::ReplayBenchArgs),
    /// N TAK clients (TCP, XML and TAK Protocol) and drones into the
    /// running world: messages applied per second, age, CPU, bare parse rate.
    Feeds(bench::FeedsBenchArgs),
}

/// What to simulate.
#[derive(Debug, Subcommand)]
pub enum SimCommand {
    /// Serve N RTSP cameras on 127.0.0.1 from looped real footage (H.264,
    /// encoded once per size and frame rate, never per stream or client).
    Cameras(SimCamerasArgs),
    /// Units on real roads, drones and one-click alarms, spoken over CoT and
    /// MAVLink to loopback.
    World(bench::SimWorldArgs),
    /// N TAK clients on TCP reporting once a second (half XML, half TAK
    /// Protocol) and M drones over MAVLink: the load `bench feeds` measures.
    TakClients(bench::SimTakClientsArgs),
}

/// `watchfloor sim cameras` options.
#[derive(Debug, clap::Args)]
pub struct SimCamerasArgs {
    /// Number of cameras (mounts /cam0 … /camN-1).
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=256))]
    pub count: u16,
    /// TCP port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 8554)]
    pub port: u16,
    /// Frame size, as `WIDTHxHEIGHT`.
    #[arg(long, default_value = "640x360", value_parser = parse_size)]
    pub size: (u32, u32),
    /// Frames per second.
    #[arg(long, default_value_t = 15, value_parser = clap::value_parser!(u32).range(1..=60))]
    pub fps: u32,
    /// Exit when standard input closes: a parent process pipes stdin, so the
    /// simulator ends with it even if the parent is killed.
    #[arg(long)]
    pub exit_on_stdin_eof: bool,
    /// Seconds of each clip to loop.
    #[arg(long, default_value_t = 60, value_parser = clap::value_parser!(u32).range(2..=80))]
    pub loop_seconds: u32,
}

/// `watchfloor replay DIR`.
#[derive(Debug, clap::Args)]
pub struct ReplayArgs {
    /// The incident package (made by `watchfloor export`).
    pub package: PathBuf,
}

/// `watchfloor export --from T1 --to T2 --out DIR`, or `export verify DIR`.
#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct ExportArgs {
    /// `verify DIR`: check a package against its manifest.
    #[command(subcommand)]
    pub verify: Option<ExportCommand>,
    /// Start: an RFC 3339 time (`2026-11-23T08:00:00+06:00`) or an age
    /// (`30m`, `8h`, `2d`: that long ago).
    #[arg(long, value_name = "WHEN", required = true)]
    pub from: Option<String>,
    /// End, like `--from` (default: now).
    #[arg(long, value_name = "WHEN")]
    pub to: Option<String>,
    /// Only these cameras (ids, comma-separated; default: every recorded one).
    #[arg(long, value_name = "IDS", value_delimiter = ',')]
    pub cameras: Vec<String>,
    /// The package folder to write (must not exist or be empty).
    #[arg(long, value_name = "DIR", required = true)]
    pub out: Option<PathBuf>,
    /// The journal (default: `$XDG_DATA_HOME/watchfloor/journal`).
    #[arg(long, value_name = "DIR")]
    pub journal: Option<PathBuf>,
    /// Recorded video, `<camera>/<start_ms>.mkv` (default:
    /// `$XDG_DATA_HOME/watchfloor/recordings`).
    #[arg(long, value_name = "DIR")]
    pub recordings: Option<PathBuf>,
    /// Site detection rules with the cameras' privacy masks (default: the
    /// demo site's).
    #[arg(long, value_name = "FILE")]
    pub rules: Option<PathBuf>,
    /// Export people unblurred: needs `--role supervisor` and `--reason`,
    /// and is audited.
    #[arg(long, requires = "reason")]
    pub unredacted: bool,
    /// Why redaction is lifted (recorded in the audit trail).
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
    /// Who is exporting (recorded in the audit trail).
    #[arg(long, value_name = "ROLE", value_parser = parse_role, default_value = "dispatcher")]
    pub role: Role,
    /// The audit log (default: `$XDG_DATA_HOME/watchfloor/audit`).
    #[arg(long, value_name = "DIR")]
    pub audit: Option<PathBuf>,
}

/// `watchfloor export verify DIR`.
#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// Recompute every file's SHA-256 and compare with the manifest; name
    /// each missing, altered or unlisted file (exit 1).
    Verify {
        /// The package folder.
        dir: PathBuf,
    },
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn sizes_parse_and_bad_sizes_are_explained() {
        assert_eq!(parse_size("1920x1080"), Ok((1920, 1080)));
        assert!(parse_size("1920").unwrap_err().contains("WIDTHxHEIGHT"));
        assert!(parse_size("10x10").unwrap_err().contains("64–8192"));
    }

    #[test]
    fn sim_cameras_parses_and_checks_ranges() {
        let cli = Cli::try_parse_from([
            "watchfloor",
            "sim",
            "cameras",
            "--count",
            "16",
            "--port",
            "0",
        ])
        .expect("parses");
        let Some(Command::Sim(SimCommand::Cameras(args))) = cli.command else {
            panic!("expected sim cameras");
        };
        assert_eq!(
            (args.count, args.port, args.size, args.fps),
            (16, 0, (640, 360), 15)
        );
        assert!(Cli::try_parse_from(["watchfloor", "sim", "cameras", "--count", "0"]).is_err());
    }

    #[test]
    fn export_takes_a_range_or_verify() {
        let cli = Cli::try_parse_from([
            "watchfloor",
            "export",
            "--from",
            "30m",
            "--out",
            "pkg",
            "--cameras",
            "a,b",
        ])
        .expect("parses");
        let Some(Command::Export(args)) = cli.command else {
            panic!("expected export");
        };
        assert_eq!(args.cameras, ["a", "b"]);
        assert!(args.verify.is_none());
        let cli = Cli::try_parse_from(["watchfloor", "export", "verify", "pkg"]).expect("parses");
        let Some(Command::Export(args)) = cli.command else {
            panic!("expected export");
        };
        assert!(matches!(args.verify, Some(ExportCommand::Verify { .. })));
        assert!(Cli::try_parse_from(["watchfloor", "export", "--from", "30m"]).is_err());
    }

    #[test]
    fn language_flag_accepts_tags() {
        let cli = Cli::try_parse_from(["watchfloor", "--lang", "zh-CN"]).expect("parses");
        assert_eq!(cli.lang, Some(Lang::ZhCn));
        assert!(Cli::try_parse_from(["watchfloor", "--lang", "xx"]).is_err());
    }
}
