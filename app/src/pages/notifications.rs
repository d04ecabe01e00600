//! The notification centre.

use crate::{
    api,
    components::cards::{ErrorView, Loading},
    i18n::{self, use_lang},
    state::use_session,
};
use leptos::{prelude::*, task::spawn_local};
use leptos_router::components::A;

#[component]
pub fn NotificationsPage() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let list = LocalResource::new(api::notifications::list);
    let mark_all = move |_| {
        spawn_local(async move {
            if let Ok(c) = api::notifications::mark_all_read().await {
                session.set_unread(c.unread);
                list.refetch();
            }
        });
    };
    view! {
        <section class="section narrow">
            <div class="row between">
                <h1>{crate::tr!("알림", "Notifications")}</h1>
                <button type="button" class="btn btn-secondary btn-sm" on:click=mark_all>{crate::tr!("모두 읽음으로 표시", "Mark all read")}</button>
            </div>
            <Suspense fallback=Loading>
                {move || list.get().map(|r| match r {
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                    Ok(items) if items.is_empty() => view! { <p class="empty">{crate::tr!("알림이 없습니다.", "No notifications.")}</p> }.into_any(),
                    Ok(items) => view! {
                        <ul class="notifications" data-testid="notifications">
                            {items.into_iter().map(|n| {
                                let unread = !n.read;
                                let nid = n.id;
                                let href = {
                                    use moim_core::notification::NotificationKind as K;
                                    if matches!(n.kind, K::OfferReceived | K::OfferAccepted | K::OfferDeclined) {
                                        "/collaborations".to_owned()
                                    } else {
                                        n.activity_id.map(|a| format!("/activities/{a}"))
                                            .or_else(|| n.idea_id.map(|i| format!("/ideas/{i}")))
                                            .or_else(|| n.problem_id.map(|p| format!("/problems/{p}")))
                                            .or_else(|| n.consortium_id.map(|c| format!("/consortia/{c}")))
                                            .unwrap_or_else(|| "/me".into())
                                    }
                                };
                                let text = n.clone();
                                let read = move |_| {
                                    if unread {
                                        spawn_local(async move {
                                            if let Ok(c) = api::notifications::mark_read(nid).await {
                                                session.set_unread(c.unread);
                                            }
                                        });
                                    }
                                };
                                view! {
                                    <li class:unread=unread>
                                        {unread.then(|| view! { <span class="dot"><span class="sr-only">{crate::tr!("읽지 않음", "Unread")}</span></span> })}
                                        <A href=href on:click=read>{move || i18n::notification(&text, lang.get())}</A>
                                        {n.note.clone().map(|note| {
                                            use moim_core::notification::NotificationKind as K;
                                            let reason = matches!(n.kind, K::JoinDeclined | K::InvitationDeclined | K::AffiliationDeclined | K::OfferDeclined);
                                            view! { <p class="muted">{reason.then(|| view! { {crate::tr!("사유", "Reason")}": " })}"“"{note}"”"</p> }
                                        })}
                                        <time class="muted">{i18n::kst(n.created_at)}</time>
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
