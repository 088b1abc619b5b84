// Cold start, as a page or a fresh server process pays it: import the package (which reads
// and instantiates the .wasm), compile the policy, and decide the first request. Spawns
// fresh Node processes and prints the median of each phase in milliseconds as JSON, for each
// build: the server build (the Node entry) and the client build (the slim entry, given the
// client .wasm's bytes, as a host that embeds it does).
//
//   node bench/cold.mjs POLICY.json WORKLOAD.ndjson [RUNS]
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const [policyFile, workloadFile, runsText] = process.argv.slice(2);

if (process.env.AFTERSALE_COLD_CHILD) {
  const { performance } = await import('node:perf_hooks');
  const policyText = readFileSync(policyFile, 'utf8');
  const record = JSON.parse(readFileSync(workloadFile, 'utf8').split('\n')[0]);
  const input = JSON.stringify({ order: record.order, request: record.request, now: record.now });
  const t0 = performance.now();
  let compilePolicy;
  if (process.env.AFTERSALE_COLD_CHILD === 'client') {
    const slim = await import('../pkg/slim.js');
    await slim.init(readFileSync(new URL('../pkg/dist/aftersale_rules_bg.wasm', import.meta.url)));
    compilePolicy = slim.compilePolicy;
  } else {
    compilePolicy = (await import('../pkg/node.mjs')).compilePolicy;
  }
  const t1 = performance.now();
  const policy = compilePolicy(policyText);
  const t2 = performance.now();
  const answer = policy.evaluateJson(input);
  const t3 = performance.now();
  if (!answer.startsWith('{"type":"decision"')) throw new Error(answer.slice(0, 300));
  console.log(JSON.stringify({ import: t1 - t0, compile: t2 - t1, first: t3 - t2, total: t3 - t0 }));
} else {
  const runs = Number(runsText || 9);
  const out = {};
  for (const build of ['server', 'client']) {
    const samples = [];
    for (let i = 0; i < runs; i++) {
      const child = execFileSync(process.execPath, [fileURLToPath(import.meta.url), policyFile, workloadFile], {
        env: { ...process.env, AFTERSALE_COLD_CHILD: build },
      });
      samples.push(JSON.parse(child.toString()));
    }
    const median = (key) => samples.map((s) => s[key]).sort((a, b) => a - b)[samples.length >> 1];
    for (const phase of ['import', 'compile', 'first', 'total']) out[`cold_${build}_${phase}_ms`] = median(phase);
  }
  console.log(JSON.stringify(out));
}
