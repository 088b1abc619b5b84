// The ledger through the package: every sequence of the golden corpus, decided step by step in
// JavaScript with each decision's effects recorded by applyEffects, gives exactly the ledgers
// the corpus pins (the Rust hosts check the same chains); and applyEffects refuses stale or
// foreign effects as structured errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as esm from '../node.mjs';
import { createRequire } from 'node:module';
import { loadChains, loadCases, findCase } from './corpus-lib.mjs';

const cjs = createRequire(import.meta.url)('../node.cjs');
const chains = loadChains();

for (const [name, api] of [['node-esm', esm], ['node-cjs', cjs]]) {
  test(`every sequence's effects give the next ledger (${name})`, () => {
    let links = 0;
    for (const chain of chains) {
      for (const [k, link] of chain.links.entries()) {
        const after = api.applyEffects(chain.order, link.before, link.effects);
        assert.deepEqual(after, link.after, `${chain.name} step ${k + 1}`);
        assert.equal(api.applyEffectsJson(JSON.stringify({ order: chain.order, ledger: link.before, effects: link.effects })),
          JSON.stringify({ type: 'ledger', ledger: link.after }));
        links += 1;
      }
    }
    assert.ok(chains.length >= 8 && links >= 25, `${chains.length} sequences, ${links} steps`);
    console.log(`ledger: ${links} steps of ${chains.length} sequences applied (${name})`);
  });
}

test('decide → accept → apply effects → decide the next request, with the object API', () => {
  const c = findCase(loadCases(), 'promotion-clawback-given-back.json#1');
  const input = JSON.parse(c.input);
  const policy = esm.compilePolicy(c.policy);
  const first = policy.evaluate(input.order, input.request, input.now);
  assert.equal(first.refund.total, 20000);
  const ledger = esm.applyEffects(input.order, undefined, first.effects);
  assert.equal(ledger.version, 1);
  const second = policy.evaluate(input.order, { kind: 'refund_with_return', items: [{ line_id: 'B', qty: 1, reason: 'no_reason' }] }, input.now, ledger);
  assert.equal(second.refund.total, 30000, 'the clawback comes back with the last unit');
  // The first decision's effects again: decided on version 0, the ledger is at 1.
  const stale = esm.applyEffects(input.order, ledger, first.effects);
  assert.equal(stale.type, 'errors');
  assert.equal(stale.errors[0].code, 'STALE_LEDGER');
  assert.equal(stale.errors[0].path, 'effects.ledger_version');
  // Effects of another order.
  const foreign = esm.applyEffects({ ...input.order, id: 'OTHER' }, undefined, first.effects);
  assert.equal(foreign.errors[0].code, 'INCONSISTENT');
  // Not JSON, and what JSON cannot carry, are errors too.
  assert.equal(JSON.parse(esm.applyEffectsJson('{')).errors[0].code, 'INVALID_JSON');
  assert.equal(esm.applyEffects(input.order, { version: 1n }, first.effects).errors[0].code, 'INVALID_TYPE');
  policy.free();
});
