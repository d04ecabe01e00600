//! The KPI cockpit: the agency's numbers over a period for the CM's consortia or,
//! for admins, any consortium, region or the whole programme. Headline figures
//! link to the records behind them, trends are SVG bar charts with their data as
//! a table, and every table downloads as CSV.

use super::problem_text;
use crate::{
    api,
    components::cards::{ErrorView, Loading},
    i18n::{Lang, number, org_kind, pick, use_lang},
    load::Load,
    routing::{list_href, list_query},
    state::use_session,
    time::{kst_day, now, parse_date},
    tr,
};
use chrono::{Datelike, Duration, Months};
use leptos::prelude::*;
use leptos_router::{components::A, hooks::use_navigate};
use moim_core::{
    ConsortiumId,
    account::OrgKind,
    figures::SizeBand,
    grant::{MoneyFigures, MoneyRow},
    idea::ConsortiumTag,
    kpi::{CockpitQuery, Count, KpiQuery, KpiReport, KpiTable, Month},
    matchmaking::{ContractTally, MatchFigures, MatchGroup},
    paths,
    problem::{HelpKind, Stage},
    reference::Region,
};

/// The cockpit's address for the report `q`, keeping the headline numbers'
/// choices of `address`.
fn href(address: &CockpitQuery, q: &KpiQuery) -> String {
    list_href(
        "/cockpit",
        &CockpitQuery {
            consortium: q.consortium,
            region: q.region.clone(),
            from: Some(q.from),
            to: Some(q.to),
            ..address.clone()
        },
    )
}

/// The cockpit, or the firms behind its headline numbers
/// (`/cockpit/firms`).
#[component]
pub fn CockpitPage() -> impl IntoView {
    let path = leptos_router::hooks::use_location().pathname;
    let which = Memo::new(move |_| {
        path.with(|p| {
            let p = p.trim_end_matches('/');
            if p.ends_with("/ledger") {
                2
            } else {
                u8::from(p.ends_with("/firms"))
            }
        })
    });
    move || match which.get() {
        2 => view! { <super::ledger::LedgerPage/> }.into_any(),
        1 => view! { <super::cockpit_headlines::FirmsBehind/> }.into_any(),
        _ => view! { <Cockpit/> }.into_any(),
    }
}

