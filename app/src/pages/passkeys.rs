//! The security page's passkeys: adding one made by this device (its
//! fingerprint, face or screen lock; or a security key), the list with when
//! each last signed in, and removing one. A passkey is a second factor, and
//! signs in by itself from the sign-in page.

use crate::{
    api::{self, passkey::PasskeyError},
    components::form::{FormError, FormState, TextField},
    i18n::use_lang,
    load::Load,
    submit::Submit,
    time::{ago, kst},
};
use leptos::prelude::*;
use moim_core::{
    Validate,
    second_factor::{ConfirmPassword, NewPasskey, PASSKEY_NAME_MAX, SecondFactorStatus},
    validate::PASSWORD_MAX,
};

/// What the browser's side of a passkey step said, in words.
pub fn passkey_note(
    e: &PasskeyError,
) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static + use<> {
    match e {
        PasskeyError::Unsupported => crate::tr!(
            "이 브라우저나 기기에서는 패스키를 쓸 수 없습니다.",
            "Passkeys cannot be used in this browser or on this device."
        ),
        PasskeyError::Cancelled => crate::tr!(
            "패스키 확인이 취소되었거나 이 기기에서 패스키를 찾지 못했습니다. 다시 시도해 주세요.",
            "The passkey step was cancelled, or this device found no passkey. Please try again."
        ),
        PasskeyError::OnThisDevice => crate::tr!(
            "이 기기에는 이 계정의 패스키가 이미 있습니다.",
            "This device holds a passkey of this account already."
        ),
        PasskeyError::Unavailable => crate::tr!(
            "이 포털은 IP 주소로 열려 있어 패스키를 쓸 수 없습니다. 도메인 이름(예: moim.example.kr)으로 접속하거나 운영자에게 알려 주세요.",
            "This portal is opened by an IP address, where passkeys cannot work. Open it by its domain name (e.g. moim.example.kr) or tell its operator."
        ),
        PasskeyError::Server(_) => crate::tr!("", ""),
    }
}

/// What was just done.
#[derive(Clone, Copy, PartialEq)]
enum Done {
    Added,
    Removed,
}

