//! A cheap look at whether a camera's source is reachable, for the time a
//! supervisor backs off between reconnects: a TCP connect to an RTSP
//! camera's port (no RTSP, no media), a file's existence. A source that was
//! unreachable when the wait began and is reachable now ends the wait at
//! once, so a camera that comes back is live again within about a second
//! however long the backoff had grown; a source that is reachable but
//! failing (a wrong path, a codec we refuse) waits out its backoff as before.

use std::net::{SocketAddr, TcpStream, ToSocketAddrs as _};
use std::path::PathBuf;
use std::time::Duration;

use crate::camera::Source;

/// How often the source is looked at while backing off.
pub const PROBE_EVERY: Duration = Duration::from_millis(200);

/// The longest one probe may take.
const CONNECT_TIMEOUT: Duration = Duration::from_millis(300);

/// The default RTSP port, for URLs that name none.
const RTSP_PORT: u16 = 554;

/// What can be probed of one source.
#[derive(Debug, Clone)]
pub enum Probe {
    /// An RTSP server's TCP port (resolved once per wait).
    Tcp(Vec<SocketAddr>),
    /// A local file.
    File(PathBuf),
}

impl Probe {
    /// The probe for `source`, if it has anything to probe. A test pattern
    /// has not; nor has a camera named by a host name other than
    /// `localhost`: resolving it could block the camera's thread on DNS
    /// (it waits its backoff out, as before). IPv4 and IPv6 addresses are
    /// probed as they are.
    pub fn of(source: &Source) -> Option<Self> {
        match source {
            Source::Rtsp { url, .. } => {
                let port = url.port().unwrap_or(RTSP_PORT);
                let addrs: Vec<SocketAddr> = match url.host()? {
                    url::Host::Ipv4(ip) => vec![SocketAddr::from((ip, port))],
                    url::Host::Ipv6(ip) => vec![SocketAddr::from((ip, port))],
                    // `rtsp:` is not a special scheme to the URL parser, so
                    // an IPv4 address arrives as a name.
                    url::Host::Domain(name) => match name.parse::<std::net::Ipv4Addr>() {
                        Ok(ip) => vec![SocketAddr::from((ip, port))],
                        Err(_) if name == "localhost" => {
                            ("localhost", port).to_socket_addrs().ok()?.collect()
                        }
                        Err(_) => return None,
                    },
                };
                (!addrs.is_empty()).then_some(Self::Tcp(addrs))
            }
            Source::File { path } => Some(Self::File(path.clone())),
            Source::TestPattern { .. } => None,
        }
    }

    /// Whether the source answers now.
    pub fn reachable(&self) -> bool {
        match self {
            Self::Tcp(addrs) => addrs
                .iter()
                .any(|a| TcpStream::connect_timeout(a, CONNECT_TIMEOUT).is_ok()),
            Self::File(path) => path.is_file(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_listening_port_is_reachable_and_a_closed_one_is_not() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let source = |port: u16| Source::Rtsp {
            url: url::Url::parse(&format!("rtsp://user:pw@127.0.0.1:{port}/cam")).expect("url"),
            transport: crate::camera::RtspTransport::Tcp,
            latency: Duration::from_millis(100),
        };
        let probe = Probe::of(&source(port)).expect("probe");
        assert!(probe.reachable());
        drop(listener);
        assert!(!probe.reachable());
        assert!(
            Probe::of(&Source::TestPattern {
                pattern: "ball".into()
            })
            .is_none()
        );
        let ipv6 = Source::Rtsp {
            url: url::Url::parse("rtsp://[::1]:1/cam").expect("url"),
            transport: crate::camera::RtspTransport::Tcp,
            latency: Duration::from_millis(100),
        };
        assert!(matches!(Probe::of(&ipv6), Some(Probe::Tcp(a)) if a[0].is_ipv6()));
        let named = Source::Rtsp {
            url: url::Url::parse("rtsp://camera.example.invalid/cam").expect("url"),
            transport: crate::camera::RtspTransport::Tcp,
            latency: Duration::from_millis(100),
        };
        assert!(Probe::of(&named).is_none(), "no DNS on the camera's thread");
        let missing = Probe::File(PathBuf::from("/nonexistent/clip.mp4"));
        assert!(!missing.reachable());
    }
}
