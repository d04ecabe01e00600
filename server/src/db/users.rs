//! People: accounts, their organisation, expert profiles.

use super::{
    Db, Tx,
    audit::{self, Subject},
    like_pattern,
    notifications::{self, Event, To},
    orgs::OrgRow,
    with_db, with_tx,
};
use crate::error::{DbError, UniqueRule};

/// One account per email address.
pub const EMAIL: UniqueRule = UniqueRule {
    postgres: "users_email_key",
    sqlite: "users.email",
};
use chrono::{DateTime, Utc};
use moim_core::{
    ConsortiumId, OrgId, UserId,
    account::{
        Affiliation, Colleague, ExpertProfile, NewOrganisation, Role, UpdateAccount, UserSummary,
    },
    consortium::AuditAction,
    notification::NotificationKind,
    validate::plain_business_number,
};

/// An account as stored.
#[derive(sqlx::FromRow, Debug, Clone)]
pub struct UserRow {
    pub id: i64,
    pub email: String,
    pub password_hash: String,
    pub name: String,
    pub department: Option<String>,
    pub org_id: i64,
    pub role: String,
    pub is_expert: bool,
    pub affiliation: String,
    /// Set while an admin has the account suspended.
    pub suspended_at: Option<DateTime<Utc>>,
    pub suspended_reason: Option<String>,
    /// When the person opened the link mailed to their address; until then
    /// they read but do not act.
    pub email_verified_at: Option<DateTime<Utc>>,
    /// The version of the privacy policy the person last agreed to.
    pub privacy_version: Option<String>,
    /// The person agreed to news mail.
    pub news_mail: bool,
    /// When the person closed the account (회원 탈퇴): the row stays, emptied,
    /// for what they wrote.
    pub closed_at: Option<DateTime<Utc>>,
}

impl UserRow {
    /// Whether the organisation confirmed the person.
    pub fn affiliation(&self) -> Affiliation {
        Affiliation::from_code(&self.affiliation)
    }

    /// Portal-wide role.
    pub fn role(&self) -> Role {
        if self.role == "admin" {
            Role::Admin
        } else {
            Role::Member
        }
    }
}

const COLUMNS: &str = "id, email, password_hash, name, department, org_id, role, is_expert, affiliation, suspended_at, suspended_reason, email_verified_at, privacy_version, news_mail, closed_at";

/// A new account.
pub struct NewUser<'a> {
    pub email: &'a str,
    pub password_hash: &'a str,
    pub name: &'a str,
    pub department: Option<&'a str>,
    pub is_expert: bool,
    pub role: Role,
    pub is_sample: bool,
    /// The address is known to be the person's (sample data, the command line);
    /// a sign-up's is not until its link is opened.
    pub verified: bool,
    /// The person agreed to the privacy policy in force (the sample's fictional
    /// people); a sign-up's consents are recorded with `db::consents`, and an
    /// admin made on the command line is asked at their first visit.
    pub consented: bool,
}

/// The organisation a new account joins.
pub enum OrgTarget<'a> {
    /// A registered organisation. Unless `confirmed` (sample data, the command line),
    /// the person waits for its representative, who is told in the same transaction.
    Existing { id: OrgId, confirmed: bool },
    /// A new organisation; the person becomes its representative.
    New(&'a NewOrganisation),
}

/// One account by id.
pub async fn find(db: &Db, id: UserId) -> Result<UserRow, DbError> {
    let sql = format!("SELECT {COLUMNS} FROM users WHERE id = $1");
    Ok(with_db!(db, p => sqlx::query_as(&sql).bind(id.0).fetch_one(p).await?))
}

/// One account by normalised email.
pub async fn find_by_email(db: &Db, email: &str) -> Result<Option<UserRow>, DbError> {
    let sql = format!("SELECT {COLUMNS} FROM users WHERE email = $1");
    Ok(with_db!(db, p => sqlx::query_as(&sql).bind(email).fetch_optional(p).await?))
}

/// Creates the account (and its organisation when new, making the person its
/// representative) in one transaction. Returns the user and organisation ids.
pub async fn insert(
    db: &Db,
    user: &NewUser<'_>,
    org: OrgTarget<'_>,
    now: DateTime<Utc>,
) -> Result<(UserId, OrgId), DbError> {
    let mut tx = db.begin().await?;
    let ids = insert_in(&mut tx, user, org, now).await?;
    tx.commit().await?;
    Ok(ids)
}

