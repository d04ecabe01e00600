//! Calls (공모) and applications (신청): how theme clusters, new consortia and
//! support for problems come to be. An admin publishes a call — its kind, its
//! rules, its budget, its phases' dates and its form (a [`Questionnaire`], the
//! model surveys use) — and an organisation drafts an application with its team,
//! its budget and milestones, sees which of the call's rules it meets as it goes,
//! and submits it before the deadline. Amounts are in 만원 (10,000 won).

use crate::{
    ApplicationId, CallId, ErrorCode, FieldErrors, OrgId, ProblemId, Validate,
    questionnaire::{Answers, Questionnaire},
    reference::Region,
};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// The longest call or application title.
pub const TITLE_MAX: usize = 100;
/// The longest call description.
pub const DESCRIPTION_MAX: usize = 5000;
/// The largest amount anything is given in (만원): a trillion won.
pub const AMOUNT_MAX: i64 = 100_000_000;
/// The most partner organisations of an application.
pub const PARTNERS_MAX: usize = 50;
/// The most milestones of an application.
pub const MILESTONES_MAX: usize = 20;
/// The longest milestone.
pub const MILESTONE_MAX: usize = 200;
/// The most firms a rule may ask for.
pub const MIN_FIRMS_MAX: i64 = 100;
/// The first and last years a call's days may fall in.
pub const FIRST_YEAR: i32 = 2000;
pub const LAST_YEAR: i32 = 2100;

code_enum!(
    /// What a call selects.
    CallKind {
        /// A theme cluster (테마클러스터), for a fixed term.
        ThemeCluster = "theme_cluster",
        /// A new consortium and the organisation that will run it.
        Consortium = "consortium",
        /// Funded support for a firm's problem (공동기술개발, 시제품 제작,
        /// 마케팅 지원).
        Support = "support",
    }
);

code_enum!(
    /// Where a call stands, from its days.
    CallPhase {
        /// Before 접수 opens.
        Upcoming = "upcoming",
        /// 접수: applications are drafted and submitted.
        Open = "open",
        /// 요건 검토: the eligibility check, after the deadline.
        Review = "review",
        /// 평가: evaluators score the applications.
        Evaluation = "evaluation",
        /// 선정 발표: the selected ones are announced.
        Announced = "announced",
        /// 협약: agreements with the selected ones.
        Agreement = "agreement",
    }
);

/// Refuses `day` on `field` outside the years Moim keeps days in
/// ([`FIRST_YEAR`]..=[`LAST_YEAR`]).
pub(crate) fn in_years(e: &mut FieldErrors, field: &str, day: NaiveDate) {
    use chrono::Datelike;
    if !(FIRST_YEAR..=LAST_YEAR).contains(&day.year()) {
        e.add(
            field,
            ErrorCode::OutOfRange {
                min: i64::from(FIRST_YEAR),
                max: i64::from(LAST_YEAR),
            },
        );
    }
}

/// A call's rules, checked by Moim on every application. A rule left empty
/// does not apply.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CallRules {
    /// At least this many firms on the team (the lead included).
    #[serde(default, deserialize_with = "crate::ids::optional_whole")]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 100))]
    pub min_firms: Option<i64>,
    /// At least one university, research institute or support agency on the
    /// team.
    #[serde(default)]
    pub needs_institution: bool,
    /// The firms together pay at least this share (%) of the project's cost.
    #[serde(default, deserialize_with = "crate::ids::optional_whole")]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 100))]
    pub min_firm_share_pct: Option<i64>,
    /// The project costs at least this much (만원).
    #[serde(default, deserialize_with = "crate::ids::optional_whole")]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 100_000_000))]
    pub min_project_manwon: Option<i64>,
    /// Only firms of this region's complexes.
    #[serde(default)]
    pub region: Option<Region>,
    /// The application names a problem of the lead firm that is published and
    /// open.
    #[serde(default)]
    pub open_problem: bool,
}

