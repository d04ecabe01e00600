//! The admin's panel on a consortium page: edit, appoint or remove CMs, archive.
//! A module of its own, loaded for admins only.

use crate::{
    api,
    components::{consortium_form::ConsortiumForm, form::FormError},
    i18n::{M, t},
    state::use_refs,
    submit::{Job, Submit, job},
};
use leptos::prelude::*;
use moim_core::{
    UserId,
    account::UserSummary,
    consortium::{ConsortiumStatus, ConsortiumView, EditConsortium},
};

#[component]
pub fn AdminPanel(c: ConsortiumView, reload: Callback<()>) -> impl IntoView {
    use_refs();
    let id = c.summary.id;
    let archived = c.summary.status == ConsortiumStatus::Archived;
    let initial = EditConsortium {
        name: c.summary.name.clone(),
        kind: c.summary.kind,
        complex_id: c.summary.complex_id,
        field_id: c.summary.field_id,
        description: c.description.clone(),
        term_start: c.term_start,
        term_end: c.term_end,
    };
    let editing = RwSignal::new(false);
    let save = Callback::new(move |edit: EditConsortium| -> Job {
        job(async move {
            api::consortia::update(id, &edit).await?;
            editing.set(false);
            reload.run(());
            Ok(())
        })
    });
    let confirm_archive = RwSignal::new(false);
    let archiving = Submit::new();
    let archive = move |_| {
        archiving.run(async move {
            api::consortia::archive(id).await?;
            reload.run(());
            Ok(())
        })
    };
    // Appointing: search people, appoint one; remove existing CMs.
    let q = RwSignal::new(String::new());
    let people = RwSignal::new(Vec::<UserSummary>::new());
    let cms = Submit::new();
    let search = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = q.get_untracked();
        cms.run(async move {
            people.set(api::admin::users(&text).await?);
            Ok(())
        });
    };
    let appoint = move |user: UserId| {
        cms.run(async move {
            api::consortia::appoint(id, user).await?;
            people.set(Vec::new());
            reload.run(());
            Ok(())
        })
    };
    let remove = move |user: UserId| {
        cms.run(async move {
            api::consortia::remove_manager(id, user).await?;
            reload.run(());
            Ok(())
        })
    };
    let managers = c.managers.clone();
    view! {
        <section aria-labelledby="admin-h" class="panel panel-manage">
            <h2 id="admin-h">{crate::tr!("관리자 도구", "Admin tools")}</h2>
            <Show when=move || editing.get() fallback=move || view! {
                <button type="button" class="btn btn-secondary" on:click=move |_| editing.set(true)>{crate::tr!("수정", "Edit")}</button>
            }>
                <ConsortiumForm initial=Some(initial.clone()) submit_label=M::Save save=save/>
                <button type="button" class="btn-text" on:click=move |_| editing.set(false)>{crate::tr!("취소", "Cancel")}</button>
            </Show>
            <h3>{crate::tr!("CM 지정", "Appoint a CM")}</h3>
            <ul class="plain">
                {managers.into_iter().map(|m| {
                    let uid = m.id;
                    view! { <li class="row between"><span>{m.name}" · "{m.org_name}</span><button type="button" class="btn btn-secondary btn-sm" on:click=move |_| remove(uid)>{crate::tr!("해제", "Remove")}</button></li> }
                }).collect_view()}
            </ul>
            <form class="search" role="search" on:submit=search>
                <label for="cm-q" class="sr-only">{crate::tr!("이름 또는 이메일", "Name or email")}</label>
                <input id="cm-q" type="search" placeholder=crate::tr!("이름 또는 이메일", "Name or email") prop:value=q on:input=move |ev| q.set(event_target_value(&ev))/>
                <button type="submit" class="btn btn-secondary" disabled=cms.pending()>{t(M::Search)}</button>
            </form>
            <ul class="plain results">
                {move || people.get().into_iter().map(|p| {
                    let uid = p.id;
                    view! { <li class="row between"><span>{p.name}" · "{p.org_name}" · "<span class="muted">{p.email}</span></span><button type="button" class="btn btn-primary btn-sm" on:click=move |_| appoint(uid)>{crate::tr!("지정", "Appoint")}</button></li> }
                }).collect_view()}
            </ul>
            <FormError error=cms.error()/>
            {(!archived).then(|| view! {
                <h3>{crate::tr!("협의체 종료", "Archive consortium")}</h3>
                <Show when=move || confirm_archive.get() fallback=move || view! {
                    <button type="button" class="btn btn-danger" on:click=move |_| confirm_archive.set(true)>{crate::tr!("협의체 종료", "Archive consortium")}</button>
                }>
                    <p role="alert">{crate::tr!("협의체를 종료하면 대기 중인 신청이 모두 취소됩니다. 계속할까요?", "Archiving withdraws all open requests. Continue?")}</p>
                    <div class="row">
                        <button type="button" class="btn btn-danger" on:click=archive disabled=archiving.pending()>{crate::tr!("협의체 종료", "Archive consortium")}</button>
                        <button type="button" class="btn btn-secondary" on:click=move |_| confirm_archive.set(false)>{crate::tr!("취소", "Cancel")}</button>
                    </div>
                    <FormError error=archiving.error()/>
                </Show>
            })}
        </section>
    }
}
