#!/usr/bin/env bash
# Installs, idempotently, what the build and the tests need on a fresh machine.
#   scripts/setup.sh demo   what `./run demo` needs: the wasm32 target, the pinned nightly with
#                           rust-src, wasm-bindgen-cli pinned to the crate's exact version,
#                           binaryen's wasm-opt and esbuild (from npm: Debian's wasm-opt v108
#                           breaks wasm-bindgen output), the server's packages
#   scripts/setup.sh [test] all of that and the test tools: cargo-fuzz, the package checkers,
#                           PostgreSQL, Chromium and chromedriver (from apt), a Python venv
#                           for the wheel and Spark, and Java
# Each step is skipped when present, so a second run takes about a second.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PROFILE="${1:-test}"
case "$PROFILE" in demo | test) ;; *) echo "usage: scripts/setup.sh [demo|test]" >&2; exit 2 ;; esac
log() { printf '[setup] %s\n' "$*" >&2; }

# Pinned npm packages into .tools/, once per list (`name` marks which list is installed).
tools() {
  local name=$1
  shift
  if [ "$(cat "$ROOT/.tools/.installed-$name" 2>/dev/null)" != "$*" ]; then
    log "installing node tools into .tools/: $*"
    mkdir -p "$ROOT/.tools"
    npm install --silent --no-audit --no-fund --prefix "$ROOT/.tools" "$@" >/dev/null
    echo "$*" > "$ROOT/.tools/.installed-$name"
  fi
}

if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  log "adding rust target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

# The shipped .wasm is built with a pinned nightly and -Zbuild-std so that it uses only MVP
# WebAssembly features (pkg/build.sh says why); rust-src is what build-std compiles.
NIGHTLY=$(cat "$ROOT/pkg/NIGHTLY")
if ! rustup component list --toolchain "$NIGHTLY" --installed 2>/dev/null | grep -q '^rust-src'; then
  log "installing $NIGHTLY with rust-src"
  rustup toolchain install "$NIGHTLY" --profile minimal --component rust-src
fi

# wasm-bindgen-cli must equal the wasm-bindgen crate version in Cargo.lock exactly.
want=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/[^0-9.]/,""); print; exit}' Cargo.lock)
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ -z "$want" ]; then echo "[setup] cannot read the wasm-bindgen version from Cargo.lock" >&2; exit 2; fi
if [ "$have" != "$want" ]; then
  log "installing wasm-bindgen-cli $want (have: ${have:-none}); takes a few minutes"
  # Not --locked: its lock file pins a webpki-roots the registry here does not serve.
  cargo install wasm-bindgen-cli --version "=$want" --force --quiet
fi

# The build's node tools: binaryen's wasm-opt (never Debian's v108, whose output of a
# wasm-bindgen module fails at load) and esbuild (the package's glue).
tools build binaryen@132.0.0 esbuild@0.28.2

# The reference server's packages (www/package-lock.json): better-sqlite3 builds from source on
# these machines (no prebuilt binary can be downloaded), about two minutes the first time.
LOCK_SUM=$(sha256sum "$ROOT/www/package-lock.json" | cut -d' ' -f1)
if [ "$(cat "$ROOT/www/node_modules/.installed" 2>/dev/null)" != "$LOCK_SUM" ]; then
  log "installing the server's packages into www/node_modules (better-sqlite3 builds from source)"
  npm ci --silent --no-audit --no-fund --prefix "$ROOT/www" >/dev/null
  echo "$LOCK_SUM" > "$ROOT/www/node_modules/.installed"
fi

# Only for the tests from here on.
[ "$PROFILE" = test ] || { log "ok (demo)"; exit 0; }

# cargo-fuzz, pinned, for fuzz/run.sh (libFuzzer runs under the pinned nightly).
FUZZ_VERSION=0.13.2
if [ "$(cargo fuzz --version 2>/dev/null | awk '{print $2}')" != "$FUZZ_VERSION" ]; then
  log "installing cargo-fuzz $FUZZ_VERSION"
  cargo install cargo-fuzz --version "=$FUZZ_VERSION" --locked --quiet
fi

# The test tools for the package's hosts, ajv (the schemas), json-logic-js (a benchmark
# baseline), autocannon (the server load test), json-schema-to-typescript (the wire types of
# `pkg/wire.d.ts`, from the schemas), publint and @arethetypeswrong/cli (the package as npm
# and TypeScript see it), miniprogram-simulate with jsdom and miniprogram-api-typings (the
# WeChat mini-program example, compiled by WeChat's own WXML compiler and type-checked).
tools test acorn@8.19.0 typescript@5.9.3 playwright-core@1.65.1 vite@8.3.8 webpack@5.112.2 webpack-cli@7.3.1 ajv@8.20.0 json-logic-js@2.0.5 autocannon@9.0.0 json-schema-to-typescript@16.0.0 publint@0.3.25 @arethetypeswrong/cli@0.18.5 miniprogram-simulate@1.6.2 miniprogram-api-typings@5.2.3 jsdom@26.1.0

# PostgreSQL, for the server tests on a shared database (a throw-away cluster per test run).
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  log "installing postgresql from apt"
  if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >/dev/null
fi

# Chromium and its driver for the browser tests; a small CJK font so that screenshots of the
# page show Chinese rather than boxes.
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null || [ ! -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ]; then
  log "installing chromium, chromium-driver and fonts-wqy-microhei from apt"
  if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver fonts-wqy-microhei >/dev/null
fi
# The Python wheel's build and tests (integrations/python): a venv in .tools/python with the
# pinned maturin, pyarrow, pyspark and pytest; Java (17 or later) for Spark.
if [ "$(cat "$ROOT/.tools/python/.installed" 2>/dev/null)" != "$(sha256sum < "$ROOT/integrations/python/requirements-test.txt")" ]; then
  log "installing maturin, pyarrow, pyspark and pytest into .tools/python (about a minute)"
  if ! python3 -m venv --clear "$ROOT/.tools/python" >/dev/null 2>&1; then
    log "installing python3-venv from apt"
    if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-venv >/dev/null
    python3 -m venv --clear "$ROOT/.tools/python"
  fi
  "$ROOT/.tools/python/bin/pip" install --quiet --disable-pip-version-check -r "$ROOT/integrations/python/requirements-test.txt"
  sha256sum < "$ROOT/integrations/python/requirements-test.txt" > "$ROOT/.tools/python/.installed"
fi
if ! java -version 2>&1 | grep -qE 'version "(1[7-9]|[2-9][0-9])'; then
  log "installing a Java runtime (17 or later) from apt, for Spark"
  if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq default-jre-headless >/dev/null
fi
log "ok"
