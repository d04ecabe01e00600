//! Writing a survey: whom it goes to (an admin: the programme, a region or
//! consortia; a CM: consortia they manage), who answers, its days and its
//! reminder, then its sections and questions — each of a kind, required or
//! not, perhaps asked only after an earlier answer. Also a survey being
//! changed (while nobody has answered) and a copy of one (`?from=`).

use super::surveys::{SurveyError, kind_label};
use crate::{
    api,
    components::cards::{ErrorView, Loading},
    i18n::{Lang, field_error, pick, use_lang},
    load::Load,
    routing::{id_param, query_param},
    state::use_session,
    submit::Submit,
    tr,
};
use chrono::{Datelike, Duration, NaiveDate};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use moim_core::{
    ConsortiumId, FieldErrors, SurveyId, Validate,
    figures::FigureField,
    idea::ConsortiumTag,
    paths,
    questionnaire::{
        Answer, Condition, OPTION_MAX, QUESTION_MAX, Question, QuestionType, Questionnaire,
        SECTION_TITLE_MAX, Section, UNIT_MAX,
    },
    reference::Region,
    survey::{
        Audience, DESCRIPTION_MAX, Respondent, SurveyDraft, SurveyScope, SurveyView, TITLE_MAX,
        yearly_survey,
    },
};

fn today() -> NaiveDate {
    crate::time::kst_day(crate::time::now())
}

/// A new survey: for the consortia the writer manages, open today for two
/// weeks, a reminder three days before, one yes/no question to start from.
fn blank(consortia: Vec<ConsortiumId>) -> SurveyDraft {
    let first = Question {
        required: true,
        ..Question::new("q1", "", QuestionType::YesNo)
    };
    SurveyDraft {
        title: String::new(),
        description: None,
        scope: SurveyScope::Consortia,
        region: None,
        consortia,
        audience: Audience::Firms,
        respondent: Respondent::Organisation,
        opens_on: today(),
        closes_on: today() + Duration::days(14),
        remind_days: Some(3),
        questionnaire: Questionnaire {
            sections: vec![Section {
                title: String::new(),
                questions: vec![first],
            }],
        },
        figures_year: None,
    }
}

/// The next free key (`q7`).
fn next_key(q: &Questionnaire) -> String {
    let n = q
        .questions()
        .filter_map(|x| x.key.strip_prefix('q').and_then(|n| n.parse::<u32>().ok()))
        .max()
        .unwrap_or(0);
    format!("q{}", n + 1)
}

#[component]
pub fn SurveyBuilder() -> impl IntoView {
    let editing = id_param("id").get_untracked().map(SurveyId);
    let from = query_param("from")
        .get_untracked()
        .and_then(|f| f.parse::<i64>().ok())
        .map(SurveyId);
    let source = editing.or(from);
    let original = Load::<SurveyView>::new(move || source.map(paths::survey));
    let choices = Load::<Vec<ConsortiumTag>>::new(|| Some(paths::SCHEDULABLE.to_owned()));
    view! {
        <section class="section narrow survey-builder">
            <h1>{move || match (editing, from) {
                (Some(_), _) => tr!("설문 수정", "Edit survey")(),
                (None, Some(_)) => tr!("설문 복사", "Copy a survey")(),
                _ => tr!("새 설문", "New survey")(),
            }}</h1>
            <Suspense fallback=Loading>
                {move || {
                    let tags = choices.get()?;
                    let start = match source {
                        Some(_) => Some(original.get()?),
                        None => None,
                    };
                    Some(match (tags, start) {
                        (Err(e), _) | (_, Some(Err(e))) => view! { <ErrorView error=e/> }.into_any(),
                        (Ok(tags), start) => {
                            let draft = match start {
                                Some(Ok(v)) if editing.is_some() => v.survey,
                                Some(Ok(v)) => {
                                    // A copy: the same questions, new days.
                                    let mut d = v.survey;
                                    d.title = format!("{} (사본)", d.title);
                                    let length = (d.closes_on - d.opens_on).num_days();
                                    d.opens_on = today();
                                    d.closes_on = today() + Duration::days(length.max(0));
                                    d
                                }
                                _ => blank(tags.first().map(|t| vec![t.id]).unwrap_or_default()),
                            };
                            view! { <Builder draft=draft tags=tags editing=editing/> }.into_any()
                        }
                    })
                }}
            </Suspense>
        </section>
    }
}

