//! Problems, matching, invitations, questions, proposals, collaborations, offers.

use super::{ClientError, builder, finish, get, send, send_empty};
use gloo_net::http::Method;
use moim_core::{CollaborationId, ProblemId, ProposalId, UserId, paths, problem::*};

pub async fn similar(title: &str) -> Result<Vec<ProblemSummary>, ClientError> {
    get(&paths::similar_problems(&SimilarQuery {
        title: title.to_owned(),
    }))
    .await
}

pub async fn create(p: &ProblemInput) -> Result<ProblemView, ClientError> {
    send(Method::POST, "/api/problems", p).await
}

pub async fn update(id: ProblemId, p: &ProblemInput) -> Result<ProblemView, ClientError> {
    send(Method::PUT, &format!("/api/problems/{id}"), p).await
}

pub async fn close(id: ProblemId) -> Result<ProblemView, ClientError> {
    send(Method::POST, &format!("/api/problems/{id}/close"), &()).await
}

pub async fn annotate(id: ProblemId, note: &str) -> Result<(), ClientError> {
    let req = builder(Method::POST, &format!("/api/problems/{id}/notes"))
        .json(&Annotate {
            note: note.to_owned(),
        })
        .map_err(|_| ClientError::Decode)?;
    finish(req.send().await).await.map(|_| ())
}

pub async fn invite(
    id: ProblemId,
    expert: UserId,
    message: &str,
) -> Result<Vec<InvitationView>, ClientError> {
    send(
        Method::POST,
        &format!("/api/problems/{id}/invitations"),
        &InviteExpert {
            expert_id: expert,
            message: message.to_owned(),
        },
    )
    .await
}

pub async fn accept_nda(id: ProblemId) -> Result<ProblemView, ClientError> {
    send(Method::POST, &format!("/api/problems/{id}/nda"), &()).await
}

pub async fn post_message(id: ProblemId, m: &NewMessage) -> Result<Vec<MessageView>, ClientError> {
    send(Method::POST, &format!("/api/problems/{id}/messages"), m).await
}

pub async fn propose(id: ProblemId, p: &NewProposal) -> Result<ProposalView, ClientError> {
    send(Method::POST, &format!("/api/problems/{id}/proposals"), p).await
}

pub async fn accept(
    id: ProposalId,
    instrument: Option<HelpKind>,
) -> Result<CollaborationView, ClientError> {
    send(
        Method::POST,
        &format!("/api/proposals/{id}/accept"),
        &AcceptProposal { instrument },
    )
    .await
}

pub async fn withdraw(id: ProposalId) -> Result<ProposalView, ClientError> {
    send(Method::POST, &format!("/api/proposals/{id}/withdraw"), &()).await
}

pub async fn move_stage(
    id: CollaborationId,
    m: &MoveStage,
) -> Result<CollaborationView, ClientError> {
    send(Method::POST, &format!("/api/collaborations/{id}/stage"), m).await
}

pub async fn set_follows(f: &FieldFollow) -> Result<FieldFollow, ClientError> {
    send(Method::PUT, "/api/me/follows", f).await
}

pub async fn offer(o: &NewOffer) -> Result<OfferView, ClientError> {
    send(Method::POST, "/api/offers", o).await
}

pub async fn decide_offer(id: i64, d: &DecideOffer) -> Result<OfferView, ClientError> {
    send(Method::POST, &format!("/api/offers/{id}/decision"), d).await
}

/// Uploads one file as multipart form data; the browser sets the boundary.
pub async fn upload(id: ProblemId, file: &web_sys::File) -> Result<AttachmentView, ClientError> {
    super::upload_file(&format!("/api/problems/{id}/attachments"), file).await
}

pub async fn delete_attachment(id: ProblemId, attachment: i64) -> Result<(), ClientError> {
    send_empty(
        Method::DELETE,
        &format!("/api/problems/{id}/attachments/{attachment}"),
    )
    .await
}
