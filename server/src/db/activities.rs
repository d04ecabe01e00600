//! Networking activities. Every registration change starts by writing the
//! activity's row, which takes SQLite's write lock or PostgreSQL's row lock: two
//! people racing for the last place are served one after the other, so the count
//! of places taken never passes the capacity.

use super::{
    Db, Tx,
    notifications::{Event, To, notify},
    with_db, with_tx,
};
use crate::error::DbError;
use chrono::{DateTime, Utc};
use moim_core::{
    ActivityId, ConsortiumId, FieldErrors, UserId,
    activity::*,
    idea::ConsortiumTag,
    notification::NotificationKind,
    questionnaire::{Answers, Question},
};
use std::collections::HashMap;

/// An activity as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ActivityRow {
    pub id: i64,
    pub kind: String,
    pub title: String,
    pub description: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub place: String,
    pub online_url: Option<String>,
    pub capacity: Option<i64>,
    pub deadline: DateTime<Utc>,
    pub waitlist: bool,
    pub registered: i64,
    pub waitlisted: i64,
    pub attended: i64,
    pub created_by_name: String,
    pub cancelled_at: Option<DateTime<Utc>>,
    pub code: Option<String>,
    pub code_expires: Option<DateTime<Utc>>,
    pub minutes: Option<String>,
    pub audience: String,
    pub place_public: bool,
    /// The programme, JSON ([`Self::programme`]).
    pub programme: String,
    /// The attendee categories, JSON ([`Self::category_defs`]).
    pub categories: String,
    /// Guests without an account may register (with audience `signed_in`).
    pub guests: bool,
    /// The registration questions, JSON ([`Self::question_list`]).
    pub questions: String,
}

const COLUMNS: &str = "a.id, a.kind, a.title, a.description, a.starts_at, a.ends_at, a.place, a.online_url, a.capacity,
    a.deadline, a.waitlist, a.registered, a.waitlisted, a.attended, u.name AS created_by_name, a.cancelled_at, a.code,
    a.code_expires, a.minutes, a.audience, a.place_public, a.programme, a.categories, a.guests, a.questions";

impl ActivityRow {
    /// The summary lists show; the place only if `place_shown` (see
    /// [`Self::place_shown_to`]).
    pub fn summary(
        &self,
        consortia: Vec<ConsortiumTag>,
        mine: Option<RegistrationStatus>,
        place_shown: bool,
    ) -> ActivitySummary {
        let hidden = !place_shown && !self.place.is_empty();
        ActivitySummary {
            id: ActivityId(self.id),
            kind: ActivityKind::from_code(&self.kind).unwrap_or(ActivityKind::Other),
            title: self.title.clone(),
            starts_at: self.starts_at,
            ends_at: self.ends_at,
            place: if hidden {
                String::new()
            } else {
                self.place.clone()
            },
            place_hidden: hidden,
            audience: self.audience(),
            online: self.online_url.is_some(),
            capacity: self.capacity,
            registered: self.registered,
            waitlisted: self.waitlisted,
            consortia,
            cancelled: self.cancelled_at.is_some(),
            my_status: mine,
        }
    }

    /// The programme, in time order.
    pub fn programme(&self) -> Vec<AgendaItem> {
        serde_json::from_str(&self.programme).unwrap_or_default()
    }

    /// The attendee categories, in the organiser's order.
    pub fn category_defs(&self) -> Vec<CategoryDef> {
        serde_json::from_str(&self.categories).unwrap_or_default()
    }

    /// The registration questions, in order.
    pub fn question_list(&self) -> Vec<Question> {
        serde_json::from_str(&self.questions).unwrap_or_default()
    }

    /// Who may register.
    pub fn audience(&self) -> ActivityAudience {
        if self.guests {
            ActivityAudience::Anyone
        } else {
            ActivityAudience::from_code(&self.audience).unwrap_or_default()
        }
    }

    /// Whether a person sees the place: everyone when it is public, else the
    /// managers and the people with a place (not those waiting: a company visit's
    /// address goes to those who will come).
    pub fn place_shown_to(&self, manager: bool, mine: Option<RegistrationStatus>) -> bool {
        self.place_public || manager || mine == Some(RegistrationStatus::Registered)
    }

    /// Whether the check-in code is valid at `now`.
    pub fn checkin_open(&self, now: DateTime<Utc>) -> bool {
        self.code.is_some()
            && self.code_expires.is_some_and(|e| now <= e)
            && now >= self.starts_at - chrono::Duration::minutes(CHECKIN_OPENS_MIN)
    }
}

/// Why a registration change was refused.
#[derive(Debug)]
pub enum Refusal {
    /// Past the deadline, started, or cancelled.
    Closed,
    /// Full, and no waiting list.
    Full,
    /// Not on the list.
    NotRegistered,
    /// Check-in not open or the code expired.
    CheckinClosed,
    /// Wrong check-in code.
    WrongCode,
    /// The activity has attendee categories and none was chosen.
    CategoryRequired,
    /// No such category (or the activity has none).
    NoSuchCategory,
    /// Every place of the category is taken.
    CategoryFull,
    /// A guest's link to confirm is too old.
    LinkExpired,
    /// The activity does not take guests without an account.
    NoGuests,
    /// The answers to the registration questions (fields `answers.<key>`).
    Answers(FieldErrors),
}

/// A refusal or a database failure.
#[derive(Debug)]
pub enum RegError {
    Refused(Refusal),
    Db(DbError),
}

impl<E: Into<DbError>> From<E> for RegError {
    fn from(e: E) -> Self {
        RegError::Db(e.into())
    }
}

/// The categories as stored: trimmed, JSON.
fn categories(a: &NewActivity) -> String {
    serde_json::to_string(&trimmed(a.category_defs())).unwrap_or_else(|_| "[]".to_owned())
}

/// The audience as stored: `anyone` is `signed_in` with guests welcome.
fn audience_columns(a: &NewActivity) -> (&'static str, bool) {
    match a.audience() {
        ActivityAudience::Anyone => (ActivityAudience::SignedIn.code(), true),
        other => (other.code(), false),
    }
}

