//! Networking activities (네트워킹 활동): seminars, forums, company visits and
//! guest lectures that CMs schedule for one or more consortia; registration with a
//! waiting list, check-in by code, minutes and photos afterwards.

use crate::{
    ActivityId, ConsortiumId, FieldErrors, UserId, Validate,
    idea::ConsortiumTag,
    questionnaire::{Answers, Question, Questionnaire, Section},
};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

code_enum!(
    /// What kind of activity.
    ActivityKind {
        /// 세미나.
        Seminar = "seminar",
        /// 포럼.
        Forum = "forum",
        /// 기업방문.
        CompanyVisit = "company_visit",
        /// 연사특강.
        GuestLecture = "guest_lecture",
        /// 수출상담회: one-to-one meetings with buyers (see [`crate::matchmaking`]).
        Matchmaking = "matchmaking",
        /// 기타.
        Other = "other",
    }
);

code_enum!(
    /// Who may register for an activity.
    #[derive(Default)]
    ActivityAudience {
        /// The members of its consortia (and their CMs).
        #[default]
        Members = "members",
        /// Everyone with an account: an open event.
        SignedIn = "signed_in",
        /// Everyone, guests without an account too (confirmed by a mailed link).
        Anyone = "anyone",
    }
);

code_enum!(
    /// Where a person stands for an activity.
    RegistrationStatus {
        /// Has a place.
        Registered = "registered",
        /// On the waiting list, promoted in order when a place frees up.
        Waitlisted = "waitlisted",
        /// Cancelled (kept for the record).
        Cancelled = "cancelled",
    }
);

/// Longest title, in characters.
pub const TITLE_MAX: usize = 100;
/// Longest description.
pub const DESCRIPTION_MAX: usize = 4000;
/// Longest place (an address).
pub const PLACE_MAX: usize = 200;
/// Longest online link.
pub const URL_MAX: usize = 500;
/// Largest capacity.
pub const CAPACITY_MAX: i64 = 10_000;
/// Most consortia one activity is for.
pub const CONSORTIA_MAX: usize = 20;
/// Longest activity, in hours.
pub const DURATION_MAX_HOURS: i64 = 14 * 24;
/// Longest minutes.
pub const MINUTES_MAX: usize = 20_000;
/// Photos an activity keeps.
pub const PHOTOS_MAX: usize = 20;
/// Digits of a check-in code.
pub const CODE_LEN: usize = 6;
/// Check-in opens this many minutes before the start…
pub const CHECKIN_OPENS_MIN: i64 = 60;
/// …and a code stays valid this many minutes after the end.
pub const CHECKIN_GRACE_MIN: i64 = 120;

/// Most items in a programme.
pub const PROGRAMME_MAX: usize = 30;
/// Longest agenda item title.
pub const ITEM_TITLE_MAX: usize = 100;
/// Longest speaker name.
pub const SPEAKER_MAX: usize = 50;
/// Longest affiliation.
pub const AFFILIATION_MAX: usize = 100;

/// One item of an activity's programme: when, what, and who speaks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AgendaItem {
    /// When it starts (within the activity).
    #[serde(with = "crate::wire_time")]
    pub starts_at: DateTime<Utc>,
    /// What happens (개회사, 주제 발표…).
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::text::<1, ITEM_TITLE_MAX>))]
    pub title: String,
    /// Who speaks.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::text::<0, SPEAKER_MAX>))]
    pub speaker: String,
    /// The speaker's organisation and title.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::text::<0, AFFILIATION_MAX>))]
    pub affiliation: String,
}

impl AgendaItem {
    /// "개회사 — 홍길동 (한국산업단지공단)": the item as one line, without its time.
    pub fn line(&self) -> String {
        let mut s = self.title.trim().to_owned();
        let (who, aff) = (self.speaker.trim(), self.affiliation.trim());
        if !who.is_empty() {
            s.push_str(" — ");
            s.push_str(who);
            if !aff.is_empty() {
                s.push_str(&format!(" ({aff})"));
            }
        } else if !aff.is_empty() {
            s.push_str(&format!(" — {aff}"));
        }
        s
    }
}

/// The programme as kept: items trimmed, in time order (stable for items at the
/// same time).
pub fn ordered(items: &[AgendaItem]) -> Vec<AgendaItem> {
    let mut v: Vec<AgendaItem> = items
        .iter()
        .map(|i| AgendaItem {
            starts_at: i.starts_at,
            title: i.title.trim().to_owned(),
            speaker: i.speaker.trim().to_owned(),
            affiliation: i.affiliation.trim().to_owned(),
        })
        .collect();
    v.sort_by_key(|i| i.starts_at);
    v
}

/// Most attendee categories an activity has.
pub const CATEGORIES_MAX: usize = 12;
/// Longest category name.
pub const CATEGORY_MAX: usize = 30;

