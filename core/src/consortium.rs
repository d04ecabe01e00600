//! Consortia (산학연협의체 / mini-clusters / theme clusters), their members,
//! join requests, invitations and the audit trail.

use crate::{
    ComplexId, ConsortiumId, ErrorCode, FieldErrors, FieldId, JoinRequestId, OrgId, UserId,
    Validate,
    account::{OrgKind, OrgSummary, PersonRef},
    reference::Region,
    validate::*,
};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// The form a consortium takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ConsortiumKind {
    /// 미니클러스터: a standing group per complex and industry.
    MiniCluster,
    /// 테마클러스터: project-type, around one technology, for a fixed term.
    ThemeCluster,
    /// 자생적 클러스터: funded by member fees and donations.
    SelfSustaining,
}

impl ConsortiumKind {
    /// All kinds.
    pub const ALL: [ConsortiumKind; 3] = [
        ConsortiumKind::MiniCluster,
        ConsortiumKind::ThemeCluster,
        ConsortiumKind::SelfSustaining,
    ];

    /// Stored code.
    pub fn code(self) -> &'static str {
        match self {
            ConsortiumKind::MiniCluster => "mini_cluster",
            ConsortiumKind::ThemeCluster => "theme_cluster",
            ConsortiumKind::SelfSustaining => "self_sustaining",
        }
    }

    /// Kind for a stored code.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// Whether a consortium takes part in the programme now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ConsortiumStatus {
    /// Running; takes requests.
    Active,
    /// Kept for the record; read-only.
    Archived,
}

/// Filters of the consortium list; every one optional.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct ConsortiumQuery {
    /// Words in the name or description.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", param(max_length = 100))]
    pub q: Option<String>,
    /// Region code.
    #[serde(default)]
    pub region: Option<Region>,
    /// Complex.
    #[serde(default)]
    pub complex: Option<ComplexId>,
    /// Technology field.
    #[serde(default)]
    pub field: Option<FieldId>,
    /// Kind.
    #[serde(default)]
    pub kind: Option<ConsortiumKind>,
    /// Industry of a member firm: a KSIC division (two digits).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", param(pattern = "^(0[1-9]|[1-9][0-9])$"))]
    pub ksic: Option<String>,
    /// Size band of a member firm, by its latest year's employees (or its headcount).
    #[serde(default)]
    pub band: Option<crate::figures::SizeBand>,
    /// Only consortia the caller's organisation belongs to.
    #[serde(default)]
    pub mine: Option<bool>,
    /// Include archived consortia.
    #[serde(default)]
    pub archived: Option<bool>,
    /// 1-based page.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 100_000))]
    pub page: Option<u32>,
    /// Items per page, at most [`PER_PAGE_MAX`].
    #[serde(default)]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 100))]
    pub per_page: Option<u32>,
}

impl crate::query::ListQuery for ConsortiumQuery {
    fn normalized(self) -> Self {
        ConsortiumQuery {
            q: crate::query::clean(self.q),
            ksic: crate::query::clean(self.ksic),
            mine: self.mine.filter(|m| *m),
            archived: self.archived.filter(|a| *a),
            page: crate::query::clean_page(self.page),
            ..self
        }
    }
}

/// Largest page of a list.
pub const PER_PAGE_MAX: u32 = 100;
/// Page size when none is asked for.
pub const PER_PAGE_DEFAULT: u32 = 20;

impl Validate for ConsortiumQuery {
    fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::default();
        e.optional_text("q", self.q.as_deref(), QUERY_MAX);
        crate::figures::check_ksic(&mut e, self.ksic.as_deref());
        if let Some(p) = self.page {
            e.range("page", i64::from(p), 1, 100_000);
        }
        if let Some(p) = self.per_page {
            e.range("per_page", i64::from(p), 1, i64::from(PER_PAGE_MAX));
        }
        e.into_result()
    }
}

