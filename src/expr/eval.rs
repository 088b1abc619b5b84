//! Evaluation of a checked expression. Types were settled at compile time; the only
//! failures left are arithmetic ones, which surface as input errors, never as panics.

use super::check::{Const, Node};
use super::fields::Scope;
use super::parser::BinOp;
use super::types::EvalError;
use super::types::Val;

/// Whether a condition holds: `true` only when it evaluates to `true` (absent does not match).
pub fn holds(node: &Node, s: &Scope<'_>) -> Result<bool, EvalError> {
    Ok(eval(node, s)? == Val::Bool(true))
}

#[cfg_attr(aftersale_speed, optimize(speed))]
pub fn eval<'v>(node: &'v Node, s: &Scope<'v>) -> Result<Val<'v>, EvalError> {
    Ok(match node {
        Node::Const(c) => match c {
            Const::Bool(b) => Val::Bool(*b),
            Const::Int(n) => Val::Int(*n),
            Const::Money(n) => Val::Money(*n),
            Const::Duration(n) => Val::Duration(*n),
            Const::Str(text) => Val::Str(text),
        },
        Node::Field(field) => (field.get)(s),
        Node::Not(inner) => match eval(inner, s)? {
            Val::Bool(b) => Val::Bool(!b),
            _ => Val::Absent,
        },
        Node::Neg(inner) => match eval(inner, s)? {
            Val::Int(n) => Val::Int(n.checked_neg().ok_or(EvalError::Overflow)?),
            Val::Money(n) => Val::Money(n.checked_neg().ok_or(EvalError::Overflow)?),
            Val::Duration(n) => Val::Duration(n.checked_neg().ok_or(EvalError::Overflow)?),
            _ => Val::Absent,
        },
        // Kleene logic: false wins an `&&`, true wins an `||`, otherwise absent is contagious.
        Node::And(l, r) => match eval(l, s)? {
            Val::Bool(false) => Val::Bool(false),
            left => match (left, eval(r, s)?) {
                (_, Val::Bool(false)) => Val::Bool(false),
                (Val::Bool(true), Val::Bool(true)) => Val::Bool(true),
                _ => Val::Absent,
            },
        },
        Node::Or(l, r) => match eval(l, s)? {
            Val::Bool(true) => Val::Bool(true),
            left => match (left, eval(r, s)?) {
                (_, Val::Bool(true)) => Val::Bool(true),
                (Val::Bool(false), Val::Bool(false)) => Val::Bool(false),
                _ => Val::Absent,
            },
        },
        Node::Compare(op, l, r) => compare(*op, eval(l, s)?, eval(r, s)?),
        Node::InStrs(needle, set) => match eval(needle, s)? {
            Val::Str(x) => Val::Bool(set.binary_search_by(|probe| (**probe).cmp(x)).is_ok()),
            _ => Val::Absent,
        },
        Node::InNums(needle, set) => match eval(needle, s)? {
            Val::Int(x) | Val::Money(x) | Val::Duration(x) => Val::Bool(set.binary_search(&x).is_ok()),
            _ => Val::Absent,
        },
        Node::InList(needle, list) => match (eval(needle, s)?, eval(list, s)?) {
            (Val::Str(x), Val::StrList(items)) => Val::Bool(items.iter().any(|i| i == x)),
            _ => Val::Absent,
        },
        Node::Arith(op, l, r) => arith(*op, eval(l, s)?, eval(r, s)?)?,
        Node::Call(function, args) => {
            let mut values = [Val::Absent; 2];
            for (slot, arg) in values.iter_mut().zip(args.iter()) {
                *slot = eval(arg, s)?;
            }
            (function.eval)(values.get(..args.len()).unwrap_or(&values), s)?
        }
    })
}

fn compare<'v>(op: BinOp, l: Val<'v>, r: Val<'v>) -> Val<'v> {
    use std::cmp::Ordering;
    // Text is mostly compared for equality (`line.category == "apparel"`): lengths first.
    if let (Val::Str(a), Val::Str(b), BinOp::Eq | BinOp::Ne) = (l, r, op) {
        return Val::Bool((a == b) == (op == BinOp::Eq));
    }
    let ordering: Option<Ordering> = match (l, r) {
        (Val::Bool(a), Val::Bool(b)) => Some(a.cmp(&b)),
        (Val::Str(a), Val::Str(b)) => Some(a.cmp(b)),
        (Val::Int(a), Val::Int(b))
        | (Val::Money(a), Val::Money(b))
        | (Val::Time(a), Val::Time(b))
        | (Val::Duration(a), Val::Duration(b)) => Some(a.cmp(&b)),
        _ => None,
    };
    let Some(o) = ordering else { return Val::Absent };
    Val::Bool(match op {
        BinOp::Eq => o == Ordering::Equal,
        BinOp::Ne => o != Ordering::Equal,
        BinOp::Lt => o == Ordering::Less,
        BinOp::Le => o != Ordering::Greater,
        BinOp::Gt => o == Ordering::Greater,
        BinOp::Ge => o != Ordering::Less,
        _ => return Val::Absent,
    })
}

/// Arithmetic on the combinations the checker admits; every step is checked.
fn arith<'v>(op: BinOp, l: Val<'v>, r: Val<'v>) -> Result<Val<'v>, EvalError> {
    let of = |v: Option<i64>| v.ok_or(EvalError::Overflow);
    let div = |a: i64, b: i64| if b == 0 { Err(EvalError::DivisionByZero) } else { of(a.checked_div_euclid(b)) };
    Ok(match (op, l, r) {
        (BinOp::Add, Val::Int(a), Val::Int(b)) => Val::Int(of(a.checked_add(b))?),
        (BinOp::Sub, Val::Int(a), Val::Int(b)) => Val::Int(of(a.checked_sub(b))?),
        (BinOp::Mul, Val::Int(a), Val::Int(b)) => Val::Int(of(a.checked_mul(b))?),
        (BinOp::Div, Val::Int(a), Val::Int(b)) => Val::Int(div(a, b)?),
        (BinOp::Add, Val::Money(a), Val::Money(b)) => Val::Money(of(a.checked_add(b))?),
        (BinOp::Sub, Val::Money(a), Val::Money(b)) => Val::Money(of(a.checked_sub(b))?),
        (BinOp::Mul, Val::Money(a), Val::Int(b)) | (BinOp::Mul, Val::Int(b), Val::Money(a)) => Val::Money(of(a.checked_mul(b))?),
        (BinOp::Div, Val::Money(a), Val::Int(b)) => Val::Money(div(a, b)?),
        (BinOp::Add, Val::Duration(a), Val::Duration(b)) => Val::Duration(of(a.checked_add(b))?),
        (BinOp::Sub, Val::Duration(a), Val::Duration(b)) => Val::Duration(of(a.checked_sub(b))?),
        (BinOp::Mul, Val::Duration(a), Val::Int(b)) | (BinOp::Mul, Val::Int(b), Val::Duration(a)) => Val::Duration(of(a.checked_mul(b))?),
        (BinOp::Add, Val::Time(a), Val::Duration(b)) | (BinOp::Add, Val::Duration(b), Val::Time(a)) => Val::Time(of(a.checked_add(b))?),
        (BinOp::Sub, Val::Time(a), Val::Duration(b)) => Val::Time(of(a.checked_sub(b))?),
        (BinOp::Sub, Val::Time(a), Val::Time(b)) => Val::Duration(of(a.checked_sub(b))?),
        _ => Val::Absent,
    })
}
