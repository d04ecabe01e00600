//! Calls (공모) and applications (신청). Calls are public; an agency admin
//! publishes and edits them. A confirmed person of an organisation starts its
//! application (one per call), writes it with its team, budget and milestones,
//! and submits it while the call is open and every rule is met; withdraws it
//! until evaluation starts. Each partner's representative confirms or declines
//! its place. An application is read by its team and, once submitted, by the
//! call's managers; anyone else gets 404.

use crate::{
    AppState,
    auth::{CurrentUser, MaybeUser},
    db::{self, calls::Application},
    error::{AppResult, DbError},
    extract::{ApiJson, ApiPath, Valid},
};
use axum::{Json, extract::State, http::StatusCode};
use chrono::{NaiveDate, Utc};
use moim_core::{
    ApiError, ApplicationId, CallId, ConflictCode, ErrorCode, OrgId,
    call::{
        ApplicationDraft, ApplicationRef, ApplicationStatus, ApplicationView, CallDraft, CallList,
        CallPhase, CallView, PartnerStatus, StartApplication, TeamAnswer, check,
    },
    evaluation::{AppointEvaluator, EvaluationView, MyEvaluation, Review, rank, weighted_tenths},
    grant::{Agree, GrantView, Pay},
    selection::{DecideApplication, FoundConsortium, Founded, Founding, Results, SelectionState},
};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(call, replace))
        .routes(routes!(start))
        .routes(routes!(application, save))
        .routes(routes!(submit))
        .routes(routes!(withdraw))
        .routes(routes!(answer))
        .routes(routes!(appoint))
        .routes(routes!(dismiss))
        .routes(routes!(evaluation))
        .routes(routes!(review))
        .routes(routes!(decide))
        .routes(routes!(announce))
        .routes(routes!(found_consortium))
        .routes(routes!(agree))
        .routes(routes!(pay))
        .routes(routes!(results))
}

fn today() -> NaiveDate {
    moim_core::kst_today()
}

/// Call `id`, or 404.
async fn found(state: &AppState, id: CallId) -> AppResult<db::calls::Call> {
    Ok(db::calls::find(&state.db, id)
        .await?
        .ok_or(ApiError::NotFound)?)
}

/// Whether `user` manages calls: an agency admin.
fn manages(user: Option<&CurrentUser>) -> bool {
    user.is_some_and(CurrentUser::is_admin)
}

async fn call_view(
    state: &AppState,
    user: Option<&CurrentUser>,
    c: db::calls::Call,
) -> AppResult<CallView> {
    let today = today();
    let org = user.and_then(CurrentUser::confirmed_org);
    let mine = match org {
        Some(o) => db::calls::led_by(&state.db, c.id, o).await?,
        None => None,
    };
    let can_manage = manages(user);
    let evaluating = match user {
        Some(u) => db::evaluation::is_evaluator(&state.db, c.id, u.id()).await?,
        None => false,
    };
    let applications = if can_manage {
        db::calls::applications(&state.db, c.id).await?
    } else {
        Vec::new()
    };
    Ok(CallView {
        id: c.id,
        announced: c.announced_at.is_some(),
        phase: c.phase(today),
        days_left: c.draft.days_left(today),
        submitted: c.submitted,
        can_apply: org.is_some() && mine.is_none() && c.phase(today) == CallPhase::Open,
        mine,
        can_manage,
        applications,
        evaluating,
        call: c.draft,
    })
}

/// Every call, and the reader's organisation's applications.
#[utoipa::path(get, path = "/api/calls", tag = "calls",
    responses((status = 200, body = CallList)))]
async fn list(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
) -> AppResult<Json<CallList>> {
    let mine = match user.as_ref().and_then(CurrentUser::confirmed_org) {
        Some(org) => db::calls::of_org(&state.db, org).await?,
        None => Vec::new(),
    };
    Ok(Json(CallList {
        calls: db::calls::list(&state.db, today()).await?,
        mine,
        can_create: manages(user.as_ref()),
    }))
}

/// Publishes a call (agency admins). Its deadline may not be past.
#[utoipa::path(post, path = "/api/calls", tag = "calls", request_body = CallDraft,
    responses((status = 201, body = CallView), (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 422, body = ApiError)))]
async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    Valid(d): Valid<CallDraft>,
) -> AppResult<(StatusCode, Json<CallView>)> {
    if !user.is_admin() {
        return Err(ApiError::Forbidden.into());
    }
    if d.closes_on < today() {
        return Err(ApiError::invalid("closes_on", ErrorCode::InPast).into());
    }
    let id = db::calls::create(&state.db, user.id(), &d, Utc::now()).await?;
    let c = found(&state, id).await?;
    Ok((
        StatusCode::CREATED,
        Json(call_view(&state, Some(&user), c).await?),
    ))
}

/// A call, with the reader's application and, for its managers, the
/// applications submitted.
#[utoipa::path(get, path = "/api/calls/{id}", tag = "calls",
    params(("id" = i64, Path, description = "The call")),
    responses((status = 200, body = CallView), (status = 404, body = ApiError)))]
