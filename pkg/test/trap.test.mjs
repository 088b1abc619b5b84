// Trap recovery, against the test-only build (`FEATURES=test-trap`), whose entry calls trap on
// demand the way a bug would. A trap poisons a WebAssembly instance for every later call; the
// wrapper must drop it, instantiate afresh, recompile the live policies from their JSON,
// retry once, and answer a structured error if the retry traps too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { makeApi } from '../src/api.js';
import { loadCases, findCase } from './corpus-lib.mjs';

const build = new URL('./.build/trap/', import.meta.url);
assert.ok(existsSync(new URL('glue.mjs', build)), 'the test-trap build is missing: run `OUT=pkg/test/.build/trap FEATURES=test-trap pkg/build.sh`');
const { createGlue } = await import(new URL('glue.mjs', build).href);
const module = new WebAssembly.Module(readFileSync(new URL('aftersale_rules_bg.wasm', build)));
let glue = null; // the copy of the glue in use: each instance is a fresh copy, as in the entry points
let instances = 0;
function instantiate() {
  glue = createGlue();
  glue.initSync({ module });
  instances++;
  return true;
}
instantiate();
const api = makeApi({ glue: () => glue, restart: instantiate });

const cases = loadCases().filter((c) => !c.service && !c.raw);
const sample = findCase(cases, 'late-shipment-coupon-5-percent.json');
const other = findCase(cases, 'merchant-deny-in-extension-applies.json');

test('a trap is recovered: new instance, live policies recompiled, same answer', () => {
  const a = api.compilePolicy(sample.policy);
  const b = api.compilePolicy(other.policy);
  assert.equal(a.evaluateJson(sample.input), sample.expect);
  const before = instances;
  glue.armTrap(1);
  assert.equal(a.evaluateJson(sample.input), sample.expect, 'the retry in a fresh instance answers as usual');
  assert.equal(instances, before + 1);
  // The other live policy was recompiled into the new instance and still answers.
  assert.equal(b.evaluateJson(other.input), other.expect);
  assert.equal(JSON.parse(b.evaluateBatchJson('[' + other.input + ']'))[0].type, 'decision');
  a.free();
  b.free();
});

test('a trap on the retry too is a structured error, and the engine stays usable', () => {
  const p = api.compilePolicy(sample.policy);
  const answer = JSON.parse(p.evaluateJson('{"__always_trap__": true}'));
  assert.equal(answer.type, 'errors');
  assert.equal(answer.errors[0].code, 'ENGINE_TRAPPED');
  assert.equal(p.evaluateJson(sample.input), sample.expect);
  const q = api.compilePolicy(other.policy);
  assert.equal(q.evaluateJson(other.input), other.expect);
  p.free();
  q.free();
});

test('a thousand evaluations after recoveries still agree with the corpus', () => {
  const p = api.compilePolicy(sample.policy);
  for (let i = 0; i < 1000; i++) {
    if (i % 250 === 0) glue.armTrap(1);
    assert.equal(p.evaluateJson(sample.input), sample.expect);
  }
  p.free();
  console.log(`trap recovery: ${instances} instances created (node)`);
});
