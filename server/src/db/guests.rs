//! Guests without an account at activities open to anyone. A guest's
//! registration is `pending` (it holds nothing) until they open the link mailed
//! to them; then it takes a place or waits, in the one line with the members
//! (same `seq`, same capacity and category caps, under the same lock of the
//! activity's row). Every mail carries a fresh link (stored as its hash); a link
//! confirms only while young ([`GUEST_LINK_HOURS`]) but shows, cancels and
//! checks in until the guest's details are blanked, some days after the event.

use super::{
    Db, Tx,
    activities::{
        Refusal, RegError, category_for, checked_answers, count, lock, next_seq, promote,
    },
    with_db, with_tx,
};
use crate::error::DbError;
use chrono::{DateTime, Duration, Utc};
use moim_core::activity::{GUEST_KEEP_DAYS, GUEST_LINK_HOURS, GuestRegistration, GuestStatus};

/// What a mail to a guest is about (`mail_outbox.purpose`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GuestMail {
    /// The link to confirm (or, when confirmed already, to see the registration).
    Confirm,
    /// A place came free for them.
    Promoted,
    /// The activity is tomorrow.
    Reminder,
    /// The activity is cancelled.
    Cancelled,
    /// Another participant asks them for a one-to-one meeting.
    MeetingRequested,
    /// The one they asked for a meeting accepted.
    MeetingAccepted,
    /// The one they asked for a meeting declined.
    MeetingDeclined,
    /// What came of their meetings (asked once a follow-up round opens, then reminded).
    FollowUp,
}

impl GuestMail {
    pub fn code(self) -> &'static str {
        match self {
            GuestMail::Confirm => "guest_confirm",
            GuestMail::Promoted => "guest_promoted",
            GuestMail::Reminder => "guest_reminder",
            GuestMail::Cancelled => "guest_cancelled",
            GuestMail::MeetingRequested => "guest_meeting_requested",
            GuestMail::MeetingAccepted => "guest_meeting_accepted",
            GuestMail::MeetingDeclined => "guest_meeting_declined",
            GuestMail::FollowUp => "guest_follow_up",
        }
    }

    pub fn from_code(code: &str) -> Option<GuestMail> {
        [
            GuestMail::Confirm,
            GuestMail::Promoted,
            GuestMail::Reminder,
            GuestMail::Cancelled,
            GuestMail::MeetingRequested,
            GuestMail::MeetingAccepted,
            GuestMail::MeetingDeclined,
            GuestMail::FollowUp,
        ]
        .into_iter()
        .find(|m| m.code() == code)
    }
}

/// A guest as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct GuestRow {
    pub id: i64,
    pub activity_id: i64,
    pub name: String,
    pub org_name: String,
    pub email: Option<String>,
    pub category: Option<String>,
    pub status: String,
    pub seq: i64,
    pub attended_at: Option<DateTime<Utc>>,
    /// The answers to the registration questions, JSON.
    pub answers: String,
}

impl GuestRow {
    pub fn status(&self) -> GuestStatus {
        GuestStatus::from_code(&self.status).unwrap_or(GuestStatus::Cancelled)
    }

    /// The answers to the registration questions.
    pub fn answers(&self) -> moim_core::questionnaire::Answers {
        super::activities::answers_of(&self.answers)
    }
}

const COLUMNS: &str = "g.id, g.activity_id, g.name, g.org_name, g.email, g.category, g.status, g.seq, g.attended_at, g.answers";

/// Queues a mail to a guest (its address is read when it is sent, so a guest
/// whose details were blanked meanwhile gets nothing).
async fn queue(
    tx: &mut Tx,
    guest: i64,
    mail: GuestMail,
    now: DateTime<Utc>,
    expires_at: Option<DateTime<Utc>>,
) -> Result<(), DbError> {
    queue_about(tx, guest, mail, now, expires_at, None).await
}

async fn queue_about(
    tx: &mut Tx,
    guest: i64,
    mail: GuestMail,
    now: DateTime<Utc>,
    expires_at: Option<DateTime<Utc>>,
    request: Option<i64>,
) -> Result<(), DbError> {
    with_tx!(tx, c => sqlx::query(
        "INSERT INTO mail_outbox (guest_id, digest, status, attempts, due_at, created_at, purpose, expires_at, request_id)
         VALUES ($1, FALSE, 'pending', 0, $2, $2, $3, $4, $5)",
    ).bind(guest).bind(now).bind(mail.code()).bind(expires_at).bind(request).execute(&mut *c).await?.rows_affected());
    Ok(())
}