/// A consortium in a list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConsortiumSummary {
    /// Id.
    pub id: ConsortiumId,
    /// Name, e.g. 창원 금형 미니클러스터.
    pub name: String,
    /// Kind.
    pub kind: ConsortiumKind,
    /// Status.
    pub status: ConsortiumStatus,
    /// Complex id.
    pub complex_id: ComplexId,
    /// Complex name in Korean.
    pub complex_name: String,
    /// Region of the complex.
    pub region: Region,
    /// Field id.
    pub field_id: FieldId,
    /// Field name in Korean.
    pub field_name: String,
    /// Member organisations.
    pub member_count: i64,
    /// First lines of the description.
    pub summary: String,
    /// Sample data loaded with `--demo`.
    pub is_sample: bool,
}

/// Member organisations by kind.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MemberCounts {
    /// Firms.
    pub firms: i64,
    /// Universities.
    pub universities: i64,
    /// Research institutes.
    pub institutes: i64,
    /// Support agencies.
    pub agencies: i64,
}

impl MemberCounts {
    /// All member organisations.
    pub fn total(&self) -> i64 {
        self.firms + self.universities + self.institutes + self.agencies
    }
}

/// A member organisation of a consortium.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MemberOrg {
    /// The organisation.
    pub organisation: OrgSummary,
    /// When it joined.
    #[serde(with = "crate::wire_time")]
    pub joined_at: DateTime<Utc>,
}

/// Where the caller's organisation stands with a consortium.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "state", rename_all = "snake_case", try_from = "StandingWire")]
pub enum Standing {
    /// Not signed in.
    Anonymous,
    /// No tie.
    None,
    /// The person's organisation has not confirmed them yet: they cannot act for it.
    Unconfirmed,
    /// A request to join is waiting for the CM.
    Pending {
        /// The request.
        request_id: JoinRequestId,
    },
    /// The CM invited the organisation.
    Invited {
        /// The invitation.
        request_id: JoinRequestId,
    },
    /// A member.
    Member,
}

/// `Standing` as read: one plain struct rather than serde's internally tagged
/// enum, which copies the whole value into a buffer first (generic code the
/// consortium page carried for this one field). Written as derived.
#[derive(Deserialize)]
struct StandingWire {
    state: StandingState,
    #[serde(default)]
    request_id: Option<JoinRequestId>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum StandingState {
    Anonymous,
    None,
    Unconfirmed,
    Pending,
    Invited,
    Member,
}

impl TryFrom<StandingWire> for Standing {
    type Error = &'static str;
    fn try_from(w: StandingWire) -> Result<Self, Self::Error> {
        let request = || w.request_id.ok_or("request_id missing");
        Ok(match w.state {
            StandingState::Anonymous => Standing::Anonymous,
            StandingState::None => Standing::None,
            StandingState::Unconfirmed => Standing::Unconfirmed,
            StandingState::Pending => Standing::Pending {
                request_id: request()?,
            },
            StandingState::Invited => Standing::Invited {
                request_id: request()?,
            },
            StandingState::Member => Standing::Member,
        })
    }
}

/// Activity numbers of a consortium that the foundation already records.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActivityCounts {
    /// Organisations that joined in the last 365 days.
    pub joined_last_year: i64,
    /// Join requests and invitations waiting for a decision.
    pub pending: i64,
    /// Decisions recorded in the audit trail.
    pub decisions: i64,
}

/// A consortium page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConsortiumView {
    /// The list fields.
    pub summary: ConsortiumSummary,
    /// Full description.
    pub description: String,
    /// Theme clusters: start of the term.
    #[serde(default, with = "crate::wire_time::date::option")]
    pub term_start: Option<NaiveDate>,
    /// Theme clusters: end of the term.
    #[serde(default, with = "crate::wire_time::date::option")]
    pub term_end: Option<NaiveDate>,
    /// Cluster managers (CM, 네트워킹 전문가).
    pub managers: Vec<PersonRef>,
    /// Member organisations by kind (everyone sees these).
    pub counts: MemberCounts,
    /// Activity numbers.
    pub activity: ActivityCounts,
    /// The full member list: only for members, its CMs and admins.
    pub members: Option<Vec<MemberOrg>>,
    /// The caller's standing.
    pub standing: Standing,
    /// The caller may decide requests, invite and see the audit trail.
    pub can_manage: bool,
    /// Created.
    #[serde(with = "crate::wire_time")]
    pub created_at: DateTime<Utc>,
    /// For one founded from a call's selected application: where it came from.
    #[serde(default)]
    pub origin: Option<Origin>,
}

