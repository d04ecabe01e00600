//! How the activity pages word activities: kinds, where a person stands, and the
//! conflicts only these pages meet.

use crate::i18n::{Lang, pick};
use moim_core::activity::{ActivityKind, RegistrationStatus};

/// A kind as people say it.
pub fn kind_label(k: ActivityKind, lang: Lang) -> &'static str {
    match k {
        ActivityKind::Seminar => pick(lang, "세미나", "Seminar"),
        ActivityKind::Forum => pick(lang, "포럼", "Forum"),
        ActivityKind::CompanyVisit => pick(lang, "기업방문", "Company visit"),
        ActivityKind::GuestLecture => pick(lang, "연사특강", "Guest lecture"),
        ActivityKind::Matchmaking => pick(lang, "수출상담회", "Export matchmaking"),
        ActivityKind::Other => pick(lang, "기타", "Other"),
    }
}

/// Where the caller stands, as a badge says it.
pub fn status_label(s: RegistrationStatus, lang: Lang) -> &'static str {
    match s {
        RegistrationStatus::Registered => pick(lang, "참가 확정", "Registered"),
        RegistrationStatus::Waitlisted => pick(lang, "대기 중", "Waiting list"),
        RegistrationStatus::Cancelled => pick(lang, "신청 취소", "Cancelled"),
    }
}

/// An API error as the activity pages word it: their own conflicts here, the
/// rest as everywhere.
pub fn error_text(e: &crate::api::ClientError, lang: Lang) -> String {
    use moim_core::{ApiError, ConflictCode};
    if let crate::api::ClientError::Api(ApiError::Conflict { code, .. }) = e {
        let text = match code {
            ConflictCode::RegistrationClosed => Some(pick(
                lang,
                "신청이 마감되었습니다.",
                "Registration is closed.",
            )),
            ConflictCode::ActivityFull => {
                Some(pick(lang, "정원이 찼습니다.", "All places are taken."))
            }
            ConflictCode::CategoryFull => Some(pick(
                lang,
                "고른 참가 구분의 자리가 찼습니다. 다른 구분을 골라 주세요.",
                "The places of that category are taken; choose another.",
            )),
            ConflictCode::CategoryInUse => Some(pick(
                lang,
                "이미 신청한 사람이 있는 참가 구분은 지우거나 이름을 바꿀 수 없습니다.",
                "A category someone registered under cannot be removed or renamed.",
            )),
            ConflictCode::QuestionsAnswered => Some(pick(
                lang,
                "이미 신청한 사람이 있어 신청 질문을 바꿀 수 없습니다.",
                "People have registered, so the registration questions stay as they are.",
            )),
            ConflictCode::CheckinClosed => Some(pick(
                lang,
                "지금은 출석 확인 시간이 아닙니다. (행사 1시간 전부터 종료 2시간 후까지)",
                "Check-in is not open now (from an hour before until two hours after).",
            )),
            ConflictCode::NotRegistered => Some(pick(
                lang,
                "참가가 확정된 사람만 출석할 수 있습니다.",
                "Only people with a place can check in.",
            )),
            ConflictCode::NotMember => Some(pick(
                lang,
                "이 활동의 협의체 회원 기관만 신청할 수 있습니다.",
                "Only member organisations of these consortia can register.",
            )),
            _ => None,
        };
        if let Some(t) = text {
            return t.to_owned();
        }
    }
    crate::state::error_text(e, lang)
}

/// A failed call of an activity page, in that page's words.
#[leptos::component]
pub fn ActivityError(
    #[prop(into)] error: leptos::prelude::Signal<Option<crate::api::ClientError>>,
) -> impl leptos::IntoView {
    use leptos::prelude::*;
    let lang = crate::i18n::use_lang();
    move || {
        error.get().map(|e| {
            view! { <p class="alert alert-error" role="alert">{error_text(&e, lang.get())}</p> }
        })
    }
}

/// The check-in code form: the six digits on the CM's screen, a wrong code
/// said at the field. `id`: the input's element id; `on_check` sends.
#[leptos::component]
pub fn CodeForm(
    id: &'static str,
    code: leptos::prelude::RwSignal<String>,
    checking: crate::submit::Submit,
    #[prop(into)] on_check: leptos::prelude::Callback<()>,
) -> impl leptos::IntoView {
    use crate::{i18n::pick, tr};
    use leptos::prelude::*;
    let lang = crate::i18n::use_lang();
    let error = move || {
        checking.error().get().map(|e| {
            let l = lang.get();
            if e.fields().get("code").is_some() {
                pick(
                    l,
                    "코드가 맞지 않습니다. 화면의 여섯 자리 숫자를 다시 확인해 주세요.",
                    "That code is not right. Check the six digits on the screen.",
                )
                .to_owned()
            } else {
                error_text(&e, l)
            }
        })
    };
    let error_id = format!("{id}-error");
    view! {
        <form class="checkin-form" on:submit=move |ev| { ev.prevent_default(); on_check.run(()); }>
            <label for=id>{tr!("화면에 보이는 출석 코드 6자리", "The six-digit code on the screen")}</label>
            <input id=id type="text" inputmode="numeric" autocomplete="one-time-code" maxlength="6" pattern="[0-9]{6}"
                prop:value=code on:input=move |ev| code.set(event_target_value(&ev)) aria-invalid=move || error().is_some().to_string()
                aria-describedby=error_id.clone()/>
            <div id=error_id role="alert">{move || error().map(|e| view! { <p class="alert alert-error">{e}</p> })}</div>
            <button type="submit" class="btn btn-primary btn-block" disabled=checking.pending()>{tr!("출석하기", "Check in")}</button>
        </form>
    }
}
