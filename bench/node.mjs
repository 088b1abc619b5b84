// The Node rows of the benchmark: both builds of the package — the server build its Node
// entries load (`evaluateJson` full and in the lean `revalidate` view, `evaluate`,
// `evaluateBatch`) and the client build browsers and mini-programs load (`evaluateJson` full and
// lean) — the hand-written JavaScript baseline on objects and string to string, and
// json-logic-js. Both baselines are first checked against the engine on every case. Single
// thread; each row is the median of several timed passes after a warm-up pass. Prints one JSON
// object; `--label L` suffixes every key (the slow-engine run).
//
//   node bench/node.mjs POLICY.json WORKLOAD.ndjson [--passes N] [--label L]
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import * as server from '../pkg/node.mjs';
import * as client from '../pkg/slim.js';
import * as baseline from './baseline.mjs';
import * as jsonlogic from './jsonlogic.mjs';

const [policyFile, workloadFile, ...flags] = process.argv.slice(2);
const option = (name, fallback) => (flags.includes(name) ? flags[flags.indexOf(name) + 1] : fallback);
const passes = Number(option('--passes', 7));
const label = option('--label', '');

const records = readFileSync(workloadFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
const strings = records.map((r) => JSON.stringify({ order: r.order, request: r.request, now: r.now }));
const lean = records.map((r) => JSON.stringify({ order: r.order, request: r.request, now: r.now, view: 'revalidate' }));
// Fresh objects for each pass would measure the copy; the deciders do not keep or change them.
const objects = records.map((r) => ({ order: r.order, request: r.request, now: r.now }));
const policyText = readFileSync(policyFile, 'utf8');
await client.init(readFileSync(new URL('../pkg/dist/aftersale_rules_bg.wasm', import.meta.url)));
const policy = server.compilePolicy(policyText);
const clientPolicy = client.compilePolicy(policyText);

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

// The baselines must give the engine's answer on every case before they are timed, and both
// builds the same bytes.
let checked = 0;
for (let i = 0; i < objects.length; i++) {
  const text = policy.evaluateJson(strings[i]);
  if (clientPolicy.evaluateJson(strings[i]) !== text || clientPolicy.evaluateJson(lean[i]) !== policy.evaluateJson(lean[i])) {
    throw new Error(`${records[i].id}: the client and server builds answer differently`);
  }
  const decision = JSON.parse(text);
  if (decision.type !== 'decision') throw new Error(`${records[i].id}: the engine answered ${text.slice(0, 300)}`);
  const want = JSON.stringify(baseline.subset(decision));
  for (const [name, impl] of [['hand-written JS', baseline], ['json-logic-js', jsonlogic]]) {
    const got = JSON.stringify(impl.decide(objects[i]));
    if (got !== want) throw new Error(`${name} differs from the engine on ${records[i].id}:\n engine ${want}\n ${name} ${got}`);
  }
  checked += 1;
}

let sink = 0;
const rows = { checked };
const key = (name) => (label ? `${name}_${label}` : name);
rows[key('js_objects')] = rate(objects.length, () => { for (const o of objects) sink += baseline.decide(o).refund; });
rows[key('js_strings')] = rate(strings.length, () => { for (const s of strings) sink += JSON.stringify(baseline.decide(JSON.parse(s))).length; });
rows[key('jsonlogic_objects')] = rate(objects.length, () => { for (const o of objects) sink += jsonlogic.decide(o).refund; });
rows[key('jsonlogic_strings')] = rate(strings.length, () => { for (const s of strings) sink += JSON.stringify(jsonlogic.decide(JSON.parse(s))).length; });
for (const [build, p] of [['server', policy], ['client', clientPolicy]]) {
  rows[key(`${build}_evaluate_json`)] = rate(strings.length, () => { for (const s of strings) sink += p.evaluateJson(s).length; });
  rows[key(`${build}_evaluate_json_lean`)] = rate(lean.length, () => { for (const s of lean) sink += p.evaluateJson(s).length; });
}
rows[key('server_evaluate')] = rate(objects.length, () => {
  for (const o of objects) sink += policy.evaluate(o.order, o.request, o.now).items.length;
});
const batch = 100;
rows[key('server_evaluate_batch')] = rate(objects.length, () => {
  for (let i = 0; i < objects.length; i += batch) sink += policy.evaluateBatch(objects.slice(i, i + batch)).length;
});
if (sink === 0) throw new Error('nothing was decided');
console.log(JSON.stringify(rows));
