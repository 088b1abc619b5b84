// The package as its users get it: `npm pack`ed, installed into a Node consumer, a Vite app
// and a webpack 5 app, and loaded — with a plain ES-module page on the browser entry — in
// headless Chromium (Debian's, driven by playwright-core). Every browser host runs the whole
// corpus and must answer byte for byte what `expect` holds.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, readFileSync, writeFileSync, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCases } from './corpus-lib.mjs';

const pkg = fileURLToPath(new URL('..', import.meta.url));
const root = join(pkg, '..');
const build = join(pkg, 'test', '.build');
const tools = join(root, '.tools', 'node_modules');
const { chromium } = createRequire(import.meta.url)(join(tools, 'playwright-core'));
const cases = loadCases();

function run(cmd, args, cwd) {
  return execFileSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
}

/** Copies an app template to .build and installs the packed package into it. */
function app(name, tarball) {
  const dir = join(build, 'apps', name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  cpSync(join(pkg, 'test', 'apps', name), dir, { recursive: true });
  cpSync(join(pkg, 'test', 'run-cases.mjs'), join(dir, 'run-cases.mjs'));
  run('npm', ['install', '--no-audit', '--no-fund', '--no-save', '--loglevel=error', tarball], dir);
  return dir;
}

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json' };
let server;
let browser;
let base;
const apps = {};

before(async () => {
  rmSync(join(build, 'pack'), { recursive: true, force: true });
  mkdirSync(join(build, 'pack'), { recursive: true });
  const tarName = run('npm', ['pack', '--silent', '--pack-destination', join(build, 'pack')], pkg).trim().split('\n').pop();
  const tarball = join(build, 'pack', tarName);
  apps.node = app('node', tarball);
  apps.vite = app('vite', tarball);
  apps.webpack = app('webpack', tarball);
  run(process.execPath, [join(tools, 'vite', 'bin', 'vite.js'), 'build', '--base', '/vite/', '--outDir', 'dist', '--emptyOutDir', '--logLevel', 'error'], apps.vite);
  run(process.execPath, [join(tools, 'webpack-cli', 'bin', 'cli.js'), '--config', 'webpack.config.cjs'], apps.webpack);
  cpSync(join(apps.webpack, 'index.html'), join(apps.webpack, 'dist', 'index.html'));
  writeFileSync(join(build, 'cases.json'), JSON.stringify(cases));

  // Loopback only: `/pkg/…` the package source tree, `/vite/…` and `/webpack/…` the built apps.
  const mounts = [['/vite/', join(apps.vite, 'dist')], ['/webpack/', join(apps.webpack, 'dist')], ['/pkg/', pkg]];
  server = createServer((req, res) => {
    const url = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    let file = url === '/cases.json' ? join(build, 'cases.json') : null;
    for (const [prefix, dir] of mounts) if (!file && url.startsWith(prefix)) file = normalize(join(dir, url.slice(prefix.length)));
    if (file && existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!file || !existsSync(file)) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] || 'application/octet-stream' }).end(readFileSync(file));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${server.address().port}`;
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
});

after(async () => {
  if (browser) await browser.close();
  if (server) server.close();
});

async function page(path, host) {
  const tab = await browser.newPage();
  const errors = [];
  tab.on('pageerror', (e) => errors.push(String(e)));
  await tab.goto(base + path);
  await tab.waitForFunction(() => window.__result !== undefined, null, { timeout: 60000 });
  const result = await tab.evaluate(() => window.__result);
  await tab.close();
  assert.deepEqual(errors, []);
  assert.deepEqual(result.failures, []);
  assert.equal(result.count, cases.length);
  console.log(`corpus: ${result.count} cases passed (${host})`);
}

test('the installed package in Node: ESM and CommonJS through the exports map', () => {
  for (const file of ['consumer.mjs', 'consumer.cjs']) {
    const out = JSON.parse(run(process.execPath, [file], apps.node).trim());
    assert.equal(out.version, '0.2.0');
    assert.match(out.hash, /^[0-9a-f]{64}$/);
    assert.equal(out.wasm, true);
    if (file === 'consumer.mjs') assert.equal(out.schema, 'aftersale-rules policy');
  }
});

test('a plain ES-module page on the browser entry, in Chromium', () => page('/pkg/test/browser/plain.html', 'browser-plain'));
test('a Vite build importing the package, in Chromium', () => page('/vite/', 'browser-vite'));
test('a webpack 5 build importing the package, in Chromium', () => page('/webpack/', 'browser-webpack'));

test('the browser entry recovers from traps, in Chromium (test-trap build)', async () => {
  const tab = await browser.newPage();
  const errors = [];
  tab.on('pageerror', (e) => errors.push(String(e)));
  await tab.goto(base + '/pkg/test/browser/trap.html');
  await tab.waitForFunction(() => window.__result !== undefined, null, { timeout: 60000 });
  const result = await tab.evaluate(() => window.__result);
  await tab.close();
  assert.deepEqual(errors, []);
  assert.deepEqual(result.failures, []);
  console.log(`trap recovery: ${result.checks} checks passed (browser)`);
});