/// A call as its admin writes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CallDraft {
    /// Its title.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::text::<1, TITLE_MAX>))]
    pub title: String,
    /// What it selects.
    pub kind: CallKind,
    /// What it is for, who may apply, what is given.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::paragraphs::<1, DESCRIPTION_MAX>))]
    pub description: String,
    /// The money of the call (만원).
    #[serde(deserialize_with = "crate::ids::whole")]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 100_000_000))]
    pub budget_manwon: i64,
    /// Its rules.
    #[serde(default)]
    pub rules: CallRules,
    /// 접수 opens (in Korea).
    pub opens_on: NaiveDate,
    /// The last day applications are submitted.
    pub closes_on: NaiveDate,
    /// 평가 starts (after the eligibility check); withdrawal ends the day before.
    pub evaluation_on: NaiveDate,
    /// 선정 발표.
    pub announce_on: NaiveDate,
    /// 협약.
    pub agreement_on: NaiveDate,
    /// The application form.
    #[serde(default)]
    pub form: Questionnaire,
    /// What evaluators score, weighted (the weights add up to 100).
    #[serde(default)]
    pub criteria: Vec<crate::evaluation::Criterion>,
}

impl CallDraft {
    /// Where the call stands on `today`.
    pub fn phase(&self, today: NaiveDate) -> CallPhase {
        if today < self.opens_on {
            CallPhase::Upcoming
        } else if today <= self.closes_on {
            CallPhase::Open
        } else if today < self.evaluation_on {
            CallPhase::Review
        } else if today < self.announce_on {
            CallPhase::Evaluation
        } else if today < self.agreement_on {
            CallPhase::Announced
        } else {
            CallPhase::Agreement
        }
    }

    /// Days left to submit on `today` (0 on the last day), while it is open.
    pub fn days_left(&self, today: NaiveDate) -> Option<i64> {
        (self.phase(today) == CallPhase::Open).then(|| (self.closes_on - today).num_days())
    }
}

impl Validate for CallDraft {
    fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::default();
        e.text("title", &self.title, 1, TITLE_MAX);
        e.paragraphs("description", &self.description, 1, DESCRIPTION_MAX);
        e.range("budget_manwon", self.budget_manwon, 1, AMOUNT_MAX);
        if let Some(n) = self.rules.min_firms {
            e.range("rules.min_firms", n, 1, MIN_FIRMS_MAX);
        }
        if let Some(n) = self.rules.min_firm_share_pct {
            e.range("rules.min_firm_share_pct", n, 1, 100);
        }
        if let Some(n) = self.rules.min_project_manwon {
            e.range("rules.min_project_manwon", n, 1, AMOUNT_MAX);
        }
        if self.rules.open_problem && self.kind != CallKind::Support {
            e.add("rules.open_problem", ErrorCode::InvalidChoice);
        }
        let days = [
            ("opens_on", self.opens_on),
            ("closes_on", self.closes_on),
            ("evaluation_on", self.evaluation_on),
            ("announce_on", self.announce_on),
            ("agreement_on", self.agreement_on),
        ];
        for (field, day) in days {
            in_years(&mut e, field, day);
        }
        // Each phase after the one before: 접수 may be one day, the others
        // start after it.
        if self.closes_on < self.opens_on {
            e.add("closes_on", ErrorCode::EndBeforeStart);
        }
        for pair in days[1..].windows(2) {
            if pair[1].1 <= pair[0].1 {
                e.add(pair[1].0, ErrorCode::EndBeforeStart);
            }
        }
        if let Err(q) = self.form.validate() {
            for f in q.0 {
                e.add(format!("form.{}", f.field), f.code);
            }
        }
        crate::evaluation::check_criteria(&self.criteria, &mut e);
        e.into_result()
    }
}

/// A call in a list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CallSummary {
    /// Id.
    pub id: CallId,
    /// Title.
    pub title: String,
    /// What it selects.
    pub kind: CallKind,
    /// Where it stands today.
    pub phase: CallPhase,
    /// The region it is for, if one.
    pub region: Option<Region>,
    /// 접수 opens.
    pub opens_on: NaiveDate,
    /// The deadline.
    pub closes_on: NaiveDate,
    /// Days left to submit, while open.
    pub days_left: Option<i64>,
    /// The money of the call (만원).
    pub budget_manwon: i64,
    /// Applications submitted.
    pub submitted: i64,
}

