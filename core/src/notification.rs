//! In-app notifications: the bell and the notifications page.

use crate::{ConsortiumId, NotificationId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// What happened. The client words each kind in the reader's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum NotificationKind {
    /// To CMs: an organisation asked to join.
    JoinRequested,
    /// To the requester: approved.
    JoinApproved,
    /// To the requester: declined (with the reason).
    JoinDeclined,
    /// To an organisation's members: a CM invited it.
    Invited,
    /// To CMs: an invitation was accepted.
    InvitationAccepted,
    /// To CMs: an invitation was declined.
    InvitationDeclined,
    /// To the person: they were made CM.
    AppointedManager,
    /// To CMs: an organisation left.
    MemberLeft,
    /// To a representative: someone signed up as a member of the organisation.
    AffiliationRequested,
    /// To the person: the representative confirmed them.
    AffiliationConfirmed,
    /// To the person: the representative declined them.
    AffiliationDeclined,
    /// To followers of a field: a problem was posted in it.
    ProblemPosted,
    /// To an expert: a firm or CM invited them to a problem.
    ExpertInvited,
    /// To the firm: an invited expert accepted the non-disclosure statement.
    NdaAccepted,
    /// To the firm: an expert asked a question.
    QuestionAsked,
    /// To the asker: the firm answered.
    QuestionAnswered,
    /// To the firm: a proposal arrived.
    ProposalReceived,
    /// To the expert: their proposal was accepted.
    ProposalAccepted,
    /// To the other experts: another proposal was chosen, with thanks.
    ProposalNotSelected,
    /// To the firm and the expert: the collaboration moved.
    StageChanged,
    /// To a representative or CMs: an expert offered a collaboration.
    OfferReceived,
    /// To the expert: the offer was accepted.
    OfferAccepted,
    /// To the expert: the offer was declined.
    OfferDeclined,
    /// To an idea's followers: a new comment.
    IdeaCommented,
    /// To a comment's author: someone replied.
    IdeaReplied,
    /// To an idea's followers: the CM moved it (adopted, became a problem...).
    IdeaStageChanged,
}

/// One notification.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NotificationView {
    /// Id.
    pub id: NotificationId,
    /// Kind.
    pub kind: NotificationKind,
    /// The consortium concerned.
    pub consortium_id: Option<ConsortiumId>,
    /// Its name.
    pub consortium_name: Option<String>,
    /// The organisation concerned.
    pub org_name: Option<String>,
    /// The problem concerned.
    pub problem_id: Option<crate::ProblemId>,
    /// Its title.
    pub problem_title: Option<String>,
    /// The idea concerned.
    #[serde(default)]
    pub idea_id: Option<crate::IdeaId>,
    /// Its title.
    #[serde(default)]
    pub idea_title: Option<String>,
    /// Who acted.
    pub actor_name: Option<String>,
    /// A reason or message.
    pub note: Option<String>,
    /// Read yet?
    pub read: bool,
    /// When.
    pub created_at: DateTime<Utc>,
}

/// The bell's number.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnreadCount {
    /// Unread notifications.
    pub unread: i64,
}
