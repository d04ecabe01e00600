//! The app's pages as the server needs to know them to answer a page's address in
//! one go: which lazily loaded module draws the page (so the HTML can ask for it
//! at once, beside the main module), its stylesheets, and the API answers the page
//! reads first (which the server sends inside the HTML). The app's router
//! (`app/src/lib.rs`) declares the same paths; the browser tests open every key
//! route and fail when the page asks for anything these hints missed.

use crate::{
    ActivityId, ConsortiumId, IdeaId, ProblemId, activity::ScheduleQuery,
    consortium::ConsortiumQuery, idea::FeedQuery, kpi::CockpitQuery, paths, problem::ProblemQuery,
    query::ListQuery,
};

/// One page of the app.
pub struct AppRoute {
    /// The address: literal segments and `:name` parameters.
    pub path: &'static str,
    /// The page's lazily loaded module: its lazy route's type name in snake case
    /// (`IdeaRoute` → `idea_route`), as the build names the module.
    pub page: &'static str,
    /// The page's stylesheets, besides the shell's.
    pub styles: &'static [&'static str],
    /// The API requests the page makes first for this address, exactly as it makes
    /// them; the session is always sent and is not listed.
    pub data: fn(&RouteParams<'_>) -> Vec<String>,
}

/// The parameters and query string of a matched address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteParams<'a> {
    params: Vec<(&'static str, &'a str)>,
    /// The query string, without `?`.
    pub query: &'a str,
}

impl RouteParams<'_> {
    /// A parameter's text.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| *v)
    }

    /// A parameter that must be a positive number (an id).
    pub fn id(&self, name: &str) -> Option<i64> {
        self.get(name)?.parse().ok().filter(|n| *n > 0)
    }
}

/// Today in Korea (the cockpit's default period ends today, as the page has it).
fn kst_today() -> chrono::NaiveDate {
    chrono::Utc::now().with_timezone(&crate::KST).date_naive()
}

fn none(_: &RouteParams<'_>) -> Vec<String> {
    Vec::new()
}

const PROBLEMS_CSS: &[&str] = &["problems.css"];
const IDEAS_CSS: &[&str] = &["ideas.css"];
const ACTIVITIES_CSS: &[&str] = &["activities.css"];

/// How many consortia the front page shows.
pub const HOME_CONSORTIA: u32 = 6;

/// The query of the front page's consortium list.
pub fn home_consortia() -> ConsortiumQuery {
    ConsortiumQuery {
        per_page: Some(HOME_CONSORTIA),
        ..Default::default()
    }
}

macro_rules! route {
    ($path:literal, $page:literal, $styles:expr, $data:expr) => {
        AppRoute {
            path: $path,
            page: $page,
            styles: $styles,
            data: $data,
        }
    };
}

/// Every page, literal paths before the parameter paths they would also match.
pub const ROUTES: &[AppRoute] = &[
    route!("/", "home_route", &[], |_| vec![
        paths::STATS.to_owned(),
        paths::consortia(&home_consortia())
    ]),
    route!("/consortia", "consortia_route", &[], |p| vec![
        paths::consortia(&ConsortiumQuery::from_query(p.query))
    ]),
    route!("/consortia/:id", "consortium_route", &[], |p| p
        .id("id")
        .map(|id| paths::consortium(ConsortiumId(id)))
        .into_iter()
        .collect()),
    route!("/signin", "sign_in_route", &[], none),
    route!("/signup", "sign_up_route", &[], none),
    route!("/notifications", "notifications_route", &[], |_| vec![
        paths::NOTIFICATIONS.to_owned()
    ]),
    route!("/me", "me_route", &[], none),
    route!("/admin", "admin_route", &[], none),
    route!("/problems", "problems_route", PROBLEMS_CSS, |p| vec![
        paths::problems(&ProblemQuery::from_query(p.query))
    ]),
    route!("/problems/new", "problem_edit_route", PROBLEMS_CSS, none),
    route!("/problems/board/:id", "board_route", PROBLEMS_CSS, none),
    route!(
        "/problems/:id/edit",
        "problem_edit_route",
        PROBLEMS_CSS,
        none
    ),
    route!("/problems/:id", "problem_route", PROBLEMS_CSS, |p| p
        .id("id")
        .map(|id| paths::problem(ProblemId(id)))
        .into_iter()
        .collect()),
    route!(
        "/collaborations",
        "collaborations_route",
        PROBLEMS_CSS,
        |_| { vec![paths::COLLABORATIONS.to_owned()] }
    ),
    route!("/ideas", "ideas_route", IDEAS_CSS, |p| vec![paths::ideas(
        &FeedQuery::from_query(p.query)
    )]),
    route!("/ideas/new", "idea_edit_route", IDEAS_CSS, none),
    route!("/ideas/reports", "reports_route", IDEAS_CSS, none),
    route!("/ideas/:id/edit", "idea_edit_route", IDEAS_CSS, |p| p
        .id("id")
        .map(|id| paths::idea(IdeaId(id)))
        .into_iter()
        .collect()),
    route!("/ideas/:id", "idea_route", IDEAS_CSS, |p| p
        .id("id")
        .map(|id| paths::idea(IdeaId(id)))
        .into_iter()
        .collect()),
    route!("/activities", "activities_route", ACTIVITIES_CSS, |p| vec![
        paths::activities(&ScheduleQuery::from_query(p.query).to_api())
    ]),
    route!(
        "/activities/new",
        "activity_form_route",
        ACTIVITIES_CSS,
        none
    ),
    route!(
        "/activities/:id/edit",
        "activity_form_route",
        ACTIVITIES_CSS,
        none
    ),
    route!(
        "/activities/:id/check-in",
        "check_in_route",
        ACTIVITIES_CSS,
        none
    ),
    route!("/activities/:id", "activity_route", ACTIVITIES_CSS, |p| p
        .id("id")
        .map(|id| paths::activity(ActivityId(id)))
        .into_iter()
        .collect()),
    route!("/cockpit", "cockpit_route", ACTIVITIES_CSS, |p| vec![
        paths::kpi(&CockpitQuery::from_query(p.query).to_api(kst_today()))
    ]),
];

