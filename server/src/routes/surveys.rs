//! Surveys (설문·성과조사). An agency admin writes one for the programme, a
//! region or chosen consortia; a CM for consortia they manage, and no other.
//! Those it asks answer it (a draft that keeps as they go, then a submission)
//! from its opening day to its closing day; its managers (admins, and the CMs
//! of every consortium it is sent to) read who has answered and what, and
//! download the answers. Anyone else gets 404, as for a survey that does not
//! exist.

use crate::{
    AppState,
    auth::CurrentUser,
    db::{self, surveys::Saved},
    error::{AppError, AppResult},
    extract::{ApiJson, ApiPath, Valid},
    sheet,
};
use axum::{Json, body::Body, extract::State, http::StatusCode, response::Response};
use chrono::{NaiveDate, Utc};
use futures_util::StreamExt;
use moim_core::{
    ApiError, ConflictCode, ErrorCode, OrgId, SurveyId, UserId,
    questionnaire::{Answer, QuestionType, Questionnaire},
    survey::{
        QuestionSummary, Respondent, SaveAnswer, SurveyAnswer, SurveyDraft, SurveyList,
        SurveyResults, SurveyScope, SurveyView, answer_text,
    },
};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(survey, replace))
        .routes(routes!(close))
        .routes(routes!(save_answer))
        .routes(routes!(results))
        .routes(routes!(export))
        .routes(routes!(export_xlsx))
}

/// Answers read from the database at a time, for the results and the exports.
const BATCH: i64 = 500;

fn today() -> NaiveDate {
    moim_core::kst_today()
}

/// Survey `id`, or 404.
async fn found(state: &AppState, id: SurveyId) -> AppResult<db::surveys::Survey> {
    Ok(db::surveys::find(&state.db, id)
        .await?
        .ok_or(ApiError::NotFound)?)
}

/// Whether `user` manages survey `s`: an admin always; a CM when it is sent
/// only to consortia they manage.
async fn manages(state: &AppState, user: &CurrentUser, id: SurveyId) -> AppResult<bool> {
    Ok(user.is_admin() || db::surveys::manages(&state.db, user.id(), id).await?)
}

/// Who answers for `user` in survey `s`: their organisation, and themself for
/// a person's survey; `None` when it does not ask them.
async fn respondent(
    state: &AppState,
    user: &CurrentUser,
    s: &db::surveys::Survey,
) -> AppResult<Option<(OrgId, Option<UserId>)>> {
    let Some(org) = user.confirmed_org() else {
        return Ok(None);
    };
    if !db::surveys::asks(&state.db, s.id, org).await? {
        return Ok(None);
    }
    let person = (s.draft.respondent == Respondent::Person).then(|| user.id());
    Ok(Some((org, person)))
}

/// Survey `id` for a manager; 404 for anyone else.
async fn managed(
    state: &AppState,
    user: &CurrentUser,
    id: SurveyId,
) -> AppResult<db::surveys::Survey> {
    let s = found(state, id).await?;
    if !manages(state, user, id).await? {
        // A respondent learns it is not theirs to manage; others, nothing.
        return Err(match respondent(state, user, &s).await? {
            Some(_) => ApiError::Forbidden.into(),
            None => ApiError::NotFound.into(),
        });
    }
    Ok(s)
}

/// May `user` send `d` where it goes: an admin anywhere; a CM only to
/// consortia they manage (403 otherwise). Every consortium named must be
/// active (422).
async fn check_target(state: &AppState, user: &CurrentUser, d: &SurveyDraft) -> AppResult<()> {
    if d.scope == SurveyScope::Consortia
        && db::surveys::active(&state.db, &d.consortia).await? != d.consortia.len()
    {
        return Err(ApiError::invalid("consortia", ErrorCode::InvalidChoice).into());
    }
    if user.is_admin() {
        return Ok(());
    }
    if d.scope != SurveyScope::Consortia
        || !db::surveys::manages_all(&state.db, user.id(), &d.consortia).await?
    {
        return Err(ApiError::Forbidden.into());
    }
    Ok(())
}

fn closes_in_past(d: &SurveyDraft) -> AppResult<()> {
    if d.closes_on < today() {
        return Err(ApiError::invalid("closes_on", ErrorCode::InPast).into());
    }
    Ok(())
}

