# redline — the two commands are `make run` and `make test`; everything else is a step of those.
SHELL := /bin/bash
.DEFAULT_GOAL := help

.PHONY: help setup build build-test-variant run test test-rust test-import test-wasm test-package test-e2e test-e2e-firefox lint bench fuzz clean

help:
	@echo "make run    install what is missing, build, show the extension on the demo consoles"
	@echo "make test   every test: Rust core, the ~/.aws/config import against botocore, wasm boundary, end-to-end in Chromium and in Firefox ESR"
	@echo "make bench  wasm size, evaluate() native and in wasm, banner latency, popup and import speed in Chromium, the banner and popup in Firefox, the command line"
	@echo "make build  dist/redline/ (load it unpacked), dist/redline-chromium-<version>.zip and dist/redline-firefox-<version>.zip"
	@echo "make fuzz   every cargo-fuzz target for FUZZ_SECONDS each (default 60), one at a time, then the import differential on 200,000 files"

setup:
	@scripts/setup.sh

build: setup
	@scripts/build.sh

# The core stops on marked inputs in this variant, so that recovery can be tested (Cargo.toml, trap-test).
build-test-variant: setup
	@FEATURES=trap-test DIST=dist/redline-trap scripts/build.sh

# With a display: a Chromium window with the extension and the demo consoles. Without one (CI, a
# server): screenshots of each, and of the extension's own pages in both colour schemes.
run: build
	node scripts/demo.mjs
	@if [ -z "$$DISPLAY" ]; then node scripts/options-screenshot.mjs; fi

lint:
	cargo fmt --check
	cargo clippy --all-targets -- -D warnings

test-rust:
	cargo test

# The ~/.aws/config importer against botocore, the AWS CLI's own reader (tests/import_botocore.rs):
# the real-world forms and 10,000 generated files. It needs scripts/setup.sh's virtual environment,
# so plain `cargo test` lists it as ignored.
test-import: setup
	cargo test --test import_botocore -- --ignored

test-wasm: build
	node --test tests/wasm/

test-e2e: build build-test-variant
	node --test --test-concurrency=1 tests/e2e/

# Every end-to-end file runs in Firefox ESR too (tests/e2e/drivers/firefox.mjs); a test that needs
# what only Chromium offers skips itself there, saying why.
test-e2e-firefox: build build-test-variant
	REDLINE_BROWSER=firefox node --test --test-concurrency=1 tests/e2e/

# The package the stores take: Mozilla's web-ext lint, and what the zip holds.
test-package: build
	node --test tests/package/

test: setup lint test-rust test-import test-wasm test-package test-e2e test-e2e-firefox

bench: build
	cargo bench --bench evaluate
	node scripts/bench-wasm.mjs
	node scripts/bench-e2e.mjs
	node scripts/bench-popup.mjs
	node scripts/bench-import.mjs
	node scripts/bench-cli.mjs
	node scripts/bench-firefox.mjs

# Seconds per fuzz target; `make fuzz FUZZ_SECONDS=600`. Not part of `make test`.
FUZZ_SECONDS ?= 60

fuzz: setup
	scripts/setup-fuzz.sh
	node scripts/fuzz-corpus.mjs
	FUZZ_SECONDS=$(FUZZ_SECONDS) scripts/fuzz.sh
	REDLINE_DIFFERENTIAL_FILES=200000 cargo test --release --test import_botocore -- --ignored --nocapture

clean:
	rm -rf dist target/pkg target/pkg-*
