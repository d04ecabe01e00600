//! The one JSON error body every API failure is sent as. The browser decodes the
//! same type, so a status and its body never drift apart.

use serde::{Deserialize, Serialize};

/// Why a single field was refused. The UI turns each code into Korean or English.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(
    tag = "code",
    rename_all = "snake_case",
    try_from = "wire::FieldErrorWire"
)]
pub enum ErrorCode {
    /// Empty or only white space.
    Required,
    /// Fewer characters than allowed.
    TooShort {
        /// Minimum length in characters.
        min: usize,
    },
    /// More characters (or items) than allowed.
    TooLong {
        /// Maximum length in characters (or items).
        max: usize,
    },
    /// A number outside its range.
    OutOfRange {
        /// Smallest allowed value.
        min: i64,
        /// Largest allowed value.
        max: i64,
    },
    /// Contains control characters (NUL and the like), which no text needs.
    ControlCharacters,
    /// Not an email address.
    InvalidEmail,
    /// Not a 10-digit business registration number with a valid check digit.
    InvalidBusinessNumber,
    /// One of the passwords attackers try first.
    CommonPassword,
    /// The password repeats the email address.
    PasswordLikeEmail,
    /// The password is easy to guess (judged by the server's strength estimator);
    /// `hint` is a [`crate::password::PasswordHint`] code saying why. A code, not
    /// a nested enum: the shell decodes every error, and a string costs it nothing.
    WeakPassword {
        /// Why, as [`crate::password::PasswordHint::code`] gives it.
        hint: String,
    },
    /// A value that is not one of the allowed choices; also an answer to a
    /// question the questionnaire does not have or does not ask, and a second
    /// of what must differ (a question's key, a choice).
    InvalidChoice,
    /// An end date before its start date.
    EndBeforeStart,
    /// A firm's certification dated before the firm was founded.
    BeforeFounding,
    /// A time that must come before the start (a registration deadline) does not.
    AfterStart,
    /// A time that must fall within its activity (a programme item) does not.
    OutsideActivity,
    /// A time in the past where only the future makes sense.
    InPast,
    /// A link's token that is not (or no longer) good: expired, used, or never
    /// issued. One code for all three, so a guesser learns nothing.
    InvalidLink,
    /// Not the account's password (changing it asks for the current one).
    WrongPassword,
    /// A second factor's code that is wrong, used already or too old.
    WrongCode,
    /// An organisation merged into itself or into one of another kind.
    NotMergeable,
    /// A figure that looks wrong (ten times last year's, R&D above sales):
    /// kept once the person confirms it.
    Implausible,
    /// Not a value of the field's kind: text or a fraction where a whole
    /// number belongs, a number where text does.
    InvalidType,
}

/// One refused field of a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "wire::FieldErrorWire")]
pub struct FieldError {
    /// The request field, as named in the JSON body (`organisation.business_no`).
    pub field: String,
    /// Why it was refused.
    #[serde(flatten)]
    pub code: ErrorCode,
}

/// Every field error of one request, in the order the fields were checked.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    /// Records that `field` failed with `code`.
    pub fn add(&mut self, field: impl Into<String>, code: ErrorCode) {
        self.0.push(FieldError {
            field: field.into(),
            code,
        });
    }

    /// The first error of `field`, if any.
    pub fn get(&self, field: &str) -> Option<&ErrorCode> {
        self.0.iter().find(|e| e.field == field).map(|e| &e.code)
    }

    /// True when nothing was refused.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok` when nothing was refused, else the errors.
    pub fn into_result(self) -> Result<(), FieldErrors> {
        if self.is_empty() { Ok(()) } else { Err(self) }
    }
}

