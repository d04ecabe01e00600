//! The cockpit's headline numbers (성과 지표): a baseline year next to the
//! current one, for the whole group of member firms, by size band and by
//! consortium. A figure resting on fewer than five firms reads "n < 5" for
//! anyone but an admin; every figure says how many firms it rests on.

use crate::{
    components::cards::{ErrorView, Loading},
    i18n::{Lang, number, pick, use_lang},
    load::Load,
    routing::{list_href, list_query},
    time::{kst_day, now},
    tr,
};
use leptos::prelude::*;
use leptos_router::components::A;
use moim_core::{
    ConsortiumId,
    figures::{FIRST_YEAR, SizeBand},
    headline::{
        FIRMS_PER_PAGE, FirmPart, HeadlineFigure, HeadlineFirm, HeadlineFirms, HeadlineQuery,
        HeadlineRow, HeadlineTable, Headlines, Stat, YearStats,
    },
    kpi::CockpitQuery,
    paths,
};

/// How a figure reads.
#[derive(Clone, Copy)]
enum Fmt {
    /// A count.
    Count,
    /// Percent.
    Share,
    /// Two decimals.
    Ratio,
    /// 백만원.
    Money,
}

fn show(s: Stat, fmt: Fmt) -> String {
    if s.hidden {
        return "n < 5".into();
    }
    let Some(v) = s.value else {
        return "–".into();
    };
    match fmt {
        #[allow(clippy::cast_possible_truncation)]
        Fmt::Count => number(v.round() as i64),
        Fmt::Share => format!("{v:.1}%"),
        Fmt::Ratio => format!("{v:.2}"),
        Fmt::Money => grouped(v),
    }
}

/// `v` to one decimal, its thousands grouped: `1,014.6`.
fn grouped(v: f64) -> String {
    let tenths = (v * 10.0).round();
    #[allow(clippy::cast_possible_truncation)]
    let whole = (tenths / 10.0).trunc() as i64;
    let sign = if tenths < 0.0 && whole == 0 { "-" } else { "" };
    format!("{sign}{}.{}", number(whole), (tenths.abs() % 10.0) as u8)
}

/// The change from `a` to `b`, when both are shown.
fn change(a: Stat, b: Stat, fmt: Fmt) -> String {
    match (a.value, b.value) {
        (Some(a), Some(b)) => {
            let d = b - a;
            let sign = if d > 0.0 { "+" } else { "" };
            match fmt {
                Fmt::Count => format!("{sign}{d:.0}"),
                Fmt::Share => format!("{sign}{d:.1}%p"),
                Fmt::Ratio => format!("{sign}{d:.2}"),
                Fmt::Money => format!("{sign}{}", grouped(d)),
            }
        }
        _ => "–".into(),
    }
}

/// One line of the headline table: its name, how to read it, and the figure
/// whose firms it rests on.
type Line = (
    &'static str,
    (&'static str, &'static str),
    fn(&YearStats) -> Stat,
    Fmt,
    HeadlineFigure,
);

const LINES: [Line; 6] = [
    (
        "share",
        (
            "산학연 협력 참여 기업 비율",
            "Firms cooperating with academia",
        ),
        |y| y.cooperation_share,
        Fmt::Share,
        HeadlineFigure::Cooperation,
    ),
    (
        "projects",
        ("기업당 협력 과제", "Cooperation projects per firm"),
        |y| y.projects_per_firm,
        Fmt::Ratio,
        HeadlineFigure::Cooperation,
    ),
    (
        "rnd-mean",
        (
            "기업당 연구개발비 평균 (백만원)",
            "R&D per firm, mean (million won)",
        ),
        |y| y.rnd_mean,
        Fmt::Money,
        HeadlineFigure::Rnd,
    ),
    (
        "rnd-median",
        (
            "기업당 연구개발비 (중앙값)",
            "R&D spending per firm (median)",
        ),
        |y| y.rnd_median,
        Fmt::Money,
        HeadlineFigure::Rnd,
    ),
    (
        "innovative",
        (
            "혁신형 중소기업 (연말 인증)",
            "Innovative SMEs (certified at year end)",
        ),
        |y| y.innovative,
        Fmt::Count,
        HeadlineFigure::Innovative,
    ),
    (
        "cooperating",
        ("협력 참여 기업 수", "Firms cooperating"),
        |y| y.cooperating,
        Fmt::Count,
        HeadlineFigure::Cooperation,
    ),
];

