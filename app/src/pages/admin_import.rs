//! Bringing the programme's existing members in: the admin picks a CSV or XLSX
//! file, checks it (every problem by line and column, and what it will create),
//! then imports it; each new person is invited by mail to set a password. And
//! the industry averages the cockpit compares member firms' growth with.

use crate::{
    api,
    components::form::FormError,
    i18n::{Lang, pick, use_lang},
    load::Load,
    submit::Submit,
    tr,
};
use chrono::Datelike;
use leptos::prelude::*;
use moim_core::{
    headline::{AVERAGE_COLUMNS, Averages, AveragesReport},
    paths,
    registry::{IMPORT_COLUMNS, ImportIssue, ImportProblem, ImportReport},
};

/// The largest file the server takes (`routes/admin.rs`).
const IMPORT_MAX_BYTES: f64 = 8.0 * 1024.0 * 1024.0;

fn issue_text(lang: Lang, issue: ImportIssue) -> &'static str {
    use ImportIssue as I;
    match issue {
        I::Required => pick(lang, "비어 있습니다", "Empty"),
        I::TooLong => pick(lang, "너무 깁니다", "Too long"),
        I::ControlCharacters => pick(
            lang,
            "줄바꿈 같은 제어 문자가 있습니다",
            "Has a line break or control character",
        ),
        I::InvalidEmail => pick(lang, "이메일 주소가 아닙니다", "Not an email address"),
        I::InvalidBusinessNumber => pick(
            lang,
            "올바른 사업자등록번호가 아닙니다",
            "Not a valid business number",
        ),
        I::UnknownKind => pick(
            lang,
            "기업·대학·연구기관·지원기관 중 하나가 아닙니다",
            "Not firm, university, institute or agency",
        ),
        I::UnknownComplex => pick(
            lang,
            "그런 산업단지가 없습니다",
            "No such industrial complex",
        ),
        I::UnknownConsortium => pick(lang, "그런 협의체가 없습니다", "No such consortium"),
        I::DuplicateEmail => pick(
            lang,
            "위의 줄에 같은 이메일이 있습니다",
            "The same email is on an earlier line",
        ),
        I::EmailElsewhere => pick(
            lang,
            "다른 기관의 계정이 쓰는 이메일입니다",
            "An account of another organisation has this email",
        ),
        I::AmbiguousOrganisation => pick(
            lang,
            "같은 이름의 기관이 여럿입니다: 사업자등록번호를 넣으세요",
            "Several organisations have this name: add the business number",
        ),
        I::ConflictingOrganisation => pick(
            lang,
            "같은 기관이 다른 유형이나 산업단지로 적혀 있습니다",
            "The same organisation is given another kind or complex",
        ),
        I::UnknownColumn => pick(lang, "모르는 열 제목입니다", "Unknown column header"),
        I::MissingColumn => pick(
            lang,
            "꼭 있어야 하는 열이 없습니다",
            "A required column is missing",
        ),
        I::Unreadable => pick(
            lang,
            "CSV나 XLSX 파일로 읽을 수 없습니다",
            "Not a CSV or XLSX file that can be read",
        ),
        I::NotANumber => pick(lang, "숫자가 아닙니다", "Not a number"),
        I::OutOfRange => pick(
            lang,
            "받을 수 있는 범위를 벗어났습니다",
            "Outside the range the column takes",
        ),
        I::InvalidKsic => pick(
            lang,
            "산업분류(KSIC) 중분류 두 자리가 아닙니다",
            "Not a two-digit KSIC division",
        ),
        I::DuplicateRow => pick(
            lang,
            "위의 줄에 같은 업종·연도가 있습니다",
            "The same industry and year are on an earlier line",
        ),
        I::Empty => pick(
            lang,
            "제목 줄 아래에 내용이 없습니다",
            "No rows under the header",
        ),
        I::TooManyRows => pick(
            lang,
            "한 번에 10,000줄까지 가져옵니다",
            "At most 10,000 rows at a time",
        ),
    }
}

/// A template to fill in: the headers and one example row, UTF-8 with its BOM
/// so Excel opens the Korean right.
fn template_href() -> String {
    let header: Vec<&str> = IMPORT_COLUMNS.iter().map(|(ko, _, _)| *ko).collect();
    let csv = format!(
        "\u{feff}{}\n대성금형,기업,123-45-67891,창원,창원 공작기계 미니클러스터,박지훈,park@daesung.example,생산기술팀\n",
        header.join(",")
    );
    format!(
        "data:text/csv;charset=utf-8,{}",
        String::from(js_sys::encode_uri_component(&csv))
    )
}

