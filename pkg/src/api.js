// The JavaScript API over the wasm-bindgen glue, shared by every entry point (browser,
// bundlers, Node ESM and CommonJS, mini-programs). Only strings cross into WebAssembly: the
// object API is JSON.stringify → *Json → JSON.parse, so both flavours give the same answer
// by construction. ES2017 syntax only (mini-program engines reject newer syntax).
//
// Trap recovery: a panic inside WebAssembly traps and poisons the instance for every later
// call. Each call goes through `guarded`: on a trap it drops the instance, instantiates a
// fresh one, recompiles every live policy from its JSON, and retries once; if that traps
// too, the answer is a structured ENGINE_TRAPPED error. Hosts that can only instantiate
// asynchronously (mini-programs) answer ENGINE_RESTARTING while the new instance loads.

/** Thrown by compilePolicy when the policy does not compile; `errors` are plain objects. */
export class PolicyError extends Error {
  constructor(answerJson) {
    const answer = JSON.parse(answerJson);
    super(answer.errors.map(function (e) { return e.path + ': ' + e.message; }).join('\n'));
    this.name = 'PolicyError';
    this.errors = answer.errors;
    this.answerJson = answerJson;
  }
}

function errorsJson(code, path, message, help) {
  const error = { code: code, path: path, message: message };
  if (help) error.help = help;
  return JSON.stringify({ type: 'errors', errors: [error] });
}

// `encodeInto` writes into the instance's memory directly; hosts without it (mini-program
// shims) pass strings through the glue.
const encoder = typeof TextEncoder === 'function' && typeof TextEncoder.prototype.encodeInto === 'function' ? new TextEncoder() : null;
/** Texts up to this many UTF-16 units are written in place (room for 3 bytes each: 3 MiB). */
const FAST_INPUT_CHARS = 1 << 20;

function isTrap(e) {
  // WebAssembly.RuntimeError, or the host's equivalent (WXWebAssembly has no global constructor).
  return !!e && (e.name === 'RuntimeError' || (typeof WebAssembly !== 'undefined' && e instanceof WebAssembly.RuntimeError));
}

/**
 * Builds the API around a host engine:
 *   engine.glue()    the initialised copy of the wasm-bindgen glue in use (its exports: Policy,
 *                    applyEffectsJson, version), or null while none is (before init, or while
 *                    restarting asynchronously)
 *   engine.restart() a fresh copy of the glue with a fresh instance; true when it is in use
 *                    already, false when the host instantiates asynchronously (calls answer
 *                    ENGINE_RESTARTING meanwhile)
 * A policy compiled in one copy calls into that copy's instance only.
 */
