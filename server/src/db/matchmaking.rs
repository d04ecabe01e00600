//! Export matchmaking (수출상담회): the setup of an event's one-to-one meetings,
//! participants' profiles, meeting requests and the schedule. Every write that
//! counts (a request against the caps, an answer, a schedule run, a meeting
//! moved by hand) starts by writing the activity's row, as registration does:
//! two people taking the last meeting of a third, or two schedule runs, are
//! served one after the other on both databases.

use super::{Db, Tx, with_db, with_tx};
use crate::error::DbError;
use chrono::{DateTime, Duration, Utc};
use moim_core::figures::SizeBand;
use moim_core::{
    ActivityId, UserId,
    matchmaking::{
        Ask, Currency, FOLLOW_UP_DAYS, FOLLOW_UP_MONTHS_MAX, FOLLOW_UP_REMIND_DAYS,
        FOLLOW_UP_REMINDERS, FollowUp, FollowUpAsk, FollowUpRound, FollowUpTally, Language,
        MatchFigures, MatchProfile, MatchRole, MatchSetup, Meeting, MeetingAttendance,
        MeetingReport, MeetingSide, MeetingStatus, NewMeetingRequest, Person, Plan, ScheduleResult,
        Slot, answered, followed_up, schedule,
    },
    notification::NotificationKind,
};
use std::collections::HashMap;

/// A participant as stored, with their name and organisation.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ParticipantRow {
    pub id: i64,
    pub user_id: Option<i64>,
    /// A guest without an account (then `user_id` is none).
    pub guest_id: Option<i64>,
    pub name: String,
    pub org_name: String,
    pub role: String,
    pub offer: String,
    pub seek: String,
    pub country: String,
    pub languages: String,
    pub interpreter: bool,
    pub unavailable: String,
    /// Technology fields, JSON.
    pub fields: String,
    /// Where their registration for the event stands (`registered` with a
    /// place); none if they have none.
    pub place: Option<String>,
}

impl ParticipantRow {
    /// Whether they have a place at the event (registered, not waiting or
    /// cancelled): only then do they ask, get asked or answer.
    pub fn placed(&self) -> bool {
        self.place.as_deref() == Some("registered")
    }
}

impl ParticipantRow {
    /// The profile written.
    pub fn profile(&self) -> MatchProfile {
        MatchProfile {
            role: MatchRole::from_code(&self.role).unwrap_or(MatchRole::Partner),
            offer: self.offer.clone(),
            seek: self.seek.clone(),
            country: self.country.clone(),
            languages: serde_json::from_str(&self.languages).unwrap_or_default(),
            interpreter: self.interpreter,
            unavailable: serde_json::from_str(&self.unavailable).unwrap_or_default(),
            fields: serde_json::from_str(&self.fields).unwrap_or_default(),
        }
    }
}

impl ParticipantRow {
    /// As a side of a meeting.
    pub fn side(&self) -> MeetingSide {
        MeetingSide {
            id: self.id,
            name: self.name.clone(),
            organisation: self.org_name.clone(),
            country: self.country.clone(),
            role: MatchRole::from_code(&self.role).unwrap_or(MatchRole::Partner),
        }
    }
}

/// Each side's report, by request and participant.
pub type Reports = HashMap<(i64, i64), MeetingReport>;

/// Who takes part at an event: a member, or a guest without an account (by
/// their registration).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Who {
    User(UserId),
    Guest(i64),
}

impl Who {
    /// The column of `match_participants` that names them, and its value.
    fn key(self) -> (&'static str, i64) {
        match self {
            Who::User(u) => ("user_id", u.0),
            Who::Guest(g) => ("guest_id", g),
        }
    }
}

/// A guest's name and organisation come from their registration (blank once
/// their details are no longer kept).
const PARTICIPANT: &str = "SELECT p.id, p.user_id, p.guest_id, COALESCE(u.name, g.name, '') AS name,
        COALESCE(o.name, g.org_name, '') AS org_name, p.role, p.offer, p.seek,
        p.country, p.languages, p.interpreter, p.unavailable, p.fields, COALESCE(r.status, g.status) AS place
    FROM match_participants p LEFT JOIN users u ON u.id = p.user_id LEFT JOIN organisations o ON o.id = u.org_id
    LEFT JOIN activity_guests g ON g.id = p.guest_id
    LEFT JOIN activity_registrations r ON r.activity_id = p.activity_id AND r.user_id = p.user_id";

/// A request as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RequestRow {
    pub id: i64,
    pub from_id: i64,
    pub to_id: i64,
    pub message: String,
    pub status: String,
    pub slot: Option<i64>,
    pub table_no: Option<i64>,
    pub interpreter: Option<String>,
    pub pinned: bool,
}

impl RequestRow {
    /// Where it stands.
    pub fn status(&self) -> MeetingStatus {
        MeetingStatus::from_code(&self.status).unwrap_or(MeetingStatus::Declined)
    }

    /// Whether it counts against the caps (not declined).
    pub fn live(&self) -> bool {
        self.status() != MeetingStatus::Declined
    }

    /// The meeting, with its sides among `people` and their reports.
    pub fn meeting(&self, people: &HashMap<i64, ParticipantRow>, reports: &Reports) -> Meeting {
        let side = |id: i64| {
            people.get(&id).map_or_else(
                || MeetingSide {
                    id: 0,
                    name: String::new(),
                    organisation: String::new(),
                    country: String::new(),
                    role: MatchRole::Partner,
                },
                ParticipantRow::side,
            )
        };
        Meeting {
            id: self.id,
            from: side(self.from_id),
            to: side(self.to_id),
            message: self.message.clone(),
            status: self.status(),
            slot: self.slot.and_then(|s| u32::try_from(s).ok()),
            table: self.table_no.and_then(|t| u32::try_from(t).ok()),
            interpreter: self.interpreter.clone(),
            pinned: self.pinned,
            from_report: reports.get(&(self.id, self.from_id)).cloned(),
            to_report: reports.get(&(self.id, self.to_id)).cloned(),
        }
    }
}

const REQUEST: &str =
    "SELECT id, from_id, to_id, message, status, slot, table_no, interpreter, pinned
    FROM match_requests";

