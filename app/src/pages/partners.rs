//! 해외 협력기관: the register of partners abroad (everyone reads it; the
//! filters live in the address), a partner's page — who it is, the agreements
//! signed with it and their documents, the events it co-organises — and for
//! admins the forms that keep them. Every partner page is in this one module.

use super::partner_admin::AdminPart;
use crate::{
    components::{
        cards::{ErrorView, Loading},
        pager::Pager,
    },
    country::country_label,
    i18n::{Lang, M, number, pick, t, use_lang},
    load::Load,
    routing::{id_param, list_href, list_query},
    state::use_session,
    time::{kst_date, kst_day, now, ymd},
    tr,
};
use leptos::prelude::*;
use leptos_router::{components::A, hooks::use_navigate};
use moim_core::{PartnerId, partner::*, paths};

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
            Suspend::new(partner_admin(AdminPart::EditPage)).into_any()
        } else {
            view! { <PartnerPage/> }.into_any()
        }
    }
}

pub(super) fn kind_label(k: PartnerKind, lang: Lang) -> &'static str {
    match k {
        PartnerKind::Cluster => pick(lang, "해외 클러스터 기관", "Cluster organisation"),
        PartnerKind::Agency => pick(lang, "해외 정부·공공기관", "Government or public agency"),
        PartnerKind::Association => {
            pick(lang, "바이어·산업 협회", "Buyers' or industry association")
        }
        PartnerKind::Other => pick(lang, "기타", "Other"),
    }
}

pub(super) fn agreement_label(k: AgreementKind, lang: Lang) -> &'static str {
    match k {
        AgreementKind::Mou => pick(lang, "업무협약(MOU)", "MOU"),
        AgreementKind::JointDeclaration => pick(lang, "공동선언", "Joint declaration"),
        AgreementKind::Other => pick(lang, "기타 협약", "Other agreement"),
    }
}

/// `n` of `what` in English (`1 event`, `2 events`).
fn plural(n: i64, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
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
                        let count = match (lang.get(), l.total) {
                            (Lang::Ko, n) => format!("{}곳", number(n)),
                            (Lang::En, 1) => "1 partner".to_owned(),
                            (Lang::En, n) => format!("{} partners", number(n)),
                        };
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
            "{} in force · {}",
            plural(p.agreements_in_force, "agreement"),
            plural(p.events, "event")
        ),
    };
    let sample = p.is_sample;
    view! {
        <li class="card partner-card">
            <h2 class="h-card"><A href=format!("/partners/{}", p.tag.id)>{move || head().0}</A></h2>
            <p class="meta">{move || head().1}</p>
            <p class="meta">
                <span class="badge">{move || kind_label(kind, lang.get())}</span>
                {sample.then(|| view! { " "<span class="badge badge-sample">{t(M::SampleBadge)}</span> })}
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
                        let tag = StoredValue::new(p.tag.clone());
                        let name = move |i: usize| tag.with_value(|t| { let n = names(t, lang.get()); if i == 0 { n.0 } else { n.1 } });
                        let pid = p.tag.id;
                        let (kind, country) = (p.kind, p.tag.country.clone());
                        view! {
                            <h1>{move || name(0)}</h1>
                            <p class="subtitle">{move || name(1)}
                                {p.is_sample.then(|| view! { " "<span class="badge badge-sample">{t(M::SampleBadge)}</span> })}
                            </p>
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
                            {p.can_edit.then(|| Suspend::new(partner_admin(AdminPart::Bar(pid))))}
                            <Agreements id=pid list=p.agreements.clone() can_edit=p.can_edit reload=Callback::new(move |()| partner.refetch())/>
                            <Events list=p.events.clone()/>
                        }.into_any()
                    }
                })}
            </Suspense>
        </section>
    }
}

