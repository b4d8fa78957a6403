//! The arguments of `watchfloor bench …` and `watchfloor sim world`.

use std::net::SocketAddr;
use std::path::PathBuf;

use super::parse::parse_size;

/// `bench media` options.
#[derive(Debug, Clone, clap::Args)]
pub struct MediaBenchArgs {
    /// Number of simulated camera streams.
    #[arg(long, default_value_t = 16, value_parser = clap::value_parser!(u16).range(1..=128))]
    pub streams: u16,
    /// Seconds measured in each phase (after a warm-up).
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u64).range(2..=600))]
    pub seconds: u64,
    /// Stream frame size, `WIDTHxHEIGHT`.
    #[arg(long, default_value = "640x360", value_parser = parse_size)]
    pub size: (u32, u32),
    /// Stream frame rate.
    #[arg(long, default_value_t = 15)]
    pub fps: u32,
    /// Print one JSON object as the last line of stdout.
    #[arg(long)]
    pub json: bool,
}

/// `watchfloor bench layers` options.
#[derive(Debug, clap::Args)]
pub struct LayersBenchArgs {
    /// Units in the index for the update and query figures.
    #[arg(long, default_value_t = 10_000, value_parser = clap::value_parser!(u32).range(10..=10_000_000))]
    pub units: u32,
    /// Position updates to time.
    #[arg(long, default_value_t = 2_000_000)]
    pub updates: u32,
    /// Units in the journal rebuilt at random instants.
    #[arg(long, default_value_t = 1000)]
    pub journal_units: u32,
    /// Seconds of journal at 1 report per unit per second.
    #[arg(long, default_value_t = 3600)]
    pub journal_seconds: u32,
    /// Instants to rebuild.
    #[arg(long, default_value_t = 50)]
    pub instants: u32,
    /// Where to put the journal (default: a temporary folder, removed after).
    #[arg(long)]
    pub dir: Option<PathBuf>,
    /// Also print one JSON object as the last line.
    #[arg(long)]
    pub json: bool,
}

/// `watchfloor bench render` options.
#[derive(Debug, clap::Args)]
pub struct RenderBenchArgs {
    /// Moving entities (units) drawn over the basemap.
    #[arg(long, default_value_t = 10_000)]
    pub entities: u32,
    /// Frames timed (after 10 warm-up frames), for the map and the empty frame each.
    #[arg(long, default_value_t = 120)]
    pub frames: u32,
    /// Frame size, as `WIDTHxHEIGHT`.
    #[arg(long, default_value = "1920x1080", value_parser = parse_size)]
    pub size: (u32, u32),
    /// Zoom (12.3 shows the whole city, 15 a district).
    #[arg(long, default_value_t = 12.3)]
    pub zoom: f64,
    /// Skip copying each finished frame to host memory.
    #[arg(long)]
    pub no_present: bool,
    /// Pan the camera every frame, so the basemap is rendered again each
    /// frame (the cost while the operator drags the map).
    #[arg(long)]
    pub pan: bool,
    /// Also print one JSON object as the last line.
    #[arg(long)]
    pub json: bool,
}

/// `bench detect` options.
#[derive(Debug, Clone, clap::Args)]
pub struct DetectBenchArgs {
    /// Number of simulated cameras.
    #[arg(long, default_value_t = 16, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub cameras: u16,
    /// Seconds measured in each phase (after a warm-up).
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u64).range(2..=600))]
    pub seconds: u64,
    /// ONNX Runtime threads (both phases).
    #[arg(long, default_value_t = 2)]
    pub threads: usize,
    /// Most frames per inference (both phases use the batch ours used most).
    #[arg(long, default_value_t = 4)]
    pub batch: usize,
    /// Print one JSON object as the last line of stdout.
    #[arg(long)]
    pub json: bool,
}

/// `bench console` options.
#[derive(Debug, Clone, clap::Args)]
pub struct ConsoleBenchArgs {
    /// Live simulated camera tiles on the wall.
    #[arg(long, default_value_t = 16, value_parser = clap::value_parser!(u16).range(1..=36))]
    pub tiles: u16,
    /// Units moving on the map.
    #[arg(long, default_value_t = 2000)]
    pub entities: u32,
    /// Seconds measured for the console (and again for the empty frame).
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u64).range(2..=600))]
    pub seconds: u64,
    /// Frame size, `WIDTHxHEIGHT`.
    #[arg(long, default_value = "1920x1080", value_parser = parse_size)]
    pub size: (u32, u32),
    /// Print one JSON object as the last line of stdout.
    #[arg(long)]
    pub json: bool,
}

