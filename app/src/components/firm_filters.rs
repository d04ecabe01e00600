//! The firm filters the consortium list and the problem list share: the size
//! band (소기업 is the programme's own target group) and the industry as a
//! KSIC division. The band applies as soon as it is chosen; the division is
//! typed, checked here, and applied with the form (or when the field is left).

use crate::{i18n::use_lang, tr};
use leptos::prelude::*;
use moim_core::figures::{SizeBand, is_ksic};

/// Whether `k`, as typed, can be applied (empty clears the filter).
pub fn ksic_ok(k: &str) -> bool {
    k.is_empty() || is_ksic(k)
}

/// The typed division as a filter: `None` when empty.
pub fn ksic_filter(k: String) -> Option<String> {
    (!k.is_empty()).then_some(k)
}

/// The two fields. `apply(Some(band))` when the band is chosen, `apply(None)`
/// when a valid division is left.
#[component]
pub fn FirmFilters(
    /// Prefix of the fields' ids.
    prefix: &'static str,
    /// The band the list shows now.
    band: Signal<Option<SizeBand>>,
    /// The division as typed.
    ksic: RwSignal<String>,
    /// Applies the form.
    apply: Callback<Option<Option<SizeBand>>>,
) -> impl IntoView {
    let lang = use_lang();
    // Said once the field is left (or the form sent), then kept up to date
    // as it is corrected: not at the first keystroke.
    let bad = RwSignal::new(false);
    let (band_id, ksic_id, hint_id) = (
        format!("{prefix}-band"),
        format!("{prefix}-ksic"),
        format!("{prefix}-ksic-error"),
    );
    view! {
        <div class="field">
            <label for=band_id.clone()>{tr!("기업 규모", "Firm size")}</label>
            <select id=band_id on:change=move |ev| apply.run(Some(SizeBand::from_code(&event_target_value(&ev))))>
                <option value="" selected=move || band.get().is_none()>{tr!("전체", "All")}</option>
                {SizeBand::ALL.iter().copied().map(|b| view! {
                    <option value=b.code() selected=move || band.get() == Some(b)>
                        {move || crate::i18n::pick(lang.get(), b.label().0, b.label().1)}
                    </option>
                }).collect_view()}
            </select>
        </div>
        <div class="field ksic">
            <label for=ksic_id.clone()>{tr!("산업분류(KSIC 2자리)", "Industry (KSIC, 2 digits)")}</label>
            <input id=ksic_id type="text" inputmode="numeric" maxlength="2" autocomplete="off" placeholder="29"
                aria-invalid=move || bad.get().to_string() aria-describedby=hint_id.clone()
                prop:value=ksic
                on:input=move |ev| {
                    ksic.set(event_target_value(&ev).trim().to_owned());
                    if bad.get_untracked() { bad.set(!ksic_ok(&ksic.get_untracked())) }
                }
                on:change=move |_| {
                    let ok = ksic_ok(&ksic.get_untracked());
                    bad.set(!ok);
                    if ok { apply.run(None) }
                }/>
            <p class="hint error" id=hint_id role="alert" hidden=move || !bad.get()>
                {tr!("두 자리 숫자로 입력하세요 (예: 29).", "Type two digits, e.g. 29.")}
            </p>
        </div>
    }
}
