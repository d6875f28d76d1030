#!/usr/bin/env bash
# Draws the app icon (a teal tile with three post-its and a sprout) and writes the sizes the
# packages need into assets/icons/: PNGs (16–512 px) and leerrijk.ico (Windows, 16–256 px).
# The outputs are committed; run this only to change the icon. Needs ImageMagick 6 (`convert`).
set -euo pipefail
cd "$(dirname "$0")/../assets/icons"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# Drawn at 1024 px, then scaled down (smooth edges at every size).
convert -size 1024x1024 xc:none \
    -fill '#2b6e6a' -draw 'roundrectangle 40,40 984,984 190,190' \
    -fill '#24605c' -draw 'roundrectangle 40,700 984,984 190,190' \
    -fill '#2b6e6a' -draw 'rectangle 40,700 984,800' \
    \( -size 1024x1024 xc:none -fill '#00000033' -draw 'rectangle 190,250 520,580' \
       -fill '#f6d55c' -draw 'rectangle 170,230 500,560' -distort SRT '512,512 1 -8 512,512' \) -composite \
    \( -size 1024x1024 xc:none -fill '#00000033' -draw 'rectangle 520,190 850,520' \
       -fill '#f2a3b3' -draw 'rectangle 500,170 830,500' -distort SRT '512,512 1 6 512,512' \) -composite \
    \( -size 1024x1024 xc:none -fill '#00000033' -draw 'rectangle 380,500 710,830' \
       -fill '#9fd3f0' -draw 'rectangle 360,480 690,810' -distort SRT '512,512 1 -2 512,512' \) -composite \
    -fill '#2f7d3a' -draw 'rectangle 508,560 532,760' \
    -fill '#3f9a4b' -draw 'ellipse 450,590 80,40 0 360' -draw 'ellipse 590,560 80,40 0 360' \
    "$tmp/master.png"

for size in 16 24 32 48 64 128 256 512; do
    convert "$tmp/master.png" -filter Lanczos -resize "${size}x${size}" -strip \
        "PNG32:leerrijk-${size}.png"
done
convert leerrijk-16.png leerrijk-24.png leerrijk-32.png leerrijk-48.png leerrijk-64.png \
    leerrijk-128.png leerrijk-256.png leerrijk.ico
ls -1
