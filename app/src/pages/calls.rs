//! 공모: the calls (everyone reads them, with their rules in plain words and
//! the days left) and one call with the reader's application or the button that
//! starts it (and, for its admins, the applications submitted). The admins'
//! form (`call_form`) and an application (`application`) are modules of their
//! own; the words they share with these pages are here.

use crate::{
    api::{self, ClientError},
    components::cards::{ErrorView, Loading},
    components::form::OwnError,
    i18n::{Lang, number, pick, region, use_lang},
    load::Load,
    routing::id_param,
    state::use_session,
    submit::Submit,
    time::kst_date,
    tr,
};
use leptos::prelude::*;
use leptos_router::{components::A, hooks::use_navigate};
use moim_core::{
    ApiError, CallId, ConflictCode,
    call::{
        ApplicationStatus, ApplicationSummary, CallKind, CallList, CallPhase, CallRules,
        CallSummary, CallView, StartApplication, TITLE_MAX,
    },
    paths,
    selection::{Decision, Results},
};

/// The call pages, by address.
#[component]
pub fn CallPages() -> impl IntoView {
    let path = leptos_router::hooks::use_location().pathname;
    let which = Memo::new(move |_| path.get().trim_end_matches('/').to_owned());
    move || {
        if which.get() == "/calls" {
            view! { <ListPage/> }.into_any()
        } else {
            view! { <CallPage/> }.into_any()
        }
    }
}

/// What a call conflict means, in the reader's words.
pub fn conflict_text(e: &ClientError, lang: Lang) -> Option<&'static str> {
    let ClientError::Api(ApiError::Conflict { code, .. }) = e else {
        return None;
    };
    Some(match code {
        ConflictCode::CallNotOpen => pick(
            lang,
            "접수 기간이 아닙니다. 신청서는 접수 기간에만 작성·제출할 수 있습니다.",
            "The call is not taking applications now.",
        ),
        ConflictCode::ApplicationExists => pick(
            lang,
            "우리 기관은 이 공모에 이미 신청서가 있습니다.",
            "Your organisation has an application to this call already.",
        ),
        ConflictCode::ApplicationSubmitted => pick(
            lang,
            "제출한 신청서입니다. 고치려면 먼저 철회하세요.",
            "It is submitted: withdraw it to change it.",
        ),
        ConflictCode::RulesNotMet => pick(
            lang,
            "충족하지 않은 요건이 있습니다. 요건 확인 목록을 보세요.",
            "Some of the call's rules are not met: see the checks.",
        ),
        ConflictCode::EvaluationStarted => pick(
            lang,
            "평가가 시작되어 철회할 수 없습니다.",
            "Evaluation has started: it can no longer be withdrawn.",
        ),
        ConflictCode::NotEvaluating => pick(
            lang,
            "평가 기간이 아닙니다. 평가는 평가 시작일부터 선정 발표 전까지 합니다.",
            "The call is not in its evaluation phase.",
        ),
        ConflictCode::OverBudget => pick(
            lang,
            "선정한 신청서의 지원금 합계보다 예산을 줄일 수 없습니다.",
            "The budget cannot fall below the grants of the selected applications.",
        ),
        ConflictCode::AlreadyAnnounced => pick(
            lang,
            "결과를 발표한 공모는 일정을 바꿀 수 없습니다.",
            "The results are announced: the call's days stay as they are.",
        ),
        ConflictCode::CallHasApplications => pick(
            lang,
            "신청이 시작되어 공모 유형·요건·신청서 양식은 바꿀 수 없고, 마감일은 늦추기만 할 수 있습니다.",
            "Someone applied: the kind, rules and form stay, and the deadline only moves later.",
        ),
        ConflictCode::NotSelected => pick(
            lang,
            "발표된 결과에서 선정된 신청서만 협의체로 구성할 수 있습니다.",
            "Only an application selected in the announced results founds a consortium.",
        ),
        ConflictCode::AlreadyFounded => pick(
            lang,
            "이 신청서로 이미 협의체를 구성했습니다.",
            "A consortium was founded from this application already.",
        ),
        ConflictCode::AlreadyAgreed => pick(
            lang,
            "협약이 이미 기록되었습니다.",
            "The agreement is recorded already.",
        ),
        ConflictCode::NotAgreed => pick(
            lang,
            "협약을 먼저 기록하세요.",
            "Record the agreement first.",
        ),
        ConflictCode::OverGrant => pick(
            lang,
            "지급액 합계가 지원금을 넘을 수 없습니다.",
            "The payments together cannot go beyond the grant.",
        ),
        _ => return None,
    })
}

