#!/usr/bin/env bash
# Builds what a bookkeeper installs:
#   dist/opencart-xero.exe         Windows (amd64), cross-built with mingw-w64
#   dist/OpenCart Xero.tar.xz      Linux bundle from `fyne package -os linux`
# Usage: scripts/dist.sh [windows|linux|all]   (default: all)
# macOS bundles cannot be built on Linux; see README.md for the command to run on a Mac.
set -euo pipefail
cd "$(dirname "$0")/.."
want=${1:-all}
mkdir -p dist

sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)

if [ "$want" = windows ] || [ "$want" = all ]; then
  if ! command -v x86_64-w64-mingw32-gcc >/dev/null 2>&1; then
    echo "dist: installing gcc-mingw-w64-x86-64" >&2
    "${sudo_cmd[@]}" apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends gcc-mingw-w64-x86-64 >/dev/null
  fi
  CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC=x86_64-w64-mingw32-gcc \
    go build -trimpath -ldflags '-s -w -H=windowsgui' -o dist/opencart-xero.exe .
  echo "dist: dist/opencart-xero.exe ($(du -h dist/opencart-xero.exe | cut -f1))"
fi

if [ "$want" = linux ] || [ "$want" = all ]; then
  scripts/deps.sh build
  tools="$PWD/bin/tools"
  if [ ! -x "$tools/fyne" ]; then
    GOBIN="$tools" go install fyne.io/tools/cmd/fyne@v1.7.4
  fi
  rm -f "OpenCart Xero.tar.xz"
  # fyne package --release bumps the build number in FyneApp.toml; keep the file as committed.
  cp FyneApp.toml bin/FyneApp.toml.keep
  trap 'mv -f bin/FyneApp.toml.keep FyneApp.toml' EXIT
  "$tools/fyne" package -os linux --release
  mv "OpenCart Xero.tar.xz" dist/
  echo "dist: dist/OpenCart Xero.tar.xz ($(du -h "dist/OpenCart Xero.tar.xz" | cut -f1))"
fi
