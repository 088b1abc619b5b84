// Trap recovery through every entry point as shipped, over the test-only build's package tree
// (`pkg/test/.build/trap/pkg/`, made by `OUT=pkg/test/.build/trap FEATURES=test-trap
// pkg/build.sh`): Node ESM, Node CommonJS and a simulated mini-program here; the browser entry
// in Chromium in hosts.test.mjs (pkg/test/browser/trap.html).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { loadCases, findCase } from './corpus-lib.mjs';
import { trapScenario } from './trap-scenario.mjs';
import { simulate, PACKAGE_PREFIX } from './miniprogram-sim.mjs';

const tree = fileURLToPath(new URL('./.build/trap/pkg/', import.meta.url));
assert.ok(existsSync(join(tree, 'node.mjs')), 'the test-trap package tree is missing: run `OUT=pkg/test/.build/trap FEATURES=test-trap pkg/build.sh`');
const cases = loadCases().filter((c) => !c.service && !c.raw);
const sample = findCase(cases, 'late-shipment-coupon-5-percent.json');
const other = findCase(cases, 'merchant-deny-in-extension-applies.json');

function report(host, result) {
  assert.deepEqual(result.failures, []);
  console.log(`trap recovery: ${result.checks} checks passed (${host})`);
}

test('Node ES module entry recovers from traps', async () => {
  const api = await import(join(tree, 'node.mjs'));
  const glue = await import(join(tree, 'dist', 'server', 'glue.mjs')); // the Node entries' build
  report('node-esm', await trapScenario({ api, armTrap: glue.armTrap, sample, other }));
});

test('Node CommonJS entry recovers from traps', async () => {
  const require = createRequire(import.meta.url);
  const api = require(join(tree, 'node.cjs'));
  const glue = require(join(tree, 'dist', 'server', 'glue.cjs'));
  report('node-cjs', await trapScenario({ api, armTrap: glue.armTrap, sample, other }));
});

test('a mini-program recovers from traps, asynchronously', async () => {
  const folder = join(tree, 'miniprogram');
  const { engine, load, loaded, instantiated } = simulate(folder);
  await engine.init(PACKAGE_PREFIX + 'aftersale_rules_bg.wasm.br');
  const glue = load(join(folder, 'glue.js'));
  // The restart instantiates in the background: `loaded` waits for it.
  const result = await trapScenario({ api: engine, armTrap: glue.armTrap, sample, other, asynchronous: true, settled: loaded });
  assert.ok(instantiated.length >= 3, `instances: ${instantiated.length}`);
  report('miniprogram-sim', result);
});
