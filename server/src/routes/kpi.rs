//! The KPI cockpit: a CM sees their consortia, an admin any consortium, complex,
//! region or the whole programme; each table also as CSV (UTF-8 with a BOM, so
//! spreadsheet software reads the Korean right).

use crate::{
    AppState,
    auth::{Admin, CurrentUser},
    db::{self, grants::Place, kpi::Scope},
    error::AppResult,
    extract::ApiQuery,
    routes::access::can_manage,
};
use axum::{
    Json,
    extract::{DefaultBodyLimit, Multipart, State},
    response::Response,
};
use chrono::{Datelike, Utc};
use moim_core::{
    ApiError, ComplexId, ConsortiumId, ErrorCode,
    grant::MoneyRow,
    headline::{
        Averages, AveragesReport, FirmsQuery, HeadlineFigure, HeadlineFirms, HeadlineQuery,
        HeadlineRow, HeadlineTable, Headlines, Stat, YearStats,
    },
    kpi::{CsvTable, KpiQuery, KpiReport, KpiTable},
    reference::Region,
    registry::ImportQuery,
};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(kpi))
        .routes(routes!(kpi_csv))
        .routes(routes!(headlines))
        .routes(routes!(headlines_csv))
        .routes(routes!(headline_firms))
        .routes(routes!(averages))
        .merge(
            OpenApiRouter::new()
                .routes(routes!(upload_averages))
                .layer(DefaultBodyLimit::max(AVERAGES_MAX + 64 * 1024)),
        )
}

/// The part of the programme a report covers: one consortium, complex or
/// region, or none (the CM's own consortia, or the whole programme).
struct Part<'a> {
    consortium: Option<ConsortiumId>,
    complex: Option<ComplexId>,
    region: Option<&'a str>,
}

impl<'a> From<&'a KpiQuery> for Part<'a> {
    fn from(q: &'a KpiQuery) -> Self {
        Part {
            consortium: q.consortium,
            complex: q.complex,
            region: q.region.as_deref(),
        }
    }
}

impl<'a> From<&'a HeadlineQuery> for Part<'a> {
    fn from(q: &'a HeadlineQuery) -> Self {
        Part {
            consortium: q.consortium,
            complex: q.complex,
            region: q.region.as_deref(),
        }
    }
}

/// Works out which consortia the caller may count, and names them.
async fn scope(state: &AppState, user: &CurrentUser, q: Part<'_>) -> AppResult<(Scope, String)> {
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
        let region = match q.region {
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
    Ok(Json(report(&state, &user, &q).await?))
}

/// The cockpit's report for `q`, for `user`: everything counted over the
/// consortia of its scope, the money over its projects (those of a complex
/// or region belong there even before a consortium is founded from them).
async fn report(state: &AppState, user: &CurrentUser, q: &KpiQuery) -> AppResult<KpiReport> {
    let (scope, label) = scope(state, user, q.into()).await?;
    let now = Utc::now();
    let mut r = db::kpi::report(&state.db, &scope, label, q.from, q.to, now).await?;
    let place = match (q.complex, q.region.as_deref().and_then(Region::from_code)) {
        (_, Some(region)) => Place::Region(region.code()),
        (Some(c), None) => Place::Complex(c.0),
        (None, None) => Place::Consortia(&scope),
    };
    r.money = db::grants::figures(&state.db, &place, q.from, q.to, moim_core::kst_today()).await?;
    Ok(r)
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
    let r = report(&state, &user, &q).await?;
    let body = csv(&r, table);
    let file = format!("moim-kpi-{}-{}-{}.csv", table.code(), r.from, r.to);
    Ok(csv_file(&file, body))
}

/// The headline numbers, worked out for the caller: every figure for an
/// admin; for a CM, those resting on at least five firms.
async fn headline_report(
    state: &AppState,
    user: &CurrentUser,
    q: &HeadlineQuery,
) -> AppResult<Headlines> {
    let (scope, label) = headline_scope(state, user, q).await?;
    let mut h = db::headlines::headlines(
        &state.db,
        &scope,
        label,
        q.ksic.as_deref(),
        q.baseline,
        q.current,
    )
    .await?;
    if !user.is_admin() {
        h.suppress();
    }
    Ok(h)
}

/// The consortia whose firms the headline numbers of `q` count, and their
/// name: a current year to come is `422 current`, the split by industry is
/// the agency's (403 for anyone else), and the scope the caller's.
async fn headline_scope(
    state: &AppState,
    user: &CurrentUser,
    q: &HeadlineQuery,
) -> AppResult<(Scope, String)> {
    if q.current > moim_core::kst_today().year() {
        return Err(ApiError::invalid(
            "current",
            ErrorCode::OutOfRange {
                min: i64::from(moim_core::figures::FIRST_YEAR),
                max: i64::from(moim_core::kst_today().year()),
            },
        )
        .into());
    }
    // One industry's figures next to every industry's give away the few
    // firms of the others (and several industries' together a small one):
    // the split by industry is the agency's, whose admins see every figure.
    if q.ksic.is_some() && !user.is_admin() {
        return Err(ApiError::Forbidden.into());
    }
    scope(state, user, q.into()).await
}

/// The records behind a headline figure: the member firms of the scope it
/// rests on in `year` (the baseline or the current year; either when left
/// out; of `band` by that year's people) — every member firm for cooperation
/// and innovative SMEs (those cooperating or certified first), those
/// reporting R&D spending, those with the year's and the year before's
/// sales, exports or employees — each with its part in both
/// years and a link to its figures, a page of 50, the largest part first.
/// For those the numbers are for: an admin, and a CM for their consortia,
/// who reads each of these firms' figures anyway (so no figure is withheld
/// here).
#[utoipa::path(get, path = "/api/kpi/headlines/firms", tag = "kpi", params(FirmsQuery, HeadlineQuery),
    responses((status = 200, body = HeadlineFirms), (status = 401, description = "Not signed in", body = ApiError), (status = 403, body = ApiError), (status = 422, body = ApiError)))]
