//! The idea board: feeds, ideas (posted with their photos in one multipart
//! request), 공감, comments, follows, stages, reports and moderation.

use super::{ClientError, builder, finish, get, send, send_empty};
use gloo_net::http::Method;
use moim_core::{CommentId, IdeaId, idea::*, paths};

pub async fn similar(title: &str) -> Result<Vec<IdeaSummary>, ClientError> {
    get(&paths::similar_ideas(&moim_core::problem::SimilarQuery {
        title: title.to_owned(),
    }))
    .await
}

/// A `data:` URL (how photos wait on the device) as a Blob to upload.
fn data_url_blob(url: &str) -> Option<web_sys::Blob> {
    let (head, b64) = url.split_once(',')?;
    let mime = head.strip_prefix("data:")?.split(';').next()?;
    let bin = web_sys::window()?.atob(b64).ok()?;
    let bytes: Vec<u8> = bin.chars().map(|c| c as u32 as u8).collect();
    let array = js_sys::Uint8Array::from(bytes.as_slice());
    let parts = js_sys::Array::of1(&array);
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &opts).ok()
}

/// Posts an idea with its photos (`data:` URLs) in one request, so a retry with
/// the same idempotency key can never make two.
pub async fn create(idea: &NewIdea, photos: &[String]) -> Result<Created, ClientError> {
    let form = web_sys::FormData::new().map_err(|_| ClientError::Decode)?;
    let json = serde_json::to_string(idea).map_err(|_| ClientError::Decode)?;
    form.append_with_str("idea", &json)
        .map_err(|_| ClientError::Decode)?;
    for (i, p) in photos.iter().enumerate() {
        let blob = data_url_blob(p).ok_or(ClientError::Decode)?;
        form.append_with_blob_and_filename("photo", &blob, &format!("photo-{i}.jpg"))
            .map_err(|_| ClientError::Decode)?;
    }
    let req = builder(Method::POST, "/api/ideas")
        .body(form)
        .map_err(|_| ClientError::Decode)?;
    let res = finish(req.send().await).await?;
    super::read(res).await
}

pub async fn edit(id: IdeaId, e: &EditIdea) -> Result<IdeaView, ClientError> {
    send(Method::PATCH, &format!("/api/ideas/{id}"), e).await
}

pub async fn delete(id: IdeaId) -> Result<(), ClientError> {
    send_empty(Method::DELETE, &format!("/api/ideas/{id}")).await
}

pub async fn vote(id: IdeaId, on: bool) -> Result<VoteState, ClientError> {
    let method = if on { Method::PUT } else { Method::DELETE };
    let res = finish(
        builder(method, &format!("/api/ideas/{id}/vote"))
            .send()
            .await,
    )
    .await?;
    super::read(res).await
}

pub async fn follow(id: IdeaId, on: bool) -> Result<(), ClientError> {
    let method = if on { Method::PUT } else { Method::DELETE };
    send_empty(method, &format!("/api/ideas/{id}/follow")).await
}

pub async fn comment(id: IdeaId, c: &NewComment) -> Result<CommentView, ClientError> {
    send(Method::POST, &format!("/api/ideas/{id}/comments"), c).await
}

pub async fn edit_comment(
    id: IdeaId,
    cid: CommentId,
    body: &str,
) -> Result<CommentView, ClientError> {
    let e = EditComment {
        body: body.to_owned(),
    };
    send(
        Method::PATCH,
        &format!("/api/ideas/{id}/comments/{cid}"),
        &e,
    )
    .await
}

pub async fn delete_comment(id: IdeaId, cid: CommentId) -> Result<(), ClientError> {
    send_empty(Method::DELETE, &format!("/api/ideas/{id}/comments/{cid}")).await
}

pub async fn move_stage(id: IdeaId, m: &MoveIdea) -> Result<IdeaView, ClientError> {
    send(Method::POST, &format!("/api/ideas/{id}/stage"), m).await
}

/// Hides or restores an idea (`comment: None`) or one of its comments.
pub async fn moderate(
    id: IdeaId,
    comment: Option<CommentId>,
    m: &Moderate,
) -> Result<(), ClientError> {
    let path = match comment {
        Some(c) => format!("/api/ideas/{id}/comments/{c}/moderation"),
        None => format!("/api/ideas/{id}/moderation"),
    };
    let req = builder(Method::POST, &path)
        .json(m)
        .map_err(|_| ClientError::Decode)?;
    finish(req.send().await).await.map(|_| ())
}

pub async fn report(id: IdeaId, r: &NewReport) -> Result<(), ClientError> {
    let req = builder(Method::POST, &format!("/api/ideas/{id}/reports"))
        .json(r)
        .map_err(|_| ClientError::Decode)?;
    finish(req.send().await).await.map(|_| ())
}

pub async fn dismiss(report: i64) -> Result<(), ClientError> {
    send_empty(
        Method::POST,
        &format!("/api/ideas/reports/{report}/dismiss"),
    )
    .await
}
