//! Surveys: the questionnaire and its target as written, whom it asks (the
//! member organisations its scope and audience reach, today), the answers
//! (one per organisation or per person, a draft until submitted), and the
//! reminder to those who have not answered.

use super::{
    Db, code, decode, encode,
    notifications::{Event, To, notify},
    with_db, with_tx,
};
use crate::error::DbError;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use moim_core::{
    ConsortiumId, FieldErrors, OrgId, SurveyId, UserId,
    account::CLOSED_ACCOUNT_NAME,
    figures::YearFigures,
    notification::NotificationKind,
    questionnaire::{Answer, Answers, Question, Questionnaire},
    reference::Region,
    survey::{
        Audience, ConsortiumResponses, Respondent, SaveAnswer, SurveyAnswer, SurveyDraft,
        SurveyScope, SurveyStatus, SurveySummary,
    },
};

/// Every (survey, organisation, consortium) a survey asks: the open member
/// organisations (firms only, for a firms' survey) of the active consortia its
/// scope reaches. Used as a subquery; `s` is the survey.
const TARGETS: &str = "SELECT s.id AS survey_id, m.org_id, m.consortium_id FROM surveys s \
     CROSS JOIN memberships m JOIN consortia c ON c.id = m.consortium_id \
     JOIN complexes x ON x.id = c.complex_id JOIN organisations o ON o.id = m.org_id \
     WHERE c.status = 'active' AND o.closed_at IS NULL AND (s.audience = 'members' OR o.kind = 'firm') \
       AND (s.scope = 'programme' OR (s.scope = 'region' AND x.region = s.region) \
         OR (s.scope = 'consortia' AND EXISTS (SELECT 1 FROM survey_consortia sc \
             WHERE sc.survey_id = s.id AND sc.consortium_id = m.consortium_id)))";

/// Whether person `$1` manages survey `s` as CM: it is sent only to
/// consortia, and they manage every one.
const MANAGED_BY: &str = "s.scope = 'consortia' AND NOT EXISTS ( \
     SELECT 1 FROM survey_consortia sc WHERE sc.survey_id = s.id AND NOT EXISTS ( \
       SELECT 1 FROM consortium_managers cm WHERE cm.consortium_id = sc.consortium_id AND cm.user_id = $1))";

/// The people who answer for an organisation `u.org_id` of a person's survey:
/// its confirmed, open accounts.
const ANSWERING: &str = "u.affiliation = 'confirmed' AND u.closed_at IS NULL";

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    title: String,
    description: Option<String>,
    scope: String,
    region: Option<String>,
    audience: String,
    respondent: String,
    opens_on: NaiveDate,
    closes_on: NaiveDate,
    remind_days: Option<i64>,
    questionnaire: String,
    figures_year: Option<i32>,
    author: Option<String>,
    closed: bool,
    answered: bool,
}

/// A survey as kept.
pub struct Survey {
    pub id: SurveyId,
    pub draft: SurveyDraft,
    pub author: Option<String>,
    /// Closed early by its author.
    pub closed: bool,
    /// Someone saved an answer.
    pub answered: bool,
}

impl Survey {
    /// Where it stands on `today`.
    pub fn status(&self, today: NaiveDate) -> SurveyStatus {
        SurveyStatus::on(
            today,
            self.draft.opens_on,
            self.draft.closes_on,
            self.closed,
        )
    }
}

const COLUMNS: &str = "s.id, s.title, s.description, s.scope, s.region, s.audience, s.respondent, \
     s.opens_on, s.closes_on, s.remind_days, s.questionnaire, s.figures_year, \
     CASE WHEN u.closed_at IS NULL THEN u.name END AS author, s.closed_at IS NOT NULL AS closed, \
     EXISTS (SELECT 1 FROM survey_answers a WHERE a.survey_id = s.id) AS answered";

