//! Korean first, English switchable. Every message is one `M` variant with both
//! texts side by side in `messages!`: a key without either language does not
//! compile, so no screen can show a missing translation.

use leptos::prelude::*;
use moim_core::{
    ErrorCode,
    account::OrgKind,
    consortium::{AuditAction, ConsortiumKind, RequestStatus},
    notification::{NotificationKind, NotificationView},
    reference::Region,
};

/// The reader's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Ko,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Ko => "ko",
            Lang::En => "en",
        }
    }
}

macro_rules! messages {
    ($($key:ident => { ko: $ko:expr, en: $en:expr $(,)? }),* $(,)?) => {
        /// A message of the UI.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum M { $($key),* }

        impl M {
            /// The text in `lang`. Each language's texts are one string, cut once
            /// into a table: smaller in the first download than an arm or a
            /// pointer per text.
            pub fn text(self, lang: Lang) -> &'static str {
                const KO: &str = concat!($($ko, "\u{0}"),*);
                const EN: &str = concat!($($en, "\u{0}"),*);
                thread_local! {
                    static TABLES: [Vec<&'static str>; 2] = [KO.split('\u{0}').collect(), EN.split('\u{0}').collect()];
                }
                TABLES.with(|t| t[usize::from(lang == Lang::En)].get(self as usize).copied().unwrap_or_default())
            }
        }
    };
}