/// The import panel of the admin page; `on_change` after an import.
#[component]
pub fn ImportPanel(on_change: Callback<()>) -> impl IntoView {
    let lang = use_lang();
    let file = StoredValue::new_local(None::<web_sys::File>);
    let chosen = RwSignal::new(None::<String>);
    let report = RwSignal::new(None::<ImportReport>);
    let too_big = RwSignal::new(false);
    let submit = Submit::new();
    let on_file = move |ev: leptos::ev::Event| {
        let input = event_target::<web_sys::HtmlInputElement>(&ev);
        let picked = input.files().and_then(|f| f.get(0));
        report.set(None);
        too_big.set(picked.as_ref().is_some_and(|f| f.size() > IMPORT_MAX_BYTES));
        chosen.set(picked.as_ref().map(web_sys::File::name));
        file.set_value(picked);
    };
    let send = move |dry_run: bool| {
        let Some(f) = file.get_value() else {
            return;
        };
        submit.run(async move {
            let r = api::admin::import(&f, dry_run).await?;
            if r.imported {
                on_change.run(());
            }
            report.set(Some(r));
            Ok(())
        });
    };
    let clean = move || {
        report.with(|r| {
            r.as_ref()
                .is_some_and(|r| r.problems.is_empty() && !r.imported)
        })
    };
    view! {
        <section class="panel" aria-labelledby="import-h">
            <h2 id="import-h">{tr!("회원 일괄 등록", "Import members")}</h2>
            <p class="hint">{tr!(
                "기존 회원 명부(CSV 또는 XLSX)를 올리면 기관과 사람, 협의체 참여를 한 번에 등록합니다. 먼저 확인만 하고, 문제가 없을 때 가져옵니다. 새로 등록된 사람에게는 비밀번호를 정하는 초대 메일이 갑니다. 같은 파일을 다시 올려도 바뀌는 것은 없습니다.",
                "Upload the register of members (CSV or XLSX) to register organisations, their people and their consortia at once. Check it first; import when nothing is wrong. Each new person is mailed an invitation to set a password. The same file again changes nothing."
            )}</p>
            <p class="hint">
                {tr!("열: ", "Columns: ")}
                {IMPORT_COLUMNS.iter().map(|(ko, en, required)| {
                    let mark = if *required { " *" } else { "" };
                    view! { <code>{format!("{ko} / {en}{mark}")}</code>" " }
                }).collect_view()}
                {tr!("(* 필수, 협의체는 ;로 구분)", "(* required; consortia separated by ;)")}
            </p>
            <p><a class="btn btn-secondary" download="moim-import.csv" href=template_href()>{tr!("양식 내려받기 (CSV)", "Download the template (CSV)")}</a></p>
            <div class="row">
                <label class="field">
                    <span class="label">{tr!("명부 파일", "Register file")}</span>
                    <input id="import-file" type="file" accept=".csv,.txt,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" on:change=on_file/>
                </label>
            </div>
            <p class="error" role="alert">{move || too_big.get().then(|| pick(lang.get(), "파일이 8MB를 넘습니다.", "The file is over 8 MB."))}</p>
            <div class="actions">
                <button type="button" class="btn btn-secondary"
                    disabled=move || chosen.with(Option::is_none) || too_big.get() || submit.pending().get()
                    on:click=move |_| send(true)>{tr!("확인하기", "Check")}</button>
                <button type="button" class="btn btn-primary"
                    disabled=move || !clean() || submit.pending().get()
                    on:click=move |_| send(false)>{tr!("가져오기", "Import")}</button>
            </div>
            <FormError error=submit.error()/>
            <div role="status" aria-live="polite">
                {move || report.get().map(|r| view! { <ReportView report=r lang=lang.get()/> })}
            </div>
        </section>
    }
}

