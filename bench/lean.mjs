// The hand-written JavaScript baseline of the lean view: the whole answer the engine gives for
// the bench policy (`{"extends": "platform-default"}`, over `cn-statutory`) in the `revalidate`
// view — items with their denials, windows, warranties, claims and no-return grants, the refund,
// return postage, liability, compensation and damages, requirements, deadlines and the ledger
// effects — byte for byte as `JSON.stringify(decide(input))`. It is what a team would write by
// hand for this one policy: its rules hard-coded, plain JavaScript on parsed objects. The
// performance issue compares the engine's lean view with it like for like; `bench/node.mjs`
// checks the two equal on every record before timing, `bench/lean-check.mjs` shows where not.
//
// Covered: every window, rule, no-return gate, postage, compensation and damages rule and timer
// of the policy, the engine's own checks (quantity, one price difference per unit, nothing left
// to refund, the phases before delivery), the money (joint discount allocation, cumulative unit
// shares, the ledger's amounts and counters), the shipping refund and coupons of a full return.
// Not covered — inputs `aftersale generate` never writes, each an engine feature this policy
// does not configure: `order.payments` (the tender split), gift lines, promises, `exchange_for`,
// goodwill and asked amounts, `diminished_value`, a ledger's `paid_in`, invalid input (the
// engine's error answers), and working days outside the announced cn calendar (2025–2026:
// `decide` throws). Amounts are integers; every product stays below 2^53 for the generator's
// amounts (lines under ¥6,003, at most 8 of them) by a factor of over 10^5.
//
// Call `configure` once, before deciding, with the compiled policy's constants.

import { endOfLocalDay, endAfterMonths, allocate, share, bpHalfUp } from './baseline.mjs';

const HOUR = 3600000;
const DAY = 24 * HOUR;
const OFFSET = 8 * HOUR; // the policy's +08:00

let policyId;
let policyVersion;
let policyHash;
let engineVersion;

/**
 * Sets the answer's per-policy constants: the policy's id and version, its hash and the
 * engine's version (`compilePolicy(text).hash`, `version()`), which no hand-written code can
 * derive. Call once before `decide`.
 */
export function configure({ policy_id, policy_version, policy_hash, engine_version }) {
  [policyId, policyVersion, policyHash, engineVersion] = [policy_id, policy_version, policy_hash, engine_version];
}

// Resolutions as bits, in the order the engine sorts them.
const REFUND = 1;
const EXCHANGE = 2;
const REPAIR = 4;
const PRICE = 8;
const RESOLUTION_NAMES = ['refund', 'exchange', 'repair', 'price_adjustment'];
const NEEDED = { refund_with_return: REFUND, refund_without_return: REFUND, exchange: EXCHANGE, repair: REPAIR, price_difference: PRICE };
const NEEDED_NAME = { refund_with_return: 'refund', refund_without_return: 'refund', exchange: 'exchange', repair: 'repair', price_difference: 'price_adjustment' };

/** The resolutions of `bits`, in the engine's order. */
function resolutionList(bits) {
  const out = [];
  for (let i = 0; i < 4; i++) if (bits & (1 << i)) out.push(RESOLUTION_NAMES[i]);
  return out;
}

// The merged reasons: fault, no-reason, liability, and the evidence each needs
// (photos, package photos, videos, description characters).
const NO_EVIDENCE = [0, 0, 0, 0];
const PHOTO_AND_TEXT = [1, 0, 0, 10];
const REASONS = {
  no_reason: { fault: 'buyer', noReason: true, liability: 'merchant', evidence: NO_EVIDENCE },
  quality: { fault: 'seller', noReason: false, liability: 'merchant', evidence: PHOTO_AND_TEXT },
  not_as_described: { fault: 'seller', noReason: false, liability: 'merchant', evidence: PHOTO_AND_TEXT },
  wrong_item: { fault: 'seller', noReason: false, liability: 'merchant', evidence: NO_EVIDENCE },
  damaged_in_transit: { fault: 'carrier', noReason: false, liability: 'carrier', evidence: [1, 1, 0, 10] },
  appearance_defect: { fault: 'seller', noReason: false, liability: 'merchant', evidence: PHOTO_AND_TEXT },
  group_buy_failed: { fault: 'platform', noReason: false, liability: 'platform', evidence: NO_EVIDENCE },
};
const EVIDENCE = ['photos', 'package_photos', 'videos', 'description_chars'];

// cn-statutory's exclusions from no-reason returns, in policy order:
// [rule, line fact, needs nature_confirmed, code, legal_ref].
const EXCLUSIONS = [
  ['cn-excluded-custom-made', 'custom_made', false, 'EXCLUDED_CUSTOM_MADE', 'CN-7DAY-ART6'],
  ['cn-excluded-perishable', 'perishable', false, 'EXCLUDED_PERISHABLE', 'CN-7DAY-ART6'],
  ['cn-excluded-digital-opened', 'digital_opened', false, 'EXCLUDED_DIGITAL_OPENED', 'CN-7DAY-ART6'],
  ['cn-excluded-newspaper', 'newspaper_or_periodical', false, 'EXCLUDED_NEWSPAPER', 'CN-7DAY-ART6'],
  ['cn-excluded-hygiene-opened', 'hygiene_seal_opened', true, 'EXCLUDED_HYGIENE_OPENED', 'CN-7DAY-ART7'],
  ['cn-excluded-activated', 'activated', true, 'EXCLUDED_ACTIVATED', 'CN-7DAY-ART7'],
  ['cn-excluded-near-expiry-or-flawed', 'near_expiry_or_flawed', true, 'EXCLUDED_NEAR_EXPIRY_OR_FLAWED', 'CN-7DAY-ART7'],
];