/// The form's field errors under `field`, worded.
fn error_of(errors: RwSignal<FieldErrors>, field: String) -> Signal<Option<String>> {
    let lang = use_lang();
    Signal::derive(move || errors.with(|e| e.get(&field).map(|c| field_error(c, lang.get()))))
}

#[component]
fn Builder(
    draft: SurveyDraft,
    tags: Vec<ConsortiumTag>,
    editing: Option<SurveyId>,
) -> impl IntoView {
    let lang = use_lang();
    let admin = use_session()
        .me
        .get_untracked()
        .is_some_and(|m| m.is_admin());
    let d = RwSignal::new(draft);
    // The choices of each question as typed, one a line.
    let errors = RwSignal::new(FieldErrors::default());
    let saving = Submit::new();
    let navigate = use_navigate();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut req = d.get_untracked();
        for q in req
            .questionnaire
            .sections
            .iter_mut()
            .flat_map(|s| s.questions.iter_mut())
        {
            q.options = q
                .options
                .iter()
                .map(|o| o.trim().to_owned())
                .filter(|o| !o.is_empty())
                .collect();
            if q.help.as_deref().is_some_and(|h| h.trim().is_empty()) {
                q.help = None;
            }
            if q.unit.as_deref().is_some_and(|u| u.trim().is_empty()) {
                q.unit = None;
            }
        }
        if req
            .description
            .as_deref()
            .is_some_and(|t| t.trim().is_empty())
        {
            req.description = None;
        }
        if let Err(e) = req.validate() {
            errors.set(e);
            return;
        }
        errors.set(FieldErrors::default());
        let navigate = navigate.clone();
        saving.run(async move {
            let saved = match editing {
                Some(id) => api::surveys::replace(id, &req).await,
                None => api::surveys::create(&req).await,
            };
            match saved {
                Ok(v) => {
                    navigate(&format!("/surveys/{}", v.id), Default::default());
                    Ok(())
                }
                Err(e) => {
                    errors.set(e.fields());
                    Err(e)
                }
            }
        });
    };
    let text_input = move |id: &'static str,
                           label: (&'static str, &'static str),
                           max: usize,
                           get: fn(&SurveyDraft) -> String,
                           put: fn(&mut SurveyDraft, String),
                           multiline: bool| {
        let err = error_of(errors, id.to_owned());
        let input = if multiline {
            view! { <textarea id=format!("sv-{id}") rows="3" maxlength=max prop:value=move || d.with(get)
                on:input=move |ev| d.update(|x| put(x, event_target_value(&ev)))
                aria-describedby=format!("sv-{id}-error")></textarea> }.into_any()
        } else {
            view! { <input id=format!("sv-{id}") type="text" maxlength=max prop:value=move || d.with(get)
                on:input=move |ev| d.update(|x| put(x, event_target_value(&ev)))
                aria-invalid=move || err.with(Option::is_some).to_string() aria-describedby=format!("sv-{id}-error")/> }.into_any()
        };
        view! {
            <div class="field" class:invalid=move || err.with(Option::is_some)>
                <label for=format!("sv-{id}")>{move || pick(lang.get(), label.0, label.1)}{(!multiline).then(|| view! { <span class="req" aria-hidden="true">" *"</span> })}</label>
                {input}
                <p class="error" id=format!("sv-{id}-error")>{err}</p>
            </div>
        }
    };
    let date_input = move |id: &'static str,
                           label: (&'static str, &'static str),
                           get: fn(&SurveyDraft) -> NaiveDate,
                           put: fn(&mut SurveyDraft, NaiveDate)| {
        let err = error_of(errors, id.to_owned());
        view! {
            <div class="field">
                <label for=format!("sv-{id}")>{move || pick(lang.get(), label.0, label.1)}</label>
                <input id=format!("sv-{id}") type="date" prop:value=move || d.with(get).to_string()
                    on:change=move |ev| if let Some(day) = crate::time::parse_date(&event_target_value(&ev)) { d.update(|x| put(x, day)) }
                    aria-describedby=format!("sv-{id}-error")/>
                <p class="error" id=format!("sv-{id}-error")>{err}</p>
            </div>
        }
    };
    let consortia_error = error_of(errors, "consortia".into());
    let region_error = error_of(errors, "region".into());
    let sections_error = error_of(errors, "questionnaire.sections".into());
    let figures_year_error = error_of(errors, "figures_year".into());
    // The yearly performance survey: last year's figures, cooperation and
    // satisfaction, for the same target.
    let yearly = move |_| {
        d.update(|x| {
            let y = yearly_survey(today().year() - 1, today(), today() + Duration::days(30));
            *x = SurveyDraft {
                scope: x.scope,
                region: x.region,
                consortia: std::mem::take(&mut x.consortia),
                ..y
            };
        });
        errors.set(FieldErrors::default());
    };
    view! {
        <form class="survey-builder-form" on:submit=on_submit novalidate>
            {editing.is_none().then(|| view! {
                <div class="alert alert-info template-offer">
                    <p>{tr!(
                        "연간 성과조사 양식: 작년 기업 실적(매출·수출·연구개발비·인력), 모임 밖 산학연 협력, 협의체 활동 만족도를 묻고, 제출된 실적을 각 기업의 성과 현황에 기록합니다.",
                        "The yearly performance survey: last year's figures (sales, exports, R&D, people), cooperation outside Moim and satisfaction; submitted figures are written to each firm's record."
                    )}</p>
                    <button type="button" class="btn btn-secondary btn-sm" on:click=yearly>{tr!("연간 성과조사 양식으로 시작", "Start from the yearly survey")}</button>
                </div>
            })}
            {text_input("title", ("제목", "Title"), TITLE_MAX, |x| x.title.clone(), |x, v| x.title = v, false)}
            {text_input("description", ("안내문 (선택)", "Introduction (optional)"), DESCRIPTION_MAX, |x| x.description.clone().unwrap_or_default(), |x, v| x.description = Some(v), true)}
            <fieldset class="field">
                <legend>{tr!("대상", "Sent to")}</legend>
                {admin.then(|| view! {
                    <div class="choices">
                        {SurveyScope::ALL.iter().map(|s| {
                            let s = *s;
                            let label = move || match s {
                                SurveyScope::Programme => pick(lang.get(), "사업 전체", "The whole programme"),
                                SurveyScope::Region => pick(lang.get(), "권역", "A region"),
                                SurveyScope::Consortia => pick(lang.get(), "선택한 협의체", "Chosen consortia"),
                            };
                            view! { <label class="choice"><input type="radio" name="sv-scope" prop:checked=move || d.with(|x| x.scope == s)
                                on:change=move |_| d.update(|x| x.scope = s)/>{label}</label> }
                        }).collect_view()}
                    </div>
                })}
                <Show when=move || d.with(|x| x.scope == SurveyScope::Region)>
                    <label for="sv-region">{tr!("권역", "Region")}</label>
                    <select id="sv-region" on:change=move |ev| { let r = Region::from_code(&event_target_value(&ev)); d.update(|x| x.region = r); }>
                        <option value="">{tr!("선택", "Choose")}</option>
                        {Region::ALL.into_iter().map(|r| view! {
                            <option value=r.code() selected=move || d.with(|x| x.region == Some(r))>{move || crate::i18n::region(r, lang.get())}</option>
                        }).collect_view()}
                    </select>
                    <p class="error" id="sv-region-error">{region_error}</p>
                </Show>
                <Show when=move || d.with(|x| x.scope == SurveyScope::Consortia)>
                    {if tags.is_empty() {
                        view! { <p class="empty">{tr!("관리하는 협의체가 없습니다.", "You manage no consortium.")}</p> }.into_any()
                    } else {
                        tags.iter().map(|c| {
                            let cid = c.id;
                            view! {
                                <label class="check">
                                    <input type="checkbox" prop:checked=move || d.with(|x| x.consortia.contains(&cid))
                                        on:change=move |ev| { let on = event_target_checked(&ev); d.update(|x| { x.consortia.retain(|y| *y != cid); if on { x.consortia.push(cid); } }); }/>
                                    {c.name.clone()}
                                </label>
                            }
                        }).collect_view().into_any()
                    }}
                    <p class="error" id="sv-consortia-error">{consortia_error}</p>
                </Show>
            </fieldset>
            <fieldset class="field">
                <legend>{tr!("응답 대상과 방식", "Who answers")}</legend>
                <div class="choices">
                    <label class="choice"><input type="radio" name="sv-audience" prop:checked=move || d.with(|x| x.audience == Audience::Firms) on:change=move |_| d.update(|x| x.audience = Audience::Firms)/>{tr!("회원 기업만", "Member firms only")}</label>
                    <label class="choice"><input type="radio" name="sv-audience" prop:checked=move || d.with(|x| x.audience == Audience::Members) on:change=move |_| d.update(|x| x.audience = Audience::Members)/>{tr!("모든 회원 기관", "Every member organisation")}</label>
                </div>
                <div class="choices">
                    <label class="choice"><input type="radio" name="sv-respondent" prop:checked=move || d.with(|x| x.respondent == Respondent::Organisation) on:change=move |_| d.update(|x| x.respondent = Respondent::Organisation)/>{tr!("기관별 1부 (구성원이 함께 작성)", "One answer per organisation")}</label>
                    <label class="choice"><input type="radio" name="sv-respondent" prop:checked=move || d.with(|x| x.respondent == Respondent::Person) on:change=move |_| d.update(|x| x.respondent = Respondent::Person)/>{tr!("개인별 1부", "One answer per person")}</label>
                </div>
            </fieldset>
            <div class="row survey-days">
                {date_input("opens_on", ("시작일", "Opens on"), |x| x.opens_on, |x, v| x.opens_on = v)}
                {date_input("closes_on", ("마감일", "Closes on"), |x| x.closes_on, |x, v| x.closes_on = v)}
                <div class="field">
                    <label for="sv-remind">{tr!("미응답자 알림", "Reminder")}</label>
                    <select id="sv-remind" on:change=move |ev| { let v = event_target_value(&ev).parse::<i64>().ok(); d.update(|x| x.remind_days = v); }>
                        <option value="" selected=move || d.with(|x| x.remind_days.is_none())>{tr!("보내지 않음", "None")}</option>
                        {[1_i64, 3, 7].into_iter().map(|n| view! {
                            <option value=n.to_string() selected=move || d.with(|x| x.remind_days == Some(n))>{move || match lang.get() {
                                Lang::Ko => format!("마감 {n}일 전"),
                                Lang::En => format!("{n} days before closing"),
                            }}</option>
                        }).collect_view()}
                    </select>
                </div>
            </div>
            <Show when=move || d.with(SurveyDraft::writes_figures)>
                <div class="field">
                    <label for="sv-figures-year">{tr!("실적 연도 (제출하면 기업 성과 현황에 기록)", "Year of the figures (written on submission)")}</label>
                    <select id="sv-figures-year" aria-describedby="sv-figures_year-error" on:change=move |ev| { let y = event_target_value(&ev).parse::<i32>().ok(); d.update(|x| x.figures_year = y); }>
                        <option value="" selected=move || d.with(|x| x.figures_year.is_none())>{tr!("선택", "Choose")}</option>
                        {(today().year() - 5..=today().year()).rev().map(|y| view! {
                            <option value=y.to_string() selected=move || d.with(|x| x.figures_year == Some(y))>{y}</option>
                        }).collect_view()}
                    </select>
                    <p class="error" id="sv-figures_year-error">{figures_year_error}</p>
                </div>
            </Show>
            <h2>{tr!("질문", "Questions")}</h2>
            <p class="error">{sections_error}</p>
            <For each=move || 0..d.with(|x| x.questionnaire.sections.len()) key=|s| *s let:s>
                <SectionEditor d=d s=s errors=errors/>
            </For>
            <button type="button" class="btn btn-secondary btn-sm" on:click=move |_| d.update(|x| {
                let key = next_key(&x.questionnaire);
                x.questionnaire.sections.push(Section { title: String::new(), questions: vec![Question::new(key, "", QuestionType::ShortText)] });
            })>{tr!("+ 구역 추가", "+ Add a section")}</button>
            <SurveyError error=saving.error()/>
            {move || (!errors.with(FieldErrors::is_empty)).then(|| view! {
                <p class="alert alert-error" role="alert">{tr!("고칠 곳이 있습니다. 표시된 항목을 확인하세요.", "Some fields need fixing: see the marked ones.")}</p>
            })}
            <button type="submit" class="btn btn-primary btn-block" disabled=saving.pending()>
                {move || if editing.is_some() { pick(lang.get(), "저장", "Save") } else { pick(lang.get(), "설문 만들기", "Create survey") }}
            </button>
        </form>
    }
}

