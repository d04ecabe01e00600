//! App-wide contexts: the session, the language, reference data.

use crate::{
    api::{self, ClientError},
    i18n::{Lang, M},
};
use leptos::{prelude::*, task::spawn_local};
use moim_core::{ApiError, ConflictCode, account::Me, paths, reference::Reference};

/// The app's own owner: what a page makes under it (the idea outbox) outlives
/// the page.
#[derive(Clone)]
pub struct AppOwner(pub Owner);

/// The signed-in person, if any; `ready` once the first check answered.
#[derive(Clone, Copy)]
pub struct Session {
    pub me: RwSignal<Option<Me>>,
    pub ready: RwSignal<bool>,
}

impl Session {
    pub fn new() -> Self {
        Session {
            me: RwSignal::new(None),
            ready: RwSignal::new(false),
        }
    }

    /// Who is signed in: the answer the page came with, read at once so the header
    /// is drawn right the first time; else (a page from the offline cache) asked.
    pub fn load(self) {
        if let Some(answer) = api::take_answer::<Option<Me>>(paths::SESSION) {
            match answer {
                Ok(Some(me)) => self.set(me),
                Ok(None) | Err(_) => self.ready.set(true),
            }
            return;
        }
        spawn_local(async move {
            match api::auth::session().await {
                Ok(Some(me)) => self.set(me),
                Ok(None) | Err(_) => self.me.set(None),
            }
            self.ready.set(true);
        });
    }

    /// Stores a fresh `Me` (after sign-in, sign-up or an edit).
    pub fn set(self, me: Me) {
        api::set_csrf(&me.csrf_token);
        self.me.set(Some(me));
        self.ready.set(true);
    }

    /// Updates the bell's number.
    pub fn refresh_unread(self) {
        if self.me.with_untracked(Option::is_none) {
            return;
        }
        spawn_local(async move {
            if let Ok(c) = api::notifications::unread().await {
                self.set_unread(c.unread);
            }
        });
    }

    pub fn set_unread(self, n: i64) {
        self.me.update(|m| {
            if let Some(m) = m {
                m.unread_notifications = n;
            }
        });
    }
}

/// The session context.
pub fn use_session() -> Session {
    use_context::<Session>().unwrap_or_else(Session::new)
}

/// Reference data (complexes, fields), fetched on first use and kept for the
/// page's life. The fetch runs from the pages that need it, so its decoding code
/// lives in their chunks and the front page never pays for it.
#[derive(Clone, Copy)]
pub struct Refs {
    data: RwSignal<Option<Result<Reference, ClientError>>>,
    requested: RwSignal<bool>,
}

impl Refs {
    pub fn new() -> Self {
        Refs {
            data: RwSignal::new(None),
            requested: RwSignal::new(false),
        }
    }

    /// The data once loaded (empty until then, or if loading failed).
    pub fn get(self) -> Reference {
        self.data
            .with(|d| d.as_ref().and_then(|r| r.as_ref().ok()).cloned())
            .unwrap_or(Reference {
                complexes: vec![],
                fields: vec![],
            })
    }

    /// Complexes as (id, name in `lang`) pairs for a select.
    pub fn complex_options(self, lang: Lang) -> Vec<(String, String)> {
        let ko = lang == Lang::Ko;
        self.get()
            .complexes
            .into_iter()
            .map(|c| (c.id.0.to_string(), if ko { c.name_ko } else { c.name_en }))
            .collect()
    }

    /// Technology fields as (id, name in `lang`) pairs for a select.
    pub fn field_options(self, lang: Lang) -> Vec<(String, String)> {
        let ko = lang == Lang::Ko;
        self.get()
            .fields
            .into_iter()
            .map(|f| (f.id.0.to_string(), if ko { f.name_ko } else { f.name_en }))
            .collect()
    }

    /// The error of the last load, to show beside the filters that need the data.
    pub fn error(self) -> Option<ClientError> {
        self.data
            .with(|d| d.as_ref().and_then(|r| r.as_ref().err()).cloned())
    }
}

