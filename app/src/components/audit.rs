//! The audit trail as a list: who did what, when, to whom.

use crate::{
    i18n::{self, use_lang},
    time,
};
use leptos::prelude::*;

/// Audit entries, newest first.
#[component]
pub fn AuditList(entries: Vec<moim_core::consortium::AuditEntry>) -> impl IntoView {
    let lang = use_lang();
    if entries.is_empty() {
        return view! { <p class="muted">{crate::tr!("기록이 없습니다.", "Nothing recorded.")}</p> }.into_any();
    }
    view! {
        <ol class="audit">
            {entries.into_iter().map(|e| {
                let action = e.action;
                let subject = [e.org_name, e.subject_name].into_iter().flatten().collect::<Vec<_>>().join(", ");
                view! {
                    <li>
                        <time>{time::kst(e.created_at)}</time>
                        <strong>{move || i18n::audit_action(action, lang.get())}</strong>
                        {e.consortium_name.map(|c| view! { <span>" · "{c}</span> })}
                        {(!subject.is_empty()).then(|| view! { <span>" · "{subject}</span> })}
                        {e.actor.map(|a| view! { <span class="muted">" — "{a.name}</span> })}
                        {e.note.map(|n| view! { <p class="muted">{n}</p> })}
                    </li>
                }
            }).collect_view()}
        </ol>
    }
    .into_any()
}
