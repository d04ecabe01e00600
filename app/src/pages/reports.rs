//! The moderators' queue: open reports on the ideas of the consortia a CM
//! manages (an admin: every idea open to all).

use super::idea_text::reason_label;
use crate::{
    api,
    components::{
        cards::{ErrorView, Loading},
        form::FormError,
    },
    i18n::{Lang, pick, use_lang},
    load::Load,
    submit::Submit,
    time::ago,
    tr,
};
use leptos::prelude::*;
use leptos_router::components::A;
use moim_core::{
    idea::{Moderate, ReportView},
    paths,
};

/// Open reports on the ideas of the consortia the person manages.
#[component]
pub fn ReportsPage() -> impl IntoView {
    let lang = use_lang();
    let version = RwSignal::new(0u32);
    let reports = Load::<Vec<ReportView>>::new(move || {
        version.track();
        Some(paths::IDEA_REPORTS.to_owned())
    });
    let submit = Submit::new();
    let act = move |r: ReportView, hide: bool| {
        submit.run(async move {
            if hide {
                let m = Moderate {
                    hidden: true,
                    note: Some(reason_label(r.reason, Lang::Ko).to_owned()),
                };
                api::ideas::moderate(r.idea_id, r.comment_id, &m).await?;
            } else {
                api::ideas::dismiss(r.id).await?;
            }
            version.try_update(|v| *v += 1);
            Ok(())
        });
    };
    view! {
        <section class="section narrow">
            <p><a href="/ideas">{tr!("← 아이디어", "← Ideas")}</a></p>
            <h1>{tr!("신고 확인", "Reports")}</h1>
            <FormError error=submit.error()/>
            <Suspense fallback=Loading>
                {move || reports.get().map(|r| match r {
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                    Ok(list) if list.is_empty() => view! { <p class="empty">{tr!("처리할 신고가 없습니다.", "No open reports.")}</p> }.into_any(),
                    Ok(list) => view! {
                        <ul class="cards">
                            {list.into_iter().map(|r| {
                                let (hide, dismiss) = (r.clone(), r.clone());
                                let what = if r.comment_id.is_some() { ("댓글", "Comment") } else { ("아이디어", "Idea") };
                                view! {
                                    <li class="card report">
                                        <div class="badges">
                                            <span class="badge badge-warn">{move || reason_label(r.reason, lang.get())}</span>
                                            <span class="badge">{move || pick(lang.get(), what.0, what.1)}</span>
                                            {r.hidden.then(|| view! { <span class="badge">{tr!("숨김", "Hidden")}</span> })}
                                        </div>
                                        <h2 class="card-title"><A href=format!("/ideas/{}", r.idea_id)>{r.idea_title.clone()}</A></h2>
                                        <blockquote>{r.excerpt.clone()}</blockquote>
                                        {r.note.clone().map(|n| view! { <p class="muted">"“"{n}"”"</p> })}
                                        <p class="meta">{format!("{} · {}", r.reporter.name, r.reporter.org_name)}" · "{move || ago(r.at, lang.get())}</p>
                                        <div class="actions">
                                            <button type="button" class="btn btn-secondary btn-sm" on:click=move |_| act(hide.clone(), true)>{tr!("숨기기", "Hide")}</button>
                                            <button type="button" class="btn-text" on:click=move |_| act(dismiss.clone(), false)>{tr!("문제없음", "Dismiss")}</button>
                                        </div>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                })}
            </Suspense>
        </section>
    }
}
