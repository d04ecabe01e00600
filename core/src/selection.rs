//! Selection (선정) of a call's applications: the call's admin decides on each
//! submitted one — selected with the grant given, reserve, or not selected —
//! always with a reason, within the call's budget; then announces the results.
//! Each team is told its own decision and reason; everyone reads the selected
//! ones. A decision once announced is never edited in place: a correction is a
//! new entry, shown beside the first.

use crate::{
    ComplexId, ConsortiumId, ErrorCode, FieldErrors, UserId, Validate,
    account::PersonRef,
    call::{AMOUNT_MAX, CallKind},
    consortium::{ConsortiumKind, EditConsortium},
};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// The longest reason for a decision.
pub const REASON_MAX: usize = 2000;

code_enum!(
    /// What was decided on an application.
    Decision {
        /// 선정: selected, with the grant given.
        Selected = "selected",
        /// 예비: selected should a selected one drop out.
        Reserve = "reserve",
        /// 미선정: not selected.
        NotSelected = "not_selected",
    }
);

/// A decision as the call's admin gives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DecideApplication {
    /// What is decided.
    pub decision: Decision,
    /// Why (told to the team; for a correction, what was wrong).
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::paragraphs::<1, REASON_MAX>))]
    pub reason: String,
    /// For a selected one: the grant given (만원), at most what was asked;
    /// none otherwise.
    #[serde(default, deserialize_with = "crate::ids::optional_whole")]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 100_000_000))]
    pub grant_manwon: Option<i64>,
}

impl Validate for DecideApplication {
    fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::default();
        e.paragraphs("reason", &self.reason, 1, REASON_MAX);
        match (self.decision, self.grant_manwon) {
            (Decision::Selected, None) => e.add("grant_manwon", ErrorCode::Required),
            (Decision::Selected, Some(g)) => e.range("grant_manwon", g, 1, AMOUNT_MAX),
            (_, Some(_)) => e.add("grant_manwon", ErrorCode::InvalidChoice),
            (_, None) => {}
        }
        e.into_result()
    }
}

impl DecideApplication {
    /// The grant against what the application asked for (`asked`, 만원).
    pub fn check(&self, asked: i64) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::default();
        if let Some(g) = self.grant_manwon {
            e.range("grant_manwon", g, 1, asked);
        }
        e.into_result()
    }
}

/// Whether a decision with `grant` fits `budget` beside `granted` (만원, the
/// other selected ones'); one with no grant always does.
pub fn within_budget(budget: i64, granted: i64, grant: Option<i64>) -> bool {
    grant.is_none_or(|g| granted + g <= budget)
}

/// A decision as kept: the one announced, or a correction after it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DecisionEntry {
    /// What was decided.
    pub decision: Decision,
    /// Why.
    pub reason: String,
    /// The grant given (만원), when selected.
    pub grant_manwon: Option<i64>,
    /// A correction of an announced decision (what it was in `was`).
    pub correction: bool,
    /// What a correction changed.
    pub was: Option<Decision>,
    /// Who decided.
    pub by: String,
    /// When.
    #[serde(with = "crate::wire_time")]
    pub decided_at: DateTime<Utc>,
}

/// Where a call's selection stands, for its admins.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SelectionState {
    /// The call's budget (만원).
    pub budget_manwon: i64,
    /// The grants of the selected ones together (만원).
    pub granted_manwon: i64,
    /// Submitted applications with no decision yet.
    pub undecided: i64,
    /// Whether decisions are taken now (from the evaluation's start).
    pub can_decide: bool,
    /// When the results were announced.
    #[serde(default, with = "crate::wire_time::option")]
    pub announced_at: Option<DateTime<Utc>>,
    /// The grants under a recorded agreement together (만원): committed.
    #[serde(default)]
    pub agreed_manwon: i64,
    /// What of them was paid (만원).
    #[serde(default)]
    pub paid_manwon: i64,
}

/// A selected application, as announced to everyone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SelectedApplication {
    /// The application's title.
    pub title: String,
    /// The lead organisation.
    pub lead: String,
    /// The grant given (만원).
    pub grant_manwon: i64,
}

/// A public correction: one that put an application on the list of selected
/// ones or took it off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublicCorrection {
    /// The application's title.
    pub title: String,
    /// The lead organisation.
    pub lead: String,
    /// What it was.
    pub was: Decision,
    /// What it is now.
    pub decision: Decision,
    /// Why.
    pub reason: String,
    /// When.
    #[serde(with = "crate::wire_time")]
    pub decided_at: DateTime<Utc>,
}