/// An attendee category the organiser chose (정부, 지자체, 학계·연구소, 언론…),
/// with an optional cap on the people registered or waiting under it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CategoryDef {
    /// Name, as people choose it.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::text::<1, CATEGORY_MAX>))]
    pub name: String,
    /// Most people under it (registered and waiting); none means no cap.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 10_000))]
    #[serde(deserialize_with = "crate::ids::optional_whole")]
    pub capacity: Option<i64>,
}

/// A category on an activity's page, with how many chose it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CategoryCount {
    /// Name.
    pub name: String,
    /// Cap; none means no cap.
    pub capacity: Option<i64>,
    /// People registered or waiting under it.
    pub taken: i64,
}

impl CategoryCount {
    /// No more people may choose it.
    pub fn full(&self) -> bool {
        self.capacity.is_some_and(|c| self.taken >= c)
    }
}

/// The categories as kept: names trimmed, in the organiser's order.
pub fn trimmed(defs: &[CategoryDef]) -> Vec<CategoryDef> {
    defs.iter()
        .map(|d| CategoryDef {
            name: d.name.trim().to_owned(),
            capacity: d.capacity,
        })
        .collect()
}

/// The most registration questions of an activity.
pub const QUESTIONS_MAX: usize = 10;

/// An activity's registration questions as the one questionnaire model asks
/// them (a section of its own), so they are checked like a survey's.
pub fn registration_form(questions: &[Question]) -> Questionnaire {
    Questionnaire {
        sections: vec![Section {
            title: "신청 질문".to_owned(),
            questions: questions.to_vec(),
        }],
    }
}

/// Checks a registration's answers to `questions` (fields `answers.<key>`):
/// every required question asked is answered, and nothing else.
pub fn check_answers(questions: &[Question], answers: &Answers) -> Result<(), FieldErrors> {
    if questions.is_empty() && answers.is_empty() {
        return Ok(());
    }
    registration_form(questions).check(answers, true)
}

/// What a person sends to register: the attendee category, when the activity
/// has categories (then it is required), and the answers to its registration
/// questions.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Register {
    /// One of the activity's category names.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 30))]
    pub category: Option<String>,
    /// Answers to the registration questions, by question key.
    #[serde(default)]
    pub answers: Answers,
}

impl Validate for Register {
    fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::default();
        e.optional_text("category", self.category.as_deref(), CATEGORY_MAX);
        e.into_result()
    }
}

/// What a CM schedules (and edits). Times are instants; the app enters and shows
/// them in Korea time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewActivity {
    /// The consortia it is for (one, or several for cross-consortium events).
    pub consortium_ids: Vec<ConsortiumId>,
    /// Kind.
    pub kind: ActivityKind,
    /// Title.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::text::<2, TITLE_MAX>))]
    pub title: String,
    /// What happens, for whom.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::paragraphs::<0, DESCRIPTION_MAX>))]
    pub description: String,
    /// Start.
    #[serde(with = "crate::wire_time")]
    pub starts_at: DateTime<Utc>,
    /// End.
    #[serde(with = "crate::wire_time")]
    pub ends_at: DateTime<Utc>,
    /// Address (may be empty for an online-only activity).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::text::<0, PLACE_MAX>))]
    pub place: String,
    /// Online link (https).
    #[serde(default)]
    pub online_url: Option<String>,
    /// Places; none means no limit.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 10_000))]
    #[serde(deserialize_with = "crate::ids::optional_whole")]
    pub capacity: Option<i64>,
    /// Registration closes at; none means at the start.
    #[serde(default, with = "crate::wire_time::option")]
    pub deadline: Option<DateTime<Utc>>,
    /// Keep a waiting list when full (otherwise registration is refused).
    #[serde(default = "yes")]
    pub waitlist: bool,
    /// Who may register. Left out: the consortia's members on a new activity,
    /// unchanged on an edit.
    #[serde(default)]
    pub audience: Option<ActivityAudience>,
    /// Whether the place is shown to everyone, or only to people with a place and
    /// the managers. Left out: unchanged on an edit; on a new activity shown,
    /// except for a company visit (a firm's address is not for the world).
    #[serde(default)]
    pub place_public: Option<bool>,
    /// The programme (agenda items), in any order; kept in time order. Left out:
    /// none on a new activity, unchanged on an edit.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_items = 30))]
    pub programme: Option<Vec<AgendaItem>>,
    /// Attendee categories, each person registering chooses one. Left out: none
    /// on a new activity, unchanged on an edit.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_items = 12))]
    pub categories: Option<Vec<CategoryDef>>,
    /// Registration questions (the questionnaire model's questions: text,
    /// choices, yes/no...), asked of everyone registering. Left out: none on a
    /// new activity, unchanged on an edit; they cannot change once someone
    /// has registered.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_items = 10))]
    pub questions: Option<Vec<Question>>,
    /// The partners abroad that co-organise it, from the register. Left out:
    /// none on a new activity, unchanged on an edit.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_items = 10))]
    pub partners: Option<Vec<crate::PartnerId>>,
}

