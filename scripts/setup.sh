#!/usr/bin/env bash
# Installs whatever redline's build and tests need and this machine lacks. Idempotent: each step
# checks first, so a warm machine passes through in about a second.
#
# On a fresh machine the downloads (Debian's packages, npm's, PyPI's) run in the background while
# Cargo compiles the tools that crates.io has only as source, so the cold setup costs about as long
# as the compiles alone.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf 'setup: %s\n' "$*"; }
sudo_if_needed() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# Debian's packages: Chromium for the end-to-end suite, Firefox ESR for the same suite in Firefox
# (make test-e2e-firefox), and Python's venv for the import differential test; then botocore, the
# AWS CLI's own reader of ~/.aws/config, which tests/import_botocore.rs compares the importer with:
# a test dependency in a virtual environment of its own, never a runtime one.
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/firefox-esr ] || missing+=(firefox-esr)
python3 -c 'import venv, ensurepip' 2>/dev/null || missing+=(python3 python3-venv)
# sudo asks for its password here, before Cargo's output would bury the prompt.
if [ ${#missing[@]} -gt 0 ] && [ "$(id -u)" -ne 0 ]; then sudo -v; fi

system_packages() {
  if [ ${#missing[@]} -gt 0 ]; then
    say "installing ${missing[*]} from Debian's packages"
    sudo_if_needed apt-get update -qq
    DEBIAN_FRONTEND=noninteractive sudo_if_needed apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
  local botocore_version=1.44.8
  if [ "$(.tools/botocore/bin/python -c 'import botocore; print(botocore.__version__)' 2>/dev/null)" != "$botocore_version" ]; then
    say "installing botocore $botocore_version into .tools/botocore (the reference of the import differential test)"
    rm -rf .tools/botocore
    python3 -m venv .tools/botocore
    .tools/botocore/bin/pip install --quiet --disable-pip-version-check "botocore==$botocore_version"
  fi
}

npm_packages() {
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    say "installing npm dev dependencies (playwright-core drives Chromium, selenium-webdriver Firefox; binaryen gives wasm-opt; web-ext lints the package)"
    npm ci --no-audit --no-fund --loglevel=error
  fi
}

# A step that fails (or Ctrl+C) ends the setup only once the downloads have finished: an apt-get
# or npm ci cut off, or left running under the next try, is worse than the wait.
trap wait EXIT
system_packages &
system_pid=$!
npm_packages &
npm_pid=$!

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown Rust target"
  rustup target add wasm32-unknown-unknown
fi

# The CLI must be exactly the version of the wasm-bindgen crate in Cargo.lock.
bindgen_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$bindgen_version" ]; then
  say "installing wasm-bindgen-cli $bindgen_version (about 4 minutes)"
  # --locked fails for this version (its lock file pins a yanked webpki-roots), so it is left out.
  cargo install wasm-bindgen-cli --version "$bindgen_version" --force
fi

# geckodriver drives Firefox ESR; Debian does not package it.
if [ "$(geckodriver --version 2>/dev/null | awk 'NR == 1 {print $2}')" != "0.37.1" ]; then
  say "installing geckodriver 0.37.1 (about 4 minutes)"
  cargo install geckodriver --version 0.37.1 --locked
fi

# Each wait stops the setup (set -e) with the failed step's status.
wait "$system_pid"
wait "$npm_pid"
