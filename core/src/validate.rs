//! Validation rules, written once and run by both the browser (as the user types)
//! and the server (before anything touches the database).

use crate::error::{ErrorCode, FieldErrors};

/// A request that can check itself.
pub trait Validate {
    /// Every field error of this request, or `Ok`.
    fn validate(&self) -> Result<(), FieldErrors>;
}

/// Longest email address accepted (RFC 5321 path limit).
pub const EMAIL_MAX: usize = 254;
/// Shortest password accepted (NIST SP 800-63B).
pub const PASSWORD_MIN: usize = 8;
/// Longest password accepted; long enough for passphrases.
pub const PASSWORD_MAX: usize = 128;
/// Longest person name.
pub const PERSON_NAME_MAX: usize = 50;
/// Longest organisation name.
pub const ORG_NAME_MAX: usize = 100;
/// Longest department or lab name.
pub const DEPARTMENT_MAX: usize = 100;
/// Longest industry description of a firm.
pub const INDUSTRY_MAX: usize = 60;
/// Largest headcount accepted for a firm.
pub const HEADCOUNT_MAX: i64 = 1_000_000;
/// Shortest motivation for a join request.
pub const MOTIVATION_MIN: usize = 10;
/// Longest motivation for a join request or message of an invitation.
pub const MOTIVATION_MAX: usize = 1000;
/// Longest reason given with a decision.
pub const REASON_MAX: usize = 500;
/// Longest consortium name.
pub const CONSORTIUM_NAME_MAX: usize = 100;
/// Longest consortium description.
pub const DESCRIPTION_MAX: usize = 4000;
/// Longest expert bio.
pub const BIO_MAX: usize = 1000;
/// Longest list of expert fields or keywords.
pub const KEYWORDS_MAX: usize = 20;
/// Longest single keyword.
pub const KEYWORD_MAX: usize = 30;
/// Longest lab equipment description.
pub const EQUIPMENT_MAX: usize = 1000;
/// Longest search text.
pub const QUERY_MAX: usize = 100;

/// Length as people count it: characters, not bytes (한글 is 3 bytes a syllable).
pub fn char_len(s: &str) -> usize {
    s.chars().count()
}

impl FieldErrors {
    /// A required one-line text (a name, a title) of `min..=max` characters after
    /// trimming: no control character at all, line breaks and tabs included, so
    /// it cannot add a line to a mail or an `.ics` file it is written into.
    pub fn text(&mut self, field: &str, value: &str, min: usize, max: usize) {
        self.checked(field, value, min, max, has_control(value));
    }

    /// An optional one-line text: empty is fine, otherwise at most `max` characters.
    pub fn optional_text(&mut self, field: &str, value: Option<&str>, max: usize) {
        if let Some(v) = value {
            self.checked(field, v, 0, max, has_control(v));
        }
    }

    /// A required multi-line text (a description, a comment) of `min..=max`
    /// characters after trimming: line breaks (`\n`) are its only control character.
    pub fn paragraphs(&mut self, field: &str, value: &str, min: usize, max: usize) {
        self.checked(field, value, min, max, has_control_but_newline(value));
    }

    /// An optional multi-line text.
    pub fn optional_paragraphs(&mut self, field: &str, value: Option<&str>, max: usize) {
        if let Some(v) = value {
            self.checked(field, v, 0, max, has_control_but_newline(v));
        }
    }

    /// The shortest is counted once trimmed (spaces alone are not a name); the
    /// longest as sent, as a form field's `maxlength` and the OpenAPI
    /// document's `maxLength` count.
    fn checked(&mut self, field: &str, value: &str, min: usize, max: usize, control: bool) {
        let len = char_len(value.trim());
        if control {
            self.add(field, ErrorCode::ControlCharacters);
        } else if len == 0 && min > 0 {
            self.add(field, ErrorCode::Required);
        } else if len < min {
            self.add(field, ErrorCode::TooShort { min });
        } else if char_len(value) > max {
            self.add(field, ErrorCode::TooLong { max });
        }
    }

    /// An integer within `min..=max`.
    pub fn range(&mut self, field: &str, value: i64, min: i64, max: i64) {
        if !(min..=max).contains(&value) {
            self.add(field, ErrorCode::OutOfRange { min, max });
        }
    }