/// What a 409 conflicts with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ConflictCode {
    /// An account with this email exists.
    EmailTaken,
    /// A firm with this business registration number is registered.
    BusinessNumberTaken,
    /// The organisation is already a member of the consortium.
    AlreadyMember,
    /// The organisation is not a member of the consortium.
    NotMember,
    /// A request or invitation for this organisation is already open.
    AlreadyPending,
    /// The request or invitation was decided already.
    AlreadyDecided,
    /// The consortium is archived and takes no new members.
    Archived,
    /// The person already manages this consortium.
    AlreadyManager,
    /// A consortium with this name exists in the complex.
    NameTaken,
    /// The problem is not open (a draft, matched or closed) for this action.
    ProblemNotOpen,
    /// The expert was invited already.
    AlreadyInvited,
    /// The expert sent a proposal for this problem already.
    AlreadyProposed,
    /// The collaboration cannot move to that stage from where it is.
    StageNotAllowed,
    /// The time in which an author may edit has passed.
    EditWindowClosed,
    /// Registration is closed: past the deadline, started, or cancelled.
    RegistrationClosed,
    /// Every place is taken and the activity keeps no waiting list.
    ActivityFull,
    /// Every place of the chosen attendee category is taken.
    CategoryFull,
    /// Someone registered under the category an edit removes or renames.
    CategoryInUse,
    /// Check-in is not open, or the code has expired.
    CheckinClosed,
    /// Only registered people (or those on the waiting list) may do this.
    NotRegistered,
    /// The address is verified already.
    AlreadyVerified,
    /// The account has a second factor of this kind already.
    SecondFactorOn,
    /// The account has no second factor of this kind (or none being set up).
    SecondFactorOff,
    /// The organisation's representative leaves only after handing the role to
    /// a confirmed colleague.
    HandoverFirst,
    /// The programme's only admin cannot leave (nobody would be left to run it).
    LastAdmin,
    /// Passkeys need the portal to be reached by a domain name (its public
    /// address is an IP address).
    PasskeysUnavailable,
    /// The survey is not open for answers yet.
    SurveyNotOpen,
    /// The survey is closed: answers are no longer taken or changed.
    SurveyClosed,
    /// The survey has answers, so its questions stay as they are (close it
    /// and copy it).
    SurveyAnswered,
    /// The answer was changed (by a colleague) since the changes sent started
    /// from it: reload it first.
    AnswerChanged,
    /// Someone registered for the activity, so its registration questions
    /// stay as they are (their answers are read by them).
    QuestionsAnswered,
    /// Meeting requests are not taken now (before or after the booking phase).
    BookingClosed,
    /// A request between these two people exists (either way round).
    AlreadyRequested,
    /// The caller (field `me`) or the other person (field `to`) has as many
    /// meetings as the organiser allows.
    MeetingCapReached,
    /// The slot and table, or one of the two people at that time, are taken.
    SlotTaken,
    /// The person takes no part in the event's matchmaking (no profile yet).
    NotParticipating,
    /// A meeting can be reported on once its time has come (and it was placed).
    MeetingNotYet,
    /// A meeting someone has reported on stays where it was held (and the slots
    /// and tables of an event with such meetings stay as they are).
    MeetingReported,
    /// The partner co-organises events: it stays in the register while they
    /// name it.
    PartnerInUse,
    /// A partner of this name (in any case) is in the register.
    PartnerNameTaken,
    /// The call takes no applications now (before 접수 opens, or after the
    /// deadline).
    CallNotOpen,
    /// The organisation has an application to this call already (as lead).
    ApplicationExists,
    /// The application is submitted: withdraw it to change it.
    ApplicationSubmitted,
    /// The application does not meet every rule of the call (its checks say
    /// which).
    RulesNotMet,
    /// Evaluation has started: the application stays as submitted.
    EvaluationStarted,
    /// Someone applied, so the call's rules and form stay as they are.
    CallHasApplications,
    /// The call is not in its evaluation phase: reviews are given then only
    /// (and decisions from its start).
    NotEvaluating,
    /// The application is not submitted (it was withdrawn): nothing is
    /// decided on it.
    NotSubmitted,
    /// The selected applications' grants together would go beyond the call's
    /// budget.
    OverBudget,
    /// The call's results are announced already.
    AlreadyAnnounced,
    /// Some submitted applications have no decision yet.
    Undecided,
    /// The application is not among the call's announced selected ones.
    NotSelected,
    /// A consortium was founded from the application already.
    AlreadyFounded,
    /// The application's agreement is recorded already.
    AlreadyAgreed,
    /// The application has no agreement recorded yet.
    NotAgreed,
    /// The payments together would go beyond the grant.
    OverGrant,
}

