//! The admins' register of organisations: find one by name or business number,
//! correct what it registered with, merge a second record of it into the one
//! that stays. Each act asks why and lands in the audit trail.

use crate::{
    api,
    components::{
        cards::{ErrorView, Loading},
        form::{FormError, FormState, SelectField, TextField},
    },
    i18n::{self, M, pick, use_lang},
    state::use_refs,
    submit::Submit,
};
use leptos::prelude::*;
use moim_core::{
    ComplexId, FieldErrors, OrgId, Validate,
    account::{NewOrganisation, OrgKind},
    registry::{ADMIN_REASON_MAX, CorrectOrg, MergeOrg, OrgRecord},
    validate::{INDUSTRY_MAX, ORG_NAME_MAX},
};

/// The organisations panel of the admin page; `on_change` after each act.
#[component]
pub fn OrgsPanel(on_change: Callback<()>) -> impl IntoView {
    let lang = use_lang();
    let q = RwSignal::new(String::new());
    let asked = RwSignal::new(String::new());
    let found = LocalResource::new(move || {
        let q = asked.get();
        async move {
            if q.trim().is_empty() {
                None
            } else {
                Some(api::admin::orgs(q.trim()).await)
            }
        }
    });
    let search_form = FormState::new(FieldErrors::default);
    let on_search = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        asked.set(q.get_untracked());
        found.refetch();
    };
    let done = RwSignal::new(None::<String>);
    // One record's form open at a time: its correction or its merge.
    let open = RwSignal::new(None::<(OrgId, Act)>);
    // The form goes with its success: focus moves to the line that says so.
    let status = NodeRef::<leptos::html::Div>::new();
    let after = move |text: String| {
        done.set(Some(text));
        open.set(None);
        found.refetch();
        on_change.run(());
        if let Some(el) = status.get_untracked() {
            let _ = el.focus();
        }
    };
    view! {
        <section class="panel" aria-labelledby="orgs-h">
            <h2 id="orgs-h">{crate::tr!("기관 관리", "Organisations")}</h2>
            <p class="hint">{crate::tr!(
                "등록 정보를 바로잡거나, 같은 기관이 두 번 등록되었으면 한 기록으로 병합합니다. 모든 처리는 사유와 함께 처리 기록에 남습니다.",
                "Correct what an organisation registered with, or merge a second record of it into one. Each act is kept with its reason in the audit trail."
            )}</p>
            <form class="row" on:submit=on_search role="search">
                <TextField form=search_form name="org-q" label=("기관명 또는 사업자등록번호", "Name or business number") value=q kind="search" maxlength=100/>
                <button type="submit" class="btn btn-secondary">{crate::tr!("기관 검색", "Search")}</button>
            </form>
            <div role="status" tabindex="-1" node_ref=status>{move || done.get().map(|d| view! { <p class="status-line ok">{d}</p> })}</div>
            <Suspense fallback=Loading>
                {move || found.get().flatten().map(|r| match r {
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                    Ok(orgs) if orgs.is_empty() => view! { <p class="muted">{crate::tr!("찾는 기관이 없습니다.", "No organisation found.")}</p> }.into_any(),
                    Ok(orgs) => {
                        let all = orgs.clone();
                        view! {
                            <ul class="member-list" data-testid="orgs">
                                {orgs.into_iter().map(|o| {
                                    let id = o.id;
                                    let others: Vec<OrgRecord> = all.iter().filter(|x| x.id != id && x.kind == o.kind).cloned().collect();
                                    let (to_correct, to_merge) = (o.clone(), o.clone());
                                    let (kind, people, consortia, problems) = (o.kind, o.people, o.consortia, o.problems);
                                    // Each row's buttons are named with their organisation.
                                    let named = {
                                        let name = o.name.clone();
                                        move |ko: &str, en: &str| format!("{name} {}", pick(lang.get(), ko, en))
                                    };
                                    let (named_a, named_b) = (named.clone(), named);
                                    let counts = move || {
                                        if lang.get() == i18n::Lang::Ko {
                                            format!("구성원 {people}명 · 협의체 {consortia}곳 · 과제 {problems}건")
                                        } else {
                                            format!("{people} people · {consortia} consortia · {problems} problems")
                                        }
                                    };
                                    let toggle = move |act: Act| {
                                        done.set(None);
                                        open.update(|v| *v = if *v == Some((id, act)) { None } else { Some((id, act)) });
                                    };
                                    view! {
                                        <li>
                                            <span class="org">{o.name.clone()}</span>
                                            <span class="badge">{move || i18n::org_kind(kind, lang.get())}</span>
                                            {o.is_sample.then(|| view! { <span class="badge badge-muted">{crate::tr!("예시", "Sample")}</span> })}
                                            <span class="muted">
                                                {o.business_no.clone().map(|b| format!("{b} · "))}
                                                {o.complex_name.clone().map(|c| format!("{c} · "))}
                                                {counts}
                                                {o.representative.clone().map(|r| view! { " · "{crate::tr!("대표자 ", "Representative: ")}{r} })}
                                            </span>
                                            <button type="button" class="btn btn-secondary btn-sm" aria-expanded=move || (open.get() == Some((id, Act::Correct))).to_string()
                                                aria-label=move || named_a("정보 수정", "Correct")
                                                on:click=move |_| toggle(Act::Correct)>{crate::tr!("정보 수정", "Correct")}</button>
                                            <button type="button" class="btn btn-secondary btn-sm" aria-expanded=move || (open.get() == Some((id, Act::Merge))).to_string()
                                                aria-label=move || named_b("다른 기록에 병합", "Merge into another record")
                                                on:click=move |_| toggle(Act::Merge)>{crate::tr!("다른 기록에 병합", "Merge into another record")}</button>
                                            <Show when=move || open.get() == Some((id, Act::Correct))>
                                                <CorrectForm record=to_correct.clone() after=after/>
                                            </Show>
                                            <Show when=move || open.get() == Some((id, Act::Merge))>
                                                <MergeForm record=to_merge.clone() others=others.clone() after=after/>
                                            </Show>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }
                })}
            </Suspense>
        </section>
    }
}

/// Which form of a record is open.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Act {
    Correct,
    Merge,
}

/// The record's data as it should be, by sign-up's rules, and why.
#[component]
fn CorrectForm(
    record: OrgRecord,
    after: impl Fn(String) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let lang = use_lang();
    let refs = use_refs();
    let (id, kind) = (record.id, record.kind);
    let firm = kind == OrgKind::Firm;
    let name = RwSignal::new(record.name);
    let business_no = RwSignal::new(record.business_no.unwrap_or_default());
    let complex = RwSignal::new(
        record
            .complex_id
            .map(|c| c.0.to_string())
            .unwrap_or_default(),
    );
    let headcount = RwSignal::new(record.headcount.map(|h| h.to_string()).unwrap_or_default());
    let industry = RwSignal::new(record.industry.unwrap_or_default());
    let reason = RwSignal::new(String::new());
    let request = move || CorrectOrg {
        organisation: NewOrganisation {
            kind,
            name: name.get(),
            business_no: firm.then(|| business_no.get()),
            complex_id: complex.get().parse().ok().map(ComplexId).filter(|_| firm),
            headcount: firm.then(|| headcount.get().trim().parse().unwrap_or(0)),
            industry: firm.then(|| industry.get()),
        },
        reason: reason.get(),
    };
    let form = FormState::new(move || request().validate().err().unwrap_or_default());
    let submit = Submit::for_form(form);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !form.submit() {
            return;
        }
        let body = request();
        submit.run(async move {
            let saved = api::admin::correct_org(id, &body).await?;
            after(format!(
                "{}: {}",
                saved.name,
                pick(
                    lang.get_untracked(),
                    "기관 정보를 고쳤습니다.",
                    "corrected."
                )
            ));
            Ok(())
        });
    };
    let complexes = Signal::derive(move || refs.complex_options(lang.get()));
    view! {
        <form class="stack" on:submit=on_submit novalidate aria-label=move || pick(lang.get(), "기관 정보 수정", "Correct the organisation")>
            <TextField form=form prefix="org" name="organisation.name" label=M::OrgName value=name maxlength=ORG_NAME_MAX required=true/>
            {firm.then(|| view! {
                <TextField form=form prefix="org" name="organisation.business_no" label=M::BusinessNo value=business_no inputmode="numeric" maxlength=12 required=true/>
                <SelectField form=form name="organisation.complex_id" label=M::Complex value=complex options=complexes placeholder=M::ChooseComplex required=true/>
                <div class="row">
                    <TextField form=form prefix="org" name="organisation.headcount" label=("임직원 수", "Staff") value=headcount kind="number" inputmode="numeric" required=true/>
                    <TextField form=form prefix="org" name="organisation.industry" label=("주요 업종", "Main industry") value=industry maxlength=INDUSTRY_MAX required=true/>
                </div>
            })}
            <TextField form=form prefix="org" name="reason" label=("수정 사유 (처리 기록에 남습니다)", "Reason (kept in the audit trail)") value=reason maxlength=ADMIN_REASON_MAX required=true/>
            <FormError error=submit.error()/>
            <div><button type="submit" class="btn btn-primary btn-sm" disabled=submit.pending()>{crate::tr!("수정 저장", "Save the correction")}</button></div>
        </form>
    }
}

/// Merging this record into another of the same kind found by the search: what
/// moves is said before, and the record is closed after.
#[component]
fn MergeForm(
    record: OrgRecord,
    others: Vec<OrgRecord>,
    after: impl Fn(String) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let lang = use_lang();
    let id = record.id;
    let into = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let request = move || MergeOrg {
        into: OrgId(into.get().parse().unwrap_or_default()),
        reason: reason.get(),
    };
    let form = FormState::new(move || {
        let mut e = request().validate().err().unwrap_or_default();
        if into.with(String::is_empty) {
            e.add("into", moim_core::ErrorCode::Required);
        }
        e
    });
    let submit = Submit::for_form(form);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !form.submit() {
            return;
        }
        let body = request();
        submit.run(async move {
            let m = api::admin::merge_org(id, &body).await?;
            after(if lang.get_untracked() == i18n::Lang::Ko {
                format!(
                    "병합했습니다: 구성원 {}명, 협의체 {}곳, 과제 {}건을 옮겼습니다.",
                    m.people, m.memberships, m.problems
                )
            } else {
                format!(
                    "Merged: {} people, {} consortia and {} problems moved.",
                    m.people, m.memberships, m.problems
                )
            });
            Ok(())
        });
    };
    let name = record.name.clone();
    let warning = move || {
        if lang.get() == i18n::Lang::Ko {
            format!(
                "‘{name}’의 구성원 {}명, 협의체 참여, 가입 신청, 과제 {}건과 처리 기록이 남길 기록으로 옮겨지고, 이 기록은 닫힙니다. 되돌릴 수 없습니다.",
                record.people, record.problems
            )
        } else {
            format!(
                "The {} people, memberships, requests, {} problems and history of ‘{name}’ move to the record kept, and this record is closed. This cannot be undone.",
                record.people, record.problems
            )
        }
    };
    let error = move || form.error("into");
    let empty = others.is_empty();
    view! {
        <form class="stack" on:submit=on_submit novalidate aria-label=move || pick(lang.get(), "다른 기록에 병합", "Merge into another record")>
            {empty.then(|| view! { <p class="muted">{crate::tr!(
                "같은 종류의 다른 기록이 검색 결과에 없습니다. 두 기록이 함께 나오도록 검색하세요.",
                "No other record of the same kind is among the results: search so that both show."
            )}</p> })}
            <div class="field" class:invalid=move || error().is_some()>
                <label for="merge-into">{crate::tr!("남길 기록", "Record to keep")}<span class="req" aria-hidden="true">" *"</span></label>
                <select id="merge-into" required aria-invalid=move || error().is_some().to_string() aria-describedby="merge-into-error"
                    on:change=move |ev| { into.set(event_target_value(&ev)); form.touch("into"); }>
                    <option value="">{crate::tr!("기록 선택", "Choose a record")}</option>
                    {others.into_iter().map(|o| {
                        let label = format!("{} · {} (#{})", o.name, o.business_no.unwrap_or_else(|| "-".into()), o.id);
                        view! { <option value=o.id.0.to_string()>{label}</option> }
                    }).collect_view()}
                </select>
                <p class="error" id="merge-into-error">{move || error().map(|e| i18n::field_error(&e, lang.get()))}</p>
            </div>
            <p class="alert alert-warning">{warning}</p>
            <TextField form=form prefix="merge" name="reason" label=("병합 사유 (처리 기록에 남습니다)", "Reason (kept in the audit trail)") value=reason maxlength=ADMIN_REASON_MAX required=true/>
            <FormError error=submit.error()/>
            <div><button type="submit" class="btn btn-primary btn-sm" disabled=move || empty || submit.pending().get()>{crate::tr!("병합하기", "Merge")}</button></div>
        </form>
    }
}
