//! Agency admins: create consortia and read the whole audit trail.

use crate::components::audit::AuditList;
use crate::{
    api::{self, ClientError},
    components::{
        cards::{ErrorView, Loading},
        consortium_form::ConsortiumForm,
        form::FormState,
    },
    i18n::{M, t},
    state::{use_refs, use_session},
};
use leptos::{prelude::*, task::spawn_local};
use leptos_router::hooks::use_navigate;
use moim_core::consortium::EditConsortium;

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
    let error = RwSignal::new(None::<ClientError>);
    let busy = RwSignal::new(false);
    let audit = LocalResource::new(api::admin::audit);
    let on_save = Callback::new(move |(c, form): (EditConsortium, FormState)| {
        busy.set(true);
        let navigate = navigate.clone();
        spawn_local(async move {
            match api::consortia::create(&c).await {
                Ok(view) => navigate(
                    &format!("/consortia/{}", view.summary.id),
                    Default::default(),
                ),
                Err(e) => {
                    form.server_errors(&e);
                    error.set(Some(e));
                }
            }
            busy.set(false);
        });
    });
    view! {
        <section class="section">
            <h1>{t(M::NavAdmin)}</h1>
            <p><a class="btn btn-secondary" href="/cockpit">{crate::tr!("프로그램 성과 현황 (KPI)", "Programme KPI cockpit")}</a></p>
            <div class="layout-2">
                <section class="panel main-col" aria-labelledby="create-h">
                    <h2 id="create-h">{crate::tr!("협의체 만들기", "Create a consortium")}</h2>
                    <ConsortiumForm initial=None submit_label=M::Create on_save=on_save error=error busy=busy/>
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
        </section>
    }
}
