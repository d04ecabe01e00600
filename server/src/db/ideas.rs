//! The idea board: ideas and their photos, tags and search terms; 공감 votes;
//! threaded comments; follows; stages; reports and moderation; keyset feeds.

use super::{
    Db, Tx,
    notifications::{self, Event, To},
    problems::{Viewer, insert_terms, query_terms},
    with_db, with_tx,
};
use crate::error::{DbError, UniqueRule};

/// One open report per person and idea or comment.
pub const REPORT_ONCE: UniqueRule = UniqueRule {
    postgres: "idea_reports_once",
    sqlite: "idea_reports_once",
};
use chrono::{DateTime, Utc};
use moim_core::{
    CommentId, ConsortiumId, IdeaId, ProblemId, UserId,
    account::PersonRef,
    idea::*,
    notification::NotificationKind,
    search::{self, Term},
};
use sqlx::QueryBuilder;
use std::collections::{BTreeMap, HashMap, HashSet};

/// An idea as stored, with the names cards show.
#[derive(sqlx::FromRow, Debug, Clone)]
pub struct IdeaRow {
    pub id: i64,
    pub author_id: i64,
    pub consortium_id: Option<i64>,
    pub title: String,
    pub body: String,
    pub tags: String,
    pub stage: String,
    pub problem_id: Option<i64>,
    pub state: String,
    pub votes: i64,
    pub comments: i64,
    pub photo_count: i64,
    pub created_at: DateTime<Utc>,
    pub edited_at: Option<DateTime<Utc>>,
    pub author_name: String,
    pub author_org_name: String,
    pub consortium_name: Option<String>,
    pub first_photo: Option<i64>,
}

const SELECT: &str = "SELECT i.id, i.author_id, i.consortium_id, i.title, i.body, i.tags, i.stage, i.problem_id, i.state,
    i.votes, i.comments, i.photo_count, i.created_at, i.edited_at, u.name AS author_name, o.name AS author_org_name,
    c.name AS consortium_name, (SELECT ph.id FROM idea_photos ph WHERE ph.idea_id = i.id AND ph.position = 0) AS first_photo
    FROM ideas i JOIN users u ON u.id = i.author_id JOIN organisations o ON o.id = u.org_id
    LEFT JOIN consortia c ON c.id = i.consortium_id";

impl IdeaRow {
    pub fn author(&self) -> UserId {
        UserId(self.author_id)
    }
    pub fn consortium(&self) -> Option<ConsortiumId> {
        self.consortium_id.map(ConsortiumId)
    }
    pub fn is_live(&self) -> bool {
        self.state == "live"
    }
    pub fn is_hidden(&self) -> bool {
        self.state == "hidden"
    }
    pub fn stage(&self) -> IdeaStage {
        IdeaStage::from_code(&self.stage).unwrap_or(IdeaStage::New)
    }
    pub fn tag_list(&self) -> Vec<String> {
        serde_json::from_str(&self.tags).unwrap_or_default()
    }
    /// Whether the author may still edit it.
    pub fn editable(&self, now: DateTime<Utc>) -> bool {
        self.state != "deleted"
            && now - self.created_at < chrono::Duration::hours(EDIT_WINDOW_HOURS)
    }
    pub fn summary(&self, voted: bool) -> IdeaSummary {
        IdeaSummary {
            id: IdeaId(self.id),
            title: self.title.clone(),
            excerpt: excerpt(&self.body, 120),
            tags: self.tag_list(),
            consortium: match (self.consortium_id, &self.consortium_name) {
                (Some(id), Some(name)) => Some(ConsortiumTag {
                    id: ConsortiumId(id),
                    name: name.clone(),
                }),
                _ => None,
            },
            author: PersonRef {
                id: self.author(),
                name: self.author_name.clone(),
                org_name: self.author_org_name.clone(),
            },
            stage: self.stage(),
            votes: self.votes,
            comments: self.comments,
            photo: self.first_photo,
            photo_count: self.photo_count,
            voted,
            hidden: self.is_hidden(),
            created_at: self.created_at,
        }
    }
}

/// One idea in any state (the caller decides who may see it).
pub async fn find(db: &Db, id: IdeaId) -> Result<IdeaRow, DbError> {
    let sql = format!("{SELECT} WHERE i.id = $1");
    Ok(with_db!(db, p => sqlx::query_as(&sql).bind(id.0).fetch_one(p).await?))
}

/// Weighted search terms: title 3, tags 2, body 1.
fn weighted_terms(title: &str, tags: &[String], body: &str) -> BTreeMap<Term, i64> {
    let mut out = BTreeMap::new();
    for (text, w) in [(body, 1), (&tags.join(" ")[..], 2), (title, 3)] {
        for t in search::index_terms(text) {
            out.insert(t, w);
        }
    }
    out
}

/// Replaces tags and search terms of an idea.
async fn write_index(
    tx: &mut Tx,
    id: i64,
    title: &str,
    body: &str,
    tags: &[String],
) -> Result<(), DbError> {
    with_tx!(tx, c => {
        sqlx::query("DELETE FROM idea_tags WHERE idea_id = $1").bind(id).execute(&mut *c).await?;
        sqlx::query("DELETE FROM idea_terms WHERE idea_id = $1").bind(id).execute(&mut *c).await?;
        for t in tags {
            sqlx::query("INSERT INTO idea_tags (tag, idea_id) VALUES ($1, $2)").bind(t.to_lowercase()).bind(id).execute(&mut *c).await?;
        }
    });
    insert_terms(
        tx,
        "idea_terms",
        "idea_id",
        id,
        &weighted_terms(title, tags, body),
    )
    .await
}