/// Survey `id`.
pub async fn find(db: &Db, id: SurveyId) -> Result<Option<Survey>, DbError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM surveys s LEFT JOIN users u ON u.id = s.author_id WHERE s.id = $1"
    );
    let row: Option<Row> =
        with_db!(db, p => sqlx::query_as(&sql).bind(id.0).fetch_optional(p).await?);
    let Some(r) = row else { return Ok(None) };
    let consortia: Vec<(i64,)> = with_db!(db, p => sqlx::query_as(
        "SELECT consortium_id FROM survey_consortia WHERE survey_id = $1 ORDER BY consortium_id")
        .bind(id.0).fetch_all(p).await?);
    Ok(Some(Survey {
        id: SurveyId(r.id),
        draft: SurveyDraft {
            title: r.title,
            description: r.description,
            scope: code(&r.scope, SurveyScope::from_code)?,
            region: r.region.as_deref().and_then(Region::from_code),
            consortia: consortia.into_iter().map(|(c,)| ConsortiumId(c)).collect(),
            audience: code(&r.audience, Audience::from_code)?,
            respondent: code(&r.respondent, Respondent::from_code)?,
            opens_on: r.opens_on,
            closes_on: r.closes_on,
            remind_days: r.remind_days,
            questionnaire: decode(&r.questionnaire)?,
            figures_year: r.figures_year,
        },
        author: r.author.filter(|n| n != CLOSED_ACCOUNT_NAME),
        closed: r.closed,
        answered: r.answered,
    }))
}

/// Keeps a new survey written by `author`.
pub async fn create(
    db: &Db,
    author: UserId,
    d: &SurveyDraft,
    now: DateTime<Utc>,
) -> Result<SurveyId, DbError> {
    let questionnaire = encode(&d.questionnaire)?;
    let mut tx = db.begin().await?;
    let (id,): (i64,) = with_tx!(&mut tx, c => sqlx::query_as(
        "INSERT INTO surveys (title, description, scope, region, audience, respondent, opens_on, closes_on, \
           remind_days, questionnaire, author_id, created_at, updated_at, figures_year) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $13) RETURNING id")
        .bind(d.title.trim()).bind(d.description.as_deref().map(str::trim).filter(|t| !t.is_empty()))
        .bind(d.scope.code()).bind(region(d)).bind(d.audience.code()).bind(d.respondent.code())
        .bind(d.opens_on).bind(d.closes_on).bind(d.remind_days).bind(&questionnaire).bind(author.0).bind(now)
        .bind(figures_year(d))
        .fetch_one(&mut *c).await?);
    set_consortia(&mut tx, SurveyId(id), d).await?;
    tx.commit().await?;
    Ok(SurveyId(id))
}

/// The year a survey's figure questions write (none when it has none).
fn figures_year(d: &SurveyDraft) -> Option<i32> {
    d.figures_year.filter(|_| d.writes_figures())
}

fn region(d: &SurveyDraft) -> Option<&'static str> {
    (d.scope == SurveyScope::Region)
        .then_some(d.region)
        .flatten()
        .map(Region::code)
}

async fn set_consortia(tx: &mut super::Tx, id: SurveyId, d: &SurveyDraft) -> Result<(), DbError> {
    with_tx!(tx, c => sqlx::query("DELETE FROM survey_consortia WHERE survey_id = $1")
        .bind(id.0).execute(&mut *c).await?.rows_affected());
    if d.scope == SurveyScope::Consortia {
        for consortium in &d.consortia {
            with_tx!(tx, c => sqlx::query(
                "INSERT INTO survey_consortia (survey_id, consortium_id) VALUES ($1, $2)")
                .bind(id.0).bind(consortium.0).execute(&mut *c).await?.rows_affected());
        }
    }
    Ok(())
}

/// Replaces survey `id` as written, unless someone has saved an answer
/// (`false`: then its questions stay as they are).
pub async fn replace(
    db: &Db,
    id: SurveyId,
    d: &SurveyDraft,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    let questionnaire = encode(&d.questionnaire)?;
    let mut tx = db.begin().await?;
    // The row is held first, as saving an answer holds it: an answer saved
    // meanwhile is either seen below or waits for this change (and is then
    // checked against the new questions).
    let held = with_tx!(&mut tx, c => sqlx::query("UPDATE surveys SET id = id WHERE id = $1")
        .bind(id.0).execute(&mut *c).await?.rows_affected());
    let (answered,): (bool,) = with_tx!(&mut tx, c => sqlx::query_as(
        "SELECT EXISTS (SELECT 1 FROM survey_answers WHERE survey_id = $1)")
        .bind(id.0).fetch_one(&mut *c).await?);
    if held == 0 || answered {
        return Ok(false);
    }
    let updated = with_tx!(&mut tx, c => sqlx::query(
        "UPDATE surveys SET title = $2, description = $3, scope = $4, region = $5, audience = $6, respondent = $7, \
           opens_on = $8, closes_on = $9, remind_days = $10, questionnaire = $11, updated_at = $12, figures_year = $13 \
         WHERE id = $1")
        .bind(id.0).bind(d.title.trim()).bind(d.description.as_deref().map(str::trim).filter(|t| !t.is_empty()))
        .bind(d.scope.code()).bind(region(d)).bind(d.audience.code()).bind(d.respondent.code())
        .bind(d.opens_on).bind(d.closes_on).bind(d.remind_days).bind(&questionnaire).bind(now)
        .bind(figures_year(d))
        .execute(&mut *c).await?.rows_affected());
    if updated == 0 {
        return Ok(false);
    }
    set_consortia(&mut tx, id, d).await?;
    tx.commit().await?;
    Ok(true)
}

