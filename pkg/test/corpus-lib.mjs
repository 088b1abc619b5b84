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
      // `expand`: the marker in a raw text stands for `unit` repeated `times` times (src/corpus.rs).
      let [policyText, inputText] = [policy, input];
      if (c.expand) {
        const filled = c.expand.unit.repeat(c.expand.times);
        [policyText, inputText] = [policy, input].map((t) => (typeof t === 'string' ? t.split('<<EXPAND>>').join(filled) : t));
      }
      return { name, policy: policyText, input: inputText, service, raw: typeof c.input_text === 'string', expect: JSON.stringify(c.expect) };
    });
}

export { runCases } from './run-cases.mjs';
