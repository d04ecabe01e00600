//! Passwords people reach for first, refused at sign-up (NIST SP 800-63B asks for a
//! blocklist instead of composition rules). Kept short enough for the browser bundle:
//! the most common global choices plus the keyboard and Korean-romanised patterns
//! seen in Korean breach lists.

/// Lower-case common passwords of at least eight characters (shorter ones fail on length).
pub const COMMON_PASSWORDS: &[&str] = &[
    "12345678",
    "123456789",
    "1234567890",
    "12341234",
    "11111111",
    "00000000",
    "87654321",
    "88888888",
    "12121212",
    "11223344",
    "123123123",
    "1234567a",
    "123456789a",
    "password",
    "password1",
    "password12",
    "password123",
    "password!",
    "passw0rd",
    "p@ssw0rd",
    "p@ssword",
    "qwertyuiop",
    "qwerty123",
    "qwerty12",
    "qwer1234",
    "qwer1234!",
    "1q2w3e4r",
    "1q2w3e4r!",
    "1q2w3e4r5t",
    "q1w2e3r4",
    "q1w2e3r4t5",
    "1qaz2wsx",
    "zaq12wsx",
    "asdf1234",
    "asdfasdf",
    "asdfghjkl",
    "zxcvbnm1",
    "abcd1234",
    "abc12345",
    "abcdefgh",
    "a1234567",
    "aa123456",
    "iloveyou",
    "iloveyou1",
    "sunshine",
    "princess",
    "football",
    "baseball",
    "welcome1",
    "welcome123",
    "admin123",
    "administrator",
    "letmein1",
    "trustno1",
    "superman",
    "starwars",
    "dragon12",
    "monkey12",
    "master12",
    "whatever",
    "computer",
    "internet",
    "samsung1",
    "samsung123",
    "korea123",
    "korea1234",
    "seoul123",
    "saranghae",
    "saranghae1",
    "sarang12",
    "gkstmf12",
    "dkssud12",
    "tkfkdgo",
    "tkfkdgo1",
    "qkqhdi12",
    "wlsdn123",
    "love1234",
    "moim1234",
    "moimmoim",
    "kicox123",
    "test1234",
    "testtest",
    "changeme",
    "default1",
    "1234qwer",
    "1234abcd",
    "!qaz2wsx",
    "!q2w3e4r",
    "q1w2e3r4!",
    "dltmdwls",
    "rlaalswl",
    "00001111",
    "11112222",
    "147258369",
    "741852963",
    "123454321",
    "01012345678",
    "19800101",
    "19900101",
    "20000101",
    "qwerasdf",
    "asdfqwer",
];

/// True when `password` is on the blocklist, ignoring case and surrounding space.
pub fn is_common(password: &str) -> bool {
    let p = password.trim().to_lowercase();
    COMMON_PASSWORDS.contains(&p.as_str())
}

/// Why a password is easy to guess, as the server's strength estimator (zxcvbn)
/// finds it: what the person is told to avoid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordHint {
    /// A row or short pattern of the keyboard (`qwerty`, `zxcvbn`).
    Keyboard,
    /// One character or group repeated (`aaaaaaaa`, `abcabcabc`).
    Repeated,
    /// A run such as `abcdefgh` or `12345678`.
    Sequence,
    /// A common password, or close to one.
    Common,
    /// A single word, name or surname.
    Word,
    /// A date or a recent year.
    Date,
    /// Nothing in particular, but too few guesses in all: longer is the answer.
    Guessable,
}

impl PasswordHint {
    const ALL: [Self; 7] = [
        Self::Keyboard,
        Self::Repeated,
        Self::Sequence,
        Self::Common,
        Self::Word,
        Self::Date,
        Self::Guessable,
    ];

    /// The code sent in [`crate::ErrorCode::WeakPassword`].
    pub fn code(self) -> &'static str {
        match self {
            Self::Keyboard => "keyboard",
            Self::Repeated => "repeated",
            Self::Sequence => "sequence",
            Self::Common => "common",
            Self::Word => "word",
            Self::Date => "date",
            Self::Guessable => "guessable",
        }
    }

    /// The hint a code names (an unknown code reads as [`Self::Guessable`]).
    pub fn from_code(code: &str) -> Self {
        Self::ALL
            .into_iter()
            .find(|h| h.code() == code)
            .unwrap_or(Self::Guessable)
    }
}

#[cfg(test)]
mod hint_tests {
    use super::PasswordHint;

    #[test]
    fn every_hint_reads_back_from_its_code() {
        for h in PasswordHint::ALL {
            assert_eq!(PasswordHint::from_code(h.code()), h);
        }
        assert_eq!(
            PasswordHint::from_code("new_in_a_later_server"),
            PasswordHint::Guessable
        );
    }
}
