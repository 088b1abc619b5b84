// The golden corpus through the CommonJS entry (`require`).
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const api = require('../node.cjs');

test('golden corpus through the npm package (node-cjs)', async () => {
  const { loadCases, runCases } = await import('./corpus-lib.mjs');
  const cases = loadCases();
  assert.deepEqual(runCases(api, cases), []);
  console.log(`corpus: ${cases.length} cases passed (node-cjs)`);
});

test('the CommonJS entry exposes the same API', () => {
  assert.equal(typeof api.compilePolicy, 'function');
  assert.equal(typeof api.init, 'function');
  assert.equal(api.version(), require('../package.json').version);
  assert.equal(api.labels.request_kind.exchange.en, 'Exchange');
});