async fn call(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    ApiPath(id): ApiPath<CallId>,
) -> AppResult<Json<CallView>> {
    let c = found(&state, id).await?;
    Ok(Json(call_view(&state, user.as_ref(), c).await?))
}

/// Rewrites a call (agency admins). Once someone has applied, its kind, rules
/// and form stay as they are (409 `call_has_applications`), and its deadline
/// only moves later; once its results are announced its days stay (409
/// `already_announced`); its budget never falls below the grants of the
/// applications selected (409 `over_budget`).
#[utoipa::path(put, path = "/api/calls/{id}", tag = "calls", request_body = CallDraft,
    params(("id" = i64, Path, description = "The call")),
    responses((status = 200, body = CallView), (status = 401, body = ApiError), (status = 403, body = ApiError),
        (status = 404, body = ApiError), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
async fn replace(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<CallId>,
    Valid(d): Valid<CallDraft>,
) -> AppResult<Json<CallView>> {
    let c = found(&state, id).await?;
    if !user.is_admin() {
        return Err(ApiError::Forbidden.into());
    }
    if c.applied
        && (d.kind != c.draft.kind
            || d.rules != c.draft.rules
            || d.form != c.draft.form
            || d.criteria != c.draft.criteria
            || d.closes_on < c.draft.closes_on)
    {
        return Err(ApiError::state(ConflictCode::CallHasApplications).into());
    }
    if d.closes_on < today() && d.closes_on != c.draft.closes_on {
        return Err(ApiError::invalid("closes_on", ErrorCode::InPast).into());
    }
    // Announced, its days and what was applied to stay as they are.
    if c.announced_at.is_some()
        && (d.opens_on != c.draft.opens_on
            || d.closes_on != c.draft.closes_on
            || d.evaluation_on != c.draft.evaluation_on
            || d.announce_on != c.draft.announce_on
            || d.agreement_on != c.draft.agreement_on)
    {
        return Err(ApiError::state(ConflictCode::AlreadyAnnounced).into());
    }
    if !db::calls::replace(&state.db, id, &d, user.id(), Utc::now()).await? {
        return Err(ApiError::state(ConflictCode::OverBudget).into());
    }
    let c = found(&state, id).await?;
    Ok(Json(call_view(&state, Some(&user), c).await?))
}

/// Starts the reader's organisation's application to a call while it is open
/// (409 `call_not_open`); one per organisation (409 `application_exists`).
#[utoipa::path(post, path = "/api/calls/{id}/applications", tag = "calls", request_body = StartApplication,
    params(("id" = i64, Path, description = "The call")),
    responses((status = 201, body = ApplicationRef), (status = 401, body = ApiError), (status = 403, body = ApiError),
        (status = 404, body = ApiError), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
async fn start(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<CallId>,
    Valid(s): Valid<StartApplication>,
) -> AppResult<(StatusCode, Json<ApplicationRef>)> {
    let c = found(&state, id).await?;
    let org = user.acting_org()?;
    if c.phase(today()) != CallPhase::Open {
        return Err(ApiError::state(ConflictCode::CallNotOpen).into());
    }
    let app = match db::calls::start(&state.db, id, org, user.id(), &s.title, Utc::now()).await {
        Ok(a) => a,
        Err(DbError::Unique(v)) if v.of(&db::calls::ONE_PER_LEAD) => {
            return Err(ApiError::state(ConflictCode::ApplicationExists).into());
        }
        Err(e) => return Err(e.into()),
    };
    Ok((StatusCode::CREATED, Json(ApplicationRef { id: app })))
}

/// What the reader is to an application.
#[derive(PartialEq)]
enum Seat {
    /// A confirmed person of the lead organisation.
    Lead,
    /// A confirmed person of a partner (not one that declined).
    Partner(OrgId),
    /// The call's manager, once it is submitted (or withdrawn).
    Manager,
}

fn seat(user: &CurrentUser, a: &Application) -> Option<Seat> {
    let org = user.confirmed_org();
    if org == Some(a.lead) {
        return Some(Seat::Lead);
    }
    // A partner that declined is off the team: it reads it no more.
    if let Some(m) = a
        .team
        .iter()
        .find(|m| Some(m.org) == org && m.status != PartnerStatus::Declined)
    {
        return Some(Seat::Partner(m.org));
    }
    (user.is_admin() && a.status != ApplicationStatus::Draft).then_some(Seat::Manager)
}

/// Whether the reader reviews an application: an evaluator of its call, kept
/// away from it by nothing (their organisation not on its team, no conflict
/// declared), with their review so far.
#[derive(Default)]
struct Reviewer {
    evaluates: bool,
    review: Option<Review>,
    /// The organisation the reader represents (only its representative
    /// answers for a partner).
    represents: Option<OrgId>,
    /// The decisions on it the reader reads: the call's admin all of them,
    /// the team those announced.
    decisions: Vec<moim_core::selection::DecisionEntry>,
    /// The consortium founded from it (for its team and the call's admin).
    consortium: Option<Founded>,
    /// For the call's admin while it may be founded: the form's start.
    founding: Option<Founding>,
    /// Its agreement and payments (for its team and the call's admin).
    grant: Option<GrantView>,
    /// Whether the reader may record its agreement now.
    can_agree: bool,
    /// Whether the reader records its payments.
    can_pay: bool,
}

/// The organisations a consortium founded from `a` starts with: the lead
/// (its operator) first, then every partner that confirmed.
fn founders(a: &Application) -> Vec<OrgId> {
    std::iter::once(a.lead)
        .chain(
            a.team
                .iter()
                .filter(|m| m.status == PartnerStatus::Confirmed)
                .map(|m| m.org),
        )
        .collect()
}

/// Application `id`, its call and the reader as its reviewer, for a reader
/// with a seat or who reviews it (else 404).
async fn read(
    state: &AppState,
    user: &CurrentUser,
    id: ApplicationId,
) -> AppResult<(Application, db::calls::Call, Reviewer)> {
    let a = db::calls::application(&state.db, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let mut reviewer = Reviewer {
        represents: user.represented_org(&state.db).await?,
        ..Default::default()
    };
    let mut kept_away = false;
    if a.status == ApplicationStatus::Submitted
        && db::evaluation::is_evaluator(&state.db, a.call, user.id()).await?
    {
        // Their organisation whether or not it has confirmed them yet.
        let org = OrgId(user.user.org_id);
        let on_team = db::evaluation::on_team(&state.db, a.id, org).await?;
        let review = db::evaluation::review_of(&state.db, a.id, user.id()).await?;
        kept_away = on_team || review.as_ref().is_some_and(|r| r.conflict);
        if !kept_away {
            reviewer.evaluates = true;
            reviewer.review = review;
        }
    }
    // An evaluator kept away from it does not read it as the call's admin
    // either (they may still as its lead or partner).
    let seat = seat(user, &a).filter(|s| !(kept_away && *s == Seat::Manager));
    if seat.is_none() && !reviewer.evaluates {
        return Err(ApiError::NotFound.into());
    }
    let c = found(state, a.call).await?;
    let reads_decisions = match seat {
        Some(Seat::Manager) => true,
        Some(_) => c.announced_at.is_some(),
        None => false,
    };
    if reads_decisions {
        reviewer.decisions = db::selection::of_application(&state.db, a.id).await?;
    }
    if seat.is_some() && c.announced_at.is_some() {
        reviewer.consortium = db::founding::founded(&state.db, a.id).await?;
        reviewer.grant = db::grants::of_application(&state.db, a.id, today()).await?;
        let kinds = c.draft.kind.founds();
        // The call's admin has read every decision: the current one is the last.
        let selected = seat == Some(Seat::Manager)
            && reviewer
                .decisions
                .last()
                .is_some_and(|d| d.decision == moim_core::selection::Decision::Selected);
        reviewer.can_agree = selected && reviewer.grant.is_none();
        reviewer.can_pay = seat == Some(Seat::Manager) && reviewer.grant.is_some();
        if selected && reviewer.consortium.is_none() && !kinds.is_empty() {
            reviewer.founding = Some(Founding {
                kinds: kinds.to_vec(),
                complex_id: db::founding::complex_of(&state.db, a.lead).await?,
                term_start: c.draft.agreement_on,
                people: db::founding::people(&state.db, &founders(&a)).await?,
            });
        }
    }
    Ok((a, c, reviewer))
}

/// Application `id` for its lead's people (403 for the rest of its team).
async fn led(
    state: &AppState,
    user: &CurrentUser,
    id: ApplicationId,
) -> AppResult<(Application, db::calls::Call)> {
    let (a, c, _) = read(state, user, id).await?;
    if seat(user, &a) != Some(Seat::Lead) {
        return Err(ApiError::Forbidden.into());
    }
    Ok((a, c))
}

fn view(
    user: &CurrentUser,
    a: Application,
    c: db::calls::Call,
    reviewer: Reviewer,
) -> ApplicationView {
    let today = today();
    let phase = c.phase(today);
    let checks = check(&c.draft, &a.draft, &a.facts);
    let lead = seat(user, &a) == Some(Seat::Lead);
    let open = phase == CallPhase::Open;
    let answer_for = match seat(user, &a) {
        Some(Seat::Partner(org)) if reviewer.represents == Some(org) => Some(org),
        _ => None,
    }
    .filter(|_| open);
    let (days_left, evaluation_on) = (c.draft.days_left(today), c.draft.evaluation_on);
    ApplicationView {
        id: a.id,
        call_id: c.id,
        call_title: c.draft.title,
        call_kind: c.draft.kind,
        phase,
        days_left,
        form: c.draft.form,
        lead: a.lead,
        lead_name: a.lead_name,
        status: a.status,
        project_manwon: a.draft.project_manwon(),
        can_edit: lead && open && a.status != ApplicationStatus::Submitted,
        can_submit: lead
            && open
            && a.status != ApplicationStatus::Submitted
            && checks.iter().all(|c| c.ok),
        can_withdraw: lead && a.status == ApplicationStatus::Submitted && today < evaluation_on,
        answer_for,
        can_review: reviewer.evaluates && phase == CallPhase::Evaluation,
        my_review: reviewer.review,
        decisions: reviewer.decisions,
        consortium: reviewer.consortium,
        founding: reviewer.founding,
        grant: reviewer.grant,
        can_agree: reviewer.can_agree,
        can_pay: reviewer.can_pay,
        criteria: c.draft.criteria,
        checks,
        team: a.team,
        submitted_at: a.submitted_at,
        draft: a.draft,
    }
}

/// An application with its rules checked now: for its team, and for the
/// call's managers once submitted (404 for anyone else).
#[utoipa::path(get, path = "/api/applications/{id}", tag = "calls",
    params(("id" = i64, Path, description = "The application")),
    responses((status = 200, body = ApplicationView), (status = 401, body = ApiError), (status = 404, body = ApiError)))]
async fn application(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<ApplicationId>,
) -> AppResult<Json<ApplicationView>> {
    let (a, c, r) = read(&state, &user, id).await?;
    Ok(Json(view(&user, a, c, r)))
}

/// Saves the lead's draft while the call is open (409 `call_not_open`); a
/// submitted application is withdrawn first (409 `application_submitted`).
/// Partners are open organisations other than the lead (422 `partners`); a
/// problem is one of the lead's (422 `problem`). New partners, and those whose
/// share changed, are asked to confirm.
#[utoipa::path(put, path = "/api/applications/{id}", tag = "calls", request_body = ApplicationDraft,
    params(("id" = i64, Path, description = "The application")),
    responses((status = 200, body = ApplicationView), (status = 401, body = ApiError), (status = 403, body = ApiError),
        (status = 404, body = ApiError), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
async fn save(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<ApplicationId>,
    Valid(d): Valid<ApplicationDraft>,
) -> AppResult<Json<ApplicationView>> {
    let (a, c) = led(&state, &user, id).await?;
    if c.phase(today()) != CallPhase::Open {
        return Err(ApiError::state(ConflictCode::CallNotOpen).into());
    }
    if a.status == ApplicationStatus::Submitted {
        return Err(ApiError::state(ConflictCode::ApplicationSubmitted).into());
    }
    if let Err(e) = c.draft.form.check(&d.answers, false) {
        return Err(ApiError::Validation { fields: e }.into());
    }
    let orgs: Vec<OrgId> = d.partners.iter().map(|p| p.org).collect();
    if db::calls::open_orgs(&state.db, &orgs, a.lead).await? != orgs.len() {
        return Err(ApiError::invalid("partners", ErrorCode::InvalidChoice).into());
    }
    if let Some(p) = d.problem {
        let mine = match db::problems::find(&state.db, p).await {
            Ok(p) => p.org_id == a.lead.0,
            Err(DbError::NotFound) => false,
            Err(e) => return Err(e.into()),
        };
        if !mine {
            return Err(ApiError::invalid("problem", ErrorCode::InvalidChoice).into());
        }
    }
    if !db::calls::save(&state.db, &a, &d, user.id(), Utc::now()).await? {
        return Err(ApiError::state(ConflictCode::ApplicationSubmitted).into());
    }
    let (a, c, r) = read(&state, &user, id).await?;
    Ok(Json(view(&user, a, c, r)))
}

/// Submits the application: by its lead's people, while the call is open (409
/// `call_not_open`), when every rule is met (409 `rules_not_met`; its checks
/// say which). The team is told.
#[utoipa::path(post, path = "/api/applications/{id}/submit", tag = "calls",
    params(("id" = i64, Path, description = "The application")),
    responses((status = 200, body = ApplicationView), (status = 401, body = ApiError), (status = 403, body = ApiError),
        (status = 404, body = ApiError), (status = 409, body = ApiError)))]