/// The registration questions as stored, JSON.
fn questions(a: &NewActivity) -> String {
    serde_json::to_string(a.question_list()).unwrap_or_else(|_| "[]".to_owned())
}

/// The answers as stored, JSON.
pub(super) fn answers_json(a: &Answers) -> String {
    serde_json::to_string(a).unwrap_or_else(|_| "{}".to_owned())
}

/// Answers as stored (a row from before questions reads as none).
pub(super) fn answers_of(json: &str) -> Answers {
    serde_json::from_str(json).unwrap_or_default()
}

/// A registration's `answers` to the questions of the locked activity `a`:
/// checked while the activity is held, so the questions cannot change between.
pub(super) fn checked_answers(a: &Locked, answers: &Answers) -> Result<String, RegError> {
    let questions: Vec<Question> = serde_json::from_str(&a.questions).unwrap_or_default();
    moim_core::activity::check_answers(&questions, answers)
        .map_err(|e| RegError::Refused(Refusal::Answers(e)))?;
    Ok(answers_json(answers))
}

/// The programme as stored: trimmed, in time order, JSON.
fn programme(a: &NewActivity) -> String {
    serde_json::to_string(&ordered(a.items())).unwrap_or_else(|_| "[]".to_owned())
}

/// Schedules an activity and tells the consortia's members.
pub async fn create(
    db: &Db,
    a: &NewActivity,
    by: UserId,
    now: DateTime<Utc>,
) -> Result<ActivityId, DbError> {
    let mut tx = db.begin().await?;
    let (id,): (i64,) = with_tx!(&mut tx, c => sqlx::query_as(
        "INSERT INTO activities (kind, title, description, starts_at, ends_at, place, online_url, capacity, deadline,
                                 waitlist, created_by, created_at, updated_at, audience, place_public, programme, categories, guests,
                                 questions)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $13, $14, $15, $16, $17, $18) RETURNING id",
    ).bind(a.kind.code()).bind(a.title.trim()).bind(a.description.trim()).bind(a.starts_at).bind(a.ends_at)
     .bind(a.place.trim()).bind(online(a)).bind(a.capacity).bind(a.deadline.unwrap_or(a.starts_at))
     .bind(a.waitlist).bind(by.0).bind(now).bind(audience_columns(a).0).bind(a.place_shown())
     .bind(programme(a)).bind(categories(a)).bind(audience_columns(a).1).bind(questions(a)).fetch_one(&mut *c).await?);
    set_consortia(&mut tx, id, &a.consortium_ids).await?;
    if let Some(p) = &a.partners {
        super::partners::set_for_activity(&mut tx, id, p).await?;
    }
    notify(
        &mut tx,
        To::ActivityAudience(ActivityId(id)),
        &event(NotificationKind::ActivityScheduled, id, Some(by), None, now),
    )
    .await?;
    tx.commit().await?;
    Ok(ActivityId(id))
}

fn online(a: &NewActivity) -> Option<&str> {
    a.online_url
        .as_deref()
        .map(str::trim)
        .filter(|u| !u.is_empty())
}

pub(super) fn event(
    kind: NotificationKind,
    id: i64,
    actor: Option<UserId>,
    note: Option<String>,
    at: DateTime<Utc>,
) -> Event {
    Event {
        kind,
        consortium: None,
        org: None,
        problem: None,
        idea: None,
        activity: Some(ActivityId(id)),
        survey: None,
        application: None,
        actor,
        note,
        at,
    }
}

async fn set_consortia(tx: &mut Tx, id: i64, ids: &[ConsortiumId]) -> Result<(), DbError> {
    with_tx!(tx, c => sqlx::query("DELETE FROM activity_consortia WHERE activity_id = $1")
        .bind(id).execute(&mut *c).await?.rows_affected());
    for cid in ids {
        with_tx!(tx, c => sqlx::query("INSERT INTO activity_consortia (activity_id, consortium_id) VALUES ($1, $2)")
            .bind(id).bind(cid.0).execute(&mut *c).await?.rows_affected());
    }
    Ok(())
}

/// Why an edit was refused: it would leave people without the place or the
/// category they hold.
#[derive(Debug)]
pub enum EditRefusal {
    /// The capacity is below the people with a place (the smallest it may be).
    CapacityBelow(i64),
    /// A category someone registered under is gone (or renamed).
    CategoryInUse,
    /// Category `index`'s cap is below its people (the smallest it may be).
    CategoryCapBelow(usize, i64),
    /// The questions change, and someone has registered.
    QuestionsAnswered,
}

/// An edit's refusal or a database failure.
#[derive(Debug)]
pub enum EditError {
    Refused(EditRefusal),
    Db(DbError),
}

impl<E: Into<DbError>> From<E> for EditError {
    fn from(e: E) -> Self {
        EditError::Db(e.into())
    }
}

