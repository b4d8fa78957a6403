//! TAK's situational-awareness mesh: the multicast group TAK clients send
//! their position reports to (CoT XML or TAK Protocol mesh
//! datagrams), joined on one interface. The socket shares its port with
//! other listeners on the host (a TAK client beside the console).

use std::net::{Ipv4Addr, SocketAddrV4};

use anyhow::Context as _;
use watchfloor_layers::feeds::cot::MAX_MESSAGE_BYTES;
use watchfloor_layers::feeds::ingest::decode_datagram;
use watchfloor_layers::feeds::ports::MulticastGroup;
use watchfloor_layers::feeds::tak;

use super::serve::{EventSender, serve_socket};
use super::stats::FeedStats;

/// Joins `group` and serves it; returns the group as joined.
pub(super) fn start(
    group: MulticastGroup,
    events: EventSender,
    stats: FeedStats,
) -> anyhow::Result<MulticastGroup> {
    let socket = join(group).with_context(|| {
        format!(
            "the SA mesh {} cannot be joined on interface {}",
            group.group, group.interface
        )
    })?;
    let feed = format!("cot/mesh {}", group.group);
    tracing::info!(feed = %feed, interface = %group.interface, "SA mesh joined");
    serve_socket(
        socket,
        &feed,
        MAX_MESSAGE_BYTES + tak::MESH_HEADER.len() + 1,
        events,
        stats,
        decode_datagram,
    );
    Ok(group)
}

fn join(group: MulticastGroup) -> anyhow::Result<tokio::net::UdpSocket> {
    use socket2::{Domain, Protocol, Socket, Type};
    anyhow::ensure!(
        group.group.ip().is_multicast(),
        "{} is not a multicast address",
        group.group.ip()
    );
    let socket = Socket::new(Domain::IPV4, Type::DGRAM, Some(Protocol::UDP))?;
    socket.set_reuse_address(true)?;
    // Bound to the group's address, the socket receives that group only.
    socket.bind(&SocketAddrV4::new(*group.group.ip(), group.group.port()).into())?;
    socket.join_multicast_v4(group.group.ip(), &group.interface)?;
    if group.interface != Ipv4Addr::UNSPECIFIED {
        socket.set_multicast_if_v4(&group.interface)?;
    }
    socket.set_nonblocking(true)?;
    Ok(tokio::net::UdpSocket::from_std(socket.into())?)
}