async fn view(
    state: &AppState,
    user: &CurrentUser,
    s: db::surveys::Survey,
) -> AppResult<SurveyView> {
    let can_manage = manages(state, user, s.id).await?;
    let asked = respondent(state, user, &s).await?;
    let answer = match asked {
        Some((org, person)) => db::surveys::answer(&state.db, s.id, org, person).await?,
        None => None,
    };
    let answering_for = match asked {
        Some((org, None)) => Some(db::orgs::find(&state.db, org).await?.name),
        _ => None,
    };
    // A yearly survey starts from the figures the firm has kept.
    let prefill = match asked {
        Some((org, None)) if answer.is_none() => {
            db::surveys::prefill(&state.db, &s.draft, org).await?
        }
        _ => Default::default(),
    };
    Ok(SurveyView {
        prefill,
        id: s.id,
        status: s.status(today()),
        author: s.author.clone(),
        can_manage,
        answered: s.answered,
        can_answer: asked.is_some(),
        answering_for,
        answer,
        survey: s.draft,
    })
}

/// The surveys that ask the reader to answer, and those they manage.
#[utoipa::path(get, path = "/api/surveys", tag = "surveys",
    responses((status = 200, body = SurveyList), (status = 401, body = ApiError)))]
async fn list(State(state): State<AppState>, user: CurrentUser) -> AppResult<Json<SurveyList>> {
    let today = today();
    let to_answer = match user.confirmed_org() {
        Some(org) => db::surveys::to_answer(&state.db, user.id(), org, today).await?,
        None => Vec::new(),
    };
    let staff = crate::routes::access::is_staff(&state, &user).await?;
    let managed = if staff {
        db::surveys::managed(&state.db, user.id(), user.is_admin(), today).await?
    } else {
        Vec::new()
    };
    Ok(Json(SurveyList {
        to_answer,
        managed,
        can_create: staff,
    }))
}

/// Writes a survey. An admin sends it anywhere; a CM only to consortia they
/// manage (else 403). It may not close before today.
#[utoipa::path(post, path = "/api/surveys", tag = "surveys", request_body = SurveyDraft,
    responses((status = 201, body = SurveyView), (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 422, body = ApiError)))]
async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    Valid(d): Valid<SurveyDraft>,
) -> AppResult<(StatusCode, Json<SurveyView>)> {
    check_target(&state, &user, &d).await?;
    closes_in_past(&d)?;
    let id = db::surveys::create(&state.db, user.id(), &d, Utc::now()).await?;
    let s = found(&state, id).await?;
    Ok((StatusCode::CREATED, Json(view(&state, &user, s).await?)))
}

/// A survey, with the reader's answer so far: for its managers and those it
/// asks (404 for anyone else).
#[utoipa::path(get, path = "/api/surveys/{id}", tag = "surveys",
    params(("id" = i64, Path, description = "The survey")),
    responses((status = 200, body = SurveyView), (status = 401, body = ApiError), (status = 404, body = ApiError)))]
