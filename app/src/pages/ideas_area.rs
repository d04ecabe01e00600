//! The idea board's pages share one lazy chunk, one wildcard route, one
//! stylesheet and the outbox of what waits to be sent.

use super::{idea_outbox::Outbox, problems_area::path_id};
use crate::i18n::{Lang, pick};
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos_router::hooks::use_location;
use moim_core::idea::IdeaStage;

#[derive(Clone, Copy, PartialEq)]
enum Page {
    Feed,
    New,
    Edit,
    Idea,
    Reports,
    NotFound,
}

#[component]
pub fn IdeasArea() -> impl IntoView {
    let path = use_location().pathname;
    Outbox::provide();
    let which = Memo::new(move |_| {
        path.with(|p| {
            let parts: Vec<&str> = p.trim_matches('/').split('/').collect();
            match parts.as_slice() {
                ["ideas"] => Page::Feed,
                ["ideas", "new"] => Page::New,
                ["ideas", "reports"] => Page::Reports,
                ["ideas", id, "edit"] if id.parse::<i64>().is_ok() => Page::Edit,
                ["ideas", id] if id.parse::<i64>().is_ok() => Page::Idea,
                _ => Page::NotFound,
            }
        })
    });
    let id = path_id(1);
    let page = move || match which.get() {
        Page::Feed => view! { <super::ideas::IdeasPage/> }.into_any(),
        Page::New => view! { <super::idea_edit::IdeaEditPage id=None/> }.into_any(),
        Page::Edit => {
            view! { <super::idea_edit::IdeaEditPage id=id.get().map(moim_core::IdeaId)/> }
                .into_any()
        }
        Page::Idea => view! { <super::idea::IdeaPage/> }.into_any(),
        Page::Reports => view! { <super::ideas::ReportsPage/> }.into_any(),
        Page::NotFound => view! { <super::NotFoundPage/> }.into_any(),
    };
    view! {
        <link rel="stylesheet" href="/ideas.css"/>
        {page}
    }
}

/// A stage as people say it.
pub fn stage_label(s: IdeaStage, lang: Lang) -> &'static str {
    match s {
        IdeaStage::New => pick(lang, "새 아이디어", "New"),
        IdeaStage::Discussion => pick(lang, "논의 중", "Under discussion"),
        IdeaStage::Adopted => pick(lang, "채택", "Adopted"),
        IdeaStage::Problem => pick(lang, "R&D 과제로 발전", "Became an R&D problem"),
        IdeaStage::Archived => pick(lang, "보관", "Archived"),
    }
}

/// "3분 전", "어제": how long ago, as a phone shows it; the date after a week.
pub fn ago(at: DateTime<Utc>, lang: Lang) -> String {
    #[allow(clippy::cast_possible_truncation)]
    let now_ms = js_sys::Date::now() as i64;
    let secs = (now_ms / 1000 - at.timestamp()).max(0);
    let ko = lang == Lang::Ko;
    match secs {
        0..60 => pick(lang, "방금", "just now").to_owned(),
        60..3600 => {
            let m = secs / 60;
            if ko {
                format!("{m}분 전")
            } else {
                format!("{m} min ago")
            }
        }
        3600..86_400 => {
            let h = secs / 3600;
            if ko {
                format!("{h}시간 전")
            } else {
                format!("{h} h ago")
            }
        }
        86_400..604_800 => {
            let d = secs / 86_400;
            if ko {
                format!("{d}일 전")
            } else {
                format!("{d} d ago")
            }
        }
        _ => crate::i18n::kst_date(at),
    }
}
