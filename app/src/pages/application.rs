//! An application (신청서): the call's form, the team (partner organisations
//! found by name, each with its share, confirmed by its representative), the
//! budget and milestones, and the call's rules checked after every save, so the
//! lead sees what is missing before submitting. The draft saves itself a moment
//! after each change. A partner's representative confirms or declines here; the
//! call's admins read it once submitted.

use super::calls::{
    CallError, days_left, decision_label, manwon, phase_label, points, status_label,
};
use crate::{
    api::{self, ClientError},
    components::{
        cards::{ErrorView, Loading, SignedIn},
        questions::{QuestionField, asked, focus_first},
    },
    i18n::{Lang, pick, use_lang},
    load::Load,
    routing::id_param,
    submit::Submit,
    time::{kst, parse_date},
    tr,
};
use leptos::prelude::*;
use leptos_router::components::A;
use moim_core::{
    ApplicationId, FieldErrors, OrgId, Page, Validate,
    account::{OrgKind, OrgSummary},
    call::{
        ApplicationDraft, ApplicationStatus, ApplicationView, CallKind, MILESTONE_MAX, Milestone,
        PartnerShare, PartnerStatus, Rule, RuleCheck, TITLE_MAX, TeamMember,
    },
    evaluation::{COMMENT_MAX, Review, Score, weighted_tenths},
    paths,
    problem::{ProblemQuery, ProblemStatus, ProblemSummary},
    questionnaire::Answer,
};
use std::time::Duration;

#[component]
pub fn ApplicationPage() -> impl IntoView {
    view! { <SignedIn next="/calls"><ApplicationLoad/></SignedIn> }
}

#[component]
fn ApplicationLoad() -> impl IntoView {
    let id = id_param("id");
    let app = Load::<ApplicationView>::new(move || {
        id.get().map(|i| paths::application(ApplicationId(i)))
    });
    view! {
        <section class="section narrow application">
            <Suspense fallback=Loading>
                {move || app.get().map(|r| match r {
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                    Ok(v) => view! { <Application v=v/> }.into_any(),
                })}
            </Suspense>
        </section>
    }
}

fn kind_word(k: OrgKind, lang: Lang) -> &'static str {
    match k {
        OrgKind::Firm => pick(lang, "기업", "Firm"),
        OrgKind::University => pick(lang, "대학", "University"),
        OrgKind::Institute => pick(lang, "연구기관", "Institute"),
        OrgKind::Agency => pick(lang, "지원기관", "Agency"),
    }
}

fn partner_word(s: PartnerStatus, lang: Lang) -> &'static str {
    match s {
        PartnerStatus::Invited => pick(lang, "확인 대기", "Awaiting its answer"),
        PartnerStatus::Confirmed => pick(lang, "참여 확인", "Confirmed"),
        PartnerStatus::Declined => pick(lang, "참여 거절", "Declined"),
    }
}

/// One checked rule, in a sentence.
fn check_text(c: &RuleCheck, lang: Lang) -> String {
    let (need, have) = (c.need.unwrap_or_default(), c.have.unwrap_or_default());
    let ko = lang == Lang::Ko;
    match c.rule {
        Rule::MinFirms if ko => format!("참여 기업 {need}곳 이상 (현재 {have}곳, 확인된 기관만)"),
        Rule::MinFirms => format!("At least {need} firms (now {have}, confirmed only)"),
        Rule::Institution => pick(
            lang,
            "대학·연구기관·지원기관 1곳 이상 참여 (확인된 기관)",
            "A university, institute or agency on the team (confirmed)",
        )
        .to_owned(),
        Rule::FirmShare if ko => format!("기업 부담 비율 {need}% 이상 (현재 {have}%)"),
        Rule::FirmShare => format!("Firms pay at least {need}% (now {have}%)"),
        Rule::MinProject if ko => format!(
            "총사업비 {} 이상 (현재 {})",
            manwon(need, lang),
            manwon(have, lang)
        ),
        Rule::MinProject => format!(
            "A project of at least {} (now {})",
            manwon(need, lang),
            manwon(have, lang)
        ),
        Rule::Region if c.outside.is_empty() => pick(
            lang,
            "모든 기업이 대상 권역 입주",
            "Every firm in the call's region",
        )
        .to_owned(),
        Rule::Region if ko => format!("대상 권역 밖 기업: {}", c.outside.join(", ")),
        Rule::Region => format!("Firms outside the region: {}", c.outside.join(", ")),
        Rule::OpenProblem => pick(
            lang,
            "주관 기업의 진행 중 애로과제 선택",
            "An open problem of the lead firm chosen",
        )
        .to_owned(),
        Rule::PartnersConfirmed if ko => {
            format!("참여 기관 대표자 확인 ({have}/{need})")
        }
        Rule::PartnersConfirmed => format!("Partners confirmed ({have} of {need})"),
        Rule::Form if have == 0 => pick(
            lang,
            "신청서 필수 항목 작성",
            "Every required question answered",
        )
        .to_owned(),
        Rule::Form if ko => format!("신청서 필수 항목 {have}개 미작성"),
        Rule::Form => format!("{have} required questions unanswered"),
    }
}

