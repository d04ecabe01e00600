//! Taking a parsed JSON value apart as a `T`, read in place (no copy of the value).
//!
//! Not `serde_json::from_value`: its errors are messages, and building one formats
//! whatever did not fit — a float included — so every module that decodes carried
//! Rust's float formatting and serde's error texts although the app only ever
//! says "the answer could not be read". Here a mismatch is just [`Mismatch`], the
//! value is walked with serde's own sequence and map deserializers, and nothing
//! is formatted.

use serde::de::{
    self, DeserializeOwned, DeserializeSeed, Deserializer, EnumAccess, IntoDeserializer,
    VariantAccess, Visitor,
    value::{MapDeserializer, SeqDeserializer},
};
use serde_json::Value;

/// A value that did not have the shape of the type asked for.
#[derive(Debug)]
pub struct Mismatch;

impl std::fmt::Display for Mismatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the JSON does not fit the type")
    }
}

impl std::error::Error for Mismatch {}

/// Every constructor answers the same, without formatting its arguments.
impl de::Error for Mismatch {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        Mismatch
    }
    fn invalid_type(_: de::Unexpected, _: &dyn de::Expected) -> Self {
        Mismatch
    }
    fn invalid_value(_: de::Unexpected, _: &dyn de::Expected) -> Self {
        Mismatch
    }
    fn invalid_length(_: usize, _: &dyn de::Expected) -> Self {
        Mismatch
    }
    fn unknown_variant(_: &str, _: &'static [&'static str]) -> Self {
        Mismatch
    }
    fn unknown_field(_: &str, _: &'static [&'static str]) -> Self {
        Mismatch
    }
    fn missing_field(_: &'static str) -> Self {
        Mismatch
    }
    fn duplicate_field(_: &'static str) -> Self {
        Mismatch
    }
}

/// `value` as a `T`.
pub fn from_json<T: DeserializeOwned>(value: &Value) -> Result<T, Mismatch> {
    T::deserialize(Json(value))
}

/// A borrowed JSON value as a deserializer.
#[derive(Clone, Copy)]
struct Json<'a>(&'a Value);

/// Number types, each read the way `deserialize_i64` reads.
macro_rules! numbers {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Mismatch> {
            self.deserialize_i64(visitor)
        }
    )*};
}

impl<'de> IntoDeserializer<'de, Mismatch> for Json<'_> {
    type Deserializer = Self;
    fn into_deserializer(self) -> Self {
        self
    }
}