export function makeApi(engine) {
  const live = new Map(); // id → { text, inner }: what recovery recompiles
  let memoryOf = null; // the glue whose instance's memory `memory` is
  let memory = null;
  let nextId = 1;
  const finalizer = typeof FinalizationRegistry === 'function'
    ? new FinalizationRegistry(function (id) { release(id); })
    : null;

  function ensureReady() {
    if (!engine.glue()) throw new Error('aftersale-rules: not initialised; call and await init() first');
  }

  function release(id) {
    const entry = live.get(id);
    if (!entry) return;
    live.delete(id);
    try { entry.inner.free(); } catch (e) { /* the instance it belonged to is gone */ }
  }

  /** Replaces the instance and recompiles every live policy in it. */
  function restartAll() {
    let synchronous;
    try { synchronous = engine.restart(); } catch (e) { return false; }
    live.forEach(function (entry) {
      // The old handle points into the dropped instance: release it through the glue's public
      // free(), which detaches it before calling in (a call the dead instance may refuse).
      try { entry.inner.free(); } catch (e) { /* the instance it belonged to is gone */ }
      entry.inner = null;
      if (synchronous) entry.inner = new (engine.glue().Policy)(entry.text);
    });
    return synchronous;
  }

  /** Recompiles policies after an asynchronous restart completed; `null` for a call of no policy. */
  function revive(entry) {
    const glue = engine.glue();
    if (!entry) return !!glue;
    if (!entry.inner && glue) entry.inner = new glue.Policy(entry.text);
    return !!entry.inner;
  }

  /**
   * Writes `text` as UTF-8 straight into the instance's input buffer with one native
   * `encodeInto` and answers its length in bytes, or -1 where the host has no `encodeInto` or
   * the text is large (then wasm-bindgen's string argument, which copies ASCII one character
   * at a time in JavaScript: about 5 µs of a 1 KB request). Both give the same bytes.
   */
  function written(text) {
    const glue = engine.glue();
    // The client build has no input buffer (size first): strings go through the glue there.
    if (encoder === null || text.length > FAST_INPUT_CHARS || typeof glue.inputBuffer !== 'function') return -1;
    if (memoryOf !== glue) {
      memory = glue.inputMemory();
      memoryOf = glue;
    }
    const room = text.length * 3;
    const at = glue.inputBuffer(room);
    return encoder.encodeInto(text, new Uint8Array(memory.buffer, at, room)).written;
  }

  function guarded(entry, call) {
    if (!revive(entry)) return errorsJson('ENGINE_RESTARTING', '', 'the engine is restarting after a fault; try again shortly');
    try {
      return call(entry && entry.inner);
    } catch (e) {
      if (!isTrap(e)) throw e;
      if (!restartAll()) return errorsJson('ENGINE_RESTARTING', '', 'the engine hit a fault and is restarting; try again shortly');
      try {
        return call(entry && entry.inner);
      } catch (e2) {
        if (!isTrap(e2)) throw e2;
        restartAll();
        return errorsJson('ENGINE_TRAPPED', '', 'the engine trapped on this input twice, in two fresh instances',
          'this is a bug in the engine: report the input; the engine was restarted and other calls are unaffected');
      }
    }
  }

  class CompiledPolicy {
    constructor(id, infoJson) {
      const info = JSON.parse(infoJson);
      this._id = id;
      this._info = infoJson;
      this.id = info.policy_id;
      this.version = info.policy_version;
      this.hash = info.policy_hash;
    }

    /**
     * What a return form renders from: the reasons (titles, fault, evidence), the request kinds
     * and resolutions the windows offer, the windows, the categories the conditions name, the
     * currency and the local time. A fresh object each call.
     */
    describe() {
      return JSON.parse(this._info);
    }

    _entry() {
      const entry = live.get(this._id);
      if (!entry) throw new Error('aftersale-rules: this policy was freed');
      return entry;
    }

    /** `{"order":…,"request":…,"now":"…"}` as text in, the answer as canonical JSON text out. */
    evaluateJson(inputJson) {
      if (typeof inputJson !== 'string') return errorsJson('INVALID_TYPE', '', 'evaluateJson takes a JSON string');
      return guarded(this._entry(), function (inner) {
        const bytes = written(inputJson);
        return bytes < 0 ? inner.evaluateJson(inputJson) : inner.evaluateInput(bytes);
      });
    }

    /**
     * Objects in, the answer as an object out: `{type: "decision", …}` or `{type: "errors", errors}`.
     * `ledger` is what the order's ledger records of earlier accepted requests (none when absent);
     * `view` what the answer carries (the full answer when absent).
     */
    evaluate(order, request, now, ledger, view) {
      const input = ledger === undefined ? { order: order, request: request, now: now } : { order: order, ledger: ledger, request: request, now: now };
      if (view !== undefined) input.view = view;
      return viaJson(input, this.evaluateJson.bind(this));
    }

    /** A JSON array of inputs in, a JSON array of answers out (one boundary crossing). */
    evaluateBatchJson(inputsJson) {
      if (typeof inputsJson !== 'string') return errorsJson('INVALID_TYPE', '', 'evaluateBatchJson takes a JSON string');
      return guarded(this._entry(), function (inner) {
        const bytes = written(inputsJson);
        return bytes < 0 ? inner.evaluateBatchJson(inputsJson) : inner.evaluateBatchInput(bytes);
      });
    }

    /** `[{order, request, now}, …]` in, `[answer, …]` out. */
    evaluateBatch(inputs) {
      return viaJson(inputs, this.evaluateBatchJson.bind(this));
    }

    /**
     * Moves a service order: `{"service_order", "event", "actor", "now"}` as text in; a
     * transition (store its `service_order`), a refusal, or errors out. Without `event` and
     * `actor`: the order's deadlines and escalation at `now`.
     */
    serviceOrderJson(inputJson) {
      if (typeof inputJson !== 'string') return errorsJson('INVALID_TYPE', '', 'serviceOrderJson takes a JSON string');
      return guarded(this._entry(), function (inner) { return inner.serviceOrderJson(inputJson); });
    }

    /** Object flavour of serviceOrderJson. */
    transition(serviceOrder, event, actor, now) {
      return viaJson({ service_order: serviceOrder, event: event, actor: actor, now: now }, this.serviceOrderJson.bind(this));
    }

    /** Deadlines and escalation of a service order at `now`. */
    status(serviceOrder, now) {
      return viaJson({ service_order: serviceOrder, now: now }, this.serviceOrderJson.bind(this));
    }

    /** Releases the compiled policy now (otherwise it is released when garbage-collected). */
    free() {
      if (finalizer) finalizer.unregister(this);
      release(this._id);
    }
  }

  /**
   * Writes an object input as JSON and hands it to `call`; what JSON cannot carry (BigInt,
   * cycles) is answered as an input error instead of thrown.
   */
  function viaJson(value, call) {
    let text;
    try {
      text = JSON.stringify(value);
      // JSON writes NaN and ±Infinity as null: find them (only when a null is there at all).
      if (text !== undefined && text.indexOf('null') >= 0) JSON.stringify(value, finiteOnly);
    } catch (e) {
      const where = e && e.path !== undefined ? ' at `' + e.path + '`' : '';
      return JSON.parse(errorsJson('INVALID_TYPE', e && e.path !== undefined ? e.path : '', 'the input cannot be written as JSON' + where + ': ' + (e && e.message),
        'amounts are integers in minor units: pass finite numbers, not BigInt, NaN or Infinity'));
    }
    return JSON.parse(call(text === undefined ? 'null' : text));
  }

  /** A JSON.stringify replacer that refuses numbers JSON cannot hold. */
  function finiteOnly(key, v) {
    if (typeof v === 'number' && !isFinite(v)) {
      const e = new Error('`' + v + '` is not a finite number');
      e.path = key;
      throw e;
    }
    return v;
  }

  /** Compiles a policy (object or JSON text) once, for many evaluations. Throws PolicyError. */
  function compilePolicy(policy) {
    ensureReady();
    const text = typeof policy === 'string' ? policy : JSON.stringify(policy);
    let inner;
    try {
      inner = new (engine.glue().Policy)(text);
    } catch (e) {
      if (!isTrap(e) || !restartAll()) throw e;
      inner = new (engine.glue().Policy)(text);
    }
    const errors = inner.errorsJson();
    if (errors) {
      inner.free();
      throw new PolicyError(errors);
    }
    const id = nextId++;
    live.set(id, { text: text, inner: inner });
    const handle = new CompiledPolicy(id, inner.infoJson());
    if (finalizer) finalizer.register(handle, id, handle);
    return handle;
  }

  function version() {
    ensureReady();
    return engine.glue().version();
  }

  /**
   * Records an accepted decision's effects: `{"order","ledger","effects"}` as text in,
   * `{"type":"ledger","ledger":…}` (the ledger to store) or the errors out.
   */
  function applyEffectsJson(inputJson) {
    ensureReady();
    if (typeof inputJson !== 'string') return errorsJson('INVALID_TYPE', '', 'applyEffectsJson takes a JSON string');
    return guarded(null, function () { return engine.glue().applyEffectsJson(inputJson); });
  }

  /** Object flavour of applyEffectsJson: the ledger to store, or `{type: "errors", errors}`. */
  function applyEffects(order, ledger, effects) {
    const answer = viaJson({ order: order, ledger: ledger === undefined ? {} : ledger, effects: effects }, applyEffectsJson);
    return answer.type === 'ledger' ? answer.ledger : answer;
  }

  return { compilePolicy: compilePolicy, version: version, applyEffects: applyEffects, applyEffectsJson: applyEffectsJson, PolicyError: PolicyError };
}
