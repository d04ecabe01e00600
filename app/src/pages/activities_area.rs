//! Networking activities and the KPI cockpit share one lazy chunk, one wildcard
//! route and one stylesheet: the schedule (list and month calendar), an
//! activity's page, check-in, the schedule form and the cockpit.

use super::problems_area::path_id;
use crate::i18n::{Lang, pick};
use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Timelike, Utc};
use leptos::prelude::*;
use leptos_router::hooks::use_location;
use moim_core::{
    KST,
    activity::{ActivityKind, RegistrationStatus},
};

#[derive(Clone, Copy, PartialEq)]
enum Page {
    List,
    New,
    Edit,
    Activity,
    CheckIn,
    Cockpit,
    NotFound,
}

#[component]
pub fn ActivitiesArea() -> impl IntoView {
    let path = use_location().pathname;
    let which = Memo::new(move |_| {
        path.with(|p| {
            let parts: Vec<&str> = p.trim_matches('/').split('/').collect();
            let id = |s: &str| s.parse::<i64>().is_ok();
            match parts.as_slice() {
                ["activities"] => Page::List,
                ["activities", "new"] => Page::New,
                ["activities", i] if id(i) => Page::Activity,
                ["activities", i, "edit"] if id(i) => Page::Edit,
                ["activities", i, "check-in"] if id(i) => Page::CheckIn,
                ["cockpit"] => Page::Cockpit,
                _ => Page::NotFound,
            }
        })
    });
    let id = path_id(1);
    let page = move || match which.get() {
        Page::List => view! { <super::activities::ActivitiesPage/> }.into_any(),
        Page::New => view! { <super::activity_form::ScheduleForm id=None/> }.into_any(),
        Page::Edit => {
            view! { <super::activity_form::ScheduleForm id=id.get().map(moim_core::ActivityId)/> }
                .into_any()
        }
        Page::Activity => view! { <super::activity::ActivityPage/> }.into_any(),
        Page::CheckIn => view! { <super::activity::CheckInPage/> }.into_any(),
        Page::Cockpit => view! { <super::cockpit::CockpitPage/> }.into_any(),
        Page::NotFound => view! { <super::NotFoundPage/> }.into_any(),
    };
    view! {
        <link rel="stylesheet" href="/activities.css"/>
        {page}
    }
}

/// A kind as people say it.
pub fn kind_label(k: ActivityKind, lang: Lang) -> &'static str {
    match k {
        ActivityKind::Seminar => pick(lang, "세미나", "Seminar"),
        ActivityKind::Forum => pick(lang, "포럼", "Forum"),
        ActivityKind::CompanyVisit => pick(lang, "기업방문", "Company visit"),
        ActivityKind::GuestLecture => pick(lang, "연사특강", "Guest lecture"),
        ActivityKind::Other => pick(lang, "기타", "Other"),
    }
}

/// Where the caller stands, as a badge says it.
pub fn status_label(s: RegistrationStatus, lang: Lang) -> &'static str {
    match s {
        RegistrationStatus::Registered => pick(lang, "참가 확정", "Registered"),
        RegistrationStatus::Waitlisted => pick(lang, "대기 중", "Waiting list"),
        RegistrationStatus::Cancelled => pick(lang, "신청 취소", "Cancelled"),
    }
}

const WEEKDAYS_KO: [&str; 7] = ["월", "화", "수", "목", "금", "토", "일"];
const WEEKDAYS_EN: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const MONTHS_EN: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// "12월 3일 (목)" / "Thu 3 Dec", in Korea time.
pub fn day_label(d: NaiveDate, lang: Lang) -> String {
    let w = d.weekday().num_days_from_monday() as usize;
    match lang {
        Lang::Ko => format!("{}월 {}일 ({})", d.month(), d.day(), WEEKDAYS_KO[w]),
        Lang::En => format!(
            "{} {} {}",
            WEEKDAYS_EN[w],
            d.day(),
            MONTHS_EN[d.month0() as usize]
        ),
    }
}