/** platform-default's warranties for goods whose merchant labelled none: [window, days or -months]. */
const DEFAULT_WARRANTY = new Map([
  ['shoes', ['platform-default-warranty-shoes', 120]],
  ['bags', ['platform-default-warranty-bags', 90]],
  ['precious_metal', ['platform-default-warranty-precious-metal', 15]],
  ['jewellery', ['platform-default-warranty-jewellery', 30]],
  ['watches', ['platform-default-warranty-watches', -12]],
]);
const APPEARANCE_PORTABLE = ['electronics', 'phones', 'computers', 'gadgets'];
const APPEARANCE_FIXED = ['appliances', 'furniture'];
const APPAREL_CLAIMS = ['apparel', 'shoes', 'bags', 'watches', 'jewellery', 'precious_metal'];
const FRESH_BANDS = [[1000, 1000], [3000, 3000], [5000, 5000], [7000, 7000], [10000, 10000]];

// The cn calendar's announced years: holidays and make-up working days (调休), as local day numbers.
const HOLIDAYS = new Set();
const WORKDAYS = new Set();
{
  const day = (s) => Date.UTC(+s.slice(0, 4), +s.slice(5, 7) - 1, +s.slice(8, 10)) / DAY;
  for (const range of ['2025-01-01', '2025-01-28..2025-02-04', '2025-04-04..2025-04-06', '2025-05-01..2025-05-05',
    '2025-05-31..2025-06-02', '2025-10-01..2025-10-08', '2026-01-01..2026-01-03', '2026-02-15..2026-02-23',
    '2026-04-04..2026-04-06', '2026-05-01..2026-05-05', '2026-06-19..2026-06-21', '2026-09-25..2026-09-27', '2026-10-01..2026-10-07']) {
    const [from, to] = range.split('..');
    for (let d = day(from); d <= day(to || from); d++) HOLIDAYS.add(d);
  }
  for (const d of ['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11', '2026-01-04', '2026-02-14',
    '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']) WORKDAYS.add(day(d));
}
const FIRST_CALENDAR_DAY = Date.UTC(2025, 0, 1) / DAY;
const LAST_CALENDAR_DAY = Date.UTC(2026, 11, 31) / DAY;

/** The last moment of the first working day after the local day of `ms` (the review's `1wd`, next day). */
function endOfNextWorkingDay(ms) {
  let day = Math.floor((ms + OFFSET) / DAY);
  for (;;) {
    day += 1;
    if (day < FIRST_CALENDAR_DAY || day > LAST_CALENDAR_DAY) throw new RangeError('lean baseline: a working day outside the cn calendar it carries (2025–2026)');
    const weekend = (day + 4) % 7 === 0 || (day + 4) % 7 === 6; // day 0 was a Thursday
    if (WORKDAYS.has(day) || (!weekend && !HOLIDAYS.has(day))) return (day + 1) * DAY - OFFSET - 1;
  }
}

const TWO = [];
for (let i = 0; i < 100; i++) TWO.push(i < 10 ? `0${i}` : `${i}`);

/** `YYYY-MM-DDT` of a local day number (Howard Hinnant's civil_from_days). */
function dateText(days) {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return `${yoe + era * 400 + (m <= 2 ? 1 : 0)}-${TWO[m]}-${TWO[d]}T`;
}

// Each day's date text, made once: an answer's times fall on a few dozen days, and the date
// was half the cost of writing a time.
const DATES = new Map();

/** An instant as the engine writes it: RFC 3339 at +08:00, milliseconds only when there are some. */
function stamp(ms) {
  const local = ms + OFFSET;
  const days = Math.floor(local / DAY);
  let date = DATES.get(days);
  if (date === undefined) {
    date = dateText(days);
    DATES.set(days, date);
  }
  let t = local - days * DAY;
  const milli = t % 1000;
  t = (t - milli) / 1000;
  const fraction = milli === 0 ? '' : milli < 10 ? `.00${milli}` : milli < 100 ? `.0${milli}` : `.${milli}`;
  return `${date}${TWO[(t / 3600) | 0]}:${TWO[((t / 60) | 0) % 60]}:${TWO[t % 60]}${fraction}+08:00`;
}

/** An optional input time in milliseconds (absent and `null` alike). */
function time(s) {
  return s == null ? undefined : Date.parse(s);
}

/** A denial, with the engine's member order; absent members stay `undefined` (JSON leaves them out). */
function denial(code, rule, layer, legalRef, values) {
  return { code: code, rule: rule, layer: layer, legal_ref: legalRef, values: values };
}

const NOT_STARTED = 0;
const OPEN = 1;
const CLOSED = 2;

/**
 * One window that applies to the item, and where it stands at `now`. `length` is days
 * (counted from the next local day), or minus months; warranties add the line's repair days.
 */
function windowMatch(id, layer, legalRef, grants, anchor, start, length, warranty, repairDays, now) {
  const m = { id: id, layer: layer, legal_ref: legalRef, grants: grants, anchor: anchor, warranty: warranty, state: NOT_STARTED, last: 0 };
  if (start !== undefined && start <= now) {
    m.last = (length > 0 ? endOfLocalDay(start, length) : endAfterMonths(start, -length)) + (warranty ? repairDays * DAY : 0);
    m.state = now <= m.last ? OPEN : CLOSED;
  }
  return m;
}

