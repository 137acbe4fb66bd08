#!/usr/bin/env bash
# Builds the unpacked extension in dist/redline/ and its zip, dist/redline-<version>.zip.
set -euo pipefail
cd "$(dirname "$0")/.."

version=$(awk -F'"' '/^version = / { print $2; exit }' Cargo.toml)
# DIST names another output folder, so a build can run beside tests that use dist/redline.
out=${DIST:-dist/redline}

# wasm-pack with --no-opt: it would otherwise download binaryen, which this network refuses.
wasm-pack build --release --target web --no-opt --no-pack --out-dir target/pkg --out-name redline

rm -rf "$out"
mkdir -p "$out/pkg"
cp manifest.json "$out/"
cp -r extension "$out/"
cp target/pkg/redline.js "$out/pkg/"
# npm's binaryen: Debian's older wasm-opt miscompiles wasm-bindgen 0.2.130 output (toolchain.md).
node_modules/.bin/wasm-opt -Oz --converge --strip-debug --strip-producers \
  --enable-bulk-memory --enable-reference-types --enable-nontrapping-float-to-int \
  --enable-sign-ext --enable-mutable-globals --enable-multivalue \
  target/pkg/redline_bg.wasm -o "$out/pkg/redline_bg.wasm"

zip="$(cd "$(dirname "$out")" && pwd)/redline-$version.zip"
rm -f "$zip"
(cd "$out" && python3 -m zipfile -c "$zip" manifest.json extension pkg)
echo "built $out and $zip ($(wc -c < "$out/pkg/redline_bg.wasm") bytes of wasm)"
