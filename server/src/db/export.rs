//! "내 정보 내려받기": every row Moim keeps about a person, as JSON. The tables
//! are listed here by the column that holds the person's id ([`TABLES`], or
//! [`OTHERS`] where the row is someone else's); a test compares the lists with
//! the database's own foreign keys to `users`, so a new table that holds a
//! person's id cannot be left out of the export unnoticed; rows that hang off
//! a person's matchmaking participation are found through it
//! ([`THROUGH_PARTICIPANTS`], kept complete the same way).

use super::{Db, with_db};
use crate::error::DbError;
use moim_core::UserId;
use serde_json::{Map, Value};

/// Every (table, column) whose column refers to a person (`users.id`), with the
/// columns left out of the export: secrets (hashes of tokens and passwords,
/// which say nothing about the person and must never leave the server).
pub const TABLES: &[(&str, &str, &[&str])] = &[
    ("users", "id", &["password_hash"]),
    ("expert_profiles", "user_id", &[]),
    ("expert_terms", "user_id", &[]),
    ("organisations", "representative_id", &[]),
    ("organisations", "handover_to", &[]),
    ("sessions", "user_id", &["token_hash", "csrf_token"]),
    ("known_devices", "user_id", &["token_hash"]),
    ("account_tokens", "user_id", &["token_hash"]),
    ("calendar_feeds", "user_id", &["token_hash"]),
    ("totp_factors", "user_id", &["secret"]),
    ("consents", "user_id", &[]),
    ("recovery_codes", "user_id", &["code_hash"]),
    ("signin_tickets", "user_id", &["token_hash"]),
    // The public key and counter mean nothing to the person: the name and dates do.
    ("passkeys", "user_id", &["passkey", "user_handle"]),
    (
        "passkey_ceremonies",
        "user_id",
        &["token_hash", "ticket_hash", "state"],
    ),
    ("consortium_managers", "user_id", &[]),
    ("join_requests", "opened_by", &[]),
    ("notifications", "user_id", &[]),
    ("notification_prefs", "user_id", &[]),
    ("mail_outbox", "user_id", &[]),
    ("audit_log", "subject_user_id", &[]),
    ("problems", "author_id", &[]),
    ("problem_revisions", "editor_id", &[]),
    ("problem_attachments", "uploaded_by", &[]),
    ("problem_invitations", "expert_id", &[]),
    ("problem_detail_views", "user_id", &[]),
    ("problem_messages", "author_id", &[]),
    ("proposals", "expert_id", &[]),
    ("offers", "expert_id", &[]),
    ("collaborations", "expert_id", &[]),
    ("collaboration_steps", "actor_id", &[]),
    ("problem_events", "actor_id", &[]),
    ("field_follows", "user_id", &[]),
    ("ideas", "author_id", &[]),
    ("idea_votes", "user_id", &[]),
    ("idea_follows", "user_id", &[]),
    ("idea_comments", "author_id", &[]),
    ("idea_events", "actor_id", &[]),
    ("idea_reports", "reporter_id", &[]),
    ("activities", "created_by", &[]),
    ("activity_registrations", "user_id", &[]),
    ("match_participants", "user_id", &[]),
    ("surveys", "author_id", &[]),
    ("survey_answers", "user_id", &[]),
    ("calls", "author_id", &[]),
    ("call_evaluators", "user_id", &[]),
    ("application_reviews", "evaluator_id", &[]),
];

/// Every (table, column) whose column refers to one of the person's
/// matchmaking participations (`match_participants.id`): the meetings they
/// asked for and were asked for, their reports and follow-up rounds.
pub const THROUGH_PARTICIPANTS: &[(&str, &str)] = &[
    ("match_requests", "from_id"),
    ("match_requests", "to_id"),
    ("match_reports", "participant_id"),
    ("match_follow_ups", "participant_id"),
];

/// Columns that name the person in rows that are someone else's: another's
/// notification of what the person did, the audit trail of their decisions as
/// CM or admin (with reasons about others), requests and offers they decided,
/// experts they invited, their firm's figures they entered last. Not exported; listed so that the test keeping
/// [`TABLES`] complete knows they were weighed.
pub const OTHERS: &[(&str, &str)] = &[
    ("notifications", "actor_id"),
    ("audit_log", "actor_id"),
    ("join_requests", "decided_by"),
    ("offers", "decided_by"),
    ("problem_invitations", "invited_by"),
    ("firm_figures", "updated_by"),
    ("survey_answers", "updated_by"),
    ("applications", "created_by"),
    ("applications", "updated_by"),
    ("application_partners", "decided_by"),
    ("call_evaluators", "appointed_by"),
    ("calls", "announced_by"),
    ("application_decisions", "decided_by"),
    ("grants", "agreed_by"),
    ("grant_milestones", "paid_by"),
    ("fee_schedules", "updated_by"),
    ("fee_invoices", "issued_by"),
    ("fee_invoices", "settled_by"),
    ("donations", "recorded_by"),
];