/// The JSON body of every failed API call; `status()` is its HTTP status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(
    tag = "error",
    rename_all = "snake_case",
    try_from = "wire::ApiErrorWire"
)]
pub enum ApiError {
    /// 400: the body or query could not be read (malformed JSON, wrong types).
    #[error("bad request: {message}")]
    BadRequest {
        /// What could not be read, for developers.
        message: String,
    },
    /// 401: no valid session.
    #[error("sign-in required")]
    Unauthenticated,
    /// 401: wrong email or password (never says which).
    #[error("wrong email or password")]
    InvalidCredentials,
    /// 403: signed in, but not allowed to do this.
    #[error("forbidden")]
    Forbidden,
    /// 403: a state-changing request without the session's CSRF token.
    #[error("missing or wrong CSRF token")]
    CsrfRejected,
    /// 403: the account is suspended by an admin (the right password, but no way in).
    #[error("account suspended")]
    AccountSuspended {
        /// The admin's reason, as they wrote it.
        reason: String,
    },
    /// 403: the person has not opened the link mailed to their address yet, and
    /// until then reads but does not act.
    #[error("email not verified")]
    EmailUnverified,
    /// 403: an agency admin or a CM acts only once their account has a second
    /// factor (an authenticator app); until then they look after their account.
    #[error("second factor required")]
    SecondFactorRequired,
    /// 403: the privacy policy changed since the person agreed to it; they act
    /// once they agree to the version in force.
    #[error("consent required")]
    ConsentRequired,
    /// 404: no such object, or not visible to the caller.
    #[error("not found")]
    NotFound,
    /// 409: the request conflicts with the current state.
    #[error("conflict: {code:?}")]
    Conflict {
        /// What it conflicts with.
        code: ConflictCode,
        /// The request field concerned, if one is.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        field: Option<String>,
    },
    /// 405: the path exists, the method does not.
    #[error("method not allowed")]
    MethodNotAllowed,
    /// 413: the body is larger than allowed.
    #[error("payload too large")]
    PayloadTooLarge {
        /// The limit in bytes.
        limit: u64,
    },
    /// 415: the body is not JSON.
    #[error("unsupported media type")]
    UnsupportedMediaType,
    /// 422: well-formed but invalid; every refused field is listed.
    #[error("validation failed")]
    Validation {
        /// The refused fields.
        fields: FieldErrors,
    },
    /// 503: the database does not answer (restarting, unreachable, locked by
    /// another process): nothing was done; try again after `retry_after` seconds.
    #[error("service unavailable")]
    Unavailable {
        /// Seconds to wait before trying again.
        retry_after: u64,
    },
    /// 507: the server's disk (or its database's) is full: nothing was written;
    /// reads go on, and writing works again once space is freed.
    #[error("storage full")]
    StorageFull {
        /// Seconds to wait before trying again.
        retry_after: u64,
    },
    /// 429: too many attempts; try again after `retry_after` seconds.
    #[error("too many requests")]
    TooManyRequests {
        /// Seconds until the next attempt is accepted.
        retry_after: u64,
    },
    /// 500: the server failed; the cause is in its log, never in the body.
    #[error("internal error")]
    Internal,
}

impl ApiError {
    /// The HTTP status this error is sent with.
    pub fn status(&self) -> u16 {
        match self {
            ApiError::BadRequest { .. } => 400,
            ApiError::Unauthenticated | ApiError::InvalidCredentials => 401,
            ApiError::Forbidden
            | ApiError::CsrfRejected
            | ApiError::AccountSuspended { .. }
            | ApiError::EmailUnverified
            | ApiError::SecondFactorRequired
            | ApiError::ConsentRequired => 403,
            ApiError::NotFound => 404,
            ApiError::MethodNotAllowed => 405,
            ApiError::Conflict { .. } => 409,
            ApiError::PayloadTooLarge { .. } => 413,
            ApiError::UnsupportedMediaType => 415,
            ApiError::Validation { .. } => 422,
            ApiError::TooManyRequests { .. } => 429,
            ApiError::Unavailable { .. } => 503,
            ApiError::StorageFull { .. } => 507,
            ApiError::Internal => 500,
        }
    }

    /// A 422 for one field.
    pub fn invalid(field: &str, code: ErrorCode) -> Self {
        ApiError::Validation {
            fields: FieldErrors(vec![FieldError {
                field: field.to_owned(),
                code,
            }]),
        }
    }

    /// A conflict on one request field.
    pub fn conflict(code: ConflictCode, field: &str) -> Self {
        ApiError::Conflict {
            code,
            field: Some(field.to_owned()),
        }
    }

    /// A conflict with the state of the thing itself, not one field.
    pub fn state(code: ConflictCode) -> Self {
        ApiError::Conflict { code, field: None }
    }
}

