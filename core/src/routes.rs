//! The app's pages: their addresses, the lazily loaded module that draws each,
//! its stylesheets and the API answers it reads first. The app routes by this
//! table, and the server uses it to answer a page's address in one go: it names
//! the page's module and stylesheets in the HTML (so the browser asks for them at
//! once, beside the main module) and sends the first answers inside it. The
//! browser tests open every key route and fail when the page asks for anything
//! these hints missed.

use crate::{
    ActivityId, ConsortiumId, IdeaId, ProblemId, activity::ScheduleQuery,
    consortium::ConsortiumQuery, idea::FeedQuery, kpi::CockpitQuery, paths, problem::ProblemQuery,
    query::ListQuery,
};

/// One page of the app. The app draws `page` for `path` (its router is this
/// table); the server names `page`'s module and `styles` in the HTML it sends for
/// `path`, with the answers to [`first_requests`].
pub struct AppRoute {
    /// The address: literal segments and `:name` parameters.
    pub path: &'static str,
    /// The page's lazily loaded module: the name of its `#[lazy]` function in
    /// `app/src/pages.rs`, which the build names the module after.
    pub page: &'static str,
    /// The page's stylesheets, besides the shell's.
    pub styles: &'static [&'static str],
    /// Modules of the page that only CMs and admins see (its moderation and
    /// management panels): named in the HTML for them alone.
    pub staff: &'static [&'static str],
    /// Modules of the page that only signed-in people see (a problem's questions,
    /// proposals and the firm's tools; what one does on an idea: follow, report,
    /// comment): named in the HTML for them alone. A `staff` module of a route
    /// with one of these is drawn inside it (staff are signed in).
    pub members: &'static [&'static str],
    /// Modules of the page drawn only when the person opens them (a problem's
    /// history and who read it), each with the module it is drawn inside:
    /// never named in the HTML, so they cost no first visit anything.
    pub later: &'static [(&'static str, &'static str)],
}

/// The parameters and query string of a matched address.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RouteParams {
    params: Vec<(&'static str, String)>,
    /// The query string, without `?`.
    pub query: String,
}

impl RouteParams {
    /// A parameter's text.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    /// A parameter that must be a positive number (an id).
    pub fn id(&self, name: &str) -> Option<i64> {
        self.get(name)?.parse().ok().filter(|n| *n > 0)
    }
}

const PROBLEMS_CSS: &[&str] = &["problems.css"];
const IDEAS_CSS: &[&str] = &["ideas.css"];
const ACTIVITIES_CSS: &[&str] = &["activities.css"];
/// Getting in, joining and one's account: the second factor's QR code and
/// recovery codes, the consent table.
const ACCOUNT_CSS: &[&str] = &["account.css"];

/// How many consortia the front page shows.
pub const HOME_CONSORTIA: u32 = 6;

/// The query of the front page's consortium list.
pub fn home_consortia() -> ConsortiumQuery {
    ConsortiumQuery {
        per_page: Some(HOME_CONSORTIA),
        ..Default::default()
    }
}

const fn route(
    path: &'static str,
    page: &'static str,
    styles: &'static [&'static str],
) -> AppRoute {
    AppRoute {
        path,
        page,
        styles,
        staff: &[],
        members: &[],
        later: &[],
    }
}

const fn staff(route: AppRoute, staff: &'static [&'static str]) -> AppRoute {
    AppRoute { staff, ..route }
}

const fn members(route: AppRoute, members: &'static [&'static str]) -> AppRoute {
    AppRoute { members, ..route }
}

const fn later(route: AppRoute, later: &'static [(&'static str, &'static str)]) -> AppRoute {
    AppRoute { later, ..route }
}

/// A problem's signed-in panels for a member or an expert: the questions and
/// an expert's proposal.
pub const PROBLEM_PANELS: &str = "problem_panels";
/// A problem's signed-in panels for its firm and CM: the questions, proposals,
/// matched experts and invitations.
pub const PROBLEM_FIRM: &str = "problem_firm";
/// A problem's records for its firm and CM, drawn when opened: the history
/// (with the CM's note) and who read the details.
pub const PROBLEM_RECORDS: &str = "problem_records";