/// Asks a guest what came of their meetings (or reminds them).
pub(super) async fn follow_up_mail(
    tx: &mut Tx,
    guest: i64,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    queue(tx, guest, GuestMail::FollowUp, now, None).await
}

/// Mails a guest taking part in an event's one-to-one meetings what another
/// participant did about meeting `request` (a guest has no notifications).
pub(super) async fn meeting_mail(
    tx: &mut Tx,
    guest: i64,
    kind: moim_core::notification::NotificationKind,
    request: i64,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    use moim_core::notification::NotificationKind as K;
    let mail = match kind {
        K::MeetingRequested => GuestMail::MeetingRequested,
        K::MeetingAccepted => GuestMail::MeetingAccepted,
        K::MeetingDeclined => GuestMail::MeetingDeclined,
        _ => return Ok(()),
    };
    queue_about(tx, guest, mail, now, None, Some(request)).await
}

/// Mails every guest of an activity in one of `statuses`.
pub(super) async fn mail_all(
    tx: &mut Tx,
    activity: i64,
    mail: GuestMail,
    statuses: &[&str],
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let list = statuses
        .iter()
        .map(|s| format!("'{s}'"))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "SELECT id FROM activity_guests WHERE activity_id = $1 AND purged_at IS NULL AND status IN ({list})"
    );
    let ids: Vec<(i64,)> =
        with_tx!(tx, c => sqlx::query_as(&sql).bind(activity).fetch_all(&mut *c).await?);
    for (id,) in ids {
        queue(tx, id, mail, now, None).await?;
    }
    Ok(())
}

/// A guest on the waiting list takes a place (the caller counted it) and is told.
pub(super) async fn promoted(tx: &mut Tx, guest: i64, now: DateTime<Utc>) -> Result<(), DbError> {
    with_tx!(tx, c => sqlx::query(
        "UPDATE activity_guests SET status = 'registered', updated_at = $2 WHERE id = $1",
    ).bind(guest).bind(now).execute(&mut *c).await?.rows_affected());
    queue(tx, guest, GuestMail::Promoted, now, None).await
}

/// When a guest's details go: [`GUEST_KEEP_DAYS`] after the activity ends
/// (as it stands then: a moved activity moves the day).
pub fn keep_until(ends_at: DateTime<Utc>) -> DateTime<Utc> {
    ends_at + Duration::days(GUEST_KEEP_DAYS)
}

/// Registers a guest (pending) and queues the mail with the link. The same
/// address again for the same activity updates a pending or cancelled
/// registration, and mails a fresh link either way (a confirmed one keeps its
/// details). A full activity without a waiting list and a full category are
/// refused now as a courtesy; both bind when the link is opened.
pub async fn register(
    db: &Db,
    activity: i64,
    g: &GuestRegistration,
    email: &str,
    now: DateTime<Utc>,
) -> Result<(), RegError> {
    let mut tx = db.begin().await?;
    let a = lock(&mut tx, activity, now).await?;
    if !a.guests {
        return Err(RegError::Refused(Refusal::NoGuests));
    }
    if a.closed(now) {
        return Err(RegError::Refused(Refusal::Closed));
    }
    // Checked for every address alike, so the answer never tells whether an
    // address holds a place: a full activity without a waiting list, a full
    // category (both bind again when the link is opened).
    a.next_status()?;
    let answers = checked_answers(&a, &g.answers)?;
    let category = category_for(&mut tx, activity, &a.categories, g.category.as_deref()).await?;
    let existing: Option<(i64, String)> = with_tx!(&mut tx, c => sqlx::query_as(
        "SELECT id, status FROM activity_guests WHERE activity_id = $1 AND email = $2",
    ).bind(activity).bind(email).fetch_optional(&mut *c).await?);
    let id = match existing {
        // Confirmed already: a fresh link to it, its details as they are.
        Some((id, status)) if status == "registered" || status == "waitlisted" => id,
        other => {
            write(
                &mut tx,
                activity,
                other.map(|(id, _)| id),
                g,
                email,
                (category, answers),
                now,
            )
            .await?
        }
    };
    queue(
        &mut tx,
        id,
        GuestMail::Confirm,
        now,
        Some(now + Duration::hours(GUEST_LINK_HOURS)),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Writes a pending registration: over `existing` (pending or cancelled), or new.
async fn write(
    tx: &mut Tx,
    activity: i64,
    existing: Option<i64>,
    g: &GuestRegistration,
    email: &str,
    (category, answers): (Option<String>, String),
    now: DateTime<Utc>,
) -> Result<i64, DbError> {
    let phone = g.phone.as_deref().map(str::trim).filter(|p| !p.is_empty());
    Ok(match existing {
        Some(id) => {
            with_tx!(tx, c => sqlx::query(
                "UPDATE activity_guests SET name = $2, org_name = $3, phone = $4, category = $5, status = 'pending',
                        attended_at = NULL, by_hand = FALSE, updated_at = $6, answers = $7 WHERE id = $1",
            ).bind(id).bind(g.name.trim()).bind(g.org_name.trim()).bind(phone).bind(&category).bind(now).bind(&answers)
             .execute(&mut *c).await?.rows_affected());
            id
        }
        None => {
            let (id,): (i64,) = with_tx!(tx, c => sqlx::query_as(
                "INSERT INTO activity_guests (activity_id, name, org_name, email, phone, category, status, queued_at, seq,
                                              created_at, updated_at, answers)
                 VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7, 0, $7, $7, $8) RETURNING id",
            ).bind(activity).bind(g.name.trim()).bind(g.org_name.trim()).bind(email).bind(phone).bind(&category)
             .bind(now).bind(&answers).fetch_one(&mut *c).await?);
            id
        }
    })
}

