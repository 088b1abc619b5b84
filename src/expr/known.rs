//! Conditions an item's reason settles. Most per-item conditions of a policy test the reason
//! first (`reason.no_reason && …`, `reason.fault == "seller" && …`), and the reasons are a
//! catalogue known at compile: for each reason, each such condition is settled once when the
//! policy compiles, and items with that reason do not evaluate it.
//!
//! A condition is settled only when evaluating it would read nothing but the reason and
//! literals before its value is known, or only operands that cannot fail: skipping it can
//! never skip an arithmetic error the evaluation would have raised.

use super::check::{Const, Node};
use super::eval::{compare, Truth};
use super::fields::{reason_value, ReasonFacts};
use super::types::Val;

/// Whether `condition` holds for every item of reason `r`, if the reason alone settles it.
pub fn settled(condition: &Node, r: ReasonFacts<'_>) -> Option<bool> {
    match known(condition, r) {
        Known::Is(t) => Some(t == Truth::True),
        Known::Unknown { .. } => None,
    }
}

/// What the reason tells of a boolean node: its value (then evaluating it reads only the
/// reason and literals, and cannot fail), or nothing, and whether evaluating it can fail.
/// One pass over the node, bottom up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Known {
    Is(Truth),
    Unknown { infallible: bool },
}

impl Known {
    fn infallible(self) -> bool {
        !matches!(self, Known::Unknown { infallible: false })
    }
}

fn known(node: &Node, r: ReasonFacts<'_>) -> Known {
    let unknown = |infallible| Known::Unknown { infallible };
    match node {
        Node::Const(Const::Bool(b)) => Known::Is(Truth::of(*b)),
        Node::Field(_) => match value(node, r) {
            Some(Val::Bool(b)) => Known::Is(Truth::of(b)),
            Some(_) => Known::Is(Truth::Absent),
            None => unknown(true),
        },
        Node::Not(inner) => match known(inner, r) {
            Known::Is(t) => Known::Is(!t),
            other => other,
        },
        Node::And(left, right) => junction(left, right, r, Truth::False, Truth::and),
        Node::Or(left, right) => junction(left, right, r, Truth::True, Truth::or),
        Node::Compare(op, a, b) => match (value(a, r), value(b, r)) {
            (Some(a), Some(b)) => Known::Is(compare(*op, a, b)),
            _ => unknown(infallible(a) && infallible(b)),
        },
        Node::InStrs(needle, set) => match value(needle, r) {
            Some(Val::Str(x)) => Known::Is(Truth::of(set.binary_search_by(|probe| (**probe).cmp(x)).is_ok())),
            Some(_) => Known::Is(Truth::Absent),
            None => unknown(infallible(needle)),
        },
        Node::InNums(needle, _) => unknown(infallible(needle)),
        Node::InList(a, b) => unknown(infallible(a) && infallible(b)),
        Node::Const(_) | Node::Neg(_) | Node::Arith(..) | Node::Call(..) => unknown(infallible(node)),
    }
}

/// `&&` (`decisive` false) or `||` (`decisive` true), left to right as evaluation goes: a
/// settled left operand that decides the result leaves the right one unread.
fn junction(left: &Node, right: &Node, r: ReasonFacts<'_>, decisive: Truth, combine: fn(Truth, Truth) -> Truth) -> Known {
    match known(left, r) {
        Known::Is(l) if l == decisive => Known::Is(decisive),
        left => match (left, known(right, r)) {
            (Known::Is(l), Known::Is(x)) => Known::Is(combine(l, x)),
            // `x && false` is false (`x || true` true) whatever x is, when x cannot fail.
            (Known::Unknown { infallible: true }, Known::Is(x)) if x == decisive => Known::Is(decisive),
            (left, right) => Known::Unknown { infallible: left.infallible() && right.infallible() },
        },
    }
}

/// A literal's value, or a reason field's.
fn value<'v>(node: &'v Node, r: ReasonFacts<'v>) -> Option<Val<'v>> {
    match node {
        Node::Const(Const::Str(text)) => Some(Val::Str(text)),
        Node::Const(Const::Bool(b)) => Some(Val::Bool(*b)),
        Node::Field(field) => reason_value(field.path, r),
        _ => None,
    }
}

/// Whether evaluating a value node (an operand) can never fail: no arithmetic, no function.
fn infallible(node: &Node) -> bool {
    match node {
        Node::Const(_) | Node::Field(_) => true,
        Node::Not(inner) | Node::InStrs(inner, _) | Node::InNums(inner, _) => infallible(inner),
        Node::And(a, b) | Node::Or(a, b) | Node::Compare(_, a, b) | Node::InList(a, b) => infallible(a) && infallible(b),
        Node::Neg(_) | Node::Arith(..) | Node::Call(..) => false,
    }
}
