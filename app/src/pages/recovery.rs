//! Getting back in: asking for a reset link, and choosing a new password with it;
//! and the page a verification link opens.

use crate::{
    api::{self, ClientError},
    components::{
        cards::Loading,
        form::{FormError, FormState, TextField},
    },
    i18n::{M, t, use_lang},
    state::use_session,
    submit::Submit,
    time::kst,
};
use leptos::prelude::*;
use leptos_router::{
    components::A,
    hooks::{use_navigate, use_query_map},
};
use moim_core::{
    ConflictCode, Validate,
    account::{
        CheckLink, ForgotPassword, RESET_LINK_MINUTES, ResetPassword, Verified, VerifyEmail,
    },
    validate::{EMAIL_MAX, PASSWORD_MAX},
};

/// "비밀번호를 잊으셨나요?": the person gives their email and is told a link is
/// on its way, in the same words whether or not the address has an account.
#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let query = use_query_map();
    let email = RwSignal::new(query.with_untracked(|q| q.get("email").unwrap_or_default()));
    let sent = RwSignal::new(None::<String>);
    let form = FormState::new(move || {
        ForgotPassword { email: email.get() }
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
        let req = ForgotPassword {
            email: email.get_untracked().trim().to_owned(),
        };
        submit.run(async move {
            api::auth::forgot_password(&req).await?;
            sent.set(Some(req.email));
            Ok(())
        });
    };
    view! {
        <section class="section narrow">
            <h1>{crate::tr!("비밀번호 재설정", "Reset your password")}</h1>
            {move || match sent.get() {
                Some(to) => view! {
                    <div class="panel stack" role="status" data-testid="reset-sent">
                        <p><strong>{to}</strong>{crate::tr!(" 주소로 가입된 계정이 있으면 비밀번호 재설정 링크를 보냈습니다.", ": if an account has this address, a link to set a new password is on its way.")}</p>
                        <p class="muted">{move || if use_lang().get() == crate::i18n::Lang::Ko {
                            format!("링크는 {RESET_LINK_MINUTES}분 동안 한 번만 쓸 수 있습니다. 메일이 보이지 않으면 스팸함을 확인하거나, 몇 분 뒤에 다시 요청해 주세요.")
                        } else {
                            format!("The link works once, for {RESET_LINK_MINUTES} minutes. No mail? Look in your spam folder, or ask again in a few minutes.")
                        }}</p>
                        <p><A href="/signin" attr:class="btn btn-primary">{t(M::SignIn)}</A></p>
                    </div>
                }.into_any(),
                None => view! {
                    <p>{crate::tr!("가입할 때 쓴 이메일을 입력하면 새 비밀번호를 정할 수 있는 링크를 보내 드립니다.", "Give the email you signed up with and we will send you a link to choose a new password.")}</p>
                    <form class="stack card-form" on:submit=on_submit novalidate>
                        <TextField form=form name="email" label=("이메일", "Email") value=email kind="email" autocomplete="username" maxlength=EMAIL_MAX required=true/>
                        <FormError error=submit.error()/>
                        <button type="submit" class="btn btn-primary btn-block" disabled=submit.pending()>{crate::tr!("재설정 링크 받기", "Send me a link")}</button>
                    </form>
                    <p class="center"><A href="/signin">{crate::tr!("로그인으로 돌아가기", "Back to sign in")}</A></p>
                }.into_any(),
            }}
        </section>
    }
}

/// Whether `e` says the link is not (or no longer) good.
fn dead_link(e: &ClientError) -> bool {
    e.fields().0.iter().any(|f| f.field == "token")
}

/// The token of a mailed link (`…#token=…`: it rides in the fragment, which no
/// server or `Referer` ever sees).
fn link_token() -> String {
    crate::routing::fragment_param("token").unwrap_or_default()
}

/// The page a verification mail links to (`/verify-email#token=…`). A new
/// account's link signs the person in and goes on where they were headed when
/// they signed up; an account's new address is confirmed.
#[component]
pub fn VerifyEmailPage() -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    let token = link_token();
    let outcome = LocalResource::new(move || {
        let req = VerifyEmail {
            token: token.clone(),
        };
        async move {
            match req.validate() {
                Ok(()) => api::auth::verify_email(&req).await,
                Err(fields) => Err(ClientError::Api(fields.into())),
            }
        }
    });
    Effect::new(move |_| match outcome.get() {
        // The account is the new address's: the header shows it.
        Some(Ok(Verified::NewAddress)) => session.load(),
        Some(Ok(Verified::Account)) => {
            session.load();
            let next = crate::state::load::<String>(super::signup::AFTER_VERIFY)
                .and_then(|n| moim_core::paths::return_path(&n).map(str::to_owned))
                .unwrap_or_else(|| "/me".to_owned());
            crate::state::forget(super::signup::AFTER_VERIFY);
            navigate(&next, Default::default());
        }
        _ => {}
    });
    view! {
        <section class="section narrow">
            <h1>{crate::tr!("이메일 확인", "Verify your email")}</h1>
            <Suspense fallback=Loading>
                {move || outcome.get().map(|r| match r {
                    Ok(Verified::Account) => view! {
                        <p role="status" data-testid="verified">{crate::tr!("이메일을 확인했습니다. 로그인되었습니다.", "Your email is verified and you are signed in.")}</p>
                    }.into_any(),
                    Ok(Verified::SignIn) => view! {
                        <div class="panel stack" role="status" data-testid="verified-sign-in">
                            <p>{crate::tr!("이메일을 확인했습니다. 로그인해 주세요.", "Your email is verified. Please sign in.")}</p>
                            <p><A href="/signin?next=/me" attr:class="btn btn-primary">{t(M::SignIn)}</A></p>
                        </div>
                    }.into_any(),
                    Ok(Verified::NewAddress) => view! {
                        <div class="panel stack" role="status" data-testid="verified-new-address">
                            <p>{crate::tr!("새 이메일 주소를 확인했습니다. 이제 이 주소로 로그인합니다. 이전 주소로 안내 메일을 보냈습니다.", "Your new address is verified: it is your sign-in address from now on. The old one was told.")}</p>
                            <p><A href="/me" attr:class="btn btn-primary">{crate::tr!("내 정보", "My account")}</A></p>
                        </div>
                    }.into_any(),
                    Err(e) if dead_link(&e) => view! {
                        <div class="panel stack" role="alert" data-testid="dead-link">
                            <p>{crate::tr!("이 링크는 만료되었거나 이미 사용되었습니다. 로그인한 뒤 내 정보에서 인증 메일을 다시 받을 수 있습니다.", "This link has expired or was used already. Sign in and have a new one sent from your account page.")}</p>
                            <p><A href="/signin?next=/me" attr:class="btn btn-primary">{t(M::SignIn)}</A></p>
                        </div>
                    }.into_any(),
                    Err(ClientError::Api(moim_core::ApiError::Conflict { code: ConflictCode::EmailTaken, .. })) => view! {
                        <p class="alert alert-error" role="alert">{crate::tr!("그 주소는 그사이 다른 계정이 쓰게 되었습니다. 다른 주소로 다시 요청해 주세요.", "Another account took that address meanwhile. Ask again with another address.")}</p>
                    }.into_any(),
                    Err(e) => view! { <FormError error=Signal::derive(move || Some(e.clone()))/> }.into_any(),
                })}
            </Suspense>
        </section>
    }
}

