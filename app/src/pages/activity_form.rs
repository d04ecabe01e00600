//! The CM's schedule form: new activities and edits. Times are entered and shown
//! in Korea time; `core` checks the same rules the server does while typing.

use super::activity_text::kind_label;
use crate::{
    api,
    components::{
        cards::{ErrorView, Loading},
        form::{FormError, FormState, TextField, focus_soon},
        questions::{QuestionEditor, next_key, tidy},
    },
    i18n::{pick, use_lang},
    load::Load,
    routing::{id_param, query_param},
    submit::Submit,
    time::{now, parse_local, to_local},
    tr,
};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use moim_core::{
    ActivityId, ConsortiumId, ErrorCode, FieldErrors, Validate,
    activity::{
        AFFILIATION_MAX, ActivityAudience, ActivityKind, ActivityQuestions, ActivityView,
        AgendaItem, CATEGORIES_MAX, CATEGORY_MAX, CategoryDef, DESCRIPTION_MAX, ITEM_TITLE_MAX,
        NewActivity, PLACE_MAX, PROGRAMME_MAX, QUESTIONS_MAX, SPEAKER_MAX, TITLE_MAX,
    },
    idea::ConsortiumTag,
    partner::{PartnerList, PartnerQuery, PartnerTag},
    paths,
    questionnaire::{Question, QuestionType, Questionnaire, Section},
};

/// One programme item as typed.
#[derive(Clone, Copy)]
struct ItemRow {
    key: u32,
    at: RwSignal<String>,
    title: RwSignal<String>,
    speaker: RwSignal<String>,
    affiliation: RwSignal<String>,
}

impl ItemRow {
    fn new(key: u32, at: String) -> ItemRow {
        ItemRow {
            key,
            at: RwSignal::new(at),
            title: RwSignal::new(String::new()),
            speaker: RwSignal::new(String::new()),
            affiliation: RwSignal::new(String::new()),
        }
    }
}

/// One attendee category as typed.
#[derive(Clone, Copy)]
struct CategoryRow {
    key: u32,
    name: RwSignal<String>,
    capacity: RwSignal<String>,
}

/// The form's values as typed.
#[derive(Clone, Copy)]
struct Values {
    consortia: RwSignal<Vec<ConsortiumId>>,
    kind: RwSignal<String>,
    title: RwSignal<String>,
    description: RwSignal<String>,
    starts: RwSignal<String>,
    ends: RwSignal<String>,
    place: RwSignal<String>,
    online: RwSignal<String>,
    capacity: RwSignal<String>,
    deadline: RwSignal<String>,
    waitlist: RwSignal<bool>,
    audience: RwSignal<ActivityAudience>,
    /// Chosen by the CM; none: by kind (see `NewActivity::place_shown`).
    place_public: RwSignal<Option<bool>>,
    programme: RwSignal<Vec<ItemRow>>,
    categories: RwSignal<Vec<CategoryRow>>,
    /// The registration questions, as the shared editor edits them (one
    /// section).
    questions: RwSignal<Questionnaire>,
    /// The partners abroad co-organising it.
    partners: RwSignal<Vec<PartnerTag>>,
    /// The next programme row's key.
    next_key: StoredValue<u32>,
}

impl Values {
    fn new() -> Values {
        Values {
            consortia: RwSignal::new(Vec::new()),
            kind: RwSignal::new("seminar".into()),
            title: RwSignal::new(String::new()),
            description: RwSignal::new(String::new()),
            starts: RwSignal::new(String::new()),
            ends: RwSignal::new(String::new()),
            place: RwSignal::new(String::new()),
            online: RwSignal::new(String::new()),
            capacity: RwSignal::new(String::new()),
            deadline: RwSignal::new(String::new()),
            waitlist: RwSignal::new(true),
            audience: RwSignal::new(ActivityAudience::Members),
            place_public: RwSignal::new(None),
            programme: RwSignal::new(Vec::new()),
            categories: RwSignal::new(Vec::new()),
            questions: RwSignal::new(asking(Vec::new())),
            partners: RwSignal::new(Vec::new()),
            next_key: StoredValue::new(0),
        }
    }

