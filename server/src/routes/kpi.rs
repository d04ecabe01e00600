//! The KPI cockpit: a CM sees their consortia, an admin any consortium, complex,
//! region or the whole programme; each table also as CSV (UTF-8 with a BOM, so
//! spreadsheet software reads the Korean right).

use crate::{
    AppState,
    auth::CurrentUser,
    db::{self, kpi::Scope},
    error::AppResult,
    extract::ApiQuery,
    routes::access::can_manage,
};
use axum::{
    Json,
    extract::State,
    http::header,
    response::{IntoResponse, Response},
};
use chrono::Utc;
use moim_core::{
    ApiError, ErrorCode,
    kpi::{CsvTable, KpiQuery, KpiReport, KpiTable},
    reference::Region,
};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(kpi))
        .routes(routes!(kpi_csv))
}

/// Works out which consortia the caller may count, and names them.
async fn scope(state: &AppState, user: &CurrentUser, q: &KpiQuery) -> AppResult<(Scope, String)> {
    if let Some(c) = q.consortium {
        let name = match db::consortia::name(&state.db, c).await {
            Ok(n) => n,
            Err(crate::error::DbError::NotFound) => {
                return Err(ApiError::invalid("consortium", ErrorCode::InvalidChoice).into());
            }
            Err(e) => return Err(e.into()),
        };
        if !can_manage(state, user, c).await? {
            return Err(ApiError::Forbidden.into());
        }
        return Ok((Some(vec![c.0]), name));
    }
    if q.complex.is_some() || q.region.is_some() {
        if !user.is_admin() {
            return Err(ApiError::Forbidden.into());
        }
        let region = match q.region.as_deref() {
            Some(r) => Some(
                Region::from_code(r)
                    .ok_or_else(|| ApiError::invalid("region", ErrorCode::InvalidChoice))?,
            ),
            None => None,
        };
        let ids = db::kpi::consortia_where(
            &state.db,
            q.complex.map(|c| c.0),
            region.map(Region::code),
            None,
        )
        .await?;
        let label = match (region, q.complex) {
            (Some(r), _) => r.name_ko().to_owned(),
            (None, Some(c)) => db::reference::complex_name(&state.db, c)
                .await?
                .ok_or_else(|| ApiError::invalid("complex", ErrorCode::InvalidChoice))?,
            (None, None) => String::new(),
        };
        return Ok((Some(ids), label));
    }
    if user.is_admin() {
        return Ok((None, "전체 프로그램".into()));
    }
    let ids = db::kpi::consortia_where(&state.db, None, None, Some(user.id().0)).await?;
    if ids.is_empty() {
        return Err(ApiError::Forbidden.into());
    }
    Ok((Some(ids), "내 협의체".into()))
}

/// The cockpit's numbers for a period and a part of the programme.
#[utoipa::path(get, path = "/api/kpi", tag = "kpi", params(KpiQuery),
    responses((status = 401, description = "Not signed in", body = ApiError), (status = 200, body = KpiReport), (status = 403, body = ApiError), (status = 422, body = ApiError)))]
async fn kpi(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiQuery(q): ApiQuery<KpiQuery>,
) -> AppResult<Json<KpiReport>> {
    let (scope, label) = scope(&state, &user, &q).await?;
    Ok(Json(
        db::kpi::report(&state.db, &scope, label, q.from, q.to, Utc::now()).await?,
    ))
}

/// One table of the cockpit as CSV.
#[utoipa::path(get, path = "/api/kpi/csv", tag = "kpi", params(CsvTable, KpiQuery),
    responses((status = 401, description = "Not signed in", body = ApiError), (status = 200, content_type = "text/csv"), (status = 403, body = ApiError), (status = 422, body = ApiError)))]
async fn kpi_csv(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiQuery(CsvTable { table }): ApiQuery<CsvTable>,
    ApiQuery(q): ApiQuery<KpiQuery>,
) -> AppResult<Response> {
    let (scope, label) = scope(&state, &user, &q).await?;
    let r = db::kpi::report(&state.db, &scope, label, q.from, q.to, Utc::now()).await?;
    let body = csv(&r, table);
    let file = format!("moim-kpi-{}-{}-{}.csv", table.code(), r.from, r.to);
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file}\""),
            ),
        ],
        body,
    )
        .into_response())
}

