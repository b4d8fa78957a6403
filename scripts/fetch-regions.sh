#!/usr/bin/env bash
# Extracts the Natural Earth countries and provinces (public domain) shipped
# in Debian's qgis-common package (usr/share/qgis/resources/data/world_map.gpkg)
# into a GeoJSON of outlines in the user cache, and prints its path.
# `watchfloor import regions --geojson "$(scripts/fetch-regions.sh)"` turns it
# into assets/basemap/regions.wfmap. Idempotent.
set -euo pipefail
cache="${XDG_CACHE_HOME:-$HOME/.cache}/watchfloor/natural-earth"
out="$cache/world_map_outlines.geojson"
if [ ! -s "$out" ]; then
  mkdir -p "$cache"
  tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && apt-get download -q qgis-common >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get download -q qgis-common >/dev/null; })
  dpkg-deb --fsys-tarfile "$tmp"/qgis-common_*.deb | tar -x -C "$tmp" ./usr/share/qgis/resources/data/world_map.gpkg
  python3 "$(dirname "${BASH_SOURCE[0]}")/gpkg_outlines.py" "$tmp/usr/share/qgis/resources/data/world_map.gpkg" "$out.part"
  mv "$out.part" "$out"
fi
echo "$out"
