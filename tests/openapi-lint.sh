#!/usr/bin/env bash
# `make openapi-lint`: the OpenAPI document as the runner serves it, written to
# tests/artifacts/openapi.json, linted by redocly with the recommended rules
# (tests/redocly.yaml; findings accepted one by one in tests/.redocly.lint-ignore.yaml).
# redocly is pinned in tests/package.json (npm ci --prefix tests).
set -euo pipefail
cd "$(dirname "$0")/.."

redocly=tests/node_modules/.bin/redocly
[ -x "$redocly" ] || { echo "$redocly not found: npm ci --prefix tests (make browser-deps)" >&2; exit 1; }

cargo build --quiet -p ecrm-runner
mkdir -p tests/artifacts
log=tests/artifacts/openapi-runner.log
"${CARGO_TARGET_DIR:-target}"/debug/ecrm-runner --memory --listen 127.0.0.1:0 --site site/public >"$log" 2>&1 &
runner=$!
trap 'kill "$runner" 2>/dev/null || true; wait "$runner" 2>/dev/null || true' EXIT

url=""
# The runner loads the catalog before it listens (seconds; more on a busy machine).
for _ in $(seq 1 900); do
    url=$(grep -o 'running at http://[0-9.:]*' "$log" | head -n1 | sed 's/running at //' || true)
    [ -n "$url" ] && break
    kill -0 "$runner" 2>/dev/null || { cat "$log" >&2; echo "runner exited" >&2; exit 1; }
    sleep 0.1
done
[ -n "$url" ] || { cat "$log" >&2; echo "runner did not start" >&2; exit 1; }

curl -fsS "$url/api/openapi.json" -o tests/artifacts/openapi.json
echo "tests/artifacts/openapi.json: $(wc -c <tests/artifacts/openapi.json) bytes"
# Lint from tests/ so the ignore file's paths (artifacts/openapi.json) resolve.
cd tests
NO_UPDATE_NOTIFIER=1 REDOCLY_TELEMETRY=off node_modules/.bin/redocly lint artifacts/openapi.json \
    --config redocly.yaml --max-problems 100
