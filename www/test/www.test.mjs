// The page and the server, end to end: Chromium (Debian's, via playwright-core) fills the form
// for the sample orders as a shopper would, at desktop and phone widths, and submits; the
// server re-decides, refuses tampering and other shoppers, survives kill -9 without losing
// accepted requests, and answers the whole golden corpus exactly as the engine does (its
// conformance endpoint). The server's money safety on both databases is tested in
// server.test.mjs and load.test.mjs. Screenshots are kept in www/test/output/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCases } from '../../pkg/test/corpus-lib.mjs';
import { spawnServer, launchChromium, root, auth, leaks } from './harness.mjs';

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

async function openPage(viewport = { width: 1280, height: 1000 }) {
  const page = await browser.newPage({ viewport });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(base);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30000 });
  return { page, errors };
}

const evaluations = (page) => page.$eval('body', (b) => Number(b.dataset.evaluations));

/** Picks an order, its lines, the kind and the reason as a shopper does; returns the preview's text. */
async function fill(page, { orderId, kind, reason, lines, gifts = true }) {
  if ((await page.inputValue('#order')) !== orderId) await page.selectOption('#order', orderId);
  if (lines) {
    for (const box of await page.$$('#lines input[type="checkbox"]')) {
      const id = await box.getAttribute('data-line');
      if ((await box.isChecked()) !== lines.includes(id)) await box.click();
    }
  }
  if ((await page.inputValue('#kind')) !== kind) await page.selectOption('#kind', kind);
  if ((await page.inputValue('#reason')) !== reason) await page.selectOption('#reason', reason);
  if ((await page.isVisible('#gifts')) && (await page.isChecked('#gifts')) !== gifts) await page.click('#gifts');
  return page.innerText('#out');
}