/// Edits an activity. A larger capacity promotes people from the waiting list.
/// The people holding places and categories are counted after the activity's
/// row is held, so no registration slips in between the check and the edit: the
/// capacity cannot drop below the people with a place, a category someone
/// chose cannot go, nor its cap drop below its people.
pub async fn update(
    db: &Db,
    id: ActivityId,
    a: &NewActivity,
    by: UserId,
    now: DateTime<Utc>,
) -> Result<(), EditError> {
    let mut tx = db.begin().await?;
    let held = lock(&mut tx, id.0, now).await.map_err(|e| match e {
        RegError::Db(e) => EditError::Db(e),
        RegError::Refused(_) => EditError::Db(DbError::NotFound),
    })?;
    if let Some(cap) = a.capacity
        && cap < held.registered
    {
        return Err(EditError::Refused(EditRefusal::CapacityBelow(
            held.registered,
        )));
    }
    let sql = category_counts_sql();
    let taken: Vec<(String, i64)> =
        with_tx!(&mut tx, c => sqlx::query_as(&sql).bind(id.0).fetch_all(&mut *c).await?);
    // Answers are read by the questions they answered: once anyone has
    // registered (members or guests, even cancelled), the questions stay.
    if questions(a) != held.questions {
        let sql = format!("SELECT COUNT(*) FROM {IN_LINE} l WHERE activity_id = $1");
        let (n,): (i64,) =
            with_tx!(&mut tx, c => sqlx::query_as(&sql).bind(id.0).fetch_one(&mut *c).await?);
        if n > 0 {
            return Err(EditError::Refused(EditRefusal::QuestionsAnswered));
        }
    }
    let defs = trimmed(a.category_defs());
    for (name, n) in taken.iter().filter(|(_, n)| *n > 0) {
        match defs.iter().position(|d| &d.name == name) {
            None => return Err(EditError::Refused(EditRefusal::CategoryInUse)),
            Some(i) if defs[i].capacity.is_some_and(|c| c < *n) => {
                return Err(EditError::Refused(EditRefusal::CategoryCapBelow(i, *n)));
            }
            Some(_) => {}
        }
    }
    with_tx!(&mut tx, c => sqlx::query(
        "UPDATE activities SET kind = $2, title = $3, description = $4, starts_at = $5, ends_at = $6, place = $7,
                online_url = $8, capacity = $9, deadline = $10, waitlist = $11, updated_at = $12, audience = $13,
                place_public = $14, programme = $15, categories = $16, guests = $17, questions = $18 WHERE id = $1",
    ).bind(id.0).bind(a.kind.code()).bind(a.title.trim()).bind(a.description.trim()).bind(a.starts_at).bind(a.ends_at)
     .bind(a.place.trim()).bind(online(a)).bind(a.capacity).bind(a.deadline.unwrap_or(a.starts_at))
     .bind(a.waitlist).bind(now).bind(audience_columns(a).0).bind(a.place_shown())
     .bind(programme(a)).bind(categories(a)).bind(audience_columns(a).1).bind(questions(a)).execute(&mut *c).await?.rows_affected());
    set_consortia(&mut tx, id.0, &a.consortium_ids).await?;
    if let Some(p) = &a.partners {
        super::partners::set_for_activity(&mut tx, id.0, p).await?;
    }
    promote(&mut tx, id.0, Some(by), now).await?;
    tx.commit().await?;
    Ok(())
}

/// Cancels the activity; everyone registered or waiting is told.
pub async fn cancel(
    db: &Db,
    id: ActivityId,
    by: UserId,
    note: Option<String>,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let mut tx = db.begin().await?;
    let n = with_tx!(&mut tx, c => sqlx::query(
        "UPDATE activities SET cancelled_at = $2, updated_at = $2, code = NULL WHERE id = $1 AND cancelled_at IS NULL",
    ).bind(id.0).bind(now).execute(&mut *c).await?.rows_affected());
    if n == 1 {
        notify(
            &mut tx,
            To::ActivityPeople(id),
            &event(
                NotificationKind::ActivityCancelled,
                id.0,
                Some(by),
                note,
                now,
            ),
        )
        .await?;
        super::guests::mail_all(
            &mut tx,
            id.0,
            super::guests::GuestMail::Cancelled,
            &["registered", "waitlisted"],
            now,
        )
        .await?;
    }
    tx.commit().await
}

/// One activity.
pub async fn find(db: &Db, id: ActivityId) -> Result<ActivityRow, DbError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM activities a JOIN users u ON u.id = a.created_by WHERE a.id = $1"
    );
    let row: Option<ActivityRow> =
        with_db!(db, p => sqlx::query_as(&sql).bind(id.0).fetch_optional(p).await?);
    row.ok_or(DbError::NotFound)
}

/// The consortia of some activities.
pub async fn consortia_of(
    db: &Db,
    ids: &[i64],
) -> Result<HashMap<i64, Vec<ConsortiumTag>>, DbError> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let list = super::id_list(ids.iter().copied());
    let sql = format!(
        "SELECT ac.activity_id, c.id, c.name FROM activity_consortia ac JOIN consortia c ON c.id = ac.consortium_id
         WHERE ac.activity_id IN ({list}) ORDER BY ac.activity_id, c.name"
    );
    let rows: Vec<(i64, i64, String)> = with_db!(db, p => sqlx::query_as(&sql).fetch_all(p).await?);
    let mut map: HashMap<i64, Vec<ConsortiumTag>> = HashMap::new();
    for (a, id, name) in rows {
        map.entry(a).or_default().push(ConsortiumTag {
            id: ConsortiumId(id),
            name,
        });
    }
    Ok(map)
}

/// The caller's registration for some activities.
pub async fn statuses(
    db: &Db,
    ids: &[i64],
    user: UserId,
) -> Result<HashMap<i64, RegistrationStatus>, DbError> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let list = super::id_list(ids.iter().copied());
    let sql = format!(
        "SELECT activity_id, status FROM activity_registrations WHERE user_id = $1 AND activity_id IN ({list})"
    );
    let rows: Vec<(i64, String)> =
        with_db!(db, p => sqlx::query_as(&sql).bind(user.0).fetch_all(p).await?);
    Ok(rows
        .into_iter()
        .filter_map(|(a, s)| Some((a, RegistrationStatus::from_code(&s)?)))
        .collect())
}

/// Activities starting in `[from, to)`, of one consortium, one region, or the
/// caller's own, in time order.
pub async fn list(
    db: &Db,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    consortium: Option<ConsortiumId>,
    region: Option<&str>,
    mine: Option<UserId>,
) -> Result<Vec<ActivityRow>, DbError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM activities a JOIN users u ON u.id = a.created_by
         WHERE a.starts_at >= $1 AND a.starts_at < $2
           AND ($3 IS NULL OR EXISTS (SELECT 1 FROM activity_consortia ac WHERE ac.activity_id = a.id AND ac.consortium_id = $3))
           AND ($4 IS NULL OR EXISTS (SELECT 1 FROM activity_consortia ac JOIN consortia c ON c.id = ac.consortium_id
                                      JOIN complexes x ON x.id = c.complex_id WHERE ac.activity_id = a.id AND x.region = $4))
           AND ($5 IS NULL OR EXISTS (SELECT 1 FROM activity_registrations r WHERE r.activity_id = a.id AND r.user_id = $5
                                      AND r.status <> 'cancelled'))
         ORDER BY a.starts_at, a.id LIMIT {LIST_MAX}"
    );
    Ok(
        with_db!(db, p => sqlx::query_as(&sql).bind(from).bind(to).bind(consortium.map(|c| c.0))
        .bind(region).bind(mine.map(|u| u.0)).fetch_all(p).await?),
    )
}

