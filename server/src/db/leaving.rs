//! 회원 탈퇴: closing an account. What only the person had (their profile, sign-ins,
//! subscriptions, notifications, consents) is deleted; what they wrote for
//! others stays, under "탈퇴한 회원", since others' threads and records depend on
//! it; the account's own row keeps its id for those and loses every personal
//! field. Each (table, column) that refers to a person has its fate here
//! ([`FATES`]); a test compares it with the database's foreign keys to `users`,
//! as for the export, so a new table cannot be forgotten when someone leaves.

use super::{
    Tx,
    audit::{self, Subject},
    with_tx,
};
use crate::error::DbError;
use chrono::{DateTime, Utc};
use moim_core::{
    ActivityId, ConflictCode, OrgId, UserId, account::CLOSED_ACCOUNT_NAME, consortium::AuditAction,
};

/// What happens to rows that refer to a person who leaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fate {
    /// Deleted: only the person had any use of them.
    Erase,
    /// Kept, pointing at the emptied account: what others' threads, decisions
    /// and counts depend on, shown under "탈퇴한 회원".
    Keep,
    /// The column is emptied (a role offered to the person).
    Clear,
}

/// Every column that refers to a person, and its fate when they leave. Tables
/// are named here and nowhere else in the SQL below.
pub const FATES: &[(&str, &str, Fate)] = &[
    ("users", "id", Fate::Keep),
    ("expert_profiles", "user_id", Fate::Erase),
    ("expert_terms", "user_id", Fate::Erase),
    // A representative leaves only as the last person (the organisation is
    // closed with them) or after handing the role over: see `close`.
    ("organisations", "representative_id", Fate::Clear),
    ("organisations", "handover_to", Fate::Clear),
    // The firm's figures stay the firm's; who entered them is forgotten.
    ("firm_figures", "updated_by", Fate::Clear),
    ("sessions", "user_id", Fate::Erase),
    ("known_devices", "user_id", Fate::Erase),
    ("account_tokens", "user_id", Fate::Erase),
    ("calendar_feeds", "user_id", Fate::Erase),
    ("recovery_codes", "user_id", Fate::Erase),
    ("totp_factors", "user_id", Fate::Erase),
    ("signin_tickets", "user_id", Fate::Erase),
    ("passkeys", "user_id", Fate::Erase),
    ("passkey_ceremonies", "user_id", Fate::Erase),
    ("consents", "user_id", Fate::Erase),
    ("consortium_managers", "user_id", Fate::Erase),
    ("join_requests", "opened_by", Fate::Keep),
    ("join_requests", "decided_by", Fate::Keep),
    ("notifications", "user_id", Fate::Erase),
    ("notifications", "actor_id", Fate::Keep),
    ("notification_prefs", "user_id", Fate::Erase),
    // Kept as the record of what was sent (the mail sink names files by the
    // row's id, which SQLite would hand out again); mails still queued are
    // dropped and any address in a row is erased (`close`).
    ("mail_outbox", "user_id", Fate::Keep),
    ("audit_log", "subject_user_id", Fate::Keep),
    ("audit_log", "actor_id", Fate::Keep),
    ("problems", "author_id", Fate::Keep),
    ("problem_revisions", "editor_id", Fate::Keep),
    ("problem_attachments", "uploaded_by", Fate::Keep),
    ("problem_invitations", "expert_id", Fate::Keep),
    ("problem_invitations", "invited_by", Fate::Keep),
    // The firm's record of who read its confidential details.
    ("problem_detail_views", "user_id", Fate::Keep),
    ("problem_messages", "author_id", Fate::Keep),
    ("proposals", "expert_id", Fate::Keep),
    ("offers", "expert_id", Fate::Keep),
    ("offers", "decided_by", Fate::Keep),
    ("collaborations", "expert_id", Fate::Keep),
    ("collaboration_steps", "actor_id", Fate::Keep),
    ("problem_events", "actor_id", Fate::Keep),
    ("field_follows", "user_id", Fate::Erase),
    ("ideas", "author_id", Fate::Keep),
    // A vote stays in the idea's count, no longer anyone's.
    ("idea_votes", "user_id", Fate::Keep),
    ("idea_follows", "user_id", Fate::Erase),
    ("idea_comments", "author_id", Fate::Keep),
    ("idea_events", "actor_id", Fate::Keep),
    ("idea_reports", "reporter_id", Fate::Keep),
    ("activities", "created_by", Fate::Keep),
    // Attendance stays in the activity's record; places still to come are
    // given up (`upcoming_registrations`, then `activities::unregister`).
    ("activity_registrations", "user_id", Fate::Keep),
    // A matchmaking profile stays with its meetings (the other side's agenda),
    // under "탈퇴한 회원".
    ("match_participants", "user_id", Fate::Keep),
    // A survey stays its audience's; its author shows as "탈퇴한 회원".
    ("surveys", "author_id", Fate::Keep),
    // A person's answer stays in the survey's results, no longer anyone's;
    // who last saved an organisation's answer is forgotten.
    ("survey_answers", "user_id", Fate::Keep),
    ("survey_answers", "updated_by", Fate::Clear),
    // A call stays; its author shows as no one.
    ("calls", "author_id", Fate::Keep),
    // An application is its organisation's: who wrote it is forgotten.
    ("applications", "created_by", Fate::Clear),
    ("applications", "updated_by", Fate::Clear),
    ("application_partners", "decided_by", Fate::Clear),
    // An evaluator's appointment and reviews stay in the call's evaluation,
    // under "탈퇴한 회원"; who appointed them is forgotten.
    ("call_evaluators", "user_id", Fate::Keep),
    ("call_evaluators", "appointed_by", Fate::Clear),
    ("application_reviews", "evaluator_id", Fate::Keep),
    // A call's announcement and the decisions on its applications stay in its
    // record, under "탈퇴한 회원" (the audit trail has who did what).
    ("calls", "announced_by", Fate::Keep),
    ("application_decisions", "decided_by", Fate::Keep),
    // So do a grant's agreement and payments (the money's record).
    ("grants", "agreed_by", Fate::Keep),
    ("grant_milestones", "paid_by", Fate::Keep),
    // A consortium's fees and donations are its books: who recorded them
    // shows as "탈퇴한 회원" (the audit trail has who did what).
    ("fee_schedules", "updated_by", Fate::Keep),
    ("fee_invoices", "issued_by", Fate::Keep),
    ("fee_invoices", "settled_by", Fate::Keep),
    ("donations", "recorded_by", Fate::Keep),
];