#[component]
fn Cockpit() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let navigate = use_navigate();
    let address = list_query::<CockpitQuery>();
    let query = Memo::new(move |_| address.get().to_api(kst_day(now())));
    let report = Load::<KpiReport>::new(move || Some(paths::kpi(&query.get())));
    // The scope choices (an aid: none when they cannot load).
    let consortia = Load::<Vec<ConsortiumTag>>::new(|| Some(paths::SCHEDULABLE.to_owned()));
    let consortia = move || consortia.get().and_then(Result::ok).unwrap_or_default();
    let admin = move || {
        session
            .me
            .with(|m| m.as_ref().is_some_and(|m| m.is_admin()))
    };
    let go = {
        let navigate = navigate.clone();
        move |q: KpiQuery| navigate(&href(&address.get_untracked(), &q), Default::default())
    };
    let headline_query = Memo::new(move |_| address.get().to_headlines(kst_day(now())));
    let set_headlines = Callback::new(move |h: moim_core::headline::HeadlineQuery| {
        let mut a = address.get_untracked();
        a.baseline = Some(h.baseline);
        a.current = Some(h.current);
        a.ksic = h.ksic;
        navigate(&list_href("/cockpit", &a), Default::default());
    });
    let scope_value = move || {
        let q = query.get();
        match (q.consortium, q.region) {
            (Some(c), _) => format!("c{c}"),
            (None, Some(r)) => format!("r{r}"),
            _ => String::new(),
        }
    };
    let pick_scope = {
        let go = go.clone();
        move |ev| {
            let v = event_target_value(&ev);
            let mut q = query.get_untracked();
            q.consortium = v
                .strip_prefix('c')
                .and_then(|c| c.parse().ok())
                .map(ConsortiumId);
            q.region = v.strip_prefix('r').map(str::to_owned);
            go(q);
        }
    };
    let set_date = {
        let go = go.clone();
        move |which: &'static str, ev: leptos::ev::Event| {
            if let Some(d) = parse_date(&event_target_value(&ev)) {
                let mut q = query.get_untracked();
                if which == "from" {
                    q.from = d
                } else {
                    q.to = d
                }
                go(q);
            }
        }
    };
    let set_from = {
        let s = set_date.clone();
        move |ev| s("from", ev)
    };
    let set_to = move |ev| set_date("to", ev);
    let today = kst_day(now());
    let year_start = today
        .with_month(1)
        .and_then(|d| d.with_day(1))
        .unwrap_or(today);
    let presets = [
        (
            "최근 12개월",
            "Last 12 months",
            (today - Months::new(12)).with_day(1).unwrap_or(today),
            today,
        ),
        ("올해", "This year", year_start, today),
        (
            "작년",
            "Last year",
            year_start - Months::new(12),
            year_start - Duration::days(1),
        ),
    ];
    view! {
        <section class="section cockpit">
            <div class="page-head">
                <h1>{tr!("성과 현황", "KPI cockpit")}</h1>
                <p class="lead">{tr!("모임에서 실제로 일어난 일과 회원 기업이 입력한 실적으로 계산한 지표입니다.", "Figures computed from what actually happened in Moim and from the figures member firms enter.")}</p>
                <p><A href="/surveys">{tr!("설문·성과조사 만들기와 응답 현황", "Surveys: write one, follow the answers")}</A></p>
            </div>
            <form class="cockpit-filters" on:submit=|ev| ev.prevent_default()>
                <div class="field">
                    <label for="kpi-scope">{tr!("범위", "Scope")}</label>
                    <select id="kpi-scope" on:change=pick_scope prop:value=scope_value>
                        <option value="">{move || if admin() { pick(lang.get(), "전체 프로그램", "Whole programme") } else { pick(lang.get(), "내 협의체 전체", "All my consortia") }}</option>
                        <Show when=admin>
                            <optgroup label=tr!("지역", "Regions")>
                                {Region::ALL.into_iter().map(|r| view! { <option value=format!("r{}", r.code())>{move || pick(lang.get(), r.name_ko(), r.name_en())}</option> }).collect_view()}
                            </optgroup>
                        </Show>
                        <optgroup label=tr!("협의체", "Consortia")>
                            {move || consortia().into_iter().map(|c| view! { <option value=format!("c{}", c.id)>{c.name}</option> }).collect_view()}
                        </optgroup>
                    </select>
                </div>
                <div class="field">
                    <label for="kpi-from">{tr!("시작일", "From")}</label>
                    <input id="kpi-from" type="date" prop:value=move || query.get().from.to_string() on:change=set_from/>
                </div>
                <div class="field">
                    <label for="kpi-to">{tr!("종료일", "To")}</label>
                    <input id="kpi-to" type="date" prop:value=move || query.get().to.to_string() on:change=set_to/>
                </div>
                <div class="presets" role="group" aria-label=tr!("기간 빠른 선택", "Quick periods")>
                    {presets.into_iter().map(|(ko, en, f, t)| {
                        let link = move || href(&address.get(), &KpiQuery { from: f, to: t, ..query.get() });
                        let current = move || { let q = query.get(); (q.from == f && q.to == t).then_some("true") };
                        view! { <a class="chip" href=link aria-current=current>{move || pick(lang.get(), ko, en)}</a> }
                    }).collect_view()}
                </div>
            </form>
            {move || match report.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(e)) => view! { <ErrorView error=e/> }.into_any(),
                Some(Ok(r)) => view! { <Report r=r q=query.get()/> }.into_any(),
            }}
            <super::cockpit_headlines::HeadlineNumbers query=headline_query latest=today.year()
                admin=Signal::derive(admin) on_change=set_headlines/>
        </section>
    }
}

fn pct(v: Option<f64>) -> String {
    v.map_or_else(|| "–".to_owned(), |v| format!("{v}%"))
}

