// The package as `npm pack` makes it: what a user installs. It carries its licences, README
// and changelog, the engine once per form (the .wasm for browsers and Node, the .wasm.br for
// mini-programs), types for `import` and `require`, nothing of the build or the tests, and it
// stays within the tarball budget of pkg/size-budget.json.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const pkg = new URL('..', import.meta.url);
const [packed] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--silent'], { cwd: pkg, encoding: 'utf8' }));
const files = packed.files.map((f) => f.path);
const budget = JSON.parse(readFileSync(new URL('size-budget.json', pkg), 'utf8'));

test('the tarball carries what an npm page and a user need', () => {
  for (const file of ['README.md', 'LICENSE-MIT', 'LICENSE-APACHE', 'CHANGELOG.md', 'package.json', 'index.d.ts', 'index.d.cts', 'wire.d.ts', 'wire.d.cts', 'node.mjs', 'node.cjs', 'index.js', 'slim.js', 'miniprogram/index.js']) {
    assert.ok(files.includes(file), `${file} is in the tarball`);
  }
  const changelog = readFileSync(new URL('CHANGELOG.md', pkg), 'utf8');
  assert.match(changelog, new RegExp(`^## ${packed.version.replaceAll('.', '\\.')} — \\d{4}-\\d{2}-\\d{2}$`, 'm'), 'the changelog has this version');
});

test('the engine is in the tarball once per form (the client build for browsers and, brotli, for mini-programs; the server build for Node), and nothing of the build or the tests is', () => {
  assert.deepEqual(files.filter((f) => /\.wasm(\.br)?$/.test(f)).sort(), ['dist/aftersale_rules_bg.wasm', 'dist/server/aftersale_rules_bg.wasm', 'miniprogram/aftersale_rules_bg.wasm.br']);
  assert.deepEqual(files.filter((f) => /(^test\/|build|types\.mjs|NIGHTLY|miniprogram-globals)/.test(f)), []);
});

test('the tarball is within its budget', () => {
  assert.ok(packed.size <= budget.tarball_packed, `${packed.size} B packed, budget ${budget.tarball_packed}`);
  assert.ok(packed.unpackedSize <= budget.tarball_unpacked, `${packed.unpackedSize} B unpacked, budget ${budget.tarball_unpacked}`);
  console.log(`tarball: ${packed.size} B packed, ${packed.unpackedSize} B unpacked, ${files.length} files`);
});