messages! {
    Brand => { ko: "모임", en: "Moim" },
    Tagline => { ko: "산업단지 혁신클러스터 포털", en: "Industrial-complex innovation cluster portal" },
    SkipToContent => { ko: "본문 바로가기", en: "Skip to content" },
    MainMenu => { ko: "주 메뉴", en: "Main menu" },
    NavHome => { ko: "홈", en: "Home" },
    NavConsortia => { ko: "협의체 찾기", en: "Find consortia" },
    ProblemKeywords => { ko: "키워드", en: "Keywords" },
    ProblemTimeline => { ko: "희망 기간(개월)", en: "Wanted within (months)" },
    NavProblems => { ko: "애로과제", en: "R&D problems" },
    NavIdeas => { ko: "아이디어", en: "Ideas" },
    NavActivities => { ko: "활동", en: "Activities" },
    NavCalls => { ko: "공모", en: "Calls" },
    NavCollaborations => { ko: "내 협력", en: "My collaborations" },
    NavAdmin => { ko: "관리", en: "Admin" },
    NavMe => { ko: "내 정보", en: "My account" },
    SignIn => { ko: "로그인", en: "Sign in" },
    SignOut => { ko: "로그아웃", en: "Sign out" },
    SignOutFailed => { ko: "로그아웃하지 못했습니다. 연결을 확인하고 다시 시도해 주세요.", en: "Could not sign out. Check the connection and try again." },
    SwitchLanguage => { ko: "English", en: "한국어" },
    SwitchLanguageLabel => { ko: "Switch to English", en: "한국어로 보기" },
    Loading => { ko: "불러오는 중…", en: "Loading…" },
    SampleBadge => { ko: "샘플", en: "Sample" },
    Search => { ko: "검색", en: "Search" },
    Complex => { ko: "산업단지", en: "Industrial complex" },
    Field => { ko: "기술 분야", en: "Technology field" },
    Kind => { ko: "유형", en: "Kind" },
    Members => { ko: "회원 기관", en: "Member organisations" },
    Description => { ko: "소개", en: "About" },
    Archived => { ko: "종료됨", en: "Archived" },
    Accept => { ko: "수락", en: "Accept" },
    Approve => { ko: "승인", en: "Approve" },
    OrgName => { ko: "기관명", en: "Organisation name" },
    Save => { ko: "저장", en: "Save" },
    Create => { ko: "만들기", en: "Create" },
    BusinessNo => { ko: "사업자등록번호", en: "Business registration number" },
    ChooseComplex => { ko: "산업단지 선택", en: "Choose a complex" },
    ChooseField => { ko: "분야 선택", en: "Choose a field" },
    FixErrors => { ko: "입력 내용을 확인해 주세요.", en: "Please check the highlighted fields." },
    NotFoundTitle => { ko: "페이지를 찾을 수 없습니다", en: "Page not found" },
    GoHome => { ko: "홈으로", en: "Go home" },
    ErrNetwork => { ko: "서버에 연결할 수 없습니다. 인터넷 연결을 확인하고 다시 시도해 주세요.", en: "Cannot reach the server. Check your connection and try again." },
    ErrDecode => { ko: "서버 응답을 읽을 수 없습니다.", en: "The server's answer could not be read." },
    ErrUnauthenticated => { ko: "로그인이 필요합니다.", en: "Please sign in." },
    ErrCredentials => { ko: "이메일 또는 비밀번호가 맞지 않습니다.", en: "Wrong email or password." },
    ErrForbidden => { ko: "이 작업을 할 권한이 없습니다.", en: "You are not allowed to do this." },
    VerifyNotice => { ko: "이메일 인증 전입니다. 받은 메일의 링크를 누르면 글쓰기와 참여 신청을 할 수 있습니다.", en: "Your email is not verified yet: open the link we mailed you to post and take part." },
    VerifyNoticeLink => { ko: "인증 메일 다시 받기", en: "Send it again" },
    FactorNotice => { ko: "관리자와 CM은 2단계 인증을 등록해야 권한을 쓸 수 있습니다.", en: "Admins and CMs use their powers once they add two-step sign-in." },
    FactorNoticeLink => { ko: "인증 앱 등록하기", en: "Add an authenticator app" },
    ConsentNotice => { ko: "시행 중인 개인정보 처리방침에 아직 동의하지 않으셨습니다. 동의하면 계속 활동할 수 있습니다.", en: "You have not agreed to the privacy policy in force yet: agree to go on taking part." },
    ConsentNoticeLink => { ko: "확인하고 동의하기", en: "Read and agree" },
    ErrConsent => { ko: "시행 중인 개인정보 처리방침에 동의한 뒤에 할 수 있습니다.", en: "Agree to the privacy policy in force first." },
    ErrSecondFactor => { ko: "관리자와 CM은 2단계 인증을 등록한 뒤에 할 수 있습니다 (계정 보안에서 인증 앱이나 패스키 등록).", en: "Admins and CMs can do this once they add two-step sign-in: an authenticator app or a passkey (Account security)." },
    ErrUnverified => { ko: "이메일 인증을 마친 뒤에 할 수 있습니다. 받은 메일의 링크를 눌러 주세요 (내 정보에서 다시 받기).", en: "Verify your email first: open the link we mailed you (or have it sent again from My account)." },
    ErrAlreadyVerified => { ko: "이미 인증된 주소입니다.", en: "This address is verified already." },
    ErrCsrf => { ko: "보안 확인에 실패했습니다. 페이지를 새로 고친 뒤 다시 시도해 주세요.", en: "Security check failed. Reload the page and try again." },
    ErrNotFound => { ko: "찾을 수 없습니다.", en: "Not found." },
    ErrTooLarge => { ko: "보낸 내용이 너무 큽니다.", en: "What you sent is too large." },
    ErrServer => { ko: "서버에 문제가 생겼습니다. 잠시 후 다시 시도해 주세요.", en: "Something went wrong on the server. Please try again shortly." },
    ErrBadRequest => { ko: "요청을 읽을 수 없습니다.", en: "The request could not be read." },
    ErrEmailTaken => { ko: "이미 가입된 이메일입니다.", en: "An account with this email exists." },
    ErrBusinessTaken => { ko: "이미 등록된 사업자등록번호입니다. 등록된 기업으로 가입해 주세요.", en: "This business number is registered. Join the registered firm instead." },
    ErrAlreadyMember => { ko: "이미 회원 기관입니다.", en: "Already a member." },
    ErrNotMember => { ko: "회원 기관이 아닙니다.", en: "Not a member." },
    ErrAlreadyPending => { ko: "이미 처리 대기 중인 신청이나 초대가 있습니다.", en: "A request or invitation is already open." },
    ErrAlreadyDecided => { ko: "이미 처리된 신청입니다. 새로 고쳐 주세요.", en: "Already decided. Please reload." },
    ErrArchived => { ko: "종료된 협의체입니다.", en: "This consortium is archived." },
    ErrAlreadyManager => { ko: "이미 이 협의체의 CM입니다.", en: "Already a CM of this consortium." },
    ErrNameTaken => { ko: "같은 산업단지에 같은 이름의 협의체가 있습니다.", en: "A consortium with this name exists in the complex." },
    ErrProblemNotOpen => { ko: "이 과제는 지금 이 작업을 받을 수 없습니다(임시 저장·매칭 완료·종료).", en: "This problem does not take that now (draft, matched or closed)." },
    ErrAlreadyInvited => { ko: "이미 초대한 전문가입니다.", en: "This expert was invited already." },
    ErrAlreadyProposed => { ko: "이 과제에 이미 제안서를 보냈습니다.", en: "You sent a proposal for this problem already." },
    ErrStageNotAllowed => { ko: "지금 단계에서 그 단계로 옮길 수 없습니다.", en: "The collaboration cannot move to that stage from here." },
    ErrEditWindowClosed => { ko: "작성 후 24시간이 지나 더는 고칠 수 없습니다.", en: "Posts can be edited for 24 hours only." },

    Footer => { ko: "모임 — 산업단지 혁신클러스터 셀프서비스 포털. 시간은 한국표준시(KST)로 표시합니다.", en: "Moim — self-service portal of the industrial-complex innovation clusters. Times are Korea Standard Time (KST)." },
}

