//! 회비·기부금 장부 (`/consortia/:id/ledger?year=`): a consortium's member fees
//! and donations of a year, for its CMs and admins. The year's fee schedule
//! (a fee per class of member, the day fees are due), issuing the year's
//! invoices, recording what became of each (paid on a day, waived with the
//! reason, or back to unpaid), donations received, the totals and the CSV.
//! Drawn by the cockpit's module (a module costs the main module a loader of
//! its own).

use super::calls::manwon;
use crate::{
    api,
    components::{
        cards::{ErrorView, Loading},
        form::{FormError, focus_soon},
    },
    i18n::{Lang, pick, use_lang},
    load::Load,
    routing::{id_param, query_param},
    submit::Submit,
    time::{kst_day, now, parse_date, ymd},
    tr,
};
use chrono::{Datelike, NaiveDate};
use leptos::prelude::*;
use leptos_router::components::A;
use moim_core::{
    ConsortiumId,
    ledger::{
        Donate, FeeClass, FeeRate, FeeSchedule, InvoiceStatus, InvoiceView, Ledger, SettleInvoice,
    },
    paths,
};

/// The ledger page.
#[component]
pub fn LedgerPage() -> impl IntoView {
    let id = id_param("id");
    let year_param = query_param("year");
    let this_year = kst_day(now()).year();
    let year = Memo::new(move |_| {
        year_param
            .get()
            .and_then(|y| y.parse::<i32>().ok())
            .filter(|y| moim_core::ledger::valid_year(*y))
            .unwrap_or(this_year)
    });
    let loaded = Load::<Ledger>::new(move || {
        id.get()
            .map(|i| paths::ledger(ConsortiumId(i), Some(year.get())))
    });
    move || match loaded.get() {
        None => view! { <Loading/> }.into_any(),
        Some(Err(e)) => view! { <ErrorView error=e/> }.into_any(),
        Some(Ok(l)) => view! { <Book l=RwSignal::new(l)/> }.into_any(),
    }
}

