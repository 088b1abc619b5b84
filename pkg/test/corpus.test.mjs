// The golden corpus through the built package, in Node: the same files the Rust hosts run,
// answered byte for byte the same.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { compilePolicy, PolicyError, version } from '../node.mjs';

const dir = new URL('../../tests/cases/', import.meta.url);
const names = readdirSync(dir).filter((n) => n.endsWith('.json')).sort();

/** Same rules as src/corpus.rs: a preset id stands for a policy that only extends it. */
function policyText(c) {
  if (typeof c.policy === 'string') return JSON.stringify({ id: c.policy, version: 'corpus', extends: c.policy });
  if (c.policy) return JSON.stringify(c.policy);
  return c.policy_text;
}

function inputText(c) {
  if (typeof c.input_text === 'string') return c.input_text;
  const input = {};
  const keys = 'service_order' in c ? ['service_order', 'event', 'actor', 'now'] : ['order', 'request', 'now'];
  for (const key of keys) if (key in c) input[key] = c[key];
  return JSON.stringify(input);
}

function answer(c) {
  let policy;
  try {
    policy = compilePolicy(policyText(c));
  } catch (e) {
    if (e instanceof PolicyError) return e.answerJson;
    throw e;
  }
  try {
    return 'service_order' in c ? policy.serviceOrderJson(inputText(c)) : policy.evaluateJson(inputText(c));
  } finally {
    policy.free();
  }
}

test('golden corpus through the npm package (node)', () => {
  const failures = [];
  for (const name of names) {
    const c = JSON.parse(readFileSync(new URL(name, dir), 'utf8'));
    const expected = JSON.stringify(c.expect);
    const actual = answer(c);
    if (actual !== expected) failures.push(`${name}\n  expected: ${expected}\n  actual:   ${actual}`);
  }
  assert.deepEqual(failures, []);
  console.log(`corpus: ${names.length} cases passed (node-pkg)`);
  assert.ok(names.length >= 40);
});

test('the object API gives the same answer as the JSON API', () => {
  const c = JSON.parse(readFileSync(new URL('late-shipment-coupon-5-percent.json', dir), 'utf8'));
  const policy = compilePolicy(policyText(c));
  assert.deepEqual(policy.evaluate(c.order, c.request, c.now), c.expect);
  assert.equal(policy.evaluateJson(inputText(c)), JSON.stringify(c.expect));
  assert.equal(policy.id, 'platform-default');
  assert.match(policy.hash, /^[0-9a-f]{64}$/);
  policy.free();
  assert.throws(() => policy.evaluateJson('{}'), /freed/);
});

test('a broken policy throws PolicyError with plain error objects', () => {
  const err = (() => {
    try {
      compilePolicy({ id: 'p', version: '1', extends: 'platform-default', rules: [{ id: 'r', when: 'line.unit_prise > 1fen', require_review: 'agent' }] });
    } catch (e) {
      return e;
    }
  })();
  assert.ok(err instanceof PolicyError);
  assert.equal(err.errors[0].code, 'EXPR_UNKNOWN_FIELD');
  assert.equal(err.errors[0].rule, 'r');
  assert.equal(err.errors[0].column, 1);
  assert.equal(err.errors[0].help, 'did you mean `line.unit_price`?');
});

test('inputs JSON cannot carry are answered as errors, not thrown', () => {
  const policy = compilePolicy({ id: 'p', version: '1', extends: 'platform-default' });
  const answer = policy.evaluate({ id: 'O', amount: 10n }, {}, 'now');
  assert.equal(answer.type, 'errors');
  assert.equal(answer.errors[0].code, 'INVALID_TYPE');
  assert.equal(policy.evaluateJson(42).includes('"type":"errors"'), true);
  assert.equal(version(), '0.1.0');
  policy.free();
});
