//! The wire layer, at the bottom of the engine: the one diagnostic shape and its codes, the
//! limits, the strict JSON boundary, the checks that follow it, and the shared text type.
//! Nothing here knows what an order or a policy is.

pub mod checks;
pub mod error;
pub mod fields;
pub mod json;
pub mod limits;
pub mod number;
pub mod path;
pub mod reader;
pub mod refusal;
pub mod text;
/// The canonical JSON writer, a crate of its own: it knows serde's data model, not the engine's
/// types (serde's `Serializer` makes it name floats, which it refuses).
pub use aftersale_json_writer as writer;

/// For `skip_serializing_if`: a flag is written only when set.
pub fn is_false(flag: &bool) -> bool {
    !*flag
}

/// For `skip_serializing_if`: a count is written only when something was counted.
pub fn is_zero(count: &i64) -> bool {
    *count == 0
}

/// Declares a wire struct, read and written with serde: strictly (unknown fields refused; the
/// reader takes a struct from an object only), its fields in declaration order. A JSON Schema
/// follows with the `schema` feature.
macro_rules! wire_struct {
    ($(#[$meta:meta])* $vis:vis struct $name:ident { $($body:tt)* }) => {
        #[derive(serde::Serialize, aftersale_wire_derive::WireDeserialize)]
        #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
        #[serde(deny_unknown_fields)]
        $(#[$meta])*
        $vis struct $name { $($body)* }
    };
}
pub(crate) use wire_struct;

/// Declares a string enum with its wire names (the contract: never rename one), read and
/// written by those names only, with `as_str`, `from_wire`, and the lists `ALL` and `WIRE`.
macro_rules! wire_enum {
    ($(#[$meta:meta])* $vis:vis enum $name:ident { $($(#[$vmeta:meta])* $variant:ident = $wire:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        $vis enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub const WIRE: &'static [&'static str] = &[$($wire),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $wire),+ }
            }

            pub fn from_wire(s: &str) -> Option<Self> {
                match s { $($wire => Some($name::$variant),)+ _ => None }
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let at = $crate::wire::json::read_name(d, $name::WIRE)?;
                $name::ALL.get(at).copied().ok_or_else(|| serde::de::Error::custom("unknown value"))
            }
        }

        #[cfg(feature = "schema")]
        impl schemars::JsonSchema for $name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }
            fn inline_schema() -> bool {
                true
            }
            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                schemars::json_schema!({ "type": "string", "enum": $name::WIRE })
            }
        }
    };
}
pub(crate) use wire_enum;

/// Declares a constant string field's type (an answer's `"type": "decision"`): written as
/// that string, read only from it.
macro_rules! tag {
    ($(#[$meta:meta])* $name:ident = $wire:literal) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
        pub struct $name;

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str($wire)
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                $crate::wire::json::read_name(d, &[$wire]).map(|_| $name)
            }
        }

        #[cfg(feature = "schema")]
        impl schemars::JsonSchema for $name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }
            fn inline_schema() -> bool {
                true
            }
            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                schemars::json_schema!({ "const": $wire })
            }
        }
    };
}
pub(crate) use tag;
