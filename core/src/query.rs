//! Query strings: one serde encoding for the app (its page addresses and the API
//! calls it makes) and the server (axum's `Query` reads the same fields), so a
//! list's filters are encoded once, by the type that holds them.

use serde::{Serialize, de::DeserializeOwned};

/// A list query that can be put in an address: its filters in one canonical form,
/// so the same filters always give the same string (the server answers a page's
/// first request inside the page only when the strings agree).
pub trait ListQuery: Serialize + DeserializeOwned + Default {
    /// Blank words dropped, words trimmed, the first page implied.
    fn normalized(self) -> Self;

    /// The canonical query string (without `?`); empty when nothing is set.
    fn to_query(&self) -> String
    where
        Self: Clone,
    {
        to_query(&self.clone().normalized())
    }

    /// Reads a query string (with or without `?`). Anything that does not parse
    /// gives the unfiltered list rather than an error: a page address is typed,
    /// shared and bookmarked by people.
    fn from_query(s: &str) -> Self {
        from_query::<Self>(s).unwrap_or_default().normalized()
    }
}

/// `value` as `a=1&b=x` (unset options left out).
pub fn to_query<T: Serialize>(value: &T) -> String {
    serde_urlencoded::to_string(value).unwrap_or_default()
}

/// Reads `a=1&b=x` (a leading `?` is ignored).
pub fn from_query<T: DeserializeOwned>(s: &str) -> Option<T> {
    serde_urlencoded::from_str(s.strip_prefix('?').unwrap_or(s)).ok()
}

/// `path` with its query, if any.
pub fn with_query(path: &str, query: &str) -> String {
    if query.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{query}")
    }
}

/// A text filter as a query keeps it: trimmed, and gone when blank.
pub fn clean(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())
}

/// A page number as a query keeps it: gone when it is the first.
pub fn clean_page(p: Option<u32>) -> Option<u32> {
    p.filter(|p| *p > 1)
}