/// Closes survey `id` now (its answers are kept; no more are taken).
pub async fn close(db: &Db, id: SurveyId, now: DateTime<Utc>) -> Result<(), DbError> {
    with_db!(db, p => sqlx::query("UPDATE surveys SET closed_at = $2 WHERE id = $1 AND closed_at IS NULL")
        .bind(id.0).bind(now).execute(p).await?.rows_affected());
    Ok(())
}

/// Whether `user` manages every one of `consortia` as CM.
pub async fn manages_all(
    db: &Db,
    user: UserId,
    consortia: &[ConsortiumId],
) -> Result<bool, DbError> {
    if consortia.is_empty() {
        return Ok(false);
    }
    let sql = format!(
        "SELECT COUNT(*) FROM consortia c WHERE c.id IN ({}) AND c.status = 'active' \
         AND EXISTS (SELECT 1 FROM consortium_managers cm WHERE cm.consortium_id = c.id AND cm.user_id = $1)",
        super::id_list(consortia.iter().map(|c| c.0))
    );
    let (n,): (i64,) = with_db!(db, p => sqlx::query_as(&sql).bind(user.0).fetch_one(p).await?);
    Ok(usize::try_from(n).is_ok_and(|n| n == consortia.len()))
}

/// Which of `consortia` exist and are active.
pub async fn active(db: &Db, consortia: &[ConsortiumId]) -> Result<usize, DbError> {
    if consortia.is_empty() {
        return Ok(0);
    }
    let sql = format!(
        "SELECT COUNT(*) FROM consortia WHERE id IN ({}) AND status = 'active'",
        super::id_list(consortia.iter().map(|c| c.0))
    );
    let (n,): (i64,) = with_db!(db, p => sqlx::query_as(&sql).fetch_one(p).await?);
    Ok(usize::try_from(n).unwrap_or(0))
}

/// Whether survey `id` asks organisation `org`.
pub async fn asks(db: &Db, id: SurveyId, org: OrgId) -> Result<bool, DbError> {
    let sql =
        format!("SELECT COUNT(*) FROM ({TARGETS}) t WHERE t.survey_id = $1 AND t.org_id = $2");
    let (n,): (i64,) =
        with_db!(db, p => sqlx::query_as(&sql).bind(id.0).bind(org.0).fetch_one(p).await?);
    Ok(n > 0)
}

#[derive(sqlx::FromRow)]
struct AnswerRow {
    answers: String,
    submitted_at: Option<DateTime<Utc>>,
    updated_at: DateTime<Utc>,
    updated_by: Option<String>,
}

impl AnswerRow {
    fn view(self) -> Result<SurveyAnswer, DbError> {
        Ok(SurveyAnswer {
            answers: decode(&self.answers)?,
            submitted_at: self.submitted_at,
            updated_at: self.updated_at,
            updated_by: self.updated_by.filter(|n| n != CLOSED_ACCOUNT_NAME),
        })
    }
}

/// The answer of `org` (or of `person` of it, for a person's survey).
pub async fn answer(
    db: &Db,
    id: SurveyId,
    org: OrgId,
    person: Option<UserId>,
) -> Result<Option<SurveyAnswer>, DbError> {
    let row: Option<AnswerRow> = with_db!(db, p => sqlx::query_as(
        "SELECT a.answers, a.submitted_at, a.updated_at, CASE WHEN u.closed_at IS NULL THEN u.name END AS updated_by \
         FROM survey_answers a LEFT JOIN users u ON u.id = a.updated_by \
         WHERE a.survey_id = $1 AND a.org_id = $2 AND (a.user_id = $3 OR ($3 IS NULL AND a.user_id IS NULL))")
        .bind(id.0).bind(org.0).bind(person.map(|u| u.0)).fetch_optional(p).await?);
    row.map(AnswerRow::view).transpose()
}

