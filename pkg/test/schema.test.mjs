// The shipped JSON Schemas against the engine, both ways, over the whole corpus: what the
// engine accepts the schema accepts, what the engine refuses for its shape (unknown or missing
// field, wrong type, money that is not integer fen, numbers beyond 2^53 - 1) the schema
// refuses too, and every answer the engine gives fits the answer schema.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { caseFiles } from './corpus-lib.mjs';

const require = createRequire(import.meta.url);
const Ajv2020 = require('../../.tools/node_modules/ajv/dist/2020.js').default;

const schemaDir = new URL('../schema/', import.meta.url);
const casesDir = new URL('../../tests/cases/', import.meta.url);
const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
const validate = Object.fromEntries(
  ['policy', 'order', 'ledger', 'request', 'input', 'answer', 'effects'].map((name) => [
    name,
    ajv.compile(JSON.parse(readFileSync(new URL(`${name}.schema.json`, schemaDir), 'utf8'))),
  ]),
);

/** Error codes that are about shape alone: the schema must refuse what draws them. */
const SHAPE = new Set(['UNKNOWN_FIELD', 'MISSING_FIELD', 'INVALID_TYPE', 'INVALID_MONEY', 'NUMBER_TOO_LARGE']);
/** Error codes about meaning (consistency, expressions, law): a schema cannot see them. (Not
 * UNKNOWN_REFERENCE: the schema does enumerate the preset and calendar ids.) */
const MEANING = new Set([
  'DUPLICATE_ID', 'INCONSISTENT', 'POLICY_CONFLICT', 'OVERFLOW',
  'EXPR_SYNTAX', 'EXPR_UNKNOWN_FIELD', 'EXPR_TYPE', 'EXPR_UNKNOWN_FUNCTION', 'EXPR_ARITY',
]);

/** A sequence file (`steps`) is one case per step, each with the ledger it reads. */
function expand(name, c) {
  if (!Array.isArray(c.steps)) return [{ name, ...c }];
  const { steps, ledger_after: _, ledger, ...rest } = c;
  return steps.map((step, k) => ({ name: `${name}#${k + 1}`, ...rest, ...(k === 0 && ledger ? { ledger } : {}), ...step }));
}

const files = caseFiles()
  .map((name) => [name, JSON.parse(readFileSync(new URL(name, casesDir), 'utf8'))]);
const cases = files
  .flatMap(([name, c]) => expand(name, c))
  .filter((c) => !('input_text' in c) && !('policy_text' in c) && !('service_order' in c));

const explain = (v) => ajv.errorsText(v.errors);

test('every answer in the corpus fits the answer schema', () => {
  let n = 0;
  // A view's answer is the full one with members left out (tests/views.rs holds it to that).
  for (const c of cases.filter((c) => c.view === undefined || c.view === 'full' || c.expect.type === 'errors')) {
    assert.ok(validate.answer(c.expect), `${c.name}: ${explain(validate.answer)}`);
    n += 1;
  }
  assert.ok(n > 180, `only ${n} cases`);
});

test('the schemas accept what the engine accepts and refuse what it refuses for shape', () => {
  let accepted = 0;
  let refused = 0;
  for (const c of cases) {
    const errors = c.expect.type === 'errors' ? c.expect.errors : [];
    const input = {};
    for (const key of ['order', 'ledger', 'request', 'now', 'view']) if (key in c) input[key] = c[key];
    const docs = [['input', input]];
    if (typeof c.policy === 'object') docs.push(['policy', c.policy]);
    for (const [kind, doc] of docs) {
      const mine = errors.filter((e) => (kind === 'policy') === e.path.startsWith('policy'));
      const ok = validate[kind](doc);
      // MISSING_FIELD also reports what is missing elsewhere (a message for a reason code).
      const shape = (e) => SHAPE.has(e.code) && (e.code !== 'MISSING_FIELD' || e.message.startsWith('missing required field'));
      if (mine.some(shape)) {
        assert.ok(!ok, `${c.name}: the ${kind} schema accepts what the engine refuses: ${JSON.stringify(mine)}`);
        refused += 1;
      } else if (mine.every((e) => MEANING.has(e.code))) {
        assert.ok(ok, `${c.name}: the ${kind} schema refuses what the engine accepts: ${explain(validate[kind])}`);
        accepted += 1;
      }
    }
  }
  assert.ok(accepted > 180 && refused >= 8, `accepted ${accepted}, refused ${refused}`);
});

test('the order, ledger and request schemas are the parts of the input schema', () => {
  for (const c of cases.filter((c) => c.expect.type === 'decision')) {
    assert.ok(validate.order(c.order), `${c.name}: ${explain(validate.order)}`);
    assert.ok(validate.request(c.request), `${c.name}: ${explain(validate.request)}`);
    if (c.ledger) assert.ok(validate.ledger(c.ledger), `${c.name}: ${explain(validate.ledger)}`);
  }
});

test('the effects of every decision fit the effects schema, and every ledger a sequence leaves fits the ledger schema', () => {
  let effects = 0;
  for (const c of cases.filter((c) => c.expect.type === 'decision')) {
    assert.ok(validate.effects(c.expect.effects), `${c.name}: ${explain(validate.effects)}`);
    effects += 1;
  }
  const after = files.filter(([, c]) => c.ledger_after).map(([name, c]) => [name, c.ledger_after]);
  for (const [name, ledger] of after) assert.ok(validate.ledger(ledger), `${name}: ${explain(validate.ledger)}`);
  assert.ok(effects > 150 && after.length >= 8, `${effects} effects, ${after.length} final ledgers`);
});

test('the presets validate against the policy schema, with a $schema reference', () => {
  const dir = new URL('../../src/policy/presets/', import.meta.url);
  const presets = readdirSync(dir).filter((n) => n.endsWith('.json'));
  assert.ok(presets.length >= 3);
  for (const name of presets) {
    const doc = JSON.parse(readFileSync(new URL(name, dir), 'utf8'));
    assert.ok(validate.policy(doc), `${name}: ${explain(validate.policy)}`);
    assert.ok(validate.policy({ $schema: './node_modules/aftersale-rules/schema/policy.schema.json', ...doc }));
  }
  assert.ok(!validate.policy({ id: 'p', version: '1', windows: [{ id: 'w', anchor: 'delivered', days: 7, resolutions: ['refund'], colour: 'red' }] }));
});

test('the engine accepts a $schema reference in a policy and leaves it out of the hash', async () => {
  const { compilePolicy } = await import('../node.mjs');
  const plain = { id: 'shop', version: '1', extends: 'platform-default' };
  const a = compilePolicy(JSON.stringify(plain));
  const b = compilePolicy(JSON.stringify({ $schema: './node_modules/aftersale-rules/schema/policy.schema.json', ...plain }));
  assert.match(a.hash, /^[0-9a-f]{64}$/);
  assert.equal(a.hash, b.hash);
});

test("the README's $schema example validates and compiles", async () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const block = readme.split('```json\n').map((b) => b.split('```')[0]).find((b) => b.includes('"$schema"'));
  const doc = JSON.parse(block);
  assert.ok(validate.policy(doc), explain(validate.policy));
  const { compilePolicy } = await import('../node.mjs');
  assert.equal(compilePolicy(block).id, 'my-shop');
});