/// Why a matchmaking write was refused.
#[derive(Debug)]
pub enum MatchRefusal {
    /// Not in the booking phase (or, for an answer, the meetings have begun).
    Closed,
    /// A request between the two exists.
    AlreadyRequested,
    /// The caller has as many meetings as allowed.
    MyCap,
    /// The other person has as many meetings as allowed.
    TheirCap,
    /// Asking oneself.
    Oneself,
    /// The request or participant is not there (or not the caller's to answer).
    NotFound,
    /// Answered already, the other way.
    Answered,
    /// The slot and table, or a person at that time, are taken.
    SlotTaken,
    /// The event has no setup.
    NotSetUp,
    /// The meeting has no place, was declined, or its time has not come.
    NotYet,
    /// Reported on: it stays where it was held.
    Reported,
}

/// A refusal or a database failure.
#[derive(Debug)]
pub enum MatchError {
    Refused(MatchRefusal),
    Db(DbError),
}

impl<E: Into<DbError>> From<E> for MatchError {
    fn from(e: E) -> Self {
        MatchError::Db(e.into())
    }
}

fn refused<T>(r: MatchRefusal) -> Result<T, MatchError> {
    Err(MatchError::Refused(r))
}

/// The setup of an event, if it has one.
pub async fn setup(db: &Db, id: ActivityId) -> Result<Option<MatchSetup>, DbError> {
    let row: Option<(Option<String>,)> = with_db!(db, p => sqlx::query_as(
        "SELECT matchmaking FROM activities WHERE id = $1",
    ).bind(id.0).fetch_optional(p).await?);
    Ok(row
        .and_then(|(s,)| s)
        .and_then(|s| serde_json::from_str(&s).ok()))
}

/// Holds the activity's row (see the module's note) and reads its setup.
async fn lock(tx: &mut Tx, id: i64, now: DateTime<Utc>) -> Result<Option<MatchSetup>, MatchError> {
    let row: Option<(Option<String>,)> = with_tx!(tx, c => sqlx::query_as(
        "UPDATE activities SET updated_at = $2 WHERE id = $1 RETURNING matchmaking",
    ).bind(id).bind(now).fetch_optional(&mut *c).await?);
    let Some((setup,)) = row else {
        return refused(MatchRefusal::NotFound);
    };
    Ok(setup.and_then(|s| serde_json::from_str(&s).ok()))
}

/// Holds the activity's row and reads its setup, which the write needs.
async fn lock_set_up(tx: &mut Tx, id: i64, now: DateTime<Utc>) -> Result<MatchSetup, MatchError> {
    match lock(tx, id, now).await? {
        Some(setup) => Ok(setup),
        None => refused(MatchRefusal::NotSetUp),
    }
}

/// Sets an event's setup. When its slots or tables change, every meeting
/// loses its place (the schedule is to be run again).
pub async fn set_setup(
    db: &Db,
    id: ActivityId,
    setup: &MatchSetup,
    now: DateTime<Utc>,
) -> Result<(), MatchError> {
    let mut tx = db.begin().await?;
    let old = lock(&mut tx, id.0, now).await?;
    let moved = old.is_none_or(|o| o.slots() != setup.slots() || o.tables != setup.tables);
    if moved && reported(&mut tx, id.0, None).await? {
        return refused(MatchRefusal::Reported);
    }
    if moved {
        with_tx!(&mut tx, c => sqlx::query(
            "UPDATE match_requests SET slot = NULL, table_no = NULL, interpreter = NULL, pinned = FALSE
             WHERE activity_id = $1",
        ).bind(id.0).execute(&mut *c).await?.rows_affected());
    }
    let json = serde_json::to_string(setup).unwrap_or_default();
    with_tx!(&mut tx, c => sqlx::query("UPDATE activities SET matchmaking = $2 WHERE id = $1")
        .bind(id.0).bind(json).execute(&mut *c).await?.rows_affected());
    tx.commit().await?;
    Ok(())
}

/// The participant `who` is at an event, if they are one.
pub async fn participant_of(
    db: &Db,
    id: ActivityId,
    who: Who,
) -> Result<Option<ParticipantRow>, DbError> {
    let (column, key) = who.key();
    let sql = format!("{PARTICIPANT} WHERE p.activity_id = $1 AND p.{column} = $2");
    Ok(with_db!(db, p => sqlx::query_as(&sql).bind(id.0).bind(key).fetch_optional(p).await?))
}

/// Every participant of an event, in the order they joined.
pub async fn participants(db: &Db, id: ActivityId) -> Result<Vec<ParticipantRow>, DbError> {
    let sql = format!("{PARTICIPANT} WHERE p.activity_id = $1 ORDER BY p.id");
    Ok(with_db!(db, p => sqlx::query_as(&sql).bind(id.0).fetch_all(p).await?))
}

/// Writes `who`'s profile at an event (they take part from then on).
pub async fn save_profile(
    db: &Db,
    id: ActivityId,
    who: Who,
    profile: &MatchProfile,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let mut unavailable = profile.unavailable.clone();
    unavailable.sort_unstable();
    unavailable.dedup();
    let languages = serde_json::to_string(&profile.languages).unwrap_or_default();
    let unavailable = serde_json::to_string(&unavailable).unwrap_or_default();
    let fields = serde_json::to_string(&profile.fields).unwrap_or_else(|_| "[]".into());
    let (column, key) = who.key();
    let sql = format!(
        "INSERT INTO match_participants (activity_id, {column}, role, offer, seek, country, languages, interpreter,
                                         unavailable, created_at, updated_at, fields)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $11)
         ON CONFLICT (activity_id, {column}) DO UPDATE SET role = excluded.role, offer = excluded.offer,
             seek = excluded.seek, country = excluded.country, languages = excluded.languages,
             interpreter = excluded.interpreter, unavailable = excluded.unavailable, updated_at = excluded.updated_at,
             fields = excluded.fields"
    );
    with_db!(db, p => sqlx::query(&sql).bind(id.0).bind(key).bind(profile.role.code()).bind(profile.offer.trim()).bind(profile.seek.trim())
     .bind(&profile.country).bind(languages).bind(profile.interpreter).bind(unavailable).bind(now).bind(fields)
     .execute(p).await?.rows_affected());
    Ok(())
}

/// Every request of an event, in the order asked.
pub async fn requests(db: &Db, id: ActivityId) -> Result<Vec<RequestRow>, DbError> {
    let sql = format!("{REQUEST} WHERE activity_id = $1 ORDER BY id");
    Ok(with_db!(db, p => sqlx::query_as(&sql).bind(id.0).fetch_all(p).await?))
}