/// The page for `path` (without the query) and its parameters, if any page has
/// that address.
pub fn find<'a>(path: &'a str, query: &'a str) -> Option<(&'static AppRoute, RouteParams<'a>)> {
    let parts: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    ROUTES.iter().find_map(|r| {
        let pattern: Vec<&'static str> = r.path.split('/').filter(|s| !s.is_empty()).collect();
        if pattern.len() != parts.len() {
            return None;
        }
        let mut params = Vec::new();
        for (p, s) in pattern.iter().zip(&parts) {
            match p.strip_prefix(':') {
                Some(name) => params.push((name, *s)),
                None if p == s => {}
                None => return None,
            }
        }
        Some((r, RouteParams { params, query }))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data(path: &str, query: &str) -> Option<(&'static str, Vec<String>)> {
        find(path, query).map(|(r, p)| (r.page, (r.data)(&p)))
    }

    #[test]
    fn literal_paths_win_over_parameters() {
        assert_eq!(data("/ideas/new", "").map(|d| d.0), Some("idea_edit_route"));
        assert_eq!(
            data("/ideas/reports", "").map(|d| d.0),
            Some("reports_route")
        );
        assert_eq!(
            data("/ideas/12", ""),
            Some(("idea_route", vec!["/api/ideas/12".to_owned()]))
        );
        assert_eq!(
            data("/problems/board/3", "").map(|d| d.0),
            Some("board_route")
        );
        assert_eq!(
            data("/activities/4/check-in", "").map(|d| d.0),
            Some("check_in_route")
        );
    }

    #[test]
    fn unknown_addresses_and_bad_ids() {
        assert!(find("/nowhere", "").is_none());
        assert!(find("/ideas/1/2/3", "").is_none());
        assert_eq!(data("/ideas/abc", ""), Some(("idea_route", vec![])));
        assert_eq!(data("/ideas/-4", ""), Some(("idea_route", vec![])));
        // A trailing slash is the same page.
        assert_eq!(
            data("/consortia/", "").map(|d| d.0),
            Some("consortia_route")
        );
    }

    #[test]
    fn list_queries_are_canonical() {
        assert_eq!(
            data("/consortia", ""),
            Some(("consortia_route", vec!["/api/consortia".to_owned()]))
        );
        // Blank words and the first page are the plain list; order is the type's.
        assert_eq!(
            data("/consortia", "page=1&q=+&region=dongnam"),
            Some((
                "consortia_route",
                vec!["/api/consortia?region=dongnam".to_owned()]
            ))
        );
        assert_eq!(
            data("/ideas", "tag=%EA%B8%88%ED%98%95&sort=rising"),
            Some((
                "ideas_route",
                vec!["/api/ideas?sort=rising&tag=%EA%B8%88%ED%98%95".to_owned()]
            ))
        );
        // A query that does not parse is the plain list, not an error.
        assert_eq!(
            data("/problems", "page=abc"),
            Some(("problems_route", vec!["/api/problems".to_owned()]))
        );
        assert_eq!(
            data("/", ""),
            Some((
                "home_route",
                vec![
                    "/api/stats".to_owned(),
                    "/api/consortia?per_page=6".to_owned()
                ]
            ))
        );
    }
}
