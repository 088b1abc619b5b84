//! Tokens of the rule-expression language. Spans are byte ranges into the source.

use super::error::{ExprError, Span};
use crate::time::Duration;
use crate::wire::error::Code;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tok {
    Ident(String),
    Int(i64),
    /// An amount in minor units: `300fen` or `300cent`.
    Money(i64),
    /// Milliseconds: `7d`, `72h`, `30min`.
    Duration(i64),
    Str(String),
    True,
    False,
    In,
    LParen,
    RParen,
    LBracket,
    RBracket,
    Comma,
    Dot,
    Not,
    And,
    Or,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Plus,
    Minus,
    Star,
    Slash,
    Eof,
}

impl Tok {
    /// How the token is named in a syntax error.
    pub fn describe(&self) -> String {
        match self {
            Tok::Ident(name) => format!("`{name}`"),
            Tok::Int(n) => format!("`{n}`"),
            Tok::Money(n) => format!("`{n}fen`"),
            Tok::Duration(_) => "a duration".to_owned(),
            Tok::Str(s) => format!("the string `\"{s}\"`"),
            Tok::True => "`true`".to_owned(),
            Tok::False => "`false`".to_owned(),
            Tok::In => "`in`".to_owned(),
            Tok::LParen => "`(`".to_owned(),
            Tok::RParen => "`)`".to_owned(),
            Tok::LBracket => "`[`".to_owned(),
            Tok::RBracket => "`]`".to_owned(),
            Tok::Comma => "`,`".to_owned(),
            Tok::Dot => "`.`".to_owned(),
            Tok::Not => "`!`".to_owned(),
            Tok::And => "`&&`".to_owned(),
            Tok::Or => "`||`".to_owned(),
            Tok::Eq => "`==`".to_owned(),
            Tok::Ne => "`!=`".to_owned(),
            Tok::Lt => "`<`".to_owned(),
            Tok::Le => "`<=`".to_owned(),
            Tok::Gt => "`>`".to_owned(),
            Tok::Ge => "`>=`".to_owned(),
            Tok::Plus => "`+`".to_owned(),
            Tok::Minus => "`-`".to_owned(),
            Tok::Star => "`*`".to_owned(),
            Tok::Slash => "`/`".to_owned(),
            Tok::Eof => "the end of the expression".to_owned(),
        }
    }
}

/// Splits `src` into tokens, ending with [`Tok::Eof`].
pub fn lex(src: &str) -> Result<Vec<(Tok, Span)>, ExprError> {
    let bytes = src.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let start = i;
        let span = |end: usize| Span { start, end };
        let two = bytes.get(i..i + 2);
        let (tok, len) = match b {
            b' ' | b'\t' | b'\n' | b'\r' => {
                i += 1;
                continue;
            }
            b'(' => (Tok::LParen, 1),
            b')' => (Tok::RParen, 1),
            b'[' => (Tok::LBracket, 1),
            b']' => (Tok::RBracket, 1),
            b',' => (Tok::Comma, 1),
            b'.' => (Tok::Dot, 1),
            b'+' => (Tok::Plus, 1),
            b'-' => (Tok::Minus, 1),
            b'*' => (Tok::Star, 1),
            b'/' => (Tok::Slash, 1),
            _ if two == Some(b"&&") => (Tok::And, 2),
            _ if two == Some(b"||") => (Tok::Or, 2),
            _ if two == Some(b"==") => (Tok::Eq, 2),
            _ if two == Some(b"!=") => (Tok::Ne, 2),
            _ if two == Some(b"<=") => (Tok::Le, 2),
            _ if two == Some(b">=") => (Tok::Ge, 2),
            b'!' => (Tok::Not, 1),
            b'<' => (Tok::Lt, 1),
            b'>' => (Tok::Gt, 1),
            b'=' => return Err(ExprError::new(Code::ExprSyntax, span(i + 1), "`=` is not an operator").help("compare with `==`")),
            b'&' | b'|' => {
                return Err(ExprError::new(Code::ExprSyntax, span(i + 1), format!("`{}` is not an operator", char::from(b)))
                    .help("write `&&` for and, `||` for or"))
            }
            b'"' => {
                let (s, len) = string(src, i)?;
                (Tok::Str(s), len)
            }
            b'0'..=b'9' => number(src, i)?,
            b'a'..=b'z' | b'A'..=b'Z' | b'_' => {
                let len = src.get(i..).map_or(0, |rest| rest.bytes().take_while(|c| c.is_ascii_alphanumeric() || *c == b'_').count());
                let word = src.get(i..i + len).unwrap_or_default();
                let tok = match word {
                    "true" => Tok::True,
                    "false" => Tok::False,
                    "in" => Tok::In,
                    "and" | "or" | "not" => {
                        return Err(ExprError::new(Code::ExprSyntax, span(i + len), format!("`{word}` is not an operator"))
                            .help("write `&&` for and, `||` for or, `!` for not"))
                    }
                    _ => Tok::Ident(word.to_owned()),
                };
                (tok, len)
            }
            _ => {
                let c = src.get(i..).and_then(|r| r.chars().next()).unwrap_or('?');
                return Err(ExprError::new(Code::ExprSyntax, span(i + c.len_utf8()), format!("unexpected character `{c}`")));
            }
        };
        out.push((tok, span(i + len)));
        i += len;
    }
    out.push((Tok::Eof, Span { start: src.len(), end: src.len() }));
    Ok(out)
}

