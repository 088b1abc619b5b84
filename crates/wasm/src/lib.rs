//! The JavaScript binding: the only crate that names `wasm_bindgen`. Only text crosses the
//! boundary (as strings, or in the server build as UTF-8 the host writes into the instance's
//! memory); the package's JavaScript wraps it into the object API.

use aftersale_rules::CompiledPolicy;
#[cfg(not(aftersale_client))]
use std::cell::RefCell;
use wasm_bindgen::prelude::wasm_bindgen;

// The input written in place is the server build's: the client build (`aftersale_client`,
// size first) takes strings through wasm-bindgen, and the package's JavaScript asks which.
#[cfg(not(aftersale_client))]
thread_local! {
    /// The next input's UTF-8, written in place by the host (`inputBuffer`), then decided by
    /// `evaluateInput`: one native `TextEncoder.encodeInto`, where wasm-bindgen's string
    /// argument copies an ASCII text one character at a time in JavaScript (bench/README.md).
    static INPUT: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// The room the buffer keeps between calls; a larger room, made for a larger input, is given
/// back to the allocator at the next smaller one.
#[cfg(not(aftersale_client))]
const KEPT_INPUT_BYTES: usize = 1 << 20;

/// Room for `capacity` bytes where the host writes the next input's UTF-8 (only what it
/// writes is read back); its address in the instance's memory. Valid until the next call
/// into the instance.
#[cfg(not(aftersale_client))]
#[wasm_bindgen(js_name = inputBuffer)]
pub fn input_buffer(capacity: usize) -> *mut u8 {
    INPUT.with_borrow_mut(|buffer| {
        // Grown when too small, never cleared: no bytes are zeroed again on every call.
        if buffer.len() > KEPT_INPUT_BYTES.max(capacity) {
            buffer.truncate(capacity);
            buffer.shrink_to_fit();
        }
        if buffer.len() < capacity {
            buffer.resize(capacity, 0);
        }
        buffer.as_mut_ptr()
    })
}

/// The instance's memory, where the host finds `inputBuffer`'s room.
#[cfg(not(aftersale_client))]
#[wasm_bindgen(js_name = inputMemory)]
pub fn input_memory() -> wasm_bindgen::JsValue {
    wasm_bindgen::memory()
}

/// The first `len` bytes of the input buffer as text, to `f`; a text that is not UTF-8 (the
/// host wrote something else than `encodeInto` would) is refused as `INVALID_JSON`.
#[cfg(not(aftersale_client))]
fn with_input(len: usize, f: impl FnOnce(&str) -> String) -> String {
    INPUT.with_borrow(|buffer| match std::str::from_utf8(buffer.get(..len).unwrap_or_default()) {
        Ok(text) => f(text),
        Err(e) => aftersale_rules::errors_json(&[aftersale_rules::Diagnostic::new(
            aftersale_rules::Code::InvalidJson,
            "",
            format!("the input is not UTF-8 (at byte {})", e.valid_up_to()),
        )]),
    })
}

/// A compiled policy, or the errors that kept it from compiling.
#[wasm_bindgen]
pub struct Policy {
    compiled: Result<CompiledPolicy, String>,
}

impl std::fmt::Debug for Policy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.compiled.is_ok() { "Policy(compiled)" } else { "Policy(errors)" })
    }
}

#[wasm_bindgen]
impl Policy {
    /// Compiles a policy from its JSON text. Check `errorsJson()` before evaluating.
    #[wasm_bindgen(constructor)]
    pub fn new(policy_json: &str) -> Policy {
        Policy { compiled: aftersale_rules::compile_policy_json(policy_json).map_err(|e| aftersale_rules::errors_json(&e)) }
    }

    /// `""` when the policy compiled, else `{"type":"errors","errors":[…]}`.
    #[wasm_bindgen(js_name = errorsJson)]
    pub fn errors_json(&self) -> String {
        match &self.compiled {
            Ok(_) => String::new(),
            Err(e) => e.clone(),
        }
    }