async fn submit(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<ApplicationId>,
) -> AppResult<Json<ApplicationView>> {
    let (a, c) = led(&state, &user, id).await?;
    if c.phase(today()) != CallPhase::Open {
        return Err(ApiError::state(ConflictCode::CallNotOpen).into());
    }
    if a.status != ApplicationStatus::Submitted {
        if !check(&c.draft, &a.draft, &a.facts).iter().all(|r| r.ok) {
            return Err(ApiError::state(ConflictCode::RulesNotMet).into());
        }
        if !db::calls::set_status(&state.db, &a, true, user.id(), Utc::now()).await? {
            // Changed (or submitted) since it was read: not what was checked.
            return Err(ApiError::state(ConflictCode::AnswerChanged).into());
        }
    }
    let (a, c, r) = read(&state, &user, id).await?;
    Ok(Json(view(&user, a, c, r)))
}

/// Withdraws a submitted application, until evaluation starts (409
/// `evaluation_started`). While the call is open it may be written again and
/// resubmitted. The team is told.
#[utoipa::path(post, path = "/api/applications/{id}/withdraw", tag = "calls",
    params(("id" = i64, Path, description = "The application")),
    responses((status = 200, body = ApplicationView), (status = 401, body = ApiError), (status = 403, body = ApiError),
        (status = 404, body = ApiError), (status = 409, body = ApiError)))]