/// How saving an answer went.
pub enum Saved {
    /// Kept.
    Kept(SurveyAnswer),
    /// Before the opening day.
    NotOpen,
    /// After the closing day, or closed.
    Closed,
    /// Not answers to these questions (or, for a submission or a submitted
    /// answer, not complete).
    Invalid(FieldErrors),
    /// Changed since the answer the changes started from.
    Changed,
}

/// Saves `org`'s answer (or `person`'s of it) to survey `id`, entered by
/// `user`: checked against the survey's questions, and its days, as they
/// stand in this transaction (the survey's row is held, so a closing or a
/// change of questions waits or is waited for). A submitted answer stays
/// complete: it changes only by a complete answer.
#[allow(clippy::too_many_arguments)]
pub async fn save_answer(
    db: &Db,
    id: SurveyId,
    org: OrgId,
    person: Option<UserId>,
    user: UserId,
    req: &SaveAnswer,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Option<Saved>, DbError> {
    let mut tx = db.begin().await?;
    let held: Option<(String, NaiveDate, NaiveDate, bool, Option<i32>)> = with_tx!(&mut tx, c => sqlx::query_as(
        "UPDATE surveys SET id = id WHERE id = $1 RETURNING questionnaire, opens_on, closes_on, closed_at IS NOT NULL, figures_year")
        .bind(id.0).fetch_optional(&mut *c).await?);
    let Some((questionnaire, opens_on, closes_on, closed, year)) = held else {
        return Ok(None);
    };
    match SurveyStatus::on(today, opens_on, closes_on, closed) {
        SurveyStatus::Upcoming => return Ok(Some(Saved::NotOpen)),
        SurveyStatus::Closed => return Ok(Some(Saved::Closed)),
        SurveyStatus::Open => {}
    }
    let person_id = person.map(|u| u.0);
    let kept: Option<(Option<DateTime<Utc>>, DateTime<Utc>)> = with_tx!(&mut tx, c => sqlx::query_as(
        "SELECT submitted_at, updated_at FROM survey_answers WHERE survey_id = $1 AND org_id = $2 \
           AND (user_id = $3 OR ($3 IS NULL AND user_id IS NULL))")
        .bind(id.0).bind(org.0).bind(person_id).fetch_optional(&mut *c).await?);
    if req.base.is_some() && kept.map(|(_, at)| at) != req.base {
        return Ok(Some(Saved::Changed));
    }
    let was_submitted = kept.and_then(|(s, _)| s).is_some();
    let questions: Questionnaire = decode(&questionnaire)?;
    if let Err(e) = questions.check(&req.answers, req.submit || was_submitted) {
        return Ok(Some(Saved::Invalid(e)));
    }
    let answers = encode(&req.answers)?;
    let submitted_at = if req.submit { Some(now) } else { None };
    let conflict = if person.is_some() {
        "(survey_id, user_id) WHERE user_id IS NOT NULL"
    } else {
        "(survey_id, org_id) WHERE user_id IS NULL"
    };
    let sql = format!(
        "INSERT INTO survey_answers (survey_id, org_id, user_id, answers, submitted_at, updated_by, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) \
         ON CONFLICT {conflict} DO UPDATE SET answers = excluded.answers, \
           submitted_at = COALESCE(excluded.submitted_at, survey_answers.submitted_at), \
           updated_by = excluded.updated_by, updated_at = excluded.updated_at"
    );
    with_tx!(&mut tx, c => sqlx::query(&sql)
        .bind(id.0).bind(org.0).bind(person_id).bind(&answers).bind(submitted_at).bind(user.0).bind(now)
        .execute(&mut *c).await?.rows_affected());
    // A submitted answer of a yearly survey is the firm's figures of its year.
    if let Some(year) = year
        && person.is_none()
        && (req.submit || was_submitted)
    {
        let figures = figures_of(&questions, &req.answers);
        let kept = super::figures::merge_year(&mut tx, org, year, &figures, user, now).await?;
        // A figure's error is its question's.
        let question = |field: &str| {
            questions
                .questions()
                .find(|q| q.figure.is_some_and(|x| x.code() == field))
                .map(|q| format!("answers.{}", q.key))
        };
        // The year as it now stands must hold together (R&D staff among the
        // employees, amounts in range), as on the figures page; if not,
        // nothing is kept and the answer's question is named.
        if let Err(e) = moim_core::Validate::validate(&kept) {
            let mut named = moim_core::FieldErrors::default();
            for f in e.0 {
                named.add(question(&f.field).unwrap_or(f.field), f.code);
            }
            return Ok(Some(Saved::Invalid(named)));
        }
        // And, as there, what looks wrong next to last year (ten times or a
        // tenth of it) or to each other (R&D or exports above sales) is kept
        // only once confirmed; the answer names the questions it asked.
        if !req.confirmed {
            let last = super::figures::year_in(&mut tx, org, year - 1).await?;
            let mut doubts = moim_core::FieldErrors::default();
            for d in moim_core::figures::warnings(&kept, last.as_ref()) {
                // R&D or exports kept from before, now above the sales this
                // answer gives: the sales question is the one to look at.
                let asked = question(&d.field).or_else(|| question("sales"));
                if let Some(field) = asked
                    && doubts.get(&field).is_none()
                {
                    doubts.add(field, moim_core::ErrorCode::Implausible);
                }
            }
            if !doubts.0.is_empty() {
                return Ok(Some(Saved::Invalid(doubts)));
            }
        }
    }
    tx.commit().await?;
    let kept = answer(db, id, org, person).await?;
    Ok(kept.map(Saved::Kept))
}

/// An answer of the sample portal, kept as given (a closed survey's too).
pub async fn sample_answer(
    db: &Db,
    id: SurveyId,
    org: OrgId,
    user: UserId,
    answers: &Answers,
    submitted: bool,
    at: DateTime<Utc>,
) -> Result<(), DbError> {
    let answers = encode(answers)?;
    with_db!(db, p => sqlx::query(
        "INSERT INTO survey_answers (survey_id, org_id, user_id, answers, submitted_at, updated_by, updated_at) \
         VALUES ($1, $2, NULL, $3, $4, $5, $6)")
        .bind(id.0).bind(org.0).bind(&answers).bind(submitted.then_some(at)).bind(user.0).bind(at)
        .execute(p).await?.rows_affected());
    Ok(())
}

/// The figures a complete answer gives: each figure question's whole
/// number, or 0 when an answer rules the question out (no cooperation, no
/// exports); a question left blank, or hidden behind one left blank, gives
/// nothing (the kept figure stays).
pub fn figures_of(questions: &Questionnaire, answers: &Answers) -> YearFigures {
    let mut f = YearFigures::default();
    for q in questions.questions() {
        let Some(field) = q.figure else { continue };
        #[allow(clippy::cast_possible_truncation)]
        let value = if questions.asked(q, answers) {
            match answers.get(&q.key) {
                Some(Answer::Number(n)) => Some(n.round() as i64),
                _ => None,
            }
        } else if excluded(questions, q, answers) {
            Some(0)
        } else {
            None
        };
        field.set(&mut f, value);
    }
    f
}

/// Whether `q` is left out by an answer that rules it out (its condition's
/// question asked and answered otherwise), not merely by a question left
/// blank.
fn excluded(questions: &Questionnaire, q: &Question, answers: &Answers) -> bool {
    let Some(c) = &q.show_if else { return false };
    match (questions.question(&c.question), answers.get(&c.question)) {
        (Some(on), Some(a)) => a != &c.equals && questions.asked(on, answers),
        _ => false,
    }
}

/// What a yearly survey starts from for `org`: its figures of the survey's
/// year as kept, or failing those the year before's, as answers to the
/// figure questions.
pub async fn prefill(db: &Db, s: &SurveyDraft, org: OrgId) -> Result<Answers, DbError> {
    let Some(year) = s.figures_year else {
        return Ok(Answers::new());
    };
    let kept = match super::figures::year(db, org, year).await? {
        Some(f) => Some(f),
        None => super::figures::year(db, org, year - 1).await?,
    };
    let Some(kept) = kept else {
        return Ok(Answers::new());
    };
    #[allow(clippy::cast_precision_loss)]
    Ok(s.questionnaire
        .questions()
        .filter(|q| q.show_if.is_none())
        .filter_map(|q| {
            let v = q.figure?.of(&kept)?;
            Some((q.key.clone(), Answer::Number(v as f64)))
        })
        .collect())
}

#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: i64,
    title: String,
    opens_on: NaiveDate,
    closes_on: NaiveDate,
    closed: bool,
    submitted: bool,
    drafted: bool,
}