impl NewActivity {
    /// Whether the place is shown to everyone ([`Self::place_public`], else by kind).
    pub fn place_shown(&self) -> bool {
        self.place_public
            .unwrap_or(self.kind != ActivityKind::CompanyVisit)
    }

    /// Who may register ([`Self::audience`], else the members).
    pub fn audience(&self) -> ActivityAudience {
        self.audience.unwrap_or_default()
    }

    /// The attendee categories (none when left out).
    pub fn category_defs(&self) -> &[CategoryDef] {
        self.categories.as_deref().unwrap_or_default()
    }

    /// The programme's items (none when left out).
    pub fn items(&self) -> &[AgendaItem] {
        self.programme.as_deref().unwrap_or_default()
    }

    /// The registration questions (none when left out).
    pub fn question_list(&self) -> &[Question] {
        self.questions.as_deref().unwrap_or_default()
    }
}

fn yes() -> bool {
    true
}

/// True for an `http(s)://host…` link without spaces.
pub fn is_link(s: &str) -> bool {
    let rest = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"));
    rest.is_some_and(|r| {
        !r.is_empty() && !r.starts_with('/') && !r.chars().any(char::is_whitespace)
    })
}

impl Validate for NewActivity {
    fn validate(&self) -> Result<(), FieldErrors> {
        use crate::ErrorCode::*;
        let mut e = FieldErrors::default();
        let mut ids = self.consortium_ids.clone();
        ids.sort();
        ids.dedup();
        if ids.is_empty() {
            e.add("consortium_ids", Required);
        } else if ids.len() > CONSORTIA_MAX || ids.len() != self.consortium_ids.len() {
            e.add("consortium_ids", TooLong { max: CONSORTIA_MAX });
        }
        e.text("title", &self.title, 2, TITLE_MAX);
        e.optional_paragraphs("description", Some(&self.description), DESCRIPTION_MAX);
        if self.ends_at <= self.starts_at {
            e.add("ends_at", EndBeforeStart);
        } else if (self.ends_at - self.starts_at).num_hours() > DURATION_MAX_HOURS {
            e.add(
                "ends_at",
                OutOfRange {
                    min: 0,
                    max: DURATION_MAX_HOURS,
                },
            );
        }
        let url = self
            .online_url
            .as_deref()
            .map(str::trim)
            .filter(|u| !u.is_empty());
        if url.is_none() {
            e.text("place", &self.place, 1, PLACE_MAX);
        } else {
            e.optional_text("place", Some(&self.place), PLACE_MAX);
        }
        if let Some(u) = url {
            if u.len() > URL_MAX {
                e.add("online_url", TooLong { max: URL_MAX });
            } else if !is_link(u) {
                e.add("online_url", InvalidChoice);
            }
        }
        if let Some(c) = self.capacity {
            e.range("capacity", c, 1, CAPACITY_MAX);
        }
        if self.deadline.is_some_and(|d| d > self.starts_at) {
            e.add("deadline", AfterStart);
        }
        if self.items().len() > PROGRAMME_MAX {
            e.add("programme", TooLong { max: PROGRAMME_MAX });
        }
        let defs = self.category_defs();
        if defs.len() > CATEGORIES_MAX {
            e.add(
                "categories",
                TooLong {
                    max: CATEGORIES_MAX,
                },
            );
        }
        for (i, d) in defs.iter().enumerate().take(CATEGORIES_MAX) {
            let at = |f: &str| format!("categories[{i}].{f}");
            e.text(&at("name"), &d.name, 1, CATEGORY_MAX);
            if defs[..i].iter().any(|o| o.name.trim() == d.name.trim()) {
                e.add(at("name"), InvalidChoice);
            }
            if let Some(c) = d.capacity {
                e.range(&at("capacity"), c, 1, CAPACITY_MAX);
            }
        }
        for (i, item) in self.items().iter().enumerate().take(PROGRAMME_MAX) {
            let at = |f: &str| format!("programme[{i}].{f}");
            e.text(&at("title"), &item.title, 1, ITEM_TITLE_MAX);
            e.optional_text(&at("speaker"), Some(&item.speaker), SPEAKER_MAX);
            e.optional_text(&at("affiliation"), Some(&item.affiliation), AFFILIATION_MAX);
            if item.starts_at < self.starts_at || item.starts_at >= self.ends_at {
                e.add(at("starts_at"), OutsideActivity);
            }
        }
        check_questions(&mut e, self.question_list());
        if let Some(p) = &self.partners {
            crate::partner::check_event_partners(&mut e, "partners", p);
        }
        e.into_result()
    }
}

