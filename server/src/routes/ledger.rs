//! A consortium's member fees and donations (회비·기부금), for its CMs and
//! admins: the yearly ledger (also as CSV), the year's fee schedule, issuing
//! the year's invoices, recording what became of an invoice, and donations.

use crate::{
    AppState,
    auth::CurrentUser,
    db,
    error::AppResult,
    extract::{ApiPath, ApiQuery, Valid},
    routes::access::can_manage,
};
use axum::{Json, extract::State, http::StatusCode, response::Response};
use chrono::{Datelike, Utc};
use moim_core::{
    ApiError, ConflictCode, ConsortiumId, ErrorCode,
    call::{FIRST_YEAR, LAST_YEAR},
    ledger::{Donate, FeeSchedule, Ledger, LedgerQuery, SettleInvoice, valid_year},
};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_ledger))
        .routes(routes!(ledger_csv))
        .routes(routes!(set_schedule))
        .routes(routes!(issue_invoices))
        .routes(routes!(settle_invoice))
        .routes(routes!(record_donation))
}

/// The consortium and its name, for one of its CMs or an admin: 404 for a
/// consortium there is not, 403 for anyone else; to `write`, an archived
/// consortium's books are closed (409 `archived`).
async fn managed(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    write: bool,
) -> AppResult<(ConsortiumId, String)> {
    let id = ConsortiumId(id);
    let active = db::consortia::is_active(&state.db, id).await?;
    if !can_manage(state, user, id).await? {
        return Err(ApiError::Forbidden.into());
    }
    if write && !active {
        return Err(ApiError::state(ConflictCode::Archived).into());
    }
    Ok((id, db::consortia::name(&state.db, id).await?))
}

/// A year in the address: 2000–2100, else 422 `year`.
fn year(y: i32) -> AppResult<i32> {
    if valid_year(y) {
        Ok(y)
    } else {
        Err(ApiError::invalid(
            "year",
            ErrorCode::OutOfRange {
                min: i64::from(FIRST_YEAR),
                max: i64::from(LAST_YEAR),
            },
        )
        .into())
    }
}

async fn ledger(state: &AppState, c: ConsortiumId, name: String, year: i32) -> AppResult<Ledger> {
    Ok(db::ledger::ledger(&state.db, c, name, year, moim_core::kst_today()).await?)
}

/// CM or admin: the consortium's ledger of a year (this year when left
/// out): its fee schedule, invoices by organisation, donations, totals.
#[utoipa::path(get, path = "/api/consortia/{id}/ledger", tag = "ledger", params(("id" = i64, Path), LedgerQuery),
    responses((status = 200, body = Ledger), (status = 401, description = "Not signed in", body = ApiError), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 422, body = ApiError)))]
async fn get_ledger(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<LedgerQuery>,
) -> AppResult<Json<Ledger>> {
    let (c, name) = managed(&state, &user, id, false).await?;
    let y = q.year.unwrap_or_else(|| moim_core::kst_today().year());
    Ok(Json(ledger(&state, c, name, y).await?))
}

/// CM or admin: the ledger of a year as CSV (UTF-8 with a BOM): each
/// invoice, each donation, then the totals.
#[utoipa::path(get, path = "/api/consortia/{id}/ledger.csv", tag = "ledger", params(("id" = i64, Path), LedgerQuery),
    responses((status = 200, content_type = "text/csv"), (status = 401, description = "Not signed in", body = ApiError), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 422, body = ApiError)))]
async fn ledger_csv(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<LedgerQuery>,
) -> AppResult<Response> {
    let (c, name) = managed(&state, &user, id, false).await?;
    let y = q.year.unwrap_or_else(|| moim_core::kst_today().year());
    let l = ledger(&state, c, name, y).await?;
    Ok(crate::sheet::download(
        crate::sheet::CSV,
        &format!("moim-ledger-{}-{y}.csv", c.0),
        csv(&l),
    ))
}

/// The ledger as CSV with a BOM and CRLF line ends.
pub fn csv(l: &Ledger) -> String {
    let mut rows: Vec<Vec<String>> = vec![
        [
            "구분 (entry)",
            "기관·기부자 (from)",
            "회원 구분 (class)",
            "금액 만원 (amount)",
            "납부 기한 (due)",
            "상태 (status)",
            "납부·수령일 (paid on)",
            "메모 (note)",
        ]
        .map(String::from)
        .to_vec(),
    ];
    for i in &l.invoices {
        let status = match (i.status, i.overdue) {
            (moim_core::ledger::InvoiceStatus::Paid, _) => "납부 (paid)",
            (moim_core::ledger::InvoiceStatus::Waived, _) => "면제 (waived)",
            (_, true) => "연체 (overdue)",
            (_, false) => "미납 (unpaid)",
        };
        rows.push(vec![
            format!("{} 회비 (fee)", l.year),
            i.org_name.clone(),
            i.class.label().0.to_owned(),
            i.amount_manwon.to_string(),
            i.due_on.to_string(),
            status.to_owned(),
            i.paid_on.map(|d| d.to_string()).unwrap_or_default(),
            i.note.clone().unwrap_or_default(),
        ]);
    }
    for d in &l.donations {
        rows.push(vec![
            "기부금 (donation)".to_owned(),
            d.donor.clone(),
            String::new(),
            d.amount_manwon.to_string(),
            String::new(),
            "수령 (received)".to_owned(),
            d.received_on.to_string(),
            d.note.clone().unwrap_or_default(),
        ]);
    }
    let t = &l.totals;
    for (name, amount) in [
        ("회비 청구 합계 (fees invoiced)", t.invoiced_manwon),
        ("회비 납부 합계 (fees paid)", t.paid_manwon),
        ("회비 면제 합계 (fees waived)", t.waived_manwon),
        ("회비 미납 합계 (fees unpaid)", t.unpaid_manwon),
        ("기부금 합계 (donations)", t.donations_manwon),
        ("수입 합계 (income)", t.income()),
    ] {
        let mut row = vec![String::new(); 8];
        row[0] = name.to_owned();
        row[3] = amount.to_string();
        rows.push(row);
    }
    let mut out = String::from('\u{feff}');
    for row in rows {
        out.push_str(&crate::sheet::row(&row));
    }
    out
}