fn label(key: &str) -> &str {
    match key {
        "firm" => "기업",
        "university" => "대학",
        "institute" => "연구기관",
        "agency" => "지원기관",
        "matched" => "매칭",
        "in_progress" => "진행 중",
        "completed" => "완료",
        "commercialised" => "사업화",
        "dropped" => "중단",
        "commercialisation" => "생산기술사업화",
        "efficiency" => "제조기술효율화",
        "tech_management" => "기술 및 경영지원",
        "marketing" => "토털 마케팅",
        "training" => "현장맞춤형 교육",
        "mentoring" => "전문가 멘토링",
        "joint_rnd" => "공동 기술개발",
        "ip_filing" => "지식재산 출원",
        "testing" => "시험·장비 지원",
        "none" => "미지정",
        other => other,
    }
}

fn num(v: Option<f64>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

/// The table as CSV with a BOM and CRLF line ends.
pub fn csv(r: &KpiReport, table: KpiTable) -> String {
    let mut rows: Vec<Vec<String>> = Vec::new();
    let scope = format!("{} ({} ~ {})", r.scope, r.from, r.to);
    match table {
        KpiTable::Summary => {
            rows.push(vec![
                "범위".into(),
                "지표 (metric)".into(),
                "값 (value)".into(),
            ]);
            let figures: Vec<(&str, String)> = vec![
                ("협의체 수 (consortia)", r.consortia.to_string()),
                ("회원 기업 (member firms)", r.member_firms.to_string()),
                (
                    "협력 참여 기업 (firms collaborating)",
                    r.firms_collaborating.to_string(),
                ),
                ("협력 참여율 % (share collaborating)", num(r.firm_share())),
                (
                    "애로과제 등록 (problems posted)",
                    r.problems_posted.to_string(),
                ),
                ("애로과제 매칭 (matched)", r.problems_matched.to_string()),
                ("애로과제 해결 (resolved)", r.problems_resolved.to_string()),
                (
                    "첫 제안까지 중앙값 일 (median days to first proposal)",
                    num(r.median_days_to_proposal),
                ),
                ("활동 개최 (activities held)", r.activities_held.to_string()),
                ("참가 신청 (registrations)", r.registrations.to_string()),
                ("참석 (attended)", r.attended.to_string()),
                ("참석률 % (attendance rate)", num(r.attendance_rate())),
                ("아이디어 등록 (ideas posted)", r.ideas_posted.to_string()),
                ("아이디어 채택 (ideas adopted)", r.ideas_adopted.to_string()),
            ];
            for (k, v) in figures {
                rows.push(vec![scope.clone(), k.into(), v]);
            }
        }
        KpiTable::Members => {
            rows.push(vec![
                "범위".into(),
                "기관 유형 (kind)".into(),
                "회원 기관 수 (members)".into(),
            ]);
            for c in &r.members_by_kind {
                rows.push(vec![
                    scope.clone(),
                    label(&c.key).into(),
                    c.count.to_string(),
                ]);
            }
        }
        KpiTable::Collaborations => {
            rows.push(vec![
                "범위".into(),
                "구분 (by)".into(),
                "항목 (item)".into(),
                "협력 수 (collaborations)".into(),
            ]);
            for c in &r.collaborations_by_stage {
                rows.push(vec![
                    scope.clone(),
                    "단계 (stage)".into(),
                    label(&c.key).into(),
                    c.count.to_string(),
                ]);
            }
            for c in &r.collaborations_by_instrument {
                rows.push(vec![
                    scope.clone(),
                    "지원 수단 (instrument)".into(),
                    label(&c.key).into(),
                    c.count.to_string(),
                ]);
            }
        }
        KpiTable::Months => {
            rows.push(
                [
                    "월 (month)",
                    "활동 (activities)",
                    "참석 (attended)",
                    "애로과제 (problems)",
                    "협력 (collaborations)",
                    "아이디어 (ideas)",
                ]
                .map(String::from)
                .to_vec(),
            );
            for m in &r.months {
                rows.push(vec![
                    m.month.clone(),
                    m.activities.to_string(),
                    m.attended.to_string(),
                    m.problems.to_string(),
                    m.collaborations.to_string(),
                    m.ideas.to_string(),
                ]);
            }
        }
    }
    let mut out = String::from('\u{feff}');
    for row in rows {
        out.push_str(&crate::sheet::row(&row));
    }
    out
}
