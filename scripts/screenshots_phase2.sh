#!/usr/bin/env bash
# Screenshots of the phase 2 screen ("Ervaringen en voorbeelden verzamelen"): the real
# `leerrijk` binary in a real X window under Xvfb, driven with xdotool, captured with ImageMagick
# `import`. Every assignment form, in Dutch, and a few in English, dark and small.
# Output: target/screenshots-phase2/*.png (not committed).
#
# Needs: xvfb xauth xdotool imagemagick (Debian packages); Mesa GL is on the image already.
# Usage: scripts/screenshots_phase2.sh
set -euo pipefail

if [[ "${1:-}" != "--inside" ]]; then
    cd "$(dirname "$0")/.."
    out="target/screenshots-phase2"
    data="$(mktemp -d)"
    trap 'rm -rf "$data"' EXIT
    rm -rf "$out" && mkdir -p "$out"
    cargo build -q -p leerrijk-app
    # A trajectory in phase 2 with stories, placements, logbook hours, photos and a private
    # draft, built through the real hub, store and notebook.
    LEERRIJK_DEMO_DIR="$data" cargo test -q -p leerrijk-app --test gui_phase2_demo >/dev/null
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
key() { xdotool key --window "$win" --clearmodifiers "$@"; }
click() { xdotool mousemove "$1" "$2" click 1; }
scroll() { # up|down count
    xdotool mousemove 600 450
    local b=5
    [[ "$1" == up ]] && b=4
    for _ in $(seq "$2"); do xdotool click "$b"; done
}
# The assignment tabs, left to right (their positions in a 1400-wide window).
tab() {
    case "$1" in
        red_green) click "${TAB_RED_GREEN:-515}" "${TAB_Y:-368}" ;;
        satisfaction) click "${TAB_SATISFACTION:-724}" "${TAB_Y:-368}" ;;
        brain_cracker) click "${TAB_BRAIN:-891}" "${TAB_Y:-368}" ;;
        logbook) click "${TAB_LOGBOOK:-1004}" "${TAB_Y:-368}" ;;
        images) click "${TAB_IMAGES:-1120}" "${TAB_Y:-368}" ;;
    esac
}

shot first-run
xdotool type --delay 20 "Anja de Vries"
key Return
sleep 0.5
click 500 432 # "Verder", in case Enter did not go through
sleep 0.5
shot start
click 1064 387 # "Openen" on the only card
sleep 0.5
key ctrl+2
xdotool mousemove 700 880
tab red_green
xdotool mousemove 700 880
shot phase2-top
scroll down 6
shot phase2-red-green-slider
scroll down 12
shot phase2-red-green-questions
scroll up 40
tab satisfaction
shot phase2-satisfaction
scroll down 12
shot phase2-satisfaction-shared
scroll up 40
tab brain_cracker
shot phase2-brain-cracker-draft
scroll down 12
shot phase2-brain-cracker-more
scroll up 40
tab logbook
scroll down 5
shot phase2-logbook
click 832 456 # "Het hele team"
xdotool mousemove 700 880
shot phase2-logbook-team
click 710 456 # "Mijn uren"
scroll down 8
shot phase2-logbook-questions
scroll up 40
tab images
scroll down 5
shot phase2-images
click 557 522 # the first photo: shown large
xdotool mousemove 700 880
shot phase2-images-viewer
key Escape
scroll down 8
shot phase2-images-gallery
scroll up 40
key ctrl+shift+l
tab logbook
scroll down 12
shot phase2-logbook-english
scroll up 40
tab red_green
scroll down 6
shot phase2-red-green-english
key ctrl+shift+l
key ctrl+shift+t ctrl+shift+t
scroll up 40
tab images
scroll down 10
shot phase2-images-dark
scroll up 40
tab red_green
scroll down 6
shot phase2-red-green-dark
key ctrl+shift+t
scroll up 40
tab red_green
xdotool windowsize "$win" 800 560
shot phase2-small-window
scroll down 6
shot phase2-small-window-slider
xdotool windowsize "$win" 1400 900
scroll up 40
tab logbook
xdotool windowsize "$win" 800 560
scroll down 8
shot phase2-small-window-logbook
xdotool windowsize "$win" 1400 900
key ctrl+q
wait "$app" || true