async fn headline_firms(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiQuery(f): ApiQuery<FirmsQuery>,
    ApiQuery(q): ApiQuery<HeadlineQuery>,
) -> AppResult<Json<HeadlineFirms>> {
    let (scope, label) = headline_scope(&state, &user, &q).await?;
    if f.year.is_some_and(|y| y != q.baseline && y != q.current) {
        return Err(ApiError::invalid("year", ErrorCode::InvalidChoice).into());
    }
    let figure = f.figure.unwrap_or(HeadlineFigure::Cooperation);
    let page = f.page.unwrap_or(1);
    let (total, firms) = db::headlines::firms(
        &state.db,
        &scope,
        q.ksic.as_deref(),
        [q.baseline, q.current],
        figure,
        f.band,
        f.year,
        page,
    )
    .await?;
    Ok(Json(HeadlineFirms {
        scope: label,
        figure,
        band: f.band,
        year: f.year,
        baseline: q.baseline,
        current: q.current,
        total,
        page: i64::from(page),
        firms,
    }))
}

/// The programme's headline numbers (성과 지표) for a baseline year and the
/// current year: the share of member firms doing industry–academia–research
/// cooperation (collaborations begun in Moim, or projects declared for the
/// year), projects per firm, R&D spending per firm (mean and median),
/// innovative SMEs at the year's end, and growth of sales, exports and
/// employees against the average of the firms' industries; for every member
/// firm of the scope, by size band and by consortium. Each figure says how
/// many firms it rests on; for anyone but an admin a figure resting on fewer
/// than five is withheld (`hidden`), with the figure of one more size band
/// where one alone would give it away.
#[utoipa::path(get, path = "/api/kpi/headlines", tag = "kpi", params(HeadlineQuery),
    responses((status = 200, body = Headlines), (status = 401, description = "Not signed in", body = ApiError), (status = 403, body = ApiError), (status = 422, body = ApiError)))]
async fn headlines(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiQuery(q): ApiQuery<HeadlineQuery>,
) -> AppResult<Json<Headlines>> {
    Ok(Json(headline_report(&state, &user, &q).await?))
}

/// Which table of the headline numbers a CSV holds.
#[derive(Debug, Clone, Copy, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct HeadlineCsv {
    /// `bands` (the whole group and each size band) or `consortia`.
    table: HeadlineTable,
}

impl moim_core::Validate for HeadlineCsv {
    fn validate(&self) -> Result<(), moim_core::FieldErrors> {
        Ok(())
    }
}

/// The headline numbers as CSV (UTF-8 with a BOM), one row per group and
/// figure; a withheld figure reads `n < 5`.
#[utoipa::path(get, path = "/api/kpi/headlines/csv", tag = "kpi", params(HeadlineCsv, HeadlineQuery),
    responses((status = 200, content_type = "text/csv"), (status = 401, description = "Not signed in", body = ApiError), (status = 403, body = ApiError), (status = 422, body = ApiError)))]
