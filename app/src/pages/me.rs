//! My account: details, organisation, its requests and invitations, consortia,
//! and the expert profile.

use super::decision::DecisionForm;
use crate::{
    api,
    components::{
        cards::{ConsortiumCard, ErrorView, Loading, SignedIn},
        form::{FormError, FormState, TextField},
    },
    i18n::{self, M, t, use_lang},
    load::Load,
    state::use_session,
    submit::Submit,
};
use leptos::prelude::*;
use leptos_router::components::A;
use moim_core::{
    Page, UserId, Validate,
    account::{Affiliation, Colleague, ExpertProfile, OrgKind, Representation, UpdateAccount},
    consortium::{ConsortiumQuery, ConsortiumSummary, JoinRequestView, RequestKind, RequestStatus},
    paths,
    validate::{BIO_MAX, DEPARTMENT_MAX, EQUIPMENT_MAX, PERSON_NAME_MAX},
};

/// The pages of one's account, in one module: the account itself, and its
/// security (password, signed-in browsers).
#[component]
pub fn AccountPages() -> impl IntoView {
    let path = leptos_router::hooks::use_location().pathname;
    let which = Memo::new(move |_| path.get());
    move || match which.get().trim_end_matches('/') {
        "/me/security" => view! { <super::security::SecurityPage/> }.into_any(),
        _ => view! { <MePage/> }.into_any(),
    }
}

#[component]
pub fn MePage() -> impl IntoView {
    view! { <SignedIn next="/me"><MyAccount/></SignedIn> }
}

