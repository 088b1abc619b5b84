#!/usr/bin/env bash
# The DataFusion integration end to end: a generated history (with malformed lines) converted to
# Parquet by the Python wheel, then the what-if report in-process, on Ballista with two executors
# and with one; each must equal `aftersale simulate --format json` on the same history. Then the
# Rust tests, with `aftersale_decide` checked against the engine's bytes on a sample of it.
#
# Run after the main test suite: it needs the release CLI (target/release/aftersale) and the
# Python venv with the wheel (.tools/python). RECORDS (default 20000) sizes the history;
# AFTERSALE_DATAFUSION_TARGET is the cargo target directory (a cache outside the clone).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
export CARGO_TARGET_DIR=${AFTERSALE_DATAFUSION_TARGET:-$HOME/.cache/aftersale-datafusion/target}
records=${RECORDS:-20000}
aftersale=$root/target/release/aftersale
python=$root/.tools/python/bin/python
# The parity history's policies: the candidate refuses one record the baseline decides.
baseline_policy=$root/examples/policies/apparel-shop.json
candidate_policy=$root/examples/policies/electronics-store.json

die() { echo "test.sh: $*" >&2; exit 1; }
[ -x "$aftersale" ] || die "no $aftersale: build the CLI first (cargo build --release -p aftersale-cli in $root)"
[ -x "$python" ] || die "no $python: the Python venv is made by the main test suite (integrations/python)"
"$python" -c 'import aftersale_rules' 2>/dev/null || die "$python cannot import aftersale_rules: install the wheel first"
command -v python3 >/dev/null || die "python3 is needed to compare the reports"

work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

echo "== format, lints and build (debug, target $CARGO_TARGET_DIR)"
started=$(date +%s)
(cd "$here" && cargo fmt --check && cargo clippy --quiet --locked --all-targets -- -D warnings && cargo build --locked --bins --tests --quiet)
echo "build: $(($(date +%s) - started)) s"
bin=$CARGO_TARGET_DIR/debug/aftersale-datafusion
# shellcheck source=cluster.sh
. "$here/cluster.sh"

echo "== history: $records records and the parity history's odd lines (integrations/python/tests/parity_history.py)"
"$python" "$root/integrations/python/tests/parity_history.py" "$aftersale" "$records" "$work/h.ndjson"
"$python" -m aftersale_rules convert "$work/h.ndjson" "$work/h.parquet"

rate() { sed -n 's/.*\(records\/s[^,]*\).*/\1/p' "$1" | tail -n 1; }

echo "== simulate"
# Exit status 1: the history has malformed records, as this one does on purpose.
status=0
"$aftersale" simulate --baseline "$baseline_policy" --candidate "$candidate_policy" --orders "$work/h.ndjson" \
  --format json --threads 2 >"$work/simulate.json" 2>"$work/simulate.err" || status=$?
[ "$status" -le 1 ] || { cat "$work/simulate.err" >&2; die "simulate failed ($status)"; }
echo "simulate (2 threads): $(cat "$work/simulate.err")"

same() { # expected actual label
  python3 - "$1" "$2" "$3" <<'PY'
import json, sys
expected, actual = (json.load(open(p)) for p in sys.argv[1:3])
if expected != actual:
    for key in sorted(set(expected) | set(actual)):
        if expected.get(key) != actual.get(key):
            print(f"  {key}: simulate {expected.get(key)!r}\n  {' ' * len(key)}  {sys.argv[3]} {actual.get(key)!r}")
    sys.exit(f"{sys.argv[3]}: the report differs from simulate's")
print(f"{sys.argv[3]}: equal to simulate's ({expected['records']} records, {expected['malformed']} malformed)")
PY
}

report() { # label, extra arguments
  local label=$1
  shift
  local status=0
  "$bin" report --baseline "$baseline_policy" --candidate "$candidate_policy" --history "$work/h.parquet" \
    --partitions 2 "$@" >"$work/$label.json" 2>"$work/$label.err" || status=$?
  # 1, as simulate: the history has malformed records on purpose.
  [ "$status" = 1 ] || { cat "$work/$label.err" >&2; die "$label exited $status"; }
  same "$work/simulate.json" "$work/$label.json" "$label"
  echo "$label: $(rate "$work/$label.err")"
}

echo "== in-process (2 partitions)"
report in-process

echo "== Ballista: scheduler and 2 executors (1 task each)"
cluster 2 1
report ballista-2-executors --scheduler "$cluster_url"
stop_cluster

echo "== Ballista: scheduler and 1 executor (2 tasks)"
cluster 1 2
report ballista-1-executor --scheduler "$cluster_url"
stop_cluster

echo "== Rust tests, aftersale_decide against evaluate_json on a sample of the history"
(cd "$here" && AFTERSALE_HISTORY="$work/h.parquet" AFTERSALE_POLICY="$candidate_policy" AFTERSALE_SAMPLE=200 \
  cargo test --quiet -- --include-ignored --nocapture 2>&1) | grep -v '^$'
echo "test.sh: all passed"