/// [`insert`] inside a caller's transaction (the demo loader batches many).
pub async fn insert_in(
    tx: &mut Tx,
    user: &NewUser<'_>,
    org: OrgTarget<'_>,
    now: DateTime<Utc>,
) -> Result<(UserId, OrgId), DbError> {
    let (user_id, org_id, pending) = with_tx!(tx, c => {
        let (org_id, new_org, pending) = match org {
            OrgTarget::Existing { id, confirmed } => {
                // Locked and still open: a sign-up racing a merge or a closing
                // of the organisation waits for it, then finds it gone (404).
                let (found, rep): (i64, Option<i64>) = sqlx::query_as(
                    "UPDATE organisations SET name = name WHERE id = $1 AND closed_at IS NULL RETURNING id, representative_id")
                    .bind(id.0).fetch_one(&mut *c).await?;
                // With no representative to confirm them, the person becomes it.
                (found, rep.is_none(), !confirmed && rep.is_some())
            }
            OrgTarget::New(o) => {
                let digits = o.business_no.as_deref().and_then(plain_business_number);
                let (id,): (i64,) = sqlx::query_as(
                    "INSERT INTO organisations (kind, name, business_no, complex_id, headcount, industry, is_sample, created_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                )
                .bind(o.kind.code()).bind(o.name.trim()).bind(digits).bind(o.complex_id.map(|c| c.0))
                .bind(o.headcount).bind(o.industry.as_deref().map(str::trim)).bind(user.is_sample).bind(now)
                .fetch_one(&mut *c).await?;
                (id, true, false)
            }
        };
        let affiliation = if pending { Affiliation::Pending } else { Affiliation::Confirmed };
        let (user_id,): (i64,) = sqlx::query_as(
            "INSERT INTO users (email, password_hash, name, department, org_id, role, is_expert, affiliation, is_sample, created_at, email_verified_at, privacy_version)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
        )
        .bind(user.email).bind(user.password_hash).bind(user.name.trim()).bind(user.department.map(str::trim))
        .bind(org_id).bind(if user.role == Role::Admin { "admin" } else { "member" }).bind(user.is_expert)
        .bind(affiliation.code()).bind(user.is_sample).bind(now).bind(user.verified.then_some(now))
        .bind(user.consented.then_some(moim_core::privacy::PRIVACY_POLICY_VERSION))
        .fetch_one(&mut *c).await?;
        if new_org {
            sqlx::query("UPDATE organisations SET representative_id = $1 WHERE id = $2").bind(user_id).bind(org_id).execute(&mut *c).await?;
        }
        (UserId(user_id), OrgId(org_id), pending)
    });
    // The organisation hears of a new colleague once the address is theirs
    // (a sign-up's when its link is opened: `recovery::verify`).
    if pending && user.verified {
        affiliation_requested(tx, user_id, org_id, now).await?;
    }
    Ok((user_id, org_id))
}

/// Tells an organisation that `user` signed up as one of its people and waits
/// for the representative's confirmation.
pub async fn affiliation_requested(
    tx: &mut Tx,
    user: UserId,
    org: OrgId,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let event = Event {
        kind: NotificationKind::AffiliationRequested,
        consortium: None,
        org: Some(org),
        problem: None,
        idea: None,
        activity: None,
        survey: None,
        application: None,
        actor: Some(user),
        note: None,
        at: now,
    };
    notifications::notify(tx, To::Organisation(org), &event).await
}

#[derive(sqlx::FromRow)]
struct ColleagueRow {
    id: i64,
    name: String,
    email: String,
    department: Option<String>,
    affiliation: String,
    created_at: DateTime<Utc>,
}

/// People of an organisation whose affiliation is not confirmed, newest first.
pub async fn colleagues(db: &Db, org: OrgId) -> Result<Vec<Colleague>, DbError> {
    let rows: Vec<ColleagueRow> = with_db!(db, p => sqlx::query_as(
        "SELECT id, name, email, department, affiliation, created_at FROM users
         WHERE org_id = $1 AND affiliation <> 'confirmed' AND closed_at IS NULL ORDER BY id DESC",
    ).bind(org.0).fetch_all(p).await?);
    Ok(rows
        .into_iter()
        .map(|r| Colleague {
            id: UserId(r.id),
            name: r.name,
            email: r.email,
            department: r.department,
            affiliation: Affiliation::from_code(&r.affiliation),
            created_at: r.created_at,
        })
        .collect())
}

/// The representative confirms or declines a colleague of `org`; false when the
/// person is not in `org`.
pub async fn set_affiliation(
    db: &Db,
    org: OrgId,
    user: UserId,
    confirm: bool,
    actor: UserId,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    let affiliation = if confirm {
        Affiliation::Confirmed
    } else {
        Affiliation::Declined
    };
    let mut tx = db.begin().await?;
    let n = with_tx!(&mut tx, c => sqlx::query("UPDATE users SET affiliation = $1 WHERE id = $2 AND org_id = $3 AND id <> $4")
        .bind(affiliation.code()).bind(user.0).bind(org.0).bind(actor.0).execute(&mut *c).await?.rows_affected());
    if n == 0 {
        return Ok(false);
    }
    if !confirm {
        // Declined: a representative's role offered to them is no longer.
        with_tx!(&mut tx, c => sqlx::query("UPDATE organisations SET handover_to = NULL WHERE id = $1 AND handover_to = $2")
            .bind(org.0).bind(user.0).execute(&mut *c).await?.rows_affected());
    }
    let (action, kind) = if confirm {
        (
            AuditAction::AffiliationConfirmed,
            NotificationKind::AffiliationConfirmed,
        )
    } else {
        (
            AuditAction::AffiliationDeclined,
            NotificationKind::AffiliationDeclined,
        )
    };
    audit::record(
        &mut tx,
        Some(actor),
        action,
        Subject {
            org: Some(org),
            user: Some(user),
            ..Default::default()
        },
        now,
    )
    .await?;
    let event = Event {
        kind,
        consortium: None,
        org: Some(org),
        problem: None,
        idea: None,
        activity: None,
        survey: None,
        application: None,
        actor: Some(actor),
        note: None,
        at: now,
    };
    notifications::notify(&mut tx, To::User(user), &event).await?;
    tx.commit().await?;
    Ok(true)
}

/// The account's organisation.
pub async fn organisation(db: &Db, user: &UserRow) -> Result<OrgRow, DbError> {
    super::orgs::find(db, OrgId(user.org_id)).await
}

/// Edits name, department and the expert flag.
pub async fn update_account(db: &Db, id: UserId, a: &UpdateAccount) -> Result<(), DbError> {
    with_db!(db, p => sqlx::query("UPDATE users SET name = $1, department = $2, is_expert = $3 WHERE id = $4")
        .bind(a.name.trim()).bind(a.department.as_deref().map(str::trim).filter(|d| !d.is_empty())).bind(a.is_expert).bind(id.0)
        .execute(p).await?.rows_affected());
    Ok(())
}

/// Makes an account an agency admin.
pub async fn set_admin(db: &Db, id: UserId) -> Result<(), DbError> {
    with_db!(db, p => sqlx::query("UPDATE users SET role = 'admin' WHERE id = $1").bind(id.0).execute(p).await?.rows_affected());
    Ok(())
}

#[derive(sqlx::FromRow)]
struct ProfileRow {
    fields: String,
    keywords: String,
    equipment: String,
    bio: String,
}

/// The expert profile, empty if none was saved yet.
pub async fn expert_profile(db: &Db, id: UserId) -> Result<ExpertProfile, DbError> {
    let row: Option<ProfileRow> = with_db!(db, p => sqlx::query_as("SELECT fields, keywords, equipment, bio FROM expert_profiles WHERE user_id = $1")
        .bind(id.0).fetch_optional(p).await?);
    Ok(row
        .map(|r| ExpertProfile {
            fields: serde_json::from_str(&r.fields).unwrap_or_default(),
            keywords: serde_json::from_str(&r.keywords).unwrap_or_default(),
            equipment: r.equipment,
            bio: r.bio,
        })
        .unwrap_or_default())
}

/// Saves the expert profile (trimmed, empty words dropped).
pub async fn save_expert_profile(
    db: &Db,
    id: UserId,
    profile: &ExpertProfile,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let mut tx = db.begin().await?;
    save_expert_profile_in(&mut tx, id, profile, now).await?;
    tx.commit().await
}

/// Saves the expert profile within `tx`, and its words for matching.
pub async fn save_expert_profile_in(
    tx: &mut Tx,
    id: UserId,
    profile: &ExpertProfile,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let words = |w: &[String]| {
        serde_json::to_string(
            &w.iter()
                .map(|s| s.trim())
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>(),
        )
        .unwrap_or_default()
    };
    with_tx!(&mut *tx, c => sqlx::query(
        "INSERT INTO expert_profiles (user_id, fields, keywords, equipment, bio, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (user_id) DO UPDATE SET fields = excluded.fields, keywords = excluded.keywords,
             equipment = excluded.equipment, bio = excluded.bio, updated_at = excluded.updated_at",
    )
    .bind(id.0).bind(words(&profile.fields)).bind(words(&profile.keywords)).bind(profile.equipment.trim()).bind(profile.bio.trim()).bind(now)
    .execute(&mut *c).await?.rows_affected());
    super::experts::reindex(tx, id, profile).await
}

/// The consortia a person manages as CM.
pub async fn managed_consortia(db: &Db, id: UserId) -> Result<Vec<ConsortiumId>, DbError> {
    let rows: Vec<(i64,)> = with_db!(db, p => sqlx::query_as("SELECT consortium_id FROM consortium_managers WHERE user_id = $1 ORDER BY consortium_id")
        .bind(id.0).fetch_all(p).await?);
    Ok(rows.into_iter().map(|(id,)| ConsortiumId(id)).collect())
}

#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: i64,
    name: String,
    email: String,
    org_name: String,
    role: String,
    suspended: bool,
    second_factor: bool,
    representative: bool,
}

