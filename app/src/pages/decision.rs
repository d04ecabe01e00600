//! Accepting or declining (with a reason) an invitation to a consortium, or a
//! request to join one: the consortium page, the CM's panel and the account page.

use crate::{
    api,
    components::form::{FormError, FormState},
    i18n::{self, M, t, use_lang},
    submit::Submit,
};
use leptos::prelude::*;
use moim_core::{JoinRequestId, Validate, consortium::Decide, validate::REASON_MAX};

/// Accept or decline (with a reason) an invitation, or a request (for CMs).
#[component]
pub fn DecisionForm(
    request_id: JoinRequestId,
    accept_label: M,
    reload: Callback<()>,
) -> impl IntoView {
    let reason = RwSignal::new(String::new());
    let declining = RwSignal::new(false);
    let form = FormState::new(move || {
        Decide {
            approve: !declining.get(),
            reason: Some(reason.get()),
        }
        .validate()
        .err()
        .unwrap_or_default()
    });
    let lang = use_lang();
    let field_name = format!("reason-{request_id}");
    let (hint_id, error_id) = (format!("{field_name}-hint"), format!("{field_name}-error"));
    let submit = Submit::for_form(form);
    let busy = submit.pending();
    let decide = move |approve: bool| {
        declining.set(!approve);
        if !form.submit() {
            return;
        }
        let d = Decide {
            approve,
            reason: Some(reason.get_untracked()).filter(|r| !r.trim().is_empty()),
        };
        submit.run(async move {
            api::consortia::decide(request_id, &d).await?;
            reload.run(());
            Ok(())
        });
    };
    // The reason field reports under its own id but validates as `reason`.
    let reason_error = move || form.error("reason");
    view! {
        <div class="decision">
            <div class="field" class:invalid=move || reason_error().is_some()>
                <label for=field_name.clone()>{crate::tr!("사유", "Reason")}</label>
                <p class="hint" id=hint_id.clone()>{crate::tr!("거절할 때는 사유를 꼭 적어 주세요. 신청 기관에 전달됩니다.", "A reason is required to decline; the organisation will see it.")}</p>
                <textarea id=field_name rows="2" maxlength=REASON_MAX prop:value=reason aria-describedby=format!("{hint_id} {error_id}")
                    aria-invalid=move || reason_error().is_some().to_string()
                    on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
                <p class="error" id=error_id.clone()>{move || reason_error().map(|e| i18n::field_error(&e, lang.get()))}</p>
            </div>
            <div class="row">
                <button type="button" class="btn btn-primary" disabled=busy on:click=move |_| decide(true)>{t(accept_label)}</button>
                <button type="button" class="btn btn-secondary" disabled=busy on:click=move |_| decide(false)>{crate::tr!("거절", "Decline")}</button>
            </div>
            <FormError error=submit.error()/>
        </div>
    }
}
