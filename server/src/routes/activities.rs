//! Networking activities: the schedule (list and calendar, per consortium, per
//! region, for everything), registration with a waiting list, check-in by code and
//! QR code, attendance by hand, minutes and photos, `.ics` files and each member's
//! calendar feed.

use crate::{
    AppState,
    auth::{CurrentUser, MaybeUser},
    db::{
        self,
        activities::{ActivityRow, EditError, EditRefusal, Refusal, RegError},
    },
    error::{AppError, AppResult, DbError},
    extract::{ApiPath, ApiQuery, JSON_LIMIT, Valid},
    files,
    routes::access::can_manage,
    sheet,
};
use axum::{
    Json,
    extract::{DefaultBodyLimit, Multipart, State},
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};
use chrono::{DateTime, Duration, Utc};
use moim_core::{
    ActivityId, ApiError, ConflictCode, ConsortiumId, ErrorCode, UserId, Validate,
    activity::*,
    idea::ConsortiumTag,
    questionnaire::{Question, answer_text},
};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_activities, create_activity))
        .routes(routes!(schedulable))
        .routes(routes!(get_activity, update_activity))
        .routes(routes!(activity_questions))
        .routes(routes!(cancel_activity))
        .routes(routes!(register, unregister))
        .routes(routes!(attendees))
        .routes(routes!(attendees_csv))
        .routes(routes!(open_checkin))
        .routes(routes!(checkin_qr))
        .routes(routes!(check_in))
        .routes(routes!(mark_attendance))
        .routes(routes!(set_minutes))
        .routes(routes!(activity_ics))
        .routes(routes!(calendar_link))
        .routes(routes!(calendar_feed))
        .routes(routes!(get_photo))
        .merge(
            OpenApiRouter::new()
                .routes(routes!(add_photos))
                .layer(DefaultBodyLimit::max(8 * PHOTO_MAX + JSON_LIMIT)),
        )
}

/// Largest photo.
const PHOTO_MAX: usize = 5 * 1024 * 1024;

/// What the caller may do with an activity.
pub(crate) struct Seen {
    pub row: ActivityRow,
    consortia: Vec<ConsortiumTag>,
    pub manager: bool,
    member: bool,
}

pub(crate) async fn see(state: &AppState, user: Option<&CurrentUser>, id: i64) -> AppResult<Seen> {
    let row = match db::activities::find(&state.db, ActivityId(id)).await {
        Err(DbError::NotFound) => return Err(ApiError::NotFound.into()),
        other => other?,
    };
    let consortia = db::activities::consortia_of(&state.db, &[id])
        .await?
        .remove(&id)
        .unwrap_or_default();
    let (mut manager, mut member) = (false, false);
    if let Some(u) = user {
        for c in &consortia {
            manager = manager || can_manage(state, u, c.id).await?;
            if let Some(org) = u.confirmed_org() {
                member = member || db::consortia::is_member(&state.db, c.id, org).await?;
            }
        }
        manager = manager || u.is_admin();
    }
    Ok(Seen {
        row,
        consortia,
        manager,
        member,
    })
}

impl Seen {
    /// Open to everyone signed in, not only the consortia's members.
    fn open(&self) -> bool {
        self.row.audience() != ActivityAudience::Members
    }
}

/// Whether `user` has a place (registered, not waiting) at activity `id`.
pub(crate) async fn has_place(state: &AppState, id: i64, user: &CurrentUser) -> AppResult<bool> {
    Ok(matches!(
        db::activities::mine(&state.db, ActivityId(id), user.id()).await?,
        Some((RegistrationStatus::Registered, ..))
    ))
}

pub(crate) fn manager_only(seen: &Seen) -> AppResult<()> {
    if seen.manager {
        Ok(())
    } else {
        Err(ApiError::Forbidden.into())
    }
}

pub(crate) fn refusal(e: RegError) -> AppError {
    match e {
        RegError::Db(DbError::NotFound) => ApiError::NotFound.into(),
        RegError::Db(e) => e.into(),
        RegError::Refused(r) => match r {
            Refusal::Closed => {
                ApiError::conflict(ConflictCode::RegistrationClosed, "activity").into()
            }
            Refusal::Full => ApiError::conflict(ConflictCode::ActivityFull, "activity").into(),
            Refusal::NotRegistered => {
                ApiError::conflict(ConflictCode::NotRegistered, "activity").into()
            }
            Refusal::CheckinClosed => {
                ApiError::conflict(ConflictCode::CheckinClosed, "code").into()
            }
            Refusal::WrongCode => ApiError::invalid("code", ErrorCode::InvalidChoice).into(),
            Refusal::CategoryRequired => ApiError::invalid("category", ErrorCode::Required).into(),
            Refusal::NoSuchCategory => {
                ApiError::invalid("category", ErrorCode::InvalidChoice).into()
            }
            Refusal::CategoryFull => {
                ApiError::conflict(ConflictCode::CategoryFull, "category").into()
            }
            Refusal::NoGuests => ApiError::conflict(ConflictCode::NotMember, "activity").into(),
            Refusal::LinkExpired => ApiError::invalid("token", ErrorCode::InvalidLink).into(),
            Refusal::Answers(fields) => ApiError::from(fields).into(),
        },
    }
}

