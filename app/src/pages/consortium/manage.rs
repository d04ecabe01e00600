//! The CM's panel on a consortium page: decide requests, invite organisations,
//! read the audit trail. A module of its own, loaded for CMs and admins only.

use crate::{
    api,
    components::{
        audit::AuditList,
        cards::{ErrorView, Loading},
        form::FormError,
    },
    i18n::{self, M, t, use_lang},
    load::Load,
    pages::decision::DecisionForm,
    submit::Submit,
};
use leptos::prelude::*;
use moim_core::{
    ConsortiumId, OrgId,
    account::OrgSummary,
    consortium::{AuditEntry, JoinRequestView, RequestKind, RequestStatus},
    paths,
    validate::MOTIVATION_MAX,
};

#[component]
pub fn ManagePanel(id: ConsortiumId, reload: Callback<()>) -> impl IntoView {
    let requests = Load::<Vec<JoinRequestView>>::new(move || Some(paths::consortium_requests(id)));
    let audit = Load::<Vec<AuditEntry>>::new(move || Some(paths::consortium_audit(id)));
    let refresh = Callback::new(move |()| {
        requests.refetch();
        audit.refetch();
        reload.run(());
    });
    view! {
        <section aria-labelledby="manage-h" class="panel panel-manage">
            <h2 id="manage-h">{crate::tr!("협의체 운영", "Manage")}</h2>
            <p><a href=format!("/consortia/{id}/ledger") class="btn btn-secondary btn-sm">{crate::tr!("회비·기부금 장부", "Fees and donations")}</a></p>
            <h3>{crate::tr!("가입 신청과 초대", "Requests and invitations")}</h3>
            <Suspense fallback=Loading>
                {move || requests.get().map(|r| match r {
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                    Ok(list) if list.is_empty() => view! { <p class="muted">{crate::tr!("신청이 없습니다.", "No requests.")}</p> }.into_any(),
                    Ok(list) => view! {
                        <ul class="requests" data-testid="requests">
                            {list.into_iter().map(|r| view! { <RequestItem r=r refresh=refresh/> }).collect_view()}
                        </ul>
                    }.into_any(),
                })}
            </Suspense>
            <InviteForm id=id refresh=refresh/>
            <h3>{crate::tr!("처리 기록", "Audit trail")}</h3>
            <Suspense fallback=Loading>
                {move || audit.get().map(|r| match r {
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                    Ok(list) => view! { <AuditList entries=list/> }.into_any(),
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn RequestItem(r: JoinRequestView, refresh: Callback<()>) -> impl IntoView {
    let lang = use_lang();
    let (status, kind, rid) = (r.status, r.kind, r.id);
    let act = Submit::new();
    let withdraw = move |_| {
        act.run(async move {
            api::consortia::withdraw(rid).await?;
            refresh.run(());
            Ok(())
        })
    };
    let invitation = kind == RequestKind::Invitation;
    let badge = match status {
        RequestStatus::Pending => "badge status-pending",
        RequestStatus::Approved => "badge status-approved",
        RequestStatus::Declined => "badge status-declined",
        RequestStatus::Withdrawn => "badge status-withdrawn",
    };
    view! {
        <li class="request" class:pending={status == RequestStatus::Pending}>
            <p class="request-head">
                <strong>{r.organisation.name.clone()}</strong>
                <span class="badge">{move || i18n::org_kind(r.organisation.kind, lang.get())}</span>
                <span class=badge>{move || i18n::request_status(status, lang.get())}</span>
                {invitation.then(|| view! { <span class="badge badge-muted">{crate::tr!("기관 초대", "Invite an organisation")}</span> })}
            </p>
            <p class="muted">{r.opened_by.name.clone()}" · "{crate::time::kst(r.created_at)}</p>
            {(!r.message.is_empty()).then(|| view! { <blockquote>{r.message.clone()}</blockquote> })}
            {r.reason.clone().map(|reason| view! { <p class="muted">{crate::tr!("사유", "Reason")}": "{reason}</p> })}
            {(status == RequestStatus::Pending && !invitation).then(|| view! { <DecisionForm request_id=rid accept_label=M::Approve reload=refresh/> })}
            {(status == RequestStatus::Pending && invitation).then(|| view! {
                <button type="button" class="btn btn-secondary btn-sm" on:click=withdraw disabled=act.pending()>{crate::tr!("신청 취소", "Withdraw")}</button>
            })}
            <FormError error=act.error()/>
        </li>
    }
}

#[component]
fn InviteForm(id: ConsortiumId, refresh: Callback<()>) -> impl IntoView {
    let q = RwSignal::new(String::new());
    let message = RwSignal::new(String::new());
    let found = RwSignal::new(Vec::<OrgSummary>::new());
    let act = Submit::new();
    let lang = use_lang();
    let search = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = q.get_untracked();
        if text.trim().is_empty() {
            return;
        }
        act.run(async move {
            found.set(api::orgs::search(&text, None).await?);
            Ok(())
        });
    };
    let invite = move |org: OrgId| {
        act.run(async move {
            api::consortia::invite(id, org, message.get_untracked()).await?;
            found.set(Vec::new());
            q.set(String::new());
            message.set(String::new());
            refresh.run(());
            Ok(())
        })
    };
    view! {
        <h3>{crate::tr!("기관 초대", "Invite an organisation")}</h3>
        <form class="search" role="search" on:submit=search>
            <label for="invite-q" class="sr-only">{crate::tr!("기관 검색", "Find organisation")}</label>
            <input id="invite-q" type="search" placeholder=t(M::OrgName) prop:value=q on:input=move |ev| q.set(event_target_value(&ev))/>
            <button type="submit" class="btn btn-secondary">{crate::tr!("기관 검색", "Find organisation")}</button>
        </form>
        <div class="field">
            <label for="invite-message">{crate::tr!("메시지", "Message")}</label>
            <textarea id="invite-message" rows="2" maxlength=MOTIVATION_MAX prop:value=message on:input=move |ev| message.set(event_target_value(&ev))></textarea>
        </div>
        <ul class="plain results">
            {move || found.get().into_iter().map(|o| {
                let (org, kind) = (o.id, o.kind);
                view! {
                    <li class="row between">
                        <span>{o.name}" "<span class="muted">{move || i18n::org_kind(kind, lang.get())}</span></span>
                        <button type="button" class="btn btn-primary btn-sm" on:click=move |_| invite(org)>{crate::tr!("초대 보내기", "Send invitation")}</button>
                    </li>
                }
            }).collect_view()}
        </ul>
        <FormError error=act.error()/>
    }
}