    /// A list of short words: at most `KEYWORDS_MAX` of at most `KEYWORD_MAX` characters.
    pub fn keywords(&mut self, field: &str, words: &[String]) {
        if words.len() > KEYWORDS_MAX {
            self.add(field, ErrorCode::TooLong { max: KEYWORDS_MAX });
        } else if words.iter().any(|w| char_len(w.trim()) > KEYWORD_MAX) {
            self.add(field, ErrorCode::TooLong { max: KEYWORD_MAX });
        } else if words.iter().any(|w| has_control(w)) {
            self.add(field, ErrorCode::ControlCharacters);
        } else if words.iter().any(|w| w.trim().is_empty()) {
            self.add(field, ErrorCode::Required);
        }
    }

    /// A key the client makes once per request it may retry: 1–64 letters, digits
    /// or dashes (a UUID fits).
    pub fn idempotency_key(&mut self, field: &str, key: &str) {
        let k = key.trim();
        if k.is_empty() || k.len() > 64 || !k.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        {
            self.add(field, ErrorCode::InvalidChoice);
        }
    }

    /// An email address (see [`is_email`]).
    pub fn email(&mut self, field: &str, value: &str) {
        let v = value.trim();
        if v.is_empty() {
            self.add(field, ErrorCode::Required);
        } else if char_len(v) > EMAIL_MAX {
            self.add(field, ErrorCode::TooLong { max: EMAIL_MAX });
        } else if !is_email(v) {
            self.add(field, ErrorCode::InvalidEmail);
        }
    }

    /// A password typed to prove who one is (signing in, or before a change to
    /// the account): present and not absurdly long. Whether it is right, and
    /// how strong a new one is, are other checks.
    pub fn entered_password(&mut self, field: &str, value: &str) {
        if value.is_empty() {
            self.add(field, ErrorCode::Required);
        } else if char_len(value) > PASSWORD_MAX {
            self.add(field, ErrorCode::TooLong { max: PASSWORD_MAX });
        }
    }
}

/// Any control character: what a one-line field refuses. Line breaks in a name or
/// a title would arrive as extra lines in other people's mail (a fake `Bcc:` or
/// "바로 가기" line) and a lone CR ends a line of an `.ics` file; NUL is refused by
/// PostgreSQL. The Unicode line and paragraph separators and the bidirectional
/// overrides count too: some mail programs break lines at the first, and the
/// others make text read differently from what it is.
pub fn has_control(s: &str) -> bool {
    s.chars().any(is_control)
}

/// A control character other than `\n` and `\t`: what a multi-line field refuses.
/// The browser sends a textarea's line breaks as `\n`; a tab comes with a table
/// pasted from a spreadsheet and is harmless (mail and `.ics` writers flatten it).
pub fn has_control_but_newline(s: &str) -> bool {
    s.chars()
        .any(|c| is_control(c) && !matches!(c, '\n' | '\t'))
}

