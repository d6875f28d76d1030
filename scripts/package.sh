#!/usr/bin/env bash
# Release packages of Leerrijk, built and tested on Debian (amd64). Not part of CI (a release
# Windows build takes ~15 minutes on 2 cores); CI only checks that the Windows build compiles.
#
#   scripts/package.sh windows   Windows installer (cross-compiled with mingw-w64, NSIS):
#                                target/package/leerrijk-VERSION-setup.exe
#   scripts/package.sh linux     Debian package: target/package/leerrijk_VERSION_amd64.deb
#   scripts/package.sh --test    builds both packages, then tests them here:
#                                the installer and leerrijk.exe under Wine (CLI, sync with the
#                                Linux build in both directions, the window under Xvfb with a
#                                screenshot, the invitation file association) and the .deb
#                                unpacked into a scratch root. Output: target/package/test/
#
# Needs (Debian): gcc-mingw-w64-x86-64 nsis (windows); dpkg-dev (linux); wine wine64 xvfb
# xauth xdotool imagemagick (--test); rustup target x86_64-pc-windows-gnu (added if missing).
# The macOS recipe is in docs/packaging.md.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
OUT="$ROOT/target/package"
VERSION="$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n1)"
WIN_TARGET=x86_64-pc-windows-gnu
WIN_BIN="$ROOT/target/$WIN_TARGET/release"
SETUP="$OUT/leerrijk-$VERSION-setup.exe"
DEB="$OUT/leerrijk_${VERSION}_amd64.deb"
# Release builds are long; let the rest of the machine stay usable.
NICE=(nice -n 10)

say() { printf '\n== %s\n' "$*"; }
die() { printf 'package.sh: %s\n' "$*" >&2; exit 1; }
# need COMMAND DEBIAN_PACKAGE
need() { command -v "$1" >/dev/null 2>&1 || die "'$1' is missing (apt-get install $2)"; }

build_windows() {
    need x86_64-w64-mingw32-gcc gcc-mingw-w64-x86-64
    need makensis nsis
    if command -v rustup >/dev/null && ! rustup target list --installed | grep -qx "$WIN_TARGET"; then
        rustup target add "$WIN_TARGET"
    fi
    say "cargo build --release --target $WIN_TARGET (leerrijk.exe, leerrijk-start.exe)"
    "${NICE[@]}" cargo build --release --locked --target "$WIN_TARGET" -p leerrijk-app --bins
    mkdir -p "$OUT"
    say "makensis -> $SETUP"
    makensis -V2 -DVERSION="$VERSION" -DBIN="$WIN_BIN" -DICON="$ROOT/assets/icons/leerrijk.ico" \
        -DOUT="$SETUP" packaging/windows/leerrijk.nsi
    ls -l "$SETUP"
}

build_linux() {
    need dpkg-deb dpkg
    need dpkg-shlibdeps dpkg-dev
    say "cargo build --release (leerrijk)"
    "${NICE[@]}" cargo build --release --locked -p leerrijk-app --bin leerrijk
    local stage="$OUT/deb-root"
    rm -rf "$stage"
    install -Dm755 target/release/leerrijk "$stage/usr/bin/leerrijk"
    strip --strip-unneeded "$stage/usr/bin/leerrijk"
    install -Dm644 packaging/linux/leerrijk.desktop "$stage/usr/share/applications/leerrijk.desktop"
    install -Dm644 packaging/linux/leerrijk-mime.xml "$stage/usr/share/mime/packages/leerrijk.xml"
    for s in 16 24 32 48 64 128 256 512; do
        install -Dm644 "assets/icons/leerrijk-$s.png" \
            "$stage/usr/share/icons/hicolor/${s}x${s}/apps/leerrijk.png"
    done
    install -Dm644 packaging/linux/copyright "$stage/usr/share/doc/leerrijk/copyright"

    # Libraries the binary links (dpkg-shlibdeps), plus those winit/glutin open at run time
    # (dlopen: X11, Wayland, xkbcommon, OpenGL/EGL), which no tool can see.
    local shlibs
    shlibs="$(
        tmp="$(mktemp -d)"
        mkdir -p "$tmp/debian" && touch "$tmp/debian/control"
        cd "$tmp" && dpkg-shlibdeps -O -e "$stage/usr/bin/leerrijk" 2>/dev/null |
            sed -n 's/^shlibs:Depends=//p'
        rm -rf "$tmp"
    )"
    [ -n "$shlibs" ] || die "dpkg-shlibdeps found no dependencies"
    local runtime="libgl1, libegl1, libx11-6, libx11-xcb1, libxcursor1, libxrandr2, libxi6"
    runtime="$runtime, libxkbcommon0, libxkbcommon-x11-0, libwayland-client0, libwayland-egl1"
    mkdir -p "$stage/DEBIAN"
    cat >"$stage/DEBIAN/control" <<EOF