/// A failure: a call conflict in its own words, anything else as usual.
#[component]
pub fn CallError(#[prop(into)] error: Signal<Option<ClientError>>) -> impl IntoView {
    view! { <OwnError error=error words=conflict_text/> }
}

pub fn kind_label(k: CallKind, lang: Lang) -> &'static str {
    match k {
        CallKind::ThemeCluster => pick(lang, "테마클러스터", "Theme cluster"),
        CallKind::Consortium => pick(lang, "신규 협의체·운영기관", "New consortium and operator"),
        CallKind::Support => pick(lang, "애로과제 지원", "Support for problems"),
    }
}

pub fn phase_label(p: CallPhase, lang: Lang) -> &'static str {
    match p {
        CallPhase::Upcoming => pick(lang, "접수 예정", "Opens soon"),
        CallPhase::Open => pick(lang, "접수 중", "Open"),
        CallPhase::Review => pick(lang, "요건 검토", "Eligibility check"),
        CallPhase::Evaluation => pick(lang, "평가 중", "Evaluation"),
        CallPhase::Announced => pick(lang, "선정 발표", "Announced"),
        CallPhase::Agreement => pick(lang, "협약", "Agreements"),
    }
}

pub fn status_label(s: ApplicationStatus, lang: Lang) -> &'static str {
    match s {
        ApplicationStatus::Draft => pick(lang, "작성 중", "Draft"),
        ApplicationStatus::Submitted => pick(lang, "제출됨", "Submitted"),
        ApplicationStatus::Withdrawn => pick(lang, "철회됨", "Withdrawn"),
    }
}

/// An amount in 만원, as people read it: "1억 2,000만원" / "KRW 120 million".
pub fn manwon(n: i64, lang: Lang) -> String {
    match lang {
        Lang::Ko => match (n / 10_000, n % 10_000) {
            (0, m) => format!("{}만원", number(m)),
            (e, 0) => format!("{}억원", number(e)),
            (e, m) => format!("{}억 {}만원", number(e), number(m)),
        },
        // Whole numbers only (float formatting costs the module kilobytes):
        // 만원 × 100 is a million won.
        Lang::En if n >= 100 => match (n / 100, n % 100 / 10) {
            (m, 0) => format!("KRW {} million", number(m)),
            (m, d) => format!("KRW {}.{d} million", number(m)),
        },
        Lang::En => format!("KRW {}", number(n * 10_000)),
    }
}

/// Tenths of a point as read: 835 is "83.5".
pub fn points(tenths: i64) -> String {
    format!("{}.{}", tenths / 10, tenths % 10)
}

/// "D-3" / "오늘 마감" while open.
pub fn days_left(d: Option<i64>, lang: Lang) -> Option<String> {
    d.map(|d| match (d, lang) {
        (0, Lang::Ko) => "오늘 마감".to_owned(),
        (0, Lang::En) => "Closes today".to_owned(),
        (d, Lang::Ko) => format!("D-{d}"),
        (d, Lang::En) => format!("{d} days left"),
    })
}

