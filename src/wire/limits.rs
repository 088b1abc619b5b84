//! Every bound the engine puts on what it reads, in one table: each one bounds the work done
//! and the size of the answer, and each is checked before the work it bounds.

/// Bounds on one JSON document, checked before any of it is parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParseLimits {
    pub max_bytes: usize,
    pub max_depth: usize,
    /// The longest string, in bytes as written: ids, codes and texts, so that no single value
    /// an answer copies (a line id into every trace entry) makes it large.
    pub max_string_bytes: usize,
}

/// The largest integer every host represents exactly (JavaScript's `Number.MAX_SAFE_INTEGER`):
/// every number read and every amount answered is within ±this.
pub const MAX_SAFE_INTEGER: i64 = 9_007_199_254_740_991;

/// One evaluation input (order, ledger, request, now), a service order input, effects to apply.
pub const INPUT_LIMITS: ParseLimits = ParseLimits { max_bytes: 1024 * 1024, max_depth: 32, max_string_bytes: 4096 };
/// A batch of evaluation inputs: one level deeper than an input.
pub const BATCH_LIMITS: ParseLimits = ParseLimits { max_bytes: 32 * 1024 * 1024, max_depth: 33, max_string_bytes: 4096 };
/// A policy document, with its previous versions: its strings include conditions.
pub const POLICY_LIMITS: ParseLimits = ParseLimits { max_bytes: 512 * 1024, max_depth: 32, max_string_bytes: 16 * 1024 };

/// The most work one evaluation does, in units of one condition node evaluated for one
/// item (see `decide::items::check_work`): checked before the work, and sized so that the
/// worst request within it takes tens of milliseconds natively (bench/README.md).
pub const MAX_WORK: u64 = 4_000_000;
/// The most a policy's compile spends settling conditions by reason (`expr::known`), in
/// condition nodes times reasons: a policy past it has every condition evaluated per item.
pub const MAX_SETTLING: u64 = 1_000_000;
/// The most work one batch does, all inputs together: the inputs past it are answered
/// `LIMIT_EXCEEDED` each, so that one call returns in about a second natively however its
/// 10,000 inputs are made (a typical input is a few thousand units).
pub const MAX_BATCH_WORK: u64 = 25 * MAX_WORK;
/// The longest answer to one input: past it the answer is a `LIMIT_EXCEEDED` error. A
/// decision of 500 items under a policy of many rules stays well within it.
pub const MAX_ANSWER_BYTES: usize = 8 * 1024 * 1024;
/// The longest answer to one batch, all inputs together: the inputs past it are answered
/// `LIMIT_EXCEEDED` each, so that every host can hold the text (Node's strings stop near
/// 512 M characters, a browser's `.wasm` memory near 4 GiB).
pub const MAX_BATCH_ANSWER_BYTES: usize = 64 * 1024 * 1024;
/// The most inputs one batch may hold.
pub const MAX_BATCH: usize = 10_000;
/// The most lines an order may have.
pub const MAX_LINES: usize = 500;
/// The most items one request may name.
pub const MAX_ITEMS: usize = 500;
/// The ledger's record per order line: at most one per line.
pub const MAX_LEDGER_LINES: usize = MAX_LINES;
/// Deductions: a few per line and rule.
pub const MAX_LEDGER_DEDUCTIONS: usize = 4 * MAX_LINES;
/// Compensation rules and restored coupons recorded on one order.
pub const MAX_LEDGER_ENTRIES: usize = 1_000;
/// The most entries of each list of one merged policy (rules, windows, reasons, messages …).
pub const MAX_RULES: usize = 1_000;
/// The longest customer text of a policy (a message, a title), per language.
pub const MAX_TEXT_CHARS: usize = 1_000;
/// How deep a policy's `extends` may chain.
pub const MAX_EXTENDS: usize = 4;
/// The most earlier versions one policy may carry.
pub const MAX_PREVIOUS_VERSIONS: usize = 32;
/// The most years of holidays a calendar may hold.
pub const MAX_YEARS: usize = 50;
/// The most dates or ranges one calendar year may list.
pub const MAX_DATES: usize = 400;
/// The most steps a service order's history may hold.
pub const MAX_HISTORY: usize = 200;
/// The most diagnostics one answer carries (a hostile policy could make thousands).
pub const MAX_ERRORS: usize = 50;
