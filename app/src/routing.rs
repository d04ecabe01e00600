//! Addresses as pages read and write them: a page's typed parameters, its list
//! query (in the one encoding `core` gives every list, so a page's address and
//! its API request carry the same string), and its stylesheet.

use leptos::prelude::*;
use leptos_router::hooks::use_location;
use moim_core::{
    query::{ListQuery, with_query},
    routes::RouteParams,
};
use wasm_bindgen::JsCast;

/// The page of the address and its parameters (`core::routes`), given to every
/// page by the router in `lib.rs`.
#[derive(Clone, Copy)]
pub struct Current(pub Memo<Option<(&'static str, RouteParams)>>);

/// The page's numeric parameter `name` (an id); `None` when it is not a number.
pub fn id_param(name: &'static str) -> Memo<Option<i64>> {
    let current = use_context::<Current>().map(|c| c.0);
    Memo::new(move |_| current.and_then(|c| c.with(|m| m.as_ref().and_then(|(_, p)| p.id(name)))))
}

/// The page's list query, from its address.
pub fn list_query<Q>() -> Memo<Q>
where
    Q: ListQuery + Clone + PartialEq + Send + Sync + 'static,
{
    let search = use_location().search;
    Memo::new(move |_| search.with(|s| Q::from_query(s)))
}

/// The address of `path` showing the list `q`.
pub fn list_href<Q: ListQuery + Clone>(path: &str, q: &Q) -> String {
    with_query(path, &q.to_query())
}

/// The value of `name` in the address's fragment (`#name=…&…`): where a mailed
/// link carries its token, which no server log or `Referer` ever sees.
pub fn fragment_param(name: &str) -> Option<String> {
    let hash = use_location().hash.get_untracked();
    hash.trim_start_matches('#')
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

/// The query string of the address (without `?`).
pub fn query_param(name: &'static str) -> Memo<Option<String>> {
    let search = use_location().search;
    Memo::new(move |_| {
        search.with(|s| {
            moim_core::query::from_query::<Vec<(String, String)>>(s)
                .unwrap_or_default()
                .into_iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v)
        })
    })
}

/// Makes sure the page's stylesheet (a file of this build) is in the document.
/// A page opened directly has it already: the server named it in the HTML.
pub fn stylesheet(name: &str) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let base = doc
        .document_element()
        .and_then(|e| e.get_attribute("data-build"))
        .unwrap_or_else(|| "/".to_owned());
    let href = format!("{base}{name}");
    let links = doc.query_selector_all("link[rel=stylesheet]").ok();
    let present = links.is_some_and(|l| {
        (0..l.length()).any(|i| {
            l.item(i)
                .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
                .and_then(|e| e.get_attribute("href"))
                .is_some_and(|h| h == href)
        })
    });
    if present {
        return;
    }
    if let (Ok(link), Some(head)) = (doc.create_element("link"), doc.head()) {
        let _ = link.set_attribute("rel", "stylesheet");
        let _ = link.set_attribute("href", &href);
        let _ = head.append_child(&link);
    }
}

/// A path of this site to return to (`?next=`), never another site
/// ([`moim_core::paths::return_path`]).
pub fn next_path(query: &leptos_router::params::ParamsMap, fallback: &str) -> String {
    query
        .get("next")
        .filter(|n| moim_core::paths::return_path(n).is_some())
        .unwrap_or_else(|| fallback.to_owned())
}
