//! Accounts, organisations, sessions and expert profiles.

use crate::{
    ComplexId, ConsortiumId, ErrorCode, FieldErrors, OrgId, UserId, Validate, password,
    validate::{self, *},
};
use serde::{Deserialize, Serialize};

/// What kind of organisation a person belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum OrgKind {
    /// 기업: a member firm.
    Firm,
    /// 대학: a university.
    University,
    /// 연구기관: a research institute.
    Institute,
    /// 지원기관: a support agency or local government.
    Agency,
}

impl OrgKind {
    /// All kinds, in the order forms show them.
    pub const ALL: [OrgKind; 4] = [
        OrgKind::Firm,
        OrgKind::University,
        OrgKind::Institute,
        OrgKind::Agency,
    ];

    /// The code stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            OrgKind::Firm => "firm",
            OrgKind::University => "university",
            OrgKind::Institute => "institute",
            OrgKind::Agency => "agency",
        }
    }

    /// The kind for a stored code.
    pub fn from_code(code: &str) -> Option<OrgKind> {
        OrgKind::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// A person's role across the whole portal. Managing a consortium (CM) is given per
/// consortium, not here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// A member of an organisation.
    Member,
    /// Agency staff: creates consortia, appoints CMs, sees the audit trail.
    Admin,
}

/// Whether the organisation has confirmed that a person belongs to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Affiliation {
    /// Confirmed (or the person registered the organisation): acts for it.
    Confirmed,
    /// Joined a registered organisation; waits for its representative. Until then the
    /// person cannot act for the organisation or see what only its members see.
    Pending,
    /// The representative declined: the person does not act for the organisation.
    Declined,
}

impl Affiliation {
    /// Stored code.
    pub fn code(self) -> &'static str {
        match self {
            Affiliation::Confirmed => "confirmed",
            Affiliation::Pending => "pending",
            Affiliation::Declined => "declined",
        }
    }

    /// Affiliation for a stored code.
    pub fn from_code(code: &str) -> Affiliation {
        match code {
            "confirmed" => Affiliation::Confirmed,
            "declined" => Affiliation::Declined,
            _ => Affiliation::Pending,
        }
    }
}

/// A person asking to be confirmed as a member of the representative's organisation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Colleague {
    /// Id.
    pub id: UserId,
    /// Name.
    pub name: String,
    /// Email.
    pub email: String,
    /// Department or lab.
    pub department: Option<String>,
    /// Where the affiliation stands.
    pub affiliation: Affiliation,
    /// When the account was made.
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// The representative's answer to a colleague's affiliation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConfirmColleague {
    /// Confirm (or decline).
    pub confirm: bool,
}

impl Validate for ConfirmColleague {
    fn validate(&self) -> Result<(), FieldErrors> {
        Ok(())
    }
}

/// A new organisation registered at sign-up.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewOrganisation {
    /// Kind.
    pub kind: OrgKind,
    /// Name, e.g. (주)한빛정밀 or 연세대학교.
    pub name: String,
    /// Firms only: business registration number, with or without dashes.
    #[serde(default)]
    pub business_no: Option<String>,
    /// Firms only: the complex the firm is located in.
    #[serde(default)]
    pub complex_id: Option<ComplexId>,
    /// Firms only: number of staff.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 1_000_000))]
    #[serde(deserialize_with = "crate::ids::optional_whole")]
    pub headcount: Option<i64>,
    /// Firms only: main industry, e.g. 금형.
    #[serde(default)]
    pub industry: Option<String>,
}

/// Which organisation a new account belongs to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "mode", rename_all = "snake_case")]
pub enum OrgChoice {
    /// Join an organisation already registered (found by search or business number);
    /// its representative confirms the person before they act for it.
    Existing {
        /// Its id.
        id: OrgId,
    },
    /// Register a new organisation; the person becomes its representative.
    New(NewOrganisation),
}

