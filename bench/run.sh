#!/usr/bin/env bash
# The benchmark: builds the release artefacts, generates a seeded workload, measures every
# row in one run and prints the table (bench/README.md explains the rows).
#   bench/run.sh           the full run (a few minutes)
#   bench/run.sh --quick   a few seconds, for CI: same code paths, tiny workload, one pass
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
WORK="$ROOT/bench/.work"
mkdir -p "$WORK"
if [ "${1:-}" = "--quick" ]; then
  RECORDS=200 PASSES=1 COLD_RUNS=2 HISTORY=2000
  export AFTERSALE_BENCH_QUICK=1
else
  RECORDS=${RECORDS:-4000} PASSES=${PASSES:-7} COLD_RUNS=${COLD_RUNS:-11} HISTORY=${HISTORY:-100000}
  scripts/setup.sh
  pkg/build.sh
fi
[ -f pkg/dist/aftersale_rules_bg.wasm ] && [ -f pkg/dist/server/aftersale_rules_bg.wasm ] || pkg/build.sh
cargo build --quiet --release -p aftersale-cli -p aftersale-rules --bin aftersale --example bench --example worst
echo '{"id": "bench", "version": "1", "extends": "platform-default"}' > "$WORK/policy.json"
target/release/aftersale generate --count "$RECORDS" --seed 42 --out "$WORK/workload.ndjson"

echo "bench: native rows" >&2
target/release/examples/bench "$WORK/policy.json" "$WORK/workload.ndjson" "$PASSES" > "$WORK/native.json"
echo "bench: simulate ($HISTORY records, two policies, both cores)" >&2
target/release/aftersale generate --count "$HISTORY" --seed 7 --out "$WORK/history.ndjson"
target/release/aftersale simulate --baseline "$WORK/policy.json" --candidate "$WORK/policy.json" --orders "$WORK/history.ndjson" --threads 2 \
  | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const m=s.match(/(\d+) records \((\d+) malformed\) in (\d+) ms/);if(!m)throw new Error(s);console.log(JSON.stringify({simulate_records:+m[1],simulate_decisions_per_s:2*m[1]*1000/Math.max(1,+m[3])}))})' > "$WORK/simulate.json"
echo "bench: Node rows (both builds of the package, hand-written JS, json-logic-js)" >&2
node bench/node.mjs "$WORK/policy.json" "$WORK/workload.ndjson" --passes "$PASSES" > "$WORK/node.json"
echo "bench: the package and the baselines under a slow engine" >&2
node --liftoff-only --no-wasm-tier-up --max-opt=0 bench/node.mjs "$WORK/policy.json" "$WORK/workload.ndjson" \
  --passes "$PASSES" --label slow > "$WORK/slow.json"
echo "bench: the worst inputs within the limits, natively" >&2
target/release/examples/worst "$( [ -n "${AFTERSALE_BENCH_QUICK:-}" ] && echo 1 || echo 5 )" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.stringify({worst:JSON.parse(s)})))' > "$WORK/worst.json"
echo "bench: cold start" >&2
node bench/cold.mjs "$WORK/policy.json" "$WORK/workload.ndjson" "$COLD_RUNS" > "$WORK/cold.json"
echo >&2
node bench/report.mjs "$WORK/native.json" "$WORK/simulate.json" "$WORK/node.json" "$WORK/slow.json" "$WORK/cold.json" "$WORK/worst.json"