#[component]
fn MyAccount() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let me = session.me.get_untracked();
    let Some(me) = me else { return ().into_any() };
    let representative = me.is_representative();
    let org = me.organisation.clone();
    let requests = Load::<Vec<JoinRequestView>>::new(|| Some(paths::MY_REQUESTS.to_owned()));
    let mine = Load::<Page<ConsortiumSummary>>::new(|| {
        Some(paths::consortia(&ConsortiumQuery {
            mine: Some(true),
            per_page: Some(50),
            ..Default::default()
        }))
    });
    let reload = Callback::new(move |()| {
        requests.refetch();
        mine.refetch();
    });

    let name = RwSignal::new(me.name.clone());
    let department = RwSignal::new(me.department.clone().unwrap_or_default());
    let is_expert = RwSignal::new(me.is_expert);
    let saved = RwSignal::new(false);
    let account = move || UpdateAccount {
        name: name.get(),
        department: Some(department.get()),
        is_expert: is_expert.get(),
    };
    let form = FormState::new(move || account().validate().err().unwrap_or_default());
    let submit = Submit::for_form(form);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        if !form.submit() {
            return;
        }
        let req = account();
        submit.run(async move {
            session.set(api::auth::update_account(&req).await?);
            saved.set(true);
            Ok(())
        });
    };
    let org_kind = org.kind;
    let affiliation = me.affiliation;
    view! {
        <section class="section">
            <h1>{t(M::NavMe)}</h1>
            {match affiliation {
                Affiliation::Confirmed => None,
                Affiliation::Pending => Some(view! { <p class="alert alert-info" role="status">{crate::tr!("소속 기관 대표자의 확인을 기다리고 있습니다. 확인 전에는 기관을 대표해 활동할 수 없습니다.", "Waiting for your organisation's representative to confirm you. Until then you cannot act for it.")}</p> }.into_any()),
                Affiliation::Declined => Some(view! { <p class="alert alert-error" role="status">{crate::tr!("소속 기관 대표자가 소속 확인을 거절했습니다. 기관을 대표해 활동할 수 없습니다.", "Your organisation's representative declined your affiliation. You cannot act for it.")}</p> }.into_any()),
            }}
            <div class="layout-2">
                <div class="main-col">
                    <section class="panel" aria-labelledby="org-h">
                        <h2 id="org-h">{crate::tr!("소속 기관", "My organisation")}</h2>
                        <p><strong>{org.name.clone()}</strong>" "<span class="badge">{move || i18n::org_kind(org_kind, lang.get())}</span>
                            {org.is_sample.then(|| view! { <span class="badge badge-sample">{t(M::SampleBadge)}</span> })}</p>
                        {org.business_no.clone().map(|b| view! { <p class="muted">{t(M::BusinessNo)}": "{b}</p> })}
                        {representative.then(|| view! { <p class="status-line ok">{crate::tr!("기관 대표자", "Representative")}</p> })}
                        {(org_kind == OrgKind::Firm && affiliation == Affiliation::Confirmed).then(|| view! {
                            <p><A href=format!("/orgs/{}/figures", org.id)>{crate::tr!("기업 성과 현황 (매출·수출·연구개발비·인증) 입력", "Enter the firm's figures (sales, exports, R&D, certifications)")}</A></p>
                        })}
                        <p><A href="/surveys">{crate::tr!("설문·성과조사 응답", "Surveys to answer")}</A></p>
                    </section>
                    {representative.then(|| view! { <ColleaguesPanel/> })}
                    {(affiliation == Affiliation::Confirmed).then(|| view! { <HandoverPanel/> })}
                    <section class="panel" aria-labelledby="req-h">
                        <h2 id="req-h">{crate::tr!("우리 기관의 신청과 초대", "My organisation's requests and invitations")}</h2>
                        <Suspense fallback=Loading>
                            {move || requests.get().map(|r| match r {
                                Err(e) => view! { <ErrorView error=e/> }.into_any(),
                                Ok(list) if list.is_empty() => view! { <p class="muted">{crate::tr!("신청이 없습니다.", "No requests.")}</p> }.into_any(),
                                Ok(list) => view! {
                                    <ul class="requests">
                                        {list.into_iter().map(|r| {
                                            let (status, kind, rid) = (r.status, r.kind, r.id);
                                            let answer = status == RequestStatus::Pending && kind == RequestKind::Invitation && representative;
                                            view! {
                                                <li class="request">
                                                    <p class="request-head">
                                                        <A href=format!("/consortia/{}", r.consortium_id)>{r.consortium_name}</A>
                                                        <span class="badge">{move || i18n::request_status(status, lang.get())}</span>
                                                        {(kind == RequestKind::Invitation).then(|| view! { <span class="badge badge-muted">{crate::tr!("기관 초대", "Invite an organisation")}</span> })}
                                                    </p>
                                                    <p class="muted">{r.opened_by.name}" · "{crate::time::kst(r.created_at)}</p>
                                                    {r.reason.map(|reason| view! { <p class="muted">{crate::tr!("사유", "Reason")}": "{reason}</p> })}
                                                    {answer.then(|| view! { <DecisionForm request_id=rid accept_label=M::Accept reload=reload/> })}
                                                </li>
                                            }
                                        }).collect_view()}
                                    </ul>
                                }.into_any(),
                            })}
                        </Suspense>
                    </section>
                    <section class="panel" aria-labelledby="mine-h">
                        <h2 id="mine-h">{crate::tr!("내 협의체", "My consortia")}</h2>
                        <Suspense fallback=Loading>
                            {move || mine.get().map(|r| match r {
                                Err(e) => view! { <ErrorView error=e/> }.into_any(),
                                Ok(page) if page.items.is_empty() => view! { <p class="muted">{crate::tr!("조건에 맞는 협의체가 없습니다.", "No consortium matches.")}</p> }.into_any(),
                                Ok(page) => view! { <ul class="cards">{page.items.into_iter().map(|c| view! { <ConsortiumCard c=c/> }).collect_view()}</ul> }.into_any(),
                            })}
                        </Suspense>
                    </section>
                </div>
                <aside class="side-col">
                    <section class="panel" aria-labelledby="acct-h">
                        <h2 id="acct-h">{crate::tr!("계정", "Account")}</h2>
                        <p class="muted">{me.email.clone()}" "
                            {(!me.email_verified).then(|| view! { <a href="/me/security#email" class="badge badge-warn">{crate::tr!("인증 전", "Not verified")}</a> })}</p>
                        <form class="stack" on:submit=save novalidate>
                            <TextField form=form name="name" label=("이름", "Full name") value=name maxlength=PERSON_NAME_MAX required=true/>
                            <TextField form=form name="department" label=("학과·부서·연구실", "Department or lab") value=department maxlength=DEPARTMENT_MAX/>
                            <label class="check">
                                <input type="checkbox" prop:checked=is_expert on:change=move |ev| is_expert.set(event_target_checked(&ev))/>
                                {crate::tr!("전문가 프로필을 운영합니다 (교수·연구원)", "I keep an expert profile (professor, researcher)")}
                            </label>
                            <FormError error=submit.error()/>
                            <Show when=move || saved.get()><p class="status-line ok" role="status">{crate::tr!("저장했습니다.", "Saved.")}</p></Show>
                            <button type="submit" class="btn btn-primary" disabled=submit.pending()>{t(M::Save)}</button>
                        </form>
                        <p><a href="/me/security" class="btn btn-secondary btn-block">{crate::tr!("이메일, 비밀번호, 로그인된 기기", "Email, password and signed-in browsers")}</a></p>
                        <p><a href="/api/me/export" download class="btn btn-secondary btn-block">{crate::tr!("내 정보 내려받기 (JSON)", "Download my data (JSON)")}</a></p>
                    </section>
                    <Show when=move || session.me.with(|m| m.as_ref().is_some_and(|m| m.is_expert))>
                        <ExpertProfileForm/>
                    </Show>
                </aside>
            </div>
        </section>
    }
    .into_any()
}