Package: leerrijk
Version: $VERSION
Architecture: amd64
Maintainer: Leerrijk <leerrijk@example.invalid>
Installed-Size: $(du -sk --exclude=DEBIAN "$stage" | cut -f1)
Depends: $shlibs, $runtime
Recommends: xdg-desktop-portal-gtk | xdg-desktop-portal-backend
Section: education
Priority: optional
Homepage: https://example.invalid/leerrijk
Description: team trajectory "Leren loont het langst" for primary schools
 Leerrijk helps a primary-school team run a "Leren loont het langst"
 trajectory: five phases of stories, logbooks, post-its, group rankings
 and a marketplace of who can teach what. Everyone works on their own
 laptop; the laptops merge their work peer to peer, without a server.
EOF
    mkdir -p "$OUT"
    say "dpkg-deb -> $DEB"
    dpkg-deb --root-owner-group -Zxz --build "$stage" "$DEB" >/dev/null
    dpkg-deb -I "$DEB" | sed -n '/Package:/,/Description:/p'
    ls -l "$DEB"
}

# ---------------------------------------------------------------------------------------------
# --test

T="$OUT/test"
NET=(--relay off --no-mdns)

# A Windows path (Wine's Z: drive) for a Linux path.
winpath() { printf 'Z:%s' "${1//\//\\}"; }

# wine_l DATA_DIR ARGS…: the installed leerrijk.exe under Wine, with its data directory.
wine_l() {
    local data="$1"
    shift
    timeout 180 wine "$INSTALLED/leerrijk.exe" --data-dir "$(winpath "$data")" "$@" | tr -d '\r'
}
# linux_l DATA_DIR ARGS…: the Linux build.
linux_l() {
    local data="$1"
    shift
    timeout 180 "$ROOT/target/release/leerrijk" --data-dir "$data" "$@"
}

# wait_ticket LOG ID: waits until a running `serve` printed the ticket of trajectory ID.
wait_ticket() {
    local log="$1" id="$2"
    for _ in $(seq 1 240); do
        local t
        t="$(tr -d '\r' <"$log" | awk -F'\t' -v id="$id" '$1 == "ticket" && $2 == id {print $3}')"
        if [ -n "$t" ]; then
            printf '%s' "$t"
            return 0
        fi
        sleep 0.5
    done
    die "serve printed no ticket for $id: $(cat "$log")"
}

# same_json A_JSON B_JSON WHAT: the two `show --json` outputs are identical.
same_json() {
    if cmp -s "$1" "$2"; then
        echo "ok: $3: show --json identical ($(wc -c <"$1") bytes)"
    else
        diff <(python3 -m json.tool "$1") <(python3 -m json.tool "$2") | head -n 40 || true
        die "$3: show --json differs"
    fi
}

