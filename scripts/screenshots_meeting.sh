#!/usr/bin/env bash
# Screenshots of the meeting phases (3 exchange, 4 focus and choose, 5 action) and beamer
# mode: the real `leerrijk` binary in a real X window under Xvfb, driven with xdotool,
# captured with ImageMagick `import`. Output: target/screenshots-meeting/*.png (not committed).
#
# The data: one trajectory in phase 3 with a team of ten, 40 post-its on ten core themes,
# three groups' rankings and a filled marketplace (tests/gui_meeting_demo.rs, built through
# the real hub and store).
#
# Needs: xvfb xauth xdotool imagemagick (Debian packages); Mesa GL is on the image already.
# Usage: scripts/screenshots_meeting.sh
set -euo pipefail

if [[ "${1:-}" != "--inside" ]]; then
    cd "$(dirname "$0")/.."
    out="target/screenshots-meeting"
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
# Offline: this is about the screens, not the network.
export LEERRIJK_RELAY=off
"$bin" --data-dir "$data" 2>"$out/leerrijk.log" &
app=$!
trap 'kill $app 2>/dev/null || true' EXIT

win="$(timeout 120 xdotool search --sync --limit 1 --name '^Leerrijk$' | head -n1)"
[[ -n "$win" ]] || { echo "no Leerrijk window; see $out/leerrijk.log" >&2; exit 1; }
sleep 1
xdotool windowmove "$win" 0 0
xdotool windowsize "$win" 1600 1000
# Without a window manager focusing can race the window's mapping: retry a few times.
for _ in 1 2 3 4 5; do xdotool windowfocus --sync "$win" 2>/dev/null && break; sleep 0.5; done
sleep 1.5

n=0
shot() { # name
    sleep "${PAUSE:-0.8}"
    n=$((n + 1))
    import -window root "$(printf '%s/%02d-%s.png' "$out" "$n" "$1")"
}
key() { xdotool key --window "$win" --clearmodifiers "$@"; }
click() { xdotool mousemove "$1" "$2" click 1; }
scroll() { # up|down count
    xdotool mousemove 1000 700
    local b=5
    [[ "$1" == up ]] && b=4
    for _ in $(seq "$2"); do xdotool click "$b"; done
}

# First run: the user's name; then the only trajectory on the start screen.
xdotool type --delay 20 "Anja de Vries"
key Return
sleep 0.5
click "${CARD_X:-1163}" "${CARD_Y:-387}"
sleep 1
# Phase 3 (the team's phase) opens on the flip-over.
shot flipover-forms
scroll down 6
shot flipover-40-postits
scroll down 6
shot flipover-more
scroll down 10
shot flipover-loose-pile
scroll up 40
# The debrief views, via their tabs.
key ctrl+4
sleep 0.5
shot phase4-groups
scroll down 8
shot phase4-strips
scroll down 12
shot phase4-comparison-three-groups
key ctrl+5
sleep 0.5
shot phase5-actions-market
scroll down 8
shot phase5-marketplace-sheets
scroll down 8
shot phase5-matching
key ctrl+3
sleep 0.5
key F5
sleep 1
shot beamer-flipover
scroll down 6
shot beamer-flipover-scrolled
key Escape
sleep 0.5
# The theme cycles system -> light -> dark.
key ctrl+shift+t
sleep 0.3
key ctrl+shift+t
shot flipover-dark
key ctrl+shift+t
key ctrl+q
wait "$app" || true
