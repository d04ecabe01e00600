//! A consortium's member fees and donations (`moim_core::ledger`): a year's
//! schedule, the invoices issued from it, what became of each, donations
//! received. Issuing takes the schedule's row first, so two issues at once
//! never charge an organisation twice for a year; every change is in the
//! audit trail.

use super::{Db, audit, decode, encode, with_db, with_tx};
use crate::error::DbError;
use chrono::{DateTime, NaiveDate, Utc};
use moim_core::{
    ConsortiumId, OrgId, UserId,
    account::OrgKind,
    consortium::AuditAction,
    ledger::{
        Donate, DonationView, FeeClass, FeeRate, FeeSchedule, InvoiceStatus, InvoiceView, Ledger,
        LedgerTotals, SettleInvoice,
    },
};

fn subject(c: ConsortiumId, org: Option<OrgId>, note: String) -> audit::Subject {
    audit::Subject {
        consortium: Some(c),
        org,
        note: Some(note),
        ..Default::default()
    }
}

/// The first and last day of `year`.
fn bounds(year: i32) -> (NaiveDate, NaiveDate) {
    let day = |m, d| NaiveDate::from_ymd_opt(year, m, d).unwrap_or_default();
    (day(1, 1), day(12, 31))
}

/// Consortium `c`'s schedule of `year`, once set.
async fn schedule(db: &Db, c: ConsortiumId, year: i32) -> Result<Option<FeeSchedule>, DbError> {
    let row: Option<(NaiveDate, String)> = with_db!(db, p => sqlx::query_as(
        "SELECT due_on, rates FROM fee_schedules WHERE consortium_id = $1 AND year = $2")
        .bind(c.0).bind(year).fetch_optional(p).await?);
    row.map(|(due_on, rates)| {
        Ok(FeeSchedule {
            due_on,
            rates: decode::<Vec<FeeRate>>(&rates)?,
        })
    })
    .transpose()
}

/// A member organisation without an invoice of the year, with its class.
#[derive(sqlx::FromRow)]
struct Uninvoiced {
    id: i64,
    name: String,
    kind: String,
    people: Option<i64>,
}

impl Uninvoiced {
    fn class(&self) -> FeeClass {
        FeeClass::of(
            OrgKind::from_code(&self.kind).unwrap_or(OrgKind::Agency),
            self.people,
        )
    }
}

/// Consortium `c`'s open member organisations with no invoice of `year`; a
/// firm's people are its latest employees, else its headcount.
const UNINVOICED: &str = "SELECT o.id, o.name, o.kind, \
       COALESCE((SELECT f.employees FROM firm_figures f WHERE f.org_id = o.id AND f.employees IS NOT NULL \
                 ORDER BY f.year DESC LIMIT 1), o.headcount) AS people \
     FROM memberships m JOIN organisations o ON o.id = m.org_id \
     WHERE m.consortium_id = $1 AND o.closed_at IS NULL AND NOT EXISTS \
       (SELECT 1 FROM fee_invoices i WHERE i.consortium_id = m.consortium_id AND i.year = $2 AND i.org_id = o.id) \
     ORDER BY o.name, o.id";

#[derive(sqlx::FromRow)]
struct InvoiceRow {
    id: i64,
    org_id: i64,
    org_name: String,
    class: String,
    amount_manwon: i64,
    due_on: NaiveDate,
    status: String,
    paid_on: Option<NaiveDate>,
    note: Option<String>,
}