/// The Korea-time date of an instant.
pub fn kst_day(t: DateTime<Utc>) -> NaiveDate {
    t.with_timezone(&KST).date_naive()
}

fn hm(t: DateTime<Utc>) -> String {
    let t = t.with_timezone(&KST);
    format!("{:02}:{:02}", t.hour(), t.minute())
}

/// "12월 3일 (목) 14:00–16:00", or across days "12월 3일 (목) 14:00 – 12월 4일 (금) 12:00".
pub fn when(start: DateTime<Utc>, end: DateTime<Utc>, lang: Lang) -> String {
    let (d0, d1) = (kst_day(start), kst_day(end));
    if d0 == d1 {
        format!("{} {}–{}", day_label(d0, lang), hm(start), hm(end))
    } else {
        format!(
            "{} {} – {} {}",
            day_label(d0, lang),
            hm(start),
            day_label(d1, lang),
            hm(end)
        )
    }
}

/// An `<input type="datetime-local">` value (`2026-12-03T14:00`) read as Korea time.
pub fn parse_local(s: &str) -> Option<DateTime<Utc>> {
    let (date, time) = s.trim().split_once('T')?;
    let mut d = date.split('-').map(|p| p.parse::<i32>().ok());
    let (y, m, day) = (d.next()??, d.next()??, d.next()??);
    let mut t = time.split(':').map(|p| p.parse::<u32>().ok());
    let (h, min) = (t.next()??, t.next()??);
    let naive = NaiveDate::from_ymd_opt(y, u32::try_from(m).ok()?, u32::try_from(day).ok()?)?
        .and_hms_opt(h, min, 0)?;
    KST.from_local_datetime(&naive)
        .single()
        .map(|t| t.with_timezone(&Utc))
}

/// The `datetime-local` value of an instant, in Korea time.
pub fn to_local(t: DateTime<Utc>) -> String {
    let k = t.with_timezone(&KST);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}",
        k.year(),
        k.month(),
        k.day(),
        k.hour(),
        k.minute()
    )
}

/// A `YYYY-MM-DD` date.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let mut d = s.trim().split('-').map(|p| p.parse::<u32>().ok());
    let (y, m, day) = (d.next()??, d.next()??, d.next()??);
    NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, day)
}

/// Now, from the browser's clock.
pub fn now() -> DateTime<Utc> {
    #[allow(clippy::cast_possible_truncation)]
    let ms = js_sys::Date::now() as i64;
    Utc.timestamp_millis_opt(ms).single().unwrap_or_default()
}

/// An API error as the activity pages word it: their own conflicts here, the
/// rest as everywhere.
pub fn error_text(e: &crate::api::ClientError, lang: Lang) -> String {
    use moim_core::{ApiError, ConflictCode};
    if let crate::api::ClientError::Api(ApiError::Conflict { code, .. }) = e {
        let text = match code {
            ConflictCode::RegistrationClosed => Some(pick(
                lang,
                "신청이 마감되었습니다.",
                "Registration is closed.",
            )),
            ConflictCode::ActivityFull => {
                Some(pick(lang, "정원이 찼습니다.", "All places are taken."))
            }
            ConflictCode::CheckinClosed => Some(pick(
                lang,
                "지금은 출석 확인 시간이 아닙니다. (행사 1시간 전부터 종료 2시간 후까지)",
                "Check-in is not open now (from an hour before until two hours after).",
            )),
            ConflictCode::NotRegistered => Some(pick(
                lang,
                "참가가 확정된 사람만 출석할 수 있습니다.",
                "Only people with a place can check in.",
            )),
            ConflictCode::NotMember => Some(pick(
                lang,
                "이 활동의 협의체 회원 기관만 신청할 수 있습니다.",
                "Only member organisations of these consortia can register.",
            )),
            _ => None,
        };
        if let Some(t) = text {
            return t.to_owned();
        }
    }
    crate::state::error_text(e, lang)
}
