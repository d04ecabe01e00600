//! The cockpit's headline numbers (성과 지표): a baseline year next to the
//! current one, for the whole group of member firms, by size band and by
//! consortium. A figure resting on fewer than five firms reads "n < 5" for
//! anyone but an admin; every figure says how many firms it rests on.

use crate::{
    components::cards::{ErrorView, Loading},
    i18n::{Lang, number, pick, use_lang},
    load::Load,
    tr,
};
use leptos::prelude::*;
use leptos_router::components::A;
use moim_core::{
    figures::FIRST_YEAR,
    headline::{HeadlineQuery, HeadlineRow, HeadlineTable, Headlines, Stat, YearStats},
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

/// One line of the headline table: its name and how to read it.
type Line = (
    &'static str,
    (&'static str, &'static str),
    fn(&YearStats) -> Stat,
    Fmt,
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
    ),
    (
        "projects",
        ("기업당 협력 과제", "Cooperation projects per firm"),
        |y| y.projects_per_firm,
        Fmt::Ratio,
    ),
    (
        "rnd-mean",
        (
            "기업당 연구개발비 평균 (백만원)",
            "R&D per firm, mean (million won)",
        ),
        |y| y.rnd_mean,
        Fmt::Money,
    ),
    (
        "rnd-median",
        (
            "기업당 연구개발비 (중앙값)",
            "R&D spending per firm (median)",
        ),
        |y| y.rnd_median,
        Fmt::Money,
    ),
    (
        "innovative",
        (
            "혁신형 중소기업 (연말 인증)",
            "Innovative SMEs (certified at year end)",
        ),
        |y| y.innovative,
        Fmt::Count,
    ),
    (
        "cooperating",
        ("협력 참여 기업 수", "Firms cooperating"),
        |y| y.cooperating,
        Fmt::Count,
    ),
];

/// Growth lines: the members' and their industries'.
type GrowthLine = (
    &'static str,
    (&'static str, &'static str),
    fn(&YearStats) -> (Stat, Stat),
);

const GROWTH: [GrowthLine; 3] = [
    ("sales", ("매출 증가율", "Sales growth"), |y| {
        (y.sales_growth.members, y.sales_growth.industry)
    }),
    ("exports", ("수출 증가율", "Exports growth"), |y| {
        (y.exports_growth.members, y.exports_growth.industry)
    }),
    (
        "employees",
        ("고용 증가율", "Employment growth"),
        |y| (y.employees_growth.members, y.employees_growth.industry),
    ),
];

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
                Some(Ok(h)) => view! { <Tables h=h csv=csv admin=admin lang=lang/> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn Tables(
    h: Headlines,
    csv: impl Fn(HeadlineTable) -> String + Copy + Send + Sync + 'static,
    admin: Signal<bool>,
    lang: RwSignal<Lang>,
) -> impl IntoView {
    let (b, c) = (h.total.baseline.clone(), h.total.current.clone());
    let (by, cy) = (b.year, c.year);
    let n_of = move |s: Stat| pick(lang.get(), format!("{}곳", s.n), format!("n = {}", s.n));
    let lines = LINES.into_iter().map(|(key, (ko, en), get, fmt)| {
        let (sb, sc) = (get(&b), get(&c));
        view! {
            <tr data-testid=format!("hl-{key}")>
                <th scope="row">{move || pick(lang.get(), ko, en)}</th>
                <td><span class="hl-v">{move || show(sb, fmt)}</span><span class="sr-only">", "</span><span class="hl-n">{move || n_of(sb)}</span></td>
                <td><span class="hl-v">{move || show(sc, fmt)}</span><span class="sr-only">", "</span><span class="hl-n">{move || n_of(sc)}</span></td>
                <td class="hl-change">{change(sb, sc, fmt)}</td>
            </tr>
        }
    }).collect_view();
    let growth = GROWTH.into_iter().map(|(key, (ko, en), get)| {
        let ((mb, ib), (mc, ic)) = (get(&b), get(&c));
        let cell = move |m: Stat, i: Stat| {
            view! {
                <td>
                    <span class="hl-v">{move || show(m, Fmt::Share)}</span>
                    <span class="sr-only">", "</span>
                    <span class="hl-n">{move || pick(lang.get(), format!("업종 {}", show(i, Fmt::Share)), format!("industry {}", show(i, Fmt::Share)))}</span>
                    <span class="sr-only">", "</span>
                    <span class="hl-n">{move || n_of(m)}</span>
                </td>
            }
        };
        view! {
            <tr data-testid=format!("hl-{key}")>
                <th scope="row">{move || pick(lang.get(), ko, en)}<span class="hl-n">{tr!("전년 대비 (업종 평균)", "on the year before (industry average)")}</span></th>
                {cell(mb, ib)}
                {cell(mc, ic)}
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
        <Split rows=std::iter::once(h.total.clone()).chain(h.bands).collect() lang=lang labelled="hl-bands-h" testid="hl-bands"/>
        {(!h.consortia.is_empty()).then(|| view! {
            <h3 class="h-small" id="hl-consortia-h">{tr!("협의체별", "By consortium")}</h3>
            <Split rows=h.consortia lang=lang labelled="hl-consortia-h" testid="hl-consortia"/>
        })}
    }
}

/// Groups side by side: firms, share cooperating, R&D mean, innovative SMEs
/// and sales growth, each as baseline → current.
#[component]
fn Split(
    rows: Vec<HeadlineRow>,
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
            let (b, c) = (r.baseline, r.current);
            view! {
                <tr>
                    {name}
                    <td>{format!("{} → {}", number(b.firms), number(c.firms))}</td>
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
