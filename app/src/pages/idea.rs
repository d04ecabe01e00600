//! One idea: photos, text, 공감, follow, the threaded comments with the author's
//! answers marked, the CM's stage control and moderation, reports and history.
//! Comments go through the outbox like ideas: typed text survives a reload, and a
//! comment written offline is sent once when the connection returns.

use super::{
    idea_text::{reason_label, stage_label},
    idea_vote::VoteButton,
};
use crate::{
    api,
    components::{
        cards::{ErrorView, Loading},
        form::FormError,
    },
    i18n::{Lang, field_error, pick, use_lang},
    load::Load,
    outbox::{Pending, online, use_outbox},
    routing::id_param,
    state::{self, use_session},
    submit::Submit,
    time::ago,
    tr,
};
use leptos::prelude::*;
use leptos_router::{components::A, hooks::use_navigate};
use moim_core::{
    CommentId, IdeaId, Validate,
    idea::{
        COMMENT_MAX, CommentView, IdeaEventKind, IdeaView, Moderate, NewComment, NewReport,
        ReportReason,
    },
    paths,
};

#[component]
pub fn IdeaPage() -> impl IntoView {
    let id = id_param("id");
    let outbox = use_outbox();
    let version = RwSignal::new(0u32);
    let idea = Load::<IdeaView>::new(move || {
        version.track();
        outbox.delivered.track();
        id.get().map(|i| paths::idea(IdeaId(i)))
    });
    view! {
        <section class="section narrow idea-page">
            <p><a href="/ideas">{tr!("← 아이디어", "← Ideas")}</a></p>
            <Suspense fallback=Loading>
                {move || idea.get().map(|r| match r {
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                    Ok(v) => view! { <Idea v=v version=version/> }.into_any(),
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn Idea(v: IdeaView, version: RwSignal<u32>) -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let navigate = use_navigate();
    let id = v.summary.id;
    let s = v.summary.clone();
    let (stage, created, edited) = (s.stage, s.created_at, v.edited_at.is_some());
    let following = RwSignal::new(v.following);
    let act = Submit::new();
    let toggle_follow = move |_| {
        let want = !following.get_untracked();
        act.run(async move {
            api::ideas::follow(id, want).await?;
            following.try_set(want);
            Ok(())
        });
    };
    let delete = move |_| {
        let sure = web_sys::window()
            .and_then(|w| {
                w.confirm_with_message(pick(
                    lang.get_untracked(),
                    "이 아이디어를 삭제할까요? 댓글도 함께 사라집니다.",
                    "Delete this idea? Its comments go with it.",
                ))
                .ok()
            })
            .unwrap_or(false);
        if !sure {
            return;
        }
        let navigate = navigate.clone();
        act.run(async move {
            api::ideas::delete(id).await?;
            navigate("/ideas", Default::default());
            Ok(())
        });
    };
    let signed_in = move || session.me.with(Option::is_some);
    let comment_count = s.comments;
    let history = v.history.clone();
    view! {
        <article class="idea" aria-labelledby="idea-title">
            <div class="badges">
                <span class=format!("badge stage-{}", stage.code()) data-testid="idea-stage">{move || stage_label(stage, lang.get())}</span>
                {s.consortium.clone().map(|c| view! { <span class="badge">{c.name}</span> })}
            </div>
            {s.hidden.then(|| view! { <p class="alert alert-info" role="status">{tr!("운영자가 숨긴 글입니다. 작성자와 운영자만 볼 수 있습니다.", "A moderator hid this idea: only its author and the moderators see it.")}</p> })}
            <h1 id="idea-title">{s.title.clone()}</h1>
            <p class="meta">
                {format!("{} · {}", s.author.name, s.author.org_name)}" · "
                <time datetime=created.to_rfc3339()>{move || ago(created, lang.get())}</time>
                {edited.then(|| view! { " · "{tr!("수정됨", "edited")} })}
            </p>
            {(!v.photos.is_empty()).then(|| view! {
                <ul class="gallery" aria-label=tr!("사진", "Photos")>
                    {v.photos.iter().enumerate().map(|(i, p)| view! {
                        <li><img src=format!("/api/ideas/{id}/photos/{p}") alt=move || format!("{} {}", pick(lang.get(), "사진", "Photo"), i + 1) loading="lazy" decoding="async"/></li>
                    }).collect_view()}
                </ul>
            })}
            <div class="idea-body">{v.body.clone()}</div>
            <ul class="tags">
                {s.tags.iter().map(|t| view! { <li><a href=crate::routing::list_href("/ideas", &moim_core::idea::FeedQuery { tag: Some(t.clone()), ..Default::default() })>{format!("#{t}")}</a></li> }).collect_view()}
            </ul>
            {v.problem_id.map(|p| {
                let title = v.problem_title.clone().unwrap_or_else(|| format!("#{p}"));
                view! {
                    <p class="alert alert-info">{tr!("R&D 과제로 발전했습니다: ", "Became an R&D problem: ")}
                        <A href=format!("/problems/{p}")>{title}</A></p>
                }
            })}
            <div class="idea-actions">
                <VoteButton id=id votes=s.votes voted=s.voted large=true/>
                <Show when=signed_in>
                    <button type="button" class="btn btn-secondary" aria-pressed=move || following.get().to_string() on:click=toggle_follow>
                        {move || if following.get() { pick(lang.get(), "팔로우 중", "Following") } else { pick(lang.get(), "팔로우", "Follow") }}
                    </button>
                </Show>
                {v.editable.then(|| view! { <A href=format!("/ideas/{id}/edit") attr:class="btn btn-secondary">{tr!("고치기", "Edit")}</A> })}
                {v.mine.then(|| view! { <button type="button" class="btn-text danger" on:click=delete>{tr!("삭제", "Delete")}</button> })}
                {(!v.mine).then(|| view! { <Show when=signed_in><ReportForm id=id comment=None/></Show> })}
            </div>
            <FormError error=act.error()/>
            {v.can_moderate.then(|| Suspend::new(idea_moderation((v.clone(), version))))}
            <details class="history">
                <summary>{tr!("진행 기록", "History")}</summary>
                <ol>
                    {history.into_iter().map(|e| {
                        let at = e.at;
                        view! {
                            <li>
                                <strong>{move || match (e.kind, e.stage) {
                                    (IdeaEventKind::Posted, _) => pick(lang.get(), "등록", "Posted").to_owned(),
                                    (IdeaEventKind::Stage, Some(st)) => format!("{}: {}", pick(lang.get(), "단계", "Stage"), stage_label(st, lang.get())),
                                    (IdeaEventKind::Hidden, _) => pick(lang.get(), "숨김", "Hidden").to_owned(),
                                    (IdeaEventKind::Restored, _) => pick(lang.get(), "복원", "Restored").to_owned(),
                                    _ => String::new(),
                                }}</strong>
                                " "{e.actor.clone().unwrap_or_default()}" · "{crate::time::kst(at)}
                                {e.note.clone().map(|n| view! { <p class="muted">"“"{n}"”"</p> })}
                            </li>
                        }
                    }).collect_view()}
                </ol>
            </details>
        </article>
        <section class="comments" id="comments" aria-labelledby="comments-h">
            <h2 id="comments-h">{move || match lang.get() { Lang::Ko => format!("댓글 {comment_count}"), Lang::En => format!("Comments ({comment_count})") }}</h2>
            <Thread id=id comments=v.comments.clone() moderator=v.can_moderate hidden=s.hidden version=version/>
        </section>
    }
}

/// Comments as a thread: replies under what they answer (two levels on a phone;
/// deeper replies join the second level).
#[component]
fn Thread(
    id: IdeaId,
    comments: Vec<CommentView>,
    moderator: bool,
    hidden: bool,
    version: RwSignal<u32>,
) -> impl IntoView {
    let session = use_session();
    let outbox = use_outbox();
    let lang = use_lang();
    let replying = RwSignal::new(None::<CommentId>);
    // The top-level comment each comment sits under.
    let root_of = {
        let parents: std::collections::HashMap<CommentId, Option<CommentId>> =
            comments.iter().map(|c| (c.id, c.parent_id)).collect();
        move |mut c: CommentId| {
            while let Some(Some(p)) = parents.get(&c) {
                c = *p;
            }
            c
        }
    };
    let tops: Vec<CommentView> = comments
        .iter()
        .filter(|c| c.parent_id.is_none())
        .cloned()
        .collect();
    let replies = |top: CommentId| -> Vec<CommentView> {
        comments
            .iter()
            .filter(|c| c.parent_id.is_some() && root_of(c.id) == top)
            .cloned()
            .collect()
    };
    let names: std::collections::HashMap<CommentId, String> = comments
        .iter()
        .map(|c| (c.id, c.author.name.clone()))
        .collect();
    let pending = move || {
        outbox.items.with(|items| {
            items
                .iter()
                .filter_map(|p| match p {
                    Pending::Comment {
                        idea,
                        comment,
                        error,
                    } if *idea == id => Some((comment.body.clone(), error.clone())),
                    _ => None,
                })
                .collect::<Vec<_>>()
        })
    };
    let can_write = move || session.me.with(Option::is_some) && !hidden;
    view! {
        <ol class="thread">
            {tops.into_iter().map(|c| {
                let rs = replies(c.id);
                let top = c.id;
                view! {
                    <li>
                        <Comment id=id c=c moderator=moderator replying=replying reply_to=top answer_to=None version=version/>
                        {(!rs.is_empty()).then(|| view! {
                            <ol class="replies">
                                {rs.into_iter().map(|r| {
                                    let to = r.parent_id.filter(|p| *p != top).and_then(|p| names.get(&p).cloned());
                                    view! { <li><Comment id=id c=r moderator=moderator replying=replying reply_to=top answer_to=to version=version/></li> }
                                }).collect_view()}
                            </ol>
                        })}
                        <Show when=move || replying.get() == Some(top)>
                            <CommentForm id=id parent=Some(top) replying=replying/>
                        </Show>
                    </li>
                }
            }).collect_view()}
            {move || pending().into_iter().map(|(body, error)| view! {
                <li class="comment pending-comment" data-testid="pending-comment">
                    <p class="comment-body">{body}</p>
                    <p class="meta">{move || match (&error, lang.get()) {
                        (Some(e), _) => e.clone(),
                        (None, l) => pick(l, "전송 대기 · 연결되면 올라갑니다", "Pending · sent when you are back online").to_owned(),
                    }}</p>
                </li>
            }).collect_view()}
        </ol>
        <Show when=can_write fallback=move || view! {
            <Show when=move || session.me.with(Option::is_none)>
                <p><A href=format!("/signin?next=/ideas/{id}")>{tr!("로그인하고 댓글 남기기", "Sign in to comment")}</A></p>
            </Show>
        }>
            <CommentForm id=id parent=None replying=replying/>
        </Show>
    }
}

#[component]
fn Comment(
    id: IdeaId,
    c: CommentView,
    moderator: bool,
    replying: RwSignal<Option<CommentId>>,
    reply_to: CommentId,
    answer_to: Option<String>,
    version: RwSignal<u32>,
) -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let cid = c.id;
    let created = c.created_at;
    let editing = RwSignal::new(false);
    let text = RwSignal::new(c.body.clone());
    let act = Submit::new();
    let save = move |_| {
        let body = text.get_untracked();
        act.run(async move {
            api::ideas::edit_comment(id, cid, &body).await?;
            editing.try_set(false);
            version.try_update(|v| *v += 1);
            Ok(())
        });
    };
    let remove = move |_| {
        act.run(async move {
            api::ideas::delete_comment(id, cid).await?;
            version.try_update(|v| *v += 1);
            Ok(())
        });
    };
    let hidden = c.hidden;
    let moderate = move |_| {
        let m = Moderate {
            hidden: !hidden,
            note: None,
        };
        act.run(async move {
            api::ideas::moderate(id, Some(cid), &m).await?;
            version.try_update(|v| *v += 1);
            Ok(())
        });
    };
    let signed_in = move || session.me.with(Option::is_some);
    if c.deleted || (c.hidden && c.body.is_empty()) {
        let note = if c.deleted {
            ("삭제된 댓글입니다.", "This comment was deleted.")
        } else {
            ("운영자가 숨긴 댓글입니다.", "A moderator hid this comment.")
        };
        return view! { <div class="comment removed"><p class="muted">{move || pick(lang.get(), note.0, note.1)}</p></div> }.into_any();
    }
    let (mine, editable, by_author, reports) = (c.mine, c.editable, c.by_idea_author, c.reports);
    view! {
        <div class="comment" class:by-author=by_author class:hidden=hidden>
            <p class="comment-head">
                <strong>{c.author.name.clone()}</strong>
                {by_author.then(|| view! { <span class="badge badge-author">{tr!("작성자", "Author")}</span> })}
                <span class="meta">{c.author.org_name.clone()}" · "{move || ago(created, lang.get())}{c.edited.then(|| view! { " · "{tr!("수정됨", "edited")} })}</span>
                {hidden.then(|| view! { <span class="badge badge-warn">{tr!("숨김", "Hidden")}</span> })}
                {(reports > 0).then(|| view! { <span class="badge badge-warn">{move || match lang.get() { Lang::Ko => format!("신고 {reports}"), Lang::En => format!("{reports} reports") }}</span> })}
            </p>
            {answer_to.map(|n| view! { <p class="muted small">{move || format!("@{n}")}</p> })}
            <Show when=move || editing.get() fallback=move || view! { <p class="comment-body">{move || text.get()}</p> }>
                <label class="sr-only" for=format!("edit-{cid}")>{tr!("댓글 고치기", "Edit comment")}</label>
                <textarea id=format!("edit-{cid}") rows="3" maxlength=COMMENT_MAX prop:value=text on:input=move |ev| text.set(event_target_value(&ev))></textarea>
                <div class="actions">
                    <button type="button" class="btn btn-primary btn-sm" on:click=save>{tr!("저장", "Save")}</button>
                    <button type="button" class="btn-text" on:click=move |_| editing.set(false)>{tr!("취소", "Cancel")}</button>
                </div>
            </Show>
            <div class="comment-actions">
                <Show when=signed_in>
                    <button type="button" class="btn-text" on:click=move |_| replying.set(Some(reply_to))>{tr!("답글", "Reply")}</button>
                </Show>
                {editable.then(|| view! { <button type="button" class="btn-text" on:click=move |_| editing.set(true)>{tr!("고치기", "Edit")}</button> })}
                {mine.then(|| view! { <button type="button" class="btn-text" on:click=remove>{tr!("삭제", "Delete")}</button> })}
                {moderator.then(|| view! { <button type="button" class="btn-text" on:click=moderate>{move || if hidden { pick(lang.get(), "복원", "Restore") } else { pick(lang.get(), "숨기기", "Hide") }}</button> })}
                {(!mine).then(|| view! { <Show when=signed_in><ReportForm id=id comment=Some(cid)/></Show> })}
            </div>
            <FormError error=act.error()/>
        </div>
    }
    .into_any()
}

/// The comment box. What is typed stays on the device until the server has it.
#[component]
fn CommentForm(
    id: IdeaId,
    parent: Option<CommentId>,
    replying: RwSignal<Option<CommentId>>,
) -> impl IntoView {
    let lang = use_lang();
    let outbox = use_outbox();
    let draft_key = match parent {
        Some(p) => format!("moim.comment-draft.{id}.{p}"),
        None => format!("moim.comment-draft.{id}"),
    };
    let text = RwSignal::new(state::load::<String>(&draft_key).unwrap_or_default());
    let error = RwSignal::new(None::<moim_core::ErrorCode>);
    let dk = draft_key.clone();
    Effect::new(move |_| {
        let t = text.get();
        if t.is_empty() {
            state::forget(&dk);
        } else {
            state::save(&dk, &t);
        }
    });
    let field_id = match parent {
        Some(p) => format!("reply-{p}"),
        None => "comment-new".to_owned(),
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let comment = NewComment {
            body: text.get_untracked(),
            parent_id: parent,
            idempotency_key: state::new_key(),
        };
        // The same rule the server applies (`core`).
        if let Err(e) = comment.validate() {
            error.set(e.get("body").cloned());
            return;
        }
        error.set(None);
        outbox.push(
            Pending::Comment {
                idea: id,
                comment,
                error: None,
            },
            None,
        );
        text.set(String::new());
        state::forget(&draft_key);
        replying.set(None);
    };
    let label = move || match parent {
        Some(_) => pick(lang.get(), "답글 쓰기", "Write a reply"),
        None => pick(lang.get(), "댓글 쓰기", "Write a comment"),
    };
    view! {
        <form class="comment-form" on:submit=submit novalidate>
            <label for=field_id.clone()>{label}</label>
            <textarea id=field_id.clone() rows="3" maxlength=COMMENT_MAX prop:value=text on:input=move |ev| text.set(event_target_value(&ev))
                placeholder=tr!("의견을 남겨 주세요", "Share your view") aria-invalid=move || error.get().is_some().to_string()></textarea>
            <p class="error" role="alert">{move || error.get().map(|e| field_error(&e, lang.get()))}</p>
            <div class="actions">
                <button type="submit" class="btn btn-primary">{move || if online() { pick(lang.get(), "등록", "Post") } else { pick(lang.get(), "보관 후 등록", "Keep and post later") }}</button>
                {parent.map(|_| view! { <button type="button" class="btn-text" on:click=move |_| replying.set(None)>{tr!("취소", "Cancel")}</button> })}
            </div>
        </form>
    }
}

/// Report the idea or a comment: a reason, and words for "other".
#[component]
fn ReportForm(id: IdeaId, comment: Option<CommentId>) -> impl IntoView {
    let lang = use_lang();
    let open = RwSignal::new(false);
    let reason = RwSignal::new(ReportReason::Spam);
    let note = RwSignal::new(String::new());
    let done = RwSignal::new(false);
    let report = Submit::new();
    let name = StoredValue::new(match comment {
        Some(c) => format!("reason-{c}"),
        None => "reason-idea".to_owned(),
    });
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let r = NewReport {
            reason: reason.get_untracked(),
            note: Some(note.get_untracked()).filter(|n| !n.trim().is_empty()),
            comment_id: comment,
        };
        report.run(async move {
            api::ideas::report(id, &r).await?;
            done.try_set(true);
            open.try_set(false);
            Ok(())
        });
    };
    view! {
        <Show when=move || !done.get() fallback=move || view! { <span class="muted small" role="status">{tr!("신고했습니다", "Reported")}</span> }>
            <button type="button" class="btn-text" aria-expanded=move || open.get().to_string() on:click=move |_| open.update(|o| *o = !*o)>{tr!("신고", "Report")}</button>
            <Show when=move || open.get()>
                <form class="report-form" on:submit=send>
                    <fieldset>
                        <legend>{tr!("신고 사유", "Why?")}</legend>
                        {ReportReason::ALL.iter().map(|r| {
                            let r = *r;
                            view! {
                                <label class="radio">
                                    <input type="radio" name=name.get_value() prop:checked=move || reason.get() == r on:change=move |_| reason.set(r)/>
                                    {move || reason_label(r, lang.get())}
                                </label>
                            }
                        }).collect_view()}
                    </fieldset>
                    <label for=format!("{}-note", name.get_value())>{tr!("설명 (기타일 때 필수)", "Details (needed for 'other')")}</label>
                    <input id=format!("{}-note", name.get_value()) type="text" prop:value=note on:input=move |ev| note.set(event_target_value(&ev))/>
                    <FormError error=report.error()/>
                    <button type="submit" class="btn btn-secondary btn-sm" disabled=report.pending()>{tr!("신고하기", "Send report")}</button>
                </form>
            </Show>
        </Show>
    }
}

/// The CM's panel, a module of its own: only moderators load it (the server
/// names it in the HTML for CMs and admins, `core::routes`).
#[leptos::lazy]
fn idea_moderation(args: (IdeaView, RwSignal<u32>)) -> AnyView {
    view! { <super::idea_moderation::Moderation v=args.0 version=args.1/> }.into_any()
}