/// Why an account cannot be closed yet.
#[derive(Debug)]
pub enum Refusal {
    /// Refused: the person must first do what the code says.
    Conflict(ConflictCode),
    Db(DbError),
}

impl From<DbError> for Refusal {
    fn from(e: DbError) -> Self {
        Refusal::Db(e)
    }
}

impl From<sqlx::Error> for Refusal {
    fn from(e: sqlx::Error) -> Self {
        Refusal::Db(e.into())
    }
}

/// What closing did beyond the account itself.
#[derive(Debug, Default)]
pub struct Closed {
    /// The organisation closed with its last person.
    pub organisation: Option<OrgId>,
    /// Activities still to come the person was registered (or waiting) for.
    pub upcoming: Vec<ActivityId>,
}

/// Closes `user`'s account in `tx` (which the caller commits): refuses while
/// they represent an organisation that has other active people (hand over
/// first) or are the only admin; closes their organisation when they are its
/// last person; withdraws what was still waiting on them (proposals, offers);
/// erases every row [`FATES`] says to, clears the offered roles, and empties
/// the account's row, which stays for what they wrote, named
/// [`CLOSED_ACCOUNT_NAME`], with `unusable_hash` (of a password nobody knows)
/// for its password. An entry in the audit trail says so. `DbError::NotFound`
/// when the account is closed already.
pub async fn close(
    tx: &mut Tx,
    user: UserId,
    unusable_hash: &str,
    now: DateTime<Utc>,
) -> Result<Closed, Refusal> {
    // A write first: SQLite's write lock (or PostgreSQL's lock on the row) is
    // held from here, so two closings, or a closing and a hand-over, run one
    // after the other and each sees what the other did.
    let row: Option<(i64, String, String, String)> = with_tx!(tx, c => sqlx::query_as(
        "UPDATE users SET closed_at = NULL WHERE id = $1 AND closed_at IS NULL RETURNING org_id, role, email, name",
    ).bind(user.0).fetch_optional(&mut *c).await?);
    let Some((org, role, email, name)) = row else {
        return Err(Refusal::Db(DbError::NotFound));
    };
    if role == "admin" {
        if let Tx::Postgres(t) = &mut *tx {
            // Two admins leaving at once: one counts after the other.
            sqlx::query("SELECT pg_advisory_xact_lock(hashtext('moim:admins'))")
                .execute(&mut **t)
                .await?;
        }
        let (others,): (i64,) = with_tx!(tx, c => sqlx::query_as(
            "SELECT COUNT(*) FROM users WHERE role = 'admin' AND id <> $1 AND closed_at IS NULL AND suspended_at IS NULL",
        ).bind(user.0).fetch_one(&mut *c).await?);
        if others == 0 {
            return Err(Refusal::Conflict(ConflictCode::LastAdmin));
        }
    }
    let mut closed = Closed::default();
    // The organisation's row locked too (a hand-over accepted meanwhile waits).
    let (rep,): (Option<i64>,) = with_tx!(tx, c => sqlx::query_as(
        "UPDATE organisations SET representative_id = representative_id WHERE id = $1 RETURNING representative_id",
    ).bind(org).fetch_one(&mut *c).await?);
    if rep == Some(user.0) {
        // Anyone else there who can act (confirmed, or waiting for the
        // representative to confirm them) would be left with nobody to act for
        // the organisation; a suspended colleague is an admin's matter.
        let (others,): (i64,) = with_tx!(tx, c => sqlx::query_as(
            "SELECT COUNT(*) FROM users WHERE org_id = $1 AND id <> $2 AND closed_at IS NULL
               AND suspended_at IS NULL AND affiliation <> 'declined'",
        ).bind(org).bind(user.0).fetch_one(&mut *c).await?);
        if others > 0 {
            return Err(Refusal::Conflict(ConflictCode::HandoverFirst));
        }
        close_organisation(tx, OrgId(org), user, now).await?;
        closed.organisation = Some(OrgId(org));
    }
    withdraw_waiting(tx, user, &name, now).await?;
    let upcoming: Vec<(i64,)> = with_tx!(tx, c => sqlx::query_as(
        "SELECT r.activity_id FROM activity_registrations r JOIN activities a ON a.id = r.activity_id
         WHERE r.user_id = $1 AND r.status <> 'cancelled' AND a.starts_at > $2 ORDER BY r.activity_id",
    ).bind(user.0).bind(now).fetch_all(&mut *c).await?);
    closed.upcoming = upcoming.into_iter().map(|(id,)| ActivityId(id)).collect();
    for (table, column, fate) in FATES {
        let sql = match fate {
            Fate::Erase => format!("DELETE FROM \"{table}\" WHERE \"{column}\" = $1"),
            Fate::Clear => {
                format!("UPDATE \"{table}\" SET \"{column}\" = NULL WHERE \"{column}\" = $1")
            }
            Fate::Keep => continue,
        };
        with_tx!(tx, c => sqlx::query(&sql).bind(user.0).execute(&mut *c).await?.rows_affected());
    }
    with_tx!(tx, c => sqlx::query(
        "UPDATE mail_outbox SET address = NULL, status = CASE WHEN status = 'pending' THEN 'dropped' ELSE status END WHERE user_id = $1",
    ).bind(user.0).execute(&mut *c).await?.rows_affected());
    super::sessions::erase_attempts(tx, user, &email).await?;
    // The row others' content points at: no address, password, name or choice
    // of the person's is left in it. The address is one nobody can own (a
    // reserved domain), unique per account.
    with_tx!(tx, c => sqlx::query(
        "UPDATE users SET email = $2, password_hash = $5, name = $3, department = NULL, is_expert = FALSE,
            role = 'member', affiliation = 'declined', suspended_at = NULL, suspended_reason = NULL,
            email_verified_at = NULL, privacy_version = NULL, news_mail = FALSE, closed_at = $4
         WHERE id = $1",
    ).bind(user.0).bind(format!("closed-{}@closed.invalid", user.0)).bind(CLOSED_ACCOUNT_NAME).bind(now)
    .bind(unusable_hash).execute(&mut *c).await?.rows_affected());
    let subject = Subject {
        user: Some(user),
        org: closed.organisation,
        ..Default::default()
    };
    audit::record(tx, Some(user), AuditAction::AccountClosed, subject, now).await?;
    Ok(closed)
}

