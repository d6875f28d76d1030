#!/usr/bin/env bash
# Screenshots of the desktop app: the real `leerrijk` binary in a real X window under Xvfb,
# driven with xdotool, captured with ImageMagick `import`. Output: target/screenshots/*.png
# (not committed).
#
# Needs: xvfb xauth xdotool imagemagick (Debian packages); Mesa GL is on the image already.
# Usage: scripts/screenshots.sh
set -euo pipefail

if [[ "${1:-}" != "--inside" ]]; then
    cd "$(dirname "$0")/.."
    out="target/screenshots"
    data="$(mktemp -d)"
    trap 'rm -rf "$data"' EXIT
    rm -rf "$out" && mkdir -p "$out"
    cargo build -q -p leerrijk-app
    # A demo data directory (two trajectories) built through the real hub and store.
    LEERRIJK_DEMO_DIR="$data" cargo test -q -p leerrijk-app --test gui_demo >/dev/null
    xvfb-run -a -s "-screen 0 1400x900x24" "$0" --inside "$data" "$out"
    ls -1 "$out"
    exit 0
fi

data="$2"
out="$3"
bin="target/debug/leerrijk"
export RUST_LOG="${RUST_LOG:-warn}"
"$bin" --data-dir "$data" 2>"$out/leerrijk.log" &
app=$!
trap 'kill $app 2>/dev/null || true' EXIT

win="$(xdotool search --sync --name '^Leerrijk$' | head -n1)"
xdotool windowmove "$win" 0 0
xdotool windowsize "$win" 1400 900
xdotool windowfocus --sync "$win"
sleep 1.5

n=0
shot() { # name
    sleep "${PAUSE:-0.8}"
    n=$((n + 1))
    import -window root "$(printf '%s/%02d-%s.png' "$out" "$n" "$1")"
}
key() { xdotool key --clearmodifiers "$@"; sleep 0.3; }
click() { xdotool mousemove "$1" "$2" click 1; }
scroll_down() { xdotool mousemove 800 600; for _ in $(seq "$1"); do xdotool click 5; done; }

shot first-run
xdotool type --delay 20 "Anja de Vries"
key Return
shot start
key ctrl+n
shot new-trajectory-dialog
key Escape
# The second card: "Samen blijven leren", started on another laptop (changed 3 days ago).
click 700 580
shot participant-view
key ctrl+1
scroll_down 12
shot participant-view-letter
key alt+Left
sleep 0.5
# The first card: the trajectory started on this device.
click 700 400
shot phase1-initiator
scroll_down 8
shot phase1-assignments-plan
scroll_down 12
shot phase1-letter
key ctrl+2
shot phase2-placeholder
key ctrl+i
shot invite-dialog
key Escape
key F1
shot shortcuts-dialog
key Escape
key ctrl+shift+l
key ctrl+1
shot phase1-english
key ctrl+shift+l
key ctrl+shift+t ctrl+shift+t
shot phase1-dark
key ctrl+shift+t
key ctrl+plus ctrl+plus ctrl+plus
shot phase1-zoom-130
key ctrl+0
xdotool windowsize "$win" 800 560
shot phase1-small-window
xdotool windowsize "$win" 1400 900
key alt+Left
key ctrl+j
xdotool type --delay 10 "leerrijk-uitnodiging-voorbeeld"
shot join-dialog
key Escape
key ctrl+q
wait "$app" || true