/// The agreements, the latest first, with their state today and documents;
/// an admin's tools with each and a way to add one.
#[component]
fn Agreements(
    id: PartnerId,
    list: Vec<AgreementView>,
    can_edit: bool,
    reload: Callback<()>,
) -> impl IntoView {
    let empty = list.is_empty();
    view! {
        <section aria-labelledby="agreements-h">
            <h2 id="agreements-h" class="h-small">{tr!("협약", "Agreements")}</h2>
            {empty.then(|| view! { <p class="empty">{tr!("기록된 협약이 없습니다.", "No agreement recorded.")}</p> })}
            {(!empty).then(|| view! {
                <ul class="agreements">
                    {list.into_iter().map(|a| view! { <Agreement id=id a=a can_edit=can_edit reload=reload/> }).collect_view()}
                </ul>
            })}
            {can_edit.then(|| Suspend::new(partner_admin(AdminPart::NewAgreement { id, reload })))}
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
    let aid = a.id;
    let state = a.state(kst_day(now()));
    let g = a.agreement.clone();
    let (badge, class) = match state {
        AgreementState::Planned => (("체결 예정", "To be signed"), "badge"),
        AgreementState::InForce => (("유효", "In force"), "badge status-registered"),
        AgreementState::EndingSoon => (("만료 임박", "Ending soon"), "badge badge-warn"),
        AgreementState::Expired => (("만료", "Expired"), "badge badge-muted"),
    };
    let (signed, x) = (ymd(g.signed_on), g.expires_on.map(ymd).unwrap_or_default());
    let open_ended = g.expires_on.is_none();
    let dates = move || match (open_ended, lang.get()) {
        (false, Lang::Ko) => format!("체결 {signed} · 만료 {x}"),
        (false, Lang::En) => format!("Signed {signed} · ends {x}"),
        (true, Lang::Ko) => format!("체결 {signed} · 기한 없음"),
        (true, Lang::En) => format!("Signed {signed} · open-ended"),
    };
    // The session may still be on its way when the page is drawn.
    let doc = a.document.clone();
    let document = move || {
        doc.clone().map(|d| {
        let kind = if d.content_type == "application/pdf" { "PDF" } else { pick(lang.get(), "이미지", "image") };
        let label = format!("{} ({kind}, {} KB)", d.name, (d.size + 1023) / 1024);
        if session.me.with(Option::is_some) {
            view! { <p class="doc"><a href=paths::partner_document(id, aid) download="">{tr!("협약서: ", "Signed document: ")}{label}</a></p> }.into_any()
        } else {
            view! { <p class="doc muted">{tr!("협약서는 로그인하면 내려받을 수 있습니다.", "Sign in to download the signed document.")}</p> }.into_any()
        }
    })
    };
    let kind = g.kind;
    view! {
        <li class="card agreement" data-testid="agreement">
            <p class="badges">
                <span class="badge">{move || agreement_label(kind, lang.get())}</span>
                <span class=class>{move || pick(lang.get(), badge.0, badge.1)}</span>
            </p>
            <h3 class="h-card" id=format!("ag-{aid}-title")>{g.title.clone()}</h3>
            <p class="meta">{dates}</p>
            {(!g.scope.is_empty()).then(|| view! { <p class="agreement-scope">{g.scope.clone()}</p> })}
            {document}
            {can_edit.then(|| Suspend::new(partner_admin(AdminPart::AgreementTools { id, a: a.clone(), reload })))}
        </li>
    }
}

/// The events the partner co-organises, the latest first.
#[component]
fn Events(list: Vec<PartnerEvent>) -> impl IntoView {
    let none = list.is_empty();
    view! {
        <section aria-labelledby="events-h">
            <h2 id="events-h" class="h-small">{tr!("공동 주최 행사", "Events co-organised")}</h2>
            {list.is_empty().then(|| view! { <p class="empty">{tr!("함께 연 행사가 아직 없습니다.", "No event yet.")}</p> })}
            <ul class="partner-events" data-testid="partner-events" hidden=none>
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

/// An admin's tools, a module of their own (the server names it in the HTML
/// for admins and CMs, `core::routes`): a visitor's phone never downloads the
/// forms.
#[leptos::lazy]
fn partner_admin(part: AdminPart) -> AnyView {
    super::partner_admin::draw(part)
}