/// The call's rules, each in a sentence.
pub fn rule_lines(r: &CallRules, lang: Lang) -> Vec<String> {
    let ko = lang == Lang::Ko;
    let mut out = Vec::new();
    if let Some(n) = r.min_firms {
        out.push(if ko {
            format!("기업 {n}곳 이상 참여 (주관 기관 포함)")
        } else {
            format!("At least {n} firms on the team (the lead included)")
        });
    }
    if r.needs_institution {
        out.push(
            pick(
                lang,
                "대학·연구기관·지원기관 1곳 이상 참여",
                "At least one university, research institute or support agency",
            )
            .to_owned(),
        );
    }
    if let Some(p) = r.min_firm_share_pct {
        out.push(if ko {
            format!("참여 기업이 사업비의 {p}% 이상 부담")
        } else {
            format!("The firms pay at least {p}% of the cost")
        });
    }
    if let Some(m) = r.min_project_manwon {
        out.push(if ko {
            format!("총사업비 {} 이상", manwon(m, lang))
        } else {
            format!("A project of at least {}", manwon(m, lang))
        });
    }
    if let Some(g) = r.region {
        out.push(if ko {
            format!("{} 산업단지 입주 기업만", region(g, lang))
        } else {
            format!("Only firms of the {} region's complexes", region(g, lang))
        });
    }
    if r.open_problem {
        out.push(
            pick(
                lang,
                "주관 기업이 공개한 진행 중 애로과제가 있어야 함",
                "A published, open problem of the lead firm",
            )
            .to_owned(),
        );
    }
    out
}

