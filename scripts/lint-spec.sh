#!/usr/bin/env bash
# Lints openapi/hostup.yaml with the tools users are likely to feed it to: Redocly (recommended
# rules), Spectral (spectral:oas) and openapi-spec-validator. Fails on any error; the warnings
# left are explained in the spec. Usage: scripts/lint-spec.sh [spec]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/spec-tools.sh
spec="${1:-openapi/hostup.yaml}"

echo "-- redocly lint (recommended)"
# Node 20 makes Redocly print a boxed deprecation notice on stderr; keep the findings only.
"$TOOLS/redocly" lint --extends=recommended --format=stylish "$spec" 2> >(grep -v '[║╔╚]' >&2)
echo "-- spectral lint (spectral:oas)"
"$TOOLS/spectral" lint --ruleset openapi/.spectral.yaml --fail-severity error "$spec"
echo "-- openapi-spec-validator"
"$VENV/bin/openapi-spec-validator" "$spec"