/// The surveys that ask `user` (of organisation `org`) to answer: open ones,
/// and closed ones they answered, the newest closing first.
pub async fn to_answer(
    db: &Db,
    user: UserId,
    org: OrgId,
    today: NaiveDate,
) -> Result<Vec<SurveySummary>, DbError> {
    let sql = format!(
        "SELECT s.id, s.title, s.opens_on, s.closes_on, s.closed_at IS NOT NULL AS closed, \
           a.submitted_at IS NOT NULL AS submitted, a.id IS NOT NULL AS drafted \
         FROM surveys s LEFT JOIN survey_answers a ON a.survey_id = s.id AND a.org_id = $2 \
           AND ((s.respondent = 'organisation' AND a.user_id IS NULL) OR (s.respondent = 'person' AND a.user_id = $1)) \
         WHERE s.opens_on <= $3 AND s.id IN (SELECT t.survey_id FROM ({TARGETS}) t WHERE t.org_id = $2) \
         ORDER BY s.closes_on DESC, s.id DESC LIMIT 100"
    );
    let rows: Vec<SummaryRow> = with_db!(db, p => sqlx::query_as(&sql)
        .bind(user.0).bind(org.0).bind(today).fetch_all(p).await?);
    let mut list: Vec<SurveySummary> = rows
        .into_iter()
        .map(|r| SurveySummary {
            id: SurveyId(r.id),
            title: r.title,
            status: SurveyStatus::on(today, r.opens_on, r.closes_on, r.closed),
            opens_on: r.opens_on,
            closes_on: r.closes_on,
            submitted: r.submitted,
            drafted: r.drafted,
            answers: None,
            asked: None,
        })
        .filter(|s| s.status == SurveyStatus::Open || s.drafted)
        .collect();
    list.sort_by_key(|s| s.status != SurveyStatus::Open);
    Ok(list)
}