/// What a schedule names: its consortia, each existing and active (422) and
/// managed by the caller unless the activity already has it (`current`, on
/// edit); its co-organisers, each in the register (422).
async fn check_named(
    state: &AppState,
    user: &CurrentUser,
    a: &NewActivity,
    current: &[ConsortiumTag],
) -> AppResult<()> {
    for c in &a.consortium_ids {
        if !matches!(db::consortia::is_active(&state.db, *c).await, Ok(true)) {
            return Err(ApiError::invalid("consortium_ids", ErrorCode::InvalidChoice).into());
        }
        if !current.iter().any(|t| t.id == *c) && !can_manage(state, user, *c).await? {
            return Err(ApiError::Forbidden.into());
        }
    }
    // Co-organisers come from the register.
    if let Some(ids) = &a.partners
        && !db::partners::unknown(&state.db, ids).await?.is_empty()
    {
        return Err(ApiError::invalid("partners", ErrorCode::InvalidChoice).into());
    }
    Ok(())
}

/// Activities starting in a period (default: the next 90 days), of one consortium,
/// one region, or those the caller registered for; in time order, at most 500.
#[utoipa::path(get, path = "/api/activities", tag = "activities", params(ActivityQuery),
    responses((status = 200, body = Vec<ActivitySummary>), (status = 401, description = "`mine` without a session", body = ApiError), (status = 422, body = ApiError)))]
async fn list_activities(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    ApiQuery(q): ApiQuery<ActivityQuery>,
) -> AppResult<Json<Vec<ActivitySummary>>> {
    let from = q.from.unwrap_or_else(|| Utc::now() - Duration::hours(12));
    let to = q.to.unwrap_or(from + Duration::days(90));
    let mine = match (q.mine, &user) {
        (true, Some(u)) => Some(u.id()),
        (true, None) => return Err(ApiError::Unauthenticated.into()),
        (false, _) => None,
    };
    let region = q.region.as_deref().map(str::trim).filter(|r| !r.is_empty());
    let rows = db::activities::list(&state.db, from, to, q.consortium, region, mine).await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut tags = db::activities::consortia_of(&state.db, &ids).await?;
    let statuses = match &user {
        Some(u) => db::activities::statuses(&state.db, &ids, u.id()).await?,
        None => Default::default(),
    };
    // The consortia the caller manages among those of activities whose place is
    // kept back, asked as the page asks (`can_manage`).
    let mut managed = std::collections::HashSet::new();
    if let Some(u) = &user {
        let kept: std::collections::BTreeSet<ConsortiumId> = rows
            .iter()
            .filter(|r| !r.place_public)
            .flat_map(|r| tags.get(&r.id).into_iter().flatten().map(|t| t.id))
            .collect();
        for c in kept {
            if can_manage(&state, u, c).await? {
                managed.insert(c);
            }
        }
    }
    Ok(Json(
        rows.iter()
            .map(|r| {
                let tags = tags.remove(&r.id).unwrap_or_default();
                let manager = tags.iter().any(|t| managed.contains(&t.id));
                let mine = statuses.get(&r.id).copied();
                let shown = r.place_shown_to(manager, mine);
                r.summary(tags, mine, shown)
            })
            .collect(),
    ))
}

/// The consortia the caller may schedule activities for (a CM's own; all for admins).
#[utoipa::path(get, path = "/api/activities/schedulable", tag = "activities",
    responses((status = 200, body = Vec<ConsortiumTag>), (status = 401, body = ApiError)))]
async fn schedulable(
    State(state): State<AppState>,
    user: CurrentUser,
) -> AppResult<Json<Vec<ConsortiumTag>>> {
    Ok(Json(
        db::activities::manageable(&state.db, user.id(), user.is_admin()).await?,
    ))
}

/// A CM schedules an activity for consortia they manage; their members are told.
#[utoipa::path(post, path = "/api/activities", tag = "activities", request_body = NewActivity,
    responses((status = 401, description = "Not signed in", body = ApiError), (status = 201, body = ActivityView), (status = 403, body = ApiError), (status = 422, body = ApiError)))]
async fn create_activity(
    State(state): State<AppState>,
    user: CurrentUser,
    Valid(a): Valid<NewActivity>,
) -> AppResult<(StatusCode, Json<ActivityView>)> {
    let now = Utc::now();
    check_named(&state, &user, &a, &[]).await?;
    if a.starts_at <= now {
        return Err(ApiError::invalid("starts_at", ErrorCode::InPast).into());
    }
    let id = db::activities::create(&state.db, &a, user.id(), now).await?;
    let seen = see(&state, Some(&user), id.0).await?;
    Ok((
        StatusCode::CREATED,
        Json(view(&state, Some(&user), seen, now).await?),
    ))
}