#[component]
fn SectionEditor(
    d: RwSignal<SurveyDraft>,
    s: usize,
    errors: RwSignal<FieldErrors>,
) -> impl IntoView {
    let lang = use_lang();
    let at = format!("questionnaire.sections.{s}");
    let title_error = error_of(errors, format!("{at}.title"));
    let id = format!("sv-s{s}-title");
    let count = move || {
        d.with(|x| {
            x.questionnaire
                .sections
                .get(s)
                .map_or(0, |sec| sec.questions.len())
        })
    };
    view! {
        <fieldset class="survey-section-editor">
            <legend>{move || match lang.get() { Lang::Ko => format!("구역 {}", s + 1), Lang::En => format!("Section {}", s + 1) }}</legend>
            <div class="field">
                <label for=id.clone()>{tr!("구역 제목", "Section title")}<span class="req" aria-hidden="true">" *"</span></label>
                <input id=id aria-required="true" aria-describedby=format!("sv-s{s}-title-error") type="text" maxlength=SECTION_TITLE_MAX
                    prop:value=move || d.with(|x| x.questionnaire.sections.get(s).map(|sec| sec.title.clone()).unwrap_or_default())
                    on:input=move |ev| d.update(|x| if let Some(sec) = x.questionnaire.sections.get_mut(s) { sec.title = event_target_value(&ev) })/>
                <p class="error" id=format!("sv-s{s}-title-error")>{title_error}</p>
            </div>
            <For each=move || 0..count() key=|i| *i let:i>
                <QuestionEditor d=d s=s i=i errors=errors/>
            </For>
            <div class="row">
                <button type="button" class="btn btn-secondary btn-sm" on:click=move |_| d.update(|x| {
                    let key = next_key(&x.questionnaire);
                    if let Some(sec) = x.questionnaire.sections.get_mut(s) { sec.questions.push(Question::new(key, "", QuestionType::ShortText)); }
                })>{tr!("+ 질문 추가", "+ Add a question")}</button>
                {(s > 0).then(|| view! {
                    <button type="button" class="btn btn-secondary btn-sm" on:click=move |_| d.update(|x| { if s < x.questionnaire.sections.len() { x.questionnaire.sections.remove(s); } })>
                        {tr!("구역 삭제", "Remove section")}</button>
                })}
            </div>
        </fieldset>
    }
}