impl<'de> Deserializer<'de> for Json<'_> {
    type Error = Mismatch;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Mismatch> {
        match self.0 {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Number(n) => visit_number(n, visitor),
            Value::String(s) => visitor.visit_str(s),
            Value::Array(items) => visit_seq(items, visitor),
            Value::Object(map) => visit_map(map, visitor),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Mismatch> {
        match self.0 {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Mismatch> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Mismatch> {
        match self.0 {
            // A unit variant, by its name.
            Value::String(s) => visitor.visit_enum(s.as_str().into_deserializer()),
            // `{"variant": content}`.
            Value::Object(map) if map.len() == 1 => match map.iter().next() {
                Some((name, content)) => visitor.visit_enum(Variant(name, Json(content))),
                None => Err(Mismatch),
            },
            _ => Err(Mismatch),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Mismatch> {
        visitor.visit_unit()
    }

    // A type that says what it expects gets only that branch: a struct's visitor
    // is built for maps alone, a string's for strings (serde_json's other
    // branches only refuse, and each was code in every page, per type).

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Mismatch> {
        match self.0 {
            Value::Object(map) => visit_map(map, visitor),
            _ => Err(Mismatch),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Mismatch> {
        self.deserialize_map(visitor)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Mismatch> {
        match self.0 {
            Value::Array(items) => visit_seq(items, visitor),
            _ => Err(Mismatch),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Mismatch> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Mismatch> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Mismatch> {
        match self.0 {
            Value::String(s) => visitor.visit_str(s),
            _ => Err(Mismatch),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Mismatch> {
        self.deserialize_str(visitor)
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Mismatch> {
        self.deserialize_str(visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Mismatch> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Mismatch> {
        match self.0 {
            Value::Bool(b) => visitor.visit_bool(*b),
            _ => Err(Mismatch),
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Mismatch> {
        match self.0 {
            Value::Null => visitor.visit_unit(),
            _ => Err(Mismatch),
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Mismatch> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_i64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Mismatch> {
        match self.0 {
            Value::Number(n) => visit_number(n, visitor),
            _ => Err(Mismatch),
        }
    }

    serde::forward_to_deserialize_any! { bytes byte_buf }

    numbers! {
        deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i128 deserialize_u8
        deserialize_u16 deserialize_u32 deserialize_u64 deserialize_u128 deserialize_f32
        deserialize_f64
    }
}

fn visit_number<'de, V: Visitor<'de>>(
    n: &serde_json::Number,
    visitor: V,
) -> Result<V::Value, Mismatch> {
    match (n.as_u64(), n.as_i64(), n.as_f64()) {
        (Some(u), _, _) => visitor.visit_u64(u),
        (None, Some(i), _) => visitor.visit_i64(i),
        (None, None, Some(f)) => visitor.visit_f64(f),
        _ => Err(Mismatch),
    }
}

fn visit_seq<'de, V: Visitor<'de>>(items: &[Value], visitor: V) -> Result<V::Value, Mismatch> {
    let mut seq = SeqDeserializer::new(items.iter().map(Json));
    let v = visitor.visit_seq(&mut seq)?;
    seq.end()?;
    Ok(v)
}

fn visit_map<'de, V: Visitor<'de>>(
    map: &serde_json::Map<String, Value>,
    visitor: V,
) -> Result<V::Value, Mismatch> {
    let mut entries = MapDeserializer::new(map.iter().map(|(k, v)| (k.as_str(), Json(v))));
    let v = visitor.visit_map(&mut entries)?;
    entries.end()?;
    Ok(v)
}

/// An externally tagged variant with content: its name and the content.
struct Variant<'a>(&'a str, Json<'a>);

impl<'de, 'a> EnumAccess<'de> for Variant<'a> {
    type Error = Mismatch;
    type Variant = Json<'a>;

    fn variant_seed<S: DeserializeSeed<'de>>(
        self,
        seed: S,
    ) -> Result<(S::Value, Json<'a>), Mismatch> {
        let name: de::value::StrDeserializer<'_, Mismatch> = self.0.into_deserializer();
        let name = seed.deserialize(name)?;
        Ok((name, self.1))
    }
}

impl<'de> VariantAccess<'de> for Json<'_> {
    type Error = Mismatch;

    fn unit_variant(self) -> Result<(), Mismatch> {
        match self.0 {
            Value::Null => Ok(()),
            _ => Err(Mismatch),
        }
    }

    fn newtype_variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> Result<S::Value, Mismatch> {
        seed.deserialize(self)
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Mismatch> {
        self.deserialize_any(visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Mismatch> {
        self.deserialize_any(visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use moim_core::{ApiError, ConflictCode, ErrorCode, FieldErrors, ProblemId};
    use serde::{Deserialize, Serialize};
    use serde_json::json;
    use std::collections::BTreeMap;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    enum Shape {
        Unit,
        Newtype(i64),
        Tuple(u8, String),
        Struct { a: bool },
    }

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Sample {
        id: ProblemId,
        name: String,
        score: f64,
        delta: i64,
        big: u64,
        missing: Option<String>,
        present: Option<u32>,
        at: chrono::DateTime<chrono::Utc>,
        list: Vec<Shape>,
        counts: BTreeMap<String, i64>,
        #[serde(default)]
        defaulted: Vec<i32>,
        pair: (u8, char),
    }

    /// What serde_json's own deserializer reads, this reads the same way.
    fn same<T: DeserializeOwned + PartialEq + std::fmt::Debug>(v: Value) {
        let theirs: T = serde_json::from_value(v.clone()).unwrap();
        assert_eq!(from_json::<T>(&v).unwrap(), theirs, "{v}");
    }

    #[test]
    fn reads_what_serde_json_reads() {
        same::<Sample>(json!({
            "id": 7, "name": "금형 냉각", "score": 0.25, "delta": -3, "big": u64::MAX,
            "present": 5, "at": "2026-12-01T09:00:00Z",
            "list": ["Unit", {"Newtype": 4}, {"Tuple": [1, "x"]}, {"Struct": {"a": true}}],
            "counts": {"a": 1, "b": 2}, "pair": [9, "가"], "ignored": {"deep": [1, 2]}
        }));
        same::<Sample>(json!({
            "id": 1, "name": "", "score": 3, "delta": 0, "big": 0, "missing": null, "present": null,
            "at": "2026-01-01T00:00:00+09:00", "list": [], "counts": {}, "pair": [0, "a"]
        }));
        let errors = {
            let mut e = FieldErrors::default();
            e.add(
                "password",
                ErrorCode::WeakPassword {
                    hint: "repeated".into(),
                },
            );
            e.add("title", ErrorCode::TooLong { max: 100 });
            e
        };
        for e in [
            ApiError::NotFound,
            ApiError::Validation { fields: errors },
            ApiError::conflict(ConflictCode::EmailTaken, "email"),
            ApiError::TooManyRequests { retry_after: 60 },
        ] {
            let v = serde_json::to_value(&e).unwrap();
            same::<ApiError>(v.clone());
            assert_eq!(from_json::<ApiError>(&v).unwrap(), e);
        }
        same::<Value>(json!({"any": [1, -1, 1.5, "s", null, true, {"x": {}}]}));
    }

    #[test]
    fn refuses_what_does_not_fit() {
        for v in [
            json!({"id": "seven"}),
            json!([1, 2]),
            json!(null),
            json!({"id": 1, "name": 5}),
        ] {
            assert!(from_json::<Sample>(&v).is_err(), "{v}");
        }
        assert!(from_json::<(u8,)>(&json!([1, 2])).is_err(), "extra items");
        assert!(from_json::<u8>(&json!(300)).is_err(), "out of range");
        assert!(from_json::<Shape>(&json!({"Newtype": 1, "Unit": null})).is_err());
        assert!(from_json::<Shape>(&json!("Nope")).is_err());
        assert!(from_json::<ApiError>(&json!({"error": "no_such_error"})).is_err());
    }
}
