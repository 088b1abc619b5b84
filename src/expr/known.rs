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
    known(condition, r).map(|t| t == Truth::True)
}

fn known(node: &Node, r: ReasonFacts<'_>) -> Option<Truth> {
    match node {
        Node::Const(Const::Bool(b)) => Some(Truth::of(*b)),
        Node::Field(_) => match value(node, r)? {
            Val::Bool(b) => Some(Truth::of(b)),
            _ => Some(Truth::Absent),
        },
        Node::Not(inner) => known(inner, r).map(|t| !t),
        Node::And(left, right) => match known(left, r) {
            Some(Truth::False) => Some(Truth::False),
            Some(l) => known(right, r).map(|x| l.and(x)),
            // `x && false` is false whatever x is, when x cannot fail.
            None => (infallible(left) && known(right, r) == Some(Truth::False)).then_some(Truth::False),
        },
        Node::Or(left, right) => match known(left, r) {
            Some(Truth::True) => Some(Truth::True),
            Some(l) => known(right, r).map(|x| l.or(x)),
            None => (infallible(left) && known(right, r) == Some(Truth::True)).then_some(Truth::True),
        },
        Node::Compare(op, a, b) => Some(compare(*op, value(a, r)?, value(b, r)?)),
        Node::InStrs(needle, set) => Some(match value(needle, r)? {
            Val::Str(x) => Truth::of(set.binary_search_by(|probe| (**probe).cmp(x)).is_ok()),
            _ => Truth::Absent,
        }),
        Node::Const(_) | Node::Neg(_) | Node::InNums(..) | Node::InList(..) | Node::Arith(..) | Node::Call(..) => None,
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

/// Whether evaluating `node` can never fail (no arithmetic, no function).
fn infallible(node: &Node) -> bool {
    match node {
        Node::Const(_) | Node::Field(_) => true,
        Node::Not(inner) | Node::InStrs(inner, _) | Node::InNums(inner, _) => infallible(inner),
        Node::And(a, b) | Node::Or(a, b) | Node::Compare(_, a, b) | Node::InList(a, b) => infallible(a) && infallible(b),
        Node::Neg(_) | Node::Arith(..) | Node::Call(..) => false,
    }
}
