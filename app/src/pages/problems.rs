//! Browse and search R&D problems (애로과제). Filters live in the URL; experts can
//! follow a field here to be told of new problems in it.

use crate::{
    api,
    components::{
        cards::{ErrorView, Loading},
        firm_filters::{FirmFilters, ksic_filter, ksic_ok},
        form::FormError,
        later::deferred,
        pager::Pager,
    },
    i18n::{self, Lang, M, t, use_lang},
    load::Load,
    pages::problem_text as pt,
    routing::{list_href, list_query},
    state::{use_refs, use_session},
    submit::Submit,
    tr,
};
use leptos::prelude::*;
use leptos_router::{components::A, hooks::use_navigate};
use moim_core::{
    FieldId, Page, paths,
    problem::{Confidentiality, FieldFollow, ProblemQuery, ProblemStatus, ProblemSummary},
    reference::Region,
};

/// One problem in a list.
#[component]
pub fn ProblemCard(p: ProblemSummary) -> impl IntoView {
    let lang = use_lang();
    let href = format!("/problems/{}", p.id);
    let meta = format!(
        "{} · {} · {}",
        p.org_name,
        p.consortium_name,
        crate::time::kst_date(p.posted_at)
    );
    let (status, conf, stage, sample) = (p.status, p.confidentiality, p.stage, p.is_sample);
    let fields: Vec<String> = p
        .fields
        .iter()
        .map(|f| {
            if lang.get_untracked() == Lang::Ko {
                f.name_ko.clone()
            } else {
                f.name_en.clone()
            }
        })
        .collect();
    let proposals = p.proposal_count;
    view! {
        <li class="card problem-card">
            <div class="badges">
                <span class=format!("badge status-{}", status.code())>{move || pt::status(status, lang.get())}</span>
                {stage.map(|s| view! { <span class="badge stage">{move || pt::stage(s, lang.get())}</span> })}
                {(conf != Confidentiality::Members).then(|| view! { <span class="badge lock">{move || pt::confidentiality(conf, lang.get())}</span> })}
                {sample.then(|| view! { <span class="badge badge-sample">{t(M::SampleBadge)}</span> })}
            </div>
            <h3><A href=href>{p.title}</A></h3>
            <p class="muted small">{meta}</p>
            <p class="card-summary">{p.summary}</p>
            <ul class="chips" aria-label=tr!("분야와 키워드", "Fields and keywords")>
                {fields.into_iter().map(|f| view! { <li class="chip field">{f}</li> }).collect_view()}
                {p.keywords.into_iter().map(|k| view! { <li class="chip">{k}</li> }).collect_view()}
            </ul>
            <p class="small">{move || match lang.get() { Lang::Ko => format!("제안 {proposals}건"), Lang::En => format!("{proposals} proposals") }}</p>
        </li>
    }
}

