//! 기업 성과 현황: a firm's yearly figures (sales, exports, R&D spending in
//! 백만원; people), its certifications and industry. The firm's confirmed people
//! enter them, last year's value beside each field, and are asked to check an
//! entry that looks wrong before it is kept; the CMs of its consortia and
//! agency admins read them.

use crate::{
    api,
    components::{
        cards::{ErrorView, Loading},
        form::{FormError, FormState, TextField},
    },
    i18n::{Lang, pick, use_lang},
    load::Load,
    submit::Submit,
    text, tr,
};
use chrono::{Datelike, NaiveDate};
use leptos::prelude::*;
use moim_core::{
    ErrorCode, FieldErrors, OrgId,
    figures::{
        Certification, FIRST_YEAR, FigureWarning, FirmFigures, HeldCertification, SaveYear,
        SetCertifications, SetIndustry, YearFigures, warnings,
    },
    paths,
};

/// This year in Korea.
fn this_year() -> i32 {
    crate::time::kst_day(crate::time::now()).year()
}

/// `1,234` (digits grouped as people read amounts).
fn grouped(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

/// One of the five figures.
struct Figure {
    /// The form field (as the server names it).
    name: &'static str,
    /// Its name (Korean, English).
    ko: &'static str,
    en: &'static str,
    /// Its label, with the unit.
    label: (&'static str, &'static str),
    /// What it counts.
    unit: Unit,
}

const fn figure(
    name: &'static str,
    ko: &'static str,
    en: &'static str,
    label: (&'static str, &'static str),
    unit: Unit,
) -> Figure {
    Figure {
        name,
        ko,
        en,
        label,
        unit,
    }
}

/// What a figure counts.
#[derive(Clone, Copy)]
enum Unit {
    /// 백만원.
    Money,
    /// People.
    People,
    /// Projects.
    Projects,
}

const FIELDS: [Figure; 6] = [
    figure(
        "figures.sales",
        "매출액",
        "Sales",
        ("매출액 (백만원)", "Sales (million won)"),
        Unit::Money,
    ),
    figure(
        "figures.exports",
        "수출액",
        "Exports",
        ("수출액 (백만원)", "Exports (million won)"),
        Unit::Money,
    ),
    figure(
        "figures.rnd_spending",
        "연구개발비",
        "R&D spending",
        ("연구개발비 (백만원)", "R&D spending (million won)"),
        Unit::Money,
    ),
    figure(
        "figures.employees",
        "상시근로자 수",
        "Employees",
        ("상시근로자 수 (명)", "Employees (people)"),
        Unit::People,
    ),
    figure(
        "figures.rnd_staff",
        "연구개발 인력",
        "R&D staff",
        ("연구개발 인력 (명)", "R&D staff (people)"),
        Unit::People,
    ),
    figure(
        "figures.coop_projects",
        "산학연 협력 과제",
        "Cooperation projects",
        (
            "모임 밖 산학연 협력 과제 (건)",
            "Cooperation projects outside Moim (projects)",
        ),
        Unit::Projects,
    ),
];

fn unit(unit: Unit, lang: Lang) -> &'static str {
    match (unit, lang) {
        (Unit::Money, Lang::Ko) => "백만원",
        (Unit::Money, Lang::En) => "million won",
        (Unit::People, Lang::Ko) => "명",
        (Unit::People, Lang::En) => "people",
        (Unit::Projects, Lang::Ko) => "건",
        (Unit::Projects, Lang::En) => "projects",
    }
}

fn value_of(f: &YearFigures, field: &str) -> Option<i64> {
    match field {
        "figures.sales" => f.sales,
        "figures.exports" => f.exports,
        "figures.rnd_spending" => f.rnd_spending,
        "figures.employees" => f.employees,
        "figures.rnd_staff" => f.rnd_staff,
        _ => f.coop_projects,
    }
}

