// The WeChat return page, run in Node: miniprogram-simulate (j-component) renders it from its
// WXML compiled by WeChat's own compiler (miniprogram-compiler's wcc), the page loads the
// package's `miniprogram` folder as DevTools' "构建 npm" places it, a mocked `WXWebAssembly`
// instantiates the real `.wasm.br` by its package path, and `wx.request` reaches the real www
// server. What a shopper sees is checked as text; submissions are checked on the server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliDecompressSync } from 'node:zlib';
import { spawnServer, root, auth, leaks } from '../../../www/test/harness.mjs';

const project = fileURLToPath(new URL('..', import.meta.url));
const tools = createRequire(join(root, '.tools', 'node_modules', 'x.js'));
const ENGINE_PATH = '/miniprogram_npm/aftersale-rules/aftersale_rules_bg.wasm.br';
let server;
/** Every path `WXWebAssembly.instantiate` was asked for. */
const instantiated = [];
/** A hook on the next POST's body, as a tampering client would. */
let tamper = null;
let token = 'tok-alice';

/** "构建 npm": DevTools copies the folder a package's `miniprogram` field names into miniprogram_npm/. */
function buildNpm() {
  const { miniprogram } = JSON.parse(readFileSync(join(root, 'pkg', 'package.json'), 'utf8'));
  const target = join(project, 'miniprogram_npm', 'aftersale-rules');
  rmSync(join(project, 'miniprogram_npm'), { recursive: true, force: true });
  cpSync(join(root, 'pkg', miniprogram), target, { recursive: true });
  return target;
}

/** The mini-program's globals: a DOM for j-component, WXWebAssembly, wx.request, getApp. */
function host(npm) {
  const { JSDOM } = tools('jsdom');
  const dom = new JSDOM('<!doctype html><html><head></head><body></body></html>');
  for (const name of ['window', 'document', 'Node', 'Element', 'HTMLElement', 'Event', 'CustomEvent', 'MutationObserver']) globalThis[name] = dom.window[name];
  // A mini-program resolves a package name to miniprogram_npm/, not to node_modules/.
  const resolve = Module._resolveFilename;
  Module._resolveFilename = function (request, ...rest) {
    return resolve.call(this, request === 'aftersale-rules' ? join(npm, 'index.js') : request, ...rest);
  };
  globalThis.WXWebAssembly = {
    instantiate(path, imports) {
      instantiated.push(path);
      if (typeof path !== 'string' || !path.startsWith('/')) return Promise.reject(new Error(`not a package path: ${path}`));
      const bytes = readFileSync(join(project, path));
      return WebAssembly.instantiate(path.endsWith('.wasm.br') ? brotliDecompressSync(bytes) : bytes, imports);
    },
  };
  globalThis.getApp = () => ({ globalData: { apiBase: server.url, token } });
  const simulate = tools('miniprogram-simulate');
  globalThis.wx.request = ({ url, method = 'GET', data, header, success, fail }) => {
    let body = data === undefined ? undefined : JSON.stringify(data);
    if (method === 'POST' && tamper) body = JSON.stringify(tamper(JSON.parse(body)));
    fetch(url, { method, headers: header, body })
      .then(async (res) => ({ statusCode: res.status, header: Object.fromEntries(res.headers), data: JSON.parse(await res.text()) }))
      .then(success, (e) => fail({ errMsg: `request:fail ${e.message}` }));
  };
  return simulate;
}

let simulate;
before(async () => {
  server = await spawnServer(`sqlite:${join(mkdtempSync(join(tmpdir(), 'aftersale-mp-')), 'aftersale.db')}`);
  simulate = host(buildNpm());
});

after(() => {
  if (server) server.child.kill('SIGKILL');
});

/** The return page, loaded: its engine initialised and the shopper's orders shown. */
async function openPage() {
  const id = simulate.load(join(project, 'pages', 'return', 'return'), { compiler: 'official', rootPath: project });
  const page = simulate.render(id);
  page.attach(document.createElement('parent-wrapper'));
  await page.instance.onLoad();
  return page;
}

