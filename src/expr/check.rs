//! Type-checks a syntax tree and lowers it to [`Node`]s: field paths become accessors,
//! literal lists become sorted sets, text literals are checked against the domain of the
//! field they are compared with. Every mistake is found here, never during evaluation.

use super::error::ExprError;
use super::error::Span;
use super::fields::{self, Field, ScopeKind, ITEM_ROOTS};
use super::functions::{self, Function};
use super::parser::{Ast, BinOp, Spanned};
use super::types::{Base, Domain, Ty};
use crate::wire::error::Code;
use crate::wire::text::closest;

/// A literal kept in a compiled expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Const {
    Bool(bool),
    Int(i64),
    Money(i64),
    Duration(i64),
    Str(Box<str>),
}

/// A checked, resolved expression.
#[derive(Debug, Clone)]
pub enum Node {
    Const(Const),
    Field(&'static Field),
    Not(Box<Node>),
    Neg(Box<Node>),
    And(Box<Node>, Box<Node>),
    Or(Box<Node>, Box<Node>),
    Compare(BinOp, Box<Node>, Box<Node>),
    /// Membership in a sorted set of text literals.
    InStrs(Box<Node>, Box<[Box<str>]>),
    /// Membership in a sorted set of integer, money or duration literals.
    InNums(Box<Node>, Box<[i64]>),
    /// Membership of text in a list-valued field.
    InList(Box<Node>, Box<Node>),
    Arith(BinOp, Box<Node>, Box<Node>),
    Call(&'static Function, Box<[Node]>),
}

/// The size of a condition, for the work an evaluation may do: its nodes, and its membership
/// tests in a list field, each of which reads the whole list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Size {
    pub nodes: u64,
    pub list_tests: u64,
}

impl Size {
    pub fn plus(self, other: Size) -> Size {
        Size { nodes: self.nodes.saturating_add(other.nodes), list_tests: self.list_tests.saturating_add(other.list_tests) }
    }

    /// The work of one evaluation when lists hold at most `list_len` elements.
    pub fn work(self, list_len: u64) -> u64 {
        self.nodes.saturating_add(self.list_tests.saturating_mul(list_len))
    }
}

impl Node {
    pub fn size(&self) -> Size {
        let one = Size { nodes: 1, list_tests: 0 };
        match self {
            Node::Const(_) | Node::Field(_) => one,
            Node::Not(a) | Node::Neg(a) | Node::InStrs(a, _) | Node::InNums(a, _) => one.plus(a.size()),
            Node::And(a, b) | Node::Or(a, b) | Node::Compare(_, a, b) | Node::Arith(_, a, b) => one.plus(a.size()).plus(b.size()),
            Node::InList(a, b) => Size { nodes: 1, list_tests: 1 }.plus(a.size()).plus(b.size()),
            Node::Call(_, args) => args.iter().fold(one, |size, arg| size.plus(arg.size())),
        }
    }

    /// Whether this condition reads the field `path` anywhere.
    pub fn reads(&self, path: &str) -> bool {
        match self {
            Node::Const(_) => false,
            Node::Field(f) => f.path == path,
            Node::Not(a) | Node::Neg(a) | Node::InStrs(a, _) | Node::InNums(a, _) => a.reads(path),
            Node::And(a, b) | Node::Or(a, b) | Node::Compare(_, a, b) | Node::Arith(_, a, b) | Node::InList(a, b) => {
                a.reads(path) || b.reads(path)
            }
            Node::Call(_, args) => args.iter().any(|arg| arg.reads(path)),
        }
    }