/// Sign-up request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignUp {
    /// Email, the sign-in name.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::email))]
    pub email: String,
    /// Password: 8 to 128 characters, not a common one.
    pub password: String,
    /// Full name.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::text::<1, PERSON_NAME_MAX>))]
    pub name: String,
    /// Department or lab (universities and institutes).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::optional_text::<DEPARTMENT_MAX>))]
    pub department: Option<String>,
    /// Professors and researchers keep an expert profile.
    #[serde(default)]
    pub is_expert: bool,
    /// The person's organisation.
    pub organisation: OrgChoice,
    /// The consents given (the required one, and each optional one).
    #[serde(default)]
    pub consents: crate::privacy::ConsentChoice,
}

impl Validate for SignUp {
    fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::default();
        e.email("email", &self.email);
        check_password(&mut e, "password", &self.password, &self.email);
        e.text("name", &self.name, 1, PERSON_NAME_MAX);
        e.optional_text("department", self.department.as_deref(), DEPARTMENT_MAX);
        if let OrgChoice::New(org) = &self.organisation {
            org.check(&mut e, "organisation");
        }
        self.consents.check(&mut e, "consents");
        e.into_result()
    }
}

/// Password rules: length in characters, not on the blocklist, not the email again.
pub fn check_password(e: &mut FieldErrors, field: &str, password: &str, email: &str) {
    let len = char_len(password);
    let email = normalize_email(email);
    let local = email.split('@').next().unwrap_or_default();
    let lower = password.to_lowercase();
    if password.is_empty() {
        e.add(field, ErrorCode::Required);
    } else if len < PASSWORD_MIN {
        e.add(field, ErrorCode::TooShort { min: PASSWORD_MIN });
    } else if len > PASSWORD_MAX {
        e.add(field, ErrorCode::TooLong { max: PASSWORD_MAX });
    } else if password::is_common(password) {
        e.add(field, ErrorCode::CommonPassword);
    } else if !email.is_empty()
        && (lower == email || (char_len(local) >= 4 && lower.contains(local)))
    {
        e.add(field, ErrorCode::PasswordLikeEmail);
    }
}

impl NewOrganisation {
    /// Sign-up's rules, with field names under `prefix`.
    pub(crate) fn check(&self, e: &mut FieldErrors, prefix: &str) {
        e.text(&format!("{prefix}.name"), &self.name, 1, ORG_NAME_MAX);
        if self.kind != OrgKind::Firm {
            return;
        }
        let field = format!("{prefix}.business_no");
        match self.business_no.as_deref().map(str::trim) {
            None | Some("") => e.add(field, ErrorCode::Required),
            Some(no) if !validate::is_business_number(no) => {
                e.add(field, ErrorCode::InvalidBusinessNumber)
            }
            Some(_) => {}
        }
        if self.complex_id.is_none() {
            e.add(format!("{prefix}.complex_id"), ErrorCode::Required);
        }
        match self.headcount {
            None => e.add(format!("{prefix}.headcount"), ErrorCode::Required),
            Some(n) => e.range(&format!("{prefix}.headcount"), n, 1, HEADCOUNT_MAX),
        }
        e.text(
            &format!("{prefix}.industry"),
            self.industry.as_deref().unwrap_or_default(),
            1,
            INDUSTRY_MAX,
        );
    }
}

/// Sign-in request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignIn {
    /// Email.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::email))]
    pub email: String,
    /// Password.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::password::<{ crate::validate::PASSWORD_MAX }>))]
    pub password: String,
}

impl Validate for SignIn {
    fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::default();
        e.email("email", &self.email);
        e.entered_password("password", &self.password);
        e.into_result()
    }
}

/// An organisation as shown to others.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrgSummary {
    /// Id.
    pub id: OrgId,
    /// Kind.
    pub kind: OrgKind,
    /// Name.
    pub name: String,
    /// Korean name of the complex a firm is in.
    pub complex_name: Option<String>,
    /// Fictional sample data loaded with `--demo`.
    pub is_sample: bool,
}

