//! The account's security: its address (verifying it, moving to a new one),
//! changing the password, the second factor (`second_factor.rs`), the
//! browsers signed in to the account, each of which can be signed out from here,
//! the consents given (the optional one withdrawn here), and closing the
//! account (회원 탈퇴).

use crate::{
    api,
    components::{
        cards::{ErrorView, Loading, SignedIn},
        form::{FormError, FormState, TextField},
    },
    i18n::{M, t, use_lang},
    load::Load,
    state::use_session,
    submit::Submit,
    time::{ago, kst},
};
use leptos::prelude::*;
use moim_core::{
    ApiError, ConflictCode, Validate,
    account::{CLOSED_ACCOUNT_NAME, ChangeEmail, ChangePassword, SessionView},
    paths,
    privacy::Consents,
    second_factor::{CODE_MAX, CloseAccount, SecondFactorStatus},
    validate::{EMAIL_MAX, PASSWORD_MAX},
};

#[component]
pub fn SecurityPage() -> impl IntoView {
    view! { <SignedIn next="/me/security"><Security/></SignedIn> }
}

#[component]
fn Security() -> impl IntoView {
    let sessions = Load::<Vec<SessionView>>::new(|| Some(paths::MY_SESSIONS.to_owned()));
    view! {
        <section class="section narrow">
            <p class="crumbs"><a href="/me">{t(M::NavMe)}</a></p>
            <h1>{crate::tr!("계정 보안", "Account security")}</h1>
            <EmailPanel/>
            <PasswordPanel on_changed=Callback::new(move |()| sessions.refetch())/>
            <super::second_factor::SecondFactorPanel/>
            <SessionsPanel sessions=sessions/>
            <ConsentsPanel/>
            <ClosePanel/>
        </section>
    }
}

/// The sign-in address: whether it is verified (with the link mailed again if
/// not), and moving the account to a new one, which its own link verifies.
#[component]
fn EmailPanel() -> impl IntoView {
    let session = use_session();
    let address = move || {
        session
            .me
            .with(|m| m.as_ref().map(|m| m.email.clone()).unwrap_or_default())
    };
    let verified = move || {
        session
            .me
            .with(|m| m.as_ref().is_some_and(|m| m.email_verified))
    };
    let resend = Submit::new();
    let resent = RwSignal::new(false);
    let send_again = move |_| {
        resend.run(async move {
            api::auth::resend_verification().await?;
            resent.set(true);
            Ok(())
        });
    };
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let asked = RwSignal::new(None::<String>);
    let request = move || ChangeEmail {
        email: email.get(),
        password: password.get(),
    };
    let form = FormState::new(move || request().validate().err().unwrap_or_default());
    let submit = Submit::for_form(form);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        asked.set(None);
        if !form.submit() {
            return;
        }
        let req = request();
        submit.run(async move {
            api::auth::change_email(&req).await?;
            asked.set(Some(req.email.trim().to_owned()));
            password.set(String::new());
            Ok(())
        });
    };
    view! {
        <section class="panel stack" id="email" aria-labelledby="email-h">
            <h2 id="email-h">{crate::tr!("이메일 주소", "Email address")}</h2>
            <p><strong>{address}</strong>" "
                {move || if verified() {
                    view! { <span class="badge">{crate::tr!("인증됨", "Verified")}</span> }.into_any()
                } else {
                    view! { <span class="badge badge-warn">{crate::tr!("인증 전", "Not verified")}</span> }.into_any()
                }}</p>
            <Show when=move || !verified()>
                <p class="hint">{crate::tr!("메일로 받은 링크를 누르면 인증이 끝납니다. 그 전에는 글쓰기, 참여 신청, 행사 등록을 할 수 없습니다.", "Open the link we mailed you to verify the address. Until then you cannot post, ask to join or register.")}</p>
                <button type="button" class="btn btn-secondary" on:click=send_again disabled=resend.pending()>{crate::tr!("인증 메일 다시 받기", "Send the link again")}</button>
                <Show when=move || resent.get()><p class="status-line ok" role="status">{crate::tr!("인증 메일을 다시 보냈습니다.", "The link is on its way again.")}</p></Show>
                <FormError error=resend.error()/>
            </Show>
            <form class="stack" on:submit=on_submit novalidate>
                <TextField form=form name="email" prefix="new-address" label=("새 이메일 주소", "New email address") value=email kind="email" autocomplete="email" maxlength=EMAIL_MAX required=true/>
                <TextField form=form name="password" prefix="new-address" label=("비밀번호 (본인 확인)", "Password (to confirm it is you)") value=password kind="password" autocomplete="current-password" maxlength=PASSWORD_MAX required=true/>
                <FormError error=submit.error()/>
                {move || asked.get().map(|to| view! {
                    <p class="status-line ok" role="status" data-testid="email-change-sent"><strong>{to}</strong>{crate::tr!(" 주소로 확인 링크를 보냈습니다. 링크를 열면 로그인 주소가 바뀝니다.", ": a link is on its way there. The sign-in address changes once it is opened.")}</p>
                })}
                <button type="submit" class="btn btn-secondary" disabled=submit.pending()>{crate::tr!("주소 바꾸기", "Change the address")}</button>
            </form>
        </section>
    }
}

