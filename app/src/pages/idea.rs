//! One idea: photos, text, 공감, the threaded comments with the author's answers
//! marked, and its history, as everyone sees them. What a signed-in person does
//! here (follow, report, comment through the outbox, edit and delete) is the
//! module of `idea_tools.rs`, the CM's stage control and moderation that of
//! `idea_moderation.rs`: a visitor downloads neither.

use super::{
    idea_text::stage_label,
    idea_tools::{CommentTools, Here, Tool},
    idea_vote::VoteButton,
};
use crate::{
    components::cards::{ErrorView, Loading},
    i18n::{Lang, pick, use_lang},
    load::Load,
    routing::id_param,
    state::use_session,
    time::ago,
    tr,
};
use leptos::prelude::*;
use leptos_router::components::A;
use moim_core::{
    CommentId, IdeaId,
    idea::{CommentView, IdeaEventKind, IdeaView},
    paths,
};

#[component]
pub fn IdeaPage() -> impl IntoView {
    let id = id_param("id");
    let version = RwSignal::new(0u32);
    let idea = Load::<IdeaView>::new(move || {
        version.track();
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
    let id = v.summary.id;
    let s = v.summary.clone();
    let (stage, created, edited) = (s.stage, s.created_at, v.edited_at.is_some());
    let here = Here {
        idea: id,
        version,
        replying: RwSignal::new(None::<CommentId>),
    };
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
                {here.tool(Tool::Follow { following: v.following })}
                {v.editable.then(|| view! { <A href=format!("/ideas/{id}/edit") attr:class="btn btn-secondary">{tr!("고치기", "Edit")}</A> })}
                {v.mine.then(|| here.tool(Tool::Delete))}
                {(!v.mine).then(|| here.tool(Tool::Report(None)))}
            </div>
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
            <Thread comments=v.comments.clone() moderator=v.can_moderate hidden=s.hidden here=here/>
        </section>
    }
}

/// Comments as a thread: replies under what they answer (two levels on a phone;
/// deeper replies join the second level).
#[component]
fn Thread(comments: Vec<CommentView>, moderator: bool, hidden: bool, here: Here) -> impl IntoView {
    let session = use_session();
    let (id, replying) = (here.idea, here.replying);
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
    view! {
        <ol class="thread">
            {tops.into_iter().map(|c| {
                let rs = replies(c.id);
                let top = c.id;
                view! {
                    <li>
                        <Comment c=c moderator=moderator reply_to=top answer_to=None here=here/>
                        {(!rs.is_empty()).then(|| view! {
                            <ol class="replies">
                                {rs.into_iter().map(|r| {
                                    let to = r.parent_id.filter(|p| *p != top).and_then(|p| names.get(&p).cloned());
                                    view! { <li><Comment c=r moderator=moderator reply_to=top answer_to=to here=here/></li> }
                                }).collect_view()}
                            </ol>
                        })}
                        {move || (replying.get() == Some(top)).then(|| here.tool(Tool::Reply(top)))}
                    </li>
                }
            }).collect_view()}
        </ol>
        {here.tool(Tool::Compose { can_write: !hidden })}
        <Show when=move || session.me.with(Option::is_none)>
            <p><A href=format!("/signin?next=/ideas/{id}")>{tr!("로그인하고 댓글 남기기", "Sign in to comment")}</A></p>
        </Show>
    }
}

#[component]
fn Comment(
    c: CommentView,
    moderator: bool,
    reply_to: CommentId,
    answer_to: Option<String>,
    here: Here,
) -> impl IntoView {
    let lang = use_lang();
    let created = c.created_at;
    if c.deleted || (c.hidden && c.body.is_empty()) {
        let note = if c.deleted {
            ("삭제된 댓글입니다.", "This comment was deleted.")
        } else {
            ("운영자가 숨긴 댓글입니다.", "A moderator hid this comment.")
        };
        return view! { <div class="comment removed"><p class="muted">{move || pick(lang.get(), note.0, note.1)}</p></div> }.into_any();
    }
    let (hidden, by_author, reports) = (c.hidden, c.by_idea_author, c.reports);
    let text = RwSignal::new(c.body.clone());
    let editing = RwSignal::new(false);
    let actions = CommentTools {
        comment: c.id,
        mine: c.mine,
        editable: c.editable,
        hidden,
        moderator,
        reply_to,
        text,
        editing,
    };
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
            <Show when=move || !editing.get()>
                <p class="comment-body">{move || text.get()}</p>
            </Show>
            {here.tool(Tool::CommentActions(actions))}
        </div>
    }
    .into_any()
}

/// The CM's panel, a module of its own: only moderators load it (the server
/// names it in the HTML for CMs and admins, `core::routes`).
#[leptos::lazy]
fn idea_moderation(args: (IdeaView, RwSignal<u32>)) -> AnyView {
    view! { <super::idea_moderation::Moderation v=args.0 version=args.1/> }.into_any()
}
