//! The checks that follow reading: facts that must agree within an input (ids unique, totals
//! within what was paid, a window with exactly one length). Unlike reading, which stops at the
//! first shape error, a pass of checks reports every error it finds, each at its JSON path.

use super::error::{Code, Diagnostic, Errors};
use super::limits::MAX_ERRORS;

/// A JSON path as a chain of frames on the stack; rendered to text only for an error.
#[derive(Debug, Clone, Copy)]
pub enum Path<'p> {
    Root(&'p str),
    Key(&'p Path<'p>, &'p str),
    Index(&'p Path<'p>, usize),
}

impl<'p> Path<'p> {
    pub fn key(&'p self, key: &'p str) -> Path<'p> {
        Path::Key(self, key)
    }

    pub fn index(&'p self, index: usize) -> Path<'p> {
        Path::Index(self, index)
    }

    pub fn render(&self) -> String {
        let mut out = String::new();
        self.render_into(&mut out);
        out
    }

    fn render_into(&self, out: &mut String) {
        match self {
            Path::Root(name) => out.push_str(name),
            Path::Key(parent, key) => {
                parent.render_into(out);
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Path::Index(parent, index) => {
                parent.render_into(out);
                out.push('[');
                out.push_str(&index.to_string());
                out.push(']');
            }
        }
    }
}

/// The errors of one pass of checks, at most [`MAX_ERRORS`] of them.
#[derive(Debug, Default)]
pub struct Checks {
    errors: Errors,
}

impl Checks {
    pub fn error(&mut self, code: Code, path: &Path<'_>, message: impl Into<String>, help: Option<&str>) {
        if self.errors.len() < MAX_ERRORS {
            let mut d = Diagnostic::new(code, path.render(), message);
            d.help = help.map(str::to_owned);
            self.errors.push(d);
        }
    }

    pub fn push(&mut self, diagnostic: Diagnostic) {
        if self.errors.len() < MAX_ERRORS {
            self.errors.push(diagnostic);
        }
    }

    pub fn is_clean(&self) -> bool {
        self.errors.is_empty()
    }

    /// The value if every check passed, otherwise every error found.
    pub fn finish<T>(self, value: T) -> Result<T, Errors> {
        if self.errors.is_empty() {
            Ok(value)
        } else {
            Err(self.errors)
        }
    }

    pub fn into_errors(self) -> Errors {
        self.errors
    }
}

/// The positions, ascending, of the keys an earlier one repeats. Sorted rather than kept in a
/// set: `n log n` for lists of thousands, and no B-tree in the `.wasm` (3.8 KB of it).
pub fn repeats(keys: Vec<String>) -> Vec<usize> {
    let mut sorted: Vec<(String, usize)> = keys.into_iter().zip(0..).collect();
    sorted.sort_unstable();
    let mut out: Vec<usize> =
        sorted.windows(2).filter_map(|w| w.first().zip(w.get(1)).filter(|(a, b)| a.0 == b.0).map(|(_, b)| b.1)).collect();
    out.sort_unstable();
    out
}

/// Reports the first repeat of a key in `items`, at `path[i].field` (or `path[i]`); keys as
/// text, so that one sort serves every list.
pub fn unique<T>(c: &mut Checks, items: &[T], path: &Path<'_>, field: Option<&str>, key: impl Fn(&T) -> String, what: &str) {
    if let Some(&i) = repeats(items.iter().map(key).collect()).first() {
        let at = path.index(i);
        let message = format!("{what} is recorded twice");
        match field {
            Some(field) => c.error(Code::DuplicateId, &at.key(field), message, Some("record each once, with its total")),
            None => c.error(Code::DuplicateId, &at, message, Some("record each once")),
        }
    }
}
