// The return-request page: the preview is decided in the browser by the engine's .wasm, once per
// change; the server decides again with its own clock and its own copy of the order. Every word
// of the engine's vocabulary comes from the package's `labels` and the policy's `describe()`;
// only the page's own chrome (headings, buttons, sentences around amounts) is written here.
import { init, compilePolicy, labels } from '/pkg/index.js';

const T = {
  'zh-CN': {
    colon: '：', comma: '，', list: '、', title: '售后申请', shopper: '买家', language: '语言', order: '订单', order_no: '订单号', what: '申请', kind: '售后类型', reason: '申请原因',
    pick_items: '选择要申请售后的商品', qty: '数量', gift_of: '赠品', returned_all: '已全部申请售后',
    condition: '商品状态', tags: '吊牌完好', packaging: '包装完好', used: '超出查验需要使用过', gifts: '赠品一并退回',
    evidence: '凭证', evidence_needs: '此原因需要', evidence_none: '此原因无需凭证，可选填', at_least: (n, unit) => `至少 ${n} ${unit}`,
    units: { photos: '张', package_photos: '张', videos: '段', description_chars: '字' }, chars: (n) => `已写 ${n} 字`,
    preview: '申请结果预览', submit: '提交申请', submit_some: (n) => `提交申请（${n} 件可申请的商品）`,
    choose: '请先选择商品', nothing_eligible: '所选商品都不能申请售后，无法提交', refused_not_sent: '不可申请的商品不会提交',
    eligible: '可以申请', refused: '不可申请', also_possible: '也可以申请', legal_basis: '依据', warranty_until: (d) => `保修至 ${d}`, file_by: (d) => `售后申请须在 ${d} 前提交`,
    refund: '退款明细', items: '商品金额', shipping: '运费', given_back: '补退', total: '退款合计', paid_back_to: '退回到',
    points: (n) => `${n} 积分`, coupons_restored: '退回的优惠券', postage: '退货运费', postage_by: (who) => `${who}承担`,
    no_return: '无需寄回商品', compensation: '补偿', valid_until: (d) => `${d} 前有效`, min_spend: (m) => `满 ${m} 可用`,
    approval: '审核', auto: '符合条件，提交后自动通过', notes: '提示', path: '这样即可办理', deadlines: '处理时限', by: (d) => `${d} 前`,
    provisional: '暂定：当年节假日安排尚未公布',
    accepted: (id) => `申请已受理，编号 ${id}`, accepted_total: '预计退款', mismatch: '提交时服务器的结果与预览不同，请查看下面的最新结果后再提交',
    you_saw: (a, b) => `预览为 ${a}，实际为 ${b}`, ledger_moved: '这笔订单刚有另一笔售后申请被受理', policy_changed: '售后规则已更新',
    other_changed: '申请条件有变化', eligibility_changed: (title, ok) => `${title}：${ok ? '可以申请' : '不可申请'}`,
    postage_changed: '退货运费承担方有变化', requirements_changed: '审核或凭证要求有变化', compensation_changed: '补偿有变化',
    refused_all: '该申请无法受理', busy: '服务繁忙，请稍后再试', offline: '网络连接失败，请稍后再试', errors: '输入有误',
    forbidden: '无权操作此订单', failed: '提交失败，请稍后再试',
  },
  en: {
    colon: ': ', comma: ', ', list: ', ', title: 'After-sales request', shopper: 'Shopper', language: 'Language', order: 'Order', order_no: 'Order', what: 'Request', kind: 'Kind of request', reason: 'Reason',
    pick_items: 'Choose the items this request is for', qty: 'Qty', gift_of: 'Gift', returned_all: 'already requested in full',
    condition: 'Condition', tags: 'Tags attached', packaging: 'Packaging intact', used: 'Used beyond inspection', gifts: 'Gifts returned too',
    evidence: 'Evidence', evidence_needs: 'This reason needs', evidence_none: 'This reason needs no evidence; add some if you like',
    at_least: (n, unit) => `at least ${n}${unit}`, units: { photos: '', package_photos: '', videos: '', description_chars: ' characters' }, chars: (n) => `${n} characters`,
    preview: 'What you will get', submit: 'Submit request', submit_some: (n) => `Submit request (${n} eligible item${n === 1 ? '' : 's'})`,
    choose: 'Choose an item first', nothing_eligible: 'None of the chosen items can be requested, so there is nothing to submit', refused_not_sent: 'Items that cannot be requested are not submitted',
    eligible: 'eligible', refused: 'not eligible', also_possible: 'Also possible', legal_basis: 'Basis', warranty_until: (d) => `Warranty until ${d}`, file_by: (d) => `File the claim by ${d}`,
    refund: 'Refund', items: 'Items', shipping: 'Shipping', given_back: 'Paid back now', total: 'Total refund', paid_back_to: 'Paid back to',
    points: (n) => `${n} points`, coupons_restored: 'Coupons given back', postage: 'Return postage', postage_by: (who) => `${who} pays`,
    no_return: 'no need to send the item back', compensation: 'Compensation', valid_until: (d) => `valid until ${d}`, min_spend: (m) => `on orders of ${m} or more`,
    approval: 'Review', auto: 'approved automatically on submission', notes: 'Please note', path: 'What would get it through', deadlines: 'Deadlines', by: (d) => `by ${d}`,
    provisional: 'provisional: this year\'s public holidays are not announced yet',
    accepted: (id) => `Request accepted, number ${id}`, accepted_total: 'Expected refund', mismatch: 'The server decided differently when you submitted; check the current result below and submit again',
    you_saw: (a, b) => `preview ${a}, actually ${b}`, ledger_moved: 'Another request on this order was just accepted', policy_changed: 'The after-sales rules were updated',
    other_changed: 'The conditions of the request changed', eligibility_changed: (title, ok) => `${title}: ${ok ? 'eligible' : 'not eligible'}`,
    postage_changed: 'Who pays return postage changed', requirements_changed: 'Review or evidence requirements changed', compensation_changed: 'Compensation changed',
    refused_all: 'Nothing in this request can be granted', busy: 'The server is busy; try again shortly', offline: 'Could not reach the server; try again shortly', errors: 'Input errors',
    forbidden: 'Not your order', failed: 'The request failed; try again shortly',
  },
};

