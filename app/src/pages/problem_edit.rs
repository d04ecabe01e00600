//! Writing a problem: drafts save themselves while the firm types; similar problems
//! show up under the title; publishing checks everything; attachments upload once
//! a draft exists. A published problem is edited with an explicit save, and every
//! save is kept as a revision.

use crate::{
    api,
    components::{
        cards::{ErrorView, Loading},
        form::{FormError, FormState, TextField},
    },
    i18n::{self, Lang, M, t, use_lang},
    load::Load,
    pages::problem_text as pt,
    state::{use_refs, use_session},
    submit::Submit,
    text, tr,
};
use leptos::{prelude::*, task::spawn_local};
use leptos_router::{NavigateOptions, components::A, hooks::use_navigate};
use moim_core::{
    ConsortiumId, FieldId, Page, ProblemId, Validate,
    consortium::{ConsortiumQuery, ConsortiumSummary},
    paths,
    problem::*,
};
use std::time::Duration;

#[derive(Clone, Copy, PartialEq)]
enum SaveState {
    Idle,
    Saving,
    Saved(chrono::DateTime<chrono::Utc>),
    Failed,
}

/// The form's one value: the problem as the firm is writing it.
#[derive(Clone, PartialEq)]
struct Draft {
    consortium: String,
    title: String,
    summary: String,
    details: String,
    fields: Vec<FieldId>,
    keywords: String,
    help: Vec<HelpKind>,
    timeline: String,
    budget: Budget,
    confidentiality: Confidentiality,
}

impl Default for Draft {
    fn default() -> Self {
        Draft {
            consortium: String::new(),
            title: String::new(),
            summary: String::new(),
            details: String::new(),
            fields: Vec::new(),
            keywords: String::new(),
            help: Vec::new(),
            timeline: "6".into(),
            budget: Budget::Undecided,
            confidentiality: Confidentiality::Nda,
        }
    }
}

impl Draft {
    fn of(p: &ProblemView) -> Draft {
        let s = &p.summary;
        Draft {
            consortium: s.consortium_id.0.to_string(),
            title: s.title.clone(),
            summary: s.summary.clone(),
            details: p.details.clone().unwrap_or_default(),
            fields: s.fields.iter().map(|f| f.id).collect(),
            keywords: s.keywords.join(", "),
            help: s.help.clone(),
            timeline: p.timeline_months.map(|m| m.to_string()).unwrap_or_default(),
            budget: p.budget,
            confidentiality: s.confidentiality,
        }
    }

    /// The request for it: saved as a draft, or published.
    fn input(&self, publish: bool) -> ProblemInput {
        ProblemInput {
            consortium_id: ConsortiumId(self.consortium.parse().unwrap_or_default()),
            title: self.title.clone(),
            summary: self.summary.clone(),
            details: self.details.clone(),
            field_ids: self.fields.clone(),
            keywords: self
                .keywords
                .split([',', '，'])
                .map(str::trim)
                .filter(|k| !k.is_empty())
                .map(str::to_owned)
                .collect(),
            help: self.help.clone(),
            timeline_months: self.timeline.trim().parse().ok(),
            budget: self.budget,
            confidentiality: self.confidentiality,
            publish,
        }
    }
}

/// Runs work a pause after the last call (typing), a newer call cancelling the wait.
#[derive(Clone, Copy)]
struct Debounce(StoredValue<u32>);

impl Debounce {
    fn new() -> Self {
        Debounce(StoredValue::new(0))
    }

    fn call(self, pause: Duration, work: impl FnOnce() + 'static) {
        self.cancel();
        let mine = self.0.get_value();
        set_timeout(
            move || {
                if self.0.try_get_value() == Some(mine) {
                    work();
                }
            },
            pause,
        );
    }

    /// Forgets a call still waiting.
    fn cancel(self) {
        self.0.update_value(|g| *g += 1);
    }
}

