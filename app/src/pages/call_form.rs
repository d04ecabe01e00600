//! Publishing or changing a call (agency admins): what it selects, its
//! description and budget, its rules, the days of its phases, and its
//! application form (sections of questions, the surveys' editor).

use super::{
    calls::CallError,
    survey_builder::{SectionEditor, error_of},
};
use crate::{
    api,
    components::cards::{ErrorView, Loading},
    components::questions::{next_key, tidy},
    i18n::{Lang, pick, region, use_lang},
    load::Load,
    routing::id_param,
    submit::Submit,
    tr,
};
use chrono::{Duration, NaiveDate};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use moim_core::{
    CallId, FieldErrors, Validate,
    call::{CallDraft, CallKind, CallRules, CallView, DESCRIPTION_MAX, TITLE_MAX},
    evaluation::{CRITERION_MAX, Criterion, usual_criteria},
    paths,
    questionnaire::{Question, QuestionType, Questionnaire, Section},
    reference::Region,
};

fn today() -> NaiveDate {
    crate::time::kst_day(crate::time::now())
}

/// A new call: a theme-cluster call open for a month from today, the
/// programme's usual rules, one required question to start from.
fn blank() -> CallDraft {
    let t = today();
    CallDraft {
        title: String::new(),
        kind: CallKind::ThemeCluster,
        description: String::new(),
        budget_manwon: 50_000,
        rules: CallRules {
            min_firms: Some(10),
            needs_institution: true,
            min_firm_share_pct: Some(20),
            min_project_manwon: Some(1_000),
            region: None,
            open_problem: false,
        },
        opens_on: t,
        closes_on: t + Duration::days(30),
        evaluation_on: t + Duration::days(40),
        announce_on: t + Duration::days(60),
        agreement_on: t + Duration::days(75),
        criteria: usual_criteria(),
        form: Questionnaire {
            sections: vec![Section {
                title: "사업 계획".into(),
                questions: vec![Question {
                    required: true,
                    ..Question::new("q1", "추진 목표와 내용", QuestionType::LongText)
                }],
            }],
        },
    }
}

/// The pages of this module, by address: the admins' call form, or an
/// application.
#[component]
pub fn CallForms() -> impl IntoView {
    let path = leptos_router::hooks::use_location().pathname;
    let application = Memo::new(move |_| path.get().starts_with("/applications/"));
    move || {
        if application.get() {
            view! { <super::application::ApplicationPage/> }.into_any()
        } else {
            view! { <CallForm/> }.into_any()
        }
    }
}

#[component]
fn CallForm() -> impl IntoView {
    let editing = id_param("id").get_untracked().map(CallId);
    let original = Load::<CallView>::new(move || editing.map(paths::call));
    view! {
        <section class="section narrow call-form">
            <h1>{move || if editing.is_some() { tr!("공모 수정", "Edit the call")() } else { tr!("공모 등록", "Publish a call")() }}</h1>
            <Suspense fallback=Loading>
                {move || match editing {
                    None => Some(view! { <Form draft=blank() editing=None/> }.into_any()),
                    Some(_) => original.get().map(|r| match r {
                        Err(e) => view! { <ErrorView error=e/> }.into_any(),
                        Ok(v) => view! { <Form draft=v.call editing=editing/> }.into_any(),
                    }),
                }}
            </Suspense>
        </section>
    }
}

/// An optional whole number: empty is none.
fn whole(s: &str) -> Option<i64> {
    s.trim().replace(',', "").parse().ok()
}

