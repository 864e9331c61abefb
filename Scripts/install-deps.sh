#!/usr/bin/env bash
# Installs the Debian packages WardWatch builds and tests against, only when missing:
# FFmpeg's -dev libraries (bound from Swift), SQLite's header (GRDB), zlib's header (ZIPFoundation,
# for zipped evidence bundles), pkg-config, the ffmpeg CLI with a font (used only to generate
# sample recordings, never by WardWatch itself), and Chromium, which the tests use headless to
# render an evidence bundle's index.html and, with chromium-driver, to drive the web console
# (about 40 s to install; WardWatch never runs it).
set -euo pipefail
packages=(libavformat-dev libavcodec-dev libavutil-dev libswscale-dev libsqlite3-dev zlib1g-dev pkg-config ffmpeg
          fonts-dejavu-core chromium chromium-driver)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}" >&2
  sudo=""
  [[ $(id -u) -eq 0 ]] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
command -v swift >/dev/null || { echo "install-deps: a Swift 6.1+ toolchain is needed (https://swift.org/install)" >&2; exit 1; }