    /// Adds to `out` the text literals this condition compares the field `path` with (`==`,
    /// `!=`, `in [...]`): the categories a policy names, for forms that list them.
    pub fn texts_compared_with<'n>(&'n self, path: &str, out: &mut Vec<&'n str>) {
        let is_field = |n: &Node| matches!(n, Node::Field(f) if f.path == path);
        match self {
            Node::Compare(BinOp::Eq | BinOp::Ne, a, b) => match (&**a, &**b) {
                (Node::Const(Const::Str(t)), other) | (other, Node::Const(Const::Str(t))) if is_field(other) => out.push(t),
                _ => {}
            },
            Node::InStrs(a, set) if is_field(a) => out.extend(set.iter().map(|t| &**t)),
            _ => {}
        }
        match self {
            Node::Const(_) | Node::Field(_) => {}
            Node::Not(a) | Node::Neg(a) | Node::InStrs(a, _) | Node::InNums(a, _) => a.texts_compared_with(path, out),
            Node::And(a, b) | Node::Or(a, b) | Node::Compare(_, a, b) | Node::Arith(_, a, b) | Node::InList(a, b) => {
                a.texts_compared_with(path, out);
                b.texts_compared_with(path, out);
            }
            Node::Call(_, args) => args.iter().for_each(|arg| arg.texts_compared_with(path, out)),
        }
    }
}

/// What a checker knows about the place the expression sits in.
#[derive(Debug, Clone, Copy)]
pub struct Checker<'c> {
    pub scope: ScopeKind,
    /// What the condition is for, in messages ("a compensation condition").
    pub role: &'c str,
    pub reason_codes: &'c [String],
}

type Checked = (Node, Ty);

