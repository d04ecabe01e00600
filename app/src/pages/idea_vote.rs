//! The 공감 button of the idea feed and the idea page.

use crate::{
    api,
    i18n::{Lang, use_lang},
    state::{error_text, use_session},
    submit::Submit,
};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

/// The 공감 button: one per person, tapped again to take it back. A double tap is
/// one vote: a tap while the last one is on its way is ignored, and so is the
/// second tap of a double tap (its click's `detail` is 2) even when the first's
/// answer is back by then.
#[component]
pub fn VoteButton(
    id: moim_core::IdeaId,
    votes: i64,
    voted: bool,
    #[prop(optional)] large: bool,
) -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let navigate = use_navigate();
    let count = RwSignal::new(votes);
    let on = RwSignal::new(voted);
    let vote = Submit::new();
    let tap = move |ev: leptos::ev::MouseEvent| {
        if session.me.with_untracked(Option::is_none) {
            navigate(&format!("/signin?next=/ideas/{id}"), Default::default());
            return;
        }
        if ev.detail() > 1 {
            return;
        }
        let want = !on.get_untracked();
        vote.run(async move {
            let v = api::ideas::vote(id, want).await?;
            count.try_set(v.votes);
            on.try_set(v.voted);
            Ok(())
        });
    };
    let label = move || {
        let n = count.get();
        match lang.get() {
            Lang::Ko => format!("공감 {n}"),
            Lang::En => format!("Agree {n}"),
        }
    };
    let pending = vote.pending();
    view! {
        <button type="button" class="vote" class:large=large class:on=move || on.get()
            aria-pressed=move || on.get().to_string() aria-busy=move || pending.get().to_string() on:click=tap>
            <svg aria-hidden="true" width="20" height="20" viewBox="0 0 24 24"><path fill="currentColor" d="M12 21s-7.5-4.6-9.6-9.2C.9 8.4 3.2 4.5 7 4.5c2 0 3.6 1 5 2.8 1.4-1.8 3-2.8 5-2.8 3.8 0 6.1 3.9 4.6 7.3C19.5 16.4 12 21 12 21Z"/></svg>
            <span>{label}</span>
        </button>
        {move || vote.error().get().map(|e| view! { <span class="vote-error" role="alert">{error_text(&e, lang.get())}</span> })}
    }
}