/// An organisation in full, as its own members see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrgView {
    /// Id.
    pub id: OrgId,
    /// Kind.
    pub kind: OrgKind,
    /// Name.
    pub name: String,
    /// Business registration number as `123-45-67890` (firms).
    pub business_no: Option<String>,
    /// Complex (firms).
    pub complex_id: Option<ComplexId>,
    /// Staff (firms).
    pub headcount: Option<i64>,
    /// Industry (firms).
    pub industry: Option<String>,
    /// Representative of the organisation in the programme.
    pub representative_id: Option<UserId>,
    /// Fictional sample data.
    pub is_sample: bool,
}

/// The representative offers the role to a confirmed colleague, who accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OfferHandover {
    /// The colleague.
    pub to: UserId,
}

impl Validate for OfferHandover {
    fn validate(&self) -> Result<(), FieldErrors> {
        Ok(())
    }
}

/// Who represents one's organisation, and a hand-over under way.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Representation {
    /// The representative.
    pub representative: Option<PersonRef>,
    /// For the representative: the confirmed colleagues the role can go to.
    pub colleagues: Vec<PersonRef>,
    /// The colleague the role is offered to, until they accept.
    pub offered_to: Option<PersonRef>,
}

/// Result of looking a firm up by business number during sign-up.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BusinessLookup {
    /// The number in display form.
    pub business_no: String,
    /// The firm registered under it, if any.
    pub organisation: Option<OrgSummary>,
}

/// A person as named on someone else's screen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PersonRef {
    /// Id.
    pub id: UserId,
    /// Name.
    pub name: String,
    /// Organisation name.
    pub org_name: String,
}

/// The signed-in person, with what the client needs to draw its menus.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Me {
    /// Id.
    pub id: UserId,
    /// Email.
    pub email: String,
    /// Name.
    pub name: String,
    /// Department or lab.
    pub department: Option<String>,
    /// Portal-wide role.
    pub role: Role,
    /// Keeps an expert profile.
    pub is_expert: bool,
    /// The person's organisation.
    pub organisation: OrgView,
    /// Whether the organisation confirmed the person (see [`Affiliation`]).
    pub affiliation: Affiliation,
    /// The consortia this person manages as CM.
    pub managed_consortia: Vec<ConsortiumId>,
    /// Unread notifications, for the bell.
    pub unread_notifications: i64,
    /// The person opened the link mailed to their address. Until then they read
    /// but do not act: no posting, registering, joining or acting for their
    /// organisation (the server answers [`crate::ApiError::EmailUnverified`]).
    pub email_verified: bool,
    /// The person is an agency admin or a CM without a second factor: until they
    /// add one they look after their account but use none of their powers (the
    /// server answers [`crate::ApiError::SecondFactorRequired`]).
    #[serde(default)]
    pub second_factor_required: bool,
    /// The privacy policy changed since the person last agreed to it: they are
    /// asked again, and act only once they agree (the server answers
    /// [`crate::ApiError::ConsentRequired`]).
    #[serde(default)]
    pub consent_required: bool,
    /// Send back in `X-CSRF-Token` with every state-changing request.
    pub csrf_token: String,
}

impl Me {
    /// True for the representative of the person's organisation.
    pub fn is_representative(&self) -> bool {
        self.organisation.representative_id == Some(self.id)
    }

    /// True for agency admins.
    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }

    /// True when the person acts for their organisation.
    pub fn is_confirmed(&self) -> bool {
        self.affiliation == Affiliation::Confirmed
    }
}

/// An expert's profile, matched against R&D problems.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExpertProfile {
    /// Technology fields, e.g. 금형, 사출성형.
    pub fields: Vec<String>,
    /// Keywords, e.g. 냉각 채널, CNC 가공.
    pub keywords: Vec<String>,
    /// Lab equipment the expert can offer, e.g. 3D 금속 프린터.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::paragraphs::<0, EQUIPMENT_MAX>))]
    pub equipment: String,
    /// A short bio.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::paragraphs::<0, BIO_MAX>))]
    pub bio: String,
}

