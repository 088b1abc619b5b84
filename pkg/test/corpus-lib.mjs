// The golden corpus for JavaScript hosts: the same files and the same rules as src/corpus.rs
// (a preset id stands for a policy that only extends it; raw `policy_text`/`input_text`).
import { readFileSync, readdirSync } from 'node:fs';

const dir = new URL('../../tests/cases/', import.meta.url);

/** Every case, sorted by file name: `{name, policy, input, service, raw, expect}` (`raw`: hand-written input text). */
export function loadCases() {
  return readdirSync(dir)
    .filter((n) => n.endsWith('.json'))
    .sort()
    .map((name) => {
      const c = JSON.parse(readFileSync(new URL(name, dir), 'utf8'));
      const service = 'service_order' in c;
      let input = c.input_text;
      if (typeof input !== 'string') {
        const part = {};
        for (const key of service ? ['service_order', 'event', 'actor', 'now'] : ['order', 'request', 'now']) if (key in c) part[key] = c[key];
        input = JSON.stringify(part);
      }
      const policy = typeof c.policy === 'string'
        ? JSON.stringify({ id: c.policy, version: 'corpus', extends: c.policy })
        : c.policy ? JSON.stringify(c.policy) : c.policy_text;
      return { name, policy, input, service, raw: typeof c.input_text === 'string', expect: JSON.stringify(c.expect) };
    });
}

/**
 * Runs every case through an API (`compilePolicy`, `PolicyError`): returns the failures.
 * Kept free of Node APIs in its body so that it can also be shipped to a page as text.
 */
export function runCases(api, cases) {
  const failures = [];
  for (const c of cases) {
    let actual;
    let policy = null;
    try {
      policy = api.compilePolicy(c.policy);
      actual = c.service ? policy.serviceOrderJson(c.input) : policy.evaluateJson(c.input);
    } catch (e) {
      if (e && e.name === 'PolicyError') actual = e.answerJson;
      else actual = 'threw: ' + (e && e.stack ? e.stack : e);
    } finally {
      if (policy) policy.free();
    }
    if (actual !== c.expect) failures.push(c.name + '\n  expected: ' + c.expect + '\n  actual:   ' + actual);
  }
  return failures;
}
