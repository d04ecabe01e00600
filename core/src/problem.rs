//! R&D bottleneck problems (애로과제), expert matching, proposals and the
//! collaborations they open.

use crate::{
    CollaborationId, ConsortiumId, FieldId, OrgId, ProblemId, ProposalId, UserId,
    account::PersonRef,
    error::{ErrorCode, FieldErrors},
    reference::Region,
    validate::{QUERY_MAX, Validate},
};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

code_enum!(
    /// The help a firm wants: the programme's five support services and the
    /// common forms of industry–academia work.
    HelpKind {
        /// 생산기술사업화.
        Commercialisation = "commercialisation",
        /// 제조기술효율화.
        Efficiency = "efficiency",
        /// 기술 및 경영지원.
        TechManagement = "tech_management",
        /// 토털 마케팅.
        Marketing = "marketing",
        /// 현장맞춤형 교육.
        Training = "training",
        /// 전문가 멘토링.
        Mentoring = "mentoring",
        /// 공동 기술개발.
        JointRnd = "joint_rnd",
        /// 지식재산 출원.
        IpFiling = "ip_filing",
        /// 시험·장비 지원.
        Testing = "testing",
    }
);

code_enum!(
    /// Who may read a problem's details.
    Confidentiality {
        /// Summary for everyone; details for members of the consortium and
        /// invited experts who accepted the non-disclosure statement.
        Members = "members",
        /// Summary for everyone; details only for invited experts who accepted the
        /// non-disclosure statement (and the firm and its CMs).
        Nda = "nda",
        /// Nothing outside the firm, its CMs and invited experts.
        Private = "private",
    }
);

code_enum!(
    /// Budget the firm has in mind.
    Budget {
        /// Not decided.
        Undecided = "undecided",
        /// Under ₩10M.
        Under10m = "under_10m",
        /// ₩10M–50M.
        From10mTo50m = "from_10m_to_50m",
        /// ₩50M–100M.
        From50mTo100m = "from_50m_to_100m",
        /// Over ₩100M.
        Over100m = "over_100m",
    }
);

code_enum!(
    /// Where a problem is.
    ProblemStatus {
        /// Being written; only the firm sees it.
        Draft = "draft",
        /// Published, taking proposals.
        Open = "open",
        /// A proposal was accepted; see its collaboration.
        Matched = "matched",
        /// Withdrawn by the firm.
        Closed = "closed",
    }
);

code_enum!(
    /// Results to IP.
    IpTerms {
        /// The firm owns all results.
        FirmOwns = "firm_owns",
        /// Results are shared.
        Shared = "shared",
        /// The firm owns results; the expert keeps background IP.
        ExpertKeepsBackground = "expert_keeps_background",
    }
);

code_enum!(
    /// A proposal's state.
    ProposalStatus {
        /// Waiting for the firm.
        Submitted = "submitted",
        /// Chosen by the firm.
        Accepted = "accepted",
        /// Another proposal was chosen, or the problem closed.
        NotSelected = "not_selected",
        /// Taken back by the expert.
        Withdrawn = "withdrawn",
    }
);

code_enum!(
    /// The collaboration pipeline.
    Stage {
        /// A proposal was accepted.
        Matched = "matched",
        /// Work started.
        InProgress = "in_progress",
        /// Work done.
        Completed = "completed",
        /// The result reached the market.
        Commercialised = "commercialised",
        /// Given up.
        Dropped = "dropped",
    }
);

code_enum!(
    /// Why an expert ranks where they do.
    ReasonKind {
        /// Works in one of the problem's fields.
        Field = "field",
        /// A keyword of the expert matches the problem.
        Keyword = "keyword",
        /// The expert owns equipment the problem mentions.
        Equipment = "equipment",
        /// The bio mentions the problem's words.
        Bio = "bio",
        /// Earlier collaborations in the same fields.
        Collaborations = "collaborations",
    }
);