#[component]
fn Book(l: RwSignal<Ledger>) -> impl IntoView {
    let lang = use_lang();
    let (c, year, name) = l.with_untracked(|l| (l.consortium, l.year, l.name.clone()));
    let amount = move |n: i64| move || manwon(n, lang.get());
    let totals = move || l.with(|l| l.totals.clone());
    let csv = paths::ledger_csv(c, year);
    let issuing = Submit::new();
    let issue = move |_| {
        issuing.run(async move {
            l.set(api::consortia::issue_invoices(c, year).await?);
            focus_soon("#invoices-h".to_owned());
            Ok(())
        })
    };
    let to_invoice = move || l.with(|l| l.schedule.as_ref().map(|_| l.to_invoice).unwrap_or(0));
    view! {
        <section class="section ledger">
            <nav class="breadcrumb" aria-label=tr!("위치", "Breadcrumb")>
                <A href="/consortia">{tr!("협의체", "Consortia")}</A>" › "<A href=format!("/consortia/{c}")>{name.clone()}</A>
            </nav>
            <div class="page-head">
                <h1>{tr!("회비·기부금 장부", "Fees and donations")}</h1>
                <p class="lead">{tr!("자생적 클러스터의 회비와 기부금을 연도별로 기록합니다. 모임은 납부를 기록할 뿐 돈을 받지 않습니다.",
                    "The member fees and donations a self-sustaining cluster lives on, year by year. Moim records payments; it does not take them.")}</p>
            </div>
            <nav class="presets" aria-label=tr!("연도", "Year")>
                {moim_core::ledger::valid_year(year - 1).then(|| view! {
                    <A href=format!("/consortia/{c}/ledger?year={}", year - 1) attr:class="chip">{format!("‹ {}", year - 1)}</A>
                })}
                <span class="chip" aria-current="true">{year}</span>
                {moim_core::ledger::valid_year(year + 1).then(|| view! {
                    <A href=format!("/consortia/{c}/ledger?year={}", year + 1) attr:class="chip">{format!("{} ›", year + 1)}</A>
                })}
            </nav>
            <dl class="counts ledger-sum" data-testid="ledger-sum">
                <div><dt>{tr!("회비 청구", "Fees invoiced")}</dt><dd>{move || amount(totals().invoiced_manwon)()}</dd></div>
                <div><dt>{tr!("회비 납부", "Fees paid")}</dt><dd data-testid="ledger-paid">{move || amount(totals().paid_manwon)()}</dd></div>
                <div><dt>{tr!("미납", "Unpaid")}</dt><dd data-testid="ledger-unpaid">{move || {
                    let t = totals();
                    let late = t.overdue;
                    let base = manwon(t.unpaid_manwon, lang.get());
                    if late > 0 { pick(lang.get(), format!("{base} (연체 {late}건)"), format!("{base} ({late} overdue)")) } else { base }
                }}</dd></div>
                <div><dt>{tr!("기부금", "Donations")}</dt><dd>{move || amount(totals().donations_manwon)()}</dd></div>
                <div><dt>{tr!("수입 합계", "Income")}</dt><dd data-testid="ledger-income">{move || amount(totals().income())()}</dd></div>
            </dl>
            <ScheduleCard l=l/>
            <section class="card" aria-labelledby="invoices-h">
                <h2 id="invoices-h" tabindex="-1">{tr!("회비 청구서", "Invoices")}</h2>
                <Show when=move || { to_invoice() > 0 }>
                    <p>
                        <button type="button" class="btn btn-primary" on:click=issue disabled=issuing.pending()>
                            {move || pick(lang.get(), format!("{}개 기관에 {year}년 청구서 발행", to_invoice()), format!("Invoice {} organisations for {year}", to_invoice()))}
                        </button>
                    </p>
                </Show>
                <FormError error=issuing.error()/>
                <Show when=move || l.with(|l| l.invoices.is_empty())>
                    <p class="empty">{tr!("이 연도에 발행한 청구서가 없습니다. 회비 기준을 정하고 발행하세요.", "No invoices for this year yet. Set the fees, then issue them.")}</p>
                </Show>
                // Keyed by what the CM records: a row is drawn again only when
                // its invoice changed, so an open form elsewhere stays open.
                <ul class="invoices" data-testid="invoices">
                    <For each=move || l.with(|l| l.invoices.clone())
                        key=|i| (i.id, i.status, i.paid_on, i.note.clone())
                        children=move |i| view! { <InvoiceLine c=c i=i l=l/> }/>
                </ul>
            </section>
            <Donations c=c l=l/>
            <p class="downloads"><a class="btn btn-secondary btn-sm" href=csv download="" data-testid="ledger-csv">{tr!("장부 CSV 내려받기", "Download the ledger (CSV)")}</a></p>
        </section>
    }
}

fn class_name(c: FeeClass, lang: Lang) -> &'static str {
    let (ko, en) = c.label();
    pick(lang, ko, en)
}

