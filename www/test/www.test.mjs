// The page and the server, end to end: Chromium (Debian's, via playwright-core) fills the form
// for the sample orders and submits; the server re-decides, refuses tampering and other
// shoppers, survives kill -9 without losing accepted requests, and answers the whole golden
// corpus exactly as the engine does (its conformance endpoint). The server's money safety on
// both databases is tested in server.test.mjs and load.test.mjs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCases } from '../../pkg/test/corpus-lib.mjs';
import { spawnServer, launchChromium, root, auth } from './harness.mjs';

const output = join(root, 'www', 'test', 'output');
const dataDir = mkdtempSync(join(tmpdir(), 'aftersale-www-'));
let server;
let base;
let browser;

/** Starts the server as a real process (so that it can be killed with SIGKILL). */
const startServer = () => spawnServer(`sqlite:${join(dataDir, 'aftersale.db')}`, ['--conformance']);

before(async () => {
  mkdirSync(output, { recursive: true });
  server = await startServer();
  base = server.url;
  browser = await launchChromium();
});

after(async () => {
  if (browser) await browser.close();
  if (server) server.child.kill('SIGKILL');
});

async function openPage() {
  const page = await browser.newPage({ viewport: { width: 1100, height: 1400 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(base);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30000 });
  return { page, errors };
}

/** Picks an order by id, a kind and a reason, and returns the preview's text. */
async function fill(page, { orderId, kind, reason, lines, gifts = true }) {
  const value = await page.$eval('#order', (select, id) => [...select.options].find((o) => o.textContent.startsWith(id)).value, orderId);
  await page.selectOption('#order', value);
  if (lines) {
    for (const box of await page.$$('#lines input[type="checkbox"]')) {
      const id = await box.getAttribute('data-line');
      if ((await box.isChecked()) !== lines.includes(id)) await box.click();
    }
  }
  await page.selectOption('#kind', kind);
  await page.selectOption('#reason', reason);
  if ((await page.isChecked('#gifts')) !== gifts) await page.click('#gifts');
  return page.textContent('#out');
}

test('the page decides five sample orders live, in the browser', async () => {
  const { page, errors } = await openPage();
  let text = await fill(page, { orderId: 'SO-APPAREL-1001', kind: 'refund_with_return', reason: 'no_reason' });
  assert.match(text, /30 天试穿无忧：可以申请/);
  assert.match(text, /¥599\.00/);
  text = await fill(page, { orderId: 'SO-WATCH-1002', kind: 'refund_with_return', reason: 'no_reason' });
  assert.match(text, /可以申请/); // activated without confirmation at purchase: the statutory right stands
  assert.equal(await page.textContent('#approval'), '主管审核');
  text = await fill(page, { orderId: 'SO-FRESH-1003', kind: 'refund_with_return', reason: 'no_reason' });
  assert.match(text, /EXCLUDED_PERISHABLE/);
  assert.match(text, /鲜活易腐商品不适用七天无理由退货/);
  text = await fill(page, { orderId: 'SO-MULTI-1004', kind: 'refund_with_return', reason: 'no_reason', lines: ['L1'], gifts: false });
  assert.match(text, /gift_not_returned/);
  assert.match(text, /pts/);
  await page.selectOption('#shopper', 'tok-bob');
  await page.waitForFunction(() => document.querySelector('#order').options.length === 2);
  text = await fill(page, { orderId: 'SO-GROUP-2001', kind: 'refund_without_return', reason: 'group_buy_failed' });
  assert.match(text, /无需退回/);
  assert.match(text, /¥65\.80/); // 2 × 29.90 and the 6.00 shipping
  text = await fill(page, { orderId: 'SO-XB-2002', kind: 'refund_without_return', reason: 'no_reason' });
  assert.match(text, /可以申请/);
  await page.selectOption('#lang', 'en');
  assert.equal(await page.textContent('h1'), 'After-sales request');
  assert.match(await page.textContent('#out'), /eligible/);
  await page.screenshot({ path: join(output, 'filled-en.png'), fullPage: true });
  assert.deepEqual(errors, []);
  await page.close();
});

test('a submission is re-decided by the server and accepted (201)', async () => {
  const { page } = await openPage();
  await fill(page, { orderId: 'SO-APPAREL-1001', kind: 'refund_with_return', reason: 'no_reason' });
  await page.click('#submit');
  await page.waitForSelector('#result[data-status]');
  assert.equal(await page.getAttribute('#result', 'data-status'), '201');
  await page.screenshot({ path: join(output, 'submitted.png'), fullPage: true });
  await page.close();
});

test('a tampered client decision is refused with the differences (409)', async () => {
  const { page } = await openPage();
  await page.route('**/api/returns', async (route) => {
    const body = JSON.parse(route.request().postData());
    body.decision.refund.total += 1000;
    await route.continue({ postData: JSON.stringify(body) });
  });
  await fill(page, { orderId: 'SO-WATCH-1002', kind: 'refund_with_return', reason: 'no_reason' });
  await page.click('#submit');
  await page.waitForSelector('#result[data-status]');
  assert.equal(await page.getAttribute('#result', 'data-status'), '409');
  assert.match(await page.textContent('#result'), /refund\.total/);
  await page.close();
});

test('a return submitted twice is accepted once: the second time nothing is left to grant (422)', async () => {
  const request = { kind: 'refund_with_return', items: [{ line_id: 'L1', qty: 1, reason: 'no_reason' }] };
  const orders = await (await fetch(base + 'api/orders', { headers: auth('tok-bob') })).json();
  const stored = orders.find((o) => o.order.id === 'SO-XB-2002');
  const doc = await (await fetch(base + 'api/policies/' + encodeURIComponent(stored.policy), { headers: auth('tok-bob') })).json();
  const { compilePolicy } = await import('../../pkg/node.mjs');
  const decision = compilePolicy(doc).evaluate(stored.order, request, new Date().toISOString(), stored.ledger);
  const submit = () => fetch(base + 'api/returns', { method: 'POST', headers: auth('tok-bob'), body: JSON.stringify({ order_id: 'SO-XB-2002', request, decision }) });
  assert.equal((await submit()).status, 201);
  const again = await submit();
  assert.equal(again.status, 422);
  assert.equal((await again.json()).decision.items[0].denial.code, 'QTY_EXCEEDS_REMAINING');
});

test('another shopper\'s order is refused without revealing it (403)', async () => {
  const request = { kind: 'refund_with_return', items: [{ line_id: 'L1', qty: 1, reason: 'no_reason' }] };
  const forOther = await fetch(base + 'api/returns', { method: 'POST', headers: auth('tok-bob'), body: JSON.stringify({ order_id: 'SO-APPAREL-1001', request, decision: {} }) });
  const forNone = await fetch(base + 'api/returns', { method: 'POST', headers: auth('tok-bob'), body: JSON.stringify({ order_id: 'SO-NOPE', request, decision: {} }) });
  assert.equal(forOther.status, 403);
  assert.equal(forNone.status, 403);
  assert.deepEqual(await forOther.json(), await forNone.json());
  const noToken = await fetch(base + 'api/orders');
  assert.equal(noToken.status, 401);
  const big = await fetch(base + 'api/returns', { method: 'POST', headers: auth('tok-alice'), body: 'x'.repeat(300 * 1024) });
  assert.equal(big.status, 413);
  const junk = await fetch(base + 'api/returns', { method: 'POST', headers: auth('tok-alice'), body: '{not json' });
  assert.equal(junk.status, 400);
});

test('accepted requests survive kill -9 and a restart', async () => {
  const returns = async (token) => (await fetch(base + 'api/returns', { headers: auth(token) })).json();
  const before = { alice: await returns('tok-alice'), bob: await returns('tok-bob') };
  assert.ok(before.alice.length >= 1 && before.bob.length >= 1);
  server.child.kill('SIGKILL');
  await new Promise((resolve) => server.child.on('exit', resolve));
  server = await startServer();
  base = server.url;
  assert.deepEqual({ alice: await returns('tok-alice'), bob: await returns('tok-bob') }, before);
});

test('the server answers the whole golden corpus exactly as the engine', async () => {
  const cases = loadCases();
  const failures = [];
  for (const c of cases) {
    const res = await fetch(base + 'api/evaluate', { method: 'POST', headers: auth('tok-alice'), body: JSON.stringify({ policy: c.policy, input: c.input, service: c.service }) });
    const text = await res.text();
    if (text !== c.expect) failures.push(`${c.name}\n  expected: ${c.expect}\n  actual:   ${text}`);
  }
  assert.deepEqual(failures, []);
  console.log(`corpus: ${cases.length} cases passed (www-server)`);
});