code_enum!(
    /// A step in a problem's history.
    EventKind {
        /// Published.
        Published = "published",
        /// Edited (a revision was kept).
        Edited = "edited",
        /// An expert was invited.
        Invited = "invited",
        /// An invited expert accepted the non-disclosure statement.
        NdaAccepted = "nda_accepted",
        /// A question was asked.
        Question = "question",
        /// A proposal arrived.
        Proposal = "proposal",
        /// A proposal was accepted; the collaboration began.
        Accepted = "accepted",
        /// The collaboration moved to another stage.
        StageChanged = "stage_changed",
        /// A CM's note.
        Note = "note",
        /// The firm withdrew the problem.
        Closed = "closed",
    }
);

/// Longest problem title.
pub const TITLE_MAX: usize = 100;
/// Shortest published title.
pub const TITLE_MIN: usize = 5;
/// Longest public summary.
pub const SUMMARY_MAX: usize = 1000;
/// Longest confidential details.
pub const DETAILS_MAX: usize = 10_000;
/// Most fields a problem is filed under.
pub const FIELDS_MAX: usize = 5;
/// Longest proposal text parts.
pub const PROPOSAL_TEXT_MAX: usize = 4000;
/// Longest question or answer.
pub const MESSAGE_MAX: usize = 2000;
/// Largest attachment in bytes (10 MiB).
pub const ATTACHMENT_MAX: usize = 10 * 1024 * 1024;
/// Most attachments a problem keeps.
pub const ATTACHMENTS_MAX: usize = 10;
/// Problem lists count at most this many matches (shown as "5,000+"): an exact count
/// of every match of a broad word costs more than the page itself.
pub const COUNT_CAP: i64 = 5000;
/// Most months of a desired timeline or proposal duration.
pub const MONTHS_MAX: i64 = 60;
/// Largest cost estimate in 만원 (₩10,000): ₩100 billion.
pub const COST_MAX: i64 = 10_000_000;

/// A problem as the firm writes it. Drafts may be incomplete; publishing checks all.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProblemInput {
    /// The firm's consortium the problem is posted in.
    pub consortium_id: ConsortiumId,
    /// Title.
    pub title: String,
    /// What anyone allowed to see the problem reads.
    pub summary: String,
    /// Confidential details.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::paragraphs::<0, DETAILS_MAX>))]
    pub details: String,
    /// Technology fields.
    #[serde(default)]
    pub field_ids: Vec<FieldId>,
    /// Keywords.
    #[serde(default)]
    pub keywords: Vec<String>,
    /// Help wanted.
    #[serde(default)]
    pub help: Vec<HelpKind>,
    /// Wanted within this many months.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 60))]
    #[serde(deserialize_with = "crate::ids::optional_whole")]
    pub timeline_months: Option<i64>,
    /// Budget in mind.
    pub budget: Budget,
    /// Who may read the details.
    pub confidentiality: Confidentiality,
    /// Publish now (else it stays a draft).
    #[serde(default)]
    pub publish: bool,
}

impl Validate for ProblemInput {
    fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::default();
        let (title_min, summary_min) = if self.publish {
            (TITLE_MIN, 20)
        } else {
            (1, 0)
        };
        e.text("title", &self.title, title_min, TITLE_MAX);
        e.paragraphs("summary", &self.summary, summary_min, SUMMARY_MAX);
        e.paragraphs("details", &self.details, 0, DETAILS_MAX);
        e.keywords("keywords", &self.keywords);
        if self.field_ids.len() > FIELDS_MAX {
            e.add("field_ids", ErrorCode::TooLong { max: FIELDS_MAX });
        } else if self.publish && self.field_ids.is_empty() {
            e.add("field_ids", ErrorCode::Required);
        }
        if self.publish && self.help.is_empty() {
            e.add("help", ErrorCode::Required);
        }
        if let Some(m) = self.timeline_months {
            e.range("timeline_months", m, 1, MONTHS_MAX);
        }
        e.into_result()
    }
}

