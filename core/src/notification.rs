//! In-app notifications: the bell and the notifications page.

use crate::{ConsortiumId, KST, NotificationId};
use chrono::{DateTime, Duration, TimeZone, Utc};
use serde::{Deserialize, Serialize};

code_enum!(
    /// What happened. The client words each kind in the reader's language.
    NotificationKind {
        /// To CMs: an organisation asked to join.
        JoinRequested = "join_requested",
        /// To the requester: approved.
        JoinApproved = "join_approved",
        /// To the requester: declined (with the reason).
        JoinDeclined = "join_declined",
        /// To an organisation's members: a CM invited it.
        Invited = "invited",
        /// To CMs: an invitation was accepted.
        InvitationAccepted = "invitation_accepted",
        /// To CMs: an invitation was declined.
        InvitationDeclined = "invitation_declined",
        /// To the person: they were made CM.
        AppointedManager = "appointed_manager",
        /// To CMs: an organisation left.
        MemberLeft = "member_left",
        /// To a representative: someone signed up as a member of the organisation.
        AffiliationRequested = "affiliation_requested",
        /// To the person: the representative confirmed them.
        AffiliationConfirmed = "affiliation_confirmed",
        /// To the person: the representative declined them.
        AffiliationDeclined = "affiliation_declined",
        /// To followers of a field: a problem was posted in it.
        ProblemPosted = "problem_posted",
        /// To an expert: a firm or CM invited them to a problem.
        ExpertInvited = "expert_invited",
        /// To the firm: an invited expert accepted the non-disclosure statement.
        NdaAccepted = "nda_accepted",
        /// To the firm: an expert asked a question.
        QuestionAsked = "question_asked",
        /// To the asker: the firm answered.
        QuestionAnswered = "question_answered",
        /// To the firm: a proposal arrived.
        ProposalReceived = "proposal_received",
        /// To the expert: their proposal was accepted.
        ProposalAccepted = "proposal_accepted",
        /// To the other experts: another proposal was chosen, with thanks.
        ProposalNotSelected = "proposal_not_selected",
        /// To the firm and the expert: the collaboration moved.
        StageChanged = "stage_changed",
        /// To a representative or CMs: an expert offered a collaboration.
        OfferReceived = "offer_received",
        /// To the expert: the offer was accepted.
        OfferAccepted = "offer_accepted",
        /// To the expert: the offer was declined.
        OfferDeclined = "offer_declined",
        /// To an idea's followers: a new comment.
        IdeaCommented = "idea_commented",
        /// To a comment's author: someone replied.
        IdeaReplied = "idea_replied",
        /// To an idea's followers: the CM moved it (adopted, became a problem...).
        IdeaStageChanged = "idea_stage_changed",
        /// To a consortium's members: a CM scheduled an activity.
        ActivityScheduled = "activity_scheduled",
        /// To a person on the waiting list: a place freed up and is theirs.
        ActivityPromoted = "activity_promoted",
        /// To registered people: the activity is tomorrow.
        ActivityReminder = "activity_reminder",
        /// To registered people: the CM cancelled the activity.
        ActivityCancelled = "activity_cancelled",
        /// To registered people: the CM posted the minutes.
        ActivityMinutes = "activity_minutes",
        /// To those who have not answered: a survey closes soon.
        SurveyReminder = "survey_reminder",
        /// To a matchmaking participant: someone asks for a meeting (the
        /// message in the note).
        MeetingRequested = "meeting_requested",
        /// To the one who asked: the meeting was accepted.
        MeetingAccepted = "meeting_accepted",
        /// To the one who asked: the meeting was declined.
        MeetingDeclined = "meeting_declined",
        /// To a matchmaking participant: what came of your meetings? (after
        /// the event and months later, reminded until answered; the count and
        /// the closing day in the note).
        MeetingFollowUp = "meeting_follow_up",
        /// To a partner organisation's representative: a lead asks it onto
        /// an application (the organisation is the lead).
        ApplicationInvited = "application_invited",
        /// To the lead's people: a partner confirmed its place (the
        /// organisation is the partner).
        ApplicationConfirmed = "application_confirmed",
        /// To the lead's people: a partner declined.
        ApplicationDeclined = "application_declined",
        /// To the team: the application was submitted.
        ApplicationSubmitted = "application_submitted",
        /// To the team: the application was withdrawn.
        ApplicationWithdrawn = "application_withdrawn",
        /// To the team: the call's results were announced, or the decision on
        /// their application corrected (the decision on its page).
        ApplicationDecided = "application_decided",
        /// To the team of a submitted application: the call's dates moved it
        /// on — 요건 검토, 평가, or (selected ones only) 협약 (the phase's
        /// code in the note).
        CallPhaseChanged = "call_phase_changed",
        /// To the founding members' people: a theme cluster or consortium
        /// was founded from their selected application (its operator is the
        /// organisation).
        ConsortiumFounded = "consortium_founded",
    }
);

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
    /// The activity concerned.
    #[serde(default)]
    pub activity_id: Option<crate::ActivityId>,
    /// Its title.
    #[serde(default)]
    pub activity_title: Option<String>,
    /// The survey concerned.
    #[serde(default)]
    pub survey_id: Option<crate::SurveyId>,
    /// Its title.
    #[serde(default)]
    pub survey_title: Option<String>,
    /// The application concerned.
    #[serde(default)]
    pub application_id: Option<crate::ApplicationId>,
    /// Its call's title.
    #[serde(default)]
    pub call_title: Option<String>,
    /// Who acted.
    pub actor_name: Option<String>,
    /// A reason or message.
    pub note: Option<String>,
    /// Read yet?
    pub read: bool,
    /// When.
    #[serde(with = "crate::wire_time")]
    pub created_at: DateTime<Utc>,
}

