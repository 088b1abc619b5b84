// aftersale-rules: the package's API. The wire types (every input and answer) are generated
// from the engine's own types into wire.d.ts (pkg/types.mjs); only the API and the names of
// the wire's string unions are written here.
import type {
  Answer,
  Diagnostic,
  Effects,
  ErrorsAnswer,
  EvaluationInput,
  Ledger,
  Order,
  Policy,
  Request,
  ServiceAnswer,
  ServiceOrder,
  Step,
  Time,
} from './wire';

export * from './wire';

/** One input error: a stable code, the JSON path, a message, and help. */
export type InputError = Diagnostic;

export type DiscountKind = import('./wire').Discount['kind'];
export type Tender = import('./wire').Payment['tender'];
export type GroupBuy = NonNullable<Order['group_buy']>;
export type RequestKind = Request['kind'];
export type DeductionKind = import('./wire').Deduction['kind'];
export type Layer = import('./wire').Window['layer'];
export type Resolution = import('./wire').ItemDecision['resolutions'][number];
export type Tier = import('./wire').Requirements['approval'];
export type Party = import('./wire').PartyAmount['party'];
export type Payer = NonNullable<import('./wire').ReturnShipping['payer']>;
export type LifecycleEvent = Step['event'];
export type Actor = Step['actor'];
export type State = import('./wire').Transition['from'];
export type Level = import('./wire').Escalation['level'];

// ───────────────────────────── API ─────────────────────────────

export interface CompiledPolicy {
  readonly id: string;
  readonly version: string;
  /** SHA-256 of the canonical compiled policy: a server can tell a client decided under another. */
  readonly hash: string;
  /** `ledger`: what the order's ledger records of earlier accepted requests (none when absent). */
  evaluate(order: Order, request: Request, now: Time, ledger?: Ledger): Answer;
  /** `{"order","ledger","request","now"}` as JSON text in, canonical JSON text out (the fast path for servers). */
  evaluateJson(inputJson: string): string;
  evaluateBatch(inputs: EvaluationInput[]): Answer[];
  evaluateBatchJson(inputsJson: string): string;
  transition(serviceOrder: ServiceOrder, event: LifecycleEvent, actor: Actor, now: Time): ServiceAnswer;
  status(serviceOrder: ServiceOrder, now: Time): ServiceAnswer;
  serviceOrderJson(inputJson: string): string;
  /** Releases it now; otherwise it is released when garbage-collected. */
  free(): void;
}

export declare class PolicyError extends Error {
  readonly name: 'PolicyError';
  readonly errors: InputError[];
  readonly answerJson: string;
}

/**
 * Loads the engine. Browsers: the .wasm next to the package by default, or bytes, a Response,
 * a URL or a compiled module. Node: a no-op (ready on import). Mini-programs: the package path
 * of the .wasm or .wasm.br. Every other call before it resolves throws "not initialised".
 */
export declare function init(source?: BufferSource | Response | URL | string | WebAssembly.Module): Promise<void>;
/** Compiles a policy once, for many evaluations. Throws PolicyError. */
export declare function compilePolicy(policy: Policy | string): CompiledPolicy;
export declare function version(): string;
/**
 * Records an accepted decision's effects in the order's ledger: the ledger to store, or the
 * errors (STALE_LEDGER when the effects were decided on another ledger version).
 */
export declare function applyEffects(order: Order, ledger: Ledger | undefined, effects: Effects): Ledger | ErrorsAnswer;
/** `{"order","ledger","effects"}` as JSON text in, `{"type":"ledger","ledger":…}` or the errors out. */
export declare function applyEffectsJson(inputJson: string): string;