/// An application in a list: one's own, or a call's for its admins.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApplicationSummary {
    /// Id.
    pub id: ApplicationId,
    /// The call.
    pub call_id: CallId,
    /// Its title.
    pub call_title: String,
    /// The application's title.
    pub title: String,
    /// The lead organisation.
    pub lead: String,
    /// Where it stands.
    pub status: ApplicationStatus,
    /// Whether the reader's organisation leads it (else it is a partner).
    pub leads: bool,
    /// The project's cost (만원).
    pub project_manwon: i64,
    /// When it was last submitted.
    #[serde(default, with = "crate::wire_time::option")]
    pub submitted_at: Option<DateTime<Utc>>,
}

/// The calls page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CallList {
    /// Every call, the open ones first (by deadline), then the coming ones,
    /// then the rest (newest first).
    pub calls: Vec<CallSummary>,
    /// The reader's organisation's applications (as lead or partner).
    pub mine: Vec<ApplicationSummary>,
    /// Whether the reader may publish a call (an agency admin).
    pub can_create: bool,
}

/// One call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CallView {
    /// Id.
    pub id: CallId,
    /// The call as written.
    pub call: CallDraft,
    /// Where it stands today.
    pub phase: CallPhase,
    /// Days left to submit, while open.
    pub days_left: Option<i64>,
    /// Applications submitted.
    pub submitted: i64,
    /// The reader's organisation's application as lead, if it has one.
    pub mine: Option<ApplicationId>,
    /// Whether the reader may start an application now (confirmed in an
    /// organisation with none yet, while the call is open).
    pub can_apply: bool,
    /// Whether the reader manages the call (edits it, reads its applications).
    pub can_manage: bool,
    /// For its managers: the applications submitted or withdrawn.
    pub applications: Vec<ApplicationSummary>,
    /// Whether the reader evaluates its applications.
    #[serde(default)]
    pub evaluating: bool,
    /// Whether its results are announced (read apart, `paths::call_results`).
    #[serde(default)]
    pub announced: bool,
}

/// Starting an application.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StartApplication {
    /// Its title.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::text::<1, TITLE_MAX>))]
    pub title: String,
}

/// An application just started: where to find it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApplicationRef {
    /// Id.
    pub id: ApplicationId,
}

impl Validate for StartApplication {
    fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::default();
        e.text("title", &self.title, 1, TITLE_MAX);
        e.into_result()
    }
}

code_enum!(
    /// Where an application stands.
    ApplicationStatus {
        /// Being written by the lead; the team may confirm meanwhile.
        Draft = "draft",
        /// Submitted before the deadline.
        Submitted = "submitted",
        /// Taken back by the lead before evaluation.
        Withdrawn = "withdrawn",
    }
);

code_enum!(
    /// A partner organisation's answer to being on the team.
    PartnerStatus {
        /// Asked; its representative has not answered (or the share changed).
        Invited = "invited",
        /// Its representative confirmed the organisation and its share.
        Confirmed = "confirmed",
        /// Its representative declined.
        Declined = "declined",
    }
);

/// A partner organisation and what it pays.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PartnerShare {
    /// The organisation.
    pub org: OrgId,
    /// Its share of the cost (만원, 0 for none).
    #[serde(deserialize_with = "crate::ids::whole")]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 100_000_000))]
    pub share_manwon: i64,
}

/// A milestone of the project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Milestone {
    /// What is done by then.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::text::<1, MILESTONE_MAX>))]
    pub title: String,
    /// By when.
    pub due_on: NaiveDate,
    /// The money it takes (만원).
    #[serde(deserialize_with = "crate::ids::whole")]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 100_000_000))]
    pub amount_manwon: i64,
}

/// An application as its lead writes it (saved as a draft as they go).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApplicationDraft {
    /// Its title.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::text::<1, TITLE_MAX>))]
    pub title: String,
    /// The answers to the call's form.
    #[serde(default)]
    pub answers: Answers,
    /// The partner organisations, each asked to confirm.
    #[serde(default)]
    pub partners: Vec<PartnerShare>,
    /// The government's share asked for (만원).
    #[serde(default, deserialize_with = "crate::ids::whole")]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 100_000_000))]
    pub government_manwon: i64,
    /// The lead organisation's share (만원).
    #[serde(default, deserialize_with = "crate::ids::whole")]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 100_000_000))]
    pub lead_share_manwon: i64,
    /// The milestones, in order.
    #[serde(default)]
    pub milestones: Vec<Milestone>,
    /// For a support call: the lead firm's problem.
    #[serde(default)]
    pub problem: Option<ProblemId>,
}

