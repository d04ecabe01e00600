//! 해외 협력기관: the register of partners abroad (everyone reads it; the
//! filters live in the address), a partner's page — who it is, the agreements
//! signed with it and their documents, the events it co-organises — and for
//! admins the forms that keep them. Every partner page is in this one module.

use crate::{
    api::{self, ClientError},
    components::{
        cards::{ErrorView, Loading},
        form::{FormError, FormState, Text, TextField, focus_soon},
        pager::Pager,
    },
    country::{COUNTRIES, country_label},
    i18n::{Lang, field_error, number, pick, use_lang},
    load::Load,
    routing::{id_param, list_href, list_query},
    state::use_session,
    submit::Submit,
    text,
    time::{kst_date, kst_day, now, parse_date},
    tr,
};
use chrono::{Datelike, NaiveDate};
use leptos::prelude::*;
use leptos_router::{components::A, hooks::use_navigate};
use moim_core::{
    ApiError, ConflictCode, FieldErrors, PartnerAgreementId, PartnerId, Validate, partner::*, paths,
};

/// The partner pages, by address.
#[component]
pub fn PartnerPages() -> impl IntoView {
    let path = leptos_router::hooks::use_location().pathname;
    let which = Memo::new(move |_| path.get().trim_end_matches('/').to_owned());
    move || {
        let p = which.get();
        if p == "/partners" {
            view! { <ListPage/> }.into_any()
        } else if p == "/partners/new" || p.ends_with("/edit") {
            view! { <EditPage/> }.into_any()
        } else {
            view! { <PartnerPage/> }.into_any()
        }
    }
}

fn kind_label(k: PartnerKind, lang: Lang) -> &'static str {
    match k {
        PartnerKind::Cluster => pick(lang, "해외 클러스터 기관", "Cluster organisation"),
        PartnerKind::Agency => pick(lang, "해외 정부·공공기관", "Government agency"),
        PartnerKind::Association => {
            pick(lang, "바이어·산업 협회", "Buyers' or industry association")
        }
        PartnerKind::Other => pick(lang, "기타", "Other"),
    }
}

fn agreement_label(k: AgreementKind, lang: Lang) -> &'static str {
    match k {
        AgreementKind::Mou => pick(lang, "업무협약(MOU)", "MOU"),
        AgreementKind::JointDeclaration => pick(lang, "공동선언", "Joint declaration"),
        AgreementKind::Other => pick(lang, "기타 협약", "Other agreement"),
    }
}

/// A partner's names, the reader's language first.
fn names(tag: &PartnerTag, lang: Lang) -> (String, String) {
    match lang {
        Lang::Ko => (tag.name_ko.clone(), tag.name.clone()),
        Lang::En => (tag.name.clone(), tag.name_ko.clone()),
    }
}

