//! The header (brand, menu, bell, language, account) and the footer.

use crate::{
    api,
    i18n::{Lang, M, t, use_lang},
    state::use_session,
};
use leptos::{prelude::*, task::spawn_local};
use leptos_router::{components::A, hooks::use_navigate};

#[component]
pub fn Header() -> impl IntoView {
    let session = use_session();
    let lang = use_lang();
    let signed_in = move || session.me.with(Option::is_some);
    let is_admin = move || {
        session
            .me
            .with(|m| m.as_ref().is_some_and(|m| m.is_admin()))
    };
    // Until the address is verified the person reads but does not act: said on
    // every page, with the way to the link.
    let unverified = move || {
        session
            .me
            .with(|m| m.as_ref().is_some_and(|m| !m.email_verified))
    };
    // An admin or CM without a second factor: said on every page, with the way
    // to add one.
    let factor_required = move || {
        session
            .me
            .with(|m| m.as_ref().is_some_and(|m| m.second_factor_required))
    };
    let consent_required = move || {
        session
            .me
            .with(|m| m.as_ref().is_some_and(|m| m.consent_required))
    };
    let unread = move || {
        session
            .me
            .with(|m| m.as_ref().map(|m| m.unread_notifications).unwrap_or(0))
    };
    let navigate = use_navigate();
    // Signed out here only once the server has ended the session.
    let sign_out_failed = RwSignal::new(false);
    let sign_out = move |_| {
        let navigate = navigate.clone();
        spawn_local(async move {
            match api::auth::signout().await {
                Ok(()) => {
                    sign_out_failed.set(false);
                    session.me.set(None);
                    navigate("/", Default::default());
                }
                Err(_) => sign_out_failed.set(true),
            }
        });
    };
    let bell_label = move || {
        let n = unread();
        match lang.get() {
            // The count stands alone (as it shows on the bell), spaced as a unit noun may be.
            Lang::Ko => format!("알림 {n} 건 읽지 않음"),
            Lang::En => format!("Notifications, {n} unread"),
        }
    };
    view! {
        <header class="site-header">
            <div class="bar">
                <A href="/" attr:class="brand">
                    <img src="/icon.svg" alt="" width="32" height="32"/>
                    <span class="brand-name">{t(M::Brand)}</span>
                    <span class="brand-tag">{t(M::Tagline)}</span>
                </A>
                <div class="tools">
                    <button type="button" class="btn-text lang" aria-label=t(M::SwitchLanguageLabel)
                        on:click=move |_| lang.update(|l| *l = if *l == Lang::Ko { Lang::En } else { Lang::Ko })>
                        {t(M::SwitchLanguage)}
                    </button>
                    <Show when=signed_in fallback=move || view! {
                        <A href="/signin" attr:class="btn btn-primary btn-sm">{t(M::SignIn)}</A>
                    }>
                        <A href="/notifications" attr:class="bell" attr:aria-label=bell_label>
                            <svg aria-hidden="true" width="24" height="24" viewBox="0 0 24 24"><path fill="currentColor" d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z"/></svg>
                            <Show when=move || { unread() > 0 }>
                                <span class="count" data-testid="unread-count">{unread}</span>
                            </Show>
                        </A>
                        <button type="button" class="btn-text" on:click=sign_out.clone()>{t(M::SignOut)}</button>
                        <Show when=move || sign_out_failed.get()>
                            <p class="signout-error" role="alert">{t(M::SignOutFailed)}</p>
                        </Show>
                    </Show>
                </div>
            </div>
            <nav class="menu" aria-label=t(M::MainMenu)>
                <A href="/" exact=true>{t(M::NavHome)}</A>
                <A href="/consortia" exact=true>{t(M::NavConsortia)}</A>
                <A href="/problems">{t(M::NavProblems)}</A>
                <A href="/ideas">{t(M::NavIdeas)}</A>
                <A href="/activities">{t(M::NavActivities)}</A>
                <A href="/calls">{t(M::NavCalls)}</A>
                <Show when=signed_in>
                    <A href="/collaborations">{t(M::NavCollaborations)}</A>
                    <A href="/me">{t(M::NavMe)}</A>
                </Show>
                <Show when=is_admin>
                    <A href="/admin">{t(M::NavAdmin)}</A>
                </Show>
            </nav>
            <Show when=consent_required>
                <p class="verify-notice" role="status">{t(M::ConsentNotice)}" "<a href="/privacy#agree">{t(M::ConsentNoticeLink)}</a></p>
            </Show>
            <Show when=factor_required>
                <p class="verify-notice" role="status">{t(M::FactorNotice)}" "<a href="/me/security#second-factor">{t(M::FactorNoticeLink)}</a></p>
            </Show>
            <Show when=unverified>
                <p class="verify-notice" role="status">{t(M::VerifyNotice)}" "<a href="/me/security#email">{t(M::VerifyNoticeLink)}</a></p>
            </Show>
        </header>
    }
}

#[component]
pub fn Footer() -> impl IntoView {
    view! {
        <footer class="site-footer">
            <p>{t(M::Footer)}</p>
        </footer>
    }
}