/// The admins' tools of the partner pages (forms, documents, removal).
const PARTNER_ADMIN: &[&str] = &["partner_admin"];

/// Every page, literal paths before the parameter paths they would also match.
pub const ROUTES: &[AppRoute] = &[
    route("/", "home_route", &[]),
    route("/consortia", "consortia_route", &[]),
    staff(
        route("/consortia/:id", "consortium_route", &[]),
        &["consortium_manage", "consortium_admin"],
    ),
    route("/signin", "sign_in_route", ACCOUNT_CSS),
    route("/signup", "sign_up_route", ACCOUNT_CSS),
    route("/privacy", "sign_up_route", ACCOUNT_CSS),
    route("/notifications", "notifications_route", &[]),
    route("/me", "me_route", ACCOUNT_CSS),
    // Every page of an account is in one module (so is every page of getting in):
    // a module costs the main module a loader of its own.
    route("/me/security", "me_route", ACCOUNT_CSS),
    route("/forgot-password", "sign_in_route", ACCOUNT_CSS),
    route("/reset-password", "sign_in_route", ACCOUNT_CSS),
    route("/verify-email", "sign_in_route", ACCOUNT_CSS),
    route("/admin", "admin_route", &[]),
    route("/problems", "problems_route", PROBLEMS_CSS),
    route("/problems/new", "problem_edit_route", PROBLEMS_CSS),
    route("/problems/board/:id", "board_route", PROBLEMS_CSS),
    route("/problems/:id/edit", "problem_edit_route", PROBLEMS_CSS),
    later(
        members(
            route("/problems/:id", "problem_route", PROBLEMS_CSS),
            &[PROBLEM_PANELS, PROBLEM_FIRM],
        ),
        &[(PROBLEM_RECORDS, PROBLEM_FIRM)],
    ),
    route("/collaborations", "collaborations_route", PROBLEMS_CSS),
    route("/ideas", "ideas_route", IDEAS_CSS),
    route("/ideas/new", "idea_edit_route", IDEAS_CSS),
    route("/ideas/reports", "reports_route", IDEAS_CSS),
    route("/ideas/:id/edit", "idea_edit_route", IDEAS_CSS),
    members(
        staff(
            route("/ideas/:id", "idea_route", IDEAS_CSS),
            &["idea_moderation"],
        ),
        &["idea_tools"],
    ),
    route("/activities", "activities_route", ACTIVITIES_CSS),
    route("/activities/new", "activity_form_route", ACTIVITIES_CSS),
    route(
        "/activities/:id/edit",
        "activity_form_route",
        ACTIVITIES_CSS,
    ),
    route("/activities/:id/check-in", "check_in_route", ACTIVITIES_CSS),
    // The form and the one-to-one meetings share a module (a module costs the
    // main module a loader of its own).
    route(
        "/activities/:id/matchmaking",
        "activity_form_route",
        ACTIVITIES_CSS,
    ),
    later(
        staff(
            route("/activities/:id", "activity_route", ACTIVITIES_CSS),
            &["activity_manage"],
        ),
        // A guest's form and link: for people without an account, on demand.
        &[("activity_guest", "activity_route")],
    ),
    route("/cockpit", "cockpit_route", ACTIVITIES_CSS),
    route("/cockpit/firms", "cockpit_route", ACTIVITIES_CSS),
    // A consortium's fees and donations: the cockpit's module (a module
    // costs the main module a loader of its own).
    route("/consortia/:id/ledger", "cockpit_route", ACTIVITIES_CSS),
    route("/orgs/:id/figures", "figures_route", ACTIVITIES_CSS),
    // Every survey page is in one module (a module costs the main module a
    // loader of its own).
    route("/surveys", "surveys_route", ACTIVITIES_CSS),
    route("/surveys/new", "surveys_route", ACTIVITIES_CSS),
    route("/surveys/:id/edit", "surveys_route", ACTIVITIES_CSS),
    route("/surveys/:id/results", "surveys_route", ACTIVITIES_CSS),
    route("/surveys/:id", "surveys_route", ACTIVITIES_CSS),
    // The register of partners abroad, a partner and the admins' form: one module.
    // The admins' tools are a module of their own, named for staff only.
    route("/partners", "partners_route", ACTIVITIES_CSS),
    staff(
        route("/partners/new", "partners_route", ACTIVITIES_CSS),
        PARTNER_ADMIN,
    ),
    staff(
        route("/partners/:id/edit", "partners_route", ACTIVITIES_CSS),
        PARTNER_ADMIN,
    ),
    staff(
        route("/partners/:id", "partners_route", ACTIVITIES_CSS),
        PARTNER_ADMIN,
    ),
    // The calls and a call: one module. The admins' call form and an
    // application, which carry the questionnaire's editor and fields, share
    // another, so reading a call downloads neither (a module costs the main
    // module a loader of its own).
    route("/calls", "calls_route", ACTIVITIES_CSS),
    route("/calls/new", "call_forms_route", ACTIVITIES_CSS),
    route("/calls/:id/edit", "call_forms_route", ACTIVITIES_CSS),
    // A call's evaluation (the admins' evaluators and ranking, an evaluator's
    // list, their decisions) is drawn for them alone, from a module of its
    // own; so are a call's announced results, for the calls that have them.
    later(
        route("/calls/:id", "calls_route", ACTIVITIES_CSS),
        &[
            ("call_evaluation", "calls_route"),
            ("call_results", "calls_route"),
        ],
    ),
    route("/applications/:id", "call_forms_route", ACTIVITIES_CSS),
];