/// A field as a problem shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldTag {
    /// Id.
    pub id: FieldId,
    /// Korean name.
    pub name_ko: String,
    /// English name.
    pub name_en: String,
}

/// What lists and search show of a problem: never its details.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProblemSummary {
    /// Id.
    pub id: ProblemId,
    /// Title.
    pub title: String,
    /// Public summary.
    pub summary: String,
    /// Status.
    pub status: ProblemStatus,
    /// Confidentiality.
    pub confidentiality: Confidentiality,
    /// The firm.
    pub org_id: OrgId,
    /// Its name.
    pub org_name: String,
    /// The consortium.
    pub consortium_id: ConsortiumId,
    /// Its name.
    pub consortium_name: String,
    /// Complex of the consortium.
    pub complex_name: String,
    /// Region of the complex.
    pub region: Region,
    /// Fields.
    pub fields: Vec<FieldTag>,
    /// Keywords.
    pub keywords: Vec<String>,
    /// Help wanted.
    pub help: Vec<HelpKind>,
    /// Proposals received.
    pub proposal_count: i64,
    /// Collaboration stage once matched.
    pub stage: Option<Stage>,
    /// Published (or, for drafts, last saved).
    #[serde(with = "crate::wire_time")]
    pub posted_at: DateTime<Utc>,
    /// Sample data.
    pub is_sample: bool,
}

/// Whether the caller reads the details, and if not, why.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DetailsAccess {
    /// The details are in the response.
    Visible,
    /// Invited: accept the non-disclosure statement to read them.
    NdaRequired,
    /// Not for this caller.
    Hidden,
}

/// What the caller may do with a problem.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProblemAccess {
    /// A person of the firm: edits, invites, accepts proposals, sees the access log.
    pub owner: bool,
    /// A CM of the consortium or an admin.
    pub manager: bool,
    /// The caller was invited as an expert.
    pub invited: bool,
    /// The caller may send a proposal.
    pub can_propose: bool,
    /// The caller may ask questions (and read the thread).
    pub can_discuss: bool,
}

impl ProblemAccess {
    /// The firm's and its CM's side of the page: proposals, matched experts,
    /// invitations, the CM's note, the history and who read the details.
    pub fn firm_side(&self) -> bool {
        self.owner || self.manager
    }

    /// An expert's proposal form shows (to an expert who may propose, or one
    /// who may not yet and is told why).
    pub fn shows_proposal(&self, is_expert: bool) -> bool {
        self.can_propose || !self.firm_side() && is_expert
    }

    /// The module of the page's signed-in panels this access draws, if any: the
    /// firm's side, or the questions and an expert's proposal. The app draws it;
    /// the server names it in the page's HTML (`routes::members_drawn`).
    pub fn panels(&self, is_expert: bool) -> Option<&'static str> {
        if self.firm_side() {
            Some(crate::routes::PROBLEM_FIRM)
        } else if self.can_discuss || self.shows_proposal(is_expert) {
            Some(crate::routes::PROBLEM_PANELS)
        } else {
            None
        }
    }
}

/// An attachment's metadata.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AttachmentView {
    /// Id.
    pub id: i64,
    /// File name as uploaded.
    pub name: String,
    /// Detected type: image/png, image/jpeg, image/webp or application/pdf.
    pub content_type: String,
    /// Size in bytes.
    pub size: i64,
    /// Uploaded.
    #[serde(with = "crate::wire_time")]
    pub created_at: DateTime<Utc>,
}