/// Where a consortium founded from a call's selected application came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Origin {
    /// The organisation that runs it (운영기관): the application's lead.
    pub operator: String,
    /// The call that selected it.
    pub call_id: crate::CallId,
    /// Its title.
    pub call_title: String,
}

/// Admin: create or edit a consortium.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EditConsortium {
    /// Name.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::text::<2, CONSORTIUM_NAME_MAX>))]
    pub name: String,
    /// Kind.
    pub kind: ConsortiumKind,
    /// Complex.
    pub complex_id: ComplexId,
    /// Technology field.
    pub field_id: FieldId,
    /// Description.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::paragraphs::<0, DESCRIPTION_MAX>))]
    pub description: String,
    /// Theme clusters: term start.
    #[serde(default, with = "crate::wire_time::date::option")]
    pub term_start: Option<NaiveDate>,
    /// Theme clusters: term end.
    #[serde(default, with = "crate::wire_time::date::option")]
    pub term_end: Option<NaiveDate>,
}

impl Validate for EditConsortium {
    fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::default();
        e.text("name", &self.name, 2, CONSORTIUM_NAME_MAX);
        e.paragraphs("description", &self.description, 0, DESCRIPTION_MAX);
        if let (Some(start), Some(end)) = (self.term_start, self.term_end)
            && end < start
        {
            e.add("term_end", ErrorCode::EndBeforeStart);
        }
        if self.kind == ConsortiumKind::ThemeCluster && self.term_end.is_none() {
            e.add("term_end", ErrorCode::Required);
        }
        e.into_result()
    }
}

/// A member asks to join a consortium for their organisation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateJoinRequest {
    /// Why the organisation wants to join.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::paragraphs::<MOTIVATION_MIN, MOTIVATION_MAX>))]
    pub motivation: String,
}

impl Validate for CreateJoinRequest {
    fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::default();
        e.paragraphs(
            "motivation",
            &self.motivation,
            MOTIVATION_MIN,
            MOTIVATION_MAX,
        );
        e.into_result()
    }
}

/// A CM invites an organisation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateInvitation {
    /// The organisation invited.
    pub org_id: OrgId,
    /// A message to it.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::paragraphs::<0, MOTIVATION_MAX>))]
    pub message: String,
}

impl Validate for CreateInvitation {
    fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::default();
        e.paragraphs("message", &self.message, 0, MOTIVATION_MAX);
        e.into_result()
    }
}

/// A decision on a join request (by the CM) or on an invitation (by the organisation).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Decide {
    /// Approve (accept) or decline.
    pub approve: bool,
    /// Why; required when declining.
    #[serde(default)]
    pub reason: Option<String>,
}

impl Validate for Decide {
    fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::default();
        let reason = self.reason.as_deref().unwrap_or_default();
        e.paragraphs("reason", reason, usize::from(!self.approve), REASON_MAX);
        e.into_result()
    }
}

/// Whether a row is a request by an organisation or an invitation by a CM.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RequestKind {
    /// The organisation asked to join.
    Request,
    /// The CM invited the organisation.
    Invitation,
}

/// Where a request or invitation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RequestStatus {
    /// Waiting for a decision.
    Pending,
    /// Approved or accepted: the organisation is a member.
    Approved,
    /// Declined, with a reason.
    Declined,
    /// Taken back by whoever opened it.
    Withdrawn,
}

/// A request to join or an invitation, as the CM or the organisation sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JoinRequestView {
    /// Id.
    pub id: JoinRequestId,
    /// Request or invitation.
    pub kind: RequestKind,
    /// Status.
    pub status: RequestStatus,
    /// The consortium.
    pub consortium_id: ConsortiumId,
    /// Its name.
    pub consortium_name: String,
    /// The organisation.
    pub organisation: OrgSummary,
    /// Who opened it.
    pub opened_by: PersonRef,
    /// Motivation or invitation message.
    pub message: String,
    /// Opened.
    #[serde(with = "crate::wire_time")]
    pub created_at: DateTime<Utc>,
    /// Who decided.
    pub decided_by: Option<PersonRef>,
    /// Reason given with the decision.
    pub reason: Option<String>,
    /// Decided.
    #[serde(default, with = "crate::wire_time::option")]
    pub decided_at: Option<DateTime<Utc>>,
}