/// The page a reset mail links to (`/reset-password#token=…`). It asks whether
/// the link is still good before the person chooses a password.
#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let token = link_token();
    let link = {
        let token = token.clone();
        LocalResource::new(move || {
            let req = CheckLink {
                token: token.clone(),
            };
            async move {
                match req.validate() {
                    Ok(()) => api::auth::check_reset_link(&req).await,
                    Err(fields) => Err(ClientError::Api(fields.into())),
                }
            }
        })
    };
    view! {
        <section class="section narrow">
            <h1>{crate::tr!("새 비밀번호 정하기", "Choose a new password")}</h1>
            <Suspense fallback=Loading>
                {move || link.get().map(|r| match r {
                    Ok(account) => view! { <ResetForm token=token.clone() email=account.email expires=kst(account.expires_at)/> }.into_any(),
                    Err(e) if dead_link(&e) => view! { <DeadLink/> }.into_any(),
                    Err(e) => view! { <FormError error=Signal::derive(move || Some(e.clone()))/> }.into_any(),
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn DeadLink() -> impl IntoView {
    view! {
        <div class="panel stack" role="alert" data-testid="dead-link">
            <p>{crate::tr!("이 링크는 만료되었거나 이미 사용되었습니다. 링크는 메일에 적힌 시각까지 한 번만 쓸 수 있습니다.", "This link has expired or was used already. A link works once, until the time its mail gives.")}</p>
            <p><A href="/forgot-password" attr:class="btn btn-primary">{crate::tr!("새 링크 받기", "Get a new link")}</A></p>
        </div>
    }
}

#[component]
fn ResetForm(token: String, email: String, expires: String) -> impl IntoView {
    let password = RwSignal::new(String::new());
    let done = RwSignal::new(false);
    let form = FormState::new(move || {
        let mut e = moim_core::FieldErrors::default();
        moim_core::account::check_password(&mut e, "password", &password.get(), "");
        e
    });
    let submit = Submit::for_form(form);
    let on_submit = {
        let token = token.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            if !form.submit() {
                return;
            }
            let req = ResetPassword {
                token: token.clone(),
                password: password.get_untracked(),
            };
            submit.run(async move {
                api::auth::reset_password(&req).await?;
                done.set(true);
                Ok(())
            });
        }
    };
    let dead = move || submit.error().get().is_some_and(|e| dead_link(&e));
    view! {
        {move || if done.get() {
            view! {
                <div class="panel stack" role="status" data-testid="reset-done">
                    <p>{crate::tr!("비밀번호를 바꿨습니다. 모든 기기에서 로그아웃되었으니 새 비밀번호로 로그인해 주세요.", "Your password is changed. Every browser was signed out: sign in with the new password.")}</p>
                    <p><A href="/signin" attr:class="btn btn-primary">{t(M::SignIn)}</A></p>
                </div>
            }.into_any()
        } else if dead() {
            view! { <DeadLink/> }.into_any()
        } else {
            let email = email.clone();
            let expires = expires.clone();
            view! {
                <p>{crate::tr!("계정", "Account")}": "<strong>{email.clone()}</strong></p>
                <p class="muted">{crate::tr!("이 링크는 다음 시각까지 쓸 수 있습니다", "This link works until")}": "{expires}</p>
                <form class="stack card-form" on:submit=on_submit.clone() novalidate>
                    // For password managers: the account the new password belongs to.
                    <input type="email" name="username" autocomplete="username" value=email readonly hidden/>
                    <TextField form=form name="password" label=("새 비밀번호", "New password") value=password kind="password" autocomplete="new-password" maxlength=PASSWORD_MAX required=true
                        hint=("8자 이상. 추측하기 어려운 여러 단어의 조합이 좋습니다.", "At least 8 characters. A few unrelated words are hard to guess.")/>
                    <FormError error=submit.error()/>
                    <button type="submit" class="btn btn-primary btn-block" disabled=submit.pending()>{crate::tr!("비밀번호 바꾸기", "Set the password")}</button>
                </form>
            }.into_any()
        }}
    }
}