/// The representative confirms or declines people who signed up into the organisation.
#[component]
fn ColleaguesPanel() -> impl IntoView {
    let list = Load::<Vec<Colleague>>::new(|| Some(paths::COLLEAGUES.to_owned()));
    let act = Submit::new();
    let answer = move |id: UserId, confirm: bool| {
        act.run(async move {
            api::auth::confirm_colleague(id, confirm).await?;
            list.refetch();
            Ok(())
        });
    };
    view! {
        <section class="panel" aria-labelledby="colleagues-h">
            <h2 id="colleagues-h">{crate::tr!("소속 확인 요청", "Colleagues to confirm")}</h2>
            <Suspense fallback=Loading>
                {move || list.get().map(|r| match r {
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                    Ok(people) if people.is_empty() => view! { <p class="muted">{crate::tr!("확인을 기다리는 사람이 없습니다.", "Nobody is waiting for confirmation.")}</p> }.into_any(),
                    Ok(people) => view! {
                        <ul class="requests" data-testid="colleagues">
                            {people.into_iter().map(|p| {
                                let (uid, declined) = (p.id, p.affiliation == Affiliation::Declined);
                                view! {
                                    <li class="request">
                                        <p class="request-head"><strong>{p.name}</strong>
                                            {declined.then(|| view! { <span class="badge badge-muted">{crate::tr!("거절됨", "Declined")}</span> })}</p>
                                        <p class="muted">{p.email}{p.department.map(|d| format!(" · {d}"))}" · "{crate::time::kst(p.created_at)}</p>
                                        <div class="row">
                                            <button type="button" class="btn btn-primary btn-sm" on:click=move |_| answer(uid, true)>{crate::tr!("소속 확인", "Confirm")}</button>
                                            {(!declined).then(|| view! {
                                                <button type="button" class="btn btn-secondary btn-sm" on:click=move |_| answer(uid, false)>{crate::tr!("거절", "Decline")}</button>
                                            })}
                                        </div>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                })}
            </Suspense>
            <FormError error=act.error()/>
        </section>
    }
}

fn words(s: &str) -> Vec<String> {
    s.split([',', '，'])
        .map(|w| w.trim().to_owned())
        .filter(|w| !w.is_empty())
        .collect()
}

#[component]
fn ExpertProfileForm() -> impl IntoView {
    let fields = RwSignal::new(String::new());
    let keywords = RwSignal::new(String::new());
    let equipment = RwSignal::new(String::new());
    let bio = RwSignal::new(String::new());
    let saved = RwSignal::new(false);
    let loaded = Load::<ExpertProfile>::new(|| Some(paths::EXPERT_PROFILE.to_owned()));
    Effect::new(move |_| {
        if let Some(Ok(p)) = loaded.get() {
            fields.set(p.fields.join(", "));
            keywords.set(p.keywords.join(", "));
            equipment.set(p.equipment);
            bio.set(p.bio);
        }
    });
    let profile = move || ExpertProfile {
        fields: words(&fields.get()),
        keywords: words(&keywords.get()),
        equipment: equipment.get(),
        bio: bio.get(),
    };
    let form = FormState::new(move || profile().validate().err().unwrap_or_default());
    let submit = Submit::for_form(form);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        if !form.submit() {
            return;
        }
        let p = profile();
        submit.run(async move {
            api::auth::save_expert_profile(&p).await?;
            saved.set(true);
            Ok(())
        });
    };
    view! {
        <section class="panel" aria-labelledby="expert-h">
            <h2 id="expert-h">{crate::tr!("전문가 프로필", "Expert profile")}</h2>
            {move || loaded.get().and_then(Result::err).map(|e| view! { <ErrorView error=e/> })}
            <form class="stack" on:submit=save novalidate>
                <TextField form=form name="fields" label=("전문 분야 (쉼표로 구분)", "Fields (comma-separated)") value=fields/>
                <TextField form=form name="keywords" label=("키워드 (쉼표로 구분)", "Keywords (comma-separated)") value=keywords/>
                <TextField form=form name="equipment" label=("보유 장비", "Lab equipment") value=equipment maxlength=EQUIPMENT_MAX multiline=true/>
                <TextField form=form name="bio" label=("소개", "Bio") value=bio maxlength=BIO_MAX multiline=true/>
                <FormError error=submit.error()/>
                <Show when=move || saved.get()><p class="status-line ok" role="status">{crate::tr!("저장했습니다.", "Saved.")}</p></Show>
                <button type="submit" class="btn btn-primary" disabled=submit.pending()>{t(M::Save)}</button>
            </form>
        </section>
    }
}

/// Who represents the organisation; the representative hands the role to a
/// confirmed colleague, who accepts it here.
#[component]
fn HandoverPanel() -> impl IntoView {
    let session = use_session();
    let me = session.me.with_untracked(|m| m.as_ref().map(|m| m.id));
    let state = Load::<Representation>::new(|| Some(paths::HANDOVER.to_owned()));
    let act = Submit::new();
    let chosen = RwSignal::new(String::new());
    let offer = move |_| {
        let Some(to) = chosen.get_untracked().parse().ok().map(UserId) else {
            return;
        };
        act.run(async move {
            api::auth::offer_handover(to).await?;
            chosen.set(String::new());
            state.refetch();
            Ok(())
        });
    };
    let withdraw = move |_| {
        act.run(async move {
            api::auth::withdraw_handover().await?;
            chosen.set(String::new());
            state.refetch();
            Ok(())
        });
    };
    let accept = move |_| {
        act.run(async move {
            session.set(api::auth::accept_handover().await?);
            // The page is drawn for a representative now (its panels and answers).
            if let Some(w) = web_sys::window() {
                let _ = w.location().reload();
            }
            Ok(())
        });
    };
    view! {
        <section class="panel stack" id="handover" aria-labelledby="handover-h">
            <h2 id="handover-h">{crate::tr!("대표자 역할", "The representative's role")}</h2>
            <Suspense fallback=Loading>
                {move || state.get().map(|r| match r {
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                    Ok(r) => {
                        let mine = r.representative.as_ref().map(|p| p.id) == me;
                        let offered_to_me = r.offered_to.as_ref().map(|p| p.id) == me;
                        let rep_name = r.representative.as_ref().map(|p| p.name.clone());
                        view! {
                            <p data-testid="representative">{rep_name.clone().unwrap_or_else(|| "-".into())}</p>
                            {(offered_to_me).then(|| view! {
                                <p class="alert alert-info">{rep_name.clone().unwrap_or_default()}{crate::tr!("님이 기관 대표자 역할을 넘기려 합니다. 수락하면 소속 확인과 초대 응답을 맡게 됩니다.", " would hand you the representative's role: confirming colleagues and answering invitations.")}</p>
                                <button type="button" class="btn btn-primary" on:click=accept disabled=act.pending()>{crate::tr!("대표자 역할 수락", "Accept the role")}</button>
                            })}
                            {mine.then(|| match r.offered_to.clone() {
                                Some(to) => view! {
                                    <p>{to.name}{crate::tr!("님에게 넘기는 중입니다. 수락을 기다립니다.", ": waiting for them to accept.")}</p>
                                    <button type="button" class="btn btn-secondary" on:click=withdraw disabled=act.pending()>{crate::tr!("넘기기 취소", "Withdraw")}</button>
                                }.into_any(),
                                None if r.colleagues.is_empty() => view! {
                                    <p class="muted">{crate::tr!("대표자 역할을 넘길 수 있는 확인된 동료가 없습니다.", "No confirmed colleague to hand the role to.")}</p>
                                }.into_any(),
                                None => view! {
                                    <div class="field">
                                        <label for="handover-to">{crate::tr!("대표자 역할을 넘길 동료", "Hand the role to")}</label>
                                        <select id="handover-to" prop:value=chosen on:change=move |ev| chosen.set(event_target_value(&ev))>
                                            <option value="">{crate::tr!("선택", "Choose")}</option>
                                            {r.colleagues.iter().map(|p| view! { <option value=p.id.0.to_string()>{p.name.clone()}</option> }).collect_view()}
                                        </select>
                                    </div>
                                    <button type="button" class="btn btn-secondary" on:click=offer disabled=move || act.pending().get() || chosen.get().is_empty()>{crate::tr!("넘기기 요청", "Offer the role")}</button>
                                }.into_any(),
                            })}
                        }.into_any()
                    }
                })}
            </Suspense>
            <FormError error=act.error()/>
        </section>
    }
}
