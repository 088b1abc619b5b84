//! Every view of every input of the corpus answers the full answer with the view's parts
//! left out, byte for byte in what it keeps (the work it skips changes nothing else).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
#![cfg(not(target_arch = "wasm32"))]

use aftersale_testkit::corpus::load_cases;
use aftersale_testkit::views::check_views;
use aftersale_testkit::CASES;

#[test]
fn every_view_is_the_full_answer_with_parts_left_out() {
    let mut compared = 0;
    let mut failures = Vec::new();
    for (name, text) in CASES {
        for case in load_cases(name, text).unwrap() {
            match check_views(&case) {
                Ok(n) => compared += n,
                Err(e) => failures.push(e),
            }
        }
    }
    assert!(failures.is_empty(), "{} cases differ; the first:\n{}", failures.len(), failures.join("\n"));
    assert!(compared >= 4000, "the corpus pins every view ({compared} answers compared)");
}