    /// The request, and what cannot be read from the inputs.
    fn read(self) -> (NewActivity, FieldErrors) {
        let mut e = FieldErrors::default();
        let start = parse_local(&self.starts.get());
        let end = parse_local(&self.ends.get());
        if start.is_none() {
            e.add("starts_at", ErrorCode::Required);
        }
        if end.is_none() {
            e.add("ends_at", ErrorCode::Required);
        }
        let capacity = self.capacity.with(|c| c.trim().parse::<i64>().ok());
        if capacity.is_none() && !self.capacity.with(|c| c.trim().is_empty()) {
            e.add(
                "capacity",
                ErrorCode::OutOfRange {
                    min: 1,
                    max: moim_core::activity::CAPACITY_MAX,
                },
            );
        }
        let start = start.unwrap_or_else(now);
        let programme = self.programme.with(|rows| {
            rows.iter()
                .enumerate()
                .map(|(i, r)| {
                    let at = parse_local(&r.at.get());
                    if at.is_none() {
                        e.add(format!("programme[{i}].starts_at"), ErrorCode::Required);
                    }
                    AgendaItem {
                        starts_at: at.unwrap_or(start),
                        title: r.title.get(),
                        speaker: r.speaker.get(),
                        affiliation: r.affiliation.get(),
                    }
                })
                .collect()
        });
        let categories = self.categories.with(|rows| {
            rows.iter()
                .enumerate()
                .map(|(i, r)| {
                    let text = r.capacity.get();
                    let capacity = text.trim().parse::<i64>().ok();
                    if capacity.is_none() && !text.trim().is_empty() {
                        e.add(
                            format!("categories[{i}].capacity"),
                            ErrorCode::OutOfRange {
                                min: 1,
                                max: moim_core::activity::CAPACITY_MAX,
                            },
                        );
                    }
                    CategoryDef {
                        name: r.name.get(),
                        capacity,
                    }
                })
                .collect()
        });
        let a = NewActivity {
            consortium_ids: self.consortia.get(),
            kind: ActivityKind::from_code(&self.kind.get()).unwrap_or(ActivityKind::Other),
            title: self.title.get(),
            description: self.description.get(),
            starts_at: start,
            ends_at: end.unwrap_or(start),
            place: self.place.get(),
            online_url: Some(self.online.get()).filter(|u| !u.trim().is_empty()),
            capacity,
            deadline: parse_local(&self.deadline.get()),
            waitlist: self.waitlist.get(),
            audience: Some(self.audience.get()),
            place_public: self.place_public.get(),
            programme: Some(programme),
            categories: Some(categories),
            questions: Some(self.questions.with(|q| {
                q.questions()
                    .cloned()
                    .map(|mut q| {
                        tidy(&mut q);
                        q
                    })
                    .collect()
            })),
            partners: Some(self.partners.with(|p| p.iter().map(|t| t.id).collect())),
        };
        (a, e)
    }

    fn fill(self, a: &moim_core::activity::ActivityView) {
        let s = &a.summary;
        self.consortia
            .set(s.consortia.iter().map(|c| c.id).collect());
        self.kind.set(s.kind.code().into());
        self.title.set(s.title.clone());
        self.description.set(a.description.clone());
        self.starts.set(to_local(s.starts_at));
        self.ends.set(to_local(s.ends_at));
        self.place.set(s.place.clone());
        self.online.set(a.online_url.clone().unwrap_or_default());
        self.capacity
            .set(s.capacity.map(|c| c.to_string()).unwrap_or_default());
        self.deadline.set(to_local(a.deadline));
        self.waitlist.set(a.waitlist);
        self.audience.set(s.audience);
        self.place_public.set(Some(a.place_public));
        let rows = a
            .programme
            .iter()
            .map(|item| {
                let r = self.add_row(to_local(item.starts_at));
                r.title.set(item.title.clone());
                r.speaker.set(item.speaker.clone());
                r.affiliation.set(item.affiliation.clone());
                r
            })
            .collect();
        self.programme.set(rows);
        let rows = a
            .categories
            .iter()
            .map(|c| {
                let r = self.add_category();
                r.name.set(c.name.clone());
                r.capacity
                    .set(c.capacity.map(|n| n.to_string()).unwrap_or_default());
                r
            })
            .collect();
        self.categories.set(rows);
        self.partners.set(a.partners.clone());
    }