async fn withdraw(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<ApplicationId>,
) -> AppResult<Json<ApplicationView>> {
    let (a, c) = led(&state, &user, id).await?;
    if today() >= c.draft.evaluation_on {
        return Err(ApiError::state(ConflictCode::EvaluationStarted).into());
    }
    if a.status == ApplicationStatus::Submitted {
        db::calls::set_status(&state.db, &a, false, user.id(), Utc::now()).await?;
    }
    let (a, c, r) = read(&state, &user, id).await?;
    Ok(Json(view(&user, a, c, r)))
}

/// A partner's representative confirms or declines its place and share while
/// the call is open (409 `call_not_open`); only the representative answers
/// (403 for the organisation's other people). A submitted application whose
/// partner declines stays submitted; its checks show the lead what broke.
#[utoipa::path(post, path = "/api/applications/{id}/team", tag = "calls", request_body = TeamAnswer,
    params(("id" = i64, Path, description = "The application")),
    responses((status = 200, body = ApplicationView), (status = 401, body = ApiError), (status = 403, body = ApiError),
        (status = 404, body = ApiError), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
async fn answer(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<ApplicationId>,
    ApiJson(t): ApiJson<TeamAnswer>,
) -> AppResult<Json<ApplicationView>> {
    let (a, c, r) = read(&state, &user, id).await?;
    let Some(Seat::Partner(org)) = seat(&user, &a) else {
        return Err(ApiError::Forbidden.into());
    };
    if r.represents != Some(org) {
        return Err(ApiError::Forbidden.into());
    }
    if c.phase(today()) != CallPhase::Open {
        return Err(ApiError::state(ConflictCode::CallNotOpen).into());
    }
    let shown = a
        .team
        .iter()
        .find(|m| m.org == org)
        .map_or(0, |m| m.share_manwon);
    let now = Utc::now();
    if !db::calls::answer(&state.db, &a, org, shown, t.confirm, user.id(), now).await? {
        // Answered so already, or the lead changed the share meanwhile.
        let (fresh, _, _) = read(&state, &user, id).await?;
        if fresh
            .team
            .iter()
            .any(|m| m.org == org && m.share_manwon != shown)
        {
            return Err(ApiError::state(ConflictCode::AnswerChanged).into());
        }
    }
    if !t.confirm {
        // Off the team now: what it was is all they get back.
        let mut a = a;
        for m in a.team.iter_mut().filter(|m| m.org == org) {
            m.status = PartnerStatus::Declined;
        }
        return Ok(Json(view(&user, a, c, Reviewer::default())));
    }
    let (a, c, r) = read(&state, &user, id).await?;
    Ok(Json(view(&user, a, c, r)))
}

/// Appoints an evaluator of a call by the address of their account (agency
/// admins; an address with no open account is 422 `email`), until the results
/// are announced (409 `already_announced`). The evaluation.
#[utoipa::path(post, path = "/api/calls/{id}/evaluators", tag = "calls", request_body = AppointEvaluator,
    params(("id" = i64, Path, description = "The call")),
    responses((status = 200, body = EvaluationView), (status = 401, body = ApiError), (status = 403, body = ApiError),
        (status = 404, body = ApiError), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
async fn appoint(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<CallId>,
    Valid(req): Valid<AppointEvaluator>,
) -> AppResult<Json<EvaluationView>> {
    let c = found(&state, id).await?;
    if !user.is_admin() {
        return Err(ApiError::Forbidden.into());
    }
    let email = moim_core::validate::normalize_email(&req.email);
    let person = db::users::find_by_email(&state.db, &email)
        .await?
        .filter(|u| u.closed_at.is_none())
        .ok_or_else(|| ApiError::invalid("email", ErrorCode::InvalidChoice))?;
    let call = (c.id, c.draft.title.as_str());
    let who = moim_core::UserId(person.id);
    if !db::evaluation::appoint(&state.db, call, who, user.id(), Utc::now()).await? {
        return Err(ApiError::state(ConflictCode::AlreadyAnnounced).into());
    }
    Ok(Json(evaluation_view(&state, &user, c).await?))
}

/// Dismisses an evaluator of a call (agency admins): their scores count no
/// more, though they are kept should they be appointed again. Not once the
/// results are announced (409 `already_announced`); someone who is no
/// evaluator of the call is 404. The evaluation.
#[utoipa::path(delete, path = "/api/calls/{id}/evaluators/{user_id}", tag = "calls",
    params(("id" = i64, Path, description = "The call"), ("user_id" = i64, Path, description = "The evaluator")),
    responses((status = 200, body = EvaluationView), (status = 401, body = ApiError), (status = 403, body = ApiError),
        (status = 404, body = ApiError), (status = 409, body = ApiError)))]