/// The language signal, provided once by `App`.
pub fn use_lang() -> RwSignal<Lang> {
    use_context::<RwSignal<Lang>>().unwrap_or_else(|| RwSignal::new(Lang::Ko))
}

/// A reactive text for `key`: use it directly in `view!`.
pub fn t(key: M) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let lang = use_lang();
    move || key.text(lang.get())
}

/// The text of a field error.
pub fn field_error(code: &ErrorCode, lang: Lang) -> String {
    let ko = lang == Lang::Ko;
    match code {
        ErrorCode::Required => {
            pick(lang, "필수 입력 항목입니다.", "This field is required.").into()
        }
        ErrorCode::TooShort { min } => {
            if ko {
                format!("{min}자 이상 입력해 주세요.")
            } else {
                format!("At least {min} characters.")
            }
        }
        ErrorCode::TooLong { max } => {
            if ko {
                format!("{max}자(개) 이하로 입력해 주세요.")
            } else {
                format!("At most {max} characters (items).")
            }
        }
        ErrorCode::OutOfRange { min, max } => {
            if ko {
                format!("{min}부터 {max} 사이의 숫자를 입력해 주세요.")
            } else {
                format!("A number from {min} to {max}.")
            }
        }
        ErrorCode::InvalidEmail => pick(
            lang,
            "이메일 주소 형식이 아닙니다.",
            "Not an email address.",
        )
        .into(),
        ErrorCode::InvalidBusinessNumber => pick(
            lang,
            "올바른 사업자등록번호가 아닙니다 (검증번호 불일치).",
            "Not a valid business registration number (check digit).",
        )
        .into(),
        ErrorCode::CommonPassword => pick(
            lang,
            "너무 흔한 비밀번호입니다. 다른 비밀번호를 골라 주세요.",
            "This password is too common. Choose another.",
        )
        .into(),
        ErrorCode::PasswordLikeEmail => pick(
            lang,
            "비밀번호에 이메일을 쓰지 마세요.",
            "Don't use your email in the password.",
        )
        .into(),
        ErrorCode::WeakPassword { hint } => weak_password(hint, lang),
        ErrorCode::InvalidChoice => {
            pick(lang, "목록에서 골라 주세요.", "Choose from the list.").into()
        }
        ErrorCode::InvalidType => pick(
            lang,
            "형식에 맞게 입력해 주세요.",
            "Not a value of this field's kind.",
        )
        .into(),
        ErrorCode::EndBeforeStart => pick(
            lang,
            "종료일이 시작일보다 빠릅니다.",
            "The end is before the start.",
        )
        .into(),
        ErrorCode::BeforeFounding => pick(
            lang,
            "설립일보다 앞선 날짜입니다.",
            "That is before the firm was founded.",
        )
        .into(),
        ErrorCode::OutsideActivity => pick(
            lang,
            "활동 시작과 종료 사이여야 합니다.",
            "Must fall between the activity's start and end.",
        )
        .into(),
        ErrorCode::AfterStart => {
            pick(lang, "시작 전이어야 합니다.", "Must be before the start.").into()
        }
        ErrorCode::InPast => pick(lang, "이미 지난 시각입니다.", "That time has passed.").into(),
        // No form draws a link's token: the reset page explains a dead link itself.
        ErrorCode::InvalidLink => M::ErrNotFound.text(lang).into(),
        ErrorCode::WrongPassword => pick(
            lang,
            "현재 비밀번호가 맞지 않습니다.",
            "That is not your current password.",
        )
        .into(),
        ErrorCode::WrongCode => pick(
            lang,
            "코드가 맞지 않거나 이미 쓴 코드입니다.",
            "That code is wrong or was used already.",
        )
        .into(),
        ErrorCode::ControlCharacters => pick(
            lang,
            "사용할 수 없는 문자가 들어 있습니다.",
            "Contains characters that cannot be used.",
        )
        .into(),
        ErrorCode::Implausible => pick(
            lang,
            "평소와 크게 다른 값입니다. 확인란을 선택하고 저장하세요.",
            "Far from the usual: tick the box to keep it.",
        )
        .into(),
        ErrorCode::NotMergeable => pick(
            lang,
            "같은 종류의 다른 기관에만 병합할 수 있습니다.",
            "Only another organisation of the same kind can take a merge.",
        )
        .into(),
    }
}

