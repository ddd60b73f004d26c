#!/usr/bin/env bash
# Starts the real GUI binary under Xvfb with a throw-away profile, waits for its
# window, takes a screenshot and fails if the window never appeared or the
# screenshot is blank. Usage: scripts/smoke.sh BINARY [SCREENSHOT.png]
set -euo pipefail
bin=$1
shot=${2:-$(mktemp --suffix=.png)}
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
export OPENCART_XERO_PROFILE=$profile OPENCART_XERO_SECRETS=file LANG=en_US.UTF-8
xvfb-run -a -s '-screen 0 1100x760x24 -nolisten tcp' bash -c '
  "$0" & app=$!
  for _ in $(seq 1 60); do
    if xwininfo -root -tree 2>/dev/null | grep -q "OpenCart → Xero\|OpenCart"; then break; fi
    if ! kill -0 $app 2>/dev/null; then echo "smoke: the app exited before showing a window" >&2; exit 1; fi
    sleep 0.5
  done
  sleep 2
  import -window root "$1"
  kill $app; wait $app 2>/dev/null || true
' "$bin" "$shot"
# A blank screen has a single colour: its standard deviation is 0.
sd=$(convert "$shot" -colorspace Gray -format '%[fx:standard_deviation]' info:)
colours=$(convert "$shot" -format '%k' info:)
if awk -v sd="$sd" 'BEGIN{exit !(sd < 0.01)}' || [ "$colours" -lt 8 ]; then
  echo "smoke: the screenshot $shot is blank (sd=$sd, colours=$colours)" >&2
  exit 1
fi
echo "smoke: window shown, screenshot $shot ($colours colours)"
