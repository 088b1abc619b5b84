//! The one table of functions: name, parameters, type rule and implementation. Any
//! deviation from the usual meaning is noted at the entry.

use super::fields::Scope;
use super::types::{Base, EvalError, Ty, Val};
use crate::money::{apply_bp, Money};
use crate::time::Instant;
use chrono::{Datelike, NaiveDate};

/// A type rule: the result type, or the index of the offending argument and why.
pub type TypeRule = fn(&[Ty]) -> Result<Ty, (usize, String)>;
pub type Implementation = for<'v> fn(&[Val<'v>], &Scope<'_>) -> Result<Val<'v>, EvalError>;

#[derive(Debug)]
pub struct Function {
    pub name: &'static str,
    /// The signature as documented, e.g. `days_between(from: time, to: time) -> integer`.
    pub signature: &'static str,
    pub arity: usize,
    pub check: TypeRule,
    pub eval: Implementation,
}

fn expect(tys: &[Ty], i: usize, base: Base) -> Result<(), (usize, String)> {
    match tys.get(i) {
        Some(t) if t.base == base => Ok(()),
        Some(t) => Err((i, format!("expected {}, got {}", base.name(), t.name()))),
        None => Err((i, "missing argument".into())),
    }
}

fn ordered(tys: &[Ty], i: usize) -> Result<Base, (usize, String)> {
    match tys.get(i) {
        Some(t) if matches!(t.base, Base::Int | Base::Money | Base::Time | Base::Duration) => Ok(t.base),
        Some(t) => Err((i, format!("expected a number, money, a time or a duration, got {}", t.name()))),
        None => Err((i, "missing argument".into())),
    }
}

/// The result is absent when any argument is.
fn optional_if_any(base: Base, tys: &[Ty]) -> Ty {
    Ty { base, optional: tys.iter().any(|t| t.optional), domain: super::types::Domain::Any }
}

fn local_date(t: i64, s: &Scope<'_>) -> Result<NaiveDate, EvalError> {
    Instant(t).local_date(s.zone).ok_or(EvalError::Overflow)
}

/// The ordered pair of two values of one kind, or `None` for mixed or absent ones.
fn same_kind(a: Val<'_>, b: Val<'_>) -> Option<(i64, i64)> {
    match (a, b) {
        (Val::Int(x), Val::Int(y))
        | (Val::Money(x), Val::Money(y))
        | (Val::Time(x), Val::Time(y))
        | (Val::Duration(x), Val::Duration(y)) => Some((x, y)),
        _ => None,
    }
}

fn pick<'v>(args: &[Val<'v>], take_first: fn(i64, i64) -> bool) -> Val<'v> {
    match (args.first(), args.get(1)) {
        (Some(&a), Some(&b)) => match same_kind(a, b) {
            Some((x, y)) => {
                if take_first(x, y) {
                    a
                } else {
                    b
                }
            }
            None => Val::Absent,
        },
        _ => Val::Absent,
    }
}