/** The windows of the policy that apply to the item, in policy order. */
function windows(c, it) {
  const { line, reason, item } = it;
  const facts = line.facts || {};
  const now = c.now;
  const out = [];
  const seller = reason.fault === 'seller';
  const repairDays = facts.repair_days || 0;
  const warrantyMonths = facts.warranty_months || 0;
  if (reason.noReason) out.push(windowMatch('cn-7day-no-reason', 'statutory', 'CN-CRPL-ART25', REFUND, 'delivered', c.delivered, 7, false, 0, now));
  if (seller || reason.fault === 'carrier') {
    out.push(windowMatch('cn-quality-7day', 'statutory', 'CN-3BAO-7DAY', REFUND | EXCHANGE | REPAIR, 'delivered', c.delivered, 7, false, 0, now));
    out.push(windowMatch('cn-quality-15day', 'statutory', 'CN-3BAO-15DAY', EXCHANGE | REPAIR, 'delivered', c.delivered, 15, false, 0, now));
  }
  // The warranty runs from the latest of delivery, installation and a replacement.
  let warrantyStart = c.delivered;
  if (warrantyStart !== undefined) {
    const installed = time(facts.installed_at);
    const replaced = time(facts.replaced_at);
    if (installed > warrantyStart) warrantyStart = installed;
    if (replaced > warrantyStart) warrantyStart = replaced;
  }
  if (seller && warrantyMonths > 0) {
    out.push(windowMatch('cn-3bao-warranty-repair', 'statutory', 'CN-3BAO-WARRANTY', REPAIR, 'warranty_start', warrantyStart, -warrantyMonths, true, repairDays, now));
    if ((facts.failed_repairs || 0) >= 2) {
      out.push(windowMatch('cn-3bao-two-failed-repairs', 'statutory', 'CN-3BAO-TWO-REPAIRS', REFUND | EXCHANGE, 'warranty_start', warrantyStart, -warrantyMonths, true, repairDays, now));
    }
  }
  if (reason.noReason && line.category === 'apparel') {
    out.push(windowMatch('platform-apparel-try-on', 'platform', undefined, REFUND | EXCHANGE, 'delivered', c.delivered, 30, false, 0, now));
  }
  if (item.reason === 'not_as_described') {
    out.push(windowMatch('platform-price-difference', 'platform', undefined, PRICE, 'delivered', c.delivered, 15, false, 0, now));
  }
  if (item.reason === 'group_buy_failed' && c.order.group_buy === 'failed') {
    out.push(windowMatch('platform-group-buy-failed', 'platform', undefined, REFUND, 'placed', Date.parse(c.order.placed_at), 30, false, 0, now));
  }
  if (item.defect_bp != null && reason.fault !== 'buyer') {
    out.push(windowMatch('platform-partial-refund', 'platform', undefined, PRICE, 'delivered', c.delivered, 7, false, 0, now));
  }
  const fallback = seller ? DEFAULT_WARRANTY.get(line.category) : undefined;
  if (fallback !== undefined) {
    const length = warrantyMonths > 0 ? -warrantyMonths : fallback[1];
    out.push(windowMatch(fallback[0], 'platform', 'JD-CATEGORY-STD', REPAIR, 'warranty_start', warrantyStart, length, true, repairDays, now));
  }
  return out;
}

/**
 * A claim rule's deadlines from its anchor (none before it): reported after `report_by`
 * (hours, exact) or filed after `file_by` (days from the next day) is late, with `code` or the
 * engine's. Sets the item's `claim` and, when late, its first platform denial.
 */
function claim(c, it, a, rule, legalRef, start, reportHours, fileDays, code) {
  if (start === undefined || start > c.now) return;
  const reportBy = reportHours > 0 ? start + reportHours * HOUR : undefined;
  const fileBy = fileDays > 0 ? endOfLocalDay(start, fileDays) : undefined;
  const reported = it.item.reported_at == null ? c.now : Date.parse(it.item.reported_at);
  if (a.extension === null) {
    if (reportBy !== undefined && reported > reportBy) {
      a.extension = denial(code || 'REPORTED_LATE', rule, 'platform', legalRef, { report_by: stamp(reportBy) });
    } else if (fileBy !== undefined && c.now > fileBy) {
      a.extension = denial(code || 'FILED_LATE', rule, 'platform', legalRef, { file_by: stamp(fileBy) });
    }
  }
  a.claim = {
    rule: rule,
    report_by: reportBy === undefined ? undefined : stamp(reportBy),
    file_by: fileBy === undefined ? undefined : stamp(fileBy),
    legal_ref: legalRef,
  };
}

/** platform-default's partial refund of a defect share: the refund's basis points, by tolerance and bands. */
function partialBp(defect, tolerance, bands) {
  if (defect <= tolerance) return 0;
  if (bands === null) return defect - tolerance;
  for (const [upTo, bp] of bands) if (defect <= upTo) return bp;
  return 10000;
}

/**
 * The rules that match the item, in policy order: the first statutory denial, the first
 * platform denial, every review, the first claim and the first partial refund.
 */
