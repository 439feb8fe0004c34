# eCRM: `make run` runs the whole system locally, `make test` runs every test.
# Both do their own set-up; see README.md.

SHELL := /bin/bash
FUNCTIONS := registration preferences quotes recommendations mailer
CARGO ?= cargo

.DEFAULT_GOAL := help
.PHONY: help setup site run run-memory test lint unit build clean browser-deps fuzz fuzz-quick bench openapi-lint

help: ## List the targets
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-14s %s\n", $$1, $$2}'

setup: ## Check the toolchain pieces the build needs (rustfmt, clippy)
	@command -v $(CARGO) >/dev/null || { echo "cargo not found: install Rust with rustup"; exit 1; }
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

lint: setup ## cargo fmt --check and clippy -D warnings
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

browser-deps: ## axe-core for the accessibility browser test (npm ci into tests/node_modules)
	@command -v npm >/dev/null || { echo "npm not found: apt-get install nodejs npm (see .ci/run)"; exit 1; }
	npm ci --prefix tests --no-audit --no-fund

test: lint site infra-check browser-deps openapi-lint ## Everything: fmt, clippy, offline infra checks, unit, integration (dynoxide) and browser tests
	@command -v chromedriver >/dev/null || { echo "chromedriver not found: apt-get install chromium chromium-driver (see .ci/run)"; exit 1; }
	$(CARGO) test --workspace --no-fail-fast
	$(MAKE) fuzz-quick

openapi-lint: site browser-deps ## Lint the served OpenAPI document (tests/artifacts/openapi.json) with redocly's recommended rules
	tests/openapi-lint.sh

fuzz-quick: site ## API fuzzing, bounded (part of make test): schemathesis against the runner
	tests/fuzz/run.sh quick

fuzz: site ## API fuzzing with many more examples (FUZZ_EXAMPLES, default 150)
	tests/fuzz/run.sh full

bench: site ## Benchmarks: latency vs the DynamoDB floor, round trips, cold start, zip sizes -> bench/REPORT.md
	bench/run.sh

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
