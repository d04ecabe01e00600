//! Export matchmaking (수출상담회): one-to-one meetings between buyers, sellers
//! and partners at an event. The organiser cuts meeting sessions into slots at a
//! number of tables; participants describe what they offer and seek, request
//! meetings in the booking phase and accept or decline them; [`schedule`] turns
//! the requests into each person's agenda.

use crate::{ErrorCode, FieldErrors, FieldId, Validate};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

code_enum!(
    /// What a participant comes for.
    MatchRole {
        /// 바이어: buys (often from abroad).
        Buyer = "buyer",
        /// 셀러: sells (a Korean firm, usually).
        Seller = "seller",
        /// 파트너: a partner for technology, investment or distribution.
        Partner = "partner",
    }
);

code_enum!(
    /// A language spoken at a meeting (ISO 639-1).
    Language {
        /// 한국어.
        Ko = "ko",
        /// English.
        En = "en",
        /// 中文.
        Zh = "zh",
        /// 日本語.
        Ja = "ja",
        /// Tiếng Việt.
        Vi = "vi",
        /// Bahasa Indonesia.
        Id = "id",
        /// ภาษาไทย.
        Th = "th",
        /// Español.
        Es = "es",
        /// Deutsch.
        De = "de",
        /// Français.
        Fr = "fr",
        /// Русский.
        Ru = "ru",
        /// العربية.
        Ar = "ar",
    }
);

code_enum!(
    /// Where a meeting request stands.
    MeetingStatus {
        /// Asked, not yet answered.
        Pending = "pending",
        /// The other side said yes.
        Accepted = "accepted",
        /// The other side said no (kept, so it is not asked again).
        Declined = "declined",
    }
);

code_enum!(
    /// Whether a meeting took place, as one side reports it.
    MeetingAttendance {
        /// It was held.
        Held = "held",
        /// The other side did not come.
        NoShow = "no_show",
    }
);

code_enum!(
    /// What came of a meeting, as one side reports it.
    FollowUp {
        /// No further contact.
        NoContact = "no_contact",
        /// In negotiation.
        Negotiating = "negotiating",
        /// A contract in progress (its value expected).
        ContractInProgress = "contract_in_progress",
        /// A contract signed (its value).
        ContractSigned = "contract_signed",
    }
);

impl FollowUp {
    /// Whether it is a contract, which has a value.
    pub fn is_contract(self) -> bool {
        matches!(self, Self::ContractInProgress | Self::ContractSigned)
    }
}

code_enum!(
    /// The currency a contract's value is stated in (stored as entered): ISO 4217,
    /// lower case on the wire like every code.
    Currency {
        /// 원.
        Krw = "krw",
        /// US dollar.
        Usd = "usd",
        /// Euro.
        Eur = "eur",
        /// 円.
        Jpy = "jpy",
        /// 人民币.
        Cny = "cny",
    }
);

impl Currency {
    /// How many units an exchange rate is quoted for: 100 for the yen, as Korean
    /// banks quote it (100엔당), else 1.
    pub fn rate_unit(self) -> i64 {
        if self == Self::Jpy { 100 } else { 1 }
    }
}

/// What the organiser counts a currency at for the event's totals: won per
/// `Currency::rate_unit` units (e.g. USD 1,380; JPY 920 per 100 yen).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExchangeRate {
    /// The currency (not KRW).
    pub currency: Currency,
    /// Won for one unit (100 for the yen).
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 100_000))]
    pub krw: u32,
}

/// The largest rate taken, in won per unit.
pub const RATE_MAX: u32 = 100_000;

/// `amount` of `currency` in won at `rates` (KRW as it is), or none without a rate.
pub fn in_krw(amount: i64, currency: Currency, rates: &[ExchangeRate]) -> Option<i64> {
    if currency == Currency::Krw {
        return Some(amount);
    }
    let rate = rates.iter().find(|r| r.currency == currency)?;
    let won = i128::from(amount) * i128::from(rate.krw) / i128::from(currency.rate_unit());
    Some(i64::try_from(won).unwrap_or(i64::MAX))
}

code_enum!(
    /// A follow-up round: both sides are asked what came of their meetings.
    FollowUpRound {
        /// Right after the event.
        AfterEvent = "after_event",
        /// Again, the organiser's number of months later.
        Later = "later",
    }
);

/// Days a follow-up round stays open.
pub const FOLLOW_UP_DAYS: i64 = 30;
/// Days between a round's reminders to someone who has not answered.
pub const FOLLOW_UP_REMIND_DAYS: i64 = 7;
/// Most reminders in a round, after the first ask.
pub const FOLLOW_UP_REMINDERS: i64 = 3;
/// The latest second round, in months after the event.
pub const FOLLOW_UP_MONTHS_MAX: u32 = 24;

fn six() -> u32 {
    6
}

/// A follow-up round the caller is asked in, and where their answers stand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FollowUpAsk {
    /// Which round.
    pub round: FollowUpRound,
    /// Open from…
    #[serde(with = "crate::wire_time")]
    pub opens_at: DateTime<Utc>,
    /// …until.
    #[serde(with = "crate::wire_time")]
    pub closes_at: DateTime<Utc>,
    /// The caller's meetings it asks about.
    pub meetings: u32,
    /// Those not yet answered in this round (request numbers).
    pub unanswered: Vec<i64>,
}

/// Where a follow-up round open now stands, for the organiser: how many
/// people it asks and how many have answered about every meeting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FollowUpTally {
    /// Which round.
    pub round: FollowUpRound,
    /// Open until.
    #[serde(with = "crate::wire_time")]
    pub closes_at: DateTime<Utc>,
    /// People it asks.
    pub asked: u32,
    /// Of them, those who have answered about every meeting.
    pub answered: u32,
}

/// Whether a follow-up round asks about a (placed, accepted or reported held)
/// meeting, by what its sides said of it: unless it was a no-show by every
/// word given (unreported ones are asked).
pub fn followed_up(held: bool, no_show: bool) -> bool {
    held || !no_show
}

/// Whether one side has answered a round about a meeting, from their report:
/// their follow-up (given at any time for the round after the event, since
/// the round opened for the later one), or they say nobody came.
pub fn answered(
    round: FollowUpRound,
    opens_at: DateTime<Utc>,
    attendance: Option<MeetingAttendance>,
    follow_up: Option<FollowUp>,
    reported_at: Option<DateTime<Utc>>,
) -> bool {
    match attendance {
        None => false,
        Some(MeetingAttendance::NoShow) => true,
        Some(MeetingAttendance::Held) => {
            follow_up.is_some()
                && (round == FollowUpRound::AfterEvent
                    || reported_at.is_some_and(|t| t >= opens_at))
        }
    }
}

/// The largest contract value taken, in the currency's units.
pub const AMOUNT_MAX: i64 = 10_000_000_000_000;

/// One side's report of a meeting: whether it was held, how it was (1–5), and
/// later what came of it, with a contract's value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MeetingReport {
    /// Held, or the other side did not come.
    pub attendance: MeetingAttendance,
    /// How useful it was, 1–5 (a held meeting only).
    #[serde(default, deserialize_with = "crate::ids::optional_whole")]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 5))]
    pub rating: Option<i64>,
    /// What came of it (a held meeting only).
    #[serde(default)]
    pub follow_up: Option<FollowUp>,
    /// A contract's value, in `currency` (a contract only).
    #[serde(default, deserialize_with = "crate::ids::optional_whole")]
    #[cfg_attr(
        feature = "openapi",
        schema(minimum = 0, maximum = 10_000_000_000_000_i64)
    )]
    pub amount: Option<i64>,
    /// The value's currency (with `amount`).
    #[serde(default)]
    pub currency: Option<Currency>,
    /// A signed contract was signed at the event itself.
    #[serde(default)]
    pub signed_on_site: bool,
}

impl Validate for MeetingReport {
    fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::default();
        let held = self.attendance == MeetingAttendance::Held;
        if let Some(r) = self.rating
            && !(1..=5).contains(&r)
        {
            e.add("rating", ErrorCode::OutOfRange { min: 1, max: 5 });
        }
        if !held && self.rating.is_some() {
            e.add("rating", ErrorCode::InvalidChoice);
        }
        if !held && self.follow_up.is_some() {
            e.add("follow_up", ErrorCode::InvalidChoice);
        }
        let contract = self.follow_up.is_some_and(FollowUp::is_contract);
        match self.amount {
            Some(a) if !(0..=AMOUNT_MAX).contains(&a) => e.add(
                "amount",
                ErrorCode::OutOfRange {
                    min: 0,
                    max: AMOUNT_MAX,
                },
            ),
            Some(_) if !contract => e.add("amount", ErrorCode::InvalidChoice),
            None if contract => e.add("amount", ErrorCode::Required),
            _ => {}
        }
        match self.currency {
            Some(_) if self.amount.is_none() => e.add("currency", ErrorCode::InvalidChoice),
            None if self.amount.is_some() => e.add("currency", ErrorCode::Required),
            _ => {}
        }
        if self.signed_on_site && self.follow_up != Some(FollowUp::ContractSigned) {
            e.add("signed_on_site", ErrorCode::InvalidChoice);
        }
        e.into_result()
    }
}