impl Validate for ExpertProfile {
    fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::default();
        e.keywords("fields", &self.fields);
        e.keywords("keywords", &self.keywords);
        e.paragraphs("equipment", &self.equipment, 0, EQUIPMENT_MAX);
        e.paragraphs("bio", &self.bio, 0, BIO_MAX);
        e.into_result()
    }
}

/// A person's own editable account details.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdateAccount {
    /// Full name.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::text::<1, PERSON_NAME_MAX>))]
    pub name: String,
    /// Department or lab.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::optional_text::<DEPARTMENT_MAX>))]
    pub department: Option<String>,
    /// Keeps an expert profile.
    pub is_expert: bool,
}

impl Validate for UpdateAccount {
    fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::default();
        e.text("name", &self.name, 1, PERSON_NAME_MAX);
        e.optional_text("department", self.department.as_deref(), DEPARTMENT_MAX);
        e.into_result()
    }
}

/// A person as an admin sees them when appointing a CM.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserSummary {
    /// Id.
    pub id: UserId,
    /// Name.
    pub name: String,
    /// Email.
    pub email: String,
    /// Organisation name.
    pub org_name: String,
    /// Role.
    pub role: Role,
    /// Suspended by an admin (cannot sign in).
    #[serde(default)]
    pub suspended: bool,
    /// Signs in with a second factor.
    #[serde(default)]
    pub second_factor: bool,
    /// Represents their organisation.
    #[serde(default)]
    pub representative: bool,
}

/// An admin suspends an account, saying why (the person is shown it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Suspend {
    /// Why, in a line.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::text::<1, SUSPEND_REASON_MAX>))]
    pub reason: String,
}

/// The longest suspension reason.
pub const SUSPEND_REASON_MAX: usize = 200;

impl Validate for Suspend {
    fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::default();
        e.text("reason", &self.reason, 1, SUSPEND_REASON_MAX);
        e.into_result()
    }
}

/// "I forgot my password": the address to send a reset link to. The answer is
/// the same whether or not an account has it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ForgotPassword {
    /// Email.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::email))]
    pub email: String,
}

impl Validate for ForgotPassword {
    fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::default();
        e.email("email", &self.email);
        e.into_result()
    }
}

/// How long a reset link stays good, in minutes.
pub const RESET_LINK_MINUTES: i64 = 30;

/// How long a link that verifies an address stays good, in hours.
pub const VERIFY_LINK_HOURS: i64 = 24;

/// Verifies an address with the token of the link mailed to it: the address of
/// a new account (which then signs in) or the new address of an account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VerifyEmail {
    /// The token from the link.
    pub token: String,
}

impl Validate for VerifyEmail {
    fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::default();
        check_token(&mut e, &self.token);
        e.into_result()
    }
}

/// What a verification link did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Verified {
    /// A new account's address: the person is signed in.
    Account,
    /// A new account's address, verified; the person signs in themselves (the
    /// account asks for a second factor, or someone else is signed in here).
    SignIn,
    /// An account's new address: it is the sign-in address from now on.
    NewAddress,
}

/// Moving one's account to another address: the new one is verified by a link
/// mailed to it, and the old one is told once it is done.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChangeEmail {
    /// The new address.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::email))]
    pub email: String,
    /// The account's password.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::password::<{ crate::validate::PASSWORD_MAX }>))]
    pub password: String,
}

impl Validate for ChangeEmail {
    fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::default();
        e.email("email", &self.email);
        e.entered_password("password", &self.password);
        e.into_result()
    }
}

/// The longest token a link carries (they are 64 hex digits).
pub const TOKEN_MAX: usize = 128;