async fn view(
    state: &AppState,
    user: Option<&CurrentUser>,
    seen: Seen,
    now: DateTime<Utc>,
) -> AppResult<ActivityView> {
    let id = ActivityId(seen.row.id);
    let mine = match user {
        Some(u) => db::activities::mine(&state.db, id, u.id()).await?,
        None => None,
    };
    let status = mine.map(|m| m.0);
    let registered = matches!(status, Some(RegistrationStatus::Registered));
    let insider = seen.member || seen.manager || registered;
    let photos = if insider {
        db::activities::photos(&state.db, id)
            .await?
            .into_iter()
            .map(|p| ActivityPhoto {
                id: p.id,
                name: p.name,
            })
            .collect()
    } else {
        Vec::new()
    };
    let r = &seen.row;
    let defs = r.category_defs();
    let my_category = match (user, status, defs.is_empty()) {
        (Some(u), Some(_), false) => {
            db::activities::registration_of(&state.db, id, u.id())
                .await?
                .0
        }
        _ => None,
    };
    let categories = if defs.is_empty() {
        Vec::new()
    } else {
        let mut taken = db::activities::category_counts(&state.db, id).await?;
        defs.into_iter()
            .map(|d| CategoryCount {
                taken: taken.remove(&d.name).unwrap_or(0),
                name: d.name,
                capacity: d.capacity,
            })
            .collect()
    };
    Ok(ActivityView {
        summary: r.summary(
            seen.consortia.clone(),
            status,
            r.place_shown_to(seen.manager, status),
        ),
        description: r.description.clone(),
        online_url: if registered || seen.manager {
            r.online_url.clone()
        } else {
            None
        },
        deadline: r.deadline,
        waitlist: r.waitlist,
        programme: r.programme(),
        categories,
        my_category,
        question_count: u32::try_from(r.question_list().len()).unwrap_or(0),
        place_public: r.place_public,
        my_position: mine.and_then(|m| m.1),
        attended: mine.is_some_and(|m| m.2),
        can_register: (seen.member
            || (user.is_some() && seen.open())
            || (user.is_none() && r.guests))
            && r.cancelled_at.is_none()
            && now < r.deadline
            && now < r.starts_at,
        can_manage: seen.manager,
        checkin_open: r.cancelled_at.is_none() && r.checkin_open(now),
        minutes: if insider { r.minutes.clone() } else { None },
        photos,
        created_by: r.created_by_name.clone(),
        partners: db::partners::of_activities(&state.db, &[r.id])
            .await?
            .remove(&r.id)
            .unwrap_or_default(),
    })
}

/// One activity.
#[utoipa::path(get, path = "/api/activities/{id}", tag = "activities", params(("id" = i64, Path)),
    responses((status = 200, body = ActivityView), (status = 404, body = ApiError)))]
async fn get_activity(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<ActivityView>> {
    let seen = see(&state, user.as_ref(), id).await?;
    Ok(Json(view(&state, user.as_ref(), seen, Utc::now()).await?))
}

/// The activity's registration questions, and the caller's answers to them:
/// for whoever may see the activity.
#[utoipa::path(get, path = "/api/activities/{id}/questions", tag = "activities", params(("id" = i64, Path)),
    responses((status = 200, body = ActivityQuestions), (status = 404, body = ApiError)))]
async fn activity_questions(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<ActivityQuestions>> {
    let seen = see(&state, user.as_ref(), id).await?;
    let my_answers = match &user {
        Some(u) => {
            db::activities::registration_of(&state.db, ActivityId(id), u.id())
                .await?
                .1
        }
        None => Default::default(),
    };
    Ok(Json(ActivityQuestions {
        questions: seen.row.question_list(),
        my_answers,
    }))
}

/// A manager edits the activity; more places promote people from the waiting list.
#[utoipa::path(put, path = "/api/activities/{id}", tag = "activities", params(("id" = i64, Path)), request_body = NewActivity,
    responses((status = 401, description = "Not signed in", body = ApiError), (status = 200, body = ActivityView), (status = 403, body = ApiError), (status = 422, body = ApiError)))]
async fn update_activity(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    Valid(mut a): Valid<NewActivity>,
) -> AppResult<Json<ActivityView>> {
    let seen = see(&state, Some(&user), id).await?;
    manager_only(&seen)?;
    let now = Utc::now();
    // What the edit leaves out stays as it is (an older app knows none of these),
    // and the kept programme must still fit the (maybe moved) hours.
    let r = &seen.row;
    a.audience.get_or_insert(r.audience());
    a.place_public.get_or_insert(r.place_public);
    if a.programme.is_none() {
        a.programme = Some(r.programme());
        a.validate().map_err(ApiError::from)?;
    }
    if a.categories.is_none() {
        a.categories = Some(r.category_defs());
    }
    if a.questions.is_none() {
        a.questions = Some(r.question_list());
    }
    if seen.row.cancelled_at.is_some() {
        return Err(ApiError::conflict(ConflictCode::RegistrationClosed, "activity").into());
    }
    check_named(&state, &user, &a, &seen.consortia).await?;
    // Checked with the activity held (a category someone registered under
    // stays, renaming is removing, and keeps room for them).
    db::activities::update(&state.db, ActivityId(id), &a, user.id(), now)
        .await
        .map_err(|e| match e {
            EditError::Db(e) => AppError::from(e),
            EditError::Refused(EditRefusal::CapacityBelow(min)) => ApiError::invalid(
                "capacity",
                ErrorCode::OutOfRange {
                    min,
                    max: CAPACITY_MAX,
                },
            )
            .into(),
            EditError::Refused(EditRefusal::CategoryInUse) => {
                ApiError::conflict(ConflictCode::CategoryInUse, "categories").into()
            }
            EditError::Refused(EditRefusal::QuestionsAnswered) => {
                ApiError::conflict(ConflictCode::QuestionsAnswered, "questions").into()
            }
            EditError::Refused(EditRefusal::CategoryCapBelow(i, min)) => ApiError::invalid(
                &format!("categories[{i}].capacity"),
                ErrorCode::OutOfRange {
                    min,
                    max: CAPACITY_MAX,
                },
            )
            .into(),
        })?;
    let seen = see(&state, Some(&user), id).await?;
    Ok(Json(view(&state, Some(&user), seen, now).await?))
}

