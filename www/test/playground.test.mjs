// The playground at /playground, in Chromium: it decides its sample case on the package's
// .wasm, places an expression error at its line and column in the policy, keeps its whole
// state in the address (a copied address opens the same case), and evaluates once per change.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnServer, launchChromium } from './harness.mjs';

const output = fileURLToPath(new URL('./output/', import.meta.url));
let server;
let browser;

before(async () => {
  mkdirSync(output, { recursive: true });
  server = await spawnServer(`sqlite:${join(mkdtempSync(join(tmpdir(), 'aftersale-playground-')), 'aftersale.db')}`);
  browser = await launchChromium();
});

after(async () => {
  if (browser) await browser.close();
  if (server) server.child.kill('SIGKILL');
});

async function open(url, viewport = { width: 1280, height: 1400 }) {
  const page = await browser.newPage({ viewport });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30000 });
  return { page, errors };
}

const runs = (page) => page.$eval('body', (b) => Number(b.dataset.runs));

test('the playground decides its sample, places errors, and shares its state in the address', async () => {
  const { page, errors } = await open(`${server.url}playground`);
  const decision = await page.textContent('#decision');
  assert.match(decision, /L1 ×1/);
  assert.match(decision, /L2 ×1/);
  assert.match(await page.textContent('#total'), /¥/);
  assert.ok((await page.$$eval('#trace tbody tr', (rows) => rows.length)) > 0, 'a trace');
  await page.screenshot({ path: join(output, 'playground-1280.png'), fullPage: true });

  // One evaluation per change: a typed character is one `input` event, one run.
  const before = await runs(page);
  const policy = await page.inputValue('#policy');
  const broken = policy.replace('item.refund > 50000fen', 'item.refnd > 50000fen');
  await page.fill('#policy', broken);
  await page.waitForFunction((n) => Number(document.body.dataset.runs) === n + 1, before);
  const error = await page.textContent('#errors');
  assert.match(error, /EXPR_UNKNOWN_FIELD/);
  const line = broken.split('\n').findIndex((l) => l.includes('item.refnd')) + 1;
  const column = broken.split('\n')[line - 1].indexOf('item.refnd') + 1;
  assert.ok(error.includes(`policy line ${line}, column ${column}`), `${error} at ${line}:${column}`);
  assert.equal(await page.$eval('#policy', (t) => t.classList.contains('bad')), true);

  // The address holds the case: opened afresh, the page shows the same policy and error.
  const shared = page.url();
  assert.match(shared, /\/playground#[A-Za-z0-9_-]+$/);
  const again = await open(shared, { width: 375, height: 900 });
  assert.equal(await again.page.inputValue('#policy'), broken);
  assert.match(await again.page.textContent('#errors'), /EXPR_UNKNOWN_FIELD/);
  await again.page.screenshot({ path: join(output, 'playground-375.png'), fullPage: true });

  // An input error is placed in its field.
  await page.fill('#policy', policy);
  await page.fill('#request', '{"kind":"refund_with_return","items":[{"line_id":"L9","qty":1,"reason":"no_reason"}]}');
  await page.waitForFunction(() => document.getElementById('errors').textContent.includes('UNKNOWN_REFERENCE'));
  assert.match(await page.textContent('#errors'), /request\.items\[0\]\.line_id \(request line 1, column \d+\)/);
  assert.deepEqual([...errors, ...again.errors], []);
  await page.close();
  await again.page.close();
});