/// The reference data, loading it if no page asked for it yet.
pub fn use_refs() -> Refs {
    let refs = expect_context::<Refs>();
    if !refs.requested.get_untracked() {
        refs.requested.set(true);
        spawn_local(async move { refs.data.set(Some(api::reference::reference().await)) });
    }
    refs
}

const LANG_KEY: &str = "moim.lang";

pub fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// A value kept on this device under `key` (what was typed, what waits to be sent).
pub fn load<T: serde::de::DeserializeOwned>(key: &str) -> Option<T> {
    api::decode(&storage()?.get_item(key).ok()??).ok()
}

/// Keeps `value` on this device; false when the browser refused (storage full).
pub fn save<T: serde::Serialize>(key: &str, value: &T) -> bool {
    match (storage(), serde_json::to_string(value)) {
        (Some(s), Ok(j)) => s.set_item(key, &j).is_ok(),
        _ => false,
    }
}

/// Forgets what was kept under `key`.
pub fn forget(key: &str) {
    if let Some(s) = storage() {
        let _ = s.remove_item(key);
    }
}

/// A fresh idempotency key: the time and 52 random bits, in hex.
pub fn new_key() -> String {
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let (t, r) = (
        js_sys::Date::now() as u64,
        (js_sys::Math::random() * 4_503_599_627_370_496.0) as u64,
    );
    format!("{t:x}-{r:x}")
}

/// The language chosen last time on this device.
pub fn stored_lang() -> Option<Lang> {
    match storage()?.get_item(LANG_KEY).ok()??.as_str() {
        "en" => Some(Lang::En),
        "ko" => Some(Lang::Ko),
        _ => None,
    }
}

/// Remembers the language and tells assistive technology through `<html lang>`.
pub fn remember_lang(lang: Lang) {
    if let Some(s) = storage() {
        let _ = s.set_item(LANG_KEY, lang.code());
    }
    if let Some(html) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = html.set_attribute("lang", lang.code());
    }
}

