//! The one questionnaire model's pieces the pages share: a question drawn
//! for answering (a survey, an activity's registration questions) and a
//! question being written (a survey's builder, an activity's form).

use crate::{
    i18n::{Lang, field_error, pick, use_lang},
    tr,
};
use leptos::prelude::*;
use moim_core::{
    ErrorCode, FieldErrors,
    figures::FigureField,
    questionnaire::{
        Answer, Answers, Condition, LONG_ANSWER_MAX, OPTION_MAX, OPTIONS_MAX, QUESTION_MAX,
        Question, QuestionType, Questionnaire, SCALE_MAX, SHORT_ANSWER_MAX, UNIT_MAX,
    },
};

/// A question as written, made ready to send: its choices as typed one a
/// line, trimmed, the blank lines gone; a blank help or unit none.
pub fn tidy(q: &mut Question) {
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

/// A question kind's name.
pub fn kind_label(k: QuestionType, lang: Lang) -> &'static str {
    match k {
        QuestionType::ShortText => pick(lang, "단답형", "Short text"),
        QuestionType::LongText => pick(lang, "서술형", "Long text"),
        QuestionType::SingleChoice => pick(lang, "객관식 (하나)", "Single choice"),
        QuestionType::MultipleChoice => pick(lang, "객관식 (여럿)", "Multiple choice"),
        QuestionType::Number => pick(lang, "숫자", "Number"),
        QuestionType::Scale => pick(lang, "5점 척도", "1–5 scale"),
        QuestionType::YesNo => pick(lang, "예/아니요", "Yes/no"),
    }
}

/// The next free key (`q7`).
pub fn next_key(q: &Questionnaire) -> String {
    let n = q
        .questions()
        .filter_map(|x| x.key.strip_prefix('q').and_then(|n| n.parse::<u32>().ok()))
        .max()
        .unwrap_or(0);
    format!("q{}", n + 1)
}

/// Only the answers to questions asked.
pub fn asked(q: &Questionnaire, a: &Answers) -> Answers {
    a.iter()
        .filter(|(k, _)| q.question(k).is_some_and(|question| q.asked(question, a)))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// Moves the focus to the first question refused, so a screen reader (and a
/// phone's screen) gets there.
pub fn focus_first(e: &FieldErrors) {
    use wasm_bindgen::JsCast;
    let Some(first) = e.0.first() else { return };
    let id = format!("q-{}", first.field.trim_start_matches("answers."));
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(&id))
        .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = el.focus();
    }
}

