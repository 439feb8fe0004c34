#!/usr/bin/env bash
# make bench: release builds of every function (cold start, sizes) and of the bench
# binary, then `ecrm-bench`, which writes bench/REPORT.md. Needs wrk and zip (the
# Makefile's bench target installs them). Honours CARGO_TARGET_DIR (default target/).
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in wrk zip; do
  command -v "$tool" >/dev/null 2>&1 || { echo "$tool not found: apt-get install $tool" >&2; exit 1; }
done
target="${CARGO_TARGET_DIR:-target}"
echo "== release builds (first time: several minutes)"
# The functions alone, exactly as `cargo build --release -p <function>` builds them
# (built together with the bench crate, feature unification would change them).
cargo build --release -p registration -p preferences -p quotes -p recommendations \
  -p mailer -p staff -p escalator -p neighbours
cargo build --release -p ecrm-bench
echo "== benchmarks (load average now: $(cut -d' ' -f1-3 /proc/loadavg); run on an idle machine)"
"$target/release/ecrm-bench"
