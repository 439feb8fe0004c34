# eCRM: `make run` runs the whole system locally, `make test` runs every test.
# Both do their own set-up; see README.md. Set-up steps are skipped when done: Debian
# packages are checked by command, the Python tools and axe-core by stamp files.

SHELL := /bin/bash
FUNCTIONS := registration preferences quotes recommendations mailer staff escalator neighbours
CARGO ?= cargo
# cfn-lint and schemathesis, pinned in tests/requirements.txt, live in this virtual
# environment; infra-check and tests/fuzz/run.sh take them from there.
VENV := .local/venv
VENV_STAMP := $(VENV)/.installed
# npm ci --prefix tests: axe-core (browser tests) and @redocly/cli (openapi-lint).
AXE_STAMP := tests/node_modules/.installed
DEBIAN := tests/setup/debian-packages.sh

.DEFAULT_GOAL := help
.PHONY: help setup fmt-check test-deps python-tools site run run-memory seed test lint unit build clean browser-deps fuzz fuzz-quick bench openapi-doc openapi-lint eval-recs rebuild-recs

help: ## List the targets
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-14s %s\n", $$1, $$2}'

setup: ## Check the toolchain pieces the build needs (a C compiler, rustfmt, clippy)
	@command -v $(CARGO) >/dev/null || { echo "cargo not found: install Rust with rustup"; exit 1; }
	@$(DEBIAN) gcc
	@$(CARGO) fmt --version >/dev/null 2>&1 || rustup component add rustfmt
	@$(CARGO) clippy --version >/dev/null 2>&1 || rustup component add clippy

site: ## Build the site into site/public (zola if installed, else the project's renderer)
	@if command -v zola >/dev/null 2>&1; then \
		echo "building site with zola"; cd site && zola build; \
	else \
		echo "zola not found: rendering site/ with functions/site-render (Tera + pulldown-cmark)"; \
		$(CARGO) run --quiet -p site-render -- site; \
	fi

run: setup site ## Build everything and run eCRM on http://127.0.0.1:8080 (data in .local/)
	$(CARGO) run -p ecrm-runner -- $(RUN_ARGS)

run-memory: ## Like run, with an in-memory store
	$(MAKE) run RUN_ARGS=--memory

seed: setup ## Load the catalog (featured + the retailer's whole list, from ECRM_RETAIL_LOG or ../shared/data/online-retail/) into .local/ (stop make run first); TABLE=name: a deployed table
	$(CARGO) run -p ecrm-runner -- $(if $(TABLE),seed-catalog $(TABLE),seed)

rebuild-recs: setup ## Refit every recommendation list from the log's first half and the recorded events: TABLE=name (LOG=file) for a deployed table; without TABLE, runs eCRM refitting the local lists at start
	$(if $(TABLE),$(CARGO) run --release -p ecrm-runner -- rebuild-recs $(TABLE) $(LOG),$(MAKE) run RUN_ARGS=--rebuild-recs)

lint: setup ## cargo fmt --check and clippy -D warnings
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

test-deps: setup python-tools browser-deps ## Install what make test needs (where missing): Debian packages, Python tools, axe-core
	@$(DEBIAN) curl

python-tools: $(VENV_STAMP) ## cfn-lint and schemathesis (tests/requirements.txt) into the virtual environment .local/venv

$(VENV_STAMP): tests/requirements.txt
	@$(DEBIAN) python3-venv
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r tests/requirements.txt
	@touch $@

browser-deps: $(AXE_STAMP) ## Chromium and chromedriver (Debian packages) and axe-core (npm ci into tests/node_modules)
	@$(DEBIAN) chromium chromium-driver

$(AXE_STAMP): tests/package.json tests/package-lock.json
	@$(DEBIAN) npm
	npm ci --prefix tests --no-audit --no-fund
	@touch $@

# make infra-check (infra/deploy.mk) runs cfn-lint from the virtual environment.
infra-check: python-tools
infra-check: export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)

fmt-check: setup ## cargo fmt --check
	$(CARGO) fmt --all -- --check