/// CM or admin: sets (or replaces) a year's fee schedule — the fee of each
/// class of member and the day fees are due, in that year (422 `due_on`).
/// Invoices issued before keep their amounts; unpaid ones take the new day.
/// An archived consortium's books are closed to changes (409 `archived`).
#[utoipa::path(put, path = "/api/consortia/{id}/ledger/{year}/schedule", tag = "ledger", params(("id" = i64, Path), ("year" = i32, Path)), request_body = FeeSchedule,
    responses((status = 200, body = Ledger), (status = 401, description = "Not signed in", body = ApiError), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
async fn set_schedule(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath((id, y)): ApiPath<(i64, i32)>,
    Valid(s): Valid<FeeSchedule>,
) -> AppResult<Json<Ledger>> {
    let (c, name) = managed(&state, &user, id, true).await?;
    let y = year(y)?;
    // The fees of a year are due in that year.
    if s.due_on.year() != y {
        return Err(ApiError::invalid("due_on", ErrorCode::InvalidChoice).into());
    }
    db::ledger::set_schedule(&state.db, c, y, &s, user.id(), Utc::now()).await?;
    Ok(Json(ledger(&state, c, name, y).await?))
}

/// CM or admin: issues the year's invoice to every member organisation that
/// has none and whose class pays a fee (422 `schedule` before the year's
/// schedule is set). Issued again, it reaches only members who joined since.
#[utoipa::path(post, path = "/api/consortia/{id}/ledger/{year}/invoices", tag = "ledger", params(("id" = i64, Path), ("year" = i32, Path)),
    responses((status = 200, body = Ledger), (status = 401, description = "Not signed in", body = ApiError), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
async fn issue_invoices(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath((id, y)): ApiPath<(i64, i32)>,
) -> AppResult<Json<Ledger>> {
    let (c, name) = managed(&state, &user, id, true).await?;
    let y = year(y)?;
    if db::ledger::issue(&state.db, c, y, user.id(), Utc::now())
        .await?
        .is_none()
    {
        return Err(ApiError::invalid("schedule", ErrorCode::Required).into());
    }
    Ok(Json(ledger(&state, c, name, y).await?))
}

/// CM or admin: records what became of an invoice — paid on a day, waived
/// (with the reason), or issued again (a payment recorded by mistake undone).
/// The answer is the invoice's year's ledger.
#[utoipa::path(put, path = "/api/consortia/{id}/invoices/{invoice}", tag = "ledger", params(("id" = i64, Path), ("invoice" = i64, Path)), request_body = SettleInvoice,
    responses((status = 200, body = Ledger), (status = 401, description = "Not signed in", body = ApiError), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
async fn settle_invoice(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath((id, invoice)): ApiPath<(i64, i64)>,
    Valid(s): Valid<SettleInvoice>,
) -> AppResult<Json<Ledger>> {
    let (c, name) = managed(&state, &user, id, true).await?;
    let Some(y) = db::ledger::settle(&state.db, c, invoice, &s, user.id(), Utc::now()).await?
    else {
        return Err(ApiError::NotFound.into());
    };
    Ok(Json(ledger(&state, c, name, y).await?))
}

/// CM or admin: records a donation received; it belongs to the ledger of the
/// year it was received in, which is the answer.
#[utoipa::path(post, path = "/api/consortia/{id}/donations", tag = "ledger", params(("id" = i64, Path)), request_body = Donate,
    responses((status = 201, body = Ledger), (status = 401, description = "Not signed in", body = ApiError), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
async fn record_donation(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    Valid(d): Valid<Donate>,
) -> AppResult<(StatusCode, Json<Ledger>)> {
    let (c, name) = managed(&state, &user, id, true).await?;
    db::ledger::donate(&state.db, c, &d, user.id(), Utc::now()).await?;
    let l = ledger(&state, c, name, d.received_on.year()).await?;
    Ok((StatusCode::CREATED, Json(l)))
}