/// A character no one-line text may hold (see [`has_control`]).
pub fn is_control(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// The email form Moim accepts: `local@domain.tld`, no spaces, one `@`.
/// Deliberately loose: the only real proof of an address is mail reaching it.
pub fn is_email(s: &str) -> bool {
    let mut parts = s.split('@');
    let (Some(local), Some(domain), None) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    !local.is_empty()
        && !s.chars().any(|c| c.is_whitespace() || c.is_control())
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
}

/// Emails compare case-insensitively and without surrounding space.
pub fn normalize_email(s: &str) -> String {
    s.trim().to_lowercase()
}

/// The ten digits of a business registration number (사업자등록번호), from
/// `123-45-67890`, `1234567890` or with spaces; `None` unless exactly ten digits.
pub fn business_number_digits(s: &str) -> Option<[u8; 10]> {
    let mut digits = [0u8; 10];
    let mut n = 0;
    for c in s.chars() {
        match c {
            '-' | ' ' => {}
            '0'..='9' if n < 10 => {
                digits[n] = c as u8 - b'0';
                n += 1;
            }
            _ => return None,
        }
    }
    (n == 10).then_some(digits)
}

/// True when the tenth digit is the check digit of the first nine: weights
/// 1,3,7,1,3,7,1,3,5; the ninth digit's ×5 product adds its tens digit too;
/// check = (10 − sum mod 10) mod 10.
pub fn is_business_number(s: &str) -> bool {
    const WEIGHTS: [u32; 9] = [1, 3, 7, 1, 3, 7, 1, 3, 5];
    let Some(d) = business_number_digits(s) else {
        return false;
    };
    let mut sum: u32 = d.iter().zip(WEIGHTS).map(|(&d, w)| u32::from(d) * w).sum();
    sum += u32::from(d[8]) * 5 / 10;
    (10 - sum % 10) % 10 == u32::from(d[9])
}

/// The stored form `1234567890`, or `None` if `s` is not ten digits.
pub fn plain_business_number(s: &str) -> Option<String> {
    let d = business_number_digits(s)?;
    Some(d.iter().map(|d| char::from(b'0' + d)).collect())
}

/// The display form `123-45-67890`, or `None` if `s` is not ten digits.
pub fn format_business_number(s: &str) -> Option<String> {
    let t = plain_business_number(s)?;
    Some(format!("{}-{}-{}", &t[..3], &t[3..5], &t[5..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn business_numbers() {
        let cases = [
            ("220-81-62517", true),
            ("2208162517", true),
            ("124-81-00998", true),
            ("124 81 00998", true),
            ("124-81-00997", false),  // wrong check digit
            ("124-81-0099", false),   // nine digits
            ("124-81-009981", false), // eleven digits
            ("12a-81-00998", false),
            ("", false),
            ("000-00-00000", true), // all zeros: check digit 0 is consistent
            ("106-81-51510", true),
            ("105-87-59990", false),
        ];
        for (input, valid) in cases {
            assert_eq!(is_business_number(input), valid, "{input}");
        }
    }

    #[test]
    fn ninth_digit_tens_are_added() {
        // d9 = 9: 9×5 = 45 adds 4; without that rule the check digit would be 2, not 8.
        assert!(is_business_number("124-81-00998"));
        assert!(!is_business_number("124-81-00992"));
    }

    #[test]
    fn business_number_format() {
        assert_eq!(
            format_business_number("2208162517").as_deref(),
            Some("220-81-62517")
        );
        assert_eq!(
            format_business_number("220-8162-517").as_deref(),
            Some("220-81-62517")
        );
        assert_eq!(format_business_number("22081625"), None);
    }

    #[test]
    fn emails() {
        let cases = [
            ("kim@example.kr", true),
            ("a.b+c@sub.example.co.kr", true),
            ("김철수@회사.한국", true),
            ("no-at.example.kr", false),
            ("two@@example.kr", false),
            ("a@b@example.kr", false),
            ("@example.kr", false),
            ("kim@localhost", false),
            ("kim@.example.kr", false),
            ("kim@example..kr", false),
            ("kim lee@example.kr", false),
        ];
        for (input, valid) in cases {
            assert_eq!(is_email(input), valid, "{input}");
        }
    }

    #[test]
    fn text_lengths_count_characters() {
        let mut e = FieldErrors::default();
        e.text("a", "   ", 1, 5);
        e.text("b", "한국산업단지", 1, 5);
        e.text("c", "한국산업", 1, 5);
        e.text("d", "짧다", 5, 10);
        assert_eq!(e.get("a"), Some(&ErrorCode::Required));
        assert_eq!(e.get("b"), Some(&ErrorCode::TooLong { max: 5 }));
        assert_eq!(e.get("c"), None);
        assert_eq!(e.get("d"), Some(&ErrorCode::TooShort { min: 5 }));
        e.text("e", "이름\u{0}", 1, 5);
        e.optional_paragraphs("f", Some("줄\n바꿈"), 5);
        assert_eq!(e.get("e"), Some(&ErrorCode::ControlCharacters));
        assert_eq!(e.get("f"), None);
    }

    #[test]
    fn one_line_fields_refuse_every_control_character() {
        for bad in [
            "김\n민수",
            "제목\r\nBcc: x@evil.example",
            "이름\r",
            "탭\t",
            "\u{7f}",
            "\u{85}다음 줄",
        ] {
            let mut e = FieldErrors::default();
            e.text("name", bad, 1, 50);
            e.optional_text("note", Some(bad), 50);
            assert_eq!(
                e.get("name"),
                Some(&ErrorCode::ControlCharacters),
                "{bad:?}"
            );
            assert_eq!(
                e.get("note"),
                Some(&ErrorCode::ControlCharacters),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn multi_line_fields_take_line_breaks_only() {
        let mut e = FieldErrors::default();
        e.paragraphs("ok", "첫 줄\n둘째 줄\n\n셋째", 1, 50);
        e.paragraphs("cr", "첫 줄\r\n둘째 줄", 1, 50);
        e.optional_paragraphs("tab", Some("품목\t수량\n금형\t2"), 50);
        e.optional_paragraphs("sep", Some("a\u{2029}b"), 50);
        assert_eq!(e.get("ok"), None);
        assert_eq!(e.get("cr"), Some(&ErrorCode::ControlCharacters));
        assert_eq!(e.get("tab"), None, "a pasted table keeps its tabs");
        assert_eq!(e.get("sep"), Some(&ErrorCode::ControlCharacters));
    }
}