#[derive(sqlx::FromRow)]
struct FeedRow {
    #[sqlx(flatten)]
    row: ActivityRow,
    my: String,
}

/// The activities a member's calendar feed carries: those they registered for or
/// wait for, from a month back.
pub async fn feed_of(
    db: &Db,
    user: UserId,
    now: DateTime<Utc>,
) -> Result<Vec<(ActivityRow, String)>, DbError> {
    let sql = format!(
        "SELECT {COLUMNS}, r.status AS my FROM activities a JOIN users u ON u.id = a.created_by
         JOIN activity_registrations r ON r.activity_id = a.id AND r.user_id = $1 AND r.status <> 'cancelled'
         WHERE a.starts_at >= $2 ORDER BY a.starts_at LIMIT {LIST_MAX}"
    );
    let rows: Vec<FeedRow> = with_db!(db, p => sqlx::query_as(&sql).bind(user.0)
        .bind(now - chrono::Duration::days(31)).fetch_all(p).await?);
    Ok(rows.into_iter().map(|r| (r.row, r.my)).collect())
}

/// The consortia an activity is for.
pub async fn consortium_ids(db: &Db, id: ActivityId) -> Result<Vec<ConsortiumId>, DbError> {
    let rows: Vec<(i64,)> = with_db!(db, p => sqlx::query_as(
        "SELECT consortium_id FROM activity_consortia WHERE activity_id = $1",
    ).bind(id.0).fetch_all(p).await?);
    Ok(rows.into_iter().map(|(c,)| ConsortiumId(c)).collect())
}

/// The caller's registration: status, waiting-list position, attended.
pub async fn mine(
    db: &Db,
    id: ActivityId,
    user: UserId,
) -> Result<Option<(RegistrationStatus, Option<i64>, bool)>, DbError> {
    let row: Option<(String, i64, Option<DateTime<Utc>>)> = with_db!(db, p => sqlx::query_as(
        "SELECT status, seq, attended_at FROM activity_registrations WHERE activity_id = $1 AND user_id = $2",
    ).bind(id.0).bind(user.0).fetch_optional(p).await?);
    let Some((status, seq, attended)) = row else {
        return Ok(None);
    };
    let status = RegistrationStatus::from_code(&status).unwrap_or(RegistrationStatus::Cancelled);
    let position = if status == RegistrationStatus::Waitlisted {
        // Guests wait in the same line.
        let sql = format!(
            "SELECT COUNT(*) FROM {IN_LINE} l WHERE activity_id = $1 AND status = 'waitlisted' AND seq <= $2"
        );
        let (n,): (i64,) =
            with_db!(db, p => sqlx::query_as(&sql).bind(id.0).bind(seq).fetch_one(p).await?);
        Some(n)
    } else {
        None
    };
    Ok(Some((status, position, attended.is_some())))
}

/// The activity's row, written first so the transaction holds the activity.
#[derive(sqlx::FromRow)]
pub(super) struct Locked {
    pub capacity: Option<i64>,
    pub waitlist: bool,
    pub deadline: DateTime<Utc>,
    pub starts_at: DateTime<Utc>,
    pub cancelled_at: Option<DateTime<Utc>>,
    pub registered: i64,
    pub categories: String,
    pub guests: bool,
    pub questions: String,
}

impl Locked {
    /// Registration is closed: cancelled, past the deadline, or started.
    pub fn closed(&self, now: DateTime<Utc>) -> bool {
        self.cancelled_at.is_some() || now >= self.deadline || now >= self.starts_at
    }

    /// A new registration's status: a place while there is one, else the
    /// waiting list, else a refusal.
    pub fn next_status(&self) -> Result<RegistrationStatus, RegError> {
        if self.capacity.is_none_or(|c| self.registered < c) {
            Ok(RegistrationStatus::Registered)
        } else if self.waitlist {
            Ok(RegistrationStatus::Waitlisted)
        } else {
            Err(RegError::Refused(Refusal::Full))
        }
    }
}

pub(super) async fn lock(tx: &mut Tx, id: i64, now: DateTime<Utc>) -> Result<Locked, RegError> {
    let row: Option<Locked> = with_tx!(tx, c => sqlx::query_as(
        "UPDATE activities SET updated_at = $2 WHERE id = $1
         RETURNING capacity, waitlist, deadline, starts_at, cancelled_at, registered, categories, guests, questions",
    ).bind(id).bind(now).fetch_optional(&mut *c).await?);
    row.ok_or(RegError::Db(DbError::NotFound))
}

async fn status_in(tx: &mut Tx, id: i64, user: UserId) -> Result<Option<String>, DbError> {
    let row: Option<(String,)> = with_tx!(tx, c => sqlx::query_as(
        "SELECT status FROM activity_registrations WHERE activity_id = $1 AND user_id = $2",
    ).bind(id).bind(user.0).fetch_optional(&mut *c).await?);
    Ok(row.map(|(s,)| s))
}

pub(super) async fn count(tx: &mut Tx, id: i64, column: &str, delta: i64) -> Result<(), DbError> {
    let sql = format!("UPDATE activities SET {column} = {column} + $2 WHERE id = $1");
    with_tx!(tx, c => sqlx::query(&sql).bind(id).bind(delta).execute(&mut *c).await?.rows_affected());
    Ok(())
}

/// The people with a place or waiting of an activity, members and guests
/// alike: the one line places and category caps count.
const IN_LINE: &str = "(SELECT activity_id, category, status, seq FROM activity_registrations
                       UNION ALL SELECT activity_id, category, status, seq FROM activity_guests)";

/// People registered or waiting under each category of an activity (`$1`).
fn category_counts_sql() -> String {
    format!(
        "SELECT category, COUNT(*) FROM {IN_LINE} l
         WHERE activity_id = $1 AND category IS NOT NULL AND status IN ('registered', 'waitlisted')
         GROUP BY category"
    )
}