/// The name a closed account (회원 탈퇴) is shown under, where what the person
/// wrote stays for others (comments in a thread, a proposal).
pub const CLOSED_ACCOUNT_NAME: &str = "탈퇴한 회원";

/// A new password, set with the token of a reset link.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResetPassword {
    /// The token from the link.
    pub token: String,
    /// The new password.
    pub password: String,
}

impl Validate for ResetPassword {
    fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::default();
        check_token(&mut e, &self.token);
        check_password(&mut e, "password", &self.password, "");
        e.into_result()
    }
}

/// A token from a link: present, not absurdly long (whether it is real is the
/// server's to say, with one answer for expired, used and made-up ones).
fn check_token(e: &mut FieldErrors, token: &str) {
    if token.trim().is_empty() {
        e.add("token", ErrorCode::Required);
    } else if token.len() > TOKEN_MAX {
        e.add("token", ErrorCode::InvalidLink);
    }
}

/// Asks whether a reset link is still good, before the person types a password.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CheckLink {
    /// The token from the link.
    pub token: String,
}

impl Validate for CheckLink {
    fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::default();
        check_token(&mut e, &self.token);
        e.into_result()
    }
}

/// A good reset link: whose account it opens (so the page can say so, and a
/// password manager can file the new password under the right name).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LinkAccount {
    /// The account's email.
    pub email: String,
    /// When the link stops working.
    pub expires_at: chrono::DateTime<chrono::Utc>,
}

/// Changing one's password while signed in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChangePassword {
    /// The password in use now.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::password::<{ crate::validate::PASSWORD_MAX }>))]
    pub current: String,
    /// The new one.
    pub password: String,
}

impl Validate for ChangePassword {
    fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::default();
        e.entered_password("current", &self.current);
        check_password(&mut e, "password", &self.password, "");
        e.into_result()
    }
}

/// One browser signed in to the account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionView {
    /// The session's public id (not its token).
    pub id: String,
    /// Browser and system, as far as the browser says ("Chrome · Android").
    pub browser: String,
    /// The address it signed in from.
    pub address: Option<String>,
    /// Signed in at.
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// Last used at (to the minute).
    pub last_seen_at: chrono::DateTime<chrono::Utc>,
    /// The session of this very request.
    pub current: bool,
}