/// The requests a participant is in (sent or received), in the order asked.
pub async fn requests_of(
    db: &Db,
    id: ActivityId,
    participant: i64,
) -> Result<Vec<RequestRow>, DbError> {
    let sql =
        format!("{REQUEST} WHERE activity_id = $1 AND (from_id = $2 OR to_id = $2) ORDER BY id");
    Ok(with_db!(db, p => sqlx::query_as(&sql).bind(id.0).bind(participant).fetch_all(p).await?))
}

/// The participants of an event among `ids`, by id.
pub async fn people(
    db: &Db,
    id: ActivityId,
    ids: impl IntoIterator<Item = i64>,
) -> Result<HashMap<i64, ParticipantRow>, DbError> {
    let list = super::id_list(ids);
    if list.is_empty() {
        return Ok(HashMap::new());
    }
    let sql = format!("{PARTICIPANT} WHERE p.activity_id = $1 AND p.id IN ({list})");
    let rows: Vec<ParticipantRow> =
        with_db!(db, p => sqlx::query_as(&sql).bind(id.0).fetch_all(p).await?);
    Ok(rows.into_iter().map(|p| (p.id, p)).collect())
}

/// The cockpit's matchmaking figures: every 수출상담회 of `scope` that started
/// in `[start, end)` and has begun by `now`, its participants and what came of
/// its meetings (placed or not, declined ones aside), each event's values in
/// won at its own rates; the Korean firms banded by their people (latest
/// year's employees, else headcount).
pub async fn figures(
    db: &Db,
    scope: &super::kpi::Scope,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<MatchFigures, DbError> {
    let within = super::kpi::activity_within(scope);
    let events: Vec<(i64, Option<String>)> = with_db!(db, p => sqlx::query_as(&format!(
        "SELECT a.id, a.matchmaking FROM activities a
         WHERE a.kind = 'matchmaking' AND a.cancelled_at IS NULL
           AND a.starts_at >= $1 AND a.starts_at < $2 AND a.starts_at <= $3{within} ORDER BY a.id"
    )).bind(start).bind(end).bind(now).fetch_all(p).await?);
    let mut out = MatchFigures::default();
    for (id, setup) in events {
        let rates = setup
            .and_then(|s| serde_json::from_str::<MatchSetup>(&s).ok())
            .map(|s| s.rates)
            .unwrap_or_default();
        let people: HashMap<i64, ParticipantRow> = participants(db, ActivityId(id))
            .await?
            .into_iter()
            .map(|p| (p.id, p))
            .collect();
        let bands: Vec<(i64, Option<i64>)> = with_db!(db, p => sqlx::query_as(&format!(
            "SELECT p.id, {} FROM match_participants p JOIN users u ON u.id = p.user_id
             JOIN organisations o ON o.id = u.org_id WHERE p.activity_id = $1 AND o.kind = 'firm'",
            super::figures::band_people("o")
        )).bind(id).fetch_all(p).await?);
        let bands: HashMap<i64, SizeBand> = bands
            .into_iter()
            .filter_map(|(p, n)| Some((p, SizeBand::of(n?))))
            .collect();
        let rows: Vec<RequestRow> = requests(db, ActivityId(id))
            .await?
            .into_iter()
            .filter(RequestRow::live)
            .collect();
        let reports = reports(db, rows.iter().map(|r| r.id)).await?;
        let meetings: Vec<Meeting> = rows.iter().map(|r| r.meeting(&people, &reports)).collect();
        let count = u32::try_from(people.len()).unwrap_or(u32::MAX);
        out.add_event(count, &meetings, &rates, |s| bands.get(&s.id).copied());
    }
    Ok(out)
}

/// One request of an event.
pub async fn request_row(db: &Db, id: ActivityId, request: i64) -> Result<RequestRow, DbError> {
    let sql = format!("{REQUEST} WHERE activity_id = $1 AND id = $2");
    with_db!(db, p => sqlx::query_as(&sql).bind(id.0).bind(request).fetch_optional(p).await?)
        .ok_or(DbError::NotFound)
}

/// Each participant's placed meetings (not declined) of an event, in time
/// order, as one line for the reminder the day before (Korea time, both
/// languages), for members and guests: none for an event without a setup or
/// a schedule.
pub async fn agendas(tx: &mut Tx, id: ActivityId) -> Result<HashMap<Who, String>, DbError> {
    let row: Option<(Option<String>,)> = with_tx!(tx, c => sqlx::query_as(
        "SELECT matchmaking FROM activities WHERE id = $1",
    ).bind(id.0).fetch_optional(&mut *c).await?);
    let Some(setup) = row
        .and_then(|(s,)| s)
        .and_then(|s| serde_json::from_str::<MatchSetup>(&s).ok())
    else {
        return Ok(HashMap::new());
    };
    let slots = setup.slots();
    let sql = format!("{PARTICIPANT} WHERE p.activity_id = $1");
    let people: Vec<ParticipantRow> =
        with_tx!(tx, c => sqlx::query_as(&sql).bind(id.0).fetch_all(&mut *c).await?);
    let sql = format!(
        "{REQUEST} WHERE activity_id = $1 AND status <> 'declined' AND slot IS NOT NULL ORDER BY slot, table_no"
    );
    let rows: Vec<RequestRow> =
        with_tx!(tx, c => sqlx::query_as(&sql).bind(id.0).fetch_all(&mut *c).await?);
    let by_id: HashMap<i64, &ParticipantRow> = people.iter().map(|p| (p.id, p)).collect();
    let mut lines = agenda_lines(&slots, &by_id, &rows);
    Ok(people
        .iter()
        .filter_map(|p| {
            let line = lines.remove(&p.id)?;
            let who = match (p.user_id, p.guest_id) {
                (Some(u), _) => Who::User(UserId(u)),
                (None, g) => Who::Guest(g?),
            };
            Some((who, line))
        })
        .collect())
}

/// Each participant's line of placed meetings among `rows` (in time order),
/// by participant id.
fn agenda_lines(
    slots: &[Slot],
    people: &HashMap<i64, &ParticipantRow>,
    rows: &[RequestRow],
) -> HashMap<i64, String> {
    let hm = |t: DateTime<Utc>| t.with_timezone(&moim_core::KST).format("%H:%M").to_string();
    let mut lines: HashMap<i64, Vec<String>> = HashMap::new();
    for r in rows {
        let (Some(slot), Some(table)) = (slot_in(slots, r.slot), r.table_no) else {
            continue;
        };
        for (me, other) in [(r.from_id, r.to_id), (r.to_id, r.from_id)] {
            let Some(o) = people.get(&other) else {
                continue;
            };
            let mut l = format!(
                "{}–{} 테이블 Table {table} · {} ({})",
                hm(slot.starts_at),
                hm(slot.ends_at),
                o.org_name,
                o.name
            );
            if let Some(i) = &r.interpreter {
                l.push_str(&format!(" · 통역 Interpreter {i}"));
            }
            if r.status() == MeetingStatus::Pending {
                l.push_str(" · 응답 대기 Not yet accepted");
            }
            lines.entry(me).or_default().push(l);
        }
    }
    lines
        .into_iter()
        .map(|(p, l)| (p, format!("1:1 상담 Meetings: {}", l.join(" / "))))
        .collect()
}

/// `who`'s line of [`agendas`] (for a guest's reminder mail, composed when
/// sent), read without holding anything.
pub async fn agenda_of(db: &Db, id: i64, who: Who) -> Result<Option<String>, DbError> {
    let Some(setup) = setup(db, ActivityId(id)).await? else {
        return Ok(None);
    };
    let Some(me) = participant_of(db, ActivityId(id), who).await? else {
        return Ok(None);
    };
    let sql = format!(
        "{REQUEST} WHERE activity_id = $1 AND (from_id = $2 OR to_id = $2) AND status <> 'declined'
           AND slot IS NOT NULL ORDER BY slot, table_no"
    );
    let rows: Vec<RequestRow> =
        with_db!(db, p => sqlx::query_as(&sql).bind(id).bind(me.id).fetch_all(p).await?);
    let people = people(
        db,
        ActivityId(id),
        rows.iter().flat_map(|r| [r.from_id, r.to_id]),
    )
    .await?;
    let by_id = people.iter().map(|(k, v)| (*k, v)).collect();
    Ok(agenda_lines(&setup.slots(), &by_id, &rows).remove(&me.id))
}

/// Each side's report of the given requests, by request and participant.
pub async fn reports(db: &Db, requests: impl IntoIterator<Item = i64>) -> Result<Reports, DbError> {
    let list = super::id_list(requests);
    if list.is_empty() {
        return Ok(HashMap::new());
    }
    let sql = format!(
        "SELECT request_id, participant_id, attendance, rating, follow_up, amount, currency, signed_on_site
         FROM match_reports WHERE request_id IN ({list})"
    );
    type Row = (
        i64,
        i64,
        String,
        Option<i64>,
        Option<String>,
        Option<i64>,
        Option<String>,
        bool,
    );
    let rows: Vec<Row> = with_db!(db, p => sqlx::query_as(&sql).fetch_all(p).await?);
    Ok(rows
        .into_iter()
        .map(
            |(r, p, attendance, rating, follow_up, amount, currency, on_site)| {
                let report = MeetingReport {
                    attendance: MeetingAttendance::from_code(&attendance)
                        .unwrap_or(MeetingAttendance::Held),
                    rating,
                    follow_up: follow_up.as_deref().and_then(FollowUp::from_code),
                    amount,
                    currency: currency.as_deref().and_then(Currency::from_code),
                    signed_on_site: on_site,
                };
                ((r, p), report)
            },
        )
        .collect())
}

/// A side (`me`) reports on their meeting once its time has come: placed, not
/// declined, its slot begun. A later report replaces the earlier one.
pub async fn report(
    db: &Db,
    id: ActivityId,
    request: i64,
    me: i64,
    r: &MeetingReport,
    now: DateTime<Utc>,
) -> Result<(), MatchError> {
    let mut tx = db.begin().await?;
    let setup = lock_set_up(&mut tx, id.0, now).await?;
    let row: Option<(String, Option<i64>)> = with_tx!(&mut tx, c => sqlx::query_as(
        "SELECT status, slot FROM match_requests WHERE activity_id = $1 AND id = $2 AND (from_id = $3 OR to_id = $3)",
    ).bind(id.0).bind(request).bind(me).fetch_optional(&mut *c).await?);
    let Some((status, slot)) = row else {
        return refused(MatchRefusal::NotFound);
    };
    let slots = setup.slots();
    let begun = slot_in(&slots, slot).is_some_and(|s| now >= s.starts_at);
    if status == "declined" || !begun {
        return refused(MatchRefusal::NotYet);
    }
    with_tx!(&mut tx, c => sqlx::query(
        "INSERT INTO match_reports (request_id, participant_id, attendance, rating, follow_up, amount, currency,
                                    signed_on_site, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)
         ON CONFLICT (request_id, participant_id) DO UPDATE SET attendance = excluded.attendance,
             rating = excluded.rating, follow_up = excluded.follow_up, amount = excluded.amount,
             currency = excluded.currency, signed_on_site = excluded.signed_on_site, updated_at = excluded.updated_at",
    ).bind(request).bind(me).bind(r.attendance.code()).bind(r.rating).bind(r.follow_up.map(FollowUp::code))
     .bind(r.amount).bind(r.currency.map(Currency::code)).bind(r.signed_on_site).bind(now)
     .execute(&mut *c).await?.rows_affected());
    tx.commit().await?;
    Ok(())
}