    /// A new category row (not yet in the list).
    fn add_category(self) -> CategoryRow {
        let key = self.next_key.get_value();
        self.next_key.set_value(key + 1);
        CategoryRow {
            key,
            name: RwSignal::new(String::new()),
            capacity: RwSignal::new(String::new()),
        }
    }

    /// A new programme row (not yet in the list), its time `at`.
    fn add_row(self, at: String) -> ItemRow {
        let key = self.next_key.get_value();
        self.next_key.set_value(key + 1);
        ItemRow::new(key, at)
    }

    /// Whether the place will be shown to everyone, as the checkbox shows it.
    fn place_shown(self) -> bool {
        self.place_public.get().unwrap_or_else(|| {
            ActivityKind::from_code(&self.kind.get()) != Some(ActivityKind::CompanyVisit)
        })
    }
}

#[component]
pub fn ScheduleForm() -> impl IntoView {
    let id = id_param("id").get_untracked().map(ActivityId);
    let lang = use_lang();
    let navigate = use_navigate();
    let v = Values::new();
    let loaded = RwSignal::new(id.is_none());
    let choices = Load::<Vec<ConsortiumTag>>::new(|| Some(paths::SCHEDULABLE.to_owned()));
    // A new activity for one consortium: `?consortium=` picks it.
    if let Some(c) = query_param("consortium")
        .get_untracked()
        .and_then(|c| c.parse().ok())
    {
        v.consortia.set(vec![ConsortiumId(c)]);
    }
    // An activity being edited fills the form once it is here; if it cannot be
    // read, the page says so instead of showing an empty form.
    let original = Load::<ActivityView>::new(move || id.map(paths::activity));
    let asked = Load::<ActivityQuestions>::new(move || id.map(paths::activity_questions));
    Effect::new(move |_| {
        if id.is_none() || loaded.get_untracked() {
            return;
        }
        if let (Some(Ok(a)), Some(Ok(q))) = (original.get(), asked.get()) {
            v.fill(&a);
            v.questions.set(asking(q.questions));
            loaded.set(true);
        }
    });
    let load_error = move || {
        id.and_then(|_| {
            original
                .get()
                .and_then(Result::err)
                .or_else(|| asked.get().and_then(Result::err))
        })
    };
    let form = FormState::new(move || {
        let (a, mut e) = v.read();
        if let Err(more) = a.validate() {
            for f in more.0 {
                if e.get(&f.field).is_none() {
                    e.0.push(f);
                }
            }
        }
        e
    });
    let saving = Submit::for_form(form);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !form.submit() {
            return;
        }
        let (a, _) = v.read();
        let navigate = navigate.clone();
        saving.run(async move {
            let a = match id {
                Some(id) => api::activities::update(id, &a).await,
                None => api::activities::create(&a).await,
            }?;
            navigate(&format!("/activities/{}", a.summary.id), Default::default());
            Ok(())
        });
    };
    let kinds = ActivityKind::ALL;
    let field_err = move |name: &'static str| {
        move || {
            form.error(name)
                .map(|e| crate::i18n::field_error(&e, lang.get()))
        }
    };
    view! {
        <section class="section activity-form-page">
            <h1>{move || if id.is_some() { pick(lang.get(), "활동 수정", "Edit activity") } else { pick(lang.get(), "활동 만들기", "Schedule an activity") }}</h1>
            {move || load_error().map(|e| view! { <ErrorView error=e/> })}
            <Show when=move || loaded.get() fallback=move || load_error().is_none().then(|| view! { <Loading/> })>
                <form class="activity-form" on:submit=submit.clone() novalidate>
                    <fieldset class="field" aria-describedby="consortia-error">
                        <legend>{tr!("대상 협의체", "For consortia")}<span class="req" aria-hidden="true">" *"</span></legend>
                        <p class="hint">{tr!("여러 협의체를 고르면 협의체 간 교류 행사가 됩니다.", "Pick several for a cross-consortium event.")}</p>
                        {move || choices.get().and_then(Result::err).map(|e| view! { <ErrorView error=e/> })}
                        {move || choices.get().and_then(Result::ok).map(|list| list.into_iter().map(|c| {
                            let cid = c.id;
                            let checked = move || v.consortia.with(|s| s.contains(&cid));
                            view! {
                                <label class="check">
                                    <input type="checkbox" prop:checked=checked on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        v.consortia.update(|s| { s.retain(|x| *x != cid); if on { s.push(cid); } });
                                        form.edited("consortium_ids");
                                    }/>
                                    {c.name}
                                </label>
                            }
                        }).collect_view())}
                        <p class="error" id="consortia-error">{field_err("consortium_ids")}</p>
                    </fieldset>
                    <div class="field">
                        <label for="act-kind">{tr!("종류", "Kind")}</label>
                        <select id="act-kind" prop:value=v.kind on:change=move |ev| v.kind.set(event_target_value(&ev))>
                            {kinds.iter().map(|k| {
                                let k = *k;
                                view! { <option value=k.code()>{move || kind_label(k, lang.get())}</option> }
                            }).collect_view()}
                        </select>
                    </div>
                    <TextField form=form prefix="act" name="title" label=("제목", "Title") value=v.title maxlength=TITLE_MAX required=true/>
                    <TextField form=form prefix="act" name="description" label=("내용", "Description") value=v.description multiline=true maxlength=DESCRIPTION_MAX/>
                    <div class="two">
                        <TextField form=form prefix="act" name="starts_at" kind="datetime-local" label=("시작 (한국 시간)", "Starts (Korea time)") value=v.starts required=true/>
                        <TextField form=form prefix="act" name="ends_at" kind="datetime-local" label=("종료", "Ends") value=v.ends required=true/>
                    </div>
                    <TextField form=form prefix="act" name="place" label=("장소 (주소)", "Place (address)") value=v.place maxlength=PLACE_MAX
                        hint=("온라인으로만 열리면 비워 두고 아래 링크를 넣으세요.", "Leave empty for an online-only activity and give the link below.")/>
                    <div class="field">
                        <label class="check">
                            <input type="checkbox" aria-describedby="act-place-public-hint" prop:checked=move || v.place_shown() on:change=move |ev| v.place_public.set(Some(event_target_checked(&ev)))/>
                            {tr!("주소를 모두에게 공개", "Show the address to everyone")}
                        </label>
                        <p class="hint" id="act-place-public-hint">{tr!("끄면 참가 확정자와 담당자에게만 보입니다. 기업방문은 처음에 꺼져 있습니다.", "Off: only people with a place and the organisers see it. Off at first for a company visit.")}</p>
                    </div>
                    <TextField form=form prefix="act" name="online_url" kind="url" label=("온라인 참여 링크", "Online link") value=v.online
                        hint=("참가 확정자에게만 보입니다.", "Shown to registered people only.")/>
                    <div class="two">
                        <TextField form=form prefix="act" name="capacity" kind="number" label=("정원 (비우면 제한 없음)", "Places (empty: no limit)") value=v.capacity/>
                        <TextField form=form prefix="act" name="deadline" kind="datetime-local" label=("신청 마감 (비우면 시작 시각)", "Registration closes (empty: at the start)") value=v.deadline/>
                    </div>
                    <Programme form=form v=v/>
                    <Categories form=form v=v/>
                    <RegistrationQuestions form=form v=v/>
                    <CoOrganisers form=form v=v/>
                    <fieldset class="field">
                        <legend>{tr!("참가 대상", "Who may register")}</legend>
                        <label class="check"><input type="radio" name="audience" prop:checked=move || v.audience.get() == ActivityAudience::Members on:change=move |_| v.audience.set(ActivityAudience::Members)/>{tr!("대상 협의체 회원만", "Members of these consortia")}</label>
                        <label class="check"><input type="radio" name="audience" prop:checked=move || v.audience.get() == ActivityAudience::SignedIn on:change=move |_| v.audience.set(ActivityAudience::SignedIn)/>{tr!("로그인한 누구나 (공개 행사)", "Anyone signed in (an open event)")}</label>
                        <label class="check"><input type="radio" name="audience" prop:checked=move || v.audience.get() == ActivityAudience::Anyone on:change=move |_| v.audience.set(ActivityAudience::Anyone)/>{tr!("누구나, 계정 없는 게스트도 (메일로 확인)", "Anyone, guests without an account too (confirmed by mail)")}</label>
                    </fieldset>
                    <label class="check">
                        <input type="checkbox" prop:checked=v.waitlist on:change=move |ev| v.waitlist.set(event_target_checked(&ev))/>
                        {tr!("정원이 차면 대기자를 받고, 취소가 생기면 순서대로 자동 확정", "When full, keep a waiting list and give freed places in order")}
                    </label>
                    <FormError error=saving.error()/>
                    <button type="submit" class="btn btn-primary btn-block" disabled=saving.pending()>
                        {move || if id.is_some() { pick(lang.get(), "저장", "Save") } else { pick(lang.get(), "활동 만들기", "Schedule") }}
                    </button>
                </form>
            </Show>
        </section>
    }
}

