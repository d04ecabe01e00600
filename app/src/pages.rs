//! One file a route.

mod activities;
mod activities_area;
mod activity;
mod activity_form;
mod admin;
mod board;
mod cockpit;
mod collaborations;
mod consortia;
mod consortium;
mod home;
mod idea;
mod idea_edit;
mod idea_outbox;
mod ideas;
mod ideas_area;
mod me;
mod not_found;
mod notifications;
mod problem;
mod problem_edit;
mod problem_text;
mod problems;
mod problems_area;
mod signin;
mod signup;

pub use home::HomePage;
pub use not_found::NotFoundPage;

use leptos::prelude::*;
use leptos_router::{LazyRoute, lazy_route};

/// Routes whose page code is split into a chunk of its own and loaded on first visit.
macro_rules! lazy_pages {
    ($($route:ident => $page:path),* $(,)?) => {$(
        pub struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            fn view(_this: Self) -> AnyView {
                view! { <$page/> }.into_any()
            }
        }
    )*};
}

lazy_pages! {
    ConsortiaRoute => consortia::ConsortiaPage,
    ConsortiumRoute => consortium::ConsortiumPage,
    SignInRoute => signin::SignInPage,
    SignUpRoute => signup::SignUpPage,
    NotificationsRoute => notifications::NotificationsPage,
    MeRoute => me::MePage,
    AdminRoute => admin::AdminPage,
    ProblemsRoute => problems_area::ProblemsArea,
    IdeasRoute => ideas_area::IdeasArea,
    ActivitiesRoute => activities_area::ActivitiesArea,
}
