//! In-app notifications. Each is written in the transaction of the event it tells
//! of, so no decision is ever made without its notice.

use super::{Db, Tx, with_db, with_tx};
use crate::error::DbError;
use chrono::{DateTime, Utc};
use moim_core::{
    ActivityId, ApplicationId, ConsortiumId, IdeaId, NotificationId, OrgId, ProblemId, SurveyId,
    UserId,
    notification::{Channel, NotificationKind, NotificationView, Preference},
};

/// The event a notification tells of.
pub struct Event {
    pub kind: NotificationKind,
    pub consortium: Option<ConsortiumId>,
    pub org: Option<OrgId>,
    pub problem: Option<ProblemId>,
    pub idea: Option<IdeaId>,
    pub activity: Option<ActivityId>,
    pub survey: Option<SurveyId>,
    pub application: Option<ApplicationId>,
    pub actor: Option<UserId>,
    pub note: Option<String>,
    pub at: DateTime<Utc>,
}

/// Who receives an event.
pub enum To {
    /// One person.
    User(UserId),
    /// The CMs of a consortium, or every admin when it has none.
    Managers(ConsortiumId),
    /// An organisation's representative, or all its people when it has none.
    Organisation(OrgId),
    /// The people who follow any of the problem's fields (never for private problems).
    FieldFollowers(ProblemId),
    /// The people who follow an idea (but the one given, told otherwise).
    IdeaFollowers(IdeaId, Option<UserId>),
    /// The confirmed people of the member organisations of an activity's consortia.
    ActivityAudience(ActivityId),
    /// The people registered for an activity or waiting for a place.
    ActivityPeople(ActivityId),
    /// Those asked by a survey who have not submitted it (for an
    /// organisation's survey, its representative).
    SurveyUnanswered(SurveyId),
    /// The confirmed people of an application's lead organisation.
    ApplicationLead(ApplicationId),
    /// The confirmed people of a consortium's member organisations.
    Members(ConsortiumId),
}