/// The year's fee schedule, shown, or its form (open when none is set).
#[component]
fn ScheduleCard(l: RwSignal<Ledger>) -> impl IntoView {
    let lang = use_lang();
    let (c, year) = l.with_untracked(|l| (l.consortium, l.year));
    let current = l.with_untracked(|l| l.schedule.clone());
    let editing = RwSignal::new(current.is_none());
    let due = RwSignal::new(current.as_ref().map_or_else(
        || ymd(NaiveDate::from_ymd_opt(year, 3, 31).unwrap_or_default()),
        |s| ymd(s.due_on),
    ));
    let fees: Vec<(FeeClass, RwSignal<String>)> = FeeClass::ALL
        .iter()
        .map(|class| {
            let v = current
                .as_ref()
                .and_then(|s| s.fee(*class))
                .map(|a| a.to_string())
                .unwrap_or_default();
            (*class, RwSignal::new(v))
        })
        .collect();
    let saving = Submit::new();
    let invalid = RwSignal::new(false);
    let inputs = fees.clone();
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let rates: Option<Vec<FeeRate>> = inputs
            .iter()
            .map(|(class, v)| {
                let text = v.get_untracked();
                let text = text.trim();
                let amount_manwon = if text.is_empty() {
                    Some(0)
                } else {
                    text.parse::<i64>().ok().filter(|a| *a >= 0)
                };
                amount_manwon.map(|amount_manwon| FeeRate {
                    class: *class,
                    amount_manwon,
                })
            })
            .collect();
        let (Some(rates), Some(due_on)) = (rates, parse_date(&due.get_untracked())) else {
            invalid.set(true);
            return;
        };
        invalid.set(false);
        let s = FeeSchedule { due_on, rates };
        saving.run(async move {
            l.set(api::consortia::set_schedule(c, year, &s).await?);
            editing.set(false);
            focus_soon("#schedule-edit".to_owned());
            Ok(())
        });
    };
    let open = move |_| {
        editing.set(true);
        focus_soon("#fee-due".to_owned());
    };
    view! {
        <section class="card" aria-labelledby="schedule-h" data-testid="schedule">
            <h2 id="schedule-h">{move || pick(lang.get(), format!("{year}년 회비 기준"), format!("Fees for {year}"))}</h2>
            <Show when=move || !editing.get() fallback=move || {
                let fees = fees.clone();
                view! {
                    <form class="fee-form" on:submit=save.clone()>
                        <div class="field">
                            <label for="fee-due">{tr!("납부 기한", "Due by")}</label>
                            <input id="fee-due" type="date" required prop:value=due on:input=move |ev| due.set(event_target_value(&ev))/>
                        </div>
                        <fieldset>
                            <legend>{tr!("회원 구분별 연회비 (만원, 비우면 없음)", "Yearly fee by class of member (만원; empty for none)")}</legend>
                            <div class="fee-grid">
                                {fees.into_iter().map(|(class, v)| {
                                    let fid = format!("fee-{}", class.code());
                                    view! {
                                        <div class="field">
                                            <label for=fid.clone()>{move || class_name(class, lang.get())}</label>
                                            <input id=fid type="number" min="0" max="1000000" step="1" inputmode="numeric"
                                                prop:value=v on:input=move |ev| v.set(event_target_value(&ev))/>
                                        </div>
                                    }
                                }).collect_view()}
                            </div>
                        </fieldset>
                        <Show when=move || invalid.get()>
                            <p class="alert alert-error" role="alert">{tr!("금액은 0 이상의 정수, 기한은 날짜로 입력하세요.", "Enter whole amounts of 0 or more and a date.")}</p>
                        </Show>
                        <FormError error=saving.error()/>
                        <div class="actions">
                            <button type="submit" class="btn btn-primary" disabled=saving.pending()>{tr!("회비 기준 저장", "Save the fees")}</button>
                        </div>
                    </form>
                }
            }>
                {move || l.with(|l| l.schedule.clone()).map(|s| { let due_on = ymd(s.due_on); view! {
                    <p>{move || pick(lang.get(), format!("납부 기한 {due_on}"), format!("Due by {due_on}"))}</p>
                    <ul class="fee-list">
                        {s.rates.iter().filter(|r| r.amount_manwon > 0).map(|r| {
                            let (class, a) = (r.class, r.amount_manwon);
                            view! { <li><span>{move || class_name(class, lang.get())}</span><strong>{move || manwon(a, lang.get())}</strong></li> }
                        }).collect_view()}
                    </ul>
                }})}
                <button id="schedule-edit" type="button" class="btn btn-secondary btn-sm" on:click=open>{tr!("회비 기준 수정", "Change the fees")}</button>
            </Show>
        </section>
    }
}

fn status_text(i: &InvoiceView, lang: Lang) -> String {
    match (i.status, i.paid_on) {
        (InvoiceStatus::Paid, Some(d)) => {
            pick(lang, format!("납부 {}", ymd(d)), format!("Paid {}", ymd(d)))
        }
        (InvoiceStatus::Waived, _) => pick(lang, "면제", "Waived").to_owned(),
        _ if i.overdue => pick(lang, "연체", "Overdue").to_owned(),
        _ => pick(lang, "미납", "Unpaid").to_owned(),
    }
}

