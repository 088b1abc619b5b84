//! Evaluation of a checked expression. Types were settled at compile time; the only
//! failures left are arithmetic ones, which surface as input errors, never as panics.

use super::check::{Const, Node};
use super::fields::Scope;
use super::parser::BinOp;
use super::types::EvalError;
use super::types::Val;

/// Whether a condition holds: `true` only when it evaluates to `true` (absent does not match).
pub fn holds(node: &Node, s: &Scope<'_>) -> Result<bool, EvalError> {
    Ok(truth(node, s)? == Truth::True)
}

/// A boolean node's value in three-valued logic. Conditions are mostly `&&`, `||`, `!` and
/// comparisons: evaluated here, a byte in a register, not a [`Val`] through [`eval`]'s frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Truth {
    False,
    True,
    Absent,
}

impl std::ops::Not for Truth {
    type Output = Truth;

    fn not(self) -> Truth {
        match self {
            Truth::False => Truth::True,
            Truth::True => Truth::False,
            Truth::Absent => Truth::Absent,
        }
    }
}

impl Truth {
    pub fn of(b: bool) -> Truth {
        if b {
            Truth::True
        } else {
            Truth::False
        }
    }

    /// Kleene logic: false wins an `&&`, true wins an `||`, otherwise absent is contagious.
    pub fn and(self, other: Truth) -> Truth {
        match (self, other) {
            (Truth::False, _) | (_, Truth::False) => Truth::False,
            (Truth::True, Truth::True) => Truth::True,
            _ => Truth::Absent,
        }
    }

    pub fn or(self, other: Truth) -> Truth {
        match (self, other) {
            (Truth::True, _) | (_, Truth::True) => Truth::True,
            (Truth::False, Truth::False) => Truth::False,
            _ => Truth::Absent,
        }
    }

    fn val(self) -> Val<'static> {
        match self {
            Truth::False => Val::Bool(false),
            Truth::True => Val::Bool(true),
            Truth::Absent => Val::Absent,
        }
    }
}

#[cfg_attr(aftersale_speed, optimize(speed))]
fn truth(node: &Node, s: &Scope<'_>) -> Result<Truth, EvalError> {
    Ok(match node {
        Node::Const(Const::Bool(b)) => Truth::of(*b),
        Node::Field(field) => match (field.get)(s) {
            Val::Bool(b) => Truth::of(b),
            _ => Truth::Absent,
        },
        Node::Not(inner) => !truth(inner, s)?,
        // The right operand is evaluated only when the left does not settle the result.
        Node::And(l, r) => match truth(l, s)? {
            Truth::False => Truth::False,
            left => left.and(truth(r, s)?),
        },
        Node::Or(l, r) => match truth(l, s)? {
            Truth::True => Truth::True,
            left => left.or(truth(r, s)?),
        },
        Node::Compare(op, l, r) => compare(*op, eval(l, s)?, eval(r, s)?),
        Node::InStrs(needle, set) => match eval(needle, s)? {
            Val::Str(x) => Truth::of(set.binary_search_by(|probe| (**probe).cmp(x)).is_ok()),
            _ => Truth::Absent,
        },
        Node::InNums(needle, set) => match eval(needle, s)? {
            Val::Int(x) | Val::Money(x) | Val::Duration(x) => Truth::of(set.binary_search(&x).is_ok()),
            _ => Truth::Absent,
        },
        Node::InList(needle, list) => match (eval(needle, s)?, eval(list, s)?) {
            (Val::Str(x), Val::StrList(items)) => Truth::of(items.iter().any(|i| i == x)),
            _ => Truth::Absent,
        },
        Node::Const(_) | Node::Neg(_) | Node::Arith(..) | Node::Call(..) => match eval(node, s)? {
            Val::Bool(b) => Truth::of(b),
            _ => Truth::Absent,
        },
    })
}

#[cfg_attr(aftersale_speed, optimize(speed))]
fn eval<'v>(node: &'v Node, s: &Scope<'v>) -> Result<Val<'v>, EvalError> {
    Ok(match node {
        Node::Const(c) => match c {
            Const::Bool(b) => Val::Bool(*b),
            Const::Int(n) => Val::Int(*n),
            Const::Money(n) => Val::Money(*n),
            Const::Duration(n) => Val::Duration(*n),
            Const::Str(text) => Val::Str(text),
        },
        Node::Field(field) => (field.get)(s),
        Node::Neg(inner) => match eval(inner, s)? {
            Val::Int(n) => Val::Int(n.checked_neg().ok_or(EvalError::Overflow)?),
            Val::Money(n) => Val::Money(n.checked_neg().ok_or(EvalError::Overflow)?),
            Val::Duration(n) => Val::Duration(n.checked_neg().ok_or(EvalError::Overflow)?),
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
        Node::Not(_) | Node::And(..) | Node::Or(..) | Node::Compare(..) | Node::InStrs(..) | Node::InNums(..) | Node::InList(..) => {
            truth(node, s)?.val()
        }
    })
}

pub fn compare(op: BinOp, l: Val<'_>, r: Val<'_>) -> Truth {
    use std::cmp::Ordering;
    // Text is mostly compared for equality (`line.category == "apparel"`): lengths first.
    if let (Val::Str(a), Val::Str(b), BinOp::Eq | BinOp::Ne) = (l, r, op) {
        return Truth::of((a == b) == (op == BinOp::Eq));
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
    let Some(o) = ordering else { return Truth::Absent };
    Truth::of(match op {
        BinOp::Eq => o == Ordering::Equal,
        BinOp::Ne => o != Ordering::Equal,
        BinOp::Lt => o == Ordering::Less,
        BinOp::Le => o != Ordering::Greater,
        BinOp::Gt => o == Ordering::Greater,
        BinOp::Ge => o != Ordering::Less,
        _ => return Truth::Absent,
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