async fn headlines_csv(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiQuery(HeadlineCsv { table }): ApiQuery<HeadlineCsv>,
    ApiQuery(q): ApiQuery<HeadlineQuery>,
) -> AppResult<Response> {
    let h = headline_report(&state, &user, &q).await?;
    let file = format!(
        "moim-headlines-{}-{}-{}.csv",
        table.code(),
        q.baseline,
        q.current
    );
    Ok(csv_file(&file, headline_csv(&h, table)))
}

fn csv_file(file: &str, body: String) -> Response {
    crate::sheet::download(crate::sheet::CSV, file, body)
}

/// The figures of a year, named, in the order of the CSV's rows.
fn named(y: &YearStats) -> [(&'static str, Stat); 14] {
    [
        ("협력 참여 기업 (firms cooperating)", y.cooperating),
        ("협력 참여율 % (share cooperating)", y.cooperation_share),
        ("기업당 협력 과제 (projects per firm)", y.projects_per_firm),
        (
            "기업당 연구개발비 평균 백만원 (R&D per firm, mean)",
            y.rnd_mean,
        ),
        (
            "기업당 연구개발비 중앙값 백만원 (R&D per firm, median)",
            y.rnd_median,
        ),
        ("혁신형 중소기업 (innovative SMEs)", y.innovative),
        ("매출 증가율 % (sales growth)", y.sales_growth.members),
        (
            "업종 평균 매출 증가율 % (industry)",
            y.sales_growth.industry,
        ),
        ("수출 증가율 % (exports growth)", y.exports_growth.members),
        (
            "업종 평균 수출 증가율 % (industry)",
            y.exports_growth.industry,
        ),
        (
            "고용 증가율 % (employees growth)",
            y.employees_growth.members,
        ),
        (
            "업종 평균 고용 증가율 % (industry)",
            y.employees_growth.industry,
        ),
        (
            "회원 기업 (member firms)",
            Stat::of(y.firms, Some(y.firms as f64)),
        ),
        ("", Stat::default()),
    ]
}

fn stat_cell(s: Stat) -> String {
    match (s.hidden, s.value) {
        (true, _) => "n < 5".into(),
        (false, Some(v)) => v.to_string(),
        (false, None) => String::new(),
    }
}

/// The headline numbers as CSV with a BOM and CRLF line ends.
pub fn headline_csv(h: &Headlines, table: HeadlineTable) -> String {
    let mut rows: Vec<Vec<String>> = vec![vec![
        "범위 (scope)".into(),
        "구분 (group)".into(),
        "지표 (figure)".into(),
        format!("{} 값 (value)", h.total.baseline.year),
        format!("{} 기업 수 (n)", h.total.baseline.year),
        format!("{} 값 (value)", h.total.current.year),
        format!("{} 기업 수 (n)", h.total.current.year),
    ]];
    let groups: Vec<&HeadlineRow> = match table {
        HeadlineTable::Bands => std::iter::once(&h.total).chain(&h.bands).collect(),
        HeadlineTable::Consortia => h.consortia.iter().collect(),
    };
    for g in groups {
        let group = match (g.size_band, g.consortium) {
            (Some(b), _) => b.label().0.to_owned(),
            (None, Some(_)) => g.label.clone(),
            (None, None) => "전체 (all)".to_owned(),
        };
        let (base, cur) = (named(&g.baseline), named(&g.current));
        for ((name, b), (_, c)) in base.into_iter().zip(cur) {
            if name.is_empty() {
                continue;
            }
            rows.push(vec![
                h.scope.clone(),
                group.clone(),
                name.into(),
                stat_cell(b),
                b.n.to_string(),
                stat_cell(c),
                c.n.to_string(),
            ]);
        }
    }
    let mut out = String::from('\u{feff}');
    for row in rows {
        out.push_str(&crate::sheet::row(&row));
    }
    out
}

/// The largest industry averages file taken.
const AVERAGES_MAX: usize = 2 * 1024 * 1024;

/// The industry averages kept (KSIC division, year, growth of sales, exports
/// and employees in percent), the newest year first.
#[utoipa::path(get, path = "/api/kpi/industry-averages", tag = "kpi",
    responses((status = 200, body = Averages), (status = 401, description = "Not signed in", body = ApiError)))]
async fn averages(State(state): State<AppState>, _user: CurrentUser) -> AppResult<Json<Averages>> {
    Ok(Json(Averages {
        averages: db::headlines::averages(&state.db).await?,
    }))
}

