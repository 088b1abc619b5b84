// The worst inputs within the limits (written by `cargo run -p aftersale-testkit --example
// worst_files`, see crates/testkit/src/worst.rs) through every entry of the package, in ESM
// and CommonJS: each answer is structured (a decision, or LIMIT_EXCEEDED), never a trap, an
// exception or a string too long for the host.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as esm from '../node.mjs';

const cjs = createRequire(import.meta.url)('../node.cjs');
const dir = new URL('./.build/worst/', import.meta.url);
const index = JSON.parse(readFileSync(new URL('index.json', dir), 'utf8'));
const read = (name, part) => readFileSync(new URL(`${name}.${part}.json`, dir), 'utf8');
const codes = (answer) => (answer.errors ?? []).map((e) => e.code);

function check(s, answers) {
  for (const a of answers) assert.ok(a.type === 'decision' || a.type === 'errors', `${s.name}: ${JSON.stringify(a).slice(0, 200)}`);
  if (s.batch) {
    assert.equal(answers[0].type, 'decision', `${s.name}: the first input fits`);
    assert.ok(answers.some((a) => codes(a).includes(s.expect)), `${s.name}: no answer says ${s.expect}`);
  } else if (s.expect === null) {
    assert.equal(answers[0].type, 'decision', `${s.name}: ${JSON.stringify(answers[0]).slice(0, 300)}`);
  } else {
    assert.deepEqual(codes(answers[0]), [s.expect], s.name);
  }
}

assert.ok(index.length >= 5, 'the worst cases were written');
for (const [host, api] of [['esm', esm], ['cjs', cjs]]) {
  for (const s of index) {
    test(`${host}: ${s.name} (${s.what})`, () => {
      const policy = api.compilePolicy(read(s.name, 'policy'));
      const text = read(s.name, 'input');
      if (s.batch) {
        check(s, JSON.parse(policy.evaluateBatchJson(text)));
        check(s, policy.evaluateBatch(JSON.parse(text)));
      } else {
        check(s, [JSON.parse(policy.evaluateJson(text))]);
        const input = JSON.parse(text);
        check(s, [policy.evaluate(input.order, input.request, input.now)]);
      }
      policy.free();
    });
  }
}