    /// `{"type":"policy",…}` with the policy's id, version and hash.
    #[wasm_bindgen(js_name = infoJson)]
    pub fn info_json(&self) -> String {
        match &self.compiled {
            Ok(p) => aftersale_rules::policy_info_json(p),
            Err(e) => e.clone(),
        }
    }

    /// Decides `{"order":…,"request":…,"now":…}` and answers JSON.
    #[wasm_bindgen(js_name = evaluateJson)]
    pub fn evaluate_json(&self, input_json: &str) -> String {
        test_trap::maybe_trap(input_json);
        match &self.compiled {
            Ok(p) => aftersale_rules::evaluate_json(p, input_json),
            Err(e) => e.clone(),
        }
    }

    /// `evaluateJson` of the `len` bytes written into `inputBuffer`.
    #[cfg(not(aftersale_client))]
    #[wasm_bindgen(js_name = evaluateInput)]
    pub fn evaluate_input(&self, len: usize) -> String {
        with_input(len, |text| self.evaluate_json(text))
    }

    /// `evaluateBatchJson` of the `len` bytes written into `inputBuffer`.
    #[cfg(not(aftersale_client))]
    #[wasm_bindgen(js_name = evaluateBatchInput)]
    pub fn evaluate_batch_input(&self, len: usize) -> String {
        with_input(len, |text| self.evaluate_batch_json(text))
    }

    /// Decides a JSON array of inputs; answers a JSON array of answers.
    #[wasm_bindgen(js_name = evaluateBatchJson)]
    pub fn evaluate_batch_json(&self, inputs_json: &str) -> String {
        test_trap::maybe_trap(inputs_json);
        match &self.compiled {
            Ok(p) => aftersale_rules::evaluate_batch_json(p, inputs_json),
            Err(e) => e.clone(),
        }
    }

    /// Moves a service order or reports its deadlines and escalation; answers JSON.
    #[wasm_bindgen(js_name = serviceOrderJson)]
    pub fn service_order_json(&self, input_json: &str) -> String {
        match &self.compiled {
            Ok(p) => aftersale_rules::service_order_json(p, input_json),
            Err(e) => e.clone(),
        }
    }
}

/// A trap on demand, compiled only into the test build of the package (feature `test-trap`)
/// that exercises the JavaScript wrapper's recovery: `armTrap(n)` makes the next `n` entry
/// calls trap, the way a bug would poison the instance; an input containing
/// `__always_trap__` traps every time, also on the wrapper's retry.
#[cfg(feature = "test-trap")]
mod test_trap {
    use std::sync::atomic::{AtomicU32, Ordering};
    use wasm_bindgen::prelude::wasm_bindgen;

    static ARMED: AtomicU32 = AtomicU32::new(0);

    #[wasm_bindgen(js_name = armTrap)]
    pub fn arm_trap(times: u32) {
        ARMED.store(times, Ordering::SeqCst);
    }

    pub fn maybe_trap(input: &str) {
        if input.contains("__always_trap__") {
            core::arch::wasm32::unreachable();
        }
        if ARMED.load(Ordering::SeqCst) > 0 {
            ARMED.fetch_sub(1, Ordering::SeqCst);
            core::arch::wasm32::unreachable();
        }
    }
}

#[cfg(not(feature = "test-trap"))]
mod test_trap {
    #[inline(always)]
    pub fn maybe_trap(_input: &str) {}
}

/// Records an accepted decision's effects: `{"order","ledger","effects"}` in, the ledger to
/// store (or the errors) out.
#[wasm_bindgen(js_name = applyEffectsJson)]
pub fn apply_effects_json(input_json: &str) -> String {
    test_trap::maybe_trap(input_json);
    aftersale_rules::apply_effects_json(input_json)
}

/// The engine version.
#[wasm_bindgen]
pub fn version() -> String {
    aftersale_rules::ENGINE_VERSION.to_owned()
}