#[component]
fn ReportView(report: ImportReport, lang: Lang) -> impl IntoView {
    let summary = if report.imported {
        pick(lang, "가져왔습니다.", "Imported.")
    } else if report.problems.is_empty() {
        pick(
            lang,
            "문제가 없습니다. 가져오기를 누르면 아래대로 등록됩니다.",
            "Nothing is wrong. Import registers the following.",
        )
    } else {
        pick(
            lang,
            "문제가 있어 아무것도 등록하지 않았습니다. 파일을 고쳐 다시 올려 주세요.",
            "Nothing was registered: put the file right and upload it again.",
        )
    };
    let class = if report.problems.is_empty() {
        "status-line ok"
    } else {
        "alert alert-error"
    };
    let count = |ko: &'static str, en: &'static str, new: u32, there: u32| {
        view! {
            <li>{pick(lang, ko, en)}": "
                <strong>{pick(lang, format!("새로 {new}"), format!("{new} new"))}</strong>
                {pick(lang, format!(", 이미 있음 {there}"), format!(", {there} there already"))}
            </li>
        }
    };
    let problems = report.problems.clone();
    view! {
        <p class=class data-testid="import-summary">{summary}</p>
        <ul class="plain" data-testid="import-counts">
            <li>{pick(lang, format!("읽은 줄: {}", report.rows), format!("Rows read: {}", report.rows))}</li>
            {count("기관", "Organisations", report.organisations_new, report.organisations_existing)}
            {count("회원 (초대 메일)", "People (invited by mail)", report.people_new, report.people_existing)}
            {count("협의체 참여", "Consortium memberships", report.memberships_new, report.memberships_existing)}
        </ul>
        <ProblemsTable problems=problems lang=lang/>
    }
}

