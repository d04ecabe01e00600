//! One problem: the summary for whoever may see it, the details under their
//! confidentiality (with the non-disclosure statement for invited experts),
//! questions, proposals, the matched experts, the collaboration pipeline and the
//! history.

use crate::{
    api::{self, ClientError},
    components::{
        cards::{ErrorView, Loading},
        form::FormError,
    },
    i18n::{Lang, M, pick, t, use_lang},
    load::Load,
    pages::problem_text as pt,
    state::{self, error_text, use_session},
    submit::Submit,
    tr,
};
use leptos::prelude::*;
use moim_core::{ProblemId, UserId, paths, problem::*};

/// Runs `f` through `submit` (its failure shown there); `done` runs on success.
fn act<T: 'static>(
    submit: Submit,
    f: impl std::future::Future<Output = Result<T, ClientError>> + 'static,
    done: impl FnOnce(T) + 'static,
) {
    submit.run(async move {
        done(f.await?);
        Ok(())
    });
}

#[component]
pub fn ProblemPage() -> impl IntoView {
    let raw = crate::routing::id_param("id");
    let id = Memo::new(move |_| raw.get().map(ProblemId));
    let version = RwSignal::new(0u32);
    let problem = Load::<ProblemView>::new(move || {
        version.track();
        id.get().map(paths::problem)
    });
    view! {
        <section class="section problem-page">
            <Suspense fallback=Loading>
                {move || problem.get().map(|r| match r {
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                    Ok(p) => view! { <ProblemView p=p version=version/> }.into_any(),
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn ProblemView(p: ProblemView, version: RwSignal<u32>) -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let s = p.summary.clone();
    let pid = s.id;
    let access = p.access.clone();
    let error = Submit::new();
    let reload = move || version.update(|v| *v += 1);
    let me = move || session.me.with(|m| m.as_ref().map(|m| m.id));
    let fields: Vec<String> = s
        .fields
        .iter()
        .map(|f| pick(lang.get_untracked(), f.name_ko.clone(), f.name_en.clone()))
        .collect();
    let (status, conf, sample) = (s.status, s.confidentiality, s.is_sample);
    let editable = access.owner && matches!(s.status, ProblemStatus::Draft | ProblemStatus::Open);
    let close = move |_| act(error, api::problems::close(pid), move |_| reload());
    let accept_nda = move |_| act(error, api::problems::accept_nda(pid), move |_| reload());
    let help = s.help.clone();
    let timeline = p.timeline_months;
    let budget = p.budget;
    view! {
        <nav class="breadcrumb" aria-label=tr!("위치", "Breadcrumb")><a href="/problems">{t(M::NavProblems)}</a>" › "<span>{s.consortium_name.clone()}</span></nav>
        <div class="badges">
            <span class=format!("badge status-{}", status.code())>{move || pt::status(status, lang.get())}</span>
            <span class="badge lock">{move || pt::confidentiality(conf, lang.get())}</span>
            {sample.then(|| view! { <span class="badge badge-sample">{t(M::SampleBadge)}</span> })}
        </div>
        <h1>{s.title.clone()}</h1>
        <p class="muted">{format!("{} · {} · {} · {}", s.org_name, s.consortium_name, s.complex_name, crate::time::kst_date(s.posted_at))}</p>
        {editable.then(|| view! {
            <div class="actions">
                <a href=format!("/problems/{pid}/edit") class="btn btn-secondary btn-sm">{tr!("수정", "Edit")}</a>
                <button type="button" class="btn-text" on:click=close>{tr!("과제 종료", "Withdraw")}</button>
            </div>
        })}
        <FormError error=error.error()/>
        <div class="problem-body">
            <div class="main-col">
                <h2>{tr!("요약", "Summary")}</h2>
                <p class="pre">{s.summary.clone()}</p>
                <h2>{tr!("상세 내용", "Details")}</h2>
                {match p.details_access {
                    DetailsAccess::Visible => view! {
                        <div class="details-box" data-testid="details"><p class="pre">{p.details.clone().unwrap_or_default()}</p></div>
                        {(!p.attachments.is_empty()).then(|| view! {
                            <ul class="attachments">
                                {p.attachments.iter().map(|a| view! {
                                    <li><a href=format!("/api/problems/{pid}/attachments/{}", a.id) target="_blank" rel="noopener">{a.name.clone()}</a>
                                        " "<span class="muted small">{format!("{} KB", a.size / 1024 + 1)}</span></li>
                                }).collect_view()}
                            </ul>
                        })}
                    }.into_any(),
                    DetailsAccess::NdaRequired => view! {
                        <div class="nda-box" role="region" aria-label=tr!("비밀유지 서약", "Non-disclosure statement")>
                            <p>{tr!("이 과제에 초대받았습니다. 상세 내용을 보려면 비밀유지 서약에 동의하세요.", "You were invited to this problem. Accept the non-disclosure statement to read the details.")}</p>
                            <blockquote class="small">{tr!("본인은 이 과제의 상세 내용과 첨부 자료를 과제 해결 검토 목적으로만 사용하며, 기업의 서면 동의 없이 제3자에게 공개하거나 다른 목적으로 사용하지 않겠습니다. 열람 기록은 기업에 공개됩니다.",
                                "I will use the details and attachments of this problem only to consider solving it, and will not disclose them to third parties or use them otherwise without the firm's written consent. My reading is logged for the firm.")}</blockquote>
                            <button type="button" class="btn btn-primary" on:click=accept_nda>{tr!("동의하고 상세 내용 보기", "Accept and read the details")}</button>
                        </div>
                    }.into_any(),
                    DetailsAccess::Hidden => view! {
                        <p class="locked">{move || match conf {
                            Confidentiality::Members => pick(lang.get(), "상세 내용은 이 협의체 회원과 초대받은 전문가만 볼 수 있습니다.", "Only members of this consortium and invited experts read the details."),
                            _ => pick(lang.get(), "상세 내용은 기업이 초대한 전문가만 비밀유지 서약 후 볼 수 있습니다.", "Only experts the firm invites read the details, after a non-disclosure statement."),
                        }}</p>
                    }.into_any(),
                }}
                {p.collaboration.clone().map(|c| view! { <Pipeline c=c can_move=access.owner || access.manager version=version/> })}
                {access.can_discuss.then(|| panel(Panel::Thread, pid, &access, status, version))}
                {access.shows_proposal(session.me.with_untracked(|m| m.as_ref().is_some_and(|m| m.is_expert))).then(|| panel(Panel::Proposal, pid, &access, status, version))}
                {access.firm_side().then(|| panel(Panel::Owner, pid, &access, status, version))}
            </div>
            <aside class="side-col">
                <dl class="facts">
                    <dt>{t(M::Field)}</dt><dd>{fields.join(", ")}</dd>
                    <dt>{t(M::ProblemKeywords)}</dt><dd>{s.keywords.join(", ")}</dd>
                    <dt>{tr!("필요한 지원", "Help wanted")}</dt><dd>{move || help.iter().map(|h| pt::help(*h, lang.get())).collect::<Vec<_>>().join(", ")}</dd>
                    <dt>{t(M::ProblemTimeline)}</dt><dd>{timeline.map(|m| m.to_string()).unwrap_or_else(|| "-".into())}</dd>
                    <dt>{tr!("예산 규모", "Budget")}</dt><dd>{move || pt::budget(budget, lang.get())}</dd>
                    <dt>{tr!("제안", "Proposals")}</dt><dd>{s.proposal_count}</dd>
                    <dt>{tr!("작성자", "Posted by")}</dt><dd>{p.author.name.clone()}</dd>
                    {(p.revision_count > 1).then(|| view! { <dt>{tr!("수정 이력", "Revisions")}</dt><dd>{p.revision_count}</dd> })}
                </dl>
                {move || me().filter(|_| access.invited).map(|_: UserId| view! { <p class="badge">{tr!("초대받은 과제", "You were invited")}</p> })}
                {(!p.support.is_empty()).then(|| view! { <Support support=p.support.clone()/> })}
            </aside>
        </div>
    }
}

/// The support selected for the problem in calls' results: the call and the
/// grant; for the firm's people the link leads to their application (with
/// the agreement and payments).
#[component]
fn Support(support: Vec<moim_core::grant::ProblemSupport>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <section class="support-box" aria-labelledby="support-h" data-testid="support">
            <h2 id="support-h" class="h-small">{tr!("지원사업 선정", "Selected for support")}</h2>
            {support.into_iter().map(|s| {
                let grant = s.grant_manwon;
                // The firm's people are led to their application (with its
                // agreement and payments), anyone else to the call.
                let href = s.application.map_or_else(|| format!("/calls/{}", s.call), |a| format!("/applications/{a}"));
                view! {
                    <p><a href=href>{s.call_title}</a>" · "{tr!("지원 결정액 ", "Grant ")}{move || pt::won(grant, lang.get())}</p>
                }
            }).collect_view()}
        </section>
    }
}

/// The parts of a problem page that only signed-in people see, in two modules
/// of their own (`core::routes`), which the server names in the HTML for a
/// signed-in visitor as the problem's access calls for: the questions and an
/// expert's proposal (`problem_panels`), or the questions and the firm's and
/// CM's tools (`problem_firm`: proposals, matched experts, invitations); the
/// history and who read the details are opened on demand (`Records`). A visitor downloads neither, a firm
/// not the proposal form, an expert not the firm's tools.
#[derive(Clone, Copy)]
enum Panel {
    Thread,
    Proposal,
    Owner,
}

#[derive(Clone)]
struct PanelArgs {
    panel: Panel,
    pid: ProblemId,
    access: ProblemAccess,
    status: ProblemStatus,
    version: RwSignal<u32>,
}

fn panel(
    panel: Panel,
    pid: ProblemId,
    access: &ProblemAccess,
    status: ProblemStatus,
    version: RwSignal<u32>,
) -> AnyView {
    let args = PanelArgs {
        panel,
        pid,
        access: access.clone(),
        status,
        version,
    };
    if access.firm_side() {
        Suspend::new(problem_firm(args)).into_any()
    } else {
        Suspend::new(problem_panels(args)).into_any()
    }
}

#[leptos::lazy]
fn problem_panels(a: PanelArgs) -> AnyView {
    match a.panel {
        Panel::Thread => view! { <Thread pid=a.pid owner=a.access.owner/> }.into_any(),
        Panel::Proposal => {
            view! { <ExpertProposal pid=a.pid can_propose=a.access.can_propose version=a.version/> }
                .into_any()
        }
        Panel::Owner => ().into_any(),
    }
}

#[leptos::lazy]
fn problem_firm(a: PanelArgs) -> AnyView {
    let PanelArgs {
        panel,
        pid,
        access,
        status,
        version,
    } = a;
    match panel {
        Panel::Thread => view! { <Thread pid=pid owner=access.owner/> }.into_any(),
        Panel::Owner => view! {
            <Proposals pid=pid can_accept=access.owner && status == ProblemStatus::Open version=version/>
            {(status == ProblemStatus::Open).then(|| view! { <Experts pid=pid/> })}
            <Invitations pid=pid/>
            <Records record=Record::History pid=pid manager=access.manager version=version/>
            <Records record=Record::Readers pid=pid manager=false version=version/>
        }
        .into_any(),
        Panel::Proposal => ().into_any(),
    }
}

/// One of a problem's records for its firm and CM, closed until opened: its
/// module (`problem_records`, never named in the HTML) is fetched then.
#[derive(Clone, Copy, PartialEq)]
enum Record {
    /// The history, with the CM's note.
    History,
    /// Who read the details.
    Readers,
}

#[component]
fn Records(record: Record, pid: ProblemId, manager: bool, version: RwSignal<u32>) -> impl IntoView {
    let opened = RwSignal::new(false);
    let (heading, label, testid) = match record {
        Record::History => (None, tr!("과제 이력", "History"), "history-records"),
        Record::Readers => (
            Some("h3"),
            tr!("상세 내용 열람 기록", "Who read the details"),
            "readers-records",
        ),
    };
    view! {
        // Opened by a click, a key or the browser's find in page alike.
        <details class="records" data-testid=testid on:toggle=move |_| opened.set(true)>
            <summary><h2 class=heading>{label}</h2></summary>
            {move || opened.get().then(|| Suspend::new(problem_records((record, pid, manager, version))))}
        </details>
    }
}

#[leptos::lazy]
fn problem_records(a: (Record, ProblemId, bool, RwSignal<u32>)) -> AnyView {
    let (record, pid, manager, version) = a;
    match record {
        Record::History => view! {
            {manager.then(|| view! { <CmNote pid=pid version=version/> })}
            <History pid=pid version=version/>
        }
        .into_any(),
        Record::Readers => view! { <Readers pid=pid/> }.into_any(),
    }
}

#[component]
fn Pipeline(c: CollaborationView, can_move: bool, version: RwSignal<u32>) -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let cid = c.id;
    let current = c.stage;
    let is_expert = session
        .me
        .with_untracked(|m| m.as_ref().is_some_and(|m| m.id == c.expert.id));
    let allowed = can_move || is_expert;
    let note = RwSignal::new(String::new());
    let error = Submit::new();
    let next: Vec<Stage> = match current {
        Stage::Matched => vec![Stage::InProgress, Stage::Dropped],
        Stage::InProgress => vec![Stage::Completed, Stage::Dropped],
        Stage::Completed => vec![Stage::Commercialised, Stage::Dropped],
        _ => vec![],
    };
    let steps = c.steps.clone();
    let dated = move |s: Stage| {
        steps
            .iter()
            .rev()
            .find(|x| x.stage == s)
            .map(|x| crate::time::kst_date(x.at))
    };
    view! {
        <h2>{tr!("협력 진행", "Collaboration")}</h2>
        <p>{format!("{} ↔ {} ({})", c.partner_name, c.expert.name, c.expert.org_name)}
            {c.instrument.map(|h| view! { " · "<span class="muted">{move || pt::help(h, lang.get())}</span> })}</p>
        <ol class="stepper" aria-label=tr!("협력 단계", "Collaboration stages")>
            {[Stage::Matched, Stage::InProgress, Stage::Completed, Stage::Commercialised].into_iter().map(|s| {
                let rank = |x: Stage| Stage::ALL.iter().position(|y| *y == x).unwrap_or(0);
                let done = current != Stage::Dropped && rank(s) <= rank(current);
                let date = dated(s);
                view! {
                    <li class:done=done aria-current=(s == current).then_some("step")>
                        <span class="step-name">{move || pt::stage(s, lang.get())}</span>
                        <span class="muted small">{date.clone().unwrap_or_default()}</span>
                    </li>
                }
            }).collect_view()}
        </ol>
        {(current == Stage::Dropped).then(|| view! { <p class="alert alert-info">{tr!("협력이 중단되었습니다.", "The collaboration was dropped.")}</p> })}
        <ul class="timeline">
            {c.steps.iter().map(|st| {
                let stage = st.stage;
                view! { <li><time>{crate::time::kst(st.at)}</time>" "<strong>{move || pt::stage(stage, lang.get())}</strong>" · "{st.by.name.clone()}
                    {st.note.clone().map(|n| view! { " — "{n} })}</li> }
            }).collect_view()}
        </ul>
        {(allowed && !next.is_empty()).then(|| view! {
            <div class="stage-move">
                <label for="stage-note">{tr!("단계 메모 (선택)", "Note (optional)")}</label>
                <input id="stage-note" type="text" prop:value=note on:input=move |ev| note.set(event_target_value(&ev)) maxlength="500"/>
                <div class="actions">
                    {next.into_iter().map(|s| {
                        let go = move |_| {
                            let m = MoveStage { stage: s, note: Some(note.get_untracked()).filter(|n| !n.trim().is_empty()), instrument: None };
                            act(error, async move { api::problems::move_stage(cid, &m).await }, move |_| version.update(|v| *v += 1));
                        };
                        let class = if s == Stage::Dropped { "btn btn-secondary" } else { "btn btn-primary" };
                        view! { <button type="button" class=class on:click=go>{move || match lang.get() { Lang::Ko => format!("{}(으)로", pt::stage(s, Lang::Ko)), Lang::En => format!("Move to {}", pt::stage(s, Lang::En)) }}</button> }
                    }).collect_view()}
                </div>
                <FormError error=error.error()/>
            </div>
        })}
    }
}

/// Questions and answers.
#[component]
fn Thread(pid: ProblemId, owner: bool) -> impl IntoView {
    let lang = use_lang();
    let version = RwSignal::new(0u32);
    let list = Load::<Vec<MessageView>>::new(move || {
        version.track();
        Some(paths::problem_messages(pid))
    });
    let body = RwSignal::new(String::new());
    let reply_to = RwSignal::new(None::<i64>);
    let error = Submit::new();
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let m = NewMessage {
            parent_id: reply_to.get_untracked(),
            body: body.get_untracked(),
        };
        act(
            error,
            async move { api::problems::post_message(pid, &m).await },
            move |_| {
                body.set(String::new());
                reply_to.set(None);
                version.update(|v| *v += 1);
            },
        );
    };
    view! {
        <h2>{tr!("질문과 답변", "Questions and answers")}</h2>
        <Suspense fallback=Loading>
            {move || list.get().map(|r| match r {
                Err(e) => view! { <ErrorView error=e/> }.into_any(),
                Ok(items) => {
                    let questions: Vec<MessageView> = items.iter().filter(|m| m.parent_id.is_none()).cloned().collect();
                    view! {
                        {questions.is_empty().then(|| view! { <p class="muted">{tr!("아직 질문이 없습니다.", "No questions yet.")}</p> })}
                        <ul class="thread" data-testid="thread">
                            {questions.into_iter().map(|q| {
                                let qid = q.id;
                                let answers: Vec<MessageView> = items.iter().filter(|m| m.parent_id == Some(qid)).cloned().collect();
                                view! {
                                    <li class="message">
                                        <p class="small"><strong>{q.author.name}</strong>" · "{q.author.org_name}" · "<time>{crate::time::kst(q.created_at)}</time></p>
                                        <p class="pre">{q.body}</p>
                                        <ul class="answers">
                                            {answers.into_iter().map(|a| view! {
                                                <li class="message" class:firm=a.from_firm>
                                                    <p class="small"><strong>{a.author.name}</strong>{a.from_firm.then(|| view! { " "<span class="badge">{tr!("기업 답변", "Firm")}</span> })}" · "<time>{crate::time::kst(a.created_at)}</time></p>
                                                    <p class="pre">{a.body}</p>
                                                </li>
                                            }).collect_view()}
                                        </ul>
                                        <button type="button" class="btn-text" on:click=move |_| reply_to.set(Some(qid))>{tr!("답변하기", "Reply")}</button>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }
            })}
        </Suspense>
        <form class="form compact" on:submit=send hidden=move || owner && reply_to.get().is_none()>
            <label for="message-body">{move || match (reply_to.get().is_some(), lang.get()) {
                (true, Lang::Ko) => "답변", (true, Lang::En) => "Answer",
                (false, Lang::Ko) => "질문", (false, Lang::En) => "Question",
            }}</label>
            <textarea id="message-body" rows="3" maxlength=MESSAGE_MAX prop:value=body on:input=move |ev| body.set(event_target_value(&ev))></textarea>
            <FormError error=error.error()/>
            <div class="actions">
                <button type="submit" class="btn btn-primary" disabled=move || owner && reply_to.get().is_none()>
                    {move || if reply_to.get().is_some() { pick(lang.get(), "답변 등록", "Post answer") } else { pick(lang.get(), "질문 등록", "Ask") }}
                </button>
                {move || reply_to.get().map(|_| view! { <button type="button" class="btn-text" on:click=move |_| reply_to.set(None)>{tr!("취소", "Cancel")}</button> })}
            </div>
        </form>
        {owner.then(|| view! { <p class="hint">{tr!("기업은 질문마다 '답변하기'로 답합니다.", "As the firm, answer each question with 'Reply'.")}</p> })}
    }
}

/// The expert's proposal: their own proposal if sent, else the form. The text and
/// its idempotency key stay on the device until the server acknowledged them, so a
/// dropped connection loses nothing and a retry never makes a second proposal.
#[component]
fn ExpertProposal(pid: ProblemId, can_propose: bool, version: RwSignal<u32>) -> impl IntoView {
    let lang = use_lang();
    let own = Load::<Vec<ProposalView>>::new(move || {
        version.track();
        Some(paths::problem_proposals(pid))
    });
    let key = format!("moim.proposal.{pid}");
    let draft: Option<NewProposal> = state::load(&key);
    let approach = RwSignal::new(
        draft
            .as_ref()
            .map(|d| d.approach.clone())
            .unwrap_or_default(),
    );
    let months = RwSignal::new(
        draft
            .as_ref()
            .map(|d| d.duration_months.to_string())
            .unwrap_or_else(|| "6".into()),
    );
    let cost = RwSignal::new(
        draft
            .as_ref()
            .map(|d| d.cost_manwon.to_string())
            .unwrap_or_default(),
    );
    let resources = RwSignal::new(
        draft
            .as_ref()
            .map(|d| d.resources.clone())
            .unwrap_or_default(),
    );
    let ip = RwSignal::new(
        draft
            .as_ref()
            .map(|d| d.ip_terms)
            .unwrap_or(IpTerms::FirmOwns),
    );
    let idem = StoredValue::new(
        draft
            .map(|d| d.idempotency_key)
            .unwrap_or_else(state::new_key),
    );
    let error = Submit::new();
    let withdraw = Callback::new(move |id| {
        act(error, api::problems::withdraw(id), move |_| {
            version.update(|v| *v += 1)
        })
    });
    let build = move || NewProposal {
        approach: approach.get_untracked(),
        duration_months: months.get_untracked().trim().parse().unwrap_or(0),
        cost_manwon: cost
            .get_untracked()
            .trim()
            .replace(',', "")
            .parse()
            .unwrap_or(-1),
        resources: resources.get_untracked(),
        ip_terms: ip.get_untracked(),
        idempotency_key: idem.get_value(),
    };
    let key_store = key.clone();
    Effect::new(move |_| {
        let _ = (
            approach.get(),
            months.get(),
            cost.get(),
            resources.get(),
            ip.get(),
        );
        state::save(&key_store, &build());
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let p = build();
        let key = key.clone();
        error.run(async move {
            api::problems::propose(pid, &p).await?;
            state::forget(&key);
            version.update(|v| *v += 1);
            Ok(())
        });
    };
    view! {
        <h2>{tr!("제안서", "Proposal")}</h2>
        <Suspense fallback=Loading>
            {move || own.get().map(|r| match r {
                Ok(list) if list.iter().any(|p| p.status != ProposalStatus::Withdrawn) || !can_propose && !list.is_empty() => view! {
                    <ul class="proposals">{list.into_iter().map(|p| view! { <ProposalItem p=p withdraw=withdraw/> }).collect_view()}</ul>
                }.into_any(),
                Ok(_) if !can_propose => view! { <p class="muted">{tr!("초대를 받고 서약에 동의하면 제안할 수 있습니다.", "You can propose once invited and the statement is accepted.")}</p> }.into_any(),
                Err(e) => view! { <ErrorView error=e/> }.into_any(),
                Ok(_) => view! {
                    <form class="form compact" on:submit=submit.clone() data-testid="proposal-form">
                        <div class="field"><label for="approach">{tr!("해결 방법", "Approach")}</label>
                            <textarea id="approach" rows="5" maxlength=PROPOSAL_TEXT_MAX prop:value=approach on:input=move |ev| approach.set(event_target_value(&ev))></textarea></div>
                        <div class="row wrap gap">
                            <div class="field"><label for="months">{tr!("기간(개월)", "Duration (months)")}</label>
                                <input id="months" type="number" inputmode="numeric" min="1" max="60" prop:value=months on:input=move |ev| months.set(event_target_value(&ev))/></div>
                            <div class="field"><label for="cost">{tr!("예상 비용(만 원)", "Cost (₩10,000)")}</label>
                                <input id="cost" type="number" inputmode="numeric" min="0" prop:value=cost on:input=move |ev| cost.set(event_target_value(&ev))/></div>
                        </div>
                        <div class="field"><label for="resources">{tr!("제공 역량 (연구실·장비·학생)", "What you bring (lab, equipment, students)")}</label>
                            <textarea id="resources" rows="2" prop:value=resources on:input=move |ev| resources.set(event_target_value(&ev))></textarea></div>
                        <div class="field"><label for="ip">{tr!("지식재산 조건", "IP terms")}</label>
                            <select id="ip" on:change=move |ev| if let Some(t) = IpTerms::from_code(&event_target_value(&ev)) { ip.set(t) }>
                                {IpTerms::ALL.iter().copied().map(|t| view! { <option value=t.code() selected=move || ip.get() == t>{move || pt::ip_terms(t, lang.get())}</option> }).collect_view()}
                            </select></div>
                        <div role="alert">{move || error.error().get().map(|e| view! { <p class="alert alert-error">{error_text(&e, lang.get())}
                            {matches!(e, ClientError::Network).then(|| view! { " "{tr!("작성한 내용은 이 기기에 보관되어 있습니다. 다시 보내도 한 번만 접수됩니다.", "Your text is kept on this device; sending again files it only once.")} })}</p> })}</div>
                        <button type="submit" class="btn btn-primary" disabled=error.pending()>{tr!("제안서 보내기", "Send proposal")}</button>
                    </form>
                }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn ProposalItem(
    p: ProposalView,
    #[prop(optional)] accept: Option<Callback<moim_core::ProposalId>>,
    #[prop(optional)] withdraw: Option<Callback<moim_core::ProposalId>>,
) -> impl IntoView {
    let lang = use_lang();
    let (status, ip, cost, pid) = (p.status, p.ip_terms, p.cost_manwon, p.id);
    view! {
        <li class="card proposal">
            <p><strong>{p.expert.name}</strong>" · "{p.expert.org_name}" "<span class=format!("badge proposal-{}", status.code())>{move || pt::proposal_status(status, lang.get())}</span></p>
            <p class="pre">{p.approach}</p>
            <p class="small">{move || match lang.get() { Lang::Ko => format!("{}개월 · {}", p.duration_months, pt::won(cost, Lang::Ko)), Lang::En => format!("{} months · {}", p.duration_months, pt::won(cost, Lang::En)) }}
                " · "{move || pt::ip_terms(ip, lang.get())}</p>
            {(!p.resources.is_empty()).then(|| view! { <p class="small muted">{p.resources.clone()}</p> })}
            {accept.filter(|_| status == ProposalStatus::Submitted).map(|cb| view! {
                <button type="button" class="btn btn-primary btn-sm" on:click=move |_| cb.run(pid)>{tr!("이 제안 채택", "Accept this proposal")}</button>
            })}
            {withdraw.filter(|_| status == ProposalStatus::Submitted).map(|cb| view! {
                <button type="button" class="btn-text" on:click=move |_| cb.run(pid)>{tr!("제안 철회", "Withdraw")}</button>
            })}
        </li>
    }
}

/// Every proposal, for the firm (who accepts one) and its CMs.
#[component]
fn Proposals(pid: ProblemId, can_accept: bool, version: RwSignal<u32>) -> impl IntoView {
    let list = Load::<Vec<ProposalView>>::new(move || {
        version.track();
        Some(paths::problem_proposals(pid))
    });
    let error = Submit::new();
    let accept = Callback::new(move |id| {
        act(error, api::problems::accept(id, None), move |_| {
            version.update(|v| *v += 1)
        })
    });
    view! {
        <h2>{tr!("받은 제안", "Proposals received")}</h2>
        <FormError error=error.error()/>
        <Suspense fallback=Loading>
            {move || list.get().map(|r| match r {
                Err(e) => view! { <ErrorView error=e/> }.into_any(),
                Ok(items) if items.is_empty() => view! { <p class="muted">{tr!("아직 제안이 없습니다. 추천 전문가를 초대해 보세요.", "No proposals yet. Invite a matched expert.")}</p> }.into_any(),
                Ok(items) => view! {
                    <ul class="proposals" data-testid="proposals">
                        {items.into_iter().map(|p| if can_accept { view! { <ProposalItem p=p accept=accept/> }.into_any() } else { view! { <ProposalItem p=p/> }.into_any() }).collect_view()}
                    </ul>
                }.into_any(),
            })}
        </Suspense>
    }
}

/// The ranked experts with their reasons, and invitations.
#[component]
fn Experts(pid: ProblemId) -> impl IntoView {
    let lang = use_lang();
    let version = RwSignal::new(0u32);
    let list = Load::<Vec<ExpertMatch>>::new(move || {
        version.track();
        Some(paths::problem_experts(pid))
    });
    let error = Submit::new();
    view! {
        <h2>{tr!("추천 전문가", "Matched experts")}</h2>
        <p class="hint">{tr!("분야·키워드·장비·소개·협력 실적으로 순위를 매겼습니다. 초대받은 전문가는 서약 후 상세 내용을 봅니다.", "Ranked by fields, keywords, equipment, bio and past collaborations. Invited experts read the details after the statement.")}</p>
        <FormError error=error.error()/>
        <Suspense fallback=Loading>
            {move || list.get().map(|r| match r {
                Err(e) => view! { <ErrorView error=e/> }.into_any(),
                Ok(items) if items.is_empty() => view! { <p class="muted">{tr!("맞는 전문가를 찾지 못했습니다. 키워드를 보완해 보세요.", "No matching expert. Try more keywords.")}</p> }.into_any(),
                Ok(items) => view! {
                    <ol class="experts" data-testid="experts">
                        {items.into_iter().map(|m| {
                            let eid = m.expert.id;
                            let invited = m.invited;
                            let reasons = m.reasons.clone();
                            let name = m.expert.name.clone();
                            let invite = move |_| act(error, api::problems::invite(pid, eid, ""), move |_| version.update(|v| *v += 1));
                            view! {
                                <li class="card expert">
                                    <p><strong>{m.expert.name}</strong>" · "{m.expert.org_name}{m.department.map(|d| format!(" {d}"))}</p>
                                    <ul class="chips reasons">{move || reasons.iter().map(|r| view! { <li class="chip reason">{pt::reason(r, lang.get())}</li> }).collect_view()}</ul>
                                    {if invited {
                                        view! { <p class="badge">{tr!("초대함", "Invited")}</p> }.into_any()
                                    } else {
                                        view! { <button type="button" class="btn btn-secondary btn-sm" on:click=invite
                                            aria-label=move || match lang.get() { Lang::Ko => format!("{name} 초대"), Lang::En => format!("Invite {name}") }>{tr!("초대", "Invite")}</button> }.into_any()
                                    }}
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                }.into_any(),
            })}
        </Suspense>
    }
}

/// Experts invited and whether they accepted the statement.
#[component]
fn Invitations(pid: ProblemId) -> impl IntoView {
    let lang = use_lang();
    let list = Load::<Vec<InvitationView>>::new(move || Some(paths::problem_invitations(pid)));
    view! {
        <Suspense fallback=Loading>
            {move || list.get().and_then(Result::ok).filter(|l| !l.is_empty()).map(|items| view! {
                <h2 class="h3">{tr!("초대한 전문가", "Invited experts")}</h2>
                <ul class="small" data-testid="invitations">
                    {items.into_iter().map(|i| {
                        let nda = i.nda_accepted_at;
                        view! { <li>{i.expert.name}" · "{i.expert.org_name}" · "
                            {move || match nda { Some(at) => format!("{} {}", pick(lang.get(), "서약 동의", "statement accepted"), crate::time::kst(at)), None => pick(lang.get(), "서약 대기", "statement pending").to_owned() }}</li> }
                    }).collect_view()}
                </ul>
            })}
        </Suspense>
    }
}

#[component]
fn CmNote(pid: ProblemId, version: RwSignal<u32>) -> impl IntoView {
    let note = RwSignal::new(String::new());
    let error = Submit::new();
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let n = note.get_untracked();
        act(
            error,
            async move { api::problems::annotate(pid, &n).await },
            move |_| {
                note.set(String::new());
                version.update(|v| *v += 1);
            },
        );
    };
    view! {
        <form class="form compact" on:submit=save>
            <label for="cm-note">{tr!("CM 메모 (이력에 남습니다)", "CM note (kept in the history)")}</label>
            <input id="cm-note" type="text" maxlength="2000" prop:value=note on:input=move |ev| note.set(event_target_value(&ev))/>
            <FormError error=error.error()/>
            <button type="submit" class="btn btn-secondary btn-sm">{tr!("메모 남기기", "Add note")}</button>
        </form>
    }
}

#[component]
fn History(pid: ProblemId, version: RwSignal<u32>) -> impl IntoView {
    let lang = use_lang();
    let list = Load::<Vec<ProblemEvent>>::new(move || {
        version.track();
        Some(paths::problem_history(pid))
    });
    view! {
        <Suspense fallback=Loading>
            {move || list.get().map(|r| match r {
                Err(e) => view! { <ErrorView error=e/> }.into_any(),
                Ok(items) => view! {
                    <ol class="timeline" data-testid="history">
                        {items.into_iter().map(|e| {
                            let who = e.actor.as_ref().map(|a| a.name.clone()).unwrap_or_default();
                            view! { <li><time>{crate::time::kst(e.at)}</time>" "<span>{move || pt::event(&e, lang.get())}</span>" · "<span class="muted">{who}</span></li> }
                        }).collect_view()}
                    </ol>
                }.into_any(),
            })}
        </Suspense>
    }
}

/// Who opened the details, for the firm.
#[component]
fn Readers(pid: ProblemId) -> impl IntoView {
    let list = Load::<Vec<DetailView>>::new(move || Some(paths::problem_views(pid)));
    view! {
        <Suspense fallback=Loading>
            {move || list.get().map(|r| match r {
                Err(e) => view! { <ErrorView error=e/> }.into_any(),
                Ok(items) if items.is_empty() => view! { <p class="muted small">{tr!("아직 없습니다.", "Nobody yet.")}</p> }.into_any(),
                Ok(items) => view! {
                    <ul class="readers small" data-testid="readers">
                        {items.into_iter().take(20).map(|v| view! { <li>{v.reader.name}" · "{v.reader.org_name}" · "<time>{crate::time::kst(v.at)}</time></li> }).collect_view()}
                    </ul>
                }.into_any(),
            })}
        </Suspense>
    }
}