/// How the draft stands against the server.
#[derive(Clone, Copy, PartialEq)]
enum Draft {
    Clean,
    Changed,
    Saving,
    Saved,
}

#[component]
fn Application(v: ApplicationView) -> impl IntoView {
    let lang = use_lang();
    let view_now = RwSignal::new(v.clone());
    let id = v.id;
    let d = RwSignal::new(v.draft.clone());
    let names = RwSignal::new(
        v.team
            .iter()
            .map(|m| (m.org, (m.name.clone(), m.kind)))
            .collect::<Vec<_>>(),
    );
    let errors = RwSignal::new(FieldErrors::default());
    let state = RwSignal::new(Draft::Clean);
    let failure = RwSignal::new(None::<ClientError>);
    let form = StoredValue::new(v.form.clone());
    let timer = StoredValue::new(None::<TimeoutHandle>);
    let editable = move || view_now.with(|v| v.can_edit);

    // Saves the draft now; `then` runs once it is kept.
    let save = move |then: Option<Callback<()>>| {
        if let Some(Some(t)) = timer.try_get_value() {
            t.clear();
        }
        let mut req = d.get_untracked();
        req.answers = form.with_value(|q| asked(q, &req.answers));
        req.title = req.title.trim().to_owned();
        if let Err(e) = req.validate() {
            focus_first(&e);
            errors.set(e);
            state.set(Draft::Changed);
            return;
        }
        state.set(Draft::Saving);
        leptos::task::spawn_local(async move {
            match api::calls::save(id, &req).await {
                Ok(v) => {
                    let _ = errors.try_set(FieldErrors::default());
                    let _ = failure.try_set(None);
                    let _ = view_now.try_set(v);
                    if state.try_get_untracked() == Some(Draft::Saving) {
                        let _ = state.try_set(Draft::Saved);
                    }
                    if let Some(then) = then {
                        then.run(());
                    }
                }
                Err(e) => {
                    let _ = errors.try_set(e.fields());
                    let _ = state.try_set(Draft::Changed);
                    let _ = failure.try_set(Some(e));
                }
            }
        });
    };
    let changed = move || {
        state.set(Draft::Changed);
        if let Some(Some(t)) = timer.try_get_value() {
            t.clear();
        }
        let next = set_timeout_with_handle(
            move || {
                if state.try_get_untracked() == Some(Draft::Changed) {
                    save(None);
                }
            },
            Duration::from_millis(1500),
        )
        .ok();
        timer.set_value(next);
    };
    on_cleanup(move || {
        if let Some(Some(t)) = timer.try_get_value() {
            t.clear();
        }
    });
    let edit = move |f: Box<dyn FnOnce(&mut ApplicationDraft)>| {
        d.update(|x| f(x));
        changed();
    };
    let set = Callback::new(move |(k, a): (String, Option<Answer>)| {
        errors.update(|e| e.0.retain(|f| f.field != format!("answers.{k}")));
        edit(Box::new(move |x| match a {
            Some(a) => {
                x.answers.insert(k, a);
            }
            None => {
                x.answers.remove(&k);
            }
        }));
    });
    let answers = RwSignal::new(v.draft.answers.clone());
    Effect::new(move |_| {
        let a = d.with(|x| x.answers.clone());
        if answers.with_untracked(|old| *old != a) {
            answers.set(a);
        }
    });

    let acting = Submit::new();
    let submit = move |_| {
        let go = Callback::new(move |()| {
            acting.run(async move {
                let v = api::calls::submit(id).await?;
                view_now.set(v);
                Ok(())
            })
        });
        if state.get_untracked() == Draft::Clean || state.get_untracked() == Draft::Saved {
            go.run(());
        } else {
            save(Some(go));
        }
    };
    let withdraw = move |_| {
        acting.run(async move {
            let v = api::calls::withdraw(id).await?;
            d.set(v.draft.clone());
            view_now.set(v);
            Ok(())
        })
    };
    let status_line = move || {
        let l = lang.get();
        match state.get() {
            Draft::Saving => pick(l, "저장 중…", "Saving…").to_owned(),
            Draft::Saved => pick(l, "임시 저장됨", "Draft saved").to_owned(),
            Draft::Changed => pick(
                l,
                "고친 내용이 곧 저장됩니다.",
                "Your changes are saved in a moment.",
            )
            .to_owned(),
            Draft::Clean => String::new(),
        }
    };
    let header = {
        let v = v.clone();
        move || {
            let now = view_now.get();
            let (phase, status, left) = (now.phase, now.status, now.days_left);
            let lead = v.lead_name.clone();
            let (call_href, call_title) = (format!("/calls/{}", v.call_id), v.call_title.clone());
            view! {
                <p class="call-meta">
                    <span class="badge" data-testid="application-status">{move || status_label(status, lang.get())}</span>" "
                    <span class="muted">{move || phase_label(phase, lang.get())}</span>
                    {move || days_left(left, lang.get()).map(|d| view! { " · " <strong class="days-left">{d}</strong> })}
                </p>
                <p><A href=call_href>{call_title}</A></p>
                <h1>{now.draft.title.clone()}</h1>
                <p class="muted">{move || match lang.get() {
                    Lang::Ko => format!("주관 기관: {lead}"),
                    Lang::En => format!("Lead: {lead}"),
                }}{now.submitted_at.map(|at| view! { " · " {move || match lang.get() {
                    Lang::Ko => format!("{} 제출", kst(at)),
                    Lang::En => format!("submitted {}", kst(at)),
                }}})}</p>
            }
        }
    };
    let found_title = v.draft.title.clone();
    view! {
        {header}
        {move || view_now.with(|v| v.answer_for).map(|org| view! { <PartnerAnswer id=id org=org view_now=view_now/> })}
        {(!v.decisions.is_empty()).then(|| view! { <Decisions list=v.decisions.clone()/> })}
        {move || view_now.with(|v| v.consortium.clone()).map(|c| view! { <super::founding::FoundedLink c=c/> })}
        // Built once while it may be founded: what the admin types survives other
        // changes of the application (recording its agreement, say).
        <Show when=move || view_now.with(|v| v.founding.is_some())>
            {
                let title = found_title.clone();
                move || view_now.with_untracked(|v| v.founding.clone()).map(|f| {
                    let done = Callback::new(move |v: ApplicationView| view_now.set(v));
                    view! { <super::founding::FoundingPanel id=id title=title.clone() f=f done=done/> }
                })
            }
        </Show>
        <super::grant::GrantPanel id=id view_now=view_now/>
        {(v.can_review || v.my_review.is_some()).then(|| view! { <ReviewPanel v=v.clone()/> })}
        <h2 id="checks-title">{tr!("요건 확인", "Rules checked")}</h2>
        <ul class="checks" aria-labelledby="checks-title" data-testid="checks">
            {move || view_now.with(|v| v.checks.clone()).into_iter().map(|c| {
                let ok = c.ok;
                view! {
                    <li class:ok=ok class:missing=!ok>
                        <span class="sr-only">{move || if ok { pick(lang.get(), "충족: ", "Met: ") } else { pick(lang.get(), "미충족: ", "Not met: ") }}</span>
                        <span aria-hidden="true" class="mark">{if ok { "✓" } else { "✗" }}</span>" "
                        {move || check_text(&c, lang.get())}
                    </li>
                }
            }).collect_view()}
        </ul>
        <fieldset class="plain" disabled=move || !editable()>
            <div class="field">
                <label for="app-title">{tr!("신청 과제명", "Title")}<span class="req" aria-hidden="true">" *"</span></label>
                <input id="app-title" type="text" maxlength=TITLE_MAX prop:value=move || d.with(|x| x.title.clone())
                    on:input=move |ev| { let t = event_target_value(&ev); edit(Box::new(move |x| x.title = t)) }/>
            </div>
            {form.get_value().sections.into_iter().map(|s| view! {
                <section class="survey-section">
                    <h2>{s.title}</h2>
                    {s.questions.into_iter().map(|q| {
                        let shown = {
                            let q = q.clone();
                            move || form.with_value(|all| answers.with(|a| all.asked(&q, a)))
                        };
                        view! {
                            <Show when=shown.clone()>
                                <QuestionField q=q.clone() answers=answers errors=errors set=set/>
                            </Show>
                        }
                    }).collect_view()}
                </section>
            }).collect_view()}
            <Team d=d names=names view_now=view_now edit=edit editable=Signal::derive(editable)/>
            <Budget d=d edit=edit/>
            {(v.call_kind == CallKind::Support).then(|| view! { <ProblemPick d=d edit=edit/> })}
            <Milestones d=d edit=edit editable=Signal::derive(editable)/>
        </fieldset>
        <p class="status-line" role="status" aria-live="polite">{status_line}</p>
        <CallError error=Signal::derive(move || failure.get().or_else(|| acting.error().get()))/>
        <div class="row actions">
            <Show when=editable>
                <button type="button" class="btn btn-secondary" on:click=move |_| save(None)
                    disabled=move || state.get() == Draft::Saving>{tr!("임시 저장", "Save draft")}</button>
                <button type="button" class="btn btn-primary" on:click=submit
                    disabled=move || acting.pending().get() || view_now.with(|v| v.checks.iter().any(|c| !c.ok))>{tr!("제출", "Submit")}</button>
            </Show>
            <Show when=move || view_now.with(|v| v.can_withdraw)>
                <button type="button" class="btn btn-secondary" on:click=withdraw disabled=acting.pending()>{tr!("신청 철회", "Withdraw")}</button>
            </Show>
        </div>
        <Show when=move || editable() && view_now.with(|v| v.checks.iter().any(|c| !c.ok))>
            <p class="muted small">{tr!("모든 요건을 충족하면 제출할 수 있습니다.", "You can submit once every rule is met.")}</p>
        </Show>
        <Show when=move || view_now.with(|v| v.status == ApplicationStatus::Submitted && v.phase == moim_core::call::CallPhase::Open)>
            <p class="muted small">{tr!("고치려면 철회한 뒤 다시 작성해 마감 전에 제출하세요.", "To change it, withdraw it, change it and submit it again before the deadline.")}</p>
        </Show>
    }
}

