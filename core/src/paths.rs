//! Addresses of the API's reads, built in one place: the app calls them, and the
//! server answers a page's first ones inside the page it sends for that address
//! (see [`crate::routes`]), which it can only do when both spell the request the
//! same way.

use crate::{
    ActivityId, ConsortiumId, IdeaId, OrgId, ProblemId,
    account::{BusinessLookupQuery, OrgSearch, UserSearch},
    activity::ActivityQuery,
    consortium::ConsortiumQuery,
    idea::FeedQuery,
    kpi::KpiQuery,
    problem::ProblemQuery,
    problem::SimilarQuery,
    query::{ListQuery, to_query, with_query},
};

/// Who is signed in (`null` when nobody is).
pub const SESSION: &str = "/api/auth/session";
/// The programme's headline numbers.
pub const STATS: &str = "/api/stats";
/// The signed-in person's notifications.
pub const NOTIFICATIONS: &str = "/api/notifications";
/// How the signed-in person hears of each kind of notification.
pub const NOTIFICATION_PREFERENCES: &str = "/api/notifications/preferences";
/// The signed-in person's collaborations.
pub const COLLABORATIONS: &str = "/api/me/collaborations";
/// The signed-in person's organisation's join requests and invitations.
pub const MY_REQUESTS: &str = "/api/me/requests";
/// People waiting for the representative to confirm them.
pub const COLLEAGUES: &str = "/api/me/colleagues";
/// The signed-in expert's profile.
pub const EXPERT_PROFILE: &str = "/api/me/expert-profile";
/// The browsers signed in to one's account.
pub const MY_SESSIONS: &str = "/api/me/sessions";
/// Who represents one's organisation, and a hand-over under way.
pub const HANDOVER: &str = "/api/me/handover";
/// One's consents and their record.
pub const MY_CONSENTS: &str = "/api/me/consents";
/// One's second factor (an authenticator app, recovery codes left).
pub const MY_SECOND_FACTOR: &str = "/api/me/second-factor";
/// Collaboration offers sent or received.
pub const OFFERS: &str = "/api/offers";
/// The fields an expert follows.
pub const FOLLOWS: &str = "/api/me/follows";

/// The whole audit trail (admins).
pub const AUDIT: &str = "/api/admin/audit";

/// A consortium's join requests and invitations (its CMs).
pub fn consortium_requests(id: ConsortiumId) -> String {
    format!("/api/consortia/{id}/requests")
}

/// A consortium's audit trail (its CMs).
pub fn consortium_audit(id: ConsortiumId) -> String {
    format!("/api/consortia/{id}/audit")
}

/// Organisations found by name (and kind).
pub fn orgs(q: &OrgSearch) -> String {
    with_query("/api/orgs", &to_query(q))
}

/// A firm's yearly figures, certifications and industry.
pub fn org_figures(id: OrgId) -> String {
    format!("/api/orgs/{id}/figures")
}

/// The surveys the signed-in person answers and manages.
pub const SURVEYS: &str = "/api/surveys";

/// One survey, with the reader's answer.
pub fn survey(id: crate::SurveyId) -> String {
    format!("/api/surveys/{id}")
}

/// Saving the reader's answer to a survey.
pub fn survey_answer(id: crate::SurveyId) -> String {
    format!("/api/surveys/{id}/answer")
}

/// Closing a survey early.
pub fn survey_close(id: crate::SurveyId) -> String {
    format!("/api/surveys/{id}/close")
}

/// A survey's results.
pub fn survey_results(id: crate::SurveyId) -> String {
    format!("/api/surveys/{id}/results")
}

/// A survey's submitted answers as CSV.
pub fn survey_csv(id: crate::SurveyId) -> String {
    format!("/api/surveys/{id}/answers.csv")
}

/// A survey's submitted answers as an XLSX workbook.
pub fn survey_xlsx(id: crate::SurveyId) -> String {
    format!("/api/surveys/{id}/answers.xlsx")
}

