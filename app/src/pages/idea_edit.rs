//! Writing an idea on the phone: title (with similar ideas while it is typed),
//! text, tags, who sees it, and up to four photos taken or chosen, scaled down
//! before they leave the phone. What is typed is kept on the device at once, so
//! closing the page, a reload or a dropped connection loses nothing; "post" puts
//! the idea in the outbox, which sends it exactly once.

use crate::{
    api,
    components::{
        cards::{ErrorView, Loading},
        form::{FormError, FormState, TextField},
    },
    i18n::{Lang, pick, use_lang},
    load::Load,
    outbox::{Pending, PhotoError, online, scale_photo, use_outbox},
    routing::id_param,
    state,
    submit::Submit,
    tr,
};
use leptos::{prelude::*, task::spawn_local};
use leptos_router::{NavigateOptions, components::A, hooks::use_navigate};
use moim_core::{
    ConsortiumId, IdeaId, Validate,
    idea::{
        BODY_MAX, ConsortiumTag, EditIdea, IdeaSummary, IdeaView, NewIdea, PHOTOS_MAX, TAGS_MAX,
        TITLE_MAX,
    },
    paths,
};
use serde::{Deserialize, Serialize};

const DRAFT: &str = "moim.idea-draft";
const DRAFT_PHOTOS: &str = "moim.idea-draft-photos";

/// The text of a new idea as it is being written.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct Draft {
    title: String,
    body: String,
    tags: String,
    consortium: String,
    /// Made once per idea, so a double tap on "post" is still one idea.
    key: String,
}

fn tag_list(s: &str) -> Vec<String> {
    moim_core::idea::clean_tags(&s.split([',', ' ']).map(str::to_owned).collect::<Vec<_>>())
}

#[component]
pub fn IdeaEditPage() -> impl IntoView {
    match id_param("id").get_untracked().map(IdeaId) {
        None => view! { <Compose/> }.into_any(),
        Some(id) => {
            let idea = Load::<IdeaView>::new(move || Some(paths::idea(id)));
            view! {
                <Suspense fallback=Loading>
                    {move || idea.get().map(|r| match r {
                        Err(e) => view! { <section class="section narrow"><ErrorView error=e/></section> }.into_any(),
                        Ok(v) => view! { <EditForm id=id title=v.summary.title body=v.body tags=v.summary.tags.join(", ")/> }.into_any(),
                    })}
                </Suspense>
            }
            .into_any()
        }
    }
}

fn photo_message(e: PhotoError, lang: Lang) -> &'static str {
    match e {
        PhotoError::NotAnImage => pick(
            lang,
            "사진(이미지) 파일만 올릴 수 있습니다. 글은 그대로 남아 있습니다.",
            "Only photos (image files) can be added. Your text is kept.",
        ),
        PhotoError::TooLarge => pick(
            lang,
            "사진이 너무 큽니다(30MB까지). 글은 그대로 남아 있습니다.",
            "That photo is too large (30 MB at most). Your text is kept.",
        ),
    }
}

