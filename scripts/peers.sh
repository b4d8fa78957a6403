#!/usr/bin/env bash
# Independent peers the tests speak to, in a project-local Python venv
# (.deps/peers): pytak and takproto (a TAK client library and TAK Protocol
# codec) and pymavlink (MAVLink), none written here. Idempotent: a second
# run only prints the path.
#
#   scripts/peers.sh     prints the venv's python
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/.deps/peers"
want="pytak==7.6.1 takproto==3.0.1 pymavlink==2.4.50"
mkdir -p "$root/.deps"
# Tests run in parallel and may all ask at once: one installs, the rest wait.
exec 9>"$root/.deps/peers.lock"
flock 9
if [[ "$(cat "$venv/WANT" 2>/dev/null)" != "$want" ]]; then
  printf '[peers] installing %s into %s\n' "$want" "$venv" >&2
  rm -rf "$venv"
  python3 -m venv "$venv"
  # shellcheck disable=SC2086
  "$venv/bin/python" -m pip install -q --disable-pip-version-check $want >&2
  echo "$want" > "$venv/WANT"
fi
echo "$venv/bin/python"
