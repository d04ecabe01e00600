//! A consortium's member fees and donations (회비·기부금): the money a
//! self-sustaining cluster (자생적 클러스터) lives on, kept the same way by any
//! consortium that charges fees. Its CM sets a year's fee
//! schedule — an amount per class of member (a firm by its size, a
//! university, an institute, a support agency) and the day fees are due —
//! issues that year's invoice to every member organisation that has none, and
//! records what became of each (paid on a day, waived, or back to issued);
//! an invoice unpaid past its day is overdue. Donations received are
//! recorded with their day. The yearly ledger adds it up, also as CSV. Moim
//! records payments; it does not take them. Amounts in 만원.

use crate::{
    ConsortiumId, FieldErrors, OrgId, Validate,
    account::OrgKind,
    call::{FIRST_YEAR, LAST_YEAR, in_years},
    figures::SizeBand,
};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The largest fee or donation (만원): 100억원.
pub const LEDGER_AMOUNT_MAX: i64 = 1_000_000;
/// The longest donor's name.
pub const DONOR_MAX: usize = 100;
/// The longest note.
pub const NOTE_MAX: usize = 500;

code_enum!(
    /// What a member organisation pays by: a firm by its size (its latest
    /// employees, else its headcount; a firm of unknown size as a small one),
    /// anyone else by kind.
    FeeClass {
        /// 소기업 (50 people or fewer).
        FirmSmall = "firm_small",
        /// 중소기업 (51–300).
        FirmMedium = "firm_medium",
        /// 중견·대기업 (more than 300).
        FirmLarge = "firm_large",
        /// 대학.
        University = "university",
        /// 연구기관.
        Institute = "institute",
        /// 지원기관.
        Agency = "agency",
    }
);

impl FeeClass {
    /// The class of an organisation of `kind` with `people` employees.
    pub fn of(kind: OrgKind, people: Option<i64>) -> FeeClass {
        match kind {
            OrgKind::Firm => match people.map(SizeBand::of) {
                Some(SizeBand::Large) => FeeClass::FirmLarge,
                Some(SizeBand::Medium) => FeeClass::FirmMedium,
                _ => FeeClass::FirmSmall,
            },
            OrgKind::University => FeeClass::University,
            OrgKind::Institute => FeeClass::Institute,
            OrgKind::Agency => FeeClass::Agency,
        }
    }

    /// Its name in Korean and English.
    pub fn label(self) -> (&'static str, &'static str) {
        match self {
            FeeClass::FirmSmall => ("소기업", "Small firm"),
            FeeClass::FirmMedium => ("중소기업", "Mid-sized firm"),
            FeeClass::FirmLarge => ("중견·대기업", "Large firm"),
            FeeClass::University => ("대학", "University"),
            FeeClass::Institute => ("연구기관", "Research institute"),
            FeeClass::Agency => ("지원기관", "Support agency"),
        }
    }
}

/// A year of the ledger: 2000–2100, as Moim keeps days.
pub fn valid_year(year: i32) -> bool {
    (FIRST_YEAR..=LAST_YEAR).contains(&year)
}

/// One class's yearly fee.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FeeRate {
    /// The class.
    pub class: FeeClass,
    /// Its fee for the year (만원; 0: none).
    #[serde(deserialize_with = "crate::ids::whole")]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 1_000_000))]
    pub amount_manwon: i64,
}

/// A year's fee schedule, as the CM sets it. A class left out pays nothing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FeeSchedule {
    /// The day the year's fees are due.
    #[serde(with = "crate::wire_time::date")]
    pub due_on: NaiveDate,
    /// The fee of each class (each class once).
    #[cfg_attr(feature = "openapi", schema(max_items = 6))]
    pub rates: Vec<FeeRate>,
}

impl Validate for FeeSchedule {
    fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::default();
        in_years(&mut e, "due_on", self.due_on);
        if self.rates.len() > FeeClass::ALL.len() {
            e.add(
                "rates",
                crate::ErrorCode::TooLong {
                    max: FeeClass::ALL.len(),
                },
            );
            return e.into_result();
        }
        for (i, r) in self.rates.iter().enumerate() {
            e.range(
                &format!("rates.{i}.amount_manwon"),
                r.amount_manwon,
                0,
                LEDGER_AMOUNT_MAX,
            );
            if self.rates[..i].iter().any(|o| o.class == r.class) {
                e.add(format!("rates.{i}.class"), crate::ErrorCode::InvalidChoice);
            }
        }
        e.into_result()
    }
}

impl FeeSchedule {
    /// The fee of `class` (none when it pays nothing).
    pub fn fee(&self, class: FeeClass) -> Option<i64> {
        self.rates
            .iter()
            .find(|r| r.class == class)
            .map(|r| r.amount_manwon)
            .filter(|a| *a > 0)
    }
}

