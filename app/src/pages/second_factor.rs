//! The security page's panel for the second factor: adding an authenticator app
//! (scan its QR code, or type its key, then prove it with a code), the recovery
//! codes shown once, new codes, and turning it off.

use crate::{
    api,
    components::{
        cards::{ErrorView, Loading},
        form::{FormError, FormState, TextField},
    },
    load::Load,
    state::use_session,
    submit::Submit,
    time::kst,
};
use leptos::prelude::*;
use moim_core::{
    Validate, paths,
    second_factor::{ConfirmPassword, SecondFactorStatus, TotpCode, TotpSetup, in_fours},
    validate::PASSWORD_MAX,
};

/// Where the panel is.
#[derive(Clone)]
enum Stage {
    /// The status, and what can be done with the password.
    Status,
    /// An app being added.
    Adding(TotpSetup),
    /// New recovery codes, shown this once.
    Codes(Vec<String>),
}

#[component]
pub fn SecondFactorPanel() -> impl IntoView {
    let status = Load::<SecondFactorStatus>::new(|| Some(paths::MY_SECOND_FACTOR.to_owned()));
    let stage = RwSignal::new(Stage::Status);
    let removed = RwSignal::new(false);
    let session = use_session();
    // The panel's status and the session's (whose banner tells an admin or CM
    // without a second factor to add one).
    let changed = Callback::new(move |()| {
        status.refetch();
        leptos::task::spawn_local(async move {
            if let Ok(Some(me)) = api::auth::session().await {
                session.set(me);
            }
        });
    });
    view! {
        <section class="panel stack" id="second-factor" aria-labelledby="factor-h">
            <h2 id="factor-h">{crate::tr!("2단계 인증", "Two-step sign-in")}</h2>
            <Suspense fallback=Loading>
                {move || status.get().map(|r| match r {
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                    Ok(s) => match stage.get() {
                        Stage::Status => view! { <Status status=s stage=stage removed=removed on_change=changed/> }.into_any(),
                        Stage::Adding(setup) => view! { <Adding setup=setup stage=stage on_done=changed/> }.into_any(),
                        Stage::Codes(codes) => view! { <Codes codes=codes on_done=Callback::new(move |()| stage.set(Stage::Status))/> }.into_any(),
                    },
                })}
            </Suspense>
        </section>
        <super::passkeys::PasskeyPanel status=status on_change=changed/>
    }
}

/// What the account has, and the password-guarded actions: add an app; or
/// make new recovery codes, or turn it off.
#[component]
fn Status(
    status: SecondFactorStatus,
    stage: RwSignal<Stage>,
    removed: RwSignal<bool>,
    on_change: Callback<()>,
) -> impl IntoView {
    let password = RwSignal::new(String::new());
    let form = FormState::new(move || {
        ConfirmPassword {
            password: password.get(),
        }
        .validate()
        .err()
        .unwrap_or_default()
    });
    let submit = Submit::for_form(form);
    let req = move || ConfirmPassword {
        password: password.get_untracked(),
    };
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !form.submit() {
            return;
        }
        let req = req();
        submit.run(async move {
            let setup = api::auth::start_totp(&req).await?;
            removed.set(false);
            stage.set(Stage::Adding(setup));
            Ok(())
        });
    };
    let renew = move |_| {
        if !form.submit() {
            return;
        }
        let req = req();
        submit.run(async move {
            let codes = api::auth::renew_recovery_codes(&req).await?;
            on_change.run(());
            stage.set(Stage::Codes(codes.codes));
            Ok(())
        });
    };
    let remove = move |_| {
        if !form.submit() {
            return;
        }
        let req = req();
        submit.run(async move {
            api::auth::remove_totp(&req).await?;
            removed.set(true);
            on_change.run(());
            Ok(())
        });
    };
    let field = move || {
        view! {
            <TextField form=form name="password" prefix="factor" label=("비밀번호 확인", "Your password") value=password kind="password" autocomplete="current-password" maxlength=PASSWORD_MAX required=true/>
        }
    };
    // With passkeys, recovery codes stand in for them too, and the app is
    // not the only second factor.
    let passkeys = !status.passkeys.is_empty();
    match status.totp_since {
        Some(since) => view! {
            <p><span class="badge">{crate::tr!("사용 중", "On")}</span>" "
                {crate::tr!("로그인할 때 비밀번호와 인증 앱의 코드를 입력합니다.", "Signing in takes your password and a code from your app.")}</p>
            <p class="muted" data-testid="factor-status">
                {crate::tr!("등록", "Added")}" "{kst(since)}" · "
                {crate::tr!("남은 복구 코드 ", "Recovery codes left: ")}<strong>{status.recovery_codes_left}</strong>
                {crate::tr!("개", "")}
            </p>
            {(status.recovery_codes_left <= 3).then(|| view! {
                <p class="alert alert-info" role="status">{crate::tr!("복구 코드가 얼마 남지 않았습니다. 새로 만들어 두세요.", "Few recovery codes are left. Make new ones.")}</p>
            })}
            <form class="stack" on:submit=|ev| ev.prevent_default() novalidate>
                {field}
                <FormError error=submit.error()/>
                <div class="btn-row">
                    <button type="button" class="btn btn-secondary" on:click=renew disabled=submit.pending()>{crate::tr!("복구 코드 새로 만들기", "New recovery codes")}</button>
                    <button type="button" class="btn btn-danger" on:click=remove disabled=submit.pending()>{if passkeys {
                        crate::tr!("인증 앱 삭제", "Remove the authenticator app")
                    } else {
                        crate::tr!("2단계 인증 끄기", "Turn off two-step sign-in")
                    }}</button>
                </div>
            </form>
        }
        .into_any(),
        None => view! {
            {move || removed.get().then(|| view! {
                <p class="status-line ok" role="status">{if passkeys {
                    crate::tr!("인증 앱을 삭제했습니다. 패스키는 계속 2단계 인증에 쓰입니다.", "The authenticator app was removed. Your passkeys still take the second step.")
                } else {
                    crate::tr!("2단계 인증을 껐습니다. 이제 비밀번호만으로 로그인합니다.", "Two-step sign-in is off: the password alone signs in now.")
                }}</p>
            })}
            {passkeys.then(|| view! {
                <p class="muted" data-testid="factor-status">
                    {crate::tr!("패스키로 2단계 인증을 합니다. 남은 복구 코드 ", "Your passkeys take the second step. Recovery codes left: ")}<strong>{status.recovery_codes_left}</strong>
                    {crate::tr!("개", "")}
                </p>
            })}
            <p>{crate::tr!(
                "비밀번호가 알려져도 계정을 지킬 수 있도록, 로그인할 때 휴대전화 인증 앱(Google Authenticator, Microsoft Authenticator 등)의 6자리 코드를 함께 입력하게 합니다.",
                "Keep your account safe even if your password leaks: signing in also takes a six-digit code from an authenticator app on your phone (Google Authenticator, Microsoft Authenticator and the like)."
            )}</p>
            <form class="stack" on:submit=add novalidate>
                {field}
                <FormError error=submit.error()/>
                <div class="btn-row">
                    <button type="submit" class="btn btn-primary" disabled=submit.pending()>{crate::tr!("인증 앱 등록하기", "Add an authenticator app")}</button>
                    {passkeys.then(|| view! {
                        <button type="button" class="btn btn-secondary" on:click=renew disabled=submit.pending()>{crate::tr!("복구 코드 새로 만들기", "New recovery codes")}</button>
                    })}
                </div>
            </form>
        }
        .into_any(),
    }
}

