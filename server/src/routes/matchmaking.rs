//! Export matchmaking (수출상담회) at an activity of kind `matchmaking`: the
//! organiser's setup, participants' profiles and the list to browse, meeting
//! requests and answers in the booking phase, the schedule (run, or a meeting
//! moved by hand) and each participant's agenda, on the page and as `.ics`.
//! Guests without an account take part with their mailed link's token in the
//! [`GUEST_HEADER`] header; the organiser's calls need an account.

use crate::{
    AppState,
    auth::{self, CurrentUser},
    db::{
        self,
        guests::GuestRow,
        matchmaking::{MatchError, MatchRefusal, ParticipantRow, Who},
    },
    error::{AppError, AppResult, DbError},
    extract::{ApiJson, ApiPath, ApiQuery, Valid},
    routes::activities::{
        Seen, base_url, calendar, fold, has_place, ics_text, ics_time, manager_only, see,
    },
};
use axum::{
    Json,
    extract::{FromRequestParts, State},
    http::{StatusCode, request::Parts},
    response::Response,
};
use chrono::Utc;
use moim_core::{
    ActivityId, ApiError, ConflictCode, ErrorCode,
    activity::{ActivityKind, GUEST_HEADER, GuestStatus},
    matchmaking::*,
    search,
};
use std::collections::{BTreeSet, HashMap};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(board, set_setup))
        .routes(routes!(save_profile))
        .routes(routes!(participants))
        .routes(routes!(request_meeting))
        .routes(routes!(answer_request, withdraw_request))
        .routes(routes!(run_schedule))
        .routes(routes!(all_meetings))
        .routes(routes!(place_meeting))
        .routes(routes!(report_meeting))
        .routes(routes!(agenda_ics))
}

fn refusal(e: MatchError) -> AppError {
    match e {
        MatchError::Db(DbError::NotFound) => ApiError::NotFound.into(),
        MatchError::Db(e) => e.into(),
        MatchError::Refused(r) => match r {
            MatchRefusal::Closed => ApiError::state(ConflictCode::BookingClosed).into(),
            MatchRefusal::AlreadyRequested => {
                ApiError::conflict(ConflictCode::AlreadyRequested, "to").into()
            }
            MatchRefusal::MyCap => ApiError::conflict(ConflictCode::MeetingCapReached, "me").into(),
            MatchRefusal::TheirCap => {
                ApiError::conflict(ConflictCode::MeetingCapReached, "to").into()
            }
            MatchRefusal::Oneself => ApiError::invalid("to", ErrorCode::InvalidChoice).into(),
            MatchRefusal::NotFound => ApiError::NotFound.into(),
            MatchRefusal::Answered => ApiError::state(ConflictCode::AlreadyDecided).into(),
            MatchRefusal::SlotTaken => ApiError::conflict(ConflictCode::SlotTaken, "slot").into(),
            MatchRefusal::NotSetUp => ApiError::NotFound.into(),
            MatchRefusal::NotYet => ApiError::state(ConflictCode::MeetingNotYet).into(),
            MatchRefusal::Reported => ApiError::state(ConflictCode::MeetingReported).into(),
        },
    }
}

/// Who calls: a signed-in person, or a guest by their link's token in the
/// [`GUEST_HEADER`] header (a token that opens nothing is `422 token
/// invalid_link`, as on the guest's own page; neither is 401).
pub enum Caller {
    User(Box<CurrentUser>),
    Guest(GuestRow),
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let Some(token) = parts.headers.get(GUEST_HEADER) else {
            return Ok(Caller::User(Box::new(
                CurrentUser::from_request_parts(parts, state).await?,
            )));
        };
        let token = token.to_str().unwrap_or_default().trim();
        match db::guests::by_link(&state.db, &auth::token_hash(token)).await? {
            Some((guest, _)) => Ok(Caller::Guest(guest)),
            None => Err(ApiError::invalid("token", ErrorCode::InvalidLink).into()),
        }
    }
}

impl Caller {
    fn who(&self) -> Who {
        match self {
            Caller::User(u) => Who::User(u.id()),
            Caller::Guest(g) => Who::Guest(g.id),
        }
    }
}

