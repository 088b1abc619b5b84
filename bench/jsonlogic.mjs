// The json-logic-js baseline: the same subset as `baseline.mjs`, with every condition the
// policy states as data (windows, exclusions, the platform rule, the no-return gate, postage,
// the late-shipment coupon) written as JsonLogic and run by json-logic-js; host code does what
// JsonLogic cannot express (times, allocation, money, choosing among windows).
import { createRequire } from 'node:module';
import { FAULT, NEEDED, DEFAULT_WARRANTY, allocate, share, bpHalfUp, endOfLocalDay, endAfterMonths, itemRefund, claimLate } from './baseline.mjs';

const jsonLogic = createRequire(import.meta.url)('../.tools/node_modules/json-logic-js');
const DAY = 86400000;

const v = (name) => ({ var: name });
const isReason = (code) => ({ '==': [v('reason.code'), code] });
const faultIn = (...faults) => ({ in: [v('reason.fault'), faults] });
const noReason = v('reason.no_reason');

const WINDOWS = [
  { when: noReason, layer: 'statutory', grants: ['refund'], days: 7 },
  { when: faultIn('seller', 'carrier'), layer: 'statutory', grants: ['refund', 'exchange', 'repair'], days: 7 },
  { when: faultIn('seller', 'carrier'), layer: 'statutory', grants: ['exchange', 'repair'], days: 15 },
  { when: { and: [faultIn('seller'), { '>': [v('line.facts.warranty_months'), 0] }] }, layer: 'statutory', grants: ['repair'], warranty: true },
  {
    when: { and: [faultIn('seller'), { '>': [v('line.facts.warranty_months'), 0] }, { '>=': [v('line.facts.failed_repairs'), 2] }] },
    layer: 'statutory', grants: ['refund', 'exchange'], warranty: true,
  },
  { when: { and: [noReason, { '==': [v('line.category'), 'apparel'] }] }, layer: 'platform', grants: ['refund', 'exchange'], days: 30 },
  { when: isReason('not_as_described'), layer: 'platform', grants: ['price_adjustment'], days: 15 },
  // platform-default's default warranties (the line's own when it labels one).
  ...Object.entries(DEFAULT_WARRANTY).map(([category, length]) => ({
    when: { and: [faultIn('seller'), { '==': [v('line.category'), category] }] }, layer: 'platform', grants: ['repair'], warranty: true, default: length,
  })),
];
const fact = (name) => v(`line.facts.${name}`);
const STATUTORY_DENIALS = [
  { when: { and: [noReason, fact('custom_made')] }, code: 'EXCLUDED_CUSTOM_MADE' },
  { when: { and: [noReason, fact('perishable')] }, code: 'EXCLUDED_PERISHABLE' },
  { when: { and: [noReason, fact('digital_opened')] }, code: 'EXCLUDED_DIGITAL_OPENED' },
  { when: { and: [noReason, fact('newspaper_or_periodical')] }, code: 'EXCLUDED_NEWSPAPER' },
  { when: { and: [noReason, fact('hygiene_seal_opened'), fact('nature_confirmed')] }, code: 'EXCLUDED_HYGIENE_OPENED' },
  { when: { and: [noReason, fact('activated'), fact('nature_confirmed')] }, code: 'EXCLUDED_ACTIVATED' },
  { when: { and: [noReason, fact('near_expiry_or_flawed'), fact('nature_confirmed')] }, code: 'EXCLUDED_NEAR_EXPIRY_OR_FLAWED' },
  { when: { and: [noReason, { '===': [v('item.condition.used_beyond_inspection'), true] }] }, code: 'NOT_INTACT' },
  { when: { and: [noReason, { '===': [v('item.condition.tags_attached'), false] }] }, code: 'NOT_INTACT' },
];
const PLATFORM_DENIALS = [
  { when: { and: [noReason, { '==': [v('line.category'), 'electronics'] }, fact('activated')] }, code: 'EXCLUDED_ACTIVATED' },
];
// platform-default's gates for refund without return since the 2025 rules: the merchant's
// consent, or a platform ruling on goods unfit to return (the workload has no cross-border
// or group-buy order, so their gates are left out).
const UNFIT = { or: [v('item.unsuitable_to_return'), v('line.facts.virtual')] };
const NO_RETURN = {
  or: [
    { '==': [v('request.initiated_by'), 'merchant'] },
    v('request.merchant_consent'),
    { and: [{ or: [v('request.merchant_response_overdue'), { '==': [v('request.fault_ruling'), 'seller'] }] }, UNFIT] },
  ],
};
const POSTAGE = [
  { when: { '!=': [v('reason.fault'), 'buyer'] }, payer: 'seller' },
  { when: v('order.freight_insurance'), payer: 'insurer' },
  { when: v('order.customer.member_free_returns'), payer: 'platform' },
];
const LATE = { '>': [v('shipped_ms'), v('promised_ms')] };

const truthy = (rule, data) => jsonLogic.truthy(jsonLogic.apply(rule, data));

const at = (time, now) => time !== undefined && Date.parse(time) <= now;

