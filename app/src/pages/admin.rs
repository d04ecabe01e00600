//! Agency admins: create consortia, help people (a reset link, suspending an
//! account), keep the register of organisations right, and read the whole
//! audit trail.

use crate::{
    api,
    components::{
        audit::AuditList,
        cards::{ErrorView, Loading},
        consortium_form::ConsortiumForm,
        form::{FormError, FormState, TextField},
    },
    i18n::{M, t},
    load::Load,
    state::{use_refs, use_session},
    submit::{Job, Submit, job},
};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use moim_core::{
    FieldErrors, UserId, Validate,
    account::{Role, SUSPEND_REASON_MAX, Suspend, UserSummary},
    consortium::{AuditEntry, EditConsortium},
    paths,
};

#[component]
pub fn AdminPage() -> impl IntoView {
    let session = use_session();
    let is_admin = move || {
        session
            .me
            .with(|m| m.as_ref().is_some_and(|m| m.is_admin()))
    };
    view! {
        <Show when=move || session.ready.get() fallback=Loading>
            <Show when=is_admin fallback=|| view! { <section class="section"><p class="alert alert-error">{t(M::ErrForbidden)}</p></section> }>
                <AdminTools/>
            </Show>
        </Show>
    }
}

#[component]
fn AdminTools() -> impl IntoView {
    use_refs();
    let navigate = use_navigate();
    let audit = Load::<Vec<AuditEntry>>::new(|| Some(paths::AUDIT.to_owned()));
    let save = Callback::new(move |c: EditConsortium| -> Job {
        let navigate = navigate.clone();
        job(async move {
            let view = api::consortia::create(&c).await?;
            navigate(
                &format!("/consortia/{}", view.summary.id),
                Default::default(),
            );
            Ok(())
        })
    });
    view! {
        <section class="section">
            <h1>{t(M::NavAdmin)}</h1>
            <p><a class="btn btn-secondary" href="/cockpit">{crate::tr!("프로그램 성과 현황 (KPI)", "Programme KPI cockpit")}</a></p>
            <div class="layout-2">
                <section class="panel main-col" aria-labelledby="create-h">
                    <h2 id="create-h">{crate::tr!("협의체 만들기", "Create a consortium")}</h2>
                    <ConsortiumForm initial=None submit_label=M::Create save=save/>
                </section>
                <section class="panel side-col" aria-labelledby="audit-h">
                    <h2 id="audit-h">{crate::tr!("처리 기록", "Audit trail")}</h2>
                    <Suspense fallback=Loading>
                        {move || audit.get().map(|r| match r {
                            Err(e) => view! { <ErrorView error=e/> }.into_any(),
                            Ok(list) => view! { <AuditList entries=list/> }.into_any(),
                        })}
                    </Suspense>
                </section>
            </div>
            <PeoplePanel on_change=Callback::new(move |()| audit.refetch())/>
            <super::admin_orgs::OrgsPanel on_change=Callback::new(move |()| audit.refetch())/>
            <super::admin_import::ImportPanel on_change=Callback::new(move |()| audit.refetch())/>
            <super::admin_import::AveragesPanel/>
        </section>
    }
}