function rules(c, it, a) {
  const { line, reason, item, record } = it;
  const { order, request } = c;
  const facts = line.facts || {};
  if (reason.noReason) {
    for (const [rule, fact, nature, code, legalRef] of EXCLUSIONS) {
      if (facts[fact] && (!nature || facts.nature_confirmed)) {
        a.statutory = denial(code, rule, 'statutory', legalRef, {});
        break;
      }
    }
    const condition = item.condition;
    if (a.statutory === null && condition) {
      if (condition.used_beyond_inspection === true) a.statutory = denial('NOT_INTACT', 'cn-not-intact-used', 'statutory', 'CN-7DAY-ART9', {});
      else if (condition.tags_attached === false) a.statutory = denial('NOT_INTACT', 'cn-not-intact-tags', 'statutory', 'CN-7DAY-ART8', {});
    }
  }
  const deny = (code, rule) => {
    if (a.extension === null) a.extension = denial(code, rule, 'platform', undefined, {});
  };
  if (reason.noReason && line.category === 'electronics' && facts.activated) deny('EXCLUDED_ACTIVATED', 'platform-electronics-activated');
  const score = c.customer.integrity_score;
  if (score != null && score < 40) a.reviews.push({ rule: 'platform-integrity-below-40', tier: 'supervisor' });
  if (score != null && score < 60) a.reviews.push({ rule: 'platform-integrity-below-60', tier: 'agent' });
  if (record.open_request) deny('REQUEST_ALREADY_OPEN', 'platform-one-open-request');
  const escalation = request.escalation == null ? undefined : request.escalation;
  if ((record.requests || 0) >= 3 && escalation === undefined) deny('TOO_MANY_REQUESTS', 'platform-requests-per-line');
  if (c.orderRequests >= 10 && escalation === undefined) deny('TOO_MANY_REQUESTS', 'platform-requests-per-order');
  const refusedBy = record.refused_by == null ? undefined : record.refused_by;
  if (escalation !== undefined && (refusedBy === undefined || (escalation === 'dispute' && refusedBy === 'platform') || (escalation === 'appeal' && refusedBy === 'merchant'))) {
    deny('NOTHING_TO_ESCALATE', 'platform-escalation-needs-refusal');
  }
  // The first matching claim rule decides, started or not.
  const notRepair = request.kind !== 'repair';
  const category = line.category;
  if (escalation === 'dispute') claim(c, it, a, 'platform-dispute-window', undefined, time(record.refused_at), 0, 7, 'DISPUTE_LATE');
  else if (escalation === 'appeal') claim(c, it, a, 'platform-appeal-window', undefined, time(record.refused_at), 0, 3, 'APPEAL_LATE');
  else if (notRepair && item.reason === 'appearance_defect' && APPEARANCE_PORTABLE.includes(category)) {
    claim(c, it, a, 'platform-claim-appearance-portable', 'JD-CATEGORY-STD', c.delivered, 48, 0, null);
  } else if (notRepair && item.reason === 'appearance_defect' && APPEARANCE_FIXED.includes(category)) {
    claim(c, it, a, 'platform-claim-appearance-fixed', 'JD-CATEGORY-STD', c.delivered, 72, 0, null);
  } else if (notRepair && reason.fault === 'seller' && APPAREL_CLAIMS.includes(category)) {
    claim(c, it, a, 'platform-claim-apparel', 'JD-CATEGORY-STD', c.delivered, 48, 15, null);
  } else if (notRepair && reason.fault !== 'buyer' && category === 'fresh') {
    const live = line.tags !== undefined && line.tags.includes('live');
    claim(c, it, a, live ? 'platform-claim-fresh-live' : 'platform-claim-fresh', 'JD-CATEGORY-STD', c.delivered, live ? 12 : 48, 0, null);
  }
  // Partial refunds: goods sold by weight pro rata beyond 2 %, fresh produce by bands.
  const defect = item.defect_bp;
  if (defect != null) {
    const byWeight = line.tags !== undefined && line.tags.includes('by_weight');
    if (byWeight || category === 'fresh') {
      const [rule, tolerance, bands] = byWeight ? ['platform-weight-shortage', 200, null] : ['platform-fresh-spoilage', 0, FRESH_BANDS];
      const bp = partialBp(defect, tolerance, bands);
      a.partial = [rule, bp];
      if (bp === 0) a.tolerance = denial('WITHIN_TOLERANCE', rule, 'platform', undefined, { defect_bp: defect, tolerance_bp: tolerance });
    }
  }
  if (order.merchant && order.merchant.complaint_rate_high) a.reviews.push({ rule: 'platform-merchant-complaints', tier: 'agent' });
}

/** The first no-return gate that matches the item: [rule, authorised_by, legal_ref, destroyed on site]. */
function noReturnGate(c, it) {
  const { order, request } = c;
  if (it.item.reason === 'group_buy_failed' && order.group_buy === 'failed') return ['platform-group-buy-failed-no-return', 'platform', undefined, false];
  if (request.initiated_by === 'merchant' || request.merchant_consent) return ['platform-merchant-agreed-no-return', 'merchant', 'TAOBAO-DISPUTE-ART21', false];
  const unfit = it.item.unsuitable_to_return || (it.line.facts && it.line.facts.virtual);
  if (request.merchant_response_overdue && unfit) return ['platform-merchant-overdue-no-return', 'platform', 'TAOBAO-DISPUTE-ART22', false];
  if (request.fault_ruling === 'seller' && unfit) return ['platform-seller-fault-no-return', 'platform', 'TAOBAO-DISPUTE-ART22', false];
  const score = c.customer.integrity_score == null ? 100 : c.customer.integrity_score;
  if (order.cross_border && it.paidBack + it.share <= 5000 && score >= 60) return ['platform-cross-border-destroy-on-site', 'platform', undefined, true];
  return null;
}

/**
 * One requested item judged for the kind asked: the engine's verdict (its refusal, window,
 * whether a statutory window grants what is asked, the platform denial that overrides) and
 * what the answer's item shows.
 */