/// A manager cancels the activity; everyone on its list is told.
#[utoipa::path(post, path = "/api/activities/{id}/cancel", tag = "activities", params(("id" = i64, Path)), request_body = CancelNote,
    responses((status = 401, description = "Not signed in", body = ApiError), (status = 204), (status = 403, body = ApiError), (status = 404, body = ApiError)))]
async fn cancel_activity(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    Valid(n): Valid<CancelNote>,
) -> AppResult<StatusCode> {
    let seen = see(&state, Some(&user), id).await?;
    manager_only(&seen)?;
    let note = n
        .note
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty());
    db::activities::cancel(&state.db, ActivityId(id), user.id(), note, Utc::now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn registration(state: &AppState, id: i64, user: UserId) -> AppResult<Json<Registration>> {
    let mine = db::activities::mine(&state.db, ActivityId(id), user).await?;
    Ok(Json(Registration {
        status: mine.map_or(RegistrationStatus::Cancelled, |m| m.0),
        position: mine.and_then(|m| m.1),
    }))
}

/// A member (anyone signed in, for an open activity) registers: a place while
/// there is one, else the waiting list. Registering twice changes nothing.
/// Where the activity has attendee categories, one is chosen (`422 category`
/// when none or an unknown one; `409 category_full` when its places are taken).
#[utoipa::path(post, path = "/api/activities/{id}/registration", tag = "activities", params(("id" = i64, Path)), request_body = Register,
    responses((status = 401, description = "Not signed in", body = ApiError), (status = 200, body = Registration), (status = 403, body = ApiError), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
async fn register(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    Valid(r): Valid<Register>,
) -> AppResult<Json<Registration>> {
    let seen = see(&state, Some(&user), id).await?;
    if !seen.member && !seen.open() {
        return Err(ApiError::conflict(ConflictCode::NotMember, "activity").into());
    }
    db::activities::register(&state.db, ActivityId(id), user.id(), &r, Utc::now())
        .await
        .map_err(refusal)?;
    registration(&state, id, user.id()).await
}

/// Cancels one's registration; the first on the waiting list takes the place.
#[utoipa::path(delete, path = "/api/activities/{id}/registration", tag = "activities", params(("id" = i64, Path)),
    responses((status = 401, description = "Not signed in", body = ApiError), (status = 200, body = Registration), (status = 409, body = ApiError)))]
async fn unregister(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<Registration>> {
    see(&state, Some(&user), id).await?;
    db::activities::unregister(&state.db, ActivityId(id), user.id(), Utc::now())
        .await
        .map_err(refusal)?;
    registration(&state, id, user.id()).await
}

/// The list of people registered and waiting, for managers.
#[utoipa::path(get, path = "/api/activities/{id}/attendees", tag = "activities", params(("id" = i64, Path)),
    responses((status = 401, description = "Not signed in", body = ApiError), (status = 200, body = Vec<Attendee>), (status = 403, body = ApiError)))]
async fn attendees(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<Vec<Attendee>>> {
    let seen = see(&state, Some(&user), id).await?;
    manager_only(&seen)?;
    Ok(Json(
        db::activities::attendees(&state.db, ActivityId(id)).await?,
    ))
}

/// The list as CSV for the organisers (UTF-8 with a BOM, so spreadsheet
/// software reads the Korean; formulas defused): places first, then the waiting
/// list in order, with registration and check-in times in Korea time.
#[utoipa::path(get, path = "/api/activities/{id}/attendees.csv", tag = "activities", params(("id" = i64, Path)),
    responses((status = 401, description = "Not signed in", body = ApiError), (status = 200, content_type = "text/csv"), (status = 403, body = ApiError), (status = 404, body = ApiError)))]
