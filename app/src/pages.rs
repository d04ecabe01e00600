//! One file a route.

mod admin;
mod consortia;
mod consortium;
mod home;
mod me;
mod not_found;
mod notifications;
mod signin;
mod signup;

pub use admin::AdminPage;
pub use consortia::ConsortiaPage;
pub use consortium::ConsortiumPage;
pub use home::HomePage;
pub use me::MePage;
pub use not_found::NotFoundPage;
pub use notifications::NotificationsPage;
pub use signin::SignInPage;
pub use signup::SignUpPage;