/// One question, drawn for its kind.
#[component]
pub fn QuestionField(
    q: Question,
    answers: RwSignal<Answers>,
    errors: RwSignal<FieldErrors>,
    set: Callback<(String, Option<Answer>)>,
) -> impl IntoView {
    let lang = use_lang();
    let k = q.key.clone();
    let id = format!("q-{k}");
    let error_id = format!("{id}-error");
    let help_id = format!("{id}-help");
    let local_error = RwSignal::new(None::<ErrorCode>);
    let error = {
        let field = format!("answers.{k}");
        Signal::derive(move || {
            local_error
                .get()
                .or_else(|| errors.with(|e| e.get(&field).cloned()))
        })
    };
    let described = {
        let (h, e) = (help_id.clone(), error_id.clone());
        let help = q.help.is_some();
        move || {
            let mut ids = Vec::new();
            if help {
                ids.push(h.clone());
            }
            if error.with(Option::is_some) {
                ids.push(e.clone());
            }
            ids.join(" ")
        }
    };
    let current = {
        let k = k.clone();
        move || answers.with(|a| a.get(&k).cloned())
    };
    let req = q.required.then(|| {
        view! {
            <span class="req" aria-hidden="true">" *"</span>
            <span class="sr-only">{move || pick(lang.get(), " (필수)", " (required)")}</span>
        }
    });
    let help = q
        .help
        .clone()
        .map(|h| view! { <p class="hint" id=help_id.clone()>{h}</p> });
    let foot = view! { <p class="error" id=error_id.clone()>{move || error.get().map(|e| field_error(&e, lang.get()))}</p> };
    let invalid = move || error.with(Option::is_some);
    let put = {
        let k = k.clone();
        move |a: Option<Answer>| set.run((k.clone(), a))
    };
    match q.kind {
        QuestionType::ShortText | QuestionType::LongText => {
            let long = q.kind == QuestionType::LongText;
            let max = if long {
                LONG_ANSWER_MAX
            } else {
                SHORT_ANSWER_MAX
            };
            let value = move || match current() {
                Some(Answer::Text(t)) => t,
                _ => String::new(),
            };
            let on_input = move |ev| {
                let t = event_target_value(&ev);
                put((!t.is_empty()).then_some(Answer::Text(t)));
            };
            let input = if long {
                view! { <textarea id=id.clone() rows="4" maxlength=max prop:value=value on:input=on_input
                    aria-invalid=move || invalid().to_string() aria-describedby=described.clone()></textarea> }.into_any()
            } else {
                view! { <input id=id.clone() type="text" maxlength=max prop:value=value on:input=on_input
                    aria-invalid=move || invalid().to_string() aria-describedby=described.clone()/> }.into_any()
            };
            view! {
                <div class="field" class:invalid=invalid>
                    <label for=id.clone()>{q.text.clone()}{req}</label>
                    {help}
                    {input}
                    {foot}
                </div>
            }
            .into_any()
        }
        QuestionType::Number => {
            let start = match current() {
                Some(Answer::Number(n)) => n.to_string(),
                _ => String::new(),
            };
            let text = RwSignal::new(start);
            let on_input = move |ev| {
                let t = event_target_value(&ev);
                text.set(t.clone());
                let clean: String = t.chars().filter(|c| !matches!(c, ',' | ' ')).collect();
                if clean.is_empty() {
                    local_error.set(None);
                    put(None);
                } else if let Ok(n) = clean
                    .parse::<f64>()
                    .map_err(|_| ())
                    .and_then(|n| if n.is_finite() { Ok(n) } else { Err(()) })
                {
                    local_error.set(None);
                    put(Some(Answer::Number(n)));
                } else {
                    // Not a number: nothing is kept for it (no earlier value
                    // goes out unseen), and the field says why.
                    local_error.set(Some(ErrorCode::InvalidChoice));
                    put(None);
                }
            };
            let unit = q.unit.clone().filter(|u| !u.trim().is_empty());
            view! {
                <div class="field" class:invalid=invalid>
                    <label for=id.clone()>{q.text.clone()}{unit.clone().map(|u| format!(" ({u})"))}{req}</label>
                    {help}
                    <div class="with-unit">
                        <input id=id.clone() type="text" inputmode="decimal" prop:value=text on:input=on_input
                            aria-invalid=move || invalid().to_string() aria-describedby=described.clone()/>
                        {unit.map(|u| view! { <span class="unit" aria-hidden="true">{u}</span> })}
                    </div>
                    {foot}
                </div>
            }
            .into_any()
        }
        kind => {
            // Choices, yes/no and the scale: one fieldset of radios or checkboxes.
            let many = kind == QuestionType::MultipleChoice;
            let options: Vec<((String, String), Answer)> = match kind {
                QuestionType::YesNo => vec![
                    (("예".into(), "Yes".into()), Answer::YesNo(true)),
                    (("아니요".into(), "No".into()), Answer::YesNo(false)),
                ],
                QuestionType::Scale => (1..=SCALE_MAX)
                    .map(|n| {
                        let (ko, en) = match n {
                            1 => (" (매우 불만족)", " (very poor)"),
                            5 => (" (매우 만족)", " (very good)"),
                            _ => ("", ""),
                        };
                        (
                            (format!("{n}{ko}"), format!("{n}{en}")),
                            Answer::Number(f64::from(n)),
                        )
                    })
                    .collect(),
                // The author's own words, the same in both languages.
                _ => q
                    .options
                    .iter()
                    .enumerate()
                    .map(|(i, o)| ((o.clone(), o.clone()), Answer::Choices(vec![i as u32])))
                    .collect(),
            };
            let name = id.clone();
            view! {
                <fieldset class="field choices" class:invalid=invalid aria-describedby=described.clone()
                    aria-invalid=move || invalid().to_string()>
                    <legend>{q.text.clone()}{req}</legend>
                    {help}
                    {options.into_iter().enumerate().map(|(i, (label, value))| {
                        let input_id = if i == 0 { id.clone() } else { format!("{id}-{i}") };
                        let (current, now) = (current.clone(), current.clone());
                        let put = put.clone();
                        let choice = match &value { Answer::Choices(c) => c.first().copied(), _ => None };
                        let checked = {
                            let value = value.clone();
                            move || match (current(), choice) {
                                (Some(Answer::Choices(c)), Some(i)) => c.contains(&i),
                                (Some(a), None) => a == value,
                                _ => false,
                            }
                        };
                        let on_change = move |ev| {
                            let on = event_target_checked(&ev);
                            if many {
                                let i = choice.unwrap_or_default();
                                let mut c = match now() { Some(Answer::Choices(c)) => c, _ => Vec::new() };
                                c.retain(|x| *x != i);
                                if on {
                                    c.push(i);
                                    c.sort_unstable();
                                }
                                put((!c.is_empty()).then_some(Answer::Choices(c)));
                            } else if on {
                                put(Some(value.clone()));
                            }
                        };
                        view! {
                            <label class="choice" for=input_id.clone()>
                                <input id=input_id.clone() type=if many { "checkbox" } else { "radio" } name=name.clone()
                                    prop:checked=checked on:change=on_change/>
                                {move || pick(lang.get(), label.0.clone(), label.1.clone())}
                            </label>
                        }
                    }).collect_view()}
                    {foot}
                </fieldset>
            }
            .into_any()
        }
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

/// Where an editor's errors are read: the field's error now (reactive).
pub type ErrorOf = Callback<String, Option<ErrorCode>>;

/// Question `i` of section `s` of `d`: its words, kind, choices, unit, (for
/// a yearly survey, with `figures`) the firm's figure it writes, and the
/// earlier answer it is asked after. Its errors are read from `error` under
/// `at` (`questionnaire.sections.0.questions.1`); its ids start with `base`.
/// `keep_one`: the section's last question cannot be removed.
#[component]
pub fn QuestionEditor(
    d: RwSignal<Questionnaire>,
    s: usize,
    i: usize,
    error: ErrorOf,
    at: String,
    base: String,
    #[prop(optional)] figures: bool,
    #[prop(optional)] keep_one: bool,
) -> impl IntoView {
    let lang = use_lang();
    let get = move |f: fn(&Question) -> String| {
        move || {
            d.with(|x| {
                x.sections
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
            x.sections
                .get(s)
                .and_then(|sec| sec.questions.get(i))
                .map(|q| q.kind)
        })
    };
    let error_of = move |field: String| {
        Signal::derive(move || {
            error
                .run(field.clone())
                .map(|c| field_error(&c, lang.get()))
        })
    };
    let text_error = error_of(format!("{at}.text"));
    let options_error = {
        let at = at.clone();
        // The list's own error, or the first choice's.
        move || {
            std::iter::once(format!("{at}.options"))
                .chain((0..OPTIONS_MAX).map(|o| format!("{at}.options.{o}")))
                .find_map(|f| error.run(f))
                .map(|c| field_error(&c, lang.get()))
        }
    };
    let condition_error = error_of(format!("{at}.show_if"));
    let unit_error = error_of(format!("{at}.unit"));
    let figure_error = error_of(format!("{at}.figure"));
    let (fid, fe) = (format!("{base}-figure"), format!("{base}-figure-error"));
    let remove = move |_| {
        d.update(|x| {
            if let Some(sec) = x.sections.get_mut(s)
                && i < sec.questions.len()
                && (sec.questions.len() > 1 || !keep_one)
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
                    <input type="checkbox" prop:checked=move || d.with(|x| x.sections.get(s).and_then(|sec| sec.questions.get(i)).is_some_and(|q| q.required))
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
                {figures.then(|| {
                    let (fid, fe) = (fid.clone(), fe.clone());
                    view! {
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
                    }
                })}
            </Show>
            <div class="field">
                <label for=cid.clone()>{tr!("표시 조건", "Ask only if")}</label>
                <select id=cid aria-describedby=format!("{base}-if-error") on:change=move |ev| { let c = parse_condition(&event_target_value(&ev)); edit(Box::new(move |q| q.show_if = c.clone())) }>
                    <option value="">{tr!("항상 묻기", "Always ask")}</option>
                    {move || {
                        let current = get(|q| condition_code(&q.show_if))();
                        let own = get(|q| q.key.clone())();
                        d.with(|x| conditions(x, &own, lang.get())).into_iter().map(|(v, l)| {
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
