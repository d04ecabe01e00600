//! 설문·성과조사: the surveys a person answers and those they manage, one
//! survey (its answer form, and for its managers what they can do with it),
//! and its results. Writing one is `survey_builder`, answering
//! `survey_answer`. Every survey page is in this one module.

use super::{survey_answer::AnswerForm, survey_builder::SurveyBuilder};
use crate::{
    api::{self, ClientError},
    components::questions::kind_label,
    components::{
        cards::{ErrorView, Loading, SignedIn},
        form::OwnError,
    },
    i18n::{Lang, pick, use_lang},
    load::Load,
    submit::Submit,
    tr,
};
use leptos::prelude::*;
use leptos_router::components::A;
use moim_core::{
    ApiError, ConflictCode, SurveyId, paths,
    questionnaire::{Question, QuestionType, SCALE_MAX},
    survey::{
        Audience, Respondent, SurveyList, SurveyResults, SurveyScope, SurveyStatus, SurveySummary,
        SurveyView,
    },
};

/// The survey pages, by address.
#[component]
pub fn SurveyPages() -> impl IntoView {
    let path = leptos_router::hooks::use_location().pathname;
    let which = Memo::new(move |_| path.get());
    view! {
        <SignedIn next="/surveys">
            {move || {
                let p = which.get();
                let p = p.trim_end_matches('/');
                if p == "/surveys" {
                    view! { <SurveyListPage/> }.into_any()
                } else if p == "/surveys/new" || p.ends_with("/edit") {
                    view! { <SurveyBuilder/> }.into_any()
                } else if p.ends_with("/results") {
                    view! { <ResultsPage/> }.into_any()
                } else {
                    view! { <SurveyPage/> }.into_any()
                }
            }}
        </SignedIn>
    }
}

/// What a survey conflict means, in the reader's words (kept out of the main
/// module's messages).
pub fn conflict_text(e: &ClientError, lang: Lang) -> Option<&'static str> {
    match e {
        ClientError::Api(ApiError::Conflict { code, .. }) => match code {
            ConflictCode::SurveyNotOpen => Some(pick(
                lang,
                "아직 응답 기간이 아닙니다.",
                "This survey is not open yet.",
            )),
            ConflictCode::SurveyClosed => Some(pick(
                lang,
                "마감된 설문입니다. 더는 응답하거나 고칠 수 없습니다.",
                "This survey is closed: answers can no longer be given or changed.",
            )),
            ConflictCode::AnswerChanged => Some(pick(
                lang,
                "같은 기관의 다른 구성원이 답변을 고쳤습니다. 새로 고쳐 최신 답변을 불러온 뒤 이어서 작성하세요.",
                "A colleague changed this answer meanwhile. Reload to get the latest, then go on.",
            )),
            ConflictCode::SurveyAnswered => Some(pick(
                lang,
                "이미 응답이 있어 질문을 고칠 수 없습니다. 마감한 뒤 복사해서 새 설문을 만드세요.",
                "It has answers, so its questions stay. Close it and copy it instead.",
            )),
            _ => None,
        },
        _ => None,
    }
}

/// A failure: a survey conflict in its own words, anything else as usual.
#[component]
pub fn SurveyError(#[prop(into)] error: Signal<Option<ClientError>>) -> impl IntoView {
    view! { <OwnError error=error words=conflict_text/> }
}

pub fn status_label(s: SurveyStatus, lang: Lang) -> &'static str {
    match s {
        SurveyStatus::Upcoming => pick(lang, "응답 전", "Not open yet"),
        SurveyStatus::Open => pick(lang, "응답 중", "Open"),
        SurveyStatus::Closed => pick(lang, "마감", "Closed"),
    }
}

fn days(s: &SurveySummary) -> String {
    format!("{} ~ {}", s.opens_on, s.closes_on)
}

