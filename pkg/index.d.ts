// aftersale-rules: hand-owned types for every input and output (SPEC §2–3).
// Money is always an integer count of the currency's minor unit (fen for CNY): never a
// float, never a BigInt. Times are RFC 3339 strings with an explicit offset.

/** Integer minor units: ¥99.90 is 9990. */
export type Money = number;
/** RFC 3339 with an offset: `2026-11-20T21:05:00+08:00`. */
export type Time = string;

// ───────────────────────────── inputs ─────────────────────────────

export type DiscountKind = 'threshold' | 'platform_coupon' | 'merchant_coupon';
export type Tender = 'original_payment' | 'points' | 'gift_card' | 'balance';
export type GroupBuy = 'pending' | 'succeeded' | 'failed';
export type RequestKind = 'refund_with_return' | 'refund_without_return' | 'exchange' | 'repair' | 'price_difference' | 'goodwill';
export type DeductionKind = 'gift_not_returned' | 'fee' | 'diminished_value' | 'promotion_lost' | 'free_shipping_lost';

export interface LineFacts {
  custom_made?: boolean;
  perishable?: boolean;
  digital_opened?: boolean;
  newspaper_or_periodical?: boolean;
  activated?: boolean;
  hygiene_seal_opened?: boolean;
  near_expiry_or_flawed?: boolean;
  final_sale?: boolean;
  /** The shopper confirmed at purchase that the goods are not returnable by nature. */
  nature_confirmed?: boolean;
  warranty_months?: number;
  /** Repairs under warranty that did not fix the fault (after two: exchange or return). */
  failed_repairs?: number;
  /** Days spent in repair, which do not count towards the warranty. */
  repair_days?: number;
}

export interface Line {
  id: string;
  sku?: string;
  title?: string;
  category: string;
  tags?: string[];
  unit_price: Money;
  quantity: number;
  line_discount?: Money;
  gift?: boolean;
  /** For a gift: the goods line it was given with. */
  gift_for?: string;
  /** For a gift: its declared value, deducted if it is kept while its goods come back. */
  gift_value?: Money;
  facts?: LineFacts;
}

export interface Order {
  id: string;
  currency: string;
  placed_at: Time;
  paid_at?: Time;
  promised_ship_by?: Time;
  shipped_at?: Time;
  delivered_at?: Time;
  last_parcel_delivered_at?: Time;
  shipping_fee?: Money;
  /** The least expensive standard delivery offered (EU: the most refunded). */
  standard_shipping_fee?: Money;
  free_shipping_threshold?: Money;
  shipping_waived?: Money;
  /** `threshold`: the goods total a 满减 needs. */
  discounts?: { id?: string; kind: DiscountKind; amount: Money; threshold?: Money }[];
  /** `points`: for a points payment, how many points paid `amount`. */
  payments?: { tender: Tender; amount: Money; points?: number }[];
  freight_insurance?: boolean;
  /** What the freight insurance pays towards return postage. */
  freight_insurance_payout?: Money;
  group_buy?: GroupBuy;
  cross_border?: boolean;
  customer?: { integrity_score?: number; member_free_returns?: boolean; returns_90d?: number };
  merchant?: { credit_level?: string; complaint_rate_high?: boolean };
  /** The policy version in force when the order was placed. */
  policy_version?: string;
  lines: Line[];
}

export interface RequestItem {
  line_id: string;
  qty: number;
  reason: string;
  condition?: { tags_attached?: boolean; packaging_intact?: boolean; used_beyond_inspection?: boolean };
  /** Diminished value the seller assessed (deducted where the policy allows, e.g. EU CRD). */
  diminished_value?: Money;
  /** An amount asked for instead of the computed one (required on goodwill without a request amount). */
  amount?: Money;
}

export interface Request {
  requested_at?: Time;
  kind: RequestKind;
  items: RequestItem[];
  evidence?: { photos?: number; package_photos?: number; videos?: number; description_chars?: number };
  gifts_returned?: boolean;
  /** Goodwill only: one amount for all the items, shared by what is left of each line. */
  amount?: Money;
}

/** What the ledger records for one order line (in effects: what a decision adds). */
export interface LedgerLine {
  line_id: string;
  /** Units refunded, with or without their return. */
  returned_qty?: number;
  /** Of those, units returned for a reason that is the buyer's fault. */
  buyer_fault_qty?: number;
  /** What those units were refunded, before deductions. */
  refunded?: Money;
  price_difference?: Money;
  goodwill?: Money;
}

export interface LedgerTender {
  tender: Tender;
  amount: Money;
  points?: number;
}

export interface LedgerDeduction {
  kind: DeductionKind;
  line_id?: string;
  /** The fee's rule, or the threshold discount's id. */
  rule?: string;
  taken?: Money;
  given_back?: Money;
}

export interface LedgerCompensation {
  rule: string;
  kind?: 'coupon' | 'cash';
  amount: Money;
}

