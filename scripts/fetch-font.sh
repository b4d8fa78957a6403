#!/usr/bin/env bash
# Re-creates assets/fonts/wqy-microhei.ttc from Debian's fonts-wqy-microhei
# package and checks it is byte-identical to the committed file.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
want="2420e8078af796b19a3f6ef13de527a1a91c1e7171eea115926c614ced1009b3"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && apt-get download fonts-wqy-microhei >/dev/null && dpkg -x fonts-wqy-microhei_*.deb x)
got="$(sha256sum "$tmp/x/usr/share/fonts/truetype/wqy/wqy-microhei.ttc" | cut -d' ' -f1)"
[[ "$got" == "$want" ]] || { echo "font differs: sha256 $got, expected $want" >&2; exit 1; }
install -m 644 "$tmp/x/usr/share/fonts/truetype/wqy/wqy-microhei.ttc" "$root/assets/fonts/"
install -m 644 "$tmp/x/usr/share/doc/fonts-wqy-microhei/copyright" "$root/assets/fonts/wqy-microhei.COPYRIGHT"
echo "assets/fonts/wqy-microhei.ttc: ok ($got)"