#[component]
pub fn ProblemEditPage() -> impl IntoView {
    let lang = use_lang();
    let refs = use_refs();
    let session = use_session();
    let navigate = use_navigate();
    let existing = crate::routing::id_param("id")
        .get_untracked()
        .map(ProblemId);
    let id = RwSignal::new(existing);
    let status = RwSignal::new(ProblemStatus::Draft);
    let loaded = RwSignal::new(existing.is_none());
    let draft = RwSignal::new(Draft::default());
    let attachments = RwSignal::new(Vec::<AttachmentView>::new());

    let consortia = Load::<Page<ConsortiumSummary>>::new(|| {
        Some(paths::consortia(&ConsortiumQuery {
            mine: Some(true),
            per_page: Some(50),
            ..Default::default()
        }))
    });
    // An existing problem: its text fills the form once.
    let original = Load::<ProblemView>::new(move || existing.map(paths::problem));
    Effect::new(move |_| {
        if existing.is_none() || loaded.get_untracked() {
            return;
        }
        if let Some(Ok(p)) = original.get() {
            status.set(p.summary.status);
            draft.set(Draft::of(&p));
            attachments.set(p.attachments);
            loaded.set(true);
        }
    });
    let load_error = move || existing.and_then(|_| original.get()).and_then(Result::err);
    let form = FormState::new(move || {
        draft
            .with(|d| d.input(true))
            .validate()
            .err()
            .unwrap_or_default()
    });
    let save_state = RwSignal::new(SaveState::Idle);

    // Drafts save themselves 1.2 s after the last change.
    let autosave = Debounce::new();
    let navigate_draft = StoredValue::new_local(navigate.clone());
    let save_draft = move || {
        let body = draft.with_untracked(|d| d.input(false));
        if body.title.trim().is_empty() || body.consortium_id.0 == 0 || body.validate().is_err() {
            return;
        }
        save_state.set(SaveState::Saving);
        spawn_local(async move {
            let r = match id.get_untracked() {
                Some(pid) => api::problems::update(pid, &body).await,
                None => api::problems::create(&body).await,
            };
            match r {
                Ok(p) => {
                    if id.get_untracked().is_none() {
                        // The draft's own address, so a reload finds it; the same
                        // page stays, so nothing typed is disturbed.
                        navigate_draft.with_value(|n| {
                            n(
                                &format!("/problems/{}/edit", p.summary.id),
                                NavigateOptions {
                                    replace: true,
                                    scroll: false,
                                    ..Default::default()
                                },
                            )
                        });
                    }
                    id.set(Some(p.summary.id));
                    save_state.set(SaveState::Saved(p.updated_at));
                }
                // Shown beside the form; the text is still in it, and the next
                // change tries again.
                Err(_) => save_state.set(SaveState::Failed),
            }
        });
    };
    Effect::new(move |first: Option<()>| {
        draft.track();
        if first.is_none()
            || !loaded.get_untracked()
            || status.get_untracked() != ProblemStatus::Draft
        {
            return;
        }
        autosave.call(Duration::from_millis(1200), save_draft);
    });

    // Similar problems while the title is typed (an aid: when the lookup fails,
    // the list simply stays as it was).
    let similar = RwSignal::new(Vec::<ProblemSummary>::new());
    let lookup = Debounce::new();
    let title = Memo::new(move |_| draft.with(|d| d.title.clone()));
    Effect::new(move |_| {
        let t = title.get();
        if t.trim().chars().count() < 2 {
            lookup.cancel();
            similar.set(Vec::new());
            return;
        }
        lookup.call(Duration::from_millis(400), move || {
            spawn_local(async move {
                if let Ok(list) = api::problems::similar(&t).await {
                    let me = id.get_untracked();
                    similar.try_set(list.into_iter().filter(|p| Some(p.id) != me).collect());
                }
            });
        });
    });

    let publishing = Submit::for_form(form);
    let publish = {
        let navigate = navigate.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            if !form.submit() {
                return;
            }
            let body = draft.with_untracked(|d| d.input(true));
            let navigate = navigate.clone();
            autosave.cancel();
            publishing.run(async move {
                let p = match id.get_untracked() {
                    Some(pid) => api::problems::update(pid, &body).await,
                    None => api::problems::create(&body).await,
                }?;
                navigate(&format!("/problems/{}", p.summary.id), Default::default());
                Ok(())
            });
        }
    };

    let upload_error = RwSignal::new(None::<String>);
    let files = Submit::new();
    let on_file = move |ev: leptos::ev::Event| {
        upload_error.set(None);
        let file =
            match crate::components::form::picked_file(&ev, ATTACHMENT_MAX, lang.get_untracked()) {
                None => return,
                Some(Err(e)) => return upload_error.set(Some(e)),
                Some(Ok(f)) => f,
            };
        let Some(pid) = id.get_untracked() else {
            return;
        };
        files.run(async move {
            let a = api::problems::upload(pid, &file).await?;
            attachments.update(|l| l.push(a));
            Ok(())
        });
    };
    let remove = move |aid: i64| {
        let Some(pid) = id.get_untracked() else {
            return;
        };
        files.run(async move {
            api::problems::delete_attachment(pid, aid).await?;
            attachments.update(|l| l.retain(|a| a.id != aid));
            Ok(())
        });
    };

    let is_draft = move || status.get() == ProblemStatus::Draft;
    let firm_ok = move || {
        session.me.with(|m| {
            m.as_ref().is_some_and(|m| {
                m.is_confirmed() && m.organisation.kind == moim_core::account::OrgKind::Firm
            })
        })
    };
    view! {
        <section class="section narrow">
            <h1>{move || if existing.is_some() { i18n::pick(lang.get(), "애로과제 수정", "Edit problem") } else { i18n::pick(lang.get(), "애로과제 등록", "Post a problem") }}</h1>
            {move || load_error().map(|e| view! { <ErrorView error=e/> })}
            {move || (session.ready.get() && !firm_ok()).then(|| view! {
                <p class="alert alert-info">{tr!("애로과제는 소속이 확인된 기업 회원이 기업의 협의체 안에서 등록합니다.", "Problems are posted by confirmed members of a firm, in one of the firm's consortia.")}</p>
            })}
            <Show when=move || loaded.get() fallback=Loading>
            <form class="form" novalidate on:submit=publish.clone()>
                <p class="save-state" role="status" aria-live="polite">
                    {move || match (save_state.get(), is_draft()) {
                        (_, false) => i18n::pick(lang.get(), "게시된 과제입니다. 저장할 때마다 이전 판이 보관됩니다.", "Published: every save keeps the previous revision.").to_owned(),
                        (SaveState::Idle, true) => i18n::pick(lang.get(), "제목을 쓰면 자동으로 임시 저장됩니다.", "Drafts save themselves once there is a title.").to_owned(),
                        (SaveState::Saving, true) => i18n::pick(lang.get(), "임시 저장 중…", "Saving draft…").to_owned(),
                        (SaveState::Saved(at), true) => match lang.get() { Lang::Ko => format!("임시 저장됨 {}", crate::time::kst(at)), Lang::En => format!("Draft saved {}", crate::time::kst(at)) },
                        (SaveState::Failed, true) => i18n::pick(lang.get(), "임시 저장하지 못했습니다. 연결을 확인하세요.", "Could not save the draft. Check the connection.").to_owned(),
                    }}
                </p>
                <div class="field" class:invalid=move || form.error("consortium_id").is_some()>
                    <label for="consortium_id">{tr!("협의체", "Consortium")}<span class="req" aria-hidden="true">" *"</span></label>
                    <select id="consortium_id" required prop:value=move || draft.with(|d| d.consortium.clone())
                        on:change=move |ev| { let v = event_target_value(&ev); draft.update(|d| d.consortium = v); form.edited("consortium_id"); }>
                        <option value="">{tr!("우리 기업이 속한 협의체 선택", "Choose one of your firm's consortia")}</option>
                        <Suspense fallback=|| ()>
                            {move || consortia.get().and_then(Result::ok).map(|page| page.items.into_iter().map(|c| {
                                let v = c.id.0.to_string();
                                let sel = draft.with_untracked(|d| d.consortium == v);
                                view! { <option value=v selected=sel>{c.name}</option> }
                            }).collect_view())}
                        </Suspense>
                    </select>
                    <p class="error">{move || form.error("consortium_id").map(|e| i18n::field_error(&e, lang.get()))}</p>
                </div>
                <TextField form=form name="title" label=("과제 제목", "Title") value=text!(draft.title) required=true maxlength=TITLE_MAX/>
                {move || (!similar.get().is_empty()).then(|| view! {
                    <div class="similar" role="region" aria-label=tr!("비슷한 과제", "Similar problems")>
                        <p class="small"><strong>{tr!("비슷한 과제가 이미 있습니다. 같은 문제라면 그 과제에 함께하세요.", "Similar problems exist. If it is the same, join that one.")}</strong></p>
                        <ul>
                            {similar.get().into_iter().map(|p| view! { <li><A href=format!("/problems/{}", p.id)>{p.title}</A>" · "<span class="muted">{p.org_name}</span></li> }).collect_view()}
                        </ul>
                    </div>
                })}
                <TextField form=form name="summary" label=("공개 요약", "Public summary") value=text!(draft.summary) required=true multiline=true maxlength=SUMMARY_MAX hint=("누구나 볼 수 있습니다. 비밀은 상세 내용에 쓰세요.", "Anyone may read this. Put secrets in the details.")/>
                <TextField form=form name="details" label=("상세 내용 (비공개)", "Details (confidential)") value=text!(draft.details) multiline=true maxlength=DETAILS_MAX hint=("아래에서 고른 범위에만 공개됩니다. 검색에도 쓰이지 않습니다.", "Shown only to the people chosen below; never used by search.")/>
                <fieldset class="field" class:invalid=move || form.error("confidentiality").is_some()>
                    <legend>{tr!("상세 내용 공개 범위", "Who reads the details")}</legend>
                    {Confidentiality::ALL.iter().copied().map(|c| view! {
                        <label class="radio">
                            <input type="radio" name="confidentiality" value=c.code() prop:checked=move || draft.with(|d| d.confidentiality == c) on:change=move |_| draft.update(|d| d.confidentiality = c)/>
                            <span><strong>{move || pt::confidentiality(c, lang.get())}</strong><br/><span class="muted small">{move || pt::confidentiality_help(c, lang.get())}</span></span>
                        </label>
                    }).collect_view()}
                </fieldset>
                <fieldset class="field" class:invalid=move || form.error("field_ids").is_some()>
                    <legend>{t(M::Field)}<span class="req" aria-hidden="true">" *"</span>" "<span class="muted small">{tr!("(5개까지)", "(up to 5)")}</span></legend>
                    <div class="check-grid">
                        {move || refs.get().fields.into_iter().map(|f| {
                            let fid = f.id;
                            let name = if lang.get() == Lang::Ko { f.name_ko } else { f.name_en };
                            view! {
                                <label class="check chip-check">
                                    <input type="checkbox" prop:checked=move || draft.with(|d| d.fields.contains(&fid))
                                        on:change=move |ev| { let on = event_target_checked(&ev); draft.update(|d| if on { d.fields.push(fid) } else { d.fields.retain(|x| *x != fid) }); form.edited("field_ids"); form.touch("field_ids"); }/>
                                    {name}
                                </label>
                            }
                        }).collect_view()}
                    </div>
                    <p class="error">{move || form.error("field_ids").map(|e| i18n::field_error(&e, lang.get()))}</p>
                </fieldset>
                <TextField form=form name="keywords" label=M::ProblemKeywords value=text!(draft.keywords) hint=("쉼표로 구분: 금형 냉각, CNC 가공", "Separated by commas: 금형 냉각, CNC 가공")/>
                <fieldset class="field" class:invalid=move || form.error("help").is_some()>
                    <legend>{tr!("필요한 지원", "Help wanted")}<span class="req" aria-hidden="true">" *"</span></legend>
                    <div class="check-grid">
                        {HelpKind::ALL.iter().copied().map(|h| view! {
                            <label class="check chip-check">
                                <input type="checkbox" prop:checked=move || draft.with(|d| d.help.contains(&h))
                                    on:change=move |ev| { let on = event_target_checked(&ev); draft.update(|d| if on { d.help.push(h) } else { d.help.retain(|x| *x != h) }); form.edited("help"); form.touch("help"); }/>
                                {move || pt::help(h, lang.get())}
                            </label>
                        }).collect_view()}
                    </div>
                    <p class="error">{move || form.error("help").map(|e| i18n::field_error(&e, lang.get()))}</p>
                </fieldset>
                <div class="row wrap gap">
                    <TextField form=form name="timeline_months" label=M::ProblemTimeline value=text!(draft.timeline) kind="number" inputmode="numeric"/>
                    <div class="field">
                        <label for="budget">{tr!("예산 규모", "Budget")}</label>
                        <select id="budget" on:change=move |ev| if let Some(b) = Budget::from_code(&event_target_value(&ev)) { draft.update(|d| d.budget = b) }>
                            {Budget::ALL.iter().copied().map(|b| view! { <option value=b.code() selected=move || draft.with(|d| d.budget == b)>{move || pt::budget(b, lang.get())}</option> }).collect_view()}
                        </select>
                    </div>
                </div>
                <fieldset class="field">
                    <legend>{tr!("첨부 파일", "Attachments")}</legend>
                    <p class="hint">{tr!("사진(PNG·JPEG·WebP·GIF)이나 PDF, 10MB까지. 상세 내용과 같은 범위에만 공개됩니다.", "Images (PNG, JPEG, WebP, GIF) or PDF up to 10 MB, shown only to those who read the details.")}</p>
                    <ul class="attachments">
                        {move || attachments.get().into_iter().map(|a| {
                            let aid = a.id;
                            view! { <li>{a.name}" "<span class="muted small">{format!("{} KB", a.size / 1024 + 1)}</span>
                                <button type="button" class="btn-text" on:click=move |_| remove(aid)>{tr!("삭제", "Remove")}</button></li> }
                        }).collect_view()}
                    </ul>
                    {move || if id.get().is_some() {
                        view! { <input id="attachment" type="file" accept="image/png,image/jpeg,image/webp,image/gif,application/pdf" on:change=on_file aria-label=tr!("파일 첨부", "Attach a file")/> }.into_any()
                    } else {
                        view! { <p class="muted small">{tr!("제목을 쓰고 임시 저장되면 파일을 첨부할 수 있습니다.", "You can attach files once the draft is saved.")}</p> }.into_any()
                    }}
                    <p class="error" role="alert">{move || upload_error.get()}</p>
                    <FormError error=files.error()/>
                </fieldset>
                <FormError error=publishing.error()/>
                <div class="actions">
                    <button type="submit" class="btn btn-primary" disabled=publishing.pending()>
                        {move || if is_draft() { i18n::pick(lang.get(), "과제 게시", "Publish") } else { i18n::pick(lang.get(), "수정 저장", "Save changes") }}
                    </button>
                    {move || id.get().map(|pid| view! { <A href=format!("/problems/{pid}") attr:class="btn btn-secondary">{tr!("과제 보기", "View")}</A> })}
                </div>
            </form>
            </Show>
        </section>
    }
}