function judge(c, it) {
  const kind = c.request.kind;
  const a = { statutory: null, extension: null, reviews: [], claim: undefined, partial: null, tolerance: null };
  const matches = windows(c, it);
  let open = 0;
  for (const m of matches) if (m.state === OPEN) open |= m.grants;
  rules(c, it, a);
  const gate = noReturnGate(c, it);
  // What the ledger leaves of the line.
  const { item, line } = it;
  const remaining = line.quantity - it.returned;
  const qty = item.qty > remaining ? denial('QTY_EXCEEDS_REMAINING', 'engine.quantity', undefined, undefined, { requested: item.qty, remaining: remaining }) : null;
  const withoutDifference = Math.max(remaining - (it.record.price_difference_qty || 0), 0);
  const priceDifferencePaid = item.qty > withoutDifference
    ? denial('PRICE_DIFFERENCE_ALREADY_PAID', 'engine.price_difference', undefined, undefined, { requested: item.qty, remaining: withoutDifference })
    : null;
  const nothingLeft = it.paidBack >= it.paid ? denial('NOTHING_LEFT_TO_REFUND', 'engine.amount', undefined, undefined, {}) : null;

  let warranty;
  for (const m of matches) if (m.warranty && m.state !== NOT_STARTED && (warranty === undefined || m.last > warranty)) warranty = m.last;
  const out = {
    refusal: null,
    window: undefined,
    resolutions: [],
    reviews: a.reviews,
    warranty_until: warranty === undefined ? undefined : stamp(warranty),
    claim: a.claim,
    partial: a.partial,
    no_return: undefined,
    destroyOnSite: false,
    interception: false,
  };
  if (c.phase !== 'delivered' && (c.phase !== 'in_transit' || kind === 'refund_without_return')) {
    // Before delivery the windows do not apply: unpaid, nothing to refund; a refund without
    // return cancels (not shipped) or intercepts the parcel (in transit); nothing else before shipment.
    if (c.phase === 'unpaid') out.refusal = denial('NOT_PAID', 'engine.phase', undefined, undefined, {});
    else if (kind === 'refund_without_return') out.refusal = qty || nothingLeft || a.extension;
    else out.refusal = denial('NOT_SHIPPED', 'engine.phase', undefined, undefined, {});
    if (out.refusal === null) {
      out.resolutions = ['refund'];
      out.interception = c.phase === 'in_transit';
    }
    return out;
  }
  const needed = NEEDED[kind];
  let bestOpen = null;
  let bestClosed = null;
  let notStarted = null;
  let right = false;
  for (const m of matches) {
    if ((m.grants & needed) === 0) continue;
    if (m.state === OPEN) {
      if (m.layer === 'statutory') right = true;
      if (bestOpen === null || m.last > bestOpen.last) bestOpen = m;
    } else if (m.state === CLOSED) {
      if (bestClosed === null || m.last > bestClosed.last) bestClosed = m;
    } else if (notStarted === null) notStarted = m;
  }
  const shown = bestOpen || bestClosed;
  if (shown !== null) out.window = { rule: shown.id, layer: shown.layer, closes_at: stamp(shown.last), legal_ref: shown.legal_ref };
  // Refused by the engine's count or the law first, then by the windows, then by the rest.
  let refusal = qty || a.statutory;
  let otherResolutions = false;
  if (refusal === null && bestOpen === null) {
    const requested = NEEDED_NAME[kind];
    if (open !== 0) {
      refusal = denial('RESOLUTION_NOT_AVAILABLE', 'engine.resolution', undefined, undefined, { requested: requested, available: resolutionList(open).join(', ') });
      otherResolutions = true;
    } else if (bestClosed !== null) {
      // The window shown is the one closed last.
      refusal = denial('WINDOW_CLOSED', bestClosed.id, bestClosed.layer, bestClosed.legal_ref, { closes_at: out.window.closes_at });
    } else if (notStarted !== null) {
      const code = notStarted.anchor === 'placed' ? 'ANCHOR_MISSING' : 'NOT_DELIVERED';
      refusal = denial(code, notStarted.id, notStarted.layer, notStarted.legal_ref, { anchor: notStarted.anchor });
    } else {
      refusal = denial('NO_WINDOW', 'engine.window', undefined, undefined, { requested: requested });
    }
  } else if (refusal === null && kind === 'refund_without_return' && gate === null) {
    refusal = denial('NO_RETURN_NOT_ALLOWED', 'engine.no_return', undefined, undefined, {});
  } else if (refusal === null && kind === 'price_difference' && (priceDifferencePaid || nothingLeft || a.tolerance)) {
    refusal = priceDifferencePaid || nothingLeft || a.tolerance;
  } else if (refusal === null && a.extension !== null) {
    // A platform denial may not take a statutory right away: it sends the request to review.
    if (right) out.reviews.push({ rule: a.extension.rule, tier: 'agent' });
    else refusal = a.extension;
  }
  out.refusal = refusal;
  if (refusal === null || otherResolutions) out.resolutions = resolutionList(open);
  if (refusal === null && kind === 'refund_without_return') {
    out.no_return = { rule: gate[0], authorised_by: gate[1], legal_ref: gate[2] };
    out.destroyOnSite = gate[3];
  }
  return out;
}

/** The item's refund when eligible: its units' share for a refund, a rate of it for a price difference. */
function itemRefund(kind, it, verdict) {
  if (verdict.refusal !== null) return { amount: 0, allocated_discount: 0 };
  if (kind === 'refund_with_return' || kind === 'refund_without_return') return { amount: it.share, allocated_discount: it.discount };
  if (kind === 'price_difference') {
    // A partial refund's share replaces the policy's 20 %.
    const bp = verdict.partial === null ? 2000 : verdict.partial[1];
    return { amount: bpHalfUp(it.share, bp), allocated_discount: 0 };
  }
  return { amount: 0, allocated_discount: 0 };
}

/** Adds `amount` to `party`'s liability (nothing for zero). */
function owe(liability, party, amount) {
  if (amount === 0) return;
  for (const p of liability) {
    if (p.party === party) {
      p.amount += amount;
      return;
    }
  }
  liability.push({ party: party, amount: amount });
}
const PARTY_ORDER = { merchant: 0, carrier: 1, insurer: 2, platform: 3, shopper: 4 };
const TIER_ORDER = { auto: 0, agent: 1, supervisor: 2, operations_manager: 3 };
const LABEL_COST = { pickup: 1200, drop_off: 1000 };
const INSURANCE_PAYOUT = { pickup: 1200, drop_off: 1000, self_ship: 800 };