/// The programme's rows: time, title, speaker and affiliation each, added and
/// removed; errors named on their inputs.
#[component]
fn Programme(form: FormState, v: Values) -> impl IntoView {
    let lang = use_lang();
    let add = move |_| {
        // A new item starts where the last one did (or at the activity's start).
        let at = v
            .programme
            .with_untracked(|rows| rows.last().map(|r| r.at.get_untracked()))
            .unwrap_or_else(|| v.starts.get_untracked());
        let row = v.add_row(at);
        v.programme.update(|rows| rows.push(row));
        form.edited("programme");
        focus_soon(format!("#act-item{}-starts_at", row.key));
    };
    let index = move |key: u32| {
        v.programme
            .with(|rows| rows.iter().position(|r| r.key == key))
            .unwrap_or(0)
    };
    let row_view = move |r: ItemRow| {
        let key = r.key;
        let field = move |f: &'static str| format!("programme[{}].{f}", index(key));
        let err = move |f: &'static str| {
            move || {
                form.error(&field(f))
                    .map(|e| crate::i18n::field_error(&e, lang.get()))
            }
        };
        let input = move |f: &'static str,
                          label: (&'static str, &'static str),
                          kind: &'static str,
                          max: usize,
                          value: RwSignal<String>| {
            let id = format!("act-item{key}-{f}");
            let error_id = format!("{id}-error");
            let has_error = move || form.error(&field(f)).is_some();
            let on_input = move |ev| {
                value.set(event_target_value(&ev));
                form.edited(&field(f));
            };
            view! {
                <div class=format!("field item-{f}")>
                    <label for=id.clone()>{move || pick(lang.get(), label.0, label.1)}</label>
                    <input id=id type=kind maxlength=max prop:value=value on:input=on_input
                        aria-invalid=move || has_error().then_some("true")
                        aria-describedby=move || has_error().then(|| error_id.clone())/>
                    <p class="error" id=format!("act-item{key}-{f}-error")>{err(f)}</p>
                </div>
            }
        };
        let remove = move |_| {
            v.programme.update(|rows| rows.retain(|x| x.key != key));
            // The rows after it moved up: the server's errors named by index are stale.
            form.forget("programme");
            focus_soon("#act-programme-add");
        };
        let n = move || index(key) + 1;
        view! {
            <li>
                <fieldset class="agenda-row">
                    <legend class="h-small">{move || pick(lang.get(), format!("{}번째 순서", n()), format!("Item {}", n()))}</legend>
                    {input("starts_at", ("시간", "Time"), "datetime-local", 16, r.at)}
                    {input("title", ("순서", "Item"), "text", ITEM_TITLE_MAX, r.title)}
                    {input("speaker", ("발표자", "Speaker"), "text", SPEAKER_MAX, r.speaker)}
                    {input("affiliation", ("소속", "Affiliation"), "text", AFFILIATION_MAX, r.affiliation)}
                    <button type="button" class="btn-text" on:click=remove>
                        {move || pick(lang.get(), format!("{}번째 순서 삭제", n()), format!("Remove item {}", n()))}
                    </button>
                </fieldset>
            </li>
        }
    };
    view! {
        <fieldset class="field programme-edit">
            <legend>{tr!("프로그램 (선택)", "Programme (optional)")}</legend>
            <p class="hint">{tr!("시간과 순서, 발표자와 소속을 적으면 활동 페이지와 캘린더 파일에 실립니다.", "Times, items, speakers and their affiliations appear on the activity page and in its calendar file.")}</p>
            <ol class="agenda-rows">
                <For each=move || v.programme.get() key=|r| r.key children=row_view/>
            </ol>
            <p class="error" role="alert">{move || form.error("programme").map(|e| crate::i18n::field_error(&e, lang.get()))}</p>
            <Show when=move || v.programme.with(|r| r.len() < PROGRAMME_MAX)>
                <button type="button" id="act-programme-add" class="btn btn-secondary" on:click=add>{tr!("+ 순서 추가", "+ Add an item")}</button>
            </Show>
        </fieldset>
    }
}

