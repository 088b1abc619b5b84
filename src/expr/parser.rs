//! Parses tokens into an untyped syntax tree, with C-like precedence (loosest first):
//! `||`, `&&`, comparisons and `in` (non-associative), `+ -`, `* /`, unary `! -`.

use super::error::ExprError;
use super::error::Span;
use super::lexer::{lex, Tok};
use crate::wire::error::Code;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    Or,
    And,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    In,
    Add,
    Sub,
    Mul,
    Div,
}

impl BinOp {
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Or => "||",
            BinOp::And => "&&",
            BinOp::Eq => "==",
            BinOp::Ne => "!=",
            BinOp::Lt => "<",
            BinOp::Le => "<=",
            BinOp::Gt => ">",
            BinOp::Ge => ">=",
            BinOp::In => "in",
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ast {
    Bool(bool),
    Int(i64),
    Money(i64),
    Duration(i64),
    Str(String),
    /// `order.lines`-style field path, segments in order.
    Path(Vec<String>),
    Call(String, Vec<Spanned>),
    List(Vec<Spanned>),
    Not(Box<Spanned>),
    Neg(Box<Spanned>),
    Binary(BinOp, Box<Spanned>, Box<Spanned>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spanned {
    pub ast: Ast,
    pub span: Span,
}

/// The deepest nesting of sub-expressions accepted: recursion is bounded, so a hostile
/// expression is an error, not a stack overflow.
pub const MAX_DEPTH: usize = 32;
/// The longest expression accepted, in bytes.
pub const MAX_LEN: usize = 4096;
/// The most binary operators in one expression. A left-associative chain (`a || b || …`)
/// is as deep as it is long, and checking, evaluating and dropping recurse over it.
pub const MAX_OPERATORS: usize = 256;

pub fn parse(src: &str) -> Result<Spanned, ExprError> {
    if src.len() > MAX_LEN {
        return Err(ExprError::new(
            Code::LimitExceeded,
            Span { start: 0, end: 0 },
            format!("the expression is longer than {MAX_LEN} bytes"),
        ));
    }
    let tokens = lex(src)?;
    let mut p = Parser { tokens, pos: 0, depth: 0, operators: 0 };
    let expr = p.level(0)?;
    match p.peek() {
        Tok::Eof => Ok(expr),
        _ => Err(p.unexpected("an operator or the end of the expression")),
    }
}

const COMPARISON: u8 = 2;
const SUM: u8 = 3;
const UNARY: u8 = 5;

/// The left-associative operator `tok` stands for at `level`, if any.
fn operator_at(level: u8, tok: &Tok) -> Option<BinOp> {
    Some(match (level, tok) {
        (0, Tok::Or) => BinOp::Or,
        (1, Tok::And) => BinOp::And,
        (SUM, Tok::Plus) => BinOp::Add,
        (SUM, Tok::Minus) => BinOp::Sub,
        (4, Tok::Star) => BinOp::Mul,
        (4, Tok::Slash) => BinOp::Div,
        _ => return None,
    })
}

struct Parser {
    tokens: Vec<(Tok, Span)>,
    pos: usize,
    depth: usize,
    operators: usize,
}

impl Parser {
    fn peek(&self) -> &Tok {
        self.tokens.get(self.pos).map_or(&Tok::Eof, |(t, _)| t)
    }

    fn span(&self) -> Span {
        self.tokens.get(self.pos).or_else(|| self.tokens.last()).map_or(Span { start: 0, end: 0 }, |(_, s)| *s)
    }

    fn bump(&mut self) -> (Tok, Span) {
        let out = self.tokens.get(self.pos).cloned().unwrap_or((Tok::Eof, self.span()));
        if self.pos < self.tokens.len() {
            self.pos += 1;
        }
        out
    }

    fn unexpected(&self, wanted: &str) -> ExprError {
        ExprError::new(Code::ExprSyntax, self.span(), format!("expected {wanted}, found {}", self.peek().describe()))
    }

    fn consume(&mut self, tok: Tok, wanted: &str) -> Result<Span, ExprError> {
        if *self.peek() == tok {
            Ok(self.bump().1)
        } else {
            Err(self.unexpected(wanted))
        }
    }

    fn descend(&mut self) -> Result<(), ExprError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(ExprError::new(Code::LimitExceeded, self.span(), format!("the expression nests deeper than {MAX_DEPTH} levels")));
        }
        Ok(())
    }

    fn binary(&mut self, op: BinOp, l: Spanned, r: Spanned) -> Result<Spanned, ExprError> {
        let span = Span { start: l.span.start, end: r.span.end };
        self.operators += 1;
        if self.operators > MAX_OPERATORS {
            return Err(ExprError::new(Code::LimitExceeded, span, format!("the expression has more than {MAX_OPERATORS} operators"))
                .help("use `in [...]` for long lists of alternatives"));
        }
        Ok(Spanned { ast: Ast::Binary(op, Box::new(l), Box::new(r)), span })
    }

    /// Binary operators level by level, loosest first (`||`, `&&`, comparisons, `+ -`, `* /`):
    /// precedence climbing over one table instead of a function per level.
    fn level(&mut self, level: u8) -> Result<Spanned, ExprError> {
        match level {
            COMPARISON => return self.comparison(),
            UNARY => return self.unary(),
            _ => {}
        }
        let mut left = self.level(level + 1)?;
        while let Some(op) = operator_at(level, self.peek()) {
            self.bump();
            let right = self.level(level + 1)?;
            left = self.binary(op, left, right)?;
        }
        Ok(left)
    }

    fn comparison(&mut self) -> Result<Spanned, ExprError> {
        let left = self.level(SUM)?;
        let op = match self.peek() {
            Tok::Eq => BinOp::Eq,
            Tok::Ne => BinOp::Ne,
            Tok::Lt => BinOp::Lt,
            Tok::Le => BinOp::Le,
            Tok::Gt => BinOp::Gt,
            Tok::Ge => BinOp::Ge,
            Tok::In => BinOp::In,
            _ => return Ok(left),
        };
        self.bump();
        let right = self.level(SUM)?;
        if matches!(self.peek(), Tok::Eq | Tok::Ne | Tok::Lt | Tok::Le | Tok::Gt | Tok::Ge | Tok::In) {
            return Err(ExprError::new(Code::ExprSyntax, self.span(), "comparisons cannot be chained")
                .help("join two comparisons with `&&`: `a < b && b < c`"));
        }
        self.binary(op, left, right)
    }

    fn unary(&mut self) -> Result<Spanned, ExprError> {
        let start = self.span();
        let wrap: fn(Box<Spanned>) -> Ast = match self.peek() {
            Tok::Not => Ast::Not,
            Tok::Minus => Ast::Neg,
            _ => return self.primary(),
        };
        self.bump();
        self.descend()?;
        let inner = self.unary()?;
        self.depth -= 1;
        let span = Span { start: start.start, end: inner.span.end };
        Ok(Spanned { ast: wrap(Box::new(inner)), span })
    }

    fn primary(&mut self) -> Result<Spanned, ExprError> {
        let (tok, span) = self.bump();
        let ast = match tok {
            Tok::True => Ast::Bool(true),
            Tok::False => Ast::Bool(false),
            Tok::Int(n) => Ast::Int(n),
            Tok::Money(n) => Ast::Money(n),
            Tok::Duration(n) => Ast::Duration(n),
            Tok::Str(s) => Ast::Str(s),
            Tok::LParen => {
                self.descend()?;
                let inner = self.level(0)?;
                self.depth -= 1;
                let end = self.consume(Tok::RParen, "`)`")?;
                return Ok(Spanned { ast: inner.ast, span: Span { start: span.start, end: end.end } });
            }
            Tok::LBracket => {
                self.descend()?;
                let (items, end) = self.list(Tok::RBracket, "`,` or `]`")?;
                self.depth -= 1;
                return Ok(Spanned { ast: Ast::List(items), span: Span { start: span.start, end: end.end } });
            }
            Tok::Ident(name) => {
                if *self.peek() == Tok::LParen {
                    self.bump();
                    self.descend()?;
                    let (args, end) = self.list(Tok::RParen, "`,` or `)`")?;
                    self.depth -= 1;
                    return Ok(Spanned { ast: Ast::Call(name, args), span: Span { start: span.start, end: end.end } });
                }
                let mut segments = vec![name];
                let mut end = span.end;
                while *self.peek() == Tok::Dot {
                    self.bump();
                    match self.bump() {
                        (Tok::Ident(seg), s) => {
                            segments.push(seg);
                            end = s.end;
                        }
                        (_, s) => return Err(ExprError::new(Code::ExprSyntax, s, "expected a field name after `.`")),
                    }
                }
                return Ok(Spanned { ast: Ast::Path(segments), span: Span { start: span.start, end } });
            }
            _ => {
                self.pos = self.pos.saturating_sub(1);
                return Err(self.unexpected("a value, a field or `(`"));
            }
        };
        Ok(Spanned { ast, span })
    }

    /// Comma-separated expressions up to `close` (already past the opener).
    fn list(&mut self, close: Tok, wanted: &str) -> Result<(Vec<Spanned>, Span), ExprError> {
        let mut items = Vec::new();
        if *self.peek() == close {
            return Ok((items, self.bump().1));
        }
        loop {
            items.push(self.level(0)?);
            match self.peek() {
                Tok::Comma => {
                    self.bump();
                }
                t if *t == close => return Ok((items, self.bump().1)),
                _ => return Err(self.unexpected(wanted)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precedence_is_c_like() {
        let e = parse("a.b == 1 || !c && d < 2 + 3 * 4").unwrap();
        let Ast::Binary(BinOp::Or, l, r) = e.ast else { panic!("{e:?}") };
        assert!(matches!(l.ast, Ast::Binary(BinOp::Eq, _, _)));
        assert!(matches!(r.ast, Ast::Binary(BinOp::And, _, _)));
    }

    #[test]
    fn errors_point_at_the_column() {
        let err = parse("line.qty == = 1").unwrap_err();
        assert_eq!((err.span.start, err.code), (12, Code::ExprSyntax));
        let err = parse("a < b < c").unwrap_err();
        assert_eq!(err.message, "comparisons cannot be chained");
        let deep = "(".repeat(100) + "1" + &")".repeat(100);
        assert_eq!(parse(&deep).unwrap_err().code, Code::LimitExceeded);
        let nots = "!".repeat(10_000) + "true";
        assert_eq!(parse(&nots).unwrap_err().code, Code::LimitExceeded);
        let chain = vec!["true"; 300].join("||");
        assert_eq!(parse(&chain).unwrap_err().code, Code::LimitExceeded);
    }
}
