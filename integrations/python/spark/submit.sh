#!/usr/bin/env bash
# Submits the what-if job: integrations/python/spark/submit.sh --baseline A.json --candidate B.json
#   --history HISTORY.parquet [--out REPORT.json]
# MASTER is local[2] unless set. With VENV_ARCHIVE=env.tar.gz (a venv holding the aftersale-rules
# wheel and pyarrow, packed with venv-pack) the executors run that environment (--archives);
# otherwise they run this machine's python3 (PYSPARK_PYTHON), which must have the wheel.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
args=(--master "${MASTER:-local[2]}" --conf spark.sql.shuffle.partitions="${SHUFFLE_PARTITIONS:-8}")
if [ -n "${VENV_ARCHIVE:-}" ]; then
  export PYSPARK_PYTHON=./environment/bin/python
  args+=(--archives "$VENV_ARCHIVE#environment")
else
  export PYSPARK_PYTHON=${PYSPARK_PYTHON:-$(command -v python3)}
fi
exec spark-submit "${args[@]}" "$HERE/whatif_job.py" "$@"