/// A call's announced results, for everyone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Results {
    /// When they were announced.
    #[serde(with = "crate::wire_time")]
    pub announced_at: DateTime<Utc>,
    /// The selected applications as they stand, by grant.
    pub selected: Vec<SelectedApplication>,
    /// The corrections since, oldest first.
    pub corrections: Vec<PublicCorrection>,
}

impl CallKind {
    /// The kinds of consortium a selected application of a call of this kind
    /// founds: a theme cluster call a theme cluster, a consortium call a
    /// mini-cluster or a self-sustaining cluster, a support call none (it
    /// funds a project).
    pub fn founds(self) -> &'static [ConsortiumKind] {
        match self {
            CallKind::ThemeCluster => &[ConsortiumKind::ThemeCluster],
            CallKind::Consortium => &[ConsortiumKind::MiniCluster, ConsortiumKind::SelfSustaining],
            CallKind::Support => &[],
        }
    }
}

/// The call's admin founds the theme cluster or consortium a selected
/// application proposed: the consortium as the directory shows it, and its
/// CM, one of the team's confirmed people. Its operator (운영기관) is the
/// application's lead; its founding members the lead and every partner that
/// confirmed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FoundConsortium {
    /// The consortium: its kind one the call founds.
    #[serde(flatten)]
    pub consortium: EditConsortium,
    /// Its CM.
    pub manager: UserId,
}

impl Validate for FoundConsortium {
    fn validate(&self) -> Result<(), FieldErrors> {
        self.consortium.validate()
    }
}

/// What the founding form starts from, for the call's admin while a
/// selected application's consortium may be founded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Founding {
    /// The kinds it may be.
    pub kinds: Vec<ConsortiumKind>,
    /// The lead's complex.
    pub complex_id: Option<ComplexId>,
    /// The term's first day: the call's agreement day.
    #[serde(with = "crate::wire_time::date")]
    pub term_start: NaiveDate,
    /// Who may be its CM: the confirmed people of the lead and of the
    /// partners that confirmed.
    pub people: Vec<PersonRef>,
}

/// The consortium founded from an application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Founded {
    /// Id.
    pub id: ConsortiumId,
    /// Its name.
    pub name: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decide(decision: Decision, grant: Option<i64>) -> DecideApplication {
        DecideApplication {
            decision,
            reason: "평가 결과 상위".into(),
            grant_manwon: grant,
        }
    }

    #[test]
    fn a_call_founds_the_kinds_it_selects() {
        assert_eq!(
            CallKind::ThemeCluster.founds(),
            [ConsortiumKind::ThemeCluster]
        );
        assert!(
            !CallKind::Consortium
                .founds()
                .contains(&ConsortiumKind::ThemeCluster)
        );
        assert_eq!(CallKind::Consortium.founds().len(), 2);
        assert!(CallKind::Support.founds().is_empty());
    }

    #[test]
    fn a_selection_gives_a_grant_and_the_others_none() {
        assert_eq!(decide(Decision::Selected, Some(3000)).validate(), Ok(()));
        assert_eq!(decide(Decision::Reserve, None).validate(), Ok(()));
        let e = decide(Decision::Selected, None).validate().unwrap_err();
        assert_eq!(e.get("grant_manwon"), Some(&ErrorCode::Required));
        let e = decide(Decision::NotSelected, Some(1))
            .validate()
            .unwrap_err();
        assert_eq!(e.get("grant_manwon"), Some(&ErrorCode::InvalidChoice));
        let mut blank = decide(Decision::Reserve, None);
        blank.reason = "  ".into();
        assert!(blank.validate().unwrap_err().get("reason").is_some());
    }

    #[test]
    fn a_grant_is_at_most_what_was_asked_and_within_the_budget() {
        let d = decide(Decision::Selected, Some(3001));
        assert!(d.check(3000).unwrap_err().get("grant_manwon").is_some());
        assert_eq!(d.check(5000), Ok(()));
        assert!(within_budget(10_000, 7000, Some(3000)));
        assert!(!within_budget(10_000, 7001, Some(3000)));
        assert!(within_budget(10_000, 12_000, None));
    }
}