async fn dismiss(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath((id, user_id)): ApiPath<(i64, i64)>,
) -> AppResult<Json<EvaluationView>> {
    let c = found(&state, CallId(id)).await?;
    if !user.is_admin() {
        return Err(ApiError::Forbidden.into());
    }
    let who = moim_core::UserId(user_id);
    let call = (c.id, c.draft.title.as_str());
    match db::evaluation::dismiss(&state.db, call, who, user.id(), Utc::now()).await? {
        db::evaluation::Dismissed::Done => Ok(Json(evaluation_view(&state, &user, c).await?)),
        db::evaluation::Dismissed::NotOne => Err(ApiError::NotFound.into()),
        db::evaluation::Dismissed::Announced => {
            Err(ApiError::state(ConflictCode::AlreadyAnnounced).into())
        }
    }
}

async fn evaluation_view(
    state: &AppState,
    user: &CurrentUser,
    c: db::calls::Call,
) -> AppResult<EvaluationView> {
    let admin = user.is_admin();
    let mine = if db::evaluation::is_evaluator(&state.db, c.id, user.id()).await? {
        let (to_review, conflicts) =
            db::evaluation::to_review(&state.db, c.id, user.id(), Some(OrgId(user.user.org_id)))
                .await?;
        Some(MyEvaluation {
            to_review,
            conflicts,
        })
    } else {
        None
    };
    if !admin && mine.is_none() {
        return Err(ApiError::NotFound.into());
    }
    if !admin {
        return Ok(EvaluationView {
            evaluators: Vec::new(),
            ranking: Vec::new(),
            mine,
            selection: None,
        });
    }
    let mut ranking = rank(db::evaluation::ranking_rows(&state.db, c.id).await?);
    // An admin on an application's team, or who declared a conflict with it,
    // neither decides on it nor reads its decision.
    let away =
        db::evaluation::kept_away(&state.db, c.id, user.id(), OrgId(user.user.org_id)).await?;
    for (app, entry) in db::selection::current(&state.db, c.id).await? {
        if let Some(r) = ranking.iter_mut().find(|r| r.id == app) {
            r.decision = Some(entry);
        }
    }
    for r in ranking.iter_mut().filter(|r| away.contains(&r.id)) {
        r.recused = true;
        r.decision = None;
    }
    let (granted_manwon, undecided) = db::selection::totals(&state.db, c.id).await?;
    let (agreed_manwon, paid_manwon) = db::grants::call_totals(&state.db, c.id).await?;
    Ok(EvaluationView {
        evaluators: db::evaluation::evaluators(&state.db, c.id).await?,
        ranking,
        mine,
        selection: Some(SelectionState {
            budget_manwon: c.draft.budget_manwon,
            granted_manwon,
            undecided,
            can_decide: today() >= c.draft.evaluation_on,
            announced_at: c.announced_at,
            agreed_manwon,
            paid_manwon,
        }),
    })
}

