//! 협약·지급 on a selected application's page: the call's admin records the
//! agreement (the day it was signed; the grant and milestones come from the
//! decision and the application), then each payment of the grant against a
//! milestone. The team reads what was committed, what was paid and what is
//! overdue.

use super::calls::{CallError, manwon};
use crate::{
    api,
    components::form::focus_soon,
    i18n::{Lang, pick, use_lang},
    submit::Submit,
    time::{kst_day, now, parse_date, ymd},
    tr,
};
use leptos::prelude::*;
use moim_core::{
    ApplicationId, Validate,
    call::ApplicationView,
    grant::{Agree, FundedMilestone, GrantView, MilestoneStatus, Pay},
};

fn status_label(s: MilestoneStatus, lang: Lang) -> &'static str {
    match s {
        MilestoneStatus::Planned => pick(lang, "지급 예정", "Planned"),
        MilestoneStatus::Overdue => pick(lang, "지급 지연", "Overdue"),
        MilestoneStatus::Paid => pick(lang, "지급 완료", "Paid"),
    }
}

/// The agreement and payments, or the admin's form to record the agreement.
#[component]
pub fn GrantPanel(id: ApplicationId, view_now: RwSignal<ApplicationView>) -> impl IntoView {
    let lang = use_lang();
    let grant = move || view_now.with(|v| v.grant.clone());
    let can_agree = move || view_now.with(|v| v.can_agree);
    view! {
        <Show when=move || grant().is_some() || can_agree()>
            <section class="card grant" aria-labelledby="grant-title" data-testid="grant">
                <h2 id="grant-title">{tr!("협약·지급", "Agreement and payments")}</h2>
                {move || match grant() {
                    Some(g) => view! { <Grant id=id g=g view_now=view_now/> }.into_any(),
                    None => view! { <AgreeForm id=id view_now=view_now/> }.into_any(),
                }}
                <p class="muted small">{move || pick(lang.get(),
                    "모임은 협약과 지급을 기록합니다. 지급 자체는 모임 밖에서 이루어집니다.",
                    "Moim records the agreement and payments; it does not make them.")}</p>
            </section>
        </Show>
    }
}

#[component]
fn AgreeForm(id: ApplicationId, view_now: RwSignal<ApplicationView>) -> impl IntoView {
    let day = RwSignal::new(ymd(kst_day(now())));
    let acting = Submit::new();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(agreed_on) = parse_date(&day.get_untracked()) else {
            return;
        };
        let a = Agree { agreed_on };
        acting.run(async move {
            view_now.set(api::calls::agree(id, &a).await?);
            Ok(())
        });
    };
    view! {
        <p>{tr!("선정된 신청서의 협약을 기록하면 지원금과 추진 일정이 지급 관리로 옮겨집니다.",
            "Recording the agreement carries the grant and the milestones over to payments.")}</p>
        <form class="row agree-form" on:submit=submit>
            <div class="field">
                <label for="agreed-on">{tr!("협약일", "Signed on")}</label>
                <input id="agreed-on" type="date" required prop:value=day
                    on:input=move |ev| day.set(event_target_value(&ev))/>
            </div>
            <button type="submit" class="btn btn-primary" disabled=acting.pending()>{tr!("협약 기록", "Record the agreement")}</button>
        </form>
        <CallError error=acting.error()/>
    }
}

#[component]
fn Grant(id: ApplicationId, g: GrantView, view_now: RwSignal<ApplicationView>) -> impl IntoView {
    let lang = use_lang();
    let can_pay = move || view_now.with(|v| v.can_pay);
    let (grant, paid, agreed) = (g.grant_manwon, g.paid_manwon, g.agreed_on);
    let share = if grant > 0 { paid * 100 / grant } else { 0 };
    view! {
        <dl class="counts grant-sum" data-testid="grant-sum">
            <div><dt>{tr!("지원금", "Grant")}</dt><dd>{move || manwon(grant, lang.get())}</dd></div>
            <div><dt>{tr!("협약일", "Signed on")}</dt><dd>{ymd(agreed)}</dd></div>
            <div><dt>{tr!("지급", "Paid")}</dt><dd>{move || format!("{} ({share}%)", manwon(paid, lang.get()))}</dd></div>
            <div><dt>{tr!("잔액", "Left")}</dt><dd>{move || manwon(grant - paid, lang.get())}</dd></div>
        </dl>
        <ol class="grant-milestones" data-testid="grant-milestones">
            {g.milestones.into_iter().enumerate().map(|(i, m)| view! {
                <li><MilestoneLine id=id n=i + 1 m=m view_now=view_now can_pay=Signal::derive(can_pay)/></li>
            }).collect_view()}
        </ol>
    }
}

