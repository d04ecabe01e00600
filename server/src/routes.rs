//! The JSON API under `/api`, one module a resource. Each handler carries its
//! OpenAPI annotation, and the router is built from the same annotations, so
//! every route is in `/api/openapi.json`; the answers every route can give
//! because of its extractors (a malformed query or body) are added by
//! `extractor_errors`, and tests check the document against the wire.

pub mod access;
pub mod activities;
pub mod admin;
pub mod auth;
pub mod calls;
pub mod collaborations;
pub mod consortia;
pub mod figures;
pub mod guests;
pub mod ideas;
pub mod kpi;
pub mod ledger;
pub mod matchmaking;
pub mod me;
pub mod notifications;
pub mod orgs;
pub mod partners;
pub mod problems;
pub mod reference;
pub mod requests;
pub mod security;
pub mod surveys;

use crate::AppState;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Moim API",
        description = "Self-service portal of Korea's industrial-complex innovation clusters"
    ),
    components(schemas(
        moim_core::ApiError,
        moim_core::FieldError,
        moim_core::ErrorCode,
        moim_core::ConflictCode,
        // Types only query parameters name: nothing else registers them.
        moim_core::idea::FeedSort,
        moim_core::kpi::KpiTable,
        moim_core::headline::HeadlineTable
    ))
)]
struct ApiDoc;

/// The answers an operation gets from its extractors rather than from its
/// handler, added to its documentation: a query string or body that does not
/// parse is 400 and one whose values break their rules 422 (`ApiQuery`,
/// `Valid`); a body over its limit is 413, of another media type 415
/// (`ApiJson`, multipart); an id in the path that names nothing the caller may
/// see is 404 (`ApiPath`).
pub fn extractor_errors(doc: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder, path::ParameterIn};
    let error = |what: &str| {
        ResponseBuilder::new()
            .description(what)
            .content(
                "application/json",
                ContentBuilder::new()
                    .schema(Some(Ref::from_schema_name("ApiError")))
                    .build(),
            )
            .build()
    };
    for item in doc.paths.paths.values_mut() {
        let ops = [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
        ];
        for op in ops.into_iter().flatten() {
            // A query string has no null: a value left out is how "none" is
            // said, so an optional parameter's schema does not offer `null`.
            for p in op.parameters.iter_mut().flatten() {
                if p.parameter_in == ParameterIn::Query
                    && let Some(schema) = p.schema.take()
                {
                    p.schema = Some(without_null(schema));
                }
            }
            let query = op
                .parameters
                .iter()
                .flatten()
                .any(|p| p.parameter_in == ParameterIn::Query);
            let body = op.request_body.is_some();
            let path = op
                .parameters
                .iter()
                .flatten()
                .any(|p| p.parameter_in == ParameterIn::Path);
            let mut add = |status: &str, what: &str| {
                op.responses
                    .responses
                    .entry(status.to_owned())
                    .or_insert_with(|| error(what).into());
            };
            if query || body {
                add("400", "Malformed query string or body (`bad_request`)");
                add(
                    "422",
                    "A value breaks its rule (`validation`, every field named)",
                );
            }
            if path {
                add(
                    "404",
                    "No such thing, or not one the caller may see (`not_found`)",
                );
            }
            if body {
                add("413", "Body over its limit (`payload_too_large`)");
                add(
                    "415",
                    "Body of another media type (`unsupported_media_type`)",
                );
            }
        }
    }
}

/// A query parameter's `schema` without its `null` choice (`type: [integer,
/// null]` becomes `integer`; `oneOf: [null, X]` becomes `X`), and with the
/// pattern of a one-line text when it is a text.
fn without_null(
    schema: utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>,
) -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
    use utoipa::openapi::{
        RefOr, Type,
        schema::{Schema, SchemaType},
    };
    let is_null = |s: &RefOr<Schema>| matches!(s, RefOr::T(Schema::Object(o)) if o.schema_type == SchemaType::Type(Type::Null));
    match schema {
        RefOr::T(Schema::Object(mut o)) => {
            if let SchemaType::Array(types) = &o.schema_type {
                let rest: Vec<Type> = types
                    .iter()
                    .filter(|t| **t != Type::Null)
                    .cloned()
                    .collect();
                o.schema_type = match rest.as_slice() {
                    [one] => SchemaType::Type(one.clone()),
                    _ => SchemaType::Array(rest),
                };
            }
            // A text is one line: the pattern of its validation.
            if o.schema_type == SchemaType::Type(Type::String)
                && o.pattern.is_none()
                && o.enum_values.is_none()
                && o.format.is_none()
            {
                o.pattern = Some(moim_core::schema::one_line_pattern(
                    o.min_length.unwrap_or(0),
                ));
            }
            RefOr::T(Schema::Object(o))
        }
        RefOr::T(Schema::OneOf(mut one)) => {
            one.items.retain(|s| !is_null(s));
            match one.items.len() {
                1 => one.items.remove(0),
                _ => RefOr::T(Schema::OneOf(one)),
            }
        }
        other => other,
    }
}

/// Every API route with its documentation.
pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(auth::router())
        .merge(me::router())
        .merge(security::router())
        .merge(reference::router())
        .merge(orgs::router())
        .merge(consortia::router())
        .merge(requests::router())
        .merge(problems::router())
        .merge(collaborations::router())
        .merge(ideas::router())
        .merge(notifications::router())
        .merge(activities::router())
        .merge(guests::router())
        .merge(matchmaking::router())
        .merge(partners::router())
        .merge(kpi::router())
        .merge(ledger::router())
        .merge(figures::router())
        .merge(surveys::router())
        .merge(calls::router())
        .merge(admin::router())
}
