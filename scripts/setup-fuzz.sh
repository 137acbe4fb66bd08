#!/usr/bin/env bash
# Installs what `make fuzz` needs and `make test` does not: a nightly toolchain and cargo-fuzz.
# Idempotent: each step checks first.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf 'setup-fuzz: %s\n' "$*"; }

if ! rustup toolchain list | grep -q '^nightly'; then
  say "installing the nightly Rust toolchain (cargo-fuzz needs -Z flags)"
  rustup toolchain install nightly --profile minimal
fi

if ! cargo fuzz --version >/dev/null 2>&1; then
  say "installing cargo-fuzz (about 2 minutes)"
  cargo install --locked cargo-fuzz
fi