/// People registered or waiting under each category of an activity.
pub async fn category_counts(db: &Db, id: ActivityId) -> Result<HashMap<String, i64>, DbError> {
    let sql = category_counts_sql();
    let rows: Vec<(String, i64)> =
        with_db!(db, p => sqlx::query_as(&sql).bind(id.0).fetch_all(p).await?);
    Ok(rows.into_iter().collect())
}

/// The category a person registered under, and their answers.
pub async fn registration_of(
    db: &Db,
    id: ActivityId,
    user: UserId,
) -> Result<(Option<String>, Answers), DbError> {
    let row: Option<(Option<String>, String)> = with_db!(db, p => sqlx::query_as(
        "SELECT category, answers FROM activity_registrations WHERE activity_id = $1 AND user_id = $2",
    ).bind(id.0).bind(user.0).fetch_optional(p).await?);
    Ok(row.map_or_else(Default::default, |(c, a)| (c, answers_of(&a))))
}

/// The category `chosen` for a registration, checked against the activity's
/// (read from its locked row, so two people taking a category's last place are
/// served one after the other).
pub(super) async fn category_for(
    tx: &mut Tx,
    id: i64,
    defs: &str,
    chosen: Option<&str>,
) -> Result<Option<String>, RegError> {
    let defs: Vec<CategoryDef> = serde_json::from_str(defs).unwrap_or_default();
    let chosen = chosen.map(str::trim).filter(|c| !c.is_empty());
    let def = match (defs.is_empty(), chosen) {
        (true, None) => return Ok(None),
        (false, None) => return Err(RegError::Refused(Refusal::CategoryRequired)),
        (_, Some(c)) => defs
            .into_iter()
            .find(|d| d.name == c)
            .ok_or(RegError::Refused(Refusal::NoSuchCategory))?,
    };
    if let Some(cap) = def.capacity {
        let sql = format!(
            "SELECT COUNT(*) FROM {IN_LINE} l
             WHERE activity_id = $1 AND category = $2 AND status IN ('registered', 'waitlisted')"
        );
        let (taken,): (i64,) = with_tx!(tx, c => sqlx::query_as(&sql)
            .bind(id).bind(&def.name).fetch_one(&mut *c).await?);
        if taken >= cap {
            return Err(RegError::Refused(Refusal::CategoryFull));
        }
    }
    Ok(Some(def.name))
}

/// Registers `user` (under `category`, when the activity has categories): a
/// place while there is one, else the waiting list (or a refusal when the
/// activity keeps none). Registering again changes nothing.
pub async fn register(
    db: &Db,
    id: ActivityId,
    user: UserId,
    r: &Register,
    now: DateTime<Utc>,
) -> Result<(), RegError> {
    let mut tx = db.begin().await?;
    let a = lock(&mut tx, id.0, now).await?;
    if a.closed(now) {
        return Err(RegError::Refused(Refusal::Closed));
    }
    // Answers that do not fit are refused even from someone registered
    // already (for whom registering again changes nothing).
    let answers = checked_answers(&a, &r.answers)?;
    let current = status_in(&mut tx, id.0, user).await?;
    if matches!(current.as_deref(), Some("registered" | "waitlisted")) {
        return Ok(());
    }
    let category = category_for(&mut tx, id.0, &a.categories, r.category.as_deref()).await?;
    let status = a.next_status()?;
    let seq = next_seq(&mut tx, id.0).await?;
    with_tx!(&mut tx, c => sqlx::query(
        "INSERT INTO activity_registrations (activity_id, user_id, status, queued_at, seq, updated_at, category, answers)
         VALUES ($1, $2, $3, $4, $6, $4, $5, $7)
         ON CONFLICT (activity_id, user_id) DO UPDATE SET status = excluded.status, queued_at = excluded.queued_at,
             seq = excluded.seq, updated_at = excluded.updated_at, attended_at = NULL, by_hand = FALSE,
             category = excluded.category, answers = excluded.answers",
    ).bind(id.0).bind(user.0).bind(status.code()).bind(now).bind(category).bind(seq).bind(answers)
     .execute(&mut *c).await?.rows_affected());
    count(&mut tx, id.0, status.code(), 1).await?;
    tx.commit().await?;
    Ok(())
}

/// The next number in an activity's one line (members and guests), taken
/// while the activity's row is held.
pub(super) async fn next_seq(tx: &mut Tx, id: i64) -> Result<i64, DbError> {
    let sql = format!("SELECT COALESCE(MAX(seq), 0) + 1 FROM {IN_LINE} l WHERE activity_id = $1");
    let (n,): (i64,) = with_tx!(tx, c => sqlx::query_as(&sql).bind(id).fetch_one(&mut *c).await?);
    Ok(n)
}

