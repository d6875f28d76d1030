#!/usr/bin/env bash
# Peak memory and frame time of the real `leerrijk` binary (release build) in a real X window
# under Xvfb (Mesa GL, software rendering), with a generated trajectory open on the flip-over,
# beside `automerge::Automerge::load` of the same bytes (DESIGN.md "Performance": peak memory
# at most 2x the automerge document).
#
# What it does:
#   1. builds `leerrijk` (release) and the store's memory bench (its `automerge` child mode
#      loads a document and prints its VmHWM);
#   2. generates the trajectory (`leerrijk dev generate --size SIZE`) into a new data directory
#      and writes the GUI state (eframe storage, gui-state.ron) so the app opens with that
#      trajectory on screen in phase 3 (the flip-over), as after a restart;
#   3. starts the app under Xvfb (screen 1600 x 1000, window WINDOW), waits until the trajectory is loaded and the
#      app is idle, takes a screenshot (target/measure-window/phase3.png; look at it);
#   4. frame time: uprobes (`perf probe`) on eframe's per-frame function and its parts
#      (`GlowWinitApp::run_ui_and_paint`: run the UI, tessellate, paint with GL, swap), entry
#      and return, recorded with `perf record` while xdotool scrolls the flip-over up and down
#      (each wheel step starts egui's scroll animation, so frames run back to back); every
#      entry/return pair is one frame. Falls back to "n/a" if uprobes are not available;
#   5. VmHWM / VmRSS of the app from /proc/PID/status; VmHWM of a process that only runs
#      `Automerge::load` of the trajectory's bytes (`leerrijk export --format automerge`);
#      prints a table.
#
# Needs: xvfb xauth xdotool imagemagick linux-perf bc binutils (Debian packages), root for
# `perf probe` (without it the frame part prints n/a).
# Usage: scripts/measure_window.sh [small|large|huge]   (default large; NO_BUILD=1 skips cargo;
#        WINDOW=WxH sets the window size, default 1200x800: the app's default size, as the
#        frame bench's kittest harness; PHASE=5 opens the marketplace's phase instead of the
#        flip-over's 3)
set -euo pipefail

if [[ "${1:-}" != "--inside" ]]; then
    cd "$(dirname "$0")/.."
    size="${1:-large}"
    out="target/measure-window"
    mkdir -p "$out"
    work="$(mktemp -d)"
    trap 'rm -rf "$work"' EXIT
    if [[ -z "${NO_BUILD:-}" ]]; then
        cargo build -q --release -p leerrijk-app
        cargo bench -q -p leerrijk-store --bench memory --no-run 2>/dev/null || true
    fi
    # The memory bench's executable (newest build).
    membench="$(ls -t target/release/deps/memory-* 2>/dev/null | grep -v '\.d$' | head -n1 || true)"
    [[ -x "$membench" ]] || { echo "no memory bench executable; run without NO_BUILD" >&2; exit 1; }
    # A copy of the binary: cargo may replace target/release/leerrijk while this runs, and the
    # uprobes are attached to one file.
    cp target/release/leerrijk "$work/leerrijk"
    cp "$membench" "$work/memory-bench"
    data="$work/data"
    t0=$(date +%s.%N)
    id="$("$work/leerrijk" --data-dir "$data" dev generate --size "$size" | tail -n1)"
    t1=$(date +%s.%N)
    "$work/leerrijk" --data-dir "$data" export --format automerge --out "$work/doc.automerge" "$id" >/dev/null
    # The GUI state: a profile (first run done), the trajectory open, phase 3 viewed.
    cat >"$data/gui-state.ron" <<EOF
{
    "leerrijk.ui": "(profile:Some((name:\"Meting\",role:directie)),lang:Nl,theme:Light,zoom:1.0,open_trajectory:Some(\"$id\"),viewed_phase:{\"$id\":${PHASE:-3}})",
}
EOF
    echo "size $size: trajectory $id generated in $(echo "$t1 - $t0" | bc) s; $(stat -c %s "$work/doc.automerge") bytes of automerge"
    echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
    xvfb-run -a -s "-screen 0 1600x1000x24" bash ${TRACE:+-x} "$0" --inside "$work" "$out" "$id"
    exit 0
fi

work="$2"
out="$3"
id="$4"
bin="$work/leerrijk"
data="$work/data"
export RUST_LOG="${RUST_LOG:-warn}"
export LEERRIJK_RELAY=off
WINDOW="${WINDOW:-1200x800}"
PHASE="${PHASE:-3}"