/// The columns of `table`, in order.
async fn columns(db: &Db, table: &str) -> Result<Vec<String>, DbError> {
    let rows: Vec<(String,)> = match db {
        Db::Sqlite(p) => {
            sqlx::query_as("SELECT name FROM pragma_table_info($1) ORDER BY cid")
                .bind(table)
                .fetch_all(p)
                .await?
        }
        Db::Postgres(p) => {
            sqlx::query_as(
                "SELECT column_name::text FROM information_schema.columns
                 WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
            )
            .bind(table)
            .fetch_all(p)
            .await?
        }
    };
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// The rows of `table` whose `column` is `user` (or, `through` participants,
/// one of the user's participations), each as a JSON object of its columns but
/// `hidden`, oldest first. Table and column names come from [`TABLES`] and
/// [`THROUGH_PARTICIPANTS`] only, never from a request.
async fn rows(
    db: &Db,
    table: &str,
    column: &str,
    hidden: &[&str],
    user: UserId,
    through: bool,
) -> Result<Vec<Value>, DbError> {
    let shown: Vec<String> = columns(db, table)
        .await?
        .into_iter()
        .filter(|c| !hidden.contains(&c.as_str()))
        .collect();
    // Each row as JSON text, made by the database (its own types rendered its own way).
    let pairs = shown
        .iter()
        .map(|c| format!("'{c}', \"{c}\""))
        .collect::<Vec<_>>()
        .join(", ");
    let object = match db {
        Db::Sqlite(_) => format!("json_object({pairs})"),
        Db::Postgres(_) => format!("json_build_object({pairs})::text"),
    };
    let order = if shown.iter().any(|c| c == "id") {
        "id"
    } else {
        "1"
    };
    let whose = if through {
        "IN (SELECT id FROM match_participants WHERE user_id = $1)"
    } else {
        "= $1"
    };
    let sql =
        format!("SELECT {object} FROM \"{table}\" WHERE \"{column}\" {whose} ORDER BY {order}");
    let texts: Vec<(String,)> =
        with_db!(db, p => sqlx::query_as(&sql).bind(user.0).fetch_all(p).await?);
    // The database wrote this JSON: a row it cannot be read back from is a fault,
    // never a row left out of the person's file.
    texts
        .into_iter()
        .map(|(t,)| serde_json::from_str(&t).map_err(|e| sqlx::Error::Decode(Box::new(e)).into()))
        .collect()
}

/// Everything about `user`: for each entry of [`TABLES`], `"table.column"` →
/// its rows; plus the sign-in attempts counted against their address.
pub async fn person(db: &Db, user: UserId, email: &str) -> Result<Map<String, Value>, DbError> {
    let mut out = Map::new();
    for (table, column, hidden) in TABLES {
        let rows = rows(db, table, column, hidden, user, false).await?;
        out.insert(format!("{table}.{column}"), Value::Array(rows));
    }
    for (table, column) in THROUGH_PARTICIPANTS {
        let rows = rows(db, table, column, &[], user, true).await?;
        out.insert(format!("{table}.{column}"), Value::Array(rows));
    }
    let attempts = super::sessions::account_attempts(db, email).await?;
    out.insert(
        "login_failures.key".to_owned(),
        Value::Array(
            attempts
                .into_iter()
                .map(|(key, at)| serde_json::json!({"key": key, "at": at}))
                .collect(),
        ),
    );
    Ok(out)
}

/// Every (table, column) of the database with a foreign key to `table` (e.g.
/// `users`), for the tests that keep [`TABLES`], the leaving's fates and the
/// merge's moves complete.
pub async fn references_to(db: &Db, table: &str) -> Result<Vec<(String, String)>, DbError> {
    Ok(match db {
        Db::Sqlite(p) => {
            sqlx::query_as(
                "SELECT m.name, f.\"from\" FROM sqlite_master m, pragma_foreign_key_list(m.name) f
             WHERE m.type = 'table' AND f.\"table\" = $1 ORDER BY 1, 2",
            )
            .bind(table)
            .fetch_all(p)
            .await?
        }
        Db::Postgres(p) => {
            sqlx::query_as(
                "SELECT cl.relname::text, a.attname::text FROM pg_constraint c
             JOIN pg_class cl ON cl.oid = c.conrelid
             JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
             WHERE c.contype = 'f' AND c.confrelid = $1::text::regclass ORDER BY 1, 2",
            )
            .bind(table)
            .fetch_all(p)
            .await?
        }
    })
}