/// The activity, when it is a matchmaking event the caller can see (a guest:
/// the one they registered for).
async fn event(state: &AppState, caller: &Caller, id: i64) -> AppResult<Seen> {
    let seen = match caller {
        Caller::User(user) => see(state, Some(user), id).await?,
        Caller::Guest(g) if g.activity_id == id => see(state, None, id).await?,
        Caller::Guest(_) => return Err(ApiError::NotFound.into()),
    };
    if seen.row.kind != ActivityKind::Matchmaking.code() {
        return Err(ApiError::NotFound.into());
    }
    Ok(seen)
}

/// Whether the caller has a place (registered, not waiting) at the event.
async fn placed(state: &AppState, caller: &Caller, id: i64) -> AppResult<bool> {
    match caller {
        Caller::User(user) => has_place(state, id, user).await,
        Caller::Guest(g) => Ok(g.status() == GuestStatus::Registered),
    }
}

/// The event's setup; 404 until the organiser has made one.
async fn setup_of(state: &AppState, id: i64) -> AppResult<MatchSetup> {
    db::matchmaking::setup(&state.db, ActivityId(id))
        .await?
        .ok_or_else(|| ApiError::NotFound.into())
}

/// The caller's participant row; 409 `not_participating` without a profile.
async fn me_in(state: &AppState, caller: &Caller, id: i64) -> AppResult<ParticipantRow> {
    db::matchmaking::participant_of(&state.db, ActivityId(id), caller.who())
        .await?
        .ok_or_else(|| ApiError::state(ConflictCode::NotParticipating).into())
}

/// The caller's participant row while they have a place at the event (one
/// who cancelled or waits asks and answers nothing: `409 not_registered`).
async fn placed_in(state: &AppState, caller: &Caller, id: i64) -> AppResult<ParticipantRow> {
    let me = me_in(state, caller, id).await?;
    if !me.placed() {
        return Err(ApiError::conflict(ConflictCode::NotRegistered, "activity").into());
    }
    Ok(me)
}

fn participant(p: &ParticipantRow, request: Option<MeetingLink>) -> Participant {
    Participant {
        id: p.id,
        name: p.name.clone(),
        organisation: p.org_name.clone(),
        profile: p.profile(),
        request,
    }
}

/// The caller's meetings (sent and received), and how many count against the cap.
async fn my_meetings(
    state: &AppState,
    id: i64,
    me: Option<&ParticipantRow>,
) -> AppResult<(Vec<Meeting>, u32)> {
    let Some(me) = me else {
        return Ok((Vec::new(), 0));
    };
    let mine = db::matchmaking::requests_of(&state.db, ActivityId(id), me.id).await?;
    let ids = mine.iter().flat_map(|r| [r.from_id, r.to_id]);
    let people = db::matchmaking::people(&state.db, ActivityId(id), ids).await?;
    let reports = db::matchmaking::reports(&state.db, mine.iter().map(|r| r.id)).await?;
    let used = mine.iter().filter(|r| r.live()).count();
    Ok((
        mine.iter()
            .map(|r| own_view(r.meeting(&people, &reports), me.id))
            .collect(),
        u32::try_from(used).unwrap_or(u32::MAX),
    ))
}

/// Where a first profile starts: a member of a firm sells in Korea what the
/// firm does (its industry as Moim knows it, the fields of its consortia); a
/// member of a university,
/// institute or agency is a partner; a guest (from abroad, as a rule) buys.
async fn draft(state: &AppState, caller: &Caller) -> AppResult<MatchProfile> {
    let mut p = MatchProfile {
        role: MatchRole::Buyer,
        offer: String::new(),
        seek: String::new(),
        country: String::new(),
        languages: vec![Language::En],
        interpreter: false,
        unavailable: Vec::new(),
        fields: Vec::new(),
    };
    if let Caller::User(user) = caller {
        (p.country, p.languages, p.role) = ("KR".into(), vec![Language::Ko], MatchRole::Partner);
        if let Some(org) = user.confirmed_org() {
            // The fields of its consortia.
            p.fields = db::consortia::fields_of_member(&state.db, org).await?;
            p.fields.truncate(PROFILE_FIELDS_MAX);
            let org = db::orgs::find(&state.db, org).await?;
            if org.kind == moim_core::account::OrgKind::Firm.code() {
                p.role = MatchRole::Seller;
                p.offer = org.industry.unwrap_or_default();
            }
        }
    }
    Ok(p)
}

/// An event's matchmaking as the caller sees it: the setup and slots, whether
/// booking is open, their profile and meetings.
#[utoipa::path(get, path = "/api/activities/{id}/matchmaking", tag = "matchmaking",
    params(("id" = i64, Path)),
    responses((status = 200, body = MatchBoard), (status = 401, body = ApiError), (status = 404, body = ApiError)))]