/// Most meeting sessions of an event.
pub const SESSIONS_MAX: usize = 4;
/// Shortest and longest slot, in minutes.
pub const SLOT_MIN: u32 = 10;
/// Longest slot, in minutes.
pub const SLOT_MAX: u32 = 60;
/// Most slots of an event, all sessions together.
pub const SLOTS_MAX: usize = 200;
/// Most tables.
pub const TABLES_MAX: u32 = 200;
/// Most meetings a person may be asked for or ask (the organiser's cap is at most this).
pub const CAP_MAX: u32 = 30;
/// Most interpreters listed.
pub const INTERPRETERS_MAX: usize = 30;
/// Longest interpreter name.
pub const INTERPRETER_NAME_MAX: usize = 50;
/// Longest "what we offer" / "what we seek".
pub const PROFILE_TEXT_MAX: usize = 500;
/// Longest request message.
pub const MESSAGE_MAX: usize = 300;
/// Most languages on a profile or an interpreter.
pub const LANGUAGES_MAX: usize = 5;

/// A meeting session: a block of time cut into slots.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MatchSession {
    /// Start.
    #[serde(with = "crate::wire_time")]
    pub starts_at: DateTime<Utc>,
    /// End (the last slot ends at or before it).
    #[serde(with = "crate::wire_time")]
    pub ends_at: DateTime<Utc>,
}

/// An interpreter the organiser has booked for the day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Interpreter {
    /// Name.
    pub name: String,
    /// Languages they interpret between (Korean and at least one other).
    pub languages: Vec<Language>,
}

/// How an event's one-to-one meetings run (set by the organiser with the activity).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MatchSetup {
    /// Meeting sessions, within the activity's time, not overlapping.
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 4))]
    pub sessions: Vec<MatchSession>,
    /// Length of a slot in minutes.
    #[cfg_attr(feature = "openapi", schema(minimum = 10, maximum = 60))]
    pub slot_minutes: u32,
    /// Number of tables.
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 200))]
    pub tables: u32,
    /// Requests may be made from…
    #[serde(with = "crate::wire_time")]
    pub booking_opens_at: DateTime<Utc>,
    /// …until (at the latest the first session's start).
    #[serde(with = "crate::wire_time")]
    pub booking_closes_at: DateTime<Utc>,
    /// Most meetings per person (asked and asked for, not declined).
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 30))]
    pub cap: u32,
    /// Interpreters available all day.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_items = 30))]
    pub interpreters: Vec<Interpreter>,
    /// Months after the event when both sides are asked again what came of
    /// their meetings (they are asked right after it too).
    #[serde(default = "six")]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 24, default = 6))]
    pub follow_up_months: u32,
    /// What the organiser counts each foreign currency at for the totals.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_items = 4))]
    pub rates: Vec<ExchangeRate>,
}

/// One time slot of an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Slot {
    /// Start.
    #[serde(with = "crate::wire_time")]
    pub starts_at: DateTime<Utc>,
    /// End.
    #[serde(with = "crate::wire_time")]
    pub ends_at: DateTime<Utc>,
}

impl MatchSetup {
    /// Every slot, session by session, in time order; a slot is known by its
    /// place in this list.
    pub fn slots(&self) -> Vec<Slot> {
        let step = Duration::minutes(i64::from(self.slot_minutes.max(1)));
        let mut out = Vec::new();
        let mut sessions: Vec<&MatchSession> = self.sessions.iter().collect();
        sessions.sort_by_key(|s| s.starts_at);
        for s in sessions {
            let mut at = s.starts_at;
            while at + step <= s.ends_at && out.len() < SLOTS_MAX {
                out.push(Slot {
                    starts_at: at,
                    ends_at: at + step,
                });
                at += step;
            }
        }
        out
    }

    /// The follow-up rounds of an event ending at `ends_at`: when each opens
    /// and closes.
    pub fn follow_up_rounds(
        &self,
        ends_at: DateTime<Utc>,
    ) -> [(FollowUpRound, DateTime<Utc>, DateTime<Utc>); 2] {
        let open = Duration::days(FOLLOW_UP_DAYS);
        // Never before the first round closes (a month can be shorter than it).
        let later = ends_at
            .checked_add_months(chrono::Months::new(self.follow_up_months.max(1)))
            .unwrap_or(ends_at)
            .max(ends_at + open);
        [
            (FollowUpRound::AfterEvent, ends_at, ends_at + open),
            (FollowUpRound::Later, later, later + open),
        ]
    }

    /// The follow-up round open at `now`, if one is.
    pub fn follow_up_round(
        &self,
        ends_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Option<(FollowUpRound, DateTime<Utc>, DateTime<Utc>)> {
        self.follow_up_rounds(ends_at)
            .into_iter()
            .find(|(_, opens, closes)| *opens <= now && now < *closes)
    }

    /// Whether requests may be made at `now`.
    pub fn booking_open(&self, now: DateTime<Utc>) -> bool {
        self.booking_opens_at <= now && now < self.booking_closes_at
    }

    /// Checks the setup against its activity's time (`starts_at`..`ends_at`),
    /// adding errors under `at` (e.g. `matchmaking`).
    pub fn check(
        &self,
        at: &str,
        starts_at: DateTime<Utc>,
        ends_at: DateTime<Utc>,
        e: &mut FieldErrors,
    ) {
        use ErrorCode::*;
        let f = |name: &str| format!("{at}.{name}");
        if self.sessions.is_empty() {
            e.add(f("sessions"), Required);
        } else if self.sessions.len() > SESSIONS_MAX {
            e.add(f("sessions"), TooLong { max: SESSIONS_MAX });
        }
        let step = Duration::minutes(i64::from(self.slot_minutes));
        for (i, s) in self.sessions.iter().enumerate().take(SESSIONS_MAX) {
            let g = |name: &str| format!("{at}.sessions[{i}].{name}");
            if s.starts_at < starts_at || s.starts_at >= ends_at {
                e.add(g("starts_at"), OutOfRange { min: 0, max: 0 });
            } else if s.ends_at > ends_at {
                e.add(g("ends_at"), OutOfRange { min: 0, max: 0 });
            } else if s
                .starts_at
                .checked_add_signed(step)
                .is_none_or(|first| s.ends_at < first)
            {
                e.add(g("ends_at"), EndBeforeStart);
            } else if self.sessions[..i]
                .iter()
                .any(|o| o.starts_at < s.ends_at && s.starts_at < o.ends_at)
            {
                e.add(g("starts_at"), InvalidChoice);
            }
        }
        e.range(
            &f("slot_minutes"),
            i64::from(self.slot_minutes),
            i64::from(SLOT_MIN),
            i64::from(SLOT_MAX),
        );
        e.range(
            &f("tables"),
            i64::from(self.tables),
            1,
            i64::from(TABLES_MAX),
        );
        e.range(&f("cap"), i64::from(self.cap), 1, i64::from(CAP_MAX));
        if e.is_empty() && self.slots().len() >= SLOTS_MAX {
            e.add(f("sessions"), TooLong { max: SLOTS_MAX });
        }
        let first = self.sessions.iter().map(|s| s.starts_at).min();
        if self.booking_closes_at <= self.booking_opens_at {
            e.add(f("booking_closes_at"), EndBeforeStart);
        } else if first.is_some_and(|first| self.booking_closes_at > first) {
            e.add(f("booking_closes_at"), AfterStart);
        }
        if self.interpreters.len() > INTERPRETERS_MAX {
            e.add(
                f("interpreters"),
                TooLong {
                    max: INTERPRETERS_MAX,
                },
            );
        }
        for (i, p) in self.interpreters.iter().enumerate().take(INTERPRETERS_MAX) {
            let g = |name: &str| format!("{at}.interpreters[{i}].{name}");
            e.text(&g("name"), &p.name, 1, INTERPRETER_NAME_MAX);
            languages(&g("languages"), &p.languages, 2, e);
        }
        e.range(
            &f("follow_up_months"),
            i64::from(self.follow_up_months),
            1,
            i64::from(FOLLOW_UP_MONTHS_MAX),
        );
        if self.rates.len() >= Currency::ALL.len() {
            e.add(
                f("rates"),
                TooLong {
                    max: Currency::ALL.len() - 1,
                },
            );
        }
        for (i, r) in self.rates.iter().enumerate().take(Currency::ALL.len()) {
            let g = |name: &str| format!("{at}.rates[{i}].{name}");
            if r.currency == Currency::Krw
                || self.rates[..i].iter().any(|o| o.currency == r.currency)
            {
                e.add(g("currency"), InvalidChoice);
            }
            e.range(&g("krw"), i64::from(r.krw), 1, i64::from(RATE_MAX));
        }
    }
}

fn languages(field: &str, list: &[Language], min: usize, e: &mut FieldErrors) {
    let mut seen = list.to_vec();
    seen.sort();
    seen.dedup();
    if list.len() < min {
        e.add(field, ErrorCode::Required);
    } else if list.len() > LANGUAGES_MAX || seen.len() != list.len() {
        e.add(field, ErrorCode::TooLong { max: LANGUAGES_MAX });
    }
}

/// True for a country code of two capital letters (ISO 3166-1 alpha-2).
pub fn is_country(s: &str) -> bool {
    s.len() == 2 && s.bytes().all(|b| b.is_ascii_uppercase())
}

/// A participant's marketplace profile (what they write).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MatchProfile {
    /// Buyer, seller or partner.
    pub role: MatchRole,
    /// What they offer: products, technologies (Korean and/or English).
    #[serde(default)]
    pub offer: String,
    /// What they seek.
    #[serde(default)]
    pub seek: String,
    /// Country (ISO 3166-1 alpha-2, e.g. `KR`, `US`).
    pub country: String,
    /// Languages they speak.
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 5))]
    pub languages: Vec<Language>,
    /// Whether they need an interpreter.
    #[serde(default)]
    pub interpreter: bool,
    /// Slots (by place in the event's slot list) when they cannot meet.
    #[serde(default)]
    pub unavailable: Vec<u32>,
    /// Technology fields of what they offer or seek (the programme's fields,
    /// as consortia and problems have), each once.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_items = 3))]
    pub fields: Vec<FieldId>,
}