/// Growth lines: the members' and their industries'.
type GrowthLine = (
    &'static str,
    (&'static str, &'static str),
    fn(&YearStats) -> (Stat, Stat),
    HeadlineFigure,
);

const GROWTH: [GrowthLine; 3] = [
    (
        "sales",
        ("매출 증가율", "Sales growth"),
        |y| (y.sales_growth.members, y.sales_growth.industry),
        HeadlineFigure::Sales,
    ),
    (
        "exports",
        ("수출 증가율", "Exports growth"),
        |y| (y.exports_growth.members, y.exports_growth.industry),
        HeadlineFigure::Exports,
    ),
    (
        "employees",
        ("고용 증가율", "Employment growth"),
        |y| (y.employees_growth.members, y.employees_growth.industry),
        HeadlineFigure::Employees,
    ),
];

/// The address of the firms behind `figure` in the numbers of `q` (of one
/// size band or consortium, and of one of its two years, if given).
fn firms_href(
    q: &HeadlineQuery,
    figure: HeadlineFigure,
    band: Option<SizeBand>,
    consortium: Option<ConsortiumId>,
    year: Option<i32>,
) -> String {
    list_href(
        "/cockpit/firms",
        &CockpitQuery {
            consortium: consortium.or(q.consortium),
            region: if consortium.is_some() {
                None
            } else {
                q.region.clone()
            },
            baseline: Some(q.baseline),
            current: Some(q.current),
            ksic: q.ksic.clone(),
            figure: Some(figure),
            band,
            year,
            ..CockpitQuery::default()
        },
    )
}

