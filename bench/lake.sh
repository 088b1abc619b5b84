#!/usr/bin/env bash
# The what-if at scale, on one history: RECORDS generated records (default 100,000) replayed by
# `aftersale simulate` (NDJSON, 2 threads), the wheel alone (one core, doubled to compare with
# two), the Spark job (local[2]), the DataFusion report in one process (2 partitions), and
# Ballista with 2 executors (1 task each) and with 1 (2 tasks), all reading the same Parquet file. Prints records/s of each and its ratio to simulate's,
# and what 10^9 records would take on 100 cores at the measured per-core rates.
# Needs what `./run test` and `integrations/datafusion/test.sh` build (the release CLI, the
# venv with the wheel, a DataFusion build).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
records=${RECORDS:-100000}
aftersale=$root/target/release/aftersale
python=$root/.tools/python/bin/python
target=${AFTERSALE_DATAFUSION_TARGET:-$HOME/.cache/aftersale-datafusion/target}
# The release build when there is one (cargo build --release in integrations/datafusion), else
# the debug build test.sh makes (DataFusion unoptimised, the engine optimised).
bin=$target/release/aftersale-datafusion
[ -x "$bin" ] || bin=$target/debug/aftersale-datafusion
baseline=$root/examples/policies/apparel-shop.json
candidate=$root/examples/policies/electronics-store.json

die() { echo "lake.sh: $*" >&2; exit 1; }
for need in "$aftersale" "$python" "$bin"; do [ -x "$need" ] || die "no $need: run ./run test and integrations/datafusion/test.sh first"; done
work=$(mktemp -d)
pids=()
trap 'stop_cluster; rm -rf "$work"' EXIT
# shellcheck source=../integrations/datafusion/cluster.sh
. "$root/integrations/datafusion/cluster.sh"

echo "DataFusion and Ballista: $bin"
"$aftersale" generate --count "$records" --seed 23 --out "$work/h.ndjson"
"$python" -m aftersale_rules convert "$work/h.ndjson" "$work/h.parquet"
rates=()
measured() { rates+=("$1|$2"); printf '%-44s %9s records/s\n' "$1" "$2"; }

"$aftersale" simulate --baseline "$baseline" --candidate "$candidate" --orders "$work/h.ndjson" --format json --threads 2 \
  >/dev/null 2>"$work/simulate.err" || true
measured "simulate (native, 2 threads)" "$(sed -n 's/.*: \([0-9]*\) records\/s.*/\1/p' "$work/simulate.err")"

# The wheel alone on one core: Arrow batches of 10,000 inputs through `whatif`, no Spark.
wheel=$("$python" - "$baseline" "$candidate" "$work/h.parquet" <<'PY'
import sys, time
import pyarrow.parquet as pq
import aftersale_rules
baseline, candidate = (open(p, encoding="utf-8").read() for p in sys.argv[1:3])
table = pq.read_table(sys.argv[3], columns=["input"])
started = time.monotonic()
for batch in table.to_batches(max_chunksize=10_000):
    aftersale_rules.whatif(baseline, candidate, batch.column(0))
print(int(table.num_rows / (time.monotonic() - started)))
PY
)
measured "the wheel alone (one core's rate x 2)" "$((wheel * 2))"

# The Spark job's report three times in one session: the first as `spark-submit` runs it (a
# cold JVM), the third warm, as a long job's later partitions run.
spark=$(PYSPARK_PYTHON=$python "$python" - "$baseline" "$candidate" "$work/h.parquet" 2>"$work/spark.err" <<'PY'
import sys, time
from pyspark.sql import SparkSession
from aftersale_rules.spark import report
baseline, candidate = (open(p, encoding="utf-8").read() for p in sys.argv[1:3])
spark = (SparkSession.builder.master("local[2]").config("spark.ui.enabled", "false")
         .config("spark.sql.shuffle.partitions", "2").getOrCreate())
spark.sparkContext.setLogLevel("ERROR")
for run in range(3):
    started = time.monotonic()
    records = report(spark, baseline, candidate, sys.argv[3])["records"]
    if run != 1:
        print(int(records / (time.monotonic() - started)))
PY
) || { cat "$work/spark.err" >&2; die "the Spark job failed"; }
read -r cold warm <<<"$(echo $spark)"
measured "Spark local[2], cold: the report" "$cold"
measured "Spark local[2], warm: the report" "$warm"

datafusion() { # label, extra arguments
  local label=$1
  shift
  local status=0
  "$bin" report --baseline "$baseline" --candidate "$candidate" --history "$work/h.parquet" --partitions 2 "$@" \
    >/dev/null 2>"$work/df.err" || status=$?
  [ "$status" -le 1 ] || { cat "$work/df.err" >&2; die "$label failed"; }
  measured "$label" "$(sed -n 's/.*records\/s: \([0-9]*\).*/\1/p' "$work/df.err")"
}
datafusion "DataFusion, one process (2 partitions)"
cluster 2 1
datafusion "Ballista, 2 executors x 1 task" --scheduler "$cluster_url"
stop_cluster
cluster 1 2
datafusion "Ballista, 1 executor x 2 tasks" --scheduler "$cluster_url"
stop_cluster

echo
simulate_rate=${rates[0]#*|}
printf '%-44s %12s %10s %22s\n' "" "records/s" "÷ simulate" "10^9 on 100 cores"
for entry in "${rates[@]}"; do
  label=${entry%|*}
  rate=${entry#*|}
  # Two cores here: a core does rate/2; 100 cores do 50 × rate.
  minutes=$(awk -v r="$rate" 'BEGIN { if (r > 0) printf "%.1f min", 1e9 / (50 * r) / 60; else print "-" }')
  ratio=$(awk -v r="$rate" -v s="$simulate_rate" 'BEGIN { if (s > 0) printf "%.2f", r / s; else print "-" }')
  printf '%-44s %12s %10s %22s\n' "$label" "$rate" "$ratio" "$minutes"
done
