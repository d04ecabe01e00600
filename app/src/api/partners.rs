//! Partners abroad: the register kept by admins, agreements and their signed
//! documents.

use super::{ClientError, send, send_empty, upload_file};
use gloo_net::http::Method;
use moim_core::{
    PartnerAgreementId, PartnerId,
    partner::{AgreementView, PartnerView, SaveAgreement, SavePartner},
    paths,
};

pub async fn create(p: &SavePartner) -> Result<PartnerView, ClientError> {
    send(Method::POST, &paths::partners(&Default::default()), p).await
}

pub async fn update(id: PartnerId, p: &SavePartner) -> Result<PartnerView, ClientError> {
    send(Method::PUT, &paths::partner(id), p).await
}

pub async fn remove(id: PartnerId) -> Result<(), ClientError> {
    send_empty(Method::DELETE, &paths::partner(id)).await
}

pub async fn add_agreement(id: PartnerId, a: &SaveAgreement) -> Result<AgreementView, ClientError> {
    send(Method::POST, &paths::partner_agreements(id), a).await
}

pub async fn update_agreement(
    id: PartnerId,
    aid: PartnerAgreementId,
    a: &SaveAgreement,
) -> Result<AgreementView, ClientError> {
    send(Method::PUT, &paths::partner_agreement(id, aid), a).await
}

pub async fn remove_agreement(id: PartnerId, aid: PartnerAgreementId) -> Result<(), ClientError> {
    send_empty(Method::DELETE, &paths::partner_agreement(id, aid)).await
}

/// Attaches the signed document (replacing the one before).
pub async fn attach(
    id: PartnerId,
    aid: PartnerAgreementId,
    file: &web_sys::File,
) -> Result<AgreementView, ClientError> {
    upload_file(&paths::partner_document(id, aid), file).await
}