/// The guest registered for `activity` with `email`, if any (the sample
/// portal's guests).
pub async fn id_of(db: &Db, activity: i64, email: &str) -> Result<Option<i64>, DbError> {
    let row: Option<(i64,)> = with_db!(db, p => sqlx::query_as(
        "SELECT id FROM activity_guests WHERE activity_id = $1 AND email = $2",
    ).bind(activity).bind(email).fetch_optional(p).await?);
    Ok(row.map(|(id,)| id))
}

/// The guest a link opens, and when the link was made (none once the guest's
/// details are blanked).
pub async fn by_link(db: &Db, hash: &str) -> Result<Option<(GuestRow, DateTime<Utc>)>, DbError> {
    #[derive(sqlx::FromRow)]
    struct Found {
        #[sqlx(flatten)]
        guest: GuestRow,
        link_at: DateTime<Utc>,
    }
    let sql = format!(
        "SELECT {COLUMNS}, l.created_at AS link_at FROM guest_links l JOIN activity_guests g ON g.id = l.guest_id
         WHERE l.token_hash = $1 AND g.purged_at IS NULL"
    );
    let row: Option<Found> =
        with_db!(db, p => sqlx::query_as(&sql).bind(hash).fetch_optional(p).await?);
    Ok(row.map(|f| (f.guest, f.link_at)))
}

/// One guest.
pub async fn find(db: &Db, id: i64) -> Result<GuestRow, DbError> {
    let sql = format!("SELECT {COLUMNS} FROM activity_guests g WHERE g.id = $1");
    let row: Option<GuestRow> =
        with_db!(db, p => sqlx::query_as(&sql).bind(id).fetch_optional(p).await?);
    row.ok_or(DbError::NotFound)
}

/// Stores a new link for a guest (by its hash), for the mail being sent.
pub async fn add_link(db: &Db, guest: i64, hash: &str, now: DateTime<Utc>) -> Result<(), DbError> {
    with_db!(db, p => sqlx::query(
        "INSERT INTO guest_links (token_hash, guest_id, created_at) VALUES ($1, $2, $3)",
    ).bind(hash).bind(guest).bind(now).execute(p).await?.rows_affected());
    Ok(())
}

/// The guest's place on the waiting list (1 = next), counting members too.
pub async fn position(db: &Db, g: &GuestRow) -> Result<Option<i64>, DbError> {
    if g.status() != GuestStatus::Waitlisted {
        return Ok(None);
    }
    let (n,): (i64,) = with_db!(db, p => sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM activity_registrations WHERE activity_id = $1 AND status = 'waitlisted' AND seq <= $2)
              + (SELECT COUNT(*) FROM activity_guests WHERE activity_id = $1 AND status = 'waitlisted' AND seq <= $2)",
    ).bind(g.activity_id).bind(g.seq).fetch_one(p).await?);
    Ok(Some(n))
}