/// The calls (공모), and the reader's applications.
pub const CALLS: &str = "/api/calls";

/// One call.
pub fn call(id: crate::CallId) -> String {
    format!("/api/calls/{id}")
}

/// Starting an application to a call.
pub fn call_applications(id: crate::CallId) -> String {
    format!("/api/calls/{id}/applications")
}

/// One application.
pub fn application(id: crate::ApplicationId) -> String {
    format!("/api/applications/{id}")
}

/// Submitting an application.
pub fn application_submit(id: crate::ApplicationId) -> String {
    format!("/api/applications/{id}/submit")
}

/// Withdrawing an application.
pub fn application_withdraw(id: crate::ApplicationId) -> String {
    format!("/api/applications/{id}/withdraw")
}

/// Appointing an evaluator of a call.
pub fn call_evaluators(id: crate::CallId) -> String {
    format!("/api/calls/{id}/evaluators")
}

/// Dismissing evaluator `user` of a call.
pub fn call_evaluator(id: crate::CallId, user: crate::UserId) -> String {
    format!("/api/calls/{id}/evaluators/{user}")
}

/// A call's evaluation: the evaluators and ranking, or the reader's part.
pub fn call_evaluation(id: crate::CallId) -> String {
    format!("/api/calls/{id}/evaluation")
}

/// An evaluator's review of an application.
pub fn application_review(id: crate::ApplicationId) -> String {
    format!("/api/applications/{id}/review")
}

/// The call's admin's decision on an application.
pub fn application_decision(id: crate::ApplicationId) -> String {
    format!("/api/applications/{id}/decision")
}

/// The consortium founded from a selected application (POST).
pub fn application_consortium(id: crate::ApplicationId) -> String {
    format!("/api/applications/{id}/consortium")
}

/// A selected application's agreement (POST).
pub fn application_grant(id: crate::ApplicationId) -> String {
    format!("/api/applications/{id}/grant")
}

/// The payment against milestone `n` (from 1) of an application's grant (PUT).
pub fn milestone_payment(id: crate::ApplicationId, n: usize) -> String {
    format!("/api/applications/{id}/milestones/{n}/payment")
}

/// A consortium's ledger of member fees and donations of `year` (this year
/// when none).
pub fn ledger(c: ConsortiumId, year: Option<i32>) -> String {
    match year {
        Some(y) => format!("/api/consortia/{c}/ledger?year={y}"),
        None => format!("/api/consortia/{c}/ledger"),
    }
}

/// The same as CSV.
pub fn ledger_csv(c: ConsortiumId, year: i32) -> String {
    format!("/api/consortia/{c}/ledger.csv?year={year}")
}

/// A consortium's fee schedule of `year` (PUT).
pub fn fee_schedule(c: ConsortiumId, year: i32) -> String {
    format!("/api/consortia/{c}/ledger/{year}/schedule")
}

/// Where a consortium's invoices of `year` are issued (POST).
pub fn fee_invoices(c: ConsortiumId, year: i32) -> String {
    format!("/api/consortia/{c}/ledger/{year}/invoices")
}

/// An invoice of a consortium (PUT: what became of it).
pub fn fee_invoice(c: ConsortiumId, id: i64) -> String {
    format!("/api/consortia/{c}/invoices/{id}")
}

/// Where a consortium's donations are recorded (POST).
pub fn donations(c: ConsortiumId) -> String {
    format!("/api/consortia/{c}/donations")
}

/// A call's announced results.
pub fn call_results(id: crate::CallId) -> String {
    format!("/api/calls/{id}/results")
}

/// Announcing a call's results.
pub fn call_announce(id: crate::CallId) -> String {
    format!("/api/calls/{id}/announce")
}

/// A partner's representative's answer to an application.
pub fn application_team(id: crate::ApplicationId) -> String {
    format!("/api/applications/{id}/team")
}

/// The firm registered under a business number, if any.
pub fn org_lookup(q: &BusinessLookupQuery) -> String {
    with_query("/api/orgs/lookup", &to_query(q))
}

