//! My collaborations, and offers to collaborate without a posted problem: the
//! inbox of the firm's representative or the consortium's CM, what an expert sent,
//! and the form to send one.

use crate::{
    api::{self, ClientError},
    components::{
        cards::{ErrorView, Loading},
        form::FormError,
    },
    i18n::{self, pick, use_lang},
    load::Load,
    pages::problem_text as pt,
    state::{error_text, use_session},
    submit::Submit,
    tr,
};
use leptos::prelude::*;
use leptos_router::components::A;
use moim_core::{
    ConsortiumId, OrgId, Page,
    account::{OrgKind, OrgSearch, OrgSummary},
    consortium::{ConsortiumQuery, ConsortiumSummary},
    paths,
    problem::{
        CollaborationView, DecideOffer, NewOffer, OfferStatus, OfferTarget, OfferView,
        PROPOSAL_TEXT_MAX, TITLE_MAX,
    },
};

#[component]
pub fn CollaborationsPage() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let version = RwSignal::new(0u32);
    let collabs = Load::<Vec<CollaborationView>>::new(move || {
        version.track();
        Some(paths::COLLABORATIONS.to_owned())
    });
    let offers = Load::<Vec<OfferView>>::new(move || {
        version.track();
        Some(paths::OFFERS.to_owned())
    });
    let deciding = Submit::new();
    let decide = move |id: i64, accept: bool, reason: Option<String>| {
        let d = DecideOffer { accept, reason };
        deciding.run(async move {
            api::problems::decide_offer(id, &d).await?;
            version.update(|v| *v += 1);
            Ok(())
        });
    };
    let is_expert = move || session.me.with(|m| m.as_ref().is_some_and(|m| m.is_expert));
    view! {
        <section class="section narrow">
            <h1>{tr!("내 협력", "My collaborations")}</h1>
            <h2>{tr!("진행 중인 협력", "Collaborations")}</h2>
            <Suspense fallback=Loading>
                {move || collabs.get().map(|r| match r {
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                    Ok(items) if items.is_empty() => view! { <p class="muted">{tr!("아직 협력이 없습니다. 애로과제에서 시작해 보세요.", "No collaborations yet. Start from a problem.")}</p> }.into_any(),
                    Ok(items) => view! {
                        <ul class="cards" data-testid="collaborations">
                            {items.into_iter().map(|c| {
                                let stage = c.stage;
                                let since = c.steps.last().map(|s| crate::time::kst_date(s.at)).unwrap_or_default();
                                view! {
                                    <li class="card">
                                        <p><strong>{c.partner_name}</strong>" ↔ "{c.expert.name}" · "{c.expert.org_name}</p>
                                        <p class="small"><span class="badge stage">{move || pt::stage(stage, lang.get())}</span>" "{since}</p>
                                        {c.problem_id.map(|p| view! { <A href=format!("/problems/{p}")>{tr!("과제 보기", "View problem")}</A> })}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                })}
            </Suspense>
            <h2>{tr!("협력 제안", "Collaboration offers")}</h2>
            <FormError error=deciding.error()/>
            <Suspense fallback=Loading>
                {move || offers.get().map(|r| match r {
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                    Ok(items) if items.is_empty() => view! { <p class="muted">{tr!("주고받은 제안이 없습니다.", "No offers sent or received.")}</p> }.into_any(),
                    Ok(items) => view! {
                        <ul class="cards" data-testid="offers">
                            {items.into_iter().map(|o| {
                                let (id, status, can) = (o.id, o.status, o.can_decide);
                                let reason = RwSignal::new(String::new());
                                view! {
                                    <li class="card">
                                        <p><strong>{o.title}</strong>" "<span class="badge">{move || match status {
                                            OfferStatus::Pending => pick(lang.get(), "대기", "Pending"),
                                            OfferStatus::Accepted => pick(lang.get(), "수락", "Accepted"),
                                            OfferStatus::Declined => pick(lang.get(), "거절", "Declined"),
                                        }}</span></p>
                                        <p class="small muted">{format!("{} ({}) → {} · {}", o.expert.name, o.expert.org_name, o.target_name, crate::time::kst_date(o.created_at))}</p>
                                        <p class="pre">{o.body}</p>
                                        {o.reason.map(|r| view! { <p class="small">"“"{r}"”"</p> })}
                                        {can.then(|| view! {
                                            <div class="decide">
                                                <label for=format!("reason-{id}")>{tr!("거절 사유", "Reason to decline")}</label>
                                                <input id=format!("reason-{id}") type="text" prop:value=reason on:input=move |ev| reason.set(event_target_value(&ev))/>
                                                <div class="actions">
                                                    <button type="button" class="btn btn-primary btn-sm" on:click=move |_| decide(id, true, None)>{tr!("수락", "Accept")}</button>
                                                    <button type="button" class="btn btn-secondary btn-sm" on:click=move |_| decide(id, false, Some(reason.get_untracked()))>{tr!("거절", "Decline")}</button>
                                                </div>
                                            </div>
                                        })}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                })}
            </Suspense>
            <Show when=is_expert>
                <OfferForm version=version/>
            </Show>
        </section>
    }
}

#[component]
fn OfferForm(version: RwSignal<u32>) -> impl IntoView {
    let lang = use_lang();
    let to_firm = RwSignal::new(true);
    let firm_q = RwSignal::new(String::new());
    let firm = RwSignal::new(None::<OrgId>);
    let consortium = RwSignal::new(String::new());
    let title = RwSignal::new(String::new());
    let body = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ClientError>);
    let sending = Submit::new();
    let sent = RwSignal::new(false);
    // Firms found as the name is typed (from two letters on).
    let firms = Load::<Vec<OrgSummary>>::new(move || {
        let q = firm_q.get();
        (q.trim().chars().count() >= 2).then(|| {
            paths::orgs(&OrgSearch {
                q,
                kind: Some(OrgKind::Firm),
            })
        })
    });
    let consortia = Load::<Page<ConsortiumSummary>>::new(|| {
        Some(paths::consortia(&ConsortiumQuery {
            per_page: Some(100),
            ..Default::default()
        }))
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let target = if to_firm.get_untracked() {
            firm.get_untracked()
                .map(|id| OfferTarget::Organisation { id })
        } else {
            consortium
                .get_untracked()
                .parse()
                .ok()
                .map(|id| OfferTarget::Consortium {
                    id: ConsortiumId(id),
                })
        };
        let Some(target) = target else {
            error.set(Some(ClientError::Api(moim_core::ApiError::invalid(
                "target",
                moim_core::ErrorCode::Required,
            ))));
            return;
        };
        let o = NewOffer {
            target,
            title: title.get_untracked(),
            body: body.get_untracked(),
        };
        error.set(None);
        sent.set(false);
        sending.run(async move {
            api::problems::offer(&o).await?;
            sent.set(true);
            title.set(String::new());
            body.set(String::new());
            version.update(|v| *v += 1);
            Ok(())
        });
    };
    // A missing target is found here; the server's verdict comes from the call.
    let shown = move || error.get().or_else(|| sending.error().get());
    view! {
            <h2>{tr!("협력 제안하기", "Offer a collaboration")}</h2>
            <p class="hint">{tr!("게시된 과제가 없어도 기업이나 협의체 전체에 협력을 제안할 수 있습니다.", "Offer to work with a firm or a whole consortium, without a posted problem.")}</p>
            <form class="form compact" on:submit=submit>
                <fieldset class="field">
                    <legend>{tr!("받는 곳", "To")}</legend>
                    <label class="radio"><input type="radio" name="to" prop:checked=move || to_firm.get() on:change=move |_| to_firm.set(true)/>{tr!("기업", "A firm")}</label>
                    <label class="radio"><input type="radio" name="to" prop:checked=move || !to_firm.get() on:change=move |_| to_firm.set(false)/>{tr!("협의체 전체", "A whole consortium")}</label>
                </fieldset>
                <Show when=move || to_firm.get() fallback=move || view! {
                    <div class="field"><label for="offer-consortium">{tr!("협의체", "Consortium")}</label>
                        <select id="offer-consortium" on:change=move |ev| consortium.set(event_target_value(&ev))>
                            <option value="">{tr!("선택", "Choose")}</option>
                            <Suspense fallback=|| ()>{move || consortia.get().and_then(Result::ok).map(|p| p.items.into_iter().map(|c| view! { <option value=c.id.0.to_string()>{c.name}</option> }).collect_view())}</Suspense>
                        </select>
                        {move || consortia.get().and_then(Result::err).map(|e| view! { <ErrorView error=e/> })}
    </div>
                }>
                    <div class="field"><label for="offer-firm">{tr!("기업 이름 검색", "Search firms")}</label>
                        <input id="offer-firm" type="search" prop:value=firm_q on:input=move |ev| firm_q.set(event_target_value(&ev))/>
                        <Suspense fallback=|| ()>{move || firms.get().map(|r| match r {
                            // Fewer than two letters: nothing asked yet.
                            Err(ClientError::Api(moim_core::ApiError::NotFound)) => ().into_any(),
                            Err(e) => view! { <ErrorView error=e/> }.into_any(),
                            Ok(list) => view! {
                            <ul class="pick-list">{list.into_iter().map(|o| { let oid = o.id; view! {
                                <li><label class="radio"><input type="radio" name="offer-firm" prop:checked=move || firm.get() == Some(oid) on:change=move |_| firm.set(Some(oid))/>{o.name}{o.complex_name.map(|c| format!(" · {c}"))}</label></li>
                            }}).collect_view()}</ul>
                        }.into_any(),
                        })}</Suspense>
                    </div>
                </Show>
                <div class="field"><label for="offer-title">{tr!("제목", "Title")}</label>
                    <input id="offer-title" type="text" maxlength=TITLE_MAX prop:value=title on:input=move |ev| title.set(event_target_value(&ev))/></div>
                <div class="field"><label for="offer-body">{tr!("제안 내용", "What you offer")}</label>
                    <textarea id="offer-body" rows="4" maxlength=PROPOSAL_TEXT_MAX prop:value=body on:input=move |ev| body.set(event_target_value(&ev))></textarea></div>
                <div role="alert">{move || shown().map(|e| view! { <p class="alert alert-error">{error_text(&e, lang.get())}
                    {e.fields().0.into_iter().map(|f| view! { " "<span>{format!("{}: {}", f.field, i18n::field_error(&f.code, lang.get()))}</span> }).collect_view()}</p> })}</div>
                {move || sent.get().then(|| view! { <p class="alert alert-success" role="status">{tr!("제안을 보냈습니다.", "Offer sent.")}</p> })}
                <button type="submit" class="btn btn-primary" disabled=sending.pending()>{tr!("제안 보내기", "Send offer")}</button>
            </form>
        }
}