/// A call's evaluation: for its admins the evaluators and the ranking by
/// weighted score with each application's spread; for an evaluator the
/// applications they review. 404 for anyone else.
#[utoipa::path(get, path = "/api/calls/{id}/evaluation", tag = "calls",
    params(("id" = i64, Path, description = "The call")),
    responses((status = 200, body = EvaluationView), (status = 401, body = ApiError), (status = 404, body = ApiError)))]
async fn evaluation(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<CallId>,
) -> AppResult<Json<EvaluationView>> {
    let c = found(&state, id).await?;
    Ok(Json(evaluation_view(&state, &user, c).await?))
}

/// An evaluator's review of an application, in the evaluation phase (409
/// `not_evaluating`): a declared conflict of interest (then it is kept from
/// them: 404 from then on) or a score per criterion, each from 0 to its
/// highest (422 `scores…`). Changed as often as wanted until the phase ends.
/// Their part of the call's evaluation.
#[utoipa::path(put, path = "/api/applications/{id}/review", tag = "calls", request_body = Review,
    params(("id" = i64, Path, description = "The application")),
    responses((status = 200, body = EvaluationView), (status = 401, body = ApiError), (status = 403, body = ApiError),
        (status = 404, body = ApiError), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
async fn review(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<ApplicationId>,
    Valid(r): Valid<Review>,
) -> AppResult<Json<EvaluationView>> {
    let (a, c, reviewer) = read(&state, &user, id).await?;
    if !reviewer.evaluates {
        return Err(ApiError::Forbidden.into());
    }
    if c.phase(today()) != CallPhase::Evaluation {
        return Err(ApiError::state(ConflictCode::NotEvaluating).into());
    }
    r.check(&c.draft.criteria)
        .map_err(|fields| ApiError::Validation { fields })?;
    let total = (!r.conflict).then(|| weighted_tenths(&c.draft.criteria, &r.scores));
    db::evaluation::save_review(&state.db, a.id, user.id(), &r, total, Utc::now()).await?;
    Ok(Json(evaluation_view(&state, &user, c).await?))
}

/// The call's admin decides on a submitted application (409 `not_submitted`
/// for a withdrawn one), from the evaluation's start (409 `not_evaluating`):
/// selected with the grant given — at most what was asked (422
/// `grant_manwon`), the selected ones' grants together within the call's
/// budget (409 `over_budget`) — reserve, or not selected, always with a
/// reason. Until the results are announced a decision replaces the one
/// before; after, it is a correction beside it, told to the team — until its
/// agreement is recorded (409 `already_agreed`) or a consortium founded from
/// it (409 `already_founded`): what was built on it stands. An admin
/// on the application's team or kept away from it as an evaluator does not
/// decide on it (403, 404). The call's evaluation.
#[utoipa::path(put, path = "/api/applications/{id}/decision", tag = "calls", request_body = DecideApplication,
    params(("id" = i64, Path, description = "The application")),
    responses((status = 200, body = EvaluationView), (status = 401, body = ApiError), (status = 403, body = ApiError),
        (status = 404, body = ApiError), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
async fn decide(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<ApplicationId>,
    Valid(d): Valid<DecideApplication>,
) -> AppResult<Json<EvaluationView>> {
    let (a, c, _) = read(&state, &user, id).await?;
    if seat(&user, &a) != Some(Seat::Manager) {
        return Err(ApiError::Forbidden.into());
    }
    if a.status != ApplicationStatus::Submitted {
        return Err(ApiError::state(ConflictCode::NotSubmitted).into());
    }
    if today() < c.draft.evaluation_on {
        return Err(ApiError::state(ConflictCode::NotEvaluating).into());
    }
    d.check(a.draft.government_manwon)
        .map_err(|fields| ApiError::Validation { fields })?;
    let kept = db::selection::decide(
        &state.db,
        c.id,
        a.id,
        a.lead,
        &a.draft.title,
        &d,
        user.id(),
        Utc::now(),
    )
    .await?;
    use db::selection::Decided;
    match kept {
        Decided::Kept => {}
        Decided::OverBudget => return Err(ApiError::state(ConflictCode::OverBudget).into()),
        Decided::Agreed => return Err(ApiError::state(ConflictCode::AlreadyAgreed).into()),
        Decided::Founded => return Err(ApiError::state(ConflictCode::AlreadyFounded).into()),
    }
    // A decision changes neither the call's days nor its budget.
    Ok(Json(evaluation_view(&state, &user, c).await?))
}

/// The call's admin announces its results, from the evaluation's start (409
/// `not_evaluating`), once every submitted application has a decision (409
/// `undecided`), once (409 `already_announced`). Each team is told; the call's
/// page lists the selected ones for everyone; reviews end.
#[utoipa::path(post, path = "/api/calls/{id}/announce", tag = "calls",
    params(("id" = i64, Path, description = "The call")),
    responses((status = 200, body = EvaluationView), (status = 401, body = ApiError), (status = 403, body = ApiError),
        (status = 404, body = ApiError), (status = 409, body = ApiError)))]