/// Consortium `c` (named `name`)'s ledger of `year`, as it stands on `today`.
pub async fn ledger(
    db: &Db,
    c: ConsortiumId,
    name: String,
    year: i32,
    today: NaiveDate,
) -> Result<Ledger, DbError> {
    let schedule = schedule(db, c, year).await?;
    let rows: Vec<InvoiceRow> = with_db!(db, p => sqlx::query_as(
        "SELECT i.id, i.org_id, o.name AS org_name, i.class, i.amount_manwon, i.due_on, i.status, i.paid_on, i.note \
         FROM fee_invoices i JOIN organisations o ON o.id = i.org_id \
         WHERE i.consortium_id = $1 AND i.year = $2 ORDER BY o.name, i.id")
        .bind(c.0).bind(year).fetch_all(p).await?);
    let invoices: Vec<InvoiceView> = rows
        .into_iter()
        .map(|r| {
            let status = InvoiceStatus::from_code(&r.status).unwrap_or(InvoiceStatus::Issued);
            InvoiceView {
                id: r.id,
                org: OrgId(r.org_id),
                org_name: r.org_name,
                class: FeeClass::from_code(&r.class).unwrap_or(FeeClass::FirmSmall),
                amount_manwon: r.amount_manwon,
                due_on: r.due_on,
                overdue: status == InvoiceStatus::Issued && r.due_on < today,
                status,
                paid_on: r.paid_on,
                note: r.note,
            }
        })
        .collect();
    let (first, last) = bounds(year);
    let donations: Vec<(i64, String, i64, NaiveDate, Option<String>)> = with_db!(db, p => sqlx::query_as(
        "SELECT id, donor, amount_manwon, received_on, note FROM donations \
         WHERE consortium_id = $1 AND received_on >= $2 AND received_on <= $3 ORDER BY received_on, id")
        .bind(c.0).bind(first).bind(last).fetch_all(p).await?);
    let donations: Vec<DonationView> = donations
        .into_iter()
        .map(
            |(id, donor, amount_manwon, received_on, note)| DonationView {
                id,
                donor,
                amount_manwon,
                received_on,
                note,
            },
        )
        .collect();
    let to_invoice = match &schedule {
        Some(s) => {
            let members: Vec<Uninvoiced> = with_db!(db, p => sqlx::query_as(UNINVOICED)
                .bind(c.0).bind(year).fetch_all(p).await?);
            i64::try_from(
                members
                    .iter()
                    .filter(|m| s.fee(m.class()).is_some())
                    .count(),
            )
            .unwrap_or(i64::MAX)
        }
        None => 0,
    };
    Ok(Ledger {
        consortium: c,
        name,
        year,
        schedule,
        to_invoice,
        totals: LedgerTotals::of(&invoices, &donations),
        invoices,
        donations,
    })
}