impl ApplicationDraft {
    /// The project's cost: the government's share and every organisation's.
    pub fn project_manwon(&self) -> i64 {
        self.government_manwon
            + self.lead_share_manwon
            + self.partners.iter().map(|p| p.share_manwon).sum::<i64>()
    }
}

impl Validate for ApplicationDraft {
    fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::default();
        e.text("title", &self.title, 1, TITLE_MAX);
        e.range("government_manwon", self.government_manwon, 0, AMOUNT_MAX);
        e.range("lead_share_manwon", self.lead_share_manwon, 0, AMOUNT_MAX);
        if self.partners.len() > PARTNERS_MAX {
            e.add("partners", ErrorCode::TooLong { max: PARTNERS_MAX });
        }
        let mut seen = Vec::new();
        for (i, p) in self.partners.iter().enumerate() {
            if seen.contains(&p.org) {
                e.add(format!("partners.{i}.org"), ErrorCode::InvalidChoice);
            }
            seen.push(p.org);
            e.range(
                &format!("partners.{i}.share_manwon"),
                p.share_manwon,
                0,
                AMOUNT_MAX,
            );
        }
        if self.milestones.len() > MILESTONES_MAX {
            e.add(
                "milestones",
                ErrorCode::TooLong {
                    max: MILESTONES_MAX,
                },
            );
        }
        for (i, m) in self.milestones.iter().enumerate() {
            e.text(&format!("milestones.{i}.title"), &m.title, 1, MILESTONE_MAX);
            e.range(
                &format!("milestones.{i}.amount_manwon"),
                m.amount_manwon,
                0,
                AMOUNT_MAX,
            );
            in_years(&mut e, &format!("milestones.{i}.due_on"), m.due_on);
        }
        e.into_result()
    }
}

/// A partner organisation on an application, as the team sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TeamMember {
    /// The organisation.
    pub org: OrgId,
    /// Its name.
    pub name: String,
    /// Its kind.
    pub kind: crate::account::OrgKind,
    /// Its share (만원).
    pub share_manwon: i64,
    /// Its answer.
    pub status: PartnerStatus,
}

code_enum!(
    /// A rule an application is checked against.
    Rule {
        /// Enough firms on the team (need, have).
        MinFirms = "min_firms",
        /// A university, institute or support agency on the team.
        Institution = "institution",
        /// The firms' share of the cost, in % (need, have).
        FirmShare = "firm_share",
        /// The project's cost, in 만원 (need, have).
        MinProject = "min_project",
        /// Every firm in the call's region's complexes (`outside` names the rest).
        Region = "region",
        /// A published, open problem of the lead firm.
        OpenProblem = "open_problem",
        /// Every partner confirmed by its representative (need: partners,
        /// have: confirmed).
        PartnersConfirmed = "partners_confirmed",
        /// Every required question of the form answered.
        Form = "form",
    }
);

/// One rule, checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RuleCheck {
    /// The rule.
    pub rule: Rule,
    /// Whether the application meets it.
    pub ok: bool,
    /// What it asks for, where a number.
    pub need: Option<i64>,
    /// What the application has, where a number.
    pub have: Option<i64>,
    /// The organisations that break it (outside the region).
    #[serde(default)]
    pub outside: Vec<String>,
}

/// What the rules are checked on: the application's team as it stands.
#[derive(Debug, Clone, PartialEq)]
pub struct TeamFacts {
    /// The lead's kind and whether it is in the call's region.
    pub lead: (crate::account::OrgKind, bool),
    /// Each partner's kind, region fit, name, share and answer.
    pub partners: Vec<(crate::account::OrgKind, bool, String, i64, PartnerStatus)>,
    /// The lead's name.
    pub lead_name: String,
    /// Whether the problem named is the lead's, published and open.
    pub problem_open: bool,
}