#[component]
fn Compose() -> impl IntoView {
    let lang = use_lang();
    let outbox = use_outbox();
    let navigate = use_navigate();
    let saved: Draft = state::load(DRAFT).unwrap_or_default();
    let title = RwSignal::new(saved.title);
    let body = RwSignal::new(saved.body);
    let tags = RwSignal::new(saved.tags);
    let consortium = RwSignal::new(saved.consortium);
    let key = RwSignal::new(if saved.key.is_empty() {
        state::new_key()
    } else {
        saved.key
    });
    let photos = RwSignal::new(state::load::<Vec<String>>(DRAFT_PHOTOS).unwrap_or_default());
    let photo_error = RwSignal::new(None::<PhotoError>);
    let scaling = RwSignal::new(false);
    let kept = RwSignal::new(true);
    let busy = RwSignal::new(false);
    let refused = RwSignal::new(None::<String>);
    let build = move || NewIdea {
        title: title.get(),
        body: body.get(),
        tags: tag_list(&tags.get()),
        consortium_id: consortium.get().parse().ok().map(ConsortiumId),
        idempotency_key: key.get(),
    };
    let form = FormState::new(move || build().validate().err().unwrap_or_default());
    // Every keystroke is kept on the device; photos only when they change.
    Effect::new(move |_| {
        let d = Draft {
            title: title.get(),
            body: body.get(),
            tags: tags.get(),
            consortium: consortium.get(),
            key: key.get(),
        };
        state::save(DRAFT, &d);
    });
    Effect::new(move |_| {
        let ok = photos.with(|p| {
            if p.is_empty() {
                state::forget(DRAFT_PHOTOS);
                true
            } else {
                state::save(DRAFT_PHOTOS, p)
            }
        });
        kept.set(ok);
    });
    let choices = Load::<Vec<ConsortiumTag>>::new(|| Some(paths::IDEA_CONSORTIA.to_owned()));
    // Similar ideas while the title is typed (after a pause).
    let similar = RwSignal::new(Vec::<IdeaSummary>::new());
    let typed = RwSignal::new(0u32);
    Effect::new(move |_| {
        let t = title.get();
        typed.update(|n| *n += 1);
        let mine = typed.get_untracked();
        set_timeout(
            move || {
                // The page may be gone by now (the idea was posted): then nothing to do.
                if typed.try_get_untracked() != Some(mine)
                    || t.trim().chars().count() < 2
                    || !online()
                {
                    return;
                }
                // An aid: when the lookup fails, the list stays as it was.
                spawn_local(async move {
                    if let Ok(list) = api::ideas::similar(&t).await {
                        similar.try_set(list);
                    }
                });
            },
            std::time::Duration::from_millis(400),
        );
    });
    let add_files = move |ev: leptos::ev::Event| {
        let input = event_target::<web_sys::HtmlInputElement>(&ev);
        let Some(list) = input.files() else { return };
        let files: Vec<web_sys::File> = (0..list.length()).filter_map(|i| list.get(i)).collect();
        input.set_value("");
        photo_error.set(None);
        scaling.set(true);
        spawn_local(async move {
            for f in files {
                if photos
                    .try_with_untracked(Vec::len)
                    .is_none_or(|n| n >= PHOTOS_MAX)
                {
                    break;
                }
                match scale_photo(f).await {
                    Ok(url) => {
                        photos.try_update(|p| p.push(url));
                    }
                    Err(e) => {
                        photo_error.try_set(Some(e));
                    }
                }
            }
            scaling.try_set(false);
        });
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() || !form.submit() {
            return;
        }
        busy.set(true);
        let idea = build();
        let pics = photos.get_untracked();
        // Into the outbox first: from here on nothing typed can be lost.
        state::forget(DRAFT);
        state::forget(DRAFT_PHOTOS);
        let navigate = navigate.clone();
        let sent_key = idea.idempotency_key.clone();
        let done: Box<dyn FnOnce(Option<IdeaId>)> = Box::new(move |id| {
            busy.set(false);
            let still_waiting = outbox.items.with_untracked(|i| {
                i.iter()
                    .find(|p| p.key() == sent_key)
                    .and_then(|p| p.error().map(str::to_owned))
            });
            match (id, still_waiting) {
                (Some(id), _) => navigate(
                    &format!("/ideas/{id}"),
                    NavigateOptions {
                        replace: true,
                        ..Default::default()
                    },
                ),
                // Refused (say, a photo the server would not take): back to the form, text intact.
                (None, Some(why)) => {
                    if let Some(Pending::Idea {
                        idea, photos: pics, ..
                    }) = outbox
                        .items
                        .with_untracked(|i| i.iter().find(|p| p.key() == sent_key).cloned())
                    {
                        outbox.discard(&sent_key);
                        let d = Draft {
                            title: idea.title,
                            body: idea.body,
                            tags: idea.tags.join(", "),
                            consortium: idea
                                .consortium_id
                                .map(|c| c.to_string())
                                .unwrap_or_default(),
                            key: state::new_key(),
                        };
                        state::save(DRAFT, &d);
                        state::save(DRAFT_PHOTOS, &pics);
                        refused.try_set(Some(why));
                        key.try_set(d.key);
                    }
                }
                (None, None) => navigate(
                    "/ideas",
                    NavigateOptions {
                        replace: true,
                        ..Default::default()
                    },
                ),
            }
        });
        outbox.push(
            Pending::Idea {
                idea,
                photos: pics,
                error: None,
            },
            Some(done),
        );
    };
    let remove_photo = move |i: usize| {
        photos.update(|p| {
            if i < p.len() {
                p.remove(i);
            }
        })
    };
    view! {
        <section class="section narrow idea-compose">
            <p><A href="/ideas">{tr!("← 아이디어", "← Ideas")}</A></p>
            <h1>{tr!("아이디어 쓰기", "New idea")}</h1>
            <p class="hint">{tr!("쓰는 내용은 이 기기에 바로 저장되니, 창을 닫아도 이어 쓸 수 있습니다.", "What you type is kept on this device as you type: close the page and carry on later.")}</p>
            <Show when=move || !online()>
                <p class="alert alert-info" role="status">{tr!("오프라인입니다. 올리기를 누르면 이 기기에 보관했다가 연결되면 올립니다.", "You are offline. Posting keeps the idea on this device and sends it when you are back online.")}</p>
            </Show>
            <form on:submit=submit novalidate>
                <TextField form=form prefix="idea" name="title" label=("제목", "Title") value=title maxlength=TITLE_MAX required=true/>
                <Show when=move || !similar.with(Vec::is_empty) && title.with(|t| t.trim().chars().count() >= 2)>
                    <div class="similar" role="status">
                        <p class="hint">{tr!("비슷한 아이디어가 있어요. 같은 내용이면 그 글에 공감과 댓글을 남겨 주세요.", "Similar ideas exist. If it is the same, agree and comment there.")}</p>
                        <ul>{move || similar.get().into_iter().map(|s| view! { <li><A href=format!("/ideas/{}", s.id)>{s.title}</A></li> }).collect_view()}</ul>
                    </div>
                </Show>
                <TextField form=form prefix="idea" name="body" label=("내용", "Your idea") value=body multiline=true maxlength=BODY_MAX required=true/>
                <TextField form=form prefix="idea" name="tags" label=("태그", "Tags") value=tags
                    hint=("쉼표나 띄어쓰기로 나눕니다 (5개까지). 예: 공동구매, 금형", "Separate with commas or spaces (up to 5).")/>
                <Show when=move || !tags.with(|t| t.trim().is_empty())>
                    <ul class="tags preview" aria-label=tr!("붙을 태그", "Tags to add")>
                        {move || tag_list(&tags.get()).into_iter().take(TAGS_MAX).map(|t| view! { <li>{format!("#{t}")}</li> }).collect_view()}
                    </ul>
                </Show>
                <div class="field">
                    <label for="idea-consortium-pick">{tr!("공개 범위", "Who sees it")}</label>
                    <select id="idea-consortium-pick" prop:value=consortium on:change=move |ev| consortium.set(event_target_value(&ev))>
                        <option value="">{tr!("모든 회원", "All members")}</option>
                        {move || choices.get().and_then(Result::ok).unwrap_or_default().into_iter().map(|c| {
                            let v = c.id.0.to_string();
                            let selected = consortium.get_untracked() == v;
                            view! { <option value=v selected=selected>{move || format!("{} {}", c.name, pick(lang.get(), "회원만", "members only"))}</option> }
                        }).collect_view()}
                    </select>
                    <p class="hint">{tr!("협의체를 고르면 그 협의체 회원과 CM만 봅니다. CM이 단계를 정합니다.", "Pick a consortium and only its members and CMs see it; its CM sets the stage.")}</p>
                </div>
                <fieldset class="photos">
                    <legend>{move || format!("{} {}/{PHOTOS_MAX}", pick(lang.get(), "사진", "Photos"), photos.with(Vec::len))}</legend>
                    <ul class="photo-list">
                        {move || photos.get().into_iter().enumerate().map(|(i, src)| view! {
                            <li>
                                <img src=src alt=move || format!("{} {}", pick(lang.get(), "첨부 사진", "Photo"), i + 1) width="88" height="88"/>
                                <button type="button" class="remove" on:click=move |_| remove_photo(i)
                                    aria-label=move || format!("{} {}", pick(lang.get(), "사진 삭제", "Remove photo"), i + 1)>"×"</button>
                            </li>
                        }).collect_view()}
                    </ul>
                    <Show when=move || photos.with(Vec::len) < PHOTOS_MAX>
                        <div class="photo-buttons">
                            <input id="photo-camera" class="sr-only" type="file" accept="image/*" capture="environment" on:change=add_files/>
                            <label for="photo-camera" class="btn btn-secondary">{tr!("사진 찍기", "Take a photo")}</label>
                            <input id="photo-pick" class="sr-only" type="file" accept="image/*" multiple on:change=add_files/>
                            <label for="photo-pick" class="btn btn-secondary">{tr!("앨범에서 고르기", "Choose photos")}</label>
                        </div>
                    </Show>
                    <p class="hint">{tr!("사진은 휴대폰에서 줄여서 올리고, 위치 정보는 지웁니다.", "Photos are scaled down on your phone; location data is removed.")}</p>
                    {move || scaling.get().then(|| view! { <p class="hint" role="status">{tr!("사진을 준비하는 중…", "Preparing photos…")}</p> })}
                    <div role="alert">{move || photo_error.get().map(|e| view! { <p class="alert alert-error">{photo_message(e, lang.get())}</p> })}</div>
                    <Show when=move || !kept.get()>
                        <p class="alert alert-info">{tr!("기기 저장 공간이 부족해 사진은 임시 저장되지 않습니다. 글은 저장됩니다.", "This device has no room to keep the photos of the draft; the text is kept.")}</p>
                    </Show>
                </fieldset>
                <div role="alert">{move || refused.get().map(|r| view! { <p class="alert alert-error">{r}</p> })}</div>
                <div class="submit-bar">
                    <button type="submit" class="btn btn-primary btn-block" disabled=move || busy.get() || scaling.get()>{tr!("올리기", "Post")}</button>
                </div>
            </form>
        </section>
    }
}