/** Who pays the return postage, and how much of it each party bears when it is known. */
function returnShipping(c, eligible, returnRequired, destroyOnSite, interception) {
  const out = {
    return_required: returnRequired,
    destroy_on_site: destroyOnSite ? true : undefined,
    interception: interception ? true : undefined,
    payer: undefined,
    rule: undefined,
    legal_ref: undefined,
    insured_amount: undefined,
    method: undefined,
    postage: undefined,
    reimbursed: undefined,
    shopper_pays: undefined,
  };
  if (!returnRequired) return out;
  const { order, request } = c;
  // The first postage rule matching any returned item: the seller's fault, freight insurance, members.
  if (eligible.some((e) => e.reason.fault !== 'buyer')) [out.payer, out.rule, out.legal_ref] = ['seller', 'cn-seller-fault-postage', 'CN-CRPL-ART24'];
  else if (order.freight_insurance) [out.payer, out.rule] = ['insurer', 'cn-freight-insurance'];
  else if (c.customer.member_free_returns) [out.payer, out.rule] = ['platform', 'platform-member-free-returns'];
  else out.payer = 'buyer';
  const method = request.return_method == null ? undefined : request.return_method;
  out.method = method;
  out.postage = request.postage != null ? request.postage : method === undefined ? undefined : LABEL_COST[method];
  if (out.payer === 'insurer') {
    let payout = method === undefined ? undefined : INSURANCE_PAYOUT[method];
    if (payout === undefined && order.freight_insurance_payout != null) payout = order.freight_insurance_payout;
    out.insured_amount = out.postage === undefined || payout === undefined ? payout : Math.min(payout, out.postage);
  }
  if (out.postage === undefined) return out;
  if (out.payer === 'seller' || out.payer === 'platform') out.reimbursed = Math.min(out.postage, 1200);
  const covered = out.reimbursed !== undefined ? out.reimbursed : out.insured_amount !== undefined ? out.insured_amount : 0;
  out.shopper_pays = Math.max(out.postage - covered, 0);
  return out;
}

/** What the ledger records for the line with `id` (an empty record when nothing). */
function recordOf(ledger, id) {
  if (ledger !== undefined && ledger.lines !== undefined) for (const r of ledger.lines) if (r.line_id === id) return r;
  return EMPTY_RECORD;
}
const EMPTY_RECORD = {};

/** Damages paid before under `rule` on the line `lineId`, by the ledger. */
function paidBefore(ledger, rule, lineId) {
  let sum = 0;
  if (ledger !== undefined && ledger.compensation !== undefined) for (const x of ledger.compensation) if (x.rule === rule && x.line_id === lineId) sum += x.amount;
  return sum;
}

/** Whether the ledger records the order-wide compensation `rule` as granted. */
function granted(ledger, rule) {
  return ledger !== undefined && ledger.compensation !== undefined && ledger.compensation.some((x) => x.rule === rule && x.line_id == null);
}

