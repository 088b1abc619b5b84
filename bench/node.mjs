// The Node rows of the benchmark: the package (`evaluateJson`, `evaluate`, `evaluateBatch`),
// the hand-written JavaScript baseline on objects and string to string, and json-logic-js.
// Both baselines are first checked to give the engine's answer on every case. Single thread;
// each row is the median of several timed passes after a warm-up pass. Prints one JSON object.
//
//   node bench/node.mjs POLICY.json WORKLOAD.ndjson [--passes N] [--engine-only] [--label L]
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { compilePolicy } from '../pkg/node.mjs';
import * as baseline from './baseline.mjs';
import * as jsonlogic from './jsonlogic.mjs';

const [policyFile, workloadFile, ...flags] = process.argv.slice(2);
const flag = (name) => flags.includes(name);
const option = (name, fallback) => (flags.includes(name) ? flags[flags.indexOf(name) + 1] : fallback);
const passes = Number(option('--passes', 7));
const label = option('--label', '');

const records = readFileSync(workloadFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
const strings = records.map((r) => JSON.stringify({ order: r.order, request: r.request, now: r.now }));
// Fresh objects for each pass would measure the copy; the deciders do not keep or change them.
const objects = records.map((r) => ({ order: r.order, request: r.request, now: r.now }));
const policy = compilePolicy(readFileSync(policyFile, 'utf8'));

/** Decisions per second: `per` operations a pass, the median of `passes` passes after one warm-up. */
function rate(per, pass) {
  pass();
  const times = [];
  for (let p = 0; p < passes; p++) {
    const t = performance.now();
    pass();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return (per * 1000) / times[times.length >> 1];
}

let sink = 0;
const rows = {};
if (!flag('--engine-only')) {
  // The baselines must give the engine's answer on every case before they are timed.
  let checked = 0;
  for (let i = 0; i < objects.length; i++) {
    const decision = JSON.parse(policy.evaluateJson(strings[i]));
    if (decision.type !== 'decision') throw new Error(`${records[i].id}: the engine answered ${JSON.stringify(decision).slice(0, 300)}`);
    const want = JSON.stringify(baseline.subset(decision));
    for (const [name, impl] of [['hand-written JS', baseline], ['json-logic-js', jsonlogic]]) {
      const got = JSON.stringify(impl.decide(objects[i]));
      if (got !== want) throw new Error(`${name} differs from the engine on ${records[i].id}:\n engine ${want}\n ${name} ${got}`);
    }
    checked += 1;
  }
  rows.checked = checked;
  rows.js_objects = rate(objects.length, () => { for (const o of objects) sink += baseline.decide(o).refund; });
  rows.js_strings = rate(strings.length, () => { for (const s of strings) sink += JSON.stringify(baseline.decide(JSON.parse(s))).length; });
  rows.jsonlogic_objects = rate(objects.length, () => { for (const o of objects) sink += jsonlogic.decide(o).refund; });
  rows.jsonlogic_strings = rate(strings.length, () => { for (const s of strings) sink += JSON.stringify(jsonlogic.decide(JSON.parse(s))).length; });
}
const key = (name) => (label ? `${name}_${label}` : name);
rows[key('wasm_evaluate_json')] = rate(strings.length, () => { for (const s of strings) sink += policy.evaluateJson(s).length; });
rows[key('wasm_evaluate')] = rate(objects.length, () => {
  for (const o of objects) sink += policy.evaluate(o.order, o.request, o.now).items.length;
});
const batch = 100;
rows[key('wasm_evaluate_batch')] = rate(objects.length, () => {
  for (let i = 0; i < objects.length; i += batch) sink += policy.evaluateBatch(objects.slice(i, i + batch)).length;
});
if (sink === 0) throw new Error('nothing was decided');
console.log(JSON.stringify(rows));