/// Writes the notification for every recipient, never to the actor themself, nor
/// to those who turned this kind off; and, in the same transaction, the email of
/// those who want it right away or in their daily digest.
pub async fn notify(tx: &mut Tx, to: To, e: &Event) -> Result<(), DbError> {
    let recipients: std::borrow::Cow<'static, str> = match to {
        To::User(_) => "SELECT $7 AS uid".into(),
        To::Managers(_) => {
            "SELECT user_id AS uid FROM consortium_managers WHERE consortium_id = $7
             UNION SELECT id FROM users WHERE role = 'admin' AND NOT EXISTS (SELECT 1 FROM consortium_managers WHERE consortium_id = $7)".into()
        }
        To::Organisation(_) => {
            "SELECT representative_id AS uid FROM organisations WHERE id = $7 AND representative_id IS NOT NULL
             UNION SELECT id FROM users WHERE org_id = $7 AND NOT EXISTS (SELECT 1 FROM organisations WHERE id = $7 AND representative_id IS NOT NULL)".into()
        }
        To::FieldFollowers(_) => {
            "SELECT DISTINCT ff.user_id AS uid FROM field_follows ff JOIN problem_fields pf ON pf.field_id = ff.field_id
             JOIN problems p ON p.id = pf.problem_id JOIN users u ON u.id = ff.user_id
             WHERE pf.problem_id = $7 AND p.confidentiality <> 'private' AND u.org_id <> p.org_id".into()
        }
        To::IdeaFollowers(_, skip) => format!(
            "SELECT user_id AS uid FROM idea_follows WHERE idea_id = $7 AND user_id <> {}",
            skip.map_or(-1, |u| u.0)
        )
        .into(),
        To::ActivityAudience(_) => {
            "SELECT DISTINCT u.id AS uid FROM activity_consortia ac JOIN memberships m ON m.consortium_id = ac.consortium_id
             JOIN users u ON u.org_id = m.org_id AND u.affiliation = 'confirmed' WHERE ac.activity_id = $7".into()
        }
        To::ActivityPeople(_) => {
            "SELECT user_id AS uid FROM activity_registrations WHERE activity_id = $7 AND status IN ('registered', 'waitlisted')".into()
        }
        To::SurveyUnanswered(_) => super::surveys::unanswered_sql().into(),
        To::ApplicationLead(_) => {
            "SELECT u.id AS uid FROM applications ap JOIN users u ON u.org_id = ap.org_id AND u.affiliation = 'confirmed' WHERE ap.id = $7".into()
        }
        To::Members(_) => {
            "SELECT u.id AS uid FROM memberships m JOIN users u ON u.org_id = m.org_id AND u.affiliation = 'confirmed' WHERE m.consortium_id = $7".into()
        }
    };
    let target = match to {
        To::User(u) => u.0,
        To::Managers(c) | To::Members(c) => c.0,
        To::Organisation(o) => o.0,
        To::FieldFollowers(p) => p.0,
        To::IdeaFollowers(i, _) => i.0,
        To::ActivityAudience(a) | To::ActivityPeople(a) => a.0,
        To::SurveyUnanswered(s) => s.0,
        To::ApplicationLead(a) => a.0,
    };
    let sql = format!(
        "INSERT INTO notifications (user_id, kind, consortium_id, org_id, actor_id, note, created_at, problem_id, idea_id, activity_id, survey_id, application_id)
         SELECT r.uid, $1, $2, $3, $4, $5, $6, $8, $9, $10, $11, $12 FROM ({recipients}) r WHERE r.uid IS NOT NULL AND ($4 IS NULL OR r.uid <> $4)
           AND NOT EXISTS (SELECT 1 FROM notification_prefs np WHERE np.user_id = r.uid AND np.kind = $1 AND np.channel = 'off')
           AND NOT EXISTS (SELECT 1 FROM users gone WHERE gone.id = r.uid AND gone.closed_at IS NOT NULL)
         RETURNING id"
    );
    let ids: Vec<(i64,)> = with_tx!(tx, c => sqlx::query_as(&sql)
        .bind(e.kind.code()).bind(e.consortium.map(|c| c.0)).bind(e.org.map(|o| o.0)).bind(e.actor.map(|a| a.0))
        .bind(e.note.as_deref()).bind(e.at).bind(target).bind(e.problem.map(|p| p.0)).bind(e.idea.map(|i| i.0))
        .bind(e.activity.map(|a| a.0)).bind(e.survey.map(|s| s.0)).bind(e.application.map(|a| a.0))
        .fetch_all(&mut *c).await?);
    if ids.is_empty() {
        return Ok(());
    }
    let list = super::id_list(ids.iter().map(|(i,)| *i));
    let sql = format!(
        "INSERT INTO mail_outbox (user_id, notification_id, digest, status, attempts, due_at, created_at)
         SELECT n.user_id, n.id, COALESCE(p.channel, $1) = 'digest', 'pending', 0,
                CASE WHEN COALESCE(p.channel, $1) = 'digest' THEN $3 ELSE $2 END, $2
         FROM notifications n LEFT JOIN notification_prefs p ON p.user_id = n.user_id AND p.kind = n.kind
         WHERE n.id IN ({list}) AND COALESCE(p.channel, $1) IN ('email', 'digest')"
    );
    with_tx!(tx, c => sqlx::query(&sql)
        .bind(e.kind.default_channel().code()).bind(e.at).bind(moim_core::notification::digest_due(e.at))
        .execute(&mut *c).await?.rows_affected());
    Ok(())
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    kind: String,
    consortium_id: Option<i64>,
    consortium_name: Option<String>,
    org_name: Option<String>,
    problem_id: Option<i64>,
    problem_title: Option<String>,
    idea_id: Option<i64>,
    idea_title: Option<String>,
    activity_id: Option<i64>,
    activity_title: Option<String>,
    survey_id: Option<i64>,
    survey_title: Option<String>,
    application_id: Option<i64>,
    call_title: Option<String>,
    actor_name: Option<String>,
    note: Option<String>,
    read_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
}