/// One invoice, with the CM's form to record what became of it.
#[component]
fn InvoiceLine(c: ConsortiumId, i: InvoiceView, l: RwSignal<Ledger>) -> impl IntoView {
    let lang = use_lang();
    let id = i.id;
    let open = RwSignal::new(false);
    let status = RwSignal::new(match i.status {
        InvoiceStatus::Issued => InvoiceStatus::Paid,
        s => s,
    });
    let day = RwSignal::new(i.paid_on.map_or_else(|| ymd(kst_day(now())), ymd));
    let note = RwSignal::new(i.note.clone().unwrap_or_default());
    let acting = Submit::new();
    let toggle = move |now: bool| {
        open.set(now);
        focus_soon(if now {
            format!("#settle-{id}")
        } else {
            format!("#settle-open-{id}")
        });
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let st = status.get_untracked();
        let s = SettleInvoice {
            status: st,
            paid_on: (st == InvoiceStatus::Paid)
                .then(|| parse_date(&day.get_untracked()))
                .flatten(),
            note: Some(note.get_untracked()).filter(|n| !n.trim().is_empty()),
        };
        acting.run(async move {
            l.set(api::consortia::settle_invoice(c, id, &s).await?);
            focus_soon(format!("#settle-open-{id}"));
            Ok(())
        });
    };
    let state_class = match (i.status, i.overdue) {
        (InvoiceStatus::Paid, _) => "badge status-completed",
        (InvoiceStatus::Waived, _) => "badge",
        (_, true) => "badge status-dropped",
        _ => "badge status-open",
    };
    let label = i.org_name.clone();
    let inv = i.clone();
    view! {
        <li class="invoice">
            <div class="invoice-head">
                <strong>{i.org_name.clone()}</strong>
                <span class="muted small">{move || class_name(i.class, lang.get())}</span>
                <span>{move || manwon(i.amount_manwon, lang.get())}</span>
                <span class=state_class>{move || status_text(&inv, lang.get())}</span>
                <Show when=move || !open.get()>
                    {let label = label.clone(); view! {
                        <button id=format!("settle-open-{id}") type="button" class="btn-text"
                            aria-label=move || pick(lang.get(), format!("납부 기록: {label}"), format!("Record: {label}"))
                            on:click=move |_| toggle(true)>{tr!("기록", "Record")}</button>
                    }}
                </Show>
            </div>
            {i.note.clone().map(|n| view! { <p class="muted small">{n}</p> })}
            <Show when=move || open.get()>
                <form class="row settle-form" on:submit=submit>
                    <div class="field">
                        <label for=format!("settle-{id}")>{tr!("상태", "Status")}</label>
                        <select id=format!("settle-{id}") on:change=move |ev| {
                            if let Some(s) = InvoiceStatus::from_code(&event_target_value(&ev)) { status.set(s) }
                        }>
                            <option value="paid" selected=move || status.get() == InvoiceStatus::Paid>{tr!("납부", "Paid")}</option>
                            <option value="waived" selected=move || status.get() == InvoiceStatus::Waived>{tr!("면제", "Waived")}</option>
                            <option value="issued" selected=move || status.get() == InvoiceStatus::Issued>{tr!("미납", "Unpaid")}</option>
                        </select>
                    </div>
                    <Show when=move || status.get() == InvoiceStatus::Paid>
                        <div class="field">
                            <label for=format!("paid-on-{id}")>{tr!("납부일", "Paid on")}</label>
                            <input id=format!("paid-on-{id}") type="date" required prop:value=day on:input=move |ev| day.set(event_target_value(&ev))/>
                        </div>
                    </Show>
                    <div class="field">
                        <label for=format!("note-{id}")>{move || if status.get() == InvoiceStatus::Waived { pick(lang.get(), "면제 사유", "Why waived") } else { pick(lang.get(), "메모", "Note") }}</label>
                        <input id=format!("note-{id}") type="text" maxlength="500" prop:value=note
                            required=move || status.get() == InvoiceStatus::Waived
                            on:input=move |ev| note.set(event_target_value(&ev))/>
                    </div>
                    <div class="actions">
                        <button type="submit" class="btn btn-primary btn-sm" disabled=acting.pending()>{tr!("저장", "Save")}</button>
                        <button type="button" class="btn-text" on:click=move |_| toggle(false)>{tr!("취소", "Cancel")}</button>
                    </div>
                    <FormError error=acting.error()/>
                </form>
            </Show>
        </li>
    }
}

