// The playground: edit a policy, an order (and its ledger), a request and "now", and see what
// the engine decides — the decision, its messages, its trace, and every error at its place in
// the text. Everything runs in the browser on the package's .wasm; the page's state is its
// address (#…), so a case can be shared by copying it.
import { init, compilePolicy, labels, PolicyError } from '/pkg/index.js';

const $ = (id) => document.getElementById(id);
const FIELDS = ['policy', 'order', 'ledger', 'request', 'now'];
const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

const SAMPLE = {
  policy: JSON.stringify({
    id: 'my-shop', version: '2026-11-01', extends: 'platform-default',
    rules: [{ id: 'big-refunds', when: 'item.refund > 50000fen', require_review: 'supervisor' }],
  }, null, 2),
  order: JSON.stringify({
    id: 'O-1001', currency: 'CNY', placed_at: '2026-11-01T10:00:00+08:00', paid_at: '2026-11-01T10:01:00+08:00',
    shipped_at: '2026-11-02T09:00:00+08:00', delivered_at: '2026-11-03T15:00:00+08:00', shipping_fee: 800,
    lines: [
      { id: 'L1', title: 'Linen shirt', category: 'apparel', unit_price: 29900, quantity: 2 },
      { id: 'L2', title: 'Phone', category: 'electronics', unit_price: 399900, quantity: 1, facts: { activated: true, nature_confirmed: true } },
    ],
  }, null, 2),
  ledger: '',
  request: JSON.stringify({
    kind: 'refund_with_return',
    items: [{ line_id: 'L1', qty: 1, reason: 'no_reason' }, { line_id: 'L2', qty: 1, reason: 'no_reason' }],
  }, null, 2),
  now: '2026-11-08T20:00:00+08:00',
};

/** UTF-8 text as base64url, and back: the page's address holds its state. */
const toHash = (state) => btoa(String.fromCharCode(...new TextEncoder().encode(JSON.stringify(state)))).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
function fromHash(hash) {
  try {
    const bin = atob(hash.replaceAll('-', '+').replaceAll('_', '/'));
    const state = JSON.parse(new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0))));
    return FIELDS.every((f) => typeof state[f] === 'string') ? state : null;
  } catch {
    return null;
  }
}

/**
 * Where each JSON path's value starts in `text` (`lines[0].id` → offset), read as far as the
 * text is JSON: errors name paths, the page shows lines and columns.
 */
function positions(text) {
  const at = new Map();
  let i = 0;
  const ws = () => { while (/\s/.test(text[i] || '')) i++; };
  const string = () => {
    let out = '';
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\\') { out += text[i + 1] === 'u' ? String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16)) : text[i + 1]; i += text[i + 1] === 'u' ? 6 : 2; } else out += text[i++];
    }
    i++;
    return out;
  };
  const value = (path) => {
    ws();
    at.set(path, i);
    if (text[i] === '{') {
      i++; ws();
      while (i < text.length && text[i] !== '}') {
        ws();
        if (text[i] !== '"') return;
        const key = string();
        ws(); if (text[i] !== ':') return; i++;
        value(path ? `${path}.${key}` : key);
        ws(); if (text[i] === ',') i++; else if (text[i] !== '}') return;
      }
      i++;
    } else if (text[i] === '[') {
      i++; ws();
      for (let k = 0; i < text.length && text[i] !== ']'; k++) {
        value(`${path}[${k}]`);
        ws(); if (text[i] === ',') i++; else if (text[i] !== ']') return;
      }
      i++;
    } else if (text[i] === '"') string();
    else while (i < text.length && !/[\s,\]}]/.test(text[i])) i++;
  };
  value('');
  return at;
}

