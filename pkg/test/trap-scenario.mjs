// Trap recovery as every host must do it, against the test-only build (`FEATURES=test-trap`):
// one trap (armTrap) is recovered by a fresh instance and a retry; an input that traps every
// time (`__always_trap__`) is a structured ENGINE_TRAPPED error; other live policies survive;
// the engine keeps answering. Hosts that can only instantiate asynchronously (mini-programs)
// answer ENGINE_RESTARTING meanwhile and recover once `settled()` resolves; `asynchronous`
// says which the host must do (true, false), or undefined when either is right (a browser may
// refuse synchronous instantiation on its main thread). No Node APIs: the browser page imports
// this file too.
//
// Returns the list of failures (empty when the host recovers as it should) and the count of
// checks made.
export async function trapScenario({ api, armTrap, sample, other, asynchronous, settled }) {
  const failures = [];
  let checks = 0;
  const check = (ok, what) => {
    checks += 1;
    if (!ok) failures.push(what);
  };
  const code = (text) => {
    try {
      const answer = JSON.parse(text);
      return answer.type === 'errors' ? answer.errors[0].code : answer.type;
    } catch (e) {
      return 'not JSON: ' + text;
    }
  };
  const a = api.compilePolicy(sample.policy);
  const b = api.compilePolicy(other.policy);
  check(a.evaluateJson(sample.input) === sample.expect, 'answers before any trap');

  armTrap(1);
  let answer = a.evaluateJson(sample.input);
  const restarting = code(answer) === 'ENGINE_RESTARTING';
  if (asynchronous !== undefined) check(restarting === asynchronous, (asynchronous ? 'an asynchronous' : 'a synchronous') + ' restart was expected, got ' + code(answer));
  if (restarting) {
    await settled(a);
    answer = a.evaluateJson(sample.input);
  }
  check(answer === sample.expect, 'one trap is recovered: the same answer from a fresh instance');
  check(b.evaluateJson(other.input) === other.expect, 'another live policy was recompiled into the new instance');

  answer = a.evaluateJson('{"__always_trap__": true}');
  check(code(answer) === (restarting ? 'ENGINE_RESTARTING' : 'ENGINE_TRAPPED'), 'an input that always traps is a structured error, got ' + code(answer));
  if (restarting) await settled(a);
  check(a.evaluateJson(sample.input) === sample.expect, 'the engine answers again after the second trap');
  check(a.evaluateBatchJson('[' + sample.input + ']') === '[' + sample.expect + ']', 'batches work after recovery');
  const c = api.compilePolicy(other.policy);
  check(c.evaluateJson(other.input) === other.expect, 'a policy compiled after recovery answers');
  for (let i = 0; i < 200; i++) {
    if (i % 50 === 0 && !restarting) armTrap(1);
    if (a.evaluateJson(sample.input) !== sample.expect) {
      check(false, 'evaluation ' + i + ' after repeated recoveries');
      break;
    }
  }
  a.free();
  b.free();
  c.free();
  return { failures, checks };
}