/// Every function, sorted by name.
pub const FUNCTIONS: &[Function] = &[
    Function {
        name: "bp",
        signature: "bp(amount: money, rate: integer) -> money  (amount × rate / 10000, rounded by the policy's rounding)",
        arity: 2,
        check: |t| {
            expect(t, 0, Base::Money)?;
            expect(t, 1, Base::Int)?;
            Ok(optional_if_any(Base::Money, t))
        },
        eval: |a, s| match (a.first(), a.get(1)) {
            (Some(Val::Money(m)), Some(Val::Int(bp))) if *bp >= 0 && *m >= 0 => {
                apply_bp(Money(*m), *bp, s.rounding).map(|m| Val::Money(m.0)).ok_or(EvalError::Overflow)
            }
            (Some(Val::Money(_)), Some(Val::Int(_))) => Err(EvalError::Negative),
            _ => Ok(Val::Absent),
        },
    },
    Function {
        name: "coalesce",
        signature: "coalesce(value: T, fallback: T) -> T  (the value, or the fallback when the value is absent)",
        arity: 2,
        check: |t| match (t.first(), t.get(1)) {
            (Some(a), Some(b)) if a.base == b.base => Ok(Ty { base: a.base, optional: b.optional, domain: a.domain }),
            (Some(a), Some(b)) => Err((1, format!("the fallback must be {} like the value, got {}", a.base.name(), b.name()))),
            _ => Err((0, "missing argument".into())),
        },
        eval: |a, _| {
            Ok(match a.first() {
                Some(Val::Absent) | None => a.get(1).copied().unwrap_or(Val::Absent),
                Some(v) => *v,
            })
        },
    },
    Function {
        name: "days_between",
        signature: "days_between(from: time, to: time) -> integer  (calendar days between the local dates, in the policy's time zone)",
        arity: 2,
        check: |t| {
            expect(t, 0, Base::Time)?;
            expect(t, 1, Base::Time)?;
            Ok(optional_if_any(Base::Int, t))
        },
        eval: |a, s| match (a.first(), a.get(1)) {
            (Some(Val::Time(x)), Some(Val::Time(y))) => {
                let days = local_date(*y, s)?.signed_duration_since(local_date(*x, s)?).num_days();
                Ok(Val::Int(days))
            }
            _ => Ok(Val::Absent),
        },
    },
    Function {
        name: "has",
        signature: "has(field) -> boolean  (whether a field that may be absent is present; never absent itself)",
        arity: 1,
        check: |t| match t.first() {
            Some(ty) if ty.optional => Ok(Ty::of(Base::Bool)),
            Some(ty) => Err((0, format!("this is {} and is never absent; `has` is for fields that may be", ty.base.name()))),
            None => Err((0, "missing argument".into())),
        },
        eval: |a, _| Ok(Val::Bool(!matches!(a.first(), Some(Val::Absent) | None))),
    },
    Function {
        name: "hour",
        signature: "hour(t: time) -> integer  (local hour 0-23 in the policy's time zone)",
        arity: 1,
        check: |t| {
            expect(t, 0, Base::Time)?;
            Ok(optional_if_any(Base::Int, t))
        },
        eval: |a, s| match a.first() {
            Some(Val::Time(t)) => Ok(Val::Int(Instant(*t).local_time_of_day(s.zone) / 3_600_000)),
            _ => Ok(Val::Absent),
        },
    },
    Function {
        name: "len",
        signature: "len(list: list of text) -> integer",
        arity: 1,
        check: |t| {
            expect(t, 0, Base::StrList)?;
            Ok(optional_if_any(Base::Int, t))
        },
        eval: |a, _| match a.first() {
            Some(Val::StrList(l)) => i64::try_from(l.len()).map(Val::Int).map_err(|_| EvalError::Overflow),
            _ => Ok(Val::Absent),
        },
    },
    Function {
        name: "max",
        signature: "max(a: T, b: T) -> T  (T: integer, money, time or duration)",
        arity: 2,
        check: min_max_rule,
        eval: |a, _| Ok(pick(a, |x, y| x >= y)),
    },
    Function {
        name: "min",
        signature: "min(a: T, b: T) -> T  (T: integer, money, time or duration)",
        arity: 2,
        check: min_max_rule,
        eval: |a, _| Ok(pick(a, |x, y| x <= y)),
    },
    Function {
        name: "weekday",
        signature: "weekday(t: time) -> integer  (local ISO weekday, Monday 1 to Sunday 7)",
        arity: 1,
        check: |t| {
            expect(t, 0, Base::Time)?;
            Ok(optional_if_any(Base::Int, t))
        },
        eval: |a, s| match a.first() {
            Some(Val::Time(t)) => Ok(Val::Int(i64::from(local_date(*t, s)?.weekday().number_from_monday()))),
            _ => Ok(Val::Absent),
        },
    },
];

fn min_max_rule(t: &[Ty]) -> Result<Ty, (usize, String)> {
    let base = ordered(t, 0)?;
    expect(t, 1, base)?;
    Ok(optional_if_any(base, t))
}

pub fn lookup(name: &str) -> Option<&'static Function> {
    FUNCTIONS.iter().find(|f| f.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_function_table_is_sorted() {
        for pair in FUNCTIONS.windows(2) {
            assert!(pair[0].name < pair[1].name);
        }
    }
}
