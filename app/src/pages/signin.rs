//! Sign in, then go back where the person came from (`?next=`).

use crate::{
    api::{self, ClientError},
    components::form::{FormError, FormState, TextField},
    i18n::{M, t},
    routing::next_path,
    state::use_session,
};
use leptos::{prelude::*, task::spawn_local};
use leptos_router::{
    components::A,
    hooks::{use_navigate, use_query_map},
};
use moim_core::{
    Validate,
    account::SignIn,
    validate::{EMAIL_MAX, PASSWORD_MAX},
};

#[component]
pub fn SignInPage() -> impl IntoView {
    let session = use_session();
    let query = use_query_map();
    let navigate = use_navigate();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ClientError>);
    let busy = RwSignal::new(false);
    let form = FormState::new(move || {
        SignIn {
            email: email.get(),
            password: password.get(),
        }
        .validate()
        .err()
        .unwrap_or_default()
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !form.submit() {
            return;
        }
        busy.set(true);
        error.set(None);
        let req = SignIn {
            email: email.get_untracked(),
            password: password.get_untracked(),
        };
        let next = query.with_untracked(|q| next_path(q, "/"));
        let navigate = navigate.clone();
        spawn_local(async move {
            match api::auth::signin(&req).await {
                Ok(me) => {
                    session.set(me);
                    navigate(&next, Default::default());
                }
                Err(e) => {
                    form.server_errors(&e);
                    error.set(Some(e));
                }
            }
            busy.set(false);
        });
    };
    let signup_href = move || {
        format!(
            "/signup?next={}",
            api::enc(&query.with(|q| next_path(q, "/")))
        )
    };
    view! {
        <section class="section narrow">
            <h1>{t(M::SignIn)}</h1>
            <form class="stack card-form" on:submit=on_submit novalidate>
                <TextField form=form name="email" label=("이메일", "Email") value=email kind="email" autocomplete="username" maxlength=EMAIL_MAX required=true/>
                <TextField form=form name="password" label=("비밀번호", "Password") value=password kind="password" autocomplete="current-password" maxlength=PASSWORD_MAX required=true/>
                <FormError error=error/>
                <button type="submit" class="btn btn-primary btn-block" disabled=busy>{t(M::SignIn)}</button>
            </form>
            <p class="center">{crate::tr!("아직 회원이 아니신가요?", "Not a member yet?")}" "<A href=signup_href>{crate::tr!("회원가입", "Sign up")}</A></p>
        </section>
    }
}
