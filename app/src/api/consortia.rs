//! Consortia, join requests and invitations.

use super::{ClientError, send, send_empty};
use gloo_net::http::Method;
use moim_core::{ConsortiumId, JoinRequestId, OrgId, UserId, account::PersonRef, consortium::*};

pub async fn create(c: &EditConsortium) -> Result<ConsortiumView, ClientError> {
    send(Method::POST, "/api/consortia", c).await
}

pub async fn update(id: ConsortiumId, c: &EditConsortium) -> Result<ConsortiumView, ClientError> {
    send(Method::PUT, &format!("/api/consortia/{id}"), c).await
}

pub async fn archive(id: ConsortiumId) -> Result<ConsortiumView, ClientError> {
    send(Method::POST, &format!("/api/consortia/{id}/archive"), &()).await
}

pub async fn appoint(id: ConsortiumId, user: UserId) -> Result<Vec<PersonRef>, ClientError> {
    send(
        Method::POST,
        &format!("/api/consortia/{id}/managers"),
        &AppointManager { user_id: user },
    )
    .await
}

pub async fn remove_manager(id: ConsortiumId, user: UserId) -> Result<(), ClientError> {
    send_empty(
        Method::DELETE,
        &format!("/api/consortia/{id}/managers/{user}"),
    )
    .await
}

pub async fn ask_to_join(
    id: ConsortiumId,
    motivation: String,
) -> Result<JoinRequestView, ClientError> {
    send(
        Method::POST,
        &format!("/api/consortia/{id}/requests"),
        &CreateJoinRequest { motivation },
    )
    .await
}

pub async fn invite(
    id: ConsortiumId,
    org_id: OrgId,
    message: String,
) -> Result<JoinRequestView, ClientError> {
    send(
        Method::POST,
        &format!("/api/consortia/{id}/invitations"),
        &CreateInvitation { org_id, message },
    )
    .await
}

pub async fn decide(id: JoinRequestId, d: &Decide) -> Result<JoinRequestView, ClientError> {
    send(Method::POST, &format!("/api/requests/{id}/decision"), d).await
}

pub async fn withdraw(id: JoinRequestId) -> Result<JoinRequestView, ClientError> {
    send(Method::POST, &format!("/api/requests/{id}/withdraw"), &()).await
}

pub async fn leave(id: ConsortiumId) -> Result<(), ClientError> {
    send_empty(Method::DELETE, &format!("/api/consortia/{id}/membership")).await
}

/// A CM sets a year's member fees.
pub async fn set_schedule(
    c: ConsortiumId,
    year: i32,
    s: &moim_core::ledger::FeeSchedule,
) -> Result<moim_core::ledger::Ledger, ClientError> {
    send(Method::PUT, &moim_core::paths::fee_schedule(c, year), s).await
}

/// A CM issues the year's invoices to members that have none.
pub async fn issue_invoices(
    c: ConsortiumId,
    year: i32,
) -> Result<moim_core::ledger::Ledger, ClientError> {
    send(Method::POST, &moim_core::paths::fee_invoices(c, year), &()).await
}

/// A CM records what became of an invoice.
pub async fn settle_invoice(
    c: ConsortiumId,
    id: i64,
    s: &moim_core::ledger::SettleInvoice,
) -> Result<moim_core::ledger::Ledger, ClientError> {
    send(Method::PUT, &moim_core::paths::fee_invoice(c, id), s).await
}

/// A CM records a donation received.
pub async fn donate(
    c: ConsortiumId,
    d: &moim_core::ledger::Donate,
) -> Result<moim_core::ledger::Ledger, ClientError> {
    send(Method::POST, &moim_core::paths::donations(c), d).await
}
