#!/usr/bin/env bash
# API contract fuzzing: schemathesis against a running local runner, from the OpenAPI
# document the runner serves at /api/openapi.json.
#
#   tests/fuzz/run.sh          bounded run for `make test` (FUZZ_EXAMPLES, default 8 per operation)
#   tests/fuzz/run.sh full     `make fuzz`: more examples (FUZZ_EXAMPLES, default 150)
#
# Two passes: signed in (a session cookie from a fresh sign-up, so /api/me and the
# member routes are exercised past 401) and anonymous (visitors' quotes, 401 paths,
# sign-out everywhere). Checks: no 5xx, and every response conforms to the document
# (status code, content type, headers, body schema); a request that breaks the
# schema must be refused. Stateful links (quote -> get/accept, address -> put/delete,
# consents -> receipt, me -> patch) are followed in the stateful phase.
# Needs schemathesis, pinned in tests/requirements.txt and installed by `make python-tools`
# (part of `make fuzz-quick`, `make fuzz`, `make test`) into .local/venv, where this
# script takes it from. Reports: tests/artifacts/fuzz/.
set -euo pipefail
cd "$(dirname "$0")/../.."

mode=${1:-quick}
case "$mode" in
    quick) examples=${FUZZ_EXAMPLES:-8} ;;
    full) examples=${FUZZ_EXAMPLES:-150} ;;
    *) echo "usage: $0 [quick|full]" >&2; exit 2 ;;
esac
schemathesis=.local/venv/bin/schemathesis
if [ ! -x "$schemathesis" ]; then
    echo "$schemathesis not found: run make python-tools (or make fuzz-quick)" >&2
    exit 1
fi

cargo build --quiet -p ecrm-runner
report_dir=tests/artifacts/fuzz
mkdir -p "$report_dir"
log="$report_dir/runner.log"

# The fuzzer sends thousands of requests from one address: lift the abuse limits
# (their own test is sessions_api::limits_answer_429_alike_…).
export ECRM_LIMIT_CODES_PER_EMAIL=1000000 ECRM_LIMIT_CODES_PER_CLIENT=1000000 \
    ECRM_LIMIT_GUESSES_PER_EMAIL=1000000 ECRM_LIMIT_SIGNUPS_PER_CLIENT=1000000 \
    ECRM_LIMIT_VISITOR_QUOTES_PER_CLIENT=1000000
# Recommendation lists from a small generated seed: fitting the purchase log at start
# takes half a minute and the fuzzer needs lists, not good ones.
export ECRM_RECS_LOG=fixture
target/debug/ecrm-runner --memory --listen 127.0.0.1:0 --site site/public \
    --staff fuzz-staff@example.com >"$log" 2>&1 &
runner=$!
cleanup() {
    kill "$runner" 2>/dev/null || true
    wait "$runner" 2>/dev/null || true
}
trap cleanup EXIT

url=""
for _ in $(seq 1 900); do
    url=$(grep -o 'running at http://[0-9.:]*' "$log" | head -n1 | sed 's/running at //' || true)
    [ -n "$url" ] && break
    kill -0 "$runner" 2>/dev/null || { cat "$log" >&2; echo "runner exited" >&2; exit 1; }
    sleep 0.1
done
[ -n "$url" ] || { cat "$log" >&2; echo "runner did not start" >&2; exit 1; }
echo "runner at $url"

# A session: sign up a fuzz customer and keep the cookie it sets.
# A session: sign up a fuzz customer, read the code from the development mailbox
# (as a person reads their mail) and finish with it; keep the cookie that sets.
curl -fsS -o /dev/null "$url/api/customers" \
    -H 'content-type: application/json' -H "origin: $url" \
    -d '{"email":"fuzz@example.com","display_name":"Fuzz","language":"en","country":"GB","topics":[],"consents":{"account":true,"marketing_email":false,"personalisation":true}}'
