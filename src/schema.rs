//! JSON Schemas (draft 2020-12) of the policy, order, request, evaluation input and answer,
//! generated from the decoders and writers themselves so that they cannot drift.
//!
//! Inputs: every decoder runs once on `{}` with a recording [`Decoder`]; each field it asks
//! for (`Obj::req`, `opt`, `or`, `raw`) is recorded with the schema of its Rust type, and the
//! few checks a type cannot say (a minimum, a pattern) are added by `Obj::hint` next to the
//! code that enforces them. Outputs: `json_object!` lists each written field with the schema
//! of its type. Only native builds record, and nothing in the `.wasm` calls into this module.

use crate::json::decode::Decode;
#[cfg(not(target_arch = "wasm32"))]
use crate::json::decode::{Decoder, Path};
use crate::json::{Value, MAX_SAFE_INTEGER};
use std::borrow::Cow;

/// A schema fragment: JSON with ordered keys, numbers kept as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Json {
    Bool(bool),
    Num(String),
    Str(String),
    Arr(Vec<Json>),
    Obj(Vec<(String, Json)>),
}

impl Json {
    /// `{"type": ty}`.
    pub fn typed(ty: &str) -> Json {
        Json::Obj(vec![("type".into(), Json::Str(ty.into()))])
    }

    /// An integer schema within `min ..= max`.
    pub fn integer(min: i64, max: i64) -> Json {
        Json::typed("integer").with("minimum", Json::Num(min.to_string())).with("maximum", Json::Num(max.to_string()))
    }

    /// A string from a fixed set.
    pub fn one_of_strings(values: &[&str]) -> Json {
        Json::typed("string").with("enum", Json::Arr(values.iter().map(|v| Json::Str((*v).into())).collect()))
    }

    /// A reference to a definition of the same document.
    pub fn reference(name: &str) -> Json {
        Json::Obj(vec![("$ref".into(), Json::Str(format!("#/$defs/{name}")))])
    }

    /// This object with `key` set (replaced if present), for building fragments.
    pub fn with(mut self, key: &str, value: Json) -> Json {
        self.set(key, value);
        self
    }

    pub fn set(&mut self, key: &str, value: Json) {
        if let Json::Obj(pairs) = self {
            match pairs.iter_mut().find(|(k, _)| k == key) {
                Some((_, slot)) => *slot = value,
                None => pairs.push((key.into(), value)),
            }
        }
    }

    /// Adds a human description.
    pub fn described(self, text: &str) -> Json {
        self.with("description", Json::Str(text.into()))
    }

    fn to_value(&self) -> Value<'_> {
        match self {
            Json::Bool(b) => Value::Bool(*b),
            Json::Num(text) => Value::Number(text),
            Json::Str(s) => Value::String(Cow::Borrowed(s)),
            Json::Arr(items) => Value::Array(items.iter().map(Json::to_value).collect()),
            Json::Obj(pairs) => Value::Object(pairs.iter().map(|(k, v)| (Cow::Borrowed(k.as_str()), v.to_value())).collect()),
        }
    }

    /// Indented text, as committed under `pkg/schema/`.
    pub fn to_pretty(&self) -> String {
        let mut out = crate::json::Out::new();
        crate::json::write_pretty(&self.to_value(), 0, &mut out);
        out.byte(b'\n');
        out.into_string()
    }
}

/// One recorded member of an object.
#[derive(Debug, Clone)]
pub struct Field {
    pub name: &'static str,
    pub schema: Json,
    pub required: bool,
}

/// The definitions of one schema document, built on demand; a type refers to another by
/// name, so recursive formats (a policy's `previous_versions`) terminate.
#[derive(Debug, Default)]
pub struct Defs {
    defs: Vec<(String, Option<Json>)>,
    /// The fields of the object a recording decoder has just finished.
    pub(crate) finished: Option<Vec<Field>>,
}

/// The last path segment of a Rust type name, without generics: the definition's name.
fn short_name(type_name: &str) -> &str {
    let base = type_name.split('<').next().unwrap_or(type_name);
    base.rsplit("::").next().unwrap_or(base).trim()
}

