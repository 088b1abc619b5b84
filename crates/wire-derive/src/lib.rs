//! `#[derive(WireDeserialize)]`: `serde::Deserialize` for the wire's structs, with the same
//! wire behaviour as serde's derive (the `#[serde(...)]` field attributes `default`,
//! `default = "f"`, `deserialize_with = "f"`, `rename = "x"`, `skip`, `skip_deserializing`;
//! unknown fields refused; the same error messages) but less code per struct: the key is
//! matched by one shared seed (`crate::wire::fields::FieldKey`) instead of a visitor per
//! struct, and a repeated key is caught by one bit test instead of a check per field. The
//! `.wasm` browsers and mini-programs download is mostly reading code; bench/README.md has
//! what this saved.
//!
//! Written without `syn`: the structs are plain (no generics, named fields), so their tokens
//! are read directly and the impl is written as text.

use proc_macro::{Delimiter, TokenStream, TokenTree};

/// What a field's `#[serde(...)]` says about reading it.
#[derive(Default)]
struct Field {
    ident: String,
    ty: String,
    wire: String,
    default: bool,
    default_fn: Option<String>,
    with: Option<String>,
    skip: bool,
}

#[proc_macro_derive(WireDeserialize, attributes(serde))]
pub fn derive_wire_deserialize(input: TokenStream) -> TokenStream {
    let refuse = |message: String| format!("compile_error!({message:?});").parse().unwrap_or_default();
    match parse(input) {
        Ok((name, fields)) => generate(&name, &fields).parse().unwrap_or_else(|e| refuse(format!("WireDeserialize: {e}"))),
        Err(message) => refuse(message),
    }
}

/// The struct's name and fields.
fn parse(input: TokenStream) -> Result<(String, Vec<Field>), String> {
    let mut tokens = input.into_iter().peekable();
    let mut name = None;
    while let Some(token) = tokens.next() {
        match token {
            // Only `deny_unknown_fields` (what the derive always does) may be said of the struct.
            TokenTree::Punct(p) if p.as_char() == '#' && name.is_none() => {
                if let Some(TokenTree::Group(g)) = tokens.next() {
                    let text = g.stream().to_string();
                    if text.starts_with("serde") && text.replace(' ', "") != "serde(deny_unknown_fields)" {
                        return Err(format!("WireDeserialize: `#[{text}]` is not supported on a struct"));
                    }
                }
            }
            TokenTree::Ident(i) if i.to_string() == "struct" => {
                name = tokens.next().map(|t| t.to_string());
            }
            TokenTree::Group(g) if g.delimiter() == Delimiter::Brace && name.is_some() => {
                let fields = fields(g.stream())?;
                return name.map(|n| (n, fields)).ok_or_else(|| "WireDeserialize: no struct name".to_owned());
            }
            TokenTree::Punct(p) if p.as_char() == '<' && name.is_some() => {
                return Err("WireDeserialize: generic structs are not supported".to_owned());
            }
            _ => {}
        }
    }
    Err("WireDeserialize: only structs with named fields are supported".to_owned())
}

