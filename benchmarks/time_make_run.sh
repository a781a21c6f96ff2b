#!/usr/bin/env bash
# How long `make run` takes on a fresh clone, until the home page answers, with no pip or uv cache
# (as on a fresh machine). Usage: benchmarks/time_make_run.sh [BRANCH_OR_COMMIT] [PORT]
# The clone goes beside this checkout (so ../shared resolves) and is removed afterwards.
set -u
here="$(cd "$(dirname "$0")/.." && pwd)"
ref="${1:-HEAD}"
port="${2:-8765}"
clone="$(dirname "$here")/time-make-run-clone"
rm -rf "$clone" && git clone -q "$here" "$clone" && git -C "$clone" checkout -q "$ref" || exit 1
cd "$clone" || exit 1
export PIP_NO_CACHE_DIR=1 UV_NO_CACHE=1
start=$(date +%s.%N)
setsid make run PORT="$port" > "$clone.log" 2>&1 &
pid=$!
until curl -fsS -o /dev/null "http://127.0.0.1:$port/" 2>/dev/null; do
  sleep 0.5
  kill -0 "$pid" 2>/dev/null || { echo "make run stopped; see $clone.log"; exit 1; }
done
end=$(date +%s.%N)
printf 'make run (%s) answered after %.1f s; load average %s\n' \
  "$(git rev-parse --short HEAD)" "$(echo "$end - $start" | bc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
kill -INT -- -"$pid"
sleep 5
cd "$here" && rm -rf "$clone"
