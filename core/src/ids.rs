//! Id newtypes, so a consortium id can never be passed where a user id is meant.

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    )*};
}

id_type!(
    /// A person's account.
    UserId,
    /// A firm, university, research institute or support agency.
    OrgId,
    /// An industrial complex (산업단지).
    ComplexId,
    /// A technology field.
    FieldId,
    /// A consortium (산학연협의체 / mini-cluster / theme cluster).
    ConsortiumId,
    /// A request to join a consortium, or an invitation to one.
    JoinRequestId,
    /// An in-app notification.
    NotificationId,
    /// An audit-trail entry.
    AuditId,
    /// An R&D bottleneck problem (애로과제).
    ProblemId,
    /// An expert's proposal for a problem.
    ProposalId,
    /// A collaboration between a firm and an expert.
    CollaborationId,
    /// An idea on the idea board.
    IdeaId,
    /// A comment under an idea.
    CommentId,
    /// A networking activity (seminar, forum, company visit, guest lecture).
    ActivityId,
);