/// Of the surveys it names, how many are asked (organisations or people) and
/// how many submitted: (survey, asked, submitted).
async fn counts(db: &Db, ids: &[i64]) -> Result<Vec<(i64, i64, i64)>, DbError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let list = super::id_list(ids.iter().copied());
    let sql = format!(
        "SELECT s.id, \
           CASE WHEN s.respondent = 'organisation' \
             THEN (SELECT COUNT(DISTINCT t.org_id) FROM ({TARGETS}) t WHERE t.survey_id = s.id) \
             ELSE (SELECT COUNT(*) FROM users u WHERE {ANSWERING} AND u.org_id IN \
                    (SELECT t.org_id FROM ({TARGETS}) t WHERE t.survey_id = s.id)) END AS asked, \
           CASE WHEN s.respondent = 'organisation' \
             THEN (SELECT COUNT(DISTINCT t.org_id) FROM ({TARGETS}) t WHERE t.survey_id = s.id AND EXISTS ( \
                    SELECT 1 FROM survey_answers a WHERE a.survey_id = s.id AND a.org_id = t.org_id \
                      AND a.user_id IS NULL AND a.submitted_at IS NOT NULL)) \
             ELSE (SELECT COUNT(*) FROM users u WHERE {ANSWERING} AND u.org_id IN \
                    (SELECT t.org_id FROM ({TARGETS}) t WHERE t.survey_id = s.id) AND EXISTS ( \
                    SELECT 1 FROM survey_answers a WHERE a.survey_id = s.id AND a.user_id = u.id \
                      AND a.submitted_at IS NOT NULL)) END AS submitted \
         FROM surveys s WHERE s.id IN ({list})"
    );
    Ok(with_db!(db, p => sqlx::query_as(&sql).fetch_all(p).await?))
}

