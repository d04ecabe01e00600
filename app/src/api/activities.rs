//! Networking activities, the calendar feed and the KPI cockpit.

use super::{ClientError, builder, finish, send};
use gloo_net::http::Method;
use moim_core::{
    ActivityId,
    activity::*,
    kpi::{CsvQuery, KpiQuery, KpiTable},
    query::{to_query, with_query},
};

pub async fn create(a: &NewActivity) -> Result<ActivityView, ClientError> {
    send(Method::POST, "/api/activities", a).await
}

pub async fn update(id: ActivityId, a: &NewActivity) -> Result<ActivityView, ClientError> {
    send(Method::PUT, &format!("/api/activities/{id}"), a).await
}

pub async fn cancel(id: ActivityId, note: &CancelNote) -> Result<(), ClientError> {
    let req = builder(Method::POST, &format!("/api/activities/{id}/cancel"))
        .json(note)
        .map_err(|_| ClientError::Decode)?;
    finish(req.send().await).await.map(|_| ())
}

/// Registers (under `category`, when the activity has categories) for an
/// activity that asks no registration questions. The body is a [`Register`]
/// without answers, so the activity's page carries no code for them.
pub async fn register(
    id: ActivityId,
    category: Option<String>,
) -> Result<Registration, ClientError> {
    #[derive(serde::Serialize)]
    struct Chosen {
        category: Option<String>,
    }
    let path = format!("/api/activities/{id}/registration");
    send(Method::POST, &path, &Chosen { category }).await
}

/// Registers with answers to the activity's registration questions.
pub async fn register_answering(id: ActivityId, r: &Register) -> Result<Registration, ClientError> {
    let path = format!("/api/activities/{id}/registration");
    send(Method::POST, &path, r).await
}

/// Cancels one's registration.
pub async fn unregister(id: ActivityId) -> Result<Registration, ClientError> {
    let path = format!("/api/activities/{id}/registration");
    let res = finish(builder(Method::DELETE, &path).send().await).await?;
    super::read(res).await
}

pub async fn open_checkin(id: ActivityId) -> Result<CheckinCode, ClientError> {
    let res = finish(
        builder(Method::POST, &format!("/api/activities/{id}/checkin-code"))
            .send()
            .await,
    )
    .await?;
    super::read(res).await
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

/// Marks someone on the list present or absent: a member by their account, a
/// guest by their registration.
pub async fn mark(
    id: ActivityId,
    person: &Attendee,
    attended: bool,
) -> Result<Vec<Attendee>, ClientError> {
    let path = match (person.user_id, person.guest_id) {
        (Some(user), _) => format!("/api/activities/{id}/attendees/{user}"),
        (None, guest) => format!("/api/activities/{id}/guests/{}", guest.unwrap_or(0)),
    };
    send(Method::PUT, &path, &Attendance { attended }).await
}

/// Registers a guest without an account: a link to confirm is mailed.
pub async fn register_guest(
    id: ActivityId,
    g: &GuestRegistration,
) -> Result<GuestPending, ClientError> {
    send(Method::POST, &format!("/api/activities/{id}/guests"), g).await
}

/// What a guest's link does: `view`, `confirm` or `cancel`.
pub async fn guest(what: &str, token: &str) -> Result<GuestView, ClientError> {
    let body = GuestToken {
        token: token.to_owned(),
    };
    send(Method::POST, &format!("/api/guests/{what}"), &body).await
}

/// A guest checks in with their link and the code on the screen.
pub async fn guest_check_in(token: &str, code: &str) -> Result<GuestView, ClientError> {
    let body = GuestCheckIn {
        token: token.to_owned(),
        code: code.to_owned(),
    };
    send(Method::POST, "/api/guests/check-in", &body).await
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
    super::read(res).await
}

pub async fn calendar_link() -> Result<CalendarFeed, ClientError> {
    let res = finish(builder(Method::POST, "/api/calendar").send().await).await?;
    super::read(res).await
}

/// The CSV download link of one table.
pub fn kpi_csv(q: &KpiQuery, table: KpiTable) -> String {
    with_query(
        "/api/kpi/csv",
        &to_query(&CsvQuery {
            table,
            query: q.clone(),
        }),
    )
}