#[component]
pub fn ProblemsPage() -> impl IntoView {
    let lang = use_lang();
    let refs = use_refs();
    let session = use_session();
    let query = list_query::<ProblemQuery>();
    let results = Load::<Page<ProblemSummary>>::new(move || Some(paths::problems(&query.get())));
    let navigate = use_navigate();
    let go = move |q: ProblemQuery| navigate(&list_href("/problems", &q), Default::default());
    let text = RwSignal::new(query.get_untracked().q.unwrap_or_default());
    let ksic = RwSignal::new(query.get_untracked().ksic.unwrap_or_default());
    let apply = {
        let go = go.clone();
        move |change: &dyn Fn(&mut ProblemQuery)| {
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
    let signed_in = move || session.me.with(Option::is_some);
    let is_firm = move || {
        session.me.with(|m| {
            m.as_ref().is_some_and(|m| {
                m.is_confirmed() && m.organisation.kind == moim_core::account::OrgKind::Firm
            })
        })
    };
    let is_expert = move || session.me.with(|m| m.as_ref().is_some_and(|m| m.is_expert));
    // Followed fields (experts).
    let follows = Load::<FieldFollow>::new(move || is_expert().then(|| paths::FOLLOWS.to_owned()));
    let followed = move || {
        follows
            .get()
            .and_then(Result::ok)
            .map(|f| f.field_ids)
            .unwrap_or_default()
    };
    let follow = Submit::new();
    let toggle_follow = move |field: FieldId| {
        let mut ids = followed();
        if ids.contains(&field) {
            ids.retain(|f| *f != field);
        } else {
            ids.push(field);
        }
        follow.run(async move {
            api::problems::set_follows(&FieldFollow { field_ids: ids }).await?;
            follows.refetch();
            Ok(())
        });
    };
    let (a1, a2, a3, a4) = (apply.clone(), apply.clone(), apply.clone(), apply.clone());
    let a5 = apply.clone();
    let apply_firm = Callback::new(move |band: Option<Option<moim_core::figures::SizeBand>>| {
        a5(&|q| {
            if let Some(b) = band {
                q.band = b
            }
        });
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        a1(&|_| {});
    };
    // The lists are addresses of their own: links, with the current one marked.
    let tab = move |label: (&'static str, &'static str),
                    mine: bool,
                    invited: bool,
                    status: Option<ProblemStatus>| {
        let active = move || {
            let q = query.get();
            q.mine.unwrap_or(false) == mine
                && q.invited.unwrap_or(false) == invited
                && q.status == status
        };
        let href = move || {
            list_href(
                "/problems",
                &ProblemQuery {
                    mine: mine.then_some(true),
                    invited: invited.then_some(true),
                    status,
                    page: None,
                    ..query.get()
                },
            )
        };
        view! {
            <a href=href aria-current=move || active().then_some("page")>
                {move || i18n::pick(lang.get(), label.0, label.1)}
            </a>
        }
    };
    let (tab_mine, tab_invited) = (tab, tab);
    view! {
        <section class="section">
            <div class="row between wrap">
                <h1>{t(M::NavProblems)}</h1>
                <Show when=is_firm>
                    <A href="/problems/new" attr:class="btn btn-primary">{tr!("애로과제 등록", "Post a problem")}</A>
                </Show>
            </div>
            <p class="lead">{tr!("기업이 현장에서 막힌 기술 문제를 올리면, 맞는 교수·연구자가 찾아 멘토링·공동개발·IP·마케팅으로 이어집니다.", "Firms post the technical bottlenecks that hold them back; the right professors and researchers find them and turn them into mentoring, joint R&D, IP and marketing support.")}</p>
            <nav class="tabs" aria-label=tr!("과제 목록", "Problem lists")>
                {tab(("제안 접수 중", "Open"), false, false, None)}
                {tab(("매칭 완료", "Matched"), false, false, Some(ProblemStatus::Matched))}
                <Show when=is_firm>{tab_mine(("우리 기업 과제", "My firm's"), true, false, None)}</Show>
                <Show when=is_expert>{tab_invited(("초대받은 과제", "Invited"), false, true, None)}</Show>
            </nav>
            <form class="filters" role="search" aria-label=crate::tr!("검색 조건", "Filters") on:submit=on_submit>
                <div class="field grow">
                    <label for="p-q">{tr!("과제 검색", "Search problems")}</label>
                    <div class="search">
                        <input id="p-q" type="search" placeholder=tr!("예: 금형 냉각, 열, CNC 가공", "e.g. 금형 냉각, 열, CNC") prop:value=text on:input=move |ev| text.set(event_target_value(&ev))/>
                        <button type="submit" class="btn btn-primary">{t(M::Search)}</button>
                    </div>
                </div>
                <div class="field">
                    <label for="p-field">{t(M::Field)}</label>
                    <select id="p-field" on:change=move |ev| { let v = event_target_value(&ev); a2(&|q| q.field = v.parse().ok().map(FieldId)); }>
                        <option value="" selected=move || query.get().field.is_none()>{crate::tr!("전체", "All")}</option>
                        {move || refs.get().fields.into_iter().map(|f| {
                            let id = f.id;
                            view! { <option value=f.id.0.to_string() selected=move || query.get().field == Some(id)>{if lang.get() == Lang::Ko { f.name_ko } else { f.name_en }}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="p-region">{crate::tr!("광역경제권", "Region")}</label>
                    <select id="p-region" on:change=move |ev| { let v = event_target_value(&ev); a3(&|q| q.region = Region::from_code(&v)); }>
                        <option value="" selected=move || query.get().region.is_none()>{crate::tr!("전체", "All")}</option>
                        {Region::ALL.into_iter().map(|r| view! {
                            <option value=r.code() selected=move || query.get().region == Some(r)>{move || i18n::region(r, lang.get())}</option>
                        }).collect_view()}
                    </select>
                </div>
                <FirmFilters prefix="p" band=Signal::derive(move || query.get().band) ksic=ksic apply=apply_firm/>
                <button type="button" class="btn-text" on:click=move |_| { text.set(String::new()); ksic.set(String::new()); a4(&|q| *q = ProblemQuery::default()); }>{crate::tr!("조건 초기화", "Reset")}</button>
            </form>
            {move || {
                let field = query.get().field?;
                is_expert().then(|| {
                    let following = move || followed().contains(&field);
                    view! {
                        <p class="follow">
                            <button type="button" class="btn btn-secondary btn-sm" aria-pressed=move || following().to_string() on:click=move |_| toggle_follow(field)>
                                {move || match (following(), lang.get()) {
                                    (true, Lang::Ko) => "✓ 이 분야 새 과제 알림 받는 중",
                                    (true, Lang::En) => "✓ Following this field",
                                    (false, Lang::Ko) => "이 분야 새 과제 알림 받기",
                                    (false, Lang::En) => "Tell me of new problems in this field",
                                }}
                            </button>
                            <FormError error=follow.error()/>
                        </p>
                    }
                })
            }}
            {move || (!signed_in()).then(|| view! { <p class="hint">{tr!("로그인하면 우리 기업 과제와 초대받은 과제를 볼 수 있습니다.", "Sign in to see your firm's problems and your invitations.")}</p> })}
            {deferred(move || view! { <Suspense fallback=Loading>
                {move || results.get().map(|r| match r {
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                    Ok(page) => {
                        let (current, pages) = (page.page, page.pages());
                        let more = if page.total >= moim_core::problem::COUNT_CAP { "+" } else { "" };
                        let summary = match lang.get() {
                            Lang::Ko => format!("{}{more}건 · {current}/{pages} 페이지", i18n::number(page.total)),
                            Lang::En => format!("{}{more} problems · page {current} of {pages}", i18n::number(page.total)),
                        };
                        view! {
                            <h2 class="sr-only">{crate::tr!("검색 결과", "Results")}</h2>
                            <p class="result-count" role="status">{summary}</p>
                            {page.items.is_empty().then(|| view! { <p class="empty">{tr!("조건에 맞는 과제가 없습니다.", "No problem matches.")}</p> })}
                            <ul class="cards" data-testid="problems">
                                {page.items.into_iter().map(|p| view! { <ProblemCard p=p/> }).collect_view()}
                            </ul>
                            <Pager current=current pages=pages href=move |n| {
                                list_href("/problems", &ProblemQuery { page: Some(n), ..query.get_untracked() })
                            }/>
                        }.into_any()
                    }
                })}
            </Suspense> })}
        </section>
    }
}