"$bin" --data-dir "$data" 2>"$out/leerrijk.log" &
app=$!
probes=""
cleanup() {
    kill "$app" 2>/dev/null || true
    [[ -n "$probes" ]] && perf probe -q -d "$probes" 2>/dev/null || true
}
trap cleanup EXIT

t_start=$(date +%s.%N)
win="$(timeout 120 xdotool search --sync --limit 1 --name '^Leerrijk$' | head -n1)"
[[ -n "$win" ]] || { echo "no Leerrijk window; see $out/leerrijk.log" >&2; exit 1; }
xdotool windowmove "$win" 0 0
xdotool windowsize "$win" "${WINDOW%x*}" "${WINDOW#*x}"
for _ in 1 2 3 4 5; do xdotool windowfocus --sync "$win" 2>/dev/null && break; sleep 0.5; done

# CPU time (utime + stime, clock ticks) of the whole process.
cpu() { awk '{print $14 + $15}' "/proc/$app/stat"; }
# Wait until the app has loaded the trajectory and built its view: busy, then 3 s idle.
prev=$(cpu)
quiet=0
for _ in $(seq 600); do
    sleep 0.5
    now=$(cpu)
    if ((now - prev <= 2)); then quiet=$((quiet + 1)); else quiet=0; fi
    prev=$now
    ((quiet >= 6)) && break
done
t_ready=$(date +%s.%N)
# A hover over the window makes it draw once more (in case the last view came in idle).
xdotool mousemove 800 500
sleep 1
import -window root "$out/phase$PHASE.png"

status() { awk -v k="$1:" '$1 == k {print $2}' "/proc/$app/status"; }
hwm_open=$(status VmHWM)
rss_open=$(status VmRSS)

# Frame time: uprobes (entry and return) on the functions one frame runs through, recorded
# while the flip-over scrolls. Each entry/return pair of a probe is one call:
#   frame    eframe's GlowWinitApp::run_ui_and_paint (everything of one frame, swap included)
#   app      <LeerrijkApp as eframe::App>::ui (our screens: layout and widgets)
#   tess     egui::Context::tessellate (shapes to meshes)
#   paint    egui_glow::Painter::paint_and_update_textures (GL calls; Mesa llvmpipe renders)
#   swap     glutin's swap_buffers (llvmpipe finishes the frame, the image goes to the X server)
frames=""
text="$(readelf -SW "$bin" | awk '$2 == ".text" {print $4, $5}')"
read -r text_addr text_off <<<"$text"
events=()
probe() { # name, the demangled symbol
    local addr
    addr="$(nm -C "$bin" | awk -v want="$2" '
        { name = $0; sub(/^[0-9a-f]+ [Tt] /, "", name) }
        name == want && !found { print $1; found = 1 }')"
    [[ -n "$addr" ]] || return 0
    local off ev="lr$1$$"
    off=$(printf '0x%x' $((0x$addr - 0x$text_addr + 0x$text_off)))
    perf probe -q -x "$bin" -a "$ev=$off" 2>/dev/null || return 0
    probes="probe_leerrijk:lr*$$*"
    perf probe -q -x "$bin" -a "$ev=$off%return" 2>/dev/null || return 0
    events+=(-e "probe_leerrijk:$ev" -e "probe_leerrijk:${ev}__return")
}
if [[ -n "$text" ]] && command -v perf >/dev/null; then
    probe frame "<eframe::native::glow_integration::GlowWinitApp as eframe::native::winit_integration::WinitApp>::run_ui_and_paint"
    probe app "<leerrijk_app::gui::app::LeerrijkApp as eframe::epi::App>::ui"
    probe tess "egui::context::Context::tessellate"
    probe paint "egui_glow::painter::Painter::paint_and_update_textures"
    probe swap "<glutin::surface::Surface<T> as glutin::surface::GlSurface<T>>::swap_buffers"