/// The bell's number.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnreadCount {
    /// Unread notifications.
    pub unread: i64,
}

code_enum!(
    /// How a person wants to hear of one kind of notification.
    Channel {
        /// In the app only.
        App = "app",
        /// In the app and by email right away.
        Email = "email",
        /// In the app and in one email a day.
        Digest = "digest",
        /// Not at all.
        Off = "off",
    }
);

impl NotificationKind {
    /// The channel of a kind nobody chose one for: decisions about a person and
    /// activity news they must act on go by email, the rest stays in the app.
    pub fn default_channel(self) -> Channel {
        use NotificationKind::*;
        match self {
            JoinApproved | JoinDeclined | Invited | AppointedManager | ExpertInvited
            | ProposalReceived | ProposalAccepted | ActivityPromoted | ActivityReminder
            | ActivityCancelled | SurveyReminder | MeetingRequested | MeetingAccepted
            | MeetingDeclined | MeetingFollowUp | ApplicationInvited | ApplicationDeclined
            | ApplicationSubmitted | ApplicationWithdrawn | ApplicationDecided
            | ConsortiumFounded => Channel::Email,
            _ => Channel::App,
        }
    }

    /// A short sentence for an email subject, in Korean and English.
    pub fn subject(self) -> (&'static str, &'static str) {
        use NotificationKind::*;
        match self {
            JoinRequested => ("가입 신청이 들어왔습니다", "A join request arrived"),
            JoinApproved => ("가입이 승인되었습니다", "Your membership was approved"),
            JoinDeclined => (
                "가입 신청이 반려되었습니다",
                "Your join request was declined",
            ),
            Invited => ("협의체 초대가 왔습니다", "You were invited to a consortium"),
            InvitationAccepted => ("초대가 수락되었습니다", "An invitation was accepted"),
            InvitationDeclined => ("초대가 거절되었습니다", "An invitation was declined"),
            AppointedManager => ("CM으로 지정되었습니다", "You were appointed CM"),
            MemberLeft => ("회원 기관이 탈퇴했습니다", "A member organisation left"),
            AffiliationRequested => (
                "소속 확인 요청이 왔습니다",
                "Someone asks to join your organisation",
            ),
            AffiliationConfirmed => ("소속이 확인되었습니다", "Your affiliation was confirmed"),
            AffiliationDeclined => (
                "소속 확인이 거절되었습니다",
                "Your affiliation was declined",
            ),
            ProblemPosted => (
                "관심 분야에 애로과제가 올라왔습니다",
                "A problem was posted in your field",
            ),
            ExpertInvited => ("애로과제에 초대되었습니다", "You were invited to a problem"),
            NdaAccepted => (
                "전문가가 비밀유지 서약에 동의했습니다",
                "An expert accepted the NDA",
            ),
            QuestionAsked => ("새 질문이 있습니다", "A new question"),
            QuestionAnswered => ("질문에 답변이 달렸습니다", "Your question was answered"),
            ProposalReceived => ("새 제안서가 도착했습니다", "A proposal arrived"),
            ProposalAccepted => ("제안서가 채택되었습니다", "Your proposal was accepted"),
            ProposalNotSelected => (
                "다른 제안서가 선정되었습니다",
                "Another proposal was chosen",
            ),
            StageChanged => ("협력 단계가 바뀌었습니다", "A collaboration moved"),
            OfferReceived => ("협력 제안이 왔습니다", "A collaboration offer arrived"),
            OfferAccepted => ("협력 제안이 수락되었습니다", "Your offer was accepted"),
            OfferDeclined => ("협력 제안이 거절되었습니다", "Your offer was declined"),
            IdeaCommented => ("아이디어에 댓글이 달렸습니다", "A new comment on an idea"),
            IdeaReplied => ("댓글에 답글이 달렸습니다", "Someone replied to you"),
            IdeaStageChanged => ("아이디어 단계가 바뀌었습니다", "An idea moved"),
            ActivityScheduled => (
                "새 네트워킹 활동이 열렸습니다",
                "A new activity was scheduled",
            ),
            ActivityPromoted => ("대기에서 참가 확정되었습니다", "You have a place now"),
            ActivityReminder => ("내일 활동이 있습니다", "Your activity is tomorrow"),
            ActivityCancelled => ("활동이 취소되었습니다", "An activity was cancelled"),
            ActivityMinutes => ("활동 회의록이 올라왔습니다", "Minutes were posted"),
            SurveyReminder => (
                "설문 마감이 다가옵니다",
                "A survey you have not answered closes soon",
            ),
            MeetingRequested => ("상담 요청이 왔습니다", "A meeting request arrived"),
            MeetingAccepted => ("상담 요청이 수락되었습니다", "Your meeting was accepted"),
            MeetingDeclined => ("상담 요청이 거절되었습니다", "Your meeting was declined"),
            MeetingFollowUp => ("상담 결과를 알려 주세요", "What came of your meetings?"),
            ApplicationInvited => (
                "공모 신청에 참여 요청이 왔습니다",
                "You are asked to join an application",
            ),
            ApplicationConfirmed => (
                "참여 기관이 신청 참여를 확인했습니다",
                "A partner confirmed its place",
            ),
            ApplicationDeclined => (
                "참여 기관이 신청 참여를 거절했습니다",
                "A partner declined its place",
            ),
            ApplicationSubmitted => (
                "공모 신청서가 제출되었습니다",
                "An application was submitted",
            ),
            ApplicationWithdrawn => ("공모 신청이 철회되었습니다", "An application was withdrawn"),
            ApplicationDecided => (
                "공모 선정 결과가 나왔습니다",
                "The call's decision on your application",
            ),
            CallPhaseChanged => (
                "신청한 공모의 진행 단계가 바뀌었습니다",
                "A call you applied to moved on",
            ),
            ConsortiumFounded => (
                "선정된 신청으로 협의체가 구성되었습니다",
                "Your selected application founded a consortium",
            ),
        }
    }
}