/// Adding an app: scan or type, then a code from it proves it.
#[component]
fn Adding(setup: TotpSetup, stage: RwSignal<Stage>, on_done: Callback<()>) -> impl IntoView {
    let code = RwSignal::new(String::new());
    let form = FormState::new(move || {
        TotpCode { code: code.get() }
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
        let req = TotpCode {
            code: code.get_untracked(),
        };
        submit.run(async move {
            let codes = api::auth::confirm_totp(&req).await?;
            on_done.run(());
            stage.set(Stage::Codes(codes.codes));
            Ok(())
        });
    };
    let qr = format!("data:image/svg+xml,{}", api::enc(&setup.qr_svg));
    // The key in groups of four, as apps show and people type it.
    let key = in_fours(&setup.secret, " ");
    view! {
        <ol class="steps">
            <li>
                <p>{crate::tr!("휴대전화의 인증 앱에서 계정을 추가하고 이 QR 코드를 찍으세요.", "In the authenticator app on your phone, add an account and scan this QR code.")}</p>
                <img class="qr" src=qr width="200" height="200" alt=crate::tr!("인증 앱에 등록할 QR 코드", "QR code for the authenticator app")/>
                <p class="muted">{crate::tr!("찍을 수 없다면 이 키를 입력하세요: ", "Cannot scan it? Type this key: ")}<code class="totp-key" data-testid="totp-key">{key}</code></p>
                <p><a href=setup.uri.clone()>{crate::tr!("이 휴대전화의 인증 앱에서 열기", "Open in the authenticator app on this phone")}</a></p>
            </li>
            <li>
                <form class="stack" on:submit=on_submit novalidate>
                    <TextField form=form name="code" prefix="totp" label=("앱에 표시된 6자리 코드", "The six-digit code the app shows") value=code autocomplete="one-time-code" inputmode="numeric" required=true/>
                    <FormError error=submit.error()/>
                    <div class="btn-row">
                        <button type="submit" class="btn btn-primary" disabled=submit.pending()>{crate::tr!("확인하고 켜기", "Confirm and turn on")}</button>
                        <button type="button" class="btn btn-secondary" on:click=move |_| stage.set(Stage::Status)>{crate::tr!("취소", "Cancel")}</button>
                    </div>
                </form>
            </li>
        </ol>
    }
}

/// Recovery codes, shown this once, to save or print; `on_done` when the
/// person says they kept them.
#[component]
pub(super) fn Codes(codes: Vec<String>, on_done: Callback<()>) -> impl IntoView {
    let text = format!(
        "모임 Moim 복구 코드 (recovery codes)\n각 코드는 한 번만 쓸 수 있습니다. Each works once.\n\n{}\n",
        codes.join("\n")
    );
    let file = format!("data:text/plain;charset=utf-8,{}", api::enc(&text));
    view! {
        <p class="alert alert-info" role="status">{crate::tr!(
            "휴대전화나 패스키가 있는 기기를 잃어버렸을 때 2단계 인증 대신 쓸 복구 코드입니다. 안전한 곳에 보관하세요. 다시 보여 드리지 않습니다.",
            "These recovery codes get you in if you lose your phone or the device with your passkey. Keep them somewhere safe: they are not shown again."
        )}</p>
        <ol class="recovery-codes" data-testid="recovery-codes">
            {codes.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}
        </ol>
        <div class="btn-row">
            <a class="btn btn-secondary" href=file download="moim-recovery-codes.txt">{crate::tr!("파일로 저장", "Save as a file")}</a>
            <button type="button" class="btn btn-primary" on:click=move |_| on_done.run(())>{crate::tr!("보관했습니다", "I have saved them")}</button>
        </div>
    }
}