async fn attendees_csv(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Response> {
    let seen = see(&state, Some(&user), id).await?;
    manager_only(&seen)?;
    let people = db::activities::attendees(&state.db, ActivityId(id)).await?;
    Ok(sheet::download(
        sheet::CSV,
        &format!("moim-activity-{id}-attendees.csv"),
        attendee_sheet(&people, &seen.row.question_list()),
    ))
}

/// The lines of [`attendees_csv`], headed in both languages, then a column
/// for each registration question (choices by their words).
fn attendee_sheet(people: &[Attendee], questions: &[Question]) -> String {
    let kst = moim_core::kst_minute;
    let head = [
        "번호 (no.)",
        "이름 (name)",
        "기관 (organisation)",
        "상태 (status)",
        "대기 순번 (waiting no.)",
        "신청 시각 (registered at, KST)",
        "출석 시각 (checked in at, KST)",
        "출석 방법 (how)",
        "구분 (category)",
        "게스트 이메일 (guest's email)",
        "게스트 전화 (guest's phone)",
    ]
    .map(str::to_owned)
    .into_iter()
    .chain(questions.iter().map(|q| q.text.clone()))
    .collect::<Vec<_>>();
    let mut out = format!("\u{feff}{}", sheet::row(&head));
    for (n, p) in people.iter().enumerate() {
        let status = match p.status {
            RegistrationStatus::Registered => "참가 확정 (registered)",
            RegistrationStatus::Waitlisted => "대기 (waiting)",
            RegistrationStatus::Cancelled => "취소 (cancelled)",
        };
        let how = match (p.attended_at, p.by_hand) {
            (None, _) => "",
            (Some(_), true) => "수기 (by hand)",
            (Some(_), false) => "코드 (code)",
        };
        let answers = questions.iter().map(|q| {
            p.answers
                .get(&q.key)
                .map(|a| answer_text(q, a))
                .unwrap_or_default()
        });
        let cells: Vec<String> = [
            (n + 1).to_string(),
            p.name.clone(),
            p.org_name.clone(),
            status.to_owned(),
            p.position.map(|n| n.to_string()).unwrap_or_default(),
            kst(p.registered_at),
            p.attended_at.map(kst).unwrap_or_default(),
            how.to_owned(),
            p.category.clone().unwrap_or_default(),
            p.email.clone().unwrap_or_default(),
            p.phone.clone().unwrap_or_default(),
        ]
        .into_iter()
        .chain(answers)
        .collect();
        out.push_str(&sheet::row(&cells));
    }
    out
}

/// A six-digit code from the OS's random source.
fn new_code() -> String {
    let token = crate::auth::random_token();
    let n = u64::from_str_radix(token.get(..12).unwrap_or("0"), 16).unwrap_or(0) % 1_000_000;
    format!("{n:06}")
}

/// A manager opens check-in (from an hour before the start): a fresh code, valid
/// until two hours after the end. Asking again shows the same code while valid.
#[utoipa::path(post, path = "/api/activities/{id}/checkin-code", tag = "activities", params(("id" = i64, Path)),
    responses((status = 401, description = "Not signed in", body = ApiError), (status = 200, body = CheckinCode), (status = 403, body = ApiError), (status = 409, body = ApiError)))]
async fn open_checkin(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<CheckinCode>> {
    let seen = see(&state, Some(&user), id).await?;
    manager_only(&seen)?;
    let now = Utc::now();
    let r = &seen.row;
    let expires = r.ends_at + Duration::minutes(CHECKIN_GRACE_MIN);
    if r.cancelled_at.is_some()
        || now < r.starts_at - Duration::minutes(CHECKIN_OPENS_MIN)
        || now > expires
    {
        return Err(ApiError::conflict(ConflictCode::CheckinClosed, "activity").into());
    }
    let code = match (&r.code, r.checkin_open(now)) {
        (Some(c), true) => c.clone(),
        _ => {
            let c = new_code();
            db::activities::set_code(&state.db, ActivityId(id), &c, expires, now).await?;
            c
        }
    };
    Ok(Json(CheckinCode {
        path: format!("/activities/{id}/check-in?code={code}"),
        code,
        expires_at: expires,
    }))
}

/// The QR code of the check-in link, as SVG, for the CM's screen.
#[utoipa::path(get, path = "/api/activities/{id}/checkin-qr", tag = "activities", params(("id" = i64, Path)),
    responses((status = 401, description = "Not signed in", body = ApiError), (status = 200, content_type = "image/svg+xml"), (status = 403, body = ApiError), (status = 409, body = ApiError)))]
async fn checkin_qr(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Response> {
    let seen = see(&state, Some(&user), id).await?;
    manager_only(&seen)?;
    let (Some(code), true) = (&seen.row.code, seen.row.checkin_open(Utc::now())) else {
        return Err(ApiError::conflict(ConflictCode::CheckinClosed, "activity").into());
    };
    let link = format!("{}/activities/{id}/check-in?code={code}", base_url(&state));
    let qr = qrcode::QrCode::with_error_correction_level(link.as_bytes(), qrcode::EcLevel::M)
        .map_err(|e| AppError::Internal(format!("qr: {e}")))?;
    let svg = qr
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(240, 240)
        .quiet_zone(true)
        .build();
    Ok((
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        svg,
    )
        .into_response())
}

/// A registered attendee checks in with the code the CM shows. A wrong code is
/// 422, an expired one 409; neither records anything. Wrong codes are limited
/// per person and activity like sign-ins (`throttle_per_account` in the window,
/// then 429 with `Retry-After`): a six-digit code cannot be run through.
#[utoipa::path(post, path = "/api/activities/{id}/check-in", tag = "activities", params(("id" = i64, Path)), request_body = CheckIn,
    responses((status = 401, description = "Not signed in", body = ApiError), (status = 200, body = ActivityView), (status = 409, body = ApiError), (status = 422, body = ApiError), (status = 429, body = ApiError)))]
