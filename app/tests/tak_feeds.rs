//! TAK field units as a real TAK client library plays them: `pytak`
//! (PyPI) sends position reports as CoT XML and as TAK Protocol Version 1
//! over unicast UDP, TCP and the SA mesh multicast group (on a real veth
//! link into a network namespace), and each unit appears on the console's
//! map with its callsign. A raw TCP client checks the streaming
//! negotiation: announced on connect, granted on request, then protobuf.

use std::io::{Read as _, Write as _};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use watchfloor_layers::feeds::ports::MulticastGroup;
use watchfloor_layers::feeds::tak::control::{self, Control};
use watchfloor_runtime::feeds::FeedPorts;
use watchfloor_runtime::world::{LiveWorld, WorldOptions};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The peers' Python (a project-local venv with pytak and takproto).
fn peers_python() -> PathBuf {
    let out = Command::new(root().join("scripts/peers.sh"))
        .output()
        .expect("scripts/peers.sh runs");
    assert!(
        out.status.success(),
        "scripts/peers.sh failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    PathBuf::from(String::from_utf8_lossy(&out.stdout).trim())
}

fn wait_until(what: &str, timeout: Duration, mut ok: impl FnMut() -> bool) {
    let deadline = Instant::now() + timeout;
    while !ok() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn start_world(ports: FeedPorts) -> (LiveWorld, FeedPorts) {
    let options = WorldOptions {
        site: None,
        basemap: None,
        journal: None,
        recordings: std::env::temp_dir().join("watchfloor-unused-recordings"),
        ports,
        drone_keys: None,
        simulate: false,
    };
    let live = LiveWorld::start(options, || {}).expect("starts");
    wait_until("the feeds to bind", Duration::from_secs(20), || {
        live.status().feeds.is_some()
    });
    let bound = live.status().feeds.expect("started").expect("feeds bound");
    (live, bound)
}

/// Runs the pytak unit (`app/tests/peers/pytak_unit.py`), optionally inside
/// a network namespace.
fn pytak_unit(netns: Option<&str>, url: &str, proto: u8, uid: &str, callsign: &str) {
    let python = peers_python();
    let script = root().join("app/tests/peers/pytak_unit.py");
    let mut cmd = match netns {
        Some(ns) => {
            let mut c = Command::new("ip");
            c.args(["netns", "exec", ns]).arg(&python);
            c
        }
        None => Command::new(&python),
    };
    let out = cmd
        .arg(&script)
        .args([
            url,
            &proto.to_string(),
            uid,
            callsign,
            "51.1280",
            "71.4300",
            "5",
        ])
        .output()
        .expect("pytak runs");
    assert!(
        out.status.success(),
        "pytak unit {uid} to {url} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn unit_callsign(live: &LiveWorld, uid: &str) -> Option<String> {
    live.world()
        .state()
        .units
        .get(uid)
        .map(|u| u.callsign.clone())
}

#[test]
fn pytak_units_arrive_over_udp_and_tcp_in_xml_and_tak_protocol() {
    let (live, bound) = start_world(FeedPorts::any_free());
    let udp = bound.cot_udp.expect("cot udp");
    let tcp = bound.cot_tcp.expect("cot tcp");
    let senders = [
        (format!("udp+wo://{udp}"), 0, "PYTAK-UDP-XML", "U-XML"),
        (format!("udp+wo://{udp}"), 1, "PYTAK-UDP-PROTO", "U-PROTO"),
        (format!("tcp://{tcp}"), 0, "PYTAK-TCP-XML", "T-XML"),
        (format!("tcp://{tcp}"), 1, "PYTAK-TCP-PROTO", "T-PROTO"),
    ];
    for (url, proto, uid, callsign) in &senders {
        pytak_unit(None, url, *proto, uid, callsign);
    }
    for (url, proto, uid, callsign) in &senders {
        wait_until(
            &format!("{uid} (TAK_PROTO={proto} to {url})"),
            Duration::from_secs(10),
            || unit_callsign(&live, uid).as_deref() == Some(*callsign),
        );
    }
    // Nothing pytak sent was counted as malformed, whichever encoding, and
    // half of it (TAK_PROTO=1) really came as TAK Protocol.
    let stats = live.feed_stats().expect("feeds running");
    for prefix in ["cot/udp", "cot/tcp"] {
        let total = stats.total(prefix);
        assert_eq!(total.malformed, 0, "{prefix}: {total:?}");
        assert!(total.events >= 10, "{prefix}: {total:?}");
        assert_eq!(total.tak_protocol, 5, "{prefix}: {total:?}");
    }
}

#[test]
fn a_stream_that_asks_for_tak_protocol_is_granted_it() {
    let (live, bound) = start_world(FeedPorts::any_free());
    let mut stream = TcpStream::connect(bound.cot_tcp.expect("cot tcp")).expect("connects");
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .expect("timeout");
    // The server speaks first, as a TAK server does.
    let announced = read_event(&mut stream);
    assert_eq!(
        control::parse(&announced),
        Some(Control::Support { versions: vec![1] }),
        "{}",
        String::from_utf8_lossy(&announced)
    );
    stream
        .write_all(control::request(1, chrono::Utc::now()).as_bytes())
        .expect("asks");
    let answer = read_event(&mut stream);
    assert_eq!(
        control::parse(&answer),
        Some(Control::Response { accepted: true })
    );
    // From now on protobuf: takproto's streaming bytes of an ATAK report.
    let report = std::fs::read(root().join("layers/tests/data/tak/atak-pli.stream"))
        .expect("fixture made by takproto");
    stream.write_all(&report).expect("sends");
    wait_until("the ATAK unit", Duration::from_secs(10), || {
        unit_callsign(&live, "ANDROID-deadbeef").as_deref() == Some("PATROL-12")
    });
}

/// Reads one XML `<event>…</event>` from the stream.
fn read_event(stream: &mut TcpStream) -> Vec<u8> {
    let mut got = Vec::new();
    let mut byte = [0_u8; 1];
    while !got.ends_with(b"</event>") {
        stream.read_exact(&mut byte).expect("the server answers");
        got.push(byte[0]);
    }
    got
}

/// A network namespace joined to this one by a veth pair, removed on drop.
struct Namespace {
    name: String,
}

impl Namespace {
    /// `10.<n>.0.1` here, `10.<n>.0.2` there; multicast routed over it there.
    fn with_veth(n: u8) -> Self {
        let name = format!("wf-mesh-{}", std::process::id());
        let (here, there) = (format!("wfm{n}a"), format!("wfm{n}b"));
        let ip = |args: &[&str]| {
            let out = Command::new("ip").args(args).output().expect("iproute2");
            assert!(
                out.status.success(),
                "ip {}: {}",
                args.join(" "),
                String::from_utf8_lossy(&out.stderr)
            );
        };
        let _ = Command::new("ip").args(["netns", "del", &name]).output();
        ip(&["netns", "add", &name]);
        let ns = Self { name };
        ip(&["link", "add", &here, "type", "veth", "peer", "name", &there]);
        ip(&["link", "set", &there, "netns", &ns.name]);
        ip(&["addr", "add", &format!("10.{n}.0.1/24"), "dev", &here]);
        ip(&["link", "set", &here, "up"]);
        let inside = |args: &[&str]| {
            let mut all = vec!["netns", "exec", ns.name.as_str(), "ip"];
            all.extend_from_slice(args);
            ip(&all);
        };
        inside(&["addr", "add", &format!("10.{n}.0.2/24"), "dev", &there]);
        inside(&["link", "set", &there, "up"]);
        inside(&["link", "set", "lo", "up"]);
        inside(&["route", "add", "224.0.0.0/4", "dev", &there]);
        ns
    }
}

impl Drop for Namespace {
    fn drop(&mut self) {
        // Deleting the namespace deletes the veth pair with it.
        let _ = Command::new("ip")
            .args(["netns", "del", &self.name])
            .output();
    }
}

#[test]
fn pytak_units_on_the_sa_mesh_arrive_over_a_real_link() {
    let ns = Namespace::with_veth(213);
    // A free port for the group (6969 may be taken by a TAK client here).
    let port = std::net::UdpSocket::bind("127.0.0.1:0")
        .and_then(|s| s.local_addr())
        .expect("a free port")
        .port();
    let group = MulticastGroup {
        group: std::net::SocketAddrV4::new(std::net::Ipv4Addr::new(239, 2, 3, 1), port),
        interface: std::net::Ipv4Addr::new(10, 213, 0, 1),
    };
    let ports = FeedPorts {
        sa_multicast: Some(group),
        ..FeedPorts::any_free()
    };
    let (live, bound) = start_world(ports);
    assert_eq!(bound.sa_multicast, Some(group), "the mesh was joined");
    let url = format!("udp://{}", group.group);
    pytak_unit(Some(&ns.name), &url, 0, "PYTAK-MESH-XML", "M-XML");
    pytak_unit(Some(&ns.name), &url, 1, "PYTAK-MESH-PROTO", "M-PROTO");
    for (uid, callsign) in [("PYTAK-MESH-XML", "M-XML"), ("PYTAK-MESH-PROTO", "M-PROTO")] {
        wait_until(uid, Duration::from_secs(10), || {
            unit_callsign(&live, uid).as_deref() == Some(callsign)
        });
    }
    let mesh = live.feed_stats().expect("feeds running").total("cot/mesh");
    assert_eq!(mesh.malformed, 0, "{mesh:?}");
    assert!(mesh.events >= 10, "{mesh:?}");
    assert_eq!(mesh.tak_protocol, 5, "mesh framing from pytak: {mesh:?}");
    drop(ns);
}