/// The registration questions' errors, fields named `questions.<i>.<field>`:
/// at most [`QUESTIONS_MAX`], each sound as a questionnaire's, none writing
/// a firm's figures.
fn check_questions(e: &mut FieldErrors, questions: &[Question]) {
    if questions.is_empty() {
        return;
    }
    if questions.len() > QUESTIONS_MAX {
        e.add(
            "questions",
            crate::ErrorCode::TooLong { max: QUESTIONS_MAX },
        );
        return;
    }
    for (i, q) in questions.iter().enumerate() {
        if q.figure.is_some() {
            e.add(
                format!("questions.{i}.figure"),
                crate::ErrorCode::InvalidChoice,
            );
        }
    }
    if let Err(found) = registration_form(questions).validate() {
        for f in found.0 {
            let field = match f.field.strip_prefix("sections.0.questions") {
                Some(rest) => format!("questions{rest}"),
                None => "questions".to_owned(),
            };
            e.add(field, f.code);
        }
    }
}

/// An activity in a list or calendar.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActivitySummary {
    /// Id.
    pub id: ActivityId,
    /// Kind.
    pub kind: ActivityKind,
    /// Title.
    pub title: String,
    /// Start.
    #[serde(with = "crate::wire_time")]
    pub starts_at: DateTime<Utc>,
    /// End.
    #[serde(with = "crate::wire_time")]
    pub ends_at: DateTime<Utc>,
    /// Address; empty when online only, or when kept for people with a place
    /// (`place_hidden`).
    pub place: String,
    /// The place is kept for people with a place and the managers, and the caller
    /// is neither.
    #[serde(default)]
    pub place_hidden: bool,
    /// Who may register.
    #[serde(default)]
    pub audience: ActivityAudience,
    /// Held online (too).
    pub online: bool,
    /// Places; none means no limit.
    pub capacity: Option<i64>,
    /// People with a place.
    pub registered: i64,
    /// People waiting.
    pub waitlisted: i64,
    /// The consortia it is for.
    pub consortia: Vec<ConsortiumTag>,
    /// Cancelled by the CM.
    pub cancelled: bool,
    /// The caller's registration.
    pub my_status: Option<RegistrationStatus>,
}

/// One activity, as its page shows it to the caller.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActivityView {
    /// What lists show.
    #[serde(flatten)]
    pub summary: ActivitySummary,
    /// Description.
    pub description: String,
    /// The online link (to registered people and managers only).
    pub online_url: Option<String>,
    /// Registration closes at.
    #[serde(with = "crate::wire_time")]
    pub deadline: DateTime<Utc>,
    /// Keeps a waiting list.
    pub waitlist: bool,
    /// The programme, in time order.
    pub programme: Vec<AgendaItem>,
    /// Attendee categories with how many chose each (none: nobody chooses).
    pub categories: Vec<CategoryCount>,
    /// The caller's category.
    pub my_category: Option<String>,
    /// How many registration questions it asks (they are read with
    /// [`ActivityQuestions`], by the forms that ask them).
    pub question_count: u32,
    /// The place is shown to everyone (else to people with a place and managers).
    pub place_public: bool,
    /// The caller's place on the waiting list (1 = next).
    pub my_position: Option<i64>,
    /// The caller checked in (or was marked present).
    pub attended: bool,
    /// The caller may register (a member of one of the consortia, or anyone
    /// signed in for an open activity).
    pub can_register: bool,
    /// The caller manages it (a CM of one of its consortia, or an admin).
    pub can_manage: bool,
    /// A check-in code is valid now.
    pub checkin_open: bool,
    /// Minutes, once the CM has written them (members, and people with a place).
    pub minutes: Option<String>,
    /// Photos (members, and people with a place).
    pub photos: Vec<ActivityPhoto>,
    /// Who scheduled it.
    pub created_by: String,
    /// The partners abroad that co-organise it.
    #[serde(default)]
    pub partners: Vec<crate::partner::PartnerTag>,
}

/// An activity's registration questions, and the caller's answers to them
/// (none when they have not registered).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActivityQuestions {
    /// The questions, in order.
    pub questions: Vec<Question>,
    /// The caller's answers, by question key.
    pub my_answers: Answers,
}

/// A photo of an activity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActivityPhoto {
    /// Id.
    pub id: i64,
    /// File name.
    pub name: String,
}

/// A person on an activity's list, for its managers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Attendee {
    /// The person, when they have an account.
    pub user_id: Option<UserId>,
    /// The guest, when they registered without an account.
    pub guest_id: Option<i64>,
    /// A guest's email address (how the organisers reach them).
    pub email: Option<String>,
    /// A guest's phone number, if they gave one.
    pub phone: Option<String>,
    /// Name.
    pub name: String,
    /// Organisation.
    pub org_name: String,
    /// Status.
    pub status: RegistrationStatus,
    /// Place on the waiting list.
    pub position: Option<i64>,
    /// Checked in at.
    #[serde(default, with = "crate::wire_time::option")]
    pub attended_at: Option<DateTime<Utc>>,
    /// Marked present by hand rather than by code.
    pub by_hand: bool,
    /// Registered at.
    #[serde(with = "crate::wire_time")]
    pub registered_at: DateTime<Utc>,
    /// Attendee category.
    pub category: Option<String>,
    /// Answers to the registration questions, by question key.
    pub answers: Answers,
}

