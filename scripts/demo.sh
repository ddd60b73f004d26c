#!/usr/bin/env bash
# The try-it demo: a sample OpenCart shop (bin/demostore, served from memory)
# and the local Xero sandbox (opencart-xero sandbox), with a demo profile
# pointing the app at both.
#
# Usage: scripts/demo.sh run     open the window (make demo); both servers
#                                stop when it closes. State: bin/demo/
#        scripts/demo.sh check   the same set-up headless (make demo-check):
#                                store check, connect (auto-approved sign-in
#                                driven by curl), config propose, export all,
#                                history; every document's totals must match
#        scripts/demo.sh shots   screenshots of the demo for docs/screenshots,
#                                from the real binary under Xvfb (and, for
#                                dialogs and scrolled pages, the same window
#                                in-process: app/screenshots_test.go)
#
# Environment: OPENCART_XERO_BIN (default bin/opencart-xero), DEMOSTORE_BIN
# (default bin/demostore), DEMO_DIR (run only; default bin/demo).
set -euo pipefail
mode=${1:-run}
app=${OPENCART_XERO_BIN:-bin/opencart-xero}
demostore=${DEMOSTORE_BIN:-bin/demostore}
export LANG=en_US.UTF-8
# Keep the demo's Xero tokens in its own profile, never in the keychain
# beside a real profile's.
export OPENCART_XERO_SECRETS=file

say() { echo "demo: $*" >&2; }
fail() { say "$*"; exit 1; }

pids=()
stop_servers() {
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  pids=()
}
trap stop_servers EXIT
trap 'exit 130' INT TERM

# answers reports whether something listens on 127.0.0.1:$1.
answers() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# free_port prints the first port from $1 upwards that nothing listens on.
free_port() {
  local p
  for ((p = $1; p < $1 + 200; p++)); do
    answers "$p" || { echo "$p"; return; }
  done
  fail "no free port in $1-$(($1 + 199))"
}

# start NAME LOG PATTERN COMMAND...: starts a server in the background and
# waits until its log has a line matching PATTERN.
start() {
  local name=$1 log=$2 pattern=$3
  shift 3
  "$@" >"$log" 2>&1 &
  pids+=($!)
  local pid=$!
  for _ in $(seq 1 300); do
    if grep -qs "$pattern" "$log"; then return; fi
    if ! kill -0 "$pid" 2>/dev/null; then
      cat "$log" >&2
      fail "the $name stopped before it was ready (log above: $log)"
    fi
    sleep 0.1
  done
  cat "$log" >&2
  fail "the $name was not ready after 30 s (log above: $log)"
}

ox() { "$app" --profile "$profile" "$@"; }

# setup DIR [--auto-approve]: starts the sample shop and the sandbox with
# their state in DIR and points the profile DIR/profile at them.
setup() {
  dir=$1
  shift
  [ -x "$app" ] || fail "$app is missing; run make build"
  [ -x "$demostore" ] || fail "$demostore is missing; run make bin/demostore"
  mkdir -p "$dir"
  profile=$dir/profile
  # The shop's orders lie in the weeks before the anchor day; keeping it
  # gives the same shop every time, so what was exported stays exported.
  [ -s "$dir/anchor" ] || date -u +%F >"$dir/anchor"
  local store_port sandbox_port redirect_port
  store_port=$(free_port 3307)
  start "sample shop" "$dir/store.log" '^DSN ' \
    "$demostore" --addr "127.0.0.1:$store_port" --anchor "$(cat "$dir/anchor")"
  dsn=$(sed -n 's/^DSN //p' "$dir/store.log")
  shop=$(head -n 1 "$dir/store.log")
  sandbox_port=$(free_port 8089)
  start "Xero sandbox" "$dir/sandbox.log" '^Xero sandbox listening on ' \
    "$app" sandbox --addr "127.0.0.1:$sandbox_port" --state "$dir/xero.json" "$@"
  xero_url=$(sed -n 's/^Xero sandbox listening on //p' "$dir/sandbox.log")
  redirect_port=$(free_port 28512)
  say "$shop"
  say "shop database $dsn, Xero sandbox $xero_url, profile $profile"
  ox config set store.dsn "$dsn" >/dev/null
  ox config set store.prefix oc_ >/dev/null
  ox config set xero.client_id demo-app >/dev/null
  ox config set xero.base_url "$xero_url" >/dev/null
  ox config set xero.redirect_port "$redirect_port" >/dev/null
}

