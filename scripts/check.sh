#!/usr/bin/env bash
# Exactly what CI runs (after .ci/run installed the system packages): formatting, lints,
# every test in the workspace, the documentation build, and a check of the Windows build.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== cargo fmt --check"
cargo fmt --all -- --check

echo "== cargo clippy (all targets, warnings are errors)"
cargo clippy --workspace --all-targets --locked -- -D warnings

echo "== cargo test"
cargo test --workspace --locked

echo "== cargo doc"
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --locked

# The Windows build compiles (cross-checked; the installer itself is scripts/package.sh).
# Needs `rustup target add x86_64-pc-windows-gnu` and Debian's gcc-mingw-w64-x86-64.
echo "== cargo check --target x86_64-pc-windows-gnu (warnings are errors)"
CARGO_TARGET_X86_64_PC_WINDOWS_GNU_RUSTFLAGS="-D warnings" \
  cargo check --workspace --locked --target x86_64-pc-windows-gnu

echo "== all checks passed"
