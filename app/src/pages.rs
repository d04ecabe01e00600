//! One file a page; each page is a lazy route of its own (`lib.rs` holds the
//! route table), cut into its own module by the build and fetched with the page.
//! `core::routes` names the same modules for the server's hints.

mod activities;
mod activity;
mod activity_form;
mod activity_text;
mod admin;
mod board;
mod cockpit;
mod collaborations;
mod consortia;
mod consortium;
mod decision;
mod home;
mod idea;
mod idea_edit;
mod idea_text;
mod idea_vote;
mod ideas;
mod me;
mod not_found;
mod notifications;
mod problem;
mod problem_edit;
mod problem_text;
mod problems;
mod reports;
mod signin;
mod signup;

pub use not_found::NotFoundPage;

use leptos::prelude::*;
use leptos_router::{LazyRoute, lazy_route};

/// Pages whose code is split into a module of their own, loaded with the page.
/// A page with a stylesheet of its own names it; the server names the same one in
/// the HTML of a page opened directly (`core::routes`).
macro_rules! lazy_pages {
    ($($route:ident => $page:path $(, $css:literal)?;)*) => {$(
        pub struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            fn view(_this: Self) -> AnyView {
                $(crate::routing::stylesheet($css);)?
                view! { <$page/> }.into_any()
            }
        }
    )*};
}

lazy_pages! {
    HomeRoute => home::HomePage;
    ConsortiaRoute => consortia::ConsortiaPage;
    ConsortiumRoute => consortium::ConsortiumPage;
    SignInRoute => signin::SignInPage;
    SignUpRoute => signup::SignUpPage;
    NotificationsRoute => notifications::NotificationsPage;
    MeRoute => me::MePage;
    AdminRoute => admin::AdminPage;
    ProblemsRoute => problems::ProblemsPage, "problems.css";
    ProblemRoute => problem::ProblemPage, "problems.css";
    ProblemEditRoute => problem_edit::ProblemEditPage, "problems.css";
    BoardRoute => board::BoardPage, "problems.css";
    CollaborationsRoute => collaborations::CollaborationsPage, "problems.css";
    IdeasRoute => ideas::IdeasPage, "ideas.css";
    IdeaRoute => idea::IdeaPage, "ideas.css";
    IdeaEditRoute => idea_edit::IdeaEditPage, "ideas.css";
    ReportsRoute => reports::ReportsPage, "ideas.css";
    ActivitiesRoute => activities::ActivitiesPage, "activities.css";
    ActivityRoute => activity::ActivityPage, "activities.css";
    ActivityFormRoute => activity_form::ScheduleForm, "activities.css";
    CheckInRoute => activity::CheckInPage, "activities.css";
    CockpitRoute => cockpit::CockpitPage, "activities.css";
}
