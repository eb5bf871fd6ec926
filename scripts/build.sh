#!/usr/bin/env bash
# Release build of the server and the WASM islands; prints the islands' size.
source "$(dirname "$0")/common.sh"
ensure_rust_tools
cd "$ROOT"
say "building (release)"
cargo leptos build --release
wasm=$(ls target/site/pkg/*.wasm | head -n 1)
raw=$(stat -c %s "$wasm")
gz=$(gzip -9 -c "$wasm" | wc -c)
printf 'WASM islands: %s bytes raw, %s bytes gzipped (%s)\n' "$raw" "$gz" "$(basename "$wasm")"
