// Runs corpus cases through an API (`compilePolicy`, `PolicyError`) and returns the failures.
// No Node APIs: the browser pages and the bundled apps import this same file.
export function runCases(api, cases) {
  const failures = [];
  for (const c of cases) {
    let actual;
    let policy = null;
    try {
      policy = api.compilePolicy(c.policy);
      actual = c.service ? policy.serviceOrderJson(c.input) : policy.evaluateJson(c.input);
    } catch (e) {
      if (e && e.name === 'PolicyError') actual = e.answerJson;
      else actual = 'threw: ' + (e && e.stack ? e.stack : e);
    } finally {
      if (policy) policy.free();
    }
    if (actual !== c.expect) failures.push(c.name + '\n  expected: ' + c.expect + '\n  actual:   ' + actual);
  }
  return failures;
}

/** Fetches the cases bundle, runs it, and publishes `{count, failures}` for the test driver. */
export async function runPage(api, init) {
  try {
    await init();
    const cases = await (await fetch('/cases.json')).json();
    const failures = runCases(api, cases);
    window.__result = { count: cases.length, failures };
  } catch (e) {
    window.__result = { count: 0, failures: ['page error: ' + (e && e.stack ? e.stack : e)] };
  }
  document.body.textContent = JSON.stringify({ count: window.__result.count, failures: window.__result.failures.length });
}