/// Every rule of `call` that applies, checked on `draft` and its team; the
/// form's required questions last. Partners that have not confirmed count for
/// nothing.
pub fn check(call: &CallDraft, draft: &ApplicationDraft, team: &TeamFacts) -> Vec<RuleCheck> {
    use crate::account::OrgKind;
    let confirmed = || {
        team.partners
            .iter()
            .filter(|p| p.4 == PartnerStatus::Confirmed)
    };
    let rule = |rule, ok, need, have| RuleCheck {
        rule,
        ok,
        need,
        have,
        outside: Vec::new(),
    };
    let r = &call.rules;
    let mut out = Vec::new();
    if let Some(need) = r.min_firms {
        let firms = i64::from(team.lead.0 == OrgKind::Firm)
            + confirmed().filter(|p| p.0 == OrgKind::Firm).count() as i64;
        out.push(rule(Rule::MinFirms, firms >= need, Some(need), Some(firms)));
    }
    if r.needs_institution {
        let institution = |k: OrgKind| k != OrgKind::Firm;
        let ok = institution(team.lead.0) || confirmed().any(|p| institution(p.0));
        out.push(rule(Rule::Institution, ok, None, None));
    }
    let project = draft.project_manwon();
    if let Some(need) = r.min_firm_share_pct {
        let lead = if team.lead.0 == OrgKind::Firm {
            draft.lead_share_manwon
        } else {
            0
        };
        let firms = lead
            + confirmed()
                .filter(|p| p.0 == OrgKind::Firm)
                .map(|p| p.3)
                .sum::<i64>();
        // Whole percent, rounded down: 19.9% is not 20%.
        let have = if project > 0 {
            firms * 100 / project
        } else {
            0
        };
        out.push(rule(Rule::FirmShare, have >= need, Some(need), Some(have)));
    }
    if let Some(need) = r.min_project_manwon {
        out.push(rule(
            Rule::MinProject,
            project >= need,
            Some(need),
            Some(project),
        ));
    }
    if r.region.is_some() {
        let mut outside = Vec::new();
        if team.lead.0 == OrgKind::Firm && !team.lead.1 {
            outside.push(team.lead_name.clone());
        }
        outside.extend(
            team.partners
                .iter()
                .filter(|p| p.0 == OrgKind::Firm && !p.1 && p.4 != PartnerStatus::Declined)
                .map(|p| p.2.clone()),
        );
        out.push(RuleCheck {
            ok: outside.is_empty(),
            outside,
            ..rule(Rule::Region, false, None, None)
        });
    }
    if r.open_problem {
        out.push(rule(
            Rule::OpenProblem,
            draft.problem.is_some() && team.problem_open,
            None,
            None,
        ));
    }
    if !team.partners.is_empty() {
        let have = confirmed().count() as i64;
        let need = team.partners.len() as i64;
        out.push(rule(
            Rule::PartnersConfirmed,
            have == need,
            Some(need),
            Some(have),
        ));
    }
    let missing = call
        .form
        .check(&draft.answers, true)
        .err()
        .map_or(0, |e| e.0.len() as i64);
    out.push(rule(Rule::Form, missing == 0, None, Some(missing)));
    out
}

