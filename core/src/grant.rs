//! The money of a selected application (협약·지급). Once a call's results are
//! announced, its admin records the agreement (협약) of a selected application
//! on the day it was signed: the grant as decided and the milestones as the
//! application planned them. Then each payment of the grant against a
//! milestone, on the day it was paid; a payment recorded again replaces the one
//! before (in the audit trail either way). What was paid never goes beyond the
//! grant. Moim records payments; it does not make them. Amounts in 만원.

use crate::{
    FieldErrors, Validate,
    call::{AMOUNT_MAX, in_years},
};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The call's admin records the agreement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Agree {
    /// The day it was signed (not before the results were announced).
    #[serde(with = "crate::wire_time::date")]
    pub agreed_on: NaiveDate,
}

impl Validate for Agree {
    fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::default();
        in_years(&mut e, "agreed_on", self.agreed_on);
        e.into_result()
    }
}

/// The call's admin records a payment of the grant against a milestone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Pay {
    /// What was paid (만원).
    #[serde(deserialize_with = "crate::ids::whole")]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 100_000_000))]
    pub paid_manwon: i64,
    /// The day it was paid (not before the agreement).
    #[serde(with = "crate::wire_time::date")]
    pub paid_on: NaiveDate,
}

impl Validate for Pay {
    fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::default();
        e.range("paid_manwon", self.paid_manwon, 1, AMOUNT_MAX);
        in_years(&mut e, "paid_on", self.paid_on);
        e.into_result()
    }
}

code_enum!(
    /// Where a milestone's money stands.
    MilestoneStatus {
        /// Not paid; its day is to come.
        Planned = "planned",
        /// Not paid; its day has passed.
        Overdue = "overdue",
        /// Paid.
        Paid = "paid",
    }
);

impl MilestoneStatus {
    /// A milestone due on `due_on`, paid on `paid_on` if it was, on `today`.
    pub fn of(due_on: NaiveDate, paid_on: Option<NaiveDate>, today: NaiveDate) -> Self {
        match paid_on {
            Some(_) => MilestoneStatus::Paid,
            None if due_on < today => MilestoneStatus::Overdue,
            None => MilestoneStatus::Planned,
        }
    }
}

/// A milestone of a funded project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FundedMilestone {
    /// What is done by then.
    pub title: String,
    /// By when.
    #[serde(with = "crate::wire_time::date")]
    pub due_on: NaiveDate,
    /// What it takes, as planned (만원).
    pub amount_manwon: i64,
    /// What of the grant was paid against it (만원).
    pub paid_manwon: Option<i64>,
    /// When.
    #[serde(default, with = "crate::wire_time::date::option")]
    pub paid_on: Option<NaiveDate>,
    /// Where it stands today.
    pub status: MilestoneStatus,
}

/// A selected application's agreement and payments, for its team and the
/// call's admins.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GrantView {
    /// The grant (만원): what is committed.
    pub grant_manwon: i64,
    /// The day the agreement was signed.
    pub agreed_on: NaiveDate,
    /// What was paid so far (만원).
    pub paid_manwon: i64,
    /// The milestones, in order.
    pub milestones: Vec<FundedMilestone>,
}

/// Support selected for a problem (지원사업 선정) in a call's announced
/// results: the call and the grant as decided — public, as the results are —
/// and, for the firm's people, the application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProblemSupport {
    /// The call.
    pub call: crate::CallId,
    /// Its title.
    pub call_title: String,
    /// The grant as decided (만원).
    pub grant_manwon: i64,
    /// The application, with its agreement and payments (for the firm's
    /// people; its CM reads the money in the cockpit).
    pub application: Option<crate::ApplicationId>,
}

/// One line of the money's roll-up: what was committed (grants agreed) and
/// paid in the period under one key (a year, a call, a consortium, a region).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MoneyRow {
    /// The year (`2026`), call id, consortium id or region code; `none` for
    /// money with no consortium (founding to come) or no region.
    pub key: String,
    /// Its name (in Korean for a region; the app names it in the reader's
    /// language).
    pub label: String,
    /// Funded projects with money committed or paid under it in the period.
    pub projects: i64,
    /// Grants agreed in the period (만원).
    pub committed_manwon: i64,
    /// Payments made in the period (만원).
    pub paid_manwon: i64,
}

/// The money of the funded projects of a part of the programme over a period
/// (the cockpit's): grants agreed in it (committed) and payments made in it
/// (paid); of every grant agreed by its end, what was paid (the share) and
/// what is left; and milestones whose day had passed unpaid (of grants not
/// paid in full); rolled up by year, call, consortium and region. A project belongs to the consortium founded from
/// it or whose problem it supports; to the region of that consortium's
/// complex, else of its lead's.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MoneyFigures {
    /// Funded projects with money committed or paid in the period.
    pub projects: i64,
    /// Grants agreed in the period (만원).
    pub committed_manwon: i64,
    /// Payments made in the period (만원).
    pub paid_manwon: i64,
    /// Every grant agreed by the period's end (만원).
    pub agreed_to_date_manwon: i64,
    /// Left to pay of them at the period's end (만원).
    pub outstanding_manwon: i64,
    /// Milestones whose day had passed unpaid at the period's end (or today).
    pub overdue: i64,
    /// What they planned (만원).
    pub overdue_manwon: i64,
    /// By year (of the agreement for what was committed, of the payment for
    /// what was paid).
    pub by_year: Vec<MoneyRow>,
    /// By call, the most committed first.
    pub by_call: Vec<MoneyRow>,
    /// By consortium, the most committed first.
    pub by_consortium: Vec<MoneyRow>,
    /// By region, the most committed first.
    pub by_region: Vec<MoneyRow>,
}

impl MoneyFigures {
    /// Nothing to show: no money moved in the period and none is left to pay.
    pub fn is_empty(&self) -> bool {
        self.projects == 0 && self.outstanding_manwon == 0
    }

    /// What was paid by the period's end of every grant agreed by then, in
    /// percent (집행률): one set of grants on both sides, so never beyond 100.
    pub fn paid_share(&self) -> Option<f64> {
        crate::kpi::percent(
            self.agreed_to_date_manwon - self.outstanding_manwon,
            self.agreed_to_date_manwon,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn a_milestone_is_overdue_once_its_day_has_passed_unpaid() {
        let due = day("2027-03-31");
        let s = |paid, today| MilestoneStatus::of(due, paid, day(today));
        assert_eq!(s(None, "2027-03-31"), MilestoneStatus::Planned);
        assert_eq!(s(None, "2027-04-01"), MilestoneStatus::Overdue);
        assert_eq!(
            s(Some(day("2027-04-10")), "2027-05-01"),
            MilestoneStatus::Paid
        );
    }

    #[test]
    fn a_payment_is_a_whole_positive_amount_on_a_day_in_range() {
        let pay = |m, d| Pay {
            paid_manwon: m,
            paid_on: day(d),
        };
        assert_eq!(pay(3000, "2027-01-05").validate(), Ok(()));
        let e = pay(0, "1999-12-31").validate().unwrap_err();
        assert!(e.get("paid_manwon").is_some() && e.get("paid_on").is_some());
        let e = Agree {
            agreed_on: day("2101-01-01"),
        }
        .validate()
        .unwrap_err();
        assert!(e.get("agreed_on").is_some());
    }
}
