//! Sign in, then go back where the person came from (`?next=`).

use crate::{
    api::{self, ClientError},
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
    ApiError, Validate,
    account::SignIn,
    validate::{EMAIL_MAX, PASSWORD_MAX},
};

/// The pages of getting in, in one module: signing in, asking for a reset link,
/// choosing a new password with it, opening a verification link (which one is
/// the address's, as `core::routes` has it).
#[component]
pub fn EntryPages() -> impl IntoView {
    let path = leptos_router::hooks::use_location().pathname;
    let which = Memo::new(move |_| path.get());
    move || match which.get().trim_end_matches('/') {
        "/forgot-password" => view! { <super::recovery::ForgotPasswordPage/> }.into_any(),
        "/reset-password" => view! { <super::recovery::ResetPasswordPage/> }.into_any(),
        "/verify-email" => view! { <super::recovery::VerifyEmailPage/> }.into_any(),
        _ => view! { <SignInPage/> }.into_any(),
    }
}

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
                {move || match submit.error().get() {
                    Some(ClientError::Api(ApiError::AccountSuspended { reason })) => view! {
                        <p class="alert alert-error" role="alert">{crate::tr!("관리자가 이 계정의 이용을 정지했습니다. 사유: ", "An admin has suspended this account. Reason: ")}{reason}</p>
                    }.into_any(),
                    _ => view! { <FormError error=submit.error()/> }.into_any(),
                }}
                <button type="submit" class="btn btn-primary btn-block" disabled=submit.pending()>{t(M::SignIn)}</button>
                <p class="center"><A href=forgot_href>{crate::tr!("비밀번호를 잊으셨나요?", "Forgot your password?")}</A></p>
            </form>
            <p class="center">{crate::tr!("아직 회원이 아니신가요?", "Not a member yet?")}" "<A href=signup_href>{crate::tr!("회원가입", "Sign up")}</A></p>
        </section>
    }
}