async fn survey(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<SurveyView>> {
    let s = found(&state, SurveyId(id)).await?;
    let v = view(&state, &user, s).await?;
    if !v.can_manage && !v.can_answer {
        return Err(ApiError::NotFound.into());
    }
    Ok(Json(v))
}

/// Rewrites a survey, while nobody has saved an answer (`409
/// survey_answered`: close it and write a copy).
#[utoipa::path(put, path = "/api/surveys/{id}", tag = "surveys", request_body = SurveyDraft,
    params(("id" = i64, Path, description = "The survey")),
    responses((status = 200, body = SurveyView), (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
async fn replace(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    Valid(d): Valid<SurveyDraft>,
) -> AppResult<Json<SurveyView>> {
    let id = SurveyId(id);
    managed(&state, &user, id).await?;
    check_target(&state, &user, &d).await?;
    closes_in_past(&d)?;
    if !db::surveys::replace(&state.db, id, &d, Utc::now()).await? {
        return Err(ApiError::state(ConflictCode::SurveyAnswered).into());
    }
    let s = found(&state, id).await?;
    Ok(Json(view(&state, &user, s).await?))
}

/// Closes a survey before its closing day: the answers kept stay, no more
/// are taken.
#[utoipa::path(post, path = "/api/surveys/{id}/close", tag = "surveys",
    params(("id" = i64, Path, description = "The survey")),
    responses((status = 200, body = SurveyView), (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 404, body = ApiError)))]
async fn close(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<SurveyView>> {
    let id = SurveyId(id);
    managed(&state, &user, id).await?;
    db::surveys::close(&state.db, id, Utc::now()).await?;
    let s = found(&state, id).await?;
    Ok(Json(view(&state, &user, s).await?))
}

/// Saves the reader's answer (their organisation's, for an organisation's
/// survey): a draft, or with `submit` the answer. `409 survey_not_open` /
/// `survey_closed` outside its days; `409 answer_changed` when `base` is
/// sent and the answer changed since; `422 invalid_choice` for an answer to a
/// question it does not have or does not ask, or of the wrong kind; `422
/// required` (submitting, or changing a submitted answer) for a required
/// question left out.
#[utoipa::path(put, path = "/api/surveys/{id}/answer", tag = "surveys", request_body = SaveAnswer,
    params(("id" = i64, Path, description = "The survey")),
    responses((status = 200, body = SurveyAnswer), (status = 401, body = ApiError), (status = 404, body = ApiError), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
async fn save_answer(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<SaveAnswer>,
) -> AppResult<Json<SurveyAnswer>> {
    let s = found(&state, SurveyId(id)).await?;
    let (org, person) = respondent(&state, &user, &s)
        .await?
        .ok_or(ApiError::NotFound)?;
    let saved = db::surveys::save_answer(
        &state.db,
        s.id,
        org,
        person,
        user.id(),
        &req,
        today(),
        Utc::now(),
    )
    .await?
    .ok_or(ApiError::NotFound)?;
    match saved {
        Saved::Kept(a) => Ok(Json(a)),
        Saved::NotOpen => Err(ApiError::state(ConflictCode::SurveyNotOpen).into()),
        Saved::Closed => Err(ApiError::state(ConflictCode::SurveyClosed).into()),
        Saved::Invalid(e) => Err(ApiError::from(e).into()),
        Saved::Changed => Err(ApiError::state(ConflictCode::AnswerChanged).into()),
    }
}

/// A question's running summary over the submitted answers.
struct Tally {
    answered: i64,
    counts: Vec<i64>,
    numbers: Vec<f64>,
    samples: Vec<String>,
}

impl Tally {
    fn new(q: &moim_core::questionnaire::Question) -> Self {
        let points = match q.kind {
            QuestionType::SingleChoice | QuestionType::MultipleChoice => q.options.len(),
            QuestionType::YesNo => 2,
            QuestionType::Scale => moim_core::questionnaire::SCALE_MAX as usize,
            _ => 0,
        };
        Tally {
            answered: 0,
            counts: vec![0; points],
            numbers: Vec::new(),
            samples: Vec::new(),
        }
    }

    fn add(&mut self, kind: QuestionType, a: &Answer) {
        if a.is_blank() {
            return;
        }
        self.answered += 1;
        match a {
            Answer::YesNo(yes) => {
                if let Some(n) = self.counts.get_mut(usize::from(!*yes)) {
                    *n += 1;
                }
            }
            Answer::Choices(c) => {
                for i in c {
                    if let Some(n) = self.counts.get_mut(*i as usize) {
                        *n += 1;
                    }
                }
            }
            Answer::Number(n) => {
                self.numbers.push(*n);
                if kind == QuestionType::Scale
                    && let Some(c) = self.counts.get_mut((*n as usize).saturating_sub(1))
                {
                    *c += 1;
                }
            }
            Answer::Text(t) => {
                // The latest five, newest first.
                self.samples.insert(0, t.trim().to_owned());
                self.samples.truncate(5);
            }
        }
    }

    fn summary(mut self, key: &str) -> QuestionSummary {
        let n = self.numbers.len();
        let (mean, median) = if n == 0 {
            (None, None)
        } else {
            self.numbers.sort_by(f64::total_cmp);
            let mid = if n % 2 == 1 {
                self.numbers[n / 2]
            } else {
                (self.numbers[n / 2 - 1] + self.numbers[n / 2]) / 2.0
            };
            (Some(self.numbers.iter().sum::<f64>() / n as f64), Some(mid))
        };
        QuestionSummary {
            key: key.to_owned(),
            answered: self.answered,
            counts: self.counts,
            mean,
            median,
            samples: self.samples,
        }
    }
}

/// Who has and has not answered (by consortium, for the CM to chase) and
/// what the submitted answers add up to, question by question: for its
/// managers.
#[utoipa::path(get, path = "/api/surveys/{id}/results", tag = "surveys",
    params(("id" = i64, Path, description = "The survey")),
    responses((status = 200, body = SurveyResults), (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 404, body = ApiError)))]
async fn results(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<SurveyResults>> {
    let s = managed(&state, &user, SurveyId(id)).await?;
    let (consortia, asked, submitted, drafts) = db::surveys::responses(&state.db, &s).await?;
    let questionnaire = s.draft.questionnaire.clone();
    let mut tallies: Vec<Tally> = questionnaire.questions().map(Tally::new).collect();
    let mut after = 0;
    loop {
        let batch = db::surveys::submitted(&state.db, s.id, after, BATCH).await?;
        let Some(last) = batch.last() else { break };
        after = last.id;
        for row in &batch {
            let answers = row.answers()?;
            for (q, t) in questionnaire.questions().zip(tallies.iter_mut()) {
                if let Some(a) = answers.get(&q.key) {
                    t.add(q.kind, a);
                }
            }
        }
    }
    let questions = questionnaire
        .questions()
        .zip(tallies)
        .map(|(q, t)| t.summary(&q.key))
        .collect();
    Ok(Json(SurveyResults {
        id: s.id,
        title: s.draft.title.clone(),
        status: s.status(today()),
        questionnaire,
        asked,
        submitted,
        drafts,
        consortia,
        questions,
    }))
}

/// The first row: who, when, then each question (with its unit).
fn header_cells(q: &Questionnaire, person: bool) -> Vec<String> {
    let mut cells = vec!["기관 (organisation)".to_owned()];
    if person {
        cells.push("응답자 (respondent)".to_owned());
    }
    cells.push("제출 (submitted)".to_owned());
    for question in q.questions() {
        let unit = question
            .unit
            .as_deref()
            .map(|u| format!(" ({u})"))
            .unwrap_or_default();
        cells.push(format!("{}{unit}", question.text.trim()));
    }
    cells
}

/// A cell of an answer's row: a number stays a number in a workbook.
enum Cell {
    Text(String),
    Number(f64),
}

impl Cell {
    fn text(&self) -> String {
        match self {
            Cell::Text(t) => t.clone(),
            Cell::Number(n) => n.to_string(),
        }
    }
}

/// One answer's row: choices by their words, not their numbers.
fn answer_cells(
    q: &Questionnaire,
    person: bool,
    row: &db::surveys::Submitted,
) -> Result<Vec<Cell>, AppError> {
    let answers = row.answers()?;
    let mut cells = vec![Cell::Text(row.org_name.clone())];
    if person {
        cells.push(Cell::Text(row.person.clone().unwrap_or_default()));
    }
    cells.push(Cell::Text(moim_core::kst_minute(row.submitted_at)));
    for question in q.questions() {
        cells.push(match answers.get(&question.key) {
            Some(Answer::Number(n)) => Cell::Number(*n),
            Some(a) => Cell::Text(answer_text(question, a)),
            None => Cell::Text(String::new()),
        });
    }
    Ok(cells)
}

fn answer_row(
    q: &Questionnaire,
    person: bool,
    row: &db::surveys::Submitted,
) -> Result<String, AppError> {
    let cells: Vec<String> = answer_cells(q, person, row)?
        .iter()
        .map(Cell::text)
        .collect();
    Ok(sheet::row(&cells))
}

/// The submitted answers as CSV (UTF-8 with a BOM, so spreadsheet software
/// reads the Korean; one line per answer, one column per question; choices
/// by their words; formulas defused), read and sent a batch at a time: for
/// its managers.
#[utoipa::path(get, path = "/api/surveys/{id}/answers.csv", tag = "surveys",
    params(("id" = i64, Path, description = "The survey")),
    responses((status = 200, content_type = "text/csv"), (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 404, body = ApiError)))]