/** An order's record of accepted after-sales effects (docs/money.md); every field defaults to nothing. */
export interface Ledger {
  /** How many decisions' effects were applied. */
  version?: number;
  lines?: LedgerLine[];
  /** Absent: the engine's split of everything paid back so far. */
  tenders?: LedgerTender[];
  shipping_refunded?: Money;
  deductions?: LedgerDeduction[];
  compensation?: LedgerCompensation[];
  coupons_restored?: string[];
}

/** What a decision adds to the ledger if the platform accepts it; `applyEffects` records it. */
export interface Effects {
  order_id: string;
  /** The ledger version the decision read: the effects apply to that version only. */
  ledger_version: number;
  lines: Required<LedgerLine>[];
  tenders: LedgerTender[];
  shipping_refunded: Money;
  deductions: LedgerDeduction[];
  compensation: Required<LedgerCompensation>[];
  coupons_restored: string[];
}

export interface EvaluationInput {
  order: Order;
  ledger?: Ledger;
  request: Request;
  now: Time;
}

export type Layer = 'statutory' | 'platform' | 'merchant';
export type Resolution = 'refund' | 'exchange' | 'repair' | 'price_adjustment';
export type Tier = 'auto' | 'agent' | 'supervisor' | 'operations_manager';
export type Party = 'merchant' | 'carrier' | 'insurer' | 'platform' | 'shopper';
export type Payer = 'buyer' | 'seller' | 'insurer' | 'platform';
export type LifecycleEvent =
  | 'submit' | 'request_info' | 'provide_info' | 'start_review' | 'approve' | 'reject' | 'await_return' | 'ship_return'
  | 'receive_return' | 'start_inspection' | 'pass_inspection' | 'fail_inspection' | 'refund' | 'ship_exchange'
  | 'complete_repair' | 'pay_compensation' | 'complete' | 'archive';
export type Actor = 'shopper' | 'merchant' | 'agent' | 'supervisor' | 'operations_manager' | 'system';
export type State =
  | 'submitted' | 'needs_info' | 'under_review' | 'approved' | 'rejected' | 'awaiting_return_shipment' | 'in_transit'
  | 'received' | 'inspecting' | 'refunded' | 'exchanged' | 'repaired' | 'compensated' | 'completed' | 'archived';

export interface Texts {
  'zh-CN': string;
  en: string;
}

/** A policy document (docs/expressions.md, docs/time.md). */
export interface Policy {
  $schema?: string;
  id: string;
  version: string;
  extends?: 'cn-statutory' | 'platform-default' | (string & {});
  currency?: string;
  utc_offset?: string;
  calendar?: string | CalendarDoc;
  rounding?: 'half_up' | 'half_even' | 'floor';
  shipping_refund?: 'never' | 'seller_fault_full_return' | 'full_return';
  approval?: { auto_up_to: Money; agent_up_to: Money };
  price_difference?: { rate_bp: number; rounding?: 'half_up' | 'half_even' | 'floor' };
  promotion_settlement?: 'keep_allocation' | 'reprice';
  restore_coupons?: 'never' | 'on_full_return';
  free_shipping_clawback?: boolean;
  diminished_value?: boolean;
  previous_versions?: Policy[];
  reasons?: {
    code: string;
    fault: 'buyer' | 'seller' | 'carrier' | 'platform';
    no_reason?: boolean;
    evidence?: { photos?: number; package_photos?: number; videos?: number; description_chars?: number };
    liability?: Party;
    title?: Texts;
  }[];
  windows?: {
    id: string;
    when?: string;
    anchor: 'placed' | 'paid' | 'shipped' | 'delivered' | 'last_parcel_delivered';
    days?: number;
    hours?: number;
    months?: number;
    /** As long as the line's own warranty. */
    warranty?: boolean;
    exclude_repair_days?: boolean;
    counting?: 'next_local_day' | 'exact' | 'working_days';
    roll_forward?: boolean;
    resolutions: Resolution[];
    layer?: Layer;
    legal_ref?: string;
    title?: Texts;
  }[];
  rules?: { id: string; when: string; deny?: string; require_review?: Tier; fee_bp?: number; layer?: Layer; legal_ref?: string }[];
  /** Gates for refund without return (仅退款). */
  no_return?: { id: string; when: string; destroy_on_site?: boolean }[];
  return_postage?: { id: string; when: string; payer: Payer; legal_ref?: string }[];
  compensation?: {
    id: string;
    when: string;
    coupon: { amount?: Money; rate_bp?: number; of?: 'order_paid'; min?: Money; max?: Money; min_spend?: Money; rounding?: 'half_up' | 'half_even' | 'floor'; valid_days: number };
    borne_by?: Party;
  }[];
  service_levels?: {
    what: string;
    within: string;
    after?: LifecycleEvent;
    counting?: 'from_event' | 'next_day';
    applies?: 'always' | 'refund' | 'return_required' | 'seller_fault' | 'carrier_fault' | 'compensation_owed' | 'exchange' | 'repair';
    met_by: LifecycleEvent[];
    escalates?: boolean;
    legal_ref?: string;
  }[];
  messages?: Record<string, Texts>;
}