/// A placed meeting as a follow-up round sees it for one side (accepted, or
/// held by someone's word though never accepted): what its sides said of it,
/// and that side's own report.
#[derive(sqlx::FromRow)]
struct FollowRow {
    participant: i64,
    request: i64,
    held: i64,
    no_show: i64,
    attendance: Option<String>,
    follow_up: Option<String>,
    reported_at: Option<DateTime<Utc>>,
}

const FOLLOW: &str = "SELECT p.id AS participant, r.id AS request,
        (SELECT COUNT(*) FROM match_reports x WHERE x.request_id = r.id AND x.attendance = 'held') AS held,
        (SELECT COUNT(*) FROM match_reports x WHERE x.request_id = r.id AND x.attendance = 'no_show') AS no_show,
        m.attendance, m.follow_up, m.updated_at AS reported_at
    FROM match_participants p
    JOIN match_requests r ON r.activity_id = p.activity_id AND (r.from_id = p.id OR r.to_id = p.id)
    LEFT JOIN match_reports m ON m.request_id = r.id AND m.participant_id = p.id
    WHERE p.activity_id = $1 AND r.slot IS NOT NULL
      AND (r.status = 'accepted' OR EXISTS (SELECT 1 FROM match_reports x WHERE x.request_id = r.id AND x.attendance = 'held'))";