/// The condition choices a question may take: each answer of an earlier
/// yes/no or single-choice question (`key|yes`, `key|no`, `key|2`).
fn conditions(q: &Questionnaire, before: &str, lang: Lang) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for p in q.questions() {
        if p.key == before {
            break;
        }
        let name: String = p.text.chars().take(30).collect();
        match p.kind {
            QuestionType::YesNo => {
                out.push((
                    format!("{}|yes", p.key),
                    format!("{name} = {}", pick(lang, "예", "Yes")),
                ));
                out.push((
                    format!("{}|no", p.key),
                    format!("{name} = {}", pick(lang, "아니요", "No")),
                ));
            }
            QuestionType::SingleChoice => {
                for (i, o) in p.options.iter().enumerate() {
                    if !o.trim().is_empty() {
                        out.push((format!("{}|{i}", p.key), format!("{name} = {}", o.trim())));
                    }
                }
            }
            _ => {}
        }
    }
    out
}

fn condition_code(c: &Option<Condition>) -> String {
    match c {
        Some(Condition {
            question,
            equals: Answer::YesNo(true),
        }) => format!("{question}|yes"),
        Some(Condition {
            question,
            equals: Answer::YesNo(false),
        }) => format!("{question}|no"),
        Some(Condition {
            question,
            equals: Answer::Choices(c),
        }) => {
            format!("{question}|{}", c.first().copied().unwrap_or_default())
        }
        _ => String::new(),
    }
}