/// Why a password is easy to guess, and what to do instead.
fn weak_password(hint: &str, lang: Lang) -> String {
    use moim_core::password::PasswordHint as H;
    let (ko, en) = match H::from_code(hint) {
        H::Keyboard => (
            "키보드 배열(qwerty 등)은 쉽게 추측됩니다.",
            "Keyboard patterns (qwerty and the like) are easy to guess.",
        ),
        H::Repeated => (
            "같은 글자나 묶음의 반복은 쉽게 추측됩니다.",
            "Repeated characters or groups are easy to guess.",
        ),
        H::Sequence => (
            "abcd, 1234 같은 연속된 글자는 쉽게 추측됩니다.",
            "Runs such as abcd or 1234 are easy to guess.",
        ),
        H::Common => (
            "흔히 쓰는 비밀번호이거나 그와 비슷합니다.",
            "This is, or is close to, a commonly used password.",
        ),
        H::Word => (
            "단어나 이름 하나만으로는 쉽게 추측됩니다.",
            "A single word or name is easy to guess.",
        ),
        H::Date => (
            "날짜나 연도는 쉽게 추측됩니다.",
            "Dates and years are easy to guess.",
        ),
        H::Guessable => (
            "추측하기 쉬운 비밀번호입니다.",
            "This password is easy to guess.",
        ),
    };
    match lang {
        Lang::Ko => format!("{ko} 서로 관계없는 단어 서너 개를 이어 쓰면 외우기 쉽고 안전합니다."),
        Lang::En => format!(
            "{en} Three or four unrelated words in a row are easy to remember and hard to guess."
        ),
    }
}

pub fn region(r: Region, lang: Lang) -> &'static str {
    if lang == Lang::Ko {
        r.name_ko()
    } else {
        r.name_en()
    }
}

pub fn consortium_kind(k: ConsortiumKind, lang: Lang) -> &'static str {
    match (k, lang) {
        (ConsortiumKind::MiniCluster, Lang::Ko) => "미니클러스터",
        (ConsortiumKind::MiniCluster, Lang::En) => "Mini-cluster",
        (ConsortiumKind::ThemeCluster, Lang::Ko) => "테마클러스터",
        (ConsortiumKind::ThemeCluster, Lang::En) => "Theme cluster",
        (ConsortiumKind::SelfSustaining, Lang::Ko) => "자생적 클러스터",
        (ConsortiumKind::SelfSustaining, Lang::En) => "Self-sustaining cluster",
    }
}

pub fn org_kind(k: OrgKind, lang: Lang) -> &'static str {
    match (k, lang) {
        (OrgKind::Firm, Lang::Ko) => "기업",
        (OrgKind::Firm, Lang::En) => "Firm",
        (OrgKind::University, Lang::Ko) => "대학",
        (OrgKind::University, Lang::En) => "University",
        (OrgKind::Institute, Lang::Ko) => "연구기관",
        (OrgKind::Institute, Lang::En) => "Research institute",
        (OrgKind::Agency, Lang::Ko) => "지원기관",
        (OrgKind::Agency, Lang::En) => "Support agency",
    }
}

pub fn request_status(s: RequestStatus, lang: Lang) -> &'static str {
    match (s, lang) {
        (RequestStatus::Pending, Lang::Ko) => "대기",
        (RequestStatus::Pending, Lang::En) => "Pending",
        (RequestStatus::Approved, Lang::Ko) => "승인",
        (RequestStatus::Approved, Lang::En) => "Approved",
        (RequestStatus::Declined, Lang::Ko) => "거절",
        (RequestStatus::Declined, Lang::En) => "Declined",
        (RequestStatus::Withdrawn, Lang::Ko) => "취소",
        (RequestStatus::Withdrawn, Lang::En) => "Withdrawn",
    }
}

