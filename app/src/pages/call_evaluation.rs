//! A call's evaluation on its page, for those who take part in it: its admins
//! appoint evaluators and read the ranking by weighted score with the spread
//! between evaluators; an evaluator finds the applications they review and
//! where each stands. A module of its own (`call_evaluation`), fetched only
//! for them.

use super::calls::{manwon, points};
use crate::{
    api,
    components::cards::{ErrorView, Loading},
    components::form::FormError,
    i18n::{Lang, number, pick, use_lang},
    load::Load,
    submit::Submit,
    tr,
};
use leptos::prelude::*;
use leptos_router::components::A;
use moim_core::{CallId, evaluation::EvaluationView, paths};

/// The evaluation part of call `id`'s page (`admin`: with the evaluators and
/// the ranking).
pub fn draw(id: CallId, admin: bool) -> AnyView {
    view! { <Evaluation id=id admin=admin/> }.into_any()
}

#[component]
fn Evaluation(id: CallId, admin: bool) -> impl IntoView {
    let loaded = Load::<EvaluationView>::new(move || Some(paths::call_evaluation(id)));
    let current = RwSignal::new(None::<EvaluationView>);
    view! {
        <section class="call-evaluation" aria-labelledby="evaluation-title">
            <h2 id="evaluation-title">{tr!("평가", "Evaluation")}</h2>
            <Suspense fallback=Loading>
                {move || loaded.get().map(|r| match r {
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                    Ok(v) => {
                        current.set(Some(v));
                        view! {
                            {move || current.with(|v| v.as_ref().and_then(|v| v.mine.clone())).map(|m| view! { <Mine m=m/> })}
                            {admin.then(|| view! { <Admin id=id current=current/> })}
                        }.into_any()
                    }
                })}
            </Suspense>
        </section>
    }
}

/// An evaluator's list.
#[component]
fn Mine(m: moim_core::evaluation::MyEvaluation) -> impl IntoView {
    let lang = use_lang();
    let conflicts = m.conflicts;
    view! {
        <h3>{tr!("내가 평가할 신청서", "Applications for me to review")}</h3>
        {if m.to_review.is_empty() {
            view! { <p class="empty">{tr!("평가할 신청서가 없습니다.", "Nothing to review.")}</p> }.into_any()
        } else {
            view! {
                <ul class="plain" data-testid="to-review">
                    {m.to_review.into_iter().map(|r| {
                        let total = r.total_tenths;
                        view! {
                            <li class="card">
                                <A href=format!("/applications/{}", r.id)>{r.title}</A>
                                <p class="muted small">{r.lead}" · "{move || match (total, lang.get()) {
                                    (Some(t), Lang::Ko) => format!("평가 완료 {}점", points(t)),
                                    (Some(t), Lang::En) => format!("Scored {}", points(t)),
                                    (None, l) => pick(l, "평가 전", "Not scored yet").to_owned(),
                                }}</p>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
        {(conflicts > 0).then(|| view! {
            <p class="muted small">{move || match lang.get() {
                Lang::Ko => format!("이해충돌을 신고한 신청서 {conflicts}건은 평가하지 않습니다."),
                Lang::En => format!("{conflicts} applications you declared a conflict with are not yours to review."),
            }}</p>
        })}
    }
}

/// The admins' part: the evaluators, appointing one, and the ranking.
#[component]
fn Admin(id: CallId, current: RwSignal<Option<EvaluationView>>) -> impl IntoView {
    let lang = use_lang();
    let email = RwSignal::new(String::new());
    let appointing = Submit::new();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let address = email.get_untracked().trim().to_owned();
        if address.is_empty() {
            return;
        }
        appointing.run(async move {
            let v = api::calls::appoint(id, &address).await?;
            current.set(Some(v));
            email.set(String::new());
            Ok(())
        });
    };
    let evaluators =
        move || current.with(|v| v.as_ref().map(|v| v.evaluators.clone()).unwrap_or_default());
    let ranking =
        move || current.with(|v| v.as_ref().map(|v| v.ranking.clone()).unwrap_or_default());
    view! {
        <h3>{tr!("평가위원", "Evaluators")}</h3>
        <ul class="plain" data-testid="evaluators">
            {move || evaluators().into_iter().map(|e| {
                let scored = e.scored;
                view! { <li>{e.person.name}" · "<span class="muted">{e.person.org_name}</span>" · "{move || match lang.get() {
                    Lang::Ko => format!("{scored}건 평가"),
                    Lang::En => format!("{scored} scored"),
                }}</li> }
            }).collect_view()}
        </ul>
        <form class="row appoint" on:submit=on_submit>
            <div class="field">
                <label for="evaluator-email">{tr!("평가위원 위촉 (계정 이메일)", "Appoint an evaluator (account email)")}</label>
                <input id="evaluator-email" type="email" autocomplete="off" prop:value=email on:input=move |ev| email.set(event_target_value(&ev))/>
            </div>
            <button type="submit" class="btn btn-secondary" disabled=appointing.pending()>{tr!("위촉", "Appoint")}</button>
        </form>
        <FormError error=appointing.error()/>
        <h3>{tr!("평가 순위", "Ranking")}</h3>
        <p class="hint">{tr!("가중 점수(100점 만점)의 평균 순입니다. 편차는 평가위원 점수의 최고와 최저 차이입니다.", "By the mean weighted score (out of 100); the spread is the highest minus the lowest evaluator's.")}</p>
        {move || {
            let rows = ranking();
            if rows.is_empty() {
                return view! { <p class="empty">{tr!("제출된 신청서가 없습니다.", "No application submitted.")}</p> }.into_any();
            }
            view! {
                <div class="table-wrap" tabindex="0" role="region" aria-label=move || pick(lang.get(), "평가 순위", "Ranking")>
                    <table class="call-table" data-testid="ranking">
                        <thead><tr>
                            <th scope="col">{tr!("순위", "Rank")}</th>
                            <th scope="col">{tr!("신청서", "Application")}</th>
                            <th scope="col">{tr!("평균", "Mean")}</th>
                            <th scope="col">{tr!("편차", "Spread")}</th>
                            <th scope="col">{tr!("평가", "Scored")}</th>
                            <th scope="col">{tr!("정부 지원 요청", "Grant asked")}</th>
                        </tr></thead>
                        <tbody>
                            {rows.into_iter().map(|r| {
                                let (n, conflicts, grant) = (r.totals.len() as i64, r.conflicts, r.government_manwon);
                                view! { <tr>
                                    <td>{r.rank}</td>
                                    <td class="title"><A href=format!("/applications/{}", r.id)>{r.title}</A><br/><span class="muted small">{r.lead}</span></td>
                                    <td class="amount">{r.mean_tenths.map(points).unwrap_or_else(|| "–".into())}</td>
                                    <td class="amount">{r.spread_tenths.map(points).unwrap_or_else(|| "–".into())}</td>
                                    <td class="amount">{move || match lang.get() {
                                        Lang::Ko if conflicts > 0 => format!("{}명 (이해충돌 {conflicts})", number(n)),
                                        Lang::Ko => format!("{}명", number(n)),
                                        Lang::En if conflicts > 0 => format!("{n} ({conflicts} kept away)"),
                                        Lang::En => n.to_string(),
                                    }}</td>
                                    <td class="amount">{move || manwon(grant, lang.get())}</td>
                                </tr> }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }.into_any()
        }}
    }
}
