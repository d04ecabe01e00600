//! Moim's contract between browser and server: wire types, ids, validation
//! and the one JSON error body. Builds for native and `wasm32-unknown-unknown`.

/// Defines a closed set of choices stored by their snake_case code.
macro_rules! code_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $code:literal),* $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name { $($(#[$vdoc])* #[serde(rename = $code)] $variant),* }

        // Written out rather than derived: utoipa's derive does not see a
        // `serde(rename)` whose name comes from this macro, and documented the
        // variants' Rust names instead of the codes on the wire.
        #[cfg(feature = "openapi")]
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::schema::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .enum_values(Some([$($code),*]))
                    .into()
            }
        }

        #[cfg(feature = "openapi")]
        impl utoipa::ToSchema for $name {}

        impl $name {
            /// Every choice, in display order.
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            /// Stored code (the serde name).
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),* }
            }

            /// The choice for a stored code.
            pub fn from_code(code: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|k| k.code() == code)
            }
        }
    };
}

pub mod account;
pub mod activity;
pub mod call;
pub mod consortium;
pub mod error;
pub mod evaluation;
pub mod figures;
pub mod grant;
pub mod headline;
pub mod idea;
pub mod ids;
pub mod kpi;
pub mod ledger;
pub mod matchmaking;
pub mod notification;
pub mod partner;
pub mod password;
pub mod paths;
pub mod privacy;
pub mod problem;
pub mod query;
pub mod questionnaire;
pub mod reference;
pub mod registry;
pub mod routes;
#[cfg(feature = "openapi")]
pub mod schema;
pub mod search;
pub mod second_factor;
pub mod selection;
pub mod survey;
pub mod validate;
pub mod wire_time;

pub use error::{ApiError, ConflictCode, ErrorCode, FieldError, FieldErrors};
pub use ids::*;
pub use validate::Validate;

/// Offset that turns UTC (how Moim stores time) into Korea Standard Time
/// (how people read it): UTC+9, no daylight saving.
pub const KST_OFFSET_SECS: i32 = 9 * 3600;

/// Korea Standard Time as a chrono offset, checked at compile time.
pub const KST: chrono::FixedOffset = match chrono::FixedOffset::east_opt(KST_OFFSET_SECS) {
    Some(offset) => offset,
    None => panic!("KST offset out of range"),
};

/// A time as Korea reads it to the minute ("2026-12-18 14:00"), for mails and
/// sheets the server writes. Not for the browser, which formats by hand
/// (`app::time`) to keep chrono's formatter out of the wasm.
pub fn kst_minute(t: chrono::DateTime<chrono::Utc>) -> String {
    t.with_timezone(&KST).format("%Y-%m-%d %H:%M").to_string()
}

/// Today in Korea. Not for the browser, whose clock `app::time` reads.
pub fn kst_today() -> chrono::NaiveDate {
    chrono::Utc::now().with_timezone(&KST).date_naive()
}

/// One page of a list, with the total for pagers.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Page<T> {
    /// The items of this page.
    pub items: Vec<T>,
    /// How many items match in all.
    pub total: i64,
    /// 1-based page number.
    pub page: u32,
    /// Items per page.
    pub per_page: u32,
}

impl<T> Page<T> {
    /// Number of pages, at least 1.
    pub fn pages(&self) -> u32 {
        let per = i64::from(self.per_page.max(1));
        u32::try_from(((self.total + per - 1) / per).max(1)).unwrap_or(u32::MAX)
    }
}

#[cfg(test)]
mod schema_names {
    use std::{collections::BTreeMap, fs, path::Path};

    /// The types the API document describes, by name, with where each is.
    fn schemas(dir: &Path, out: &mut BTreeMap<String, Vec<String>>) {
        let mut entries: Vec<_> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                schemas(&path, out);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let text = fs::read_to_string(&path).unwrap();
            let (mut derived, mut coded) = (false, false);
            for line in text.lines().map(str::trim) {
                let name = if line.starts_with("#[") && line.contains("utoipa::ToSchema") {
                    derived = true;
                    None
                } else if line.starts_with("code_enum!(") {
                    coded = true;
                    None
                } else if derived
                    && let Some(rest) = line
                        .strip_prefix("pub struct ")
                        .or_else(|| line.strip_prefix("pub enum "))
                {
                    derived = false;
                    rest.split(|c: char| !c.is_alphanumeric() && c != '_')
                        .next()
                        .filter(|_| !rest.starts_with('$'))
                } else if coded && !line.starts_with("//") && line.ends_with('{') {
                    coded = false;
                    line.split_whitespace().next()
                } else {
                    None
                };
                if let Some(name) = name {
                    out.entry(name.to_owned())
                        .or_default()
                        .push(path.display().to_string());
                }
            }
        }
    }

    /// utoipa keys the document's schemas by type name: two types of one name
    /// become one schema, and a body is described as the other's (the
    /// matchmaking report's `Attendance` once was the activity's).
    #[test]
    fn every_api_type_has_a_name_of_its_own() {
        let mut found = BTreeMap::new();
        schemas(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
            &mut found,
        );
        assert!(
            found.len() > 100,
            "the scan finds the API's types: {found:?}"
        );
        for name in ["MatchSetup", "MeetingAttendance", "KpiReport", "Currency"] {
            assert!(found.contains_key(name), "{name} in {found:?}");
        }
        assert!(
            !found.contains_key(""),
            "a type the scan could not name: {:?}",
            found.get("")
        );
        let twice: Vec<_> = found.iter().filter(|(_, at)| at.len() > 1).collect();
        assert!(twice.is_empty(), "one name, two types: {twice:?}");
    }
}