fn fields(body: TokenStream) -> Result<Vec<Field>, String> {
    let mut out = Vec::new();
    let mut field = Field::default();
    let mut ty: Vec<TokenTree> = Vec::new();
    let mut in_type = false;
    let mut depth = 0i32;
    let mut arrow = false;
    let mut tokens = body.into_iter().peekable();
    while let Some(token) = tokens.next() {
        match &token {
            TokenTree::Punct(p) if p.as_char() == '#' && !in_type => {
                if let Some(TokenTree::Group(g)) = tokens.next() {
                    attribute(g.stream(), &mut field)?;
                }
            }
            TokenTree::Punct(p) if p.as_char() == ':' && !in_type && !field.ident.is_empty() => in_type = true,
            TokenTree::Punct(p) if p.as_char() == ',' && in_type && depth == 0 => {
                field.ty = TokenStream::from_iter(ty.drain(..)).to_string();
                out.push(std::mem::take(&mut field));
                in_type = false;
            }
            TokenTree::Ident(i) if !in_type => {
                let word = i.to_string();
                if word != "pub" {
                    field.ident = word;
                }
            }
            _ if in_type => {
                if let TokenTree::Punct(p) = &token {
                    // The `>` of `->` closes no generics.
                    match p.as_char() {
                        '<' => depth += 1,
                        '>' if !arrow => depth -= 1,
                        _ => {}
                    }
                    arrow = p.as_char() == '-' && p.spacing() == proc_macro::Spacing::Joint;
                } else {
                    arrow = false;
                }
                ty.push(token);
            }
            _ => {}
        }
    }
    if in_type {
        field.ty = TokenStream::from_iter(ty).to_string();
        out.push(field);
    }
    for f in &mut out {
        if f.wire.is_empty() {
            f.wire = f.ident.trim_start_matches("r#").to_owned();
        }
    }
    // serde reads an absent `Option` as `None` through any spelling or alias of it; here an
    // optional field says `default`, so that nothing depends on how its type is written.
    if let Some(f) = out.iter().find(|f| !f.skip && !f.default && f.default_fn.is_none() && f.with.is_none() && is_option(&f.ty)) {
        return Err(format!("WireDeserialize: the optional field `{}` needs `#[serde(default)]`", f.ident));
    }
    if out.iter().filter(|f| !f.skip).count() > 64 {
        return Err("WireDeserialize: at most 64 fields per struct".to_owned());
    }
    Ok(out)
}

/// Whether a type, as its tokens print, is `Option<…>` (by any path to it).
fn is_option(ty: &str) -> bool {
    ty.starts_with("Option <") || ty.contains("option :: Option <")
}