/// Registration questions as the shared editor edits them: one section.
fn asking(questions: Vec<Question>) -> Questionnaire {
    Questionnaire {
        sections: vec![Section {
            title: String::new(),
            questions,
        }],
    }
}

/// The registration questions: the questionnaire model's questions (text,
/// choices, yes/no, numbers...), each perhaps asked only after an earlier
/// answer.
#[component]
fn RegistrationQuestions(form: FormState, v: Values) -> impl IntoView {
    let lang = use_lang();
    let count = move || v.questions.with(|q| q.questions().count());
    let add = move |_| {
        v.questions.update(|q| {
            let key = next_key(q);
            if let Some(s) = q.sections.first_mut() {
                s.questions
                    .push(Question::new(key, "", QuestionType::ShortText));
            }
        });
        form.edited("questions");
        focus_soon(format!("#act-q{}-text", count().saturating_sub(1)));
    };
    let error = Callback::new(move |f: String| form.error(&f));
    view! {
        <fieldset class="field questions-edit">
            <legend>{tr!("신청 질문 (선택)", "Registration questions (optional)")}</legend>
            <p class="hint">{tr!(
                "신청할 때 모두에게 묻습니다(예: 오찬 참석, 관심 분야). 신청자가 생긴 뒤에는 바꿀 수 없습니다.",
                "Asked of everyone registering (lunch, fields of interest...). They cannot change once someone has registered."
            )}</p>
            <For each=move || 0..count() key=|i| *i let:i>
                <QuestionEditor d=v.questions s=0 i=i error=error at=format!("questions.{i}") base=format!("act-q{i}")/>
            </For>
            <p class="error" role="alert">{move || form.error("questions").map(|e| crate::i18n::field_error(&e, lang.get()))}</p>
            <Show when=move || count() < QUESTIONS_MAX>
                <button type="button" id="act-question-add" class="btn btn-secondary" on:click=add>{tr!("+ 질문 추가", "+ Add a question")}</button>
            </Show>
        </fieldset>
    }
}