/// The caller's registration after registering or cancelling.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Registration {
    /// Status.
    pub status: RegistrationStatus,
    /// Place on the waiting list.
    pub position: Option<i64>,
}

/// An attendee checks in with the code the CM shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CheckIn {
    /// The six digits.
    pub code: String,
}

impl Validate for CheckIn {
    fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::default();
        check_code(&mut e, &self.code);
        e.into_result()
    }
}

fn check_code(e: &mut FieldErrors, code: &str) {
    let c = code.trim();
    if c.is_empty() {
        e.add("code", crate::ErrorCode::Required);
    } else if c.len() != CODE_LEN || !c.chars().all(|d| d.is_ascii_digit()) {
        e.add("code", crate::ErrorCode::InvalidChoice);
    }
}

/// Longest phone number a guest gives.
pub const PHONE_MAX: usize = 20;
/// Days a guest's details are kept after the event ends (then only the count,
/// category and attendance stay).
pub const GUEST_KEEP_DAYS: i64 = 30;
/// Hours a guest's confirmation link stays good.
pub const GUEST_LINK_HOURS: i64 = 72;
/// The header a guest's link token travels in on the meetings pages' requests
/// (a header, not a cookie: no other site can make a browser send it).
pub const GUEST_HEADER: &str = "x-moim-guest";

/// Someone without an account registers for an activity open to anyone: the
/// registration holds nothing until they open the link mailed to `email`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GuestRegistration {
    /// Name.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::text::<1, 50>))]
    pub name: String,
    /// Organisation.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::text::<1, 100>))]
    pub org_name: String,
    /// Email address: the confirmation link goes there.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::email))]
    pub email: String,
    /// Phone number (digits, spaces, `+`, `-`, brackets), optional.
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 20, pattern = r"^[0-9+()\- ]*$")
    )]
    pub phone: Option<String>,
    /// One of the activity's category names, when it has categories.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 30))]
    pub category: Option<String>,
    /// Agrees that these details are kept until [`GUEST_KEEP_DAYS`] after the
    /// event to run it (required).
    pub agree: bool,
    /// Answers to the registration questions, by question key.
    #[serde(default)]
    pub answers: Answers,
}

impl Validate for GuestRegistration {
    fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::default();
        e.text("name", &self.name, 1, crate::validate::PERSON_NAME_MAX);
        e.text("org_name", &self.org_name, 1, crate::validate::ORG_NAME_MAX);
        e.email("email", &self.email);
        if let Some(p) = self
            .phone
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            if p.chars().count() > PHONE_MAX {
                e.add("phone", crate::ErrorCode::TooLong { max: PHONE_MAX });
            } else if !is_phone(p) {
                e.add("phone", crate::ErrorCode::InvalidChoice);
            }
        }
        e.optional_text("category", self.category.as_deref(), CATEGORY_MAX);
        if !self.agree {
            e.add("agree", crate::ErrorCode::Required);
        }
        e.into_result()
    }
}

/// A phone number as people write it: at least 7 digits, and only digits,
/// spaces, `+`, `-` and brackets.
pub fn is_phone(s: &str) -> bool {
    s.chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '+' | '-' | ' ' | '(' | ')'))
        && s.chars().filter(char::is_ascii_digit).count() >= 7
}

/// A guest's link: the token from the mail, sent in the body (never in an
/// address a log could keep).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GuestToken {
    /// The token of the link (64 hex digits).
    #[cfg_attr(feature = "openapi", schema(max_length = 64))]
    pub token: String,
}

fn check_token(e: &mut FieldErrors, token: &str) {
    let t = token.trim();
    if t.is_empty() {
        e.add("token", crate::ErrorCode::Required);
    } else if t.len() != 64 || !t.chars().all(|c| c.is_ascii_hexdigit()) {
        e.add("token", crate::ErrorCode::InvalidLink);
    }
}

impl Validate for GuestToken {
    fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::default();
        check_token(&mut e, &self.token);
        e.into_result()
    }
}

/// A guest checks in with their link and the code the CM shows.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GuestCheckIn {
    /// The token of the guest's link.
    #[cfg_attr(feature = "openapi", schema(max_length = 64))]
    pub token: String,
    /// The six digits.
    pub code: String,
}

impl Validate for GuestCheckIn {
    fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::default();
        check_token(&mut e, &self.token);
        check_code(&mut e, &self.code);
        e.into_result()
    }
}