/// Admin: make a person CM of a consortium.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AppointManager {
    /// The person.
    pub user_id: UserId,
}

impl Validate for AppointManager {
    fn validate(&self) -> Result<(), FieldErrors> {
        Ok(())
    }
}

/// What an audit entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    /// A consortium was created.
    ConsortiumCreated,
    /// A consortium was edited.
    ConsortiumEdited,
    /// A consortium was archived.
    ConsortiumArchived,
    /// A CM was appointed.
    ManagerAppointed,
    /// A CM was removed.
    ManagerRemoved,
    /// An organisation asked to join.
    JoinRequested,
    /// A join request was approved.
    JoinApproved,
    /// A join request was declined.
    JoinDeclined,
    /// A join request was withdrawn.
    JoinWithdrawn,
    /// An organisation was invited.
    Invited,
    /// An invitation was accepted.
    InvitationAccepted,
    /// An invitation was declined.
    InvitationDeclined,
    /// An organisation left.
    MemberLeft,
    /// An admin account was created from the command line.
    AdminCreated,
    /// A representative confirmed a colleague.
    AffiliationConfirmed,
    /// A representative declined a colleague.
    AffiliationDeclined,
    /// An admin suspended an account.
    AccountSuspended,
    /// An admin reactivated a suspended account.
    AccountReactivated,
    /// An admin sent a person a link to set a new password.
    PasswordResetSent,
    /// An admin removed a person's second factor (a lost phone and codes).
    SecondFactorReset,
    /// An organisation's representative changed (handed over and accepted, or
    /// set by an admin).
    RepresentativeChanged,
    /// A person closed their account (회원 탈퇴).
    AccountClosed,
    /// An organisation was closed with its last person.
    OrganisationClosed,
    /// An admin corrected an organisation's registered data.
    OrganisationCorrected,
    /// An admin merged another record of the organisation into it.
    OrganisationMerged,
    /// An admin imported organisations and their people from a file.
    OrganisationsImported,
    /// An admin registered or edited a partner abroad (the note names it).
    PartnerSaved,
    /// An admin removed a partner abroad from the register.
    PartnerRemoved,
    /// An admin recorded or edited an agreement with a partner, or attached its
    /// document (the note names the partner and the agreement).
    AgreementSaved,
    /// An admin removed an agreement with a partner.
    AgreementRemoved,
    /// An admin published a call (the note names it).
    CallPublished,
    /// An admin changed a call (the note names it).
    CallChanged,
    /// An organisation submitted its application to a call (the note names
    /// the call and the application).
    ApplicationSubmitted,
    /// An organisation withdrew its application.
    ApplicationWithdrawn,
    /// A call's admin decided on an application before the results were
    /// announced (the note: the decision, the grant, the reason).
    ApplicationDecided,
    /// A call's admin announced its results.
    CallAnnounced,
    /// A call's admin corrected an announced decision (a new, visible entry).
    DecisionCorrected,
    /// A call's admin appointed an evaluator (the note names the call).
    EvaluatorAppointed,
    /// A call's admin dismissed an evaluator, whose scores then count no more
    /// (the note names the call).
    EvaluatorDismissed,
    /// A call's admin recorded a selected application's agreement (the note:
    /// the grant and the day).
    GrantAgreed,
    /// A call's admin recorded a payment of a grant against a milestone (the
    /// note: the milestone, the amount and the day).
    GrantPaid,
    /// A CM set a year's member fees (the note: the year, the fees, the day
    /// due).
    FeeScheduleSet,
    /// A CM issued a member organisation its yearly fee invoice.
    FeeInvoiced,
    /// A CM recorded what became of an invoice: paid, waived or back to
    /// unpaid.
    InvoiceSettled,
    /// A CM recorded a donation received.
    DonationRecorded,
}

impl AuditAction {
    /// Stored code (the serde name).
    pub fn code(self) -> String {
        serde_json::to_string(&self)
            .unwrap_or_default()
            .trim_matches('"')
            .to_owned()
    }
}