/// People found by name or email (admins).
pub fn users(q: &UserSearch) -> String {
    with_query("/api/admin/users", &to_query(q))
}

/// Organisations found by name or business number (admins).
pub fn register(q: &crate::registry::RegisterQuery) -> String {
    with_query("/api/admin/orgs", &to_query(q))
}

/// Published problems whose titles resemble one being typed.
pub fn similar_problems(q: &SimilarQuery) -> String {
    with_query("/api/problems/similar", &to_query(q))
}

/// Ideas whose titles resemble one being typed.
pub fn similar_ideas(q: &SimilarQuery) -> String {
    with_query("/api/ideas/similar", &to_query(q))
}

/// A page of the register of partners abroad.
pub fn partners(q: &crate::partner::PartnerQuery) -> String {
    with_query("/api/partners", &q.to_query())
}

/// A partner abroad.
pub fn partner(id: crate::PartnerId) -> String {
    format!("/api/partners/{id}")
}

/// A partner's agreements (where one is recorded).
pub fn partner_agreements(id: crate::PartnerId) -> String {
    format!("/api/partners/{id}/agreements")
}

/// One agreement with a partner.
pub fn partner_agreement(id: crate::PartnerId, agreement: crate::PartnerAgreementId) -> String {
    format!("/api/partners/{id}/agreements/{agreement}")
}

/// An agreement's signed document.
pub fn partner_document(id: crate::PartnerId, agreement: crate::PartnerAgreementId) -> String {
    format!("/api/partners/{id}/agreements/{agreement}/document")
}

/// A page of the consortium list.
pub fn consortia(q: &ConsortiumQuery) -> String {
    with_query("/api/consortia", &q.to_query())
}

/// One consortium.
pub fn consortium(id: ConsortiumId) -> String {
    format!("/api/consortia/{id}")
}

/// A consortium's problems by stage (its CMs).
pub fn board(id: ConsortiumId) -> String {
    format!("/api/consortia/{id}/board")
}

/// A page of the problem list.
pub fn problems(q: &ProblemQuery) -> String {
    with_query("/api/problems", &q.to_query())
}

/// One problem.
pub fn problem(id: ProblemId) -> String {
    format!("/api/problems/{id}")
}

/// A problem's questions and answers.
pub fn problem_messages(id: ProblemId) -> String {
    format!("/api/problems/{id}/messages")
}

/// A problem's proposals (the firm's all; an expert's own).
pub fn problem_proposals(id: ProblemId) -> String {
    format!("/api/problems/{id}/proposals")
}

/// The experts matched to a problem.
pub fn problem_experts(id: ProblemId) -> String {
    format!("/api/problems/{id}/experts")
}

/// The experts invited to a problem.
pub fn problem_invitations(id: ProblemId) -> String {
    format!("/api/problems/{id}/invitations")
}

/// A problem's history.
pub fn problem_history(id: ProblemId) -> String {
    format!("/api/problems/{id}/history")
}

/// Who read a problem's details.
pub fn problem_views(id: ProblemId) -> String {
    format!("/api/problems/{id}/views")
}

/// A page of an idea feed.
pub fn ideas(q: &FeedQuery) -> String {
    with_query("/api/ideas", &q.to_query())
}

/// The consortia whose ideas the signed-in person may see (the feed's filter).
pub const IDEA_CONSORTIA: &str = "/api/ideas/consortia";

/// Open reports on ideas (moderators).
pub const IDEA_REPORTS: &str = "/api/ideas/reports";

/// One idea.
pub fn idea(id: IdeaId) -> String {
    format!("/api/ideas/{id}")
}

/// The activity schedule.
pub fn activities(q: &ActivityQuery) -> String {
    with_query("/api/activities", &q.to_query())
}

/// The people on an activity's list (its managers).
pub fn attendees(id: ActivityId) -> String {
    format!("/api/activities/{id}/attendees")
}

/// The consortia the signed-in person may schedule activities for (and see in
/// the cockpit).
pub const SCHEDULABLE: &str = "/api/activities/schedulable";

