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
    ApiError, ErrorCode, Validate,
    account::SignIn,
    second_factor::{SecondFactor, SecondStep},
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
    // The ticket of the second step, once the password was right for an account
    // that asks for a code.
    let ticket = RwSignal::new(None::<SecondStep>);
    let expired = RwSignal::new(false);
    let on_submit = {
        let navigate = navigate.clone();
        move |ev: leptos::ev::SubmitEvent| {
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
                match api::auth::signin(&req).await? {
                    api::auth::SignedIn::Done(me) => {
                        let next = after_sign_in(&me, next);
                        session.set(me);
                        navigate(&next, Default::default());
                    }
                    api::auth::SignedIn::SecondStep(t) => {
                        expired.set(false);
                        password.set(String::new());
                        ticket.set(Some(t));
                    }
                }
                Ok(())
            });
        }
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
    let done = {
        let navigate = navigate.clone();
        move |me: moim_core::account::Me| {
            let next = after_sign_in(&me, query.with_untracked(|q| next_path(q, "/")));
            session.set(me);
            navigate(&next, Default::default());
        }
    };
    let second = {
        let done = done.clone();
        move || {
            ticket.get().map(|t| {
                let done = done.clone();
                let restart = move || {
                    ticket.set(None);
                    expired.set(true);
                };
                view! { <SecondStepForm step=t done=done restart=restart/> }
            })
        }
    };
    let passkey = Submit::new();
    let passkey_note = RwSignal::new(None::<api::passkey::PasskeyError>);
    let with_passkey = move |_| {
        passkey_note.set(None);
        let done = done.clone();
        passkey.run(async move {
            match api::passkey::sign_in(None).await {
                Ok(me) => done(me),
                Err(api::passkey::PasskeyError::Server(e)) => return Err(e),
                Err(other) => passkey_note.set(Some(other)),
            }
            Ok(())
        });
    };
    view! {
        <section class="section narrow">
            <h1>{t(M::SignIn)}</h1>
            {second}
            <div hidden=move || ticket.with(Option::is_some)>
            {move || expired.get().then(|| view! {
                <p class="alert alert-info" role="status">{crate::tr!("확인 시간이 지났습니다. 다시 로그인해 주세요.", "That took too long. Please sign in again.")}</p>
            })}
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
                {api::passkey::supported().then(|| view! {
                    <hr/>
                    <p class="muted center">{crate::tr!("또는 이 기기에 등록한 패스키(지문, 얼굴, 화면 잠금)로", "Or with a passkey on this device (fingerprint, face, screen lock)")}</p>
                    <div role="alert" class="form-error-slot">
                        {move || passkey_note.get().map(|e| view! { <p class="alert alert-error">{super::passkeys::passkey_note(&e)}</p> })}
                    </div>
                    <FormError error=passkey.error()/>
                    <button type="button" class="btn btn-secondary btn-block" on:click=with_passkey.clone() disabled=passkey.pending()>{crate::tr!("패스키로 로그인", "Sign in with a passkey")}</button>
                })}
            </form>
            <p class="center">{crate::tr!("아직 회원이 아니신가요?", "Not a member yet?")}" "<A href=signup_href>{crate::tr!("회원가입", "Sign up")}</A></p>
            </div>
        </section>
    }
}

/// Where a person goes once signed in: where they came from, by way of the
/// privacy policy when it changed since they agreed to it.
fn after_sign_in(me: &moim_core::account::Me, next: String) -> String {
    if me.consent_required {
        format!("/privacy?next={}#agree", api::enc(&next))
    } else {
        next
    }
}

