//! A call's evaluation on its page, for those who take part in it: its admins
//! appoint evaluators and read the ranking by weighted score with the spread
//! between evaluators, decide on each application within the call's budget
//! and announce the results; an evaluator finds the applications they review
//! and where each stands. A module of its own (`call_evaluation`), fetched only
//! for them.

use super::calls::{decision_label, manwon, points};
use crate::{
    api::{self, ClientError},
    components::cards::{ErrorView, Loading},
    components::form::{FormError, OwnError, focus_soon},
    i18n::{Lang, field_error, number, pick, use_lang},
    load::Load,
    submit::Submit,
    time::kst_date,
    tr,
};
use leptos::prelude::*;
use leptos_router::components::A;
use moim_core::{
    ApiError, ApplicationId, CallId, ConflictCode, FieldErrors, UserId, Validate,
    evaluation::{EvaluationView, RankedApplication},
    paths,
    selection::{DecideApplication, Decision, REASON_MAX},
};

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
    let deciding = RwSignal::new(None::<RankedApplication>);
    let selection = move || current.with(|v| v.as_ref().and_then(|v| v.selection.clone()));
    let can_decide = move || selection().is_some_and(|s| s.can_decide);
    let announced = move || selection().is_some_and(|s| s.announced_at.is_some());
    let dismissing = Submit::new();
    let dismiss = move |who: UserId, name: String| {
        let sure = match lang.get_untracked() {
            Lang::Ko => {
                format!("{name} 평가위원을 해촉할까요? 그동안의 평가 점수는 순위에서 빠집니다.")
            }
            Lang::En => format!("Dismiss {name}? Their scores leave the ranking."),
        };
        let sure = web_sys::window()
            .and_then(|w| w.confirm_with_message(&sure).ok())
            .unwrap_or(false);
        if sure {
            dismissing.run(async move {
                current.set(Some(api::calls::dismiss(id, who).await?));
                focus_soon("#evaluators-title");
                Ok(())
            });
        }
    };
    view! {
        <h3 id="evaluators-title" tabindex="-1">{tr!("평가위원", "Evaluators")}</h3>
        <ul class="plain evaluators" data-testid="evaluators">
            {move || evaluators().into_iter().map(|e| {
                let scored = e.scored;
                let (who, name) = (e.person.id, e.person.name.clone());
                let label = {
                    let name = name.clone();
                    // The visible word begins the name (WCAG 2.5.3).
                    move || match lang.get() {
                        Lang::Ko => format!("해촉: {name}"),
                        Lang::En => format!("Dismiss {name}"),
                    }
                };
                view! { <li><span>{e.person.name}" · "<span class="muted">{e.person.org_name}</span>" · "{move || match lang.get() {
                    Lang::Ko => format!("{scored}건 평가"),
                    Lang::En => format!("{scored} scored"),
                }}</span>
                {move || (!announced()).then(|| {
                    let name = name.clone();
                    view! { <button type="button" class="btn btn-tertiary btn-sm" aria-label=label.clone()
                        disabled=dismissing.pending() on:click=move |_| dismiss(who, name.clone())>{tr!("해촉", "Dismiss")}</button> }
                })}</li> }
            }).collect_view()}
        </ul>
        <FormError error=dismissing.error()/>
        // Once the results are announced the evaluators stay as they were.
        {move || (!announced()).then(|| view! {
            <form class="row appoint" on:submit=on_submit>
                <div class="field">
                    <label for="evaluator-email">{tr!("평가위원 위촉 (계정 이메일)", "Appoint an evaluator (account email)")}</label>
                    <input id="evaluator-email" type="email" autocomplete="off" prop:value=email on:input=move |ev| email.set(event_target_value(&ev))/>
                </div>
                <button type="submit" class="btn btn-secondary" disabled=appointing.pending()>{tr!("위촉", "Appoint")}</button>
            </form>
            <FormError error=appointing.error()/>
        })}
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
                            <th scope="col">{tr!("결정", "Decision")}</th>
                            <th scope="col">{tr!("평균", "Mean")}</th>
                            <th scope="col">{tr!("편차", "Spread")}</th>
                            <th scope="col">{tr!("평가", "Scored")}</th>
                            <th scope="col">{tr!("정부 지원 요청", "Grant asked")}</th>
                        </tr></thead>
                        <tbody>
                            {rows.into_iter().map(|r| {
                                let (n, conflicts, grant) = (r.totals.len() as i64, r.conflicts, r.government_manwon);
                                let decided = r.decision.as_ref().map(|d| (d.decision, d.grant_manwon));
                                let recused = r.recused;
                                let row = r.clone();
                                let title = r.title.clone();
                                view! { <tr>
                                    <td>{r.rank}</td>
                                    <td class="title"><A href=format!("/applications/{}", r.id)>{r.title}</A><br/><span class="muted small">{r.lead}</span></td>
                                    <td class="decision">
                                        {move || decided.map(|(d, g)| view! {
                                            <span class="badge" class:badge-open=d == Decision::Selected>{decision_label(d, lang.get())}</span>
                                            {g.map(|g| view! { <br/><span class="small">{manwon(g, lang.get())}</span> })}
                                        })}
                                        {recused.then(|| view! { <span class="muted small">{tr!("이해관계로 제외", "Kept away: yours or declared")}</span> })}
                                        {move || (can_decide() && !recused).then(|| {
                                            let row = row.clone();
                                            let title = title.clone();
                                            // The visible word begins the name (WCAG 2.5.3).
                                            let word = move || match (decided.is_some(), announced()) {
                                                (_, true) => pick(lang.get(), "정정", "Correct"),
                                                (true, false) => pick(lang.get(), "바꾸기", "Change"),
                                                (false, false) => pick(lang.get(), "결정", "DecideApplication"),
                                            };
                                            view! {
                                                <button type="button" class="btn btn-secondary btn-sm"
                                                    aria-label=move || format!("{}: {title}", word())
                                                    on:click=move |_| { deciding.set(Some(row.clone())); focus_soon("#decision-form-title"); }>
                                                    {word}
                                                </button>
                                            }
                                        })}
                                    </td>
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
        {move || deciding.get().map(|r| view! { <DecisionForm r=r current=current deciding=deciding/> })}
        <Selection id=id current=current/>
    }
}

/// What the server refused of `field`, in words.
fn refused(e: Option<ClientError>, field: &str, lang: Lang) -> Option<String> {
    match e {
        Some(ClientError::Api(ApiError::Validation { fields })) => {
            fields.get(field).map(|c| field_error(c, lang))
        }
        _ => None,
    }
}

/// A selection conflict, in the admin's words.
fn conflict_text(e: &ClientError, lang: Lang) -> Option<&'static str> {
    let ClientError::Api(ApiError::Conflict { code, .. }) = e else {
        return None;
    };
    Some(match code {
        ConflictCode::OverBudget => pick(
            lang,
            "선정한 신청서의 지원금 합계가 공모 예산을 넘습니다.",
            "The grants of the selected applications would go beyond the call's budget.",
        ),
        ConflictCode::Undecided => pick(
            lang,
            "결정하지 않은 신청서가 있습니다. 모두 결정한 뒤 발표하세요.",
            "Some applications have no decision yet.",
        ),
        ConflictCode::AlreadyAnnounced => pick(lang, "이미 발표했습니다.", "Announced already."),
        ConflictCode::NotSubmitted => pick(
            lang,
            "철회된 신청서입니다.",
            "The application was withdrawn.",
        ),
        ConflictCode::NotEvaluating => pick(
            lang,
            "선정은 평가 시작일부터 합니다.",
            "Decisions are made from the evaluation's start.",
        ),
        _ => return None,
    })
}

/// A failure: a selection conflict in its own words, anything else as usual.
#[component]
fn SelectionError(#[prop(into)] error: Signal<Option<ClientError>>) -> impl IntoView {
    view! { <OwnError error=error words=conflict_text/> }
}

/// The decision on one application: selected with its grant (at most what was
/// asked), reserve or not selected, always with a reason; after the
/// announcement, a correction.
#[component]
fn DecisionForm(
    r: RankedApplication,
    current: RwSignal<Option<EvaluationView>>,
    deciding: RwSignal<Option<RankedApplication>>,
) -> impl IntoView {
    let lang = use_lang();
    let id: ApplicationId = r.id;
    let before = r.decision.clone();
    let decision = RwSignal::new(before.as_ref().map_or(Decision::Selected, |d| d.decision));
    let grant = RwSignal::new(
        before
            .as_ref()
            .and_then(|d| d.grant_manwon)
            .unwrap_or(r.government_manwon)
            .to_string(),
    );
    let reason = RwSignal::new(String::new());
    let saving = Submit::new();
    // What the page itself finds wrong before sending (the grant against what
    // was asked, a blank reason), else what the server refused.
    let found = RwSignal::new(FieldErrors::default());
    let wrong = move |field: &str| {
        found
            .with(|f| f.get(field).map(|c| field_error(c, lang.get())))
            .or_else(|| refused(saving.error().get(), field, lang.get()))
    };
    let asked = r.government_manwon;
    let announced = move || {
        current.with(|v| {
            v.as_ref()
                .and_then(|v| v.selection.as_ref())
                .is_some_and(|s| s.announced_at.is_some())
        })
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let d = decision.get_untracked();
        let req = DecideApplication {
            decision: d,
            reason: reason.get_untracked().trim().to_owned(),
            grant_manwon: (d == Decision::Selected).then(|| {
                grant
                    .get_untracked()
                    .trim()
                    .replace(',', "")
                    .parse()
                    .unwrap_or(0)
            }),
        };
        let mut errors = req.validate().err().unwrap_or_default();
        if let Err(e) = req.check(asked) {
            errors.0.extend(e.0);
        }
        let first = errors.0.first().map(|f| f.field.clone());
        found.set(errors);
        if let Some(field) = first {
            let at = if field == "reason" {
                "#decision-reason"
            } else {
                "#decision-grant"
            };
            focus_soon(at);
            return;
        }
        saving.run(async move {
            let v = api::calls::decide(id, &req).await?;
            current.set(Some(v));
            deciding.set(None);
            focus_soon("#selection-title");
            Ok(())
        });
    };
    let choices = [Decision::Selected, Decision::Reserve, Decision::NotSelected];
    view! {
        <form class="card decision-form" on:submit=on_submit aria-labelledby="decision-form-title">
            <h3 id="decision-form-title" tabindex="-1">{move || pick(lang.get(), if announced() { "결정 정정: " } else { "결정: " }, if announced() { "Correct the decision: " } else { "DecideApplication: " })}{r.title.clone()}</h3>
            {move || announced().then(|| view! {
                <p class="hint">{tr!("발표한 결정은 고쳐 쓰지 않고 정정으로 남습니다. 신청 기관에 알림이 가고, 선정 목록이 바뀌면 공모 페이지에 정정과 그 사유가 공개됩니다.", "An announced decision is not rewritten: a correction is added, the team is told, and a change to the selected list is shown with its reason on the call's page.")}</p>
            })}
            <fieldset class="choices">
                <legend>{tr!("결정", "Decision")}</legend>
                {choices.into_iter().map(|c| view! {
                    <label class="choice">
                        <input type="radio" name="decision" prop:checked=move || decision.get() == c on:change=move |_| decision.set(c)/>
                        {move || decision_label(c, lang.get())}
                    </label>
                }).collect_view()}
            </fieldset>
            {move || (decision.get() == Decision::Selected).then(|| view! {
                <div class="field">
                    <label for="decision-grant">{tr!("지원금 (만원)", "Grant (만원)")}</label>
                    <input id="decision-grant" type="text" inputmode="numeric" required prop:value=grant
                        aria-describedby="decision-grant-hint decision-grant-error"
                        aria-invalid=move || wrong("grant_manwon").is_some().to_string()
                        on:input=move |ev| grant.set(event_target_value(&ev))/>
                    <p class="hint" id="decision-grant-hint">{move || match lang.get() {
                        Lang::Ko => format!("요청 금액 {} 이하", manwon(asked, Lang::Ko)),
                        Lang::En => format!("At most the {} asked", manwon(asked, Lang::En)),
                    }}</p>
                    <p class="error" id="decision-grant-error">{move || wrong("grant_manwon")}</p>
                </div>
            })}
            <div class="field">
                <label for="decision-reason">{move || pick(lang.get(), if announced() { "정정 사유" } else { "사유" }, if announced() { "Why it is corrected" } else { "Reason" })}<span class="req" aria-hidden="true">" *"</span></label>
                <textarea id="decision-reason" rows="3" required maxlength=REASON_MAX prop:value=reason
                    aria-describedby="decision-reason-error"
                    aria-invalid=move || wrong("reason").is_some().to_string()
                    on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
                <p class="error" id="decision-reason-error">{move || wrong("reason")}</p>
            </div>
            <SelectionError error=saving.error()/>
            <div class="row">
                <button type="submit" class="btn btn-primary" disabled=saving.pending()>{tr!("저장", "Save")}</button>
                <button type="button" class="btn btn-secondary" on:click=move |_| { deciding.set(None); focus_soon("#selection-title"); }>{tr!("취소", "Cancel")}</button>
            </div>
        </form>
    }
}

/// Where the selection stands: the grants against the budget, what is left
/// to decide, and the announcement.
#[component]
fn Selection(id: CallId, current: RwSignal<Option<EvaluationView>>) -> impl IntoView {
    let lang = use_lang();
    let announcing = Submit::new();
    let state = move || current.with(|v| v.as_ref().and_then(|v| v.selection.clone()));
    let announce = move |_| {
        let sure = pick(
            lang.get_untracked(),
            "선정 결과를 발표할까요? 신청 기관마다 결과와 사유가 통지되고, 선정 목록이 공개됩니다.",
            "Announce the results? Each team is told its decision and reason, and the selected ones are listed publicly.",
        );
        let sure = web_sys::window()
            .and_then(|w| w.confirm_with_message(sure).ok())
            .unwrap_or(false);
        if !sure {
            return;
        }
        announcing.run(async move {
            let v = api::calls::announce(id).await?;
            current.set(Some(v));
            focus_soon("#selection-title");
            Ok(())
        });
    };
    view! {
        {move || state().map(|s| {
            let (budget, granted, undecided) = (s.budget_manwon, s.granted_manwon, s.undecided);
            let ready = undecided == 0;
            view! {
                <h3 id="selection-title" tabindex="-1">{tr!("선정", "Selection")}</h3>
                <p data-testid="selection">{move || match lang.get() {
                    Lang::Ko => format!("선정 지원금 합계 {} / 예산 {} · 미결정 {}건", manwon(granted, Lang::Ko), manwon(budget, Lang::Ko), number(undecided)),
                    Lang::En => format!("Granted {} of a {} budget · {undecided} undecided", manwon(granted, Lang::En), manwon(budget, Lang::En)),
                }}</p>
                <meter min="0" max=budget value=granted.min(budget) aria-label=move || pick(lang.get(), "예산 대비 선정 지원금", "Granted of the budget")></meter>
                {(s.agreed_manwon > 0).then(|| {
                    let (agreed, paid) = (s.agreed_manwon, s.paid_manwon);
                    view! { <p data-testid="payments">{move || match lang.get() {
                        Lang::Ko => format!("협약 지원금 {} 중 지급 {}", manwon(agreed, Lang::Ko), manwon(paid, Lang::Ko)),
                        Lang::En => format!("Paid {} of {} under agreement", manwon(paid, Lang::En), manwon(agreed, Lang::En)),
                    }}</p> }
                })}
                {match (s.announced_at, s.can_decide) {
                    (Some(at), _) => view! {
                        <p class="alert alert-info" role="status">{move || match lang.get() {
                            Lang::Ko => format!("{} 결과를 발표했습니다. 결정을 바꾸면 정정으로 남습니다.", kst_date(at)),
                            Lang::En => format!("Announced {}. A change is kept as a correction.", kst_date(at)),
                        }}</p>
                    }.into_any(),
                    (None, true) => view! {
                        <button type="button" class="btn btn-primary" on:click=announce disabled=move || announcing.pending().get() || !ready
                            aria-describedby="announce-hint">
                            {tr!("선정 결과 발표", "Announce the results")}</button>
                        {(!ready).then(|| view! { <p class="hint" id="announce-hint">{tr!("모든 신청서를 결정하면 발표할 수 있습니다.", "DecideApplication on every application to announce.")}</p> })}
                        <SelectionError error=announcing.error()/>
                    }.into_any(),
                    (None, false) => view! { <p class="hint">{tr!("선정은 평가 시작일부터 합니다.", "Decisions are made from the evaluation's start.")}</p> }.into_any(),
                }}
            }
        })}
    }
}