/// The form's text, one string a figure.
#[derive(Clone, Default, PartialEq)]
struct Entry {
    sales: String,
    exports: String,
    rnd_spending: String,
    employees: String,
    rnd_staff: String,
    coop_projects: String,
}

impl Entry {
    fn of(f: Option<&YearFigures>) -> Entry {
        let t = |v: Option<i64>| v.map(|n| n.to_string()).unwrap_or_default();
        let f = f.cloned().unwrap_or_default();
        Entry {
            sales: t(f.sales),
            exports: t(f.exports),
            rnd_spending: t(f.rnd_spending),
            employees: t(f.employees),
            rnd_staff: t(f.rnd_staff),
            coop_projects: t(f.coop_projects),
        }
    }

    /// The figures, and the fields that are not whole numbers.
    fn parse(&self) -> (YearFigures, FieldErrors) {
        let mut e = FieldErrors::default();
        let mut num = |field: &str, s: &str| {
            let s: String = s.chars().filter(|c| !matches!(c, ',' | ' ')).collect();
            if s.is_empty() {
                return None;
            }
            let n = s.parse::<i64>().ok();
            if n.is_none() {
                e.add(field, ErrorCode::InvalidChoice);
            }
            n
        };
        let f = YearFigures {
            sales: num("figures.sales", &self.sales),
            exports: num("figures.exports", &self.exports),
            rnd_spending: num("figures.rnd_spending", &self.rnd_spending),
            employees: num("figures.employees", &self.employees),
            rnd_staff: num("figures.rnd_staff", &self.rnd_staff),
            coop_projects: num("figures.coop_projects", &self.coop_projects),
        };
        (f, e)
    }
}

fn warning_text(w: FigureWarning, field: &str, lang: Lang) -> String {
    let name = FIELDS
        .iter()
        .find(|f| f.name.ends_with(field))
        .map(|f| pick(lang, f.ko, f.en))
        .unwrap_or(field);
    match w {
        FigureWarning::TenfoldChange => match lang {
            Lang::Ko => format!(
                "{name}: 작년의 10배 이상(또는 10분의 1 이하)입니다. 단위가 백만원인지 확인하세요."
            ),
            Lang::En => format!(
                "{name}: ten times last year's or more (or a tenth). Check the unit is million won."
            ),
        },
        FigureWarning::RndAboveSales => pick(
            lang,
            "연구개발비가 매출액보다 큽니다.",
            "R&D spending is above sales.",
        )
        .into(),
        FigureWarning::ExportsAboveSales => pick(
            lang,
            "수출액이 매출액보다 큽니다.",
            "Exports are above sales.",
        )
        .into(),
    }
}

#[component]
pub fn FiguresPage() -> impl IntoView {
    let raw = crate::routing::id_param("id");
    let id = Memo::new(move |_| raw.get().map(OrgId));
    let page = Load::<FirmFigures>::new(move || id.get().map(paths::org_figures));
    // Kept across the reload after a save, which draws the panels anew.
    let kept = Kept {
        year: RwSignal::new(this_year() - 1),
        saved: RwSignal::new(None),
        certs_saved: RwSignal::new(false),
    };
    view! {
        <section class="section narrow">
            <Suspense fallback=Loading>
                {move || page.get().map(|r| match r {
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                    Ok(f) => view! { <Figures f=f kept=kept on_change=Callback::new(move |()| page.refetch())/> }.into_any(),
                })}
            </Suspense>
        </section>
    }
}

/// What the page remembers while its data is loaded again: the year being
/// entered, and what was just saved.
#[derive(Clone, Copy)]
struct Kept {
    year: RwSignal<i32>,
    saved: RwSignal<Option<i32>>,
    certs_saved: RwSignal<bool>,
}