async fn board(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<MatchBoard>> {
    let seen = event(&state, &caller, id).await?;
    let setup = db::matchmaking::setup(&state.db, ActivityId(id)).await?;
    let me = db::matchmaking::participant_of(&state.db, ActivityId(id), caller.who()).await?;
    let registered = placed(&state, &caller, id).await?;
    let (meetings, used) = my_meetings(&state, id, me.as_ref()).await?;
    let now = Utc::now();
    let follow_up = match (&setup, &me) {
        (Some(setup), Some(me)) => {
            db::matchmaking::follow_up_of(
                &state.db,
                ActivityId(id),
                me.id,
                setup,
                seen.row.ends_at,
                now,
            )
            .await?
        }
        _ => None,
    };
    let follow_up_tally = match &setup {
        Some(setup) if seen.manager => {
            db::matchmaking::follow_up_tally(
                &state.db,
                ActivityId(id),
                setup,
                seen.row.ends_at,
                now,
            )
            .await?
        }
        _ => None,
    };
    let draft = match (&me, registered) {
        (None, true) => Some(draft(&state, &caller).await?),
        _ => None,
    };
    Ok(Json(MatchBoard {
        draft,
        follow_up,
        follow_up_tally,
        slots: setup.as_ref().map(MatchSetup::slots).unwrap_or_default(),
        booking_open: setup.as_ref().is_some_and(|s| s.booking_open(now)),
        setup,
        me: me.as_ref().map(|p| participant(p, None)),
        can_join: registered,
        manager: seen.manager,
        meetings,
        used,
    }))
}

/// Sets the event's meeting sessions, slot length, tables, booking phase, cap
/// and interpreters (its organisers). Changing the slots or tables takes every
/// meeting off the schedule (run it again).
#[utoipa::path(put, path = "/api/activities/{id}/matchmaking", tag = "matchmaking",
    params(("id" = i64, Path)), request_body = MatchSetup,
    responses((status = 200, body = MatchBoard), (status = 401, body = ApiError), (status = 403, body = ApiError),
        (status = 404, body = ApiError), (status = 422, body = ApiError)))]
async fn set_setup(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(setup): ApiJson<MatchSetup>,
) -> AppResult<Json<MatchBoard>> {
    let caller = Caller::User(Box::new(user));
    let seen = event(&state, &caller, id).await?;
    manager_only(&seen)?;
    let mut e = moim_core::FieldErrors::default();
    setup.check("matchmaking", seen.row.starts_at, seen.row.ends_at, &mut e);
    e.into_result().map_err(ApiError::from)?;
    db::matchmaking::set_setup(&state.db, ActivityId(id), &setup, Utc::now())
        .await
        .map_err(refusal)?;
    board(State(state), caller, ApiPath(id)).await
}

/// Writes the caller's marketplace profile: they take part from then on. Only
/// people with a place at the event (not waiting) take part.
#[utoipa::path(put, path = "/api/activities/{id}/matchmaking/profile", tag = "matchmaking",
    params(("id" = i64, Path)), request_body = MatchProfile,
    responses((status = 200, body = MatchBoard), (status = 401, body = ApiError), (status = 404, body = ApiError),
        (status = 409, body = ApiError), (status = 422, body = ApiError)))]
async fn save_profile(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    Valid(profile): Valid<MatchProfile>,
) -> AppResult<Json<MatchBoard>> {
    event(&state, &caller, id).await?;
    let setup = setup_of(&state, id).await?;
    let slots = setup.slots().len();
    if profile.unavailable.iter().any(|s| *s as usize >= slots) {
        return Err(ApiError::invalid("unavailable", ErrorCode::InvalidChoice).into());
    }
    let known = db::reference::field_ids(&state.db).await?;
    if profile.fields.iter().any(|f| !known.contains(f)) {
        return Err(ApiError::invalid("fields", ErrorCode::InvalidChoice).into());
    }
    if !placed(&state, &caller, id).await? {
        return Err(ApiError::conflict(ConflictCode::NotRegistered, "activity").into());
    }
    db::matchmaking::save_profile(
        &state.db,
        ActivityId(id),
        caller.who(),
        &profile,
        Utc::now(),
    )
    .await?;
    board(State(state), caller, ApiPath(id)).await
}

