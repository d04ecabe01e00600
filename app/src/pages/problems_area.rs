//! The problem pages share one lazy chunk and one wildcard route: they share most
//! of their code (the problem API, texts, cards), and every extra split point or
//! route grows what the first download carries (the chunk loader, route matching).

use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// The number in segment `n` of the path (`/problems/12/edit`: segment 1 is 12).
/// The area is one wildcard route, so its pages read ids from the path.
pub fn path_id(n: usize) -> Memo<Option<i64>> {
    let path = use_location().pathname;
    Memo::new(move |_| {
        path.with(|p| {
            p.trim_matches('/')
                .split('/')
                .nth(n)
                .and_then(|s| s.parse().ok())
        })
    })
}

#[derive(Clone, Copy, PartialEq)]
enum Page {
    List,
    Edit,
    Board,
    Problem,
    Collaborations,
    NotFound,
}

#[component]
pub fn ProblemsArea() -> impl IntoView {
    let path = use_location().pathname;
    // Which page, not which path: moving between two problems, or from a new draft
    // to its own address, keeps the page (and what is being typed) in place.
    let which = Memo::new(move |_| {
        path.with(|p| {
            let parts: Vec<&str> = p.trim_matches('/').split('/').collect();
            match parts.as_slice() {
                ["problems"] => Page::List,
                ["problems", "new"] | ["problems", _, "edit"] => Page::Edit,
                ["problems", "board", _] => Page::Board,
                ["problems", _] => Page::Problem,
                ["collaborations"] => Page::Collaborations,
                _ => Page::NotFound,
            }
        })
    });
    let page = move || match which.get() {
        Page::List => view! { <super::problems::ProblemsPage/> }.into_any(),
        Page::Edit => view! { <super::problem_edit::ProblemEditPage/> }.into_any(),
        Page::Board => view! { <super::board::BoardPage/> }.into_any(),
        Page::Problem => view! { <super::problem::ProblemPage/> }.into_any(),
        Page::Collaborations => view! { <super::collaborations::CollaborationsPage/> }.into_any(),
        Page::NotFound => view! { <super::NotFoundPage/> }.into_any(),
    };
    // Their styles come with them, so the first page does not pay for them.
    view! {
        <link rel="stylesheet" href="/problems.css"/>
        {page}
    }
}
