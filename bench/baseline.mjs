// The hand-written JavaScript baseline: the subset of `platform-default` (over `cn-statutory`)
// that a team would write by hand for this workload — windows, statutory and platform
// exclusions, quantities, discount allocation, refunds, return postage and the late-shipment
// coupon — as plain, reasonably tight JavaScript on parsed objects. `bench/node.mjs` checks it
// gives the engine's answer on every generated case before timing it.
//
// `subset(decision)` reads the same fields out of an engine decision, for that check.

const DAY = 86400000;
const OFFSET = 8 * 3600000; // the policy's +08:00
export const FAULT = { no_reason: 'buyer', quality: 'seller', not_as_described: 'seller', wrong_item: 'seller', damaged_in_transit: 'carrier' };
export const NEEDED = {
  refund_with_return: 'refund',
  refund_without_return: 'refund',
  exchange: 'exchange',
  repair: 'repair',
  price_difference: 'price_adjustment',
};
// The statutory exclusions, in policy order: [fact, needs nature_confirmed, code].
const EXCLUSIONS = [
  ['custom_made', false, 'EXCLUDED_CUSTOM_MADE'],
  ['perishable', false, 'EXCLUDED_PERISHABLE'],
  ['digital_opened', false, 'EXCLUDED_DIGITAL_OPENED'],
  ['newspaper_or_periodical', false, 'EXCLUDED_NEWSPAPER'],
  ['hygiene_seal_opened', true, 'EXCLUDED_HYGIENE_OPENED'],
  ['activated', true, 'EXCLUDED_ACTIVATED'],
  ['near_expiry_or_flawed', true, 'EXCLUDED_NEAR_EXPIRY_OR_FLAWED'],
];

/** `floor(a / b)` for non-negative integers, exactly. */
export function idiv(a, b) {
  return (a - (a % b)) / b;
}

/** The last millisecond of the local day `days` after the local day of `ms`. */
export function endOfLocalDay(ms, days) {
  return (Math.floor((ms + OFFSET) / DAY) + days + 1) * DAY - OFFSET - 1;
}

/** The last millisecond of the same local day `months` months on (clamped to the month's end). */
export function endAfterMonths(ms, months) {
  const d = new Date(ms + OFFSET);
  const total = d.getUTCMonth() + months;
  const year = d.getUTCFullYear() + Math.floor(total / 12);
  const month = total % 12;
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const day = Math.min(d.getUTCDate(), last);
  return Date.UTC(year, month, day + 1) - OFFSET - 1;
}

/** Largest-remainder allocation of `total` over `weights`; ties to the earlier weight. */
export function allocate(total, weights) {
  let sum = 0;
  for (const w of weights) sum += w;
  if (sum === 0) return weights.map(() => 0);
  const shares = [];
  const rem = [];
  let given = 0;
  for (let i = 0; i < weights.length; i++) {
    const product = total * weights[i];
    const share = idiv(product, sum);
    shares.push(share);
    rem.push([product % sum, i]);
    given += share;
  }
  rem.sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; k < total - given; k++) shares[rem[k][1]] += 1;
  return shares;
}

/** `floor(P(b+k)/n) − floor(Pb/n)`: the cumulative share of `k` more units. */
export function share(paid, n, b, k) {
  return idiv(paid * (b + k), n) - idiv(paid * b, n);
}

/** `amount × bp / 10000`, halves up. */
export function bpHalfUp(amount, bp) {
  return idiv(amount * bp * 2 + 10000, 20000);
}

/** platform-default's warranties for goods whose merchant labelled none: days, or -months. */
export const DEFAULT_WARRANTY = { shoes: 120, bags: 90, precious_metal: 15, jewellery: 30, watches: -12 };
/** platform-default's claim deadlines by category: [report within hours, file within days]. */
export function claimDeadlines(fault, line) {
  const apparel = ['apparel', 'shoes', 'bags', 'watches', 'jewellery', 'precious_metal'];
  if (fault === 'seller' && apparel.includes(line.category)) return [48, 15];
  if (fault !== 'buyer' && line.category === 'fresh') return [(line.tags || []).includes('live') ? 12 : 48, 0];
  return null;
}

/** The code a claim reported (now) or filed (now) after its deadline is refused with, or null
 * (a repair under warranty is not a claim). */
