//! Sign in, then go back where the person came from (`?next=`).

use crate::{
    api,
    components::form::{FormError, FormState, TextField},
    i18n::{M, t},
    routing::next_path,
    state::use_session,
    submit::Submit,
};
use leptos::prelude::*;
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
    let form = FormState::new(move || {
        SignIn {
            email: email.get(),
            password: password.get(),
        }
        .validate()
        .err()
        .unwrap_or_default()
    });
    let submit = Submit::for_form(form);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !form.submit() {
            return;
        }
        let req = SignIn {
            email: email.get_untracked(),
            password: password.get_untracked(),
        };
        let next = query.with_untracked(|q| next_path(q, "/"));
        let navigate = navigate.clone();
        submit.run(async move {
            session.set(api::auth::signin(&req).await?);
            navigate(&next, Default::default());
            Ok(())
        });
    };
    let signup_href = move || {
        format!(
            "/signup?next={}",
            api::enc(&query.with(|q| next_path(q, "/")))
        )
    };
    let forgot_href = move || match email.get().trim() {
        "" => "/forgot-password".to_owned(),
        typed => format!("/forgot-password?email={}", api::enc(typed)),
    };
    view! {
        <section class="section narrow">
            <h1>{t(M::SignIn)}</h1>
            <form class="stack card-form" on:submit=on_submit novalidate>
                <TextField form=form name="email" label=("이메일", "Email") value=email kind="email" autocomplete="username" maxlength=EMAIL_MAX required=true/>
                <TextField form=form name="password" label=("비밀번호", "Password") value=password kind="password" autocomplete="current-password" maxlength=PASSWORD_MAX required=true/>
                <FormError error=submit.error()/>
                <button type="submit" class="btn btn-primary btn-block" disabled=submit.pending()>{t(M::SignIn)}</button>
                <p class="center"><A href=forgot_href>{crate::tr!("비밀번호를 잊으셨나요?", "Forgot your password?")}</A></p>
            </form>
            <p class="center">{crate::tr!("아직 회원이 아니신가요?", "Not a member yet?")}" "<A href=signup_href>{crate::tr!("회원가입", "Sign up")}</A></p>
        </section>
    }
}
