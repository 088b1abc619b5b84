#!/usr/bin/env bash
# Fuzzing with cargo-fuzz (libFuzzer + AddressSanitizer, pinned nightly).
#   fuzz/run.sh [SECONDS] [TARGET...]   run each target for SECONDS (default 300), seeded from
#                                       tests/cases; targets: expr policy evaluate_json decision
# SANITIZER=none runs without AddressSanitizer (the core forbids `unsafe`; four to five times the
# executions a second, for long runs); the default is address.
# New interesting inputs go to fuzz/.work/<target>/ (ignored: a run leaves `git status` clean);
# MERGE=1 merges them, minimised, into the kept corpus fuzz/corpus/<target>/ on purpose. A crash
# is copied to fuzz/regressions/<target>/, which `cargo test --manifest-path fuzz/Cargo.toml`
# replays forever after, and the run fails. Prints executions per target.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
EACH="${1:-300}"
shift || true
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(expr policy evaluate_json decision)
NIGHTLY=$(cat pkg/NIGHTLY)
scripts/setup.sh
cargo run --quiet --manifest-path fuzz/Cargo.toml --example seeds -- fuzz/.seeds >/dev/null
total=0
for target in "${TARGETS[@]}"; do
  mkdir -p "fuzz/.work/$target" "fuzz/corpus/$target" "fuzz/.seeds/$target" "fuzz/artifacts/$target"
  log="fuzz/artifacts/$target/last-run.log"
  status=0
  # libFuzzer writes what it finds into the first folder only.
  cargo +"$NIGHTLY" fuzz run --sanitizer "${SANITIZER:-address}" --fuzz-dir fuzz "$target" "fuzz/.work/$target" "fuzz/corpus/$target" "fuzz/.seeds/$target" -- \
    -max_total_time="$EACH" -rss_limit_mb=2048 -max_len=65536 -timeout=10 -print_final_stats=1 > "$log" 2>&1 || status=$?
  execs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' | tail -1)
  echo "fuzz: $target: ${execs:-0} executions in ${EACH} s, $(ls "fuzz/.work/$target" | wc -l) new inputs, exit $status"
  if [ "$status" -ne 0 ]; then
    mkdir -p "fuzz/regressions/$target"
    for crash in fuzz/artifacts/"$target"/crash-* fuzz/artifacts/"$target"/oom-* fuzz/artifacts/"$target"/timeout-*; do
      [ -e "$crash" ] && cp "$crash" "fuzz/regressions/$target/" && echo "fuzz: $target: kept $crash as a regression" >&2
    done
    tail -40 "$log" >&2
    exit 1
  fi
  if [ "${MERGE:-0}" = 1 ]; then
    cargo +"$NIGHTLY" fuzz run --sanitizer "${SANITIZER:-address}" --fuzz-dir fuzz "$target" "fuzz/corpus/$target" "fuzz/.work/$target" -- -merge=1 -max_len=65536 > "$log.merge" 2>&1
    echo "fuzz: $target: merged into fuzz/corpus/$target ($(ls "fuzz/corpus/$target" | wc -l) kept inputs)"
  fi
  total=$((total + ${execs:-0}))
done
echo "fuzz: $total executions, no crash"