async fn check_in(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    Valid(c): Valid<CheckIn>,
) -> AppResult<Json<ActivityView>> {
    see(&state, Some(&user), id).await?;
    let now = Utc::now();
    // Someone without a place is turned away before any code is compared or
    // counted: the answer tells them nothing about the code.
    if !has_place(&state, id, &user).await? {
        return Err(ApiError::conflict(ConflictCode::NotRegistered, "activity").into());
    }
    let key = format!("checkin:{id}:{}", user.id().0);
    let done = db::activities::check_in(&state.db, ActivityId(id), user.id(), &c.code, now);
    throttled(&state, &key, now, done).await?.map_err(refusal)?;
    let seen = see(&state, Some(&user), id).await?;
    Ok(Json(view(&state, Some(&user), seen, now).await?))
}

/// A check-in (a member's or a guest's) under the throttle of wrong codes:
/// counted under `key` (`throttle_per_account` in the window, then 429) before
/// the code is compared, so a burst sent at once is held to the limit too; only
/// a wrong code stays counted. Not per address: a venue's guests share one
/// network.
pub(crate) async fn throttled(
    state: &AppState,
    key: &str,
    now: DateTime<Utc>,
    check_in: impl std::future::Future<Output = Result<(), RegError>>,
) -> AppResult<Result<(), RegError>> {
    let limits = [(key, state.config.throttle_per_account)];
    let attempt = crate::routes::auth::count_attempt(state, &limits, now).await?;
    let done = check_in.await;
    if !matches!(done, Err(RegError::Refused(Refusal::WrongCode))) {
        db::sessions::forget_attempt(&state.db, &attempt).await?;
    }
    Ok(done)
}

/// A manager marks someone on the list present or absent by hand.
#[utoipa::path(put, path = "/api/activities/{id}/attendees/{user}", tag = "activities",
    params(("id" = i64, Path), ("user" = i64, Path)), request_body = Attendance,
    responses((status = 401, description = "Not signed in", body = ApiError), (status = 200, body = Vec<Attendee>), (status = 403, body = ApiError), (status = 409, body = ApiError)))]
async fn mark_attendance(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath((id, who)): ApiPath<(i64, i64)>,
    Valid(a): Valid<Attendance>,
) -> AppResult<Json<Vec<Attendee>>> {
    let seen = see(&state, Some(&user), id).await?;
    manager_only(&seen)?;
    if Utc::now() < seen.row.starts_at - Duration::minutes(CHECKIN_OPENS_MIN) {
        return Err(ApiError::conflict(ConflictCode::CheckinClosed, "activity").into());
    }
    db::activities::mark(
        &state.db,
        ActivityId(id),
        UserId(who),
        a.attended,
        Utc::now(),
    )
    .await
    .map_err(refusal)?;
    Ok(Json(
        db::activities::attendees(&state.db, ActivityId(id)).await?,
    ))
}

/// A manager writes the minutes after the event; the people on the list are told.
#[utoipa::path(put, path = "/api/activities/{id}/minutes", tag = "activities", params(("id" = i64, Path)), request_body = Minutes,
    responses((status = 401, description = "Not signed in", body = ApiError), (status = 200, body = ActivityView), (status = 403, body = ApiError), (status = 422, body = ApiError)))]
async fn set_minutes(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    Valid(m): Valid<Minutes>,
) -> AppResult<Json<ActivityView>> {
    let seen = see(&state, Some(&user), id).await?;
    manager_only(&seen)?;
    let now = Utc::now();
    db::activities::set_minutes(&state.db, ActivityId(id), &m.minutes, user.id(), now).await?;
    let seen = see(&state, Some(&user), id).await?;
    Ok(Json(view(&state, Some(&user), seen, now).await?))
}

/// A manager adds photos (multipart `photo` parts; PNG, JPEG, WebP or GIF, 5 MiB
/// each, location data stripped).
#[utoipa::path(post, path = "/api/activities/{id}/photos", tag = "activities", params(("id" = i64, Path)),
    responses((status = 401, description = "Not signed in", body = ApiError), (status = 200, body = ActivityView), (status = 400, description = "Not a multipart form", body = ApiError), (status = 403, body = ApiError), (status = 413, body = ApiError), (status = 415, body = ApiError)))]