#[component]
fn Report(r: KpiReport, q: KpiQuery) -> impl IntoView {
    let lang = use_lang();
    let c = q.consortium;
    let with_c = |base: &str| match c {
        Some(c) => format!("{base}?consortium={c}"),
        None => base.to_owned(),
    };
    let activities = {
        let mut l = format!("/activities?from={}&to={}", q.from, q.to);
        if let Some(c) = c {
            l.push_str(&format!("&consortium={c}"));
        }
        if let Some(r) = &q.region {
            l.push_str(&format!("&region={r}"));
        }
        l
    };
    let members = c.map_or_else(|| "/consortia".to_owned(), |c| format!("/consortia/{c}"));
    let collaborations = c.map_or_else(
        || "/collaborations".to_owned(),
        |c| format!("/problems/board/{c}"),
    );
    let (rate, share) = (r.attendance_rate(), r.firm_share());
    let period = format!("{} ~ {}", r.from, r.to);
    let tiles: Vec<(String, &'static str, &'static str, String, String)> = vec![
        (
            pct(rate),
            "활동 참석률",
            "Attendance rate",
            format!("{} / {}", number(r.attended), number(r.registrations)),
            activities.clone(),
        ),
        (
            number(r.activities_held),
            "개최한 활동",
            "Activities held",
            pick(
                lang.get_untracked(),
                format!("신청 {}명", number(r.registrations)),
                format!("{} registrations", number(r.registrations)),
            ),
            activities.clone(),
        ),
        (
            pct(share),
            "협력 참여 기업 비율",
            "Firms collaborating",
            format!(
                "{} / {}",
                number(r.firms_collaborating),
                number(r.member_firms)
            ),
            collaborations.clone(),
        ),
        (
            number(r.problems_posted),
            "애로과제 등록",
            "Problems posted",
            pick(
                lang.get_untracked(),
                format!("매칭 {} · 해결 {}", r.problems_matched, r.problems_resolved),
                format!(
                    "{} matched · {} resolved",
                    r.problems_matched, r.problems_resolved
                ),
            ),
            with_c("/problems"),
        ),
        (
            r.median_days_to_proposal.map_or_else(
                || "–".to_owned(),
                |d| pick(lang.get_untracked(), format!("{d}일"), format!("{d} d")),
            ),
            "첫 제안까지 (중앙값)",
            "Days to first proposal (median)",
            String::new(),
            with_c("/problems"),
        ),
        (
            number(r.ideas_posted),
            "아이디어 등록",
            "Ideas posted",
            pick(
                lang.get_untracked(),
                format!("채택 {}", r.ideas_adopted),
                format!("{} adopted", r.ideas_adopted),
            ),
            with_c("/ideas"),
        ),
    ];
    let csv = move |t: KpiTable| api::activities::kpi_csv(&q, t);
    let scope_text = format!("{} · {period}", r.scope);
    let months = r.months.clone();
    view! {
        <p class="scope" data-testid="kpi-scope">{scope_text}{move || pick(lang.get(), format!(" · 협의체 {}개", r.consortia), format!(" · {} consortia", r.consortia))}</p>
        <ul class="tiles">
            {tiles.into_iter().map(|(value, ko, en, sub, link)| view! {
                <li class="tile">
                    <A href=link>
                        <span class="tile-label">{move || pick(lang.get(), ko, en)}</span>
                        <span class="tile-value" data-testid=format!("kpi-{en}")>{value}</span>
                        {(!sub.is_empty()).then(|| view! { <span class="tile-sub">{sub}</span> })}
                    </A>
                </li>
            }).collect_view()}
        </ul>
        <p class="downloads"><a class="btn btn-secondary btn-sm" href=csv(KpiTable::Summary) download="" data-testid="csv-summary">{tr!("지표 요약 CSV 내려받기", "Download the figures (CSV)")}</a></p>

        <h2 class="h-small">{tr!("월별 추이", "Month by month")}</h2>
        <div class="charts">
            <Chart title=("개최한 활동", "Activities held") months=months.clone() pick_value=|m: &Month| m.activities/>
            <Chart title=("참석자", "Attendees") months=months.clone() pick_value=|m: &Month| m.attended/>
            <Chart title=("애로과제 등록", "Problems posted") months=months.clone() pick_value=|m: &Month| m.problems/>
            <Chart title=("협력 시작", "Collaborations begun") months=months.clone() pick_value=|m: &Month| m.collaborations/>
            <Chart title=("아이디어 등록", "Ideas posted") months=months.clone() pick_value=|m: &Month| m.ideas/>
        </div>
        <details class="chart-data">
            <summary>{tr!("월별 수치 표로 보기", "The monthly figures as a table")}</summary>
            <div class="table-wrap" tabindex="0" role="region" aria-label=move || pick(lang.get(), "월별 수치", "Monthly figures")>
                <table>
                    <thead><tr>
                        <th scope="col">{tr!("월", "Month")}</th><th scope="col">{tr!("활동", "Activities")}</th><th scope="col">{tr!("참석", "Attended")}</th>
                        <th scope="col">{tr!("애로과제", "Problems")}</th><th scope="col">{tr!("협력", "Collaborations")}</th><th scope="col">{tr!("아이디어", "Ideas")}</th>
                    </tr></thead>
                    <tbody>
                        {months.into_iter().map(|m| view! {
                            <tr><th scope="row">{m.month}</th><td>{m.activities}</td><td>{m.attended}</td><td>{m.problems}</td><td>{m.collaborations}</td><td>{m.ideas}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </details>
        <p class="downloads"><a class="btn btn-secondary btn-sm" href=csv(KpiTable::Months) download="">{tr!("월별 추이 CSV", "Monthly figures (CSV)")}</a></p>

        <div class="two-tables">
            <section aria-labelledby="members-h">
                <h2 id="members-h" class="h-small">{tr!("회원 기관 (유형별)", "Member organisations by kind")}</h2>
                <CountTable rows=r.members_by_kind.clone() label=kind_name link=members.clone()/>
                <a class="btn btn-secondary btn-sm" href=csv(KpiTable::Members) download="">{tr!("CSV 내려받기", "Download CSV")}</a>
            </section>
            <section aria-labelledby="collab-h">
                <h2 id="collab-h" class="h-small">{tr!("협력 (단계별 · 지원 수단별)", "Collaborations by stage and instrument")}</h2>
                <CountTable rows=r.collaborations_by_stage.clone() label=stage_name link=collaborations.clone()/>
                <CountTable rows=r.collaborations_by_instrument.clone() label=instrument_name link=collaborations/>
                <a class="btn btn-secondary btn-sm" href=csv(KpiTable::Collaborations) download="">{tr!("CSV 내려받기", "Download CSV")}</a>
            </section>
        </div>
        {(r.matchmaking.events > 0).then(|| view! { <Matchmaking f=r.matchmaking.clone()/> })}
        {(!r.money.is_empty()).then(|| view! { <Money f=r.money.clone() csv=csv(KpiTable::Money)/> })}
    }
}

/// The money of funded projects (협약·지급) in the scope and period:
/// committed against paid, what is left to pay and what is late, by year,
/// call, consortium and region.
#[component]
fn Money(f: MoneyFigures, csv: String) -> impl IntoView {
    let lang = use_lang();
    let amount = move |n: i64| move || super::calls::manwon(n, lang.get());
    let table = move |rows: Vec<MoneyRow>,
                      head: (&'static str, &'static str),
                      label: fn(&MoneyRow, Lang) -> String| {
        let id = format!("money-{}", head.1.to_lowercase());
        view! {
            <div class="table-wrap" tabindex="0" role="region" aria-label=move || pick(lang.get(), head.0, head.1) data-testid=id>
                <table class="roster kpi-split">
                    <thead><tr>
                        <th scope="col">{move || pick(lang.get(), head.0, head.1)}</th>
                        <th scope="col">{tr!("과제", "Projects")}</th>
                        <th scope="col">{tr!("협약액", "Committed")}</th>
                        <th scope="col">{tr!("지급액", "Paid")}</th>
                    </tr></thead>
                    <tbody>
                        {rows.into_iter().map(|row| {
                            let (projects, committed, paid) = (row.projects, row.committed_manwon, row.paid_manwon);
                            view! {
                                <tr>
                                    <th scope="row">{move || label(&row, lang.get())}</th>
                                    <td>{projects}</td>
                                    <td>{amount(committed)}</td>
                                    <td>{amount(paid)}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        }
    };
    let share = pct(f.paid_share());
    let overdue = f.overdue;
    view! {
        <section class="kpi-matchmaking" aria-labelledby="money-h" data-testid="kpi-money">
            <h2 id="money-h" class="h-small">{tr!("사업비 (협약·지급)", "Funding (agreed and paid)")}</h2>
            <dl class="facts">
                <dt>{tr!("지원 과제", "Funded projects")}</dt><dd>{f.projects}</dd>
                <dt>{tr!("협약액", "Committed")}</dt><dd data-testid="money-committed">{amount(f.committed_manwon)}</dd>
                <dt>{tr!("지급액", "Paid")}</dt>
                <dd data-testid="money-paid">{amount(f.paid_manwon)}</dd>
                <dt>{tr!("기간 말 미지급 잔액", "Left to pay at the end")}</dt>
                <dd data-testid="money-left">{amount(f.outstanding_manwon)}{move || pick(lang.get(), format!(" (누적 집행률 {share})"), format!(" ({share} paid to date)"))}</dd>
                <dt>{tr!("지급 지연 이정표", "Milestones overdue")}</dt>
                <dd>{move || pick(lang.get(), format!("{overdue}건"), overdue.to_string())}
                    {(overdue > 0).then(|| view! { " · " {amount(f.overdue_manwon)} })}</dd>
            </dl>
            <p class="hint">{tr!("협약액은 기간 중 맺은 협약의 지원금, 지급액은 기간 중 지급한 금액, 누적 집행률은 기간 말까지 맺은 협약의 지원금 중 그때까지 지급한 비율입니다. 과제는 그로부터 구성된 협의체나 지원하는 애로과제의 협의체에, 지역은 그 협의체(없으면 주관기관)의 산업단지에 속합니다.",
                "Committed is the grants agreed in the period, paid what was paid in it; paid to date is the share of every grant agreed by its end paid by then. A project belongs to the consortium founded from it or whose problem it supports, and to the region of that consortium's complex (else its lead's).")}</p>
            <div class="two-tables">
                <section aria-labelledby="money-year-h">
                    <h3 id="money-year-h" class="h-small">{tr!("연도별", "By year")}</h3>
                    {table(f.by_year.clone(), ("연도", "Year"), |r, _| r.label.clone())}
                </section>
                <section aria-labelledby="money-region-h">
                    <h3 id="money-region-h" class="h-small">{tr!("지역별", "By region")}</h3>
                    {table(f.by_region.clone(), ("지역", "Region"), region_name)}
                </section>
            </div>
            <h3 class="h-small">{tr!("공모별", "By call")}</h3>
            {table(f.by_call.clone(), ("공모", "Call"), |r, _| r.label.clone())}
            <h3 class="h-small">{tr!("협의체별", "By consortium")}</h3>
            {table(f.by_consortium.clone(), ("협의체", "Consortium"), consortium_name)}
            <p class="downloads"><a class="btn btn-secondary btn-sm" href=csv download="" data-testid="csv-money">{tr!("사업비 CSV 내려받기", "Download the funding (CSV)")}</a></p>
        </section>
    }
}

fn region_name(r: &MoneyRow, l: Lang) -> String {
    Region::from_code(&r.key).map_or_else(
        || pick(l, "지역 미지정", "No region").to_owned(),
        |g| pick(l, g.name_ko(), g.name_en()).to_owned(),
    )
}

fn consortium_name(r: &MoneyRow, l: Lang) -> String {
    if r.key == "none" {
        pick(l, "협의체 구성 전", "No consortium yet").to_owned()
    } else {
        r.label.clone()
    }
}

/// Contracts as counted (`3건`) and their value (`KRW 69,000,000`: the won
/// total when every currency in it has its event's rate, else the values as
/// entered), none without a contract.
fn contracts(t: &ContractTally, lang: Lang) -> (String, Option<String>) {
    let n = pick(lang, format!("{}건", t.count), t.count.to_string());
    let value = match t.krw {
        _ if t.count == 0 || t.values.is_empty() => None,
        Some(k) => Some(format!("KRW {}", number(k))),
        None => Some(
            t.values
                .iter()
                .map(|m| format!("{} {}", m.currency.code().to_uppercase(), number(m.amount)))
                .collect::<Vec<_>>()
                .join(" · "),
        ),
    };
    (n, value)
}

/// A count of contracts with its value on a line below.
fn contract_cell(t: ContractTally) -> impl IntoView {
    let lang = use_lang();
    move || {
        let (n, value) = contracts(&t, lang.get());
        view! { {n}{value.map(|v| view! { <br/><span class="tile-sub">{v}</span> })} }
    }
}

/// Export matchmaking (수출상담회) in the scope and period: its people, the
/// meetings held and what came of them, by the country of the side from abroad
/// and by the size of the Korean firm.
#[component]
fn Matchmaking(f: MatchFigures) -> impl IntoView {
    let lang = use_lang();
    let o = f.outcomes.clone();
    let per = f
        .per_participant()
        .map_or_else(|| "–".to_owned(), |v| format!("{:.1}", v));
    let split = move |rows: Vec<MatchGroup>,
                      label: fn(&str, Lang) -> String,
                      head: (&'static str, &'static str)| {
        // Scrolls sideways on a phone: a region reachable by the keyboard.
        view! {
            <div class="table-wrap" tabindex="0" role="region" aria-label=move || pick(lang.get(), head.0, head.1)>
                <table class="roster kpi-split">
                    <thead><tr>
                        <th scope="col">{move || pick(lang.get(), head.0, head.1)}</th>
                        <th scope="col">{tr!("진행", "Held")}</th>
                        <th scope="col">{tr!("계약 추진", "In progress")}</th>
                        <th scope="col">{tr!("계약 체결", "Signed")}</th>
                    </tr></thead>
                    <tbody>
                        {rows.into_iter().map(|g| {
                            let o = g.outcomes;
                            view! {
                                <tr>
                                    <th scope="row">{move || label(&g.key, lang.get())}</th>
                                    <td>{o.held}</td>
                                    <td>{contract_cell(o.in_progress.clone())}</td>
                                    <td>{contract_cell(o.signed.clone())}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        }
    };
    view! {
        <section class="kpi-matchmaking" aria-labelledby="mm-h" data-testid="kpi-matchmaking">
            <h2 id="mm-h" class="h-small">{tr!("수출상담회 (1:1 상담) 성과", "Export matchmaking (one-to-one meetings)")}</h2>
            <dl class="facts">
                <dt>{tr!("행사", "Events")}</dt><dd>{f.events}</dd>
                <dt>{tr!("참가자", "Participants")}</dt><dd>{f.participants}</dd>
                <dt>{tr!("진행된 상담", "Meetings held")}</dt>
                <dd>{o.held}{move || pick(lang.get(), format!(" (1인당 {per}건)"), format!(" ({per} per participant)"))}</dd>
                <dt>{tr!("불참", "No-shows")}</dt><dd>{o.no_show}</dd>
                <dt>{tr!("계약 추진", "Contracts in progress")}</dt>
                <dd>{contract_cell(o.in_progress.clone())}</dd>
                <dt>{tr!("계약 체결", "Contracts signed")}</dt>
                <dd>{contract_cell(o.signed.clone())}{(o.signed_on_site > 0).then(|| view! {
                    <br/><span class="tile-sub">{move || pick(lang.get(), format!("현장 체결 {}건", o.signed_on_site), format!("{} signed on site", o.signed_on_site))}</span>
                })}</dd>
            </dl>
            <p class="hint">{tr!("금액은 각 행사에서 정한 환율로 원화 환산한 합계입니다 (환율이 없는 통화가 있으면 입력한 통화별로 보입니다).",
                "Values are summed in won at each event's rates (per currency as entered while a rate is missing).")}</p>
            <h3 class="h-small">{tr!("해외 측 국가별", "By the country of the side from abroad")}</h3>
            {split(f.by_country.clone(), crate::country::country_label, ("국가", "Country"))}
            <h3 class="h-small">{tr!("국내 기업 규모별", "By the size of the Korean firm")}</h3>
            {split(f.by_size.clone(), size_name, ("기업 규모", "Firm size"))}
        </section>
    }
}

fn size_name(key: &str, l: Lang) -> String {
    match SizeBand::from_code(key) {
        Some(b) => {
            let (ko, en) = b.label();
            pick(l, ko, en).to_owned()
        }
        None => pick(l, "규모 모름", "Size not known").to_owned(),
    }
}

fn kind_name(key: &str, l: Lang) -> String {
    let k = match key {
        "firm" => OrgKind::Firm,
        "university" => OrgKind::University,
        "institute" => OrgKind::Institute,
        _ => OrgKind::Agency,
    };
    org_kind(k, l).to_owned()
}

fn stage_name(key: &str, l: Lang) -> String {
    Stage::from_code(key).map_or_else(|| key.to_owned(), |s| problem_text::stage(s, l).to_owned())
}

fn instrument_name(key: &str, l: Lang) -> String {
    HelpKind::from_code(key).map_or_else(
        || pick(l, "지원 수단 미지정", "No instrument set").to_owned(),
        |h| problem_text::help(h, l).to_owned(),
    )
}

#[component]
fn CountTable(rows: Vec<Count>, label: fn(&str, Lang) -> String, link: String) -> impl IntoView {
    let lang = use_lang();
    if rows.is_empty() {
        return view! { <p class="empty">{tr!("이 기간에는 없습니다.", "None in this period.")}</p> }.into_any();
    }
    view! {
        <table class="kpi-counts">
            <tbody>
                {rows.into_iter().map(|c| {
                    let key = c.key.clone();
                    let link = link.clone();
                    view! { <tr><th scope="row">{move || label(&key, lang.get())}</th><td><A href=link>{number(c.count)}</A></td></tr> }
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

/// A bar chart of one monthly series, readable on a phone: the bars scale to the
/// width, every third month is labelled, and the SVG carries its own summary.
#[component]
fn Chart(
    title: (&'static str, &'static str),
    months: Vec<Month>,
    pick_value: fn(&Month) -> i64,
) -> impl IntoView {
    let lang = use_lang();
    let values: Vec<(String, i64)> = months
        .iter()
        .map(|m| (m.month.clone(), pick_value(m)))
        .collect();
    let max = values.iter().map(|v| v.1).max().unwrap_or(0).max(1);
    let total: i64 = values.iter().map(|v| v.1).sum();
    let (w, h, top, bottom) = (320.0_f64, 160.0_f64, 18.0_f64, 22.0_f64);
    let n = values.len().max(1);
    #[allow(clippy::cast_precision_loss)]
    let slot = w / n as f64;
    let every = n.div_ceil(6).max(1);
    let peak = values.iter().max_by_key(|v| v.1).cloned();
    let summary = move || {
        let l = lang.get();
        let (ko, en) = title;
        match &peak {
            Some((m, v)) if *v > 0 => pick(
                l,
                format!("{ko}: 합계 {total}, 가장 많은 달 {m} ({v})"),
                format!("{en}: {total} in all, most in {m} ({v})"),
            ),
            _ => pick(
                l,
                format!("{ko}: 이 기간에는 없습니다"),
                format!("{en}: none in this period"),
            ),
        }
    };
    let id = format!("chart-{}", title.1.replace(' ', "-").to_lowercase());
    let bars = values.into_iter().enumerate().map(|(i, (m, v))| {
        #[allow(clippy::cast_precision_loss)]
        let bh = (h - top - bottom) * v as f64 / max as f64;
        #[allow(clippy::cast_precision_loss)]
        let x = slot * i as f64 + slot * 0.15;
        let y = h - bottom - bh;
        let label = (i % every == 0).then(|| m.get(2..).unwrap_or(&m).replace('-', "."));
        view! {
            <g>
                <rect x=format!("{x:.1}") y=format!("{y:.1}") width=format!("{:.1}", slot * 0.7) height=format!("{bh:.1}") rx="2"><title>{format!("{m}: {v}")}</title></rect>
                {(v > 0 && n <= 18).then(|| view! { <text class="v" x=format!("{:.1}", x + slot * 0.35) y=format!("{:.1}", y - 4.0) text-anchor="middle">{v}</text> })}
                {label.map(|l| view! { <text class="m" x=format!("{:.1}", x + slot * 0.35) y=format!("{:.1}", h - 6.0) text-anchor="middle">{l}</text> })}
            </g>
        }
    }).collect_view();
    view! {
        <figure class="chart">
            <figcaption id=format!("{id}-t")>{move || pick(lang.get(), title.0, title.1)}<span class="chart-total">{move || number(total)}</span></figcaption>
            <svg viewBox=format!("0 0 {w} {h}") role="img" aria-labelledby=format!("{id}-t {id}-d") preserveAspectRatio="none">
                <desc id=format!("{id}-d")>{summary}</desc>
                <line x1="0" x2=w.to_string() y1=format!("{}", h - bottom) y2=format!("{}", h - bottom) class="axis"/>
                {bars}
            </svg>
        </figure>
    }
}
