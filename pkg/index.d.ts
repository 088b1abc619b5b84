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
  PolicyInfo,
  Request,
  ServiceAnswer,
  ServiceOrder,
  Step,
  Time,
} from './wire.js';

export * from './wire.js';

/** One input error: a stable code, the JSON path, a message, and help. */
export type InputError = Diagnostic;

export type DiscountKind = import('./wire.js').Discount['kind'];
export type Tender = import('./wire.js').Payment['tender'];
export type GroupBuy = NonNullable<Order['group_buy']>;
export type RequestKind = Request['kind'];
export type DeductionKind = import('./wire.js').Deduction['kind'];
export type Layer = import('./wire.js').Window['layer'];
export type Resolution = import('./wire.js').ItemDecision['resolutions'][number];
export type Tier = import('./wire.js').Requirements['approval'];
export type Party = import('./wire.js').PartyAmount['party'];
export type Payer = NonNullable<import('./wire.js').ReturnShipping['payer']>;
export type LifecycleEvent = Step['event'];
export type Actor = Step['actor'];
export type State = import('./wire.js').Transition['from'];
export type Level = import('./wire.js').Escalation['level'];

// ───────────────────────────── API ─────────────────────────────

export interface CompiledPolicy {
  readonly id: string;
  readonly version: string;
  /** SHA-256 of the canonical compiled policy: a server can tell a client decided under another. */
  readonly hash: string;
  /**
   * `ledger`: what the order's ledger records of earlier accepted requests (none when absent).
   * `view`: what the answer carries (`"revalidate"` for a server re-validating a submission, or
   * the parts to keep); the full answer when absent.
   */
  evaluate(order: Order, request: Request, now: Time, ledger?: Ledger, view?: EvaluationInput['view']): Answer;
  /** `{"order","ledger","request","now"}` as JSON text in, canonical JSON text out (the fast path for servers). */
  evaluateJson(inputJson: string): string;
  evaluateBatch(inputs: EvaluationInput[]): Answer[];
  evaluateBatchJson(inputsJson: string): string;
  transition(serviceOrder: ServiceOrder, event: LifecycleEvent, actor: Actor, now: Time): ServiceAnswer;
  status(serviceOrder: ServiceOrder, now: Time): ServiceAnswer;
  serviceOrderJson(inputJson: string): string;
  /**
   * What a return form renders from, never from its own copies: the reasons a shopper may give
   * (titles, fault, the evidence each needs), the request kinds and resolutions the policy's
   * windows offer, its windows, the categories its conditions name, its currency and local time.
   */
  describe(): PolicyInfo;
  /** Releases it now; otherwise it is released when garbage-collected. */
  free(): void;
}

export declare class PolicyError extends Error {
  readonly name: 'PolicyError';
  readonly errors: InputError[];
  readonly answerJson: string;
}

/**
 * What `init` loads the engine from: bytes, a fetch `Response`, a `URL`, a path (mini-programs:
 * the package path of the `.wasm.br`) or a compiled `WebAssembly.Module`. Typed by shape, so
 * that projects without the DOM or WebAssembly libraries (Node) type-check it.
 */
export type EngineSource = ArrayBuffer | ArrayBufferView | string | { readonly href: string } | { arrayBuffer(): Promise<ArrayBuffer> } | CompiledModule;
/** A compiled `WebAssembly.Module`. */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface CompiledModule {}

/**
 * Loads the engine. Browsers: the .wasm next to the package by default, or an
 * {@link EngineSource}. Node: a no-op (ready on import). Mini-programs: the package path of
 * the .wasm.br. Every other call before it resolves throws "not initialised".
 */
export declare function init(source?: EngineSource): Promise<void>;
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

/** A label in both languages. */
export interface Label {
  'zh-CN': string;
  en: string;
}

/**
 * The engine's label catalogue: for every vocabulary an answer carries (`request_kind`,
 * `resolution`, `party`, `payer`, `tier`, `tender`, `state`, `event`, `evidence`, `code`,
 * `deadline`, `legal_ref`, `error`, …) the zh-CN and en label of each value. Forms render
 * from it (and from `policy.describe()`), never from their own copies.
 */
export declare const labels: Readonly<Record<string, Readonly<Record<string, Label>>>>;
