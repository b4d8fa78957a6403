//! Where a console's feeds listen (CoT over UDP and TCP, MAVLink over UDP).

use std::net::SocketAddr;

/// Where to listen. `None` turns a feed off; port 0 picks a free port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedPorts {
    /// CoT datagrams (TAK's default mesh port is 4242 unicast / 6969 multicast).
    pub cot_udp: Option<SocketAddr>,
    /// CoT stream, as from a TAK server or client (8087 plain TCP).
    pub cot_tcp: Option<SocketAddr>,
    /// MAVLink 2 datagrams (the ground-station port, 14550).
    pub mavlink_udp: Option<SocketAddr>,
}

impl FeedPorts {
    /// The standard ports on loopback.
    pub fn standard() -> Self {
        Self {
            cot_udp: Some(SocketAddr::from(([127, 0, 0, 1], 4242))),
            cot_tcp: Some(SocketAddr::from(([127, 0, 0, 1], 8087))),
            mavlink_udp: Some(SocketAddr::from(([127, 0, 0, 1], 14550))),
        }
    }

    /// Free ports on loopback (demo and tests).
    pub fn any_free() -> Self {
        let any = Some(SocketAddr::from(([127, 0, 0, 1], 0)));
        Self {
            cot_udp: any,
            cot_tcp: any,
            mavlink_udp: any,
        }
    }
}
