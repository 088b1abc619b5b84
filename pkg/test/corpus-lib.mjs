// The golden corpus for JavaScript hosts: the same files and the same rules as src/corpus.rs
// (a preset id stands for a policy that only extends it; raw `policy_text`/`input_text`).
import { readFileSync, readdirSync } from 'node:fs';

const dir = new URL('../../tests/cases/', import.meta.url);

/** Every case file below tests/cases/ (`family/name.json`), sorted. */
export function caseFiles() {
  return readdirSync(dir, { recursive: true }).map((n) => n.split('\\').join('/')).filter((n) => n.endsWith('.json')).sort();
}

/** The case whose file is `name.json`, in whichever family folder. */
export function findCase(cases, name) {
  return cases.find((c) => c.name === name || c.name.endsWith('/' + name));
}

/**
 * Every case, sorted by file name: `{name, policy, input, service, raw, expect}` (`raw`:
 * hand-written input text). A sequence file (`steps`) gives one case per step, named
 * `file#k`, as src/corpus.rs does: each step's own `ledger` (the first step reads the file's).
 */
export function loadCases() {
  return caseFiles()
    .flatMap((name) => {
      const c = JSON.parse(readFileSync(new URL(name, dir), 'utf8'));
      if (!Array.isArray(c.steps)) return [toCase(name, c)];
      return c.steps.map((step, k) => {
        const { steps, ledger_after: _, ledger, ...rest } = c;
        return toCase(`${name}#${k + 1}`, { ...rest, ...(k === 0 && ledger ? { ledger } : {}), ...step });
      });
    });
}

/** Every sequence's ledger chain: `{name, order, links: [{before, effects, after}]}`, as src/corpus.rs `chain`. */
export function loadChains() {
  const out = [];
  for (const name of caseFiles()) {
    const c = JSON.parse(readFileSync(new URL(name, dir), 'utf8'));
    if (!Array.isArray(c.steps)) continue;
    const links = [];
    let before = c.ledger || {};
    c.steps.forEach((step, k) => {
      const after = k + 1 < c.steps.length ? c.steps[k + 1].ledger : c.ledger_after;
      if (step.expect && step.expect.effects) links.push({ before, effects: step.expect.effects, after });
      before = after;
    });
    out.push({ name, order: c.order, links });
  }
  return out;
}

function toCase(name, c) {
  const service = 'service_order' in c;
  let input = c.input_text;
  if (typeof input !== 'string') {
    const part = {};
    for (const key of service ? ['service_order', 'event', 'actor', 'now'] : ['order', 'ledger', 'request', 'now', 'view']) if (key in c) part[key] = c[key];
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
}

export { runCases } from './run-cases.mjs';