run_demo() {
  if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
    fail "no display: run make demo in a terminal of your desktop session (with sudo, keep DISPLAY: sudo -E make demo); on a machine without a desktop, make demo-check runs the same demo headless"
  fi
  setup "${DEMO_DIR:-bin/demo}"
  if ! command -v xdg-open >/dev/null && ! command -v x-www-browser >/dev/null && ! command -v www-browser >/dev/null; then
    say "no web browser found: when you connect, the app shows the sign-in address; open it in any browser on this machine"
  fi
  cat >&2 <<EOF
demo: opening the window. The shop and Xero are already set up; try:
  1. Connect to Xero: the sandbox's consent page opens in your browser; press Allow
     (it is a local stand-in for Xero's "Demo Company (UK)", nothing leaves this machine).
  2. In Settings, choose the Xero accounts and check the tax mapping, save; preview an order,
     then "Export all new" on the Orders tab; the History tab shows every total matching.
  3. Closing the window stops the sample shop and the sandbox. Your demo Xero books are kept in
     ${dir}/xero.json; delete ${dir} to start again.
EOF
  ox
}

# field NAME JSON: the number after "NAME": in a one-line JSON object.
field() { grep -o "\"$1\":[0-9]*" <<<"$2" | head -n 1 | cut -d: -f2; }

# connect_demo connects the profile to the auto-approving sandbox: it
# redirects the sign-in address straight to the app's callback; curl
# follows it as a browser would.
connect_demo() {
  ox connect --no-browser --timeout 60s >"$tmp/connect.log" 2>&1 &
  local connect=$! url=""
  for _ in $(seq 1 100); do
    url=$(grep -m 1 '^http' "$tmp/connect.log" || true)
    [ -n "$url" ] && break
    kill -0 "$connect" 2>/dev/null || break
    sleep 0.1
  done
  [ -n "$url" ] || { cat "$tmp/connect.log" >&2; fail "connect printed no sign-in address"; }
  curl -fsSL -o /dev/null "$url" || { cat "$tmp/connect.log" >&2; fail "following the sign-in address failed"; }
  wait "$connect" || { cat "$tmp/connect.log" >&2; fail "connect failed"; }
  grep -q '^Connected to ' "$tmp/connect.log" || { cat "$tmp/connect.log" >&2; fail "connect did not connect"; }
  say "$(grep '^Connected to ' "$tmp/connect.log")"
}

check_demo() {
  if ! command -v curl >/dev/null; then
    [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null || fail "curl is needed; install it (apt-get install curl)"
    say "installing curl"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends curl ca-certificates; } >/dev/null
  fi
  local t0=$SECONDS
  tmp=$(mktemp -d)
  trap 'stop_servers; rm -rf "$tmp"' EXIT
  setup "$tmp" --auto-approve

  # The shop as the reader sees it must be what demostore put in.
  local want_customers want_orders want_returns summary
  want_customers=$(sed -n 's/.*: \([0-9]*\) customers.*/\1/p' <<<"$shop")
  want_orders=$(sed -n 's/.* \([0-9]*\) orders.*/\1/p' <<<"$shop")
  want_returns=$(sed -n 's/.* \([0-9]*\) returns.*/\1/p' <<<"$shop")
  summary=$(ox store check --json)
  grep -q '"family":"4.0"' <<<"$summary" || fail "store check: not family 4.0: $summary"
  local enabled disabled orders missing returns canceled
  enabled=$(field enabled "$summary") disabled=$(field disabled "$summary")
  orders=$(field orders_total "$summary") missing=$(field missing_orders "$summary") returns=$(field returns "$summary")
  canceled=$(grep -o '"order_status_id":7,"name":"Canceled","count":[0-9]*' <<<"$summary" | cut -d: -f4)
  [ "$((enabled + disabled))" = "$want_customers" ] && [ "$orders" = "$want_orders" ] && [ "$missing" = 0 ] &&
    [ "$returns" = "$want_returns" ] && [ "${canceled:-0}" = 1 ] ||
    fail "store check counts differ from the sample shop ($shop): $summary"
  say "store check: family 4.0, $enabled+$disabled customers, $orders orders ($canceled canceled), $returns returns"

  connect_demo

  # Approved invoices, so that payments and credit-note allocations are
  # exported too.
  ox config set invoice.status AUTHORISED >/dev/null
  ox config propose >"$tmp/propose.log" || { cat "$tmp/propose.log" >&2; fail "config propose failed"; }
  grep -q 'complete' "$tmp/propose.log" || { cat "$tmp/propose.log" >&2; fail "config propose left settings to choose"; }
  ox export all --json >"$tmp/export.jsonl" || { tail -n 20 "$tmp/export.jsonl" >&2; fail "export all failed"; }
  local sum
  sum=$(grep '"summary"' "$tmp/export.jsonl")
  [ "$(field failed "$sum")" = 0 ] && [ "$(field mismatches "$sum")" = 0 ] || fail "export all: $sum"

  # Every invoice and credit note exported, with Xero's totals matching
  # OpenCart's; nothing failed.
  ox history --json --run 1 --limit 100000 >"$tmp/history.jsonl"
  local invoices credit_notes payments bad
  invoices=$(grep -c '"kind":"invoice"' "$tmp/history.jsonl" || true)
  credit_notes=$(grep -c '"kind":"credit_note"' "$tmp/history.jsonl" || true)
  payments=$(grep '"kind":"payment"' "$tmp/history.jsonl" | grep -c '"state":"exported"' || true)
  bad=$(grep '"kind":"\(invoice\|credit_note\)"' "$tmp/history.jsonl" | grep -v '"totals_match":true,"state":"exported"' || true)
  [ -z "$bad" ] || fail "documents not exported with matching totals: $bad"
  [ "$invoices" = "$((orders - canceled))" ] || fail "$invoices invoices exported, want $((orders - canceled)) (every order but the canceled one)"
  [ "$credit_notes" = 2 ] || fail "$credit_notes credit notes exported, want 2 (the refunded order and the refunded return)"
  [ "$payments" -gt 0 ] || fail "no payment exported"
  if [ -n "$(ox history --json --failed)" ]; then fail "failed records: $(ox history --json --failed)"; fi

  # A second run sends nothing.
  sum=$(ox export all --json | grep '"summary"')
  [ "$(field exported "$sum")" = 0 ] && [ "$(field failed "$sum")" = 0 ] || fail "second export all: $sum"
  say "export all: $invoices invoices, $credit_notes credit notes, $payments payments, every total matches; a second run exports nothing"
  say "check passed in $((SECONDS - t0)) s"
}

# shot NAME PROFILE TAB: the real window of PROFILE on TAB, under Xvfb,
# into docs/screenshots/NAME.png. The screen is larger than twice the
# window, so Xvfb's pointer (at the screen's centre) is outside it and no
# cell shows the hover shade.
shot() {
  local out=docs/screenshots/$1.png
  OPENCART_XERO_PROFILE=$2 OPENCART_XERO_TAB=$3 xvfb-run -a -s '-screen 0 2400x1600x24 -nolisten tcp' sh -c \
    '"$0" & app=$!; sleep 7; import -window root "$1"; kill $app; wait $app 2>/dev/null || true' "$app" "$out"
  convert "$out" -crop 1080x720+0+0 +repage -strip -define png:compression-level=9 "$out"
  say "screenshot $out"
}

# in_process NAMES...: the shots of app/screenshots_test.go taken on the
# demo profile (dialogs and scrolled pages, with the app's theme).
in_process() {
  OPENCART_XERO_SHOTS_PROFILE=$profile OPENCART_XERO_SHOTS="$*" CGO_ENABLED=0 \
    go test -tags 'ci screenshots' -count=1 -run TestDemoScreenshots -timeout 5m ./app >"$tmp/shots.log" 2>&1 ||
    { cat "$tmp/shots.log" >&2; fail "in-process screenshots failed"; }
  for n in "$@"; do
    convert "docs/screenshots/$n.png" -strip -define png:compression-level=9 "docs/screenshots/$n.png"
    say "screenshot docs/screenshots/$n.png"
  done
}

shots_demo() {
  tmp=$(mktemp -d)
  trap 'stop_servers; rm -rf "$tmp"' EXIT
  setup "$tmp" --auto-approve
  # A profile with the shop set up but not connected opens on the guide.
  local main=$profile
  profile=$tmp/new
  ox config set store.dsn "$dsn" >/dev/null
  ox config set store.prefix oc_ >/dev/null
  ox config set xero.client_id demo-app >/dev/null
  ox config set xero.base_url "$xero_url" >/dev/null
  shot first-screen-guide "$profile" ""
  shot first-run "$tmp/empty" ""
  profile=$main
  connect_demo
  ox config propose >"$tmp/propose.log" || { cat "$tmp/propose.log" >&2; fail "config propose failed"; }
  # The confirmation while new invoices would still be Draft (its warning).
  in_process export-everything-confirm
  ox config set invoice.status AUTHORISED >/dev/null
  # A day of work: everything exported, then runs that find nothing new
  # (History folds them into one line).
  ox export all --json >/dev/null || fail "export all failed"
  for _ in 1 2 3; do ox export all --json >/dev/null || fail "export all failed"; done
  for tab in settings customers orders credit-notes; do shot "$tab" "$profile" "$tab"; done
  in_process history preview settings-accounts settings-payment-methods settings-vat-classes reconcile undo-confirm
}

case "$mode" in
  run) run_demo ;;
  check) check_demo ;;
  shots) shots_demo ;;
  *) fail "usage: scripts/demo.sh run|check|shots" ;;
esac
