//! Cards, badges and small views of wire types.

use crate::{
    api::ClientError,
    i18n::{self, M, t, use_lang},
    state::error_text,
};
use leptos::prelude::*;
use leptos_router::components::A;
use moim_core::consortium::{ConsortiumStatus, ConsortiumSummary};

/// A consortium in a list.
#[component]
pub fn ConsortiumCard(c: ConsortiumSummary) -> impl IntoView {
    let lang = use_lang();
    let href = format!("/consortia/{}", c.id);
    let (kind, region, archived, sample) = (
        c.kind,
        c.region,
        c.status == ConsortiumStatus::Archived,
        c.is_sample,
    );
    view! {
        <li class="card consortium-card">
            <h3><A href=href>{c.name}</A></h3>
            <p class="meta">
                <span class="badge">{move || i18n::consortium_kind(kind, lang.get())}</span>
                {archived.then(|| view! { <span class="badge badge-muted">{t(M::Archived)}</span> })}
                {sample.then(|| view! { <span class="badge badge-sample">{t(M::SampleBadge)}</span> })}
            </p>
            <p class="where">{move || i18n::region(region, lang.get())}" · "{c.complex_name}" · "{c.field_name}</p>
            <p class="summary">{c.summary}</p>
            <p class="count">{t(M::Members)}" "<strong>{i18n::number(c.member_count)}</strong></p>
        </li>
    }
}

/// A failed load, with a way to try again.
#[component]
pub fn ErrorView(error: ClientError) -> impl IntoView {
    let lang = use_lang();
    view! { <p class="alert alert-error" role="alert">{move || error_text(&error, lang.get())}</p> }
}

/// A page for signed-in people: its content once the session says someone is,
/// else a way to sign in that comes back to `next`.
#[component]
pub fn SignedIn(next: &'static str, children: ChildrenFn) -> impl IntoView {
    let session = crate::state::use_session();
    let fallback = move || {
        if session.ready.get() {
            view! {
                <section class="section narrow"><p>{t(M::ErrUnauthenticated)}</p><A href=format!("/signin?next={next}") attr:class="btn btn-primary">{t(M::SignIn)}</A></section>
            }
            .into_any()
        } else {
            view! { <Loading/> }.into_any()
        }
    };
    view! {
        <Show when=move || session.me.with(Option::is_some) fallback=fallback>
            {children()}
        </Show>
    }
}

/// The placeholder while something loads.
#[component]
pub fn Loading() -> impl IntoView {
    view! { <p class="loading" role="status">{t(M::Loading)}</p> }
}