/// The API requests `route`'s page makes first for these parameters, exactly as
/// it makes them (the session is always asked for and is not listed). Only the
/// server needs this, so it is kept out of the table the app routes by.
pub fn first_requests(route: &AppRoute, p: &RouteParams) -> Vec<String> {
    let id = |f: fn(i64) -> String| p.id("id").map(f).into_iter().collect();
    match (route.page, route.path) {
        ("home_route", _) => vec![paths::STATS.to_owned(), paths::consortia(&home_consortia())],
        ("consortia_route", _) => vec![paths::consortia(&ConsortiumQuery::from_query(&p.query))],
        ("consortium_route", _) => id(|i| paths::consortium(ConsortiumId(i))),
        ("notifications_route", _) => vec![paths::NOTIFICATIONS.to_owned()],
        ("me_route", "/me/security") => vec![
            paths::MY_SECOND_FACTOR.to_owned(),
            paths::MY_SESSIONS.to_owned(),
            paths::MY_CONSENTS.to_owned(),
        ],
        ("problems_route", _) => vec![paths::problems(&ProblemQuery::from_query(&p.query))],
        ("problem_route", _) => id(|i| paths::problem(ProblemId(i))),
        ("board_route", _) => id(|i| paths::board(ConsortiumId(i))),
        ("collaborations_route", _) => vec![paths::COLLABORATIONS.to_owned()],
        ("ideas_route", _) => vec![
            paths::ideas(&FeedQuery::from_query(&p.query)),
            // The filter of a signed-in person's feed (for nobody, a 401 unread).
            paths::IDEA_CONSORTIA.to_owned(),
        ],
        ("idea_route", _) | ("idea_edit_route", "/ideas/:id/edit") => {
            id(|i| paths::idea(IdeaId(i)))
        }
        ("activities_route", _) => vec![paths::activities(
            &ScheduleQuery::from_query(&p.query).to_api(),
        )],
        ("activity_route", _) => id(|i| paths::activity(ActivityId(i))),
        ("activity_form_route", "/activities/:id/matchmaking") => p
            .id("id")
            .map(|i| {
                [
                    paths::activity(ActivityId(i)),
                    paths::matchmaking(ActivityId(i)),
                ]
            })
            .into_iter()
            .flatten()
            .collect(),
        ("figures_route", _) => id(|i| paths::org_figures(crate::OrgId(i))),
        ("partners_route", "/partners") => vec![paths::partners(
            &crate::partner::PartnerQuery::from_query(&p.query),
        )],
        ("partners_route", "/partners/:id" | "/partners/:id/edit") => {
            id(|i| paths::partner(crate::PartnerId(i)))
        }
        ("surveys_route", "/surveys") => vec![paths::SURVEYS.to_owned()],
        ("calls_route", "/calls") => vec![paths::CALLS.to_owned()],
        ("calls_route" | "call_forms_route", "/calls/:id" | "/calls/:id/edit") => {
            id(|i| paths::call(crate::CallId(i)))
        }
        ("call_forms_route", "/applications/:id") => {
            id(|i| paths::application(crate::ApplicationId(i)))
        }
        ("surveys_route", "/surveys/:id/results") => {
            id(|i| paths::survey_results(crate::SurveyId(i)))
        }
        ("surveys_route", "/surveys/:id" | "/surveys/:id/edit") => {
            id(|i| paths::survey(crate::SurveyId(i)))
        }
        ("cockpit_route", "/cockpit/firms") => {
            let q = CockpitQuery::from_query(&p.query);
            vec![paths::headline_firms(
                &q.to_headlines(crate::kst_today()),
                &q.to_firms(),
            )]
        }
        ("cockpit_route", _) => vec![paths::kpi(
            &CockpitQuery::from_query(&p.query).to_api(crate::kst_today()),
        )],
        _ => Vec::new(),
    }
}

