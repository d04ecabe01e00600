//! Unknown routes.

use crate::i18n::{M, t};
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    view! {
        <section class="section narrow">
            <h1>{t(M::NotFoundTitle)}</h1>
            <p><A href="/" attr:class="btn btn-primary">{t(M::GoHome)}</A></p>
        </section>
    }
}
