#!/usr/bin/env bash
# make bench: release builds of the functions (for cold start) and of the bench
# binary, then `ecrm-bench`, which writes bench/REPORT.md. Needs wrk (apt-get install wrk).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null 2>&1 || { echo "wrk not found: apt-get install wrk" >&2; exit 1; }
echo "== release builds (first time: several minutes)"
# The functions alone, exactly as `cargo build --release -p <function>` builds them
# (built together with the bench crate, feature unification would change them).
cargo build --release -p registration -p preferences -p quotes -p recommendations -p mailer
cargo build --release -p ecrm-bench
echo "== benchmarks"
target/release/ecrm-bench