/// What was still waiting on the person as an expert: their proposals still
/// under review are withdrawn (no firm can accept one from nobody), offers
/// still pending declined, their share of the matching statistics taken back,
/// and their name in the history of problems they were invited to (kept there
/// as text) replaced.
async fn withdraw_waiting(
    tx: &mut Tx,
    user: UserId,
    name: &str,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let invited = moim_core::problem::EventKind::Invited.code();
    with_tx!(tx, c => {
        sqlx::query(
            "UPDATE problems SET proposal_count = proposal_count - 1
             WHERE id IN (SELECT problem_id FROM proposals WHERE expert_id = $1 AND status = 'submitted')",
        ).bind(user.0).execute(&mut *c).await?;
        sqlx::query("UPDATE proposals SET status = 'withdrawn', decided_at = $2 WHERE expert_id = $1 AND status = 'submitted'")
            .bind(user.0).bind(now).execute(&mut *c).await?;
        sqlx::query("UPDATE offers SET status = 'declined', decided_at = $2 WHERE expert_id = $1 AND status = 'pending'")
            .bind(user.0).bind(now).execute(&mut *c).await?;
        sqlx::query("UPDATE expert_term_stats SET n = n - 1 WHERE term IN (SELECT term FROM expert_terms WHERE user_id = $1)")
            .bind(user.0).execute(&mut *c).await?;
        sqlx::query(
            "UPDATE problem_events SET note = $3 WHERE kind = $4 AND note = $2
               AND problem_id IN (SELECT problem_id FROM problem_invitations WHERE expert_id = $1)",
        ).bind(user.0).bind(name).bind(CLOSED_ACCOUNT_NAME).bind(invited).execute(&mut *c).await?.rows_affected()
    });
    Ok(())
}

