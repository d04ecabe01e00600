//! Networking activities, the calendar feed and the KPI cockpit.

use super::{ClientError, builder, enc, finish, get, send};
use gloo_net::http::Method;
use moim_core::{
    ActivityId, UserId,
    activity::*,
    idea::ConsortiumTag,
    kpi::{KpiQuery, KpiReport, KpiTable},
};

/// The list's query string.
pub fn query_string(q: &ActivityQuery) -> String {
    let mut parts = Vec::new();
    if let Some(c) = q.consortium {
        parts.push(format!("consortium={c}"));
    }
    if let Some(r) = q.region.as_deref().filter(|r| !r.is_empty()) {
        parts.push(format!("region={}", enc(r)));
    }
    if let Some(f) = q.from {
        parts.push(format!("from={}", enc(&f.to_rfc3339())));
    }
    if let Some(t) = q.to {
        parts.push(format!("to={}", enc(&t.to_rfc3339())));
    }
    if q.mine {
        parts.push("mine=true".into());
    }
    parts.join("&")
}

pub async fn list(q: &ActivityQuery) -> Result<Vec<ActivitySummary>, ClientError> {
    get(&format!("/api/activities?{}", query_string(q))).await
}

pub async fn schedulable() -> Result<Vec<ConsortiumTag>, ClientError> {
    get("/api/activities/schedulable").await
}

pub async fn get_one(id: ActivityId) -> Result<ActivityView, ClientError> {
    get(&format!("/api/activities/{id}")).await
}

pub async fn create(a: &NewActivity) -> Result<ActivityView, ClientError> {
    send(Method::POST, "/api/activities", a).await
}

pub async fn update(id: ActivityId, a: &NewActivity) -> Result<ActivityView, ClientError> {
    send(Method::PUT, &format!("/api/activities/{id}"), a).await
}

pub async fn cancel(id: ActivityId, note: &str) -> Result<(), ClientError> {
    let req = builder(Method::POST, &format!("/api/activities/{id}/cancel"))
        .json(&serde_json::json!({ "note": note }))
        .map_err(|_| ClientError::Decode)?;
    finish(req.send().await).await.map(|_| ())
}

pub async fn register(id: ActivityId, on: bool) -> Result<Registration, ClientError> {
    let method = if on { Method::POST } else { Method::DELETE };
    let res = finish(
        builder(method, &format!("/api/activities/{id}/registration"))
            .send()
            .await,
    )
    .await?;
    res.json().await.map_err(|_| ClientError::Decode)
}

pub async fn attendees(id: ActivityId) -> Result<Vec<Attendee>, ClientError> {
    get(&format!("/api/activities/{id}/attendees")).await
}

pub async fn open_checkin(id: ActivityId) -> Result<CheckinCode, ClientError> {
    let res = finish(
        builder(Method::POST, &format!("/api/activities/{id}/checkin-code"))
            .send()
            .await,
    )
    .await?;
    res.json().await.map_err(|_| ClientError::Decode)
}

pub async fn check_in(id: ActivityId, code: &str) -> Result<ActivityView, ClientError> {
    send(
        Method::POST,
        &format!("/api/activities/{id}/check-in"),
        &CheckIn {
            code: code.to_owned(),
        },
    )
    .await
}

pub async fn mark(
    id: ActivityId,
    user: UserId,
    attended: bool,
) -> Result<Vec<Attendee>, ClientError> {
    send(
        Method::PUT,
        &format!("/api/activities/{id}/attendees/{user}"),
        &Attendance { attended },
    )
    .await
}

pub async fn minutes(id: ActivityId, text: &str) -> Result<ActivityView, ClientError> {
    send(
        Method::PUT,
        &format!("/api/activities/{id}/minutes"),
        &Minutes {
            minutes: text.to_owned(),
        },
    )
    .await
}

/// Uploads photos as multipart `photo` parts.
pub async fn photos(
    id: ActivityId,
    files: &web_sys::FileList,
) -> Result<ActivityView, ClientError> {
    let form = web_sys::FormData::new().map_err(|_| ClientError::Decode)?;
    for i in 0..files.length() {
        if let Some(f) = files.get(i) {
            form.append_with_blob_and_filename("photo", &f, &f.name())
                .map_err(|_| ClientError::Decode)?;
        }
    }
    let req = builder(Method::POST, &format!("/api/activities/{id}/photos"))
        .body(form)
        .map_err(|_| ClientError::Decode)?;
    let res = finish(req.send().await).await?;
    res.json().await.map_err(|_| ClientError::Decode)
}

pub async fn calendar_link() -> Result<CalendarFeed, ClientError> {
    let res = finish(builder(Method::POST, "/api/calendar").send().await).await?;
    res.json().await.map_err(|_| ClientError::Decode)
}

/// The cockpit's query string.
pub fn kpi_query(q: &KpiQuery) -> String {
    let mut s = format!("from={}&to={}", q.from, q.to);
    if let Some(c) = q.consortium {
        s.push_str(&format!("&consortium={c}"));
    }
    if let Some(c) = q.complex {
        s.push_str(&format!("&complex={c}"));
    }
    if let Some(r) = q.region.as_deref().filter(|r| !r.is_empty()) {
        s.push_str(&format!("&region={}", enc(r)));
    }
    s
}

pub async fn kpi(q: &KpiQuery) -> Result<KpiReport, ClientError> {
    get(&format!("/api/kpi?{}", kpi_query(q))).await
}

/// The CSV download link of one table.
pub fn kpi_csv(q: &KpiQuery, table: KpiTable) -> String {
    format!("/api/kpi/csv?table={}&{}", table.code(), kpi_query(q))
}