/// The headline numbers for `query`, with the year and industry choices.
#[component]
pub fn HeadlineNumbers(
    query: Memo<HeadlineQuery>,
    latest: i32,
    admin: Signal<bool>,
    on_change: Callback<HeadlineQuery>,
) -> impl IntoView {
    let lang = use_lang();
    let report = Load::<Headlines>::new(move || Some(paths::headlines(&query.get())));
    let years = move || (FIRST_YEAR.max(latest - 15)..=latest).rev();
    let set = move |f: fn(&mut HeadlineQuery, String)| {
        move |ev: leptos::ev::Event| {
            let mut q = query.get_untracked();
            f(&mut q, event_target_value(&ev));
            on_change.run(q);
        }
    };
    let csv = move |t: HeadlineTable| paths::headlines_csv(&query.get(), t);
    let bad_ksic = RwSignal::new(false);
    view! {
        <section class="headlines" aria-labelledby="hl-h">
            <h2 id="hl-h">{tr!("성과 지표: 기준년 대비", "Headline numbers: baseline against now")}</h2>
            <p class="hint">{tr!(
                "회원 기업이 입력한 연간 실적(연간 성과조사)과 모임의 협력 기록, 업종 평균으로 계산합니다. 관리자가 아니면 기업 5곳 미만에 기대는 값은 \"n < 5\"로 가립니다.",
                "Computed from the yearly figures member firms enter (the yearly survey), the collaborations recorded in Moim and industry averages. For anyone but an admin, a figure resting on fewer than five firms reads \"n < 5\"."
            )}</p>
            <form class="cockpit-filters" on:submit=|ev| ev.prevent_default()>
                <div class="field">
                    <label for="hl-baseline">{tr!("기준년", "Baseline year")}</label>
                    <select id="hl-baseline" prop:value=move || query.get().baseline.to_string()
                        on:change=set(|q, v| if let Ok(y) = v.parse() { q.baseline = y })>
                        {move || years().filter(|y| *y < query.get().current).map(|y| view! { <option value=y.to_string()>{y}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="hl-current">{tr!("비교년", "Current year")}</label>
                    <select id="hl-current" prop:value=move || query.get().current.to_string()
                        on:change=set(|q, v| if let Ok(y) = v.parse::<i32>() {
                            q.current = y;
                            if q.baseline >= y { q.baseline = y - 1 }
                        })>
                        {move || years().filter(|y| *y > FIRST_YEAR).map(|y| view! { <option value=y.to_string()>{y}</option> }).collect_view()}
                    </select>
                </div>
                // The split by industry is the agency's (beside the whole
                // group it would give a few firms of other industries away).
                <Show when=move || admin.get()>
                <div class="field">
                    <label for="hl-ksic">{tr!("산업분류(KSIC 중분류)", "Industry (KSIC division)")}</label>
                    <input id="hl-ksic" type="text" inputmode="numeric" maxlength="2" autocomplete="off" placeholder="29"
                        aria-describedby="hl-ksic-hint" aria-invalid=move || bad_ksic.get().to_string()
                        prop:value=move || query.get().ksic.unwrap_or_default()
                        on:change=move |ev| {
                            let v = event_target_value(&ev).trim().to_owned();
                            let ok = v.is_empty() || moim_core::figures::is_ksic(&v);
                            bad_ksic.set(!ok);
                            if ok {
                                let mut q = query.get_untracked();
                                q.ksic = Some(v).filter(|k| !k.is_empty());
                                on_change.run(q);
                            }
                        }/>
                    <p class="hint" id="hl-ksic-hint" class:error=move || bad_ksic.get()>{move || if bad_ksic.get() {
                        pick(lang.get(), "두 자리 숫자(01–99)로 입력하세요. 비우면 모든 업종입니다.", "Two digits (01–99); empty for every industry.")
                    } else {
                        pick(lang.get(), "두 자리, 비우면 모든 업종", "Two digits; empty for every industry")
                    }}</p>
                </div>
                </Show>
            </form>
            {move || match report.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(e)) => view! { <ErrorView error=e/> }.into_any(),
                Some(Ok(h)) => view! { <Tables h=h q=query.get() csv=csv admin=admin lang=lang/> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn Tables(
    h: Headlines,
    q: HeadlineQuery,
    csv: impl Fn(HeadlineTable) -> String + Copy + Send + Sync + 'static,
    admin: Signal<bool>,
    lang: RwSignal<Lang>,
) -> impl IntoView {
    let (b, c) = (h.total.baseline.clone(), h.total.current.clone());
    let (by, cy) = (b.year, c.year);
    let n_of = move |s: Stat| pick(lang.get(), format!("{}곳", s.n), format!("n = {}", s.n));
    // How many firms a figure rests on, as a link to them.
    let firms_of = {
        let q = StoredValue::new(q.clone());
        move |s: Stat, figure: HeadlineFigure, year: i32| {
            let href = q.with_value(|q| firms_href(q, figure, None, None, Some(year)));
            view! { <A href=href attr:class="hl-n" attr:title=move || pick(lang.get(), "근거 기업 보기", "See the firms")>{move || n_of(s)}</A> }
        }
    };
    let lines = LINES.into_iter().map(|(key, (ko, en), get, fmt, figure)| {
        let (sb, sc) = (get(&b), get(&c));
        view! {
            <tr data-testid=format!("hl-{key}")>
                <th scope="row">{move || pick(lang.get(), ko, en)}</th>
                <td><span class="hl-v">{move || show(sb, fmt)}</span><span class="sr-only">", "</span>{firms_of(sb, figure, by)}</td>
                <td><span class="hl-v">{move || show(sc, fmt)}</span><span class="sr-only">", "</span>{firms_of(sc, figure, cy)}</td>
                <td class="hl-change">{change(sb, sc, fmt)}</td>
            </tr>
        }
    }).collect_view();
    let growth = GROWTH.into_iter().map(|(key, (ko, en), get, figure)| {
        let ((mb, ib), (mc, ic)) = (get(&b), get(&c));
        let cell = move |m: Stat, i: Stat, year: i32| {
            view! {
                <td>
                    <span class="hl-v">{move || show(m, Fmt::Share)}</span>
                    <span class="sr-only">", "</span>
                    <span class="hl-n">{move || pick(lang.get(), format!("업종 {}", show(i, Fmt::Share)), format!("industry {}", show(i, Fmt::Share)))}</span>
                    <span class="sr-only">", "</span>
                    {firms_of(m, figure, year)}
                </td>
            }
        };
        view! {
            <tr data-testid=format!("hl-{key}")>
                <th scope="row">{move || pick(lang.get(), ko, en)}<span class="hl-n">{tr!("전년 대비 (업종 평균)", "on the year before (industry average)")}</span></th>
                {cell(mb, ib, by)}
                {cell(mc, ic, cy)}
                <td class="hl-change">{change(ic, mc, Fmt::Share)}{move || (mc.value.is_some() && ic.value.is_some()).then(|| view! { <span class="sr-only">" "</span><span class="hl-n">{pick(lang.get(), "업종 대비", "vs industry")}</span> })}</td>
            </tr>
        }
    }).collect_view();
    let scope = h.scope.clone();
    let ksic = h.ksic.clone();
    let firms = (b.firms, c.firms);
    view! {
        <p class="scope" data-testid="hl-scope">{scope}{ksic.map(|k| format!(" · KSIC {k}"))}</p>
        <div class="table-wrap" tabindex="0" role="region" aria-labelledby="hl-caption">
            <table class="headline-table" data-testid="headline-table">
                <caption id="hl-caption">{move || pick(lang.get(), format!("{by}년 대비 {cy}년 성과 지표"), format!("Headline numbers, {cy} against {by}"))}</caption>
                <thead><tr>
                    <th scope="col">{tr!("지표", "Figure")}</th>
                    <th scope="col">{format!("{by}")}</th>
                    <th scope="col">{format!("{cy}")}</th>
                    <th scope="col">{tr!("변화", "Change")}</th>
                </tr></thead>
                <tbody>
                    <tr data-testid="hl-firms">
                        <th scope="row">{tr!("회원 기업", "Member firms")}</th>
                        <td>{number(firms.0)}</td>
                        <td>{number(firms.1)}</td>
                        <td class="hl-change">{change(Stat::of(1, Some(firms.0 as f64)), Stat::of(1, Some(firms.1 as f64)), Fmt::Count)}</td>
                    </tr>
                    {lines}
                    {growth}
                </tbody>
            </table>
        </div>
        <p class="downloads">
            <a class="btn btn-secondary btn-sm" href=csv(HeadlineTable::Bands) download="" data-testid="csv-headlines">{tr!("성과 지표 CSV (규모별)", "Headline numbers (CSV, by size)")}</a>
            " "
            <a class="btn btn-secondary btn-sm" href=csv(HeadlineTable::Consortia) download="">{tr!("협의체별 CSV", "By consortium (CSV)")}</a>
            <Show when=move || admin.get()>
                " "<A href="/admin#averages" attr:class="btn btn-tertiary btn-sm">{tr!("업종 평균 올리기", "Upload industry averages")}</A>
            </Show>
        </p>
        <h3 class="h-small" id="hl-bands-h">{tr!("규모별 (소기업이 사업의 주 대상)", "By size (small firms are the programme's target)")}</h3>
        <Split rows=std::iter::once(h.total.clone()).chain(h.bands).collect() q=q.clone() lang=lang labelled="hl-bands-h" testid="hl-bands"/>
        {(!h.consortia.is_empty()).then(|| view! {
            <h3 class="h-small" id="hl-consortia-h">{tr!("협의체별", "By consortium")}</h3>
            <Split rows=h.consortia q=q lang=lang labelled="hl-consortia-h" testid="hl-consortia"/>
        })}
    }
}

/// Groups side by side: firms, share cooperating, R&D mean, innovative SMEs
/// and sales growth, each as baseline → current.
#[component]
fn Split(
    rows: Vec<HeadlineRow>,
    q: HeadlineQuery,
    lang: RwSignal<Lang>,
    labelled: &'static str,
    testid: &'static str,
) -> impl IntoView {
    let pair = move |a: Stat, b: Stat, fmt: Fmt| {
        view! { <td>{move || format!("{} → {}", show(a, fmt), show(b, fmt))}</td> }
    };
    let cy = rows.first().map_or(0, |r| r.current.year);
    let by = rows.first().map_or(0, |r| r.baseline.year);
    let body = rows
        .into_iter()
        .map(|r| {
            let name = match (r.size_band, r.consortium) {
                (Some(band), _) => {
                    let (ko, en) = band.label();
                    view! { <th scope="row">{move || pick(lang.get(), ko, en)}</th> }.into_any()
                }
                (None, Some(c)) => view! { <th scope="row"><A href=format!("/consortia/{c}")>{r.label.clone()}</A></th> }.into_any(),
                (None, None) => view! { <th scope="row">{tr!("전체", "All")}</th> }.into_any(),
            };
            let href = firms_href(&q, HeadlineFigure::Cooperation, r.size_band, r.consortium, None);
            let (b, c) = (r.baseline, r.current);
            view! {
                <tr>
                    {name}
                    <td><A href=href>{format!("{} → {}", number(b.firms), number(c.firms))}</A></td>
                    {pair(b.cooperation_share, c.cooperation_share, Fmt::Share)}
                    {pair(b.rnd_mean, c.rnd_mean, Fmt::Money)}
                    {pair(b.innovative, c.innovative, Fmt::Count)}
                    <td>{move || format!("{} ({})", show(c.sales_growth.members, Fmt::Share), show(c.sales_growth.industry, Fmt::Share))}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-labelledby=labelled>
            <table class="headline-split" data-testid=testid>
                <caption class="sr-only">{move || pick(lang.get(), format!("{by}년 → {cy}년 값", ), format!("Values, {by} → {cy}"))}</caption>
                <thead><tr>
                    <th scope="col">{tr!("구분", "Group")}</th>
                    <th scope="col">{tr!("기업 수", "Firms")}</th>
                    <th scope="col">{tr!("협력 참여율", "Cooperating")}</th>
                    <th scope="col">{tr!("연구개발비 평균 (백만원)", "R&D mean (million won)")}</th>
                    <th scope="col">{tr!("혁신형 중소기업", "Innovative SMEs")}</th>
                    <th scope="col">{move || pick(lang.get(), format!("{cy}년 매출 증가율 (업종 평균)"), format!("Sales growth {cy} (industry)"))}</th>
                </tr></thead>
                <tbody>{body}</tbody>
            </table>
        </div>
    }
}

/// One firm's part in `figure` in a year, in words.
fn part_text(figure: HeadlineFigure, p: &FirmPart, lang: Lang) -> String {
    let dash = || "–".to_owned();
    let growth = |now: Option<i64>, before: Option<i64>, unit: &str| match (now, before) {
        (Some(n), Some(b)) if b > 0 => {
            #[allow(clippy::cast_precision_loss)]
            let g = (n as f64 / b as f64 - 1.0) * 100.0;
            format!("{}{unit} → {}{unit} ({g:+.1}%)", number(b), number(n))
        }
        (Some(n), _) => format!("{}{unit}", number(n)),
        _ => dash(),
    };
    let people = pick(lang, "명", "");
    match figure {
        HeadlineFigure::Cooperation if p.cooperating() => {
            let declared = p.coop_projects.unwrap_or(0);
            let parts = [
                (p.collaborations > 0).then(|| match lang {
                    Lang::Ko => format!("모임 협력 {}건", p.collaborations),
                    Lang::En => format!("{} in Moim", p.collaborations),
                }),
                (declared > 0).then(|| match lang {
                    Lang::Ko => format!("신고 과제 {declared}건"),
                    Lang::En => format!("{declared} declared"),
                }),
            ];
            parts.into_iter().flatten().collect::<Vec<_>>().join(" · ")
        }
        HeadlineFigure::Cooperation => pick(lang, "없음", "None").to_owned(),
        HeadlineFigure::Rnd => p.rnd_spending.map_or_else(dash, number),
        HeadlineFigure::Innovative if p.innovative => pick(lang, "인증", "Certified").to_owned(),
        HeadlineFigure::Innovative => dash(),
        HeadlineFigure::Sales => growth(p.sales, p.sales_before, ""),
        HeadlineFigure::Exports => growth(p.exports, p.exports_before, ""),
        HeadlineFigure::Employees => growth(p.employees, p.employees_before, people),
    }
}

/// The records behind the headline numbers (`/cockpit/firms`): the member
/// firms a figure rests on, each with its part in both years and a link to
/// its figures.
#[component]
pub fn FirmsBehind() -> impl IntoView {
    let lang = use_lang();
    let address = list_query::<CockpitQuery>();
    let query = Memo::new(move |_| address.get().to_headlines(kst_day(now())));
    let firms = Memo::new(move |_| address.get().to_firms());
    let report =
        Load::<HeadlineFirms>::new(move || Some(paths::headline_firms(&query.get(), &firms.get())));
    let back = move || {
        let a = address.get();
        list_href(
            "/cockpit",
            &CockpitQuery {
                figure: None,
                band: None,
                page: None,
                ..a
            },
        )
    };
    let to = move |figure: HeadlineFigure, page: Option<u32>| {
        list_href(
            "/cockpit/firms",
            &CockpitQuery {
                figure: Some(figure),
                page,
                ..address.get()
            },
        )
    };
    let chosen = move || firms.get().figure.unwrap_or(HeadlineFigure::Cooperation);
    view! {
        <section class="section cockpit">
            <div class="page-head">
                <p><A href=back>{tr!("← 성과 현황", "← KPI cockpit")}</A></p>
                <h1>{tr!("성과 지표의 근거 기업", "The firms behind the headline numbers")}</h1>
                <p class="lead">{tr!(
                    "지표가 기대는 회원 기업과 두 해의 값입니다. 기업 이름을 누르면 그 기업의 성과 현황으로 갑니다.",
                    "The member firms a figure rests on, with their values in both years. A firm's name leads to its figures."
                )}</p>
            </div>
            <nav class="presets" aria-label=tr!("지표 선택", "Figures")>
                {HeadlineFigure::ALL.iter().map(|&f| {
                    let (ko, en) = f.label();
                    let current = move || (chosen() == f).then_some("page");
                    view! { <a class="chip" href=move || to(f, None) aria-current=current>{move || pick(lang.get(), ko, en)}</a> }
                }).collect_view()}
            </nav>
            {move || address.get().year.map(|_| {
                let both = list_href("/cockpit/firms", &CockpitQuery { year: None, page: None, ..address.get() });
                view! { <p><A href=both>{tr!("두 해에 셈한 기업 모두 보기", "Firms counted in either year")}</A></p> }
            })}
            {move || match report.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(e)) => view! { <ErrorView error=e/> }.into_any(),
                Some(Ok(r)) => view! { <FirmsTable r=r lang=lang to=to/> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn FirmsTable(
    r: HeadlineFirms,
    lang: RwSignal<Lang>,
    to: impl Fn(HeadlineFigure, Option<u32>) -> String + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let (figure, by, cy, year) = (r.figure, r.baseline, r.current, r.year);
    let (fko, fen) = figure.label();
    let band = r.band.map(SizeBand::label);
    let first = (r.page - 1) * FIRMS_PER_PAGE + 1;
    let last = (first + i64::try_from(r.firms.len()).unwrap_or(0) - 1).max(0);
    let total = r.total;
    let page = u32::try_from(r.page).unwrap_or(1);
    let more = last < total;
    let rows = r
        .firms
        .into_iter()
        .map(|f: HeadlineFirm| {
            let size = f.size_band.map(SizeBand::label);
            let href = format!("/orgs/{}/figures", f.org_id);
            view! {
                <tr>
                    <th scope="row">
                        <A href=href>{f.name}</A>
                        <span class="hl-n">{move || size.map(|(ko, en)| pick(lang.get(), ko, en)).unwrap_or("–")}{f.ksic.clone().map(|k| format!(" · KSIC {k}"))}</span>
                    </th>
                    <td>{move || part_text(figure, &f.baseline, lang.get())}</td>
                    <td>{move || part_text(figure, &f.current, lang.get())}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <p class="scope" data-testid="firms-scope">
            {r.scope}" · "{move || pick(lang.get(), fko, fen)}
            {move || band.map(|(ko, en)| format!(" · {}", pick(lang.get(), ko, en)))}
            {move || year.map(|y| pick(lang.get(), format!(" · {y}년에 셈한 기업"), format!(" · firms counted in {y}")))}
        </p>
        <p data-testid="firms-total">{move || if first > last {
            pick(lang.get(), format!("기업 {}곳", number(total)), format!("{} firms", number(total)))
        } else {
            pick(lang.get(),
                format!("기업 {}곳 중 {}–{}", number(total), number(first), number(last)),
                format!("{}–{} of {} firms", number(first), number(last), number(total)))
        }}</p>
        <div class="table-wrap" tabindex="0" role="region" aria-labelledby="firms-caption">
            <table class="headline-split firms-behind" data-testid="firms-table">
                <caption id="firms-caption">{move || pick(lang.get(), format!("{fko}: {by}년과 {cy}년"), format!("{fen}: {by} and {cy}"))}</caption>
                <thead><tr>
                    <th scope="col">{tr!("기업 (규모 · 업종)", "Firm (size · industry)")}</th>
                    <th scope="col">{format!("{by}")}</th>
                    <th scope="col">{format!("{cy}")}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <nav class="pager" aria-label=tr!("쪽", "Pages")>
            {(page > 1).then(|| view! { <a class="btn btn-secondary btn-sm" href=to(figure, Some(page - 1).filter(|p| *p > 1)) rel="prev">{tr!("이전", "Previous")}</a> })}
            " "
            {more.then(|| view! { <a class="btn btn-secondary btn-sm" href=to(figure, Some(page + 1)) rel="next">{tr!("다음", "Next")}</a> })}
        </nav>
    }
}
