#!/usr/bin/env bash
# Installs what building and testing opencart-xero needs on Debian, only what is missing.
# Usage: scripts/deps.sh [build|gui|test|all]   (default: build)
#   build: the C compiler and X11/GL headers that Fyne's cgo build needs
#   gui:   build + Xvfb and ImageMagick (headless window and screenshots)
#   test:  gui + OpenSSH's server and ssh-keygen (the SSH tunnel tests start
#          their own sshd) + a MariaDB server when none answers on 127.0.0.1:3306
set -euo pipefail
want=${1:-build}

pkgs=(gcc libc6-dev pkg-config libgl1-mesa-dev libxcursor-dev libxrandr-dev libxinerama-dev libxi-dev libxxf86vm-dev)
case "$want" in
  gui|test|all) pkgs+=(xvfb xauth x11-utils libgl1-mesa-dri imagemagick) ;;
esac
case "$want" in
  test|all) pkgs+=(openssh-server openssh-client) ;;
esac

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)

apt_install() {
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "deps: apt-get not found; install these packages by hand: $*" >&2
    exit 1
  fi
  echo "deps: installing $*" >&2
  log=$(mktemp)
  if ! { "${sudo_cmd[@]}" apt-get update -qq && DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "$@"; } >"$log" 2>&1; then
    cat "$log" >&2
    echo "deps: installing $* failed (output above)" >&2
    exit 1
  fi
  rm -f "$log"
}

if [ ${#missing[@]} -gt 0 ]; then
  apt_install "${missing[@]}"
fi

if ! command -v go >/dev/null 2>&1 && [ ! -x /usr/local/go/bin/go ]; then
  echo "deps: Go 1.26 or later is required (https://go.dev/dl/); it is not on PATH" >&2
  exit 1
fi
