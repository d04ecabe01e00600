//! Calls (공모) and applications: publishing a call, starting, saving,
//! submitting and withdrawing an application, a partner's answer.

use super::{ClientError, send};
use gloo_net::http::Method;
use moim_core::{
    ApplicationId, CallId, UserId,
    call::{
        ApplicationDraft, ApplicationRef, ApplicationView, CallDraft, CallView, StartApplication,
        TeamAnswer,
    },
    evaluation::{AppointEvaluator, EvaluationView, Review},
    grant::{Agree, Pay},
    paths,
    selection::{DecideApplication, FoundConsortium},
};

pub async fn create(d: &CallDraft) -> Result<CallView, ClientError> {
    send(Method::POST, paths::CALLS, d).await
}

pub async fn replace(id: CallId, d: &CallDraft) -> Result<CallView, ClientError> {
    send(Method::PUT, &paths::call(id), d).await
}

pub async fn start(id: CallId, s: &StartApplication) -> Result<ApplicationRef, ClientError> {
    send(Method::POST, &paths::call_applications(id), s).await
}

pub async fn save(id: ApplicationId, d: &ApplicationDraft) -> Result<ApplicationView, ClientError> {
    send(Method::PUT, &paths::application(id), d).await
}

pub async fn submit(id: ApplicationId) -> Result<ApplicationView, ClientError> {
    send(Method::POST, &paths::application_submit(id), &()).await
}

pub async fn withdraw(id: ApplicationId) -> Result<ApplicationView, ClientError> {
    send(Method::POST, &paths::application_withdraw(id), &()).await
}

pub async fn appoint(id: CallId, email: &str) -> Result<EvaluationView, ClientError> {
    let req = AppointEvaluator {
        email: email.to_owned(),
    };
    send(Method::POST, &paths::call_evaluators(id), &req).await
}

pub async fn dismiss(id: CallId, user: UserId) -> Result<EvaluationView, ClientError> {
    send(Method::DELETE, &paths::call_evaluator(id, user), &()).await
}

pub async fn review(id: ApplicationId, r: &Review) -> Result<EvaluationView, ClientError> {
    send(Method::PUT, &paths::application_review(id), r).await
}

pub async fn decide(
    id: ApplicationId,
    d: &DecideApplication,
) -> Result<EvaluationView, ClientError> {
    send(Method::PUT, &paths::application_decision(id), d).await
}

pub async fn announce(id: CallId) -> Result<EvaluationView, ClientError> {
    send(Method::POST, &paths::call_announce(id), &()).await
}

pub async fn answer(id: ApplicationId, confirm: bool) -> Result<ApplicationView, ClientError> {
    send(
        Method::POST,
        &paths::application_team(id),
        &TeamAnswer { confirm },
    )
    .await
}

/// The call's admin founds the consortium a selected application proposed.
pub async fn found(id: ApplicationId, f: &FoundConsortium) -> Result<ApplicationView, ClientError> {
    send(Method::POST, &paths::application_consortium(id), f).await
}

/// The call's admin records a selected application's agreement.
pub async fn agree(id: ApplicationId, a: &Agree) -> Result<ApplicationView, ClientError> {
    send(Method::POST, &paths::application_grant(id), a).await
}

/// The call's admin records a payment against milestone `n` (from 1).
pub async fn pay(id: ApplicationId, n: usize, p: &Pay) -> Result<ApplicationView, ClientError> {
    send(Method::PUT, &paths::milestone_payment(id, n), p).await
}