/// One application, as its team and the call's managers see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApplicationView {
    /// Id.
    pub id: ApplicationId,
    /// The call.
    pub call_id: CallId,
    /// Its title.
    pub call_title: String,
    /// Its kind.
    pub call_kind: CallKind,
    /// Its phase today.
    pub phase: CallPhase,
    /// Days left to submit, while open.
    pub days_left: Option<i64>,
    /// The call's form.
    pub form: Questionnaire,
    /// The lead organisation.
    pub lead: OrgId,
    /// Its name.
    pub lead_name: String,
    /// Where it stands.
    pub status: ApplicationStatus,
    /// As written.
    pub draft: ApplicationDraft,
    /// The partners, with their names and answers.
    pub team: Vec<TeamMember>,
    /// The call's rules, checked now.
    pub checks: Vec<RuleCheck>,
    /// The project's cost (만원).
    pub project_manwon: i64,
    /// When last submitted.
    #[serde(default, with = "crate::wire_time::option")]
    pub submitted_at: Option<DateTime<Utc>>,
    /// Whether the reader may change it (the lead's people, while it may be).
    pub can_edit: bool,
    /// Whether the reader may submit it now.
    pub can_submit: bool,
    /// Whether the reader may withdraw it now.
    pub can_withdraw: bool,
    /// The partner organisation the reader answers for as its representative,
    /// if it is asked and has not answered (or the share changed).
    pub answer_for: Option<OrgId>,
    /// The call's criteria.
    #[serde(default)]
    pub criteria: Vec<crate::evaluation::Criterion>,
    /// For an evaluator: their review so far.
    #[serde(default)]
    pub my_review: Option<crate::evaluation::Review>,
    /// Whether the reader may review it now (an evaluator, in the evaluation
    /// phase).
    #[serde(default)]
    pub can_review: bool,
    /// The decisions on it — the one announced, then any corrections — for
    /// its team once the results are announced, for the call's admins as
    /// soon as one is given.
    #[serde(default)]
    pub decisions: Vec<crate::selection::DecisionEntry>,
    /// The theme cluster or consortium founded from it, for its team and the
    /// call's admins.
    #[serde(default)]
    pub consortium: Option<crate::selection::Founded>,
    /// For the call's admin, while it may be founded (selected in the
    /// announced results of a call that founds one, none founded yet): what
    /// the founding form starts from.
    #[serde(default)]
    pub founding: Option<crate::selection::Founding>,
    /// Its agreement and payments, once the agreement is recorded (for its
    /// team and the call's admins).
    #[serde(default)]
    pub grant: Option<crate::grant::GrantView>,
    /// Whether the reader may record its agreement now (the call's admin, it
    /// selected in the announced results, none recorded yet).
    #[serde(default)]
    pub can_agree: bool,
    /// Whether the reader records its payments (the call's admin, once its
    /// agreement is recorded).
    #[serde(default)]
    pub can_pay: bool,
}