/// People whose name or email contains `q` (admins picking a CM).
pub async fn search(db: &Db, q: &str, limit: i64) -> Result<Vec<UserSummary>, DbError> {
    let sql = format!(
        "SELECT u.id, u.name, u.email, o.name AS org_name, u.role, u.suspended_at IS NOT NULL AS suspended, \
           {} AS second_factor, COALESCE(o.representative_id = u.id, FALSE) AS representative \
         FROM users u JOIN organisations o ON o.id = u.org_id
         WHERE u.closed_at IS NULL AND (LOWER(u.name) LIKE $1 ESCAPE '\\' OR u.email LIKE $1 ESCAPE '\\') ORDER BY u.name, u.id LIMIT $2",
        super::factors::factor_in_use("u.id"),
    );
    let rows: Vec<SummaryRow> = with_db!(db, p => sqlx::query_as(&sql).bind(like_pattern(q.trim())).bind(limit).fetch_all(p).await?);
    Ok(rows
        .into_iter()
        .map(|r| UserSummary {
            id: UserId(r.id),
            name: r.name,
            email: r.email,
            org_name: r.org_name,
            role: if r.role == "admin" {
                Role::Admin
            } else {
                Role::Member
            },
            suspended: r.suspended,
            second_factor: r.second_factor,
            representative: r.representative,
        })
        .collect())
}