pub fn audit_action(a: AuditAction, lang: Lang) -> &'static str {
    let ko = lang == Lang::Ko;
    match a {
        AuditAction::ConsortiumCreated => {
            if ko {
                "협의체 생성"
            } else {
                "Consortium created"
            }
        }
        AuditAction::ConsortiumEdited => {
            if ko {
                "협의체 수정"
            } else {
                "Consortium edited"
            }
        }
        AuditAction::ConsortiumArchived => {
            if ko {
                "협의체 종료"
            } else {
                "Consortium archived"
            }
        }
        AuditAction::ManagerAppointed => {
            if ko {
                "CM 지정"
            } else {
                "CM appointed"
            }
        }
        AuditAction::ManagerRemoved => {
            if ko {
                "CM 해제"
            } else {
                "CM removed"
            }
        }
        AuditAction::JoinRequested => {
            if ko {
                "가입 신청"
            } else {
                "Asked to join"
            }
        }
        AuditAction::JoinApproved => {
            if ko {
                "가입 승인"
            } else {
                "Request approved"
            }
        }
        AuditAction::JoinDeclined => {
            if ko {
                "가입 거절"
            } else {
                "Request declined"
            }
        }
        AuditAction::JoinWithdrawn => {
            if ko {
                "신청·초대 취소"
            } else {
                "Withdrawn"
            }
        }
        AuditAction::Invited => {
            if ko {
                "기관 초대"
            } else {
                "Organisation invited"
            }
        }
        AuditAction::InvitationAccepted => {
            if ko {
                "초대 수락"
            } else {
                "Invitation accepted"
            }
        }
        AuditAction::InvitationDeclined => {
            if ko {
                "초대 거절"
            } else {
                "Invitation declined"
            }
        }
        AuditAction::MemberLeft => {
            if ko {
                "회원 탈퇴"
            } else {
                "Member left"
            }
        }
        AuditAction::AdminCreated => {
            if ko {
                "관리자 생성"
            } else {
                "Admin created"
            }
        }
        AuditAction::AffiliationConfirmed => {
            if ko {
                "소속 확인"
            } else {
                "Affiliation confirmed"
            }
        }
        AuditAction::AffiliationDeclined => {
            if ko {
                "소속 거절"
            } else {
                "Affiliation declined"
            }
        }
        AuditAction::AccountSuspended => pick(lang, "계정 정지", "Account suspended"),
        AuditAction::AccountReactivated => pick(lang, "계정 정지 해제", "Account reactivated"),
        AuditAction::PasswordResetSent => pick(
            lang,
            "비밀번호 재설정 메일 발송",
            "Password reset link sent",
        ),
        AuditAction::SecondFactorReset => pick(lang, "2단계 인증 초기화", "Two-step sign-in reset"),
        AuditAction::RepresentativeChanged => {
            pick(lang, "기관 대표자 변경", "Representative changed")
        }
        AuditAction::AccountClosed => pick(lang, "회원 탈퇴", "Account closed"),
        AuditAction::OrganisationClosed => pick(lang, "기관 닫힘", "Organisation closed"),
        AuditAction::OrganisationCorrected => {
            pick(lang, "기관 정보 수정", "Organisation corrected")
        }
        AuditAction::OrganisationMerged => pick(lang, "기관 병합", "Organisations merged"),
        AuditAction::OrganisationsImported => {
            pick(lang, "기관·회원 일괄 등록", "Organisations imported")
        }
        AuditAction::PartnerSaved => pick(lang, "해외 협력기관 등록·수정", "Partner saved"),
        AuditAction::CallPublished => pick(lang, "공모 게시", "Call published"),
        AuditAction::CallChanged => pick(lang, "공모 수정", "Call changed"),
        AuditAction::ApplicationSubmitted => {
            pick(lang, "공모 신청서 제출", "Application submitted")
        }
        AuditAction::ApplicationWithdrawn => pick(lang, "공모 신청 철회", "Application withdrawn"),
        AuditAction::ApplicationDecided => pick(lang, "공모 선정 결정", "Application decided"),
        AuditAction::CallAnnounced => pick(lang, "공모 결과 발표", "Call results announced"),
        AuditAction::DecisionCorrected => pick(lang, "선정 결과 정정", "Decision corrected"),
        AuditAction::EvaluatorAppointed => pick(lang, "평가위원 위촉", "Evaluator appointed"),
        AuditAction::EvaluatorDismissed => pick(lang, "평가위원 해촉", "Evaluator dismissed"),
        AuditAction::GrantAgreed => pick(lang, "지원 협약 체결 기록", "Grant agreement recorded"),
        AuditAction::GrantPaid => pick(lang, "지원금 지급 기록", "Grant payment recorded"),
        AuditAction::FeeScheduleSet => pick(lang, "회비 기준 설정", "Member fees set"),
        AuditAction::FeeInvoiced => pick(lang, "회비 청구", "Member fee invoiced"),
        AuditAction::InvoiceSettled => pick(lang, "회비 납부·면제 기록", "Member fee settled"),
        AuditAction::DonationRecorded => pick(lang, "기부금 기록", "Donation recorded"),
        AuditAction::PartnerRemoved => pick(lang, "해외 협력기관 삭제", "Partner removed"),
        AuditAction::AgreementSaved => pick(lang, "협약 기록", "Agreement saved"),
        AuditAction::AgreementRemoved => pick(lang, "협약 삭제", "Agreement removed"),
    }
}

