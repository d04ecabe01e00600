//! Addresses of the API calls a page makes first, built in one place: the app
//! calls them, and the server answers them inside the page it sends for that
//! address (see [`crate::routes`]), which it can only do when both spell the
//! request the same way.

use crate::{
    ActivityId, ConsortiumId, IdeaId, ProblemId,
    activity::ActivityQuery,
    consortium::ConsortiumQuery,
    idea::FeedQuery,
    kpi::KpiQuery,
    problem::ProblemQuery,
    query::{ListQuery, to_query, with_query},
};

/// Who is signed in (`null` when nobody is).
pub const SESSION: &str = "/api/auth/session";
/// The programme's headline numbers.
pub const STATS: &str = "/api/stats";
/// The signed-in person's notifications.
pub const NOTIFICATIONS: &str = "/api/notifications";
/// The signed-in person's collaborations.
pub const COLLABORATIONS: &str = "/api/me/collaborations";

/// A page of the consortium list.
pub fn consortia(q: &ConsortiumQuery) -> String {
    with_query("/api/consortia", &q.to_query())
}

/// One consortium.
pub fn consortium(id: ConsortiumId) -> String {
    format!("/api/consortia/{id}")
}

/// A page of the problem list.
pub fn problems(q: &ProblemQuery) -> String {
    with_query("/api/problems", &q.to_query())
}

/// One problem.
pub fn problem(id: ProblemId) -> String {
    format!("/api/problems/{id}")
}

/// A page of an idea feed.
pub fn ideas(q: &FeedQuery) -> String {
    with_query("/api/ideas", &q.to_query())
}

/// One idea.
pub fn idea(id: IdeaId) -> String {
    format!("/api/ideas/{id}")
}

/// The activity schedule.
pub fn activities(q: &ActivityQuery) -> String {
    with_query("/api/activities", &q.to_query())
}

/// One activity.
pub fn activity(id: ActivityId) -> String {
    format!("/api/activities/{id}")
}

/// The cockpit's report.
pub fn kpi(q: &KpiQuery) -> String {
    with_query("/api/kpi", &to_query(q))
}
