//! What [`crate::validate`]'s text checks accept, as JSON Schema for the OpenAPI
//! document: a field says `#[schema(schema_with = schema::text::<1, TITLE_MAX>)]`
//! next to the `e.text("title", …, 1, TITLE_MAX)` of its `validate`, so that any
//! request the document allows passes validation (schemathesis checks both
//! ways). Lengths count characters; validation trims white space before it
//! counts, and so do the patterns.

use utoipa::openapi::{
    Type,
    schema::{Object, ObjectBuilder, SchemaType},
};

/// What a one-line text may not hold ([`crate::validate::is_control`]), as the
/// inside of a regex character class.
const CONTROL: &str = r"\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069";
/// What a multi-line text may not hold: the same but `\n` and `\t`.
const CONTROL_BUT_NEWLINE: &str =
    r"\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069";
/// The white space `str::trim` takes off that is not refused anyway.
const SPACE: &str = r" \u00a0\u1680\u2000-\u200a\u202f\u205f\u3000";
/// The same, with the line breaks and tabs a multi-line text may hold.
const SPACE_OR_NEWLINE: &str = r"\t\n \u00a0\u1680\u2000-\u200a\u202f\u205f\u3000";

/// A text with no character of `refused`, at most `max` characters, and at
/// least `min` once the white space `space` around it is trimmed.
fn string(min: usize, max: usize, refused: &str, space: &str, nullable: bool) -> Object {
    let kind = if nullable {
        SchemaType::from_iter([Type::String, Type::Null])
    } else {
        SchemaType::Type(Type::String)
    };
    ObjectBuilder::new()
        .schema_type(kind)
        .min_length((min > 0).then_some(min))
        .max_length(Some(max))
        .pattern(Some(pattern(min, refused, space)))
        .build()
}

/// The pattern of a one-line text of at least `min` characters once trimmed:
/// what the OpenAPI document gives every query parameter that is a text (a
/// query string is one line), its length bounds set where it is declared.
pub fn one_line_pattern(min: usize) -> String {
    pattern(min, CONTROL, SPACE)
}

fn pattern(min: usize, refused: &str, space: &str) -> String {
    match min {
        0 => format!("^[^{refused}]*$"),
        1 => format!("^[{space}]*[^{refused}{space}][^{refused}]*$"),
        _ => format!(
            "^[{space}]*[^{refused}{space}][^{refused}]{{{},}}[^{refused}{space}][{space}]*$",
            min - 2
        ),
    }
}

/// A one-line text of `MIN..=MAX` characters ([`crate::validate::FieldErrors::text`]).
pub fn text<const MIN: usize, const MAX: usize>() -> Object {
    string(MIN, MAX, CONTROL, SPACE, false)
}

/// An optional one-line text of at most `MAX` characters.
pub fn optional_text<const MAX: usize>() -> Object {
    string(0, MAX, CONTROL, SPACE, true)
}

/// A multi-line text of `MIN..=MAX` characters ([`crate::validate::FieldErrors::paragraphs`]).
pub fn paragraphs<const MIN: usize, const MAX: usize>() -> Object {
    string(MIN, MAX, CONTROL_BUT_NEWLINE, SPACE_OR_NEWLINE, false)
}

/// An optional multi-line text of at most `MAX` characters.
pub fn optional_paragraphs<const MAX: usize>() -> Object {
    string(0, MAX, CONTROL_BUT_NEWLINE, SPACE_OR_NEWLINE, true)
}

/// A password typed to prove who one is: present, at most `MAX` characters.
pub fn password<const MAX: usize>() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .min_length(Some(1))
        .max_length(Some(MAX))
        .format(Some(utoipa::openapi::SchemaFormat::KnownFormat(
            utoipa::openapi::KnownFormat::Password,
        )))
        .build()
}

/// A key the client makes once per request it may retry
/// ([`crate::validate::FieldErrors::idempotency_key`]).
pub fn idempotency_key() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .pattern(Some("^[A-Za-z0-9-]{1,64}$"))
        .build()
}

/// An email address ([`crate::validate::FieldErrors::email`]): `local@domain.tld`.
pub fn email() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .max_length(Some(crate::validate::EMAIL_MAX))
        .pattern(Some(
            r"^[^@\s\u0000-\u001f\u007f-\u009f]+@[^@.\s\u0000-\u001f\u007f-\u009f]+(\.[^@.\s\u0000-\u001f\u007f-\u009f]+)+$",
        ))
        .build()
}