/// The attendee categories' rows: a name and an optional cap each.
#[component]
fn Categories(form: FormState, v: Values) -> impl IntoView {
    let lang = use_lang();
    let add = move |_| {
        let row = v.add_category();
        v.categories.update(|rows| rows.push(row));
        focus_soon(format!("#act-cat{}-name", row.key));
    };
    let index = move |key: u32| {
        v.categories
            .with(|rows| rows.iter().position(|r| r.key == key))
            .unwrap_or(0)
    };
    let row_view = move |r: CategoryRow| {
        let key = r.key;
        let n = move || index(key) + 1;
        let field = move |f: &'static str| format!("categories[{}].{f}", index(key));
        let input = move |f: &'static str,
                          label: (&'static str, &'static str),
                          kind: &'static str,
                          value: RwSignal<String>| {
            let id = format!("act-cat{key}-{f}");
            let error_id = format!("{id}-error");
            let has_error = move || form.error(&field(f)).is_some();
            view! {
                <div class=format!("field cat-{f}")>
                    <label for=id.clone()>{move || pick(lang.get(), label.0, label.1)}</label>
                    <input id=id type=kind maxlength=CATEGORY_MAX prop:value=value
                        on:input=move |ev| { value.set(event_target_value(&ev)); form.edited(&field(f)); }
                        aria-invalid=move || has_error().then_some("true")
                        aria-describedby=move || has_error().then(|| error_id.clone())/>
                    <p class="error" id=format!("act-cat{key}-{f}-error")>
                        {move || form.error(&field(f)).map(|e| crate::i18n::field_error(&e, lang.get()))}
                    </p>
                </div>
            }
        };
        let remove = move |_| {
            v.categories.update(|rows| rows.retain(|x| x.key != key));
            form.forget("categories");
            focus_soon("#act-category-add");
        };
        view! {
            <li>
                <fieldset class="category-row">
                    <legend class="h-small">{move || pick(lang.get(), format!("{}번째 구분", n()), format!("Category {}", n()))}</legend>
                    {input("name", ("이름", "Name"), "text", r.name)}
                    {input("capacity", ("정원 (비우면 제한 없음)", "Places (empty: no limit)"), "number", r.capacity)}
                    <button type="button" class="btn-text" on:click=remove>
                        {move || pick(lang.get(), format!("{}번째 구분 삭제", n()), format!("Remove category {}", n()))}
                    </button>
                </fieldset>
            </li>
        }
    };
    view! {
        <fieldset class="field categories-edit">
            <legend>{tr!("참가 구분 (선택)", "Attendee categories (optional)")}</legend>
            <p class="hint">{tr!("정부, 지자체, 학계·연구소, 언론처럼 나누면 신청자가 하나를 고르고, 구분마다 정원을 둘 수 있습니다. 신청자가 있는 구분은 지우거나 이름을 바꿀 수 없습니다.", "Split attendees (government, local government, academia, press…): each registrant chooses one, and each can have its own cap. A category someone chose cannot be removed or renamed.")}</p>
            <ol class="agenda-rows">
                <For each=move || v.categories.get() key=|r| r.key children=row_view/>
            </ol>
            <p class="error" role="alert">{move || form.error("categories").map(|e| crate::i18n::field_error(&e, lang.get()))}</p>
            <Show when=move || v.categories.with(|r| r.len() < CATEGORIES_MAX)>
                <button type="button" id="act-category-add" class="btn btn-secondary" on:click=add>{tr!("+ 구분 추가", "+ Add a category")}</button>
            </Show>
        </fieldset>
    }
}