/** The text a shopper reads in `selector` (the whole page without), one space between its pieces. */
const text = (page, selector) => {
  const node = selector ? page.querySelector(selector) : page;
  if (!node) return null;
  const walker = document.createTreeWalker(node.dom, 4 /* NodeFilter.SHOW_TEXT */);
  const pieces = [];
  while (walker.nextNode()) pieces.push(walker.currentNode.nodeValue);
  return pieces.join(' ').replace(/\s+/g, ' ').trim();
};
const until = async (check) => {
  for (let i = 0; i < 500 && !check(); i++) await simulate.sleep(10);
  assert.ok(check(), 'the page did not get there');
};
/** Fires a component event as WeChat does (j-component delivers it on a later turn) and waits for it. */
async function fire(page, selector, event, detail) {
  const node = page.querySelector(selector);
  assert.ok(node, `${selector} is on the page`);
  node.dispatchEvent(event, detail === undefined ? undefined : { detail });
  await simulate.sleep(0);
}
/** Picks `code` in the order, kind or reason picker. */
function choose(page, picker, code) {
  const list = picker === '#order' ? page.instance.session().orders.map((o) => o.order.id) : page.data[picker === '#kind' ? 'kinds' : 'reasons'].map((x) => x.code);
  const index = list.indexOf(code);
  assert.ok(index >= 0, `${code} is offered`);
  return fire(page, picker, 'change', { value: String(index) });
}

test('the page is ES2017 that any mini-program base library runs, its WXML compiles with WeChat\'s compiler', () => {
  const acorn = tools('acorn');
  const files = ['app.js', ...['pages/return', 'lib'].flatMap((dir) => readdirSync(join(project, dir)).filter((f) => f.endsWith('.js')).map((f) => `${dir}/${f}`))];
  for (const file of files) acorn.parse(readFileSync(join(project, file), 'utf8'), { ecmaVersion: 2017, sourceType: 'script' });
  assert.ok(files.length >= 4);
  const { pages } = JSON.parse(readFileSync(join(project, 'app.json'), 'utf8'));
  for (const page of pages) assert.ok(simulate.load(join(project, page), { compiler: 'official', rootPath: project }), `${page} compiles`);
  assert.ok(statSync(join(project, 'miniprogram_npm', 'aftersale-rules', 'aftersale_rules_bg.wasm.br')).size > 100_000);
});

test('the page loads the engine by its package path and decides the sample orders in the shopper\'s words', async () => {
  const page = await openPage();
  assert.deepEqual(instantiated, [ENGINE_PATH]);
  assert.equal(page.data.ready, true);
  assert.equal(page.data.orderNames.length, 4);
  await choose(page, '#order', 'SO-APPAREL-1001');
  assert.match(text(page, '#outcome'), /羊毛双排扣大衣 驼色 M 码 × 1 可以申请/);
  assert.match(text(page, '#outcome'), /30 天试穿无忧：可以申请/);
  assert.equal(text(page, '.total-amount'), '¥599.00');
  assert.equal(text(page, '.postage'), '买家承担');
  await choose(page, '#order', 'SO-WATCH-1002');
  await choose(page, '#reason', 'quality');
  assert.match(text(page), /此原因需要：商品照片 至少 1 张/);
  assert.match(text(page, '#outcome'), /还需补充：商品照片 1 张/);
  assert.match(text(page, '#outcome'), /保修至 \d{4}年\d{1,2}月\d{1,2}日 23:59/); // the watch's 12-month warranty
  assert.match(text(page, '.approval'), /审核/);
  assert.equal(text(page, '.total-amount'), '¥1,299.00');
  await choose(page, '#order', 'SO-APPAREL-1001');
  await choose(page, '#reason', 'quality');
  assert.match(text(page, '#outcome'), /售后申请须在 \d{4}年\d{1,2}月\d{1,2}日 23:59 前提交/); // the coat's filing deadline
  const seen = [];
  for (const order of ['SO-APPAREL-1001', 'SO-WATCH-1002', 'SO-FRESH-1003', 'SO-MULTI-1004']) {
    await choose(page, '#order', order);
    for (const kind of ['refund_with_return', 'refund_without_return', 'exchange']) {
      await choose(page, '#kind', kind);
      for (const reason of ['no_reason', 'quality', 'damaged_in_transit']) {
        await choose(page, '#reason', reason);
        const found = leaks(text(page));
        if (found.length) seen.push(`${order} ${kind} ${reason}: ${[...new Set(found)].join(', ')}`);
      }
    }
  }
  assert.deepEqual(seen, []);
  assert.deepEqual(instantiated, [ENGINE_PATH]); // one instantiation for every decision
  page.detach();
});