#[component]
fn Figures(f: FirmFigures, kept: Kept, on_change: Callback<()>) -> impl IntoView {
    let lang = use_lang();
    let band = f.size_band.map(|b| b.label());
    let ksic = f.ksic.clone();
    view! {
        <h1>{crate::tr!("기업 성과 현황", "Firm figures")}</h1>
        <p class="lead"><strong>{f.org_name.clone()}</strong>
            {band.map(|(ko, en)| view! { " · "<span class="badge">{move || pick(lang.get(), ko, en)}</span> })}
            {ksic.map(|k| view! { " · "{crate::tr!("산업분류(KSIC) ", "Industry (KSIC) ")}{k} })}
        </p>
        <p class="muted">{crate::tr!(
            "금액은 백만원, 인원은 연말 기준입니다. 이 기업의 확인된 구성원, 소속 협의체의 CM과 추진기관 관리자만 볼 수 있습니다.",
            "Amounts in million won, people at the year's end. Only the firm's confirmed people, the CMs of its consortia and agency admins see these."
        )}</p>
        {f.can_edit.then(|| view! { <YearForm f=f.clone() kept=kept on_change=on_change/> })}
        <YearTable f=f.clone()/>
        <PeersTable f=f.clone()/>
        <CertificationsPanel f=f.clone() saved=kept.certs_saved on_change=on_change/>
        {f.can_edit.then(|| view! { <IndustryForm f=f on_change=on_change/> })}
    }
}

/// Entering one year: last year's value beside each field, warnings before saving.
#[component]
fn YearForm(f: FirmFigures, kept: Kept, on_change: Callback<()>) -> impl IntoView {
    let lang = use_lang();
    let latest = this_year();
    let years = StoredValue::new(f.years.clone());
    let Kept { year, saved, .. } = kept;
    let kept = move |y: i32| {
        years.with_value(|ys| ys.iter().find(|r| r.year == y).map(|r| r.figures.clone()))
    };
    let value = RwSignal::new(Entry::of(kept(year.get_untracked()).as_ref()));
    let confirmed = RwSignal::new(false);
    let form = FormState::new(move || {
        let (figures, mut e) = value.with(Entry::parse);
        let req = SaveYear {
            figures,
            confirmed: true,
        };
        if let Err(more) = moim_core::Validate::validate(&req) {
            e.0.extend(more.0);
        }
        e
    });
    let submit = Submit::for_form(form);
    let doubts = Memo::new(move |_| {
        let (figures, _) = value.with(Entry::parse);
        warnings(&figures, kept(year.get() - 1).as_ref())
    });
    // A tick keeps the values it was given: another value asks again.
    Effect::new(move |prev: Option<()>| {
        value.track();
        if prev.is_some() {
            confirmed.set(false);
        }
    });
    let org = f.org_id;
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(None);
        if !form.submit() {
            return;
        }
        let y = year.get_untracked();
        let req = SaveYear {
            figures: value.with_untracked(Entry::parse).0,
            confirmed: confirmed.get_untracked(),
        };
        submit.run(async move {
            api::orgs::save_year(org, y, &req).await?;
            saved.set(Some(y));
            on_change.run(());
            Ok(())
        });
    };
    let pick_year = move |ev| {
        if let Ok(y) = event_target_value(&ev).parse::<i32>() {
            year.set(y);
            value.set(Entry::of(kept(y).as_ref()));
            confirmed.set(false);
            saved.set(None);
            form.reset();
        }
    };
    let field = move |i: usize| {
        let Figure {
            name,
            label,
            unit: u,
            ..
        } = FIELDS[i];
        let text = match i {
            0 => text!(value.sales),
            1 => text!(value.exports),
            2 => text!(value.rnd_spending),
            3 => text!(value.employees),
            4 => text!(value.rnd_staff),
            _ => text!(value.coop_projects),
        };
        let before = move || {
            let last = kept(year.get() - 1);
            let l = lang.get();
            match last.as_ref().and_then(|p| value_of(p, name)) {
                Some(v) => format!(
                    "{} {} {}",
                    pick(l, "작년", "Last year:"),
                    grouped(v),
                    unit(u, l)
                ),
                None => pick(l, "작년 값 없음", "No value for last year").to_owned(),
            }
        };
        view! {
            <div class="figure-field">
                <TextField form=form name=name prefix="fig" label=label value=text inputmode="numeric" autocomplete="off"/>
                <p class="muted figure-last" data-testid=format!("last-{}", &name[8..])>{before}</p>
            </div>
        }
    };
    view! {
        <form class="panel stack" on:submit=on_submit novalidate aria-labelledby="year-h">
            <h2 id="year-h">{crate::tr!("연도별 실적 입력", "Enter a year's figures")}</h2>
            <div class="field">
                <label for="fig-year">{crate::tr!("연도", "Year")}</label>
                <select id="fig-year" on:change=pick_year prop:value=move || year.get().to_string()>
                    {(FIRST_YEAR.max(latest - 9)..=latest).rev().map(|y| view! {
                        <option value=y.to_string() selected=y == year.get_untracked()>{y.to_string()}</option>
                    }).collect_view()}
                </select>
            </div>
            {(0..FIELDS.len()).map(field).collect_view()}
            <div role="status" class="form-error-slot">
                {move || {
                    let d = doubts.get();
                    (!d.is_empty()).then(|| view! {
                        <div class="alert alert-info" data-testid="figure-warnings">
                            <ul>{d.into_iter().map(|w| view! { <li>{move || warning_text(w.warning, &w.field, lang.get())}</li> }).collect_view()}</ul>
                            <label class="check">
                                <input type="checkbox" prop:checked=confirmed on:change=move |ev| confirmed.set(event_target_checked(&ev))/>
                                " "{crate::tr!("확인했습니다. 이 값이 맞습니다.", "I checked: these values are right.")}
                            </label>
                        </div>
                    })
                }}
            </div>
            <FormError error=submit.error()/>
            {move || saved.get().map(|y| view! {
                <p class="status-line ok" role="status">{move || match lang.get() {
                    Lang::Ko => format!("{y}년 실적을 저장했습니다."),
                    Lang::En => format!("The figures of {y} were saved."),
                }}</p>
            })}
            <button type="submit" class="btn btn-primary" disabled=submit.pending()>{crate::tr!("저장", "Save")}</button>
        </form>
    }
}

