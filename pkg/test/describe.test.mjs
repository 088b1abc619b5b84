// What a form renders from: `policy.describe()` and the `labels` catalogue, the same in every
// entry of the package, and every value a description carries labelled.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import * as esm from '../node.mjs';

const require = createRequire(import.meta.url);
const cjs = require('../node.cjs');
const miniProgramLabels = require('../miniprogram/labels.js').labels;

test('the labels are one catalogue in every entry', () => {
  assert.deepEqual(cjs.labels, esm.labels);
  assert.deepEqual(miniProgramLabels, esm.labels);
  assert.deepEqual(esm.labels.payer.buyer, { 'zh-CN': '买家', en: 'Buyer' });
  for (const [vocabulary, values] of Object.entries(esm.labels)) {
    for (const [value, label] of Object.entries(values)) {
      assert.ok(label['zh-CN'] && label.en, `${vocabulary}.${value}`);
    }
  }
});

for (const preset of ['platform-default', 'cn-statutory', 'eu-crd']) {
  test(`describe() under ${preset}: the same in ESM and CommonJS, and every value labelled`, () => {
    const policy = { id: 'shop', version: '1', extends: preset };
    const [a, b] = [esm.compilePolicy(policy), cjs.compilePolicy(policy)];
    const d = a.describe();
    assert.deepEqual(b.describe(), d);
    assert.notEqual(a.describe(), d, 'a fresh object each call');
    assert.equal(d.type, 'policy');
    assert.equal(d.policy_hash, a.hash);
    const { labels } = esm;
    for (const kind of d.request_kinds) assert.ok(labels.request_kind[kind], kind);
    for (const r of d.resolutions) assert.ok(labels.resolution[r], r);
    for (const r of d.reasons) {
      assert.ok(r.title && r.title['zh-CN'] && r.title.en, `${preset}: reason ${r.code} has a title`);
      assert.ok(labels.fault[r.fault] && labels.party[r.liability], r.code);
      for (const what of Object.keys(r.evidence)) assert.ok(labels.evidence[what], what);
    }
    for (const w of d.windows) {
      assert.ok(labels.layer[w.layer] && labels.anchor[w.anchor] && labels.counting[w.counting], w.id);
      if (w.legal_ref) assert.ok(labels.legal_ref[w.legal_ref], w.legal_ref);
    }
    a.free();
    b.free();
  });
}
