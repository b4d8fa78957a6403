"""A drone played by pymavlink (PyPI), a MAVLink implementation nobody here
wrote: sends HEARTBEAT and GLOBAL_POSITION_INT from one system to a UDP
port, then exits.

    python3 pymavlink_drone.py HOST:PORT SYSTEM_ID MODE LAT [PASSPHRASE]

MODE: `v1` (MAVLink 1), `unsigned` (MAVLink 2), `signed` (MAVLink 2 signed
with SHA-256 of PASSPHRASE, as MAVProxy's `signing setup` makes the key),
`replay` (signed, then the first signed datagram sent again unchanged).
"""
import hashlib
import os
import socket
import sys
import time

mode = sys.argv[3]
if mode != "v1":
    os.environ["MAVLINK20"] = "1"
from pymavlink import mavutil  # noqa: E402  (MAVLINK20 must be set first)

target, system_id, lat = sys.argv[1], int(sys.argv[2]), float(sys.argv[4])
link = mavutil.mavlink_connection(
    "udpout:" + target, source_system=system_id, source_component=1, dialect="common"
)
sent = []
real_write = link.write


def keep(buf):
    sent.append(bytes(buf))
    return real_write(buf)


link.write = keep
if mode in ("signed", "replay"):
    key = hashlib.sha256(sys.argv[5].encode()).digest()
    link.mav.signing.secret_key = key
    link.mav.signing.link_id = 1
    link.mav.signing.sign_outgoing = True
    link.mav.signing.timestamp = int((time.time() - 1420070400) * 100000)
for i in range(3):
    link.mav.heartbeat_send(
        mavutil.mavlink.MAV_TYPE_QUADROTOR, mavutil.mavlink.MAV_AUTOPILOT_PX4, 0, 0,
        mavutil.mavlink.MAV_STATE_ACTIVE,
    )
    link.mav.global_position_int_send(
        i * 100, int(lat * 1e7), int(71.43 * 1e7), 450_000, 100_000, 0, 0, 0, 9000
    )
    time.sleep(0.1)
if mode == "replay":
    time.sleep(0.3)
    raw = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    host, port = target.rsplit(":", 1)
    for buf in sent[:2]:
        raw.sendto(buf, (host, int(port)))
print(len(sent))
