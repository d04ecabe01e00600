//! Moim's browser app: Leptos, client-side rendered. `App` holds the contexts and
//! the route table; pages own their data, components only draw.

mod api;
mod components;
mod i18n;
mod outbox;
mod pages;
mod routing;
mod state;
mod time;

use crate::{
    components::layout::{Footer, Header},
    i18n::{Lang, use_lang},
    pages::*,
    state::Session,
};
use leptos::prelude::*;
use leptos_router::{
    Lazy,
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
    if let Some(owner) = Owner::current() {
        provide_context(state::AppOwner(owner));
    }
    // The bell stays current while the page is open.
    let _ = set_interval_with_handle(
        move || session.refresh_unread(),
        std::time::Duration::from_secs(60),
    );

    // Every page is a module of its own, fetched with it (see pages.rs); the main
    // module is the shell. The same paths are in `core::routes` for the server.
    view! {
        <Router>
            <a class="skip" href="#main">{i18n::t(i18n::M::SkipToContent)}</a>
            <Header/>
            <main id="main" tabindex="-1" lang=move || use_lang().get().code()>
                <Routes fallback=NotFoundPage>
                    <Route path=path!("/") view={Lazy::<HomeRoute>::new()}/>
                    <Route path=path!("/consortia") view={Lazy::<ConsortiaRoute>::new()}/>
                    <Route path=path!("/consortia/:id") view={Lazy::<ConsortiumRoute>::new()}/>
                    <Route path=path!("/signin") view={Lazy::<SignInRoute>::new()}/>
                    <Route path=path!("/signup") view={Lazy::<SignUpRoute>::new()}/>
                    <Route path=path!("/notifications") view={Lazy::<NotificationsRoute>::new()}/>
                    <Route path=path!("/me") view={Lazy::<MeRoute>::new()}/>
                    <Route path=path!("/admin") view={Lazy::<AdminRoute>::new()}/>
                    <Route path=path!("/problems") view={Lazy::<ProblemsRoute>::new()}/>
                    <Route path=path!("/problems/new") view={Lazy::<ProblemEditRoute>::new()}/>
                    <Route path=path!("/problems/board/:id") view={Lazy::<BoardRoute>::new()}/>
                    <Route path=path!("/problems/:id/edit") view={Lazy::<ProblemEditRoute>::new()}/>
                    <Route path=path!("/problems/:id") view={Lazy::<ProblemRoute>::new()}/>
                    <Route path=path!("/collaborations") view={Lazy::<CollaborationsRoute>::new()}/>
                    <Route path=path!("/ideas") view={Lazy::<IdeasRoute>::new()}/>
                    <Route path=path!("/ideas/new") view={Lazy::<IdeaEditRoute>::new()}/>
                    <Route path=path!("/ideas/reports") view={Lazy::<ReportsRoute>::new()}/>
                    <Route path=path!("/ideas/:id/edit") view={Lazy::<IdeaEditRoute>::new()}/>
                    <Route path=path!("/ideas/:id") view={Lazy::<IdeaRoute>::new()}/>
                    <Route path=path!("/activities") view={Lazy::<ActivitiesRoute>::new()}/>
                    <Route path=path!("/activities/new") view={Lazy::<ActivityFormRoute>::new()}/>
                    <Route path=path!("/activities/:id/edit") view={Lazy::<ActivityFormRoute>::new()}/>
                    <Route path=path!("/activities/:id/check-in") view={Lazy::<CheckInRoute>::new()}/>
                    <Route path=path!("/activities/:id") view={Lazy::<ActivityRoute>::new()}/>
                    <Route path=path!("/cockpit") view={Lazy::<CockpitRoute>::new()}/>
                </Routes>
            </main>
            <Footer/>
        </Router>
    }
}

/// Entry point called by the JS glue.
#[wasm_bindgen(start)]
pub fn start() {
    leptos::mount::mount_to_body(App);
}
