//! The golden corpus inside WebAssembly, in headless Chromium.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
#![cfg(target_arch = "wasm32")]

use aftersale_testkit::CASES;

use wasm_bindgen_test::{console_log, wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn golden_corpus_wasm_browser() {
    match aftersale_testkit::corpus::run_all(CASES) {
        Ok(n) => console_log!("corpus: {n} cases passed (wasm-browser)"),
        Err(failures) => panic!("{} of {} cases failed:\n{}", failures.len(), CASES.len(), failures.join("\n\n")),
    }
}