/// Cancels `user`'s registration; a freed place goes to the first on the waiting
/// list, who is told. Cancelling twice changes nothing.
pub async fn unregister(
    db: &Db,
    id: ActivityId,
    user: UserId,
    now: DateTime<Utc>,
) -> Result<(), RegError> {
    let mut tx = db.begin().await?;
    let a = lock(&mut tx, id.0, now).await?;
    let current = status_in(&mut tx, id.0, user).await?;
    let Some(was) = current.filter(|s| s != "cancelled") else {
        return Ok(());
    };
    if now >= a.starts_at {
        return Err(RegError::Refused(Refusal::Closed));
    }
    with_tx!(&mut tx, c => sqlx::query(
        "UPDATE activity_registrations SET status = 'cancelled', updated_at = $3 WHERE activity_id = $1 AND user_id = $2",
    ).bind(id.0).bind(user.0).bind(now).execute(&mut *c).await?.rows_affected());
    count(&mut tx, id.0, &was, -1).await?;
    if a.cancelled_at.is_none() {
        promote(&mut tx, id.0, None, now).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Gives free places to the waiting list in order (members and guests in one
/// line), telling each person promoted: a member by a notification, a guest by
/// mail.
pub(super) async fn promote(
    tx: &mut Tx,
    id: i64,
    actor: Option<UserId>,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    loop {
        let row: Option<(Option<i64>, i64)> = with_tx!(tx, c => sqlx::query_as(
            "SELECT capacity, registered FROM activities WHERE id = $1",
        ).bind(id).fetch_optional(&mut *c).await?);
        let Some((capacity, registered)) = row else {
            return Ok(());
        };
        if capacity.is_some_and(|c| registered >= c) {
            return Ok(());
        }
        let next: Option<(i64, bool)> = with_tx!(tx, c => sqlx::query_as(
            "SELECT who, guest FROM (
                 SELECT user_id AS who, FALSE AS guest, seq FROM activity_registrations WHERE activity_id = $1 AND status = 'waitlisted'
                 UNION ALL SELECT id, TRUE, seq FROM activity_guests WHERE activity_id = $1 AND status = 'waitlisted') l
             ORDER BY seq LIMIT 1",
        ).bind(id).fetch_optional(&mut *c).await?);
        let Some((who, guest)) = next else {
            return Ok(());
        };
        with_tx!(tx, c => sqlx::query(
            "UPDATE activities SET registered = registered + 1, waitlisted = waitlisted - 1 WHERE id = $1",
        ).bind(id).execute(&mut *c).await?.rows_affected());
        if guest {
            super::guests::promoted(tx, who, now).await?;
            continue;
        }
        with_tx!(tx, c => sqlx::query(
            "UPDATE activity_registrations SET status = 'registered', updated_at = $3 WHERE activity_id = $1 AND user_id = $2",
        ).bind(id).bind(who).bind(now).execute(&mut *c).await?.rows_affected());
        notify(
            tx,
            To::User(UserId(who)),
            &event(NotificationKind::ActivityPromoted, id, actor, None, now),
        )
        .await?;
    }
}

/// One line of an activity's list, a member's or a guest's.
#[derive(sqlx::FromRow)]
struct AttendeeRow {
    user_id: Option<i64>,
    guest_id: Option<i64>,
    name: String,
    org_name: String,
    email: Option<String>,
    phone: Option<String>,
    status: String,
    attended_at: Option<DateTime<Utc>>,
    by_hand: bool,
    queued_at: DateTime<Utc>,
    category: Option<String>,
    answers: String,
}

/// The people on an activity's list, members and guests (confirmed ones; a
/// guest's details are blank once kept no longer), places first, then the
/// waiting list in order.
pub async fn attendees(db: &Db, id: ActivityId) -> Result<Vec<Attendee>, DbError> {
    let rows: Vec<AttendeeRow> = with_db!(db, p => sqlx::query_as(
        "SELECT * FROM (
             SELECT r.user_id, NULL AS guest_id, u.name, o.name AS org_name, NULL AS email, NULL AS phone, r.status,
                    r.attended_at, r.by_hand, r.queued_at, r.category, r.answers, r.seq
             FROM activity_registrations r JOIN users u ON u.id = r.user_id JOIN organisations o ON o.id = u.org_id
             WHERE r.activity_id = $1
             UNION ALL
             SELECT NULL, g.id, g.name, g.org_name, g.email, g.phone, g.status, g.attended_at, g.by_hand, g.queued_at,
                    g.category, g.answers, g.seq
             FROM activity_guests g WHERE g.activity_id = $1 AND g.status <> 'pending') l
         ORDER BY CASE status WHEN 'registered' THEN 0 WHEN 'waitlisted' THEN 1 ELSE 2 END, seq",
    ).bind(id.0).fetch_all(p).await?);
    let mut position = 0;
    Ok(rows
        .into_iter()
        .map(|r| {
            let status =
                RegistrationStatus::from_code(&r.status).unwrap_or(RegistrationStatus::Cancelled);
            let pos = (status == RegistrationStatus::Waitlisted).then(|| {
                position += 1;
                position
            });
            Attendee {
                user_id: r.user_id.map(UserId),
                guest_id: r.guest_id,
                email: r.email,
                phone: r.phone,
                name: r.name,
                org_name: r.org_name,
                status,
                position: pos,
                attended_at: r.attended_at,
                by_hand: r.by_hand,
                registered_at: r.queued_at,
                category: r.category,
                answers: answers_of(&r.answers),
            }
        })
        .collect())
}

/// Sets the check-in code, valid until `expires`.
pub async fn set_code(
    db: &Db,
    id: ActivityId,
    code: &str,
    expires: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    with_db!(db, p => sqlx::query("UPDATE activities SET code = $2, code_expires = $3, updated_at = $4 WHERE id = $1")
        .bind(id.0).bind(code).bind(expires).bind(now).execute(p).await?.rows_affected());
    Ok(())
}

/// Whether `code` is the activity's check-in code and valid at `now` (for
/// members and guests alike): `CheckinClosed` or `WrongCode` if not.
pub(super) async fn code_holds(
    db: &Db,
    id: ActivityId,
    code: &str,
    now: DateTime<Utc>,
) -> Result<(), RegError> {
    let a = find(db, id).await.map_err(RegError::Db)?;
    if a.cancelled_at.is_some() || !a.checkin_open(now) {
        return Err(RegError::Refused(Refusal::CheckinClosed));
    }
    if a.code.as_deref() != Some(code.trim()) {
        return Err(RegError::Refused(Refusal::WrongCode));
    }
    Ok(())
}

/// Records attendance of a registered person with the code; checking in twice
/// changes nothing. A wrong or expired code records nothing.
pub async fn check_in(
    db: &Db,
    id: ActivityId,
    user: UserId,
    code: &str,
    now: DateTime<Utc>,
) -> Result<(), RegError> {
    code_holds(db, id, code, now).await?;
    let mut tx = db.begin().await?;
    lock(&mut tx, id.0, now).await?;
    match status_in(&mut tx, id.0, user).await?.as_deref() {
        Some("registered") => {}
        _ => return Err(RegError::Refused(Refusal::NotRegistered)),
    }
    attend(&mut tx, id.0, user, false, now).await?;
    tx.commit().await?;
    Ok(())
}

async fn attend(
    tx: &mut Tx,
    id: i64,
    user: UserId,
    by_hand: bool,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let n = with_tx!(tx, c => sqlx::query(
        "UPDATE activity_registrations SET attended_at = $3, by_hand = $4, updated_at = $3
         WHERE activity_id = $1 AND user_id = $2 AND attended_at IS NULL",
    ).bind(id).bind(user.0).bind(now).bind(by_hand).execute(&mut *c).await?.rows_affected());
    if n == 1 {
        count(tx, id, "attended", 1).await?;
    }
    Ok(())
}

/// A manager marks someone on the list present (they take a place if they were
/// waiting or had cancelled: they came) or absent.
pub async fn mark(
    db: &Db,
    id: ActivityId,
    user: UserId,
    present: bool,
    now: DateTime<Utc>,
) -> Result<(), RegError> {
    let mut tx = db.begin().await?;
    lock(&mut tx, id.0, now).await?;
    let Some(status) = status_in(&mut tx, id.0, user).await? else {
        return Err(RegError::Refused(Refusal::NotRegistered));
    };
    if present {
        if status != "registered" {
            with_tx!(&mut tx, c => sqlx::query(
                "UPDATE activity_registrations SET status = 'registered' WHERE activity_id = $1 AND user_id = $2",
            ).bind(id.0).bind(user.0).execute(&mut *c).await?.rows_affected());
            if status == "waitlisted" {
                count(&mut tx, id.0, "waitlisted", -1).await?;
            }
            count(&mut tx, id.0, "registered", 1).await?;
        }
        attend(&mut tx, id.0, user, true, now).await?;
    } else {
        let n = with_tx!(&mut tx, c => sqlx::query(
            "UPDATE activity_registrations SET attended_at = NULL, by_hand = TRUE, updated_at = $3
             WHERE activity_id = $1 AND user_id = $2 AND attended_at IS NOT NULL",
        ).bind(id.0).bind(user.0).bind(now).execute(&mut *c).await?.rows_affected());
        if n == 1 {
            count(&mut tx, id.0, "attended", -1).await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

/// Writes the minutes; registered people are told the first time.
pub async fn set_minutes(
    db: &Db,
    id: ActivityId,
    minutes: &str,
    by: UserId,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let mut tx = db.begin().await?;
    let first: Option<(Option<DateTime<Utc>>,)> = with_tx!(&mut tx, c => sqlx::query_as(
        "SELECT minutes_at FROM activities WHERE id = $1",
    ).bind(id.0).fetch_optional(&mut *c).await?);
    with_tx!(&mut tx, c => sqlx::query("UPDATE activities SET minutes = $2, minutes_at = $3, updated_at = $3 WHERE id = $1")
        .bind(id.0).bind(minutes.trim()).bind(now).execute(&mut *c).await?.rows_affected());
    if matches!(first, Some((None,))) {
        notify(
            &mut tx,
            To::ActivityPeople(id),
            &event(NotificationKind::ActivityMinutes, id.0, Some(by), None, now),
        )
        .await?;
    }
    tx.commit().await
}

/// A stored photo.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PhotoRow {
    pub id: i64,
    pub name: String,
    pub content_type: String,
    pub storage_key: String,
}

/// The photos of an activity.
pub async fn photos(db: &Db, id: ActivityId) -> Result<Vec<PhotoRow>, DbError> {
    Ok(with_db!(db, p => sqlx::query_as(
        "SELECT id, name, content_type, storage_key FROM activity_photos WHERE activity_id = $1 ORDER BY id",
    ).bind(id.0).fetch_all(p).await?))
}

/// Adds a photo (already stored under `key`).
pub async fn add_photo(
    db: &Db,
    id: ActivityId,
    name: &str,
    content_type: &str,
    size: i64,
    key: &str,
    now: DateTime<Utc>,
) -> Result<i64, DbError> {
    let (pid,): (i64,) = with_db!(db, p => sqlx::query_as(
        "INSERT INTO activity_photos (activity_id, name, content_type, size, storage_key, created_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    ).bind(id.0).bind(name).bind(content_type).bind(size).bind(key).bind(now).fetch_one(p).await?);
    Ok(pid)
}

/// Sends tomorrow's reminders once per activity, in one transaction with the
/// mark, so two instances never both remind.
pub async fn send_reminders(db: &Db, now: DateTime<Utc>) -> Result<usize, DbError> {
    let mut tx = db.begin().await?;
    let due: Vec<(i64,)> = with_tx!(&mut tx, c => sqlx::query_as(
        "UPDATE activities SET reminded_at = $1 WHERE reminded_at IS NULL AND cancelled_at IS NULL
           AND starts_at > $1 AND starts_at <= $2 RETURNING id",
    ).bind(now).bind(now + chrono::Duration::hours(24)).fetch_all(&mut *c).await?);
    for (id,) in &due {
        // At an export consultation each person's reminder carries their meetings.
        let mut agendas = super::matchmaking::agendas(&mut tx, ActivityId(*id)).await?;
        if agendas.is_empty() {
            notify(
                &mut tx,
                To::ActivityPeople(ActivityId(*id)),
                &event(NotificationKind::ActivityReminder, *id, None, None, now),
            )
            .await?;
        } else {
            let people: Vec<(i64,)> = with_tx!(&mut tx, c => sqlx::query_as(
                "SELECT user_id FROM activity_registrations WHERE activity_id = $1 AND status IN ('registered', 'waitlisted')",
            ).bind(*id).fetch_all(&mut *c).await?);
            for (user,) in people {
                let note = agendas.remove(&super::matchmaking::Who::User(UserId(user)));
                let e = event(NotificationKind::ActivityReminder, *id, None, note, now);
                notify(&mut tx, To::User(UserId(user)), &e).await?;
            }
        }
        super::guests::mail_all(
            &mut tx,
            *id,
            super::guests::GuestMail::Reminder,
            &["registered", "waitlisted"],
            now,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(due.len())
}

/// Sets a member's calendar token (stored hashed), replacing any earlier one.
pub async fn set_feed_token(
    db: &Db,
    user: UserId,
    hash: &str,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    with_db!(db, p => sqlx::query(
        "INSERT INTO calendar_feeds (user_id, token_hash, created_at) VALUES ($1, $2, $3)
         ON CONFLICT (user_id) DO UPDATE SET token_hash = excluded.token_hash, created_at = excluded.created_at",
    ).bind(user.0).bind(hash).bind(now).execute(p).await?.rows_affected());
    Ok(())
}

/// Whose calendar a token opens (nobody's while the account is suspended).
pub async fn feed_owner(db: &Db, hash: &str) -> Result<Option<UserId>, DbError> {
    let row: Option<(i64,)> = with_db!(db, p => sqlx::query_as("SELECT f.user_id FROM calendar_feeds f JOIN users u ON u.id = f.user_id WHERE f.token_hash = $1 AND u.suspended_at IS NULL")
        .bind(hash).fetch_optional(p).await?);
    Ok(row.map(|(u,)| UserId(u)))
}

/// Consortia a CM manages (all, for an admin), for the schedule form.
pub async fn manageable(db: &Db, user: UserId, admin: bool) -> Result<Vec<ConsortiumTag>, DbError> {
    let rows: Vec<(i64, String)> = with_db!(db, p => sqlx::query_as(
        "SELECT c.id, c.name FROM consortia c WHERE c.status = 'active'
           AND ($2 OR EXISTS (SELECT 1 FROM consortium_managers m WHERE m.consortium_id = c.id AND m.user_id = $1))
         ORDER BY c.name LIMIT 500",
    ).bind(user.0).bind(admin).fetch_all(p).await?);
    Ok(rows
        .into_iter()
        .map(|(id, name)| ConsortiumTag {
            id: ConsortiumId(id),
            name,
        })
        .collect())
}

/// Activity, person, place in line, registered at, attended at.
type BenchRegistration = (i64, i64, i64, DateTime<Utc>, Option<DateTime<Utc>>);

/// Loads the cockpit benchmark's activities and registrations in batches: each
/// activity is for one consortium (one in ten for two), starts within the last two
/// years, and its people are consecutive benchmark members (never twice); about
/// three in four attended. The counters are written with the rows.
pub async fn seed_bench(
    db: &Db,
    users: &[i64],
    consortia: &[i64],
    activities: usize,
    registrations: usize,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    use sqlx::QueryBuilder;
    let mut next = super::xorshift(0x9E37_79B9_7F4A_7C15);
    let creator = users.first().copied().unwrap_or(1);
    let n_users = users.len().max(1);
    let per = registrations.div_ceil(activities.max(1)).max(1);
    let mut left = registrations;
    const BATCH: usize = 2000;
    let kinds = ActivityKind::ALL;
    let mut start = 0;
    while start < activities {
        let end = (start + BATCH).min(activities);
        let mut rows = Vec::with_capacity(end - start);
        for i in start..end {
            let r = next();
            let starts =
                now - chrono::Duration::minutes(i64::try_from(r % (730 * 24 * 60)).unwrap_or(0));
            let regs = (per / 2 + usize::try_from((r >> 20) % (per as u64 + 1)).unwrap_or(0))
                .min(left)
                .min(n_users);
            left -= regs;
            let attended = regs * 3 / 4;
            rows.push((
                i,
                starts,
                regs,
                attended,
                kinds[(r >> 40) as usize % kinds.len()],
                (r >> 44) as usize % n_users,
            ));
        }
        let mut tx = db.begin().await?;
        let mut ids = Vec::with_capacity(rows.len());
        for chunk in rows.chunks(500) {
            let got: Vec<(i64,)> = with_tx!(&mut tx, c => {
                let mut b = QueryBuilder::new("INSERT INTO activities (kind, title, description, starts_at, ends_at, place, capacity, deadline, waitlist, registered, attended, created_by, created_at, updated_at, is_sample) ");
                b.push_values(chunk, |mut q, (i, starts, regs, attended, kind, _)| {
                    q.push_bind(kind.code()).push_bind(format!("벤치마크 활동 {i}")).push_bind("").push_bind(*starts)
                        .push_bind(*starts + chrono::Duration::hours(2)).push_bind("창원").push_bind(i64::try_from(*regs).unwrap_or(0) + 5)
                        .push_bind(*starts).push_bind(true).push_bind(i64::try_from(*regs).unwrap_or(0)).push_bind(i64::try_from(*attended).unwrap_or(0))
                        .push_bind(creator).push_bind(*starts - chrono::Duration::days(14)).push_bind(*starts).push_bind(true);
                });
                b.push(" RETURNING id");
                b.build_query_as().fetch_all(&mut *c).await?
            });
            ids.extend(got.into_iter().map(|(id,)| id));
        }
        let mut links: Vec<(i64, i64)> = Vec::new();
        let mut regs: Vec<BenchRegistration> = Vec::new();
        for (id, (i, starts, n, attended, _, from)) in ids.iter().zip(&rows) {
            let c = consortia[i % consortia.len().max(1)];
            links.push((*id, c));
            if i % 10 == 0 && consortia.len() > 1 {
                links.push((*id, consortia[(i + 1) % consortia.len()]));
            }
            for k in 0..*n {
                let at = (k < *attended).then(|| *starts + chrono::Duration::minutes(5));
                regs.push((
                    *id,
                    users[(from + k) % n_users],
                    i64::try_from(k + 1).unwrap_or(0),
                    *starts - chrono::Duration::days(3),
                    at,
                ));
            }
        }
        with_tx!(&mut tx, c => {
            for chunk in links.chunks(1000) {
                let mut b = QueryBuilder::new("INSERT INTO activity_consortia (activity_id, consortium_id) ");
                b.push_values(chunk, |mut q, (a, c)| {
                    q.push_bind(*a).push_bind(*c);
                });
                b.build().execute(&mut *c).await?;
            }
            for chunk in regs.chunks(1000) {
                let mut b = QueryBuilder::new("INSERT INTO activity_registrations (activity_id, user_id, status, queued_at, seq, attended_at, updated_at) ");
                b.push_values(chunk, |mut q, (a, u, seq, at, attended)| {
                    q.push_bind(*a).push_bind(*u).push_bind("registered").push_bind(*at).push_bind(*seq).push_bind(*attended).push_bind(*at);
                });
                b.build().execute(&mut *c).await?;
            }
        });
        tx.commit().await?;
        start = end;
    }
    Ok(())
}
