//! Answering a survey on a phone: every change is kept on this device at once
//! and saved to the server as a draft a moment later (for an organisation's
//! survey, the draft its people share), so a reload or a lost connection loses
//! nothing; the draft goes out again when the connection returns. Questions
//! whose condition does not hold are hidden and their answers dropped.
//! Submitting checks, as the server will, that every required question asked
//! is answered.

use super::surveys::SurveyError;
use crate::{
    api::{self, ClientError},
    components::questions::{QuestionField, asked, focus_first},
    i18n::{Lang, pick, use_lang},
    state,
    submit::Submit,
    tr,
};
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use moim_core::{
    ErrorCode, FieldErrors, SurveyId,
    questionnaire::{Answer, Answers},
    survey::{SaveAnswer, SurveyStatus, SurveyView},
};
use std::time::Duration;

/// What this device keeps of an answer not yet saved: the answers, and the
/// server's answer they started from (its `updated_at`; none for a new one).
/// The copy is used after a reload only while the server's answer is still
/// that one, so no clock is compared and a colleague's newer answer wins.
#[derive(serde::Serialize, serde::Deserialize)]
struct Local {
    answers: Answers,
    base: Option<DateTime<Utc>>,
}

fn key(id: SurveyId, user: i64) -> String {
    format!("moim.survey.{id}.{user}")
}

/// Where the draft stands.
#[derive(Clone, Copy, PartialEq)]
enum Draft {
    /// Nothing changed since it was loaded.
    Clean,
    /// Being saved.
    Saving,
    /// Saved to the server at.
    Saved(DateTime<Utc>),
    /// Kept on this device; sent when the connection returns.
    Offline,
    /// Refused (closed, changed by a colleague...): said above the button.
    Refused,
}