export interface CalendarDoc {
  id: string;
  extends?: string;
  weekend?: ('mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun')[];
  business_hours?: { open: string; close: string };
  years?: { year: number; holidays?: string[]; workdays?: string[] }[];
}

export interface ServiceOrder {
  id: string;
  kind: RequestKind;
  return_required: boolean;
  approval?: Tier;
  /** The service levels that apply (a decision's `deadlines[].what`). */
  deadlines?: string[];
  history: { event: LifecycleEvent; actor: Actor; at: Time }[];
}

// ───────────────────────────── answers ─────────────────────────────

/** One input error: a stable code, the JSON path, a message, and help. */
export interface InputError {
  code: string;
  path: string;
  message: string;
  help?: string;
  /** For errors inside a rule expression. */
  rule?: string;
  column?: number;
}

export interface ErrorsAnswer {
  type: 'errors';
  errors: InputError[];
}

export interface ItemDecision {
  line_id: string;
  qty: number;
  reason: string;
  eligible: boolean;
  denial?: { code: string; rule: string; layer?: Layer; legal_ref?: string; values: Record<string, string | number> };
  resolutions: Resolution[];
  /** Every kind of request, and whether this item could take it now (else the reason code). */
  options: { kind: RequestKind; available: boolean; code?: string }[];
  window?: { rule: string; layer: Layer; closes_at: Time; legal_ref?: string };
  refund: {
    amount: Money;
    allocated_discount: Money;
    /** Set when an amount was asked for beyond what the item may get. */
    capped?: { code: 'AMOUNT_CAPPED'; asked: Money; cap: Money; basis: 'units_share' | 'line_remaining' };
  };
}

export interface Deadline {
  what: string;
  after: LifecycleEvent;
  within: string;
  /** The last moment on time, for timers that start at submission. */
  by?: Time;
  basis: string;
  legal_ref?: string;
}

export interface Message {
  code: string;
  line_id?: string;
  'zh-CN': string;
  en: string;
}

export interface Decision {
  type: 'decision';
  engine_version: string;
  policy_id: string;
  policy_version: string;
  policy_version_basis: 'current' | 'order';
  policy_hash: string;
  currency: string;
  rounding: 'half_up' | 'half_even' | 'floor';
  evaluated_at: Time;
  kind: RequestKind;
  items: ItemDecision[];
  refund: {
    items: Money;
    shipping: Money;
    deductions: Deduction[];
    /** Deductions of earlier refunds that no longer apply, paid with this refund. */
    given_back: Deduction[];
    total: Money;
    /** `points`: for points, the points that come back. */
    by_tender: { tender: Tender; amount: Money; points?: number }[];
    /** Coupon discount ids given back when the whole order comes back. */
    coupons_restored: string[];
  };
  return_shipping: { return_required: boolean; destroy_on_site?: true; payer?: Payer; rule?: string; legal_ref?: string; insured_amount?: Money };
  liability: { party: Party; amount: Money }[];
  compensation: { rule: string; kind: 'coupon' | 'cash'; amount: Money; min_spend: Money; valid_until: Time; borne_by: Party }[];
  requirements: {
    missing_evidence: { what: 'photos' | 'package_photos' | 'videos' | 'description_chars'; required: number; attached: number }[];
    approval: Tier;
    review_reasons: { rule: string; tier: Tier }[];
  };
  deadlines: Deadline[];
  trace: { rule: string; line_id?: string; effect: string }[];
  messages: Message[];
  /** What to record in the order's ledger if the platform accepts this decision. */
  effects: Effects;
}

export interface Deduction {
  kind: DeductionKind;
  line_id?: string;
  rule?: string;
  amount: Money;
  legal_ref?: string;
  /** What this refund could not cover of a deduction due; a later refund takes it. */
  uncollected?: Money;
}

export type Answer = Decision | ErrorsAnswer;

export type Level = 'none' | 'agent' | 'supervisor' | 'operations_manager';

export interface Escalation {
  level: Level;
  next_change_at?: Time;
  deadlines: { what: string; after: LifecycleEvent; status: 'pending' | 'open' | 'met' | 'overdue' | 'closed'; by?: Time; level?: Level; legal_ref?: string }[];
}

export interface Transition {
  type: 'transition';
  service_order_id: string;
  from: State;
  event: LifecycleEvent;
  actor: Actor;
  to: State;
  at: Time;
  /** The service order with the step appended: store this. */
  service_order: ServiceOrder;
  escalation: Escalation;
}

export interface Refusal {
  type: 'refusal';
  service_order_id: string;
  state: State;
  event: LifecycleEvent;
  actor: Actor;
  code: 'EVENT_NOT_ALLOWED' | 'ACTOR_NOT_ALLOWED' | 'GUARD_FAILED';
  message: string;
  help: string;
  possible_events: LifecycleEvent[];
}

export interface Status {
  type: 'status';
  service_order_id: string;
  state: State;
  evaluated_at: Time;
  escalation: Escalation;
}

export type ServiceAnswer = Transition | Refusal | Status | ErrorsAnswer;

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