async fn announce(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<CallId>,
) -> AppResult<Json<EvaluationView>> {
    let c = found(&state, id).await?;
    if !user.is_admin() {
        return Err(ApiError::Forbidden.into());
    }
    if today() < c.draft.evaluation_on {
        return Err(ApiError::state(ConflictCode::NotEvaluating).into());
    }
    use db::selection::Announced;
    match db::selection::announce(&state.db, id, &c.draft.title, user.id(), Utc::now()).await? {
        Announced::Done => {}
        Announced::Already => return Err(ApiError::state(ConflictCode::AlreadyAnnounced).into()),
        Announced::Undecided => return Err(ApiError::state(ConflictCode::Undecided).into()),
    }
    let c = found(&state, id).await?;
    Ok(Json(evaluation_view(&state, &user, c).await?))
}

/// A call's announced results, for everyone: the selected applications with
/// their grants, the largest first, and the corrections since that put one on
/// that list or took one off. 404 before the announcement.
#[utoipa::path(get, path = "/api/calls/{id}/results", tag = "calls",
    params(("id" = i64, Path, description = "The call")),
    responses((status = 200, body = Results), (status = 404, body = ApiError)))]
async fn results(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<CallId>,
) -> AppResult<Json<Results>> {
    let c = found(&state, id).await?;
    let at = c.announced_at.ok_or(ApiError::NotFound)?;
    Ok(Json(db::selection::results(&state.db, id, at).await?))
}

