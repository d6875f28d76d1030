#!/usr/bin/env bash
# Screenshots of archive and hand-out in the desktop app: the start screen with "Importeren…",
# the export dialog, the archive confirmation and the read-only banner. The real `leerrijk`
# binary in a real X window under Xvfb, driven with xdotool, captured with ImageMagick `import`.
# The data: the meeting demo (tests/gui_meeting_demo.rs), in which this device is the initiator.
# Output: target/screenshots-archive/*.png (not committed).
#
# Needs: xvfb xauth xdotool imagemagick (Debian packages); Mesa GL is on the image already.
# Usage: scripts/screenshots_archive.sh
set -euo pipefail

if [[ "${1:-}" != "--inside" ]]; then
    cd "$(dirname "$0")/.."
    out="target/screenshots-archive"
    data="$(mktemp -d)"
    trap 'rm -rf "$data"' EXIT
    rm -rf "$out" && mkdir -p "$out"
    cargo build -q -p leerrijk-app
    LEERRIJK_DEMO_DIR="$data" cargo test -q -p leerrijk-app --test gui_meeting_demo >/dev/null
    xvfb-run -a -s "-screen 0 1600x1000x24" "$0" --inside "$data" "$out"
    ls -1 "$out"
    exit 0
fi

data="$2"
out="$3"
bin="target/debug/leerrijk"
export RUST_LOG="${RUST_LOG:-warn}"
export LEERRIJK_RELAY=off
"$bin" --data-dir "$data" 2>"$out/leerrijk.log" &
app=$!
trap 'kill $app 2>/dev/null || true' EXIT

win="$(timeout 120 xdotool search --sync --limit 1 --name '^Leerrijk$' | head -n1)"
[[ -n "$win" ]] || { echo "no Leerrijk window; see $out/leerrijk.log" >&2; exit 1; }
sleep 1
xdotool windowmove "$win" 0 0
xdotool windowsize "$win" 1600 1000
for _ in 1 2 3 4 5; do xdotool windowfocus --sync "$win" 2>/dev/null && break; sleep 0.5; done
sleep 1

n=0
shot() { # name
    sleep "${PAUSE:-1}"
    n=$((n + 1))
    import -window root "$(printf '%s/%02d-%s.png' "$out" "$n" "$1")"
}
key() { xdotool key --window "$win" --clearmodifiers "$@"; }
click() { xdotool mousemove "$1" "$2" click 1; }

# First run: the user's name; the start screen; then the trajectory.
xdotool type --delay 20 "Anja de Vries"
key Return
shot start-import
click "${CARD_X:-1163}" "${CARD_Y:-387}"
sleep 1
# Top bar (right to left): Uitnodigen, Archiveren…, Exporteren…, Beamer, Ongedaan maken.
click "${EXPORT_X:-1273}" "${TOP_Y:-75}"
shot export-dialog
key Escape
sleep 0.5
click "${ARCHIVE_X:-1405}" "${TOP_Y:-75}"
shot archive-confirm
click "${CONFIRM_X:-988}" "${CONFIRM_Y:-583}"
shot archived-banner
key ctrl+5
shot archived-phase5