/// The other participants with a place (for participants and organisers): by
/// role, country, technology field and words (Korean-aware: "금형" finds
/// 사출금형) in what they offer or seek, their name or organisation.
#[utoipa::path(get, path = "/api/activities/{id}/matchmaking/participants", tag = "matchmaking",
    params(("id" = i64, Path), ParticipantQuery),
    responses((status = 200, body = Vec<Participant>), (status = 401, body = ApiError), (status = 404, body = ApiError),
        (status = 409, body = ApiError), (status = 422, body = ApiError)))]
async fn participants(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<ParticipantQuery>,
) -> AppResult<Json<Vec<Participant>>> {
    let seen = event(&state, &caller, id).await?;
    let me = db::matchmaking::participant_of(&state.db, ActivityId(id), caller.who()).await?;
    if me.is_none() && !seen.manager {
        return Err(ApiError::state(ConflictCode::NotParticipating).into());
    }
    let people = db::matchmaking::participants(&state.db, ActivityId(id)).await?;
    // The caller's request with each person they have one with.
    let mut links = HashMap::new();
    if let Some(m) = &me {
        for r in db::matchmaking::requests_of(&state.db, ActivityId(id), m.id).await? {
            let (other, sent) = match r.from_id == m.id {
                true => (r.to_id, true),
                false => (r.from_id, false),
            };
            let link = MeetingLink {
                id: r.id,
                sent,
                status: r.status(),
            };
            links.insert(other, link);
        }
    }
    let words = search::query(q.q.as_deref().unwrap_or_default());
    let me_id = me.as_ref().map(|m| m.id);
    let out = people
        .iter()
        .filter(|p| Some(p.id) != me_id && p.placed())
        .filter(|p| q.role.is_none_or(|r| r.code() == p.role))
        .filter(|p| {
            q.country
                .as_deref()
                .is_none_or(|c| c.is_empty() || c == p.country)
        })
        .filter(|p| q.field.is_none_or(|f| p.profile().fields.contains(&f)))
        .filter(|p| {
            if words.is_empty() {
                return true;
            }
            let text = format!("{} {} {} {}", p.name, p.org_name, p.offer, p.seek);
            let terms: BTreeSet<search::Term> = search::index_terms(&text);
            words.iter().all(|(_, t)| search::word_matches(t, &terms))
        })
        .map(|p| participant(p, links.remove(&p.id)))
        .collect();
    Ok(Json(out))
}

/// Asks another participant for a meeting, in the booking phase: not oneself,
/// once per pair (either way round), within both people's caps; both with a
/// place at the event (the caller without one: `409 not_registered`; someone
/// who cancelled: 404).
#[utoipa::path(post, path = "/api/activities/{id}/matchmaking/requests", tag = "matchmaking",
    params(("id" = i64, Path)), request_body = NewMeetingRequest,
    responses((status = 201, body = Meeting), (status = 401, body = ApiError), (status = 404, body = ApiError),
        (status = 409, body = ApiError), (status = 422, body = ApiError)))]
async fn request_meeting(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    Valid(r): Valid<NewMeetingRequest>,
) -> AppResult<(StatusCode, Json<Meeting>)> {
    event(&state, &caller, id).await?;
    let me = placed_in(&state, &caller, id).await?;
    let rid = db::matchmaking::request(&state.db, ActivityId(id), me.id, &r, Utc::now())
        .await
        .map_err(refusal)?;
    Ok((
        StatusCode::CREATED,
        Json(mine(&state, id, rid, me.id).await?),
    ))
}

async fn one(state: &AppState, id: i64, rid: i64) -> AppResult<Meeting> {
    let row = match db::matchmaking::request_row(&state.db, ActivityId(id), rid).await {
        Err(DbError::NotFound) => return Err(ApiError::NotFound.into()),
        other => other?,
    };
    let people =
        db::matchmaking::people(&state.db, ActivityId(id), [row.from_id, row.to_id]).await?;
    let reports = db::matchmaking::reports(&state.db, [row.id]).await?;
    Ok(row.meeting(&people, &reports))
}

/// A meeting as one of its sides sees it: their own report, not the other's.
async fn mine(state: &AppState, id: i64, rid: i64, me: i64) -> AppResult<Meeting> {
    Ok(own_view(one(state, id, rid).await?, me))
}

/// A meeting with participant `me`'s report only, not how the other side rated it.
fn own_view(mut m: Meeting, me: i64) -> Meeting {
    match m.from.id == me {
        true => m.to_report = None,
        false => m.from_report = None,
    }
    m
}

