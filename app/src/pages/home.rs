//! The front door: what Moim is, the programme's numbers, search, regions.

use crate::{
    components::cards::{ConsortiumCard, ErrorView, Loading},
    i18n::{self, M, t, use_lang},
    load::Load,
    tr,
};
use leptos::prelude::*;
use leptos_router::{components::A, hooks::use_navigate};
use moim_core::{
    Page,
    consortium::{ConsortiumQuery, ConsortiumSummary},
    paths,
    reference::{ProgrammeStats, Region},
    routes,
};

#[component]
pub fn HomePage() -> impl IntoView {
    let lang = use_lang();
    let stats = Load::<ProgrammeStats>::new(|| Some(paths::STATS.to_owned()));
    let recent =
        Load::<Page<ConsortiumSummary>>::new(|| Some(paths::consortia(&routes::home_consortia())));
    let q = RwSignal::new(String::new());
    let navigate = use_navigate();
    // Arrived here from closing an account (회원 탈퇴).
    let closed = window()
        .location()
        .search()
        .is_ok_and(|q| q.split(['?', '&']).any(|p| p == "closed"));
    let on_search = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let query = ConsortiumQuery {
            q: Some(q.get_untracked()),
            ..Default::default()
        };
        navigate(
            &crate::routing::list_href("/consortia", &query),
            Default::default(),
        );
    };
    view! {
        {closed.then(|| view! {
            <p class="alert alert-info" role="alert" data-testid="account-closed">{crate::tr!(
                "회원 탈퇴가 끝났습니다. 그동안 모임을 이용해 주셔서 감사합니다.",
                "Your account is closed. Thank you for taking part in Moim."
            )}</p>
        })}
        <section class="hero">
            <h1>{tr!("우리 산업단지의 협의체를 찾아 함께하세요", "Find and join the consortia of your industrial complex")}</h1>
            <p class="lead">{tr!("기업, 대학, 연구기관, 지원기관이 산학연협의체(미니클러스터)에서 만나 애로기술을 풀고 협력합니다.", "Firms, universities, institutes and support agencies meet in consortia (mini-clusters) to solve bottlenecks together.")}</p>
            <form class="search" role="search" on:submit=on_search>
                <label for="home-q" class="sr-only">{tr!("협의체 검색", "Search consortia")}</label>
                <input id="home-q" type="search" placeholder=tr!("예: 금형, 창원, 이차전지", "e.g. moulds, Changwon, batteries") prop:value=q on:input=move |ev| q.set(event_target_value(&ev))/>
                <button type="submit" class="btn btn-primary">{t(M::Search)}</button>
            </form>
        </section>
        <section aria-labelledby="stats-h" class="section">
            <h2 id="stats-h" class="sr-only">{tr!("운영 중인 협의체", "Active consortia")}</h2>
            <Suspense fallback=Loading>
                {move || stats.get().map(|r| match r {
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                    Ok(s) => view! {
                        <dl class="stats">
                            <div><dt>{tr!("운영 중인 협의체", "Active consortia")}</dt><dd>{i18n::number(s.consortia)}</dd></div>
                            <div><dt>{tr!("회원 기관", "Member organisations")}</dt><dd>{i18n::number(s.member_organisations)}</dd></div>
                            <div><dt>{tr!("참여 산업단지", "Complexes taking part")}</dt><dd>{i18n::number(s.complexes)}</dd></div>
                            <div><dt>{tr!("전문가", "Experts")}</dt><dd>{i18n::number(s.experts)}</dd></div>
                        </dl>
                    }.into_any(),
                })}
            </Suspense>
        </section>
        <section aria-labelledby="regions-h" class="section">
            <h2 id="regions-h">{tr!("광역경제권별 보기", "Browse by region")}</h2>
            <ul class="regions">
                {Region::ALL.into_iter().map(|r| view! {
                    <li><A href=format!("/consortia?region={}", r.code())>{move || i18n::region(r, lang.get())}</A></li>
                }).collect_view()}
            </ul>
        </section>
        <section aria-labelledby="recent-h" class="section">
            <h2 id="recent-h">{t(M::NavConsortia)}</h2>
            <Suspense fallback=Loading>
                {move || recent.get().map(|r| match r {
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                    Ok(page) => {
                        let sample = page.items.iter().any(|c| c.is_sample);
                        view! {
                            {sample.then(|| view! { <p class="alert alert-info">{tr!("이 포털에는 체험용 예시 데이터가 들어 있습니다. '샘플' 표시가 있는 기업·인물은 실제가 아닙니다.", "This portal holds sample data for trying it out. Firms and people marked 'Sample' are fictional.")}</p> })}
                            <ul class="cards">
                                {page.items.into_iter().map(|c| view! { <ConsortiumCard c=c/> }).collect_view()}
                            </ul>
                            <p><A href="/consortia" attr:class="btn btn-secondary">{t(M::NavConsortia)}" →"</A></p>
                        }.into_any()
                    }
                })}
            </Suspense>
        </section>
    }
}