/// A problem page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProblemView {
    /// The list fields.
    pub summary: ProblemSummary,
    /// Author.
    pub author: PersonRef,
    /// Details, when the caller may read them.
    pub details: Option<String>,
    /// Whether the details are there.
    pub details_access: DetailsAccess,
    /// Wanted within months.
    pub timeline_months: Option<i64>,
    /// Budget.
    pub budget: Budget,
    /// Attachments (with the details only).
    pub attachments: Vec<AttachmentView>,
    /// Edits kept.
    pub revision_count: i64,
    /// What the caller may do.
    pub access: ProblemAccess,
    /// The collaboration, once matched.
    pub collaboration: Option<CollaborationView>,
    /// Support selected for it in calls' announced results (public, as the
    /// results are).
    #[serde(default)]
    pub support: Vec<crate::grant::ProblemSupport>,
    /// Last change.
    #[serde(with = "crate::wire_time")]
    pub updated_at: DateTime<Utc>,
}

/// Search and filters of the problem list.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams, utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct ProblemQuery {
    /// Words in title, summary, keywords or fields (Korean-aware).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", param(max_length = 100))]
    pub q: Option<String>,
    /// Field.
    #[serde(default)]
    pub field: Option<FieldId>,
    /// Complex.
    #[serde(default)]
    pub complex: Option<crate::ComplexId>,
    /// Region.
    #[serde(default)]
    pub region: Option<Region>,
    /// Consortium.
    #[serde(default)]
    pub consortium: Option<ConsortiumId>,
    /// Status; open problems by default.
    #[serde(default)]
    pub status: Option<ProblemStatus>,
    /// Industry of the posting firm: a KSIC division (two digits).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", param(pattern = "^(0[1-9]|[1-9][0-9])$"))]
    pub ksic: Option<String>,
    /// Size band of the posting firm, by its latest year's employees (or its headcount).
    #[serde(default)]
    pub band: Option<crate::figures::SizeBand>,
    /// Only the caller's firm's problems (drafts included).
    #[serde(default)]
    pub mine: Option<bool>,
    /// Only problems the caller was invited to.
    #[serde(default)]
    pub invited: Option<bool>,
    /// 1-based page.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 10_000))]
    pub page: Option<u32>,
    /// Items per page.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 50))]
    pub per_page: Option<u32>,
}

impl crate::query::ListQuery for ProblemQuery {
    fn normalized(self) -> Self {
        ProblemQuery {
            q: crate::query::clean(self.q),
            ksic: crate::query::clean(self.ksic),
            mine: self.mine.filter(|m| *m),
            invited: self.invited.filter(|i| *i),
            page: crate::query::clean_page(self.page),
            ..self
        }
    }
}

impl Validate for ProblemQuery {
    fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::default();
        e.optional_text("q", self.q.as_deref(), QUERY_MAX);
        crate::figures::check_ksic(&mut e, self.ksic.as_deref());
        if let Some(p) = self.page {
            e.range("page", i64::from(p), 1, 10_000);
        }
        if let Some(p) = self.per_page {
            e.range("per_page", i64::from(p), 1, 50);
        }
        e.into_result()
    }
}

/// Title typed so far, for "similar problems".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams, utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct SimilarQuery {
    /// The title.
    #[cfg_attr(feature = "openapi", param(max_length = 100))]
    pub title: String,
}

impl Validate for SimilarQuery {
    fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::default();
        e.text("title", &self.title, 0, TITLE_MAX);
        e.into_result()
    }
}

/// One reason an expert matches.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MatchReason {
    /// Kind.
    pub kind: ReasonKind,
    /// The expert's words that matched (a keyword, an equipment item, a count).
    pub text: String,
}

/// An expert ranked for a problem.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExpertMatch {
    /// The expert.
    pub expert: PersonRef,
    /// Department or lab.
    pub department: Option<String>,
    /// Profile fields.
    pub fields: Vec<String>,
    /// Profile keywords.
    pub keywords: Vec<String>,
    /// Relative score, best first.
    pub score: f64,
    /// Why.
    pub reasons: Vec<MatchReason>,
    /// Already invited to this problem.
    pub invited: bool,
}