/// The second step: a code from the authenticator app, or one of the recovery
/// codes. A dead ticket (too slow, or used) sends the person back to the
/// password.
#[component]
fn SecondStepForm(
    step: SecondStep,
    done: impl Fn(moim_core::account::Me) + Clone + Send + Sync + 'static,
    restart: impl Fn() + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let SecondStep {
        ticket,
        app,
        passkey,
    } = step;
    let code = RwSignal::new(String::new());
    // Without an app, a recovery code is what can be typed.
    let recovery = RwSignal::new(!app);
    let with_key = Submit::new();
    let key_note = RwSignal::new(None::<api::passkey::PasskeyError>);
    let use_passkey = {
        let (ticket, done, restart) = (ticket.clone(), done.clone(), restart.clone());
        move |_| {
            key_note.set(None);
            let (ticket, done, restart) = (ticket.clone(), done.clone(), restart.clone());
            with_key.run(async move {
                match api::passkey::sign_in(Some(ticket)).await {
                    Ok(me) => done(me),
                    Err(api::passkey::PasskeyError::Server(ClientError::Api(
                        ApiError::Validation { fields },
                    ))) if fields.0.iter().any(|f| f.field == "ticket") => restart(),
                    Err(api::passkey::PasskeyError::Server(e)) => return Err(e),
                    Err(other) => key_note.set(Some(other)),
                }
                Ok(())
            });
        }
    };
    let form = FormState::new(move || {
        SecondFactor {
            ticket: "-".into(),
            code: code.get(),
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
        let req = SecondFactor {
            ticket: ticket.clone(),
            code: code.get_untracked(),
        };
        let (done, restart) = (done.clone(), restart.clone());
        submit.run(async move {
            match api::auth::signin_second_step(&req).await {
                Ok(me) => done(me),
                Err(ClientError::Api(ApiError::Validation { fields }))
                    if fields.0.iter().any(|f| f.code == ErrorCode::InvalidLink) =>
                {
                    restart();
                }
                Err(e) => return Err(e),
            }
            Ok(())
        });
    };
    let switch = move |_| {
        recovery.update(|r| *r = !*r);
        code.set(String::new());
    };
    view! {
        <form class="stack card-form" on:submit=on_submit novalidate>
            <h2>{crate::tr!("2단계 인증", "Two-step sign-in")}</h2>
            {passkey.then(|| view! {
                <p>{crate::tr!("이 계정에 등록한 패스키로 확인하세요.", "Confirm with a passkey of this account.")}</p>
                <div role="alert" class="form-error-slot">
                    {move || key_note.get().map(|e| view! { <p class="alert alert-error">{super::passkeys::passkey_note(&e)}</p> })}
                </div>
                <FormError error=with_key.error()/>
                <button type="button" class="btn btn-primary btn-block" on:click=use_passkey.clone() disabled=with_key.pending()>{crate::tr!("패스키로 확인", "Use a passkey")}</button>
            })}
            {move || if recovery.get() {
                view! {
                    <p>{crate::tr!("인증 앱이나 패스키가 있는 기기를 쓸 수 없다면, 받아 둔 복구 코드 하나를 입력하세요. 각 코드는 한 번만 쓸 수 있습니다.", "If you cannot use your authenticator app or passkey device, type one of the recovery codes you saved. Each works once.")}</p>
                    <TextField form=form name="code" label=("복구 코드", "Recovery code") value=code autocomplete="off" required=true/>
                }.into_any()
            } else {
                view! {
                    <p>{crate::tr!("인증 앱에 표시된 6자리 코드를 입력하세요.", "Type the six-digit code your authenticator app shows.")}</p>
                    <TextField form=form name="code" label=("인증 코드", "Code") value=code autocomplete="one-time-code" inputmode="numeric" required=true/>
                }.into_any()
            }}
            <FormError error=submit.error()/>
            <button type="submit" class="btn btn-primary btn-block" disabled=submit.pending()>{crate::tr!("확인", "Continue")}</button>
            <button type="button" class="btn-text" on:click=switch hidden=!app>
                {move || if recovery.get() {
                    crate::tr!("인증 앱의 코드 입력하기", "Use the code from the app")
                } else {
                    crate::tr!("복구 코드 사용하기", "Use a recovery code")
                }}
            </button>
        </form>
    }
}