/// Uploads industry averages from official statistics: a CSV (UTF-8 or
/// CP949) or XLSX file, the form field `file`, with the columns 산업분류/ksic
/// (KSIC division), 연도/year, 매출증가율/sales_growth,
/// 수출증가율/exports_growth, 고용증가율/employees_growth (percent; blank when
/// unknown). `dry_run` (the default) only checks. The answer is the report:
/// every problem by line and column. Nothing is written while there is one;
/// otherwise each year of the file replaces that year's averages, all in one
/// transaction.
#[utoipa::path(post, path = "/api/kpi/industry-averages", tag = "kpi", params(ImportQuery),
    request_body(content_type = "multipart/form-data", content = String),
    responses((status = 200, body = AveragesReport), (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 413, body = ApiError), (status = 415, body = ApiError), (status = 422, body = ApiError)))]
async fn upload_averages(
    State(state): State<AppState>,
    Admin(_admin): Admin,
    ApiQuery(q): ApiQuery<ImportQuery>,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> AppResult<Json<AveragesReport>> {
    let (_, bytes) = crate::files::file_part(multipart, AVERAGES_MAX).await?;
    let sheet = match crate::import::read(&bytes) {
        Ok(sheet) => sheet,
        Err(issue) => {
            return Ok(Json(AveragesReport {
                problems: vec![crate::import::file_problem(issue)],
                ..Default::default()
            }));
        }
    };
    let (rows, problems) = crate::import::averages(&sheet, moim_core::kst_today().year());
    let mut report = AveragesReport {
        imported: false,
        rows: u32::try_from(sheet.rows.len()).unwrap_or(u32::MAX),
        years: crate::import::years(&rows),
        problems,
    };
    if report.problems.is_empty() && !q.dry_run {
        db::headlines::replace_averages(&state.db, &rows, false, Utc::now()).await?;
        report.imported = true;
    }
    Ok(Json(report))
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
            let mm = &r.matchmaking;
            let won = |k: Option<i64>| k.map(|k| k.to_string()).unwrap_or_default();
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
                ("수출상담회 (matchmaking events)", mm.events.to_string()),
                ("상담 참가자 (participants)", mm.participants.to_string()),
                ("상담 진행 (meetings held)", mm.outcomes.held.to_string()),
                (
                    "1인당 상담 (meetings per participant)",
                    num(mm.per_participant().map(|v| (v * 10.0).round() / 10.0)),
                ),
                (
                    "계약 추진 건수 (contracts in progress)",
                    mm.outcomes.in_progress.count.to_string(),
                ),
                (
                    "계약 추진 금액·원 (in progress in KRW)",
                    won(mm.outcomes.in_progress.krw),
                ),
                (
                    "계약 체결 건수 (contracts signed)",
                    mm.outcomes.signed.count.to_string(),
                ),
                (
                    "계약 체결 금액·원 (signed in KRW)",
                    won(mm.outcomes.signed.krw),
                ),
                (
                    "현장 계약 (signed on site)",
                    mm.outcomes.signed_on_site.to_string(),
                ),
                ("지원 과제 (funded projects)", r.money.projects.to_string()),
                (
                    "협약액 만원 (committed)",
                    r.money.committed_manwon.to_string(),
                ),
                ("지급액 만원 (paid)", r.money.paid_manwon.to_string()),
                (
                    "누적 집행률 % (paid to date of grants agreed)",
                    num(r.money.paid_share()),
                ),
                (
                    "기간 말 미지급 잔액 만원 (left to pay at the end)",
                    r.money.outstanding_manwon.to_string(),
                ),
                (
                    "지급 지연 이정표 (milestones overdue)",
                    r.money.overdue.to_string(),
                ),
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
        KpiTable::Money => {
            rows.push(
                [
                    "범위",
                    "구분 (by)",
                    "항목 (item)",
                    "과제 수 (projects)",
                    "협약액 만원 (committed)",
                    "지급액 만원 (paid)",
                ]
                .map(String::from)
                .to_vec(),
            );
            let m = &r.money;
            let by: [(&str, &[MoneyRow]); 4] = [
                ("연도 (year)", &m.by_year),
                ("공모 (call)", &m.by_call),
                ("협의체 (consortium)", &m.by_consortium),
                ("지역 (region)", &m.by_region),
            ];
            rows.push(vec![
                scope.clone(),
                "합계 (total)".into(),
                String::new(),
                m.projects.to_string(),
                m.committed_manwon.to_string(),
                m.paid_manwon.to_string(),
            ]);
            for (name, lines) in by {
                for l in lines {
                    rows.push(vec![
                        scope.clone(),
                        name.into(),
                        l.label.clone(),
                        l.projects.to_string(),
                        l.committed_manwon.to_string(),
                        l.paid_manwon.to_string(),
                    ]);
                }
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
