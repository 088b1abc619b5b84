//! Every suggestion of every decision of the corpus is true: the request changed as it says,
//! decided again, does what it promises (the engine verified it before offering it; this
//! checks that from outside, through the JSON API, item by item).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
#![cfg(not(target_arch = "wasm32"))]

use aftersale_testkit::corpus::load_cases;
use aftersale_testkit::path::check_path;
use aftersale_testkit::CASES;

#[test]
fn every_suggestion_on_the_path_to_yes_holds() {
    let mut suggestions = 0;
    let mut failures = Vec::new();
    for (name, text) in CASES {
        for case in load_cases(name, text).unwrap() {
            match check_path(&case) {
                Ok(n) => suggestions += n,
                Err(e) => failures.push(e),
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(suggestions >= 50, "the corpus pins the path to yes ({suggestions} suggestions)");
}