#[component]
fn Form(draft: CallDraft, editing: Option<CallId>) -> impl IntoView {
    let lang = use_lang();
    let d = RwSignal::new(draft);
    let qs = RwSignal::new(d.with_untracked(|x| x.form.clone()));
    let errors = RwSignal::new(FieldErrors::default());
    let saving = Submit::new();
    let navigate = use_navigate();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut req = d.get_untracked();
        req.form = qs.get_untracked();
        for q in req
            .form
            .sections
            .iter_mut()
            .flat_map(|s| s.questions.iter_mut())
        {
            tidy(q);
        }
        if req.kind != CallKind::Support {
            req.rules.open_problem = false;
        }
        if let Err(e) = req.validate() {
            errors.set(e);
            return;
        }
        errors.set(FieldErrors::default());
        let navigate = navigate.clone();
        saving.run(async move {
            let saved = match editing {
                Some(id) => api::calls::replace(id, &req).await,
                None => api::calls::create(&req).await,
            };
            match saved {
                Ok(v) => {
                    navigate(&format!("/calls/{}", v.id), Default::default());
                    Ok(())
                }
                Err(e) => {
                    errors.set(e.fields());
                    Err(e)
                }
            }
        });
    };
    let text = move |id: &'static str,
                     label: (&'static str, &'static str),
                     max: usize,
                     get: fn(&CallDraft) -> String,
                     put: fn(&mut CallDraft, String),
                     multiline: bool| {
        let err = error_of(errors, id.to_owned());
        let input = if multiline {
            view! { <textarea id=format!("call-{id}") rows="6" maxlength=max prop:value=move || d.with(get)
                on:input=move |ev| d.update(|x| put(x, event_target_value(&ev)))
                aria-invalid=move || err.with(Option::is_some).to_string() aria-describedby=format!("call-{id}-error")></textarea> }.into_any()
        } else {
            view! { <input id=format!("call-{id}") type="text" maxlength=max prop:value=move || d.with(get)
                on:input=move |ev| d.update(|x| put(x, event_target_value(&ev)))
                aria-invalid=move || err.with(Option::is_some).to_string() aria-describedby=format!("call-{id}-error")/> }.into_any()
        };
        view! {
            <div class="field" class:invalid=move || err.with(Option::is_some)>
                <label for=format!("call-{id}")>{move || pick(lang.get(), label.0, label.1)}<span class="req" aria-hidden="true">" *"</span></label>
                {input}
                <p class="error" id=format!("call-{id}-error")>{err}</p>
            </div>
        }
    };
    // A number field; `optional`: empty means the rule does not apply.
    let number = move |id: &'static str,
                       label: (&'static str, &'static str),
                       get: fn(&CallDraft) -> Option<i64>,
                       put: fn(&mut CallDraft, Option<i64>)| {
        let err = error_of(errors, id.to_owned());
        view! {
            <div class="field" class:invalid=move || err.with(Option::is_some)>
                <label for=format!("call-{id}")>{move || pick(lang.get(), label.0, label.1)}</label>
                <input id=format!("call-{id}") type="text" inputmode="numeric"
                    prop:value=move || d.with(get).map(|n| n.to_string()).unwrap_or_default()
                    on:input=move |ev| d.update(|x| put(x, whole(&event_target_value(&ev))))
                    aria-invalid=move || err.with(Option::is_some).to_string() aria-describedby=format!("call-{id}-error")/>
                <p class="error" id=format!("call-{id}-error")>{err}</p>
            </div>
        }
    };
    let date = move |id: &'static str,
                     label: (&'static str, &'static str),
                     get: fn(&CallDraft) -> NaiveDate,
                     put: fn(&mut CallDraft, NaiveDate)| {
        let err = error_of(errors, id.to_owned());
        view! {
            <div class="field" class:invalid=move || err.with(Option::is_some)>
                <label for=format!("call-{id}")>{move || pick(lang.get(), label.0, label.1)}</label>
                <input id=format!("call-{id}") type="date" prop:value=move || d.with(get).to_string()
                    on:change=move |ev| if let Some(day) = crate::time::parse_date(&event_target_value(&ev)) { d.update(|x| put(x, day)) }
                    aria-describedby=format!("call-{id}-error")/>
                <p class="error" id=format!("call-{id}-error")>{err}</p>
            </div>
        }
    };
    let sections_error = error_of(errors, "form.sections".into());
    view! {
        <form class="call-form" on:submit=on_submit novalidate>
            {text("title", ("공모명", "Title"), TITLE_MAX, |x| x.title.clone(), |x, v| x.title = v, false)}
            <fieldset class="field">
                <legend>{tr!("공모 유형", "What it selects")}</legend>
                <div class="choices">
                    {CallKind::ALL.iter().map(|k| {
                        let k = *k;
                        view! { <label class="choice"><input type="radio" name="call-kind" prop:checked=move || d.with(|x| x.kind == k)
                            on:change=move |_| d.update(|x| x.kind = k)/>{move || super::calls::kind_label(k, lang.get())}</label> }
                    }).collect_view()}
                </div>
            </fieldset>
            {text("description", ("공고 내용", "Description"), DESCRIPTION_MAX, |x| x.description.clone(), |x, v| x.description = v, true)}
            {number("budget_manwon", ("예산 (만원)", "Budget (10,000 won)"), |x| Some(x.budget_manwon), |x, v| x.budget_manwon = v.unwrap_or_default())}
            <fieldset class="field">
                <legend>{tr!("신청 요건 (비워 두면 적용하지 않음)", "Rules (empty: not applied)")}</legend>
                {number("rules.min_firms", ("최소 참여 기업 수", "Firms at least"), |x| x.rules.min_firms, |x, v| x.rules.min_firms = v)}
                <label class="check"><input type="checkbox" prop:checked=move || d.with(|x| x.rules.needs_institution)
                    on:change=move |ev| { let on = event_target_checked(&ev); d.update(|x| x.rules.needs_institution = on) }/>
                    {tr!("대학·연구기관·지원기관 1곳 이상", "At least one university, institute or agency")}</label>
                {number("rules.min_firm_share_pct", ("기업 부담 비율 최소 (%)", "Firms' share at least (%)"), |x| x.rules.min_firm_share_pct, |x, v| x.rules.min_firm_share_pct = v)}
                {number("rules.min_project_manwon", ("최소 총사업비 (만원)", "Project at least (10,000 won)"), |x| x.rules.min_project_manwon, |x, v| x.rules.min_project_manwon = v)}
                <div class="field">
                    <label for="call-region">{tr!("대상 권역", "Region")}</label>
                    <select id="call-region" on:change=move |ev| { let r = Region::from_code(&event_target_value(&ev)); d.update(|x| x.rules.region = r); }>
                        <option value="" selected=move || d.with(|x| x.rules.region.is_none())>{tr!("전국", "Everywhere")}</option>
                        {Region::ALL.into_iter().map(|r| view! {
                            <option value=r.code() selected=move || d.with(|x| x.rules.region == Some(r))>{move || region(r, lang.get())}</option>
                        }).collect_view()}
                    </select>
                </div>
                <Show when=move || d.with(|x| x.kind == CallKind::Support)>
                    <label class="check"><input type="checkbox" prop:checked=move || d.with(|x| x.rules.open_problem)
                        on:change=move |ev| { let on = event_target_checked(&ev); d.update(|x| x.rules.open_problem = on) }/>
                        {tr!("진행 중인 애로과제가 있는 기업만", "Only for a published, open problem")}</label>
                </Show>
            </fieldset>
            <fieldset class="field">
                <legend>{tr!("일정", "Phases")}</legend>
                <div class="row call-days">
                    {date("opens_on", ("접수 시작", "Applications open"), |x| x.opens_on, |x, v| x.opens_on = v)}
                    {date("closes_on", ("접수 마감", "Deadline"), |x| x.closes_on, |x, v| x.closes_on = v)}
                    {date("evaluation_on", ("평가 시작", "Evaluation starts"), |x| x.evaluation_on, |x, v| x.evaluation_on = v)}
                    {date("announce_on", ("선정 발표", "Announcement"), |x| x.announce_on, |x, v| x.announce_on = v)}
                    {date("agreement_on", ("협약", "Agreements"), |x| x.agreement_on, |x, v| x.agreement_on = v)}
                </div>
            </fieldset>
            <Criteria d=d errors=errors/>
            <h2>{tr!("신청서 양식", "Application form")}</h2>
            <p class="error">{sections_error}</p>
            <For each=move || 0..qs.with(|x| x.sections.len()) key=|s| *s let:s>
                <SectionEditor d=qs s=s errors=errors root="form"/>
            </For>
            <button type="button" class="btn btn-secondary btn-sm" on:click=move |_| qs.update(|x| {
                let key = next_key(x);
                x.sections.push(Section { title: String::new(), questions: vec![Question::new(key, "", QuestionType::LongText)] });
            })>{tr!("+ 구역 추가", "+ Add a section")}</button>
            <CallError error=saving.error()/>
            {move || (!errors.with(FieldErrors::is_empty)).then(|| view! {
                <p class="alert alert-error" role="alert">{tr!("고칠 곳이 있습니다. 표시된 항목을 확인하세요.", "Some fields need fixing: see the marked ones.")}</p>
            })}
            <button type="submit" class="btn btn-primary btn-block" disabled=saving.pending()>
                {move || match (editing.is_some(), lang.get()) {
                    (true, l) => pick(l, "저장", "Save"),
                    (false, l) => pick(l, "공모 게시", "Publish"),
                }}
            </button>
        </form>
    }
}

