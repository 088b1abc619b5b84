// The golden corpus through the built package in Node: the ES module entry (the server build)
// and the slim entry over the client build (the .wasm browsers and mini-programs load), and
// the API's behaviour around it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as api from '../node.mjs';
import * as client from '../slim.js';
import { loadCases, runCases, findCase } from './corpus-lib.mjs';

const cases = loadCases();
const host = process.execArgv.includes('--liftoff-only') ? 'node-slow-engine' : 'node-pkg';

test(`golden corpus through the npm package (${host})`, () => {
  assert.deepEqual(runCases(api, cases), []);
  console.log(`corpus: ${cases.length} cases passed (${host})`);
  assert.ok(cases.length >= 40);
});

test('golden corpus through the client build in Node (node-client)', { skip: host !== 'node-pkg' }, async () => {
  await client.init(readFileSync(new URL('../dist/aftersale_rules_bg.wasm', import.meta.url)));
  assert.deepEqual(runCases(client, cases), []);
  console.log(`corpus: ${cases.length} cases passed (node-client)`);
});

test('every answer of the corpus reads into JavaScript exactly: evaluate and evaluateJson agree on every input', () => {
  // Every amount within 2^53 - 1, no float: JSON.parse then JSON.stringify gives back the same bytes.
  for (const c of cases) assert.equal(JSON.stringify(JSON.parse(c.expect)), c.expect, c.name);
});

test('the object API gives the same answer as the JSON API', () => {
  const c = findCase(cases, 'late-shipment-coupon-5-percent.json');
  const policy = api.compilePolicy(c.policy);
  const input = JSON.parse(c.input);
  assert.deepEqual(policy.evaluate(input.order, input.request, input.now), JSON.parse(c.expect));
  assert.equal(policy.evaluateJson(c.input), c.expect);
  assert.equal(policy.id, 'platform-default');
  assert.match(policy.hash, /^[0-9a-f]{64}$/);
  policy.free();
  assert.throws(() => policy.evaluateJson('{}'), /freed/);
});

test('evaluateBatch answers each input exactly as evaluate does, in order', () => {
  // One policy; not the hand-written malformed texts, which cannot sit inside an array.
  const picked = cases.filter((c) => !c.service && !c.raw && c.policy.startsWith('{"id":"platform-default"')).slice(0, 40);
  assert.ok(picked.length >= 20);
  const policy = api.compilePolicy(picked[0].policy);
  const batch = '[' + picked.map((c) => c.input).join(',') + ']';
  const answers = JSON.parse(policy.evaluateBatchJson(batch));
  assert.deepEqual(answers.map((a) => JSON.stringify(a)), picked.map((c) => c.expect));
  assert.deepEqual(policy.evaluateBatch(picked.map((c) => JSON.parse(c.input))).map((a) => JSON.stringify(a)), picked.map((c) => c.expect));
  assert.equal(JSON.parse(policy.evaluateBatchJson('{}')).errors[0].code, 'INVALID_TYPE');
  policy.free();
});

test('a broken policy throws PolicyError with plain error objects', () => {
  const err = (() => {
    try {
      api.compilePolicy({ id: 'p', version: '1', extends: 'platform-default', rules: [{ id: 'r', when: 'line.unit_prise > 1fen', require_review: 'agent' }] });
    } catch (e) {
      return e;
    }
  })();
  assert.ok(err instanceof api.PolicyError);
  assert.deepEqual(err.errors[0], {
    code: 'EXPR_UNKNOWN_FIELD', path: 'policy.rules[0].when', message: 'rule `r`, column 1: unknown field `line.unit_prise`',
    help: 'did you mean `line.unit_price`?', rule: 'r', column: 1,
  });
  assert.equal(Object.getPrototypeOf(err.errors[0]), Object.prototype);
});

test('numbers JSON cannot carry (NaN, Infinity) are answered as errors at their field, not as missing', () => {
  const policy = api.compilePolicy({ id: 'p', version: '1', extends: 'platform-default' });
  const order = { id: 'O', currency: 'CNY', placed_at: '2026-11-01T10:00:00+08:00', lines: [{ id: 'L1', category: 'general', unit_price: 100, quantity: 1 }] };
  for (const qty of [NaN, Infinity, 1e400]) {
    const answer = policy.evaluate(order, { kind: 'refund_with_return', items: [{ line_id: 'L1', qty, reason: 'no_reason' }] }, '2026-11-05T10:00:00+08:00');
    assert.equal(answer.errors[0].code, 'INVALID_TYPE');
    assert.equal(answer.errors[0].path, 'qty');
  }
  policy.free();
});

test('inputs JSON cannot carry are answered as errors, not thrown', () => {
  const policy = api.compilePolicy({ id: 'p', version: '1', extends: 'platform-default' });
  const answer = policy.evaluate({ id: 'O', amount: 10n }, {}, 'now');
  assert.equal(answer.type, 'errors');
  assert.equal(answer.errors[0].code, 'INVALID_TYPE');
  assert.equal(JSON.parse(policy.evaluateJson(42)).errors[0].code, 'INVALID_TYPE');
  // The engine's version is the package's (Cargo's workspace version and pkg/package.json).
  assert.equal(api.version(), JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version);
  policy.free();
});