fn parse_condition(code: &str) -> Option<Condition> {
    let (question, value) = code.split_once('|')?;
    let equals = match value {
        "yes" => Answer::YesNo(true),
        "no" => Answer::YesNo(false),
        n => Answer::Choices(vec![n.parse().ok()?]),
    };
    Some(Condition {
        question: question.to_owned(),
        equals,
    })
}

#[component]
fn QuestionEditor(
    d: RwSignal<SurveyDraft>,
    s: usize,
    i: usize,
    errors: RwSignal<FieldErrors>,
) -> impl IntoView {
    let lang = use_lang();
    let at = format!("questionnaire.sections.{s}.questions.{i}");
    let base = format!("sv-s{s}q{i}");
    let get = move |f: fn(&Question) -> String| {
        move || {
            d.with(|x| {
                x.questionnaire
                    .sections
                    .get(s)
                    .and_then(|sec| sec.questions.get(i))
                    .map(f)
                    .unwrap_or_default()
            })
        }
    };
    let edit = move |f: Box<dyn Fn(&mut Question)>| {
        d.update(|x| {
            if let Some(q) = x
                .questionnaire
                .sections
                .get_mut(s)
                .and_then(|sec| sec.questions.get_mut(i))
            {
                f(q)
            }
        })
    };
    let kind = move || {
        d.with(|x| {
            x.questionnaire
                .sections
                .get(s)
                .and_then(|sec| sec.questions.get(i))
                .map(|q| q.kind)
        })
    };
    let text_error = error_of(errors, format!("{at}.text"));
    let options_error = {
        let (a, b) = (error_of(errors, format!("{at}.options")), errors);
        let prefix = format!("{at}.options.");
        move || {
            a.get().or_else(|| {
                b.with(|e| {
                    e.0.iter()
                        .find(|f| f.field.starts_with(&prefix))
                        .map(|f| field_error(&f.code, lang.get()))
                })
            })
        }
    };
    let condition_error = error_of(errors, format!("{at}.show_if"));
    let unit_error = error_of(errors, format!("{at}.unit"));
    let figure_error = error_of(errors, format!("{at}.figure"));
    let (fid, fe) = (format!("{base}-figure"), format!("{base}-figure-error"));
    let remove = move |_| {
        d.update(|x| {
            if let Some(sec) = x.questionnaire.sections.get_mut(s)
                && i < sec.questions.len()
                && sec.questions.len() > 1
            {
                sec.questions.remove(i);
            }
        })
    };
    let (oe, ue) = (
        format!("{base}-options-error"),
        format!("{base}-unit-error"),
    );
    let (tid, kid, oid, uid, cid) = (
        format!("{base}-text"),
        format!("{base}-type"),
        format!("{base}-options"),
        format!("{base}-unit"),
        format!("{base}-if"),
    );
    view! {
        <div class="question-editor">
            <div class="field">
                <label for=tid.clone()>{move || match lang.get() { Lang::Ko => format!("질문 {}", i + 1), Lang::En => format!("Question {}", i + 1) }}<span class="req" aria-hidden="true">" *"</span></label>
                <input id=tid aria-required="true" aria-describedby=format!("{base}-text-error") type="text" maxlength=QUESTION_MAX prop:value=get(|q| q.text.clone())
                    on:input=move |ev| { let v = event_target_value(&ev); edit(Box::new(move |q| q.text = v.clone())) }/>
                <p class="error" id=format!("{base}-text-error")>{text_error}</p>
            </div>
            <div class="row">
                <div class="field">
                    <label for=kid.clone()>{tr!("유형", "Kind")}</label>
                    <select id=kid on:change=move |ev| {
                        if let Some(k) = QuestionType::from_code(&event_target_value(&ev)) {
                            edit(Box::new(move |q| {
                                q.kind = k;
                                if !k.has_options() { q.options.clear(); } else if q.options.is_empty() { q.options = vec![String::new(), String::new()]; }
                                if k != QuestionType::Number { q.unit = None; q.figure = None; }
                            }))
                        }
                    }>
                        {QuestionType::ALL.iter().map(|k| {
                            let k = *k;
                            view! { <option value=k.code() selected=move || kind() == Some(k)>{move || kind_label(k, lang.get())}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <label class="check">
                    <input type="checkbox" prop:checked=move || d.with(|x| x.questionnaire.sections.get(s).and_then(|sec| sec.questions.get(i)).is_some_and(|q| q.required))
                        on:change=move |ev| { let on = event_target_checked(&ev); edit(Box::new(move |q| q.required = on)) }/>
                    {tr!("필수", "Required")}
                </label>
            </div>
            <Show when=move || kind().is_some_and(QuestionType::has_options)>
                <div class="field">
                    <label for=oid.clone()>{tr!("선택지 (한 줄에 하나)", "Choices (one a line)")}</label>
                    <textarea id=oid.clone() aria-describedby=oe.clone() rows="4" prop:value=get(|q| q.options.join("\n"))
                        on:input=move |ev| { let v = event_target_value(&ev); edit(Box::new(move |q| q.options = v.split('\n').map(|l| l.chars().take(OPTION_MAX).collect()).collect())) }></textarea>
                    <p class="error" id=oe.clone()>{options_error.clone()}</p>
                </div>
            </Show>
            <Show when=move || kind() == Some(QuestionType::Number)>
                <div class="field">
                    <label for=uid.clone()>{tr!("단위 (예: 백만원, 건, 명)", "Unit (e.g. million won, projects)")}</label>
                    <input id=uid.clone() aria-describedby=ue.clone() type="text" maxlength=UNIT_MAX prop:value=get(|q| q.unit.clone().unwrap_or_default())
                        on:input=move |ev| { let v = event_target_value(&ev); edit(Box::new(move |q| q.unit = Some(v.clone()))) }/>
                    <p class="error" id=ue.clone()>{unit_error}</p>
                </div>
                <div class="field">
                    <label for=fid.clone()>{tr!("기업 실적에 기록 (연간 성과조사)", "Writes the firm's figure (yearly survey)")}</label>
                    <select id=fid.clone() aria-describedby=fe.clone() on:change=move |ev| {
                        let f = FigureField::from_code(&event_target_value(&ev));
                        edit(Box::new(move |q| q.figure = f))
                    }>
                        <option value="" selected=move || get(|q| q.figure.map(|f| f.code().to_owned()).unwrap_or_default())().is_empty()>{tr!("기록하지 않음", "None")}</option>
                        {FigureField::ALL.iter().map(|f| {
                            let f = *f;
                            let (ko, en) = f.label();
                            view! { <option value=f.code() selected=move || get(|q| q.figure.map(|f| f.code().to_owned()).unwrap_or_default())() == f.code()>{move || pick(lang.get(), ko, en)}</option> }
                        }).collect_view()}
                    </select>
                    <p class="error" id=fe.clone()>{figure_error}</p>
                </div>
            </Show>
            <div class="field">
                <label for=cid.clone()>{tr!("표시 조건", "Ask only if")}</label>
                <select id=cid aria-describedby=format!("{base}-if-error") on:change=move |ev| { let c = parse_condition(&event_target_value(&ev)); edit(Box::new(move |q| q.show_if = c.clone())) }>
                    <option value="">{tr!("항상 묻기", "Always ask")}</option>
                    {move || {
                        let current = get(|q| condition_code(&q.show_if))();
                        let own = get(|q| q.key.clone())();
                        d.with(|x| conditions(&x.questionnaire, &own, lang.get())).into_iter().map(|(v, l)| {
                            let selected = v == current;
                            view! { <option value=v selected=selected>{l}</option> }
                        }).collect_view()
                    }}
                </select>
                <p class="error" id=format!("{base}-if-error")>{condition_error}</p>
            </div>
            <button type="button" class="btn btn-secondary btn-sm" on:click=remove>{tr!("질문 삭제", "Remove question")}</button>
        </div>
    }
}