/** Timers the platform keeps for itself (records, its own penalty line): not a promise to the shopper. */
const INTERNAL_DEADLINES = new Set(['record_retention', 'refund_penalty_line']);
/** Messages the outcome already shows as structure (items, the money table, postage). */
const SHOWN_AS_STRUCTURE = new Set(['ITEM_ELIGIBLE', 'REFUND_TOTAL', 'RETURN_POSTAGE', 'COMPENSATION_COUPON']);
/** Kinds under which the shopper keeps the goods: their condition is not asked. */
const KEEPS_GOODS = new Set(['refund_without_return', 'price_difference', 'goodwill']);

const $ = (id) => document.getElementById(id);
const state = {
  lang: 'zh-CN', orders: [], policies: new Map(), picks: new Map(),
  request: null, decision: null, evaluations: 0,
};
const t = (key) => T[state.lang][key];
const label = (vocabulary, key) => {
  const entry = labels[vocabulary] && labels[vocabulary][key];
  return entry ? entry[state.lang] : null;
};
const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
const headers = () => ({ Authorization: `Bearer ${$('shopper').value}`, 'Content-Type': 'application/json' });
const current = () => state.orders.find((o) => o.order.id === $('order').value) || state.orders[0];
const policyOf = (o) => state.policies.get(o.policy);
const lineTitle = (o, id) => {
  const line = o.order.lines.find((l) => l.id === id);
  return (line && line.title) || id;
};

/**
 * An amount of minor units in the currency's unit, for display. The integer is written out as
 * a decimal string, which Intl formats exactly: no float touches the amount.
 */
function money(minor, currency, digits) {
  const text = String(Math.abs(minor)).padStart(digits + 1, '0');
  const decimal = `${minor < 0 ? '-' : ''}${digits ? `${text.slice(0, -digits)}.${text.slice(-digits)}` : text}`;
  return new Intl.NumberFormat(state.lang, { style: 'currency', currency, currencyDisplay: 'narrowSymbol', minimumFractionDigits: digits, maximumFractionDigits: digits }).format(decimal);
}

