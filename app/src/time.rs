//! Time as people in Korea read and type it: Korea Standard Time (UTC+9, no
//! daylight saving), formatted from the fields (never chrono's strftime engine,
//! which would ship with every page), and "3분 전" for what just happened.

use crate::i18n::{Lang, pick};
use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Timelike, Utc};
use moim_core::KST;

/// A time as people in Korea read it: KST, `2026-11-22 09:30`. Formatted from the
/// fields, not with `format("%…")`, which would ship chrono's strftime engine.
pub fn kst(dt: DateTime<Utc>) -> String {
    let t = dt.with_timezone(&KST);
    format!("{} {:02}:{:02}", kst_date(dt), t.hour(), t.minute())
}

/// A date in KST.
pub fn kst_date(dt: DateTime<Utc>) -> String {
    ymd(kst_day(dt))
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

/// "14:00", Korea time.
pub fn hm(t: DateTime<Utc>) -> String {
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

/// A `YYYY-MM-DD` date (what a date field gives), read as the wire reads one.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    moim_core::wire_time::parse_date(s.trim())
}

/// A date as a date input takes it and the pages show it (`2026-09-01`).
pub fn ymd(d: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

/// Now, from the browser's clock.
pub fn now() -> DateTime<Utc> {
    #[allow(clippy::cast_possible_truncation)]
    let ms = js_sys::Date::now() as i64;
    Utc.timestamp_millis_opt(ms).single().unwrap_or_default()
}

/// "3분 전", "어제": how long ago, as a phone shows it; the date after a week.
pub fn ago(at: DateTime<Utc>, lang: Lang) -> String {
    #[allow(clippy::cast_possible_truncation)]
    let now_ms = js_sys::Date::now() as i64;
    let secs = (now_ms / 1000 - at.timestamp()).max(0);
    let ko = lang == Lang::Ko;
    match secs {
        0..60 => pick(lang, "방금", "just now").to_owned(),
        60..3600 => {
            let m = secs / 60;
            if ko {
                format!("{m}분 전")
            } else {
                format!("{m} min ago")
            }
        }
        3600..86_400 => {
            let h = secs / 3600;
            if ko {
                format!("{h}시간 전")
            } else {
                format!("{h} h ago")
            }
        }
        86_400..604_800 => {
            let d = secs / 86_400;
            if ko {
                format!("{d}일 전")
            } else {
                format!("{d} d ago")
            }
        }
        _ => kst_date(at),
    }
}