/// A notification as one sentence.
pub fn notification(n: &NotificationView, lang: Lang) -> String {
    let c = n.consortium_name.as_deref().unwrap_or("-");
    let o = n.org_name.as_deref().unwrap_or("-");
    let ko = lang == Lang::Ko;
    match n.kind {
        NotificationKind::JoinRequested => {
            if ko {
                format!("{o}에서 {c} 가입을 신청했습니다.")
            } else {
                format!("{o} asked to join {c}.")
            }
        }
        NotificationKind::JoinApproved => {
            if ko {
                format!("{c} 가입이 승인되었습니다.")
            } else {
                format!("Your request to join {c} was approved.")
            }
        }
        NotificationKind::JoinDeclined => {
            if ko {
                format!("{c} 가입 신청이 거절되었습니다.")
            } else {
                format!("Your request to join {c} was declined.")
            }
        }
        NotificationKind::Invited => {
            if ko {
                format!("{c}에서 {o}을(를) 초대했습니다.")
            } else {
                format!("{c} invited {o}.")
            }
        }
        NotificationKind::InvitationAccepted => {
            if ko {
                format!("{o}에서 {c} 초대를 수락했습니다.")
            } else {
                format!("{o} accepted the invitation to {c}.")
            }
        }
        NotificationKind::InvitationDeclined => {
            if ko {
                format!("{o}에서 {c} 초대를 거절했습니다.")
            } else {
                format!("{o} declined the invitation to {c}.")
            }
        }
        NotificationKind::AppointedManager => {
            if ko {
                format!("{c}의 CM으로 지정되었습니다.")
            } else {
                format!("You were appointed CM of {c}.")
            }
        }
        NotificationKind::MemberLeft => {
            if ko {
                format!("{o}이(가) {c}에서 탈퇴했습니다.")
            } else {
                format!("{o} left {c}.")
            }
        }
        NotificationKind::AffiliationRequested => {
            let who = n.actor_name.as_deref().unwrap_or("-");
            if ko {
                format!("{who} 님이 {o}의 구성원으로 가입했습니다. 소속을 확인해 주세요.")
            } else {
                format!("{who} signed up as a member of {o}. Please confirm.")
            }
        }
        NotificationKind::AffiliationConfirmed => {
            if ko {
                format!("{o}의 구성원으로 확인되었습니다.")
            } else {
                format!("{o} confirmed you as a member.")
            }
        }
        NotificationKind::AffiliationDeclined => {
            if ko {
                format!("{o}에서 소속 확인을 거절했습니다.")
            } else {
                format!("{o} declined your affiliation.")
            }
        }
        kind => {
            let p = n
                .activity_title
                .as_deref()
                .or(n.survey_title.as_deref())
                .or(n.call_title.as_deref())
                .or(n.idea_title.as_deref())
                .or(n.problem_title.as_deref())
                .unwrap_or("-");
            // A guest (no account) who asked or answered is named by the note;
            // once their details are no longer kept, "a guest".
            let meeting = matches!(
                kind,
                NotificationKind::MeetingRequested
                    | NotificationKind::MeetingAccepted
                    | NotificationKind::MeetingDeclined
            );
            let guest = meeting.then_some(n.note.as_deref()).flatten();
            let who = n.actor_name.as_deref().or(guest);
            let who = match (who, meeting, ko) {
                (Some(w), ..) => w,
                (None, true, true) => "게스트",
                (None, true, false) => "A guest",
                (None, false, _) => "-",
            };
            let (k, e) = match kind {
                NotificationKind::ActivityScheduled => (
                    format!("새 활동 '{p}'이(가) 열렸습니다. 참가 신청을 받습니다."),
                    format!("New activity '{p}' is open for registration."),
                ),
                NotificationKind::ActivityPromoted => (
                    format!("자리가 나서 '{p}' 참가가 확정되었습니다."),
                    format!("A place freed up: you are now registered for '{p}'."),
                ),
                NotificationKind::ActivityReminder => (
                    format!("내일 '{p}'이(가) 있습니다."),
                    format!("'{p}' is tomorrow."),
                ),
                NotificationKind::MeetingRequested => (
                    format!("{who} 님이 '{p}'에서 상담을 요청했습니다."),
                    format!("{who} asks to meet you at '{p}'."),
                ),
                NotificationKind::MeetingAccepted => (
                    format!("{who} 님이 '{p}'의 상담 요청을 수락했습니다."),
                    format!("{who} accepted your meeting at '{p}'."),
                ),
                NotificationKind::MeetingDeclined => (
                    format!("{who} 님이 '{p}'의 상담 요청을 거절했습니다."),
                    format!("{who} declined your meeting at '{p}'."),
                ),
                NotificationKind::MeetingFollowUp => (
                    format!("'{p}'에서 한 상담의 결과를 알려 주세요."),
                    format!("Tell us what came of your meetings at '{p}'."),
                ),
                NotificationKind::ActivityCancelled => (
                    format!(
                        "'{p}'이(가) 취소되었습니다. {}",
                        n.note.as_deref().unwrap_or("")
                    ),
                    format!("'{p}' was cancelled. {}", n.note.as_deref().unwrap_or("")),
                ),
                NotificationKind::ActivityMinutes => (
                    format!("'{p}' 회의록이 올라왔습니다."),
                    format!("Minutes of '{p}' were posted."),
                ),
                NotificationKind::ApplicationInvited => (
                    format!("{o}이(가) 공모 '{p}' 신청에 참여를 요청했습니다."),
                    format!("{o} asks you onto its application to '{p}'."),
                ),
                NotificationKind::ApplicationConfirmed => (
                    format!("{o}이(가) 공모 '{p}' 신청 참여를 확인했습니다."),
                    format!("{o} confirmed its place in the application to '{p}'."),
                ),
                NotificationKind::ApplicationDeclined => (
                    format!("{o}이(가) 공모 '{p}' 신청 참여를 거절했습니다."),
                    format!("{o} declined its place in the application to '{p}'."),
                ),
                NotificationKind::ApplicationSubmitted => (
                    format!("{o}의 공모 '{p}' 신청서가 제출되었습니다."),
                    format!("{o}'s application to '{p}' was submitted."),
                ),
                NotificationKind::ApplicationWithdrawn => (
                    format!("{o}의 공모 '{p}' 신청이 철회되었습니다."),
                    format!("{o}'s application to '{p}' was withdrawn."),
                ),
                NotificationKind::ApplicationDecided => (
                    format!("공모 '{p}'의 선정 결과가 나왔습니다. 신청서에서 확인하세요."),
                    format!("The call '{p}' decided on your application: see it there."),
                ),
                NotificationKind::CallPhaseChanged => match n.note.as_deref() {
                    Some("review") => (
                        format!("공모 '{p}'의 접수가 마감되어 요건 검토가 시작되었습니다."),
                        format!("The call '{p}' has closed: its eligibility check begins."),
                    ),
                    Some("evaluation") => (
                        format!("공모 '{p}'의 평가가 시작되었습니다."),
                        format!("The evaluation of the call '{p}' has begun."),
                    ),
                    _ => (
                        format!("공모 '{p}'이(가) 협약 단계가 되었습니다. 협약을 준비해 주세요."),
                        format!("The call '{p}' has reached its agreements: prepare yours."),
                    ),
                },
                NotificationKind::ConsortiumFounded => (
                    format!("선정된 신청으로 '{c}'이(가) 구성되었습니다. 운영기관은 {o}입니다."),
                    format!("'{c}' was founded from your selected application, run by {o}."),
                ),
                NotificationKind::SurveyReminder => (
                    format!("설문 '{p}'의 마감이 다가옵니다. 아직 제출하지 않았습니다."),
                    format!("The survey '{p}' closes soon, and you have not submitted it."),
                ),
                NotificationKind::IdeaCommented => (
                    format!("{who} 님이 아이디어 '{p}'에 댓글을 남겼습니다."),
                    format!("{who} commented on the idea '{p}'."),
                ),
                NotificationKind::IdeaReplied => (
                    format!("{who} 님이 '{p}'의 내 댓글에 답글을 남겼습니다."),
                    format!("{who} replied to your comment on '{p}'."),
                ),
                NotificationKind::IdeaStageChanged => (
                    format!("아이디어 '{p}'의 단계가 바뀌었습니다."),
                    format!("The idea '{p}' moved to a new stage."),
                ),
                NotificationKind::ProblemPosted => (
                    format!("관심 분야에 새 애로과제가 올라왔습니다: {p}"),
                    format!("New problem in a field you follow: {p}"),
                ),
                NotificationKind::ExpertInvited => (
                    format!("{o}에서 애로과제 '{p}'에 전문가로 초대했습니다."),
                    format!("{o} invited you as an expert to '{p}'."),
                ),
                NotificationKind::NdaAccepted => (
                    format!("{who} 님이 '{p}' 비밀유지 서약에 동의했습니다."),
                    format!("{who} accepted the non-disclosure statement of '{p}'."),
                ),
                NotificationKind::QuestionAsked => (
                    format!("{who} 님이 '{p}'에 질문했습니다."),
                    format!("{who} asked a question on '{p}'."),
                ),
                NotificationKind::QuestionAnswered => (
                    format!("'{p}'의 질문에 답변이 달렸습니다."),
                    format!("Your question on '{p}' was answered."),
                ),
                NotificationKind::ProposalReceived => (
                    format!("{who} 님이 '{p}'에 제안서를 보냈습니다."),
                    format!("{who} sent a proposal for '{p}'."),
                ),
                NotificationKind::ProposalAccepted => (
                    format!("'{p}' 제안이 채택되었습니다. 협력을 시작하세요."),
                    format!("Your proposal for '{p}' was accepted."),
                ),
                NotificationKind::ProposalNotSelected => (
                    format!("'{p}'에는 다른 제안이 선정되었습니다. 제안해 주셔서 감사합니다."),
                    format!("Another proposal was chosen for '{p}'. Thank you for yours."),
                ),
                NotificationKind::StageChanged => (
                    format!("'{p}' 협력 단계가 바뀌었습니다."),
                    format!("The collaboration on '{p}' moved to a new stage."),
                ),
                NotificationKind::OfferReceived => (
                    format!("{who} 님이 협력을 제안했습니다."),
                    format!("{who} offered a collaboration."),
                ),
                NotificationKind::OfferAccepted => (
                    "협력 제안이 수락되었습니다.".to_owned(),
                    "Your collaboration offer was accepted.".to_owned(),
                ),
                _ => (
                    "협력 제안이 거절되었습니다.".to_owned(),
                    "Your collaboration offer was declined.".to_owned(),
                ),
            };
            if ko { k } else { e }
        }
    }
}

/// A one-off text of one page, both languages side by side: it cannot miss one.
/// The texts stay with the page that uses them (not in `M`, which the main
/// module carries).
#[macro_export]
macro_rules! tr {
    ($ko:expr, $en:expr) => {
        $crate::i18n::tr($ko, $en)
    };
}

/// What `tr!` gives: the text in the reader's language, as it changes. A function
/// rather than a closure written out at each use, so every text of the app is
/// the same type and the view code drawing it exists once, not once per text.
pub fn tr(
    ko: &'static str,
    en: &'static str,
) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let lang = use_lang();
    move || if lang.get() == Lang::Ko { ko } else { en }
}

/// The same choice outside a view.
pub fn pick<T>(lang: Lang, ko: T, en: T) -> T {
    if lang == Lang::Ko { ko } else { en }
}

/// "1,234" grouping for counts.
pub fn number(n: i64) -> String {
    let s = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}