/// The call's admin founds the theme cluster or consortium a selected
/// application proposed, once the results are announced (409 `not_selected`
/// before, or for one not selected), once (409 `already_founded`): its kind
/// one the call founds (422 `kind`; a support call founds none), its name
/// free in its complex (409 `name_taken`), its CM a confirmed person of the
/// lead or of a partner that confirmed (422 `manager`). The lead runs it (운영기관);
/// the lead and those partners are its members, and their people are told.
/// The application as it stands.
#[utoipa::path(post, path = "/api/applications/{id}/consortium", tag = "calls", request_body = FoundConsortium,
    params(("id" = i64, Path, description = "The application")),
    responses((status = 201, body = ApplicationView), (status = 401, body = ApiError), (status = 403, body = ApiError),
        (status = 404, body = ApiError), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
async fn found_consortium(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<ApplicationId>,
    Valid(f): Valid<FoundConsortium>,
) -> AppResult<(StatusCode, Json<ApplicationView>)> {
    let (a, c, _) = read(&state, &user, id).await?;
    if seat(&user, &a) != Some(Seat::Manager) {
        return Err(ApiError::Forbidden.into());
    }
    if !c.draft.kind.founds().contains(&f.consortium.kind) {
        return Err(ApiError::invalid("kind", ErrorCode::InvalidChoice).into());
    }
    use db::founding::Found;
    let founded = db::founding::found(
        &state.db,
        c.id,
        a.id,
        &founders(&a),
        &f,
        user.id(),
        Utc::now(),
    )
    .await
    .map_err(super::consortia::name_taken)?;
    match founded {
        Found::Done(_) => {}
        Found::NotSelected => return Err(ApiError::state(ConflictCode::NotSelected).into()),
        Found::Already => return Err(ApiError::state(ConflictCode::AlreadyFounded).into()),
        Found::ManagerOffTeam => {
            return Err(ApiError::invalid("manager", ErrorCode::InvalidChoice).into());
        }
    }
    let (a, c, r) = read(&state, &user, id).await?;
    Ok((StatusCode::CREATED, Json(view(&user, a, c, r))))
}

/// Application `id` for the call's admin (403 for its team), with its call.
async fn managed(
    state: &AppState,
    user: &CurrentUser,
    id: ApplicationId,
) -> AppResult<(Application, db::calls::Call)> {
    let (a, c, _) = read(state, user, id).await?;
    if seat(user, &a) != Some(Seat::Manager) {
        return Err(ApiError::Forbidden.into());
    }
    Ok((a, c))
}

/// The call's admin records the agreement (협약) of an application selected
/// in the announced results (409 `not_selected`), once (409
/// `already_agreed`), signed on a day not before the announcement (422
/// `agreed_on`): the grant as decided and the milestones as the application
/// planned them. In the audit trail. The application as it stands.
#[utoipa::path(post, path = "/api/applications/{id}/grant", tag = "calls", request_body = Agree,
    params(("id" = i64, Path, description = "The application")),
    responses((status = 201, body = ApplicationView), (status = 401, body = ApiError), (status = 403, body = ApiError),
        (status = 404, body = ApiError), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
async fn agree(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<ApplicationId>,
    Valid(g): Valid<Agree>,
) -> AppResult<(StatusCode, Json<ApplicationView>)> {
    let (a, c) = managed(&state, &user, id).await?;
    let announced = c
        .announced_at
        .ok_or(ApiError::state(ConflictCode::NotSelected))?;
    if g.agreed_on < announced.with_timezone(&moim_core::KST).date_naive() {
        return Err(ApiError::invalid("agreed_on", ErrorCode::EndBeforeStart).into());
    }
    let w = db::grants::Whose {
        app: a.id,
        lead: a.lead,
        title: &a.draft.title,
    };
    use db::grants::Agreed;
    match db::grants::agree(
        &state.db,
        c.id,
        &w,
        &a.draft.milestones,
        g.agreed_on,
        user.id(),
        Utc::now(),
    )
    .await?
    {
        Agreed::Done => {}
        Agreed::NotSelected => return Err(ApiError::state(ConflictCode::NotSelected).into()),
        Agreed::Already => return Err(ApiError::state(ConflictCode::AlreadyAgreed).into()),
    }
    let (a, c, r) = read(&state, &user, id).await?;
    Ok((StatusCode::CREATED, Json(view(&user, a, c, r))))
}

/// The call's admin records a payment of the grant against milestone `n`
/// (from 1; 404 for none) of an application whose agreement is recorded (409
/// `not_agreed`): the amount and the day, not before the agreement (422
/// `paid_on`); the payments together within the grant (409 `over_grant`).
/// Recorded again, it replaces the milestone's payment before. In the audit
/// trail. The application as it stands.
#[utoipa::path(put, path = "/api/applications/{id}/milestones/{n}/payment", tag = "calls", request_body = Pay,
    params(("id" = i64, Path, description = "The application"), ("n" = i64, Path, description = "The milestone, from 1")),
    responses((status = 200, body = ApplicationView), (status = 401, body = ApiError), (status = 403, body = ApiError),
        (status = 404, body = ApiError), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
async fn pay(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath((id, n)): ApiPath<(i64, i64)>,
    Valid(p): Valid<Pay>,
) -> AppResult<Json<ApplicationView>> {
    let id = ApplicationId(id);
    let (a, _) = managed(&state, &user, id).await?;
    let w = db::grants::Whose {
        app: a.id,
        lead: a.lead,
        title: &a.draft.title,
    };
    use db::grants::Paid;
    match db::grants::pay(&state.db, &w, n, &p, user.id(), Utc::now()).await? {
        Paid::Done => {}
        Paid::NotAgreed => return Err(ApiError::state(ConflictCode::NotAgreed).into()),
        Paid::NoMilestone => return Err(ApiError::NotFound.into()),
        Paid::BeforeAgreement => {
            return Err(ApiError::invalid("paid_on", ErrorCode::EndBeforeStart).into());
        }
        Paid::OverGrant => return Err(ApiError::state(ConflictCode::OverGrant).into()),
    }
    let (a, c, r) = read(&state, &user, id).await?;
    Ok(Json(view(&user, a, c, r)))
}