fi
if ((${#events[@]} > 0)); then
    perf record -q -o "$work/perf.data" "${events[@]}" -p "$app" 2>/dev/null &
    rec=$!
    sleep 1
    xdotool mousemove 800 600
    for _ in 1 2 3 4 5; do
        xdotool click --repeat 15 --delay 60 5
        xdotool click --repeat 15 --delay 60 4
    done
    sleep 0.5
    kill -INT "$rec"
    wait "$rec" || true
    # One line per probe: name median p95 p99 max n (ms).
    frames="$(perf script -i "$work/perf.data" -F time,event 2>/dev/null | awk -v pid="$$" '
        {
            t = $1 + 0; ev = $2; sub(/:$/, "", ev); sub(/^probe_leerrijk:lr/, "", ev)
            ret = sub(/__return$/, "", ev); sub(pid "$", "", ev)
            if (!ret) { start[ev] = t; next }
            if (ev in start) { d[ev, n[ev]++] = (t - start[ev]) * 1000; delete start[ev] }
        }
        END {
            split("frame app tess paint swap", order, " ")
            for (k = 1; k <= 5; k++) {
                e = order[k]; m = n[e]; if (m == 0) continue
                for (i = 0; i < m; i++) v[i] = d[e, i]
                for (i = 1; i < m; i++) { x = v[i]; j = i - 1; while (j >= 0 && v[j] > x) { v[j + 1] = v[j]; j-- } v[j + 1] = x }
                printf "%s %.3f %.3f %.3f %.3f %d\n", e, v[int((m - 1) * 0.5 + 0.5)], v[int((m - 1) * 0.95 + 0.5)], v[int((m - 1) * 0.99 + 0.5)], v[m - 1], m
            }
        }')"
fi
hwm=$(status VmHWM)
rss=$(status VmRSS)
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"
xdotool key --window "$win" --clearmodifiers ctrl+q || true
wait "$app" || true

# Automerge::load of the same bytes, in a fresh process.
am=$(LEERRIJK_MEM_CHILD=automerge LEERRIJK_MEM_DIR="$work" "$work/memory-bench" | tail -n1)
base=$(LEERRIJK_MEM_CHILD=empty LEERRIJK_MEM_DIR="$work" "$work/memory-bench" | tail -n1)

echo "window $WINDOW ready (trajectory loaded, app idle) $(echo "$t_ready - $t_start" | bc) s after start; screenshot: $out/phase$PHASE.png"
echo "load average after: $load_after"
printf '%-52s %12s %8s\n' "process" "KiB" "ratio"
printf '%-52s %12s %8s\n' "empty process (memory bench, no work)" "$base" "-"
printf '%-52s %12s %8s\n' "Automerge::load of the same bytes (VmHWM)" "$am" "1.00"
printf '%-52s %12s %8.2f\n' "leerrijk window, phase $PHASE open (VmHWM)" "$hwm_open" "$(echo "$hwm_open / $am" | bc -l)"
printf '%-52s %12s %8.2f\n' "leerrijk window, after the scrolled frames (VmHWM)" "$hwm" "$(echo "$hwm / $am" | bc -l)"
printf '%-52s %12s %8.2f\n' "leerrijk window, after the scrolled frames (VmRSS)" "$rss" "$(echo "$rss / $am" | bc -l)"
echo "limit: VmHWM <= 2x Automerge::load -> $(awk -v h="$hwm" -v a="$am" 'BEGIN { print (h <= 2 * a) ? "met" : "MISSED" }')"
if [[ -z "$frames" ]]; then
    echo "frame time: n/a (uprobes not available)"
else
    echo "frames while phase $PHASE scrolls (uprobes; ms; limit 8 ms per frame):"
    printf '%-62s %9s %9s %9s %9s %6s  %s\n' "part of the frame" median p95 p99 max n "ratio to 8 ms"
    while read -r what med p95 p99 max n; do
        case "$what" in
        frame) label="whole frame (run_ui_and_paint: UI, tessellate, GL, swap)" ;;
        app) label="  our screens (LeerrijkApp::ui)" ;;
        tess) label="  tessellate (egui::Context::tessellate)" ;;
        paint) label="  GL paint (egui_glow paint_and_update_textures, llvmpipe)" ;;
        swap) label="  swap buffers (glutin; llvmpipe finishes, image to X)" ;;
        esac
        printf '%-62s %9s %9s %9s %9s %6s  %s\n' "$label" "$med" "$p95" "$p99" "$max" "$n" \
            "$(awk -v m="$med" -v w="$what" 'BEGIN { printf "%.2f%s", m / 8, (w == "frame") ? ((m <= 8) ? " met" : " MISSED") : "" }')"
    done <<<"$frames"
fi