/// The author's edit, within 24 hours of posting.
#[component]
fn EditForm(id: IdeaId, title: String, body: String, tags: String) -> impl IntoView {
    let navigate = use_navigate();
    let title = RwSignal::new(title);
    let body = RwSignal::new(body);
    let tags = RwSignal::new(tags);
    let build = move || EditIdea {
        title: title.get(),
        body: body.get(),
        tags: tag_list(&tags.get()),
    };
    let form = FormState::new(move || build().validate().err().unwrap_or_default());
    let saving = Submit::for_form(form);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !form.submit() {
            return;
        }
        let e = build();
        let navigate = navigate.clone();
        saving.run(async move {
            api::ideas::edit(id, &e).await?;
            navigate(&format!("/ideas/{id}"), Default::default());
            Ok(())
        });
    };
    view! {
        <section class="section narrow idea-compose">
            <p><A href=format!("/ideas/{id}")>{tr!("← 아이디어로", "← Back to the idea")}</A></p>
            <h1>{tr!("아이디어 고치기", "Edit idea")}</h1>
            <form on:submit=submit novalidate>
                <TextField form=form prefix="idea" name="title" label=("제목", "Title") value=title maxlength=TITLE_MAX required=true/>
                <TextField form=form prefix="idea" name="body" label=("내용", "Your idea") value=body multiline=true maxlength=BODY_MAX required=true/>
                <TextField form=form prefix="idea" name="tags" label=("태그", "Tags") value=tags/>
                <FormError error=saving.error()/>
                <div class="submit-bar">
                    <button type="submit" class="btn btn-primary btn-block" disabled=saving.pending()>{tr!("저장", "Save")}</button>
                </div>
            </form>
        </section>
    }
}