#[component]
fn ListPage() -> impl IntoView {
    let list = Load::<CallList>::new(|| Some(paths::CALLS.to_owned()));
    view! {
        <section class="section narrow calls">
            <h1>{tr!("공모", "Calls")}</h1>
            <p class="lead">{tr!(
                "테마클러스터·신규 협의체 선정과 애로과제 지원 공모입니다. 요건은 신청서를 쓰는 동안 모임이 바로 확인합니다.",
                "Calls for theme clusters, new consortia and support for problems. Moim checks the rules as you write."
            )}</p>
            <Suspense fallback=Loading>
                {move || list.get().map(|r| match r {
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                    Ok(l) => view! {
                        {l.can_create.then(|| view! { <p><A href="/calls/new" attr:class="btn btn-primary">{tr!("공모 등록", "Publish a call")}</A></p> })}
                        {(!l.mine.is_empty()).then(|| view! {
                            <h2>{tr!("우리 기관의 신청", "Our applications")}</h2>
                            <ul class="cards call-applications" data-testid="my-applications">
                                {l.mine.into_iter().map(|a| view! { <ApplicationRow a=a/> }).collect_view()}
                            </ul>
                        })}
                        <h2>{tr!("공모 목록", "Calls")}</h2>
                        {if l.calls.is_empty() {
                            view! { <p class="empty">{tr!("공모가 없습니다.", "No calls yet.")}</p> }.into_any()
                        } else {
                            view! { <ul class="cards call-list">{l.calls.into_iter().map(|c| view! { <CallCard c=c/> }).collect_view()}</ul> }.into_any()
                        }}
                    }.into_any(),
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn CallCard(c: CallSummary) -> impl IntoView {
    let lang = use_lang();
    let (kind, phase, left) = (c.kind, c.phase, c.days_left);
    view! {
        <li class="card call-card">
            <p class="call-meta">
                <span class="badge" class:badge-open=phase == CallPhase::Open>{move || phase_label(phase, lang.get())}</span>" "
                <span class="muted">{move || kind_label(kind, lang.get())}</span>
                {c.region.map(|r| view! { " · " <span class="muted">{move || region(r, lang.get())}</span> })}
            </p>
            <h3><A href=format!("/calls/{}", c.id)>{c.title}</A></h3>
            <p class="muted small">
                {move || match lang.get() {
                    Lang::Ko => format!("접수 {} ~ {}", c.opens_on, c.closes_on),
                    Lang::En => format!("Applications {} to {}", c.opens_on, c.closes_on),
                }}
                {move || days_left(left, lang.get()).map(|d| view! { " · " <strong class="days-left">{d}</strong> })}
            </p>
            <p class="small">{move || match lang.get() {
                Lang::Ko => format!("예산 {} · 제출 {}건", manwon(c.budget_manwon, Lang::Ko), number(c.submitted)),
                Lang::En => format!("Budget {} · {} submitted", manwon(c.budget_manwon, Lang::En), number(c.submitted)),
            }}</p>
        </li>
    }
}

#[component]
fn ApplicationRow(a: ApplicationSummary) -> impl IntoView {
    let lang = use_lang();
    let status = a.status;
    view! {
        <li class="card">
            <p class="call-meta"><span class="badge">{move || status_label(status, lang.get())}</span>" "
                <span class="muted">{a.call_title}</span></p>
            <h3><A href=format!("/applications/{}", a.id)>{a.title}</A></h3>
            <p class="muted small">{move || match (lang.get(), a.leads) {
                (Lang::Ko, true) => format!("주관 · 총사업비 {}", manwon(a.project_manwon, Lang::Ko)),
                (Lang::Ko, false) => format!("참여 ({} 주관)", a.lead),
                (Lang::En, true) => format!("Lead · project {}", manwon(a.project_manwon, Lang::En)),
                (Lang::En, false) => format!("Partner ({} leads)", a.lead),
            }}</p>
        </li>
    }
}

#[component]
fn CallPage() -> impl IntoView {
    let id = id_param("id");
    let call = Load::<CallView>::new(move || id.get().map(|i| paths::call(CallId(i))));
    view! {
        <section class="section narrow call">
            <Suspense fallback=Loading>
                {move || call.get().map(|r| match r {
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                    Ok(v) => view! { <CallDetail v=v/> }.into_any(),
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn CallDetail(v: CallView) -> impl IntoView {
    let lang = use_lang();
    let c = v.call.clone();
    let (kind, phase, left) = (c.kind, v.phase, v.days_left);
    let rules = StoredValue::new(c.rules.clone());
    let phases = [
        (
            CallPhase::Open,
            ("접수", "Applications"),
            format!("{} ~ {}", c.opens_on, c.closes_on),
        ),
        (
            CallPhase::Review,
            ("요건 검토", "Eligibility check"),
            format!("{} ~", c.closes_on.succ_opt().unwrap_or(c.closes_on)),
        ),
        (
            CallPhase::Evaluation,
            ("평가", "Evaluation"),
            format!("{} ~", c.evaluation_on),
        ),
        (
            CallPhase::Announced,
            ("선정 발표", "Announcement"),
            c.announce_on.to_string(),
        ),
        (
            CallPhase::Agreement,
            ("협약", "Agreements"),
            c.agreement_on.to_string(),
        ),
    ];
    let id = v.id;
    view! {
        <p class="call-meta">
            <span class="badge" class:badge-open=phase == CallPhase::Open>{move || phase_label(phase, lang.get())}</span>" "
            <span class="muted">{move || kind_label(kind, lang.get())}</span>
            {move || days_left(left, lang.get()).map(|d| view! { " · " <strong class="days-left">{d}</strong> })}
        </p>
        <h1>{c.title.clone()}</h1>
        {v.can_manage.then(|| view! { <p><A href=format!("/calls/{id}/edit") attr:class="btn btn-secondary btn-sm">{tr!("공모 수정", "Edit the call")}</A></p> })}
        <div class="prose">{c.description.split("\n\n").map(|p| view! { <p>{p.to_owned()}</p> }).collect_view()}</div>
        <dl class="facts">
            <dt>{tr!("예산", "Budget")}</dt><dd>{move || manwon(c.budget_manwon, lang.get())}</dd>
            <dt>{tr!("제출된 신청", "Applications submitted")}</dt><dd>{number(v.submitted)}</dd>
        </dl>
        {v.announced.then(|| Suspend::new(call_results(id)))}
        <h2>{tr!("일정", "Phases")}</h2>
        <ol class="call-phases">
            {phases.into_iter().map(|(p, label, days)| view! {
                <li class:current=p == phase aria-current=(p == phase).then_some("step")>
                    <strong>{move || pick(lang.get(), label.0, label.1)}</strong>" "<span class="muted">{days}</span>
                </li>
            }).collect_view()}
        </ol>
        <h2>{tr!("신청 요건", "Rules")}</h2>
        {move || {
            let lines = rules.with_value(|r| rule_lines(r, lang.get()));
            if lines.is_empty() {
                view! { <p>{tr!("별도 요건이 없습니다.", "No particular rules.")}</p> }.into_any()
            } else {
                view! { <ul class="rules">{lines.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ul> }.into_any()
            }
        }}
        <h2>{tr!("평가 기준", "Evaluation criteria")}</h2>
        <ul class="rules" data-testid="criteria">
            {c.criteria.iter().map(|k| {
                let (name, weight) = (k.name.clone(), k.weight);
                view! { <li>{move || match lang.get() {
                    Lang::Ko => format!("{name} {weight}점"),
                    Lang::En => format!("{name}: {weight} points"),
                }}</li> }
            }).collect_view()}
        </ul>
        <h2>{tr!("신청서 양식", "The application form")}</h2>
        <p class="hint">{tr!("신청서에서 묻는 내용입니다. * 표시는 필수입니다. 참여 기관·사업비·추진 일정은 따로 적습니다.", "What the application asks (* required), besides the team, the budget and the milestones.")}</p>
        <div class="form-preview">
            {c.form.sections.iter().map(|sec| view! {
                <h3>{sec.title.clone()}</h3>
                <ul>{sec.questions.iter().map(|q| view! {
                    <li>{q.text.clone()}{q.required.then_some(" *")}</li>
                }).collect_view()}</ul>
            }).collect_view()}
        </div>
        <ApplyBox v=v.clone()/>
        {(v.can_manage || v.evaluating).then(|| Suspend::new(call_evaluation((id, v.can_manage))))}
        {v.can_manage.then(|| {
            let apps = v.applications.clone();
            view! {
                <h2>{tr!("제출된 신청서", "Applications")}</h2>
                {if apps.is_empty() {
                    view! { <p class="empty">{tr!("아직 제출된 신청서가 없습니다.", "No application submitted yet.")}</p> }.into_any()
                } else {
                    view! {
                        <div class="table-wrap" tabindex="0" role="region" aria-label=move || pick(lang.get(), "제출된 신청서", "Applications")>
                            <table class="call-table">
                                <thead><tr>
                                    <th scope="col">{tr!("신청서", "Application")}</th>
                                    <th scope="col">{tr!("주관 기관", "Lead")}</th>
                                    <th scope="col">{tr!("총사업비", "Project")}</th>
                                    <th scope="col">{tr!("상태", "Status")}</th>
                                    <th scope="col">{tr!("제출", "Submitted")}</th>
                                </tr></thead>
                                <tbody>
                                    {apps.into_iter().map(|a| {
                                        let status = a.status;
                                        view! { <tr>
                                            <td class="title"><A href=format!("/applications/{}", a.id)>{a.title}</A></td>
                                            <td>{a.lead}</td>
                                            <td class="amount">{move || manwon(a.project_manwon, lang.get())}</td>
                                            <td>{move || status_label(status, lang.get())}</td>
                                            <td>{a.submitted_at.map(kst_date)}</td>
                                        </tr> }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any()
                }}
            }
        })}
    }
}

/// A decision, in a word.
pub fn decision_label(d: Decision, lang: Lang) -> &'static str {
    match d {
        Decision::Selected => pick(lang, "선정", "Selected"),
        Decision::Reserve => pick(lang, "예비", "Reserve"),
        Decision::NotSelected => pick(lang, "미선정", "Not selected"),
    }
}

/// The announced results: a module of its own (`call_results`) that reads
/// them, fetched only for a call that has them, so reading an open call
/// downloads neither.
#[leptos::lazy]
fn call_results(id: CallId) -> AnyView {
    let loaded = Load::<Results>::new(move || Some(paths::call_results(id)));
    view! {
        <Suspense fallback=Loading>
            {move || loaded.get().map(|r| match r {
                Err(e) => view! { <ErrorView error=e/> }.into_any(),
                Ok(r) => view! { <CallResults r=r/> }.into_any(),
            })}
        </Suspense>
    }
    .into_any()
}

/// The announced results: the selected applications with their grants, and
/// the corrections that changed that list since.
#[component]
fn CallResults(r: Results) -> impl IntoView {
    let lang = use_lang();
    let at = kst_date(r.announced_at);
    view! {
        <h2>{tr!("선정 결과", "Results")}</h2>
        <p class="muted small">{move || match lang.get() {
            Lang::Ko => format!("{at} 발표"),
            Lang::En => format!("Announced {at}"),
        }}</p>
        {r.selected.is_empty().then(|| view! { <p class="empty">{tr!("선정된 신청이 없습니다.", "None was selected.")}</p> })}
        <ol class="plain-list" data-testid="results">
            {r.selected.into_iter().map(|s| view! {
                <li><strong>{s.title}</strong>" · "{s.lead}" · "{move || manwon(s.grant_manwon, lang.get())}</li>
            }).collect_view()}
        </ol>
        {(!r.corrections.is_empty()).then(|| view! {
            <h3>{tr!("정정", "Corrections")}</h3>
            <ul class="plain-list">
                {r.corrections.into_iter().map(|c| {
                    let (was, now) = (c.was, c.decision);
                    view! { <li>{kst_date(c.decided_at)}" · "<strong>{c.title}</strong>" ("{c.lead}") "
                        {move || decision_label(was, lang.get())}" → "{move || decision_label(now, lang.get())}" · "{c.reason}</li> }
                }).collect_view()}
            </ul>
        })}
    }
}

/// The evaluation part of the page, for the call's admins and evaluators: a
/// module of its own (never named in the HTML, `core::routes`), so nobody
/// else downloads it.
#[leptos::lazy]
fn call_evaluation(a: (CallId, bool)) -> AnyView {
    super::call_evaluation::draw(a.0, a.1)
}

/// The reader's application, or the form that starts one.
#[component]
fn ApplyBox(v: CallView) -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let navigate = use_navigate();
    let title = RwSignal::new(String::new());
    let starting = Submit::new();
    let id = v.id;
    if let Some(mine) = v.mine {
        return view! {
            <p class="alert alert-info">{tr!("우리 기관의 신청서가 있습니다.", "Your organisation has an application.")}" "
                <A href=format!("/applications/{mine}")>{tr!("신청서 보기", "Open it")}</A></p>
        }
        .into_any();
    }
    if !v.can_apply {
        return match (v.phase, session.me.get_untracked().is_some()) {
            (CallPhase::Open, false) => view! {
                <p class="alert alert-info"><A href=format!("/signin?next=/calls/{id}")>{tr!("로그인", "Sign in")}</A>
                    {tr!("하면 신청서를 작성할 수 있습니다.", " to apply.")}</p>
            }.into_any(),
            (CallPhase::Open, true) => view! {
                <p class="alert alert-info">{tr!("소속 기관이 확인된 구성원이 신청할 수 있습니다.", "People confirmed by their organisation apply.")}</p>
            }.into_any(),
            _ => ().into_any(),
        };
    }
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let req = StartApplication {
            title: title.get_untracked().trim().to_owned(),
        };
        if req.title.is_empty() {
            return;
        }
        let navigate = navigate.clone();
        starting.run(async move {
            let a = api::calls::start(id, &req).await?;
            navigate(&format!("/applications/{}", a.id), Default::default());
            Ok(())
        });
    };
    view! {
        <form class="card apply-box" on:submit=on_submit>
            <h2>{tr!("신청하기", "Apply")}</h2>
            <div class="field">
                <label for="apply-title">{tr!("신청 과제명", "Title of the application")}<span class="req" aria-hidden="true">" *"</span></label>
                <input id="apply-title" type="text" required maxlength=TITLE_MAX prop:value=title
                    on:input=move |ev| title.set(event_target_value(&ev))/>
            </div>
            <CallError error=starting.error()/>
            <button type="submit" class="btn btn-primary btn-block" disabled=starting.pending()>
                {move || pick(lang.get(), "신청서 작성 시작", "Start the application")}</button>
        </form>
    }
    .into_any()
}
