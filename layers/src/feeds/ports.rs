//! Where a console's feeds listen (CoT over UDP and TCP, TAK's SA mesh
//! multicast, MAVLink over UDP).

use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4};

/// Where to listen. `None` turns a feed off; port 0 picks a free port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedPorts {
    /// CoT datagrams, XML or TAK Protocol (TAK's unicast port is 4242).
    pub cot_udp: Option<SocketAddr>,
    /// CoT stream, as from a TAK server or client (8087 plain TCP).
    pub cot_tcp: Option<SocketAddr>,
    /// TAK's situational-awareness mesh: a multicast group joined as ATAK
    /// joins it.
    pub sa_multicast: Option<MulticastGroup>,
    /// MAVLink 2 datagrams (the ground-station port, 14550).
    pub mavlink_udp: Option<SocketAddr>,
}

/// A multicast group to join, and on which interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MulticastGroup {
    /// Group address and port.
    pub group: SocketAddrV4,
    /// The local interface's address (`0.0.0.0`: the one the routing table
    /// picks for the group).
    pub interface: Ipv4Addr,
}

impl MulticastGroup {
    /// TAK's SA mesh: 239.2.3.1:6969, on the default interface.
    pub const TAK_SA: Self = Self {
        group: SocketAddrV4::new(Ipv4Addr::new(239, 2, 3, 1), 6969),
        interface: Ipv4Addr::UNSPECIFIED,
    };
}

impl FeedPorts {
    /// The standard ports on loopback, and the SA mesh.
    pub fn standard() -> Self {
        Self {
            cot_udp: Some(SocketAddr::from(([127, 0, 0, 1], 4242))),
            cot_tcp: Some(SocketAddr::from(([127, 0, 0, 1], 8087))),
            sa_multicast: Some(MulticastGroup::TAK_SA),
            mavlink_udp: Some(SocketAddr::from(([127, 0, 0, 1], 14550))),
        }
    }

    /// Free ports on loopback (demo and tests); no multicast.
    pub fn any_free() -> Self {
        let any = Some(SocketAddr::from(([127, 0, 0, 1], 0)));
        Self {
            cot_udp: any,
            cot_tcp: any,
            sa_multicast: None,
            mavlink_udp: any,
        }
    }
}