/// A person's notifications, newest first, before `before`.
pub async fn list(
    db: &Db,
    user: UserId,
    before: Option<NotificationId>,
    limit: i64,
) -> Result<Vec<NotificationView>, DbError> {
    let rows: Vec<Row> = with_db!(db, p => sqlx::query_as(
        "SELECT n.id, n.kind, n.consortium_id, c.name AS consortium_name, o.name AS org_name, a.name AS actor_name,
                n.note, n.read_at, n.created_at, n.problem_id, pr.title AS problem_title, n.idea_id, i.title AS idea_title,
                n.activity_id, ac.title AS activity_title, n.survey_id, sv.title AS survey_title,
                n.application_id, cl.title AS call_title
         FROM notifications n LEFT JOIN consortia c ON c.id = n.consortium_id
         LEFT JOIN organisations o ON o.id = n.org_id LEFT JOIN users a ON a.id = n.actor_id
         LEFT JOIN problems pr ON pr.id = n.problem_id LEFT JOIN ideas i ON i.id = n.idea_id
         LEFT JOIN activities ac ON ac.id = n.activity_id LEFT JOIN surveys sv ON sv.id = n.survey_id
         LEFT JOIN applications ap ON ap.id = n.application_id LEFT JOIN calls cl ON cl.id = ap.call_id
         WHERE n.user_id = $1 AND ($2 IS NULL OR n.id < $2) ORDER BY n.id DESC LIMIT $3",
    ).bind(user.0).bind(before.map(|b| b.0)).bind(limit).fetch_all(p).await?);
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            Some(NotificationView {
                id: NotificationId(r.id),
                kind: NotificationKind::from_code(&r.kind)?,
                consortium_id: r.consortium_id.map(ConsortiumId),
                consortium_name: r.consortium_name,
                org_name: r.org_name,
                problem_id: r.problem_id.map(ProblemId),
                problem_title: r.problem_title,
                idea_id: r.idea_id.map(IdeaId),
                idea_title: r.idea_title,
                activity_id: r.activity_id.map(ActivityId),
                activity_title: r.activity_title,
                survey_id: r.survey_id.map(SurveyId),
                survey_title: r.survey_title,
                application_id: r.application_id.map(ApplicationId),
                call_title: r.call_title,
                actor_name: r.actor_name,
                note: r.note,
                read: r.read_at.is_some(),
                created_at: r.created_at,
            })
        })
        .collect())
}

/// Unread notifications of a person.
pub async fn unread(db: &Db, user: UserId) -> Result<i64, DbError> {
    let (n,): (i64,) = with_db!(db, p => sqlx::query_as("SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL")
        .bind(user.0).fetch_one(p).await?);
    Ok(n)
}

/// Marks one (or, with `None`, every) notification of the person read. Returns how many changed.
pub async fn mark_read(
    db: &Db,
    user: UserId,
    id: Option<NotificationId>,
    now: DateTime<Utc>,
) -> Result<u64, DbError> {
    Ok(with_db!(db, p => sqlx::query(
        "UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL AND ($3 IS NULL OR id = $3)",
    ).bind(now).bind(user.0).bind(id.map(|i| i.0)).execute(p).await?.rows_affected()))
}

/// True when notification `id` belongs to `user`.
pub async fn owned(db: &Db, user: UserId, id: NotificationId) -> Result<bool, DbError> {
    let row: Option<(i64,)> = with_db!(db, p => sqlx::query_as("SELECT id FROM notifications WHERE id = $1 AND user_id = $2")
        .bind(id.0).bind(user.0).fetch_optional(p).await?);
    Ok(row.is_some())
}

/// A person's channel for every kind, defaults filled in.
pub async fn preferences(db: &Db, user: UserId) -> Result<Vec<Preference>, DbError> {
    let rows: Vec<(String, String)> = with_db!(db, p => sqlx::query_as(
        "SELECT kind, channel FROM notification_prefs WHERE user_id = $1",
    ).bind(user.0).fetch_all(p).await?);
    Ok(NotificationKind::ALL
        .iter()
        .map(|&kind| Preference {
            kind,
            channel: rows
                .iter()
                .find(|(k, _)| k == kind.code())
                .and_then(|(_, c)| Channel::from_code(c))
                .unwrap_or(kind.default_channel()),
        })
        .collect())
}

/// Sets some kinds' channels.
pub async fn set_preferences(db: &Db, user: UserId, items: &[Preference]) -> Result<(), DbError> {
    let mut tx = db.begin().await?;
    for p in items {
        with_tx!(&mut tx, c => sqlx::query(
            "INSERT INTO notification_prefs (user_id, kind, channel) VALUES ($1, $2, $3)
             ON CONFLICT (user_id, kind) DO UPDATE SET channel = excluded.channel",
        ).bind(user.0).bind(p.kind.code()).bind(p.channel.code()).execute(&mut *c).await?.rows_affected());
    }
    tx.commit().await
}