#[component]
fn SurveyListPage() -> impl IntoView {
    let lang = use_lang();
    let list = Load::<SurveyList>::new(|| Some(paths::SURVEYS.to_owned()));
    view! {
        <section class="section narrow surveys">
            <h1>{tr!("설문·성과조사", "Surveys")}</h1>
            <Suspense fallback=Loading>
                {move || list.get().map(|r| match r {
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                    Ok(l) => view! {
                        {l.can_create.then(|| view! {
                            <p><A href="/surveys/new" attr:class="btn btn-primary">{tr!("새 설문 만들기", "New survey")}</A></p>
                        })}
                        <h2>{tr!("응답할 설문", "To answer")}</h2>
                        {if l.to_answer.is_empty() {
                            view! { <p class="empty">{tr!("지금 응답할 설문이 없습니다.", "No survey to answer now.")}</p> }.into_any()
                        } else {
                            view! {
                                <ul class="survey-list">
                                    {l.to_answer.into_iter().map(|s| {
                                        let (submitted, drafted) = (s.submitted, s.drafted);
                                        let state = move || if submitted {
                                            pick(lang.get(), "제출함", "Submitted")
                                        } else if drafted {
                                            pick(lang.get(), "작성 중", "Draft saved")
                                        } else {
                                            pick(lang.get(), "미응답", "Not answered")
                                        };
                                        let (when, status) = (days(&s), s.status);
                                        view! {
                                            <li class="survey-item">
                                                <A href=format!("/surveys/{}", s.id)>{s.title.clone()}</A>
                                                <span class="muted small">{move || status_label(status, lang.get())}" · "{when}" · "<strong>{state}</strong></span>
                                            </li>
                                        }
                                    }).collect_view()}
                                </ul>
                            }.into_any()
                        }}
                        {(!l.managed.is_empty() || l.can_create).then(|| view! {
                            <h2>{tr!("관리하는 설문", "Surveys I manage")}</h2>
                            {if l.managed.is_empty() {
                                view! { <p class="empty">{tr!("아직 만든 설문이 없습니다.", "No survey yet.")}</p> }.into_any()
                            } else {
                                view! {
                                    <ul class="survey-list">
                                        {l.managed.into_iter().map(|s| {
                                            let rate = match (s.answers, s.asked) {
                                                (Some(a), Some(n)) => format!("{a} / {n}"),
                                                _ => String::new(),
                                            };
                                            let (when, status) = (days(&s), s.status);
                                            view! {
                                                <li class="survey-item">
                                                    <A href=format!("/surveys/{}", s.id)>{s.title.clone()}</A>
                                                    <span class="muted small">{move || status_label(status, lang.get())}" · "{when}" · "
                                                        {tr!("제출 ", "Submitted ")}{rate}</span>
                                                </li>
                                            }
                                        }).collect_view()}
                                    </ul>
                                }.into_any()
                            }}
                        })}
                    }.into_any(),
                })}
            </Suspense>
        </section>
    }
}

fn target_text(v: &SurveyView, lang: Lang) -> String {
    let d = &v.survey;
    let place = match d.scope {
        SurveyScope::Programme => pick(lang, "사업 전체", "The whole programme").to_owned(),
        SurveyScope::Region => d
            .region
            .map(|r| crate::i18n::region(r, lang).to_owned())
            .unwrap_or_default(),
        SurveyScope::Consortia => match lang {
            Lang::Ko => format!("협의체 {}곳", d.consortia.len()),
            Lang::En => format!("{} consortia", d.consortia.len()),
        },
    };
    let who = match d.audience {
        Audience::Firms => pick(lang, "회원 기업", "member firms"),
        Audience::Members => pick(lang, "모든 회원 기관", "every member organisation"),
    };
    let each = match d.respondent {
        Respondent::Organisation => pick(lang, "기관별 1부", "one answer per organisation"),
        Respondent::Person => pick(lang, "개인별 1부", "one answer per person"),
    };
    format!("{place} · {who} · {each}")
}

