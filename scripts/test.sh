#!/usr/bin/env bash
# Every check, as CI runs it: set-up (idempotent), formatting, the dependency
# arrows, clippy with warnings as errors, every fuzz target for a few seconds,
# and the whole test suite, including headless renders on Mesa's lavapipe and
# a real window under Xvfb.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

step() { printf '\n==> %s\n' "$*"; }

step "set-up"
scripts/setup.sh --test

# A private runtime dir silences Mesa/winit warnings; an empty WGPU_BACKEND
# makes wgpu find no adapter at all, so drop it rather than pass it on.
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-$(mktemp -d)}"
chmod 700 "$XDG_RUNTIME_DIR"
[[ -n "${WGPU_BACKEND-unset}" ]] || unset WGPU_BACKEND
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

step "map sources (npm registry, Debian archive; the import tests re-import them)"
scripts/fetch-basemap.sh
scripts/fetch-regions.sh

step "cargo fmt --check"
cargo fmt --all -- --check

step "dependency arrows"
python3 scripts/check_deps.py --self-test
python3 scripts/check_deps.py
python3 scripts/check_modules.py --self-test
python3 scripts/check_modules.py app/src app/console/src app/runtime/src

step "cargo clippy -D warnings"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "fuzz targets build and run a few seconds each on their seeds (scripts/fuzz.sh --smoke)"
scripts/fuzz.sh --smoke

step "tests (cargo nextest)"
cargo nextest run --workspace --locked --profile ci
