#!/usr/bin/env bash
# One-time, idempotent set-up for Watchfloor on Debian 12 / Ubuntu 24.04.
#
#   scripts/setup.sh          packages to build and run the console
#   scripts/setup.sh --test   the same, plus what headless tests need
#
# Installs the Debian packages that are missing (GStreamer, RTSP server, Mesa
# lavapipe, X libraries, Xvfb), and brings the ONNX Runtime shared library
# from the `onnxruntime` PyPI wheel into the project-local folder `.deps/`
# (no system-wide pip install). A second run does nothing and takes a second.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
want_test=0
[[ "${1:-}" == "--test" ]] && want_test=1

log() { printf '[setup] %s\n' "$*" >&2; }

# --- Debian packages ------------------------------------------------------
runtime_pkgs=(
  pkg-config
  libgstreamer1.0-dev libgstreamer-plugins-base1.0-dev
  gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad
  gstreamer1.0-plugins-ugly gstreamer1.0-libav gstreamer1.0-tools
  libgstrtspserver-1.0-dev gstreamer1.0-rtsp
  mesa-vulkan-drivers libvulkan1 libgl1 libegl1 libgl1-mesa-dri
  libxkbcommon-x11-0 libxkbcommon-dev libwayland-dev libx11-dev
  libxcursor1 libxrandr2 libxi6
  python3 python3-pip unzip curl ca-certificates
)
test_pkgs=(xvfb xauth x11-apps python3-venv iproute2)

pkgs=("${runtime_pkgs[@]}")
(( want_test )) && pkgs+=("${test_pkgs[@]}")

missing=()
for p in "${pkgs[@]}"; do
  status="$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)"
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done

if (( ${#missing[@]} )); then
  sudo=""
  if [[ "$(id -u)" != 0 ]]; then
    command -v sudo >/dev/null || { log "need root or sudo to install: ${missing[*]}"; exit 1; }
    sudo="sudo"
  fi
  log "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -q
  $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
  # An interrupted install can leave the plugin cache blacklisting decoders.
  rm -rf "${HOME}/.cache/gstreamer-1.0"
fi

# --- Rust toolchain pieces --------------------------------------------------
command -v cargo >/dev/null || {
  log "cargo not found: install Rust ${RUST_VERSION:-1.95} with rustup (https://rustup.rs) first"; exit 1; }
if (( want_test )); then
  for component in rustfmt clippy; do
    if ! cargo "${component/rustfmt/fmt}" --version >/dev/null 2>&1; then
      log "installing the Rust component $component"
      rustup component add "$component"
    fi
  done
  if ! cargo nextest --version >/dev/null 2>&1; then
    log "installing cargo-nextest from crates.io (one-time, a few minutes)"
    cargo install --locked cargo-nextest
  fi
fi

# --- ONNX Runtime shared library (project-local) --------------------------
ort_version="1.31.1"
ort_dir="$root/.deps/onnxruntime"
if ! ls "$ort_dir"/libonnxruntime.so.* >/dev/null 2>&1 \
   || [[ "$(cat "$ort_dir/VERSION" 2>/dev/null)" != "$ort_version" ]]; then
  log "fetching ONNX Runtime $ort_version from the onnxruntime PyPI wheel"
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  py="$(command -v python3)"
  arch="$(uname -m)"
  "$py" -m pip download -q --no-deps --only-binary=:all: \
    --platform "manylinux_2_27_$arch" --platform "manylinux_2_28_$arch" \
    --platform "manylinux_2_17_$arch" --python-version 3.11 \
    -d "$tmp" "onnxruntime==$ort_version"
  whl="$(ls "$tmp"/onnxruntime-*.whl)"
  rm -rf "$ort_dir" && mkdir -p "$ort_dir"
  unzip -q -j -o "$whl" 'onnxruntime/capi/libonnxruntime.so.*' -d "$ort_dir"
  unzip -q -j -o "$whl" '*.dist-info/LICENSE*' -d "$ort_dir" 2>/dev/null || true
  lib="$(ls "$ort_dir"/libonnxruntime.so.* | head -n 1)"
  ln -sf "$(basename "$lib")" "$ort_dir/libonnxruntime.so"
  echo "$ort_version" > "$ort_dir/VERSION"
  log "ONNX Runtime in $ort_dir"
fi

# --- independent peers for the tests (pytak, takproto, pymavlink), project-local
if (( want_test )); then
  "$root/scripts/peers.sh" >/dev/null
fi