impl From<FieldErrors> for ApiError {
    fn from(fields: FieldErrors) -> Self {
        ApiError::Validation { fields }
    }
}

/// Reading an error body. The shapes above are serde's tagged enums, which serde
/// reads by first copying the whole body into a buffer of its own and then
/// reading that again: generic code the browser's every download carried (a tenth
/// of the app's main module). Read as one plain struct of optional fields and
/// then checked, the same JSON is read in one pass. Writing is the derived one.
mod wire {
    use super::{ApiError, ConflictCode, ErrorCode, FieldError, FieldErrors};
    use serde::Deserialize;

    /// A body that names a variant without the fields it needs.
    #[derive(Debug)]
    pub struct Incomplete;

    impl std::fmt::Display for Incomplete {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("an error body without a field its kind needs")
        }
    }

    /// `ErrorCode`'s tags (one of which, `wrong_code`, names a code a person typed).
    #[allow(clippy::enum_variant_names)]
    #[derive(Deserialize, Clone, Copy)]
    #[serde(rename_all = "snake_case")]
    enum Code {
        Required,
        TooShort,
        TooLong,
        OutOfRange,
        ControlCharacters,
        InvalidEmail,
        InvalidBusinessNumber,
        CommonPassword,
        PasswordLikeEmail,
        WeakPassword,
        InvalidChoice,
        EndBeforeStart,
        BeforeFounding,
        AfterStart,
        OutsideActivity,
        InPast,
        InvalidLink,
        WrongPassword,
        WrongCode,
        NotMergeable,
        Implausible,
        InvalidType,
    }

    /// A field error, or an `ErrorCode` alone (`field` absent).
    #[derive(Deserialize)]
    pub struct FieldErrorWire {
        #[serde(default)]
        field: Option<String>,
        code: Code,
        #[serde(default)]
        min: Option<i64>,
        #[serde(default)]
        max: Option<i64>,
        #[serde(default)]
        hint: Option<String>,
    }

    fn size(n: Option<i64>) -> Result<usize, Incomplete> {
        n.and_then(|n| usize::try_from(n).ok()).ok_or(Incomplete)
    }

    impl TryFrom<FieldErrorWire> for ErrorCode {
        type Error = Incomplete;
        fn try_from(w: FieldErrorWire) -> Result<Self, Incomplete> {
            Ok(match w.code {
                Code::Required => ErrorCode::Required,
                Code::TooShort => ErrorCode::TooShort { min: size(w.min)? },
                Code::TooLong => ErrorCode::TooLong { max: size(w.max)? },
                Code::OutOfRange => ErrorCode::OutOfRange {
                    min: w.min.ok_or(Incomplete)?,
                    max: w.max.ok_or(Incomplete)?,
                },
                Code::ControlCharacters => ErrorCode::ControlCharacters,
                Code::InvalidEmail => ErrorCode::InvalidEmail,
                Code::InvalidBusinessNumber => ErrorCode::InvalidBusinessNumber,
                Code::CommonPassword => ErrorCode::CommonPassword,
                Code::PasswordLikeEmail => ErrorCode::PasswordLikeEmail,
                Code::WeakPassword => ErrorCode::WeakPassword {
                    hint: w.hint.ok_or(Incomplete)?,
                },
                Code::InvalidChoice => ErrorCode::InvalidChoice,
                Code::EndBeforeStart => ErrorCode::EndBeforeStart,
                Code::BeforeFounding => ErrorCode::BeforeFounding,
                Code::AfterStart => ErrorCode::AfterStart,
                Code::OutsideActivity => ErrorCode::OutsideActivity,
                Code::InPast => ErrorCode::InPast,
                Code::InvalidLink => ErrorCode::InvalidLink,
                Code::WrongPassword => ErrorCode::WrongPassword,
                Code::NotMergeable => ErrorCode::NotMergeable,
                Code::Implausible => ErrorCode::Implausible,
                Code::InvalidType => ErrorCode::InvalidType,
                Code::WrongCode => ErrorCode::WrongCode,
            })
        }
    }

    impl TryFrom<FieldErrorWire> for FieldError {
        type Error = Incomplete;
        fn try_from(mut w: FieldErrorWire) -> Result<Self, Incomplete> {
            Ok(FieldError {
                field: w.field.take().ok_or(Incomplete)?,
                code: w.try_into()?,
            })
        }
    }

    /// `ApiError`'s tags.
    #[derive(Deserialize, Clone, Copy)]
    #[serde(rename_all = "snake_case")]
    enum Kind {
        BadRequest,
        Unauthenticated,
        InvalidCredentials,
        Forbidden,
        CsrfRejected,
        AccountSuspended,
        EmailUnverified,
        SecondFactorRequired,
        ConsentRequired,
        NotFound,
        Conflict,
        MethodNotAllowed,
        PayloadTooLarge,
        UnsupportedMediaType,
        Validation,
        TooManyRequests,
        Unavailable,
        StorageFull,
        Internal,
    }

    #[derive(Deserialize)]
    pub struct ApiErrorWire {
        error: Kind,
        #[serde(default)]
        message: Option<String>,
        #[serde(default)]
        reason: Option<String>,
        #[serde(default)]
        code: Option<ConflictCode>,
        #[serde(default)]
        field: Option<String>,
        #[serde(default)]
        limit: Option<u64>,
        #[serde(default)]
        fields: Option<Vec<FieldError>>,
        #[serde(default)]
        retry_after: Option<u64>,
    }

    impl TryFrom<ApiErrorWire> for ApiError {
        type Error = Incomplete;
        fn try_from(w: ApiErrorWire) -> Result<Self, Incomplete> {
            Ok(match w.error {
                Kind::BadRequest => ApiError::BadRequest {
                    message: w.message.ok_or(Incomplete)?,
                },
                Kind::Unauthenticated => ApiError::Unauthenticated,
                Kind::InvalidCredentials => ApiError::InvalidCredentials,
                Kind::Forbidden => ApiError::Forbidden,
                Kind::CsrfRejected => ApiError::CsrfRejected,
                Kind::AccountSuspended => ApiError::AccountSuspended {
                    reason: w.reason.ok_or(Incomplete)?,
                },
                Kind::EmailUnverified => ApiError::EmailUnverified,
                Kind::SecondFactorRequired => ApiError::SecondFactorRequired,
                Kind::ConsentRequired => ApiError::ConsentRequired,
                Kind::NotFound => ApiError::NotFound,
                Kind::Conflict => ApiError::Conflict {
                    code: w.code.ok_or(Incomplete)?,
                    field: w.field,
                },
                Kind::MethodNotAllowed => ApiError::MethodNotAllowed,
                Kind::PayloadTooLarge => ApiError::PayloadTooLarge {
                    limit: w.limit.ok_or(Incomplete)?,
                },
                Kind::UnsupportedMediaType => ApiError::UnsupportedMediaType,
                Kind::Validation => ApiError::Validation {
                    fields: FieldErrors(w.fields.ok_or(Incomplete)?),
                },
                Kind::TooManyRequests => ApiError::TooManyRequests {
                    retry_after: w.retry_after.ok_or(Incomplete)?,
                },
                Kind::Unavailable => ApiError::Unavailable {
                    retry_after: w.retry_after.ok_or(Incomplete)?,
                },
                Kind::StorageFull => ApiError::StorageFull {
                    retry_after: w.retry_after.ok_or(Incomplete)?,
                },
                Kind::Internal => ApiError::Internal,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The wire shape of each error is a contract with every client: pin it.
    #[test]
    fn error_json_is_pinned() {
        let mut fields = FieldErrors::default();
        fields.add("email", ErrorCode::InvalidEmail);
        fields.add("password", ErrorCode::TooShort { min: 8 });
        fields.add(
            "password",
            ErrorCode::WeakPassword {
                hint: crate::password::PasswordHint::Repeated.code().into(),
            },
        );
        let cases = [
            (
                ApiError::BadRequest {
                    message: "x".into(),
                },
                400,
                json!({"error": "bad_request", "message": "x"}),
            ),
            (
                ApiError::Unauthenticated,
                401,
                json!({"error": "unauthenticated"}),
            ),
            (
                ApiError::InvalidCredentials,
                401,
                json!({"error": "invalid_credentials"}),
            ),
            (ApiError::Forbidden, 403, json!({"error": "forbidden"})),
            (
                ApiError::CsrfRejected,
                403,
                json!({"error": "csrf_rejected"}),
            ),
            (
                ApiError::AccountSuspended {
                    reason: "스팸".into(),
                },
                403,
                json!({"error": "account_suspended", "reason": "스팸"}),
            ),
            (
                ApiError::EmailUnverified,
                403,
                json!({"error": "email_unverified"}),
            ),
            (
                ApiError::SecondFactorRequired,
                403,
                json!({"error": "second_factor_required"}),
            ),
            (
                ApiError::ConsentRequired,
                403,
                json!({"error": "consent_required"}),
            ),
            (ApiError::NotFound, 404, json!({"error": "not_found"})),
            (
                ApiError::conflict(ConflictCode::EmailTaken, "email"),
                409,
                json!({"error": "conflict", "code": "email_taken", "field": "email"}),
            ),
            (
                ApiError::Conflict {
                    code: ConflictCode::AlreadyPending,
                    field: None,
                },
                409,
                json!({"error": "conflict", "code": "already_pending"}),
            ),
            (
                ApiError::MethodNotAllowed,
                405,
                json!({"error": "method_not_allowed"}),
            ),
            (
                ApiError::PayloadTooLarge { limit: 65536 },
                413,
                json!({"error": "payload_too_large", "limit": 65536}),
            ),
            (
                ApiError::UnsupportedMediaType,
                415,
                json!({"error": "unsupported_media_type"}),
            ),
            (
                ApiError::Validation { fields },
                422,
                json!({"error": "validation", "fields": [
                    {"field": "email", "code": "invalid_email"},
                    {"field": "password", "code": "too_short", "min": 8},
                    {"field": "password", "code": "weak_password", "hint": "repeated"}
                ]}),
            ),
            (
                ApiError::TooManyRequests { retry_after: 60 },
                429,
                json!({"error": "too_many_requests", "retry_after": 60}),
            ),
            (
                ApiError::Unavailable { retry_after: 5 },
                503,
                json!({"error": "unavailable", "retry_after": 5}),
            ),
            (
                ApiError::StorageFull { retry_after: 60 },
                507,
                json!({"error": "storage_full", "retry_after": 60}),
            ),
            (ApiError::Internal, 500, json!({"error": "internal"})),
        ];
        for (error, status, expected) in cases {
            assert_eq!(error.status(), status, "{error:?}");
            let value = serde_json::to_value(&error).unwrap();
            assert_eq!(value, expected);
            let back: ApiError = serde_json::from_value(value).unwrap();
            assert_eq!(back, error);
        }
    }

    /// Every code is read back as written (the reading side lists the tags again).
    #[test]
    fn every_error_code_reads_back() {
        let codes = [
            ErrorCode::Required,
            ErrorCode::TooShort { min: 2 },
            ErrorCode::TooLong { max: 200 },
            ErrorCode::OutOfRange { min: -5, max: 9 },
            ErrorCode::ControlCharacters,
            ErrorCode::InvalidEmail,
            ErrorCode::InvalidBusinessNumber,
            ErrorCode::CommonPassword,
            ErrorCode::PasswordLikeEmail,
            ErrorCode::WeakPassword {
                hint: "keyboard".into(),
            },
            ErrorCode::InvalidChoice,
            ErrorCode::EndBeforeStart,
            ErrorCode::BeforeFounding,
            ErrorCode::AfterStart,
            ErrorCode::OutsideActivity,
            ErrorCode::InPast,
            ErrorCode::InvalidLink,
            ErrorCode::WrongPassword,
            ErrorCode::WrongCode,
        ];
        let mut fields = FieldErrors::default();
        for (i, code) in codes.iter().enumerate() {
            let value = serde_json::to_value(code).unwrap();
            assert_eq!(serde_json::from_value::<ErrorCode>(value).unwrap(), *code);
            fields.add(format!("f{i}"), code.clone());
        }
        let error = ApiError::from(fields);
        let back: ApiError = serde_json::from_value(serde_json::to_value(&error).unwrap()).unwrap();
        assert_eq!(back, error);
        // A kind without what it needs, or an unknown one, is refused.
        for bad in [
            json!({"error": "conflict"}),
            json!({"error": "validation"}),
            json!({"error": "too_many_requests"}),
            json!({"error": "validation", "fields": [{"field": "a", "code": "too_long"}]}),
            json!({"error": "validation", "fields": [{"code": "required"}]}),
            json!({"error": "nope"}),
            json!({}),
        ] {
            assert!(
                serde_json::from_value::<ApiError>(bad.clone()).is_err(),
                "{bad}"
            );
        }
    }
}