/// One survey: what it asks and until when, its answer form for those it
/// asks, and its managers' tools.
#[component]
fn SurveyPage() -> impl IntoView {
    let raw = crate::routing::id_param("id");
    let page = Load::<SurveyView>::new(move || raw.get().map(|i| paths::survey(SurveyId(i))));
    view! {
        <section class="section narrow survey">
            <Suspense fallback=Loading>
                {move || page.get().map(|r| match r {
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                    Ok(v) => view! { <Survey v=v on_change=Callback::new(move |()| page.refetch())/> }.into_any(),
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn Survey(v: SurveyView, on_change: Callback<()>) -> impl IntoView {
    let lang = use_lang();
    let id = v.id;
    let target = target_text(&v, lang.get_untracked());
    let closing = Submit::new();
    let close = move |_| {
        closing.run(async move {
            api::surveys::close(id).await?;
            on_change.run(());
            Ok(())
        });
    };
    let status = v.status;
    let editable = !v.answered && status != SurveyStatus::Closed;
    view! {
        <p class="crumbs"><A href="/surveys">{tr!("설문·성과조사", "Surveys")}</A></p>
        <h1>{v.survey.title.clone()}</h1>
        <p class="survey-meta">
            <span class="badge">{move || status_label(status, lang.get())}</span>" "
            {tr!("응답 기간 ", "Open ")}{v.survey.opens_on.to_string()}" ~ "{v.survey.closes_on.to_string()}
        </p>
        <p class="muted small">{target}{v.author.clone().map(|a| format!(" · {a}"))}</p>
        {v.survey.description.clone().map(|d| view! { <p class="pre">{d}</p> })}
        {v.can_manage.then(|| view! {
            <div class="row survey-tools">
                <A href=format!("/surveys/{id}/results") attr:class="btn btn-primary btn-sm">{tr!("응답 현황·결과", "Responses and results")}</A>
                {editable.then(|| view! { <A href=format!("/surveys/{id}/edit") attr:class="btn btn-secondary btn-sm">{tr!("수정", "Edit")}</A> })}
                <A href=format!("/surveys/new?from={id}") attr:class="btn btn-secondary btn-sm">{tr!("복사해서 새 설문", "Copy as a new survey")}</A>
                {(status != SurveyStatus::Closed).then(|| view! {
                    <button type="button" class="btn btn-secondary btn-sm" on:click=close disabled=closing.pending()>{tr!("지금 마감", "Close now")}</button>
                })}
            </div>
            <SurveyError error=closing.error()/>
        })}
        {if v.can_answer {
            view! { <AnswerForm v=v.clone()/> }.into_any()
        } else {
            view! { <Questions v=v.clone()/> }.into_any()
        }}
    }
}

/// The questions as the author wrote them (for a manager it does not ask).
#[component]
fn Questions(v: SurveyView) -> impl IntoView {
    let lang = use_lang();
    view! {
        <h2>{tr!("질문", "Questions")}</h2>
        {v.survey.questionnaire.sections.into_iter().map(|s| view! {
            <h3>{s.title}</h3>
            <ol class="question-preview">
                {s.questions.into_iter().map(|q| {
                    let kind = q.kind;
                    view! {
                        <li>{q.text}{q.required.then_some(" *")}
                            <span class="muted small">" · "{move || kind_label(kind, lang.get())}</span></li>
                    }
                }).collect_view()}
            </ol>
        }).collect_view()}
    }
}

/// The words of each answer a question counts: its choices, 예/아니요, 1–5.
fn points(q: &Question, lang: Lang) -> Vec<String> {
    match q.kind {
        QuestionType::SingleChoice | QuestionType::MultipleChoice => q.options.clone(),
        QuestionType::YesNo => vec![
            pick(lang, "예", "Yes").into(),
            pick(lang, "아니요", "No").into(),
        ],
        QuestionType::Scale => (1..=SCALE_MAX).map(|n| n.to_string()).collect(),
        _ => Vec::new(),
    }
}

fn share(n: i64, of: i64) -> f64 {
    if of > 0 {
        n as f64 * 100.0 / of as f64
    } else {
        0.0
    }
}

fn number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        crate::i18n::number(n as i64)
    } else {
        format!("{n:.1}")
    }
}

/// Who has answered (by consortium, with who has not), what the answers add
/// up to, and the download.
#[component]
fn ResultsPage() -> impl IntoView {
    let lang = use_lang();
    let raw = crate::routing::id_param("id");
    let page =
        Load::<SurveyResults>::new(move || raw.get().map(|i| paths::survey_results(SurveyId(i))));
    view! {
        <section class="section survey-results">
            <Suspense fallback=Loading>
                {move || page.get().map(|r| match r {
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                    Ok(r) => {
                        let id = r.id;
                        let rate = r.rate().map(|p| format!("{p:.0}%")).unwrap_or_else(|| "-".into());
                        let status = r.status;
                        view! {
                            <p class="crumbs"><A href=format!("/surveys/{id}")>{r.title.clone()}</A></p>
                            <h1>{tr!("응답 현황·결과", "Responses and results")}</h1>
                            <p class="survey-meta"><span class="badge">{move || status_label(status, lang.get())}</span></p>
                            <dl class="counts">
                                <div><dt>{tr!("응답률", "Response rate")}</dt><dd>{rate}</dd></div>
                                <div><dt>{tr!("제출 / 대상", "Submitted / asked")}</dt><dd>{r.submitted}" / "{r.asked}</dd></div>
                                <div><dt>{tr!("작성 중", "Drafts")}</dt><dd>{r.drafts}</dd></div>
                            </dl>
                            <p class="downloads">
                                <a class="btn btn-secondary btn-sm" href=paths::survey_csv(id) download="">{tr!("응답 내려받기 (CSV)", "Download answers (CSV)")}</a>" "
                                <a class="btn btn-secondary btn-sm" href=paths::survey_xlsx(id) download="">{tr!("응답 내려받기 (엑셀)", "Download answers (Excel)")}</a>
                            </p>
                            <h2>{tr!("협의체별 응답", "By consortium")}</h2>
                            <div class="table-wrap">
                                <table class="roster">
                                    <thead><tr>
                                        <th scope="col">{tr!("협의체", "Consortium")}</th>
                                        <th scope="col">{tr!("제출 / 대상", "Submitted / asked")}</th>
                                        <th scope="col">{tr!("미응답", "Not yet")}</th>
                                    </tr></thead>
                                    <tbody>
                                        {r.consortia.into_iter().map(|c| view! {
                                            <tr>
                                                <th scope="row"><A href=format!("/consortia/{}", c.consortium_id)>{c.name}</A></th>
                                                <td>{c.submitted}" / "{c.asked}</td>
                                                <td>{if c.missing.is_empty() { "-".to_owned() } else { c.missing.join(", ") }}</td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                            <h2>{tr!("질문별 결과 (제출된 응답)", "By question (submitted answers)")}</h2>
                            {r.questionnaire.questions().cloned().zip(r.questions).map(|(q, s)| {
                                let names = points(&q, lang.get_untracked());
                                let total: i64 = s.counts.iter().sum();
                                let unit = q.unit.clone().unwrap_or_default();
                                view! {
                                    <div class="question-result">
                                        <h3>{q.text.clone()}</h3>
                                        <p class="muted small">{tr!("응답 ", "Answered ")}{s.answered}</p>
                                        {(!s.counts.is_empty()).then(|| view! {
                                            <ul class="bars">
                                                {names.into_iter().zip(s.counts.clone()).map(|(name, n)| {
                                                    let pct = share(n, total.max(s.answered));
                                                    view! {
                                                        <li>
                                                            <span class="bar-label">{name}</span>
                                                            <span class="meter" aria-hidden="true"><span style=format!("width:{pct:.1}%")></span></span>
                                                            <span class="bar-num">{n}" ("{format!("{pct:.0}%")}")"</span>
                                                        </li>
                                                    }
                                                }).collect_view()}
                                            </ul>
                                        })}
                                        {s.mean.map(|m| view! {
                                            <p>{tr!("평균 ", "Mean ")}<strong>{number(m)}</strong>" "{unit.clone()}
                                               " · "{tr!("중앙값 ", "Median ")}<strong>{s.median.map(number)}</strong>" "{unit.clone()}</p>
                                        })}
                                        {(!s.samples.is_empty()).then(|| view! {
                                            <ul class="samples">{s.samples.into_iter().map(|t| view! { <li class="pre">{t}</li> }).collect_view()}</ul>
                                        })}
                                    </div>
                                }
                            }).collect_view()}
                        }.into_any()
                    }
                })}
            </Suspense>
        </section>
    }
}