/// Inviting an expert to a problem.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InviteExpert {
    /// The expert.
    pub expert_id: UserId,
    /// A note to them.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::paragraphs::<0, MESSAGE_MAX>))]
    pub message: String,
}

impl Validate for InviteExpert {
    fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::default();
        e.paragraphs("message", &self.message, 0, MESSAGE_MAX);
        e.into_result()
    }
}

/// An invitation of an expert.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvitationView {
    /// The expert.
    pub expert: PersonRef,
    /// Who invited.
    pub invited_by: PersonRef,
    /// The note.
    pub message: String,
    /// When.
    #[serde(with = "crate::wire_time")]
    pub created_at: DateTime<Utc>,
    /// When the expert accepted the non-disclosure statement.
    #[serde(default, with = "crate::wire_time::option")]
    pub nda_accepted_at: Option<DateTime<Utc>>,
}

/// A question or an answer under a problem.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MessageView {
    /// Id.
    pub id: i64,
    /// The question answered, for answers.
    pub parent_id: Option<i64>,
    /// Author.
    pub author: PersonRef,
    /// Written by the firm (an answer).
    pub from_firm: bool,
    /// Text.
    pub body: String,
    /// When.
    #[serde(with = "crate::wire_time")]
    pub created_at: DateTime<Utc>,
}

/// Asking or answering.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewMessage {
    /// The question answered.
    #[serde(default)]
    pub parent_id: Option<i64>,
    /// Text.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::paragraphs::<2, MESSAGE_MAX>))]
    pub body: String,
}

impl Validate for NewMessage {
    fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::default();
        e.paragraphs("body", &self.body, 2, MESSAGE_MAX);
        e.into_result()
    }
}

/// An expert's proposal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewProposal {
    /// How the expert would solve it.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::paragraphs::<20, PROPOSAL_TEXT_MAX>))]
    pub approach: String,
    /// Months of work.
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 60))]
    #[serde(deserialize_with = "crate::ids::whole")]
    pub duration_months: i64,
    /// Cost estimate in 만원.
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 10_000_000))]
    #[serde(deserialize_with = "crate::ids::whole")]
    pub cost_manwon: i64,
    /// What the expert brings: lab, equipment, students.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::paragraphs::<0, PROPOSAL_TEXT_MAX>))]
    pub resources: String,
    /// IP terms.
    pub ip_terms: IpTerms,
    /// A key the client makes once per proposal: sending again returns the first.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::idempotency_key))]
    pub idempotency_key: String,
}

impl Validate for NewProposal {
    fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::default();
        e.paragraphs("approach", &self.approach, 20, PROPOSAL_TEXT_MAX);
        e.range("duration_months", self.duration_months, 1, MONTHS_MAX);
        e.range("cost_manwon", self.cost_manwon, 0, COST_MAX);
        e.paragraphs("resources", &self.resources, 0, PROPOSAL_TEXT_MAX);
        e.idempotency_key("idempotency_key", &self.idempotency_key);
        e.into_result()
    }
}

/// A proposal as the firm (all of them) or its expert (their own) sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProposalView {
    /// Id.
    pub id: ProposalId,
    /// The problem.
    pub problem_id: ProblemId,
    /// The expert.
    pub expert: PersonRef,
    /// Approach.
    pub approach: String,
    /// Months.
    pub duration_months: i64,
    /// Cost in 만원.
    pub cost_manwon: i64,
    /// Lab, equipment, students.
    pub resources: String,
    /// IP terms.
    pub ip_terms: IpTerms,
    /// State.
    pub status: ProposalStatus,
    /// Sent.
    #[serde(with = "crate::wire_time")]
    pub created_at: DateTime<Utc>,
    /// Decided.
    #[serde(default, with = "crate::wire_time::option")]
    pub decided_at: Option<DateTime<Utc>>,
}

/// Accepting a proposal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AcceptProposal {
    /// The support instrument the collaboration uses.
    #[serde(default)]
    pub instrument: Option<HelpKind>,
}