/** Decides the subset for one parsed input `{order, request, now}`. */
/** What the order's ledger records for a line: units back, and everything paid back against it. */
function record(input, line) {
  const found = ((input.ledger && input.ledger.lines) || []).find((r) => r.line_id === line.id) || {};
  return { returned: found.returned_qty || 0, back: (found.refunded || 0) + (found.price_difference || 0) + (found.goodwill || 0) };
}

export function decide(input) {
  const { order, request } = input;
  const now = Date.parse(input.now);
  const delivered = order.delivered_at === undefined ? undefined : Date.parse(order.delivered_at);
  const lines = order.lines;
  const nets = lines.map((l) => l.unit_price * l.quantity - (l.line_discount || 0));
  const allocated = nets.map(() => 0);
  for (const d of order.discounts || []) allocate(d.amount, nets).forEach((s, i) => (allocated[i] += s));
  const score = order.customer && order.customer.integrity_score !== undefined ? order.customer.integrity_score : 100;
  const kind = request.kind;
  const needed = NEEDED[kind];
  const items = [];
  let total = 0;
  let payerRank = POSTAGE.length;
  for (const item of request.items) {
    const index = lines.findIndex((l) => l.id === item.line_id);
    const line = lines[index];
    const paid = nets[index] - allocated[index];
    const rec = record(input, line);
    const full = Math.min(share(paid, line.quantity, rec.returned, item.qty), paid - rec.back);
    const data = {
      reason: { code: item.reason, fault: FAULT[item.reason], no_reason: item.reason === 'no_reason' },
      line: { category: line.category, facts: line.facts || {} },
      item: { condition: item.condition || {}, refund: full, unsuitable_to_return: item.unsuitable_to_return || false },
      order: order,
      request: request,
      score: score,
    };
    let code = null;
    if (item.qty > line.quantity - rec.returned) code = 'QTY_EXCEEDS_REMAINING';
    let extension = null;
    for (const r of PLATFORM_DENIALS) if (truthy(r.when, data)) { extension = r.code; break; }
    // The category standard's claim deadlines (times: host code).
    if (extension === null) extension = claimLate(kind, data.reason.fault, line, delivered, now);
    // Before delivery the windows do not apply (as the hand-written baseline).
    const phase = code !== null || at(order.delivered_at, now) ? null
      : !at(order.paid_at, now) ? 'NOT_PAID'
        : kind === 'refund_without_return' ? extension || 'granted'
          : !at(order.shipped_at, now) ? 'NOT_SHIPPED' : null;
    if (phase !== null) code = phase === 'granted' ? null : phase;
    if (code === null && phase === null) for (const r of STATUTORY_DENIALS) if (truthy(r.when, data)) { code = r.code; break; }
    let anyOpen = false, open = false, closed = false, notStarted = false, statutoryRight = false;
    for (const w of WINDOWS) {
      if (!truthy(w.when, data)) continue;
      const started = delivered !== undefined && delivered <= now;
      const labelled = data.line.facts.warranty_months || 0;
      const length = w.warranty ? (labelled > 0 || w.default === undefined ? -labelled : w.default) : w.days;
      const repair = w.warranty ? (data.line.facts.repair_days || 0) * DAY : 0;
      const last = !started ? 0 : (length > 0 ? endOfLocalDay(delivered, length) : endAfterMonths(delivered, -length)) + repair;
      if (started && now <= last) anyOpen = true;
      if (!w.grants.includes(needed)) continue;
      if (!started) notStarted = true;
      else if (now <= last) { open = true; if (w.layer === 'statutory') statutoryRight = true; } else closed = true;
    }
    if (phase !== null) extension = null;
    if (code === null && phase === null && !open) code = anyOpen ? 'RESOLUTION_NOT_AVAILABLE' : closed ? 'WINDOW_CLOSED' : notStarted ? 'NOT_DELIVERED' : 'NO_WINDOW';
    if (code === null && phase === null && kind === 'refund_without_return' && !truthy(NO_RETURN, data)) code = 'NO_RETURN_NOT_ALLOWED';
    if (code === null && extension !== null && !statutoryRight) code = extension;
    const refund = itemRefund(kind, code, full);
    items.push({ line_id: item.line_id, eligible: code === null, code: code, refund: refund });
    total += refund;
    if (code === null) {
      for (let k = 0; k < payerRank; k++) if (truthy(POSTAGE[k].when, data)) { payerRank = k; break; }
    }
  }
  const returnRequired = kind !== 'refund_without_return' && kind !== 'price_difference' && items.some((i) => i.eligible);
  const payer = returnRequired ? (POSTAGE[payerRank] ? POSTAGE[payerRank].payer : 'buyer') : null;
  const coupons = [];
  const times = { shipped_ms: order.shipped_at && Date.parse(order.shipped_at), promised_ms: order.promised_ship_by && Date.parse(order.promised_ship_by) };
  // Compensation comes with an outcome: none when every item is refused.
  if (items.some((i) => i.eligible) && times.shipped_ms !== undefined && times.promised_ms !== undefined && truthy(LATE, times)) {
    let paidTotal = order.shipping_fee || 0;
    for (let i = 0; i < nets.length; i++) paidTotal += nets[i] - allocated[i];
    coupons.push(Math.min(Math.max(bpHalfUp(paidTotal, 500), 300), 2000));
  }
  return { items: items, refund: total, payer: payer, coupons: coupons };
}