/// One activity.
pub fn activity(id: ActivityId) -> String {
    format!("/api/activities/{id}")
}

/// An activity's registration questions, with the caller's answers.
pub fn activity_questions(id: ActivityId) -> String {
    format!("/api/activities/{id}/questions")
}

/// An event's matchmaking (its setup; the caller's profile and meetings).
pub fn matchmaking(id: ActivityId) -> String {
    format!("/api/activities/{id}/matchmaking")
}

/// The cockpit's report.
pub fn kpi(q: &KpiQuery) -> String {
    with_query("/api/kpi", &to_query(q))
}

/// The industry averages kept (and where a file of them is uploaded).
pub const INDUSTRY_AVERAGES: &str = "/api/kpi/industry-averages";

/// The headline numbers.
pub fn headlines(q: &crate::headline::HeadlineQuery) -> String {
    with_query("/api/kpi/headlines", &to_query(q))
}

/// A page of the firms behind a headline figure.
pub fn headline_firms(
    q: &crate::headline::HeadlineQuery,
    f: &crate::headline::FirmsQuery,
) -> String {
    let base = with_query("/api/kpi/headlines/firms", &to_query(q));
    match to_query(f) {
        more if more.is_empty() => base,
        more => format!("{base}&{more}"),
    }
}

/// One table of the headline numbers as CSV.
pub fn headlines_csv(
    q: &crate::headline::HeadlineQuery,
    table: crate::headline::HeadlineTable,
) -> String {
    format!(
        "{}&table={}",
        with_query("/api/kpi/headlines/csv", &to_query(q)),
        table.code()
    )
}

/// `next` as a path of this site to return to after signing in, or `None` when a
/// browser could read it as another site. Browsers drop tabs and line breaks from
/// an address and read `\` as `/`, so `/\evil.example`, `/<TAB>/evil.example` and
/// `//evil.example` all lead away, and `/.//evil.example` resolves to
/// `//evil.example` (which the router would then refuse to push, and fail). Only
/// a path that starts with one `/`, holds no backslash, whitespace or control
/// character, no empty segment and no `.` or `..` segment (`%2e` included) is
/// sure to stay on the page's origin, whatever the browser's parser does.
pub fn return_path(next: &str) -> Option<&str> {
    let path = next.split(['?', '#']).next().unwrap_or_default();
    let dots = |seg: &str| {
        let seg = seg.to_ascii_lowercase().replace("%2e", ".");
        seg == "." || seg == ".."
    };
    let safe = next.starts_with('/')
        && !next
            .chars()
            .any(|c| c == '\\' || c.is_whitespace() || c.is_control())
        && (path == "/" || !path[1..].split('/').any(|seg| seg.is_empty() || dots(seg)));
    safe.then_some(next)
}

#[cfg(test)]
mod return_path_tests {
    use super::return_path;

    #[test]
    fn keeps_paths_of_this_site() {
        for p in [
            "/",
            "/ideas",
            "/problems/3?tab=questions#q2",
            "/a/b%20c",
            "/%EB%AA%A8%EC%9E%84",
        ] {
            assert_eq!(return_path(p), Some(p), "{p}");
        }
    }

    #[test]
    fn refuses_whatever_could_lead_to_another_site() {
        for p in [
            "",
            "ideas",
            "https://evil.example/",
            "//evil.example/x",
            "/\\evil.example/x",
            "/\\\\evil.example/z",
            "\\/evil.example",
            "/\t/evil.example/y",
            "/\n/evil.example",
            "/\r/evil.example",
            " /ideas",
            "/ideas\u{0}",
            "/\u{a0}/evil.example",
            "/ok\\..\\..",
            "/.//evil.example",
            "/..//evil.example",
            "/%2e//evil.example",
            "/%2E%2E//evil.example",
            "/ideas//x",
            "/ideas/",
            "/a/./b",
        ] {
            assert_eq!(return_path(p), None, "{p:?}");
        }
    }
}