export function claimLate(kind, fault, line, delivered, now) {
  const claim = kind === 'repair' ? null : claimDeadlines(fault, line);
  if (claim === null || delivered === undefined || delivered > now) return null;
  if (now > delivered + claim[0] * 3600000) return 'REPORTED_LATE';
  return claim[1] > 0 && now > endOfLocalDay(delivered, claim[1]) ? 'FILED_LATE' : null;
}

/** The windows that apply to an item: [id, layer, grants, last moment]. */
function windows(reason, line, delivered) {
  const out = [];
  const fault = FAULT[reason];
  const facts = line.facts || {};
  if (reason === 'no_reason') out.push(['statutory', ['refund'], 7]);
  if (fault === 'seller' || fault === 'carrier') {
    out.push(['statutory', ['refund', 'exchange', 'repair'], 7]);
    out.push(['statutory', ['exchange', 'repair'], 15]);
  }
  const warranty = facts.warranty_months || 0;
  if (fault === 'seller' && warranty > 0) {
    out.push(['statutory', ['repair'], -warranty, true]);
    if ((facts.failed_repairs || 0) >= 2) out.push(['statutory', ['refund', 'exchange'], -warranty, true]);
  }
  if (reason === 'no_reason' && line.category === 'apparel') out.push(['platform', ['refund', 'exchange'], 30]);
  if (reason === 'not_as_described') out.push(['platform', ['price_adjustment'], 15]);
  if (fault === 'seller' && line.category in DEFAULT_WARRANTY) {
    out.push(['platform', ['repair'], warranty > 0 ? -warranty : DEFAULT_WARRANTY[line.category], true]);
  }
  if (delivered === undefined) return out.map((w) => [w[0], w[1], undefined]);
  // A positive length is days; a negative one, months; warranties skip repair days.
  const repair = (w) => (w[3] ? (facts.repair_days || 0) * DAY : 0);
  return out.map((w) => [w[0], w[1], (w[2] > 0 ? endOfLocalDay(delivered, w[2]) : endAfterMonths(delivered, -w[2])) + repair(w)]);
}

/**
 * platform-default's gates for refund without return since the 2025 rules: the merchant's
 * consent, or a platform ruling on goods unfit to return (the workload has no cross-border or
 * group-buy order, so their gates are left out).
 */
function noReturn(request, item, facts) {
  if (request.initiated_by === 'merchant' || request.merchant_consent) return true;
  const unfit = item.unsuitable_to_return || facts.virtual;
  return Boolean(unfit && (request.merchant_response_overdue || request.fault_ruling === 'seller'));
}

/** The denial code for one item and request kind, or null. */
function judge(kind, reason, line, item, order, request, now, wins, returned) {
  const facts = line.facts || {};
  const cond = item.condition || {};
  if (item.qty > line.quantity - returned) return 'QTY_EXCEEDS_REMAINING';
  // Before delivery the windows do not apply: unpaid refunds nothing; paid, a refund without
  // return cancels (not shipped) or intercepts (in transit); not shipped, nothing else applies.
  const at = (t) => t !== undefined && Date.parse(t) <= now;
  // The platform's denials, first in policy order: activated electronics, then a late claim.
  const activated = reason === 'no_reason' && line.category === 'electronics' && facts.activated;
  const platformDenies = activated ? 'EXCLUDED_ACTIVATED' : claimLate(kind, FAULT[reason], line, order.delivered_ms, now);
  if (!at(order.delivered_at)) {
    if (!at(order.paid_at)) return 'NOT_PAID';
    if (kind === 'refund_without_return') return platformDenies;
    if (!at(order.shipped_at)) return 'NOT_SHIPPED';
  }
  if (reason === 'no_reason') {
    for (const [fact, nature, code] of EXCLUSIONS) if (facts[fact] && (!nature || facts.nature_confirmed)) return code;
    if (cond.used_beyond_inspection === true || cond.tags_attached === false) return 'NOT_INTACT';
  }
  const needed = NEEDED[kind];
  let anyOpen = false;
  let open = false;
  let closed = false;
  let notStarted = false;
  let statutoryRight = false;
  for (const [layer, grants, last] of wins) {
    const started = last !== undefined && order.delivered_ms <= now;
    if (started && now <= last) anyOpen = true;
    if (!grants.includes(needed)) continue;
    if (!started) notStarted = true;
    else if (now <= last) {
      open = true;
      if (layer === 'statutory') statutoryRight = true;
    } else closed = true;
  }
  if (!open) return anyOpen ? 'RESOLUTION_NOT_AVAILABLE' : closed ? 'WINDOW_CLOSED' : notStarted ? 'NOT_DELIVERED' : 'NO_WINDOW';
  if (kind === 'refund_without_return' && !noReturn(request, item, facts)) return 'NO_RETURN_NOT_ALLOWED';
  return platformDenies && !statutoryRight ? platformDenies : null;
}