impl Validate for AcceptProposal {
    fn validate(&self) -> Result<(), FieldErrors> {
        Ok(())
    }
}

/// One dated step of a collaboration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StageStep {
    /// The stage entered.
    pub stage: Stage,
    /// Who moved it.
    pub by: PersonRef,
    /// A note.
    pub note: Option<String>,
    /// When.
    #[serde(with = "crate::wire_time")]
    pub at: DateTime<Utc>,
}

/// A collaboration between a firm and an expert.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CollaborationView {
    /// Id.
    pub id: CollaborationId,
    /// The problem it solves, if it began from one.
    pub problem_id: Option<ProblemId>,
    /// The firm (none when a whole consortium accepted an offer).
    pub org_id: Option<OrgId>,
    /// The firm's or consortium's name.
    pub partner_name: String,
    /// The expert.
    pub expert: PersonRef,
    /// Current stage.
    pub stage: Stage,
    /// Support instrument.
    pub instrument: Option<HelpKind>,
    /// Every stage entered, oldest first.
    pub steps: Vec<StageStep>,
}

/// Moving a collaboration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MoveStage {
    /// The new stage.
    pub stage: Stage,
    /// Why, or what happened.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::optional_paragraphs::<MESSAGE_MAX>))]
    pub note: Option<String>,
    /// Set or change the support instrument.
    #[serde(default)]
    pub instrument: Option<HelpKind>,
}

impl Validate for MoveStage {
    fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::default();
        e.optional_paragraphs("note", self.note.as_deref(), MESSAGE_MAX);
        if self.stage == Stage::Matched {
            e.add("stage", ErrorCode::InvalidChoice);
        }
        e.into_result()
    }
}

/// A CM's note on a problem.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Annotate {
    /// The note.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::paragraphs::<1, MESSAGE_MAX>))]
    pub note: String,
}

impl Validate for Annotate {
    fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::default();
        e.paragraphs("note", &self.note, 1, MESSAGE_MAX);
        e.into_result()
    }
}

/// One step of a problem's history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProblemEvent {
    /// Kind.
    pub kind: EventKind,
    /// Who.
    pub actor: Option<PersonRef>,
    /// The stage entered, for stage changes.
    pub stage: Option<Stage>,
    /// A note, an expert's name, a revision number.
    pub note: Option<String>,
    /// When.
    #[serde(with = "crate::wire_time")]
    pub at: DateTime<Utc>,
}

/// One opening of a problem's details.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DetailView {
    /// Who read them.
    pub reader: PersonRef,
    /// When.
    #[serde(with = "crate::wire_time")]
    pub at: DateTime<Utc>,
}

/// A kept revision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Revision {
    /// 1 for the first published text.
    pub number: i64,
    /// Title then.
    pub title: String,
    /// Summary then.
    pub summary: String,
    /// Details then.
    pub details: String,
    /// Who saved it.
    pub editor: PersonRef,
    /// When.
    #[serde(with = "crate::wire_time")]
    pub at: DateTime<Utc>,
}

/// A column of the CM's board.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum BoardColumn {
    /// Open, no proposal yet.
    Open,
    /// Open with proposals.
    Proposed,
    /// A collaboration stage.
    #[serde(untagged)]
    Stage(Stage),
}

/// One card of the board.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BoardCard {
    /// The problem.
    pub problem: ProblemSummary,
    /// Its column.
    pub column: BoardColumn,
    /// The newest CM note.
    pub last_note: Option<String>,
}

/// Following a field to hear of new problems.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldFollow {
    /// Followed fields.
    pub field_ids: Vec<FieldId>,
}

/// Whom an unsolicited collaboration offer goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "to", rename_all = "snake_case")]
pub enum OfferTarget {
    /// A firm (its representative decides).
    Organisation {
        /// The firm.
        id: OrgId,
    },
    /// A whole consortium (its CMs decide).
    Consortium {
        /// The consortium.
        id: ConsortiumId,
    },
}

