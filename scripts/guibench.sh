#!/usr/bin/env bash
# Measures how fast the real GUI binary opens its window, under Xvfb, from
# outside the process (nothing in the app is timed by itself).
#
# Usage: scripts/guibench.sh BINARY [--runs N] [--profile DIR | --dsn DSN [--prefix P]] [--shot FILE.png]
#
#   (no profile)   each run starts on a new, empty profile: the guided set-up
#   --profile DIR  each run starts on a fresh copy of DIR (e.g. a profile whose
#                  shop has 100,000 orders: the window opens on the Orders tab)
#   --dsn DSN      each run starts on a new profile whose store.dsn is DSN
#                  (set with BINARY config set), store.prefix P (default oc_)
#   --runs N       number of launches (default 5)
#   --shot FILE    keep the last run's settled screen as a PNG
#
# For each run, timed from just before the process starts:
#   mapped   the window is on screen (X map state IsViewable; xwininfo, polled
#            every 10 ms)
#   settled  the screen last changed: Xvfb keeps its framebuffer in a file
#            (-fbdir), hashed every 50 ms until it has not changed for 3 s;
#            "settled" is when the final picture first appeared (the rows of
#            the Orders grid drawn, or the set-up screen complete)
#   the process's resident memory (VmRSS) when mapped and when settled, and
#   its peak (VmHWM) when settled.
# Then min/median/max of each, and the medians as "name value" lines for
# BenchmarkWindowLaunch (app/gui_bench_test.go).
# Needs Xvfb, xwininfo and ImageMagick: scripts/deps.sh gui.
set -euo pipefail

bin=${1:?usage: scripts/guibench.sh BINARY [--runs N] [--profile DIR | --dsn DSN [--prefix P]] [--shot FILE.png]}
shift
runs=5 source_profile= dsn= prefix=oc_ shot=
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --profile) source_profile=$2; shift 2 ;;
    --dsn) dsn=$2; shift 2 ;;
    --prefix) prefix=$2; shift 2 ;;
    --shot) shot=$2; shift 2 ;;
    *) echo "guibench: unknown argument $1" >&2; exit 2 ;;
  esac
done

say() { echo "guibench: $*" >&2; }
fail() { say "$*"; exit 1; }

[ -x "$bin" ] || fail "$bin is not an executable; build it with make build"
for tool in Xvfb xwininfo convert md5sum; do
  command -v "$tool" >/dev/null || fail "$tool is missing; run scripts/deps.sh gui"
done
[ -z "$source_profile" ] || [ -d "$source_profile" ] || fail "no profile directory $source_profile"
bin=$(realpath "$bin")