/// The register: filters (words, country, kind) in the address, partners by
/// Korean name, a page at a time.
#[component]
fn ListPage() -> impl IntoView {
    let lang = use_lang();
    let query = list_query::<PartnerQuery>();
    let list = Load::<PartnerList>::new(move || Some(paths::partners(&query.get())));
    let navigate = use_navigate();
    let go = move |q: PartnerQuery| navigate(&list_href("/partners", &q), Default::default());
    let words = RwSignal::new(query.get_untracked().q.unwrap_or_default());
    let apply = {
        let go = go.clone();
        move |change: &dyn Fn(&mut PartnerQuery)| {
            let mut q = query.get_untracked();
            q.q = Some(words.get_untracked());
            q.page = None;
            change(&mut q);
            go(q);
        }
    };
    let on_submit = {
        let apply = apply.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            apply(&|_| {});
        }
    };
    let apply_country = apply.clone();
    let apply_kind = apply;
    view! {
        <section class="section partners">
            <div class="title-row">
                <h1>{tr!("해외 협력기관", "Partners abroad")}</h1>
                {move || list.get().and_then(Result::ok).filter(|l| l.can_edit).map(|_| view! {
                    <A href="/partners/new" attr:class="btn btn-primary">{tr!("협력기관 등록", "Register a partner")}</A>
                })}
            </div>
            <p class="lead">{tr!(
                "함께 행사를 열고 협약을 맺은 해외 클러스터 기관·정부기관·바이어 협회입니다.",
                "Overseas cluster bodies, agencies and buyers' associations the programme works with: their agreements and the events they co-organise."
            )}</p>
            <form class="filters" role="search" aria-label=tr!("검색 조건", "Filters") on:submit=on_submit>
                <div class="field grow">
                    <label for="p-q">{tr!("기관명", "Name")}</label>
                    <div class="search">
                        <input id="p-q" type="search" prop:value=words on:input=move |ev| words.set(event_target_value(&ev))/>
                        <button type="submit" class="btn btn-primary">{tr!("검색", "Search")}</button>
                    </div>
                </div>
                <div class="field">
                    <label for="p-country">{tr!("국가", "Country")}</label>
                    <select id="p-country" on:change=move |ev| {
                        let v = event_target_value(&ev);
                        apply_country(&|q| q.country = Some(v.clone()).filter(|c| !c.is_empty()));
                    }>
                        <option value="" selected=move || query.get().country.is_none()>{tr!("전체", "All")}</option>
                        {move || list.get().and_then(Result::ok).map(|l| l.countries).unwrap_or_default().into_iter().map(|c| {
                            let (code, shown) = (c.clone(), c.clone());
                            view! { <option value=c selected=move || query.get().country.as_deref() == Some(code.as_str())>{move || country_label(&shown, lang.get())}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="p-kind">{tr!("유형", "Kind")}</label>
                    <select id="p-kind" on:change=move |ev| {
                        let v = event_target_value(&ev);
                        apply_kind(&|q| q.kind = PartnerKind::from_code(&v));
                    }>
                        <option value="" selected=move || query.get().kind.is_none()>{tr!("전체", "All")}</option>
                        {PartnerKind::ALL.iter().copied().map(|k| view! {
                            <option value=k.code() selected=move || query.get().kind == Some(k)>{move || kind_label(k, lang.get())}</option>
                        }).collect_view()}
                    </select>
                </div>
            </form>
            <Suspense fallback=Loading>
                {move || list.get().map(|r| match r {
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                    Ok(l) => {
                        let (current, pages) = (l.page, l.pages);
                        let count = pick(lang.get(), format!("{}곳", number(l.total)), format!("{} partners", number(l.total)));
                        view! {
                            <p class="result-count" role="status">{count}</p>
                            {l.items.is_empty().then(|| view! { <p class="empty">{tr!("조건에 맞는 협력기관이 없습니다.", "No partner matches.")}</p> })}
                            <ul class="cards partner-cards">
                                {l.items.into_iter().map(|p| view! { <PartnerCard p=p/> }).collect_view()}
                            </ul>
                            <Pager current=current pages=pages href=move |n| {
                                list_href("/partners", &PartnerQuery { page: Some(n), ..query.get_untracked() })
                            }/>
                        }.into_any()
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn PartnerCard(p: PartnerSummary) -> impl IntoView {
    let lang = use_lang();
    let tag = StoredValue::new(p.tag.clone());
    let (kind, country) = (p.kind, p.tag.country.clone());
    let head = move || tag.with_value(|t| names(t, lang.get()));
    let counts = move || match lang.get() {
        Lang::Ko => format!(
            "유효 협약 {}건 · 공동 행사 {}건",
            p.agreements_in_force, p.events
        ),
        Lang::En => format!(
            "{} agreements in force · {} events",
            p.agreements_in_force, p.events
        ),
    };
    view! {
        <li class="card partner-card">
            <h2 class="h-card"><A href=format!("/partners/{}", p.tag.id)>{move || head().0}</A></h2>
            <p class="meta" lang=move || pick(lang.get(), "en", "ko")>{move || head().1}</p>
            <p class="meta">
                <span class="badge">{move || kind_label(kind, lang.get())}</span>
                " "{move || country_label(&country, lang.get())}
            </p>
            <p class="count">{counts}</p>
        </li>
    }
}

/// A partner's page: who it is, its agreements and events; an admin's tools.
#[component]
fn PartnerPage() -> impl IntoView {
    let lang = use_lang();
    let id = id_param("id");
    let partner = Load::<PartnerView>::new(move || id.get().map(|i| paths::partner(PartnerId(i))));
    view! {
        <section class="section partner">
            <p class="crumbs"><A href="/partners">{tr!("← 해외 협력기관", "← Partners abroad")}</A></p>
            <Suspense fallback=Loading>
                {move || partner.get().map(|r| match r {
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                    Ok(p) => {
                        let (first, second) = names(&p.tag, lang.get());
                        let pid = p.tag.id;
                        let (kind, country) = (p.kind, p.tag.country.clone());
                        view! {
                            <h1>{first}</h1>
                            <p class="subtitle">{second}</p>
                            <dl class="facts">
                                <dt>{tr!("국가", "Country")}</dt><dd>{move || country_label(&country, lang.get())}</dd>
                                <dt>{tr!("유형", "Kind")}</dt><dd>{move || kind_label(kind, lang.get())}</dd>
                                {p.website.clone().map(|w| view! {
                                    <dt>{tr!("웹사이트", "Web site")}</dt>
                                    <dd><a href=w.clone() rel="noopener noreferrer" target="_blank">{w.clone()}</a></dd>
                                })}
                                {p.contact.clone().map(|c| view! {
                                    <dt>{tr!("담당자", "Contact")}</dt>
                                    <dd data-testid="contact">
                                        {c.name.clone()}
                                        {c.email.clone().map(|m| view! { " "<a href=format!("mailto:{m}")>{m.clone()}</a> })}
                                    </dd>
                                })}
                            </dl>
                            {(!p.description.is_empty()).then(|| view! { <p class="partner-body">{p.description.clone()}</p> })}
                            {p.can_edit.then(|| view! { <AdminBar id=pid/> })}
                            <Agreements id=pid list=p.agreements.clone() can_edit=p.can_edit reload=Callback::new(move |()| partner.refetch())/>
                            <Events list=p.events.clone()/>
                        }.into_any()
                    }
                })}
            </Suspense>
        </section>
    }
}

/// An admin's edit link, and removal behind a second question.
#[component]
fn AdminBar(id: PartnerId) -> impl IntoView {
    let asking = RwSignal::new(false);
    let removing = Submit::new();
    let navigate = use_navigate();
    let remove = move |_| {
        let navigate = navigate.clone();
        removing.run(async move {
            api::partners::remove(id).await?;
            navigate("/partners", Default::default());
            Ok(())
        });
    };
    let lang = use_lang();
    let error = Signal::derive(move || removing.error().get());
    view! {
        <div class="actions">
            <A href=format!("/partners/{id}/edit") attr:class="btn btn-secondary">{tr!("정보 수정", "Edit")}</A>
            <Show when=move || !asking.get() fallback=move || view! {
                <span class="confirm" role="group" aria-label=tr!("삭제 확인", "Confirm removal")>
                    {tr!("협약과 첨부 문서도 함께 삭제됩니다. ", "Its agreements and documents go with it. ")}
                    <button type="button" class="btn btn-danger" disabled=removing.pending() on:click=remove.clone()>{tr!("삭제", "Remove")}</button>
                    <button type="button" class="btn-text" on:click=move |_| asking.set(false)>{tr!("취소", "Cancel")}</button>
                </span>
            }>
                <button type="button" class="btn-text" on:click=move |_| { asking.set(true); focus_soon(".confirm .btn-danger"); }>{tr!("삭제…", "Remove…")}</button>
            </Show>
        </div>
        {move || match error.get() {
            Some(ClientError::Api(ApiError::Conflict { code: ConflictCode::PartnerInUse, .. })) => view! {
                <p class="alert alert-error" role="alert">{pick(lang.get(),
                    "이 기관이 공동 주최한 행사가 있어 삭제할 수 없습니다. 행사에서 먼저 빼세요.",
                    "Events name this partner as a co-organiser: remove it from them first.")}</p>
            }.into_any(),
            other => view! { <FormError error=Signal::stored(other)/> }.into_any(),
        }}
    }
}

/// The agreements, the latest first, with their state today and documents.
#[component]
fn Agreements(
    id: PartnerId,
    list: Vec<AgreementView>,
    can_edit: bool,
    reload: Callback<()>,
) -> impl IntoView {
    let adding = RwSignal::new(false);
    let empty = list.is_empty();
    view! {
        <section aria-labelledby="agreements-h">
            <h2 id="agreements-h" class="h-small">{tr!("협약", "Agreements")}</h2>
            {empty.then(|| view! { <p class="empty">{tr!("기록된 협약이 없습니다.", "No agreement recorded.")}</p> })}
            <ul class="agreements">
                {list.into_iter().map(|a| view! { <Agreement id=id a=a can_edit=can_edit reload=reload/> }).collect_view()}
            </ul>
            {can_edit.then(|| view! {
                <Show when=move || adding.get() fallback=move || view! {
                    <button type="button" class="btn btn-secondary" on:click=move |_| { adding.set(true); focus_soon("#ag-new-kind"); }>{tr!("협약 추가", "Add an agreement")}</button>
                }>
                    <AgreementForm id=id prefix="ag-new" start=None done=Callback::new(move |saved: bool| { adding.set(false); if saved { reload.run(()) } })/>
                </Show>
            })}
        </section>
    }
}

#[component]
fn Agreement(
    id: PartnerId,
    a: AgreementView,
    can_edit: bool,
    reload: Callback<()>,
) -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let editing = RwSignal::new(false);
    let removing = Submit::new();
    let uploading = Submit::new();
    let aid = a.id;
    let state = a.state(kst_day(now()));
    let g = a.agreement.clone();
    let start = StoredValue::new(g.clone());
    let (badge, class) = match state {
        AgreementState::Planned => (("체결 예정", "Planned"), "badge"),
        AgreementState::InForce => (("유효", "In force"), "badge status-registered"),
        AgreementState::EndingSoon => (("만료 임박", "Ending soon"), "badge badge-warn"),
        AgreementState::Expired => (("만료", "Expired"), "badge badge-muted"),
    };
    let dates = move || {
        let (signed, x) = (ymd(g.signed_on), g.expires_on.map(ymd).unwrap_or_default());
        match (g.expires_on, lang.get()) {
            (Some(_), Lang::Ko) => format!("체결 {signed} · 만료 {x}"),
            (Some(_), Lang::En) => format!("Signed {signed} · ends {x}"),
            (None, Lang::Ko) => format!("체결 {signed} · 기한 없음"),
            (None, Lang::En) => format!("Signed {signed} · open-ended"),
        }
    };
    let doc = a.document.clone();
    let signed_in = move || session.me.with(Option::is_some);
    let document = move || {
        doc.clone().map(|d| {
            let kind = if d.content_type == "application/pdf" { "PDF" } else { "image" };
            let label = format!("{} ({kind}, {} KB)", d.name, d.size / 1024 + 1);
            if signed_in() {
                view! { <p class="doc"><a href=paths::partner_document(id, aid) download="">{tr!("협약서: ", "Signed document: ")}{label}</a></p> }.into_any()
            } else {
                view! { <p class="doc muted">{tr!("협약서는 로그인하면 내려받을 수 있습니다.", "Sign in to download the signed document.")}</p> }.into_any()
            }
        })
    };
    let remove = move |_| {
        removing.run(async move {
            api::partners::remove_agreement(id, aid).await?;
            reload.run(());
            Ok(())
        })
    };
    let upload_error = RwSignal::new(None::<&'static str>);
    let on_file = move |ev: leptos::ev::Event| {
        let input = event_target::<web_sys::HtmlInputElement>(&ev);
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        input.set_value("");
        upload_error.set(None);
        #[allow(clippy::cast_precision_loss)]
        if file.size() > DOCUMENT_MAX as f64 {
            upload_error.set(Some(pick(
                lang.get_untracked(),
                "파일이 10MB를 넘습니다.",
                "The file is over 10 MB.",
            )));
            return;
        }
        uploading.run(async move {
            api::partners::attach(id, aid, &file).await?;
            reload.run(());
            Ok(())
        });
    };
    let file_id = format!("ag-{aid}-file");
    view! {
        <li class="card agreement" data-testid="agreement">
            <Show when=move || !editing.get() fallback=move || view! {
                <AgreementForm id=id prefix="ag-edit" start=Some((aid, start.get_value())) done=Callback::new(move |saved: bool| { editing.set(false); if saved { reload.run(()) } })/>
            }>
                <p class="badges">
                    <span class="badge">{move || agreement_label(g.kind, lang.get())}</span>
                    <span class=class>{move || pick(lang.get(), badge.0, badge.1)}</span>
                </p>
                <h3 class="h-card">{start.with_value(|g| g.title.clone())}</h3>
                <p class="meta">{dates}</p>
                {start.with_value(|g| (!g.scope.is_empty()).then(|| view! { <p class="agreement-scope">{g.scope.clone()}</p> }))}
                {document.clone()}
                {can_edit.then(|| view! {
                    <div class="actions">
                        <input id=file_id.clone() class="sr-only" type="file" accept="application/pdf,image/png,image/jpeg,image/webp,image/gif"
                            on:change=on_file disabled=uploading.pending()/>
                        <label for=file_id.clone() class="btn btn-secondary file-button">
                            {tr!("협약서 첨부 (PDF·이미지)", "Attach the document (PDF, image)")}
                        </label>
                        <button type="button" class="btn-text" on:click=move |_| editing.set(true)>{tr!("수정", "Edit")}</button>
                        <button type="button" class="btn-text" disabled=removing.pending() on:click=remove>{tr!("삭제", "Remove")}</button>
                    </div>
                    <p class="error" role="alert">{move || upload_error.get()}</p>
                    <FormError error=uploading.error()/>
                    <FormError error=removing.error()/>
                })}
            </Show>
        </li>
    }
}

/// A date as a date input and the reader write it.
fn ymd(d: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

/// What the agreement form edits: dates as the date inputs give them.
#[derive(Clone, Default)]
struct AgreementDraft {
    kind: Option<AgreementKind>,
    title: String,
    scope: String,
    signed_on: String,
    expires_on: String,
}

impl AgreementDraft {
    fn of(a: &SaveAgreement) -> Self {
        AgreementDraft {
            kind: Some(a.kind),
            title: a.title.clone(),
            scope: a.scope.clone(),
            signed_on: ymd(a.signed_on),
            expires_on: a.expires_on.map(ymd).unwrap_or_default(),
        }
    }

    /// The request, with the date inputs' own errors added to its rules'.
    fn to_save(&self) -> (SaveAgreement, FieldErrors) {
        let signed = parse_date(&self.signed_on);
        let a = SaveAgreement {
            kind: self.kind.unwrap_or(AgreementKind::Mou),
            title: self.title.clone(),
            scope: self.scope.clone(),
            signed_on: signed.unwrap_or_default(),
            expires_on: parse_date(&self.expires_on),
        };
        let mut e = a.validate().err().unwrap_or_default();
        if signed.is_none() {
            e.add("signed_on", moim_core::ErrorCode::Required);
        }
        if !self.expires_on.is_empty() && a.expires_on.is_none() {
            e.add("expires_on", moim_core::ErrorCode::InvalidChoice);
        }
        (a, e)
    }
}

/// Records a new agreement (`start` none) or edits one; `done(saved)`.
#[component]
fn AgreementForm(
    id: PartnerId,
    prefix: &'static str,
    start: Option<(PartnerAgreementId, SaveAgreement)>,
    done: Callback<bool>,
) -> impl IntoView {
    let lang = use_lang();
    let editing = start.as_ref().map(|s| s.0);
    let draft = RwSignal::new(
        start
            .as_ref()
            .map(|s| AgreementDraft::of(&s.1))
            .unwrap_or_default(),
    );
    let form = FormState::new(move || draft.with(|d| d.to_save().1));
    let saving = Submit::for_form(form);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !form.submit() {
            return;
        }
        let (body, _) = draft.with_untracked(AgreementDraft::to_save);
        saving.run(async move {
            match editing {
                Some(aid) => api::partners::update_agreement(id, aid, &body).await?,
                None => api::partners::add_agreement(id, &body).await?,
            };
            done.run(true);
            Ok(())
        });
    };
    let err = move |f: &'static str| {
        let id = format!("{prefix}-{f}-error");
        view! { <p class="error" id=id>{move || form.error(f).map(|e| field_error(&e, lang.get()))}</p> }
    };
    view! {
        <form class="agreement-form" on:submit=submit novalidate>
            <div class="field" class:invalid=move || form.error("kind").is_some()>
                <label for=format!("{prefix}-kind")>{tr!("종류", "Kind")}</label>
                <select id=format!("{prefix}-kind") on:change=move |ev| draft.update(|d| d.kind = AgreementKind::from_code(&event_target_value(&ev)))>
                    {AgreementKind::ALL.iter().copied().map(|k| view! {
                        <option value=k.code() selected=move || draft.with(|d| d.kind.unwrap_or(AgreementKind::Mou) == k)>{move || agreement_label(k, lang.get())}</option>
                    }).collect_view()}
                </select>
                {err("kind")}
            </div>
            <TextField form=form prefix=prefix name="title" label=("협약명", "Title") value=text!(draft.title) maxlength=AGREEMENT_TITLE_MAX required=true/>
            <div class="row wrap gap">
                <TextField form=form prefix=prefix name="signed_on" label=("체결일", "Signed on") value=text!(draft.signed_on) kind="date" required=true/>
                <TextField form=form prefix=prefix name="expires_on" label=("만료일 (없으면 비움)", "Ends on (blank: open-ended)") value=text!(draft.expires_on) kind="date"/>
            </div>
            <TextField form=form prefix=prefix name="scope" label=("협력 범위", "Scope") value=text!(draft.scope) maxlength=AGREEMENT_SCOPE_MAX multiline=true/>
            <FormError error=saving.error()/>
            <div class="actions">
                <button type="submit" class="btn btn-primary" disabled=saving.pending()>{tr!("협약 저장", "Save the agreement")}</button>
                <button type="button" class="btn-text" on:click=move |_| done.run(false)>{tr!("취소", "Cancel")}</button>
            </div>
        </form>
    }
}

/// The events the partner co-organises, the latest first.
#[component]
fn Events(list: Vec<PartnerEvent>) -> impl IntoView {
    view! {
        <section aria-labelledby="events-h">
            <h2 id="events-h" class="h-small">{tr!("공동 주최 행사", "Events co-organised")}</h2>
            {list.is_empty().then(|| view! { <p class="empty">{tr!("함께 연 행사가 아직 없습니다.", "No event yet.")}</p> })}
            <ul class="partner-events" data-testid="partner-events">
                {list.into_iter().map(|e| view! {
                    <li>
                        <time datetime=e.starts_at.to_rfc3339()>{kst_date(e.starts_at)}</time>" "
                        <A href=format!("/activities/{}", e.id)>{e.title.clone()}</A>
                        {e.cancelled.then(|| view! { " "<span class="badge badge-warn">{tr!("취소됨", "Cancelled")}</span> })}
                    </li>
                }).collect_view()}
            </ul>
        </section>
    }
}

static EMPTY: String = String::new();

/// Registering a partner (`/partners/new`) or editing one: admins only.
#[component]
fn EditPage() -> impl IntoView {
    let id = id_param("id");
    let existing = Load::<PartnerView>::new(move || id.get().map(|i| paths::partner(PartnerId(i))));
    view! {
        <section class="section partner-edit">
            {move || match id.get() {
                None => view! { <PartnerForm start=None/> }.into_any(),
                Some(_) => view! {
                    <Suspense fallback=Loading>
                        {move || existing.get().map(|r| match r {
                            Ok(p) if p.can_edit => view! { <PartnerForm start=Some((p.tag.id, p.to_save()))/> }.into_any(),
                            Ok(_) => view! { <ErrorView error=ClientError::Api(ApiError::Forbidden)/> }.into_any(),
                            Err(e) => view! { <ErrorView error=e/> }.into_any(),
                        })}
                    </Suspense>
                }.into_any(),
            }}
        </section>
    }
}

#[component]
fn PartnerForm(start: Option<(PartnerId, SavePartner)>) -> impl IntoView {
    let lang = use_lang();
    let editing = start.as_ref().map(|s| s.0);
    let value = RwSignal::new(start.map(|s| s.1).unwrap_or(SavePartner {
        name: String::new(),
        name_ko: String::new(),
        country: String::new(),
        kind: PartnerKind::Cluster,
        website: None,
        description: String::new(),
        contact_name: String::new(),
        contact_email: None,
    }));
    let form = FormState::new(move || value.with(|v| v.validate().err().unwrap_or_default()));
    let saving = Submit::for_form(form);
    let navigate = use_navigate();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !form.submit() {
            return;
        }
        let body = value.get_untracked();
        let navigate = navigate.clone();
        saving.run(async move {
            let saved = match editing {
                Some(id) => api::partners::update(id, &body).await?,
                None => api::partners::create(&body).await?,
            };
            navigate(&format!("/partners/{}", saved.tag.id), Default::default());
            Ok(())
        });
    };
    let website = Text::of(
        value,
        |v| v.website.as_ref().unwrap_or(&EMPTY),
        |v| v.website.get_or_insert_with(String::new),
    );
    let email = Text::of(
        value,
        |v| v.contact_email.as_ref().unwrap_or(&EMPTY),
        |v| v.contact_email.get_or_insert_with(String::new),
    );
    let err = move |f: &'static str| {
        view! { <p class="error" id=format!("{f}-error")>{move || form.error(f).map(|e| field_error(&e, lang.get()))}</p> }
    };
    // The register's countries, and one an older entry has that the list lacks.
    let countries = move || {
        let mut list: Vec<(String, &'static str, &'static str)> = COUNTRIES
            .iter()
            .filter(|c| c.0 != "KR")
            .map(|c| (c.0.to_owned(), c.1, c.2))
            .collect();
        let current = value.with_untracked(|v| v.country.clone());
        if !current.is_empty() && !list.iter().any(|c| c.0 == current) {
            list.push((current, "", ""));
        }
        list
    };
    view! {
        <p class="crumbs"><A href="/partners">{tr!("← 해외 협력기관", "← Partners abroad")}</A></p>
        <h1>{move || match editing {
            Some(_) => pick(lang.get(), "협력기관 정보 수정", "Edit the partner"),
            None => pick(lang.get(), "해외 협력기관 등록", "Register a partner abroad"),
        }}</h1>
        <form class="form" on:submit=submit novalidate>
            <TextField form=form name="name" label=("기관명 (원어)", "Name (original)") value=text!(value.name) maxlength=PARTNER_NAME_MAX required=true
                hint=("예: TCI Network", "e.g. TCI Network")/>
            <TextField form=form name="name_ko" label=("기관명 (한글)", "Name (Korean)") value=text!(value.name_ko) maxlength=PARTNER_NAME_MAX required=true
                hint=("예: TCI 네트워크", "e.g. TCI 네트워크")/>
            <div class="row wrap gap">
                <div class="field" class:invalid=move || form.error("country").is_some()>
                    <label for="country">{tr!("국가", "Country")}<span class="req" aria-hidden="true">" *"</span></label>
                    <select id="country" required aria-invalid=move || form.error("country").is_some().to_string() aria-describedby="country-error"
                        on:change=move |ev| { value.update(|v| v.country = event_target_value(&ev)); form.edited("country"); form.touch("country"); }>
                        <option value="">{tr!("선택", "Choose")}</option>
                        {countries().into_iter().map(|(code, ko, en)| {
                            let selected = value.with_untracked(|v| v.country == code);
                            let shown = code.clone();
                            view! { <option value=code selected=selected>{move || if ko.is_empty() { shown.clone() } else { pick(lang.get(), ko, en).to_owned() }}</option> }
                        }).collect_view()}
                    </select>
                    {err("country")}
                </div>
                <div class="field">
                    <label for="kind">{tr!("유형", "Kind")}</label>
                    <select id="kind" on:change=move |ev| if let Some(k) = PartnerKind::from_code(&event_target_value(&ev)) { value.update(|v| v.kind = k) }>
                        {PartnerKind::ALL.iter().copied().map(|k| view! {
                            <option value=k.code() selected=move || value.with(|v| v.kind == k)>{move || kind_label(k, lang.get())}</option>
                        }).collect_view()}
                    </select>
                </div>
            </div>
            <TextField form=form name="website" label=("웹사이트", "Web site") value=website kind="url" maxlength=WEBSITE_MAX
                hint=("https://로 시작하는 주소", "An address starting with https://")/>
            <TextField form=form name="description" label=("소개", "About") value=text!(value.description) maxlength=PARTNER_DESCRIPTION_MAX multiline=true
                hint=("어떤 기관이고 사업단과 무엇을 함께 하는지", "What it is and what it does with the programme")/>
            <fieldset class="field">
                <legend>{tr!("담당자 (관리자·CM에게만 보임)", "Contact (shown to admins and CMs only)")}</legend>
                <TextField form=form name="contact_name" label=("이름", "Name") value=text!(value.contact_name) maxlength=CONTACT_NAME_MAX autocomplete="off"/>
                <TextField form=form name="contact_email" label=("이메일", "Email") value=email kind="email" autocomplete="off"/>
            </fieldset>
            <FormError error=saving.error()/>
            <div class="actions">
                <button type="submit" class="btn btn-primary" disabled=saving.pending()>{move || match editing {
                    Some(_) => pick(lang.get(), "저장", "Save"),
                    None => pick(lang.get(), "등록", "Register"),
                }}</button>
            </div>
        </form>
    }
}