/** What an item gets back for `kind` when it is eligible (`code` null): all of `full` for a
 * refund, 20 % of it for a price difference, nothing for an exchange or repair. */
export function itemRefund(kind, code, full) {
  if (code !== null) return 0;
  if (kind === 'refund_with_return' || kind === 'refund_without_return') return full;
  return kind === 'price_difference' ? bpHalfUp(full, 2000) : 0;
}

/** What the order's ledger records for a line: units back, and everything paid back against it. */
function record(input, line) {
  const found = ((input.ledger && input.ledger.lines) || []).find((r) => r.line_id === line.id) || {};
  return { returned: found.returned_qty || 0, back: (found.refunded || 0) + (found.price_difference || 0) + (found.goodwill || 0) };
}

/** Decides the subset for one parsed input `{order, ledger, request, now}`. */
export function decide(input) {
  const { order, request } = input;
  const now = Date.parse(input.now);
  order.delivered_ms = order.delivered_at === undefined ? undefined : Date.parse(order.delivered_at);
  const lines = order.lines;
  const nets = lines.map((l) => l.unit_price * l.quantity - (l.line_discount || 0));
  const allocated = nets.map(() => 0);
  for (const d of order.discounts || []) {
    const shares = allocate(d.amount, nets);
    for (let i = 0; i < shares.length; i++) allocated[i] += shares[i];
  }
  const kind = request.kind;
  const items = [];
  let total = 0;
  let payer = null;
  let payerRank = 99;
  for (const item of request.items) {
    const index = lines.findIndex((l) => l.id === item.line_id);
    const line = lines[index];
    const paid = nets[index] - allocated[index];
    const rec = record(input, line);
    const full = Math.min(share(paid, line.quantity, rec.returned, item.qty), paid - rec.back);
    const wins = windows(item.reason, line, order.delivered_ms);
    const code = judge(kind, item.reason, line, item, order, request, now, wins, rec.returned);
    const refund = itemRefund(kind, code, full);
    items.push({ line_id: item.line_id, eligible: code === null, code: code, refund: refund });
    total += refund;
    if (code === null) {
      // Postage rules in policy order: seller fault, freight insurance, member free returns.
      const rank = FAULT[item.reason] !== 'buyer' ? 0 : order.freight_insurance ? 1 : order.customer && order.customer.member_free_returns ? 2 : 99;
      if (rank < payerRank) payerRank = rank;
    }
  }
  const returnRequired = kind !== 'refund_without_return' && kind !== 'price_difference' && items.some((i) => i.eligible);
  if (returnRequired) payer = ['seller', 'insurer', 'platform'][payerRank] || 'buyer';
  const coupons = [];
  // Compensation comes with an outcome: none when every item is refused.
  const late = order.shipped_at !== undefined && order.promised_ship_by !== undefined && Date.parse(order.shipped_at) > Date.parse(order.promised_ship_by);
  if (late && items.some((i) => i.eligible)) {
    let paidTotal = order.shipping_fee || 0;
    for (let i = 0; i < nets.length; i++) paidTotal += nets[i] - allocated[i];
    coupons.push(Math.min(Math.max(bpHalfUp(paidTotal, 500), 300), 2000));
  }
  delete order.delivered_ms;
  return { items: items, refund: total, payer: payer, coupons: coupons };
}

/** The same subset read from an engine decision. */
export function subset(decision) {
  return {
    items: decision.items.map((i) => ({ line_id: i.line_id, eligible: i.eligible, code: i.denial ? i.denial.code : null, refund: i.refund.amount })),
    refund: decision.refund.items,
    payer: decision.return_shipping.return_required ? decision.return_shipping.payer : null,
    coupons: decision.compensation.map((c) => c.amount),
  };
}