impl Checker<'_> {
    /// Checks a condition: it must be boolean.
    pub fn condition(&self, e: &Spanned) -> Result<Node, ExprError> {
        let (node, ty) = self.check(e)?;
        if ty.base != Base::Bool {
            return Err(ExprError::new(Code::ExprType, e.span, format!("a condition must be a boolean, but this is {}", ty.name()))
                .help("compare it with something, e.g. `line.quantity > 1`"));
        }
        Ok(node)
    }

    fn check(&self, e: &Spanned) -> Result<Checked, ExprError> {
        let span = e.span;
        Ok(match &e.ast {
            Ast::Bool(b) => (Node::Const(Const::Bool(*b)), Ty::of(Base::Bool)),
            Ast::Int(n) => (Node::Const(Const::Int(*n)), Ty::of(Base::Int)),
            Ast::Money(n) => (Node::Const(Const::Money(*n)), Ty::of(Base::Money)),
            Ast::Duration(n) => (Node::Const(Const::Duration(*n)), Ty::of(Base::Duration)),
            Ast::Str(s) => (Node::Const(Const::Str(s.as_str().into())), Ty::of(Base::Str)),
            Ast::Path(segments) => self.path(segments, span)?,
            Ast::List(_) => {
                return Err(ExprError::new(Code::ExprType, span, "a list can only stand on the right of `in`")
                    .help("write `line.category in [\"fresh\", \"custom\"]`"))
            }
            Ast::Not(inner) => {
                let (node, ty) = self.check(inner)?;
                if ty.base != Base::Bool {
                    return Err(ExprError::new(Code::ExprType, inner.span, format!("`!` needs a boolean, got {}", ty.name())));
                }
                (Node::Not(Box::new(node)), ty)
            }
            Ast::Neg(inner) => {
                let (node, ty) = self.check(inner)?;
                if !matches!(ty.base, Base::Int | Base::Money | Base::Duration) {
                    return Err(ExprError::new(Code::ExprType, inner.span, format!("`-` needs a number, got {}", ty.name())));
                }
                (Node::Neg(Box::new(node)), ty)
            }
            Ast::Call(name, args) => self.call(name, args, span)?,
            Ast::Binary(op, l, r) => self.binary(*op, l, r)?,
        })
    }

    fn path(&self, segments: &[String], span: Span) -> Result<Checked, ExprError> {
        let path = segments.iter().map(String::as_str).collect::<Vec<_>>().join(".");
        let root = segments.first().map(String::as_str).unwrap_or_default();
        if self.scope == ScopeKind::Order && ITEM_ROOTS.contains(&root) {
            return Err(ExprError::new(
                Code::ExprUnknownField,
                span,
                format!("`{path}` is not available in {}: it is decided once for the whole order", self.role),
            )
            .help("use order, customer, merchant, request or now fields here"));
        }
        match fields::lookup(&path) {
            Some(field) => Ok((Node::Field(field), field.ty)),
            None => {
                let candidates = fields::FIELDS
                    .iter()
                    .map(|f| f.path)
                    .filter(|p| self.scope == ScopeKind::Item || !ITEM_ROOTS.iter().any(|r| p.starts_with(r)));
                let help = match closest(&path, candidates.clone()) {
                    Some(near) => format!("did you mean `{near}`?"),
                    None => {
                        let under: Vec<&str> = candidates.filter(|p| p.starts_with(root) && p.len() > root.len()).collect();
                        if under.is_empty() {
                            "fields start with order, line, item, reason, customer, merchant, request or now".to_owned()
                        } else {
                            format!("fields under `{root}`: {}", under.join(", "))
                        }
                    }
                };
                Err(ExprError::new(Code::ExprUnknownField, span, format!("unknown field `{path}`")).help(help))
            }
        }
    }

    fn call(&self, name: &str, args: &[Spanned], span: Span) -> Result<Checked, ExprError> {
        let Some(function) = functions::lookup(name) else {
            let help = match closest(name, functions::FUNCTIONS.iter().map(|f| f.name)) {
                Some(near) => format!("did you mean `{near}`?"),
                None => format!("functions: {}", functions::FUNCTIONS.iter().map(|f| f.name).collect::<Vec<_>>().join(", ")),
            };
            return Err(ExprError::new(Code::ExprUnknownFunction, span, format!("unknown function `{name}`")).help(help));
        };
        if args.len() != function.arity {
            return Err(ExprError::new(
                Code::ExprArity,
                span,
                format!("`{name}` takes {} argument{}, got {}", function.arity, if function.arity == 1 { "" } else { "s" }, args.len()),
            )
            .help(function.signature));
        }
        let mut nodes = Vec::with_capacity(args.len());
        let mut tys = Vec::with_capacity(args.len());
        for arg in args {
            let (node, ty) = self.check(arg)?;
            nodes.push(node);
            tys.push(ty);
        }
        match (function.check)(&tys) {
            Ok(ty) => Ok((Node::Call(function, nodes.into_boxed_slice()), ty)),
            Err((i, why)) => {
                let at = args.get(i).map_or(span, |a| a.span);
                Err(ExprError::new(Code::ExprType, at, format!("argument {} of `{name}`: {why}", i + 1)).help(function.signature))
            }
        }
    }

    fn binary(&self, op: BinOp, l: &Spanned, r: &Spanned) -> Result<Checked, ExprError> {
        if op == BinOp::In {
            return self.membership(l, r);
        }
        let (ln, lt) = self.check(l)?;
        let (rn, rt) = self.check(r)?;
        let (lb, rb) = (lt.base, rt.base);
        let optional = lt.optional || rt.optional;
        let mismatch = |what: &str| {
            let mut err = ExprError::new(
                Code::ExprType,
                Span { start: l.span.start, end: r.span.end },
                format!("cannot {what} {} and {}", lt.base.name(), rt.base.name()),
            );
            if matches!((lb, rb), (Base::Int, Base::Money) | (Base::Money, Base::Int)) {
                err = err.help("money is written in minor units with a unit: `300fen` is ¥3.00");
            } else if lb == Base::Time || rb == Base::Time {
                err = err.help("times compare with times (`order.shipped_at > order.promised_ship_by`) and move by durations (`order.delivered_at + 7d`)");
            }
            err
        };
        let ty = |base| Ty { base, optional, domain: Domain::Any };
        Ok(match op {
            BinOp::And | BinOp::Or => {
                for (side, t) in [(l, lt), (r, rt)] {
                    if t.base != Base::Bool {
                        return Err(ExprError::new(
                            Code::ExprType,
                            side.span,
                            format!("`{}` needs booleans, got {}", op.symbol(), t.name()),
                        ));
                    }
                }
                let node = if op == BinOp::And { Node::And(Box::new(ln), Box::new(rn)) } else { Node::Or(Box::new(ln), Box::new(rn)) };
                (node, ty(Base::Bool))
            }
            BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => {
                if lb != rb || lb == Base::StrList {
                    return Err(mismatch("compare"));
                }
                let ordering = !matches!(op, BinOp::Eq | BinOp::Ne);
                if ordering && matches!(lb, Base::Bool | Base::Str) {
                    return Err(ExprError::new(
                        Code::ExprType,
                        Span { start: l.span.start, end: r.span.end },
                        format!("`{}` orders numbers, money, times and durations, not {}", op.symbol(), lb.name()),
                    ));
                }
                self.check_domain(lt, r)?;
                self.check_domain(rt, l)?;
                (Node::Compare(op, Box::new(ln), Box::new(rn)), ty(Base::Bool))
            }
            BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div => {
                use Base::*;
                let result = match (op, lb, rb) {
                    (BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div, Int, Int) => Int,
                    (BinOp::Add | BinOp::Sub, Money, Money) => Money,
                    (BinOp::Mul, Money, Int) | (BinOp::Mul, Int, Money) | (BinOp::Div, Money, Int) => Money,
                    (BinOp::Add | BinOp::Sub, Duration, Duration) => Duration,
                    (BinOp::Mul, Duration, Int) | (BinOp::Mul, Int, Duration) => Duration,
                    (BinOp::Add, Time, Duration) | (BinOp::Add, Duration, Time) | (BinOp::Sub, Time, Duration) => Time,
                    (BinOp::Sub, Time, Time) => Duration,
                    _ => return Err(mismatch(&format!("apply `{}` to", op.symbol()))),
                };
                (Node::Arith(op, Box::new(ln), Box::new(rn)), ty(result))
            }
            BinOp::In => return self.membership(l, r),
        })
    }

    /// `x in [literals]` (a sorted set) or `text in list_field`.
    fn membership(&self, l: &Spanned, r: &Spanned) -> Result<Checked, ExprError> {
        let (ln, lt) = self.check(l)?;
        let optional = lt.optional;
        let Ast::List(items) = &r.ast else {
            let (rn, rt) = self.check(r)?;
            if rt.base != Base::StrList || lt.base != Base::Str {
                return Err(ExprError::new(
                    Code::ExprType,
                    r.span,
                    format!("`in` needs a list of {} on its right, got {}", lt.base.name(), rt.name()),
                )
                .help("write a list of literals, `[\"a\", \"b\"]`, or a list field such as `line.tags`"));
            }
            return Ok((
                Node::InList(Box::new(ln), Box::new(rn)),
                Ty { base: Base::Bool, optional: optional || rt.optional, domain: Domain::Any },
            ));
        };
        let mut strs: Vec<Box<str>> = Vec::new();
        let mut nums: Vec<i64> = Vec::new();
        for item in items {
            match (&item.ast, lt.base) {
                (Ast::Str(s), Base::Str) => {
                    self.check_domain(lt, item)?;
                    strs.push(s.as_str().into());
                }
                (Ast::Int(n), Base::Int) | (Ast::Money(n), Base::Money) | (Ast::Duration(n), Base::Duration) => nums.push(*n),
                _ => {
                    return Err(ExprError::new(
                        Code::ExprType,
                        item.span,
                        format!("the list must hold literals of the same type as the left side ({})", lt.base.name()),
                    ))
                }
            }
        }
        let node = match lt.base {
            Base::Str => {
                strs.sort_unstable();
                strs.dedup();
                Node::InStrs(Box::new(ln), strs.into_boxed_slice())
            }
            Base::Int | Base::Money | Base::Duration => {
                nums.sort_unstable();
                nums.dedup();
                Node::InNums(Box::new(ln), nums.into_boxed_slice())
            }
            _ => return Err(ExprError::new(Code::ExprType, l.span, format!("`in` does not apply to {}", lt.base.name()))),
        };
        Ok((node, Ty { base: Base::Bool, optional, domain: Domain::Any }))
    }

    /// A text literal compared with a field of known values must be one of them.
    fn check_domain(&self, field: Ty, literal: &Spanned) -> Result<(), ExprError> {
        let Ast::Str(value) = &literal.ast else { return Ok(()) };
        let owned: Vec<&str>;
        let allowed: &[&str] = match field.domain {
            Domain::Any => return Ok(()),
            Domain::Values(values) => values,
            Domain::ReasonCodes => {
                owned = self.reason_codes.iter().map(String::as_str).collect();
                &owned
            }
        };
        if allowed.contains(&value.as_str()) {
            return Ok(());
        }
        let help = crate::wire::text::suggest(value, allowed, "possible values");
        Err(ExprError::new(Code::ExprType, literal.span, format!("`{value}` is never a value here")).help(help))
    }
}