/// One entry of the audit trail: who did what, when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    /// Id.
    pub id: crate::AuditId,
    /// Who (none for the command line).
    pub actor: Option<PersonRef>,
    /// What.
    pub action: AuditAction,
    /// The consortium concerned.
    pub consortium_id: Option<ConsortiumId>,
    /// Its name.
    pub consortium_name: Option<String>,
    /// The organisation concerned.
    pub org_name: Option<String>,
    /// The person concerned (an appointed CM).
    pub subject_name: Option<String>,
    /// Reason or note.
    pub note: Option<String>,
    /// When.
    #[serde(with = "crate::wire_time")]
    pub created_at: DateTime<Utc>,
}

/// Organisation kinds a consortium counts among its members, in display order.
pub const MEMBER_KINDS: [OrgKind; 4] = OrgKind::ALL;

#[cfg(test)]
mod tests {

    #[test]
    fn standing_reads_back_as_written() {
        use crate::JoinRequestId;
        for standing in [
            Standing::Anonymous,
            Standing::None,
            Standing::Unconfirmed,
            Standing::Pending {
                request_id: JoinRequestId(3),
            },
            Standing::Invited {
                request_id: JoinRequestId(4),
            },
            Standing::Member,
        ] {
            let value = serde_json::to_value(&standing).unwrap();
            assert_eq!(serde_json::from_value::<Standing>(value).unwrap(), standing);
        }
        assert_eq!(
            serde_json::to_value(Standing::Pending {
                request_id: JoinRequestId(3)
            })
            .unwrap(),
            serde_json::json!({"state": "pending", "request_id": 3})
        );
        assert!(
            serde_json::from_value::<Standing>(serde_json::json!({"state": "pending"})).is_err()
        );
        assert!(serde_json::from_value::<Standing>(serde_json::json!({"state": "gone"})).is_err());
    }
    use super::*;

    #[test]
    fn decline_needs_reason() {
        let cases = [
            (
                Decide {
                    approve: true,
                    reason: None,
                },
                None,
            ),
            (
                Decide {
                    approve: false,
                    reason: None,
                },
                Some(ErrorCode::Required),
            ),
            (
                Decide {
                    approve: false,
                    reason: Some("  ".into()),
                },
                Some(ErrorCode::Required),
            ),
            (
                Decide {
                    approve: false,
                    reason: Some("분야가 다릅니다".into()),
                },
                None,
            ),
            (
                Decide {
                    approve: true,
                    reason: Some("x".repeat(501)),
                },
                Some(ErrorCode::TooLong { max: 500 }),
            ),
        ];
        for (d, expected) in cases {
            assert_eq!(
                d.validate().err().and_then(|e| e.get("reason").cloned()),
                expected,
                "{d:?}"
            );
        }
    }

    #[test]
    fn join_request_motivation() {
        let short = CreateJoinRequest {
            motivation: "가입".into(),
        };
        assert_eq!(
            short.validate().unwrap_err().get("motivation"),
            Some(&ErrorCode::TooShort {
                min: MOTIVATION_MIN
            })
        );
        let ok = CreateJoinRequest {
            motivation: "금형 냉각 기술 협력을 원합니다".into(),
        };
        assert!(ok.validate().is_ok());
    }

    #[test]
    fn theme_cluster_needs_term() {
        let c = EditConsortium {
            name: "오창 이차전지 테마클러스터".into(),
            kind: ConsortiumKind::ThemeCluster,
            complex_id: ComplexId(1),
            field_id: FieldId(1),
            description: String::new(),
            term_start: NaiveDate::from_ymd_opt(2026, 3, 1),
            term_end: NaiveDate::from_ymd_opt(2025, 3, 1),
        };
        assert_eq!(
            c.validate().unwrap_err().get("term_end"),
            Some(&ErrorCode::EndBeforeStart)
        );
        let open = EditConsortium {
            term_end: None,
            ..c
        };
        assert_eq!(
            open.validate().unwrap_err().get("term_end"),
            Some(&ErrorCode::Required)
        );
    }

    #[test]
    fn audit_codes() {
        assert_eq!(AuditAction::JoinApproved.code(), "join_approved");
    }
}