/// Most technology fields on a profile.
pub const PROFILE_FIELDS_MAX: usize = 3;

impl Validate for MatchProfile {
    fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::default();
        e.optional_paragraphs("offer", Some(&self.offer), PROFILE_TEXT_MAX);
        e.optional_paragraphs("seek", Some(&self.seek), PROFILE_TEXT_MAX);
        if self.offer.trim().is_empty() && self.seek.trim().is_empty() {
            e.add("offer", ErrorCode::Required);
        }
        if !is_country(&self.country) {
            e.add("country", ErrorCode::InvalidChoice);
        }
        languages("languages", &self.languages, 1, &mut e);
        if self.unavailable.len() > SLOTS_MAX
            || self.unavailable.iter().any(|s| *s as usize >= SLOTS_MAX)
        {
            e.add("unavailable", ErrorCode::TooLong { max: SLOTS_MAX });
        }
        if self.fields.len() > PROFILE_FIELDS_MAX {
            e.add(
                "fields",
                ErrorCode::TooLong {
                    max: PROFILE_FIELDS_MAX,
                },
            );
        } else if (1..self.fields.len()).any(|i| self.fields[..i].contains(&self.fields[i])) {
            e.add("fields", ErrorCode::InvalidChoice);
        }
        e.into_result()
    }
}

/// A participant as others see them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Participant {
    /// Their participant number at this event.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Organisation.
    pub organisation: String,
    /// Profile.
    pub profile: MatchProfile,
    /// The request between the caller and them, if any.
    pub request: Option<MeetingLink>,
}

/// The caller's request with someone, as their card shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MeetingLink {
    /// The request.
    pub id: i64,
    /// Whether the caller asked (else they were asked).
    pub sent: bool,
    /// Where it stands.
    pub status: MeetingStatus,
}

/// Filters of the participant list.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct ParticipantQuery {
    /// Only this role.
    pub role: Option<MatchRole>,
    /// Only this country.
    pub country: Option<String>,
    /// Only people working in this technology field.
    pub field: Option<FieldId>,
    /// Words in what they offer or seek, their name or organisation.
    pub q: Option<String>,
}

impl Validate for ParticipantQuery {
    fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::default();
        // An unknown country is no error: nobody comes from it.
        e.optional_text("q", self.q.as_deref(), crate::validate::QUERY_MAX);
        e.into_result()
    }
}

/// A request for a meeting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewMeetingRequest {
    /// Whom (their participant number).
    pub to: i64,
    /// A short message: who you are, what you would like to talk about.
    #[serde(default)]
    pub message: String,
}

impl Validate for NewMeetingRequest {
    fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::default();
        e.optional_paragraphs("message", Some(&self.message), MESSAGE_MAX);
        e.into_result()
    }
}

/// The answer to a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MeetingAnswer {
    /// Yes or no.
    pub accept: bool,
}

/// Where the organiser puts a meeting by hand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MeetingPlace {
    /// Slot (place in the slot list).
    pub slot: u32,
    /// Table, from 1.
    pub table: u32,
}

/// A meeting (a request, and where the schedule put it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Meeting {
    /// The request.
    pub id: i64,
    /// Who asked.
    pub from: MeetingSide,
    /// Who was asked.
    pub to: MeetingSide,
    /// The message.
    pub message: String,
    /// Where it stands.
    pub status: MeetingStatus,
    /// Slot (place in the slot list), once scheduled.
    pub slot: Option<u32>,
    /// Table, from 1, once scheduled.
    pub table: Option<u32>,
    /// The interpreter, when one is needed and was free.
    pub interpreter: Option<String>,
    /// Put there by the organiser (a schedule run keeps it).
    pub pinned: bool,
    /// The asker's report (the organiser sees both; a participant their own).
    #[serde(default)]
    pub from_report: Option<MeetingReport>,
    /// The report of the one asked.
    #[serde(default)]
    pub to_report: Option<MeetingReport>,
}

/// One side of a meeting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MeetingSide {
    /// Participant number.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Organisation.
    pub organisation: String,
    /// Country.
    pub country: String,
    /// Role.
    pub role: MatchRole,
}

/// The matchmaking of one event, as the caller sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MatchBoard {
    /// The setup (none until the organiser makes one).
    pub setup: Option<MatchSetup>,
    /// Every slot.
    pub slots: Vec<Slot>,
    /// Whether requests may be made now.
    pub booking_open: bool,
    /// The caller's participant number and profile, once they have one.
    pub me: Option<Participant>,
    /// Whether the caller may take part (registered with a place).
    pub can_join: bool,
    /// Whether the caller runs the event.
    pub manager: bool,
    /// The caller's requests, sent and received.
    pub meetings: Vec<Meeting>,
    /// Meetings of the caller still counting against the cap.
    pub used: u32,
    /// The follow-up round the caller is asked in now, if any.
    #[serde(default)]
    pub follow_up: Option<FollowUpAsk>,
    /// For the organiser: the follow-up round open now and its answers.
    #[serde(default)]
    pub follow_up_tally: Option<FollowUpTally>,
    /// What a first profile starts from, for someone who may take part and
    /// has none yet: a firm's from its organisation in Moim (a seller in
    /// Korea offering its line of business), a guest's as a buyer.
    #[serde(default)]
    pub draft: Option<MatchProfile>,
}

/// Contracts at one stage: how many meetings led to one, their values summed
/// by currency as entered, and the whole in won at the event's rates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContractTally {
    /// Meetings.
    pub count: u32,
    /// Value per currency, in `Currency::ALL` order, currencies with none left out.
    pub values: Vec<Money>,
    /// All of it in won at the organiser's rates; none while a currency used has no rate.
    pub krw: Option<i64>,
}

/// An amount in a currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Money {
    /// Currency.
    pub currency: Currency,
    /// Amount, in its units.
    pub amount: i64,
}

/// What came of an event's meetings, by the sides' reports.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MatchOutcomes {
    /// Held (by either side's word).
    pub held: u32,
    /// Reported as a no-show, and by nobody as held.
    pub no_show: u32,
    /// Held meetings now in negotiation.
    pub negotiating: u32,
    /// Held meetings with a contract in progress.
    pub in_progress: ContractTally,
    /// Held meetings with a contract signed.
    pub signed: ContractTally,
    /// Of the signed, those signed at the event.
    pub signed_on_site: u32,
}

/// How far a follow-up got (a contract signed is furthest).
fn stage(f: Option<FollowUp>) -> u8 {
    match f {
        None => 0,
        Some(FollowUp::NoContact) => 1,
        Some(FollowUp::Negotiating) => 2,
        Some(FollowUp::ContractInProgress) => 3,
        Some(FollowUp::ContractSigned) => 4,
    }
}