/// Every problem of a file, by line and column.
#[component]
fn ProblemsTable(problems: Vec<ImportProblem>, lang: Lang) -> impl IntoView {
    view! {
            {(!problems.is_empty()).then(|| view! {
            <div class="table-wrap">
                <table class="table" data-testid="import-problems">
                    <caption>{pick(lang, "문제 목록", "Problems")}</caption>
                    <thead><tr>
                        <th scope="col">{pick(lang, "줄", "Line")}</th>
                        <th scope="col">{pick(lang, "열", "Column")}</th>
                        <th scope="col">{pick(lang, "문제", "Problem")}</th>
                        <th scope="col">{pick(lang, "내용", "Value")}</th>
                    </tr></thead>
                    <tbody>
                        {problems.into_iter().map(|p| view! {
                            <tr>
                                <td>{if p.line == 0 { pick(lang, "파일", "File").to_owned() } else { p.line.to_string() }}</td>
                                <td>{p.column}</td>
                                <td>{issue_text(lang, p.issue)}</td>
                                <td>{p.value}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        })}
    }
}

/// The averages template: the headers and two example rows.
fn averages_template() -> String {
    let header: Vec<&str> = AVERAGE_COLUMNS.iter().map(|(ko, _, _)| *ko).collect();
    let year = crate::time::kst_day(crate::time::now()).year() - 1;
    let csv = format!(
        "\u{feff}{}\n29,{year},3.2,5.1,0.8\n30,{year},-1.4,2.0,-0.5\n",
        header.join(",")
    );
    format!(
        "data:text/csv;charset=utf-8,{}",
        String::from(js_sys::encode_uri_component(&csv))
    )
}

/// The industry averages panel of the admin page: the growth of each KSIC
/// division's sales, exports and employees a year, from official statistics,
/// against which the cockpit sets the member firms' growth.
#[component]
pub fn AveragesPanel() -> impl IntoView {
    let lang = use_lang();
    let file = StoredValue::new_local(None::<web_sys::File>);
    let chosen = RwSignal::new(false);
    let report = RwSignal::new(None::<AveragesReport>);
    let submit = Submit::new();
    let kept = Load::<Averages>::new(|| Some(paths::INDUSTRY_AVERAGES.to_owned()));
    let on_file = move |ev: leptos::ev::Event| {
        let input = event_target::<web_sys::HtmlInputElement>(&ev);
        let picked = input.files().and_then(|f| f.get(0));
        report.set(None);
        chosen.set(picked.is_some());
        file.set_value(picked);
    };
    let send = move |dry_run: bool| {
        let Some(f) = file.get_value() else {
            return;
        };
        submit.run(async move {
            let r = api::admin::upload_averages(&f, dry_run).await?;
            if r.imported {
                kept.refetch();
            }
            report.set(Some(r));
            Ok(())
        });
    };
    let clean = move || {
        report.with(|r| {
            r.as_ref()
                .is_some_and(|r| r.problems.is_empty() && !r.imported)
        })
    };
    let years = move || {
        let mut by_year: Vec<(i32, usize)> = Vec::new();
        if let Some(Ok(a)) = kept.get() {
            for r in a.averages {
                match by_year.last_mut() {
                    Some((y, n)) if *y == r.year => *n += 1,
                    _ => by_year.push((r.year, 1)),
                }
            }
        }
        by_year
    };
    view! {
        <section class="panel" id="averages" aria-labelledby="averages-h">
            <h2 id="averages-h">{tr!("업종 평균 성장률", "Industry averages")}</h2>
            <p class="hint">{tr!(
                "공식 통계의 업종(KSIC 중분류)별 매출·수출·고용 증가율(%)을 올리면, 성과 현황이 회원 기업의 성장률을 업종 평균과 나란히 보여 줍니다. 파일에 있는 연도는 그 연도의 값 전체가 한 번에 바뀝니다.",
                "Upload each KSIC division's growth of sales, exports and employees (%) from official statistics; the cockpit sets the member firms' growth beside it. Each year in the file replaces that year's figures at once."
            )}</p>
            <p class="hint">
                {tr!("열: ", "Columns: ")}
                {AVERAGE_COLUMNS.iter().map(|(ko, en, required)| {
                    let mark = if *required { " *" } else { "" };
                    view! { <code>{format!("{ko} / {en}{mark}")}</code>" " }
                }).collect_view()}
            </p>
            <p class="hint">{tr!(
                "증가율은 3.5처럼 백분율 숫자로 적습니다. 엑셀의 백분율(%) 서식 셀은 0.035로 읽히므로 쓰지 마세요.",
                "Growth as a percent number such as 3.5. Excel cells formatted as percent are read as 0.035: do not use that format."
            )}</p>
            <p><a class="btn btn-secondary" download="moim-industry-averages.csv" href=averages_template()>{tr!("양식 내려받기 (CSV)", "Download the template (CSV)")}</a></p>
            <div class="row">
                <label class="field">
                    <span class="label">{tr!("업종 평균 파일", "Averages file")}</span>
                    <input id="averages-file" type="file" accept=".csv,.txt,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" on:change=on_file/>
                </label>
            </div>
            <div class="actions">
                <button type="button" class="btn btn-secondary"
                    disabled=move || !chosen.get() || submit.pending().get()
                    on:click=move |_| send(true)>{tr!("확인하기", "Check")}</button>
                <button type="button" class="btn btn-primary"
                    disabled=move || !clean() || submit.pending().get()
                    on:click=move |_| send(false)>{tr!("올리기", "Upload")}</button>
            </div>
            <FormError error=submit.error()/>
            <div role="status" aria-live="polite">
                {move || report.get().map(|r| {
                    let l = lang.get();
                    let years = r.years.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ");
                    let (class, text) = if r.imported {
                        ("status-line ok", pick(l, format!("{years}년 업종 평균을 바꿨습니다 ({}줄).", r.rows), format!("Replaced the averages of {years} ({} rows).", r.rows)))
                    } else if r.problems.is_empty() {
                        ("status-line ok", pick(l, format!("문제가 없습니다. 올리기를 누르면 {years}년 값이 바뀝니다 ({}줄).", r.rows), format!("Nothing is wrong. Upload replaces the figures of {years} ({} rows).", r.rows)))
                    } else {
                        ("alert alert-error", pick(l, "문제가 있어 아무것도 바꾸지 않았습니다. 파일을 고쳐 다시 올려 주세요.".to_owned(), "Nothing was changed: put the file right and upload it again.".to_owned()))
                    };
                    view! {
                        <p class=class data-testid="averages-summary">{text}</p>
                        <ProblemsTable problems=r.problems lang=l/>
                    }
                })}
            </div>
            <p class="muted" data-testid="averages-kept">{move || {
                let y = years();
                let l = lang.get();
                if y.is_empty() {
                    pick(l, "아직 올린 업종 평균이 없습니다.", "No industry averages uploaded yet.").to_owned()
                } else {
                    let list = y.iter().map(|(y, n)| pick(l, format!("{y}년 {n}개 업종"), format!("{y}: {n} divisions"))).collect::<Vec<_>>().join(" · ");
                    pick(l, format!("보관 중: {list}"), format!("Kept: {list}"))
                }
            }}</p>
        </section>
    }
}