#[component]
pub fn AnswerForm(v: SurveyView) -> impl IntoView {
    let lang = use_lang();
    let id = v.id;
    let user = state::use_session()
        .me
        .get_untracked()
        .map(|m| m.id.0)
        .unwrap_or_default();
    let store = key(id, user);
    let questionnaire = StoredValue::new(v.survey.questionnaire.clone());
    let server = v.answer.clone();
    let server_at = server.as_ref().map(|s| s.updated_at);
    // This device's copy wins while the server's answer is the one it started
    // from (typed offline, or not yet saved before a reload).
    let local: Option<Local> = state::load(&store);
    let newer = local.as_ref().is_some_and(|l| l.base == server_at);
    let start = match (newer, local) {
        (true, Some(l)) => l.answers,
        // A yearly survey not yet answered starts from the firm's figures.
        _ => server
            .as_ref()
            .map(|s| s.answers.clone())
            .unwrap_or_else(|| v.prefill.clone()),
    };
    let answers = RwSignal::new(start);
    let submitted = RwSignal::new(server.as_ref().and_then(|s| s.submitted_at));
    let draft = RwSignal::new(if newer { Draft::Offline } else { Draft::Clean });
    let errors = RwSignal::new(FieldErrors::default());
    // Figures far from last year's were seen and are meant.
    let confirmed = RwSignal::new(false);
    let failure = RwSignal::new(None::<ClientError>);
    let open = v.status == SurveyStatus::Open;
    // The server's answer the changes start from; changes since the last
    // save began; whether one is under way; the next save's timer.
    let base = StoredValue::new(server_at);
    let changes = StoredValue::new(0_u64);
    let saving = StoredValue::new(false);
    let timer = StoredValue::new(None::<TimeoutHandle>);
    let saver = StoredValue::new(None::<Callback<()>>);
    // Everything below may run after the page is gone (a timer, an answer
    // arriving): it reads through `try_`, which then does nothing.
    let keep_local = {
        let store = store.clone();
        move || {
            let kept = answers.try_with_untracked(|a| Local {
                answers: a.clone(),
                base: base.try_get_value().flatten(),
            });
            if let Some(kept) = kept {
                state::save(&store, &kept);
            }
        }
    };
    let schedule = move |ms: u64| {
        if let Some(Some(t)) = timer.try_get_value() {
            t.clear();
        }
        let next = set_timeout_with_handle(
            move || {
                if let Some(Some(save)) = saver.try_get_value() {
                    save.run(());
                }
            },
            Duration::from_millis(ms),
        )
        .ok();
        timer.try_update_value(|t| *t = next);
    };
    on_cleanup(move || {
        if let Some(Some(t)) = timer.try_get_value() {
            t.clear();
        }
    });
    let save_draft = {
        let store = store.clone();
        let keep_local = keep_local.clone();
        Callback::new(move |()| {
            let busy = saving.try_get_value().unwrap_or(true);
            if busy || submitted.try_get_untracked().flatten().is_some() || !open {
                return;
            }
            saving.set_value(true);
            let seen = changes.get_value();
            let req = SaveAnswer {
                answers: questionnaire.with_value(|q| answers.with_untracked(|a| asked(q, a))),
                submit: false,
                confirmed: false,
                base: base.get_value(),
            };
            draft.set(Draft::Saving);
            let (store, keep_local) = (store.clone(), keep_local.clone());
            leptos::task::spawn_local(async move {
                let result = api::surveys::save_answer(id, &req).await;
                saving.try_update_value(|s| *s = false);
                match result {
                    Ok(a) => {
                        base.try_update_value(|b| *b = Some(a.updated_at));
                        if changes.try_get_value() == Some(seen) {
                            state::forget(&store);
                        } else {
                            // Changed while this save was under way: the
                            // change goes next.
                            keep_local();
                            schedule(300);
                        }
                        let _ = draft.try_set(Draft::Saved(a.updated_at));
                        let _ = failure.try_set(None);
                    }
                    Err(ClientError::Network) => {
                        let _ = draft.try_set(Draft::Offline);
                    }
                    Err(e) => {
                        let _ = errors.try_set(e.fields());
                        let _ = draft.try_set(Draft::Refused);
                        let _ = failure.try_set(Some(e));
                    }
                }
            });
        })
    };
    saver.set_value(Some(save_draft));
    // The draft goes out again when the connection returns, and now if this
    // device held one not yet saved.
    let online = window_event_listener(leptos::ev::online, move |_| {
        if draft.try_get_untracked() == Some(Draft::Offline) {
            save_draft.run(())
        }
    });
    on_cleanup(move || online.remove());
    if newer && open {
        save_draft.run(());
    }
    let changed = {
        let keep_local = keep_local.clone();
        move || {
            changes.update_value(|c| *c += 1);
            keep_local();
            if submitted.get_untracked().is_some() {
                return;
            }
            schedule(1200);
        }
    };
    let set = Callback::new(move |(k, a): (String, Option<Answer>)| {
        answers.update(|all| match a {
            Some(a) => {
                all.insert(k.clone(), a);
            }
            None => {
                all.remove(&k);
            }
        });
        errors.update(|e| e.0.retain(|f| f.field != format!("answers.{k}")));
        // A confirmation was of the figures as they were.
        confirmed.set(false);
        changed();
    });

    let sending = Submit::new();
    let on_submit = {
        let store = store.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let req = SaveAnswer {
                answers: questionnaire.with_value(|q| answers.with_untracked(|a| asked(q, a))),
                submit: true,
                confirmed: confirmed.get_untracked(),
                base: base.get_value(),
            };
            if let Err(e) = questionnaire.with_value(|q| q.check(&req.answers, true)) {
                focus_first(&e);
                errors.set(e);
                return;
            }
            if let Some(t) = timer.get_value() {
                t.clear();
            }
            let store = store.clone();
            sending.run(async move {
                match api::surveys::save_answer(id, &req).await {
                    Ok(a) => {
                        state::forget(&store);
                        base.try_update_value(|b| *b = Some(a.updated_at));
                        submitted.set(a.submitted_at);
                        draft.set(Draft::Saved(a.updated_at));
                        errors.set(FieldErrors::default());
                        failure.set(None);
                        Ok(())
                    }
                    Err(e) => {
                        let f = e.fields();
                        focus_first(&f);
                        errors.set(f);
                        Err(e)
                    }
                }
            });
        }
    };
    let status = move || {
        let l = lang.get();
        match (submitted.get(), draft.get()) {
            (Some(at), Draft::Clean | Draft::Saved(_)) => match l {
                Lang::Ko => format!(
                    "{}에 제출했습니다. 마감 전까지 고쳐서 다시 제출할 수 있습니다.",
                    crate::time::kst(at)
                ),
                Lang::En => format!(
                    "Submitted {}. You may change it and submit again until it closes.",
                    crate::time::kst(at)
                ),
            },
            (_, Draft::Saving) => pick(l, "저장 중…", "Saving…").into(),
            (_, Draft::Saved(at)) => match l {
                Lang::Ko => format!("임시 저장됨 ({})", crate::time::kst(at)),
                Lang::En => format!("Draft saved ({})", crate::time::kst(at)),
            },
            (_, Draft::Offline) => pick(
                l,
                "이 기기에 저장했습니다. 연결되면 서버에 저장합니다.",
                "Kept on this device; saved to the server once connected.",
            )
            .into(),
            (_, Draft::Refused) | (None, Draft::Clean) => String::new(),
        }
    };
    let org = v.answering_for.clone();
    let figures_year = v.survey.figures_year.filter(|_| v.survey.writes_figures());
    let prefilled = !v.prefill.is_empty() && server.is_none();
    view! {
        <form class="survey-form" on:submit=on_submit novalidate>
            {figures_year.map(|y| view! {
                <p class="alert alert-info" data-testid="figures-note">{move || match (lang.get(), prefilled) {
                    (Lang::Ko, true) => format!("제출하면 {y}년 실적이 기업 성과 현황에 기록됩니다. 실적 칸은 이미 입력된 값(없으면 전년도 값)으로 채워 두었으니 확인하고 고쳐 주세요."),
                    (Lang::Ko, false) => format!("제출하면 {y}년 실적이 기업 성과 현황에 기록됩니다."),
                    (Lang::En, true) => format!("On submission the figures of {y} are written to the firm's record. They start from the values kept (or last year's): check and correct them."),
                    (Lang::En, false) => format!("On submission the figures of {y} are written to the firm's record."),
                }}</p>
            })}
            {org.map(|o| view! {
                <p class="alert alert-info">{move || match lang.get() {
                    Lang::Ko => format!("{o}을(를) 대표해 응답합니다. 같은 기관의 구성원과 함께 작성하는 답변입니다."),
                    Lang::En => format!("You answer for {o}; its people share one answer."),
                }}</p>
            })}
            {(!open).then(|| view! {
                <p class="alert alert-warning">{move || if v.status == SurveyStatus::Upcoming {
                    pick(lang.get(), "아직 응답 기간이 아닙니다.", "This survey is not open yet.")
                } else {
                    pick(lang.get(), "마감된 설문입니다.", "This survey is closed.")
                }}</p>
            })}
            <p class="muted small">{tr!("* 표시는 필수 질문입니다.", "* marks a required question.")}</p>
            <fieldset class="plain" disabled=!open>
                {questionnaire.get_value().sections.into_iter().map(|s| view! {
                    <section class="survey-section">
                        <h2>{s.title}</h2>
                        {s.questions.into_iter().map(|q| {
                            let shown = {
                                let q = q.clone();
                                move || questionnaire.with_value(|all| answers.with(|a| all.asked(&q, a)))
                            };
                            view! {
                                <Show when=shown.clone()>
                                    <QuestionField q=q.clone() answers=answers errors=errors set=set/>
                                </Show>
                            }
                        }).collect_view()}
                    </section>
                }).collect_view()}
            </fieldset>
            <p class="status-line" role="status" aria-live="polite">{status}</p>
            <SurveyError error=Signal::derive(move || failure.get().or_else(|| sending.error().get()))/>
            <Show when=move || confirmed.get() || errors.with(|e| e.0.iter().any(|f| matches!(f.code, ErrorCode::Implausible)))>
                <label class="check confirm-figures">
                    <input type="checkbox" prop:checked=confirmed on:change=move |ev| confirmed.set(event_target_checked(&ev))/>
                    {tr!("평소와 크게 다른 실적이 맞습니다. 이대로 제출합니다.", "These figures are right, though far from the usual: submit them.")}
                </label>
            </Show>
            {open.then(|| view! {
                <button type="submit" class="btn btn-primary btn-block" disabled=sending.pending()>
                    {move || if submitted.get().is_some() {
                        pick(lang.get(), "다시 제출", "Submit again")
                    } else {
                        pick(lang.get(), "제출", "Submit")
                    }}
                </button>
            })}
        </form>
    }
}
