//! Evaluation (평가) of a call's applications: weighted criteria written with
//! the call, evaluators the call's admins appoint, each evaluator's declaration
//! of a conflict of interest or their scores and comments per criterion, and
//! the ranking by weighted score with the spread between evaluators. Scores are
//! read by the call's admins only; an evaluator reads their own.

use crate::{ApplicationId, ErrorCode, FieldErrors, Validate, account::PersonRef};
use serde::{Deserialize, Serialize};

/// The most criteria of a call.
pub const CRITERIA_MAX: usize = 10;
/// The longest criterion name.
pub const CRITERION_MAX: usize = 50;
/// The highest score a criterion may go up to.
pub const SCORE_MAX: i64 = 100;
/// The longest comment on a score.
pub const COMMENT_MAX: usize = 1000;

/// A criterion applications are scored on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Criterion {
    /// What is judged (기술성, 사업성, 협력 구성, 지역 파급).
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::text::<1, CRITERION_MAX>))]
    pub name: String,
    /// Its weight: the weights of a call add up to 100.
    #[serde(deserialize_with = "crate::ids::whole")]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 100))]
    pub weight: i64,
    /// Scores go from 0 to this.
    #[serde(deserialize_with = "crate::ids::whole")]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 100))]
    pub max: i64,
}

/// The programme's usual criteria: 기술성 30, 사업성 30, 협력 구성 20, 지역 파급 20,
/// each scored out of 10.
pub fn usual_criteria() -> Vec<Criterion> {
    [
        ("기술성", 30),
        ("사업성", 30),
        ("협력 구성", 20),
        ("지역 파급", 20),
    ]
    .into_iter()
    .map(|(name, weight)| Criterion {
        name: name.into(),
        weight,
        max: 10,
    })
    .collect()
}

/// Every error of a call's `criteria` (fields `criteria…`): one to ten, each
/// named and weighted, the weights adding up to 100.
pub fn check_criteria(criteria: &[Criterion], e: &mut FieldErrors) {
    if criteria.is_empty() {
        e.add("criteria", ErrorCode::Required);
    } else if criteria.len() > CRITERIA_MAX {
        e.add("criteria", ErrorCode::TooLong { max: CRITERIA_MAX });
    }
    for (i, c) in criteria.iter().enumerate() {
        e.text(&format!("criteria.{i}.name"), &c.name, 1, CRITERION_MAX);
        e.range(&format!("criteria.{i}.weight"), c.weight, 1, 100);
        e.range(&format!("criteria.{i}.max"), c.max, 1, SCORE_MAX);
    }
    let sum: i64 = criteria.iter().map(|c| c.weight).sum();
    if !criteria.is_empty() && sum != 100 {
        e.add("criteria", ErrorCode::OutOfRange { min: 100, max: 100 });
    }
}

/// One criterion's score, with a comment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Score {
    /// From 0 to the criterion's highest.
    #[serde(deserialize_with = "crate::ids::whole")]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 100))]
    pub score: i64,
    /// Why.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::optional_paragraphs::<COMMENT_MAX>))]
    pub comment: Option<String>,
}

/// An evaluator's review of one application: a declared conflict of interest
/// (then no scores: they are kept away from it), or a score per criterion in
/// the call's order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Review {
    /// A conflict of interest with the applicant or a partner.
    pub conflict: bool,
    /// The scores, one per criterion (none with a conflict).
    #[serde(default)]
    pub scores: Vec<Score>,
}

impl Validate for Review {
    fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::default();
        if self.scores.len() > CRITERIA_MAX {
            e.add("scores", ErrorCode::TooLong { max: CRITERIA_MAX });
        }
        for (i, s) in self.scores.iter().enumerate() {
            e.optional_paragraphs(
                &format!("scores.{i}.comment"),
                s.comment.as_deref(),
                COMMENT_MAX,
            );
        }
        e.into_result()
    }
}