/// The person asked accepts or declines a request (until the meetings begin),
/// while they have a place at the event.
#[utoipa::path(post, path = "/api/activities/{id}/matchmaking/requests/{request}", tag = "matchmaking",
    params(("id" = i64, Path), ("request" = i64, Path)), request_body = MeetingAnswer,
    responses((status = 200, body = Meeting), (status = 401, body = ApiError), (status = 404, body = ApiError),
        (status = 409, body = ApiError), (status = 422, body = ApiError)))]
async fn answer_request(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((id, rid)): ApiPath<(i64, i64)>,
    ApiJson(a): ApiJson<MeetingAnswer>,
) -> AppResult<Json<Meeting>> {
    event(&state, &caller, id).await?;
    let me = placed_in(&state, &caller, id).await?;
    db::matchmaking::answer(&state.db, ActivityId(id), rid, me.id, a.accept, Utc::now())
        .await
        .map_err(refusal)?;
    Ok(Json(mine(&state, id, rid, me.id).await?))
}

/// The one who asked takes a request back (in the booking phase).
#[utoipa::path(delete, path = "/api/activities/{id}/matchmaking/requests/{request}", tag = "matchmaking",
    params(("id" = i64, Path), ("request" = i64, Path)),
    responses((status = 204), (status = 401, body = ApiError), (status = 404, body = ApiError),
        (status = 409, body = ApiError)))]
async fn withdraw_request(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((id, rid)): ApiPath<(i64, i64)>,
) -> AppResult<StatusCode> {
    event(&state, &caller, id).await?;
    let me = me_in(&state, &caller, id).await?;
    db::matchmaking::withdraw(&state.db, ActivityId(id), rid, me.id, Utc::now())
        .await
        .map_err(refusal)?;
    Ok(StatusCode::NO_CONTENT)
}

/// Makes the schedule (its organisers): every live request placed in a slot
/// at a table, accepted ones first; meetings moved by hand stay; people who
/// cancelled or wait are left out (what has happened stays).
#[utoipa::path(post, path = "/api/activities/{id}/matchmaking/schedule", tag = "matchmaking",
    params(("id" = i64, Path)),
    responses((status = 200, body = ScheduleResult), (status = 401, body = ApiError), (status = 403, body = ApiError),
        (status = 404, body = ApiError)))]
async fn run_schedule(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<ScheduleResult>> {
    let seen = event(&state, &Caller::User(Box::new(user)), id).await?;
    manager_only(&seen)?;
    let r = db::matchmaking::run_schedule(&state.db, ActivityId(id), Utc::now())
        .await
        .map_err(refusal)?;
    Ok(Json(r))
}

/// Every meeting of the event (its organisers), in the order asked.
#[utoipa::path(get, path = "/api/activities/{id}/matchmaking/meetings", tag = "matchmaking",
    params(("id" = i64, Path)),
    responses((status = 200, body = Vec<Meeting>), (status = 401, body = ApiError), (status = 403, body = ApiError),
        (status = 404, body = ApiError)))]
async fn all_meetings(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<Vec<Meeting>>> {
    let seen = event(&state, &Caller::User(Box::new(user)), id).await?;
    manager_only(&seen)?;
    let people = db::matchmaking::participants(&state.db, ActivityId(id))
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let rows = db::matchmaking::requests(&state.db, ActivityId(id)).await?;
    let reports = db::matchmaking::reports(&state.db, rows.iter().map(|r| r.id)).await?;
    Ok(Json(
        rows.iter().map(|r| r.meeting(&people, &reports)).collect(),
    ))
}

/// Puts a meeting at a slot and table by hand (its organisers); the schedule
/// keeps it there.
#[utoipa::path(put, path = "/api/activities/{id}/matchmaking/meetings/{request}", tag = "matchmaking",
    params(("id" = i64, Path), ("request" = i64, Path)), request_body = MeetingPlace,
    responses((status = 200, body = Meeting), (status = 401, body = ApiError), (status = 403, body = ApiError),
        (status = 404, body = ApiError), (status = 409, body = ApiError)))]
async fn place_meeting(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath((id, rid)): ApiPath<(i64, i64)>,
    ApiJson(p): ApiJson<MeetingPlace>,
) -> AppResult<Json<Meeting>> {
    let seen = event(&state, &Caller::User(Box::new(user)), id).await?;
    manager_only(&seen)?;
    db::matchmaking::place(&state.db, ActivityId(id), rid, p.slot, p.table, Utc::now())
        .await
        .map_err(refusal)?;
    Ok(Json(one(&state, id, rid).await?))
}

