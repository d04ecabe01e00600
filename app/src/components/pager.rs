//! The pager of every paged list: links (so the browser's history, new tabs and a
//! screen reader's list of links all work), the current page marked for
//! assistive technology, and the pages around it. Plain `<a>`s (the router still
//! follows them): the router's `<A>` would mark every page of the list as the
//! current one, since they share its path.

use crate::{i18n::use_lang, tr};
use leptos::prelude::*;

/// Pages to show: the first, the last, and two either side of the current one.
fn shown(current: u32, pages: u32) -> Vec<Option<u32>> {
    let mut out = Vec::new();
    let mut last = 0;
    for p in 1..=pages {
        if p == 1 || p == pages || p.abs_diff(current) <= 2 {
            if p > last + 1 {
                out.push(None);
            }
            out.push(Some(p));
            last = p;
        }
    }
    out
}

/// Links to the pages of a list of `pages` pages, `href(n)` being page `n`'s
/// address. Nothing when there is one page.
#[component]
pub fn Pager(current: u32, pages: u32, href: impl Fn(u32) -> String + 'static) -> impl IntoView {
    let lang = use_lang();
    (pages > 1).then(|| {
        let prev = (current > 1).then(|| href(current - 1));
        let next = (current < pages).then(|| href(current + 1));
        let numbers = shown(current, pages)
            .into_iter()
            .map(|p| match p {
                None => view! { <li class="gap" aria-hidden="true">"…"</li> }.into_any(),
                Some(n) if n == current => view! {
                    <li><a href=href(n) aria-current="page">{n}</a></li>
                }
                .into_any(),
                Some(n) => view! {
                    <li><a href=href(n) aria-label=move || if lang.get() == crate::i18n::Lang::Ko { format!("{n} 페이지") } else { format!("Page {n}") }>{n}</a></li>
                }
                .into_any(),
            })
            .collect_view();
        view! {
            <nav class="pager" aria-label=tr!("페이지 이동", "Pages")>
                {match prev {
                    Some(h) => view! { <a href=h class="btn btn-secondary" rel="prev">{tr!("이전", "Previous")}</a> }.into_any(),
                    None => view! { <span class="btn btn-secondary" aria-disabled="true">{tr!("이전", "Previous")}</span> }.into_any(),
                }}
                <ol class="pages">{numbers}</ol>
                {match next {
                    Some(h) => view! { <a href=h class="btn btn-secondary" rel="next">{tr!("다음", "Next")}</a> }.into_any(),
                    None => view! { <span class="btn btn-secondary" aria-disabled="true">{tr!("다음", "Next")}</span> }.into_any(),
                }}
            </nav>
        }
    })
}

#[cfg(test)]
mod tests {
    use super::shown;

    #[test]
    fn pages_around_the_current_one() {
        assert_eq!(shown(1, 1), vec![Some(1)]);
        assert_eq!(shown(1, 3), vec![Some(1), Some(2), Some(3)]);
        assert_eq!(
            shown(6, 12),
            vec![
                Some(1),
                None,
                Some(4),
                Some(5),
                Some(6),
                Some(7),
                Some(8),
                None,
                Some(12)
            ]
        );
    }
}