/// A partner's representative's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TeamAnswer {
    /// Confirm (true) or decline (false) the organisation's place and share.
    pub confirm: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::account::OrgKind;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn call() -> CallDraft {
        CallDraft {
            title: "2027 테마클러스터 공모".into(),
            kind: CallKind::ThemeCluster,
            description: "설명".into(),
            budget_manwon: 100_000,
            rules: CallRules {
                min_firms: Some(10),
                needs_institution: true,
                min_firm_share_pct: Some(20),
                min_project_manwon: Some(1000),
                region: Some(Region::Capital),
                open_problem: false,
            },
            opens_on: day("2027-03-01"),
            closes_on: day("2027-03-31"),
            evaluation_on: day("2027-04-10"),
            announce_on: day("2027-04-30"),
            agreement_on: day("2027-05-15"),
            criteria: crate::evaluation::usual_criteria(),
            form: Questionnaire {
                sections: vec![crate::questionnaire::Section {
                    title: "사업 계획".into(),
                    questions: vec![crate::questionnaire::Question::new(
                        "plan",
                        "추진 목표",
                        crate::questionnaire::QuestionType::LongText,
                    )],
                }],
            },
        }
    }

    #[test]
    fn phases_follow_the_days() {
        let c = call();
        let cases = [
            ("2027-02-28", CallPhase::Upcoming, None),
            ("2027-03-01", CallPhase::Open, Some(30)),
            ("2027-03-31", CallPhase::Open, Some(0)),
            ("2027-04-01", CallPhase::Review, None),
            ("2027-04-10", CallPhase::Evaluation, None),
            ("2027-04-30", CallPhase::Announced, None),
            ("2027-05-15", CallPhase::Agreement, None),
        ];
        for (today, phase, left) in cases {
            assert_eq!(c.phase(day(today)), phase, "{today}");
            assert_eq!(c.days_left(day(today)), left, "{today}");
        }
    }

    #[test]
    fn a_call_refuses_phases_out_of_order_and_bad_rules() {
        let mut c = call();
        assert_eq!(c.validate(), Ok(()));
        c.evaluation_on = day("2027-03-31");
        c.rules.min_firm_share_pct = Some(101);
        c.rules.open_problem = true;
        c.budget_manwon = 0;
        let e = c.validate().unwrap_err();
        for f in [
            "evaluation_on",
            "rules.min_firm_share_pct",
            "rules.open_problem",
            "budget_manwon",
        ] {
            assert!(e.get(f).is_some(), "{f}: {e:?}");
        }
        // 접수 may last one day.
        let mut c = call();
        c.closes_on = c.opens_on;
        assert_eq!(c.validate(), Ok(()));
    }

    #[test]
    fn an_application_refuses_a_partner_twice_and_negative_money() {
        let d = ApplicationDraft {
            title: "스마트 금형".into(),
            partners: vec![
                PartnerShare {
                    org: OrgId(2),
                    share_manwon: 10,
                },
                PartnerShare {
                    org: OrgId(2),
                    share_manwon: -1,
                },
            ],
            ..Default::default()
        };
        let e = d.validate().unwrap_err();
        assert!(e.get("partners.1.org").is_some());
        assert!(e.get("partners.1.share_manwon").is_some());
    }

    #[test]
    fn rules_count_confirmed_partners_only() {
        let c = call();
        let firm = |name: &str, share, status, inside| {
            (OrgKind::Firm, inside, name.to_owned(), share, status)
        };
        let mut team = TeamFacts {
            lead: (OrgKind::Firm, true),
            lead_name: "한빛정밀".into(),
            partners: (0..8)
                .map(|i| firm(&format!("F{i}"), 100, PartnerStatus::Confirmed, true))
                .collect(),
            problem_open: false,
        };
        team.partners
            .push(firm("F8", 100, PartnerStatus::Invited, false));
        team.partners.push((
            OrgKind::University,
            false,
            "한국공대".into(),
            0,
            PartnerStatus::Confirmed,
        ));
        let mut d = ApplicationDraft {
            title: "t".into(),
            government_manwon: 3000,
            lead_share_manwon: 0,
            partners: team
                .partners
                .iter()
                .enumerate()
                .map(|(i, p)| PartnerShare {
                    org: OrgId(i as i64 + 2),
                    share_manwon: p.3,
                })
                .collect(),
            ..Default::default()
        };
        let by = |checks: &[RuleCheck], r| checks.iter().find(|c| c.rule == r).cloned().unwrap();
        let checks = check(&c, &d, &team);
        // Lead + 8 confirmed = 9 of 10; the invited one does not count yet.
        assert_eq!(
            (
                by(&checks, Rule::MinFirms).ok,
                by(&checks, Rule::MinFirms).have
            ),
            (false, Some(9))
        );
        assert!(by(&checks, Rule::Institution).ok);
        // Firms pay 800 of 3,900: 20.5% → 20%.
        assert_eq!(by(&checks, Rule::FirmShare).have, Some(20));
        assert!(by(&checks, Rule::FirmShare).ok);
        assert!(by(&checks, Rule::MinProject).ok);
        // The university is outside the region, which binds firms only.
        assert_eq!(by(&checks, Rule::Region).outside, vec!["F8".to_owned()]);
        assert_eq!(
            (
                by(&checks, Rule::PartnersConfirmed).need,
                by(&checks, Rule::PartnersConfirmed).have
            ),
            (Some(10), Some(9))
        );
        assert!(by(&checks, Rule::Form).ok);
        // The ninth firm confirms: 900 of 4,100 is 21%; with the government
        // at 3,800, 900 of 4,700 is 19%, below.
        team.partners[8].4 = PartnerStatus::Confirmed;
        team.partners[8].1 = true;
        d.government_manwon = 3200;
        let checks = check(&c, &d, &team);
        assert!(checks.iter().all(|c| c.ok || c.rule == Rule::FirmShare));
        assert_eq!(by(&checks, Rule::FirmShare).have, Some(21));
        d.government_manwon = 3800;
        let checks = check(&c, &d, &team);
        assert_eq!(
            (
                by(&checks, Rule::FirmShare).ok,
                by(&checks, Rule::FirmShare).have
            ),
            (false, Some(19))
        );
    }
}