/// The surveys `user` manages: every one for an admin; for a CM, those sent
/// only to consortia they manage. The newest first.
pub async fn managed(
    db: &Db,
    user: UserId,
    admin: bool,
    today: NaiveDate,
) -> Result<Vec<SurveySummary>, DbError> {
    let sql = format!(
        "SELECT s.id, s.title, s.opens_on, s.closes_on, s.closed_at IS NOT NULL AS closed, \
           FALSE AS submitted, FALSE AS drafted \
         FROM surveys s WHERE $2 OR ({MANAGED_BY}) ORDER BY s.id DESC LIMIT 100"
    );
    let rows: Vec<SummaryRow> =
        with_db!(db, p => sqlx::query_as(&sql).bind(user.0).bind(admin).fetch_all(p).await?);
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let counts = counts(db, &ids).await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let c = counts.iter().find(|c| c.0 == r.id);
            SurveySummary {
                id: SurveyId(r.id),
                title: r.title,
                status: SurveyStatus::on(today, r.opens_on, r.closes_on, r.closed),
                opens_on: r.opens_on,
                closes_on: r.closes_on,
                submitted: false,
                drafted: false,
                answers: c.map(|c| c.2),
                asked: c.map(|c| c.1),
            }
        })
        .collect())
}

/// Whether `user` manages survey `id` as CM: it is sent only to consortia,
/// and they manage every one.
pub async fn manages(db: &Db, user: UserId, id: SurveyId) -> Result<bool, DbError> {
    let sql = format!("SELECT COUNT(*) FROM surveys s WHERE s.id = $2 AND {MANAGED_BY}");
    let (n,): (i64,) =
        with_db!(db, p => sqlx::query_as(&sql).bind(user.0).bind(id.0).fetch_one(p).await?);
    Ok(n > 0)
}

/// Who has and has not submitted, by consortium, and in all: (consortia,
/// asked, submitted, drafts).
pub async fn responses(
    db: &Db,
    s: &Survey,
) -> Result<(Vec<ConsortiumResponses>, i64, i64, i64), DbError> {
    // One row per (consortium, respondent): organisations, or people with
    // their organisation.
    let sql = if s.draft.respondent == Respondent::Organisation {
        format!(
            "SELECT t.consortium_id, c.name AS consortium, t.org_id AS respondent, o.name AS label, \
               EXISTS (SELECT 1 FROM survey_answers a WHERE a.survey_id = $1 AND a.org_id = t.org_id \
                 AND a.user_id IS NULL AND a.submitted_at IS NOT NULL) AS submitted \
             FROM ({TARGETS}) t JOIN consortia c ON c.id = t.consortium_id JOIN organisations o ON o.id = t.org_id \
             WHERE t.survey_id = $1 ORDER BY c.name, c.id, o.name"
        )
    } else {
        format!(
            "SELECT t.consortium_id, c.name AS consortium, u.id AS respondent, u.name || ' (' || o.name || ')' AS label, \
               EXISTS (SELECT 1 FROM survey_answers a WHERE a.survey_id = $1 AND a.user_id = u.id \
                 AND a.submitted_at IS NOT NULL) AS submitted \
             FROM ({TARGETS}) t JOIN consortia c ON c.id = t.consortium_id JOIN organisations o ON o.id = t.org_id \
             JOIN users u ON u.org_id = t.org_id AND {ANSWERING} \
             WHERE t.survey_id = $1 ORDER BY c.name, c.id, o.name, u.name"
        )
    };
    let rows: Vec<(i64, String, i64, String, bool)> =
        with_db!(db, p => sqlx::query_as(&sql).bind(s.id.0).fetch_all(p).await?);
    let mut by: Vec<ConsortiumResponses> = Vec::new();
    let mut everyone: Vec<(i64, bool)> = Vec::new();
    for (consortium, name, respondent, label, submitted) in rows {
        if by.last().is_none_or(|b| b.consortium_id.0 != consortium) {
            by.push(ConsortiumResponses {
                consortium_id: ConsortiumId(consortium),
                name,
                asked: 0,
                submitted: 0,
                missing: Vec::new(),
            });
        }
        if let Some(b) = by.last_mut() {
            b.asked += 1;
            if submitted {
                b.submitted += 1;
            } else {
                b.missing.push(label);
            }
        }
        if !everyone.iter().any(|(r, _)| *r == respondent) {
            everyone.push((respondent, submitted));
        }
    }
    let asked = everyone.len() as i64;
    let submitted = everyone.iter().filter(|(_, s)| *s).count() as i64;
    let (drafts,): (i64,) = with_db!(db, p => sqlx::query_as(
        "SELECT COUNT(*) FROM survey_answers WHERE survey_id = $1 AND submitted_at IS NULL")
        .bind(s.id.0).fetch_one(p).await?);
    Ok((by, asked, submitted, drafts))
}