/// The guest's status, category and check-in, read while the activity's row
/// is held.
async fn held(
    tx: &mut Tx,
    guest: i64,
) -> Result<(String, Option<String>, Option<DateTime<Utc>>), DbError> {
    let row: Option<(String, Option<String>, Option<DateTime<Utc>>)> = with_tx!(tx, c => sqlx::query_as(
        "SELECT status, category, attended_at FROM activity_guests WHERE id = $1 AND purged_at IS NULL",
    ).bind(guest).fetch_optional(&mut *c).await?);
    row.ok_or(DbError::NotFound)
}

/// The guest's status, read while the activity's row is held.
async fn status_in(tx: &mut Tx, guest: i64) -> Result<String, DbError> {
    Ok(held(tx, guest).await?.0)
}

/// Confirms a pending guest with a link made at `link_at`: a place while there
/// is one (the category's cap checked now), else the waiting list. Confirming
/// again changes nothing.
pub async fn confirm(
    db: &Db,
    g: &GuestRow,
    link_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), RegError> {
    let mut tx = db.begin().await?;
    let a = lock(&mut tx, g.activity_id, now).await?;
    let (status, chosen, _) = held(&mut tx, g.id).await?;
    if status != "pending" {
        return Ok(());
    }
    if now > link_at + Duration::hours(GUEST_LINK_HOURS) {
        return Err(RegError::Refused(Refusal::LinkExpired));
    }
    if !a.guests {
        return Err(RegError::Refused(Refusal::NoGuests));
    }
    if a.closed(now) {
        return Err(RegError::Refused(Refusal::Closed));
    }
    let category = category_for(&mut tx, g.activity_id, &a.categories, chosen.as_deref()).await?;
    let status = a.next_status()?;
    let seq = next_seq(&mut tx, g.activity_id).await?;
    with_tx!(&mut tx, c => sqlx::query(
        "UPDATE activity_guests SET status = $2, seq = $3, queued_at = $4, updated_at = $4, category = $5 WHERE id = $1",
    ).bind(g.id).bind(status.code()).bind(seq).bind(now).bind(category).execute(&mut *c).await?.rows_affected());
    count(&mut tx, g.activity_id, status.code(), 1).await?;
    tx.commit().await?;
    Ok(())
}