/// Closes an organisation whose last person leaves: its open problems and
/// drafts are closed (the experts waiting told), it leaves its consortia, its
/// open requests are withdrawn, and its business number is freed (a firm that
/// comes back registers anew; an admin can merge the two).
async fn close_organisation(
    tx: &mut Tx,
    org: OrgId,
    user: UserId,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let open: Vec<(i64,)> = with_tx!(tx, c => sqlx::query_as(
        "SELECT id FROM problems WHERE org_id = $1 AND status IN ('open', 'draft') ORDER BY id",
    ).bind(org.0).fetch_all(&mut *c).await?);
    for (problem,) in open {
        super::problems::close_in(tx, moim_core::ProblemId(problem), user, now).await?;
    }
    with_tx!(tx, c => sqlx::query(
        "UPDATE organisations SET closed_at = $2, representative_id = NULL, handover_to = NULL, business_no = NULL WHERE id = $1",
    ).bind(org.0).bind(now).execute(&mut *c).await?.rows_affected());
    with_tx!(tx, c => sqlx::query("DELETE FROM memberships WHERE org_id = $1")
        .bind(org.0).execute(&mut *c).await?.rows_affected());
    with_tx!(tx, c => sqlx::query(
        "UPDATE join_requests SET status = 'withdrawn', decided_at = $2 WHERE org_id = $1 AND status = 'pending'",
    ).bind(org.0).bind(now).execute(&mut *c).await?.rows_affected());
    let subject = Subject {
        org: Some(org),
        ..Default::default()
    };
    audit::record(
        tx,
        Some(user),
        AuditAction::OrganisationClosed,
        subject,
        now,
    )
    .await
}

/// How long records are kept, as the privacy policy states them (개인정보
/// 처리방침, "보유 기간"); [`purge`] applies them.
#[derive(Debug, Clone, Copy)]
pub struct Retention {
    /// Failed sign-ins and other throttled attempts: the throttle's window.
    pub attempts: chrono::Duration,
    /// A signed-in browser unused this long is signed out (sessions also end
    /// at their absolute expiry).
    pub idle_session: chrono::Duration,
    /// A browser remembered for sign-in and unseen this long is forgotten.
    pub known_device: chrono::Duration,
    /// Used and expired links are kept this long past their expiry (support
    /// can tell "expired" from "never sent"), then go.
    pub spent_links: chrono::Duration,
    /// Sent (or dropped) mail: the recipient's address in it is erased after this.
    pub mail_address: chrono::Duration,
}

/// What a [`purge`] deleted, by kind.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Purged {
    pub attempts: u64,
    pub sessions: u64,
    pub known_devices: u64,
    pub links: u64,
    pub tickets: u64,
    pub mail_addresses: u64,
}

/// The background job's purge of records past their retention (run hourly).
pub async fn purge(db: &super::Db, now: DateTime<Utc>, r: Retention) -> Result<Purged, DbError> {
    use super::with_db;
    let run = |sql: &'static str, before: DateTime<Utc>| async move {
        Ok::<u64, DbError>(
            with_db!(db, p => sqlx::query(sql).bind(before).execute(p).await?.rows_affected()),
        )
    };
    Ok(Purged {
        attempts: run("DELETE FROM login_failures WHERE at < $1", now - r.attempts).await?,
        sessions: super::sessions::prune(db, now, now - r.idle_session).await?,
        known_devices: run("DELETE FROM known_devices WHERE last_seen_at < $1", now - r.known_device).await?,
        links: run("DELETE FROM account_tokens WHERE expires_at < $1", now - r.spent_links).await?,
        tickets: run("DELETE FROM signin_tickets WHERE expires_at < $1", now).await?
            + run("DELETE FROM passkey_ceremonies WHERE expires_at < $1", now).await?,
        mail_addresses: run(
            "UPDATE mail_outbox SET address = NULL WHERE address IS NOT NULL AND status <> 'pending' AND created_at < $1",
            now - r.mail_address,
        )
        .await?,
    })
}