async fn export(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Response> {
    let s = managed(&state, &user, SurveyId(id)).await?;
    let person = s.draft.respondent == Respondent::Person;
    let q = s.draft.questionnaire.clone();
    let first = format!("\u{feff}{}", sheet::row(&header_cells(&q, person)));
    let db = state.db.clone();
    let survey = s.id;
    // (the next answer's id to read after, finished)
    let rest = futures_util::stream::unfold((0_i64, false), move |(after, done)| {
        let (db, q) = (db.clone(), q.clone());
        async move {
            if done {
                return None;
            }
            let batch = match db::surveys::submitted(&db, survey, after, BATCH).await {
                Ok(b) => b,
                Err(e) => return Some((Err(std::io::Error::other(e)), (after, true))),
            };
            // None once every answer is sent.
            let last = batch.last().map(|r| r.id)?;
            let mut chunk = String::new();
            for row in &batch {
                match answer_row(&q, person, row) {
                    Ok(line) => chunk.push_str(&line),
                    Err(_) => {
                        let e = std::io::Error::other("an answer could not be read");
                        return Some((Err(e), (after, true)));
                    }
                }
            }
            Some((Ok(chunk), (last, false)))
        }
    });
    let body = futures_util::stream::once(async move { Ok::<_, std::io::Error>(first) })
        .chain(rest)
        // The compression layer may poll once more after the end.
        .fuse();
    let file = format!("moim-survey-{}.csv", s.id.0);
    Ok(sheet::download(sheet::CSV, &file, Body::from_stream(body)))
}

/// The submitted answers as an XLSX workbook (one row per answer, one
/// column per question, numbers as numbers, choices by their words; text is
/// never read as a formula), for the ministry's spreadsheets. The sheet is
/// written in constant memory (each row goes to a temporary file as it is
/// done), the answers read a batch at a time, and the file sent as it is
/// read back: nothing holds every answer at once.
#[utoipa::path(get, path = "/api/surveys/{id}/answers.xlsx", tag = "surveys",
    params(("id" = i64, Path, description = "The survey")),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 404, body = ApiError)))]