code_enum!(
    /// Where an invoice stands, as recorded.
    InvoiceStatus {
        /// Issued, not paid.
        Issued = "issued",
        /// Paid on a day.
        Paid = "paid",
        /// Waived by the CM (with a note).
        Waived = "waived",
    }
);

/// What became of an invoice, as the CM records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SettleInvoice {
    /// Paid, waived, or issued again (a payment recorded by mistake undone).
    pub status: InvoiceStatus,
    /// The day it was paid (for `paid` only, and required then).
    #[serde(default, with = "crate::wire_time::date::option")]
    pub paid_on: Option<NaiveDate>,
    /// Why (a waiver's reason, a payment's reference).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub note: Option<String>,
}

impl Validate for SettleInvoice {
    fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::default();
        match (self.status, self.paid_on) {
            (InvoiceStatus::Paid, None) => e.add("paid_on", crate::ErrorCode::Required),
            (InvoiceStatus::Paid, Some(d)) => in_years(&mut e, "paid_on", d),
            (_, Some(_)) => e.add("paid_on", crate::ErrorCode::InvalidChoice),
            (_, None) => {}
        }
        e.optional_text("note", self.note.as_deref(), NOTE_MAX);
        if self.status == InvoiceStatus::Waived
            && self.note.as_deref().is_none_or(|n| n.trim().is_empty())
        {
            e.add("note", crate::ErrorCode::Required);
        }
        e.into_result()
    }
}

/// A donation received, as the CM records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Donate {
    /// Who gave it (an organisation or a person).
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 100))]
    pub donor: String,
    /// How much (만원).
    #[serde(deserialize_with = "crate::ids::whole")]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 1_000_000))]
    pub amount_manwon: i64,
    /// The day it was received (its year is the ledger's).
    #[serde(with = "crate::wire_time::date")]
    pub received_on: NaiveDate,
    /// What it is for.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub note: Option<String>,
}

impl Validate for Donate {
    fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::default();
        e.text("donor", &self.donor, 1, DONOR_MAX);
        e.range("amount_manwon", self.amount_manwon, 1, LEDGER_AMOUNT_MAX);
        in_years(&mut e, "received_on", self.received_on);
        e.optional_text("note", self.note.as_deref(), NOTE_MAX);
        e.into_result()
    }
}

/// An invoice of the ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvoiceView {
    /// Id.
    pub id: i64,
    /// The member organisation.
    pub org: OrgId,
    /// Its name.
    pub org_name: String,
    /// The class it was charged as.
    pub class: FeeClass,
    /// The fee (만원).
    pub amount_manwon: i64,
    /// Due by.
    #[serde(with = "crate::wire_time::date")]
    pub due_on: NaiveDate,
    /// As recorded.
    pub status: InvoiceStatus,
    /// Issued and unpaid past its day.
    pub overdue: bool,
    /// The day it was paid.
    #[serde(default, with = "crate::wire_time::date::option")]
    pub paid_on: Option<NaiveDate>,
    /// The CM's note.
    pub note: Option<String>,
}

/// A donation of the ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DonationView {
    /// Id.
    pub id: i64,
    /// Who gave it.
    pub donor: String,
    /// How much (만원).
    pub amount_manwon: i64,
    /// Received on.
    #[serde(with = "crate::wire_time::date")]
    pub received_on: NaiveDate,
    /// What it is for.
    pub note: Option<String>,
}

/// A year's totals (만원).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LedgerTotals {
    /// Fees invoiced (waived ones too).
    pub invoiced_manwon: i64,
    /// Fees paid.
    pub paid_manwon: i64,
    /// Fees waived.
    pub waived_manwon: i64,
    /// Fees still to pay.
    pub unpaid_manwon: i64,
    /// Invoices overdue.
    pub overdue: i64,
    /// Donations received.
    pub donations_manwon: i64,
}

impl LedgerTotals {
    /// The year's income: fees paid and donations received.
    pub fn income(&self) -> i64 {
        self.paid_manwon + self.donations_manwon
    }

    /// Adds up `invoices` and `donations`.
    pub fn of(invoices: &[InvoiceView], donations: &[DonationView]) -> Self {
        let mut t = LedgerTotals::default();
        for i in invoices {
            t.invoiced_manwon += i.amount_manwon;
            match i.status {
                InvoiceStatus::Paid => t.paid_manwon += i.amount_manwon,
                InvoiceStatus::Waived => t.waived_manwon += i.amount_manwon,
                InvoiceStatus::Issued => t.unpaid_manwon += i.amount_manwon,
            }
            t.overdue += i64::from(i.overdue);
        }
        t.donations_manwon = donations.iter().map(|d| d.amount_manwon).sum();
        t
    }
}