/** An RFC 3339 time as its own local date and time (the policy's local time), in words. */
function when(rfc) {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(rfc);
  if (!m) return rfc;
  const local = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5])));
  return new Intl.DateTimeFormat(state.lang, { timeZone: 'UTC', year: 'numeric', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(local);
}

// ───────────────────────────── the form ─────────────────────────────

/** Writes every text of the page in the chosen language; the form's values stay as they are. */
function translate() {
  document.documentElement.lang = state.lang;
  for (const el of document.querySelectorAll('[data-t]')) el.textContent = t(el.dataset.t);
  for (const el of document.querySelectorAll('[data-label]')) {
    const [vocabulary, key] = el.dataset.label.split('.');
    el.textContent = label(vocabulary, key);
  }
  const order = $('order').value;
  $('order').innerHTML = state.orders.map((o) => `<option value="${esc(o.order.id)}">${esc(o.title[state.lang])} · ${t('order_no')} ${esc(o.order.id)}</option>`).join('');
  if (order) $('order').value = order;
  showChoices();
  showLines();
}

/** The kinds and reasons the order's policy offers, from its `describe()`, keeping the choice. */
function showChoices() {
  const o = current();
  if (!o) return;
  const { info } = policyOf(o);
  const options = (select, entries, fallback) => {
    const value = select.value;
    select.innerHTML = entries.map(([code, text]) => `<option value="${esc(code)}">${esc(text)}</option>`).join('');
    if (entries.some(([code]) => code === value)) select.value = value;
    else if (fallback) select.value = fallback;
  };
  options($('kind'), info.request_kinds.map((k) => [k, label('request_kind', k)]));
  // A fresh form starts at the reason that needs no fault and no evidence, where there is one.
  const easiest = info.reasons.find((r) => r.no_reason);
  options($('reason'), info.reasons.map((r) => [r.code, r.title[state.lang]]), easiest && easiest.code);
  showRequirements();
}

/** What the chosen reason asks for, and which parts of the form apply to the chosen kind. */
function showRequirements() {
  const o = current();
  const reason = o && policyOf(o).info.reasons.find((r) => r.code === $('reason').value);
  const needs = reason ? Object.entries(reason.evidence).filter(([, n]) => n > 0) : [];
  $('evidence-hint').textContent = needs.length
    ? `${t('evidence_needs')}${t('colon')}${needs.map(([what, n]) => `${label('evidence', what)} ${t('at_least')(n, t('units')[what])}`).join(t('list'))}`
    : t('evidence_none');
  for (const what of ['package_photos', 'videos']) {
    const needed = needs.some(([w]) => w === what) || Number($(what).value) > 0;
    $(what).closest('label').hidden = !needed;
  }
  $('condition-set').hidden = KEEPS_GOODS.has($('kind').value);
  $('gifts-row').hidden = !o || !o.order.lines.some((l) => l.gift);
}

/** Units of a line not yet requested, by the order's ledger. */
function remaining(o, line) {
  const record = ((o.ledger && o.ledger.lines) || []).find((r) => r.line_id === line.id);
  return line.quantity - ((record && record.returned_qty) || 0);
}

/** The shopper's choice for a line: kept per order and line across language and order switches. */
function pick(o, line) {
  const key = `${o.order.id}/${line.id}`;
  const left = remaining(o, line);
  const known = state.picks.get(key);
  const choice = known ? { on: known.on && left > 0, qty: Math.min(Math.max(1, known.qty), Math.max(1, left)) } : { on: left > 0, qty: Math.max(1, left) };
  state.picks.set(key, choice);
  return choice;
}

function showLines() {
  const o = current();
  if (!o) {
    $('lines').innerHTML = '';
    return;
  }
  const { currency } = o.order;
  const { minor_unit_digits: digits } = policyOf(o).info;
  const gifts = (id) => o.order.lines.filter((g) => g.gift && g.gift_for === id).map((g) => `<small class="gift">${t('gift_of')}${t('colon')}${esc(g.title || g.id)}</small>`).join('');
  $('lines').innerHTML = o.order.lines.filter((l) => !l.gift).map((l) => {
    const left = remaining(o, l);
    const choice = pick(o, l);
    return `<li class="line" data-line="${esc(l.id)}">
      <input type="checkbox" id="pick-${esc(l.id)}" data-line="${esc(l.id)}" ${choice.on ? 'checked' : ''} ${left > 0 ? '' : 'disabled'}>
      <label for="pick-${esc(l.id)}" class="product"><span class="name">${esc(l.title || l.id)}</span>
        <small>${money(l.unit_price, currency, digits)} × ${l.quantity}${left > 0 ? '' : ` · ${t('returned_all')}`}</small>${gifts(l.id)}</label>
      <label class="qty"><span>${t('qty')}</span> <input type="number" id="qty-${esc(l.id)}" data-line="${esc(l.id)}" min="1" max="${Math.max(1, left)}" value="${choice.qty}" inputmode="numeric" ${left > 0 ? '' : 'disabled'}></label>
      <span class="status" id="status-${esc(l.id)}"></span>
    </li>`;
  }).join('');
  showRequirements();
  if (state.decision) showOutcome();
}

function readRequest(o) {
  const keeps = KEEPS_GOODS.has($('kind').value);
  const items = o.order.lines.filter((l) => !l.gift && pick(o, l).on).map((l) => ({
    line_id: l.id,
    qty: pick(o, l).qty,
    reason: $('reason').value,
    ...(keeps ? {} : { condition: { tags_attached: $('tags').checked, packaging_intact: $('packaging').checked, used_beyond_inspection: $('used').checked } }),
  }));
  const count = (id) => Math.max(0, Math.trunc(Number($(id).value)) || 0);
  return {
    kind: $('kind').value,
    items,
    evidence: { photos: count('photos'), package_photos: count('package_photos'), videos: count('videos'), description_chars: [...$('description').value].length },
    ...(keeps ? {} : { gifts_returned: $('gifts').checked }),
  };
}

/** Decides the request as it stands: the one evaluation a change makes. */
function evaluate(o, request) {
  state.evaluations += 1;
  document.body.dataset.evaluations = String(state.evaluations);
  return policyOf(o).compiled.evaluate(o.order, request, new Date().toISOString(), o.ledger);
}

function preview() {
  const o = current();
  state.request = o ? readRequest(o) : null;
  state.decision = state.request && state.request.items.length ? evaluate(o, state.request) : null;
  showOutcome();
}

// ───────────────────────────── the outcome ─────────────────────────────

function renderErrors(d) {
  const text = (e) => [label('error', e.code), state.lang === 'en' || !label('error', e.code) ? e.message : null].filter(Boolean).join(': ');
  return `<p class="no">${t('errors')}</p><ul>${d.errors.map((e) => `<li>${esc(text(e))}</li>`).join('')}</ul>`;
}

function renderItems(o, d) {
  const say = (m) => esc(m[state.lang]);
  return `<ul class="items">${d.items.map((i) => {
    const notes = d.messages.filter((m) => m.line_id === i.line_id).map(say);
    const also = i.eligible ? i.options.filter((x) => x.available && x.kind !== d.kind).map((x) => esc(label('request_kind', x.kind))) : [];
    const basis = i.denial && i.denial.legal_ref ? label('legal_ref', i.denial.legal_ref) : null;
    return `<li class="item ${i.eligible ? 'ok' : 'no'}" data-item="${esc(i.line_id)}" data-eligible="${i.eligible}">
      <strong>${esc(lineTitle(o, i.line_id))} × ${i.qty}</strong> <span class="badge">${t(i.eligible ? 'eligible' : 'refused')}</span>
      ${i.denial && !notes.length ? `<div>${esc(label('code', i.denial.code) || '')}</div>` : ''}
      ${notes.map((n) => `<div>${n}</div>`).join('')}
      ${basis ? `<small>${t('legal_basis')}${t('colon')}${esc(basis)}</small>` : ''}
      ${also.length ? `<small>${t('also_possible')}${t('colon')}${also.join(' · ')}</small>` : ''}
      ${i.warranty_until ? `<small>${esc(t('warranty_until')(when(i.warranty_until)))}</small>` : ''}
      ${i.claim && i.claim.file_by ? `<small>${esc(t('file_by')(when(i.claim.file_by)))}</small>` : ''}
    </li>`;
  }).join('')}</ul>`;
}

function renderMoney(o, d, digits) {
  const m = (amount) => money(amount, d.currency, digits);
  const r = d.refund;
  const rows = [[t('items'), r.items]];
  if (r.shipping) rows.push([t('shipping'), r.shipping]);
  for (const x of r.deductions) rows.push([label('deduction_kind', x.kind), -x.amount]);
  for (const x of r.given_back) rows.push([`${t('given_back')}${t('colon')}${label('deduction_kind', x.kind)}`, x.amount]);
  const tenders = r.by_tender.map((x) => `${esc(label('tender', x.tender))} ${m(x.amount)}${x.points !== undefined && x.points !== null ? ` (${esc(t('points')(new Intl.NumberFormat(state.lang).format(x.points)))})` : ''}`);
  const discount = (id) => {
    const found = (o.order.discounts || []).find((x) => x.id === id);
    return found ? `${label('discount_kind', found.kind)} ${m(found.amount)}` : id;
  };
  return `<table id="refund-table"><caption>${t('refund')}</caption>
      ${rows.map(([k, v]) => `<tr><td>${esc(k)}</td><td class="num">${m(v)}</td></tr>`).join('')}
      <tr class="total"><th scope="row">${t('total')}</th><td class="num" id="total">${m(r.total)}</td></tr></table>
    ${tenders.length ? `<p>${t('paid_back_to')}${t('colon')}${tenders.join(t('list'))}</p>` : ''}
    ${r.coupons_restored.length ? `<p>${t('coupons_restored')}${t('colon')}${r.coupons_restored.map((id) => esc(discount(id))).join(t('list'))}</p>` : ''}`;
}

function renderTerms(d, digits) {
  const m = (amount) => money(amount, d.currency, digits);
  const rs = d.return_shipping;
  const postage = rs.return_required ? t('postage_by')(label('payer', rs.payer)) : t('no_return');
  // A coupon states its threshold and validity; cash (damages) the rule it follows.
  const coupons = d.compensation.map((c) => {
    const terms = c.valid_until
      ? `${c.min_spend ? `${t('comma')}${esc(t('min_spend')(m(c.min_spend)))}` : ''}${t('comma')}${esc(t('valid_until')(when(c.valid_until)))}`
      : c.legal_ref && label('legal_ref', c.legal_ref) ? `${t('comma')}${t('legal_basis')}${t('colon')}${esc(label('legal_ref', c.legal_ref))}` : '';
    return `<li>${esc(label('compensation_kind', c.kind))} ${m(c.amount)}${terms}</li>`;
  });
  const approval = d.requirements.approval === 'auto' ? t('auto') : d.messages.filter((x) => x.code === 'REVIEW_REQUIRED').map((x) => x[state.lang]).join(' ') || label('tier', d.requirements.approval);
  // The path to yes (what the shopper can do) apart from the other notes.
  const isPath = (x) => x.code.startsWith('PATH_');
  const notes = d.messages.filter((x) => !x.line_id && !SHOWN_AS_STRUCTURE.has(x.code) && x.code !== 'REVIEW_REQUIRED' && !isPath(x));
  const path = d.messages.filter((x) => !x.line_id && isPath(x));
  const deadlines = d.deadlines.filter((x) => !INTERNAL_DEADLINES.has(x.what)).map((x) => {
    const name = label('deadline', x.what);
    const text = x.by ? `${t('by')(when(x.by))}${x.provisional ? `（${t('provisional')}）` : ''}` : x.basis[state.lang];
    return `<li>${name ? `${esc(name)}${t('colon')}` : ''}${esc(text)}</li>`;
  });
  return `<p>${t('postage')}${t('colon')}<span id="postage">${esc(postage)}</span></p>
    ${coupons.length ? `<p>${t('compensation')}:</p><ul>${coupons.join('')}</ul>` : ''}
    <p>${t('approval')}${t('colon')}<span id="approval">${esc(approval)}</span></p>
    ${notes.length ? `<p>${t('notes')}:</p><ul id="notes">${notes.map((x) => `<li>${esc(x[state.lang])}</li>`).join('')}</ul>` : ''}
    ${path.length ? `<p>${t('path')}:</p><ul id="path">${path.map((x) => `<li>${esc(x[state.lang])}</li>`).join('')}</ul>` : ''}
    ${deadlines.length ? `<h3>${t('deadlines')}</h3><ul id="deadlines">${deadlines.join('')}</ul>` : ''}`;
}

/** A decision in the shopper's words: nothing but refusals when nothing can be granted. */
function render(o, d) {
  if (d.type === 'errors') return renderErrors(d);
  const items = renderItems(o, d);
  if (!d.items.some((i) => i.eligible)) return items;
  const { minor_unit_digits: digits } = policyOf(o).info;
  return `${items}${renderMoney(o, d, digits)}${renderTerms(d, digits)}`;
}

/** The preview, each line's badge, and whether (and what) the button submits. */
function showOutcome() {
  const o = current();
  const d = state.decision;
  $('out').innerHTML = o && d ? render(o, d) : `<p class="hint">${t('choose')}</p>`;
  for (const el of document.querySelectorAll('#lines .status')) el.textContent = '';
  const items = d && d.type === 'decision' ? d.items : [];
  for (const i of items) {
    const status = $(`status-${i.line_id}`);
    if (status) {
      const why = i.denial && label('code', i.denial.code);
      status.textContent = `${t(i.eligible ? 'eligible' : 'refused')}${why ? `${t('colon')}${why}` : ''}`;
      status.className = `status ${i.eligible ? 'ok' : 'no'}`;
    }
  }
  const eligible = items.filter((i) => i.eligible).length;
  const button = $('submit');
  button.disabled = eligible === 0;
  button.textContent = eligible && eligible < items.length ? t('submit_some')(eligible) : t('submit');
  $('submit-hint').textContent = !d ? t('choose') : eligible === 0 ? t('nothing_eligible') : eligible < items.length ? t('refused_not_sent') : '';
}

// ───────────────────────────── submitting ─────────────────────────────

/** What changed between the preview and the server's decision, in the shopper's words. */
function explainDifferences(o, differences, digits) {
  const out = new Set();
  for (const x of differences) {
    const item = /^items\[(\d+)\]\.(eligible|refund|qty)/.exec(x.path);
    if (x.path === 'refund.total' && Number.isSafeInteger(x.client) && Number.isSafeInteger(x.server)) {
      out.add(`${t('total')}${t('colon')}${t('you_saw')(money(x.client, o.order.currency, digits), money(x.server, o.order.currency, digits))}`);
    } else if (x.path === 'effects') out.add(t('ledger_moved'));
    else if (['policy_hash', 'policy_version', 'policy_id', 'engine_version'].includes(x.path)) out.add(t('policy_changed'));
    else if (item && item[2] === 'eligible' && typeof x.server === 'boolean') {
      const line = state.request && state.request.items[Number(item[1])];
      out.add(t('eligibility_changed')(line ? lineTitle(o, line.line_id) : '', x.server));
    } else if (x.path === 'return_shipping') out.add(t('postage_changed'));
    else if (x.path === 'requirements') out.add(t('requirements_changed'));
    else if (x.path === 'compensation') out.add(t('compensation_changed'));
    else if (!x.path.startsWith('refund.') && !item) out.add(t('other_changed'));
  }
  if (!out.size) out.add(t('other_changed'));
  return [...out];
}

/** The request to send: only the items the preview found eligible, decided as sent. */
function submission(o) {
  const eligible = new Set(state.decision.items.filter((i) => i.eligible).map((i) => i.line_id));
  if (eligible.size === state.request.items.length) return { request: state.request, decision: state.decision };
  const request = { ...state.request, items: state.request.items.filter((i) => eligible.has(i.line_id)) };
  return { request, decision: evaluate(o, request) };
}

async function post(body) {
  // One key per submission: if the answer is lost and the request is sent again, the server
  // answers what it answered the first time instead of deciding a second request.
  const send = { method: 'POST', headers: { ...headers(), 'Idempotency-Key': crypto.randomUUID() }, body: JSON.stringify(body) };
  try {
    return await fetch('/api/returns', send).catch(() => fetch('/api/returns', send));
  } catch {
    return null;
  }
}

function showAnswer(o, res, body, sent) {
  const out = $('result');
  out.dataset.status = res ? String(res.status) : 'offline';
  const digits = policyOf(o).info.minor_unit_digits;
  if (!res) out.innerHTML = `<p class="no">${t('offline')}</p>`;
  else if (res.status === 201) {
    out.innerHTML = `<p class="ok">${esc(t('accepted')(body.id))}</p><p>${t('accepted_total')}${t('colon')}${money(body.decision.refund.total, body.decision.currency, digits)}</p>`;
  } else if (res.status === 409 && body && body.decision) {
    state.request = sent;
    const why = explainDifferences(o, body.differences || [], digits);
    out.innerHTML = `<p class="no">${t('mismatch')}</p><ul id="why">${why.map((x) => `<li>${esc(x)}</li>`).join('')}</ul>${render(o, body.decision)}`;
  } else if (res.status === 422 && body && body.decision) out.innerHTML = `<p class="no">${t('refused_all')}</p>${render(o, body.decision)}`;
  else if (res.status === 400 && body && body.type === 'errors') out.innerHTML = renderErrors(body);
  else if (res.status === 403 || res.status === 401) out.innerHTML = `<p class="no">${t('forbidden')}</p>`;
  else if (res.status === 503) out.innerHTML = `<p class="no">${t('busy')}</p>`;
  else out.innerHTML = `<p class="no">${t('failed')}</p>`;
}

async function submit(event) {
  event.preventDefault();
  const o = current();
  if (!o || !state.decision || state.decision.type !== 'decision' || !state.decision.items.some((i) => i.eligible)) return;
  const { request, decision } = submission(o);
  $('submit').disabled = true;
  const res = await post({ order_id: o.order.id, request, decision });
  const body = res ? await res.json().catch(() => null) : null;
  showAnswer(o, res, body, request);
  // Accepted, or decided on a ledger that has moved: decide the next request on the order's
  // ledger as the server now has it.
  if (res && (res.status === 201 || res.status === 409 || res.status === 422)) await loadOrders();
  else showOutcome();
}

async function loadOrders() {
  const res = await fetch('/api/orders', { headers: headers() }).catch(() => null);
  state.orders = res && res.ok ? await res.json() : [];
  for (const o of state.orders) {
    if (!state.policies.has(o.policy)) {
      const doc = await (await fetch(`/api/policies/${encodeURIComponent(o.policy)}`, { headers: headers() })).json();
      const compiled = compilePolicy(doc);
      state.policies.set(o.policy, { compiled, info: compiled.describe() });
    }
  }
  translate();
  preview();
}

await init();
$('lang').addEventListener('change', () => {
  state.lang = $('lang').value;
  translate();
});
$('shopper').addEventListener('change', () => {
  $('result').innerHTML = '';
  loadOrders();
});
// One evaluation per change: `input` fires once for every edit of any control.
$('form').addEventListener('input', (e) => {
  const el = e.target;
  if (el.id === 'order') {
    $('result').innerHTML = '';
    state.decision = null;
    showChoices();
    showLines();
  } else if (el.dataset.line) {
    const o = current();
    const line = o.order.lines.find((l) => l.id === el.dataset.line);
    const choice = pick(o, line);
    if (el.type === 'checkbox') choice.on = el.checked;
    else if (Number(el.value) >= 1) choice.qty = Math.min(Math.trunc(Number(el.value)), Math.max(1, remaining(o, line)));
  } else if (el.id === 'reason' || el.id === 'kind') showRequirements();
  preview();
});
$('form').addEventListener('submit', submit);
translate();
await loadOrders();
document.body.dataset.ready = 'true';