/// Sets (or replaces) consortium `c`'s schedule of `year`; invoices issued
/// before keep their amounts, and those unpaid take the new day.
pub async fn set_schedule(
    db: &Db,
    c: ConsortiumId,
    year: i32,
    s: &FeeSchedule,
    actor: UserId,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let mut tx = db.begin().await?;
    let rates = encode(&s.rates)?;
    with_tx!(&mut tx, x => sqlx::query(
        "INSERT INTO fee_schedules (consortium_id, year, due_on, rates, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (consortium_id, year) DO UPDATE SET due_on = excluded.due_on, rates = excluded.rates, \
           updated_by = excluded.updated_by, updated_at = excluded.updated_at")
        .bind(c.0).bind(year).bind(s.due_on).bind(&rates).bind(actor.0).bind(now)
        .execute(&mut *x).await?.rows_affected());
    with_tx!(&mut tx, x => sqlx::query(
        "UPDATE fee_invoices SET due_on = $3 WHERE consortium_id = $1 AND year = $2 AND status = 'issued'")
        .bind(c.0).bind(year).bind(s.due_on).execute(&mut *x).await?.rows_affected());
    let fees: Vec<String> = s
        .rates
        .iter()
        .map(|r| format!("{} {}만원", r.class.label().0, r.amount_manwon))
        .collect();
    let note = format!("{year}: {} ({} 납부)", fees.join(", "), s.due_on);
    audit::record(
        &mut tx,
        Some(actor),
        AuditAction::FeeScheduleSet,
        subject(c, None, note),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Issues consortium `c`'s invoices of `year` to every member organisation
/// that has none and whose class pays a fee; how many, or none without a
/// schedule.
pub async fn issue(
    db: &Db,
    c: ConsortiumId,
    year: i32,
    actor: UserId,
    now: DateTime<Utc>,
) -> Result<Option<usize>, DbError> {
    let mut tx = db.begin().await?;
    // The schedule's row first: a second issue waits, then finds the
    // invoices of the first.
    let row: Option<(NaiveDate, String)> = with_tx!(&mut tx, x => sqlx::query_as(
        "UPDATE fee_schedules SET year = year WHERE consortium_id = $1 AND year = $2 RETURNING due_on, rates")
        .bind(c.0).bind(year).fetch_optional(&mut *x).await?);
    let Some((due_on, rates)) = row else {
        return Ok(None);
    };
    let s = FeeSchedule {
        due_on,
        rates: decode(&rates)?,
    };
    let members: Vec<Uninvoiced> = with_tx!(&mut tx, x => sqlx::query_as(UNINVOICED)
        .bind(c.0).bind(year).fetch_all(&mut *x).await?);
    let mut issued = 0;
    for m in &members {
        let class = m.class();
        let Some(fee) = s.fee(class) else { continue };
        with_tx!(&mut tx, x => sqlx::query(
            "INSERT INTO fee_invoices (consortium_id, year, org_id, class, amount_manwon, due_on, status, issued_by, issued_at) \
             VALUES ($1, $2, $3, $4, $5, $6, 'issued', $7, $8)")
            .bind(c.0).bind(year).bind(m.id).bind(class.code()).bind(fee).bind(due_on).bind(actor.0).bind(now)
            .execute(&mut *x).await?.rows_affected());
        issued += 1;
        let note = format!("{year}: {} {fee}만원", m.name);
        audit::record(
            &mut tx,
            Some(actor),
            AuditAction::FeeInvoiced,
            subject(c, Some(OrgId(m.id)), note),
            now,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(Some(issued))
}

/// Records what became of invoice `id` of consortium `c`; its year, or none
/// when the consortium has no such invoice.
pub async fn settle(
    db: &Db,
    c: ConsortiumId,
    id: i64,
    s: &SettleInvoice,
    actor: UserId,
    now: DateTime<Utc>,
) -> Result<Option<i32>, DbError> {
    let mut tx = db.begin().await?;
    let note = s.note.as_deref().map(str::trim).filter(|n| !n.is_empty());
    let paid_on = s.paid_on.filter(|_| s.status == InvoiceStatus::Paid);
    let row: Option<(i32, i64, i64)> = with_tx!(&mut tx, x => sqlx::query_as(
        "UPDATE fee_invoices SET status = $3, paid_on = $4, note = $5, settled_by = $6, settled_at = $7 \
         WHERE id = $1 AND consortium_id = $2 RETURNING year, org_id, amount_manwon")
        .bind(id).bind(c.0).bind(s.status.code()).bind(paid_on).bind(note).bind(actor.0).bind(now)
        .fetch_optional(&mut *x).await?);
    let Some((year, org, amount)) = row else {
        return Ok(None);
    };
    let (org_name,): (String,) = with_tx!(&mut tx, x => sqlx::query_as(
        "SELECT name FROM organisations WHERE id = $1").bind(org).fetch_one(&mut *x).await?);
    let what = match (s.status, paid_on) {
        (InvoiceStatus::Paid, Some(d)) => format!("납부 {d}"),
        (InvoiceStatus::Waived, _) => "면제".to_owned(),
        _ => "미납으로 되돌림".to_owned(),
    };
    let mut text = format!("{year}: {org_name} {amount}만원 {what}");
    if let Some(n) = note {
        text.push_str(&format!(" ({n})"));
    }
    audit::record(
        &mut tx,
        Some(actor),
        AuditAction::InvoiceSettled,
        subject(c, Some(OrgId(org)), text),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(Some(year))
}

/// Records donation `d` to consortium `c`.
pub async fn donate(
    db: &Db,
    c: ConsortiumId,
    d: &Donate,
    actor: UserId,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let mut tx = db.begin().await?;
    let note = d.note.as_deref().map(str::trim).filter(|n| !n.is_empty());
    with_tx!(&mut tx, x => sqlx::query(
        "INSERT INTO donations (consortium_id, donor, amount_manwon, received_on, note, recorded_by, recorded_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)")
        .bind(c.0).bind(d.donor.trim()).bind(d.amount_manwon).bind(d.received_on).bind(note).bind(actor.0).bind(now)
        .execute(&mut *x).await?.rows_affected());
    let text = format!(
        "{}: {} {}만원",
        d.received_on,
        d.donor.trim(),
        d.amount_manwon
    );
    audit::record(
        &mut tx,
        Some(actor),
        AuditAction::DonationRecorded,
        subject(c, None, text),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