code_enum!(
    /// Where a guest stands.
    GuestStatus {
        /// Registered; the mailed link not opened yet (holds no place).
        Pending = "pending",
        /// Has a place.
        Registered = "registered",
        /// On the waiting list.
        Waitlisted = "waitlisted",
        /// Cancelled (by the guest, or the link never opened).
        Cancelled = "cancelled",
    }
);

/// What a guest's link shows them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GuestView {
    /// The activity.
    pub activity_id: ActivityId,
    /// Its title.
    pub title: String,
    /// Name.
    pub name: String,
    /// Organisation.
    pub org_name: String,
    /// Email address.
    pub email: String,
    /// Status.
    pub status: GuestStatus,
    /// Place on the waiting list.
    pub position: Option<i64>,
    /// Category.
    pub category: Option<String>,
    /// Checked in.
    pub attended: bool,
    /// The check-in code is valid now.
    pub checkin_open: bool,
    /// The guest can still cancel (before the start).
    pub can_cancel: bool,
    /// The activity's place, once the guest has one (or when it is public).
    pub place: String,
    /// The online link, once the guest has a place.
    pub online_url: Option<String>,
    /// Their details are deleted then.
    #[serde(with = "crate::wire_time")]
    pub kept_until: DateTime<Utc>,
    /// Their answers to the registration questions.
    pub answers: Answers,
}

/// The answer to a guest registration: a link is on its way.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GuestPending {
    /// The address the link went to.
    pub email: String,
    /// The link is good until then.
    #[serde(with = "crate::wire_time")]
    pub link_expires_at: DateTime<Utc>,
}

/// The code the CM shows, with the link its QR code carries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CheckinCode {
    /// The six digits.
    pub code: String,
    /// Valid until.
    #[serde(with = "crate::wire_time")]
    pub expires_at: DateTime<Utc>,
    /// Path of the check-in page with the code (`/activities/{id}/check-in?code=…`).
    pub path: String,
}

/// A manager marks someone present or absent by hand.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Attendance {
    /// Present?
    pub attended: bool,
}

impl Validate for Attendance {
    fn validate(&self) -> Result<(), FieldErrors> {
        Ok(())
    }
}

/// Minutes written after the event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Minutes {
    /// What was said and decided.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::paragraphs::<1, MINUTES_MAX>))]
    pub minutes: String,
}

impl Validate for Minutes {
    fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::default();
        e.paragraphs("minutes", &self.minutes, 1, MINUTES_MAX);
        e.into_result()
    }
}

/// Which activities a list or calendar shows.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct ActivityQuery {
    /// One consortium.
    pub consortium: Option<ConsortiumId>,
    /// One wide economic region (`동남권`…).
    #[cfg_attr(feature = "openapi", param(max_length = 20))]
    pub region: Option<String>,
    /// Starting at or after (default: now).
    #[serde(default, with = "crate::wire_time::option")]
    pub from: Option<DateTime<Utc>>,
    /// Starting before (default: 90 days after `from`).
    #[serde(default, with = "crate::wire_time::option")]
    pub to: Option<DateTime<Utc>>,
    /// Only those the caller registered for.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub mine: bool,
}

impl crate::query::ListQuery for ActivityQuery {
    fn normalized(self) -> Self {
        ActivityQuery {
            region: crate::query::clean(self.region),
            ..self
        }
    }
}

impl Validate for ActivityQuery {
    fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::default();
        e.optional_text("region", self.region.as_deref(), 20);
        if let (Some(f), Some(t)) = (self.from, self.to) {
            if t < f {
                e.add("to", crate::ErrorCode::EndBeforeStart);
            } else if (t - f).num_days() > 400 {
                e.add("to", crate::ErrorCode::OutOfRange { min: 0, max: 400 });
            }
        }
        e.into_result()
    }
}

/// What the schedule page's address asks for: a month calendar, or a list (of
/// what is coming, or of a period), for everything, one consortium, one region or
/// one's own registrations. The page reads and writes it; [`Self::to_api`] is the
/// API request for it, so the server can answer that request inside the page.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ScheduleQuery {
    /// A month calendar: `2026-12` (held as its first day).
    #[serde(default, with = "month_code")]
    pub month: Option<NaiveDate>,
    /// One consortium.
    pub consortium: Option<ConsortiumId>,
    /// One region's code (`dongnam`…).
    pub region: Option<String>,
    /// Only those the caller registered for.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub mine: bool,
    /// A period's first day (with `to`).
    #[serde(default, with = "crate::wire_time::date::option")]
    pub from: Option<NaiveDate>,
    /// A period's last day.
    #[serde(default, with = "crate::wire_time::date::option")]
    pub to: Option<NaiveDate>,
}

impl crate::query::ListQuery for ScheduleQuery {
    fn normalized(self) -> Self {
        let period = self.month.is_none() && self.from.is_some() && self.to.is_some();
        ScheduleQuery {
            region: self
                .region
                .filter(|r| crate::reference::Region::from_code(r).is_some()),
            from: self.from.filter(|_| period),
            to: self.to.filter(|_| period),
            ..self
        }
    }
}