/// One kind's chosen channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Preference {
    /// Kind.
    pub kind: NotificationKind,
    /// Channel.
    pub channel: Channel,
}

/// Every kind's channel, defaults filled in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Preferences {
    /// One per kind, in [`NotificationKind::ALL`] order.
    pub items: Vec<Preference>,
    /// Where email goes.
    pub email: String,
}

/// Changes to some kinds' channels.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SetPreferences {
    /// The kinds to change.
    pub items: Vec<Preference>,
}

impl crate::Validate for SetPreferences {
    fn validate(&self) -> Result<(), crate::FieldErrors> {
        let mut e = crate::FieldErrors::default();
        if self.items.len() > NotificationKind::ALL.len() {
            e.add(
                "items",
                crate::ErrorCode::TooLong {
                    max: NotificationKind::ALL.len(),
                },
            );
        }
        e.into_result()
    }
}

/// When a digest mail written at `at` goes out: the next 08:00 in Korea.
pub fn digest_due(at: DateTime<Utc>) -> DateTime<Utc> {
    let local = at.with_timezone(&KST);
    let eight = local.date_naive().and_hms_opt(8, 0, 0).unwrap_or_default();
    let mut due = KST.from_local_datetime(&eight).single().unwrap_or(local);
    if due <= local {
        due += Duration::days(1);
    }
    due.with_timezone(&Utc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests_go_at_eight_korea_time() {
        let at = |s: &str| {
            DateTime::parse_from_rfc3339(s)
                .map(|d| d.with_timezone(&Utc))
                .unwrap_or_default()
        };
        // 07:00 KST → 08:00 the same day; 09:00 KST → 08:00 the next.
        assert_eq!(
            digest_due(at("2026-11-29T22:00:00Z")),
            at("2026-11-29T23:00:00Z")
        );
        assert_eq!(
            digest_due(at("2026-11-30T00:00:00Z")),
            at("2026-11-30T23:00:00Z")
        );
    }
}
