#!/usr/bin/env python3
"""Reads the `countries` and `states_provinces` tables of a GeoPackage
(Natural Earth's world_map.gpkg from qgis-common) and writes their polygon
outlines as a GeoJSON FeatureCollection of MultiLineStrings with `kind`
(country / province) and `name`. Standard library only: the GeoPackage
geometry header and WKB are parsed here."""
import json
import sqlite3
import struct
import sys


def wkb_rings(blob):
    """Every ring of a GeoPackage geometry blob, as lists of [lon, lat]."""
    if blob[:2] != b"GP":
        raise ValueError("not a GeoPackage geometry")
    flags = blob[3]
    envelope = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}[(flags >> 1) & 7]
    pos = 8 + envelope
    rings = []

    def read(pos):
        order = "<" if blob[pos] == 1 else ">"
        kind = struct.unpack_from(order + "I", blob, pos + 1)[0] % 1000
        pos += 5
        if kind == 3:  # Polygon
            (count,) = struct.unpack_from(order + "I", blob, pos)
            pos += 4
            for _ in range(count):
                (n,) = struct.unpack_from(order + "I", blob, pos)
                pos += 4
                coords = struct.unpack_from(order + "%dd" % (2 * n), blob, pos)
                pos += 16 * n
                rings.append([[round(coords[i], 5), round(coords[i + 1], 5)] for i in range(0, 2 * n, 2)])
        elif kind == 6:  # MultiPolygon
            (count,) = struct.unpack_from(order + "I", blob, pos)
            pos += 4
            for _ in range(count):
                pos = read(pos)
        else:
            raise ValueError("unexpected WKB type %d" % kind)
        return pos

    read(pos)
    return rings


def main(src, dst):
    db = sqlite3.connect(src)
    features = []
    for table, kind, name in (("countries", "country", "NAME"), ("states_provinces", "province", "name")):
        for geom, label in db.execute("select geom, %s from %s" % (name, table)):
            if geom is None:
                continue
            features.append({
                "type": "Feature",
                "geometry": {"type": "MultiLineString", "coordinates": wkb_rings(geom)},
                "properties": {"kind": kind, "name": label},
            })
    with open(dst, "w") as f:
        json.dump({"type": "FeatureCollection", "features": features}, f, separators=(",", ":"))
    print("%d outlines" % len(features), file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
