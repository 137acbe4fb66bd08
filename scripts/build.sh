#!/usr/bin/env bash
# Builds the unpacked extension in dist/redline/ and its packages for the two stores,
# dist/redline-chromium-<version>.zip and dist/redline-firefox-<version>.zip.
set -euo pipefail
cd "$(dirname "$0")/.."

version=$(awk -F'"' '/^version = / { print $2; exit }' Cargo.toml)
# DIST names another output folder, so a build can run beside tests that use dist/redline.
out=${DIST:-dist/redline}

# FEATURES=trap-test builds the test variant (Cargo.toml says what it does) into its own
# target/pkg-*-trap-test and DIST folders; Cargo's output under target/wasm32-unknown-unknown is
# shared, so building one variant after the other recompiles the crate.
features=${FEATURES:-}

rm -rf "$out"
mkdir -p "$out/pkg"
cp manifest.json "$out/"
cp -r extension "$out/"

# One module in dist as `name`, built with `extra` features beside FEATURES and Cargo's `profile`.
module() {
  local name=$1 extra=$2 profile=$3
  local all="${features}${features:+${extra:+ }}${extra}"
  local pkg="target/pkg-${name}${features:+-$features}"
  # Cargo, then the pinned wasm-bindgen, as wasm-pack did (README, "Packages"), but a cdylib alone:
  # Cargo applies the profile's LTO only when no rlib is made beside it (25 KB less).
  cargo rustc --lib --crate-type cdylib --target wasm32-unknown-unknown --profile "$profile" ${all:+--features "$all"}
  wasm-bindgen "target/wasm32-unknown-unknown/$profile/redline.wasm" --target web --no-typescript \
    --out-dir "$pkg" --out-name "$name"

  # After a trap the instance is unusable (its stack pointer is lost): the glue gets a way to start
  # a fresh instance of the compiled module (extension/shared/core.js). wasm-bindgen is pinned, so the
  # names it uses are known; the build stops if they change.
  for line in 'let wasmModule, wasmInstance, wasm;' 'let __wbg_init_promise;' 'function initSync(module)'; do
    grep -qF "$line" "$pkg/$name.js" || { echo "build: the wasm-bindgen glue no longer has '$line'" >&2; exit 1; }
  done
  cat >> "$pkg/$name.js" <<'JS'

/** redline: a fresh instance of the compiled module, after a trap left this one unusable. */
export function reinstantiate() {
    const module = wasmModule;
    wasm = undefined;
    __wbg_init_promise = undefined;
    return initSync({ module });
}
JS
  cp "$pkg/$name.js" "$out/pkg/"
  # npm's binaryen: Debian's older wasm-opt miscompiles wasm-bindgen 0.2.130 output (toolchain.md).
  # --low-memory-unused folds constant offsets into loads and stores (1.6 KB less): Rust puts the
  # stack first, in the lowest 1 MiB growing down, so its lowest KiB is reached only by a stack
  # about to overflow, which traps either way (tests/wasm/hostile.test.mjs, recovery.test.mjs).
  node_modules/.bin/wasm-opt -Oz --gufa-optimizing --converge --low-memory-unused --strip-debug --strip-producers \
    --enable-bulk-memory --enable-reference-types --enable-nontrapping-float-to-int \
    --enable-sign-ext --enable-mutable-globals --enable-multivalue \
    "$pkg/${name}_bg.wasm" -o "$out/pkg/${name}_bg.wasm"
}

# The service worker's module (and the popup's), held to its size budget by tests/wasm/size.test.mjs;
# the options page's adds what only it needs, the importers (Cargo feature `pages`), built for speed
# (Cargo.toml, profile `pages`).
module redline "" release
module redline_pages pages pages

if [ -n "$features" ]; then
  echo "built the test variant $out with $features ($(wc -c < "$out/pkg/redline_bg.wasm") bytes of wasm)"
  exit 0
fi
# One package per store. Neither takes Chrome's `key`, which only fixes the id of an unpacked load
# (the Chrome Web Store refuses a manifest with it: "key field is not allowed in manifest"; Firefox
# names the add-on by browser_specific_settings.gecko.id): both leave it out, and are otherwise the
# same files, so that each store's package can change alone later.
dir="$(cd "$(dirname "$out")" && pwd)"
# The one package of earlier builds, which no store takes as it is any more.
rm -f "$dir/redline-$version.zip"
chromium_zip="$dir/redline-chromium-$version.zip"
firefox_zip="$dir/redline-firefox-$version.zip"
rm -f "$chromium_zip" "$firefox_zip"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
cp -r "$out/extension" "$out/pkg" "$stage/"
python3 - "$out/manifest.json" "$stage/manifest.json" <<'PY'
import json, sys
manifest = json.load(open(sys.argv[1]))
manifest.pop("key")
json.dump(manifest, open(sys.argv[2], "w"), indent=2, ensure_ascii=False)
PY
(cd "$stage" && python3 -m zipfile -c "$chromium_zip" manifest.json extension pkg)
(cd "$stage" && python3 -m zipfile -c "$firefox_zip" manifest.json extension pkg)
echo "built $out, $chromium_zip and $firefox_zip ($(wc -c < "$out/pkg/redline_bg.wasm") bytes of the worker's wasm, $(wc -c < "$out/pkg/redline_pages_bg.wasm") of the pages')"