/// Reads `serde(...)` inside `#[...]`; other attributes are not about reading.
fn attribute(stream: TokenStream, field: &mut Field) -> Result<(), String> {
    let mut tokens = stream.into_iter();
    match (tokens.next(), tokens.next()) {
        (Some(TokenTree::Ident(i)), Some(TokenTree::Group(args))) if i.to_string() == "serde" => {
            let mut items = args.stream().into_iter().peekable();
            while let Some(token) = items.next() {
                let TokenTree::Ident(key) = token else { continue };
                let value = if matches!(items.peek(), Some(TokenTree::Punct(p)) if p.as_char() == '=') {
                    items.next();
                    items.next().map(|v| literal(&v.to_string()))
                } else {
                    None
                };
                match (key.to_string().as_str(), value) {
                    ("default", None) => field.default = true,
                    ("default", Some(f)) => field.default_fn = Some(f),
                    ("deserialize_with", Some(f)) => field.with = Some(f),
                    ("rename", Some(name)) => field.wire = name,
                    ("skip" | "skip_deserializing", None) => field.skip = true,
                    ("skip_serializing" | "skip_serializing_if", _) => {}
                    (other, _) => return Err(format!("WireDeserialize: `serde({other})` is not supported on a field")),
                }
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// A string literal's text (the attributes' values have no escapes but `\"`).
fn literal(token: &str) -> String {
    token.trim_matches('"').replace("\\\"", "\"")
}

/// The value a field takes when its key is absent, if it has one.
fn default_of(f: &Field) -> Option<String> {
    match (&f.default_fn, f.default) {
        (Some(fun), _) => Some(format!("{fun}()")),
        (None, true) => Some("::core::default::Default::default()".to_owned()),
        (None, false) => None,
    }
}

fn generate(name: &str, fields: &[Field]) -> String {
    let read: Vec<&Field> = fields.iter().filter(|f| !f.skip).collect();
    let names = read.iter().map(|f| format!("{:?}", f.wire)).collect::<Vec<_>>().join(", ");
    let mut slots = String::new();
    let mut wrappers = String::new();
    let mut arms = String::new();
    for (i, f) in read.iter().enumerate() {
        // A field with a default is read into its default: no `Option` around it, nothing to
        // match at the end (what most of a struct's reading code was).
        let store = match default_of(f) {
            Some(value) => {
                slots.push_str(&format!("let mut __f{i}: {} = {value};\n", f.ty));
                format!("__f{i} = __v")
            }
            None => {
                slots.push_str(&format!("let mut __f{i}: ::core::option::Option<{}> = ::core::option::Option::None;\n", f.ty));
                format!("__f{i} = ::core::option::Option::Some(__v)")
            }
        };
        match &f.with {
            Some(with) => {
                wrappers.push_str(&format!(
                    "struct __With{i}({ty});\n\
                     impl<'de> serde::Deserialize<'de> for __With{i} {{\n\
                         fn deserialize<__D: serde::Deserializer<'de>>(__d: __D) -> ::core::result::Result<Self, __D::Error> {{\n\
                             {with}(__d).map(__With{i})\n\
                         }}\n\
                     }}\n",
                    ty = f.ty
                ));
                arms.push_str(&format!(
                    "{i} => serde::de::MapAccess::next_value::<__With{i}>(&mut __map).map(|__v| {{ let __v = __v.0; {store} }}),\n"
                ));
            }
            None => arms.push_str(&format!("{i} => serde::de::MapAccess::next_value::<{}>(&mut __map).map(|__v| {store}),\n", f.ty)),
        }
    }
    let mut build = String::new();
    let mut index = 0;
    for f in fields {
        let value = if f.skip {
            f.default_fn.as_ref().map_or_else(|| "::core::default::Default::default()".to_owned(), |fun| format!("{fun}()"))
        } else {
            let i = index;
            index += 1;
            if default_of(f).is_some() {
                format!("__f{i}")
            } else {
                let absent = format!("return ::core::result::Result::Err(<__A::Error as serde::de::Error>::missing_field({:?}))", f.wire);
                format!("match __f{i} {{ ::core::option::Option::Some(__v) => __v, ::core::option::Option::None => {absent} }}")
            }
        };
        build.push_str(&format!("{}: {value},\n", f.ident));
    }
    format!(
        "impl<'de> serde::Deserialize<'de> for {name} {{
            fn deserialize<__D: serde::Deserializer<'de>>(__d: __D) -> ::core::result::Result<Self, __D::Error> {{
                const __FIELDS: &[&str] = &[{names}];
                struct __Visitor;
                impl<'de> serde::de::Visitor<'de> for __Visitor {{
                    type Value = {name};
                    fn expecting(&self, __f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {{
                        __f.write_str(\"struct {name}\")
                    }}
                    #[allow(clippy::too_many_lines)]
                    fn visit_map<__A: serde::de::MapAccess<'de>>(self, mut __map: __A) -> ::core::result::Result<{name}, __A::Error> {{
                        {wrappers}
                        {slots}
                        // One way out on an error: every slot is dropped in one place.
                        let mut __seen: u64 = 0;
                        loop {{
                            let __read = match serde::de::MapAccess::next_key_seed(&mut __map, crate::wire::fields::FieldKey(__FIELDS)) {{
                                ::core::result::Result::Ok(::core::option::Option::Some(__i)) => match crate::wire::fields::once::<__A::Error>(__seen, __i, __FIELDS) {{
                                    ::core::result::Result::Ok(__s) => {{
                                        __seen = __s;
                                        match __i {{
                                            {arms}
                                            _ => ::core::result::Result::Ok(()),
                                        }}
                                    }}
                                    ::core::result::Result::Err(__e) => ::core::result::Result::Err(__e),
                                }},
                                ::core::result::Result::Ok(::core::option::Option::None) => break,
                                ::core::result::Result::Err(__e) => ::core::result::Result::Err(__e),
                            }};
                            if let ::core::result::Result::Err(__e) = __read {{
                                return ::core::result::Result::Err(__e);
                            }}
                        }}
                        ::core::result::Result::Ok({name} {{
                            {build}
                        }})
                    }}
                }}
                serde::Deserializer::deserialize_struct(__d, {name:?}, __FIELDS, __Visitor)
            }}
        }}"
    )
}

#[cfg(test)]
mod tests {
    use super::{is_option, literal};

    #[test]
    fn an_option_is_known_by_any_path_to_it() {
        assert!(is_option("Option < Text >"));
        assert!(is_option("std :: option :: Option < u64 >"));
        assert!(!is_option("Vec < ItemOption >"));
        assert!(!is_option("Options"));
    }

    #[test]
    fn an_attribute_value_is_read_without_its_quotes() {
        assert_eq!(literal("\"number::count\""), "number::count");
        assert_eq!(literal("\"at_most::<_, _, MAX_ITEMS>\""), "at_most::<_, _, MAX_ITEMS>");
    }
}