#[component]
fn PasswordPanel(on_changed: Callback<()>) -> impl IntoView {
    let current = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let changed = RwSignal::new(false);
    let request = move || ChangePassword {
        current: current.get(),
        password: password.get(),
    };
    let form = FormState::new(move || request().validate().err().unwrap_or_default());
    let submit = Submit::for_form(form);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        changed.set(false);
        if !form.submit() {
            return;
        }
        let req = request();
        submit.run(async move {
            api::auth::change_password(&req).await?;
            current.set(String::new());
            password.set(String::new());
            changed.set(true);
            on_changed.run(());
            Ok(())
        });
    };
    view! {
        <section class="panel" aria-labelledby="pw-h">
            <h2 id="pw-h">{crate::tr!("비밀번호 변경", "Change password")}</h2>
            <form class="stack" on:submit=on_submit novalidate>
                <TextField form=form name="current" label=("현재 비밀번호", "Current password") value=current kind="password" autocomplete="current-password" maxlength=PASSWORD_MAX required=true/>
                <TextField form=form name="password" label=("새 비밀번호", "New password") value=password kind="password" autocomplete="new-password" maxlength=PASSWORD_MAX required=true
                    hint=("8자 이상. 바꾸면 이 기기를 뺀 모든 기기에서 로그아웃됩니다.", "At least 8 characters. Every other browser is signed out when you change it.")/>
                <FormError error=submit.error()/>
                <div role="status">
                    {move || changed.get().then(|| view! { <p class="status-line ok">{crate::tr!("비밀번호를 바꿨습니다. 다른 기기는 모두 로그아웃되었습니다.", "Password changed. Every other browser was signed out.")}</p> })}
                </div>
                <button type="submit" class="btn btn-primary" disabled=submit.pending()>{crate::tr!("비밀번호 바꾸기", "Change password")}</button>
            </form>
        </section>
    }
}