/// Counts what came of the meetings. A meeting counts once: held when either
/// side says so, and at the furthest stage either side reports, with that
/// side's value (the asker's when both report the same stage). Totals in won
/// use `rates`.
pub fn outcomes(meetings: &[Meeting], rates: &[ExchangeRate]) -> MatchOutcomes {
    let mut o = MatchOutcomes::default();
    let add = |t: &mut ContractTally, r: &MeetingReport| {
        t.count += 1;
        if let (Some(amount), Some(currency)) = (r.amount, r.currency) {
            t.put(Money { currency, amount });
        }
    };
    for m in meetings
        .iter()
        .filter(|m| m.status != MeetingStatus::Declined)
    {
        let said: Vec<&MeetingReport> = [&m.from_report, &m.to_report]
            .into_iter()
            .flatten()
            .collect();
        if !said.iter().any(|r| r.attendance == MeetingAttendance::Held) {
            if !said.is_empty() {
                o.no_show += 1;
            }
            continue;
        }
        o.held += 1;
        // The furthest report; the first (the asker's) among equals.
        let Some(best) = said.iter().copied().reduce(|a, b| {
            if stage(b.follow_up) > stage(a.follow_up) {
                b
            } else {
                a
            }
        }) else {
            continue;
        };
        match best.follow_up {
            Some(FollowUp::Negotiating) => o.negotiating += 1,
            Some(FollowUp::ContractInProgress) => add(&mut o.in_progress, best),
            Some(FollowUp::ContractSigned) => {
                add(&mut o.signed, best);
                if best.signed_on_site {
                    o.signed_on_site += 1;
                }
            }
            _ => {}
        }
    }
    for t in [&mut o.in_progress, &mut o.signed] {
        t.values
            .sort_by_key(|m| Currency::ALL.iter().position(|x| *x == m.currency));
        t.krw = t.values.iter().try_fold(0_i64, |sum, m| {
            Some(sum.saturating_add(in_krw(m.amount, m.currency, rates)?))
        });
    }
    o
}

impl Default for ContractTally {
    /// Nothing counted: no contract, and no won either.
    fn default() -> Self {
        ContractTally {
            count: 0,
            values: Vec::new(),
            krw: Some(0),
        }
    }
}

impl ContractTally {
    /// Adds a value to its currency's sum.
    fn put(&mut self, m: Money) {
        match self.values.iter_mut().find(|x| x.currency == m.currency) {
            Some(x) => x.amount = x.amount.saturating_add(m.amount),
            None => self.values.push(m),
        }
    }

    /// Adds `o` (another event's, another group's).
    fn add(&mut self, o: &ContractTally) {
        self.count += o.count;
        for m in &o.values {
            self.put(*m);
        }
        self.values
            .sort_by_key(|m| Currency::ALL.iter().position(|x| *x == m.currency));
        self.krw = self.krw.zip(o.krw).map(|(a, b)| a.saturating_add(b));
    }
}

impl MatchOutcomes {
    /// Adds `o`: counts and values summed, a total in won only while every
    /// part has one (each converted at its own event's rates).
    pub fn add(&mut self, o: &MatchOutcomes) {
        self.held += o.held;
        self.no_show += o.no_show;
        self.negotiating += o.negotiating;
        self.in_progress.add(&o.in_progress);
        self.signed.add(&o.signed);
        self.signed_on_site += o.signed_on_site;
    }
}

/// The cockpit's figures of export matchmaking: the 수출상담회 that began in a
/// period and scope, their people and what came of their meetings, in all, by
/// the country of the side from abroad and by the size of the Korean firm.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MatchFigures {
    /// Events.
    pub events: u32,
    /// People who took part (wrote a profile).
    pub participants: u32,
    /// What came of their meetings (won totals at each event's rates).
    pub outcomes: MatchOutcomes,
    /// By the country of the side from abroad (`KR` when both sides are Korean), most held first.
    pub by_country: Vec<MatchGroup>,
    /// By the size band of the Korean firm (`small`, `medium`, `large`; `none`
    /// when no side is a Korean firm with a known size).
    pub by_size: Vec<MatchGroup>,
}

impl MatchFigures {
    /// Meetings held per participant (each held meeting has two).
    pub fn per_participant(&self) -> Option<f64> {
        (self.participants > 0)
            .then(|| f64::from(self.outcomes.held) * 2.0 / f64::from(self.participants))
    }

    /// Adds one event: its participants, its meetings and its rates; `band`
    /// gives a side's size band when the side is a Korean firm of known size.
    pub fn add_event(
        &mut self,
        participants: u32,
        meetings: &[Meeting],
        rates: &[ExchangeRate],
        band: impl Fn(&MeetingSide) -> Option<crate::figures::SizeBand>,
    ) {
        self.events += 1;
        self.participants += participants;
        self.outcomes.add(&outcomes(meetings, rates));
        let abroad = |m: &Meeting| {
            [&m.from, &m.to]
                .into_iter()
                .map(|s| s.country.as_str())
                .find(|c| *c != "KR")
                .unwrap_or("KR")
                .to_owned()
        };
        let size = |m: &Meeting| {
            [&m.from, &m.to]
                .into_iter()
                .filter(|s| s.country == "KR")
                .find_map(&band)
                .map_or("none", |b| b.code())
                .to_owned()
        };
        group(&mut self.by_country, meetings, rates, abroad);
        group(&mut self.by_size, meetings, rates, size);
    }
}

/// Outcomes under one key of a split.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MatchGroup {
    /// The country code or size band.
    pub key: String,
    /// What came of the meetings under it.
    pub outcomes: MatchOutcomes,
}

fn group(
    into: &mut Vec<MatchGroup>,
    meetings: &[Meeting],
    rates: &[ExchangeRate],
    key: impl Fn(&Meeting) -> String,
) {
    let mut keys: Vec<String> = meetings.iter().map(&key).collect();
    keys.sort();
    keys.dedup();
    for k in keys {
        let these: Vec<Meeting> = meetings.iter().filter(|m| key(m) == k).cloned().collect();
        let o = outcomes(&these, rates);
        if o.held + o.no_show == 0 {
            continue;
        }
        match into.iter_mut().find(|g| g.key == k) {
            Some(g) => g.outcomes.add(&o),
            None => into.push(MatchGroup {
                key: k,
                outcomes: o,
            }),
        }
    }
    into.sort_by(|a, b| {
        b.outcomes
            .held
            .cmp(&a.outcomes.held)
            .then_with(|| a.key.cmp(&b.key))
    });
}

/// What a schedule run did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScheduleResult {
    /// Accepted meetings placed.
    pub accepted_placed: u32,
    /// Accepted meetings in all.
    pub accepted: u32,
    /// Unanswered requests placed (kept free for them, in case they are accepted).
    pub pending_placed: u32,
    /// Unanswered requests in all.
    pub pending: u32,
}

// ---------------------------------------------------------------------------
// The scheduler.

/// A person, as the scheduler sees them.
#[derive(Debug, Clone, Default)]
pub struct Person {
    /// Slots they cannot meet in.
    pub unavailable: Vec<usize>,
    /// Most meetings they may have.
    pub cap: usize,
    /// Languages they speak.
    pub languages: Vec<Language>,
    /// Whether they need an interpreter.
    pub interpreter: bool,
}

/// A meeting to place.
#[derive(Debug, Clone, Copy)]
pub struct Ask {
    /// One side (index into the people).
    pub a: usize,
    /// The other side.
    pub b: usize,
    /// Accepted (placed before unaccepted ones).
    pub accepted: bool,
    /// Where the organiser put it by hand (kept when it still fits).
    pub pinned: Option<(usize, usize)>,
    /// The pin is what happened (its time has begun, or a side reported on
    /// it): kept whatever the people's availability or caps say now.
    pub fixed: bool,
}

/// Where a meeting goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placement {
    /// Slot.
    pub slot: usize,
    /// Table, from 0.
    pub table: usize,
    /// Interpreter (index into the interpreters), when one is needed and free.
    pub interpreter: Option<usize>,
}

/// Everything a schedule is made from.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// Number of slots.
    pub slots: usize,
    /// Number of tables.
    pub tables: usize,
    /// People.
    pub people: Vec<Person>,
    /// Interpreters' languages.
    pub interpreters: Vec<Vec<Language>>,
    /// Meetings, in the order they were asked.
    pub asks: Vec<Ask>,
}

/// How many steps the exact search may take before the greedy placement with
/// repairs stands (enough to settle every small event exactly).
const SEARCH_BUDGET: usize = 200_000;

struct Board<'p> {
    plan: &'p Plan,
    busy: Vec<bool>,
    used: Vec<usize>,
    meetings: Vec<usize>,
    tables: Vec<usize>,
}

impl<'p> Board<'p> {
    fn new(plan: &'p Plan) -> Self {
        let mut busy = vec![false; plan.people.len() * plan.slots];
        for (p, person) in plan.people.iter().enumerate() {
            for &s in &person.unavailable {
                if s < plan.slots {
                    busy[p * plan.slots + s] = true;
                }
            }
        }
        Board {
            plan,
            busy,
            used: vec![0; plan.slots],
            meetings: vec![0; plan.people.len()],
            tables: vec![plan.tables; plan.slots],
        }
    }

    fn free(&self, p: usize, s: usize) -> bool {
        !self.busy[p * self.plan.slots + s]
    }

    fn fits(&self, ask: &Ask, s: usize) -> bool {
        self.used[s] < self.tables[s] && self.free(ask.a, s) && self.free(ask.b, s)
    }