/// A consortium's ledger of a year, for its CMs and admins.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Ledger {
    /// The consortium.
    pub consortium: ConsortiumId,
    /// Its name.
    pub name: String,
    /// The year.
    pub year: i32,
    /// The year's fee schedule, once set.
    pub schedule: Option<FeeSchedule>,
    /// Member organisations with no invoice of the year whose class pays a
    /// fee (those the next issue reaches).
    pub to_invoice: i64,
    /// The year's invoices, by organisation name.
    pub invoices: Vec<InvoiceView>,
    /// Donations received in the year, the first first.
    pub donations: Vec<DonationView>,
    /// Its totals.
    pub totals: LedgerTotals,
}

/// Which year of the ledger (this year in Korea when left out).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct LedgerQuery {
    /// The year (2000–2100).
    #[cfg_attr(feature = "openapi", param(minimum = 2000, maximum = 2100))]
    pub year: Option<i32>,
}

impl Validate for LedgerQuery {
    fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::default();
        if let Some(y) = self.year
            && !valid_year(y)
        {
            e.add(
                "year",
                crate::ErrorCode::OutOfRange {
                    min: i64::from(FIRST_YEAR),
                    max: i64::from(LAST_YEAR),
                },
            );
        }
        e.into_result()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn a_firm_pays_by_its_size_and_others_by_kind() {
        assert_eq!(FeeClass::of(OrgKind::Firm, None), FeeClass::FirmSmall);
        assert_eq!(FeeClass::of(OrgKind::Firm, Some(120)), FeeClass::FirmMedium);
        assert_eq!(FeeClass::of(OrgKind::Firm, Some(301)), FeeClass::FirmLarge);
        assert_eq!(
            FeeClass::of(OrgKind::University, Some(2000)),
            FeeClass::University
        );
    }

    #[test]
    fn a_schedule_names_each_class_once_with_an_amount_in_range() {
        let rate = |class, amount_manwon| FeeRate {
            class,
            amount_manwon,
        };
        let mut s = FeeSchedule {
            due_on: day("2027-03-31"),
            rates: vec![rate(FeeClass::FirmSmall, 50), rate(FeeClass::University, 0)],
        };
        assert_eq!(s.validate(), Ok(()));
        assert_eq!(s.fee(FeeClass::FirmSmall), Some(50));
        assert_eq!(s.fee(FeeClass::University), None);
        assert_eq!(s.fee(FeeClass::Agency), None);
        s.rates.push(rate(FeeClass::FirmSmall, -1));
        let e = s.validate().unwrap_err();
        assert!(e.get("rates.2.class").is_some() && e.get("rates.2.amount_manwon").is_some());
    }

    #[test]
    fn a_payment_has_its_day_and_a_waiver_its_reason() {
        let settle = |status, paid_on: Option<&str>, note: Option<&str>| SettleInvoice {
            status,
            paid_on: paid_on.map(day),
            note: note.map(str::to_owned),
        };
        assert!(
            settle(InvoiceStatus::Paid, Some("2027-04-02"), None)
                .validate()
                .is_ok()
        );
        let e = settle(InvoiceStatus::Paid, None, None)
            .validate()
            .unwrap_err();
        assert!(e.get("paid_on").is_some());
        let e = settle(InvoiceStatus::Waived, None, Some(" "))
            .validate()
            .unwrap_err();
        assert!(e.get("note").is_some());
        let e = settle(InvoiceStatus::Issued, Some("2027-04-02"), None)
            .validate()
            .unwrap_err();
        assert!(e.get("paid_on").is_some());
    }

    #[test]
    fn totals_add_fees_by_status_and_donations() {
        let inv = |amount_manwon, status, overdue| InvoiceView {
            id: 1,
            org: OrgId(1),
            org_name: "한빛정밀".into(),
            class: FeeClass::FirmSmall,
            amount_manwon,
            due_on: day("2027-03-31"),
            status,
            overdue,
            paid_on: None,
            note: None,
        };
        let gift = DonationView {
            id: 1,
            donor: "동남기계".into(),
            amount_manwon: 1000,
            received_on: day("2027-05-01"),
            note: None,
        };
        let t = LedgerTotals::of(
            &[
                inv(50, InvoiceStatus::Paid, false),
                inv(100, InvoiceStatus::Issued, true),
                inv(30, InvoiceStatus::Waived, false),
            ],
            &[gift],
        );
        assert_eq!(
            (
                t.invoiced_manwon,
                t.paid_manwon,
                t.unpaid_manwon,
                t.waived_manwon,
                t.overdue
            ),
            (180, 50, 100, 30, 1)
        );
        assert_eq!(t.income(), 1050);
    }
}