impl ScheduleQuery {
    /// The API request: the month or the period as instants of Korea time.
    pub fn to_api(&self) -> ActivityQuery {
        let (from, to) = match (self.month, self.from, self.to) {
            (Some(m), _, _) => (
                Some(kst_midnight(m)),
                m.checked_add_months(chrono::Months::new(1))
                    .map(kst_midnight),
            ),
            (None, Some(f), Some(t)) => (Some(kst_midnight(f)), t.succ_opt().map(kst_midnight)),
            _ => (None, None),
        };
        ActivityQuery {
            consortium: self.consortium,
            region: self.region.clone(),
            from,
            to,
            mine: self.mine,
        }
    }
}

/// Midnight of a day in Korea, as an instant.
pub fn kst_midnight(d: NaiveDate) -> DateTime<Utc> {
    d.and_time(chrono::NaiveTime::MIN)
        .and_local_timezone(crate::KST)
        .single()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_default()
}

/// `2026-12` ↔ the first day of that month.
mod month_code {
    use chrono::{Datelike, NaiveDate};
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(m: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
        match m {
            Some(m) => s.serialize_str(&format!("{:04}-{:02}", m.year(), m.month())),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
        Ok(Option::<String>::deserialize(d)?.and_then(|s| {
            let (y, m) = s.split_once('-')?;
            NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, 1)
        }))
    }
}

/// Why a manager cancels an activity (told to everyone on its list).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CancelNote {
    /// The reason, optional.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::optional_text::<CANCEL_NOTE_MAX>))]
    pub note: Option<String>,
}

/// The longest reason a cancellation carries.
pub const CANCEL_NOTE_MAX: usize = 500;

impl Validate for CancelNote {
    fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::default();
        e.optional_text("note", self.note.as_deref(), CANCEL_NOTE_MAX);
        e.into_result()
    }
}

/// The most activities one list answer holds.
pub const LIST_MAX: i64 = 500;

/// The subscription link of a member's calendar feed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CalendarFeed {
    /// Path of the feed (`/api/calendar/{token}.ics`); secret, so renewable.
    pub path: String,
}

#[cfg(test)]
mod schedule_tests {
    use super::*;
    use crate::query::ListQuery;

