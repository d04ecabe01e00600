//! Instants on the wire: RFC 3339 (`2026-12-01T09:30:00.123Z`), written by
//! chrono and read by the small parser below. Every instant field of the wire
//! types says `#[serde(with = "crate::wire_time")]`, every day
//! `#[serde(with = "crate::wire_time::date")]`: chrono's own reader is a
//! general date parser (formats, week dates, names of months), which would ship
//! with every page of the app that shows a time or a day.

use chrono::{DateTime, NaiveDate, NaiveTime, TimeDelta, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer, de::Error};

/// Writes an instant as chrono does.
pub fn serialize<S: Serializer>(t: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
    t.serialize(s)
}

/// Reads an RFC 3339 instant.
pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
    let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
    parse(&s).ok_or_else(|| D::Error::custom("expected an RFC 3339 time"))
}

/// The same for an optional instant (`null` or absent is `None`).
pub mod option {
    use super::*;

    /// Writes an optional instant as chrono does.
    pub fn serialize<S: Serializer>(t: &Option<DateTime<Utc>>, s: S) -> Result<S::Ok, S::Error> {
        t.serialize(s)
    }

    /// Reads an optional RFC 3339 instant.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<Utc>>, D::Error> {
        match Option::<std::borrow::Cow<'de, str>>::deserialize(d)? {
            None => Ok(None),
            Some(s) => parse(&s)
                .map(Some)
                .ok_or_else(|| D::Error::custom("expected an RFC 3339 time")),
        }
    }
}

/// Days on the wire: `YYYY-MM-DD`, written by chrono, read by [`parse_date`].
pub mod date {
    use super::*;

    /// Writes a day as chrono does.
    pub fn serialize<S: Serializer>(d: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
        d.serialize(s)
    }

    /// Reads a `YYYY-MM-DD` day.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        parse_date(&s).ok_or_else(|| D::Error::custom("expected a YYYY-MM-DD day"))
    }

    /// The same for an optional day (`null` or absent is `None`: give the field
    /// `#[serde(default)]` too).
    pub mod option {
        use super::*;

        /// Writes an optional day as chrono does.
        pub fn serialize<S: Serializer>(d: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
            d.serialize(s)
        }

        /// Reads an optional `YYYY-MM-DD` day.
        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
            match Option::<std::borrow::Cow<'de, str>>::deserialize(d)? {
                None => Ok(None),
                Some(s) => parse_date(&s)
                    .map(Some)
                    .ok_or_else(|| D::Error::custom("expected a YYYY-MM-DD day")),
            }
        }
    }

    /// A change to an optional day: absent keeps it (`None`; give the field
    /// `#[serde(default, skip_serializing_if = "Option::is_none")]` too),
    /// `null` clears it (`Some(None)`), a day sets it.
    pub mod change {
        use super::*;

        /// Writes the day, or `null` to clear it.
        pub fn serialize<S: Serializer>(
            d: &Option<Option<NaiveDate>>,
            s: S,
        ) -> Result<S::Ok, S::Error> {
            d.flatten().serialize(s)
        }

        /// Reads a `YYYY-MM-DD` day or `null` (the field being there).
        pub fn deserialize<'de, D: Deserializer<'de>>(
            d: D,
        ) -> Result<Option<Option<NaiveDate>>, D::Error> {
            super::option::deserialize(d).map(Some)
        }
    }
}

/// The digits of `b` from `from`, `len` of them, as a number.
fn digits(b: &[u8], from: usize, len: usize) -> Option<u32> {
    b.get(from..from + len)?.iter().try_fold(0u32, |n, d| {
        d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0'))
    })
}

/// `YYYY-MM-DD`, exactly.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    date_at(b)
}

/// The `YYYY-MM-DD` that `b` starts with.
fn date_at(b: &[u8]) -> Option<NaiveDate> {
    let year = i32::try_from(digits(b, 0, 4)?).ok()?;
    NaiveDate::from_ymd_opt(year, digits(b, 5, 2)?, digits(b, 8, 2)?)
}

/// `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`; a space may stand for the `T`.
pub fn parse(s: &str) -> Option<DateTime<Utc>> {
    let b = s.as_bytes();
    let num = |from: usize, len: usize| digits(b, from, len);
    let sep = |at: usize, c: &[u8]| b.get(at).is_some_and(|x| c.contains(x));
    if !(sep(4, b"-") && sep(7, b"-") && sep(10, b"Tt ") && sep(13, b":") && sep(16, b":")) {
        return None;
    }
    let date = date_at(b)?;
    let mut i = 19;
    let mut nanos = 0u32;
    if sep(19, b".") {
        i = 20;
        let start = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            if i - start < 9 {
                nanos = nanos * 10 + u32::from(b[i] - b'0');
            }
            i += 1;
        }
        let digits = i - start;
        if digits == 0 {
            return None;
        }
        for _ in digits..9 {
            nanos *= 10;
        }
    }
    let time = NaiveTime::from_hms_nano_opt(num(11, 2)?, num(14, 2)?, num(17, 2)?, nanos)?;
    let offset_secs = match b.get(i)? {
        b'Z' | b'z' if i + 1 == b.len() => 0,
        sign @ (b'+' | b'-') if i + 6 == b.len() && sep(i + 3, b":") => {
            let secs = i64::from(num(i + 1, 2)? * 3600 + num(i + 4, 2)? * 60);
            if *sign == b'+' { secs } else { -secs }
        }
        _ => return None,
    };
    let local = date.and_time(time);
    Some(local.and_utc() - TimeDelta::seconds(offset_secs))
}

#[cfg(test)]
mod tests {
    use super::{parse, parse_date};
    use chrono::{DateTime, NaiveDate, Utc};

    #[test]
    fn days_read_as_chrono_writes_them() {
        for d in ["2026-12-01", "2024-02-29", "0999-01-31"] {
            let chrono: NaiveDate = d.parse().unwrap();
            assert_eq!(parse_date(d), Some(chrono), "{d}");
            assert_eq!(parse_date(&chrono.to_string()), Some(chrono));
        }
        for bad in [
            "",
            "2026-1-01",
            "2026-13-01",
            "2025-02-29",
            "2026-12-01T00:00:00Z",
            " 2026-12-01",
            "2026/12/01",
            "+2026-12-01",
            "２０２６-12-01",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn reads_what_chrono_reads() {
        for s in [
            "2026-12-01T09:30:00Z",
            "2026-12-01T09:30:00.123Z",
            "2026-12-01T09:30:00.123456789Z",
            "2026-12-01T18:30:00+09:00",
            "2026-12-01t09:30:00.5z",
            "1999-02-28 23:59:59-05:30",
        ] {
            let chrono = DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
            assert_eq!(parse(s), Some(chrono), "{s}");
        }
        // What the server writes comes back the same.
        let now = Utc::now();
        let written = serde_json::to_string(&now).unwrap();
        assert_eq!(parse(written.trim_matches('"')), Some(now));
    }

    #[test]
    fn refuses_what_is_not_an_instant() {
        for s in [
            "",
            "2026-12-01",
            "2026-12-01T09:30Z",
            "2026-13-01T09:30:00Z",
            "2026-02-30T09:30:00Z",
            "2026-12-01T24:00:00Z",
            "2026-12-01T09:30:00",
            "2026-12-01T09:30:00.Z",
            "2026-12-01T09:30:00+0900",
            "2026-12-01T09:30:00Zjunk",
            "２０２６-12-01T09:30:00Z",
        ] {
            assert_eq!(parse(s), None, "{s}");
        }
    }
}
