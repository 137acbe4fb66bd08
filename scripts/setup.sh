#!/usr/bin/env bash
# Installs whatever redline's build and tests need and this machine lacks. Idempotent: each step
# checks first, so a warm machine passes through in about a second.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf 'setup: %s\n' "$*"; }
sudo_if_needed() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

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

if ! command -v wasm-pack >/dev/null; then
  say "installing wasm-pack (about 4 minutes)"
  cargo install wasm-pack --version 0.15.1 --locked
fi

if [ ! -x /usr/bin/chromium ]; then
  say "installing Chromium from Debian's packages"
  sudo_if_needed apt-get update -qq
  DEBIAN_FRONTEND=noninteractive sudo_if_needed apt-get install -y -qq chromium >/dev/null
fi

# The end-to-end suite runs in Firefox ESR too (make test-e2e-firefox), driven by geckodriver, which
# Debian does not package.
if [ ! -x /usr/bin/firefox-esr ]; then
  say "installing Firefox ESR from Debian's packages"
  sudo_if_needed apt-get update -qq
  DEBIAN_FRONTEND=noninteractive sudo_if_needed apt-get install -y -qq firefox-esr >/dev/null
fi

if [ "$(geckodriver --version 2>/dev/null | awk 'NR == 1 {print $2}')" != "0.37.1" ]; then
  say "installing geckodriver 0.37.1 (about 4 minutes)"
  cargo install geckodriver --version 0.37.1 --locked
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm dev dependencies (playwright-core drives Chromium, selenium-webdriver Firefox; binaryen gives wasm-opt; web-ext lints the package)"
  npm ci --no-audit --no-fund --loglevel=error
fi

# The import differential test (tests/import_botocore.rs) reads every ~/.aws/config of its corpus
# with botocore, the AWS CLI's own reader: a test dependency in a virtual environment of its own,
# never a runtime one.
botocore_version=1.44.8
if [ "$(.tools/botocore/bin/python -c 'import botocore; print(botocore.__version__)' 2>/dev/null)" != "$botocore_version" ]; then
  if ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
    say "installing Python with venv from Debian's packages"
    sudo_if_needed apt-get update -qq
    DEBIAN_FRONTEND=noninteractive sudo_if_needed apt-get install -y -qq python3 python3-venv >/dev/null
  fi
  say "installing botocore $botocore_version into .tools/botocore (the reference of the import differential test)"
  rm -rf .tools/botocore
  python3 -m venv .tools/botocore
  .tools/botocore/bin/pip install --quiet --disable-pip-version-check "botocore==$botocore_version"
fi
