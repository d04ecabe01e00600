//! Agency admins: create consortia and read the whole audit trail.

use crate::{
    api,
    components::{
        audit::AuditList,
        cards::{ErrorView, Loading},
        consortium_form::ConsortiumForm,
    },
    i18n::{M, t},
    load::Load,
    state::{use_refs, use_session},
    submit::{Job, job},
};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use moim_core::{
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
        </section>
    }
}
