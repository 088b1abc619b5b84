// The JavaScript API over the wasm-bindgen glue, shared by every entry point. Only strings
// cross into WebAssembly: the object API is JSON.stringify → evaluateJson → JSON.parse,
// so both flavours give the same answer by construction. ES2017 syntax only.

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

function inputError(path, message) {
  return JSON.stringify({ type: 'errors', errors: [{ code: 'INVALID_TYPE', path: path, message: message }] });
}

/** Builds the API around an initialised glue module (`getGlue()` returns it or throws). */
export function makeApi(getGlue) {
  class CompiledPolicy {
    constructor(inner) {
      this._inner = inner;
      const info = JSON.parse(inner.infoJson());
      this.id = info.policy_id;
      this.version = info.policy_version;
      this.hash = info.policy_hash;
    }

    _live() {
      if (!this._inner) throw new Error('aftersale-rules: this policy was freed');
      return this._inner;
    }

    /** `{"order":…,"request":…,"now":"…"}` as text in, the answer as canonical JSON text out. */
    evaluateJson(inputJson) {
      if (typeof inputJson !== 'string') return inputError('', 'evaluateJson takes a JSON string');
      return this._live().evaluateJson(inputJson);
    }

    /** Objects in, the answer as an object out: `{type: "decision", …}` or `{type: "errors", errors}`. */
    evaluate(order, request, now) {
      let text;
      try {
        text = JSON.stringify({ order: order, request: request, now: now });
      } catch (e) {
        return JSON.parse(inputError('', 'the input cannot be written as JSON: ' + e.message));
      }
      return JSON.parse(this.evaluateJson(text));
    }

    /**
     * Moves a service order: `{"service_order", "event", "actor", "now"}` as text in; a
     * transition (store its `service_order`), a refusal, or errors out. Without `event` and
     * `actor`, the order's deadlines and escalation at `now`.
     */
    serviceOrderJson(inputJson) {
      if (typeof inputJson !== 'string') return inputError('', 'serviceOrderJson takes a JSON string');
      return this._live().serviceOrderJson(inputJson);
    }

    /** Object flavour of serviceOrderJson: `transition(serviceOrder, event, actor, now)`. */
    transition(serviceOrder, event, actor, now) {
      return JSON.parse(this.serviceOrderJson(JSON.stringify({ service_order: serviceOrder, event: event, actor: actor, now: now })));
    }

    /** Deadlines and escalation of a service order at `now`. */
    status(serviceOrder, now) {
      return JSON.parse(this.serviceOrderJson(JSON.stringify({ service_order: serviceOrder, now: now })));
    }

    free() {
      if (this._inner) {
        this._inner.free();
        this._inner = null;
      }
    }
  }

  /** Compiles a policy (object or JSON text) once, for many evaluations. Throws PolicyError. */
  function compilePolicy(policy) {
    const glue = getGlue();
    const text = typeof policy === 'string' ? policy : JSON.stringify(policy);
    const inner = new glue.Policy(text);
    const errors = inner.errorsJson();
    if (errors) {
      inner.free();
      throw new PolicyError(errors);
    }
    return new CompiledPolicy(inner);
  }

  function version() {
    return getGlue().version();
  }

  return { compilePolicy: compilePolicy, version: version, PolicyError: PolicyError };
}