async fn add_photos(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    form: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> AppResult<Json<ActivityView>> {
    let seen = see(&state, Some(&user), id).await?;
    manager_only(&seen)?;
    // Not a multipart form: the one JSON error, not axum's plain text.
    let mut form = form.map_err(|_| ApiError::UnsupportedMediaType)?;
    let now = Utc::now();
    let mut have = db::activities::photos(&state.db, ActivityId(id))
        .await?
        .len();
    let mut taken = Vec::new();
    while let Some(field) = form
        .next_field()
        .await
        .map_err(|e| files::multipart_error(&e, 8 * PHOTO_MAX))?
    {
        if field.name() != Some("photo") {
            continue;
        }
        let name = files::clean_name(field.file_name().unwrap_or("photo"));
        let bytes = field
            .bytes()
            .await
            .map_err(|e| files::multipart_error(&e, 8 * PHOTO_MAX))?;
        if bytes.len() > PHOTO_MAX {
            return Err(ApiError::PayloadTooLarge {
                limit: PHOTO_MAX as u64,
            }
            .into());
        }
        let Some(kind) = files::sniff(&bytes).filter(|k| k.starts_with("image/")) else {
            return Err(ApiError::UnsupportedMediaType.into());
        };
        if have >= PHOTOS_MAX {
            return Err(ApiError::invalid("photo", ErrorCode::TooLong { max: PHOTOS_MAX }).into());
        }
        let bytes = files::strip_metadata(kind, bytes).ok_or(ApiError::UnsupportedMediaType)?;
        taken.push((name, kind, bytes));
        have += 1;
    }
    if taken.is_empty() {
        return Err(ApiError::invalid("photo", ErrorCode::Required).into());
    }
    for (name, kind, bytes) in taken {
        let key = state.files.put(bytes.clone()).await?;
        let size = i64::try_from(bytes.len()).unwrap_or(i64::MAX);
        if let Err(e) =
            db::activities::add_photo(&state.db, ActivityId(id), &name, kind, size, &key, now).await
        {
            state.files.remove(&[key]).await;
            return Err(e.into());
        }
    }
    let seen = see(&state, Some(&user), id).await?;
    Ok(Json(view(&state, Some(&user), seen, now).await?))
}

/// A photo, for the activity's members, managers and people with a place.
#[utoipa::path(get, path = "/api/activities/{id}/photos/{photo}", tag = "activities",
    params(("id" = i64, Path), ("photo" = i64, Path)), responses((status = 401, description = "Not signed in", body = ApiError), (status = 200), (status = 404, body = ApiError)))]
async fn get_photo(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath((id, pid)): ApiPath<(i64, i64)>,
) -> AppResult<Response> {
    let seen = see(&state, Some(&user), id).await?;
    // Members and managers need no look at the list.
    if !seen.member && !seen.manager && !has_place(&state, id, &user).await? {
        return Err(ApiError::NotFound.into());
    }
    let photos = db::activities::photos(&state.db, ActivityId(id)).await?;
    let p = photos
        .into_iter()
        .find(|p| p.id == pid)
        .ok_or(ApiError::NotFound)?;
    let file = state.files.open(&p.storage_key).await?;
    Ok(files::respond(
        file,
        &p.content_type,
        &p.name,
        "private, max-age=86400",
    ))
}

/// Text for an iCalendar property value: backslash, semicolon, comma and line
/// breaks escaped (CR LF, a lone LF and a lone CR are each one `\\n`), any other
/// control character dropped, so no value can end its line and start another.
pub(crate) fn ics_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                chars.next_if_eq(&'\n');
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// The description followed by the programme, one item a line with its Korea
/// time ("14:00 개회사 — 홍길동 (한국산업단지공단)").
fn with_programme(description: &str, items: &[AgendaItem]) -> String {
    let mut s = description.trim().to_owned();
    if !items.is_empty() {
        if !s.is_empty() {
            s.push_str("\n\n");
        }
        s.push_str("프로그램 (Programme)");
        for i in items {
            let at = i.starts_at.with_timezone(&moim_core::KST).format("%H:%M");
            s.push_str(&format!("\n{at} {}", i.line()));
        }
    }
    s
}

/// Folds a content line at 75 octets, never inside a character.
pub(crate) fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
    out
}

pub(crate) fn ics_time(t: DateTime<Utc>) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

/// An iCalendar document of some activities. A row whose place is kept from the
/// reader comes with an empty place and no link, and has no `LOCATION`.
pub fn ics(rows: &[(ActivityRow, Option<&str>)], base: &str, name: &str) -> String {
    let mut s = String::from(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Moim//Activities//KO\r\nCALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\n",
    );
    s.push_str(&fold(&format!("X-WR-CALNAME:{}", ics_text(name))));
    s.push_str("X-WR-TIMEZONE:Asia/Seoul\r\n");
    for (r, note) in rows {
        let mut title = r.title.clone();
        if let Some(n) = note {
            title = format!("{title} ({n})");
        }
        s.push_str("BEGIN:VEVENT\r\n");
        s.push_str(&format!("UID:activity-{}@moim\r\n", r.id));
        s.push_str(&format!("DTSTAMP:{}\r\n", ics_time(Utc::now())));
        s.push_str(&format!(
            "DTSTART:{}\r\nDTEND:{}\r\n",
            ics_time(r.starts_at),
            ics_time(r.ends_at)
        ));
        s.push_str(&fold(&format!("SUMMARY:{}", ics_text(&title))));
        let place = match (r.place.as_str(), &r.online_url) {
            ("", Some(_)) => Some("온라인"),
            ("", None) => None,
            (p, _) => Some(p),
        };
        if let Some(p) = place {
            s.push_str(&fold(&format!("LOCATION:{}", ics_text(p))));
        }
        s.push_str(&fold(&format!(
            "DESCRIPTION:{}",
            ics_text(&with_programme(&r.description, &r.programme()))
        )));
        s.push_str(&fold(&format!("URL:{base}/activities/{}", r.id)));
        if r.cancelled_at.is_some() {
            s.push_str("STATUS:CANCELLED\r\n");
        }
        s.push_str("END:VEVENT\r\n");
    }
    s.push_str("END:VCALENDAR\r\n");
    s
}