/// A string literal in double quotes with `\"`, `\\`, `\n` and `\t` escapes.
fn string(src: &str, start: usize) -> Result<(String, usize), ExprError> {
    let mut out = String::new();
    let mut chars = src.get(start + 1..).unwrap_or_default().char_indices();
    while let Some((at, c)) = chars.next() {
        match c {
            '"' => return Ok((out, at + 2)),
            '\\' => match chars.next() {
                Some((_, '"')) => out.push('"'),
                Some((_, '\\')) => out.push('\\'),
                Some((_, 'n')) => out.push('\n'),
                Some((_, 't')) => out.push('\t'),
                _ => {
                    let span = Span { start: start + 1 + at, end: start + 2 + at };
                    return Err(
                        ExprError::new(Code::ExprSyntax, span, "unknown escape in a string").help("use `\\\"`, `\\\\`, `\\n` or `\\t`")
                    );
                }
            },
            c => out.push(c),
        }
    }
    Err(ExprError::new(Code::ExprSyntax, Span { start, end: src.len() }, "unterminated string").help("close it with `\"`"))
}

/// An integer with an optional unit suffix: `12`, `300fen`, `7d`, `72h`, `30min`.
fn number(src: &str, start: usize) -> Result<(Tok, usize), ExprError> {
    let rest = src.get(start..).unwrap_or_default();
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    let suffix_len = rest.get(digits..).unwrap_or_default().bytes().take_while(|c| c.is_ascii_alphanumeric() || *c == b'_').count();
    let len = digits + suffix_len;
    let span = Span { start, end: start + len };
    let digits_text = rest.get(..digits).unwrap_or_default();
    let value: i64 = crate::wire::number::digits(digits_text)
        .and_then(|v| i64::try_from(v).ok())
        .filter(|v| *v <= crate::wire::limits::MAX_SAFE_INTEGER)
        .ok_or_else(|| ExprError::new(Code::ExprSyntax, span, "the number is too large"))?;
    let suffix = rest.get(digits..len).unwrap_or_default();
    let tok = match suffix {
        "" => Tok::Int(value),
        "fen" | "cent" => Tok::Money(value),
        "d" | "h" | "min" => match Duration::parse(rest.get(..len).unwrap_or_default()) {
            Some(d) => Tok::Duration(d.0),
            None => return Err(ExprError::new(Code::ExprSyntax, span, "the duration is too large")),
        },
        _ => {
            return Err(ExprError::new(Code::ExprSyntax, span, format!("unknown unit `{suffix}` after a number"))
                .help("money is written in minor units (`300fen`), durations as `7d`, `72h` or `30min`"))
        }
    };
    Ok((tok, len))
}
