//! Browse and search consortia; the filters live in the URL, so a result can be
//! shared and the back button works.

use crate::{
    components::{
        cards::{ConsortiumCard, ErrorView, Loading},
        firm_filters::{FirmFilters, ksic_filter, ksic_ok},
        later::deferred,
        pager::Pager,
    },
    i18n::{self, M, t, use_lang},
    load::Load,
    routing::{list_href, list_query},
    state::{use_refs, use_session},
    tr,
};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use moim_core::{
    ComplexId, FieldId, Page,
    consortium::ConsortiumSummary,
    consortium::{ConsortiumKind, ConsortiumQuery},
    paths,
    reference::Region,
};

#[component]
pub fn ConsortiaPage() -> impl IntoView {
    let lang = use_lang();
    let refs = use_refs();
    let session = use_session();
    let query = list_query::<ConsortiumQuery>();
    let results =
        Load::<Page<ConsortiumSummary>>::new(move || Some(paths::consortia(&query.get())));
    let navigate = use_navigate();
    let go = move |q: ConsortiumQuery| navigate(&list_href("/consortia", &q), Default::default());

    // Draft filters: edited freely, applied on submit or on change of a select.
    let text = RwSignal::new(query.get_untracked().q.unwrap_or_default());
    let ksic = RwSignal::new(query.get_untracked().ksic.unwrap_or_default());
    let apply = {
        let go = go.clone();
        move |change: &dyn Fn(&mut ConsortiumQuery)| {
            let mut q = query.get_untracked();
            q.q = Some(text.get_untracked());
            // A division half typed stays as the list has it (the field says so).
            if ksic_ok(&ksic.get_untracked()) {
                q.ksic = ksic_filter(ksic.get_untracked());
            }
            q.page = None;
            change(&mut q);
            go(q);
        }
    };
    let on_submit = {
        let apply = apply.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            apply(&|_| {});
        }
    };
    let complexes = move || {
        let region = query.get().region;
        refs.get()
            .complexes
            .into_iter()
            .filter(|c| region.is_none_or(|r| c.region == r))
            .collect::<Vec<_>>()
    };
    let apply_region = apply.clone();
    let apply_complex = apply.clone();
    let apply_field = apply.clone();
    let apply_kind = apply.clone();
    let apply_mine = apply.clone();
    let apply_firm = apply.clone();
    let apply_firm = Callback::new(move |band: Option<Option<moim_core::figures::SizeBand>>| {
        apply_firm(&|q| {
            if let Some(b) = band {
                q.band = b
            }
        });
    });
    let reset = go.clone();
    view! {
        <section class="section">
            <h1>{t(M::NavConsortia)}</h1>
            {move || refs.error().map(|e| view! { <ErrorView error=e/> })}
            <form class="filters" role="search" aria-label=crate::tr!("검색 조건", "Filters") on:submit=on_submit>
                <div class="field grow">
                    <label for="f-q">{tr!("협의체 검색", "Search consortia")}</label>
                    <div class="search">
                        <input id="f-q" type="search" placeholder=tr!("예: 금형, 창원, 이차전지", "e.g. moulds, Changwon, batteries") prop:value=text on:input=move |ev| text.set(event_target_value(&ev))/>
                        <button type="submit" class="btn btn-primary">{t(M::Search)}</button>
                    </div>
                </div>
                <div class="field">
                    <label for="f-region">{crate::tr!("광역경제권", "Region")}</label>
                    <select id="f-region" on:change=move |ev| {
                        let v = event_target_value(&ev);
                        apply_region(&|q| { q.region = Region::from_code(&v); q.complex = None; });
                    }>
                        <option value="" selected=move || query.get().region.is_none()>{crate::tr!("전체", "All")}</option>
                        {Region::ALL.into_iter().map(|r| view! {
                            <option value=r.code() selected=move || query.get().region == Some(r)>{move || i18n::region(r, lang.get())}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="f-complex">{t(M::Complex)}</label>
                    <select id="f-complex" on:change=move |ev| {
                        let v = event_target_value(&ev);
                        apply_complex(&|q| q.complex = v.parse().ok().map(ComplexId));
                    }>
                        <option value="" selected=move || query.get().complex.is_none()>{crate::tr!("전체", "All")}</option>
                        {move || complexes().into_iter().map(|c| {
                            let id = c.id;
                            view! { <option value=c.id.0.to_string() selected=move || query.get().complex == Some(id)>{if lang.get() == i18n::Lang::Ko { c.name_ko } else { c.name_en }}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="f-field">{t(M::Field)}</label>
                    <select id="f-field" on:change=move |ev| {
                        let v = event_target_value(&ev);
                        apply_field(&|q| q.field = v.parse().ok().map(FieldId));
                    }>
                        <option value="" selected=move || query.get().field.is_none()>{crate::tr!("전체", "All")}</option>
                        {move || refs.get().fields.into_iter().map(|f| {
                            let id = f.id;
                            view! { <option value=f.id.0.to_string() selected=move || query.get().field == Some(id)>{if lang.get() == i18n::Lang::Ko { f.name_ko } else { f.name_en }}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="f-kind">{t(M::Kind)}</label>
                    <select id="f-kind" on:change=move |ev| {
                        let v = event_target_value(&ev);
                        apply_kind(&|q| q.kind = ConsortiumKind::from_code(&v));
                    }>
                        <option value="" selected=move || query.get().kind.is_none()>{crate::tr!("전체", "All")}</option>
                        {ConsortiumKind::ALL.into_iter().map(|k| view! {
                            <option value=k.code() selected=move || query.get().kind == Some(k)>{move || i18n::consortium_kind(k, lang.get())}</option>
                        }).collect_view()}
                    </select>
                </div>
                <FirmFilters prefix="f" band=Signal::derive(move || query.get().band) ksic=ksic apply=apply_firm/>
                <Show when=move || session.me.with(Option::is_some)>
                    <label class="check">
                        <input type="checkbox" prop:checked=move || query.get().mine == Some(true)
                            on:change={
                                let apply_mine = apply_mine.clone();
                                move |ev| { let on = event_target_checked(&ev); apply_mine(&|q| q.mine = on.then_some(true)); }
                            }/>
                        {crate::tr!("우리 기관이 속한 협의체만", "Only my organisation's")}
                    </label>
                </Show>
                <button type="button" class="btn-text" on:click=move |_| { text.set(String::new()); ksic.set(String::new()); reset(ConsortiumQuery::default()); }>{crate::tr!("조건 초기화", "Reset")}</button>
            </form>
            {deferred(move || view! { <Suspense fallback=Loading>
                {move || results.get().map(|r| match r {
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                    Ok(page) => {
                        let (current, pages) = (page.page, page.pages());
                        let summary = match lang.get() {
                            i18n::Lang::Ko => format!("{}개 협의체 · {current}/{pages} 페이지", i18n::number(page.total)),
                            i18n::Lang::En => format!("{} consortia · page {current} of {pages}", i18n::number(page.total)),
                        };
                        view! {
                            <h2 class="sr-only">{crate::tr!("검색 결과", "Results")}</h2>
                            <p class="result-count" role="status">{summary}</p>
                            {page.items.is_empty().then(|| view! { <p class="empty">{crate::tr!("조건에 맞는 협의체가 없습니다.", "No consortium matches.")}</p> })}
                            <ul class="cards">
                                {page.items.into_iter().map(|c| view! { <ConsortiumCard c=c/> }).collect_view()}
                            </ul>
                            <Pager current=current pages=pages href=move |n| {
                                list_href("/consortia", &ConsortiumQuery { page: Some(n), ..query.get_untracked() })
                            }/>
                        }.into_any()
                    }
                })}
            </Suspense> })}
        </section>
    }
}