/// "Browser · system" from a `User-Agent`, for the list of sessions: the
/// browsers people in Korea use (Samsung Internet, Naver Whale and KakaoTalk's
/// in-app browser besides the big ones), or "" when nothing is recognised.
pub fn browser_label(user_agent: &str) -> String {
    let ua = user_agent;
    let browser = [
        ("KAKAOTALK", "KakaoTalk"),
        ("NAVER(inapp", "Naver"),
        ("Whale/", "Whale"),
        ("SamsungBrowser/", "Samsung Internet"),
        ("Edg/", "Edge"),
        ("OPR/", "Opera"),
        ("Firefox/", "Firefox"),
        ("FxiOS/", "Firefox"),
        ("CriOS/", "Chrome"),
        ("Chrome/", "Chrome"),
        ("Safari/", "Safari"),
    ]
    .into_iter()
    .find(|(needle, _)| ua.contains(needle))
    .map(|(_, name)| name);
    let system = [
        ("Android", "Android"),
        ("iPhone", "iOS"),
        ("iPad", "iPadOS"),
        ("Windows", "Windows"),
        ("Mac OS X", "macOS"),
        ("CrOS", "ChromeOS"),
        ("Linux", "Linux"),
    ]
    .into_iter()
    .find(|(needle, _)| ua.contains(needle))
    .map(|(_, name)| name);
    match (browser, system) {
        (Some(b), Some(s)) => format!("{b} · {s}"),
        (Some(x), None) | (None, Some(x)) => x.to_owned(),
        (None, None) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn browsers_are_named_as_people_know_them() {
        let cases = [
            (
                "Mozilla/5.0 (Linux; Android 14; SM-S921N) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36",
                "Samsung Internet · Android",
            ),
            (
                "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 KAKAOTALK 10.6.5",
                "KakaoTalk · iOS",
            ),
            (
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Whale/3.25.232.19 Safari/537.36",
                "Whale · Windows",
            ),
            (
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.0.0",
                "Edge · Windows",
            ),
            (
                "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
                "Safari · macOS",
            ),
            ("curl/8.5.0", ""),
            ("", ""),
        ];
        for (ua, label) in cases {
            assert_eq!(browser_label(ua), label, "{ua}");
        }
    }

    #[test]
    fn a_reset_needs_a_token_and_a_password_of_the_rules() {
        let fields = |r: ResetPassword| -> Vec<(String, ErrorCode)> {
            r.validate()
                .err()
                .map(|e| e.0.into_iter().map(|f| (f.field, f.code)).collect())
                .unwrap_or_default()
        };
        let good = ResetPassword {
            token: "ab".repeat(32),
            password: "봄날 오후 금형 공장".into(),
        };
        assert!(fields(good.clone()).is_empty());
        assert_eq!(
            fields(ResetPassword {
                token: " ".into(),
                ..good.clone()
            }),
            [("token".to_owned(), ErrorCode::Required)]
        );
        assert_eq!(
            fields(ResetPassword {
                token: "a".repeat(TOKEN_MAX + 1),
                ..good.clone()
            }),
            [("token".to_owned(), ErrorCode::InvalidLink)]
        );
        assert_eq!(
            fields(ResetPassword {
                password: "short".into(),
                ..good
            }),
            [(
                "password".to_owned(),
                ErrorCode::TooShort { min: PASSWORD_MIN }
            )]
        );
    }

    fn firm() -> NewOrganisation {
        NewOrganisation {
            kind: OrgKind::Firm,
            name: "(주)한빛정밀".into(),
            business_no: Some("220-81-62517".into()),
            complex_id: Some(ComplexId(1)),
            headcount: Some(42),
            industry: Some("금형".into()),
        }
    }

    fn signup(password: &str, org: NewOrganisation) -> SignUp {
        SignUp {
            email: "kim.engineer@hanbit.example".into(),
            password: password.into(),
            name: "김민수".into(),
            department: None,
            is_expert: false,
            organisation: OrgChoice::New(org),
            consents: crate::privacy::ConsentChoice {
                policy_version: crate::privacy::PRIVACY_POLICY_VERSION.into(),
                privacy: true,
                news_mail: false,
            },
        }
    }

    fn codes(r: Result<(), FieldErrors>) -> Vec<(String, ErrorCode)> {
        r.err()
            .map(|e| e.0.into_iter().map(|f| (f.field, f.code)).collect())
            .unwrap_or_default()
    }

    #[test]
    fn signup_rules() {
        let no_bn = NewOrganisation {
            business_no: Some("124-81-00997".into()),
            ..firm()
        };
        let no_fields = NewOrganisation {
            business_no: None,
            complex_id: None,
            headcount: Some(0),
            industry: None,
            ..firm()
        };
        let university = NewOrganisation {
            kind: OrgKind::University,
            business_no: None,
            complex_id: None,
            headcount: None,
            industry: None,
            name: "연세대학교".into(),
        };
        let cases: Vec<(SignUp, Vec<(&str, ErrorCode)>)> = vec![
            (signup("correct horse battery", firm()), vec![]),
            (
                signup("짧은암호", firm()),
                vec![("password", ErrorCode::TooShort { min: 8 })],
            ),
            (signup("한글로된긴비밀번호입니다", firm()), vec![]),
            (
                signup("1q2w3e4r!", firm()),
                vec![("password", ErrorCode::CommonPassword)],
            ),
            (
                signup("Password123", firm()),
                vec![("password", ErrorCode::CommonPassword)],
            ),
            (
                signup("my-kim.engineer-pw", firm()),
                vec![("password", ErrorCode::PasswordLikeEmail)],
            ),
            (
                signup(&"x".repeat(129), firm()),
                vec![("password", ErrorCode::TooLong { max: 128 })],
            ),
            (
                signup("correct horse battery", no_bn),
                vec![("organisation.business_no", ErrorCode::InvalidBusinessNumber)],
            ),
            (
                signup("correct horse battery", no_fields),
                vec![
                    ("organisation.business_no", ErrorCode::Required),
                    ("organisation.complex_id", ErrorCode::Required),
                    (
                        "organisation.headcount",
                        ErrorCode::OutOfRange {
                            min: 1,
                            max: HEADCOUNT_MAX,
                        },
                    ),
                    ("organisation.industry", ErrorCode::Required),
                ],
            ),
            (signup("correct horse battery", university), vec![]),
        ];
        for (req, expected) in cases {
            let expected: Vec<(String, ErrorCode)> = expected
                .into_iter()
                .map(|(f, c)| (f.to_owned(), c))
                .collect();
            assert_eq!(codes(req.validate()), expected, "{:?}", req.password);
        }
    }

    #[test]
    fn signup_reports_every_field_at_once() {
        let req = SignUp {
            email: "not-an-email".into(),
            name: " ".into(),
            ..signup("", firm())
        };
        let got: Vec<String> = codes(req.validate()).into_iter().map(|(f, _)| f).collect();
        assert_eq!(got, ["email", "password", "name"]);
    }

    #[test]
    fn expert_profile_limits() {
        let ok = ExpertProfile {
            fields: vec!["금형".into()],
            keywords: vec!["냉각 채널".into(), "CNC 가공".into()],
            equipment: "3D 금속 프린터".into(),
            bio: String::new(),
        };
        assert!(ok.validate().is_ok());
        let too_many = ExpertProfile {
            keywords: (0..21).map(|i| i.to_string()).collect(),
            ..ok.clone()
        };
        assert_eq!(
            codes(too_many.validate()),
            vec![(
                "keywords".to_owned(),
                ErrorCode::TooLong { max: KEYWORDS_MAX }
            )]
        );
        let too_long = ExpertProfile {
            fields: vec!["가".repeat(31)],
            ..ok
        };
        assert_eq!(
            codes(too_long.validate()),
            vec![("fields".to_owned(), ErrorCode::TooLong { max: KEYWORD_MAX })]
        );
    }
}

/// Query of the organisation search.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct OrgSearch {
    /// Part of the name.
    #[cfg_attr(feature = "openapi", param(min_length = 1, max_length = 100))]
    pub q: String,
    /// Only this kind.
    #[serde(default)]
    pub kind: Option<OrgKind>,
}

impl Validate for OrgSearch {
    fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::default();
        e.text("q", &self.q, 1, QUERY_MAX);
        e.into_result()
    }
}

/// Query of the business-number lookup.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct BusinessLookupQuery {
    /// The number, with or without dashes.
    pub business_no: String,
}

impl Validate for BusinessLookupQuery {
    fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::default();
        if !validate::is_business_number(&self.business_no) {
            e.add("business_no", ErrorCode::InvalidBusinessNumber);
        }
        e.into_result()
    }
}

/// Query of the admins' people search.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct UserSearch {
    /// Part of the name or email.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", param(max_length = 100))]
    pub q: String,
}

impl Validate for UserSearch {
    fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::default();
        e.text("q", &self.q, 0, QUERY_MAX);
        e.into_result()
    }
}

/// A cursor for newest-first lists: items with an id below `before`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct Cursor {
    /// Only items older than this id.
    #[serde(default)]
    pub before: Option<i64>,
    /// Only this consortium (audit trail).
    #[serde(default)]
    pub consortium: Option<i64>,
}

impl Validate for Cursor {
    fn validate(&self) -> Result<(), FieldErrors> {
        Ok(())
    }
}
