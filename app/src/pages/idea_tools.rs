//! What a signed-in person does on an idea's page: follow it, delete their own,
//! report it or a comment, write a comment or a reply (through the outbox, so
//! what is typed survives a reload and a comment written offline is sent once),
//! and edit, delete or (as its CM) hide a comment. One module of its own, which
//! the server names in the HTML for signed-in visitors only (`core::routes`): a
//! visitor's first download of an idea does not carry it.

use super::idea_text::reason_label;
use crate::{
    api,
    components::form::FormError,
    i18n::{field_error, pick, use_lang},
    outbox::{Pending, online, use_outbox},
    state::{self, use_session},
    submit::Submit,
    tr,
};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use moim_core::{
    CommentId, IdeaId, Validate,
    idea::{COMMENT_MAX, Moderate, NewComment, NewReport, ReportReason},
};

/// One of the tools, where the page draws it.
#[derive(Clone)]
pub enum Tool {
    /// The idea's follow button.
    Follow { following: bool },
    /// Deleting one's own idea.
    Delete,
    /// Reporting the idea (`None`) or a comment.
    Report(Option<CommentId>),
    /// Comments waiting in the outbox, and the comment box (unless the idea
    /// takes no comments: hidden by a moderator).
    Compose { can_write: bool },
    /// The reply box under a thread.
    Reply(CommentId),
    /// A comment's buttons, and its edit box while `editing`.
    CommentActions(CommentTools),
}

/// What a comment's buttons need.
#[derive(Clone)]
pub struct CommentTools {
    pub comment: CommentId,
    pub mine: bool,
    pub editable: bool,
    pub hidden: bool,
    pub moderator: bool,
    /// Replies go under this top-level comment.
    pub reply_to: CommentId,
    pub text: RwSignal<String>,
    pub editing: RwSignal<bool>,
}

/// The idea the tools act on, and the page's state they change.
#[derive(Clone, Copy)]
pub struct Here {
    pub idea: IdeaId,
    /// Bumped to read the idea again after a change.
    pub version: RwSignal<u32>,
    /// The top-level comment whose reply box is open.
    pub replying: RwSignal<Option<CommentId>>,
}

impl Here {
    /// `tool`, for a signed-in person only (drawn once its module is here).
    pub fn tool(self, tool: Tool) -> impl IntoView {
        let session = use_session();
        move || {
            session
                .me
                .with(Option::is_some)
                .then(|| Suspend::new(idea_tools((self, tool.clone()))))
        }
    }
}

#[leptos::lazy]
fn idea_tools((here, tool): (Here, Tool)) -> AnyView {
    let Here {
        idea,
        version,
        replying,
    } = here;
    match tool {
        Tool::Follow { following } => view! { <Follow id=idea following=following/> }.into_any(),
        Tool::Delete => view! { <Delete id=idea/> }.into_any(),
        Tool::Report(comment) => view! { <ReportForm id=idea comment=comment/> }.into_any(),
        Tool::Compose { can_write } => {
            // A comment the outbox delivered is read back with the idea (one
            // Compose a page).
            let outbox = use_outbox();
            Effect::new(move |seen: Option<u32>| {
                let now = outbox.delivered.get();
                if seen.is_some_and(|s| s != now) {
                    version.try_update(|v| *v += 1);
                }
                now
            });
            view! {
                <PendingComments id=idea/>
                {can_write.then(|| view! { <CommentForm id=idea parent=None replying=replying/> })}
            }
            .into_any()
        }
        Tool::Reply(parent) => {
            view! { <CommentForm id=idea parent=Some(parent) replying=replying/> }.into_any()
        }
        Tool::CommentActions(c) => {
            view! { <CommentActions id=idea c=c replying=replying version=version/> }.into_any()
        }
    }
}

#[component]
fn Follow(id: IdeaId, following: bool) -> impl IntoView {
    let lang = use_lang();
    let following = RwSignal::new(following);
    let act = Submit::new();
    let toggle = move |_| {
        let want = !following.get_untracked();
        act.run(async move {
            api::ideas::follow(id, want).await?;
            following.try_set(want);
            Ok(())
        });
    };
    view! {
        <button type="button" class="btn btn-secondary" aria-pressed=move || following.get().to_string() on:click=toggle>
            {move || if following.get() { pick(lang.get(), "팔로우 중", "Following") } else { pick(lang.get(), "팔로우", "Follow") }}
        </button>
        <FormError error=act.error()/>
    }
}

#[component]
fn Delete(id: IdeaId) -> impl IntoView {
    let lang = use_lang();
    let navigate = use_navigate();
    let act = Submit::new();
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
    view! {
        <button type="button" class="btn-text danger" on:click=delete>{tr!("삭제", "Delete")}</button>
        <FormError error=act.error()/>
    }
}

/// A comment's buttons (reply, edit, delete, hide or restore, report) and its
/// edit box.
#[component]
fn CommentActions(
    id: IdeaId,
    c: CommentTools,
    replying: RwSignal<Option<CommentId>>,
    version: RwSignal<u32>,
) -> impl IntoView {
    let lang = use_lang();
    let CommentTools {
        comment: cid,
        mine,
        editable,
        hidden,
        moderator,
        reply_to,
        text,
        editing,
    } = c;
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
    view! {
        <Show when=move || editing.get()>
            <label class="sr-only" for=format!("edit-{cid}")>{tr!("댓글 고치기", "Edit comment")}</label>
            <textarea id=format!("edit-{cid}") rows="3" maxlength=COMMENT_MAX prop:value=text on:input=move |ev| text.set(event_target_value(&ev))></textarea>
            <div class="actions">
                <button type="button" class="btn btn-primary btn-sm" on:click=save>{tr!("저장", "Save")}</button>
                <button type="button" class="btn-text" on:click=move |_| editing.set(false)>{tr!("취소", "Cancel")}</button>
            </div>
        </Show>
        <div class="comment-actions">
            <button type="button" class="btn-text" on:click=move |_| replying.set(Some(reply_to))>{tr!("답글", "Reply")}</button>
            {editable.then(|| view! { <button type="button" class="btn-text" on:click=move |_| editing.set(true)>{tr!("고치기", "Edit")}</button> })}
            {mine.then(|| view! { <button type="button" class="btn-text" on:click=remove>{tr!("삭제", "Delete")}</button> })}
            {moderator.then(|| view! { <button type="button" class="btn-text" on:click=moderate>{move || if hidden { pick(lang.get(), "복원", "Restore") } else { pick(lang.get(), "숨기기", "Hide") }}</button> })}
            {(!mine).then(|| view! { <ReportForm id=id comment=Some(cid)/> })}
        </div>
        <FormError error=act.error()/>
    }
}

/// Comments on this idea still in the outbox.
#[component]
fn PendingComments(id: IdeaId) -> impl IntoView {
    let outbox = use_outbox();
    let lang = use_lang();
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
    move || {
        let items = pending();
        (!items.is_empty()).then(|| view! {
            <ol class="thread">
                {items.into_iter().map(|(body, error)| view! {
                    <li class="comment pending-comment" data-testid="pending-comment">
                        <p class="comment-body">{body}</p>
                        <p class="meta">{move || match (&error, lang.get()) {
                            (Some(e), _) => e.clone(),
                            (None, l) => pick(l, "전송 대기 · 연결되면 올라갑니다", "Pending · sent when you are back online").to_owned(),
                        }}</p>
                    </li>
                }).collect_view()}
            </ol>
        })
    }
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