/** 1-based line and column of `offset` in `text`. */
function lineColumn(text, offset) {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

/** Where an error of the engine is in the page's fields: `{field, line, column}`. */
function place(error, texts) {
  const [root, ...rest] = error.path.split('.');
  const field = root.replace(/\[.*$/, '');
  if (!FIELDS.includes(field) || field === 'now') return { field: FIELDS.includes(field) ? field : null };
  const text = texts[field];
  const syntax = /at line (\d+), column (\d+)$/.exec(error.message);
  if (syntax && field === 'policy') return { field, line: Number(syntax[1]), column: Number(syntax[2]) };
  const inner = rest.join('.') || root.slice(field.length).replace(/^\./, '');
  let offset = positions(text).get(inner);
  if (offset === undefined) return { field };
  // Inside a rule expression: its column, after the opening quote.
  if (error.column && text[offset] === '"') offset += error.column;
  return { field, ...lineColumn(text, offset) };
}

function texts() {
  return Object.fromEntries(FIELDS.map((f) => [f, $(f).value]));
}

function showErrors(list, fields) {
  for (const f of FIELDS) $(f).classList.remove('bad');
  $('errors').innerHTML = list.map(({ error, where }) => {
    if (where.field) $(where.field).classList.add('bad');
    const spot = where.line ? ` (${where.field} line ${where.line}, column ${where.column})` : where.field ? ` (${where.field})` : '';
    return `<div class="error"><code>${esc(error.code)}</code> at <b>${esc(error.path || fields)}</b>${esc(spot)}: ${esc(error.message)}${error.help ? `<br><small>${esc(error.help)}</small>` : ''}</div>`;
  }).join('');
}

function money(minor, currency) {
  const format = new Intl.NumberFormat($('lang').value, { style: 'currency', currency });
  return format.format(minor / 10 ** format.resolvedOptions().maximumFractionDigits);
}

function label(vocabulary, value) {
  const entry = labels[vocabulary] && labels[vocabulary][value];
  return entry ? entry[$('lang').value] : value;
}

function showDecision(d) {
  const lang = $('lang').value;
  const items = d.items.map((i) => {
    const verdict = i.eligible
      ? `<span class="ok">${esc(label('code', 'ITEM_ELIGIBLE'))}</span> · ${esc(i.window ? `${i.window.rule} → ${i.window.closes_at}` : '')}`
      : `<span class="no">${esc(label('code', i.denial.code))}</span> <code>${esc(i.denial.code)}</code>${i.denial.legal_ref ? ` · ${esc(label('legal_ref', i.denial.legal_ref))}` : ''}`;
    return `<tr><td>${esc(i.line_id)} ×${i.qty}</td><td>${verdict}</td><td>${esc(money(i.refund.amount, d.currency))}</td></tr>`;
  }).join('');
  const rs = d.return_shipping;
  const postage = rs.return_required ? label('payer', rs.payer) : rs.destroy_on_site ? 'no return: destroyed on site' : 'no return needed';
  $('decision').innerHTML = `<h2>Decision</h2><table><tbody>${items}</tbody></table>
    <p>Refund <b id="total">${esc(money(d.refund.total, d.currency))}</b> · postage: ${esc(postage)} · approval: ${esc(label('tier', d.requirements.approval))}</p>`;
  $('messages').innerHTML = d.messages.map((m) => `<li>${esc(m[lang])}</li>`).join('');
  $('trace').tBodies[0].innerHTML = d.trace.map((t) => `<tr><td>${esc(t.rule)}</td><td>${esc(t.line_id || '')}</td><td>${esc(t.effect)}</td></tr>`).join('');
}

function clearDecision() {
  $('decision').innerHTML = '';
  $('messages').innerHTML = '';
  $('trace').tBodies[0].innerHTML = '';
}

let compiled = null;
let compiledText = null;

/** Decides the page's case once; the address keeps it. */
function run() {
  const t = texts();
  history.replaceState(null, '', `#${toHash(t)}`);
  document.body.dataset.runs = String(Number(document.body.dataset.runs || 0) + 1);
  if (t.policy !== compiledText) {
    if (compiled) compiled.free();
    compiled = null;
    compiledText = t.policy;
    try {
      compiled = compilePolicy(t.policy);
    } catch (e) {
      if (!(e instanceof PolicyError)) throw e;
      clearDecision();
      $('json').textContent = e.answerJson;
      $('status').textContent = 'The policy does not compile';
      showErrors(e.errors.map((error) => ({ error, where: place(error, t) })), 'policy');
      return;
    }
  }
  if (!compiled) return;
  // Each field must be JSON on its own first, so that a syntax error is placed in its field.
  for (const f of ['order', 'ledger', 'request']) {
    if (f === 'ledger' && t.ledger.trim() === '') continue;
    try {
      JSON.parse(t[f]);
    } catch (e) {
      clearDecision();
      $('status').textContent = `The ${f} is not JSON`;
      showErrors([{ error: { code: 'INVALID_JSON', path: f, message: e.message }, where: { field: f } }], f);
      return;
    }
  }
  const input = `{"order":${t.order},${t.ledger.trim() ? `"ledger":${t.ledger},` : ''}"request":${t.request},"now":${JSON.stringify(t.now)}}`;
  const answerJson = compiled.evaluateJson(input);
  const answer = JSON.parse(answerJson);
  $('json').textContent = JSON.stringify(answer, null, 2);
  if (answer.type === 'errors') {
    clearDecision();
    $('status').textContent = 'The input has errors';
    showErrors(answer.errors.map((error) => ({ error, where: place(error, t) })), 'input');
    return;
  }
  showErrors([], '');
  $('status').textContent = `Decided under ${answer.policy_id}@${answer.policy_version} at ${answer.evaluated_at}`;
  showDecision(answer);
}

let timer = null;
function changed() {
  clearTimeout(timer);
  timer = setTimeout(run, 150);
}

function load(state) {
  for (const f of FIELDS) $(f).value = state[f];
}

await init();
load(fromHash(location.hash.slice(1)) || SAMPLE);
for (const f of FIELDS) $(f).addEventListener('input', changed);
$('lang').addEventListener('change', run);
$('reset').addEventListener('click', () => { load(SAMPLE); run(); });
run();
document.body.dataset.ready = 'true';