/// Finding a person to help: mail them a reset link, suspend or reactivate
/// their account. Each act is in the audit trail.
#[component]
fn PeoplePanel(on_change: Callback<()>) -> impl IntoView {
    let lang = crate::i18n::use_lang();
    let q = RwSignal::new(String::new());
    let asked = RwSignal::new(String::new());
    let found = LocalResource::new(move || {
        let q = asked.get();
        async move {
            if q.trim().is_empty() {
                None
            } else {
                Some(api::admin::users(q.trim()).await)
            }
        }
    });
    let search_form = FormState::new(FieldErrors::default);
    let on_search = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        asked.set(q.get_untracked());
        found.refetch();
    };
    let acting = Submit::new();
    let done = RwSignal::new(None::<String>);
    let suspending = RwSignal::new(None::<UserId>);
    let reason = RwSignal::new(String::new());
    let reason_form = FormState::new(move || {
        Suspend {
            reason: reason.get(),
        }
        .validate()
        .err()
        .unwrap_or_default()
    });
    let suspend_submit = Submit::for_form(reason_form);
    let after = move |text: String| {
        done.set(Some(text));
        suspending.set(None);
        found.refetch();
        on_change.run(());
    };
    view! {
        <section class="panel" aria-labelledby="people-h">
            <h2 id="people-h">{crate::tr!("회원 찾기", "Find a person")}</h2>
            <form class="row" on:submit=on_search role="search">
                <TextField form=search_form name="q" label=("이름 또는 이메일", "Name or email") value=q kind="search" maxlength=100/>
                <button type="submit" class="btn btn-secondary">{crate::tr!("찾기", "Search")}</button>
            </form>
            <FormError error=acting.error()/>
            <div role="status">{move || done.get().map(|d| view! { <p class="status-line ok">{d}</p> })}</div>
            <Suspense fallback=Loading>
                {move || found.get().flatten().map(|r| match r {
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                    Ok(people) if people.is_empty() => view! { <p class="muted">{crate::tr!("찾는 사람이 없습니다.", "Nobody found.")}</p> }.into_any(),
                    Ok(people) => view! {
                        <ul class="member-list" data-testid="people">
                            {people.into_iter().map(|p: UserSummary| {
                                let (id, name) = (p.id, p.name.clone());
                                let send_link = {
                                    let name = name.clone();
                                    move |_| {
                                        let name = name.clone();
                                        acting.run(async move {
                                            api::admin::send_reset_link(id).await?;
                                            after(format!("{name}: {}", crate::i18n::pick(lang.get_untracked(), "비밀번호 재설정 메일을 보냈습니다.", "a reset link is on its way.")));
                                            Ok(())
                                        });
                                    }
                                };
                                let reset_factor = {
                                    let name = name.clone();
                                    move |_| {
                                        let name = name.clone();
                                        acting.run(async move {
                                            api::admin::reset_second_factor(id).await?;
                                            after(format!("{name}: {}", crate::i18n::pick(lang.get_untracked(), "2단계 인증을 초기화했습니다. 이제 비밀번호만으로 로그인합니다.", "two-step sign-in removed: the password alone signs in now.")));
                                            Ok(())
                                        });
                                    }
                                };
                                let make_rep = {
                                    let name = name.clone();
                                    move |_| {
                                        let name = name.clone();
                                        acting.run(async move {
                                            api::admin::make_representative(id).await?;
                                            after(format!("{name}: {}", crate::i18n::pick(lang.get_untracked(), "기관 대표자로 지정했습니다.", "now represents their organisation.")));
                                            Ok(())
                                        });
                                    }
                                };
                                let reactivate = move |_| {
                                    acting.run(async move {
                                        api::admin::reactivate(id).await?;
                                        after(crate::i18n::pick(lang.get_untracked(), "정지를 해제했습니다.", "Reactivated.").to_owned());
                                        Ok(())
                                    });
                                };
                                let confirm = move |ev: leptos::ev::SubmitEvent| {
                                    ev.prevent_default();
                                    if !reason_form.submit() {
                                        return;
                                    }
                                    let why = reason.get_untracked();
                                    suspend_submit.run(async move {
                                        api::admin::suspend(id, why.trim()).await?;
                                        reason.set(String::new());
                                        after(crate::i18n::pick(lang.get_untracked(), "계정을 정지했습니다. 로그인된 기기는 모두 로그아웃되었습니다.", "Suspended; every browser of the account was signed out.").to_owned());
                                        Ok(())
                                    });
                                };
                                view! {
                                    <li>
                                        <span class="org">{name}</span>
                                        {(p.role == Role::Admin).then(|| view! { <span class="badge">{crate::tr!("관리자", "Admin")}</span> })}
                                        {p.suspended.then(|| view! { <span class="badge badge-muted">{crate::tr!("정지됨", "Suspended")}</span> })}
                                        {p.second_factor.then(|| view! { <span class="badge">{crate::tr!("2단계 인증", "Two-step")}</span> })}
                                        {p.representative.then(|| view! { <span class="badge">{crate::tr!("기관 대표자", "Representative")}</span> })}
                                        <span class="muted">{p.email}" · "{p.org_name}</span>
                                        <button type="button" class="btn btn-secondary btn-sm" on:click=send_link disabled=acting.pending()>{crate::tr!("재설정 메일 보내기", "Send a reset link")}</button>
                                        {(!p.representative).then(|| view! {
                                            <button type="button" class="btn btn-secondary btn-sm" on:click=make_rep disabled=acting.pending()>{crate::tr!("기관 대표자로 지정", "Make representative")}</button>
                                        })}
                                        {p.second_factor.then(|| view! {
                                            <button type="button" class="btn btn-secondary btn-sm" on:click=reset_factor disabled=acting.pending()>{crate::tr!("2단계 인증 초기화", "Reset two-step sign-in")}</button>
                                        })}
                                        {if p.suspended {
                                            view! { <button type="button" class="btn btn-secondary btn-sm" on:click=reactivate disabled=acting.pending()>{crate::tr!("정지 해제", "Reactivate")}</button> }.into_any()
                                        } else {
                                            view! { <button type="button" class="btn btn-secondary btn-sm" on:click=move |_| { done.set(None); suspending.set(Some(id)) }>{crate::tr!("계정 정지", "Suspend")}</button> }.into_any()
                                        }}
                                        <Show when=move || suspending.get() == Some(id)>
                                            <form class="stack" on:submit=confirm novalidate>
                                                <TextField form=reason_form name="reason" label=("정지 사유 (본인에게 보입니다)", "Reason (the person sees it)") value=reason maxlength=SUSPEND_REASON_MAX required=true/>
                                                <FormError error=suspend_submit.error()/>
                                                <button type="submit" class="btn btn-primary btn-sm" disabled=suspend_submit.pending()>{crate::tr!("정지하기", "Suspend the account")}</button>
                                            </form>
                                        </Show>
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
