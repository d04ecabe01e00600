//! A consortium's page: what it is, who runs it, who is in it, and what the
//! signed-in person can do here (join, withdraw, accept, leave, manage).

mod admin;
mod manage;

use super::decision::DecisionForm;
use crate::{
    api,
    components::{
        cards::{ErrorView, Loading},
        form::{FormError, FormState, TextField},
    },
    i18n::{self, M, t, use_lang},
    load::Load,
    state::use_session,
    submit::{Job, Submit, job},
};
use leptos::prelude::*;
use leptos_router::components::A;
use moim_core::{
    ConsortiumId, JoinRequestId, Validate,
    consortium::{ConsortiumStatus, ConsortiumView, CreateJoinRequest, Standing},
    paths,
    validate::MOTIVATION_MAX,
};

#[component]
pub fn ConsortiumPage() -> impl IntoView {
    let session = use_session();
    let raw = crate::routing::id_param("id");
    let id = Memo::new(move |_| raw.get().map(ConsortiumId));
    let page = Load::<ConsortiumView>::new(move || {
        // Read again when the person signs in or out: what they may see changes.
        let _ = session.me.with(|m| m.as_ref().map(|m| m.id));
        id.get().map(paths::consortium)
    });
    let reload = Callback::new(move |()| page.refetch());
    view! {
        <Suspense fallback=Loading>
            {move || page.get().map(|r| match r {
                Err(e) => view! { <section class="section"><ErrorView error=e/></section> }.into_any(),
                Ok(c) => view! { <ConsortiumDetail c=c reload=reload/> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn ConsortiumDetail(c: ConsortiumView, reload: Callback<()>) -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let is_admin = session
        .me
        .with_untracked(|m| m.as_ref().is_some_and(|m| m.is_admin()));
    let s = c.summary.clone();
    let (kind, region, id) = (s.kind, s.region, s.id);
    let archived = s.status == ConsortiumStatus::Archived;
    let counts = c.counts.clone();
    let term = match (c.term_start, c.term_end) {
        (Some(a), Some(b)) => Some(format!("{a} ~ {b}")),
        (None, Some(b)) => Some(format!("~ {b}")),
        _ => None,
    };
    let managers = c.managers.clone();
    let members = c.members.clone();
    let manages = c.can_manage;
    // A CM whose own organisation has no tie here runs the consortium; a join form is noise.
    let show_standing = !(c.can_manage && c.standing == Standing::None);
    view! {
        <article class="section consortium" aria-labelledby="c-title">
            <p class="crumbs"><a href="/consortia">{t(M::NavConsortia)}</a></p>
            <h1 id="c-title">{s.name.clone()}</h1>
            <p class="meta">
                <span class="badge">{move || i18n::consortium_kind(kind, lang.get())}</span>
                {archived.then(|| view! { <span class="badge badge-muted">{t(M::Archived)}</span> })}
                {s.is_sample.then(|| view! { <span class="badge badge-sample">{t(M::SampleBadge)}</span> })}
                <span class="where">{move || i18n::region(region, lang.get())}" · "{s.complex_name.clone()}" · "{s.field_name.clone()}</span>
            </p>
            {term.map(|term| view! { <p class="term">{crate::tr!("운영 기간", "Term")}": "{term}</p> })}
            {c.origin.clone().map(|o| view! {
                <p class="term" data-testid="origin">
                    {crate::tr!("운영기관", "Operator")}": "<strong>{o.operator}</strong>" · "
                    {crate::tr!("공모 선정", "Selected in")}": "
                    <leptos_router::components::A href=format!("/calls/{}", o.call_id)>{o.call_title}</leptos_router::components::A>
                </p>
            })}
            <div class="layout-2">
                <div class="main-col">
                    <section aria-labelledby="about-h" class="panel">
                        <h2 id="about-h">{t(M::Description)}</h2>
                        {if c.description.trim().is_empty() {
                            view! { <p class="hint">{crate::tr!("아직 소개가 없습니다.", "No description yet.")}</p> }.into_any()
                        } else {
                            view! { <p class="prose">{c.description.clone()}</p> }.into_any()
                        }}
                    </section>
                    {show_standing.then(|| view! { <Standing c=c.clone() reload=reload/> })}
                    <section aria-labelledby="members-h" class="panel">
                        <h2 id="members-h">{t(M::Members)}" "<span class="num">{i18n::number(counts.total())}</span></h2>
                        <dl class="counts">
                            <div><dt>{crate::tr!("기업", "Firms")}</dt><dd>{counts.firms}</dd></div>
                            <div><dt>{crate::tr!("대학", "Universities")}</dt><dd>{counts.universities}</dd></div>
                            <div><dt>{crate::tr!("연구기관", "Institutes")}</dt><dd>{counts.institutes}</dd></div>
                            <div><dt>{crate::tr!("지원기관", "Agencies")}</dt><dd>{counts.agencies}</dd></div>
                        </dl>
                        {match members {
                            None => view! { <p class="hint">{crate::tr!("회원 기관 목록은 협의체 회원과 CM에게만 공개됩니다.", "The member list is visible to members and CMs only.")}</p> }.into_any(),
                            Some(list) => view! {
                                <ul class="member-list" data-testid="member-list">
                                    {list.into_iter().map(|m| {
                                        let k = m.organisation.kind;
                                        // A CM reads the figures of the consortium's firms.
                                        let figures = (manages && k == moim_core::account::OrgKind::Firm)
                                            .then(|| format!("/orgs/{}/figures", m.organisation.id));
                                        view! {
                                            <li>
                                                <span class="org">{m.organisation.name}</span>
                                                {figures.map(|href| view! { <leptos_router::components::A href=href>{crate::tr!("성과 현황", "Figures")}</leptos_router::components::A> })}
                                                {m.organisation.is_sample.then(|| view! { <span class="badge badge-sample">{t(M::SampleBadge)}</span> })}
                                                <span class="muted">{move || i18n::org_kind(k, lang.get())}{m.organisation.complex_name.map(|c| format!(" · {c}"))}" · "{crate::time::kst_date(m.joined_at)}</span>
                                            </li>
                                        }
                                    }).collect_view()}
                                </ul>
                            }.into_any(),
                        }}
                    </section>
                    <p class="actions">
                        <leptos_router::components::A href=format!("/problems?consortium={id}") attr:class="btn btn-secondary btn-sm">{crate::tr!("이 협의체의 애로과제", "This consortium's problems")}</leptos_router::components::A>
                        {c.can_manage.then(|| view! { <leptos_router::components::A href=format!("/problems/board/{id}") attr:class="btn btn-primary btn-sm">{crate::tr!("과제 보드", "Problem board")}</leptos_router::components::A> })}
                    </p>
                    {c.can_manage.then(|| Suspend::new(consortium_manage((id, reload))))}
                    {is_admin.then(|| Suspend::new(consortium_admin((c.clone(), reload))))}
                </div>
                <aside class="side-col">
                    <section aria-labelledby="cm-h" class="panel">
                        <h2 id="cm-h">{crate::tr!("클러스터 매니저(CM)", "Cluster managers (CM)")}</h2>
                        {if managers.is_empty() {
                            view! { <p class="muted">{crate::tr!("지정된 CM이 없습니다.", "No CM appointed yet.")}</p> }.into_any()
                        } else {
                            view! { <ul class="plain">{managers.into_iter().map(|m| view! { <li><strong>{m.name}</strong><br/><span class="muted">{m.org_name}</span></li> }).collect_view()}</ul> }.into_any()
                        }}
                    </section>
                    <section aria-labelledby="act-h" class="panel">
                        <h2 id="act-h">{crate::tr!("활동", "Activity")}</h2>
                        <dl class="counts">
                            <div><dt>{crate::tr!("최근 1년 신규 가입", "Joined in the last year")}</dt><dd>{c.activity.joined_last_year}</dd></div>
                            <div><dt>{crate::tr!("결정 대기", "Awaiting decision")}</dt><dd>{c.activity.pending}</dd></div>
                            <div><dt>{crate::tr!("처리된 신청", "Decisions made")}</dt><dd>{c.activity.decisions}</dd></div>
                        </dl>
                    </section>
                </aside>
            </div>
        </article>
    }
}

/// What the signed-in person's organisation can do here.
#[component]
fn Standing(c: ConsortiumView, reload: Callback<()>) -> impl IntoView {
    let session = use_session();
    let id = c.summary.id;
    let archived = c.summary.status == ConsortiumStatus::Archived;
    let representative = session
        .me
        .with_untracked(|m| m.as_ref().is_some_and(|m| m.is_representative()));
    let act = Submit::new();
    let busy = act.pending();
    let run = move |fut: Job| {
        act.run(async move {
            fut.await?;
            reload.run(());
            Ok(())
        })
    };
    let body = match c.standing {
        Standing::Anonymous => view! {
            <p>{crate::tr!("가입을 신청하려면 로그인하세요.", "Sign in to ask to join.")}</p>
            <p><A href=format!("/signin?next=/consortia/{id}") attr:class="btn btn-primary">{t(M::SignIn)}</A></p>
        }
        .into_any(),
        Standing::Unconfirmed => view! { <p>{crate::tr!("소속 기관 대표자가 회원님을 확인하면 기관을 대표해 가입을 신청하고 회원 기관 목록을 볼 수 있습니다.", "Once your organisation's representative confirms you, you can ask to join for it and see member lists.")}</p> }.into_any(),
        Standing::None if archived => view! { <p>{t(M::ErrArchived)}</p> }.into_any(),
        Standing::None => view! { <JoinForm id=id reload=reload/> }.into_any(),
        Standing::Pending { request_id } => view! {
            <p class="status-line">{crate::tr!("가입 신청이 CM의 결정을 기다리고 있습니다.", "Your request is waiting for the CM's decision.")}</p>
            <button type="button" class="btn btn-secondary" disabled=busy
                on:click=move |_| run(job(async move { api::consortia::withdraw(request_id).await.map(|_| ()) }))>{crate::tr!("신청 취소", "Withdraw")}</button>
        }
        .into_any(),
        Standing::Invited { request_id } if representative => view! { <InvitationAnswer request_id=request_id reload=reload/> }.into_any(),
        Standing::Invited { .. } => view! { <p>{crate::tr!("이 협의체에서 우리 기관을 초대했습니다.", "This consortium invited your organisation.")}</p><p class="hint">{crate::tr!("탈퇴와 초대 수락은 기관 대표자가 할 수 있습니다.", "Only your organisation's representative can leave or accept invitations.")}</p> }.into_any(),
        Standing::Member => {
            let confirm = RwSignal::new(false);
            view! {
                <p class="status-line ok">{crate::tr!("우리 기관은 이 협의체의 회원입니다.", "Your organisation is a member.")}</p>
                {if representative {
                    view! {
                        <Show when=move || confirm.get() fallback=move || view! {
                            <button type="button" class="btn btn-secondary" on:click=move |_| confirm.set(true)>{crate::tr!("협의체 탈퇴", "Leave consortium")}</button>
                        }>
                            <p role="alert">{crate::tr!("정말 탈퇴하시겠습니까? 다시 가입하려면 신청해야 합니다.", "Leave this consortium? Rejoining needs a new request.")}</p>
                            <div class="row">
                                <button type="button" class="btn btn-danger" disabled=busy
                                    on:click=move |_| run(job(async move { api::consortia::leave(id).await }))>{crate::tr!("협의체 탈퇴", "Leave consortium")}</button>
                                <button type="button" class="btn btn-secondary" on:click=move |_| confirm.set(false)>{crate::tr!("취소", "Cancel")}</button>
                            </div>
                        </Show>
                    }.into_any()
                } else {
                    view! { <p class="hint">{crate::tr!("탈퇴와 초대 수락은 기관 대표자가 할 수 있습니다.", "Only your organisation's representative can leave or accept invitations.")}</p> }.into_any()
                }}
            }
            .into_any()
        }
    };
    view! {
        <section aria-labelledby="standing-h" class="panel panel-action">
            <h2 id="standing-h">{crate::tr!("참여 현황", "Membership")}</h2>
            {body}
            <FormError error=act.error()/>
        </section>
    }
}

#[component]
fn JoinForm(id: ConsortiumId, reload: Callback<()>) -> impl IntoView {
    let motivation = RwSignal::new(String::new());
    let form = FormState::new(move || {
        CreateJoinRequest {
            motivation: motivation.get(),
        }
        .validate()
        .err()
        .unwrap_or_default()
    });
    let ask = Submit::for_form(form);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !form.submit() {
            return;
        }
        ask.run(async move {
            api::consortia::ask_to_join(id, motivation.get_untracked()).await?;
            reload.run(());
            Ok(())
        });
    };
    view! {
        <form class="stack" on:submit=on_submit novalidate>
            <TextField form=form name="motivation" label=("신청 사유", "Motivation") value=motivation hint=("우리 기관이 협의체에서 하고 싶은 일을 적어 주세요.", "Tell the CM what your organisation wants to do here.") maxlength=MOTIVATION_MAX multiline=true required=true/>
            <FormError error=ask.error()/>
            <button type="submit" class="btn btn-primary" disabled=ask.pending()>{crate::tr!("신청하기", "Send request")}</button>
        </form>
    }
}

#[component]
fn InvitationAnswer(request_id: JoinRequestId, reload: Callback<()>) -> impl IntoView {
    view! {
        <p>{crate::tr!("이 협의체에서 우리 기관을 초대했습니다.", "This consortium invited your organisation.")}</p>
        <DecisionForm request_id=request_id accept_label=M::Accept reload=reload/>
    }
}

/// The CM's panel, a module of its own (the server names it in the HTML for CMs
/// and admins, `core::routes`).
#[leptos::lazy]
fn consortium_manage(args: (ConsortiumId, Callback<()>)) -> AnyView {
    view! { <manage::ManagePanel id=args.0 reload=args.1/> }.into_any()
}

/// The admin's panel, likewise.
#[leptos::lazy]
fn consortium_admin(args: (ConsortiumView, Callback<()>)) -> AnyView {
    view! { <admin::AdminPanel c=args.0 reload=args.1/> }.into_any()
}