impl Defs {
    /// The schema of an input type, by recording what its decoder asks for.
    pub fn input<'a, T: Decode<'a>>(&mut self) -> Json {
        let name = short_name(std::any::type_name::<T>()).to_owned();
        self.define(&name, |defs| {
            #[cfg(not(target_arch = "wasm32"))]
            {
                let mut d = Decoder { schema: Some(Box::new(std::mem::take(defs))), ..Decoder::default() };
                let _ = T::decode(&mut d, &Value::Object(Vec::new()), &Path::Root(""));
                if let Some(back) = d.schema.take() {
                    *defs = *back;
                }
            }
            object(&name, defs.finished.take().unwrap_or_default())
        })
    }

    /// The schema of an output type from its written fields.
    pub fn output(&mut self, type_name: &str, fields: impl FnOnce(&mut Defs) -> Vec<Field>) -> Json {
        let name = short_name(type_name).to_owned();
        self.define(&name, |defs| {
            let fields = fields(defs);
            object(&name, fields)
        })
    }

    /// A reference to `name`, building its definition the first time it is met.
    fn define(&mut self, name: &str, build: impl FnOnce(&mut Defs) -> Json) -> Json {
        if !self.defs.iter().any(|(n, _)| n == name) {
            self.defs.push((name.to_owned(), None));
            let schema = build(self);
            if let Some((_, slot)) = self.defs.iter_mut().find(|(n, _)| n == name) {
                *slot = Some(schema);
            }
        }
        Json::reference(name)
    }

    /// A reference to a named shared fragment (money, times, expressions), defined once.
    pub fn shared(&mut self, name: &str, schema: fn() -> Json) -> Json {
        self.define(name, |_| schema())
    }

    /// A definition already built, to refine it after generation.
    pub fn get_mut(&mut self, name: &str) -> Option<&mut Json> {
        self.defs.iter_mut().find(|(n, _)| n == name).and_then(|(_, s)| s.as_mut())
    }

    /// The whole document: `root` at the top, definitions sorted by name.
    pub fn document(mut self, file: &str, title: &str, description: &str, root: Json) -> Json {
        self.defs.sort_by(|a, b| a.0.cmp(&b.0));
        let defs = self.defs.into_iter().map(|(n, s)| (n, s.unwrap_or_else(|| Json::Obj(Vec::new())))).collect();
        let mut doc = Json::Obj(vec![
            ("$schema".into(), Json::Str("https://json-schema.org/draft/2020-12/schema".into())),
            ("$id".into(), Json::Str(format!("https://aftersale-rules.dev/schema/{file}"))),
            ("title".into(), Json::Str(title.into())),
            ("description".into(), Json::Str(description.into())),
        ]);
        if let Json::Obj(pairs) = root {
            for (k, v) in pairs {
                doc.set(&k, v);
            }
        }
        doc.with("$defs", Json::Obj(defs))
    }
}

/// A closed object schema of `fields`.
fn object(name: &str, fields: Vec<Field>) -> Json {
    let required: Vec<Json> = fields.iter().filter(|f| f.required).map(|f| Json::Str(f.name.into())).collect();
    let properties = fields.into_iter().map(|f| (f.name.to_owned(), f.schema)).collect();
    let mut schema = Json::typed("object").with("title", Json::Str(name.into())).with("properties", Json::Obj(properties));
    if !required.is_empty() {
        schema.set("required", Json::Arr(required));
    }
    schema.with("additionalProperties", Json::Bool(false))
}

/// The schema of a written field, from an accessor (`|x: &Type| &x.field`) that names its type.
pub fn field_of<S: ?Sized, T: crate::json::ToJson + ?Sized>(defs: &mut Defs, name: &'static str, _field: impl Fn(&S) -> &T) -> Field {
    Field { name, schema: T::schema(defs), required: !T::optional() }
}