/// The year's donations and the form to record one.
#[component]
fn Donations(c: ConsortiumId, l: RwSignal<Ledger>) -> impl IntoView {
    let lang = use_lang();
    let year = l.with_untracked(|l| l.year);
    let today = kst_day(now());
    // A day of the year on the page: today in this year, else its last day.
    let first = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(today);
    let last = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(today);
    let donor = RwSignal::new(String::new());
    let amount = RwSignal::new(String::new());
    let day = RwSignal::new(ymd(today.clamp(first, last)));
    let note = RwSignal::new(String::new());
    let saving = Submit::new();
    let invalid = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (Ok(amount_manwon), Some(received_on)) = (
            amount.get_untracked().trim().parse::<i64>(),
            parse_date(&day.get_untracked()).filter(|d| (first..=last).contains(d)),
        ) else {
            invalid.set(true);
            return;
        };
        invalid.set(false);
        let d = Donate {
            donor: donor.get_untracked(),
            amount_manwon,
            received_on,
            note: Some(note.get_untracked()).filter(|n| !n.trim().is_empty()),
        };
        saving.run(async move {
            // The form keeps to the year on the page, so the answer is its
            // ledger.
            l.set(api::consortia::donate(c, &d).await?);
            donor.set(String::new());
            amount.set(String::new());
            note.set(String::new());
            Ok(())
        });
    };
    view! {
        <section class="card" aria-labelledby="donations-h">
            <h2 id="donations-h">{tr!("기부금", "Donations")}</h2>
            {move || {
                let list = l.with(|l| l.donations.clone());
                if list.is_empty() {
                    view! { <p class="empty">{tr!("이 연도에 받은 기부금이 없습니다.", "No donations received this year.")}</p> }.into_any()
                } else {
                    view! {
                        <ul class="fee-list" data-testid="donations">
                            {list.into_iter().map(|d| {
                                let a = d.amount_manwon;
                                view! { <li><span>{format!("{} · {}", ymd(d.received_on), d.donor)}{d.note.map(|n| format!(" ({n})"))}</span><strong>{move || manwon(a, lang.get())}</strong></li> }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }
            }}
            <form class="donation-form" on:submit=submit>
                <div class="field">
                    <label for="donor">{tr!("기부자", "Donor")}</label>
                    <input id="donor" type="text" required maxlength="100" prop:value=donor on:input=move |ev| donor.set(event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for="donation-amount">{tr!("금액 (만원)", "Amount (만원)")}</label>
                    <input id="donation-amount" type="number" required min="1" max="1000000" step="1" inputmode="numeric" prop:value=amount on:input=move |ev| amount.set(event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for="donation-day">{tr!("수령일", "Received on")}</label>
                    <input id="donation-day" type="date" required min=ymd(first) max=ymd(last) prop:value=day on:input=move |ev| day.set(event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for="donation-note">{tr!("메모", "Note")}</label>
                    <input id="donation-note" type="text" maxlength="500" prop:value=note on:input=move |ev| note.set(event_target_value(&ev))/>
                </div>
                <Show when=move || invalid.get()>
                    <p class="alert alert-error" role="alert">{move || pick(lang.get(), format!("금액은 1 이상의 정수, 수령일은 {year}년의 날짜로 입력하세요."), format!("Enter a whole amount of 1 or more and a day of {year}."))}</p>
                </Show>
                <FormError error=saving.error()/>
                <div class="actions">
                    <button type="submit" class="btn btn-primary" disabled=saving.pending()>{tr!("기부금 기록", "Record the donation")}</button>
                </div>
            </form>
        </section>
    }
}
