// Mini-program JavaScript engines may reject syntax newer than ES2017 (optional chaining,
// `??`, optional catch binding): every file a mini-program or CommonJS host loads must parse
// as ES2017.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const acorn = createRequire(import.meta.url)('../../.tools/node_modules/acorn');
const files = ['miniprogram/index.js', 'miniprogram/glue.js', 'miniprogram/api.js', 'miniprogram/text-codec.js', 'dist/glue.cjs', 'dist/server/glue.cjs', 'dist/api.cjs', 'node.cjs'];

test('mini-program and CommonJS files are ES2017 scripts', () => {
  for (const file of files) {
    const text = readFileSync(new URL(`../${file}`, import.meta.url), 'utf8');
    assert.doesNotThrow(() => acorn.parse(text, { ecmaVersion: 2017, sourceType: 'script' }), file);
  }
});

test('the check itself rejects newer syntax', () => {
  assert.throws(() => acorn.parse('a?.b', { ecmaVersion: 2017 }));
  assert.throws(() => acorn.parse('a ?? b', { ecmaVersion: 2017 }));
  assert.throws(() => acorn.parse('try {} catch {}', { ecmaVersion: 2017 }));
});