work=$(mktemp -d)
xvfb_pid= app_pid=
cleanup() {
  [ -z "$app_pid" ] || { kill "$app_pid" 2>/dev/null || true; wait "$app_pid" 2>/dev/null || true; }
  [ -z "$xvfb_pid" ] || { kill "$xvfb_pid" 2>/dev/null || true; wait "$xvfb_pid" 2>/dev/null || true; }
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

export LANG=en_US.UTF-8 OPENCART_XERO_SECRETS=file
unset OPENCART_XERO_PROFILE OPENCART_XERO_TAB
# Fyne's settings and preferences and Mesa's shader cache of this
# measurement only: the person's own (a scale, a theme) change nothing and
# are not touched. The first launch fills the shader cache; later ones use
# it, like a person's second start.
export XDG_CONFIG_HOME=$work/config XDG_CACHE_HOME=$work/cache

# The profile every run copies: the given one, or one set to the shop, or
# an empty directory.
mkdir -p "$work/base"
if [ -n "$source_profile" ]; then
  cp -a "$source_profile/." "$work/base/"
elif [ -n "$dsn" ]; then
  "$bin" --profile "$work/base" config set store.dsn "$dsn" >/dev/null
  "$bin" --profile "$work/base" config set store.prefix "$prefix" >/dev/null
fi

# Xvfb on a display nobody uses (-displayfd picks it), with its screen in
# $work/fb/Xvfb_screen0.
mkdir -p "$work/fb"
Xvfb -displayfd 3 -screen 0 1100x760x24 -nolisten tcp -fbdir "$work/fb" 3>"$work/display" 2>"$work/xvfb.log" &
xvfb_pid=$!
for _ in $(seq 1 100); do
  [ -s "$work/display" ] && break
  kill -0 "$xvfb_pid" 2>/dev/null || { cat "$work/xvfb.log" >&2; fail "Xvfb did not start"; }
  sleep 0.05
done
[ -s "$work/display" ] || fail "Xvfb gave no display number after 5 s"
export DISPLAY=:$(head -n1 "$work/display")
fb=$work/fb/Xvfb_screen0

now_ms() { echo $(($(date +%s%N) / 1000000)); }
kb() { awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/status" 2>/dev/null || true; }

# mapped: prints the window id once the app's window is viewable.
mapped() {
  local id
  id=$(xwininfo -root -tree 2>/dev/null | awk '/"OpenCart/ {print $1; exit}')
  [ -n "$id" ] && xwininfo -id "$id" 2>/dev/null | grep -q 'Map State: IsViewable'
}

blank=$(md5sum <"$fb")
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
declare -a mapped_ms settled_ms rss_mapped rss_settled hwm_settled
for run in $(seq 1 "$runs"); do
  profile=$work/run$run
  cp -a "$work/base" "$profile"
  start=$(now_ms)
  "$bin" --profile "$profile" >"$work/app$run.log" 2>&1 &
  app_pid=$!
  until mapped; do
    kill -0 "$app_pid" 2>/dev/null || { cat "$work/app$run.log" >&2; fail "run $run: the app exited before showing its window"; }
    (($(now_ms) - start < 60000)) || fail "run $run: no window after 60 s"
    sleep 0.01
  done
  t_mapped=$(($(now_ms) - start))
  r_mapped=$(kb "$app_pid" VmRSS)

  last=$blank last_change=$t_mapped
  while :; do
    h=$(md5sum <"$fb")
    t=$(($(now_ms) - start))
    if [ "$h" != "$last" ]; then last=$h last_change=$t; fi
    ((t - last_change < 3000)) || break
    ((t < 60000)) || fail "run $run: the screen was still changing after 60 s"
    kill -0 "$app_pid" 2>/dev/null || { cat "$work/app$run.log" >&2; fail "run $run: the app exited"; }
    sleep 0.05
  done
  [ "$last" != "$blank" ] || fail "run $run: the screen stayed blank"
  r_settled=$(kb "$app_pid" VmRSS) h_settled=$(kb "$app_pid" VmHWM)
  [ -z "$shot" ] || [ "$run" -ne "$runs" ] || convert "xwd:$fb" "$shot"

  kill "$app_pid"
  wait "$app_pid" 2>/dev/null || true
  app_pid=
  rm -rf "$profile"
  # Wait for the window to go, so that the next run cannot see it.
  while mapped; do sleep 0.05; done

  mapped_ms+=("$t_mapped") settled_ms+=("$last_change")
  rss_mapped+=("$r_mapped") rss_settled+=("$r_settled") hwm_settled+=("$h_settled")
  awk -v r="$run" -v m="$t_mapped" -v s="$last_change" -v a="$r_mapped" -v b="$r_settled" -v c="$h_settled" 'BEGIN {
    printf "run %d: mapped %d ms, settled %d ms, RSS %.1f MB when mapped, %.1f MB settled (peak %.1f MB)\n", r, m, s, a / 1024, b / 1024, c / 1024 }'
done

# stats NAME DIVISOR VALUES...: "NAME min M median M max M" and the
# median alone as "NAME-median M" (and "NAME-max M").
stats() {
  local name=$1 div=$2
  shift 2
  printf '%s\n' "$@" | sort -n | awk -v n="$name" -v d="$div" '
    { v[NR] = $1 / d }
    END {
      med = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
      printf "%-16s min %8.1f  median %8.1f  max %8.1f\n", n, v[1], med, v[NR]
      printf "%s-median %.1f\n%s-max %.1f\n", n, med, n, v[NR]
    }'
}
what="first run (empty profile)"
[ -z "$source_profile" ] || what="profile $source_profile"
[ -z "$dsn" ] || what="shop $dsn"
echo "$runs launches of $bin, $what, Xvfb 1100x760x24 on $DISPLAY; load average $load_before before, $(cut -d' ' -f1-3 /proc/loadavg) after"
stats mapped-ms 1 "${mapped_ms[@]}"
stats settled-ms 1 "${settled_ms[@]}"
stats rss-mapped-MB 1024 "${rss_mapped[@]}"
stats rss-settled-MB 1024 "${rss_settled[@]}"
stats hwm-settled-MB 1024 "${hwm_settled[@]}"