#[component]
fn SessionsPanel(sessions: Load<Vec<SessionView>>) -> impl IntoView {
    let lang = use_lang();
    let ending = Submit::new();
    let end_others = move |_| {
        ending.run(async move {
            api::auth::end_other_sessions().await?;
            sessions.refetch();
            Ok(())
        });
    };
    view! {
        <section class="panel" aria-labelledby="sessions-h">
            <h2 id="sessions-h">{crate::tr!("로그인된 기기", "Signed-in browsers")}</h2>
            <p class="muted">{crate::tr!("모르는 기기가 있으면 로그아웃시키고 비밀번호를 바꾸세요.", "See one you do not know? Sign it out and change your password.")}</p>
            <FormError error=ending.error()/>
            <Suspense fallback=Loading>
                {move || sessions.get().map(|r| match r {
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                    Ok(list) => {
                        let others = list.iter().filter(|s| !s.current).count();
                        view! {
                            <ul class="member-list" data-testid="sessions">
                                {list.into_iter().map(|s| {
                                    let id = s.id.clone();
                                    let end = move |_| {
                                        let id = id.clone();
                                        ending.run(async move {
                                            api::auth::end_session(&id).await?;
                                            sessions.refetch();
                                            Ok(())
                                        });
                                    };
                                    let browser = if s.browser.is_empty() { None } else { Some(s.browser.clone()) };
                                    let (created, seen) = (s.created_at, s.last_seen_at);
                                    view! {
                                        <li>
                                            <div>
                                                <p><strong>{match browser { Some(b) => b.into_any(), None => crate::tr!("알 수 없는 브라우저", "Unknown browser").into_any() }}</strong>
                                                    {s.current.then(|| view! { " "<span class="badge">{crate::tr!("이 기기", "This browser")}</span> })}</p>
                                                <p class="muted">
                                                    {s.address.clone().map(|a| view! { {a}" · " })}
                                                    {crate::tr!("로그인", "Signed in")}" "{kst(created)}" · "
                                                    {crate::tr!("마지막 사용", "Last used")}" "{move || ago(seen, lang.get())}
                                                </p>
                                            </div>
                                            {(!s.current).then(|| view! {
                                                <button type="button" class="btn btn-secondary btn-sm" on:click=end disabled=ending.pending()>{crate::tr!("로그아웃", "Sign out")}</button>
                                            })}
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                            {(others > 0).then(|| view! {
                                <button type="button" class="btn btn-secondary" on:click=end_others disabled=ending.pending()>{crate::tr!("이 기기 말고 모두 로그아웃", "Sign out every other browser")}</button>
                            })}
                        }.into_any()
                    }
                })}
            </Suspense>
        </section>
    }
}

/// The consents given: the policy's version and when, and the optional news
/// mail, withdrawn (or given) with one tick.
#[component]
fn ConsentsPanel() -> impl IntoView {
    let consents = Load::<Consents>::new(|| Some(paths::MY_CONSENTS.to_owned()));
    let saving = Submit::new();
    let saved = RwSignal::new(false);
    view! {
        <section class="panel stack" id="consents" aria-labelledby="consents-h">
            <h2 id="consents-h">{crate::tr!("개인정보 동의", "Consents")}</h2>
            <Suspense fallback=Loading>
                {move || consents.get().map(|r| match r {
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                    Ok(c) => {
                        let agreed = c.history.iter().find(|r| r.kind == "privacy" && r.given).map(|r| r.at);
                        let current = c.policy_version.as_deref() == Some(c.current_version.as_str());
                        let toggle = move |ev: leptos::ev::Event| {
                            let on = event_target_checked(&ev);
                            saved.set(false);
                            saving.run(async move {
                                let done = api::auth::set_news_mail(on).await;
                                // The box shows what the server has, saved or not.
                                consents.refetch();
                                done?;
                                saved.set(true);
                                Ok(())
                            });
                        };
                        view! {
                            {(!current).then(|| view! {
                                <p class="alert alert-info">{crate::tr!("시행 중인 개인정보 처리방침에 아직 동의하지 않으셨습니다. ", "You have not agreed to the privacy policy in force yet. ")}<a href="/privacy#agree">{crate::tr!("확인하고 동의하기", "Read and agree")}</a></p>
                            })}
                            <p data-testid="privacy-consent" hidden=!current>
                                {crate::tr!("개인정보 처리방침 (시행일 ", "Privacy policy (in force from ")}{c.policy_version.clone().unwrap_or_default()}
                                {crate::tr!(")에 동의", ") agreed")}
                                {agreed.map(|at| view! { " · "{kst(at)} })}
                                " · "<a href="/privacy">{crate::tr!("전문 보기", "Read it")}</a>
                            </p>
                            <label class="check">
                                <input type="checkbox" prop:checked=c.news_mail on:change=toggle disabled=saving.pending()/>
                                {crate::tr!("[선택] 지원사업·행사 소식 메일 받기", "[Optional] News of support programmes and events by mail")}
                            </label>
                            <div role="status">{move || saved.get().then(|| view! { <p class="status-line ok">{crate::tr!("저장했습니다.", "Saved.")}</p> })}</div>
                            <FormError error=saving.error()/>
                            <details>
                                <summary>{crate::tr!("동의 기록", "Record of consents")}</summary>
                                <ul class="plain" data-testid="consent-history">
                                    {c.history.into_iter().map(|r| view! {
                                        <li>
                                            {kst(r.at)}" · "
                                            {if r.kind == "privacy" { crate::tr!("개인정보 수집·이용", "Personal information").into_any() } else { crate::tr!("소식 메일", "News mail").into_any() }}
                                            " · "{crate::tr!("방침 ", "policy ")}{r.version}" · "
                                            {if r.given { crate::tr!("동의", "agreed").into_any() } else { crate::tr!("동의 안 함·철회", "not given or withdrawn").into_any() }}
                                        </li>
                                    }).collect_view()}
                                </ul>
                            </details>
                        }.into_any()
                    }
                })}
            </Suspense>
        </section>
    }
}

/// 회원 탈퇴: what goes and what stays, the data download offered first, then
/// the password (and a code when the account has a second factor) and a box to
/// tick. A representative with colleagues is sent to hand the role over.
#[component]
fn ClosePanel() -> impl IntoView {
    let session = use_session();
    let navigate = leptos_router::hooks::use_navigate();
    let factor = Load::<SecondFactorStatus>::new(|| Some(paths::MY_SECOND_FACTOR.to_owned()));
    let has_factor = move || {
        factor
            .get()
            .and_then(Result::ok)
            .is_some_and(|f| f.in_use())
    };
    let password = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let sure = RwSignal::new(false);
    let request = move || CloseAccount {
        password: password.get(),
        code: Some(code.get()).filter(|c| !c.trim().is_empty()),
    };
    let form = FormState::new(move || {
        let mut e = request().validate().err().unwrap_or_default();
        if has_factor() && code.with(|c| c.trim().is_empty()) {
            e.add("code", moim_core::ErrorCode::Required);
        }
        if !sure.get() {
            e.add("sure", moim_core::ErrorCode::Required);
        }
        e
    });
    let submit = Submit::for_form(form);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !form.submit() {
            return;
        }
        let req = request();
        let navigate = navigate.clone();
        submit.run(async move {
            api::auth::close_account(&req).await?;
            session.me.set(None);
            navigate("/?closed", Default::default());
            Ok(())
        });
    };
    // The two refusals this page explains itself, with where to go next.
    let refused = move || match submit.error().get() {
        Some(crate::api::ClientError::Api(ApiError::Conflict { code, .. })) => Some(code),
        _ => None,
    };
    view! {
        <section class="panel stack" id="close" aria-labelledby="close-h">
            <h2 id="close-h">{crate::tr!("회원 탈퇴", "Close the account")}</h2>
            <p>{crate::tr!(
                "탈퇴하면 이메일, 이름, 부서, 전문가 프로필, 알림과 설정, 로그인 기록, 동의 기록이 지체 없이 삭제되고, 이 계정으로 다시 로그인할 수 없습니다. 예정된 행사 등록은 취소되어 대기자에게 자리가 넘어갑니다.",
                "Closing deletes your email, name, department, expert profile, notifications and settings, sign-in records and consents at once, and nobody can sign in to this account again. Registrations for activities still to come are cancelled, and the places go to those waiting."
            )}</p>
            <p>{crate::tr!("다른 회원과 함께 쓴 기록(아이디어와 댓글, 애로과제와 제안, 참석 기록)은 남되, 작성자는 ", "What you wrote with others (ideas and comments, problems and proposals, attendance) stays, shown as by ")}
                <strong>{CLOSED_ACCOUNT_NAME}</strong>
                {crate::tr!("으로 표시됩니다. 기관의 대표자는 먼저 동료에게 대표자 역할을 넘겨야 하며, 기관의 마지막 사람이면 기관도 함께 닫힙니다.", " (\"a former member\"). A representative hands the role to a colleague first; the last person of an organisation closes it too.")}</p>
            <p><a href="/api/me/export" download>{crate::tr!("탈퇴 전에 내 정보 내려받기 (JSON)", "Download your data before you go (JSON)")}</a></p>
            <form class="stack" on:submit=on_submit novalidate>
                <TextField form=form name="password" prefix="close" label=("비밀번호 (탈퇴 확인)", "Password (to confirm closing)") value=password kind="password" autocomplete="current-password" maxlength=PASSWORD_MAX required=true/>
                <Show when=has_factor>
                    <TextField form=form name="code" prefix="close" label=("인증 앱의 6자리 코드 또는 복구 코드", "The six-digit code from your app, or a recovery code") value=code autocomplete="one-time-code" maxlength=CODE_MAX required=true/>
                </Show>
                <label class="check">
                    <input type="checkbox" id="close-sure" name="sure" prop:checked=sure
                        aria-invalid=move || form.error("sure").is_some().to_string() aria-describedby="close-sure-error"
                        on:change=move |ev| { sure.set(event_target_checked(&ev)); form.edited("sure"); }/>
                    {crate::tr!("위 내용을 확인했으며, 탈퇴를 되돌릴 수 없음을 압니다", "I have read the above and know that closing cannot be undone")}
                </label>
                <p class="error" id="close-sure-error">{move || form.error("sure").is_some().then(crate::tr!("탈퇴하려면 확인란에 표시하세요.", "Tick the box to close the account."))}</p>
                {move || match refused() {
                    Some(ConflictCode::HandoverFirst) => view! {
                        <p class="alert alert-error" role="alert">{crate::tr!("기관에 다른 사람이 있어 대표자는 바로 탈퇴할 수 없습니다. 먼저 ", "Others belong to your organisation, so its representative cannot leave yet. First ")}
                            <a href="/me#handover">{crate::tr!("대표자 역할을 넘기고", "hand the role over")}</a>
                            {crate::tr!(", 확인을 기다리는 동료가 있으면 확인하거나 거절하세요.", ", and confirm or decline colleagues still waiting.")}</p>
                    }.into_any(),
                    Some(ConflictCode::LastAdmin) => view! {
                        <p class="alert alert-error" role="alert">{crate::tr!("유일한 관리자는 탈퇴할 수 없습니다. 다른 관리자를 먼저 지정하세요.", "The only admin cannot leave. Make someone else an admin first.")}</p>
                    }.into_any(),
                    _ => view! { <FormError error=submit.error()/> }.into_any(),
                }}
                <button type="submit" class="btn btn-danger" disabled=submit.pending()>{crate::tr!("회원 탈퇴", "Close my account")}</button>
            </form>
        </section>
    }
}