/// The members' modules `route`'s page draws for a signed-in visitor (`expert`:
/// with an expert's profile), given the body of its first answer: the route's
/// `members`, but on a problem's page only the panels its access calls for (a
/// firm does not download an expert's proposal form, nor an expert the firm's
/// tools). Only the server needs this.
pub fn members_drawn(route: &AppRoute, first_answer: &str, expert: bool) -> Vec<&'static str> {
    #[derive(serde::Deserialize)]
    struct Problem {
        access: crate::problem::ProblemAccess,
    }
    match route.page {
        "problem_route" => serde_json::from_str::<Problem>(first_answer)
            .ok()
            .and_then(|p| p.access.panels(expert))
            .into_iter()
            .collect(),
        _ => route.members.to_vec(),
    }
}

/// The page for `path` (without the query) and its parameters, if any page has
/// that address. The app's router and the server's page hints both ask this.
pub fn find(path: &str, query: &str) -> Option<(&'static AppRoute, RouteParams)> {
    let parts: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    ROUTES.iter().find_map(|r| {
        let pattern: Vec<&'static str> = r.path.split('/').filter(|s| !s.is_empty()).collect();
        if pattern.len() != parts.len() {
            return None;
        }
        let mut params = Vec::new();
        for (p, s) in pattern.iter().zip(&parts) {
            match p.strip_prefix(':') {
                Some(name) => params.push((name, (*s).to_owned())),
                None if p == s => {}
                None => return None,
            }
        }
        Some((
            r,
            RouteParams {
                params,
                query: query.trim_start_matches('?').to_owned(),
            },
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data(path: &str, query: &str) -> Option<(&'static str, Vec<String>)> {
        find(path, query).map(|(r, p)| (r.page, first_requests(r, &p)))
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
    fn a_problem_names_the_panels_its_access_draws() {
        let (route, _) = find("/problems/3", "").unwrap();
        let drawn = |access: serde_json::Value, expert| {
            members_drawn(
                route,
                &serde_json::json!({ "access": access }).to_string(),
                expert,
            )
        };
        let access = |owner, manager, can_propose, can_discuss| {
            serde_json::json!({"owner": owner, "manager": manager, "invited": false,
                "can_propose": can_propose, "can_discuss": can_discuss})
        };
        assert_eq!(
            drawn(access(true, false, false, true), false),
            [PROBLEM_FIRM]
        );
        assert_eq!(
            drawn(access(false, true, false, true), true),
            [PROBLEM_FIRM]
        );
        assert_eq!(
            drawn(access(false, false, false, true), false),
            [PROBLEM_PANELS]
        );
        assert_eq!(
            drawn(access(false, false, false, false), true),
            [PROBLEM_PANELS]
        );
        assert!(drawn(access(false, false, false, false), false).is_empty());
        assert!(members_drawn(route, "not json", true).is_empty());
        // Other pages draw every one of theirs.
        let (idea, _) = find("/ideas/1", "").unwrap();
        assert_eq!(members_drawn(idea, "{}", false), ["idea_tools"]);
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
                vec![
                    "/api/ideas?sort=rising&tag=%EA%B8%88%ED%98%95".to_owned(),
                    "/api/ideas/consortia".to_owned()
                ]
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
