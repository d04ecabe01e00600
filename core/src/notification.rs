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