/// A partner's representative's answer.
#[component]
fn PartnerAnswer(
    id: ApplicationId,
    org: OrgId,
    view_now: RwSignal<ApplicationView>,
) -> impl IntoView {
    let lang = use_lang();
    let answering = Submit::new();
    let me = view_now.with_untracked(|v| v.team.iter().find(|m| m.org == org).cloned());
    let Some(me) = me else { return ().into_any() };
    let lead = view_now.with_untracked(|v| v.lead_name.clone());
    let send = move |confirm: bool| {
        answering.run(async move {
            view_now.set(api::calls::answer(id, confirm).await?);
            Ok(())
        })
    };
    let status = me.status;
    view! {
        <div class="card partner-answer" role="region" aria-labelledby="partner-answer-title">
            <h2 id="partner-answer-title">{tr!("참여 확인", "Your organisation's place")}</h2>
            <p>{move || match lang.get() {
                Lang::Ko => format!("{lead}이(가) {}의 참여를 요청했습니다. 분담금: {}.", me.name, manwon(me.share_manwon, Lang::Ko)),
                Lang::En => format!("{lead} asks {} onto its application, paying {}.", me.name, manwon(me.share_manwon, Lang::En)),
            }}</p>
            <p class="muted" data-testid="partner-status">{move || partner_word(status, lang.get())}</p>
            <CallError error=answering.error()/>
            <div class="row">
                <button type="button" class="btn btn-primary" on:click=move |_| send(true) disabled=answering.pending()>{tr!("참여 확인", "Confirm")}</button>
                <button type="button" class="btn btn-secondary" on:click=move |_| send(false) disabled=answering.pending()>{tr!("거절", "Decline")}</button>
            </div>
        </div>
    }
    .into_any()
}