/// The passkeys of the account (`status`, shared with the second-factor
/// panel); `on_change` reloads it and the session after a change.
#[component]
pub fn PasskeyPanel(status: Load<SecondFactorStatus>, on_change: Callback<()>) -> impl IntoView {
    let lang = use_lang();
    let name = RwSignal::new(crate::tr!("이 기기의 패스키", "Passkey on this device")().to_owned());
    let password = RwSignal::new(String::new());
    let codes = RwSignal::new(None::<Vec<String>>);
    let note = RwSignal::new(None::<PasskeyError>);
    let done = RwSignal::new(None::<Done>);
    let form = FormState::new(move || {
        let mut e = ConfirmPassword {
            password: password.get(),
        }
        .validate()
        .err()
        .unwrap_or_default();
        let new = NewPasskey {
            ceremony: "-".into(),
            name: name.get(),
            credential: serde_json::Value::Object(Default::default()),
        };
        if let Err(more) = new.validate() {
            e.0.extend(more.0);
        }
        e
    });
    let submit = Submit::for_form(form);
    let start = move || {
        note.set(None);
        done.set(None);
        form.submit()
    };
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !start() {
            return;
        }
        let (pw, label) = (password.get_untracked(), name.get_untracked());
        submit.run(async move {
            match api::passkey::add(pw, label.trim().to_owned()).await {
                Ok(added) => {
                    password.set(String::new());
                    form.reset();
                    on_change.run(());
                    if added.recovery_codes.is_empty() {
                        done.set(Some(Done::Added));
                    } else {
                        codes.set(Some(added.recovery_codes));
                    }
                    Ok(())
                }
                Err(PasskeyError::Server(e)) => Err(e),
                Err(other) => {
                    note.set(Some(other));
                    Ok(())
                }
            }
        });
    };
    // Removing asks for the password in a small form under the passkey chosen
    // (its own, so the adding form's name and password play no part).
    let removing = RwSignal::new(None::<i64>);
    let remove_password = RwSignal::new(String::new());
    let remove_form = FormState::new(move || {
        ConfirmPassword {
            password: remove_password.get(),
        }
        .validate()
        .err()
        .unwrap_or_default()
    });
    let remove_submit = Submit::for_form(remove_form);
    let choose = move |id: Option<i64>| {
        remove_password.set(String::new());
        remove_form.reset();
        removing.set(id);
    };
    let remove = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(id) = removing.get_untracked() else {
            return;
        };
        note.set(None);
        done.set(None);
        if !remove_form.submit() {
            return;
        }
        let pw = remove_password.get_untracked();
        remove_submit.run(async move {
            api::passkey::remove(id, pw).await?;
            choose(None);
            on_change.run(());
            done.set(Some(Done::Removed));
            Ok(())
        });
    };
    let list = move || {
        status.get().and_then(Result::ok).map(|s| {
            if s.passkeys.is_empty() {
                return view! {
                    <p class="muted">{crate::tr!("등록된 패스키가 없습니다.", "No passkey yet.")}</p>
                }
                .into_any();
            }
            view! {
                <ul class="member-list" data-testid="passkeys">
                    {s.passkeys.into_iter().map(|p| {
                        let (id, created, used) = (p.id, p.created_at, p.last_used_at);
                        let name = p.name.clone();
                        view! {
                            <li>
                                <div>
                                    <p><strong>{p.name}</strong></p>
                                    <p class="muted">
                                        {crate::tr!("등록", "Added")}" "{kst(created)}" · "
                                        {crate::tr!("마지막 사용", "Last used")}" "
                                        {move || match used {
                                            Some(at) => ago(at, lang.get()),
                                            None => crate::tr!("아직 없음", "not yet")().to_owned(),
                                        }}
                                    </p>
                                </div>
                                <button type="button" class="btn btn-secondary btn-sm"
                                    aria-expanded=move || (removing.get() == Some(id)).to_string()
                                    aria-label=move || format!("{} {}", name, crate::tr!("삭제", "remove")())
                                    on:click=move |_| choose((removing.get_untracked() != Some(id)).then_some(id))>
                                    {crate::tr!("삭제", "Remove")}
                                </button>
                                {move || (removing.get() == Some(id)).then(|| view! {
                                    <form class="stack passkey-remove" on:submit=remove novalidate>
                                        <TextField form=remove_form name="password" prefix="passkey-remove" label=("비밀번호 (삭제 확인)", "Password (to confirm)") value=remove_password kind="password" autocomplete="current-password" maxlength=PASSWORD_MAX required=true/>
                                        <FormError error=remove_submit.error()/>
                                        <div class="btn-row">
                                            <button type="submit" class="btn btn-danger" disabled=remove_submit.pending()>{crate::tr!("패스키 삭제", "Remove the passkey")}</button>
                                            <button type="button" class="btn btn-secondary" on:click=move |_| choose(None)>{crate::tr!("취소", "Cancel")}</button>
                                        </div>
                                    </form>
                                })}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }
            .into_any()
        })
    };
    let supported = api::passkey::supported();
    view! {
        <section class="panel stack" id="passkeys" aria-labelledby="passkeys-h">
            <h2 id="passkeys-h">{crate::tr!("패스키", "Passkeys")}</h2>
            <p>{crate::tr!(
                "패스키는 휴대전화나 컴퓨터의 지문, 얼굴 인식, 화면 잠금(또는 보안 키)으로 로그인하는 방법입니다. 비밀번호 없이 로그인할 수 있고, 비밀번호로 로그인할 때의 2단계 인증도 됩니다. 피싱 사이트에서는 작동하지 않습니다.",
                "A passkey signs you in with your phone's or computer's fingerprint, face or screen lock (or a security key). It signs in without the password, and takes the second step of a password sign-in. It does not work on a phishing site."
            )}</p>
            {list}
            {move || codes.get().map(|c| view! {
                <super::second_factor::Codes codes=c on_done=Callback::new(move |()| codes.set(None))/>
            })}
            {move || done.get().map(|d| view! {
                <p class="status-line ok" role="status">{match d {
                    Done::Added => crate::tr!("패스키를 등록했습니다.", "The passkey was added."),
                    Done::Removed => crate::tr!("패스키를 삭제했습니다.", "The passkey was removed."),
                }}</p>
            })}
            {if supported {
                view! {
                    <form class="stack" on:submit=add novalidate hidden=move || codes.with(Option::is_some)>
                        <TextField form=form name="name" prefix="passkey" label=("패스키 이름", "Name of the passkey") hint=("어느 기기인지 알아볼 수 있게 (예: 내 휴대폰)", "So you know which device it is (e.g. my phone)") value=name maxlength=PASSKEY_NAME_MAX required=true/>
                        <TextField form=form name="password" prefix="passkey" label=("비밀번호 (패스키 확인)", "Password (to confirm)") value=password kind="password" autocomplete="current-password" maxlength=PASSWORD_MAX required=true/>
                        <div role="alert" class="form-error-slot">
                            {move || note.get().map(|e| view! { <p class="alert alert-error">{passkey_note(&e)}</p> })}
                        </div>
                        <FormError error=submit.error()/>
                        <button type="submit" class="btn btn-primary" disabled=submit.pending()>{crate::tr!("이 기기로 패스키 추가", "Add a passkey on this device")}</button>
                    </form>
                }
                .into_any()
            } else {
                view! {
                    <p class="alert alert-info" role="status">{passkey_note(&PasskeyError::Unsupported)}</p>
                }
                .into_any()
            }}
        </section>
    }
}