/// Every year entered, the newest first.
#[component]
fn YearTable(f: FirmFigures) -> impl IntoView {
    let lang = use_lang();
    if f.years.is_empty() {
        return view! {
            <p class="empty">{crate::tr!("아직 입력한 실적이 없습니다.", "No figures entered yet.")}</p>
        }
        .into_any();
    }
    let cell = |v: Option<i64>| v.map(grouped).unwrap_or_else(|| "–".into());
    view! {
        <section class="panel" aria-labelledby="years-h">
            <h2 id="years-h">{crate::tr!("연도별 실적", "Figures by year")}</h2>
            // Scrolls sideways on a phone: reachable by keyboard, and named.
            <div class="table-wrap" tabindex="0" role="region" aria-labelledby="years-h">
                <table class="roster figures-table" data-testid="figure-years">
                    <caption class="sr-only">{crate::tr!("금액 단위: 백만원", "Amounts in million won")}</caption>
                    <thead><tr>
                        <th scope="col">{crate::tr!("연도", "Year")}</th>
                        {FIELDS.iter().map(|&Figure { ko, en, .. }| view! { <th scope="col">{move || pick(lang.get(), ko, en)}</th> }).collect_view()}
                        <th scope="col">{crate::tr!("입력", "Entered by")}</th>
                    </tr></thead>
                    <tbody>
                        {f.years.into_iter().map(|y| view! {
                            <tr>
                                <th scope="row">{y.year}</th>
                                <td>{cell(y.figures.sales)}</td>
                                <td>{cell(y.figures.exports)}</td>
                                <td>{cell(y.figures.rnd_spending)}</td>
                                <td>{cell(y.figures.employees)}</td>
                                <td>{cell(y.figures.rnd_staff)}</td>
                                <td>{cell(y.figures.coop_projects)}</td>
                                <td class="muted">{y.updated_by.unwrap_or_default()}" "{crate::time::kst_date(y.updated_at)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
    .into_any()
}

/// The firm's own trend beside its consortium's medians, year by year.
#[component]
fn PeersTable(f: FirmFigures) -> impl IntoView {
    let lang = use_lang();
    let Some(peers) = f.peers.filter(|p| !p.years.is_empty()) else {
        return ().into_any();
    };
    let mine = |year: i32| {
        f.years
            .iter()
            .find(|y| y.year == year)
            .map(|y| y.figures.clone())
            .unwrap_or_default()
    };
    #[allow(clippy::cast_possible_truncation)]
    let median = |hidden: bool, v: Option<f64>| {
        if hidden {
            "n < 5".to_owned()
        } else {
            v.map_or_else(|| "–".into(), |v| grouped(v.round() as i64))
        }
    };
    let cell = |v: Option<i64>| v.map_or_else(|| "–".into(), grouped);
    let name = peers.consortium.clone();
    view! {
        <section class="panel" aria-labelledby="peers-h">
            <h2 id="peers-h">{crate::tr!("협의체 중앙값과 비교", "Against the consortium's median")}</h2>
            <p class="muted">{move || match lang.get() {
                Lang::Ko => format!("{name}의 다른 회원 기업 중앙값입니다. 값을 낸 기업이 5곳 미만이면 가립니다 (n < 5)."),
                Lang::En => format!("Medians of the other member firms of {name}. A median fewer than five firms give is withheld (n < 5)."),
            }}</p>
            <div class="table-wrap" tabindex="0" role="region" aria-labelledby="peers-h">
                <table class="roster figures-table" data-testid="figure-peers">
                    <caption class="sr-only">{crate::tr!("우리 기업 / 협의체 중앙값, 금액 단위: 백만원", "This firm / the consortium's median; amounts in million won")}</caption>
                    <thead><tr>
                        <th scope="col">{crate::tr!("연도", "Year")}</th>
                        <th scope="col">{crate::tr!("매출액 (우리 / 중앙값)", "Sales (ours / median)")}</th>
                        <th scope="col">{crate::tr!("연구개발비 (우리 / 중앙값)", "R&D (ours / median)")}</th>
                        <th scope="col">{crate::tr!("상시근로자 (우리 / 중앙값)", "Employees (ours / median)")}</th>
                        <th scope="col">{crate::tr!("기업 수", "Firms")}</th>
                    </tr></thead>
                    <tbody>
                        {peers.years.into_iter().map(|p| {
                            let m = mine(p.year);
                            let few = |name: &str| p.hidden || p.withheld.iter().any(|w| w == name);
                            view! {
                                <tr>
                                    <th scope="row">{p.year}</th>
                                    <td>{format!("{} / {}", cell(m.sales), median(few("sales"), p.sales))}</td>
                                    <td>{format!("{} / {}", cell(m.rnd_spending), median(few("rnd_spending"), p.rnd_spending))}</td>
                                    <td>{format!("{} / {}", cell(m.employees), median(few("employees"), p.employees))}</td>
                                    <td>{p.firms}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
    .into_any()
}

/// One certification's row of the form: held or not, and its dates.
#[derive(Clone, Copy)]
struct CertRow {
    kind: Certification,
    held: RwSignal<bool>,
    on: RwSignal<String>,
    until: RwSignal<String>,
}

/// The certifications held; the firm's people change them.
#[component]
fn CertificationsPanel(
    f: FirmFigures,
    saved: RwSignal<bool>,
    on_change: Callback<()>,
) -> impl IntoView {
    let lang = use_lang();
    let rows: Vec<CertRow> = Certification::ALL
        .iter()
        .map(|&kind| {
            let held = f.certifications.iter().find(|c| c.kind == kind);
            CertRow {
                kind,
                held: RwSignal::new(held.is_some()),
                on: RwSignal::new(held.map(|c| c.certified_on.to_string()).unwrap_or_default()),
                until: RwSignal::new(
                    held.and_then(|c| c.expires_on)
                        .map(|d| d.to_string())
                        .unwrap_or_default(),
                ),
            }
        })
        .collect();
    let rows = StoredValue::new(rows);
    let founded = RwSignal::new(f.founded_on.map(|d| d.to_string()).unwrap_or_default());
    let submit = Submit::new();
    // The kinds sent, in order: the server names a certification's error by
    // its place in what was sent.
    let sent: StoredValue<Vec<Certification>> = StoredValue::new(Vec::new());
    let error = submit.error();
    // The text of the error on `field`, if the last save was refused there
    // (the error is read first: what is read decides what is tracked).
    let field_error = move |field: &dyn Fn() -> Option<String>| {
        let e = error.get()?;
        let crate::api::ClientError::Api(moim_core::ApiError::Validation { fields }) = e else {
            return None;
        };
        let field = field()?;
        fields
            .0
            .into_iter()
            .find(|f| f.field.starts_with(&field))
            .map(|f| crate::i18n::field_error(&f.code, lang.get()))
    };
    let founded_error = move || field_error(&|| Some("founded_on".into()));
    let today = crate::time::kst_day(crate::time::now()).to_string();
    let cert_error = move |kind: Certification| {
        field_error(&|| {
            let i = sent.with_value(|k| k.iter().position(|&k| k == kind))?;
            Some(format!("certifications[{i}]."))
        })
    };
    let org = f.org_id;
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        let day = |s: String| NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok();
        let founded_on = day(founded.get_untracked());
        sent.set_value(rows.with_value(|rs| {
            rs.iter()
                .filter(|r| r.held.get_untracked())
                .map(|r| r.kind)
                .collect()
        }));
        let certifications: Vec<HeldCertification> = rows.with_value(|rs| {
            rs.iter()
                .filter(|r| r.held.get_untracked())
                .map(|r| HeldCertification {
                    kind: r.kind,
                    certified_on: day(r.on.get_untracked()).unwrap_or(NaiveDate::MAX),
                    expires_on: day(r.until.get_untracked()),
                })
                .collect()
        });
        submit.run(async move {
            let req = SetCertifications {
                founded_on: Some(founded_on),
                certifications,
            };
            api::orgs::set_certifications(org, &req).await?;
            saved.set(true);
            on_change.run(());
            Ok(())
        });
    };
    let can_edit = f.can_edit;
    view! {
        <form class="panel stack" on:submit=on_submit novalidate aria-labelledby="cert-h">
            <h2 id="cert-h">{crate::tr!("설립일과 인증 현황", "Founding and certifications")}</h2>
            {if can_edit {
                view! {
                    <div class="field">
                        <label for="cert-founded">{crate::tr!("설립일", "Founded on")}</label>
                        <input type="date" id="cert-founded" prop:value=founded min="1900-01-01" max=today
                            aria-describedby="cert-founded-hint cert-founded-error"
                            aria-invalid=move || founded_error().is_some().to_string()
                            on:input=move |ev| founded.set(event_target_value(&ev))/>
                        <p class="hint" id="cert-founded-hint">{crate::tr!("인증일은 설립일 이후여야 합니다.", "No certification can be dated before it.")}</p>
                        <p class="error" id="cert-founded-error">{founded_error}</p>
                    </div>
                }.into_any()
            } else {
                view! {
                    <p data-testid="founded-on"><strong>{crate::tr!("설립일", "Founded on")}</strong>" "
                        {move || if founded.get().is_empty() { pick(lang.get(), "입력 안 됨", "Not entered").to_owned() } else { founded.get() }}</p>
                }.into_any()
            }}
            <ul class="member-list" data-testid="certifications">
                {rows.get_value().into_iter().map(|r| {
                    let (ko, en) = r.kind.label();
                    let id = r.kind.code();
                    view! {
                        <li>
                            <label class="check">
                                <input type="checkbox" id=format!("cert-{id}") prop:checked=r.held disabled=!can_edit
                                    on:change=move |ev| r.held.set(event_target_checked(&ev))/>
                                " "<strong>{move || pick(lang.get(), ko, en)}</strong>
                            </label>
                            {move || (r.held.get() || !can_edit).then(|| if can_edit {
                                view! {
                                    <div class="row">
                                        <label for=format!("cert-{id}-on")>{crate::tr!("인증일", "Certified on")}</label>
                                        <input type="date" id=format!("cert-{id}-on") prop:value=r.on on:input=move |ev| r.on.set(event_target_value(&ev))
                                            aria-describedby=format!("cert-{id}-error") aria-invalid=move || cert_error(r.kind).is_some().to_string()/>
                                        <label for=format!("cert-{id}-until")>{crate::tr!("만료일", "Valid until")}</label>
                                        <input type="date" id=format!("cert-{id}-until") prop:value=r.until on:input=move |ev| r.until.set(event_target_value(&ev))/>
                                    </div>
                                    <p class="error" id=format!("cert-{id}-error") data-testid=format!("cert-{id}-error")>{move || cert_error(r.kind)}</p>
                                }.into_any()
                            } else {
                                view! {
                                    <p class="muted">{move || if r.held.get() {
                                        format!("{} {}{}", pick(lang.get(), "인증일", "Certified on"), r.on.get(),
                                            if r.until.get().is_empty() { String::new() } else { format!(" – {}", r.until.get()) })
                                    } else {
                                        pick(lang.get(), "없음", "Not held").to_owned()
                                    }}</p>
                                }.into_any()
                            })}
                        </li>
                    }
                }).collect_view()}
            </ul>
            {can_edit.then(|| view! {
                <FormError error=submit.error()/>
                {move || saved.get().then(|| view! { <p class="status-line ok" role="status">{crate::tr!("인증 현황을 저장했습니다.", "The certifications were saved.")}</p> })}
                <button type="submit" class="btn btn-secondary" disabled=submit.pending()>{crate::tr!("인증 현황 저장", "Save the certifications")}</button>
            })}
        </form>
    }
}

/// The firm's industry: its KSIC division.
#[component]
fn IndustryForm(f: FirmFigures, on_change: Callback<()>) -> impl IntoView {
    let ksic = RwSignal::new(f.ksic.clone().unwrap_or_default());
    let form = FormState::new(move || {
        let k = ksic.get();
        let req = SetIndustry {
            ksic: (!k.trim().is_empty()).then(|| k.trim().to_owned()),
        };
        moim_core::Validate::validate(&req)
            .err()
            .unwrap_or_default()
    });
    let submit = Submit::for_form(form);
    let org = f.org_id;
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !form.submit() {
            return;
        }
        let k = ksic.get_untracked();
        let req = SetIndustry {
            ksic: (!k.trim().is_empty()).then(|| k.trim().to_owned()),
        };
        submit.run(async move {
            api::orgs::set_industry(org, &req).await?;
            on_change.run(());
            Ok(())
        });
    };
    view! {
        <form class="panel stack" on:submit=on_submit novalidate aria-labelledby="ksic-h">
            <h2 id="ksic-h">{tr!("산업분류", "Industry")}</h2>
            <TextField form=form name="ksic" prefix="fig" label=("한국표준산업분류 중분류 (두 자리)", "KSIC division (two digits)")
                hint=("예: 29 기타 기계 및 장비 제조업, 26 전자부품·컴퓨터 제조업", "e.g. 29 other machinery and equipment, 26 electronic components and computers")
                value=ksic inputmode="numeric" maxlength=2/>
            <FormError error=submit.error()/>
            <button type="submit" class="btn btn-secondary" disabled=submit.pending()>{tr!("산업분류 저장", "Save the industry")}</button>
        </form>
    }
}