/// One sentence for an error that is not about a single field.
pub fn error_text(e: &ClientError, lang: Lang) -> String {
    let key = match e {
        ClientError::Network => M::ErrNetwork,
        ClientError::Decode => M::ErrDecode,
        ClientError::Api(api) => match api {
            ApiError::BadRequest { .. }
            | ApiError::UnsupportedMediaType
            | ApiError::MethodNotAllowed => M::ErrBadRequest,
            ApiError::Unauthenticated => M::ErrUnauthenticated,
            ApiError::InvalidCredentials => M::ErrCredentials,
            ApiError::Forbidden => M::ErrForbidden,
            ApiError::CsrfRejected => M::ErrCsrf,
            // The sign-in page, the one place it is answered, says why itself.
            ApiError::AccountSuspended { .. } => M::ErrForbidden,
            ApiError::EmailUnverified => M::ErrUnverified,
            ApiError::SecondFactorRequired => M::ErrSecondFactor,
            ApiError::ConsentRequired => M::ErrConsent,
            ApiError::NotFound => M::ErrNotFound,
            ApiError::PayloadTooLarge { .. } => M::ErrTooLarge,
            ApiError::Validation { .. } => M::FixErrors,
            ApiError::Internal => M::ErrServer,
            ApiError::Unavailable { .. } => {
                return crate::i18n::pick(
                    lang,
                    "서버가 잠시 응답하지 않습니다. 잠시 뒤에 다시 시도해 주세요. 입력한 내용은 그대로 있습니다.",
                    "The server is not answering for a moment. Try again shortly; what you typed is still here.",
                )
                .to_owned();
            }
            ApiError::StorageFull { .. } => {
                return crate::i18n::pick(
                    lang,
                    "서버의 저장 공간이 부족해 지금은 저장할 수 없습니다. 잠시 뒤에 다시 시도해 주세요. 입력한 내용은 그대로 있습니다.",
                    "The server is out of storage, so nothing could be saved. Try again in a while; what you typed is still here.",
                )
                .to_owned();
            }
            ApiError::TooManyRequests { retry_after } => {
                let minutes = retry_after.div_ceil(60);
                return if lang == Lang::Ko {
                    format!("시도가 너무 많습니다. {minutes}분 뒤에 다시 시도해 주세요.")
                } else {
                    format!("Too many attempts. Try again in {minutes} min.")
                };
            }
            ApiError::Conflict { code, .. } => match code {
                ConflictCode::EmailTaken => M::ErrEmailTaken,
                ConflictCode::BusinessNumberTaken => M::ErrBusinessTaken,
                ConflictCode::AlreadyMember => M::ErrAlreadyMember,
                ConflictCode::NotMember => M::ErrNotMember,
                ConflictCode::AlreadyPending => M::ErrAlreadyPending,
                ConflictCode::AlreadyDecided => M::ErrAlreadyDecided,
                ConflictCode::Archived => M::ErrArchived,
                ConflictCode::AlreadyManager => M::ErrAlreadyManager,
                ConflictCode::NameTaken => M::ErrNameTaken,
                ConflictCode::ProblemNotOpen => M::ErrProblemNotOpen,
                ConflictCode::AlreadyInvited => M::ErrAlreadyInvited,
                ConflictCode::AlreadyProposed => M::ErrAlreadyProposed,
                ConflictCode::StageNotAllowed => M::ErrStageNotAllowed,
                ConflictCode::EditWindowClosed => M::ErrEditWindowClosed,
                ConflictCode::AlreadyVerified => M::ErrAlreadyVerified,
                // Worded by the activity pages (`activities_area::error_text`), so
                // their texts stay out of the first download.
                ConflictCode::RegistrationClosed
                | ConflictCode::ActivityFull
                | ConflictCode::CategoryFull
                | ConflictCode::CategoryInUse
                | ConflictCode::QuestionsAnswered
                // The matchmaking page words these (`matchmaking::conflict_text`).
                | ConflictCode::BookingClosed
                | ConflictCode::AlreadyRequested
                | ConflictCode::MeetingCapReached
                | ConflictCode::SlotTaken
                | ConflictCode::NotParticipating
                | ConflictCode::MeetingNotYet
                | ConflictCode::MeetingReported
                // The partner pages word these.
                | ConflictCode::PartnerInUse
                | ConflictCode::PartnerNameTaken
                | ConflictCode::CheckinClosed
                | ConflictCode::NotRegistered
                // The security page words these itself.
                | ConflictCode::SecondFactorOn
                | ConflictCode::SecondFactorOff
                | ConflictCode::HandoverFirst
                | ConflictCode::LastAdmin
                | ConflictCode::PasskeysUnavailable
                // The survey pages word these (`surveys::conflict_text`).
                | ConflictCode::SurveyNotOpen
                | ConflictCode::SurveyClosed
                | ConflictCode::SurveyAnswered
                | ConflictCode::AnswerChanged
                // The call pages word these (`calls::conflict_text`).
                | ConflictCode::CallNotOpen
                | ConflictCode::ApplicationExists
                | ConflictCode::ApplicationSubmitted
                | ConflictCode::RulesNotMet
                | ConflictCode::EvaluationStarted
                | ConflictCode::CallHasApplications
                | ConflictCode::NotEvaluating
                // The evaluation module words these.
                | ConflictCode::NotSubmitted
                | ConflictCode::OverBudget
                | ConflictCode::AlreadyAnnounced
                | ConflictCode::Undecided
                // Founding's, in a race only: the form shows while it may be.
                | ConflictCode::NotSelected
                | ConflictCode::AlreadyFounded
                // The grant panel words these (`calls::conflict_text`).
                | ConflictCode::AlreadyAgreed
                | ConflictCode::NotAgreed
                | ConflictCode::OverGrant => M::ErrAlreadyDecided,
            },
        },
    };
    key.text(lang).to_owned()
}
