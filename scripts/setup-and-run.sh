#!/usr/bin/env bash
# One command for a newcomer on Debian: installs what Leerrijk needs, builds it, and opens the
# app. Pass extra arguments through to `leerrijk` (e.g. `--data-dir /tmp/leerrijk-demo`).
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

# System libraries for a desktop window (X11/Wayland, OpenGL), file dialogs and a C compiler.
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq build-essential pkg-config curl ca-certificates \
  libgl1 libegl1 libxkbcommon-x11-0 libxcursor1 libxrandr2 libxi6 libx11-xcb1 libwayland-client0 \
  xdg-desktop-portal fonts-dejavu-core

# Rust (the toolchain version is pinned by rust-version in Cargo.toml: 1.95 or newer).
if ! command -v cargo >/dev/null 2>&1; then
  curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal
  # shellcheck disable=SC1091
  . "$HOME/.cargo/env"
fi

cargo build --release --locked -p leerrijk-app
exec target/release/leerrijk "$@"