/// A side of a meeting reports on it once its time has come: held or a
/// no-show, a rating, and (then or later) what came of it with a contract's
/// value. The caller's view of the meeting comes back.
#[utoipa::path(put, path = "/api/activities/{id}/matchmaking/meetings/{request}/report", tag = "matchmaking",
    params(("id" = i64, Path), ("request" = i64, Path)), request_body = MeetingReport,
    responses((status = 200, body = Meeting), (status = 401, body = ApiError), (status = 404, body = ApiError),
        (status = 409, body = ApiError), (status = 422, body = ApiError)))]
async fn report_meeting(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((id, rid)): ApiPath<(i64, i64)>,
    Valid(r): Valid<MeetingReport>,
) -> AppResult<Json<Meeting>> {
    event(&state, &caller, id).await?;
    let me = me_in(&state, &caller, id).await?;
    db::matchmaking::report(&state.db, ActivityId(id), rid, me.id, &r, Utc::now())
        .await
        .map_err(refusal)?;
    let (mine, _) = my_meetings(&state, id, Some(&me)).await?;
    mine.into_iter()
        .find(|m| m.id == rid)
        .map(Json)
        .ok_or_else(|| ApiError::NotFound.into())
}

/// The caller's agenda as an `.ics` file: one event per scheduled meeting,
/// with the table, the counterpart and the interpreter, in Korean and English.
#[utoipa::path(get, path = "/api/activities/{id}/matchmaking/agenda.ics", tag = "matchmaking",
    params(("id" = i64, Path)),
    responses((status = 200, content_type = "text/calendar"), (status = 401, body = ApiError),
        (status = 404, body = ApiError), (status = 409, body = ApiError)))]
async fn agenda_ics(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Response> {
    let seen = event(&state, &caller, id).await?;
    let setup = setup_of(&state, id).await?;
    let me = me_in(&state, &caller, id).await?;
    let (meetings, _) = my_meetings(&state, id, Some(&me)).await?;
    let slots = setup.slots();
    let place = if seen.row.place.is_empty() {
        String::new()
    } else {
        format!("{} · ", seen.row.place)
    };
    let mut s = String::from(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Moim//Matchmaking//KO\r\nCALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\n",
    );
    s.push_str(&fold(&format!(
        "X-WR-CALNAME:{}",
        ics_text(&format!("{} — 1:1 상담 (meetings)", seen.row.title))
    )));
    let base = base_url(&state);
    for m in meetings
        .iter()
        .filter(|m| m.status != MeetingStatus::Declined)
    {
        let (Some(slot), Some(table)) = (m.slot.and_then(|s| slots.get(s as usize)), m.table)
        else {
            continue;
        };
        let other = if m.from.id == me.id { &m.to } else { &m.from };
        let who = format!("{} ({})", other.organisation, other.name);
        s.push_str("BEGIN:VEVENT\r\n");
        s.push_str(&format!("UID:meeting-{}-{}@moim\r\n", m.id, me.id));
        s.push_str(&format!("DTSTAMP:{}\r\n", ics_time(Utc::now())));
        s.push_str(&format!(
            "DTSTART:{}\r\nDTEND:{}\r\n",
            ics_time(slot.starts_at),
            ics_time(slot.ends_at)
        ));
        s.push_str(&fold(&format!(
            "SUMMARY:{}",
            ics_text(&format!("1:1 상담 meeting: {who}"))
        )));
        s.push_str(&fold(&format!(
            "LOCATION:{}",
            ics_text(&format!("{place}테이블 Table {table}"))
        )));
        let mut d = format!("{}\n{who} · {}", seen.row.title, other.country);
        if let Some(i) = &m.interpreter {
            d.push_str(&format!("\n통역 Interpreter: {i}"));
        }
        if m.status == MeetingStatus::Pending {
            d.push_str("\n응답 대기 Not yet accepted");
        }
        s.push_str(&fold(&format!("DESCRIPTION:{}", ics_text(&d))));
        s.push_str(&fold(&format!("URL:{base}/activities/{id}/matchmaking")));
        s.push_str("END:VEVENT\r\n");
    }
    s.push_str("END:VCALENDAR\r\n");
    Ok(calendar(s, &format!("moim-meetings-{id}.ics")))
}
