#!/usr/bin/env bash
# Fetches the OpenStreetMap QA vector tiles of Astana from the npm registry
# (@mapbox/mvt-fixtures@4.0.0, ODbL) into the user cache and prints the
# directory holding them. Idempotent: verifies the tarball's checksum.
# `watchfloor import basemap --tiles "$(scripts/fetch-basemap.sh)"` re-creates
# assets/basemap/astana.wfmap from them.
set -euo pipefail
cache="${XDG_CACHE_HOME:-$HOME/.cache}/watchfloor/mvt-fixtures-4.0.0"
tiles="$cache/package/real-world/osm-qa-astana"
sha1=dcef7cd98c144f8d4e8be3becff558a92ea89170
if [ ! -f "$tiles/12-2860-1368.mvt" ]; then
  mkdir -p "$cache"
  tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
  curl -fsSL --retry 3 -o "$tmp/fixtures.tgz" \
    https://registry.npmjs.org/@mapbox/mvt-fixtures/-/mvt-fixtures-4.0.0.tgz
  echo "$sha1  $tmp/fixtures.tgz" | sha1sum -c --quiet -
  tar -xzf "$tmp/fixtures.tgz" -C "$cache" \
    package/real-world/osm-qa-astana package/LICENSE-ODbL-1.0.md package/REAL-WORLD.md
fi
echo "$tiles"