/// Suspends (`Some(reason)`) or reactivates (`None`) an account, with its entry in
/// the audit trail, in one transaction; a suspension ends every session of the
/// account at once. False when the account was already in that state (nothing
/// changes, nothing is recorded).
pub async fn set_suspended(
    db: &Db,
    user: UserId,
    reason: Option<&str>,
    admin: UserId,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    let mut tx = db.begin().await?;
    let changed = with_tx!(&mut tx, c => match reason {
        Some(r) => sqlx::query("UPDATE users SET suspended_at = $1, suspended_reason = $2 WHERE id = $3 AND suspended_at IS NULL")
            .bind(now).bind(r).bind(user.0).execute(&mut *c).await?.rows_affected(),
        None => sqlx::query("UPDATE users SET suspended_at = NULL, suspended_reason = NULL WHERE id = $1 AND suspended_at IS NOT NULL")
            .bind(user.0).execute(&mut *c).await?.rows_affected(),
    });
    if changed == 0 {
        return Ok(false);
    }
    if reason.is_some() {
        with_tx!(&mut tx, c => sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user.0).execute(&mut *c).await?.rows_affected());
        // A representative's role offered to them is no longer.
        with_tx!(&mut tx, c => sqlx::query("UPDATE organisations SET handover_to = NULL WHERE handover_to = $1").bind(user.0).execute(&mut *c).await?.rows_affected());
    }
    let action = if reason.is_some() {
        AuditAction::AccountSuspended
    } else {
        AuditAction::AccountReactivated
    };
    let subject = Subject {
        user: Some(user),
        note: reason.map(str::to_owned),
        ..Default::default()
    };
    audit::record(&mut tx, Some(admin), action, subject, now).await?;
    tx.commit().await?;
    Ok(true)
}

/// A person's email address.
pub async fn email_of(db: &Db, id: UserId) -> Result<String, DbError> {
    let (email,): (String,) = with_db!(db, p => sqlx::query_as("SELECT email FROM users WHERE id = $1")
        .bind(id.0).fetch_one(p).await?);
    Ok(email)
}