/// The partner organisations: found by name, each with its share and answer.
#[component]
fn Team(
    d: RwSignal<ApplicationDraft>,
    names: RwSignal<Vec<(OrgId, (String, OrgKind))>>,
    view_now: RwSignal<ApplicationView>,
    edit: impl Fn(Box<dyn FnOnce(&mut ApplicationDraft)>) + Copy + Send + Sync + 'static,
    editable: Signal<bool>,
) -> impl IntoView {
    let lang = use_lang();
    let q = RwSignal::new(String::new());
    let found = RwSignal::new(Vec::<OrgSummary>::new());
    let searching = Submit::new();
    let lead = view_now.with_untracked(|v| v.lead);
    let find = move || {
        let text = q.get_untracked().trim().to_owned();
        if text.is_empty() {
            return;
        }
        searching.run(async move {
            let hits = api::orgs::search(&text, None).await?;
            found.set(hits.into_iter().filter(|o| o.id != lead).collect());
            Ok(())
        });
    };
    let status_of = move |org: OrgId| {
        view_now.with(|v| {
            v.team
                .iter()
                .find(|m| m.org == org)
                .map(|m: &TeamMember| (m.status, m.share_manwon))
        })
    };
    view! {
        <h2>{tr!("참여 기관", "Partners")}</h2>
        <p class="hint">{tr!("각 기관의 대표자가 참여와 분담금을 확인해야 합니다. 분담금을 바꾸면 다시 확인을 요청합니다.", "Each organisation's representative confirms its place and share; a changed share is asked again.")}</p>
        <ul class="plain team" data-testid="team">
            <For each=move || d.with(|x| x.partners.iter().map(|p| p.org).collect::<Vec<_>>()) key=|o| o.0 let:org>
                {
                    let name = move || names.with(|n| n.iter().find(|(o, _)| *o == org).map(|(_, (name, kind))| (name.clone(), *kind)));
                    let share_id = format!("share-{org}");
                    let label = move || name().map(|(n, _)| n).unwrap_or_default();
                    view! {
                        <li class="team-member">
                            <div>
                                <strong>{label}</strong>" "
                                <span class="muted small">{move || name().map(|(_, k)| kind_word(k, lang.get()))}</span>" "
                                <span class="badge">{move || {
                                    let saved = status_of(org);
                                    let share = d.with(|x| x.partners.iter().find(|p| p.org == org).map(|p| p.share_manwon));
                                    match saved {
                                        Some((s, kept)) if Some(kept) == share => partner_word(s, lang.get()),
                                        _ => pick(lang.get(), "저장 후 확인 요청", "Asked once saved"),
                                    }
                                }}</span>
                            </div>
                            <div class="row">
                                <label for=share_id.clone()>{move || match lang.get() { Lang::Ko => format!("{} 분담금 (만원)", label()), Lang::En => format!("{}'s share (10,000 won)", label()) }}</label>
                                <input id=share_id type="text" inputmode="numeric" class="short"
                                    prop:value=move || d.with(|x| x.partners.iter().find(|p| p.org == org).map(|p| p.share_manwon.to_string()).unwrap_or_default())
                                    on:change=move |ev| {
                                        let n = event_target_value(&ev).trim().replace(',', "").parse::<i64>().unwrap_or(0);
                                        edit(Box::new(move |x| if let Some(p) = x.partners.iter_mut().find(|p| p.org == org) { p.share_manwon = n }));
                                    }/>
                                <Show when=move || editable.get()>
                                    <button type="button" class="btn btn-secondary btn-sm" on:click=move |_| edit(Box::new(move |x| x.partners.retain(|p| p.org != org)))
                                        aria-label=move || match lang.get() { Lang::Ko => format!("{} 빼기", label()), Lang::En => format!("Remove {}", label()) }>{tr!("빼기", "Remove")}</button>
                                </Show>
                            </div>
                        </li>
                    }
                }
            </For>
        </ul>
        <Show when=move || editable.get()>
            <div class="field org-search">
                <label for="partner-search">{tr!("기관 찾기 (이름)", "Find an organisation (name)")}</label>
                <div class="row">
                    <input id="partner-search" type="search" prop:value=q on:input=move |ev| q.set(event_target_value(&ev))
                        on:keydown=move |ev| if ev.key() == "Enter" { ev.prevent_default(); find() }/>
                    <button type="button" class="btn btn-secondary" on:click=move |_| find() disabled=searching.pending()>{tr!("찾기", "Search")}</button>
                </div>
                <ul class="plain org-hits" aria-live="polite">
                    {move || found.get().into_iter().map(|o| {
                        let (oid, name, kind) = (o.id, o.name.clone(), o.kind);
                        let added = move || d.with(|x| x.partners.iter().any(|p| p.org == oid));
                        let label = name.clone();
                        view! {
                            <li>
                                <span>{name.clone()}" "<span class="muted small">{move || kind_word(kind, lang.get())}{o.complex_name.clone().map(|c| format!(" · {c}"))}</span></span>" "
                                <button type="button" class="btn btn-secondary btn-sm" disabled=added
                                    aria-label=move || match lang.get() { Lang::Ko => format!("{label} 추가"), Lang::En => format!("Add {label}") }
                                    on:click=move |_| {
                                        let name = name.clone();
                                        names.update(|n| if !n.iter().any(|(x, _)| *x == oid) { n.push((oid, (name, kind))) });
                                        edit(Box::new(move |x| x.partners.push(PartnerShare { org: oid, share_manwon: 0 })));
                                    }>{tr!("추가", "Add")}</button>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </div>
        </Show>
    }
}

fn amount_field(
    id: &'static str,
    label: (&'static str, &'static str),
    d: RwSignal<ApplicationDraft>,
    get: fn(&ApplicationDraft) -> i64,
    put: fn(&mut ApplicationDraft, i64),
    edit: impl Fn(Box<dyn FnOnce(&mut ApplicationDraft)>) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class="field">
            <label for=id>{move || pick(lang.get(), label.0, label.1)}</label>
            <input id=id type="text" inputmode="numeric" prop:value=move || d.with(get).to_string()
                on:change=move |ev| {
                    let n = event_target_value(&ev).trim().replace(',', "").parse::<i64>().unwrap_or(0);
                    edit(Box::new(move |x| put(x, n)));
                }/>
        </div>
    }
}

#[component]
fn Budget(
    d: RwSignal<ApplicationDraft>,
    edit: impl Fn(Box<dyn FnOnce(&mut ApplicationDraft)>) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let lang = use_lang();
    view! {
        <h2>{tr!("사업비 (만원)", "Budget (10,000 won)")}</h2>
        <div class="row budget">
            {amount_field("app-government", ("정부 지원금", "Government share"), d, |x| x.government_manwon, |x, n| x.government_manwon = n, edit)}
            {amount_field("app-lead-share", ("주관 기관 부담금", "Lead's share"), d, |x| x.lead_share_manwon, |x, n| x.lead_share_manwon = n, edit)}
        </div>
        <p data-testid="project-total">{move || match lang.get() {
            Lang::Ko => format!("총사업비 {} (참여 기관 분담금 포함)", manwon(d.with(ApplicationDraft::project_manwon), Lang::Ko)),
            Lang::En => format!("Project {} (partners' shares included)", manwon(d.with(ApplicationDraft::project_manwon), Lang::En)),
        }}</p>
    }
}

/// For a support call: one of the lead firm's open problems.
#[component]
fn ProblemPick(
    d: RwSignal<ApplicationDraft>,
    edit: impl Fn(Box<dyn FnOnce(&mut ApplicationDraft)>) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let mine = Load::<Page<ProblemSummary>>::new(|| {
        Some(paths::problems(&ProblemQuery {
            mine: Some(true),
            status: Some(ProblemStatus::Open),
            ..Default::default()
        }))
    });
    view! {
        <div class="field">
            <label for="app-problem">{tr!("지원받을 애로과제", "The problem to support")}</label>
            <Suspense fallback=Loading>
                {move || mine.get().map(|r| {
                    let items = r.map(|p| p.items).unwrap_or_default();
                    view! {
                        <select id="app-problem" on:change=move |ev| {
                            let p = event_target_value(&ev).parse::<i64>().ok().map(moim_core::ProblemId);
                            edit(Box::new(move |x| x.problem = p));
                        }>
                            <option value="" selected=move || d.with(|x| x.problem.is_none())>{tr!("선택", "Choose")}</option>
                            {items.into_iter().map(|p| {
                                let pid = p.id;
                                view! { <option value=pid.0.to_string() selected=move || d.with(|x| x.problem == Some(pid))>{p.title}</option> }
                            }).collect_view()}
                        </select>
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn Milestones(
    d: RwSignal<ApplicationDraft>,
    edit: impl Fn(Box<dyn FnOnce(&mut ApplicationDraft)>) + Copy + Send + Sync + 'static,
    editable: Signal<bool>,
) -> impl IntoView {
    let lang = use_lang();
    let count = move || d.with(|x| x.milestones.len());
    view! {
        <h2>{tr!("추진 일정", "Milestones")}</h2>
        <ol class="milestones">
            <For each=move || 0..count() key=|i| *i let:i>
                <li class="milestone">
                    <div class="field">
                        <label for=format!("ms-{i}-title")>{move || match lang.get() { Lang::Ko => format!("단계 {}", i + 1), Lang::En => format!("Milestone {}", i + 1) }}</label>
                        <input id=format!("ms-{i}-title") type="text" maxlength=MILESTONE_MAX
                            prop:value=move || d.with(|x| x.milestones.get(i).map(|m| m.title.clone()).unwrap_or_default())
                            on:change=move |ev| { let t = event_target_value(&ev); edit(Box::new(move |x| if let Some(m) = x.milestones.get_mut(i) { m.title = t })) }/>
                    </div>
                    <div class="row">
                        <div class="field">
                            <label for=format!("ms-{i}-due")>{tr!("완료 예정일", "Due")}</label>
                            <input id=format!("ms-{i}-due") type="date"
                                prop:value=move || d.with(|x| x.milestones.get(i).map(|m| m.due_on.to_string()).unwrap_or_default())
                                on:change=move |ev| if let Some(day) = parse_date(&event_target_value(&ev)) { edit(Box::new(move |x| if let Some(m) = x.milestones.get_mut(i) { m.due_on = day })) }/>
                        </div>
                        <div class="field">
                            <label for=format!("ms-{i}-amount")>{tr!("소요 예산 (만원)", "Amount (10,000 won)")}</label>
                            <input id=format!("ms-{i}-amount") type="text" inputmode="numeric" class="short"
                                prop:value=move || d.with(|x| x.milestones.get(i).map(|m| m.amount_manwon.to_string()).unwrap_or_default())
                                on:change=move |ev| { let n = event_target_value(&ev).trim().replace(',', "").parse::<i64>().unwrap_or(0); edit(Box::new(move |x| if let Some(m) = x.milestones.get_mut(i) { m.amount_manwon = n })) }/>
                        </div>
                    </div>
                    <Show when=move || editable.get()>
                        <button type="button" class="btn btn-secondary btn-sm" on:click=move |_| edit(Box::new(move |x| { if i < x.milestones.len() { x.milestones.remove(i); } }))>{tr!("단계 삭제", "Remove")}</button>
                    </Show>
                </li>
            </For>
        </ol>
        <Show when=move || editable.get()>
            <button type="button" class="btn btn-secondary btn-sm" on:click=move |_| edit(Box::new(|x| x.milestones.push(Milestone {
                title: String::new(),
                due_on: crate::time::kst_day(crate::time::now()),
                amount_manwon: 0,
            })))>{tr!("+ 단계 추가", "+ Add a milestone")}</button>
        </Show>
    }
}

/// The call's decision on the application — for its team once announced —
/// with the corrections since, newest last.
#[component]
fn Decisions(list: Vec<moim_core::selection::DecisionEntry>) -> impl IntoView {
    let lang = use_lang();
    let now = list.last().cloned();
    view! {
        <section class="card decision" aria-labelledby="decision-title">
            <h2 id="decision-title">{tr!("선정 결과", "Decision")}</h2>
            {now.map(|d| {
                let (what, grant) = (d.decision, d.grant_manwon);
                view! {
                    <p><strong class="badge" class:badge-open=what == moim_core::selection::Decision::Selected data-testid="decision">
                        {move || decision_label(what, lang.get())}</strong>
                        {grant.map(|g| view! { " " {move || match lang.get() {
                            Lang::Ko => format!("지원금 {}", manwon(g, Lang::Ko)),
                            Lang::En => format!("Grant {}", manwon(g, Lang::En)),
                        }}})}</p>
                    <p class="prose">{d.reason}</p>
                }
            })}
            {(list.len() > 1).then(|| view! {
                <h3>{tr!("결정과 정정 이력", "The decision and its corrections")}</h3>
                <ol class="plain-list">
                    {list.into_iter().map(|d| {
                        let (what, fixed, grant) = (d.decision, d.correction, d.grant_manwon);
                        view! { <li>{kst(d.decided_at)}" · "{move || pick(lang.get(), if fixed { "정정" } else { "결정" }, if fixed { "Corrected" } else { "Decided" })}": "
                            {move || decision_label(what, lang.get())}{move || grant.map(|g| format!(" {}", manwon(g, lang.get())))}" · "{d.reason}</li> }
                    }).collect_view()}
                </ol>
            })}
        </section>
    }
}

/// An evaluator's review: a declared conflict of interest (then the
/// application is no longer theirs to read), or a score and a comment per
/// criterion, with the weighted score they make.
#[component]
fn ReviewPanel(v: ApplicationView) -> impl IntoView {
    let lang = use_lang();
    let navigate = leptos_router::hooks::use_navigate();
    let criteria = StoredValue::new(v.criteria.clone());
    let start = v.my_review.clone();
    let conflict = RwSignal::new(start.as_ref().map(|r| r.conflict));
    let scores = RwSignal::new(match &start {
        Some(r) if !r.conflict => r.scores.clone(),
        _ => v
            .criteria
            .iter()
            .map(|_| Score {
                score: 0,
                comment: None,
            })
            .collect(),
    });
    let open = v.can_review;
    let (id, call) = (v.id, v.call_id);
    let saving = Submit::new();
    let saved = RwSignal::new(start.is_some());
    let total = move || criteria.with_value(|c| scores.with(|s| weighted_tenths(c, s)));
    let save = move |_| {
        let Some(declared) = conflict.get_untracked() else {
            return;
        };
        let r = Review {
            conflict: declared,
            scores: if declared {
                Vec::new()
            } else {
                scores.get_untracked()
            },
        };
        let navigate = navigate.clone();
        saving.run(async move {
            api::calls::review(id, &r).await?;
            if r.conflict {
                navigate(&format!("/calls/{call}"), Default::default());
            } else {
                saved.set(true);
            }
            Ok(())
        });
    };
    view! {
        <section class="card review" aria-labelledby="review-title">
            <h2 id="review-title">{tr!("평가", "Your review")}</h2>
            <fieldset class="plain" disabled=!open>
                <fieldset class="field">
                    <legend>{tr!("이해충돌 확인", "Conflict of interest")}</legend>
                    <label class="check"><input type="radio" name="conflict" prop:checked=move || conflict.get() == Some(false)
                        on:change=move |_| { conflict.set(Some(false)); saved.set(false) }/>
                        {tr!("이해충돌이 없습니다. 평가합니다.", "I have no conflict of interest: I score it.")}</label>
                    <label class="check"><input type="radio" name="conflict" prop:checked=move || conflict.get() == Some(true)
                        on:change=move |_| { conflict.set(Some(true)); saved.set(false) }/>
                        {tr!("이해충돌이 있습니다. 이 신청서 평가에서 빠집니다.", "I have a conflict of interest: I step aside.")}</label>
                </fieldset>
                <Show when=move || conflict.get() == Some(false)>
                    {criteria.get_value().into_iter().enumerate().map(|(i, c)| {
                        let max = c.max;
                        let label = c.name.clone();
                        view! {
                            <div class="field score">
                                <label for=format!("score-{i}")>{move || match lang.get() {
                                    Lang::Ko => format!("{label} (가중치 {}, {max}점 만점)", c.weight),
                                    Lang::En => format!("{label} (weight {}, out of {max})", c.weight),
                                }}</label>
                                <select id=format!("score-{i}") on:change=move |ev| {
                                    let n = event_target_value(&ev).parse::<i64>().unwrap_or(0);
                                    scores.update(|s| if let Some(x) = s.get_mut(i) { x.score = n });
                                    saved.set(false);
                                }>
                                    {(0..=max).map(|n| view! {
                                        <option value=n.to_string() selected=move || scores.with(|s| s.get(i).map(|x| x.score) == Some(n))>{n}</option>
                                    }).collect_view()}
                                </select>
                                <label for=format!("score-{i}-comment") class="sr-only">{move || match lang.get() {
                                    Lang::Ko => format!("{} 의견", c.name),
                                    Lang::En => format!("Comment on {}", c.name),
                                }}</label>
                                <textarea id=format!("score-{i}-comment") rows="2" maxlength=COMMENT_MAX
                                    placeholder=move || pick(lang.get(), "의견 (선택)", "Comment (optional)")
                                    prop:value=move || scores.with(|s| s.get(i).and_then(|x| x.comment.clone()).unwrap_or_default())
                                    on:change=move |ev| {
                                        let t = event_target_value(&ev);
                                        scores.update(|s| if let Some(x) = s.get_mut(i) { x.comment = (!t.trim().is_empty()).then_some(t) });
                                        saved.set(false);
                                    }></textarea>
                            </div>
                        }
                    }).collect_view()}
                    <p data-testid="weighted-score">{move || match lang.get() {
                        Lang::Ko => format!("가중 점수 {} / 100", points(total())),
                        Lang::En => format!("Weighted score {} of 100", points(total())),
                    }}</p>
                </Show>
            </fieldset>
            <CallError error=saving.error()/>
            {open.then(|| view! {
                <button type="button" class="btn btn-primary" on:click=save
                    disabled=move || saving.pending().get() || conflict.get().is_none()>{tr!("평가 저장", "Save the review")}</button>
            })}
            <p class="status-line ok" role="status">{move || saved.get().then(|| pick(lang.get(), "평가가 저장되었습니다. 평가 기간에는 고칠 수 있습니다.", "Review saved. It can be changed during the evaluation."))}</p>
            {(!open).then(|| view! { <p class="muted small">{tr!("평가 기간이 아니어서 고칠 수 없습니다.", "Not the evaluation phase: it stays as it is.")}</p> })}
        </section>
    }
}
