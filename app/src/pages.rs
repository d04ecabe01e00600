//! One file a page; each page is cut into a module of its own by the build and
//! fetched with it. Which page an address shows is `core::routes`'s table, which
//! the server reads too (`lib.rs` routes by it).

mod activities;
mod activity;
mod activity_form;
mod activity_guest;
mod activity_manage;
mod activity_text;
mod admin;
mod admin_import;
mod admin_orgs;
mod application;
mod board;
mod call_evaluation;
mod call_form;
mod calls;
mod cockpit;
mod cockpit_headlines;
mod collaborations;
mod consortia;
mod consortium;
mod decision;
mod figures;
mod founding;
mod grant;
mod home;
mod idea;
mod idea_edit;
mod idea_moderation;
mod idea_text;
mod idea_tools;
mod idea_vote;
mod ideas;
mod ledger;
mod matchmaking;
mod me;
mod not_found;
mod notifications;
mod partner_admin;
mod partners;
mod passkeys;
mod privacy;
mod problem;
mod problem_edit;
mod problem_text;
mod problems;
mod recovery;
mod reports;
mod second_factor;
mod security;
mod signin;
mod signup;
mod survey_answer;
mod survey_builder;
mod surveys;

pub use not_found::NotFoundPage;

use leptos::prelude::*;

/// Pages, each in a module of its own (a `#[lazy]` function: the build cuts its
/// code out of the main module), named as `core::routes` names them. A page with
/// a stylesheet of its own adds it; the server names the same one in the HTML of
/// a page opened directly.
macro_rules! pages {
    ($($name:ident => $page:path $(, $css:literal)?;)*) => {
        $(
            #[leptos::lazy]
            fn $name() -> AnyView {
                $(crate::routing::stylesheet($css);)?
                view! { <$page/> }.into_any()
            }
        )*

        /// The page `core::routes` calls `name`, once its module is here.
        pub async fn page(name: &str) -> Option<AnyView> {
            match name {
                $(stringify!($name) => Some($name().await),)*
                _ => None,
            }
        }
    };
}

pages! {
    home_route => home::HomePage;
    consortia_route => consortia::ConsortiaPage;
    consortium_route => consortium::ConsortiumPage;
    sign_in_route => signin::EntryPages, "account.css";
    sign_up_route => signup::JoinPages, "account.css";
    notifications_route => notifications::NotificationsPage;
    me_route => me::AccountPages, "account.css";
    admin_route => admin::AdminPage;
    problems_route => problems::ProblemsPage, "problems.css";
    problem_route => problem::ProblemPage, "problems.css";
    problem_edit_route => problem_edit::ProblemEditPage, "problems.css";
    board_route => board::BoardPage, "problems.css";
    collaborations_route => collaborations::CollaborationsPage, "problems.css";
    ideas_route => ideas::IdeasPage, "ideas.css";
    idea_route => idea::IdeaPage, "ideas.css";
    idea_edit_route => idea_edit::IdeaEditPage, "ideas.css";
    reports_route => reports::ReportsPage, "ideas.css";
    activities_route => activities::ActivitiesPage, "activities.css";
    activity_route => activity::ActivityPage, "activities.css";
    activity_form_route => matchmaking::ActivityTools, "activities.css";
    check_in_route => activity::CheckInPage, "activities.css";
    cockpit_route => cockpit::CockpitPage, "activities.css";
    figures_route => figures::FiguresPage, "activities.css";
    surveys_route => surveys::SurveyPages, "activities.css";
    partners_route => partners::PartnerPages, "activities.css";
    calls_route => calls::CallPages, "activities.css";
    call_forms_route => call_form::CallForms, "activities.css";
}