/// Per participant: the meetings a round asks them about, and those of them
/// not yet answered (request numbers, in order).
fn asks(
    rows: &[FollowRow],
    round: FollowUpRound,
    opens_at: DateTime<Utc>,
) -> HashMap<i64, (u32, Vec<i64>)> {
    let mut out: HashMap<i64, (u32, Vec<i64>)> = HashMap::new();
    for r in rows
        .iter()
        .filter(|r| followed_up(r.held > 0, r.no_show > 0))
    {
        let e = out.entry(r.participant).or_default();
        e.0 += 1;
        let said = r
            .attendance
            .as_deref()
            .and_then(MeetingAttendance::from_code);
        let follow_up = r.follow_up.as_deref().and_then(FollowUp::from_code);
        if !answered(round, opens_at, said, follow_up, r.reported_at) {
            e.1.push(r.request);
        }
    }
    for e in out.values_mut() {
        e.1.sort_unstable();
    }
    out
}

/// A round open at `now` (of an event ending at `ends_at`) and its asks, of
/// one participant (`me`) or everyone; none when no round is open.
type OpenRound = (
    FollowUpRound,
    DateTime<Utc>,
    DateTime<Utc>,
    HashMap<i64, (u32, Vec<i64>)>,
);

async fn open_round(
    db: &Db,
    id: ActivityId,
    me: Option<i64>,
    setup: &MatchSetup,
    ends_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<Option<OpenRound>, DbError> {
    let Some((round, opens_at, closes_at)) = setup.follow_up_round(ends_at, now) else {
        return Ok(None);
    };
    let sql = format!("{FOLLOW} AND ($2 IS NULL OR p.id = $2)");
    let rows: Vec<FollowRow> =
        with_db!(db, p => sqlx::query_as(&sql).bind(id.0).bind(me).fetch_all(p).await?);
    Ok(Some((
        round,
        opens_at,
        closes_at,
        asks(&rows, round, opens_at),
    )))
}

/// The follow-up round participant `me` is asked in at `now` (of an event
/// ending at `ends_at`), with their unanswered meetings; none when no round is
/// open or it asks them about nothing.
pub async fn follow_up_of(
    db: &Db,
    id: ActivityId,
    me: i64,
    setup: &MatchSetup,
    ends_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<Option<FollowUpAsk>, DbError> {
    let Some((round, opens_at, closes_at, mut asks)) =
        open_round(db, id, Some(me), setup, ends_at, now).await?
    else {
        return Ok(None);
    };
    Ok(asks.remove(&me).map(|(meetings, unanswered)| FollowUpAsk {
        round,
        opens_at,
        closes_at,
        meetings,
        unanswered,
    }))
}

/// The follow-up round open at `now` of an event ending at `ends_at`, with how
/// many people it asks and how many have answered; none when no round is open.
pub async fn follow_up_tally(
    db: &Db,
    id: ActivityId,
    setup: &MatchSetup,
    ends_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<Option<FollowUpTally>, DbError> {
    let Some((round, _, closes_at, asks)) = open_round(db, id, None, setup, ends_at, now).await?
    else {
        return Ok(None);
    };
    let answered = asks.values().filter(|(_, left)| left.is_empty()).count();
    Ok(Some(FollowUpTally {
        round,
        closes_at,
        asked: u32::try_from(asks.len()).unwrap_or(u32::MAX),
        answered: u32::try_from(answered).unwrap_or(u32::MAX),
    }))
}

/// A participant due an ask or a reminder: id, member, guest, reminders sent.
type Due = (i64, Option<i64>, Option<i64>, Option<i64>);

/// The follow-up rounds' asks and reminders due at `now`, for every
/// matchmaking event with a round open: a participant is asked once when the
/// round opens (if it asks them about anything they have not answered), then
/// reminded every `FOLLOW_UP_REMIND_DAYS` up to `FOLLOW_UP_REMINDERS` times
/// until they answer or the round closes. Each ask and reminder is claimed by
/// writing its row, so it goes once even from two instances. Returns how many
/// were sent.
pub async fn follow_ups(db: &Db, now: DateTime<Utc>) -> Result<usize, DbError> {
    let horizon = now - Duration::days(31 * i64::from(FOLLOW_UP_MONTHS_MAX) + FOLLOW_UP_DAYS);
    let events: Vec<(i64, DateTime<Utc>, String)> = with_db!(db, p => sqlx::query_as(
        "SELECT id, ends_at, matchmaking FROM activities
         WHERE kind = 'matchmaking' AND matchmaking IS NOT NULL AND cancelled_at IS NULL
           AND ends_at <= $1 AND ends_at > $2",
    ).bind(now).bind(horizon).fetch_all(p).await?);
    let mut sent = 0;
    for (id, ends_at, setup) in events {
        let Ok(setup) = serde_json::from_str::<MatchSetup>(&setup) else {
            continue;
        };
        let Some((round, opens_at, closes_at)) = setup.follow_up_round(ends_at, now) else {
            continue;
        };
        // Read first: a write transaction (SQLite's BEGIN IMMEDIATE) only when
        // something is due; the claims below are compare-and-set, in id order.
        // Guests are asked while their details are kept (through the first
        // round, which closes as they go), by mail.
        let due: Vec<Due> = with_db!(db, p => sqlx::query_as(
            "SELECT p.id, p.user_id, p.guest_id, f.reminders FROM match_participants p
             LEFT JOIN match_follow_ups f ON f.participant_id = p.id AND f.round = $2
             LEFT JOIN activity_guests g ON g.id = p.guest_id
             WHERE p.activity_id = $1
               AND (p.user_id IS NOT NULL OR (g.purged_at IS NULL AND g.status = 'registered'))
               AND (f.participant_id IS NULL
                    OR (f.answered_at IS NULL AND f.asked > 0 AND f.reminders < $3 AND f.reminded_at <= $4))
             ORDER BY p.id",
        ).bind(id).bind(round.code()).bind(FOLLOW_UP_REMINDERS)
         .bind(now - Duration::days(FOLLOW_UP_REMIND_DAYS)).fetch_all(p).await?);
        if due.is_empty() {
            continue;
        }
        let mut tx = db.begin().await?;
        let rows: Vec<FollowRow> =
            with_tx!(&mut tx, c => sqlx::query_as(FOLLOW).bind(id).fetch_all(&mut *c).await?);
        let asks = asks(&rows, round, opens_at);
        let closes = closes_at
            .with_timezone(&moim_core::KST)
            .format("%Y-%m-%d")
            .to_string();
        for (participant, user, guest, reminders) in due {
            let (asked, unanswered) = asks.get(&participant).cloned().unwrap_or_default();
            let done = unanswered.is_empty();
            let note = match reminders {
                None => {
                    let claimed = with_tx!(&mut tx, c => sqlx::query(
                        "INSERT INTO match_follow_ups (participant_id, round, asked, asked_at, reminded_at, answered_at)
                         VALUES ($1, $2, $3, $4, $4, $5) ON CONFLICT (participant_id, round) DO NOTHING",
                    ).bind(participant).bind(round.code()).bind(i64::from(asked)).bind(now)
                     .bind(done.then_some(now)).execute(&mut *c).await?.rows_affected());
                    (claimed > 0 && !done).then(|| {
                        let when = match round {
                            FollowUpRound::AfterEvent => {
                                "행사 후 조사 · After the event".to_owned()
                            }
                            FollowUpRound::Later => format!(
                                "{m}개월 후 조사 · {m} months on",
                                m = setup.follow_up_months
                            ),
                        };
                        format!("{when}: 상담 {asked}건 · {asked} meeting(s). 마감 Closes {closes}")
                    })
                }
                Some(_) if done => {
                    with_tx!(&mut tx, c => sqlx::query(
                        "UPDATE match_follow_ups SET answered_at = $3
                         WHERE participant_id = $1 AND round = $2 AND answered_at IS NULL",
                    ).bind(participant).bind(round.code()).bind(now).execute(&mut *c).await?.rows_affected());
                    None
                }
                Some(count) => {
                    let claimed = with_tx!(&mut tx, c => sqlx::query(
                        "UPDATE match_follow_ups SET reminders = reminders + 1, reminded_at = $3
                         WHERE participant_id = $1 AND round = $2 AND reminders = $4",
                    ).bind(participant).bind(round.code()).bind(now).bind(count)
                     .execute(&mut *c).await?.rows_affected());
                    (claimed > 0).then(|| {
                        let n = unanswered.len();
                        format!(
                            "다시 알림 Reminder: 답하지 않은 상담 {n}건 · {n} unanswered. 마감 Closes {closes}"
                        )
                    })
                }
            };
            let Some(note) = note else {
                continue;
            };
            if let Some(user) = user {
                let e = super::activities::event(
                    NotificationKind::MeetingFollowUp,
                    id,
                    None,
                    Some(note),
                    now,
                );
                super::notifications::notify(
                    &mut tx,
                    super::notifications::To::User(UserId(user)),
                    &e,
                )
                .await?;
            } else if let Some(guest) = guest {
                super::guests::follow_up_mail(&mut tx, guest, now).await?;
            }
            sent += 1;
        }
        tx.commit().await?;
    }
    Ok(sent)
}

/// Live requests (not declined) a participant is in, read with the activity held.
async fn live_count(tx: &mut Tx, participant: i64) -> Result<u32, DbError> {
    let (n,): (i64,) = with_tx!(tx, c => sqlx::query_as(
        "SELECT COUNT(*) FROM match_requests WHERE (from_id = $1 OR to_id = $1) AND status <> 'declined'",
    ).bind(participant).fetch_one(&mut *c).await?);
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

/// Whether `participant` takes part in event `id` with a place (one who
/// cancelled or waits is not asked).
async fn participant_in(tx: &mut Tx, id: i64, participant: i64) -> Result<bool, DbError> {
    let sql = format!("{PARTICIPANT} WHERE p.activity_id = $1 AND p.id = $2");
    let row: Option<ParticipantRow> = with_tx!(tx, c => sqlx::query_as(&sql).bind(id).bind(participant).fetch_optional(&mut *c).await?);
    Ok(row.is_some_and(|p| p.placed()))
}

/// Asks for a meeting in the booking phase: not oneself, once per pair, within
/// both people's caps (counted with the activity held).
pub async fn request(
    db: &Db,
    id: ActivityId,
    from: i64,
    r: &NewMeetingRequest,
    now: DateTime<Utc>,
) -> Result<i64, MatchError> {
    let mut tx = db.begin().await?;
    let setup = lock_set_up(&mut tx, id.0, now).await?;
    if !setup.booking_open(now) {
        return refused(MatchRefusal::Closed);
    }
    if r.to == from {
        return refused(MatchRefusal::Oneself);
    }
    if !participant_in(&mut tx, id.0, r.to).await? {
        return refused(MatchRefusal::NotFound);
    }
    let (low, high) = (from.min(r.to), from.max(r.to));
    let pair: Option<(i64,)> = with_tx!(&mut tx, c => sqlx::query_as(
        "SELECT id FROM match_requests WHERE activity_id = $1 AND low_id = $2 AND high_id = $3",
    ).bind(id.0).bind(low).bind(high).fetch_optional(&mut *c).await?);
    if pair.is_some() {
        return refused(MatchRefusal::AlreadyRequested);
    }
    if live_count(&mut tx, from).await? >= setup.cap {
        return refused(MatchRefusal::MyCap);
    }
    if live_count(&mut tx, r.to).await? >= setup.cap {
        return refused(MatchRefusal::TheirCap);
    }
    let (rid,): (i64,) = with_tx!(&mut tx, c => sqlx::query_as(
        "INSERT INTO match_requests (activity_id, from_id, to_id, low_id, high_id, message, status, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7) RETURNING id",
    ).bind(id.0).bind(from).bind(r.to).bind(low).bind(high).bind(r.message.trim()).bind(now)
     .fetch_one(&mut *c).await?);
    let message = Some(r.message.trim().to_owned()).filter(|m| !m.is_empty());
    let kind = NotificationKind::MeetingRequested;
    tell(&mut tx, id, kind, rid, (r.to, from), message, now).await?;
    tx.commit().await?;
    Ok(rid)
}

/// Tells participant `to` what participant `from` did about `request`, in the
/// transaction of the deed: a member through their notifications (by their
/// choice of channel), a guest by mail.
async fn tell(
    tx: &mut Tx,
    id: ActivityId,
    kind: NotificationKind,
    request: i64,
    (to, from): (i64, i64),
    note: Option<String>,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let sql = format!("{PARTICIPANT} WHERE p.id IN ($1, $2)");
    let people: Vec<ParticipantRow> =
        with_tx!(tx, c => sqlx::query_as(&sql).bind(to).bind(from).fetch_all(&mut *c).await?);
    let (Some(recipient), Some(actor)) = (
        people.iter().find(|p| p.id == to),
        people.iter().find(|p| p.id == from),
    ) else {
        return Ok(());
    };
    if let Some(guest) = recipient.guest_id {
        return super::guests::meeting_mail(tx, guest, kind, request, now).await;
    }
    let Some(user) = recipient.user_id else {
        return Ok(());
    };
    // A guest has no account to be named by: the note names them (their
    // message is on the meetings page).
    let note = match actor.guest_id {
        Some(_) => Some(format!("{} ({})", actor.name, actor.org_name)),
        None => note,
    };
    let e = super::activities::event(kind, id.0, actor.user_id.map(UserId), note, now);
    super::notifications::notify(tx, super::notifications::To::User(UserId(user)), &e).await
}

/// The person asked (`me`) answers a request, until the first session starts.
/// Answering the same way again changes nothing; a declined meeting loses its
/// place.
pub async fn answer(
    db: &Db,
    id: ActivityId,
    request: i64,
    me: i64,
    accept: bool,
    now: DateTime<Utc>,
) -> Result<(), MatchError> {
    let mut tx = db.begin().await?;
    let setup = lock_set_up(&mut tx, id.0, now).await?;
    let row: Option<(String, i64)> = with_tx!(&mut tx, c => sqlx::query_as(
        "SELECT status, from_id FROM match_requests WHERE activity_id = $1 AND id = $2 AND to_id = $3",
    ).bind(id.0).bind(request).bind(me).fetch_optional(&mut *c).await?);
    let Some((status, asker)) = row else {
        return refused(MatchRefusal::NotFound);
    };
    let wanted = if accept { "accepted" } else { "declined" };
    if status == wanted {
        return Ok(());
    }
    if status != "pending" {
        return refused(MatchRefusal::Answered);
    }
    let first = setup.slots().first().map(|s| s.starts_at);
    if now < setup.booking_opens_at || first.is_some_and(|f| now >= f) {
        return refused(MatchRefusal::Closed);
    }
    let place = if accept {
        ""
    } else {
        ", slot = NULL, table_no = NULL, interpreter = NULL, pinned = FALSE"
    };
    let sql =
        format!("UPDATE match_requests SET status = $2, answered_at = $3{place} WHERE id = $1");
    with_tx!(&mut tx, c => sqlx::query(&sql).bind(request).bind(wanted).bind(now)
        .execute(&mut *c).await?.rows_affected());
    let kind = match accept {
        true => NotificationKind::MeetingAccepted,
        false => NotificationKind::MeetingDeclined,
    };
    tell(&mut tx, id, kind, request, (asker, me), None, now).await?;
    tx.commit().await?;
    Ok(())
}

/// The one who asked takes a request back, in the booking phase.
pub async fn withdraw(
    db: &Db,
    id: ActivityId,
    request: i64,
    me: i64,
    now: DateTime<Utc>,
) -> Result<(), MatchError> {
    let mut tx = db.begin().await?;
    let setup = lock_set_up(&mut tx, id.0, now).await?;
    if !setup.booking_open(now) {
        return refused(MatchRefusal::Closed);
    }
    let n = with_tx!(&mut tx, c => sqlx::query(
        "DELETE FROM match_requests WHERE activity_id = $1 AND id = $2 AND from_id = $3",
    ).bind(id.0).bind(request).bind(me).execute(&mut *c).await?.rows_affected());
    if n == 0 {
        return refused(MatchRefusal::NotFound);
    }
    tx.commit().await?;
    Ok(())
}

/// Runs the scheduler over the event's live requests and writes every
/// meeting's place (the ones put by hand stay where they are while they fit).
/// The activity is held throughout, so two runs (or a run and a move by hand,
/// on two instances) never interleave.
pub async fn run_schedule(
    db: &Db,
    id: ActivityId,
    now: DateTime<Utc>,
) -> Result<ScheduleResult, MatchError> {
    let mut tx = db.begin().await?;
    let setup = lock_set_up(&mut tx, id.0, now).await?;
    let sql = format!("{PARTICIPANT} WHERE p.activity_id = $1 ORDER BY p.id");
    let people: Vec<ParticipantRow> =
        with_tx!(&mut tx, c => sqlx::query_as(&sql).bind(id.0).fetch_all(&mut *c).await?);
    let sql = format!("{REQUEST} WHERE activity_id = $1 AND status <> 'declined' ORDER BY id");
    let asks: Vec<RequestRow> =
        with_tx!(&mut tx, c => sqlx::query_as(&sql).bind(id.0).fetch_all(&mut *c).await?);
    // People are in id order: found by halving.
    let index = |pid: i64| people.binary_search_by_key(&pid, |p| p.id).ok();
    // What has happened stays: a meeting whose slot has begun, or that a side
    // reported on, is kept where it is, whatever availability and caps say now.
    let all_slots = setup.slots();
    let reported_ids: Vec<(i64,)> = with_tx!(&mut tx, c => sqlx::query_as(
        "SELECT DISTINCT mr.request_id FROM match_reports mr JOIN match_requests r ON r.id = mr.request_id
         WHERE r.activity_id = $1",
    ).bind(id.0).fetch_all(&mut *c).await?);
    let held: std::collections::HashSet<i64> = asks
        .iter()
        .filter(|r| slot_in(&all_slots, r.slot).is_some_and(|s| now >= s.starts_at))
        .map(|r| r.id)
        .chain(reported_ids.into_iter().map(|(i,)| i))
        .collect();
    // People who cancelled or wait meet nobody (unless it happened already).
    let gone: std::collections::HashSet<i64> = people
        .iter()
        .filter(|p| !p.placed())
        .map(|p| p.id)
        .collect();
    let mut asks = asks;
    asks.retain(|r| {
        held.contains(&r.id) || !(gone.contains(&r.from_id) || gone.contains(&r.to_id))
    });
    let slots = setup.slots().len();
    let plan = Plan {
        slots,
        tables: setup.tables as usize,
        people: people
            .iter()
            .map(|p| Person {
                unavailable: serde_json::from_str::<Vec<usize>>(&p.unavailable).unwrap_or_default(),
                cap: setup.cap as usize,
                languages: serde_json::from_str::<Vec<Language>>(&p.languages).unwrap_or_default(),
                interpreter: p.interpreter,
            })
            .collect(),
        interpreters: setup
            .interpreters
            .iter()
            .map(|i| i.languages.clone())
            .collect(),
        asks: asks
            .iter()
            .map(|r| Ask {
                a: index(r.from_id).unwrap_or(usize::MAX),
                b: index(r.to_id).unwrap_or(usize::MAX),
                accepted: r.status() == MeetingStatus::Accepted,
                pinned: match (r.pinned || held.contains(&r.id), r.slot, r.table_no) {
                    (true, Some(s), Some(t)) => {
                        Some((usize::try_from(s).unwrap_or(usize::MAX), slot_table(t)))
                    }
                    _ => None,
                },
                fixed: held.contains(&r.id),
            })
            .collect(),
    };
    let placed = schedule(&plan);
    // Every place is cleared first: the table index never sees two meetings
    // at one table, even for a moment.
    with_tx!(&mut tx, c => sqlx::query(
        "UPDATE match_requests SET slot = NULL, table_no = NULL, interpreter = NULL WHERE activity_id = $1",
    ).bind(id.0).execute(&mut *c).await?.rows_affected());
    let mut result = ScheduleResult {
        accepted_placed: 0,
        accepted: 0,
        pending_placed: 0,
        pending: 0,
    };
    for (k, (r, p)) in asks.iter().zip(&placed).enumerate() {
        let accepted = r.status() == MeetingStatus::Accepted;
        let (all, done) = if accepted {
            (&mut result.accepted, &mut result.accepted_placed)
        } else {
            (&mut result.pending, &mut result.pending_placed)
        };
        *all += 1;
        let Some(p) = p else {
            with_tx!(&mut tx, c => sqlx::query("UPDATE match_requests SET pinned = FALSE WHERE id = $1")
                .bind(r.id).execute(&mut *c).await?.rows_affected());
            continue;
        };
        *done += 1;
        let interpreter = p
            .interpreter
            .and_then(|x| setup.interpreters.get(x))
            .map(|i| i.name.clone());
        // Still where the organiser put it (a meeting kept because it
        // happened is not marked as moved by hand).
        let kept = r.pinned
            && plan.asks[k]
                .pinned
                .is_some_and(|(s, t)| p.slot == s && p.table == t);
        with_tx!(&mut tx, c => sqlx::query(
            "UPDATE match_requests SET slot = $2, table_no = $3, interpreter = $4, pinned = $5 WHERE id = $1",
        ).bind(r.id).bind(i64::try_from(p.slot).unwrap_or(0)).bind(i64::try_from(p.table + 1).unwrap_or(0))
         .bind(interpreter).bind(kept).execute(&mut *c).await?.rows_affected());
    }
    tx.commit().await?;
    Ok(result)
}

/// Whether a side has reported on a meeting of the event (on `request`, if given).
async fn reported(tx: &mut Tx, id: i64, request: Option<i64>) -> Result<bool, DbError> {
    let row: Option<(i64,)> = with_tx!(tx, c => sqlx::query_as(
        "SELECT mr.request_id FROM match_reports mr JOIN match_requests r ON r.id = mr.request_id
         WHERE r.activity_id = $1 AND ($2 IS NULL OR r.id = $2) LIMIT 1",
    ).bind(id).bind(request).fetch_optional(&mut *c).await?);
    Ok(row.is_some())
}

/// The slot a stored slot number names, if it is one of `slots`.
fn slot_in(slots: &[Slot], slot: Option<i64>) -> Option<&Slot> {
    slots.get(usize::try_from(slot?).ok()?)
}

/// A stored table number (from 1) as the scheduler counts (from 0).
fn slot_table(t: i64) -> usize {
    usize::try_from(t - 1).unwrap_or(usize::MAX)
}

/// The organiser puts a meeting at a slot and table by hand: refused when the
/// table is taken then, or either person has another meeting then or marked
/// the slot unavailable. The schedule keeps it there (and gives it an
/// interpreter again on its next run).
pub async fn place(
    db: &Db,
    id: ActivityId,
    request: i64,
    slot: u32,
    table: u32,
    now: DateTime<Utc>,
) -> Result<(), MatchError> {
    let mut tx = db.begin().await?;
    let setup = lock_set_up(&mut tx, id.0, now).await?;
    if slot as usize >= setup.slots().len() || table == 0 || table > setup.tables {
        return refused(MatchRefusal::SlotTaken);
    }
    let sql = format!("{REQUEST} WHERE activity_id = $1 AND id = $2 AND status <> 'declined'");
    let row: Option<RequestRow> = with_tx!(&mut tx, c => sqlx::query_as(&sql)
        .bind(id.0).bind(request).fetch_optional(&mut *c).await?);
    let Some(r) = row else {
        return refused(MatchRefusal::NotFound);
    };
    if reported(&mut tx, id.0, Some(request)).await? {
        return refused(MatchRefusal::Reported);
    }
    let (taken,): (i64,) = with_tx!(&mut tx, c => sqlx::query_as(
        "SELECT COUNT(*) FROM match_requests
         WHERE activity_id = $1 AND id <> $2 AND slot = $3
           AND (table_no = $4 OR from_id IN ($5, $6) OR to_id IN ($5, $6))",
    ).bind(id.0).bind(request).bind(i64::from(slot)).bind(i64::from(table)).bind(r.from_id).bind(r.to_id)
     .fetch_one(&mut *c).await?);
    let away: Vec<(String,)> = with_tx!(&mut tx, c => sqlx::query_as(
        "SELECT unavailable FROM match_participants WHERE id IN ($1, $2)",
    ).bind(r.from_id).bind(r.to_id).fetch_all(&mut *c).await?);
    let unavailable = away.iter().any(|(u,)| {
        serde_json::from_str::<Vec<u32>>(u)
            .unwrap_or_default()
            .contains(&slot)
    });
    if taken > 0 || unavailable {
        return refused(MatchRefusal::SlotTaken);
    }
    with_tx!(&mut tx, c => sqlx::query(
        "UPDATE match_requests SET slot = $2, table_no = $3, interpreter = NULL, pinned = TRUE WHERE id = $1",
    ).bind(request).bind(i64::from(slot)).bind(i64::from(table)).execute(&mut *c).await?.rows_affected());
    tx.commit().await?;
    Ok(())
}