impl Review {
    /// Every error of the scores against `criteria`: one per criterion, each
    /// from 0 to its highest (none with a conflict).
    pub fn check(&self, criteria: &[Criterion]) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::default();
        if self.conflict {
            if !self.scores.is_empty() {
                e.add("scores", ErrorCode::InvalidChoice);
            }
            return e.into_result();
        }
        if self.scores.len() != criteria.len() {
            e.add(
                "scores",
                ErrorCode::OutOfRange {
                    min: criteria.len() as i64,
                    max: criteria.len() as i64,
                },
            );
        }
        for (i, (s, c)) in self.scores.iter().zip(criteria).enumerate() {
            e.range(&format!("scores.{i}.score"), s.score, 0, c.max);
        }
        e.into_result()
    }
}

/// `scores` weighted by `criteria`, out of 100, in tenths of a point
/// (835 is 83.5), rounded half up.
pub fn weighted_tenths(criteria: &[Criterion], scores: &[Score]) -> i64 {
    // Σ weight × score / max, × 10, over whole numbers: a common denominator
    // (up to 100^10, hence i128) keeps it exact before the one rounding.
    let max = |c: &Criterion| i128::from(c.max.max(1));
    let den: i128 = criteria.iter().map(max).product();
    let num: i128 = criteria
        .iter()
        .zip(scores)
        .map(|(c, s)| i128::from(c.weight) * i128::from(s.score) * 10 * (den / max(c)))
        .sum();
    ((2 * num + den) / (2 * den)) as i64
}

/// An application among a call's, for its admins: its evaluators' weighted
/// scores, their mean and spread.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RankedApplication {
    /// Its place (1 is best; equal means share a place).
    pub rank: i64,
    /// The application.
    pub id: ApplicationId,
    /// Its title.
    pub title: String,
    /// The lead organisation.
    pub lead: String,
    /// The government's share asked for (만원).
    pub government_manwon: i64,
    /// Each evaluator's weighted score, in tenths, lowest first.
    pub totals: Vec<i64>,
    /// Their mean, in tenths (none before anyone scored).
    pub mean_tenths: Option<i64>,
    /// Highest minus lowest, in tenths.
    pub spread_tenths: Option<i64>,
    /// Evaluators who declared a conflict with it (or belong to its team).
    pub conflicts: i64,
    /// The admins' decision on it so far.
    #[serde(default)]
    pub decision: Option<crate::selection::DecisionEntry>,
    /// Whether the reader is kept away from it (their organisation is on its
    /// team, or they declared a conflict): they do not decide on it.
    #[serde(default)]
    pub recused: bool,
}

/// Ranks `(id, title, lead, government share, totals, conflicts)` by mean
/// score, best first; unscored ones last in their given order.
pub fn rank(mut rows: Vec<RankedApplication>) -> Vec<RankedApplication> {
    for r in &mut rows {
        r.totals.sort_unstable();
        let n = r.totals.len() as i64;
        r.mean_tenths = (n > 0).then(|| {
            let sum: i64 = r.totals.iter().sum();
            (2 * sum + n) / (2 * n)
        });
        r.spread_tenths = match (r.totals.first(), r.totals.last()) {
            (Some(lo), Some(hi)) => Some(hi - lo),
            _ => None,
        };
    }
    rows.sort_by_key(|r| std::cmp::Reverse(r.mean_tenths.map_or(-1, |m| m)));
    let mut place = 0;
    let mut last = None;
    for (i, r) in rows.iter_mut().enumerate() {
        if i == 0 || r.mean_tenths != last {
            place = i as i64 + 1;
            last = r.mean_tenths;
        }
        r.rank = place;
    }
    rows
}

/// An evaluator of a call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Evaluator {
    /// Who.
    pub person: PersonRef,
    /// Applications they have scored.
    pub scored: i64,
}

/// Appointing an evaluator by the address of their account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AppointEvaluator {
    /// The email of their account.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::email))]
    pub email: String,
}

impl Validate for AppointEvaluator {
    fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::default();
        e.email("email", &self.email);
        e.into_result()
    }
}

/// A call's evaluation as the reader may see it: its admins the evaluators and
/// the ranking, an evaluator their own part.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EvaluationView {
    /// For its admins: the evaluators.
    pub evaluators: Vec<Evaluator>,
    /// For its admins: the submitted applications, best first.
    pub ranking: Vec<RankedApplication>,
    /// For an evaluator: what they review.
    pub mine: Option<MyEvaluation>,
    /// For its admins: where the selection stands.
    #[serde(default)]
    pub selection: Option<crate::selection::SelectionState>,
}

