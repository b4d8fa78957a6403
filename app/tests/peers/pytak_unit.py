"""A TAK field unit played by pytak (PyPI), a TAK client library nobody
here wrote: it sends position reports for one unit to COT_URL, as CoT XML
(proto 0) or TAK Protocol Version 1 (proto 1: streaming framing over TCP
and unicast UDP, mesh framing to a multicast group), then exits.

    python3 pytak_unit.py COT_URL PROTO UID CALLSIGN LAT LON [COUNT]
"""
import asyncio
import sys
import xml.etree.ElementTree as ET

import pytak


class Finished(Exception):
    """All reports sent."""


class Reports(pytak.QueueWorker):
    """Puts COUNT position reports on pytak's transmit queue."""

    def __init__(self, queue, config, unit):
        super().__init__(queue, config)
        self.unit = unit

    async def run(self, _=-1):
        uid, callsign, lat, lon, count = self.unit
        for i in range(count):
            event = ET.Element("event")
            event.set("version", "2.0")
            event.set("type", "a-f-G-U-C")
            event.set("uid", uid)
            event.set("how", "m-g")
            event.set("time", pytak.cot_time())
            event.set("start", pytak.cot_time())
            event.set("stale", pytak.cot_time(120))
            point = ET.SubElement(event, "point")
            point.set("lat", f"{lat + i * 1e-4:.6f}")
            point.set("lon", f"{lon:.6f}")
            point.set("hae", "350.0")
            point.set("ce", "8.0")
            point.set("le", "9999999.0")
            detail = ET.SubElement(event, "detail")
            ET.SubElement(detail, "contact", callsign=callsign)
            ET.SubElement(detail, "__group", name="Cyan", role="Team Member")
            ET.SubElement(detail, "track", course="90.0", speed="1.5")
            await self.put_queue(ET.tostring(event))
            await asyncio.sleep(0.2)
        await asyncio.sleep(1.0)  # let the transmit worker drain the queue
        raise Finished()


async def main():
    url, proto, uid, callsign, lat, lon = sys.argv[1:7]
    count = int(sys.argv[7]) if len(sys.argv) > 7 else 5
    config = {"COT_URL": url, "TAK_PROTO": proto, "PYTAK_NO_HELLO": "1"}
    tool = pytak.CLITool(config)
    await tool.setup()
    tool.add_tasks({Reports(tool.tx_queue, config, (uid, callsign, float(lat), float(lon), count))})
    try:
        await tool.run()
    except Finished:
        pass


if __name__ == "__main__":
    asyncio.run(main())