    fn capped(&self, ask: &Ask) -> bool {
        let people = &self.plan.people;
        self.meetings[ask.a] >= people[ask.a].cap || self.meetings[ask.b] >= people[ask.b].cap
    }

    fn set(&mut self, ask: &Ask, s: usize, on: bool) {
        let n = self.plan.slots;
        self.busy[ask.a * n + s] = on;
        self.busy[ask.b * n + s] = on;
        if on {
            self.used[s] += 1;
            self.meetings[ask.a] += 1;
            self.meetings[ask.b] += 1;
        } else {
            self.used[s] -= 1;
            self.meetings[ask.a] -= 1;
            self.meetings[ask.b] -= 1;
        }
    }
}

/// Whether a meeting needs an interpreter, and which interpreters can serve
/// it (they speak a language of each side).
fn interpreters_for(plan: &Plan, ask: &Ask) -> Vec<usize> {
    let (a, b) = (&plan.people[ask.a], &plan.people[ask.b]);
    if !(a.interpreter || b.interpreter) {
        return Vec::new();
    }
    plan.interpreters
        .iter()
        .enumerate()
        .filter(|(_, langs)| {
            langs.iter().any(|l| a.languages.contains(l))
                && langs.iter().any(|l| b.languages.contains(l))
        })
        .map(|(i, _)| i)
        .collect()
}

/// Places the meetings: no person, table or interpreter in two meetings at
/// once, nobody in a slot they marked unavailable, nobody beyond their cap.
/// Meetings put by hand stay where they are when that still fits; then every
/// accepted meeting is placed when the slots allow it (exactly for events of a
/// few dozen meetings, by a greedy placement with repairs for larger ones);
/// then unanswered requests take what is left, in the order they were asked.
/// Interpreters go by language to meetings that need one, where one is free.
pub fn schedule(plan: &Plan) -> Vec<Option<Placement>> {
    let mut board = Board::new(plan);
    let mut slot_of: Vec<Option<usize>> = vec![None; plan.asks.len()];
    let mut pinned_tables: Vec<Vec<usize>> = vec![Vec::new(); plan.slots];
    let mut pinned_table: Vec<Option<usize>> = vec![None; plan.asks.len()];
    let valid = |i: usize| {
        let k = &plan.asks[i];
        k.a != k.b && k.a < plan.people.len() && k.b < plan.people.len()
    };

    // What happened: kept where it was, whatever availability and caps say
    // now (only a person or table already taken at that time refuses it).
    let mut held_at: Vec<(usize, usize)> = Vec::new();
    for (i, ask) in plan.asks.iter().enumerate() {
        if let (true, Some((s, t))) = (ask.fixed, ask.pinned)
            && valid(i)
            && s < plan.slots
            && t < plan.tables
            && !pinned_tables[s].contains(&t)
            && !held_at.contains(&(ask.a, s))
            && !held_at.contains(&(ask.b, s))
        {
            board.set(ask, s, true);
            held_at.extend([(ask.a, s), (ask.b, s)]);
            slot_of[i] = Some(s);
            pinned_table[i] = Some(t);
            pinned_tables[s].push(t);
        }
    }
    // Put by hand: kept when the slot and table are free and both sides can.
    for (i, ask) in plan.asks.iter().enumerate() {
        if let Some((s, t)) = ask.pinned
            && slot_of[i].is_none()
            && valid(i)
            && s < plan.slots
            && t < plan.tables
            && !pinned_tables[s].contains(&t)
            && board.fits(ask, s)
            && !board.capped(ask)
        {
            board.set(ask, s, true);
            slot_of[i] = Some(s);
            pinned_table[i] = Some(t);
            pinned_tables[s].push(t);
        }
    }

    let open: Vec<usize> = (0..plan.asks.len())
        .filter(|&i| slot_of[i].is_none() && valid(i))
        .collect();
    let accepted: Vec<usize> = open
        .iter()
        .copied()
        .filter(|&i| plan.asks[i].accepted)
        .collect();

    // Accepted meetings: the most constrained first.
    let mut order = accepted.clone();
    let room = |i: usize| {
        let k = &plan.asks[i];
        (0..plan.slots).filter(|&s| board.fits(k, s)).count()
    };
    let mut rooms: Vec<(usize, usize)> = order.iter().map(|&i| (room(i), i)).collect();
    rooms.sort();
    order = rooms.into_iter().map(|(_, i)| i).collect();

    let mut budget = SEARCH_BUDGET;
    let mut trial = Vec::new();
    if !search(&mut board, &order, 0, &mut trial, &mut budget) {
        // No full placement found in the budget: place greedily, repairing.
        for &i in &order {
            if let Some(s) = first_fit(&board, &plan.asks[i]) {
                board.set(&plan.asks[i], s, true);
                trial.push((i, s));
            } else if let Some(s) = repair(&mut board, &mut trial, i) {
                board.set(&plan.asks[i], s, true);
                trial.push((i, s));
            }
        }
    }
    for (i, s) in trial {
        slot_of[i] = Some(s);
    }

    // Unanswered requests, in the order asked.
    for &i in open.iter().filter(|&&i| !plan.asks[i].accepted) {
        if let Some(s) = first_fit(&board, &plan.asks[i]) {
            board.set(&plan.asks[i], s, true);
            slot_of[i] = Some(s);
        }
    }

    // Tables: the pinned keep theirs, the others take the lowest free;
    // interpreters go to pinned and accepted meetings first.
    let mut taken = pinned_tables;
    let mut out: Vec<Option<Placement>> = vec![None; plan.asks.len()];
    let mut interp_busy = vec![false; plan.interpreters.len() * plan.slots];
    let mut placed: Vec<usize> = (0..plan.asks.len())
        .filter(|&i| slot_of[i].is_some())
        .collect();
    placed.sort_by_key(|&i| (pinned_table[i].is_none(), !plan.asks[i].accepted, i));
    for i in placed {
        let ask = &plan.asks[i];
        let s = slot_of[i].unwrap_or_default();
        let table = pinned_table[i].unwrap_or_else(|| {
            let t = (0..plan.tables)
                .find(|t| !taken[s].contains(t))
                .unwrap_or_default();
            taken[s].push(t);
            t
        });
        let interpreter = interpreters_for(plan, ask)
            .into_iter()
            .find(|&x| !interp_busy[x * plan.slots + s]);
        if let Some(x) = interpreter {
            interp_busy[x * plan.slots + s] = true;
        }
        out[i] = Some(Placement {
            slot: s,
            table,
            interpreter,
        });
    }
    out
}

fn first_fit(board: &Board, ask: &Ask) -> Option<usize> {
    if board.capped(ask) {
        return None;
    }
    (0..board.plan.slots).find(|&s| board.fits(ask, s))
}

/// Backtracking search placing every meeting of `order` from `at` on; the
/// placements go to `trial`. False (with the board as it was) when none was
/// found within the budget.
fn search(
    board: &mut Board,
    order: &[usize],
    at: usize,
    trial: &mut Vec<(usize, usize)>,
    budget: &mut usize,
) -> bool {
    let Some(&i) = order.get(at) else {
        return true;
    };
    let ask = board.plan.asks[i];
    if board.capped(&ask) {
        return false;
    }
    for s in 0..board.plan.slots {
        if *budget == 0 {
            return false;
        }
        *budget -= 1;
        if board.fits(&ask, s) {
            board.set(&ask, s, true);
            trial.push((i, s));
            if search(board, order, at + 1, trial, budget) {
                return true;
            }
            trial.pop();
            board.set(&ask, s, false);
        }
    }
    false
}

