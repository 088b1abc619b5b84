// A worker of the engine pool: the package's Node entry, the server's policies compiled once
// per worker, and two tasks. Decisions run here, never on the server's event loop, so a heavy
// evaluation cannot stall other shoppers, and a task over its time budget is ended by
// terminating this worker (the pool starts a fresh one).
import { workerData } from 'node:worker_threads';
import { compilePolicy, applyEffectsJson, PolicyError } from '../../pkg/node.mjs';

const compiled = new Map((workerData.policies || []).map(({ key, doc }) => [key, compilePolicy(doc)]));

/**
 * `decide`: `{policy: key, input: text, order: text, ledger: text}` → `{answer, ledger}`: the
 * engine's answer and, when it is a decision with an eligible item, the ledger its effects
 * leave (the text `applyEffectsJson` answers).
 * `conformance`: `{policy: text, input: text, service}` → `{answer}` under any policy.
 */
export default function run(task) {
  if (task.kind === 'decide') {
    const policy = compiled.get(task.policy);
    if (!policy) return { answer: JSON.stringify({ type: 'errors', errors: [{ code: 'UNKNOWN_REFERENCE', path: 'policy', message: `no policy ${task.policy}` }] }) };
    const answer = policy.evaluateJson(task.input);
    if (!answer.startsWith('{"type":"decision"')) return { answer, ledger: null };
    const decision = JSON.parse(answer);
    if (!decision.items.some((i) => i.eligible)) return { answer, ledger: null };
    const effects = JSON.stringify(decision.effects);
    return { answer, ledger: applyEffectsJson(`{"order":${task.order},"ledger":${task.ledger},"effects":${effects}}`) };
  }
  let policy;
  try {
    policy = compilePolicy(task.policy);
  } catch (e) {
    if (e instanceof PolicyError) return { answer: e.answerJson };
    throw e;
  }
  try {
    return { answer: task.service ? policy.serviceOrderJson(task.input) : policy.evaluateJson(task.input) };
  } finally {
    policy.free();
  }
}