/// The row as a reader may see it in a calendar: no place when it is kept from
/// them ([`ActivityRow::place_shown_to`]).
fn kept_back(mut r: ActivityRow, manager: bool, mine: Option<RegistrationStatus>) -> ActivityRow {
    if !r.place_shown_to(manager, mine) {
        r.place = String::new();
        r.online_url = None;
    }
    r
}

/// The portal's address for links in calendars and QR codes: the configured
/// public address (the listen address when none is set), never the request's
/// `Host`, which whoever sends the request writes.
pub(crate) fn base_url(state: &AppState) -> String {
    state
        .config
        .public_url
        .clone()
        .unwrap_or_else(|| "http://localhost".to_owned())
}

pub(crate) fn calendar(body: String, file: &str) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                "text/calendar; charset=utf-8".to_owned(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file}\""),
            ),
            (header::CACHE_CONTROL, "no-cache".to_owned()),
        ],
        body,
    )
        .into_response()
}

/// The activity as an `.ics` file, for any calendar app; its address only for
/// those who see it on the page.
#[utoipa::path(get, path = "/api/activities/{id}/ics", tag = "activities", params(("id" = i64, Path)),
    responses((status = 200, content_type = "text/calendar"), (status = 404, body = ApiError)))]
async fn activity_ics(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Response> {
    let seen = see(&state, user.as_ref(), id).await?;
    let mine = match &user {
        Some(u) => db::activities::mine(&state.db, ActivityId(id), u.id())
            .await?
            .map(|m| m.0),
        None => None,
    };
    let row = kept_back(seen.row, seen.manager, mine);
    let body = ics(&[(row, None)], &base_url(&state), "모임 Moim");
    Ok(calendar(body, &format!("moim-activity-{id}.ics")))
}

/// The caller's calendar feed link (a new secret link each time it is asked for
/// with `renew`).
#[utoipa::path(post, path = "/api/calendar", tag = "activities",
    responses((status = 200, body = CalendarFeed), (status = 401, body = ApiError)))]
async fn calendar_link(
    State(state): State<AppState>,
    user: CurrentUser,
) -> AppResult<Json<CalendarFeed>> {
    let token = crate::auth::random_token();
    db::activities::set_feed_token(
        &state.db,
        user.id(),
        &crate::auth::token_hash(&token),
        Utc::now(),
    )
    .await?;
    Ok(Json(CalendarFeed {
        path: format!("/api/calendar/{token}.ics"),
    }))
}

/// A member's calendar feed: the activities they registered for or wait for. The
/// secret link is the key (calendar apps send no cookies).
#[utoipa::path(get, path = "/api/calendar/{token}", tag = "activities", params(("token" = String, Path)),
    responses((status = 200, content_type = "text/calendar"), (status = 404, body = ApiError)))]
async fn calendar_feed(
    State(state): State<AppState>,
    ApiPath(token): ApiPath<String>,
) -> AppResult<Response> {
    let token = token.trim_end_matches(".ics");
    if token.len() != 64 || !token.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(ApiError::NotFound.into());
    }
    let Some(user) = db::activities::feed_owner(&state.db, &crate::auth::token_hash(token)).await?
    else {
        return Err(ApiError::NotFound.into());
    };
    let rows = db::activities::feed_of(&state.db, user, Utc::now()).await?;
    let rows: Vec<(ActivityRow, Option<&str>)> = rows
        .into_iter()
        .map(|(r, s)| {
            let mine = RegistrationStatus::from_code(&s);
            let note = (s == "waitlisted").then_some("대기");
            (kept_back(r, false, mine), note)
        })
        .collect();
    Ok(calendar(
        ics(&rows, &base_url(&state), "모임 내 활동"),
        "moim.ics",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ics_lines_fold_at_75_octets_between_characters() {
        let line = format!("SUMMARY:{}", "가".repeat(40));
        let folded = fold(&line);
        for l in folded.split("\r\n") {
            assert!(l.len() <= 75, "{l}");
        }
        assert_eq!(folded.replace("\r\n ", ""), format!("{line}\r\n"));
        assert_eq!(ics_text("a;b,c\nd"), "a\\;b\\,c\\nd");
    }

    #[test]
    fn no_value_ends_its_ics_line() {
        // Stored before one-line fields refused control characters: a lone CR, a
        // CR LF and other control characters never reach the file as they are.
        let v = ics_text("세미나\rATTENDEE:x\r\nDESCRIPTION:y\u{0}\u{85}z");
        assert!(!v.contains(['\r', '\n', '\u{0}', '\u{85}']), "{v}");
        assert_eq!(v, "세미나\\nATTENDEE:x\\nDESCRIPTION:yz");
    }

    #[test]
    fn codes_are_six_digits() {
        for _ in 0..50 {
            let c = new_code();
            assert_eq!(c.len(), 6);
            assert!(c.chars().all(|d| d.is_ascii_digit()));
        }
    }
}
