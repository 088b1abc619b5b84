// A decision as the return page shows it: plain data for `setData`, in the shopper's language.
// Written without `Intl`, which not every mini-program JavaScript engine carries: amounts are
// formatted from their integer minor units by string operations, times from their own local
// date and time.
'use strict';

/** Timers the platform keeps for itself (records, its own penalty line): not a promise to the shopper. */
var INTERNAL_DEADLINES = ['record_retention', 'refund_penalty_line'];
/** Messages the page shows as structure (each item, the money table, postage, review). */
var SHOWN_AS_STRUCTURE = ['ITEM_ELIGIBLE', 'REFUND_TOTAL', 'RETURN_POSTAGE', 'COMPENSATION_COUPON', 'REVIEW_REQUIRED'];
var SYMBOLS = { CNY: '¥', HKD: 'HK$', MOP: 'MOP$', TWD: 'NT$', USD: '$', EUR: '€', GBP: '£', JPY: '¥' };
var MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `minor` units of `currency` with `digits` decimals, grouped by thousands: 129900 → ¥1,299.00. */
function money(minor, currency, digits) {
  var text = String(Math.abs(minor));
  while (text.length <= digits) text = '0' + text;
  var whole = (digits ? text.slice(0, -digits) : text).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  var symbol = Object.prototype.hasOwnProperty.call(SYMBOLS, currency) ? SYMBOLS[currency] : currency + ' ';
  return (minor < 0 ? '-' : '') + symbol + whole + (digits ? '.' + text.slice(-digits) : '');
}

/** An RFC 3339 time at its own offset (the policy's local time), in words: 2026年12月4日 23:59. */
function when(rfc, lang) {
  var m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(rfc);
  if (!m) return rfc;
  var month = Number(m[2]);
  var day = Number(m[3]);
  return lang === 'en' ? day + ' ' + MONTHS[month - 1] + ' ' + m[1] + ', ' + m[4] + ':' + m[5] : m[1] + '年' + month + '月' + day + '日 ' + m[4] + ':' + m[5];
}

/** The label of `key` in one of the engine's vocabularies, or null for a value it does not name. */
function word(labels, vocabulary, key, lang) {
  var entries = labels[vocabulary];
  return entries && Object.prototype.hasOwnProperty.call(entries, key) ? entries[key][lang] : null;
}

function lineTitle(order, id) {
  var line = order.lines.filter(function (l) { return l.id === id; })[0];
  return (line && line.title) || id;
}

function items(decision, ctx) {
  return decision.items.map(function (item) {
    var notes = decision.messages.filter(function (m) { return m.line_id === item.line_id; }).map(function (m) { return m[ctx.lang]; });
    if (item.denial && !notes.length) notes.push(word(ctx.labels, 'code', item.denial.code, ctx.lang) || '');
    var also = item.eligible ? item.options.filter(function (o) { return o.available && o.kind !== decision.kind; }) : [];
    var basis = item.denial && item.denial.legal_ref ? word(ctx.labels, 'legal_ref', item.denial.legal_ref, ctx.lang) : null;
    var why = item.denial ? word(ctx.labels, 'code', item.denial.code, ctx.lang) : null;
    return {
      lineId: item.line_id,
      title: lineTitle(ctx.order, item.line_id),
      qty: item.qty,
      eligible: item.eligible,
      badge: item.eligible ? ctx.t.eligible : ctx.t.refused + (why ? ctx.t.colon + why : ''),
      notes: notes,
      basis: basis ? ctx.t.basis + ctx.t.colon + basis : '',
      warranty: item.warranty_until ? ctx.t.warrantyUntil(when(item.warranty_until, ctx.lang)) : '',
      fileBy: item.claim && item.claim.file_by ? ctx.t.fileBy(when(item.claim.file_by, ctx.lang)) : '',
      also: also.length ? ctx.t.alsoPossible + ctx.t.colon + also.map(function (o) { return word(ctx.labels, 'request_kind', o.kind, ctx.lang); }).join(' · ') : '',
    };
  });
}

function moneyRows(decision, ctx, m) {
  var refund = decision.refund;
  var rows = [{ label: ctx.t.goods, amount: m(refund.items) }];
  if (refund.shipping) rows.push({ label: ctx.t.shipping, amount: m(refund.shipping) });
  refund.deductions.forEach(function (x) { rows.push({ label: word(ctx.labels, 'deduction_kind', x.kind, ctx.lang), amount: m(-x.amount) }); });
  refund.given_back.forEach(function (x) { rows.push({ label: ctx.t.givenBack + ctx.t.colon + word(ctx.labels, 'deduction_kind', x.kind, ctx.lang), amount: m(x.amount) }); });
  return rows;
}

