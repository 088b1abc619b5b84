#!/usr/bin/env bash
# Builds the npm package in pkg/ from two builds of one source: the client .wasm (size first,
# MVP) that browsers, bundlers and mini-programs load, and the server .wasm (speed first) that
# the package's Node entries load.
#
# Why a pinned nightly: stable Rust ≥ 1.82 emits post-MVP WebAssembly (reference types,
# multivalue, bulk memory, sign extension) that older iOS engines and mini-program runtimes
# reject, and its prebuilt std carries those features whatever flags the crate uses. Rebuilding
# std with `-Zbuild-std` for `-Ctarget-cpu=mvp` (+ mutable-globals) is the route that works
# with wasm-bindgen; `examples/validate_wasm.rs` proves the result is MVP-only
# with a validator that ignores the module's own feature declaration.
#
#   pkg/build.sh                          the package: pkg/dist/ (the server build in
#                                         pkg/dist/server/), pkg/miniprogram/, sizes, budget
#   OUT=DIR FEATURES=test-trap build.sh   a test-only build into DIR (no budget, no mini-program)
#
# The server build needs no MVP: Node 18 runs bulk memory (a copy is one `memory.copy`, not a
# call into a byte loop), sign extension, saturating float conversion, multi-value and
# reference types; `examples/validate_wasm.rs --node18` holds it to exactly those.
set -euo pipefail
cd "$(dirname "$0")/.."
NIGHTLY=$(cat pkg/NIGHTLY)
FEATURES="${FEATURES:-}"
OUT="${OUT:-pkg/dist}"
TARGET_DIR="target/mvp${FEATURES:+-$FEATURES}"
WASM_OPT="$PWD/.tools/node_modules/.bin/wasm-opt"

# `aftersale_speed`: the few hot functions marked `optimize(speed)` (a nightly attribute).
# `immediate-abort`: a panic (which the library never raises) traps at once, without the
# formatting machinery of a message nobody reads; the package recovers from traps anyway.
# `sha2_backend_soft="compact"`: the policy hash's SHA-256 rolled, not unrolled (it runs once
# per compiled policy). `aftersale_client`: what only buys speed is left out (conditions settled
# by the reason at compile, the input written in place): a form's decisions are fast enough,
# and the bytes count (bench/README.md has both measured).
RUSTFLAGS="-Ctarget-cpu=mvp -Ctarget-feature=+mutable-globals -Zlocation-detail=none -Zfmt-debug=none -Zunstable-options -Cpanic=immediate-abort --cfg aftersale_speed --cfg aftersale_client --cfg sha2_backend_soft=\"compact\"" \
  cargo +"$NIGHTLY" build --quiet --profile wasm -p aftersale-rules-wasm --lib --target wasm32-unknown-unknown \
  -Zbuild-std=std,panic_abort -Zbuild-std-features=optimize_for_size --target-dir "$TARGET_DIR" ${FEATURES:+--features "$FEATURES"}
raw="$TARGET_DIR/wasm32-unknown-unknown/wasm/aftersale_rules_wasm.wasm"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
wasm-bindgen --target web --no-typescript --out-dir "$tmp" --out-name aftersale_rules "$raw"
rm -rf "$OUT" && mkdir -p "$OUT/server"
# `--merge-similar-functions` first: serde's derived visitors are many near-identical
# functions that differ in constants; merged, the .wasm is about 450 B brotli smaller.
# Twice `--flatten --rereloop` (control flow rebuilt from scratch, then shrunk again): about
# 1 KB brotli smaller. `-ocimfs 20`: a function with one caller is inlined only when small
# (binaryen's default inlines any): giant functions compress worse, about 12 KB brotli
# (bench/README.md).
"$WASM_OPT" --mvp-features --enable-mutable-globals --merge-similar-functions -Oz --flatten --rereloop -Oz --flatten --rereloop -Oz -Oz --converge --low-memory-unused --zero-filled-memory -ocimfs 20 \
  --strip-debug --strip-producers --strip-target-features \
  "$tmp/aftersale_rules_bg.wasm" -o "$OUT/aftersale_rules_bg.wasm"
printf 'wasm: cargo %s B, wasm-bindgen %s B, wasm-opt -Oz %s B\n' "$(wc -c < "$raw")" "$(wc -c < "$tmp/aftersale_rules_bg.wasm")" "$(wc -c < "$OUT/aftersale_rules_bg.wasm")"

# The server build: the whole engine and std at opt-level 3 (the `wasm-server` profile), the
# features Node 18 has, wasm-opt for speed.
SERVER_FEATURES="+bulk-memory,+sign-ext,+nontrapping-fptoint,+mutable-globals,+multivalue,+reference-types"
RUSTFLAGS="-Ctarget-cpu=mvp -Ctarget-feature=$SERVER_FEATURES -Zlocation-detail=none -Zfmt-debug=none -Zunstable-options -Cpanic=immediate-abort" \
  cargo +"$NIGHTLY" build --quiet --profile wasm-server -p aftersale-rules-wasm --lib --target wasm32-unknown-unknown \
  -Zbuild-std=std,panic_abort --target-dir "$TARGET_DIR-server" ${FEATURES:+--features "$FEATURES"}
wasm-bindgen --target web --no-typescript --out-dir "$tmp/server" --out-name aftersale_rules "$TARGET_DIR-server/wasm32-unknown-unknown/wasm-server/aftersale_rules_wasm.wasm"
"$WASM_OPT" --enable-bulk-memory --enable-sign-ext --enable-nontrapping-float-to-int --enable-mutable-globals --enable-multivalue --enable-reference-types \
  -O3 --strip-debug --strip-producers --strip-target-features "$tmp/server/aftersale_rules_bg.wasm" -o "$OUT/server/aftersale_rules_bg.wasm"
node pkg/build.mjs "$tmp/server/aftersale_rules.js" "$OUT/server" --server ${FEATURES:+--test-build}
cargo run --quiet --example validate_wasm -- --node18 "$OUT/server/aftersale_rules_bg.wasm"

node pkg/build.mjs "$tmp/aftersale_rules.js" "$OUT" ${FEATURES:+--test-build}
cargo run --quiet --example validate_wasm -- "$OUT/aftersale_rules_bg.wasm"
