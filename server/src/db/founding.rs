//! Founding (협의체 구성): once a call's results are announced, its admin
//! founds the theme cluster or consortium a selected application proposed —
//! one per application. Its operator (운영기관) is the application's lead, its
//! founding members the lead and every partner that confirmed, its CM one of
//! their confirmed people; the members' people are told. Founding takes the
//! call's row first, as decisions do, so a correction and a founding are
//! never taken at once.

use super::{
    Db, consortia, id_list,
    notifications::{Event, To, notify},
    selection::{CURRENT, lock},
    with_db, with_tx,
};
use crate::error::DbError;
use chrono::{DateTime, Utc};
use moim_core::{
    ApplicationId, CallId, ComplexId, ConsortiumId, OrgId, UserId,
    account::PersonRef,
    notification::NotificationKind,
    selection::{FoundConsortium, Founded},
};

/// The consortium founded from application `app`, if one was.
pub async fn founded(db: &Db, app: ApplicationId) -> Result<Option<Founded>, DbError> {
    let row: Option<(i64, String)> = with_db!(db, p => sqlx::query_as(
        "SELECT id, name FROM consortia WHERE application_id = $1")
        .bind(app.0).fetch_optional(p).await?);
    Ok(row.map(|(id, name)| Founded {
        id: ConsortiumId(id),
        name,
    }))
}

/// Who may be the CM of what `orgs` found (the lead first): their confirmed
/// people, the lead's first, then by name.
pub async fn people(db: &Db, orgs: &[OrgId]) -> Result<Vec<PersonRef>, DbError> {
    let Some(lead) = orgs.first() else {
        return Ok(Vec::new());
    };
    let sql = format!(
        "SELECT u.id, u.name, o.name AS org_name FROM users u JOIN organisations o ON o.id = u.org_id \
         WHERE u.org_id IN ({}) AND u.affiliation = 'confirmed' AND u.closed_at IS NULL \
         ORDER BY CASE WHEN u.org_id = $1 THEN 0 ELSE 1 END, u.name, u.id",
        id_list(orgs.iter().map(|o| o.0))
    );
    let rows: Vec<(i64, String, String)> =
        with_db!(db, p => sqlx::query_as(&sql).bind(lead.0).fetch_all(p).await?);
    Ok(rows
        .into_iter()
        .map(|(id, name, org_name)| PersonRef {
            id: UserId(id),
            name,
            org_name,
        })
        .collect())
}

/// The complex organisation `org` is in, if any.
pub async fn complex_of(db: &Db, org: OrgId) -> Result<Option<ComplexId>, DbError> {
    let row: Option<(Option<i64>,)> = with_db!(db, p => sqlx::query_as(
        "SELECT complex_id FROM organisations WHERE id = $1")
        .bind(org.0).fetch_optional(p).await?);
    Ok(row.and_then(|(c,)| c).map(ComplexId))
}

/// What came of a founding.
pub enum Found {
    /// Founded: the new consortium.
    Done(ConsortiumId),
    /// The application is not selected in the call's announced results.
    NotSelected,
    /// A consortium was founded from it before.
    Already,
    /// The CM is no confirmed person of a founding member.
    ManagerOffTeam,
}

/// Founds `f` from application `app` of call `call` by `actor`: `orgs` its
/// founding members, the lead (its operator) first.
pub async fn found(
    db: &Db,
    call: CallId,
    app: ApplicationId,
    orgs: &[OrgId],
    f: &FoundConsortium,
    actor: UserId,
    now: DateTime<Utc>,
) -> Result<Found, DbError> {
    let Some(&lead) = orgs.first() else {
        return Ok(Found::NotSelected);
    };
    let mut tx = db.begin().await?;
    if lock(&mut tx, call).await?.0.is_none() {
        return Ok(Found::NotSelected);
    }
    let sql = format!(
        "SELECT EXISTS (SELECT 1 FROM application_decisions d WHERE d.application_id = $1 \
           AND d.decision = 'selected' AND {CURRENT}), \
         EXISTS (SELECT 1 FROM consortia WHERE application_id = $1), \
         EXISTS (SELECT 1 FROM users WHERE id = $2 AND affiliation = 'confirmed' AND closed_at IS NULL \
           AND org_id IN ({}))",
        id_list(orgs.iter().map(|o| o.0))
    );
    let (selected, already, on_team): (bool, bool, bool) = with_tx!(&mut tx, c => sqlx::query_as(&sql)
        .bind(app.0).bind(f.manager.0).fetch_one(&mut *c).await?);
    if !selected {
        return Ok(Found::NotSelected);
    }
    if already {
        return Ok(Found::Already);
    }
    if !on_team {
        return Ok(Found::ManagerOffTeam);
    }
    let id = consortia::create_in(&mut tx, &f.consortium, Some(actor), false, now).await?;
    with_tx!(&mut tx, c => {
        sqlx::query("UPDATE consortia SET application_id = $2, operator_org_id = $3 WHERE id = $1")
            .bind(id.0).bind(app.0).bind(lead.0).execute(&mut *c).await?;
        for org in orgs {
            sqlx::query("INSERT INTO memberships (consortium_id, org_id, joined_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
                .bind(id.0).bind(org.0).bind(now).execute(&mut *c).await?;
        }
    });
    consortia::appoint_manager_in(&mut tx, id, f.manager, Some(actor), now).await?;
    let event = Event {
        kind: NotificationKind::ConsortiumFounded,
        consortium: Some(id),
        org: Some(lead),
        problem: None,
        idea: None,
        activity: None,
        survey: None,
        application: None,
        actor: Some(actor),
        note: None,
        at: now,
    };
    notify(&mut tx, To::Members(id), &event).await?;
    tx.commit().await?;
    Ok(Found::Done(id))
}
