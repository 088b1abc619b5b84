// Sustained load in one process with Node's default flags: a million `evaluateJson` and a
// million `evaluate` calls. V8 inlines hot JS→Wasm calls (turbo-inline-js-wasm-calls); that
// path has crashed other wasm-bindgen engines after some hundred thousand calls, so it is run
// here as users run it, not with the flag turned off. Every answer is checked against the
// first answer for its input, and memory must not creep.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compilePolicy } from '../../node.mjs';

const CALLS = Number(process.env.AFTERSALE_MILLION_CALLS || 1_000_000);

test(`${CALLS.toLocaleString('en-US')} evaluateJson and ${CALLS.toLocaleString('en-US')} evaluate calls in one process`, () => {
  const policy = compilePolicy({ id: 'million', version: '1', extends: 'platform-default' });
  // A few inputs in rotation, so no call is a repeat of the one before it.
  const inputs = [1, 2, 3].map((qty) => ({
    order: {
      id: `O${qty}`,
      currency: 'CNY',
      placed_at: '2026-11-01T10:00:00+08:00',
      delivered_at: '2026-11-03T15:00:00+08:00',
      lines: [{ id: 'L1', category: 'apparel', unit_price: 9990, quantity: 3 }],
    },
    request: { kind: 'refund_with_return', items: [{ line_id: 'L1', qty, reason: 'no_reason' }] },
    now: '2026-11-05T12:00:00+08:00',
  }));
  const texts = inputs.map((i) => JSON.stringify(i));
  const expected = texts.map((t) => policy.evaluateJson(t));
  for (const e of expected) assert.ok(e.startsWith('{"type":"decision"'), e.slice(0, 200));

  const rssAfterWarmUp = () => process.memoryUsage().rss;
  let baseline = 0;
  for (let i = 0; i < CALLS; i++) {
    const k = i % 3;
    const answer = policy.evaluateJson(texts[k]);
    if (answer.length !== expected[k].length || (i % 9973 === 0 && answer !== expected[k])) {
      assert.fail(`call ${i}: the answer changed`);
    }
    if (i === 50_000) baseline = rssAfterWarmUp();
  }
  for (let i = 0; i < CALLS; i++) {
    const { order, request, now } = inputs[i % 3];
    const answer = policy.evaluate(order, request, now);
    if (answer.type !== 'decision' || answer.items[0].qty !== (i % 3) + 1) assert.fail(`call ${i}: ${JSON.stringify(answer).slice(0, 200)}`);
  }
  const grown = (rssAfterWarmUp() - baseline) / (1 << 20);
  console.log(`million: ${CALLS} + ${CALLS} calls, resident memory grew ${grown.toFixed(1)} MiB after warm-up`);
  assert.ok(grown < 64, `resident memory grew ${grown.toFixed(1)} MiB`);
  policy.free();
});
