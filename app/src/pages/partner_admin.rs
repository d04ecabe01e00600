//! The admins' side of the register of partners abroad, a module of its own:
//! registering and editing a partner, removing it, recording and editing its
//! agreements and attaching their signed documents.

use super::partners::{agreement_label, kind_label};
use crate::{
    api::{self, ClientError},
    components::{
        cards::{ErrorView, Loading},
        form::{FormError, FormState, Text, TextField, focus_soon, picked_file},
    },
    country::COUNTRIES,
    i18n::{field_error, pick, use_lang},
    load::Load,
    routing::id_param,
    submit::Submit,
    text,
    time::{parse_date, ymd},
    tr,
};
use leptos::prelude::*;
use leptos_router::{components::A, hooks::use_navigate};
use moim_core::{
    ApiError, ConflictCode, FieldErrors, PartnerAgreementId, PartnerId, Validate, partner::*, paths,
};

/// What the admins' module draws.
pub enum AdminPart {
    /// Above a partner's agreements: edit and remove.
    Bar(PartnerId),
    /// With an agreement: attach its document, edit it, remove it.
    AgreementTools {
        id: PartnerId,
        a: AgreementView,
        reload: Callback<()>,
    },
    /// Below the agreements: add one.
    NewAgreement { id: PartnerId, reload: Callback<()> },
    /// The page registering a partner (`/partners/new`) or editing one.
    EditPage,
}

/// Draws an [`AdminPart`].
pub fn draw(part: AdminPart) -> AnyView {
    match part {
        AdminPart::Bar(id) => view! { <AdminBar id=id/> }.into_any(),
        AdminPart::AgreementTools { id, a, reload } => {
            view! { <AgreementTools id=id a=a reload=reload/> }.into_any()
        }
        AdminPart::NewAgreement { id, reload } => {
            view! { <NewAgreement id=id reload=reload/> }.into_any()
        }
        AdminPart::EditPage => view! { <EditPage/> }.into_any(),
    }
}