    #[test]
    fn a_month_in_an_address_and_in_the_api() {
        let q = ScheduleQuery::from_query("month=2026-12&region=dongnam&from=2026-01-01");
        assert_eq!(q.month, NaiveDate::from_ymd_opt(2026, 12, 1));
        // A month wins over a half-given period, which is dropped.
        assert_eq!(q.from, None);
        assert_eq!(q.to_query(), "month=2026-12&region=dongnam");
        let api = q.to_api();
        assert_eq!(
            api.from.map(|t| t.to_rfc3339()),
            Some("2026-11-30T15:00:00+00:00".to_owned())
        );
        assert_eq!(
            api.to.map(|t| t.to_rfc3339()),
            Some("2026-12-31T15:00:00+00:00".to_owned())
        );
        assert_eq!(ScheduleQuery::from_query("region=nowhere").region, None);
        assert_eq!(
            ScheduleQuery::from_query("").to_api(),
            ActivityQuery::default()
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn visit() -> NewActivity {
        let start = Utc
            .with_ymd_and_hms(2026, 12, 3, 5, 0, 0)
            .single()
            .unwrap_or_default();
        NewActivity {
            consortium_ids: vec![ConsortiumId(1)],
            kind: ActivityKind::CompanyVisit,
            title: "한빛정밀 공장 견학".into(),
            description: String::new(),
            starts_at: start,
            ends_at: start + chrono::Duration::hours(2),
            place: "경남 창원시 성산구".into(),
            online_url: None,
            capacity: Some(2),
            deadline: None,
            waitlist: true,
            audience: None,
            place_public: None,
            programme: None,
            categories: None,
            questions: None,
            partners: None,
        }
    }

    #[test]
    fn registration_questions_are_a_sound_questionnaire_without_figures() {
        use crate::questionnaire::{Answer, QuestionType};
        let mut a = visit();
        let lunch = Question {
            required: true,
            ..Question::new("lunch", "오찬 참석", QuestionType::YesNo)
        };
        a.questions = Some(vec![lunch.clone()]);
        assert_eq!(fields(&a), Vec::<String>::new());
        let mut figure = Question::new("sales", "매출", QuestionType::Number);
        figure.figure = Some(crate::figures::FigureField::ALL[0]);
        a.questions = Some(vec![
            lunch.clone(),
            Question::new("lunch", "", QuestionType::ShortText),
            figure,
        ]);
        assert_eq!(
            fields(&a),
            ["questions.2.figure", "questions.1.key", "questions.1.text"]
        );
        a.questions = Some(vec![lunch.clone(); QUESTIONS_MAX + 1]);
        assert_eq!(fields(&a), ["questions"]);
        // Answers: the required one, and nothing else.
        let qs = [lunch];
        let none = Answers::new();
        let yes: Answers = [("lunch".to_owned(), Answer::YesNo(true))].into();
        let stray: Answers = [("other".to_owned(), Answer::YesNo(true))].into();
        assert!(check_answers(&qs, &none).is_err());
        assert_eq!(check_answers(&qs, &yes), Ok(()));
        assert!(check_answers(&[], &stray).is_err());
        assert_eq!(check_answers(&[], &none), Ok(()));
    }

    #[test]
    fn categories_are_named_once_with_a_sensible_cap() {
        let mut a = visit();
        let def = |name: &str, capacity| CategoryDef {
            name: name.into(),
            capacity,
        };
        a.categories = Some(vec![
            def("정부", Some(10)),
            def(" 정부", None),
            def("", None),
            def("언론", Some(0)),
        ]);
        assert_eq!(
            fields(&a),
            [
                "categories[1].name",
                "categories[2].name",
                "categories[3].capacity"
            ]
        );
        a.categories = Some(vec![def("정부", None); CATEGORIES_MAX + 1]);
        assert_eq!(fields(&a)[0], "categories");
        assert_eq!(trimmed(&[def(" 언론 ", Some(5))])[0].name, "언론");
        let full = CategoryCount {
            name: "언론".into(),
            capacity: Some(5),
            taken: 5,
        };
        assert!(full.full());
    }

    #[test]
    fn a_programme_stays_inside_the_activity_and_is_kept_in_order() {
        let mut a = visit();
        let item = |min: i64, title: &str| AgendaItem {
            starts_at: a.starts_at + chrono::Duration::minutes(min),
            title: title.into(),
            speaker: " 홍길동 ".into(),
            affiliation: "한국산업단지공단".into(),
        };
        a.programme = Some(vec![
            item(30, "주제 발표"),
            item(0, "개회사"),
            item(120, "늦은 순서"),
            item(-5, ""),
        ]);
        assert_eq!(
            fields(&a),
            [
                "programme[2].starts_at",
                "programme[3].title",
                "programme[3].starts_at"
            ]
        );
        let kept = ordered(&a.items()[..2]);
        assert_eq!(kept[0].title, "개회사");
        assert_eq!(kept[0].line(), "개회사 — 홍길동 (한국산업단지공단)");
        a.programme = Some(vec![item(0, "개회사"); PROGRAMME_MAX + 1]);
        assert_eq!(fields(&a), ["programme"]);
    }

    #[test]
    fn a_company_visit_keeps_its_address_unless_told() {
        let mut a = visit();
        assert!(!a.place_shown());
        a.kind = ActivityKind::Seminar;
        assert!(a.place_shown());
        a.place_public = Some(false);
        assert!(!a.place_shown());
        let wire: Result<NewActivity, _> = serde_json::from_value(serde_json::json!({
            "consortium_ids": [1], "kind": "forum", "title": "포럼",
            "starts_at": "2026-12-03T05:00:00Z", "ends_at": "2026-12-03T07:00:00Z", "place": "창원"
        }));
        assert!(
            matches!(&wire, Ok(w) if w.audience() == ActivityAudience::Members
                && w.place_public.is_none() && w.programme.is_none() && w.place_shown()),
            "{wire:?}"
        );
    }

    fn fields(a: &NewActivity) -> Vec<String> {
        a.validate()
            .err()
            .map(|e| e.0.into_iter().map(|f| f.field).collect())
            .unwrap_or_default()
    }

    #[test]
    fn a_plain_visit_is_valid() {
        assert!(visit().validate().is_ok());
    }

    #[test]
    fn bad_inputs_are_named() {
        let mut a = visit();
        a.consortium_ids = vec![ConsortiumId(1), ConsortiumId(1)];
        a.ends_at = a.starts_at;
        a.capacity = Some(0);
        a.deadline = Some(a.starts_at + chrono::Duration::minutes(1));
        a.online_url = Some("javascript:alert(1)".into());
        assert_eq!(
            fields(&a),
            [
                "consortium_ids",
                "ends_at",
                "online_url",
                "capacity",
                "deadline"
            ]
        );
    }

    #[test]
    fn online_only_needs_no_place() {
        let mut a = visit();
        a.place = String::new();
        assert_eq!(fields(&a), ["place"]);
        a.online_url = Some("https://meet.example/abc".into());
        assert!(a.validate().is_ok());
    }

    #[test]
    fn codes_are_six_digits() {
        assert!(
            CheckIn {
                code: "012345".into()
            }
            .validate()
            .is_ok()
        );
        for bad in ["", "12345", "1234567", "12a456"] {
            assert!(CheckIn { code: bad.into() }.validate().is_err(), "{bad}");
        }
    }
}
