#!/usr/bin/env bash
# Builds the npm package in pkg/ from one release .wasm: cargo → wasm-bindgen (web-target
# glue, which every entry point shares) → wasm-opt -Oz, printing the sizes at each step.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
OUT=pkg/dist
WASM_OPT="$ROOT/.tools/node_modules/.bin/wasm-opt"

cargo build --quiet --release --lib --target wasm32-unknown-unknown
raw=target/wasm32-unknown-unknown/release/aftersale_rules.wasm
rm -rf "$OUT" && mkdir -p "$OUT"
wasm-bindgen --target web --no-typescript --out-dir "$OUT" --out-name aftersale_rules "$raw"
before=$(wc -c < "$OUT/aftersale_rules_bg.wasm")
# wasm-opt enables the features the module declares in its target_features section.
"$WASM_OPT" -Oz --strip-debug --strip-producers "$OUT/aftersale_rules_bg.wasm" -o "$OUT/aftersale_rules_bg.wasm.opt"
mv "$OUT/aftersale_rules_bg.wasm.opt" "$OUT/aftersale_rules_bg.wasm"
after=$(wc -c < "$OUT/aftersale_rules_bg.wasm")
gz=$(gzip -9 -c "$OUT/aftersale_rules_bg.wasm" | wc -c)
br=$(node -e 'const z=require("zlib"),fs=require("fs");process.stdout.write(String(z.brotliCompressSync(fs.readFileSync(process.argv[1]),{params:{[z.constants.BROTLI_PARAM_QUALITY]:11}}).length))' "$OUT/aftersale_rules_bg.wasm")
printf 'wasm: cargo %s B, wasm-bindgen %s B, wasm-opt -Oz %s B (gzip %s B, brotli %s B)\n' "$(wc -c < "$raw")" "$before" "$after" "$gz" "$br"