test('one evaluation per change; a language switch keeps every choice and decides nothing', async () => {
  const page = await openPage();
  await choose(page, '#order', 'SO-MULTI-1004');
  let before = page.data.evaluations;
  await fire(page, '#lines', 'change', { value: ['L2'] });
  assert.equal(page.data.evaluations, before + 1);
  await choose(page, '#kind', 'exchange');
  await choose(page, '#reason', 'quality');
  await fire(page, '#description', 'input', { value: '袜子开线' });
  await fire(page, '#photos-more', 'tap');
  assert.equal(page.data.evaluations, before + 5);
  await fire(page, '#photos-less', 'tap');
  await fire(page, '#photos-less', 'tap'); // at 0 already: no change, no evaluation
  assert.equal(page.data.evaluations, before + 6);
  before = page.data.evaluations;
  const zh = text(page, '#outcome');
  await fire(page, '#lang-en', 'tap');
  assert.equal(page.data.lang, 'en');
  assert.equal(page.data.evaluations, before);
  assert.equal(page.data.kinds[page.data.kindIndex].code, 'exchange');
  assert.equal(page.data.reasons[page.data.reasonIndex].code, 'quality');
  assert.equal(page.data.description, '袜子开线');
  assert.deepEqual(page.data.lines.map((l) => [l.id, l.checked]), [['L1', false], ['L2', true]]);
  assert.match(text(page, '#outcome'), /What you will get .*eligible/);
  assert.match(text(page), /This reason needs: Photos of the item at least 1/);
  await fire(page, '#lang-zh', 'tap');
  assert.equal(text(page, '#outcome'), zh);
  page.detach();
});

test('refused items are explained, not submitted, and an accepted request is said in words (201)', async () => {
  const page = await openPage();
  await choose(page, '#order', 'SO-FRESH-1003');
  await fire(page, '#lines', 'change', { value: ['L1'] });
  assert.match(text(page, '#outcome'), /阳澄湖大闸蟹 4 只装 × 1 不可申请：鲜活易腐商品 鲜活易腐商品不适用七天无理由退货 依据：七日无理由退货暂行办法/);
  assert.equal(page.data.submit.enabled, false);
  assert.equal(page.querySelector('.rows'), undefined);
  assert.match(text(page), /所选商品都不能申请售后，无法提交/);
  await fire(page, '#lines', 'change', { value: ['L1', 'L2'] });
  assert.equal(page.data.submit.text, '提交申请（1 件可申请的商品）');
  assert.equal(text(page, '.total-amount'), '¥68.00');
  await fire(page, '#submit', 'tap');
  await until(() => page.data.result && !page.data.sending);
  assert.equal(page.data.result.status, 201);
  assert.match(text(page, '#result'), /申请已受理，编号 \S+ 预计退款：¥68\.00/);
  const stored = (await (await fetch(server.url + 'api/returns', { headers: auth('tok-alice') })).json()).find((r) => r.order_id === 'SO-FRESH-1003');
  assert.deepEqual(stored.request.items.map((i) => i.line_id), ['L2']);
  // The page took the order's ledger again: the tools are requested in full now.
  await until(() => page.data.lines.find((l) => l.id === 'L2').disabled);
  page.detach();
});

test('a tampered decision is refused, and the page says what the server decided (409)', async () => {
  token = 'tok-bob';
  const page = await openPage();
  await choose(page, '#order', 'SO-XB-2002');
  await choose(page, '#kind', 'refund_with_return');
  tamper = (body) => ({ ...body, decision: { ...body.decision, refund: { ...body.decision.refund, total: body.decision.refund.total + 1000 } } });
  try {
    await fire(page, '#submit', 'tap');
    await until(() => page.data.result && !page.data.sending);
  } finally {
    tamper = null;
  }
  assert.equal(page.data.result.status, 409);
  const said = text(page, '#result');
  assert.match(said, /退款合计：预览为 ¥55\.00，实际为 ¥45\.00/);
  assert.match(said, /进口复合维生素 60 粒 × 1 可以申请/);
  assert.deepEqual(leaks(said), []);
  // Submitted again untampered, it is accepted.
  await fire(page, '#submit', 'tap');
  await until(() => page.data.result && page.data.result.status !== 409 && !page.data.sending);
  assert.equal(page.data.result.status, 201);
  page.detach();
  token = 'tok-alice';
});

test('the server unreachable: the page says so and keeps the request', async () => {
  const page = await openPage();
  await choose(page, '#order', 'SO-APPAREL-1001');
  const request = globalThis.wx.request;
  globalThis.wx.request = ({ fail }) => setTimeout(() => fail({ errMsg: 'request:fail timeout' }), 0);
  try {
    await fire(page, '#submit', 'tap');
    await until(() => page.data.result && !page.data.sending);
  } finally {
    globalThis.wx.request = request;
  }
  assert.equal(page.data.result.status, 0);
  assert.match(text(page, '#result'), /网络连接失败，请稍后再试/);
  assert.equal(page.data.submit.enabled, true);
  page.detach();
});
