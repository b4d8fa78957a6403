"""Writes TAK Protocol fixtures with `takproto` (PyPI, MIT), an encoder
nobody here wrote: each CoT XML sample here as a mesh datagram (.mesh) and
a streaming message (.stream). Run: python3 make_fixtures.py (in a venv
with `pip install takproto`)."""
import pathlib
import takproto

here = pathlib.Path(__file__).parent
for xml in sorted(here.glob("*.xml")):
    data = xml.read_bytes()
    xml.with_suffix(".mesh").write_bytes(bytes(takproto.xml2proto(data, takproto.TAKProtoVer.MESH)))
    xml.with_suffix(".stream").write_bytes(bytes(takproto.xml2proto(data, takproto.TAKProtoVer.STREAM)))
    print(xml.name)
