//! Moim's browser app: Leptos, client-side rendered. `App` holds the contexts and
//! the route table; pages own their data, components only draw.

mod api;
mod components;
mod i18n;
mod pages;
mod state;

use crate::{
    components::layout::{Footer, Header},
    i18n::{Lang, use_lang},
    pages::*,
    state::Session,
};
use leptos::prelude::*;
use leptos_router::{
    components::{Route, Router, Routes},
    path,
};
use wasm_bindgen::prelude::wasm_bindgen;

#[component]
pub fn App() -> impl IntoView {
    let lang = RwSignal::new(state::stored_lang().unwrap_or(Lang::Ko));
    provide_context(lang);
    Effect::new(move |_| state::remember_lang(lang.get()));
    let session = Session::new();
    provide_context(session);
    session.load();
    provide_context(state::Refs::new());
    // The bell stays current while the page is open.
    let _ = set_interval_with_handle(
        move || session.refresh_unread(),
        std::time::Duration::from_secs(60),
    );

    view! {
        <Router>
            <a class="skip" href="#main">{i18n::t(i18n::M::SkipToContent)}</a>
            <Header/>
            <main id="main" tabindex="-1" lang=move || use_lang().get().code()>
                <Routes fallback=NotFoundPage>
                    <Route path=path!("/") view=HomePage/>
                    <Route path=path!("/consortia") view=ConsortiaPage/>
                    <Route path=path!("/consortia/:id") view=ConsortiumPage/>
                    <Route path=path!("/signin") view=SignInPage/>
                    <Route path=path!("/signup") view=SignUpPage/>
                    <Route path=path!("/notifications") view=NotificationsPage/>
                    <Route path=path!("/me") view=MePage/>
                    <Route path=path!("/admin") view=AdminPage/>
                </Routes>
            </main>
            <Footer/>
        </Router>
    }
}

/// Entry point called by the JS glue.
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
}