/// A submitted answer, for the results and the exports.
#[derive(sqlx::FromRow)]
pub struct Submitted {
    pub id: i64,
    pub org_name: String,
    pub person: Option<String>,
    pub answers: String,
    pub submitted_at: DateTime<Utc>,
}

impl Submitted {
    /// The answers by question key.
    pub fn answers(&self) -> Result<Answers, DbError> {
        decode(&self.answers)
    }
}

/// Up to `limit` submitted answers of survey `id` after answer `after`, in
/// the order they were first saved: the results and the exports read them a
/// batch at a time, whatever their number.
pub async fn submitted(
    db: &Db,
    id: SurveyId,
    after: i64,
    limit: i64,
) -> Result<Vec<Submitted>, DbError> {
    Ok(with_db!(db, p => sqlx::query_as(
        "SELECT a.id, o.name AS org_name, CASE WHEN a.user_id IS NULL THEN NULL \
             WHEN u.closed_at IS NULL THEN u.name ELSE $4 END AS person, a.answers, a.submitted_at \
         FROM survey_answers a JOIN organisations o ON o.id = a.org_id LEFT JOIN users u ON u.id = a.user_id \
         WHERE a.survey_id = $1 AND a.submitted_at IS NOT NULL AND a.id > $2 ORDER BY a.id LIMIT $3")
        .bind(id.0).bind(after).bind(limit).bind(CLOSED_ACCOUNT_NAME).fetch_all(p).await?))
}

/// Reminds those who have not submitted an open survey whose reminder day
/// (`remind_days` before its closing day, in Korea) has come, once per
/// survey. How many surveys were reminded of.
pub async fn send_reminders(db: &Db, now: DateTime<Utc>) -> Result<usize, DbError> {
    let today = (now + Duration::hours(9)).date_naive();
    let mut tx = db.begin().await?;
    let due: Vec<(i64, NaiveDate)> = with_tx!(&mut tx, c => sqlx::query_as(
        "SELECT id, closes_on FROM surveys WHERE reminded_at IS NULL AND closed_at IS NULL AND remind_days IS NOT NULL \
           AND opens_on <= $1 AND closes_on >= $1")
        .bind(today).fetch_all(&mut *c).await?);
    let mut sent = 0;
    for (id, closes_on) in due {
        let (days,): (i64,) = with_tx!(&mut tx, c => sqlx::query_as(
            "SELECT remind_days FROM surveys WHERE id = $1").bind(id).fetch_one(&mut *c).await?);
        if today < closes_on - Duration::days(days) {
            continue;
        }
        let claimed = with_tx!(&mut tx, c => sqlx::query(
            "UPDATE surveys SET reminded_at = $2 WHERE id = $1 AND reminded_at IS NULL")
            .bind(id).bind(now).execute(&mut *c).await?.rows_affected());
        if claimed == 0 {
            continue;
        }
        let event = Event {
            kind: NotificationKind::SurveyReminder,
            consortium: None,
            org: None,
            problem: None,
            idea: None,
            activity: None,
            survey: Some(SurveyId(id)),
            application: None,
            actor: None,
            note: None,
            at: now,
        };
        notify(&mut tx, To::SurveyUnanswered(SurveyId(id)), &event).await?;
        sent += 1;
    }
    tx.commit().await?;
    Ok(sent)
}

/// The SQL of those who have not submitted survey `$7`: for an
/// organisation's survey, the representative of each organisation asked that
/// has not (or all its confirmed people when it has none); for a person's
/// survey, every confirmed person asked who has not.
pub fn unanswered_sql() -> String {
    format!(
        "SELECT u.id AS uid FROM users u JOIN surveys s ON s.id = $7 \
         WHERE {ANSWERING} AND u.org_id IN (SELECT t.org_id FROM ({TARGETS}) t WHERE t.survey_id = $7) AND ( \
           (s.respondent = 'person' AND NOT EXISTS (SELECT 1 FROM survey_answers a \
              WHERE a.survey_id = s.id AND a.user_id = u.id AND a.submitted_at IS NOT NULL)) \
           OR (s.respondent = 'organisation' AND NOT EXISTS (SELECT 1 FROM survey_answers a \
              WHERE a.survey_id = s.id AND a.org_id = u.org_id AND a.user_id IS NULL AND a.submitted_at IS NOT NULL) \
             AND EXISTS (SELECT 1 FROM organisations o WHERE o.id = u.org_id \
               AND (o.representative_id = u.id OR o.representative_id IS NULL))))"
    )
}
