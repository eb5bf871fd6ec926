#!/usr/bin/env bash
# Release build of the server and the two WASM bundles (the staff pages' islands, and the
# candidate's test page); prints their sizes.
source "$(dirname "$0")/common.sh"
ensure_rust_tools
cd "$ROOT"
say "building (release)"
cargo leptos build --release
PKG="target/site/pkg"
size_line() { # label, file
  printf '%-24s %s bytes raw, %s bytes gzipped (%s)\n' "$1" "$(stat -c %s "$2")" \
    "$(gzip -9 -c "$2" | wc -c)" "$(basename "$2")"
}
size_line "WASM, staff pages:" "$(ls "$PKG"/are.*.wasm | head -n 1)"

# The test page's own bundle: only the test island (app feature `test-island`), so a
# candidate downloads nothing else. cargo-leptos builds one bundle, so this one is built
# here the same way: wasm-bindgen, wasm-opt with the flags of Cargo.toml, hashed names
# (the server caches /pkg forever), and are-test.txt telling the server the name.
say "building the test page's WASM (frontend/test-page)"
# (cargo-leptos's target folder, so the dependencies it compiled for WASM are reused)
cargo build -p test-page --lib --target wasm32-unknown-unknown --profile wasm-release \
  --target-dir target/front
OUT="$STATE_DIR/test-page-wasm"
rm -rf "$OUT"
wasm-bindgen target/front/wasm32-unknown-unknown/wasm-release/are_test_page.wasm \
  --out-dir "$OUT" --out-name are-test --target web --no-typescript
read -r -a OPT_FLAGS <<<"$(sed -n 's/^wasm-opt-features = \[\(.*\)\]/\1/p' Cargo.toml | tr -d '",')"
wasm-opt "${OPT_FLAGS[@]}" "$OUT/are-test_bg.wasm" -o "$OUT/are-test_bg.wasm"
HASH="$(cat "$OUT/are-test.js" "$OUT/are-test_bg.wasm" | sha256sum | cut -c1-20)"
rm -f "$PKG"/are-test.*
cp "$OUT/are-test.js" "$PKG/are-test.$HASH.js"
cp "$OUT/are-test_bg.wasm" "$PKG/are-test.$HASH.wasm"
echo "are-test.$HASH" >"$PKG/are-test.txt"
size_line "WASM, test page:" "$PKG/are-test.$HASH.wasm"
