#!/usr/bin/env bash
# Time from starting `hostup mcp --sandbox` to the first tool answer (list_vps), as an MCP client
# sees it: process start, embedded sandbox, initialize handshake, one tools/call. Prints one line
# per run in milliseconds, then the median. Usage: scripts/mcp-first-answer.sh [RUNS] [BINARY]
set -euo pipefail
runs=${1:-10}
bin=${2:-target/debug/hostup}
init='{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"timer","version":"1"}}}'
initialized='{"jsonrpc":"2.0","method":"notifications/initialized"}'
call='{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"list_vps","arguments":{}}}'
times=()
for _ in $(seq "$runs"); do
  start=$(date +%s%N)
  # stdin stays open (sleep) until the answer to id 2 has been read.
  ms=$({ printf '%s\n%s\n%s\n' "$init" "$initialized" "$call"; sleep 10; } \
    | "$bin" mcp --sandbox 2>/dev/null \
    | while IFS= read -r line; do
        if [[ $line == *'"id":2'* ]]; then
          [[ $line == *'"data"'* ]] || { echo "unexpected answer: $line" >&2; exit 1; }
          echo $(( ($(date +%s%N) - start) / 1000000 )); break
        fi
      done)
  echo "$ms ms"
  times+=("$ms")
done
printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "median %d ms over %d runs (min %d, max %d)\n", a[int((NR+1)/2)], NR, a[1], a[NR]}'