code=""
for _ in $(seq 1 100); do
    code=$(curl -fsS "$url/dev/mailbox.json" | python3 -c '
import json, re, sys
for mail in json.load(sys.stdin):
    found = re.search(r"code is ([A-Z0-9]{4}-[A-Z0-9]{4})", mail.get("text", ""))
    if mail.get("to") == "fuzz@example.com" and found:
        print(found.group(1))
        break
' || true)
    [ -n "$code" ] && break
    sleep 0.1
done
[ -n "$code" ] || { echo "no sign-up code arrived in the development mailbox" >&2; exit 1; }
cookie=$(curl -fsS -D - -o /dev/null "$url/api/sessions/verify" \
    -H 'content-type: application/json' -H "origin: $url" \
    -d "{\"email\":\"fuzz@example.com\",\"code\":\"$code\"}" \
    | tr -d '\r' | grep -i '^set-cookie: ecrm_session=' | head -n1 | sed -E 's/^[Ss]et-[Cc]ookie: ([^;]*).*/\1/')
[ -n "$cookie" ] || { echo "sign-up gave no session cookie" >&2; exit 1; }

# A staff session: the runner's staff address asks for a staff code, reads it from the
# development mailbox and signs in; keep the staff cookie (Path=/api/staff).
curl -fsS -o /dev/null "$url/api/staff/sessions" \
    -H 'content-type: application/json' -H "origin: $url" \
    -d '{"email":"fuzz-staff@example.com"}'
staff_code=""
for _ in $(seq 1 100); do
    staff_code=$(curl -fsS "$url/dev/mailbox.json" | python3 -c '
import json, re, sys
for mail in json.load(sys.stdin):
    found = re.search(r"code is ([A-Z0-9]{4}-[A-Z0-9]{4})", mail.get("text", ""))
    if mail.get("to") == "fuzz-staff@example.com" and found:
        print(found.group(1))
        break
' || true)
    [ -n "$staff_code" ] && break
    sleep 0.1
done
[ -n "$staff_code" ] || { echo "no staff code arrived in the development mailbox" >&2; exit 1; }
staff_cookie=$(curl -fsS -D - -o /dev/null "$url/api/staff/sessions/verify" \
    -H 'content-type: application/json' -H "origin: $url" \
    -d "{\"email\":\"fuzz-staff@example.com\",\"code\":\"$staff_code\"}" \
    | tr -d '\r' | grep -i '^set-cookie: ecrm_staff=' | head -n1 | sed -E 's/^[Ss]et-[Cc]ookie: ([^;]*).*/\1/')
[ -n "$staff_cookie" ] || { echo "staff sign-in gave no staff cookie" >&2; exit 1; }

# `make fuzz` (full) runs every check, positive data acceptance included; the bounded
# run in `make test` keeps to the checks that hold for any valid-looking input.
case "$mode" in
    full) checks=${FUZZ_CHECKS:-all} ;;
    *) checks=${FUZZ_CHECKS:-not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance,negative_data_rejection} ;;
esac
common=(
    --checks "$checks"
    --max-examples "$examples"
    --seed "${FUZZ_SEED:-7}"
    --workers 1
    --phases examples,coverage,fuzzing,stateful
    --request-timeout 10
    --suppress-health-check all
    -H "Origin: $url"
)

status=0
out="$report_dir/schemathesis.log"
: >"$out"
echo "== signed in" | tee -a "$out"
# Signing out (here or everywhere) revokes the fuzz session on the server, and every
# later signed-in request would be a 401: both run in the anonymous pass instead.
ECRM_FUZZ_SESSION=${cookie#ecrm_session=} ECRM_FUZZ_STAFF_SESSION=${staff_cookie#ecrm_staff=} "$schemathesis" --config-file tests/fuzz/schemathesis.toml \
    run "$url/api/openapi.json" "${common[@]}" \
    --exclude-operation-id revoke_sessions \
    --exclude-operation-id sign_out \
    --exclude-operation-id staff_sign_out \
    --report junit --report-junit-path "$report_dir/signed-in.xml" 2>&1 | tee -a "$out" || status=$?
echo "== anonymous" | tee -a "$out"
ECRM_FUZZ_SESSION=none "$schemathesis" --config-file tests/fuzz/anonymous.toml run \
    "$url/api/openapi.json" "${common[@]}" \
    --report junit --report-junit-path "$report_dir/anonymous.xml" 2>&1 | tee -a "$out" || status=$?

# One plain closing line: generated test cases that passed and failed, both passes.
count() { { grep -E '^\s*[0-9]+ generated' "$out" || true; } | { grep -oE "[0-9]+ $1" || true; } | awk '{n += $1} END {print n + 0}'; }
passed=$(count passed)
failed=$(count failed)
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "fuzz: $passed passed, $failed failed"
exit "$status"