/// A guest cancels (before the start); a freed place goes to the next in line.
/// Cancelling twice changes nothing.
pub async fn cancel(db: &Db, g: &GuestRow, now: DateTime<Utc>) -> Result<(), RegError> {
    let mut tx = db.begin().await?;
    let a = lock(&mut tx, g.activity_id, now).await?;
    let (was, _, attended) = held(&mut tx, g.id).await?;
    if was == "cancelled" {
        return Ok(());
    }
    // Checked in (it opens before the start): they came.
    if now >= a.starts_at || attended.is_some() {
        return Err(RegError::Refused(Refusal::Closed));
    }
    with_tx!(&mut tx, c => sqlx::query(
        "UPDATE activity_guests SET status = 'cancelled', updated_at = $2 WHERE id = $1",
    ).bind(g.id).bind(now).execute(&mut *c).await?.rows_affected());
    if was != "pending" {
        count(&mut tx, g.activity_id, &was, -1).await?;
        if a.cancelled_at.is_none() {
            promote(&mut tx, g.activity_id, None, now).await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

/// Records a guest's attendance with the code (a guest with a place only);
/// checking in twice changes nothing.
pub async fn check_in(
    db: &Db,
    g: &GuestRow,
    code: &str,
    now: DateTime<Utc>,
) -> Result<(), RegError> {
    super::activities::code_holds(db, moim_core::ActivityId(g.activity_id), code, now).await?;
    let mut tx = db.begin().await?;
    lock(&mut tx, g.activity_id, now).await?;
    if status_in(&mut tx, g.id).await? != "registered" {
        return Err(RegError::Refused(Refusal::NotRegistered));
    }
    let n = with_tx!(&mut tx, c => sqlx::query(
        "UPDATE activity_guests SET attended_at = $2, by_hand = FALSE, updated_at = $2 WHERE id = $1 AND attended_at IS NULL",
    ).bind(g.id).bind(now).execute(&mut *c).await?.rows_affected());
    if n == 1 {
        count(&mut tx, g.activity_id, "attended", 1).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// A manager marks a confirmed guest present (taking a place if they were
/// waiting or had cancelled: they came) or absent.
pub async fn mark(
    db: &Db,
    activity: i64,
    guest: i64,
    present: bool,
    now: DateTime<Utc>,
) -> Result<(), RegError> {
    let mut tx = db.begin().await?;
    lock(&mut tx, activity, now).await?;
    let row: Option<(String, Option<DateTime<Utc>>)> = with_tx!(&mut tx, c => sqlx::query_as(
        "SELECT status, attended_at FROM activity_guests WHERE id = $1 AND activity_id = $2",
    ).bind(guest).bind(activity).fetch_optional(&mut *c).await?);
    let Some((status, attended)) = row.filter(|(s, _)| s != "pending") else {
        return Err(RegError::Refused(Refusal::NotRegistered));
    };
    if present {
        if status != "registered" {
            with_tx!(&mut tx, c => sqlx::query(
                "UPDATE activity_guests SET status = 'registered' WHERE id = $1",
            ).bind(guest).execute(&mut *c).await?.rows_affected());
            if status == "waitlisted" {
                count(&mut tx, activity, "waitlisted", -1).await?;
            }
            count(&mut tx, activity, "registered", 1).await?;
        }
        if attended.is_none() {
            with_tx!(&mut tx, c => sqlx::query(
                "UPDATE activity_guests SET attended_at = $2, by_hand = TRUE, updated_at = $2 WHERE id = $1",
            ).bind(guest).bind(now).execute(&mut *c).await?.rows_affected());
            count(&mut tx, activity, "attended", 1).await?;
        }
    } else if attended.is_some() {
        with_tx!(&mut tx, c => sqlx::query(
            "UPDATE activity_guests SET attended_at = NULL, by_hand = TRUE, updated_at = $2 WHERE id = $1",
        ).bind(guest).bind(now).execute(&mut *c).await?.rows_affected());
        count(&mut tx, activity, "attended", -1).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Forgets guests as promised: registrations never confirmed go a week after
/// they were made; the others' name, organisation, address and phone are
/// blanked (and their links die) [`GUEST_KEEP_DAYS`] after their activity
/// ended; the status, category and attendance stay for the counts. Returns how
/// many were touched.
pub async fn purge(db: &Db, now: DateTime<Utc>) -> Result<u64, DbError> {
    const DUE: &str = "SELECT g.id FROM activity_guests g JOIN activities a ON a.id = g.activity_id
                       WHERE g.purged_at IS NULL AND a.ends_at <= $1";
    let ended = now - Duration::days(GUEST_KEEP_DAYS);
    let mut tx = db.begin().await?;
    let gone = with_tx!(&mut tx, c => sqlx::query(
        "DELETE FROM activity_guests WHERE status = 'pending' AND updated_at < $1",
    ).bind(now - Duration::days(7)).execute(&mut *c).await?.rows_affected());
    let sql = format!("DELETE FROM guest_links WHERE guest_id IN ({DUE})");
    with_tx!(&mut tx, c => sqlx::query(&sql).bind(ended).execute(&mut *c).await?.rows_affected());
    // A failed mail's error may quote the address.
    let sql = format!("UPDATE mail_outbox SET last_error = NULL WHERE guest_id IN ({DUE})");
    with_tx!(&mut tx, c => sqlx::query(&sql).bind(ended).execute(&mut *c).await?.rows_affected());
    // Members were told of a guest's meeting request or answer with the
    // guest's name and organisation in the note (see matchmaking::tell).
    let sql = format!(
        "UPDATE notifications SET note = NULL
         WHERE actor_id IS NULL AND kind IN ('meeting_requested', 'meeting_accepted', 'meeting_declined')
           AND note IN (SELECT g.name || ' (' || g.org_name || ')' FROM activity_guests g
                        WHERE g.id IN ({DUE}))"
    );
    with_tx!(&mut tx, c => sqlx::query(&sql).bind(ended).execute(&mut *c).await?.rows_affected());
    let sql = format!(
        "UPDATE activity_guests SET name = '', org_name = '', email = NULL, phone = NULL, answers = '{{}}', purged_at = $2
         WHERE id IN ({DUE})"
    );
    let blanked = with_tx!(&mut tx, c => sqlx::query(&sql).bind(ended).bind(now)
        .execute(&mut *c).await?.rows_affected());
    tx.commit().await?;
    Ok(gone + blanked)
}
