#!/usr/bin/env bash
# The Python wheel and the Spark job, as `./run test` checks them: format and lints, the wheel
# built (abi3, release) and installed into .tools/python, then pytest: decide's bytes against the
# npm package's, whatif per record, the Parquet history, and the Spark report (local[2]) against
# `aftersale simulate` on a generated history of RECORDS records (default 20,000).
# Needs scripts/setup.sh (the venv, Java), the release `aftersale` CLI and the built npm package.
set -euo pipefail
cd "$(dirname "$0")"
PY=$PWD/../../.tools/python/bin
[ -x "$PY/maturin" ] || { echo "integrations/python: run scripts/setup.sh first (no .tools/python)" >&2; exit 2; }
export PYO3_PYTHON=$PY/python
cargo fmt --check
cargo clippy --quiet --locked --all-targets -- -D warnings
rm -rf target/wheels
"$PY/maturin" build --release --locked --quiet -o target/wheels -i "$PY/python"
"$PY/pip" install --quiet --force-reinstall --no-deps target/wheels/aftersale_rules-*-abi3-*.whl
"$PY/python" -m pytest -q -p no:cacheprovider tests "$@"