function terms(decision, ctx, m) {
  var t = ctx.t;
  var shipping = decision.return_shipping;
  var review = decision.messages.filter(function (x) { return x.code === 'REVIEW_REQUIRED'; }).map(function (x) { return x[ctx.lang]; }).join(' ');
  return {
    paidBackTo: decision.refund.by_tender.map(function (x) {
      var points = x.points !== undefined && x.points !== null ? ' (' + t.points(String(x.points).replace(/\B(?=(\d{3})+(?!\d))/g, ',')) + ')' : '';
      return word(ctx.labels, 'tender', x.tender, ctx.lang) + ' ' + m(x.amount) + points;
    }).join(t.list),
    postage: shipping.return_required ? t.payerPays(word(ctx.labels, 'payer', shipping.payer, ctx.lang)) : t.noReturn,
    // A coupon states its validity; cash (damages) the rule it follows.
    compensation: decision.compensation.map(function (c) {
      var basis = c.legal_ref ? word(ctx.labels, 'legal_ref', c.legal_ref, ctx.lang) : null;
      var terms = c.valid_until ? t.comma + t.validUntil(when(c.valid_until, ctx.lang)) : basis ? t.comma + t.basis + t.colon + basis : '';
      return word(ctx.labels, 'compensation_kind', c.kind, ctx.lang) + ' ' + m(c.amount) + terms;
    }),
    approval: decision.requirements.approval === 'auto' ? t.autoApproved : review || word(ctx.labels, 'tier', decision.requirements.approval, ctx.lang),
    notes: decision.messages.filter(function (x) { return !x.line_id && SHOWN_AS_STRUCTURE.indexOf(x.code) < 0; }).map(function (x) { return x[ctx.lang]; }),
    deadlines: decision.deadlines.filter(function (x) { return INTERNAL_DEADLINES.indexOf(x.what) < 0; }).map(function (x) {
      var name = word(ctx.labels, 'deadline', x.what, ctx.lang);
      var text = x.by ? t.by(when(x.by, ctx.lang)) + (x.provisional ? t.comma + t.provisional : '') : x.basis[ctx.lang];
      return (name ? name + t.colon : '') + text;
    }),
  };
}

/**
 * The decision as the page shows it. `ctx`: `{ lang, t (the page's words), labels, order,
 * digits (of the currency's minor unit) }`. Nothing but the items when nothing is granted.
 */
function view(decision, ctx) {
  if (decision.type === 'errors') {
    return { errors: decision.errors.map(function (e) { return word(ctx.labels, 'error', e.code, ctx.lang) || e.message; }), items: [], granted: false };
  }
  var m = function (amount) { return money(amount, decision.currency, ctx.digits); };
  var shown = { errors: [], items: items(decision, ctx), granted: decision.items.some(function (i) { return i.eligible; }) };
  if (!shown.granted) return shown;
  shown.rows = moneyRows(decision, ctx, m);
  shown.total = m(decision.refund.total);
  var more = terms(decision, ctx, m);
  Object.keys(more).forEach(function (key) { shown[key] = more[key]; });
  return shown;
}

/** What the button does: submit the eligible items only, or nothing. */
function submitState(decision, t) {
  var decided = decision && decision.type === 'decision' ? decision.items : [];
  var eligible = decided.filter(function (i) { return i.eligible; }).length;
  return {
    enabled: eligible > 0,
    text: eligible && eligible < decided.length ? t.submitSome(eligible) : t.submit,
    hint: !decision ? t.chooseFirst : eligible === 0 ? t.nothingEligible : eligible < decided.length ? t.refusedNotSent : '',
  };
}

/** What changed between the preview and the server's decision (a 409's `differences`), in words. */
function explain(differences, ctx, currency) {
  var out = [];
  var add = function (text) { if (out.indexOf(text) < 0) out.push(text); };
  differences.forEach(function (x) {
    if (x.path === 'refund.total' && typeof x.client === 'number' && typeof x.server === 'number') {
      add(ctx.t.total + ctx.t.colon + ctx.t.youSaw(money(x.client, currency, ctx.digits), money(x.server, currency, ctx.digits)));
    } else if (x.path === 'effects') add(ctx.t.ledgerMoved);
    else if (['policy_hash', 'policy_version', 'policy_id', 'engine_version'].indexOf(x.path) >= 0) add(ctx.t.policyChanged);
    else if (x.path.indexOf('refund.') !== 0) add(ctx.t.otherChanged);
  });
  if (!out.length) add(ctx.t.otherChanged);
  return out;
}

module.exports = { money: money, when: when, word: word, view: view, submitState: submitState, explain: explain };
