#!/usr/bin/env bash
# Sets everything up (idempotent), builds, and opens the console on its
# embedded demo. Extra arguments go to `watchfloor`, e.g. `--lang zh-CN`.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

scripts/setup.sh
cargo build --locked -p watchfloor --bin watchfloor

if [[ -z "${DISPLAY:-}" && -z "${WAYLAND_DISPLAY:-}" ]]; then
  echo "[demo] no display (DISPLAY / WAYLAND_DISPLAY unset)." >&2
  echo "[demo] On a desktop, run this from its terminal. Headless, use:" >&2
  echo "[demo]   target/debug/watchfloor --demo --screenshot demo.png" >&2
  echo "[demo]   xvfb-run -a -s '-screen 0 1920x1080x24' scripts/demo.sh" >&2
  exit 1
fi
exec target/debug/watchfloor --demo "$@"