/// Amounts: integers of minor units, never fractions or strings.
pub fn money(defs: &mut Defs) -> Json {
    defs.shared("Money", || Json::integer(0, MAX_SAFE_INTEGER).described("an amount in the currency's minor unit (fen): ¥99.90 is 9990"))
}

/// RFC 3339 times with an explicit offset (the engine checks the calendar date as well).
pub fn instant(defs: &mut Defs) -> Json {
    defs.shared("Time", || {
        Json::typed("string")
            .with(
                "pattern",
                Json::Str(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})$".into()),
            )
            .described("an RFC 3339 time with its offset, e.g. 2026-11-20T21:05:00+08:00")
    })
}

/// Rule expressions (docs/expressions.md), type-checked when the policy compiles.
pub fn expression(defs: &mut Defs) -> Json {
    defs.shared("Expression", || {
        Json::typed("string").with("maxLength", Json::Num(crate::expr::parser::MAX_LEN.to_string())).described(
            "an expression over the order, line, item and request, e.g. `line.category in [\"food\"] and item.reason == \"no_reason\"` (docs/expressions.md)",
        )
    })
}

/// A string matching `pattern`.
pub fn pattern(pattern: &str, description: &str) -> Json {
    Json::typed("string").with("pattern", Json::Str(pattern.into())).described(description)
}

/// The formats with a schema, by file stem.
pub const NAMES: &[&str] = &["answer", "effects", "input", "ledger", "order", "policy", "request"];

/// The schema document `name` (one of [`NAMES`]).
pub fn document(name: &str) -> Option<Json> {
    let mut defs = Defs::default();
    let file = format!("{name}.schema.json");
    Some(match name {
        "policy" => {
            let root = defs.input::<crate::policy::doc::PolicyDoc>();
            defs.document(
                &file,
                "aftersale-rules policy",
                "A return policy: windows, rules, postage, compensation, service levels and messages, usually extending a preset.",
                root,
            )
        }
        "order" => {
            let root = defs.input::<crate::model::Order>();
            defs.document(&file, "aftersale-rules order", "An order as the platform recorded it.", root)
        }
        "request" => {
            let root = defs.input::<crate::model::Request>();
            defs.document(&file, "aftersale-rules request", "A shopper's after-sales request.", root)
        }
        "ledger" => {
            let root = defs.input::<crate::model::Ledger>();
            defs.document(
                &file,
                "aftersale-rules ledger",
                "An order's record of accepted after-sales effects: what the engine reads to decide the next request (docs/money.md).",
                root,
            )
        }
        "effects" => {
            let root = defs.input::<crate::model::Effects>();
            defs.document(
                &file,
                "aftersale-rules effects",
                "What a decision adds to the order's ledger if the platform accepts it; applyEffects records it.",
                root,
            )
        }
        "input" => {
            let root = defs.input::<crate::model::EvaluationInput>();
            defs.document(
                &file,
                "aftersale-rules evaluation input",
                "What evaluateJson reads: the order, its ledger, the request and the host's clock.",
                root,
            )
        }
        "answer" => {
            let decision = <crate::answer::Decision as crate::json::ToJson>::schema(&mut defs);
            let errors = <crate::answer::ErrorsAnswer<'_> as crate::json::ToJson>::schema(&mut defs);
            for (def, value) in [("Decision", "decision"), ("ErrorsAnswer", "errors")] {
                if let Some(Json::Obj(pairs)) = defs.get_mut(def) {
                    if let Some((_, Json::Obj(props))) = pairs.iter_mut().find(|(k, _)| k == "properties") {
                        if let Some((_, ty)) = props.iter_mut().find(|(k, _)| k == "type") {
                            *ty = Json::Obj(vec![("const".into(), Json::Str(value.into()))]);
                        }
                    }
                }
            }
            let root = Json::Obj(vec![("oneOf".into(), Json::Arr(vec![decision, errors]))]);
            defs.document(&file, "aftersale-rules answer", "What evaluate answers: a decision, or every input error with its path.", root)
        }
        _ => return None,
    })
}
