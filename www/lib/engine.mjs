// The engine pool (piscina over node:worker_threads): every evaluation runs in a worker, with a
// bounded queue and a time budget per call, so that no request can hold the event loop. Shoppers'
// submissions and the conformance endpoint have pools of their own: heavy conformance inputs
// never queue ahead of a shopper.
import { Piscina } from 'piscina';
import { availableParallelism } from 'node:os';

const WORKER = new URL('./engine-worker.mjs', import.meta.url).href;

/** Thrown when the pool's queue is full or a call ran out of its time budget. */
export class EngineBusy extends Error {
  constructor(message, timeout) {
    super(message);
    this.name = 'EngineBusy';
    this.timeout = timeout;
  }
}

export function startEngine({
  policies, threads = Math.max(1, availableParallelism()), maxQueue = 256, budgetMs = 5000, conformanceBudgetMs = budgetMs, conformance = false,
}) {
  const pool = (n, data) => new Piscina({ filename: WORKER, minThreads: n, maxThreads: n, maxQueue, idleTimeout: 60_000, workerData: data });
  const shoppers = pool(threads, { policies });
  const checks = conformance ? pool(1, { policies: [] }) : null;

  async function run(p, task, budget = budgetMs) {
    try {
      return await p.run(task, { signal: AbortSignal.timeout(budget) });
    } catch (e) {
      if (e && (e.name === 'AbortError' || e.name === 'TimeoutError')) throw new EngineBusy(`the engine did not answer within ${budget} ms`, true);
      if (e && /queue is at limit/i.test(e.message)) throw new EngineBusy('the engine has too many requests waiting', false);
      throw e;
    }
  }

  return {
    /** The answer for `input` under the stored policy, and the ledger its effects leave. */
    decide: (policyKey, input, order, ledger) => run(shoppers, { kind: 'decide', policy: policyKey, input, order, ledger }),
    /** Any policy and input (the conformance endpoint). */
    conformance: (policy, input, service) => run(checks, { kind: 'conformance', policy, input, service }, conformanceBudgetMs),
    close: () => Promise.all([shoppers.destroy(), checks && checks.destroy()]),
  };
}