/// The partners abroad that co-organise the activity, picked from the
/// register by name (nothing is drawn while the register is empty).
#[component]
fn CoOrganisers(form: FormState, v: Values) -> impl IntoView {
    let lang = use_lang();
    let words = RwSignal::new(String::new());
    let found = Load::<PartnerList>::new(move || {
        Some(paths::partners(&PartnerQuery {
            q: Some(words.get()).filter(|w| !w.trim().is_empty()),
            ..Default::default()
        }))
    });
    let any = RwSignal::new(false);
    Effect::new(move |_| {
        if let Some(Ok(l)) = found.get()
            && l.total > 0
        {
            any.set(true);
        }
    });
    let name = move |t: &PartnerTag| pick(lang.get(), t.name_ko.clone(), t.name.clone());
    view! {
        <Show when=move || any.get() || v.partners.with(|p| !p.is_empty())>
            <fieldset class="field co-organisers" aria-describedby="act-partners-error">
                <legend>{tr!("공동 주최 해외 협력기관", "Co-organised with partners abroad")}</legend>
                <ul class="chips" aria-label=tr!("고른 기관", "Chosen") hidden=move || v.partners.with(Vec::is_empty)>
                    {move || v.partners.get().into_iter().map(|t| {
                        let pid = t.id;
                        let label = name(&t);
                        view! {
                            <li class="chip">{label.clone()}
                                <button type="button" class="btn-text" aria-label=move || pick(lang.get(), format!("{label} 빼기"), format!("Remove {label}"))
                                    on:click=move |_| { v.partners.update(|p| p.retain(|x| x.id != pid)); form.edited("partners"); }>"×"</button>
                            </li>
                        }
                    }).collect_view()}
                </ul>
                <label for="act-partner-q">{tr!("기관 찾기", "Find a partner")}</label>
                // Enter searches here; it does not send the activity's form.
                <input id="act-partner-q" type="search" prop:value=words on:input=move |ev| words.set(event_target_value(&ev))
                    on:keydown=move |ev| if ev.key() == "Enter" { ev.prevent_default() }/>
                <ul class="partner-picks">
                    {move || found.get().and_then(Result::ok).map(|l| l.items.into_iter()
                        .filter(|p| v.partners.with(|c| !c.iter().any(|x| x.id == p.tag.id)))
                        .take(8)
                        .map(|p| {
                            let tag = p.tag.clone();
                            let label = format!("{} ({})", name(&tag), crate::country::country_label(&tag.country, lang.get()));
                            view! {
                                <li><button type="button" class="btn btn-secondary btn-sm" on:click=move |_| {
                                    v.partners.update(|c| c.push(tag.clone()));
                                    form.edited("partners");
                                }>"+ "{label}</button></li>
                            }
                        }).collect_view())}
                </ul>
                <p class="error" id="act-partners-error">{move || form.error("partners").map(|e| crate::i18n::field_error(&e, lang.get()))}</p>
            </fieldset>
        </Show>
    }
}