# make test lints while it builds: clippy-driver compiles the workspace's own crates
# (lints with -D warnings, then code generation) and rustc the dependencies, so the
# dependencies are compiled once instead of once for clippy's check and again for the
# tests. Same lints as `make lint` (cargo clippy --all-targets -D warnings sets these
# two variables the same way). Exported to every cargo call of make test (site,
# openapi-lint, fuzz-quick) so they share one build.
CLIPPY_DRIVER = $(shell rustup which clippy-driver 2>/dev/null || command -v clippy-driver)
test: export RUSTC_WORKSPACE_WRAPPER = $(CLIPPY_DRIVER)
test: export CLIPPY_ARGS = -D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__
test: test-deps fmt-check site infra-check openapi-lint ## Everything: fmt, clippy, offline infra checks, OpenAPI lint, unit, integration (dynoxide) and browser tests, API fuzzing
	@[ -n "$(RUSTC_WORKSPACE_WRAPPER)" ] || { echo "clippy-driver not found: rustup component add clippy"; exit 1; }
	$(CARGO) test --workspace --all-targets --no-fail-fast
	$(MAKE) fuzz-quick

openapi-doc: setup ## Rewrite functions/registration/openapi.json, the document the deployed registration function serves, from the code
	ECRM_WRITE_OPENAPI=1 $(CARGO) test -p registration --features assemble --lib the_committed_document_is_the_assembled_one

openapi-lint: setup site $(AXE_STAMP) ## Lint the served OpenAPI document (tests/artifacts/openapi.json) with redocly's recommended rules (pinned in tests/package.json)
	@$(DEBIAN) curl
	tests/openapi-lint.sh

fuzz-quick: python-tools site ## API fuzzing, bounded (part of make test): schemathesis against the runner
	@$(DEBIAN) curl
	tests/fuzz/run.sh quick

fuzz: python-tools site ## API fuzzing with many more examples (FUZZ_EXAMPLES, default 150)
	@$(DEBIAN) curl
	tests/fuzz/run.sh full

bench: setup site ## Benchmarks: latency vs the DynamoDB floor, round trips, cold start, zip sizes -> bench/REPORT.md
	@$(DEBIAN) wrk zip
	bench/run.sh

# make eval-recs: the recommendation model's offline evaluation (issue #14). TRAIN and
# TEST are logs in the retailer's CSV format (plain or .gz); when they are the same
# file it is split at 2011-06-01 (EVAL_ARGS="--split YYYY-MM-DD --until YYYY-MM-DD"
# changes that). Predictions (JSON lines) go to OUT. Release build: fit speed counts.
RECS_LOG := ../shared/data/online-retail/online-retail-2010-12-01-to-2011-07-20.csv.gz
TRAIN ?= $(RECS_LOG)
TEST ?= $(RECS_LOG)
OUT ?= .local/recs/predictions.jsonl

eval-recs: setup ## Recommendation model vs popularity on a purchase log: HR@10, NDCG@10, Recall@10, coverage (TRAIN=, TEST=, OUT=)
	$(CARGO) run --release --quiet -p ecrm-recs-model --bin eval-recs -- --train "$(TRAIN)" --test "$(TEST)" --out "$(OUT)" $(EVAL_ARGS)

build: ## Release bootstrap.zip per function for Lambda (arm64) with cargo-lambda
	@command -v cargo-lambda >/dev/null || { echo "cargo-lambda not found: pip install cargo-lambda"; exit 1; }
	rustup target list --installed | grep -q aarch64-unknown-linux-gnu || rustup target add aarch64-unknown-linux-gnu
	@for fn in $(FUNCTIONS); do \
		echo "== $$fn"; \
		cargo lambda build --release --arm64 --output-format zip -p $$fn --bin $$fn || exit 1; \
	done
	@ls -l target/lambda/*/bootstrap.zip

clean: ## Remove build output, the built site and local data
	$(CARGO) clean
	rm -rf site/public .local

include infra/deploy.mk