/// Keeps the rising score in step with votes and comments.
async fn refresh_rising(tx: &mut Tx, id: i64) -> Result<(i64, i64), DbError> {
    let (votes, comments, created): (i64, i64, DateTime<Utc>) = with_tx!(tx, c => sqlx::query_as(
        "SELECT votes, comments, created_at FROM ideas WHERE id = $1").bind(id).fetch_one(&mut *c).await?);
    with_tx!(tx, c => sqlx::query("UPDATE ideas SET rising = $1 WHERE id = $2")
        .bind(rising_score(votes, comments, created)).bind(id).execute(&mut *c).await?.rows_affected());
    Ok((votes, comments))
}

async fn add_event(
    tx: &mut Tx,
    id: i64,
    kind: IdeaEventKind,
    stage: Option<IdeaStage>,
    note: Option<&str>,
    actor: UserId,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    with_tx!(tx, c => sqlx::query("INSERT INTO idea_events (idea_id, kind, stage, note, actor_id, at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(id).bind(kind.code()).bind(stage.map(IdeaStage::code)).bind(note).bind(actor.0).bind(now)
        .execute(&mut *c).await?.rows_affected());
    Ok(())
}

/// A photo written to the data directory, to be recorded with its idea.
pub struct StoredPhoto {
    pub content_type: &'static str,
    pub size: i64,
    pub key: String,
}

/// Saves a new idea with its photos. A retry with the same idempotency key
/// returns the first idea and `false` (its photos are not recorded again).
pub async fn create(
    db: &Db,
    author: UserId,
    idea: &NewIdea,
    photos: &[StoredPhoto],
    now: DateTime<Utc>,
) -> Result<(IdeaId, bool), DbError> {
    let tags = clean_tags(&idea.tags);
    let key = idea.idempotency_key.trim();
    let mut tx = db.begin().await?;
    let inserted: Option<(i64,)> = with_tx!(&mut tx, c => sqlx::query_as(
        "INSERT INTO ideas (author_id, consortium_id, title, body, tags, stage, state, photo_count, rising, idempotency_key, created_at)
         VALUES ($1, $2, $3, $4, $5, 'new', 'live', $6, $7, $8, $9)
         ON CONFLICT (author_id, idempotency_key) DO NOTHING RETURNING id")
        .bind(author.0).bind(idea.consortium_id.map(|c| c.0)).bind(idea.title.trim()).bind(idea.body.trim())
        .bind(serde_json::to_string(&tags).unwrap_or_default()).bind(i64::try_from(photos.len()).unwrap_or(0))
        .bind(rising_score(0, 0, now)).bind(key).bind(now)
        .fetch_optional(&mut *c).await?);
    let Some((id,)) = inserted else {
        drop(tx);
        let (id,): (i64,) = with_db!(db, p => sqlx::query_as("SELECT id FROM ideas WHERE author_id = $1 AND idempotency_key = $2")
            .bind(author.0).bind(key).fetch_one(p).await?);
        return Ok((IdeaId(id), false));
    };
    write_index(&mut tx, id, idea.title.trim(), idea.body.trim(), &tags).await?;
    with_tx!(&mut tx, c => {
        for (i, ph) in photos.iter().enumerate() {
            sqlx::query("INSERT INTO idea_photos (idea_id, position, content_type, size, storage_key) VALUES ($1, $2, $3, $4, $5)")
                .bind(id).bind(i64::try_from(i).unwrap_or(0)).bind(ph.content_type).bind(ph.size).bind(&ph.key)
                .execute(&mut *c).await?;
        }
        sqlx::query("INSERT INTO idea_follows (idea_id, user_id) VALUES ($1, $2)").bind(id).bind(author.0).execute(&mut *c).await?;
    });
    add_event(&mut tx, id, IdeaEventKind::Posted, None, None, author, now).await?;
    tx.commit().await?;
    Ok((IdeaId(id), true))
}

/// The author's edit.
pub async fn update(db: &Db, id: IdeaId, e: &EditIdea, now: DateTime<Utc>) -> Result<(), DbError> {
    let tags = clean_tags(&e.tags);
    let mut tx = db.begin().await?;
    with_tx!(&mut tx, c => sqlx::query("UPDATE ideas SET title = $1, body = $2, tags = $3, edited_at = $4 WHERE id = $5")
        .bind(e.title.trim()).bind(e.body.trim()).bind(serde_json::to_string(&tags).unwrap_or_default()).bind(now).bind(id.0)
        .execute(&mut *c).await?.rows_affected());
    write_index(&mut tx, id.0, e.title.trim(), e.body.trim(), &tags).await?;
    tx.commit().await?;
    Ok(())
}

/// The author deletes an idea: it and its comments are gone for everyone. Returns
/// the keys of its photo files.
pub async fn delete(db: &Db, id: IdeaId) -> Result<Vec<String>, DbError> {
    let mut tx = db.begin().await?;
    let keys: Vec<(String,)> = with_tx!(&mut tx, c => {
        sqlx::query("UPDATE ideas SET state = 'deleted', body = '', tags = '[]' WHERE id = $1").bind(id.0).execute(&mut *c).await?;
        sqlx::query("DELETE FROM idea_terms WHERE idea_id = $1").bind(id.0).execute(&mut *c).await?;
        sqlx::query("DELETE FROM idea_tags WHERE idea_id = $1").bind(id.0).execute(&mut *c).await?;
        sqlx::query("UPDATE idea_reports SET resolved_at = created_at WHERE idea_id = $1 AND resolved_at IS NULL").bind(id.0).execute(&mut *c).await?;
        sqlx::query_as("DELETE FROM idea_photos WHERE idea_id = $1 RETURNING storage_key").bind(id.0).fetch_all(&mut *c).await?
    });
    tx.commit().await?;
    Ok(keys.into_iter().map(|(k,)| k).collect())
}

/// Gives (`on`) or takes back a 공감. Idempotent: a second tap changes nothing.
/// Returns the idea's votes.
pub async fn vote(
    db: &Db,
    id: IdeaId,
    user: UserId,
    on: bool,
    now: DateTime<Utc>,
) -> Result<i64, DbError> {
    let mut tx = db.begin().await?;
    let changed = with_tx!(&mut tx, c => if on {
        sqlx::query("INSERT INTO idea_votes (idea_id, user_id, created_at) VALUES ($1, $2, $3) ON CONFLICT (idea_id, user_id) DO NOTHING")
            .bind(id.0).bind(user.0).bind(now).execute(&mut *c).await?.rows_affected()
    } else {
        sqlx::query("DELETE FROM idea_votes WHERE idea_id = $1 AND user_id = $2").bind(id.0).bind(user.0).execute(&mut *c).await?.rows_affected()
    });
    if changed > 0 {
        let delta: i64 = if on { 1 } else { -1 };
        with_tx!(&mut tx, c => sqlx::query("UPDATE ideas SET votes = votes + $1 WHERE id = $2").bind(delta).bind(id.0)
            .execute(&mut *c).await?.rows_affected());
    }
    let (votes, _) = refresh_rising(&mut tx, id.0).await?;
    tx.commit().await?;
    Ok(votes)
}

/// Follows (or stops following) an idea's comments.
pub async fn follow(db: &Db, id: IdeaId, user: UserId, on: bool) -> Result<(), DbError> {
    with_db!(db, p => if on {
        sqlx::query("INSERT INTO idea_follows (idea_id, user_id) VALUES ($1, $2) ON CONFLICT (idea_id, user_id) DO NOTHING")
            .bind(id.0).bind(user.0).execute(p).await?.rows_affected()
    } else {
        sqlx::query("DELETE FROM idea_follows WHERE idea_id = $1 AND user_id = $2").bind(id.0).bind(user.0).execute(p).await?.rows_affected()
    });
    Ok(())
}

pub async fn is_following(db: &Db, id: IdeaId, user: UserId) -> Result<bool, DbError> {
    let row: Option<(i64,)> = with_db!(db, p => sqlx::query_as("SELECT idea_id FROM idea_follows WHERE idea_id = $1 AND user_id = $2")
        .bind(id.0).bind(user.0).fetch_optional(p).await?);
    Ok(row.is_some())
}

/// A comment as stored.
#[derive(sqlx::FromRow, Debug, Clone)]
pub struct CommentRow {
    pub id: i64,
    pub idea_id: i64,
    pub parent_id: Option<i64>,
    pub author_id: i64,
    pub body: String,
    pub state: String,
    pub created_at: DateTime<Utc>,
    pub edited_at: Option<DateTime<Utc>>,
    pub author_name: String,
    pub author_org_name: String,
}

const COMMENT_SELECT: &str = "SELECT m.id, m.idea_id, m.parent_id, m.author_id, m.body, m.state, m.created_at, m.edited_at,
    u.name AS author_name, o.name AS author_org_name
    FROM idea_comments m JOIN users u ON u.id = m.author_id JOIN organisations o ON o.id = u.org_id";

/// One comment of an idea.
pub async fn comment(db: &Db, idea: IdeaId, id: CommentId) -> Result<CommentRow, DbError> {
    let sql = format!("{COMMENT_SELECT} WHERE m.id = $1 AND m.idea_id = $2");
    Ok(with_db!(db, p => sqlx::query_as(&sql).bind(id.0).bind(idea.0).fetch_one(p).await?))
}

/// What adding a comment did.
#[derive(Debug, PartialEq, Eq)]
pub enum Commented {
    /// Added now.
    Created(CommentId),
    /// The same idempotency key was sent before: the first comment.
    Existing(CommentId),
    /// The parent is not a visible comment of this idea.
    BadParent,
}

/// Adds a comment or reply; the commenter follows the idea from now on; followers
/// (and the author of the comment answered) are told.
pub async fn add_comment(
    db: &Db,
    idea: &IdeaRow,
    author: UserId,
    c: &NewComment,
    now: DateTime<Utc>,
) -> Result<Commented, DbError> {
    let key = c.idempotency_key.trim();
    let existing: Option<(i64,)> = with_db!(db, p => sqlx::query_as("SELECT id FROM idea_comments WHERE author_id = $1 AND idempotency_key = $2")
        .bind(author.0).bind(key).fetch_optional(p).await?);
    if let Some((id,)) = existing {
        return Ok(Commented::Existing(CommentId(id)));
    }
    let parent_author = match c.parent_id {
        Some(pid) => {
            let row: Option<(i64,)> = with_db!(db, p => sqlx::query_as(
                "SELECT author_id FROM idea_comments WHERE id = $1 AND idea_id = $2 AND state = 'live'")
                .bind(pid.0).bind(idea.id).fetch_optional(p).await?);
            match row {
                Some((a,)) => Some(UserId(a)),
                None => return Ok(Commented::BadParent),
            }
        }
        None => None,
    };
    let mut tx = db.begin().await?;
    let inserted: Option<(i64,)> = with_tx!(&mut tx, cn => sqlx::query_as(
        "INSERT INTO idea_comments (idea_id, parent_id, author_id, body, state, idempotency_key, created_at)
         VALUES ($1, $2, $3, $4, 'live', $5, $6) ON CONFLICT (author_id, idempotency_key) DO NOTHING RETURNING id")
        .bind(idea.id).bind(c.parent_id.map(|p| p.0)).bind(author.0).bind(c.body.trim()).bind(key).bind(now)
        .fetch_optional(&mut *cn).await?);
    let Some((id,)) = inserted else {
        drop(tx);
        let (id,): (i64,) = with_db!(db, p => sqlx::query_as("SELECT id FROM idea_comments WHERE author_id = $1 AND idempotency_key = $2")
            .bind(author.0).bind(key).fetch_one(p).await?);
        return Ok(Commented::Existing(CommentId(id)));
    };
    with_tx!(&mut tx, cn => {
        sqlx::query("UPDATE ideas SET comments = comments + 1 WHERE id = $1").bind(idea.id).execute(&mut *cn).await?;
        sqlx::query("INSERT INTO idea_follows (idea_id, user_id) VALUES ($1, $2) ON CONFLICT (idea_id, user_id) DO NOTHING")
            .bind(idea.id).bind(author.0).execute(&mut *cn).await?;
    });
    refresh_rising(&mut tx, idea.id).await?;
    let event = |kind| Event {
        kind,
        consortium: idea.consortium(),
        org: None,
        problem: None,
        idea: Some(IdeaId(idea.id)),
        activity: None,
        survey: None,
        application: None,
        actor: Some(author),
        note: Some(excerpt(c.body.trim(), 80)),
        at: now,
    };
    if let Some(pa) = parent_author {
        notifications::notify(&mut tx, To::User(pa), &event(NotificationKind::IdeaReplied)).await?;
    }
    notifications::notify(
        &mut tx,
        To::IdeaFollowers(IdeaId(idea.id), parent_author),
        &event(NotificationKind::IdeaCommented),
    )
    .await?;
    tx.commit().await?;
    Ok(Commented::Created(CommentId(id)))
}

/// The author's edit of a comment.
pub async fn edit_comment(
    db: &Db,
    id: CommentId,
    body: &str,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    with_db!(db, p => sqlx::query("UPDATE idea_comments SET body = $1, edited_at = $2 WHERE id = $3")
        .bind(body.trim()).bind(now).bind(id.0).execute(p).await?.rows_affected());
    Ok(())
}

/// Sets a comment's state (`live`, `hidden`, `deleted`), keeping the idea's count
/// of visible comments and its reports in step.
pub async fn set_comment_state(
    db: &Db,
    idea: IdeaId,
    id: CommentId,
    state: &str,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let mut tx = db.begin().await?;
    let (before,): (String,) = with_tx!(&mut tx, c => sqlx::query_as("SELECT state FROM idea_comments WHERE id = $1")
        .bind(id.0).fetch_one(&mut *c).await?);
    let delta: i64 = match (before == "live", state == "live") {
        (true, false) => -1,
        (false, true) => 1,
        _ => 0,
    };
    with_tx!(&mut tx, c => {
        if state == "deleted" {
            sqlx::query("UPDATE idea_comments SET state = $1, body = '' WHERE id = $2").bind(state).bind(id.0).execute(&mut *c).await?;
        } else {
            sqlx::query("UPDATE idea_comments SET state = $1 WHERE id = $2").bind(state).bind(id.0).execute(&mut *c).await?;
        }
        sqlx::query("UPDATE ideas SET comments = comments + $1 WHERE id = $2").bind(delta).bind(idea.0).execute(&mut *c).await?;
        sqlx::query("UPDATE idea_reports SET resolved_at = $1 WHERE comment_id = $2 AND resolved_at IS NULL").bind(now).bind(id.0).execute(&mut *c).await?;
    });
    refresh_rising(&mut tx, idea.0).await?;
    tx.commit().await?;
    Ok(())
}

/// An idea's comments as `viewer` sees them: hidden and deleted ones keep their
/// place only when something visible answers them, and without their text unless
/// the viewer moderates.
pub async fn comments(
    db: &Db,
    idea: &IdeaRow,
    viewer: Option<UserId>,
    moderator: bool,
    now: DateTime<Utc>,
) -> Result<Vec<CommentView>, DbError> {
    let sql = format!("{COMMENT_SELECT} WHERE m.idea_id = $1 ORDER BY m.id");
    let rows: Vec<CommentRow> =
        with_db!(db, p => sqlx::query_as(&sql).bind(idea.id).fetch_all(p).await?);
    let reports: HashMap<i64, i64> = if moderator {
        let r: Vec<(i64, i64)> = with_db!(db, p => sqlx::query_as(
            "SELECT comment_id, COUNT(*) FROM idea_reports WHERE idea_id = $1 AND comment_id IS NOT NULL AND resolved_at IS NULL GROUP BY comment_id")
            .bind(idea.id).fetch_all(p).await?);
        r.into_iter().collect()
    } else {
        HashMap::new()
    };
    // A removed comment stays as a placeholder while a shown comment answers it.
    let mut shown: HashSet<i64> = rows
        .iter()
        .filter(|r| r.state == "live" || (moderator && r.state == "hidden"))
        .map(|r| r.id)
        .collect();
    let parents: HashMap<i64, Option<i64>> = rows.iter().map(|r| (r.id, r.parent_id)).collect();
    for id in shown.clone() {
        let mut p = parents.get(&id).copied().flatten();
        while let Some(pid) = p {
            if !shown.insert(pid) {
                break;
            }
            p = parents.get(&pid).copied().flatten();
        }
    }
    Ok(rows
        .into_iter()
        .filter(|r| shown.contains(&r.id))
        .map(|r| {
            let hidden = r.state == "hidden";
            let deleted = r.state == "deleted";
            let mine = viewer == Some(UserId(r.author_id));
            CommentView {
                id: CommentId(r.id),
                parent_id: r.parent_id.map(CommentId),
                by_idea_author: r.author_id == idea.author_id,
                mine,
                editable: mine
                    && r.state == "live"
                    && now - r.created_at < chrono::Duration::hours(EDIT_WINDOW_HOURS),
                body: if deleted || (hidden && !moderator) {
                    String::new()
                } else {
                    r.body
                },
                author: PersonRef {
                    id: UserId(r.author_id),
                    name: if deleted {
                        String::new()
                    } else {
                        r.author_name
                    },
                    org_name: if deleted {
                        String::new()
                    } else {
                        r.author_org_name
                    },
                },
                hidden,
                deleted,
                edited: r.edited_at.is_some(),
                reports: reports.get(&r.id).copied().unwrap_or(0),
                created_at: r.created_at,
            }
        })
        .collect())
}

/// Moves an idea to another stage (with the CM's note) and tells its followers.
pub async fn move_stage(
    db: &Db,
    idea: &IdeaRow,
    m: &MoveIdea,
    actor: UserId,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let mut tx = db.begin().await?;
    with_tx!(&mut tx, c => sqlx::query("UPDATE ideas SET stage = $1, problem_id = $2 WHERE id = $3")
        .bind(m.stage.code()).bind(m.problem_id.map(|p| p.0)).bind(idea.id).execute(&mut *c).await?.rows_affected());
    add_event(
        &mut tx,
        idea.id,
        IdeaEventKind::Stage,
        Some(m.stage),
        Some(m.note.trim()),
        actor,
        now,
    )
    .await?;
    let event = Event {
        kind: NotificationKind::IdeaStageChanged,
        consortium: idea.consortium(),
        org: None,
        problem: m.problem_id,
        idea: Some(IdeaId(idea.id)),
        activity: None,
        survey: None,
        application: None,
        actor: Some(actor),
        note: Some(m.note.trim().to_owned()),
        at: now,
    };
    notifications::notify(&mut tx, To::IdeaFollowers(IdeaId(idea.id), None), &event).await?;
    tx.commit().await?;
    Ok(())
}

/// A moderator hides or restores an idea; its open reports are settled.
pub async fn set_hidden(
    db: &Db,
    id: IdeaId,
    hidden: bool,
    note: Option<&str>,
    actor: UserId,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let mut tx = db.begin().await?;
    with_tx!(&mut tx, c => {
        sqlx::query("UPDATE ideas SET state = $1 WHERE id = $2 AND state <> 'deleted'")
            .bind(if hidden { "hidden" } else { "live" }).bind(id.0).execute(&mut *c).await?;
        sqlx::query("UPDATE idea_reports SET resolved_at = $1 WHERE idea_id = $2 AND comment_id IS NULL AND resolved_at IS NULL")
            .bind(now).bind(id.0).execute(&mut *c).await?;
    });
    let kind = if hidden {
        IdeaEventKind::Hidden
    } else {
        IdeaEventKind::Restored
    };
    add_event(
        &mut tx,
        id.0,
        kind,
        None,
        note.map(str::trim).filter(|n| !n.is_empty()),
        actor,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct EventRow {
    kind: String,
    stage: Option<String>,
    note: Option<String>,
    actor_name: Option<String>,
    at: DateTime<Utc>,
}

/// An idea's history, oldest first.
pub async fn history(db: &Db, id: IdeaId) -> Result<Vec<IdeaEvent>, DbError> {
    let rows: Vec<EventRow> = with_db!(db, p => sqlx::query_as(
        "SELECT e.kind, e.stage, e.note, u.name AS actor_name, e.at FROM idea_events e LEFT JOIN users u ON u.id = e.actor_id
         WHERE e.idea_id = $1 ORDER BY e.id").bind(id.0).fetch_all(p).await?);
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            Some(IdeaEvent {
                kind: IdeaEventKind::from_code(&r.kind)?,
                stage: r.stage.as_deref().and_then(IdeaStage::from_code),
                note: r.note,
                actor: r.actor_name,
                at: r.at,
            })
        })
        .collect())
}

/// Photo ids of an idea, in order.
pub async fn photos(db: &Db, id: IdeaId) -> Result<Vec<i64>, DbError> {
    let rows: Vec<(i64,)> = with_db!(db, p => sqlx::query_as("SELECT id FROM idea_photos WHERE idea_id = $1 ORDER BY position")
        .bind(id.0).fetch_all(p).await?);
    Ok(rows.into_iter().map(|(i,)| i).collect())
}

/// One photo: its type and storage key.
pub async fn photo(db: &Db, idea: IdeaId, id: i64) -> Result<(String, String), DbError> {
    Ok(
        with_db!(db, p => sqlx::query_as("SELECT content_type, storage_key FROM idea_photos WHERE id = $1 AND idea_id = $2")
        .bind(id).bind(idea.0).fetch_one(p).await?),
    )
}

/// Records a report; a second report of the same post by the same person while the
/// first is open changes nothing.
pub async fn report(
    db: &Db,
    idea: IdeaId,
    r: &NewReport,
    reporter: UserId,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let res = with_db!(db, p => sqlx::query(
        "INSERT INTO idea_reports (idea_id, comment_id, reporter_id, reason, note, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(idea.0).bind(r.comment_id.map(|c| c.0)).bind(reporter.0).bind(r.reason.code())
        .bind(r.note.as_deref().map(str::trim).filter(|n| !n.is_empty())).bind(now).execute(p).await.map(|r| r.rows_affected()));
    match res {
        Ok(_) => Ok(()),
        Err(e) => match DbError::from(e) {
            DbError::Unique(v) if v.of(&REPORT_ONCE) => Ok(()),
            other => Err(other),
        },
    }
}

/// Open reports on the idea itself (not its comments).
pub async fn open_reports(db: &Db, id: IdeaId) -> Result<i64, DbError> {
    let (n,): (i64,) = with_db!(db, p => sqlx::query_as(
        "SELECT COUNT(*) FROM idea_reports WHERE idea_id = $1 AND comment_id IS NULL AND resolved_at IS NULL")
        .bind(id.0).fetch_one(p).await?);
    Ok(n)
}

#[derive(sqlx::FromRow)]
struct ReportRow {
    id: i64,
    idea_id: i64,
    idea_title: String,
    comment_id: Option<i64>,
    idea_body: String,
    idea_state: String,
    comment_body: Option<String>,
    comment_state: Option<String>,
    reason: String,
    note: Option<String>,
    reporter_id: i64,
    reporter_name: String,
    reporter_org: String,
    created_at: DateTime<Utc>,
}

/// The open reports a moderator handles: on ideas of the consortia they manage,
/// and, for admins, on every idea.
pub async fn report_queue(db: &Db, v: &Viewer) -> Result<Vec<ReportView>, DbError> {
    let rows: Vec<ReportRow> = with_db!(db, p => {
        let mut b = QueryBuilder::new(
            "SELECT r.id, r.idea_id, i.title AS idea_title, r.comment_id, i.body AS idea_body, i.state AS idea_state,
                    m.body AS comment_body, m.state AS comment_state, r.reason, r.note, r.reporter_id,
                    u.name AS reporter_name, o.name AS reporter_org, r.created_at
             FROM idea_reports r JOIN ideas i ON i.id = r.idea_id LEFT JOIN idea_comments m ON m.id = r.comment_id
             JOIN users u ON u.id = r.reporter_id JOIN organisations o ON o.id = u.org_id
             WHERE r.resolved_at IS NULL AND i.state <> 'deleted'");
        if !v.admin {
            b.push(" AND i.consortium_id IN (SELECT consortium_id FROM consortium_managers WHERE user_id = ")
                .push_bind(v.user.map_or(-1, |u| u.0)).push(")");
        }
        b.push(" ORDER BY r.id LIMIT 200");
        b.build_query_as().fetch_all(p).await?
    });
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            let (text, state) = match (&r.comment_body, &r.comment_state) {
                (Some(b), Some(s)) => (b.as_str(), s.as_str()),
                _ => (r.idea_body.as_str(), r.idea_state.as_str()),
            };
            Some(ReportView {
                id: r.id,
                idea_id: IdeaId(r.idea_id),
                idea_title: r.idea_title,
                comment_id: r.comment_id.map(CommentId),
                excerpt: excerpt(text, 140),
                hidden: state == "hidden",
                reason: ReportReason::from_code(&r.reason)?,
                note: r.note,
                reporter: PersonRef {
                    id: UserId(r.reporter_id),
                    name: r.reporter_name,
                    org_name: r.reporter_org,
                },
                at: r.created_at,
            })
        })
        .collect())
}

/// A report's idea (to check who may settle it).
pub async fn report_idea(db: &Db, id: i64) -> Result<IdeaId, DbError> {
    let (i,): (i64,) = with_db!(db, p => sqlx::query_as("SELECT idea_id FROM idea_reports WHERE id = $1 AND resolved_at IS NULL")
        .bind(id).fetch_one(p).await?);
    Ok(IdeaId(i))
}

/// A moderator dismisses a report (the post stays as it is).
pub async fn dismiss_report(db: &Db, id: i64, now: DateTime<Utc>) -> Result<(), DbError> {
    with_db!(db, p => sqlx::query("UPDATE idea_reports SET resolved_at = $1 WHERE id = $2").bind(now).bind(id).execute(p).await?.rows_affected());
    Ok(())
}

/// Which ideas are visible to the viewer: open ones to all, a consortium's to its
/// member organisations' people, its CMs and admins. The unary `+` keeps the planners
/// (SQLite's above all) from answering this through the consortium index and then
/// sorting every match: the feed's order index should drive, stopping after a page.
macro_rules! push_visible {
    ($b:expr, $v:expr) => {{
        let v: &Viewer = $v;
        match (v.user, v.admin) {
            (_, true) => {}
            (None, _) => {
                $b.push(" AND +i.consortium_id IS NULL");
            }
            (Some(u), false) => {
                $b.push(" AND (+i.consortium_id IS NULL OR +i.consortium_id IN (SELECT consortium_id FROM memberships WHERE org_id = ")
                    .push_bind(v.org.map_or(-1, |o| o.0))
                    .push(") OR +i.consortium_id IN (SELECT consortium_id FROM consortium_managers WHERE user_id = ")
                    .push_bind(u.0)
                    .push("))");
            }
        }
    }};
}

macro_rules! push_filters {
    ($b:expr, $q:expr, $v:expr) => {{
        let q: &FeedQuery = $q;
        if q.mine.unwrap_or(false) {
            $b.push(" AND i.state <> 'deleted' AND i.author_id = ")
                .push_bind($v.user.map_or(-1, |u| u.0));
        } else {
            $b.push(" AND i.state = 'live'");
        }
        if let Some(c) = q.consortium {
            $b.push(" AND i.consortium_id = ").push_bind(c.0);
        }
        if let Some(s) = q.stage {
            $b.push(" AND i.stage = ").push_bind(s.code());
        }
        if let Some(t) = q.tag.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            $b.push(" AND EXISTS (SELECT 1 FROM idea_tags t WHERE t.idea_id = i.id AND t.tag = ")
                .push_bind(t.trim_start_matches('#').to_lowercase())
                .push(")");
        }
        push_visible!($b, $v);
    }};
}

/// The most a search ranks (a broad word can match most ideas).
const SEARCH_CAP: i64 = 2000;

/// One page of a feed, keyset-paged on (sort key, id): a deep page costs what the
/// first does. With words, ranked by how well they match (every word must occur).
pub async fn feed(db: &Db, q: &FeedQuery, v: &Viewer) -> Result<FeedPage, DbError> {
    let limit = i64::from(q.limit.unwrap_or(FEED_PAGE).clamp(1, 50));
    let after = q.after.as_deref().and_then(Cursor::parse);
    let words = q.q.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let terms: Vec<Term> = match words.map(|w| query_terms(w, true)) {
        Some(Some((terms, _))) => terms,
        Some(None) => {
            return Ok(FeedPage {
                items: Vec::new(),
                next: None,
            });
        }
        None => Vec::new(),
    };
    let rows: Vec<(i64, i64)> = with_db!(db, p => {
        let mut b = if terms.is_empty() {
            let key = match q.sort.unwrap_or(FeedSort::New) {
                FeedSort::New => "i.id",
                FeedSort::Rising => "i.rising",
                FeedSort::Discussed => "i.comments",
            };
            let mut b = QueryBuilder::new(format!("SELECT {key} AS k, i.id FROM ideas i WHERE 1 = 1"));
            push_filters!(b, q, v);
            if let Some(c) = after {
                // A row-value comparison: both databases walk the (key, id) index from there.
                b.push(format!(" AND ({key}, i.id) < (")).push_bind(c.key).push(", ").push_bind(c.id).push(")");
            }
            b.push(format!(" ORDER BY {key} DESC, i.id DESC"));
            b
        } else {
            let mut b = QueryBuilder::new("WITH hits AS (SELECT t0.idea_id, t0.weight");
            for i in 1..terms.len() {
                b.push(format!(" + t{i}.weight"));
            }
            b.push(" AS score FROM idea_terms t0");
            for (i, t) in terms.iter().enumerate().skip(1) {
                b.push(format!(" JOIN idea_terms t{i} ON t{i}.idea_id = t0.idea_id AND t{i}.term = ")).push_bind(*t);
            }
            b.push(" WHERE t0.term = ").push_bind(terms[0]);
            b.push(" ORDER BY score DESC, t0.idea_id DESC LIMIT ").push_bind(SEARCH_CAP);
            b.push(") SELECT h.score AS k, i.id FROM hits h JOIN ideas i ON i.id = h.idea_id WHERE 1 = 1");
            push_filters!(b, q, v);
            if let Some(c) = after {
                b.push(" AND (h.score, i.id) < (").push_bind(c.key).push(", ").push_bind(c.id).push(")");
            }
            b.push(" ORDER BY h.score DESC, i.id DESC");
            b
        };
        b.push(" LIMIT ").push_bind(limit + 1);
        b.build_query_as().fetch_all(p).await?
    });
    let more = rows.len() > usize::try_from(limit).unwrap_or(usize::MAX);
    let page: Vec<(i64, i64)> = rows
        .into_iter()
        .take(usize::try_from(limit).unwrap_or(0))
        .collect();
    let next = if more {
        page.last().map(|&(key, id)| Cursor { key, id }.to_string())
    } else {
        None
    };
    let ids: Vec<i64> = page.iter().map(|r| r.1).collect();
    Ok(FeedPage {
        items: summaries(db, &ids, v.user).await?,
        next,
    })
}

/// Cards for `ids`, in that order, with the viewer's votes.
pub async fn summaries(
    db: &Db,
    ids: &[i64],
    viewer: Option<UserId>,
) -> Result<Vec<IdeaSummary>, DbError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let (rows, voted): (Vec<IdeaRow>, Vec<(i64,)>) = with_db!(db, p => {
        let mut b = QueryBuilder::new(SELECT);
        b.push(" WHERE i.id IN (");
        let mut s = b.separated(", ");
        for id in ids {
            s.push_bind(*id);
        }
        b.push(")");
        let rows: Vec<IdeaRow> = b.build_query_as().fetch_all(p).await?;
        let voted = match viewer {
            Some(u) => {
                let mut b = QueryBuilder::new("SELECT idea_id FROM idea_votes WHERE user_id = ");
                b.push_bind(u.0).push(" AND idea_id IN (");
                let mut s = b.separated(", ");
                for id in ids {
                    s.push_bind(*id);
                }
                b.push(")");
                b.build_query_as().fetch_all(p).await?
            }
            None => Vec::new(),
        };
        (rows, voted)
    });
    let voted: HashSet<i64> = voted.into_iter().map(|(i,)| i).collect();
    let mut by_id: HashMap<i64, IdeaRow> = rows.into_iter().map(|r| (r.id, r)).collect();
    Ok(ids
        .iter()
        .filter_map(|id| by_id.remove(id))
        .map(|r| r.summary(voted.contains(&r.id)))
        .collect())
}

/// Whether the viewer gave the idea a 공감.
pub async fn has_voted(db: &Db, id: IdeaId, user: UserId) -> Result<bool, DbError> {
    let row: Option<(i64,)> = with_db!(db, p => sqlx::query_as("SELECT idea_id FROM idea_votes WHERE idea_id = $1 AND user_id = $2")
        .bind(id.0).bind(user.0).fetch_optional(p).await?);
    Ok(row.is_some())
}

/// Live ideas whose titles share most terms with `title`, while it is typed.
pub async fn similar(
    db: &Db,
    title: &str,
    v: &Viewer,
    limit: i64,
) -> Result<Vec<IdeaSummary>, DbError> {
    let Some((terms, need)) = query_terms(title, false) else {
        return Ok(Vec::new());
    };
    let ids: Vec<(i64,)> = with_db!(db, p => {
        let mut b = QueryBuilder::new("WITH hits AS (SELECT idea_id, COUNT(*) AS score FROM idea_terms WHERE weight = 3 AND term IN (");
        let mut s = b.separated(", ");
        for t in &terms {
            s.push_bind(*t);
        }
        b.push(") GROUP BY idea_id HAVING COUNT(*) >= ").push_bind(need);
        b.push(") SELECT i.id FROM hits h JOIN ideas i ON i.id = h.idea_id WHERE i.state = 'live'");
        push_visible!(b, v);
        b.push(" ORDER BY h.score DESC, i.id DESC LIMIT ").push_bind(limit);
        b.build_query_as().fetch_all(p).await?
    });
    let ids: Vec<i64> = ids.into_iter().map(|(i,)| i).collect();
    summaries(db, &ids, v.user).await
}

/// The consortia a person may post an idea to: their organisation's and the ones
/// they manage.
pub async fn postable_consortia(
    db: &Db,
    org: Option<moim_core::OrgId>,
    user: UserId,
) -> Result<Vec<ConsortiumTag>, DbError> {
    let rows: Vec<(i64, String)> = with_db!(db, p => sqlx::query_as(
        "SELECT c.id, c.name FROM consortia c WHERE c.status = 'active' AND (c.id IN (SELECT consortium_id FROM memberships WHERE org_id = $1)
            OR c.id IN (SELECT consortium_id FROM consortium_managers WHERE user_id = $2)) ORDER BY c.name")
        .bind(org.map_or(-1, |o| o.0)).bind(user.0).fetch_all(p).await?);
    Ok(rows
        .into_iter()
        .map(|(id, name)| ConsortiumTag {
            id: ConsortiumId(id),
            name,
        })
        .collect())
}

/// The title of a problem an idea became (if the caller may know it).
pub async fn problem_title(db: &Db, id: ProblemId) -> Result<Option<String>, DbError> {
    let row: Option<(String,)> = with_db!(db, p => sqlx::query_as("SELECT title FROM problems WHERE id = $1 AND status <> 'draft' AND confidentiality <> 'private'")
        .bind(id.0).fetch_optional(p).await?);
    Ok(row.map(|(t,)| t))
}

/// Synthetic ideas and votes for the feed benchmark: `ideas` ideas by the given
/// authors over the last year, `votes` votes spread over them, in large batches.
pub async fn seed_bench(
    db: &Db,
    authors: &[i64],
    consortia: &[i64],
    ideas: usize,
    votes: usize,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    const WORDS: &[&str] = &[
        "스마트",
        "공장",
        "금형",
        "냉각",
        "센서",
        "데이터",
        "물류",
        "자동화",
        "에너지",
        "절감",
        "용접",
        "로봇",
        "검사",
        "비전",
        "AI",
        "도금",
        "폐수",
        "재활용",
        "안전",
        "교육",
        "공동",
        "구매",
        "수출",
        "플랫폼",
    ];
    let mut next = super::xorshift(0x2545_F491_4F6C_DD1D);
    let n_users = authors.len().max(1);
    let mut vote_counts = vec![0i64; ideas];
    // Votes go mostly to a few popular ideas, as they do.
    for _ in 0..votes {
        let r = next();
        let i = if r.is_multiple_of(4) {
            (r >> 8) as usize % ideas.max(1)
        } else {
            ((r >> 8) as usize % (ideas / 20).max(1)) * 20 % ideas.max(1)
        };
        vote_counts[i] += 1;
    }
    // Rows for ideas, their terms and votes are written in fixed-size multi-row
    // INSERTs (one prepared shape each), a transaction per 2,000 ideas.
    const BATCH: usize = 2000;
    let mut start = 0;
    while start < ideas {
        let end = (start + BATCH).min(ideas);
        let mut idea_rows = Vec::with_capacity(end - start);
        for i in start..end {
            let r = next();
            let w = |shift: u32| WORDS[(r >> shift) as usize % WORDS.len()];
            let title = format!("{} {} {} 아이디어 {i}", w(0), w(5), w(10));
            let body = format!(
                "{title}: 협의체 회원사가 함께 {} 문제를 풀어 보자는 제안입니다.",
                w(15)
            );
            let created =
                now - chrono::Duration::seconds(i64::try_from(ideas - i).unwrap_or(0) * 300);
            let comments = i64::try_from((r >> 20) % 12).unwrap_or(0);
            let consortium = ((r >> 24).is_multiple_of(3) && !consortia.is_empty())
                .then(|| consortia[(r >> 26) as usize % consortia.len()]);
            let v = vote_counts[i].min(i64::try_from(n_users).unwrap_or(i64::MAX));
            idea_rows.push((
                authors[i % n_users],
                consortium,
                title,
                body,
                v,
                comments,
                created,
                i,
            ));
        }
        let mut tx = db.begin().await?;
        let mut ids = Vec::with_capacity(idea_rows.len());
        for chunk in idea_rows.chunks(500) {
            let got: Vec<(i64,)> = with_tx!(&mut tx, c => {
                let mut b = QueryBuilder::new("INSERT INTO ideas (author_id, consortium_id, title, body, tags, stage, state, votes, comments, rising, idempotency_key, created_at) ");
                b.push_values(chunk, |mut q, (author, consortium, title, body, v, comments, created, i)| {
                    q.push_bind(*author).push_bind(*consortium).push_bind(title).push_bind(body).push_bind("[]").push_bind("new")
                        .push_bind("live").push_bind(*v).push_bind(*comments).push_bind(rising_score(*v, *comments, *created))
                        .push_bind(format!("bench-{i}")).push_bind(*created);
                });
                b.push(" RETURNING id");
                b.build_query_as().fetch_all(&mut *c).await?
            });
            ids.extend(got.into_iter().map(|(id,)| id));
        }
        let mut terms: Vec<(i64, Term, i64)> = Vec::new();
        let mut voters: Vec<(i64, i64, DateTime<Utc>)> = Vec::new();
        for (id, (_, _, title, body, v, _, created, _)) in ids.iter().zip(&idea_rows) {
            terms.extend(
                weighted_terms(title, &[], body)
                    .into_iter()
                    .map(|(t, w)| (*id, t, w)),
            );
            // Voters: consecutive users from a random start, so (idea, user) never repeats.
            let from = (next() as usize) % n_users;
            voters.extend(
                (0..usize::try_from(*v).unwrap_or(0))
                    .map(|k| (*id, authors[(from + k) % n_users], *created)),
            );
        }
        with_tx!(&mut tx, c => {
            for chunk in terms.chunks(1000) {
                let mut b = QueryBuilder::new("INSERT INTO idea_terms (idea_id, term, weight) ");
                b.push_values(chunk, |mut q, (id, t, w)| {
                    q.push_bind(*id).push_bind(*t).push_bind(*w);
                });
                b.build().execute(&mut *c).await?;
            }
            for chunk in voters.chunks(1000) {
                let mut b = QueryBuilder::new("INSERT INTO idea_votes (idea_id, user_id, created_at) ");
                b.push_values(chunk, |mut q, (id, u, at)| {
                    q.push_bind(*id).push_bind(*u).push_bind(*at);
                });
                b.build().execute(&mut *c).await?;
            }
        });
        tx.commit().await?;
        start = end;
    }
    Ok(())
}
