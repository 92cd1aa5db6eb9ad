#!/usr/bin/env bash
# Spec and sandbox agree: schemathesis (PyPI) checks every operation of openapi/hostup.yaml against
# `hostup sandbox serve`, with both credentials, every check, a fixed seed.
# Usage: .ci/schemathesis.sh [VENV_DIR] [EXAMPLES_PER_OPERATION]
set -euo pipefail
cd "$(dirname "$0")/.."
venv="${1:-target/schemathesis-venv}"
examples="${2:-25}"
if [ ! -x "$venv/bin/schemathesis" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check 'schemathesis>=4.32,<5'
fi
"$venv/bin/schemathesis" --version

# The binary as `cargo test --workspace` builds it: `-p hostup-cli` alone resolves features for
# that one package and rebuilds the whole stack (two minutes in CI); this reuses the tests' build.
cargo build --quiet --workspace --tests
key="hu_sandbox_schemathesis_key"
log="$(mktemp)"
target/debug/hostup sandbox serve --api-key "$key" --rate-limit 100000/60 >"$log" 2>/dev/null &
server=$!
trap 'kill -TERM "$server" 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 100); do [ -s "$log" ] && break; sleep 0.1; done
url="$(head -n 1 "$log")"
echo "sandbox at $url"

"$venv/bin/schemathesis" --config-file .ci/schemathesis.toml run openapi/hostup.yaml \
  --url "$url" --checks all \
  --header "Authorization: Bearer $key" --header "X-API-Key: $key" \
  --seed 20260427 --max-examples "$examples" --no-color