/// A professor's or researcher's offer to collaborate, without a posted problem.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewOffer {
    /// Receiver.
    pub target: OfferTarget,
    /// Title.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::text::<TITLE_MIN, TITLE_MAX>))]
    pub title: String,
    /// What the expert offers.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::paragraphs::<20, PROPOSAL_TEXT_MAX>))]
    pub body: String,
}

impl Validate for NewOffer {
    fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::default();
        e.text("title", &self.title, TITLE_MIN, TITLE_MAX);
        e.paragraphs("body", &self.body, 20, PROPOSAL_TEXT_MAX);
        e.into_result()
    }
}

code_enum!(
    /// An offer's state.
    OfferStatus {
        /// Waiting.
        Pending = "pending",
        /// Accepted; a collaboration began.
        Accepted = "accepted",
        /// Declined.
        Declined = "declined",
    }
);

/// An offer as its sender and receivers see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OfferView {
    /// Id.
    pub id: i64,
    /// Sender.
    pub expert: PersonRef,
    /// Receiver.
    pub target: OfferTarget,
    /// Receiver's name.
    pub target_name: String,
    /// Title.
    pub title: String,
    /// Body.
    pub body: String,
    /// State.
    pub status: OfferStatus,
    /// The reason given with a decision.
    pub reason: Option<String>,
    /// Sent.
    #[serde(with = "crate::wire_time")]
    pub created_at: DateTime<Utc>,
    /// The caller may decide it.
    pub can_decide: bool,
}

/// Deciding an offer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DecideOffer {
    /// Accept or decline.
    pub accept: bool,
    /// A note (required to decline).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::optional_paragraphs::<{ crate::validate::REASON_MAX }>))]
    pub reason: Option<String>,
}

impl Validate for DecideOffer {
    fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::default();
        e.optional_paragraphs(
            "reason",
            self.reason.as_deref(),
            crate::validate::REASON_MAX,
        );
        if !self.accept
            && self
                .reason
                .as_deref()
                .map(str::trim)
                .unwrap_or_default()
                .is_empty()
        {
            e.add("reason", ErrorCode::Required);
        }
        e.into_result()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> ProblemInput {
        ProblemInput {
            consortium_id: ConsortiumId(1),
            title: "금형 냉각 불균일".into(),
            summary: "사출 금형의 냉각 채널이 불균일하여 불량률이 높습니다.".into(),
            details: String::new(),
            field_ids: vec![FieldId(1)],
            keywords: vec!["냉각 채널".into()],
            help: vec![HelpKind::JointRnd],
            timeline_months: Some(6),
            budget: Budget::Undecided,
            confidentiality: Confidentiality::Nda,
            publish: true,
        }
    }

    #[test]
    fn drafts_may_be_incomplete_but_publishing_checks_everything() {
        assert!(input().validate().is_ok());
        let draft = ProblemInput {
            summary: String::new(),
            field_ids: vec![],
            help: vec![],
            publish: false,
            ..input()
        };
        assert!(draft.validate().is_ok());
        let published = ProblemInput {
            publish: true,
            ..draft
        };
        let fields: Vec<String> = published
            .validate()
            .err()
            .map(|e| e.0.into_iter().map(|f| f.field).collect())
            .unwrap_or_default();
        assert_eq!(fields, vec!["summary", "field_ids", "help"]);
    }

    #[test]
    fn codes_round_trip() {
        for s in Stage::ALL {
            assert_eq!(Stage::from_code(s.code()), Some(*s));
            assert_eq!(
                serde_json::to_value(s).ok(),
                Some(serde_json::json!(s.code()))
            );
        }
        assert_eq!(
            serde_json::to_value(BoardColumn::Stage(Stage::InProgress)).ok(),
            Some(serde_json::json!("in_progress"))
        );
    }
}