/// Makes room for meeting `i` by moving one placed meeting that blocks it to
/// another slot; the slot freed for `i`, if any.
fn repair(board: &mut Board, trial: &mut [(usize, usize)], i: usize) -> Option<usize> {
    let plan = board.plan;
    let ask = plan.asks[i];
    if board.capped(&ask) {
        return None;
    }
    for s in 0..plan.slots {
        // One side busy here (in a meeting, not unavailable), the other free and a table free.
        let blocked_a = !board.free(ask.a, s);
        let blocked_b = !board.free(ask.b, s);
        if blocked_a == blocked_b || board.used[s] >= board.tables[s] {
            continue;
        }
        let who = if blocked_a { ask.a } else { ask.b };
        let Some(pos) = trial
            .iter()
            .position(|&(j, js)| js == s && (plan.asks[j].a == who || plan.asks[j].b == who))
        else {
            continue;
        };
        let (j, _) = trial[pos];
        let other = plan.asks[j];
        board.set(&other, s, false);
        let moved = (0..plan.slots).find(|&t| t != s && board.fits(&other, t));
        match moved {
            Some(t) if board.fits(&ask, s) => {
                board.set(&other, t, true);
                trial[pos] = (j, t);
                return Some(s);
            }
            _ => board.set(&other, s, true),
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn outcomes_count_each_meeting_once_at_its_furthest_stage() {
        let side = |id| MeetingSide {
            id,
            name: String::new(),
            organisation: String::new(),
            country: String::new(),
            role: MatchRole::Seller,
        };
        let report = |attendance, follow_up, amount: Option<i64>, currency, on_site| {
            Some(MeetingReport {
                attendance,
                rating: None,
                follow_up,
                amount,
                currency,
                signed_on_site: on_site,
            })
        };
        let meeting = |id, status, from_report, to_report| Meeting {
            id,
            from: side(1),
            to: side(2),
            message: String::new(),
            status,
            slot: Some(0),
            table: Some(1),
            interpreter: None,
            pinned: false,
            from_report,
            to_report,
        };
        use FollowUp::*;
        use MeetingAttendance::*;
        let a = MeetingStatus::Accepted;
        let list = vec![
            // Signed on site for USD 50,000 by one side; the other says negotiating.
            meeting(
                1,
                a,
                report(Held, Some(Negotiating), None, None, false),
                report(
                    Held,
                    Some(ContractSigned),
                    Some(50_000),
                    Some(Currency::Usd),
                    true,
                ),
            ),
            // Both report a contract in progress: the asker's value counts.
            meeting(
                2,
                a,
                report(
                    Held,
                    Some(ContractInProgress),
                    Some(30_000_000),
                    Some(Currency::Krw),
                    false,
                ),
                report(
                    Held,
                    Some(ContractInProgress),
                    Some(99),
                    Some(Currency::Krw),
                    false,
                ),
            ),
            meeting(
                3,
                a,
                None,
                report(
                    Held,
                    Some(ContractInProgress),
                    Some(20_000),
                    Some(Currency::Usd),
                    false,
                ),
            ),
            // A no-show by one side's word, held by the other's: held.
            meeting(
                4,
                a,
                report(NoShow, None, None, None, false),
                report(Held, None, None, None, false),
            ),
            meeting(5, a, report(NoShow, None, None, None, false), None),
            // Nobody reported; a declined one never counts.
            meeting(6, a, None, None),
            meeting(
                7,
                MeetingStatus::Declined,
                report(Held, None, None, None, false),
                None,
            ),
        ];
        let o = outcomes(&list, &[]);
        assert_eq!((o.held, o.no_show, o.negotiating), (4, 1, 0));
        assert_eq!(o.signed.count, 1);
        let money = |currency, amount| Money { currency, amount };
        assert_eq!(o.signed.values, [money(Currency::Usd, 50_000)]);
        assert_eq!(o.signed_on_site, 1);
        assert_eq!(o.in_progress.count, 2);
        assert_eq!(
            o.in_progress.values,
            [
                money(Currency::Krw, 30_000_000),
                money(Currency::Usd, 20_000)
            ]
        );
        // In won only with a rate for every currency used.
        assert_eq!((o.signed.krw, o.in_progress.krw), (None, None));
        let usd = ExchangeRate {
            currency: Currency::Usd,
            krw: 1_380,
        };
        let o = outcomes(&list, &[usd]);
        assert_eq!(o.signed.krw, Some(69_000_000));
        assert_eq!(o.in_progress.krw, Some(30_000_000 + 27_600_000));
        assert_eq!(outcomes(&[], &[]).signed.krw, Some(0));
    }

    #[test]
    fn the_cockpit_adds_events_each_at_its_own_rates() {
        let side = |id, country: &str| MeetingSide {
            id,
            name: String::new(),
            organisation: String::new(),
            country: country.into(),
            role: MatchRole::Seller,
        };
        let signed = |amount, currency| MeetingReport {
            attendance: MeetingAttendance::Held,
            rating: None,
            follow_up: Some(FollowUp::ContractSigned),
            amount: Some(amount),
            currency: Some(currency),
            signed_on_site: false,
        };
        let meeting = |id, abroad: &str, r: Option<MeetingReport>| Meeting {
            id,
            from: side(1, "KR"),
            to: side(id + 1, abroad),
            message: String::new(),
            status: MeetingStatus::Accepted,
            slot: Some(0),
            table: Some(1),
            interpreter: None,
            pinned: false,
            from_report: r,
            to_report: None,
        };
        let rate = |currency, krw| ExchangeRate { currency, krw };
        let small = |s: &MeetingSide| (s.id == 1).then_some(crate::figures::SizeBand::Small);
        let mut f = MatchFigures::default();
        f.add_event(
            4,
            &[
                meeting(10, "US", Some(signed(1_000, Currency::Usd))),
                meeting(20, "JP", None),
            ],
            &[rate(Currency::Usd, 1_400)],
            small,
        );
        f.add_event(
            2,
            &[meeting(30, "US", Some(signed(2_000, Currency::Usd)))],
            &[rate(Currency::Usd, 1_300)],
            small,
        );
        assert_eq!((f.events, f.participants, f.outcomes.held), (2, 6, 2));
        assert_eq!(f.per_participant(), Some(4.0 / 6.0));
        // 1,000 × 1,400 + 2,000 × 1,300, each at its own event's rate.
        assert_eq!(f.outcomes.signed.krw, Some(4_000_000));
        assert_eq!(f.outcomes.signed.values.len(), 1);
        let keys: Vec<(&str, u32)> = f
            .by_country
            .iter()
            .map(|g| (g.key.as_str(), g.outcomes.held))
            .collect();
        assert_eq!(
            keys,
            [("US", 2)],
            "the unreported JP meeting counts nowhere"
        );
        assert_eq!(f.by_size[0].key, "small");
        // An event without a rate for its currency: no won total any more.
        f.add_event(
            2,
            &[meeting(40, "DE", Some(signed(10, Currency::Eur)))],
            &[],
            |_| None,
        );
        assert_eq!(f.outcomes.signed.krw, None);
        assert_eq!(f.outcomes.signed.count, 3);
        assert_eq!(
            f.by_size.iter().map(|g| g.key.as_str()).collect::<Vec<_>>(),
            ["small", "none"]
        );
    }

    #[test]
    fn rates_are_quoted_as_korean_banks_do() {
        let jpy = ExchangeRate {
            currency: Currency::Jpy,
            krw: 920,
        };
        assert_eq!(in_krw(1_000_000, Currency::Jpy, &[jpy]), Some(9_200_000));
        assert_eq!(in_krw(5, Currency::Krw, &[]), Some(5));
        assert_eq!(in_krw(5, Currency::Eur, &[jpy]), None);
        let huge = ExchangeRate {
            currency: Currency::Usd,
            krw: RATE_MAX,
        };
        // The largest of each still fits in won.
        assert_eq!(
            in_krw(AMOUNT_MAX, Currency::Usd, &[huge]),
            Some(AMOUNT_MAX * i64::from(RATE_MAX))
        );
    }

    #[test]
    fn follow_up_rounds_open_after_the_event_and_months_later() {
        let mut s = setup();
        s.follow_up_months = 6;
        let end = Utc.with_ymd_and_hms(2027, 8, 31, 9, 0, 0).unwrap();
        let [(first, opens, closes), (later, again, _)] = s.follow_up_rounds(end);
        assert_eq!((first, opens), (FollowUpRound::AfterEvent, end));
        assert_eq!(closes, end + Duration::days(FOLLOW_UP_DAYS));
        // The end of a shorter month: its last day.
        assert_eq!(
            (later, again),
            (
                FollowUpRound::Later,
                Utc.with_ymd_and_hms(2028, 2, 29, 9, 0, 0).unwrap()
            )
        );
        assert_eq!(s.follow_up_round(end, end - Duration::minutes(1)), None);
        // A month after an event at the end of January is shorter than a
        // round: the later one waits for the first to close.
        let mut short = s.clone();
        short.follow_up_months = 1;
        let jan = Utc.with_ymd_and_hms(2027, 1, 31, 9, 0, 0).unwrap();
        let [(_, _, first_closes), (_, second_opens, _)] = short.follow_up_rounds(jan);
        assert_eq!(second_opens, first_closes);
        assert_eq!(
            s.follow_up_round(end, end + Duration::days(3)).map(|r| r.0),
            Some(FollowUpRound::AfterEvent)
        );
        assert_eq!(s.follow_up_round(end, end + Duration::days(60)), None);
        assert_eq!(
            s.follow_up_round(end, again).map(|r| r.0),
            Some(FollowUpRound::Later)
        );
        // Who is asked, and who has answered.
        assert!(followed_up(false, false) && followed_up(true, true));
        assert!(!followed_up(false, true));
        let before = Some(opens - Duration::days(1));
        use MeetingAttendance::*;
        let f = Some(FollowUp::Negotiating);
        assert!(answered(
            FollowUpRound::AfterEvent,
            opens,
            Some(Held),
            f,
            before
        ));
        assert!(!answered(
            FollowUpRound::Later,
            again,
            Some(Held),
            f,
            before
        ));
        assert!(answered(
            FollowUpRound::Later,
            again,
            Some(Held),
            f,
            Some(again)
        ));
        assert!(!answered(
            FollowUpRound::AfterEvent,
            opens,
            Some(Held),
            None,
            before
        ));
        assert!(answered(
            FollowUpRound::Later,
            again,
            Some(NoShow),
            None,
            before
        ));
        assert!(!answered(
            FollowUpRound::AfterEvent,
            opens,
            None,
            None,
            None
        ));
    }

    #[test]
    fn a_report_says_only_what_fits_what_happened() {
        let held = |follow_up, amount, currency| MeetingReport {
            attendance: MeetingAttendance::Held,
            rating: Some(4),
            follow_up,
            amount,
            currency,
            signed_on_site: false,
        };
        let fields = |r: &MeetingReport| {
            r.validate()
                .err()
                .map(|e| e.0.into_iter().map(|f| f.field).collect::<Vec<_>>())
                .unwrap_or_default()
        };
        assert!(held(None, None, None).validate().is_ok());
        let signed = held(
            Some(FollowUp::ContractSigned),
            Some(50_000),
            Some(Currency::Usd),
        );
        assert!(signed.validate().is_ok());
        assert!(
            MeetingReport {
                signed_on_site: true,
                ..signed.clone()
            }
            .validate()
            .is_ok()
        );
        // A contract needs its value and currency; a value needs a contract.
        assert_eq!(
            fields(&held(Some(FollowUp::ContractInProgress), None, None)),
            ["amount"]
        );
        assert_eq!(
            fields(&held(Some(FollowUp::ContractSigned), Some(5), None)),
            ["currency"]
        );
        assert_eq!(
            fields(&held(
                Some(FollowUp::Negotiating),
                Some(5),
                Some(Currency::Krw)
            )),
            ["amount"]
        );
        assert_eq!(
            fields(&held(
                Some(FollowUp::ContractSigned),
                Some(-1),
                Some(Currency::Krw)
            )),
            ["amount"]
        );
        // Nothing comes of a meeting that did not happen; ratings 1–5.
        let no_show = MeetingReport {
            attendance: MeetingAttendance::NoShow,
            ..signed.clone()
        };
        assert_eq!(fields(&no_show), ["rating", "follow_up"]);
        assert_eq!(
            fields(&MeetingReport {
                rating: Some(6),
                ..held(None, None, None)
            }),
            ["rating"]
        );
        assert_eq!(
            fields(&MeetingReport {
                signed_on_site: true,
                ..held(Some(FollowUp::Negotiating), None, None)
            }),
            ["signed_on_site"]
        );
    }

    fn at(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2027, 5, 20, h, m, 0).unwrap()
    }

    fn setup() -> MatchSetup {
        MatchSetup {
            sessions: vec![
                MatchSession {
                    starts_at: at(5, 0),
                    ends_at: at(8, 0),
                },
                MatchSession {
                    starts_at: at(1, 0),
                    ends_at: at(3, 0),
                },
            ],
            slot_minutes: 20,
            tables: 4,
            booking_opens_at: at(0, 0) - Duration::days(10),
            booking_closes_at: at(0, 0),
            cap: 8,
            interpreters: vec![Interpreter {
                name: "김통역".into(),
                languages: vec![Language::Ko, Language::En],
            }],
            follow_up_months: 6,
            rates: vec![ExchangeRate {
                currency: Currency::Usd,
                krw: 1_380,
            }],
        }
    }

    #[test]
    fn sessions_are_cut_into_slots_in_time_order() {
        let slots = setup().slots();
        assert_eq!(slots.len(), 6 + 9);
        assert_eq!(slots[0].starts_at, at(1, 0));
        assert_eq!(slots[5].ends_at, at(3, 0));
        assert_eq!(slots[6].starts_at, at(5, 0));
        assert!(slots.windows(2).all(|w| w[0].ends_at <= w[1].starts_at));
    }

    #[test]
    fn a_setup_is_checked_against_its_activity() {
        let mut e = FieldErrors::default();
        setup().check("matchmaking", at(0, 30), at(9, 0), &mut e);
        assert!(e.is_empty(), "{e:?}");

        let mut bad = setup();
        bad.sessions[1].ends_at = at(5, 30); // overlaps the other session
        bad.sessions.push(MatchSession {
            starts_at: at(9, 0),
            ends_at: at(10, 0),
        });
        bad.slot_minutes = 5;
        bad.tables = 0;
        bad.cap = 31;
        bad.booking_closes_at = at(2, 0);
        bad.interpreters[0].languages = vec![Language::En];
        bad.follow_up_months = 0;
        bad.rates.push(ExchangeRate {
            currency: Currency::Usd,
            krw: 1_400,
        });
        bad.rates.push(ExchangeRate {
            currency: Currency::Krw,
            krw: 0,
        });
        let mut e = FieldErrors::default();
        bad.check("matchmaking", at(0, 30), at(9, 0), &mut e);
        for f in [
            "matchmaking.sessions[1].starts_at",
            "matchmaking.sessions[2].starts_at",
            "matchmaking.slot_minutes",
            "matchmaking.tables",
            "matchmaking.cap",
            "matchmaking.booking_closes_at",
            "matchmaking.interpreters[0].languages",
            "matchmaking.follow_up_months",
            "matchmaking.rates[1].currency",
            "matchmaking.rates[2].currency",
            "matchmaking.rates[2].krw",
        ] {
            assert!(e.get(f).is_some(), "{f} in {e:?}");
        }
    }

    #[test]
    fn a_profile_says_something_in_a_known_country_and_language() {
        let ok = MatchProfile {
            role: MatchRole::Buyer,
            offer: String::new(),
            seek: "Injection molds for EV parts".into(),
            country: "US".into(),
            languages: vec![Language::En],
            interpreter: true,
            unavailable: vec![0, 3],
            fields: vec![FieldId(1), FieldId(4)],
        };
        assert!(ok.validate().is_ok());
        let bad = MatchProfile {
            seek: " ".into(),
            country: "usa".into(),
            languages: vec![],
            unavailable: vec![SLOTS_MAX as u32],
            fields: vec![FieldId(1), FieldId(2), FieldId(3), FieldId(4)],
            ..ok.clone()
        };
        let e = bad.validate().unwrap_err();
        for f in ["offer", "country", "languages", "unavailable", "fields"] {
            assert!(e.get(f).is_some(), "{f} in {e:?}");
        }
        let twice = MatchProfile {
            fields: vec![FieldId(2), FieldId(2)],
            ..ok
        };
        assert!(twice.validate().unwrap_err().get("fields").is_some());
    }

    /// A small random number generator for generated cases (SplitMix64).
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        }

        fn below(&mut self, n: usize) -> usize {
            (self.next() % n.max(1) as u64) as usize
        }

        fn chance(&mut self, percent: u64) -> bool {
            self.next() % 100 < percent
        }
    }

    const LANGS: [Language; 3] = [Language::Ko, Language::En, Language::Zh];

    fn generated(r: &mut Rng, people: usize, slots: usize, tables: usize, asks: usize) -> Plan {
        let people = (0..people)
            .map(|_| Person {
                unavailable: (0..slots).filter(|_| r.chance(15)).collect(),
                cap: 1 + r.below(slots + 2),
                languages: vec![LANGS[r.below(3)]],
                interpreter: r.chance(30),
            })
            .collect::<Vec<_>>();
        let n = people.len();
        let interpreters = (0..r.below(3))
            .map(|_| vec![Language::Ko, LANGS[1 + r.below(2)]])
            .collect();
        let mut seen = std::collections::HashSet::new();
        let mut list = Vec::new();
        for _ in 0..asks {
            let (a, b) = (r.below(n), r.below(n));
            if a == b || !seen.insert((a.min(b), a.max(b))) {
                continue;
            }
            let pinned = r
                .chance(10)
                .then(|| (r.below(slots + 1), r.below(tables + 1)));
            list.push(Ask {
                a,
                b,
                accepted: r.chance(60),
                pinned,
                fixed: false,
            });
        }
        Plan {
            slots,
            tables,
            people,
            interpreters,
            asks: list,
        }
    }

    /// Every guarantee a schedule gives, checked on its result.
    fn check_sound(plan: &Plan, out: &[Option<Placement>]) {
        let mut person_slot = std::collections::HashSet::new();
        let mut table_slot = std::collections::HashSet::new();
        let mut interp_slot = std::collections::HashSet::new();
        let mut count = vec![0; plan.people.len()];
        for (ask, p) in plan.asks.iter().zip(out) {
            let Some(p) = p else { continue };
            assert!(p.slot < plan.slots && p.table < plan.tables);
            for who in [ask.a, ask.b] {
                assert!(person_slot.insert((who, p.slot)), "person twice in a slot");
                assert!(!plan.people[who].unavailable.contains(&p.slot));
                count[who] += 1;
            }
            assert!(
                table_slot.insert((p.table, p.slot)),
                "table twice in a slot"
            );
            let able = interpreters_for(plan, ask);
            if let Some(x) = p.interpreter {
                assert!(able.contains(&x), "an interpreter who cannot serve");
                assert!(interp_slot.insert((x, p.slot)), "interpreter twice");
            } else {
                // Needed, and able ones exist: every one of them was busy.
                for x in able {
                    assert!(
                        out.iter()
                            .flatten()
                            .any(|q| q.slot == p.slot && q.interpreter == Some(x)),
                        "a free interpreter not given"
                    );
                }
            }
        }
        for (who, n) in count.iter().enumerate() {
            assert!(*n <= plan.people[who].cap, "beyond the cap");
        }
        // Pins are kept, in the order given, while they fit.
        let mut busy = std::collections::HashSet::new();
        let mut count = vec![0; plan.people.len()];
        for (ask, p) in plan.asks.iter().zip(out) {
            let Some((s, t)) = ask.pinned else { continue };
            let fits = s < plan.slots
                && t < plan.tables
                && !busy.contains(&(usize::MAX, s, t))
                && [ask.a, ask.b].iter().all(|&w| {
                    !busy.contains(&(w, s, 0))
                        && !plan.people[w].unavailable.contains(&s)
                        && count[w] < plan.people[w].cap
                });
            if fits {
                assert_eq!(p.map(|p| (p.slot, p.table)), Some((s, t)), "a pin not kept");
                busy.insert((usize::MAX, s, t));
                for w in [ask.a, ask.b] {
                    busy.insert((w, s, 0));
                    count[w] += 1;
                }
            }
        }
    }

    /// Whether every accepted meeting (ignoring pins) can be placed at all:
    /// every assignment of slots tried.
    fn all_accepted_fit(plan: &Plan) -> bool {
        let acc: Vec<&Ask> = plan.asks.iter().filter(|k| k.accepted).collect();
        let mut pick = vec![0usize; acc.len()];
        loop {
            let mut ok = true;
            let mut per_slot = vec![0; plan.slots];
            let mut busy = std::collections::HashSet::new();
            let mut count = vec![0; plan.people.len()];
            for (k, &s) in acc.iter().zip(&pick) {
                per_slot[s] += 1;
                for who in [k.a, k.b] {
                    count[who] += 1;
                    ok &= busy.insert((who, s))
                        && !plan.people[who].unavailable.contains(&s)
                        && count[who] <= plan.people[who].cap;
                }
            }
            ok &= per_slot.iter().all(|&n| n <= plan.tables);
            if ok {
                return true;
            }
            // Next assignment.
            let mut d = 0;
            loop {
                if d == pick.len() {
                    return false;
                }
                pick[d] += 1;
                if pick[d] < plan.slots {
                    break;
                }
                pick[d] = 0;
                d += 1;
            }
        }
    }

    #[test]
    fn generated_schedules_never_double_book_and_respect_caps_and_unavailability() {
        let mut r = Rng(7);
        for _ in 0..3000 {
            let (people, slots, tables) = (2 + r.below(10), 1 + r.below(6), 1 + r.below(4));
            let n = r.below(25);
            let plan = generated(&mut r, people, slots, tables, n);
            let out = schedule(&plan);
            assert_eq!(out.len(), plan.asks.len());
            check_sound(&plan, &out);
        }
    }

    #[test]
    fn every_accepted_meeting_is_placed_when_a_placement_exists() {
        let mut r = Rng(11);
        let mut exercised = 0;
        for _ in 0..3000 {
            let (people, slots, tables) = (2 + r.below(6), 1 + r.below(4), 1 + r.below(2));
            let n = r.below(9);
            let mut plan = generated(&mut r, people, slots, tables, n);
            for k in &mut plan.asks {
                k.pinned = None;
            }
            if !all_accepted_fit(&plan) {
                continue;
            }
            exercised += 1;
            let out = schedule(&plan);
            check_sound(&plan, &out);
            for (k, p) in plan.asks.iter().zip(&out) {
                assert!(!k.accepted || p.is_some(), "an accepted meeting left out");
            }
        }
        assert!(exercised > 1000, "{exercised} cases with a placement");
    }

    #[test]
    fn what_happened_stays_whatever_availability_and_caps_say_now() {
        // Person 0 now says slot 1 is impossible and allows one meeting; both
        // meetings happened (fixed), so both stay; a hand pin would not.
        let busy = Person {
            cap: 1,
            unavailable: vec![1],
            languages: vec![Language::Ko],
            ..Person::default()
        };
        let free = Person {
            cap: 5,
            languages: vec![Language::Ko],
            ..Person::default()
        };
        let ask = |b, slot, fixed| Ask {
            a: 0,
            b,
            accepted: true,
            pinned: Some((slot, 0)),
            fixed,
        };
        let plan = |fixed| Plan {
            slots: 3,
            tables: 1,
            people: vec![busy.clone(), free.clone(), free.clone()],
            interpreters: vec![],
            asks: vec![ask(1, 0, fixed), ask(2, 1, fixed)],
        };
        let at = |out: Vec<Option<Placement>>| {
            out.iter()
                .map(|p| p.map(|p| (p.slot, p.table)))
                .collect::<Vec<_>>()
        };
        assert_eq!(at(schedule(&plan(true))), [Some((0, 0)), Some((1, 0))]);
        let by_hand = at(schedule(&plan(false)));
        assert_eq!(by_hand[0], Some((0, 0)));
        assert_ne!(by_hand[1], Some((1, 0)), "a hand pin yields to the rules");
    }

    #[test]
    fn accepted_meetings_go_before_unanswered_ones() {
        // One table, one slot: the accepted request wins though asked later.
        let person = Person {
            cap: 5,
            languages: vec![Language::Ko],
            ..Person::default()
        };
        let plan = Plan {
            slots: 1,
            tables: 1,
            people: vec![person.clone(), person.clone(), person.clone(), person],
            interpreters: vec![],
            asks: vec![
                Ask {
                    a: 0,
                    b: 1,
                    accepted: false,
                    pinned: None,
                    fixed: false,
                },
                Ask {
                    a: 2,
                    b: 3,
                    accepted: true,
                    pinned: None,
                    fixed: false,
                },
            ],
        };
        let out = schedule(&plan);
        assert_eq!(out[0], None);
        assert_eq!(out[1].map(|p| p.slot), Some(0));
    }

    #[test]
    fn an_interpreter_goes_by_language() {
        let ko = Person {
            cap: 5,
            languages: vec![Language::Ko],
            ..Person::default()
        };
        let zh = Person {
            cap: 5,
            languages: vec![Language::Zh],
            interpreter: true,
            ..Person::default()
        };
        let plan = Plan {
            slots: 2,
            tables: 2,
            people: vec![ko.clone(), zh.clone(), ko, zh],
            interpreters: vec![
                vec![Language::Ko, Language::En],
                vec![Language::Ko, Language::Zh],
            ],
            asks: vec![
                Ask {
                    a: 0,
                    b: 1,
                    accepted: true,
                    pinned: None,
                    fixed: false,
                },
                Ask {
                    a: 2,
                    b: 3,
                    accepted: true,
                    pinned: None,
                    fixed: false,
                },
            ],
        };
        let out = schedule(&plan);
        check_sound(&plan, &out);
        // Both in slot 0 would leave one without the only Chinese interpreter:
        // both are placed; whoever is in slot 0 with the other has none.
        assert!(out.iter().all(Option::is_some));
        assert!(out.iter().flatten().any(|p| p.interpreter == Some(1)));
        assert!(out.iter().flatten().all(|p| p.interpreter != Some(0)));
    }

    /// The README's benchmark: `cargo test -p moim-core --release -- --ignored
    /// --nocapture schedule_benchmark`.
    #[test]
    #[ignore = "benchmark"]
    fn schedule_benchmark() {
        let mut r = Rng(2026);
        let mut plan = generated(&mut r, 300, 18, 40, 0);
        for p in &mut plan.people {
            p.cap = 18;
            p.unavailable.retain(|_| r.chance(20));
        }
        let mut seen = std::collections::HashSet::new();
        while plan.asks.len() < 2000 {
            let (a, b) = (r.below(300), r.below(300));
            if a != b && seen.insert((a.min(b), a.max(b))) {
                plan.asks.push(Ask {
                    a,
                    b,
                    accepted: r.chance(30),
                    pinned: None,
                    fixed: false,
                });
            }
        }
        let started = std::time::Instant::now();
        let out = schedule(&plan);
        let took = started.elapsed();
        check_sound(&plan, &out);
        let accepted = plan.asks.iter().filter(|k| k.accepted).count();
        let placed = plan
            .asks
            .iter()
            .zip(&out)
            .filter(|(k, p)| k.accepted && p.is_some())
            .count();
        let all = out.iter().flatten().count();
        println!(
            "schedule: 300 people, 2000 requests ({accepted} accepted), 18 slots x 40 tables: \
             {took:?}; accepted placed {placed}/{accepted} ({:.1}%), all placed {all}",
            100.0 * placed as f64 / accepted as f64
        );
    }
}
