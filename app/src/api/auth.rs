//! Sign-up, sign-in, the signed-in person.

use super::{ClientError, get, send, send_empty};
use gloo_net::http::Method;
use moim_core::{
    UserId,
    account::{Colleague, ConfirmColleague, ExpertProfile, Me, SignIn, SignUp, UpdateAccount},
};

/// The signed-in person, or `None` when nobody is (no 401 noise in the console).
pub async fn session() -> Result<Option<Me>, ClientError> {
    get(moim_core::paths::SESSION).await
}

pub async fn signin(req: &SignIn) -> Result<Me, ClientError> {
    send(Method::POST, "/api/auth/signin", req).await
}

pub async fn signup(req: &SignUp) -> Result<Me, ClientError> {
    send(Method::POST, "/api/auth/signup", req).await
}

pub async fn signout() -> Result<(), ClientError> {
    send_empty(Method::POST, "/api/auth/signout").await
}

pub async fn update_account(req: &UpdateAccount) -> Result<Me, ClientError> {
    send(Method::PUT, "/api/me", req).await
}

pub async fn save_expert_profile(p: &ExpertProfile) -> Result<ExpertProfile, ClientError> {
    send(Method::PUT, "/api/me/expert-profile", p).await
}

pub async fn confirm_colleague(id: UserId, confirm: bool) -> Result<Vec<Colleague>, ClientError> {
    send(
        Method::POST,
        &format!("/api/me/colleagues/{id}"),
        &ConfirmColleague { confirm },
    )
    .await
}
