//! Writing a survey: whom it goes to (an admin: the programme, a region or
//! consortia; a CM: consortia they manage), who answers, its days and its
//! reminder, then its sections and questions — each of a kind, required or
//! not, perhaps asked only after an earlier answer. Also a survey being
//! changed (while nobody has answered) and a copy of one (`?from=`).

use super::surveys::SurveyError;
use crate::{
    api,
    components::{
        cards::{ErrorView, Loading},
        questions::{QuestionEditor, next_key, tidy},
    },
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
    idea::ConsortiumTag,
    paths,
    questionnaire::{Question, QuestionType, Questionnaire, SECTION_TITLE_MAX, Section},
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

/// The draft's questions.
fn draft_questions(d: RwSignal<SurveyDraft>) -> Questionnaire {
    d.with_untracked(|x| x.questionnaire.clone())
}

/// The form's field errors under `field`, worded.
pub fn error_of(errors: RwSignal<FieldErrors>, field: String) -> Signal<Option<String>> {
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
    // The questions, edited on their own (the shared editor's signal); put
    // back into the draft when it is sent.
    let qs = RwSignal::new(draft_questions(d));
    let errors = RwSignal::new(FieldErrors::default());
    let saving = Submit::new();
    let navigate = use_navigate();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut req = d.get_untracked();
        req.questionnaire = qs.get_untracked();
        for q in req
            .questionnaire
            .sections
            .iter_mut()
            .flat_map(|s| s.questions.iter_mut())
        {
            tidy(q);
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
        qs.set(draft_questions(d));
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
            <For each=move || 0..qs.with(|x| x.sections.len()) key=|s| *s let:s>
                <SectionEditor d=qs s=s errors=errors/>
            </For>
            <button type="button" class="btn btn-secondary btn-sm" on:click=move |_| qs.update(|x| {
                let key = next_key(x);
                x.sections.push(Section { title: String::new(), questions: vec![Question::new(key, "", QuestionType::ShortText)] });
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

/// Section `s` of `d` and its questions; its errors are read from `errors`
/// under `root` (the questionnaire's field in the request).
#[component]
pub fn SectionEditor(
    d: RwSignal<Questionnaire>,
    s: usize,
    errors: RwSignal<FieldErrors>,
    #[prop(default = "questionnaire")] root: &'static str,
) -> impl IntoView {
    let lang = use_lang();
    let at = format!("{root}.sections.{s}");
    let title_error = error_of(errors, format!("{at}.title"));
    let id = format!("sv-s{s}-title");
    let count = move || d.with(|x| x.sections.get(s).map_or(0, |sec| sec.questions.len()));
    view! {
        <fieldset class="survey-section-editor">
            <legend>{move || match lang.get() { Lang::Ko => format!("구역 {}", s + 1), Lang::En => format!("Section {}", s + 1) }}</legend>
            <div class="field">
                <label for=id.clone()>{tr!("구역 제목", "Section title")}<span class="req" aria-hidden="true">" *"</span></label>
                <input id=id aria-required="true" aria-describedby=format!("sv-s{s}-title-error") type="text" maxlength=SECTION_TITLE_MAX
                    prop:value=move || d.with(|x| x.sections.get(s).map(|sec| sec.title.clone()).unwrap_or_default())
                    on:input=move |ev| d.update(|x| if let Some(sec) = x.sections.get_mut(s) { sec.title = event_target_value(&ev) })/>
                <p class="error" id=format!("sv-s{s}-title-error")>{title_error}</p>
            </div>
            <For each=move || 0..count() key=|i| *i let:i>
                <QuestionEditor d=d s=s i=i error=Callback::new(move |f: String| errors.with(|e| e.get(&f).cloned()))
                    at=format!("{at}.questions.{i}") base=format!("sv-s{s}q{i}") figures=true keep_one=true/>
            </For>
            <div class="row">
                <button type="button" class="btn btn-secondary btn-sm" on:click=move |_| d.update(|x| {
                    let key = next_key(x);
                    if let Some(sec) = x.sections.get_mut(s) { sec.questions.push(Question::new(key, "", QuestionType::ShortText)); }
                })>{tr!("+ 질문 추가", "+ Add a question")}</button>
                {(s > 0).then(|| view! {
                    <button type="button" class="btn btn-secondary btn-sm" on:click=move |_| d.update(|x| { if s < x.sections.len() { x.sections.remove(s); } })>
                        {tr!("구역 삭제", "Remove section")}</button>
                })}
            </div>
        </fieldset>
    }
}