/// An admin's edit link, and removal behind a second question.
#[component]
fn AdminBar(id: PartnerId) -> impl IntoView {
    let removing = Submit::new();
    let navigate = use_navigate();
    let remove = Callback::new(move |()| {
        let navigate = navigate.clone();
        removing.run(async move {
            api::partners::remove(id).await?;
            navigate("/partners", Default::default());
            Ok(())
        });
    });
    let lang = use_lang();
    let error = Signal::derive(move || removing.error().get());
    view! {
        <div class="actions">
            <A href=format!("/partners/{id}/edit") attr:class="btn btn-secondary">{tr!("정보 수정", "Edit")}</A>
            <ConfirmRemoval key="partner".to_owned() warning=("협약과 첨부 문서도 함께 삭제됩니다.", "Its agreements and documents go with it.")
                submit=removing go=remove/>
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

/// A removal behind a second question: "삭제…" asks, with what goes with it;
/// "삭제" does it (`key` tells the page's removals apart; `about` names the
/// element the buttons are about, for a screen reader).
#[component]
fn ConfirmRemoval(
    key: String,
    warning: (&'static str, &'static str),
    submit: Submit,
    go: Callback<()>,
    #[prop(optional)] about: Option<String>,
) -> impl IntoView {
    let asking = RwSignal::new(false);
    let yes = format!("remove-{key}");
    let about = StoredValue::new(about);
    view! {
        <Show when=move || asking.get() fallback={
            let yes = yes.clone();
            move || {
                let yes = yes.clone();
                view! {
                    <button type="button" class="btn-text" aria-describedby=about.get_value()
                        on:click=move |_| { asking.set(true); focus_soon(format!("#{yes}")); }>{tr!("삭제…", "Remove…")}</button>
                }
            }
        }>
            <span class="confirm" role="group" aria-label=tr!("삭제 확인", "Confirm removal")>
                {tr!(warning.0, warning.1)}" "
                <button type="button" id=yes.clone() class="btn btn-danger" aria-describedby=about.get_value() disabled=submit.pending()
                    on:click=move |_| go.run(())>{tr!("삭제", "Remove")}</button>
                <button type="button" class="btn-text" on:click=move |_| asking.set(false)>{tr!("취소", "Cancel")}</button>
            </span>
        </Show>
    }
}

/// An agreement's tools: attach the signed document, edit, remove.
#[component]
fn AgreementTools(id: PartnerId, a: AgreementView, reload: Callback<()>) -> impl IntoView {
    let lang = use_lang();
    let editing = RwSignal::new(false);
    let removing = Submit::new();
    let uploading = Submit::new();
    let aid = a.id;
    let start = StoredValue::new(a.agreement);
    let remove = Callback::new(move |()| {
        removing.run(async move {
            api::partners::remove_agreement(id, aid).await?;
            reload.run(());
            Ok(())
        })
    });
    let upload_error = RwSignal::new(None::<String>);
    let on_file = move |ev: leptos::ev::Event| {
        upload_error.set(None);
        let file = match picked_file(&ev, DOCUMENT_MAX, lang.get_untracked()) {
            None => return,
            Some(Err(e)) => return upload_error.set(Some(e)),
            Some(Ok(f)) => f,
        };
        uploading.run(async move {
            api::partners::attach(id, aid, &file).await?;
            reload.run(());
            Ok(())
        });
    };
    let file_id = format!("ag-{aid}-file");
    // The buttons of every agreement read alike: each is described by its title.
    let title = format!("ag-{aid}-title");
    let busy = uploading.pending();
    view! {
        <div class="actions">
            <input id=file_id.clone() class="sr-only" type="file" accept="application/pdf,image/png,image/jpeg,image/webp,image/gif"
                aria-describedby=title.clone() on:change=on_file disabled=busy/>
            <label for=file_id class="btn btn-secondary file-button">
                {tr!("협약서 첨부 (PDF·이미지)", "Attach the document (PDF, image)")}
            </label>
            <button type="button" class="btn-text" aria-describedby=title.clone() aria-expanded=move || editing.get().to_string()
                on:click=move |_| editing.update(|e| *e = !*e)>{tr!("수정", "Edit")}</button>
            <ConfirmRemoval key=format!("ag-{aid}") warning=("첨부한 협약서도 함께 삭제됩니다.", "Its signed document goes with it.")
                submit=removing go=remove about=title/>
        </div>
        <p class="status" role="status">{move || busy.get().then(|| pick(lang.get(), "협약서를 올리는 중…", "Uploading the document…"))}</p>
        <p class="error" role="alert">{move || upload_error.get()}</p>
        <FormError error=uploading.error()/>
        <FormError error=removing.error()/>
        <Show when=move || editing.get()>
            <AgreementForm id=id prefix=format!("ag-{aid}") start=Some((aid, start.get_value())) done=Callback::new(move |saved: bool| { editing.set(false); if saved { reload.run(()) } })/>
        </Show>
    }
}

/// Adding an agreement: a button that opens the form.
#[component]
fn NewAgreement(id: PartnerId, reload: Callback<()>) -> impl IntoView {
    let adding = RwSignal::new(false);
    view! {
        <Show when=move || adding.get() fallback=move || view! {
            <button type="button" class="btn btn-secondary" on:click=move |_| { adding.set(true); focus_soon("#ag-new-kind"); }>{tr!("협약 추가", "Add an agreement")}</button>
        }>
            <AgreementForm id=id prefix="ag-new".to_owned() start=None done=Callback::new(move |saved: bool| { adding.set(false); if saved { reload.run(()) } })/>
        </Show>
    }
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
    prefix: String,
    start: Option<(PartnerAgreementId, SaveAgreement)>,
    done: Callback<bool>,
) -> impl IntoView {
    let lang = use_lang();
    let prefix = StoredValue::new(prefix);
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
        let id = format!("{}-{f}-error", prefix.get_value());
        view! { <p class="error" id=id>{move || form.error(f).map(|e| field_error(&e, lang.get()))}</p> }
    };
    view! {
        <form class="agreement-form" on:submit=submit novalidate>
            <div class="field" class:invalid=move || form.error("kind").is_some()>
                <label for=format!("{}-kind", prefix.get_value())>{tr!("종류", "Kind")}</label>
                <select id=format!("{}-kind", prefix.get_value()) on:change=move |ev| draft.update(|d| d.kind = AgreementKind::from_code(&event_target_value(&ev)))>
                    {AgreementKind::ALL.iter().copied().map(|k| view! {
                        <option value=k.code() selected=move || draft.with(|d| d.kind.unwrap_or(AgreementKind::Mou) == k)>{move || agreement_label(k, lang.get())}</option>
                    }).collect_view()}
                </select>
                {err("kind")}
            </div>
            <TextField form=form prefix=prefix.get_value() name="title" label=("협약명", "Title") value=text!(draft.title) maxlength=AGREEMENT_TITLE_MAX required=true/>
            <div class="row wrap gap">
                <TextField form=form prefix=prefix.get_value() name="signed_on" label=("체결일", "Signed on") value=text!(draft.signed_on) kind="date" required=true/>
                <TextField form=form prefix=prefix.get_value() name="expires_on" label=("만료일 (기한이 없으면 비워 두세요)", "Ends on (blank when open-ended)") value=text!(draft.expires_on) kind="date"/>
            </div>
            <TextField form=form prefix=prefix.get_value() name="scope" label=("협력 범위", "Scope") value=text!(draft.scope) maxlength=AGREEMENT_SCOPE_MAX multiline=true/>
            <FormError error=saving.error()/>
            <div class="actions">
                <button type="submit" class="btn btn-primary" disabled=saving.pending()>{tr!("협약 저장", "Save the agreement")}</button>
                <button type="button" class="btn-text" on:click=move |_| done.run(false)>{tr!("취소", "Cancel")}</button>
            </div>
        </form>
    }
}

static EMPTY: String = String::new();

/// Registering a partner (`/partners/new`) or editing one: admins only.
#[component]
fn EditPage() -> impl IntoView {
    let session = crate::state::use_session();
    let id = id_param("id");
    let existing = Load::<PartnerView>::new(move || id.get().map(|i| paths::partner(PartnerId(i))));
    view! {
        <section class="section partner-edit">
            {move || match id.get() {
                // Registering is for admins (the session may still be on its way).
                None => match (session.ready.get(), session.me.with(|m| m.as_ref().map(|m| m.role == moim_core::account::Role::Admin))) {
                    (_, Some(true)) => view! { <PartnerForm start=None/> }.into_any(),
                    (true, Some(false)) => view! { <ErrorView error=ClientError::Api(ApiError::Forbidden)/> }.into_any(),
                    (true, None) => view! { <ErrorView error=ClientError::Api(ApiError::Unauthenticated)/> }.into_any(),
                    (false, _) => view! { <Loading/> }.into_any(),
                },
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
            {move || match saving.error().get() {
                Some(ClientError::Api(ApiError::Conflict { code: ConflictCode::PartnerNameTaken, .. })) => view! {
                    <p class="alert alert-error" role="alert">{pick(lang.get(),
                        "같은 이름의 협력기관이 이미 등록되어 있습니다.",
                        "A partner of this name is in the register already.")}</p>
                }.into_any(),
                other => view! { <FormError error=Signal::stored(other)/> }.into_any(),
            }}
            <div class="actions">
                <button type="submit" class="btn btn-primary" disabled=saving.pending()>{move || match editing {
                    Some(_) => pick(lang.get(), "저장", "Save"),
                    None => pick(lang.get(), "등록", "Register"),
                }}</button>
                <A href=move || match editing { Some(id) => format!("/partners/{id}"), None => "/partners".to_owned() } attr:class="btn-text">{tr!("취소", "Cancel")}</A>
            </div>
        </form>
    }
}