test_packages() {
    need wine wine
    need xvfb-run xvfb
    need xdotool xdotool
    need import imagemagick
    # Both packages from the current sources (seconds when the release builds are up to date).
    build_windows
    build_linux
    rm -rf "$T" && mkdir -p "$T"
    # The default data directory is tested too: no override from the environment.
    unset LEERRIJK_DATA_DIR
    export RUST_LOG="${RUST_LOG:-warn}"

    export WINEPREFIX="$T/wineprefix" WINEDEBUG=-all WINEARCH=win64
    # No Mono/Gecko download prompts (Leerrijk needs neither).
    export WINEDLLOVERRIDES="mscoree,mshtml="
    trap 'wineserver -k 2>/dev/null || true' EXIT
    say "Wine: new prefix, silent install of $(basename "$SETUP")"
    wineboot -i >/dev/null 2>&1 || true
    timeout 300 wine "$SETUP" /S
    INSTALLED="$WINEPREFIX/drive_c/Program Files/Leerrijk"
    for f in leerrijk.exe leerrijk-start.exe leerrijk.ico uninstall.exe; do
        [ -f "$INSTALLED/$f" ] || die "installer did not install $f"
    done
    [ -f "$WINEPREFIX/drive_c/ProgramData/Microsoft/Windows/Start Menu/Programs/Leerrijk.lnk" ] ||
        die "no Start-menu entry"
    wine reg query 'HKLM\Software\Classes\Leerrijk.Invitation\shell\open\command' | tr -d '\r' |
        grep -F 'leerrijk-start.exe" "%1"' || die "no .leerrijk file association"
    wine reg query 'HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall\Leerrijk' /v DisplayVersion |
        tr -d '\r' | grep -F "$VERSION" || die "no uninstall entry with the version"
    echo "ok: installed in C:\\Program Files\\Leerrijk, Start menu, association, uninstall entry"

    # Test only: Wine 8 lacks bcryptprimitives.dll (ProcessPrng), which Rust's std calls.
    say "test-only shim bcryptprimitives.dll beside leerrijk.exe"
    x86_64-w64-mingw32-gcc -O2 -shared -o "$INSTALLED/bcryptprimitives.dll" \
        packaging/windows/test-shim/bcryptprimitives.c packaging/windows/test-shim/bcryptprimitives.def \
        -ladvapi32

    say "leerrijk.exe under Wine: --version, new, add, show --json, export --format html"
    wine "$INSTALLED/leerrijk.exe" --version | tr -d '\r' | grep -Fx "leerrijk $VERSION"
    local w1="$T/win-a"
    mkdir -p "$w1"
    local id
    id="$(wine_l "$w1" new --title "Leren loont het langst" --initiator "Anja de Vries" --school "OBS De Regenboog" --role directie)"
    echo "new: $id"
    local theme
    theme="$(wine_l "$w1" add "$id" theme --title "Samen lesgeven" --polarity positive)"
    wine_l "$w1" add "$id" postit --text "Elke week bij elkaar in de klas" --theme "$theme" --author "Anja de Vries" >/dev/null
    wine_l "$w1" add "$id" participant --name "Bram Jansen" --role leerkracht >/dev/null
    wine_l "$w1" show "$id" --json >"$T/win-a.json"
    python3 - "$T/win-a.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["title"] == "Leren loont het langst", d["title"]
assert any(p["text"] == "Elke week bij elkaar in de klas" for p in d["postits"])
assert len(d["participants"]) == 2
print("ok: show --json:", d["title"], "/", len(d["participants"]), "participants /", len(d["postits"]), "post-it")
EOF
    wine_l "$w1" export "$id" --format html --out "$(winpath "$T/win-a.html")" >/dev/null
    grep -q "Samen lesgeven" "$T/win-a.html" || die "the HTML export lacks the theme"
    echo "ok: export --format html ($(wc -c <"$T/win-a.html") bytes)"

    say "default data directory on Windows (the directories crate: %APPDATA%)"
    wine "$INSTALLED/leerrijk.exe" new --title "Standaardmap" --initiator Anja | tr -d '\r' >/dev/null
    local appdata
    appdata="$(find "$WINEPREFIX/drive_c/users" -maxdepth 6 -type d -path '*AppData/Roaming/Leerrijk/Leerrijk/data' | head -n1)"
    [ -n "$appdata" ] && [ -d "$appdata/trajectories" ] || die "no data in %APPDATA%\\Leerrijk\\Leerrijk\\data"
    echo "ok: ${appdata#"$WINEPREFIX/"}"

    say "sync: the Linux build serves, leerrijk.exe (Wine) joins and adds"
    local l1="$T/linux-a" w2="$T/win-b"
    mkdir -p "$l1" "$w2"
    local id2
    id2="$(linux_l "$l1" new --title "Van Linux" --initiator "Lies" --role ib)"
    linux_l "$l1" add "$id2" theme --title "Feedback" --polarity positive >/dev/null
    "$ROOT/target/release/leerrijk" --data-dir "$l1" serve "${NET[@]}" >"$T/serve-linux.out" 2>"$T/serve-linux.log" &
    local serve_pid=$!
    local ticket
    ticket="$(wait_ticket "$T/serve-linux.out" "$id2")"
    wine_l "$w2" join "$ticket" --name "Wim" --role leerkracht --timeout 90 "${NET[@]}" | grep -Fx "$id2"
    wine_l "$w2" add "$id2" postit --text "Van Windows" --author Wim >/dev/null
    wine_l "$w2" sync "$id2" --timeout 60 "${NET[@]}"
    kill -TERM "$serve_pid" && wait "$serve_pid" || true
    linux_l "$l1" show "$id2" --json >"$T/sync1-linux.json"
    wine_l "$w2" show "$id2" --json >"$T/sync1-win.json"
    grep -q "Van Windows" "$T/sync1-linux.json" || die "the Linux side lacks the Windows post-it"
    same_json "$T/sync1-linux.json" "$T/sync1-win.json" "Linux serves, Windows joins"

    say "sync: leerrijk.exe (Wine) serves, the Linux build joins and adds"
    local l2="$T/linux-b"
    mkdir -p "$l2"
    timeout 600 wine "$INSTALLED/leerrijk.exe" --data-dir "$(winpath "$w1")" serve "${NET[@]}" \
        >"$T/serve-win.out" 2>"$T/serve-win.log" &
    local wserve_pid=$!
    ticket="$(wait_ticket "$T/serve-win.out" "$id")"
    linux_l "$l2" join "$ticket" --name "Bram Jansen" --role leerkracht --timeout 90 "${NET[@]}" | grep -Fx "$id"
    linux_l "$l2" add "$id" postit --text "Van Linux" --author "Bram Jansen" >/dev/null
    linux_l "$l2" sync "$id" --timeout 60 "${NET[@]}"
    wine_l "$w1" show "$id" --json >"$T/sync2-win.json"
    linux_l "$l2" show "$id" --json >"$T/sync2-linux.json"
    kill -TERM "$wserve_pid" 2>/dev/null || true
    wineserver -k 2>/dev/null || true
    wait "$wserve_pid" 2>/dev/null || true
    grep -q "Van Linux" "$T/sync2-win.json" || die "the Windows side lacks the Linux post-it"
    same_json "$T/sync2-win.json" "$T/sync2-linux.json" "Windows serves, Linux joins"

    say "the window under Wine + Xvfb: double-click an invitation file (the association)"
    printf '%s\n' "$ticket" >"$T/Uitnodiging - Leren loont het langst.leerrijk"
    xvfb-run -a -s "-screen 0 1280x800x24" bash -c '
        set -euo pipefail
        # ShellExecute, as Explorer does on a double-click: the registry association starts
        # leerrijk-start.exe "FILE", which starts leerrijk.exe without a console window.
        wine start /unix "$1" &
        win=""
        for _ in $(seq 1 120); do
            win="$(xdotool search --name "^Leerrijk$" 2>/dev/null | head -n1 || true)"
            [ -n "$win" ] && break
            sleep 1
        done
        [ -n "$win" ] || { echo "no Leerrijk window under Wine" >&2; exit 1; }
        sleep 8
        import -window root "$2/wine-01-first-run.png"
        xdotool windowfocus --sync "$win" || true
        xdotool type --delay 40 "Wim"
        xdotool key Return
        sleep 6
        import -window root "$2/wine-02-join-dialog.png"
        # Help > Over Leerrijk (menu positions in the 1280x800 screen; no window manager).
        xdotool key Escape
        sleep 1
        xdotool mousemove 217 42 click 1
        sleep 1.5
        xdotool mousemove 255 121 click 1
        sleep 2
        import -window root "$2/wine-03-about.png"
    ' _ "$T/Uitnodiging - Leren loont het langst.leerrijk" "$T"
    wineserver -k 2>/dev/null || true
    echo "ok: screenshots in $T (look at them): wine-01-first-run.png, wine-02-join-dialog.png (the"
    echo "    invitation's ticket filled in), wine-03-about.png (version, licence, C:\users\…\AppData)"

    say "silent uninstall under Wine"
    # The test-only shim is not the installer's; take it away first, as on a real machine.
    rm -f "$INSTALLED/bcryptprimitives.dll"
    # The uninstaller copies itself to a temp folder and runs from there: wait for all of Wine.
    timeout 120 wine "$INSTALLED/uninstall.exe" /S
    timeout 120 wineserver -w
    [ ! -f "$INSTALLED/leerrijk.exe" ] || die "uninstall left leerrijk.exe"
    ! wine reg query 'HKLM\Software\Classes\.leerrijk' >/dev/null 2>&1 || die "uninstall left the association"
    [ -d "$appdata/trajectories" ] || die "uninstall removed the user's data"
    echo "ok: uninstalled; the user's data stays in %APPDATA%"

    say "the .deb in a scratch root"
    local root="$T/deb-root"
    dpkg -x "$DEB" "$root"
    dpkg-deb -f "$DEB" Depends
    for f in usr/bin/leerrijk usr/share/applications/leerrijk.desktop \
        usr/share/mime/packages/leerrijk.xml usr/share/icons/hicolor/256x256/apps/leerrijk.png; do
        [ -f "$root/$f" ] || die "the .deb lacks /$f"
    done
    "$root/usr/bin/leerrijk" --version | grep -Fx "leerrijk $VERSION"
    local d="$T/deb-data"
    local id3
    id3="$("$root/usr/bin/leerrijk" --data-dir "$d" new --title "Uit het pakket" --initiator Anja)"
    "$root/usr/bin/leerrijk" --data-dir "$d" list | grep -F "$id3"
    if command -v apt-get >/dev/null; then
        # Whether apt can resolve every dependency here (changes nothing).
        apt-get install --simulate "$DEB" >"$T/apt-simulate.log" 2>&1 ||
            die "apt-get cannot install the .deb: $(tail -n 5 "$T/apt-simulate.log")"
        echo "ok: apt-get install --simulate $(basename "$DEB")"
    fi
    xvfb-run -a -s "-screen 0 1280x800x24" bash -c '
        "$1" --data-dir "$2" &
        app=$!
        for _ in $(seq 1 60); do
            xdotool search --name "^Leerrijk$" >/dev/null 2>&1 && break
            sleep 1
        done
        sleep 3
        import -window root "$3/deb-01-window.png"
        kill "$app"
    ' _ "$root/usr/bin/leerrijk" "$d" "$T"
    echo "ok: the packaged leerrijk runs (screenshot $T/deb-01-window.png)"

    say "all package tests passed"
}

case "${1:-}" in
windows) build_windows ;;
linux) build_linux ;;
--test) test_packages ;;
*)
    echo "usage: scripts/package.sh windows | linux | --test" >&2
    exit 2
    ;;
esac
