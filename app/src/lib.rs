//! Moim's browser app: Leptos, client-side rendered. `App` holds the contexts and
//! the route table; pages own their data, components only draw.

mod api;
mod components;
mod country;
mod i18n;
mod load;
mod outbox;
mod pages;
mod routing;
mod state;
mod submit;
mod time;

use crate::{
    components::later::later,
    components::layout::{Footer, Header},
    i18n::{Lang, use_lang},
    pages::NotFoundPage,
    state::Session,
};
use leptos::prelude::*;
use leptos_router::{
    components::Router,
    hooks::use_location,
    location::{BrowserUrl, LocationProvider},
};
use moim_core::routes;
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

    view! {
        <Router>
            <a class="skip" href="#main">{i18n::t(i18n::M::SkipToContent)}</a>
            <Header/>
            // The header is drawn first, the page in a task of its own: no one task
            // keeps the phone busy long.
            <main id="main" tabindex="-1" lang=move || use_lang().get().code()>
                {later(|| view! { <Pages/> })}
            </main>
            <Footer/>
        </Router>
    }
}

/// The page of the address, by `core::routes` (the table the server's hints come
/// from too): its module is fetched on first visit (the HTML of a page opened
/// directly has already asked for it); moving between two addresses of the same
/// page keeps the page and changes its parameters.
#[component]
fn Pages() -> impl IntoView {
    let location = use_location();
    let matched = Memo::new(move |_| {
        let (path, query) = (location.pathname.get(), location.search.get());
        routes::find(&path, &query).map(|(r, p)| (r.page, p))
    });
    provide_context(routing::Current(matched));
    let page = Memo::new(move |_| matched.with(|m| m.as_ref().map(|(page, _)| *page)));
    // The router puts a new address in the address bar (and scrolls, to the top or
    // to the `#part`) once the page for it is drawn: at once when the page stays
    // the same, after its module arrived when it changes.
    let browser = use_context::<BrowserUrl>();
    let same_page = StoredValue::new(None::<&'static str>);
    Effect::new({
        let browser = browser.clone();
        move |_| {
            // Two addresses of one page module can have equal parameters
            // (`/me` and `/me/security`): the address itself is tracked too.
            matched.track();
            location.pathname.track();
            let now = page.get_untracked();
            if same_page.get_value() == now
                && let Some(b) = &browser
            {
                b.ready_to_complete();
            }
        }
    });
    move || {
        let name = page.get();
        same_page.set_value(name);
        let browser = browser.clone();
        let done = move || {
            if let Some(b) = &browser {
                b.ready_to_complete();
            }
        };
        match name {
            None => {
                done();
                view! { <NotFoundPage/> }.into_any()
            }
            Some(name) => Suspend::new(async move {
                let view = pages::page(name)
                    .await
                    .unwrap_or_else(|| view! { <NotFoundPage/> }.into_any());
                // Once the page is in the document (a `#part` can then be found).
                request_animation_frame(done);
                view
            })
            .into_any(),
        }
    }
}

/// Starts the app; boot.js calls it once the module is instantiated.
#[wasm_bindgen]
pub fn run() {
    leptos::mount::mount_to_body(App);
}
