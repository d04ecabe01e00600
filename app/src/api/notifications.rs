//! The notification centre.

use super::{ClientError, get, send};
use gloo_net::http::Method;
use moim_core::{NotificationId, notification::UnreadCount};

pub async fn unread() -> Result<UnreadCount, ClientError> {
    get("/api/notifications/unread").await
}

pub async fn mark_read(id: NotificationId) -> Result<UnreadCount, ClientError> {
    send(Method::POST, &format!("/api/notifications/{id}/read"), &()).await
}

pub async fn mark_all_read() -> Result<UnreadCount, ClientError> {
    send(Method::POST, "/api/notifications/read-all", &()).await
}

pub async fn set_preference(
    p: moim_core::notification::Preference,
) -> Result<moim_core::notification::Preferences, ClientError> {
    let body = moim_core::notification::SetPreferences { items: vec![p] };
    send(Method::PUT, "/api/notifications/preferences", &body).await
}