/** Decides one parsed input `{order, ledger?, request, now}`: the engine's `revalidate` answer. */
export function decide(input) {
  const { order, request } = input;
  const ledger = input.ledger == null ? undefined : input.ledger;
  const now = Date.parse(input.now);
  const kind = request.kind;
  const customer = order.customer || EMPTY_RECORD;
  const delivered = time(order.delivered_at);
  const shipped = time(order.shipped_at);
  const by = (t) => t !== undefined && t <= now;
  const phase = by(delivered) || by(time(order.last_parcel_delivered_at))
    ? 'delivered'
    : !by(time(order.paid_at)) ? 'unpaid' : by(shipped) ? 'in_transit' : 'paid';
  const c = {
    order: order,
    request: request,
    now: now,
    phase: phase,
    customer: customer,
    delivered: delivered,
    orderRequests: (ledger && ledger.requests) || 0,
  };

  // The order's money: nets, the discounts allocated jointly over them, what each line was paid.
  const lines = order.lines;
  const nets = [];
  let goods = 0;
  for (const l of lines) {
    const net = l.unit_price * l.quantity - (l.line_discount || 0);
    nets.push(net);
    goods += net;
  }
  let discounts = 0;
  if (order.discounts !== undefined) for (const d of order.discounts) discounts += d.amount;
  const allocated = discounts === 0 ? null : allocate(discounts, nets);
  const paidTotal = goods - discounts + (order.shipping_fee || 0);

  // Each item judged, then its money.
  const items = [];
  const eligible = [];
  const reviews = [];
  let itemsTotal = 0;
  let destroyOnSite = false;
  let interception = false;
  const need = [0, 0, 0, 0];
  let sellerFault = false;
  let carrierFault = false;
  for (const item of request.items) {
    let index = 0;
    while (lines[index].id !== item.line_id) index++;
    const line = lines[index];
    const reason = REASONS[item.reason];
    const record = recordOf(ledger, line.id);
    const returned = record.returned_qty || 0;
    const lineAllocated = allocated === null ? 0 : allocated[index];
    const paid = nets[index] - lineAllocated;
    const paidBack = (record.refunded || 0) + (record.price_difference || 0) + (record.goodwill || 0);
    // What these units were paid, never more than what is left of the line.
    const fits = returned + item.qty <= line.quantity;
    const it = {
      item: item,
      line: line,
      index: index,
      reason: reason,
      record: record,
      returned: returned,
      paid: paid,
      paidBack: paidBack,
      share: fits ? Math.min(share(paid, line.quantity, returned, item.qty), Math.max(paid - paidBack, 0)) : 0,
      discount: fits ? share(lineAllocated, line.quantity, returned, item.qty) : 0,
    };
    const verdict = judge(c, it);
    const refund = itemRefund(kind, it, verdict);
    const ok = verdict.refusal === null;
    items.push({
      line_id: item.line_id,
      qty: item.qty,
      reason: item.reason,
      eligible: ok,
      denial: ok ? undefined : verdict.refusal,
      resolutions: verdict.resolutions,
      window: verdict.window,
      warranty_until: verdict.warranty_until,
      claim: verdict.claim,
      no_return: verdict.no_return,
      refund: refund,
    });
    for (const r of verdict.reviews) reviews.push(r);
    destroyOnSite = destroyOnSite || verdict.destroyOnSite;
    interception = interception || verdict.interception;
    itemsTotal += refund.amount;
    if (ok) eligible.push({ it: it, reason: reason, refund: refund.amount, qty: item.qty });
    for (let k = 0; k < 4; k++) if (reason.evidence[k] > need[k]) need[k] = reason.evidence[k];
    sellerFault = sellerFault || reason.fault === 'seller';
    carrierFault = carrierFault || reason.fault === 'carrier';
  }

  // The shipping fee comes back with the last unit of the order, if no unit ever came back at
  // the buyer's fault (and always when the whole order is cancelled before shipment).
  const refundsUnits = kind === 'refund_with_return' || kind === 'refund_without_return';
  let completesOrder = refundsUnits && eligible.length > 0;
  for (let i = 0; completesOrder && i < lines.length; i++) {
    if (lines[i].gift) continue;
    let after = recordOf(ledger, lines[i].id).returned_qty || 0;
    for (const e of eligible) if (e.it.index === i) after += e.qty;
    if (after < lines[i].quantity) completesOrder = false;
  }
  let shipping = 0;
  if (completesOrder) {
    let sellerFaultOnly = eligible.every((e) => e.reason.fault !== 'buyer');
    if (ledger !== undefined && ledger.lines !== undefined) {
      for (const r of ledger.lines) if (r.buyer_fault_qty > 0 && lines.some((l) => l.id === r.line_id)) sellerFaultOnly = false;
    }
    if (sellerFaultOnly || phase === 'paid') {
      const fee = order.shipping_fee || 0;
      const refundable = order.standard_shipping_fee == null ? fee : Math.min(order.standard_shipping_fee, fee);
      shipping = Math.max(refundable - ((ledger && ledger.shipping_refunded) || 0), 0);
    }
  }
  const total = itemsTotal + shipping;
  // Coupons paid with come back as coupons when the whole order does, once.
  const couponsRestored = [];
  if (completesOrder && order.discounts !== undefined) {
    order.discounts.forEach((d, k) => {
      if (d.kind !== 'platform_coupon' && d.kind !== 'merchant_coupon') return;
      const id = d.id == null ? `discounts[${k}]` : d.id;
      if (!(ledger && ledger.coupons_restored && ledger.coupons_restored.includes(id))) couponsRestored.push(id);
    });
  }

  const returnRequired = (kind === 'refund_with_return' || kind === 'exchange' || kind === 'repair') && eligible.length > 0;
  const shippingOut = returnShipping(c, eligible, returnRequired, destroyOnSite, interception);

  // Liability: each item's refund by its reason's party, shipping by the items' common party
  // (else the merchant), then the postage's parts.
  const liability = [];
  for (const e of eligible) owe(liability, e.reason.liability, e.refund);
  const sameParty = eligible.length > 0 && eligible.every((e) => e.reason.liability === eligible[0].reason.liability);
  owe(liability, sameParty ? eligible[0].reason.liability : 'merchant', shipping);
  owe(liability, 'insurer', shippingOut.insured_amount || 0);
  owe(liability, shippingOut.payer === 'platform' ? 'platform' : 'merchant', shippingOut.reimbursed || 0);
  owe(liability, 'shopper', shippingOut.shopper_pays || 0);

  // Compensation comes with an outcome: coupons once per order, then damages per refunded item.
  const compensation = [];
  if (eligible.length > 0) {
    const validUntil = stamp(endOfLocalDay(now, 30));
    if (order.group_buy === 'failed' && !granted(ledger, 'platform-group-buy-failed-coupon')) {
      compensation.push({ rule: 'platform-group-buy-failed-coupon', line_id: undefined, kind: 'coupon', amount: 500, rounding: undefined, min_spend: 0, valid_until: validUntil, borne_by: 'platform', legal_ref: undefined });
      owe(liability, 'platform', 500);
    }
    const promised = time(order.promised_ship_by);
    if (shipped !== undefined && promised !== undefined && shipped > promised && !granted(ledger, 'platform-late-shipment')) {
      const amount = Math.min(Math.max(bpHalfUp(paidTotal, 500), 300), 2000);
      compensation.push({ rule: 'platform-late-shipment', line_id: undefined, kind: 'coupon', amount: amount, rounding: 'half_up', min_spend: 0, valid_until: validUntil, borne_by: 'merchant', legal_ref: undefined });
      owe(liability, 'merchant', amount);
    }
  }
  let damages = 0;
  if (refundsUnits) {
    for (const e of eligible) {
      const item = e.it.item;
      // The price multiple on every unit refunded so far, this request included; the minimum once.
      const paid = (e.it.record.refunded || 0) + e.refund;
      const lineId = item.line_id;
      const owed = [];
      if (item.fraud_established) owed.push(['cn-fraud-triple-damages', Math.max(paid * 3, 50000), 'CN-CRPL-ART55']);
      if (item.food_safety_violation) {
        owed.push(['cn-food-safety-tenfold-damages', Math.max(paid * 10, item.loss == null ? 0 : item.loss * 3, 100000), 'CN-FSL-ART148']);
      }
      for (const [rule, amount, legalRef] of owed) {
        const due = Math.max(amount - paidBefore(ledger, rule, lineId), 0);
        if (due === 0) continue;
        compensation.push({ rule: rule, line_id: lineId, kind: 'cash', amount: due, rounding: undefined, min_spend: 0, valid_until: undefined, borne_by: 'merchant', legal_ref: legalRef });
        owe(liability, 'merchant', due);
        damages += due;
      }
    }
  }
  liability.sort((x, y) => PARTY_ORDER[x.party] - PARTY_ORDER[y.party]);

  // Evidence: the most any requested reason asks for, against what is attached.
  const evidence = request.evidence || EMPTY_RECORD;
  const missingEvidence = [];
  for (let k = 0; k < 4; k++) {
    const attached = evidence[EVIDENCE[k]] || 0;
    if (attached < need[k]) missingEvidence.push({ what: EVIDENCE[k], required: need[k], attached: attached });
  }
  // Approval: the tier of the amount paid out, raised by every review (each rule once).
  const paidOut = total + damages;
  let approval = paidOut > 100000 ? 'supervisor' : paidOut > 20000 ? 'agent' : 'auto';
  const reviewReasons = [];
  for (const r of reviews) {
    if (reviewReasons.some((x) => x.rule === r.rule)) continue;
    reviewReasons.push(r);
    if (TIER_ORDER[r.tier] > TIER_ORDER[approval]) approval = r.tier;
  }

  // The timers the request starts, in policy order; those that start at submission with `by`.
  const deadlines = [];
  if (refundsUnits) deadlines.push({ what: 'statutory_refund' });
  deadlines.push({ what: 'record_retention' });
  deadlines.push({ what: 'merchant_first_response', by: stamp(now + 30 * 60000) });
  deadlines.push({ what: 'review', by: stamp(endOfNextWorkingDay(now)) });
  if (sellerFault) deadlines.push({ what: 'quality_plan', by: stamp(now + 72 * HOUR) });
  if (carrierFault) deadlines.push({ what: 'logistics_resolution', by: stamp(now + 24 * HOUR) });
  if (returnRequired) deadlines.push({ what: 'inspection' });
  if (refundsUnits) deadlines.push({ what: 'refund_after_inspection' });
  if (kind === 'repair') deadlines.push({ what: 'repair' });
  if (compensation.length > 0) deadlines.push({ what: 'compensation_payout', by: stamp(now + 24 * HOUR) });
  if (refundsUnits) deadlines.push({ what: 'refund_penalty_line' });

  // A fast refund: every returned item matches a fast-track rule (its first), released at the
  // latest of their events; only for a request the system approves as it stands.
  let fastTrack;
  if (returnRequired && (kind === 'refund_with_return' || kind === 'exchange') && approval === 'auto' && missingEvidence.length === 0 && order.merchant && order.merchant.fast_refund) {
    const score = customer.integrity_score == null ? 0 : customer.integrity_score;
    let release = 'submit';
    for (const e of eligible) {
      const price = e.it.line.unit_price;
      if (score >= 95 && price <= 50000) continue;
      if (score >= 80 && price <= 100000) release = 'ship_return';
      else release = null;
      if (release === null) break;
    }
    if (release !== null) {
      const rule = release === 'submit' ? 'platform-fast-refund-at-request' : 'platform-fast-refund-at-pickup';
      fastTrack = { rule: rule, release: release, recovery: 'clawback' };
      deadlines.push({ what: rule, by: release === 'submit' ? stamp(now + 7 * DAY) : undefined });
    }
  }

  // The ledger effects: units and amounts per line (in the order's line order), the tender,
  // shipping and compensation.
  const effectLines = [];
  if (refundsUnits || kind === 'price_difference') {
    for (const e of eligible) {
      const u = refundsUnits;
      effectLines.push({
        index: e.it.index,
        line: {
          line_id: e.it.item.line_id,
          returned_qty: u ? e.qty : 0,
          buyer_fault_qty: u && e.reason.fault === 'buyer' ? e.qty : 0,
          refunded: u ? e.refund : 0,
          price_difference: u ? 0 : e.refund,
          price_difference_qty: u ? 0 : e.qty,
          goodwill: 0,
        },
      });
    }
    effectLines.sort((x, y) => x.index - y.index);
  }
  const tender = [{ tender: 'original_payment', amount: total }];

  return {
    type: 'decision',
    engine_version: engineVersion,
    policy_id: policyId,
    policy_version: policyVersion,
    policy_version_basis: order.policy_version == null ? 'current' : 'order',
    policy_hash: policyHash,
    currency: 'CNY',
    rounding: 'half_up',
    evaluated_at: stamp(now),
    phase: phase === 'delivered' ? undefined : phase,
    kind: kind,
    items: items,
    refund: { items: itemsTotal, shipping: shipping, deductions: [], given_back: [], total: total, by_tender: tender, coupons_restored: couponsRestored },
    return_shipping: shippingOut,
    fast_track: fastTrack,
    liability: liability,
    compensation: compensation,
    requirements: { missing_evidence: missingEvidence, approval: approval, review_reasons: reviewReasons },
    deadlines: deadlines,
    effects: {
      order_id: order.id,
      ledger_version: (ledger && ledger.version) || 0,
      lines: effectLines.map((x) => x.line),
      tenders: total > 0 ? tender : [],
      shipping_refunded: shipping,
      deductions: [],
      compensation: compensation.map((x) => ({ rule: x.rule, line_id: x.line_id, kind: x.kind, amount: x.amount })),
      coupons_restored: couponsRestored,
    },
  };
}

/** String to string, as a server would: `JSON.stringify(decide(JSON.parse(text)))`. */
export function decideString(text) {
  return JSON.stringify(decide(JSON.parse(text)));
}