async fn export_xlsx(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Response> {
    let s = managed(&state, &user, SurveyId(id)).await?;
    let person = s.draft.respondent == Respondent::Person;
    let q = &s.draft.questionnaire;
    let failed = |e: rust_xlsxwriter::XlsxError| AppError::Internal(format!("xlsx: {e}"));
    let mut book = rust_xlsxwriter::Workbook::new();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    let sheet = book.add_worksheet_with_constant_memory().map_err(failed)?;
    sheet.set_name("응답").map_err(failed)?;
    for (c, text) in header_cells(q, person).iter().enumerate() {
        let c = u16::try_from(c).unwrap_or(u16::MAX);
        sheet
            .write_string_with_format(0, c, text, &bold)
            .map_err(failed)?;
        sheet.set_column_width(c, 18).map_err(failed)?;
    }
    let (mut row, mut after) = (1_u32, 0_i64);
    loop {
        let batch = db::surveys::submitted(&state.db, s.id, after, BATCH).await?;
        let Some(last) = batch.last().map(|r| r.id) else {
            break;
        };
        for answer in &batch {
            for (c, cell) in answer_cells(q, person, answer)?.into_iter().enumerate() {
                let c = u16::try_from(c).unwrap_or(u16::MAX);
                match cell {
                    Cell::Number(n) => sheet.write_number(row, c, n),
                    Cell::Text(t) if t.is_empty() => continue,
                    Cell::Text(t) => sheet.write_string(row, c, t),
                }
                .map_err(failed)?;
            }
            row += 1;
        }
        after = last;
    }
    // Zipped into a temporary file (gone once sent), then read back as sent.
    let file = tokio::task::spawn_blocking(move || -> Result<std::fs::File, AppError> {
        use std::io::Seek;
        let mut file =
            tempfile::tempfile().map_err(|e| AppError::Internal(format!("xlsx: {e}")))?;
        book.save_to_writer(&mut file).map_err(failed)?;
        file.rewind()
            .map_err(|e| AppError::Internal(format!("xlsx: {e}")))?;
        Ok(file)
    })
    .await
    .map_err(|e| AppError::Internal(format!("xlsx: {e}")))??;
    let body = tokio_util::io::ReaderStream::new(tokio::fs::File::from_std(file));
    let name = format!("moim-survey-{}.xlsx", s.id.0);
    Ok(sheet::download(sheet::XLSX, &name, Body::from_stream(body)))
}
