// Text that is not valid Unicode, through the JavaScript string API. A JS string may hold a
// lone UTF-16 surrogate, which has no UTF-8 form: the string API (evaluateJson) encodes it as
// U+FFFD on the way in, as TextEncoder does; the object API (evaluate) writes it with
// JSON.stringify as a `\ud800` escape, which the engine's reader refuses as INVALID_JSON.
// Either way the answer is structured and the engine keeps working.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compilePolicy } from '../node.mjs';

const policy = compilePolicy({ id: 'strings', version: '1', extends: 'platform-default' });
const order = (lineId) => ({
  id: 'O1',
  currency: 'CNY',
  placed_at: '2026-11-01T10:00:00+08:00',
  delivered_at: '2026-11-03T15:00:00+08:00',
  lines: [{ id: lineId, category: 'apparel', unit_price: 9990, quantity: 1 }],
});
const request = (lineId) => ({ kind: 'refund_with_return', items: [{ line_id: lineId, qty: 1, reason: 'no_reason' }] });
const now = '2026-11-05T12:00:00+08:00';

test('a lone surrogate through evaluateJson arrives as U+FFFD', () => {
  const text = `{"order":${JSON.stringify(order('L1')).replace('"L1"', '"L\uD800"')},"request":${JSON.stringify(request('L1'))},"now":"${now}"}`;
  const answer = JSON.parse(policy.evaluateJson(text));
  assert.equal(answer.type, 'errors');
  assert.equal(answer.errors[0].code, 'UNKNOWN_REFERENCE');
  assert.equal(answer.errors[0].path, 'request.items[0].line_id');
  // Both ends lone: both become U+FFFD, and they match.
  const both = `{"order":${JSON.stringify(order('X')).replace('"X"', '"\uDC00"')},"request":${JSON.stringify(request('X')).replace('"X"', '"\uDC00"')},"now":"${now}"}`;
  const decided = JSON.parse(policy.evaluateJson(both));
  assert.equal(decided.type, 'decision');
  assert.equal(decided.items[0].line_id, '\uFFFD');
});

test('a lone surrogate through evaluate is refused as INVALID_JSON, and the engine goes on', () => {
  const answer = policy.evaluate(order('L\uD800'), request('L\uD800'), now);
  assert.equal(answer.type, 'errors');
  assert.equal(answer.errors[0].code, 'INVALID_JSON');
  assert.match(answer.errors[0].message, /lone UTF-16 surrogate/);
  assert.equal(policy.evaluate(order('L1'), request('L1'), now).type, 'decision');
});

test('NUL, line separators and astral characters pass through ids unchanged', () => {
  const id = 'L\u0000\u2028😀中';
  const answer = policy.evaluate(order(id), request(id), now);
  assert.equal(answer.type, 'decision');
  assert.equal(answer.items[0].line_id, id);
});

test('text is encoded alike on the way in, short or over 1 MiB', () => {
  // Placed raw into the text: JSON.stringify would escape the lone surrogate.
  const text = JSON.stringify({ order: order('ID'), request: request('ID'), now: now }).replace(/"ID"/g, '"退货😀\uD800x"');
  const single = JSON.parse(policy.evaluateJson(text));
  assert.equal(single.type, 'decision');
  assert.equal(single.items[0].line_id, '退货😀\uFFFDx');
  // A batch longer than 1,048,576 UTF-16 units: the same bytes arrive.
  const copies = Math.ceil((1 << 20) / text.length) + 1;
  const batch = `[${Array(copies).fill(text).join(',')}]`;
  assert.ok(batch.length > 1 << 20);
  const answers = JSON.parse(policy.evaluateBatchJson(batch));
  assert.equal(answers.length, copies);
  for (const answer of [answers[0], answers[copies - 1]]) assert.deepEqual(answer, single);
});

test('a text written in place (the package) and passed as a string argument (the glue) answer alike', async () => {
  // The package writes inputs into the instance with one encodeInto (`evaluateInput`); the
  // glue's own `evaluateJson` takes a `&str`. Same bytes in, same answer out, for every kind
  // of text: ASCII, CJK, astral, lone surrogates at either end, NUL, refused at any byte.
  const { createGlue } = await import('../dist/server/glue.mjs');
  const { readFileSync } = await import('node:fs');
  const glue = createGlue();
  glue.initSync({ module: new WebAssembly.Module(readFileSync(new URL('../dist/server/aftersale_rules_bg.wasm', import.meta.url))) });
  // The server build (the Node entries') takes text in place; the comparison is then real.
  assert.equal(typeof glue.inputBuffer, 'function');
  assert.equal(typeof glue.Policy.prototype.evaluateInput, 'function');
  const direct = new glue.Policy(JSON.stringify({ id: 'strings', version: '1', extends: 'platform-default' }));
  const base = JSON.stringify({ order: order('ID'), request: request('ID'), now: now });
  const ids = ['L1', '退货 中文', '😀', '\uD800', 'x\uDC00', '\u0000\u2028', 'é'.repeat(700)];
  const texts = [];
  for (const id of ids) texts.push(base.replace(/"ID"/g, JSON.stringify(id).replace(/\\u([0-9a-f]{4})/g, (_, h) => String.fromCharCode(parseInt(h, 16)))));
  for (let cut = 0; cut < base.length; cut += 13) texts.push(base.slice(0, cut), base.slice(0, cut) + '\uD83D' + base.slice(cut));
  texts.push('', ' ', '[]', '中'.repeat(5000));
  for (const text of texts) {
    assert.equal(policy.evaluateJson(text), direct.evaluateJson(text), JSON.stringify(text.slice(0, 80)));
    assert.equal(policy.evaluateBatchJson(`[${text}]`), direct.evaluateBatchJson(`[${text}]`));
  }
  assert.ok(texts.length > 40, `${texts.length} texts`);
});