/// Options of `bench replay`.
#[derive(Debug, clap::Args)]
pub struct ReplayBenchArgs {
    /// Minutes recorded.
    #[arg(long, default_value_t = 60, value_parser = clap::value_parser!(u32).range(1..=240))]
    pub minutes: u32,
    /// Units reporting once a second.
    #[arg(long, default_value_t = 1000)]
    pub units: u32,
    /// Cameras recorded (all visible on the wall).
    #[arg(long, default_value_t = 16, value_parser = clap::value_parser!(u32).range(1..=36))]
    pub cameras: u32,
    /// Seeks timed.
    #[arg(long, default_value_t = 30)]
    pub seeks: u32,
    /// Where the synthesised recording is kept (default: the cache).
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// Also print one JSON object as the last line.
    #[arg(long)]
    pub json: bool,
}

/// `watchfloor sim world` options.
#[derive(Debug, Clone, clap::Args)]
pub struct SimWorldArgs {
    /// Where to send CoT datagrams (cars, motorbikes, alarms).
    #[arg(long, default_value = "127.0.0.1:4242")]
    pub cot_udp: SocketAddr,
    /// Where to stream CoT over TCP (foot patrols, robots); unreachable
    /// falls back to UDP.
    #[arg(long, default_value = "127.0.0.1:8087")]
    pub cot_tcp: SocketAddr,
    /// Where to send MAVLink datagrams.
    #[arg(long, default_value = "127.0.0.1:14550")]
    pub mavlink_udp: SocketAddr,
    /// Patrol units (mostly cars; a tenth each motorbikes and foot, two robots).
    #[arg(long, default_value_t = 44, value_parser = clap::value_parser!(u16).range(1..=5000))]
    pub units: u16,
    /// Drones.
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u8).range(0..=20))]
    pub drones: u8,
    /// Mean seconds between one-click alarms (0: none).
    #[arg(long, default_value_t = 40)]
    pub alarm_every_s: u32,
    /// Site settings (checkpoints press the alarms); default: the Astana demo site.
    #[arg(long)]
    pub site: Option<PathBuf>,
    /// Basemap with the road network; default: the Astana basemap.
    #[arg(long)]
    pub basemap: Option<PathBuf>,
    /// Random seed (same seed, same scenario).
    #[arg(long, default_value_t = 7)]
    pub seed: u64,
    /// Stop after this many seconds (default: run until stopped).
    #[arg(long)]
    pub seconds: Option<f64>,
    /// Exit when standard input closes (the parent console pipes it).
    #[arg(long)]
    pub exit_on_stdin_eof: bool,
}

/// `watchfloor bench feeds` options.
#[derive(Debug, clap::Args)]
pub struct FeedsBenchArgs {
    /// TAK clients on loopback TCP, each reporting once a second (half CoT
    /// XML, half TAK Protocol after negotiation).
    #[arg(long, default_value_t = 5000, value_parser = clap::value_parser!(u32).range(1..=9000))]
    pub clients: u32,
    /// Drones over MAVLink, once a second each.
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u8).range(0..=200))]
    pub drones: u8,
    /// Seconds measured (after every client is on the map and a warm-up).
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u64).range(2..=600))]
    pub seconds: u64,
    /// Print one JSON object as the last line of stdout.
    #[arg(long)]
    pub json: bool,
}

/// `watchfloor sim tak-clients` options.
#[derive(Debug, clap::Args)]
pub struct SimTakClientsArgs {
    /// The receiver's CoT TCP port.
    #[arg(long, default_value = "127.0.0.1:8087")]
    pub cot_tcp: SocketAddr,
    /// The receiver's MAVLink port.
    #[arg(long, default_value = "127.0.0.1:14550")]
    pub mavlink_udp: SocketAddr,
    /// TAK clients (half XML, half TAK Protocol).
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..=9000))]
    pub clients: u32,
    /// Drones.
    #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(u8).range(0..=200))]
    pub drones: u8,
    /// Seconds each client reports for, once connected.
    #[arg(long, default_value_t = 30.0)]
    pub seconds: f64,
}
