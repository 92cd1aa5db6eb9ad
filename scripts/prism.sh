#!/usr/bin/env bash
# Serves openapi/hostup.yaml with Prism (static mode: the spec's examples; dynamic mode: data
# generated from the schemas) on loopback and points the `hostup` CLI at it. Passes when Prism
# reports no request violation for any of the CLI's requests and every command succeeds, so the
# dynamic responses decode. A request known to be wrong is sent first, to prove violations show.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/spec-tools.sh

# The binary as `cargo test --workspace` builds it: `-p hostup-cli` alone resolves features for
# that one package and rebuilds the whole stack (two minutes in CI); this reuses the tests' build.
cargo build --quiet --workspace --tests
cli="$PWD/target/debug/hostup"
export HOSTUP_API_KEY=prism-test-key
id=vps_01hxa3b4c5d6e7f8g9h0j1k2m3
rounds=5
logs="$PWD/target/tools/prism-logs"
mkdir -p "$logs"

prism_pid=""
cleanup() { [[ -n "$prism_pid" ]] && kill "$prism_pid" 2>/dev/null || true; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# start MODE_FLAGS... : starts Prism, waits until it listens; sets prism_pid, base, log.
start() {
  local port
  port="$(free_port)"
  base="http://127.0.0.1:$port"
  log="$logs/prism-$mode.log"
  : >"$log" # empty before the wait below reads it
  "$TOOLS/prism" mock --host 127.0.0.1 --port "$port" "$@" openapi/hostup.yaml >"$log" 2>&1 &
  prism_pid=$!
  for _ in $(seq 1 100); do
    grep -q "Prism is listening" "$log" && return 0
    kill -0 "$prism_pid" 2>/dev/null || break
    sleep 0.2
  done
  echo "prism ($mode) did not start:" >&2
  cat "$log" >&2
  return 1
}

violations() { grep -c "Violation:" "$log" || true; }

run() {
  echo "  hostup $*"
  "$cli" --base-url "$base" "$@" >/dev/null
}

for mode in static dynamic; do
  echo "-- prism mock ($mode)"
  if [[ "$mode" == dynamic ]]; then start --dynamic; else start; fi

  # The check can fail: a request without credentials must be reported.
  curl -s -o /dev/null "$base/api/v2/vps" || true
  sleep 0.2
  if [[ "$(violations)" == 0 ]]; then
    echo "prism ($mode) reported no violation for a request without credentials" >&2
    exit 1
  fi
  before="$(violations)"

  n=1
  [[ "$mode" == dynamic ]] && n=$rounds
  for _ in $(seq 1 "$n"); do
    run vps list
    run -o json vps list
    run -o yaml vps list
    run vps show "$id"
  done
  # A priced change (GET options, POST with dryRun) only on the examples: the CLI rightly refuses
  # an option that the random upgrade options of dynamic mode do not list.
  [[ "$mode" == static ]] && run vps preview "$id" --set bandwidthGb=4096

  sleep 0.2
  after="$(violations)"
  if [[ "$after" != "$before" ]]; then
    echo "prism ($mode) reported request violations for the CLI's requests:" >&2
    grep -n "Violation:" "$log" | tail -n "+$((before + 1))" >&2
    exit 1
  fi
  echo "   no request violations ($(grep -c 'Request received' "$log") requests; log: ${log#"$PWD"/})"
  kill "$prism_pid"
  wait "$prism_pid" 2>/dev/null || true
  prism_pid=""
done
echo "prism: static and dynamic mode passed"
