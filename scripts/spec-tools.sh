#!/usr/bin/env bash
# Installs the third-party OpenAPI tools into target/tools (npm into a local folder, pip into a
# virtual environment), once; pinned so a new release cannot change what CI accepts.
# Source this file: it exports TOOLS (the node_modules/.bin folder) and VENV.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
prefix="$root/target/tools"
export TOOLS="$prefix/node_modules/.bin" VENV="$prefix/venv"
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true NO_UPDATE_NOTIFIER=1

npm_packages=(@redocly/cli@2.77.0 @stoplight/spectral-cli@6.16.3 @stoplight/prism-cli@5.14.2)
pip_packages=(openapi-spec-validator==0.9.0)

if [[ ! -x "$TOOLS/redocly" || ! -x "$TOOLS/spectral" || ! -x "$TOOLS/prism" ]]; then
  mkdir -p "$prefix"
  npm install --prefix "$prefix" --no-audit --no-fund --loglevel=error "${npm_packages[@]}" >/dev/null
fi
if [[ ! -x "$VENV/bin/openapi-spec-validator" ]]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "${pip_packages[@]}"
fi