/// The evaluation criteria: each named, weighted and scored out of its
/// highest; the weights add up to 100.
#[component]
fn Criteria(d: RwSignal<CallDraft>, errors: RwSignal<FieldErrors>) -> impl IntoView {
    let lang = use_lang();
    let sum_error = error_of(errors, "criteria".into());
    let count = move || d.with(|x| x.criteria.len());
    let sum = move || d.with(|x| x.criteria.iter().map(|c| c.weight).sum::<i64>());
    let set = move |i: usize, f: Box<dyn FnOnce(&mut Criterion)>| {
        d.update(|x| {
            if let Some(c) = x.criteria.get_mut(i) {
                f(c)
            }
        })
    };
    let number = |s: String| s.trim().parse::<i64>().unwrap_or(0);
    view! {
        <fieldset class="field criteria">
            <legend>{tr!("평가 기준 (가중치 합 100)", "Evaluation criteria (weights add up to 100)")}</legend>
            <For each=move || 0..count() key=|i| *i let:i>
                <div class="row criterion">
                    <div class="field">
                        <label for=format!("crit-{i}-name")>{move || match lang.get() { Lang::Ko => format!("기준 {}", i + 1), Lang::En => format!("Criterion {}", i + 1) }}</label>
                        <input id=format!("crit-{i}-name") type="text" maxlength=CRITERION_MAX
                            prop:value=move || d.with(|x| x.criteria.get(i).map(|c| c.name.clone()).unwrap_or_default())
                            on:input=move |ev| { let v = event_target_value(&ev); set(i, Box::new(move |c| c.name = v)) }/>
                    </div>
                    <div class="field">
                        <label for=format!("crit-{i}-weight")>{tr!("가중치", "Weight")}</label>
                        <input id=format!("crit-{i}-weight") type="text" inputmode="numeric" class="short"
                            prop:value=move || d.with(|x| x.criteria.get(i).map(|c| c.weight.to_string()).unwrap_or_default())
                            on:input=move |ev| { let v = number(event_target_value(&ev)); set(i, Box::new(move |c| c.weight = v)) }/>
                    </div>
                    <div class="field">
                        <label for=format!("crit-{i}-max")>{tr!("만점", "Out of")}</label>
                        <input id=format!("crit-{i}-max") type="text" inputmode="numeric" class="short"
                            prop:value=move || d.with(|x| x.criteria.get(i).map(|c| c.max.to_string()).unwrap_or_default())
                            on:input=move |ev| { let v = number(event_target_value(&ev)); set(i, Box::new(move |c| c.max = v)) }/>
                    </div>
                    <button type="button" class="btn btn-secondary btn-sm" on:click=move |_| d.update(|x| { if i < x.criteria.len() { x.criteria.remove(i); } })
                        aria-label=move || match lang.get() { Lang::Ko => format!("기준 {} 삭제", i + 1), Lang::En => format!("Remove criterion {}", i + 1) }>{tr!("삭제", "Remove")}</button>
                </div>
            </For>
            <p class="status-line" class:ok=move || sum() == 100 aria-live="polite">{move || match lang.get() {
                Lang::Ko => format!("가중치 합 {}", sum()),
                Lang::En => format!("Weights add up to {}", sum()),
            }}</p>
            <p class="error" id="call-criteria-error">{sum_error}</p>
            <button type="button" class="btn btn-secondary btn-sm" on:click=move |_| d.update(|x| x.criteria.push(Criterion { name: String::new(), weight: 0, max: 10 }))>
                {tr!("+ 기준 추가", "+ Add a criterion")}</button>
        </fieldset>
    }
}