#[component]
fn MilestoneLine(
    id: ApplicationId,
    n: usize,
    m: FundedMilestone,
    view_now: RwSignal<ApplicationView>,
    can_pay: Signal<bool>,
) -> impl IntoView {
    let lang = use_lang();
    let (status, planned, due) = (m.status, m.amount_manwon, m.due_on);
    let paid = m.paid_manwon.zip(m.paid_on);
    let amount = RwSignal::new(m.paid_manwon.map(|p| p.to_string()).unwrap_or_default());
    let day = RwSignal::new(m.paid_on.map_or_else(|| ymd(kst_day(now())), ymd));
    let acting = Submit::new();
    let open = RwSignal::new(false);
    // What the browser's own checks let through but the payment cannot be.
    let invalid = RwSignal::new(false);
    let toggle = move |now: bool| {
        open.set(now);
        invalid.set(false);
        focus_soon(if now {
            format!("#pay-amount-{n}")
        } else {
            format!("#pay-open-{n}")
        });
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let p = match (
            amount.get_untracked().trim().parse::<i64>(),
            parse_date(&day.get_untracked()),
        ) {
            (Ok(paid_manwon), Some(paid_on)) => Pay {
                paid_manwon,
                paid_on,
            },
            _ => {
                invalid.set(true);
                return;
            }
        };
        invalid.set(p.validate().is_err());
        if invalid.get_untracked() {
            return;
        }
        acting.run(async move {
            let v = api::calls::pay(id, n, &p).await?;
            view_now.set(v);
            Ok(())
        });
    };
    let title = StoredValue::new(m.title.clone());
    view! {
        <p class="milestone-head">
            <strong>{m.title}</strong>" "
            <span class="badge" class:badge-open=status == MilestoneStatus::Paid class:badge-warn=status == MilestoneStatus::Overdue>
                {move || status_label(status, lang.get())}</span>
        </p>
        <p class="muted small">{move || match lang.get() {
            Lang::Ko => format!("완료 예정 {} · 계획 {}", ymd(due), manwon(planned, Lang::Ko)),
            Lang::En => format!("Due {} · planned {}", ymd(due), manwon(planned, Lang::En)),
        }}</p>
        {paid.map(|(p, on)| view! { <p>{move || match lang.get() {
            Lang::Ko => format!("{} 지급 {}", ymd(on), manwon(p, Lang::Ko)),
            Lang::En => format!("Paid {} on {}", manwon(p, Lang::En), ymd(on)),
        }}</p> })}
        <Show when=move || can_pay.get()>
            <Show when=move || open.get() fallback=move || view! {
                <button type="button" id=format!("pay-open-{n}") class="btn btn-secondary btn-sm" on:click=move |_| toggle(true)
                    aria-label=move || format!("{}: {}", pick(lang.get(), "지급 기록", "Record a payment"), title.get_value())>
                    {tr!("지급 기록", "Record a payment")}</button>
            }>
                <form class="pay-form" on:submit=submit>
                    <div class="row">
                        <div class="field">
                            <label for=format!("pay-amount-{n}")>{tr!("지급액 (만원)", "Paid (만원)")}</label>
                            <input id=format!("pay-amount-{n}") type="number" inputmode="numeric" min="1" required prop:value=amount
                                aria-invalid=move || invalid.get().to_string()
                                on:input=move |ev| amount.set(event_target_value(&ev))/>
                        </div>
                        <div class="field">
                            <label for=format!("pay-day-{n}")>{tr!("지급일", "Paid on")}</label>
                            <input id=format!("pay-day-{n}") type="date" required prop:value=day
                                aria-invalid=move || invalid.get().to_string()
                                on:input=move |ev| day.set(event_target_value(&ev))/>
                        </div>
                    </div>
                    <div class="btn-row">
                        <button type="submit" class="btn btn-primary btn-sm" disabled=acting.pending()>{tr!("저장", "Save")}</button>
                        <button type="button" class="btn btn-secondary btn-sm" on:click=move |_| toggle(false)>{tr!("취소", "Cancel")}</button>
                    </div>
                    <Show when=move || invalid.get()>
                        <p class="error" role="alert">{move || pick(lang.get(),
                            "지급액은 1만원 이상, 지급일은 2000~2100년의 날짜로 적어 주세요.",
                            "Give an amount of at least 1만원 and a day between 2000 and 2100.")}</p>
                    </Show>
                    <CallError error=acting.error()/>
                </form>
            </Show>
        </Show>
    }
}