test('the page decides the sample orders live, in the shopper\'s words', async () => {
  const { page, errors } = await openPage();
  let text = await fill(page, { orderId: 'SO-APPAREL-1001', kind: 'refund_with_return', reason: 'no_reason' });
  assert.match(text, /羊毛双排扣大衣 驼色 M 码 × 1/);
  assert.match(text, /30 天试穿无忧：可以申请/);
  assert.match(await page.textContent('#total'), /^¥599\.00$/);
  assert.match(await page.textContent('#postage'), /买家承担/);
  text = await fill(page, { orderId: 'SO-WATCH-1002', kind: 'refund_with_return', reason: 'no_reason' });
  assert.match(text, /可以申请/); // activated without confirmation at purchase: the statutory right stands
  assert.match(await page.textContent('#approval'), /主管审核/);
  // The reason asks for evidence: the form says what, and the engine what is still missing.
  text = await fill(page, { orderId: 'SO-WATCH-1002', kind: 'refund_with_return', reason: 'quality' });
  assert.match(await page.textContent('#evidence-hint'), /商品照片 至少 1 张/);
  assert.match(text, /还需补充：商品照片 1 张/);
  assert.match(text, /保修至 \d{4}年\d{1,2}月\d{1,2}日 23:59/); // the watch's 12-month warranty
  // A coat's quality problem: the category standard's filing deadline, 15 days from the day after signing.
  text = await fill(page, { orderId: 'SO-APPAREL-1001', kind: 'refund_with_return', reason: 'quality' });
  assert.match(text, /售后申请须在 \d{4}年\d{1,2}月\d{1,2}日 23:59 前提交/);
  text = await fill(page, { orderId: 'SO-MULTI-1004', kind: 'refund_with_return', reason: 'no_reason', lines: ['L1'], gifts: false });
  assert.match(text, /赠品未退回/);
  assert.match(text, /积分/);
  await page.selectOption('#shopper', 'tok-bob');
  await page.waitForFunction(() => document.querySelector('#order').options.length === 2);
  text = await fill(page, { orderId: 'SO-GROUP-2001', kind: 'refund_without_return', reason: 'group_buy_failed' });
  assert.match(text, /无需寄回商品/);
  assert.match(await page.textContent('#total'), /^¥65\.80$/); // 2 × 29.90 and the 6.00 shipping
  assert.equal(await page.isVisible('#condition-set'), false); // the shopper keeps the goods
  text = await fill(page, { orderId: 'SO-XB-2002', kind: 'refund_without_return', reason: 'no_reason' });
  assert.match(text, /可以申请/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('refused items are explained and never submitted', async () => {
  const { page, errors } = await openPage();
  const text = await fill(page, { orderId: 'SO-FRESH-1003', kind: 'refund_with_return', reason: 'no_reason', lines: ['L1', 'L2'] });
  assert.match(text, /阳澄湖大闸蟹 4 只装 × 1\s*不可申请/);
  assert.match(text, /鲜活易腐商品不适用七天无理由退货/);
  assert.match(text, /依据：七日无理由退货暂行办法/);
  assert.equal(await page.textContent('#status-L1'), '不可申请：鲜活易腐商品');
  assert.equal(await page.textContent('#status-L2'), '可以申请');
  assert.match(await page.textContent('#total'), /^¥68\.00$/);
  assert.equal(await page.textContent('#submit'), '提交申请（1 件可申请的商品）');
  assert.equal(await page.textContent('#submit-hint'), '不可申请的商品不会提交');
  // Only the perishable line: nothing to grant, no money summary, nothing to submit.
  await fill(page, { orderId: 'SO-FRESH-1003', kind: 'refund_with_return', reason: 'no_reason', lines: ['L1'] });
  assert.equal(await page.isDisabled('#submit'), true);
  assert.equal(await page.$('#refund-table'), null);
  assert.equal(await page.textContent('#submit-hint'), '所选商品都不能申请售后，无法提交');
  // Both again, submitted: the server stores the eligible line alone.
  await fill(page, { orderId: 'SO-FRESH-1003', kind: 'refund_with_return', reason: 'no_reason', lines: ['L1', 'L2'] });
  await page.click('#submit');
  await page.waitForSelector('#result[data-status]');
  assert.equal(await page.getAttribute('#result', 'data-status'), '201');
  assert.match(await page.textContent('#result'), /申请已受理.*预计退款：¥68\.00/);
  const stored = (await (await fetch(base + 'api/returns', { headers: auth('tok-alice') })).json()).find((r) => r.order_id === 'SO-FRESH-1003');
  assert.deepEqual(stored.request.items.map((i) => i.line_id), ['L2']);
  // The order's ledger came back with the answer: the tools are requested in full now.
  await page.waitForFunction(() => document.querySelector('#pick-L2').disabled);
  assert.deepEqual(errors, []);
  await page.close();
});

test('one evaluation per change; a language switch keeps the state and evaluates nothing', async () => {
  const { page, errors } = await openPage();
  await fill(page, { orderId: 'SO-MULTI-1004', kind: 'exchange', reason: 'quality', lines: ['L2'] });
  let before = await evaluations(page);
  await page.click('#pick-L1');
  assert.equal(await evaluations(page), before + 1);
  await page.selectOption('#kind', 'refund_with_return');
  assert.equal(await evaluations(page), before + 2);
  await page.click('#description');
  await page.keyboard.type('鞋底开胶');
  assert.equal(await evaluations(page), before + 6);
  await page.fill('#qty-L2', '2');
  assert.equal(await evaluations(page), before + 7);
  before = await evaluations(page);
  const zh = await page.innerText('#out');
  await page.selectOption('#lang', 'en');
  assert.equal(await evaluations(page), before);
  assert.equal(await page.textContent('h1'), 'After-sales request');
  assert.equal(await page.inputValue('#order'), 'SO-MULTI-1004');
  assert.equal(await page.inputValue('#kind'), 'refund_with_return');
  assert.equal(await page.inputValue('#reason'), 'quality');
  assert.equal(await page.inputValue('#qty-L2'), '2');
  assert.equal(await page.isChecked('#pick-L1'), true);
  assert.equal(await page.inputValue('#description'), '鞋底开胶');
  const en = await page.innerText('#out');
  assert.match(en, /Running|轻量跑步鞋/);
  assert.match(en, /Total refund/);
  assert.doesNotMatch(en, /[退款审核]{2}/);
  await page.selectOption('#lang', 'zh-CN');
  assert.equal(await page.innerText('#out'), zh);
  assert.deepEqual(errors, []);
  await page.close();
});

for (const viewport of [{ width: 1280, height: 1000 }, { width: 375, height: 812 }]) {
  test(`what a shopper sees at ${viewport.width} px: no code, identifier or English in the zh-CN view`, async () => {
    const { page, errors } = await openPage(viewport);
    const seen = [];
    for (const [token, orders] of [['tok-alice', ['SO-APPAREL-1001', 'SO-WATCH-1002', 'SO-FRESH-1003', 'SO-MULTI-1004']], ['tok-bob', ['SO-GROUP-2001', 'SO-XB-2002']]]) {
      if ((await page.inputValue('#shopper')) !== token) {
        await page.selectOption('#shopper', token);
        await page.waitForFunction((n) => document.querySelector('#order').options.length === n, orders.length);
      }
      for (const orderId of orders) {
        for (const kind of ['refund_with_return', 'refund_without_return', 'exchange']) {
          for (const reason of ['no_reason', 'quality', 'damaged_in_transit']) {
            await fill(page, { orderId, kind, reason });
            const text = await page.innerText('body');
            const found = leaks(text);
            if (found.length) seen.push(`${orderId} ${kind} ${reason}: ${[...new Set(found)].join(', ')}`);
          }
        }
      }
    }
    assert.deepEqual(seen, []);
    // The layout: nothing wider than the screen, the outcome before the button, labels on one line.
    await page.selectOption('#shopper', 'tok-alice');
    await page.waitForFunction(() => document.querySelector('#order').options.length === 4);
    await fill(page, { orderId: 'SO-MULTI-1004', kind: 'refund_with_return', reason: 'no_reason', lines: ['L1', 'L2'] });
    const layout = await page.evaluate(() => {
      const box = (el) => el.getBoundingClientRect();
      const qty = box(document.querySelector('#lines .qty span'));
      return {
        overflow: document.documentElement.scrollWidth - window.innerWidth,
        outcomeBottom: box(document.querySelector('#preview')).bottom,
        buttonTop: box(document.querySelector('#submit')).top,
        qtyOneLine: qty.width > qty.height,
      };
    });
    assert.ok(layout.overflow <= 0, `the page is ${layout.overflow} px wider than the screen`);
    if (viewport.width < 760) assert.ok(layout.outcomeBottom <= layout.buttonTop, 'on a phone the outcome comes before the button');
    assert.ok(layout.qtyOneLine, '"数量" is on one line');
    await page.screenshot({ path: join(output, `form-${viewport.width}-zh-CN.png`), fullPage: true });
    await page.selectOption('#lang', 'en');
    await page.screenshot({ path: join(output, `form-${viewport.width}-en.png`), fullPage: true });
    assert.deepEqual(errors, []);
    await page.close();
  });
}

test('a submission is re-decided by the server and accepted (201)', async () => {
  const { page } = await openPage();
  await fill(page, { orderId: 'SO-APPAREL-1001', kind: 'refund_with_return', reason: 'no_reason' });
  await page.click('#submit');
  await page.waitForSelector('#result[data-status]');
  assert.equal(await page.getAttribute('#result', 'data-status'), '201');
  assert.match(await page.textContent('#result'), /申请已受理，编号 \S+/);
  await page.screenshot({ path: join(output, 'submitted.png'), fullPage: true });
  await page.close();
});

test('a tampered client decision is refused, and the page says what the server decided (409)', async () => {
  const { page, errors } = await openPage();
  await page.route('**/api/returns', async (route) => {
    const body = JSON.parse(route.request().postData());
    body.decision.refund.total += 1000;
    await route.continue({ postData: JSON.stringify(body) });
  });
  await fill(page, { orderId: 'SO-WATCH-1002', kind: 'refund_with_return', reason: 'no_reason' });
  await page.click('#submit');
  await page.waitForSelector('#result[data-status]');
  assert.equal(await page.getAttribute('#result', 'data-status'), '409');
  const text = await page.innerText('#result');
  assert.match(text, /退款合计：预览为 ¥1,309\.00，实际为 ¥1,299\.00/);
  assert.match(text, /智能手表 S3 黑色 × 1\s*可以申请/); // the server's decision, rendered
  assert.deepEqual(leaks(text), []);
  await page.screenshot({ path: join(output, 'mismatch-409.png'), fullPage: true });
  assert.deepEqual(errors, []);
  await page.close();
});

test('a request decided on a ledger that has moved is explained (409), and the next one agrees', async () => {
  const { page, errors } = await openPage();
  await fill(page, { orderId: 'SO-MULTI-1004', kind: 'refund_with_return', reason: 'no_reason', lines: ['L2'] });
  await page.fill('#qty-L2', '1');
  // Meanwhile the same shopper's other tab has a sock returned.
  const request = { kind: 'refund_with_return', items: [{ line_id: 'L2', qty: 1, reason: 'no_reason' }], gifts_returned: true };
  const orders = await (await fetch(base + 'api/orders', { headers: auth('tok-alice') })).json();
  const stored = orders.find((o) => o.order.id === 'SO-MULTI-1004');
  const doc = await (await fetch(base + 'api/policies/' + encodeURIComponent(stored.policy), { headers: auth('tok-alice') })).json();
  const { compilePolicy } = await import('../../pkg/node.mjs');
  const decision = compilePolicy(doc).evaluate(stored.order, request, new Date().toISOString(), stored.ledger);
  const other = await fetch(base + 'api/returns', { method: 'POST', headers: auth('tok-alice'), body: JSON.stringify({ order_id: 'SO-MULTI-1004', request, decision }) });
  assert.equal(other.status, 201);
  await page.click('#submit');
  await page.waitForSelector('#result[data-status]');
  assert.equal(await page.getAttribute('#result', 'data-status'), '409');
  assert.match(await page.innerText('#result'), /这笔订单刚有另一笔售后申请被受理/);
  // The page took the order's ledger again: the next submission is decided on it and accepted.
  await page.waitForFunction(() => document.querySelector('#qty-L2').max === '2');
  await page.$eval('#result', (el) => el.removeAttribute('data-status'));
  await page.click('#submit');
  await page.waitForSelector('#result[data-status]');
  assert.equal(await page.getAttribute('#result', 'data-status'), '201');
  assert.deepEqual(errors, []);
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