/// An application an evaluator is to review, with where their review stands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ToReview {
    /// The application.
    pub id: ApplicationId,
    /// Its title.
    pub title: String,
    /// The lead organisation.
    pub lead: String,
    /// Their review so far.
    pub review: Option<Review>,
    /// Their weighted score, in tenths, once scored.
    pub total_tenths: Option<i64>,
}

/// The person's own part in a call's evaluation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyEvaluation {
    /// The applications to review (without those of their own organisation's
    /// team and those they declared a conflict with).
    pub to_review: Vec<ToReview>,
    /// Those they declared a conflict with.
    pub conflicts: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(score: i64) -> Score {
        Score {
            score,
            comment: None,
        }
    }

    #[test]
    fn weights_add_up_to_a_hundred() {
        let mut e = FieldErrors::default();
        check_criteria(&usual_criteria(), &mut e);
        assert!(e.is_empty());
        let mut c = usual_criteria();
        c[0].weight = 40;
        c[1].max = 0;
        let mut e = FieldErrors::default();
        check_criteria(&c, &mut e);
        assert!(e.get("criteria").is_some());
        assert!(e.get("criteria.1.max").is_some());
    }

    #[test]
    fn a_review_scores_every_criterion_in_range() {
        let c = usual_criteria();
        let r = Review {
            conflict: false,
            scores: vec![s(8), s(11), s(6)],
        };
        let e = r.check(&c).unwrap_err();
        assert!(e.get("scores").is_some());
        assert!(e.get("scores.1.score").is_some());
        let conflict = Review {
            conflict: true,
            scores: vec![],
        };
        assert_eq!(conflict.check(&c), Ok(()));
    }

    /// By hand: 30×8/10 + 30×7/10 + 20×9/10 + 20×5/10 = 24 + 21 + 18 + 10 = 73.0;
    /// 30×10/10 + 30×9/10 + 20×6/10 + 20×7/10 = 30 + 27 + 12 + 14 = 83.0;
    /// with a criterion out of 3: 50×2/3 + 50×1/1 = 83.33… → 83.3.
    #[test]
    fn weighted_scores_match_the_hand_computed_ones() {
        let c = usual_criteria();
        assert_eq!(weighted_tenths(&c, &[s(8), s(7), s(9), s(5)]), 730);
        assert_eq!(weighted_tenths(&c, &[s(10), s(9), s(6), s(7)]), 830);
        let odd = vec![
            Criterion {
                name: "a".into(),
                weight: 50,
                max: 3,
            },
            Criterion {
                name: "b".into(),
                weight: 50,
                max: 1,
            },
        ];
        assert_eq!(weighted_tenths(&odd, &[s(2), s(1)]), 833);
    }

    #[test]
    fn ranking_is_by_mean_with_the_spread() {
        let row = |id: i64, totals: Vec<i64>| RankedApplication {
            rank: 0,
            id: ApplicationId(id),
            title: format!("{id}"),
            lead: String::new(),
            government_manwon: 0,
            totals,
            mean_tenths: None,
            spread_tenths: None,
            conflicts: 0,
            decision: None,
            recused: false,
        };
        let ranked = rank(vec![
            row(1, vec![730, 830]),
            row(2, vec![]),
            row(3, vec![900, 700, 800]),
            row(4, vec![785]),
        ]);
        let got: Vec<(i64, i64, Option<i64>, Option<i64>)> = ranked
            .iter()
            .map(|r| (r.id.0, r.rank, r.mean_tenths, r.spread_tenths))
            .collect();
        assert_eq!(
            got,
            [
                (3, 1, Some(800), Some(200)),
                (4, 2, Some(785), Some(0)),
                (1, 3, Some(780), Some(100)),
                (2, 4, None, None)
            ]
        );
        // Nobody scored yet: all share the first place.
        let none = rank(vec![row(5, vec![]), row(6, vec![])]);
        assert_eq!((none[0].rank, none[1].rank), (1, 1));
    }
}
