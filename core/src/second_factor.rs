//! A second factor: an authenticator app's codes (TOTP, RFC 6238) and the ten
//! single-use recovery codes that stand in when the phone is lost. Signing in to
//! an account that has one takes two steps: the password, then a code.

use crate::{ErrorCode, FieldErrors, Validate, validate::char_len};
use serde::{Deserialize, Serialize};

/// How many recovery codes an account gets at a time.
pub const RECOVERY_CODES: usize = 10;

/// How long the second step of a sign-in may take, in minutes.
pub const SECOND_STEP_MINUTES: i64 = 5;

/// Digits of an authenticator app's code.
pub const TOTP_DIGITS: usize = 6;

/// Characters of a recovery code (without its dashes): 16 of a 32-letter
/// alphabet, 80 bits, so that storing its SHA-256 is safe.
pub const RECOVERY_CODE_LEN: usize = 16;

/// The recovery codes' alphabet: Crockford's base32 (no I, L, O or U; an O typed
/// is read as 0, an I or L as 1).
pub const RECOVERY_ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// The longest code field anyone types (a recovery code with dashes and spaces).
pub const CODE_MAX: usize = 40;

/// An authenticator app's code as typed ("123 456", "123456"): its six digits.
pub fn totp_digits(code: &str) -> Option<String> {
    let digits: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    (digits.len() == TOTP_DIGITS && digits.bytes().all(|b| b.is_ascii_digit())).then_some(digits)
}

/// A recovery code as typed (any case, dashes and spaces anywhere, O for 0,
/// I or L for 1): its characters, upper case, if it can be one.
pub fn recovery_code(code: &str) -> Option<String> {
    let key: String = code
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        })
        .collect();
    (key.len() == RECOVERY_CODE_LEN && key.bytes().all(|b| RECOVERY_ALPHABET.contains(&b)))
        .then_some(key)
}

/// A recovery code as shown: four groups of four.
pub fn format_recovery_code(key: &str) -> String {
    in_fours(key, "-")
}

/// `s` (ASCII: a code or a base32 key) in groups of four joined by `sep`, as
/// people read and type such strings.
pub fn in_fours(s: &str, sep: &str) -> String {
    s.as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(sep)
}

fn check_code(e: &mut FieldErrors, code: &str, recovery_too: bool) {
    if code.trim().is_empty() {
        e.add("code", ErrorCode::Required);
    } else if char_len(code) > CODE_MAX
        || (totp_digits(code).is_none() && !(recovery_too && recovery_code(code).is_some()))
    {
        e.add("code", ErrorCode::WrongCode);
    }
}

/// The account's password, asked for again before its second factor changes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConfirmPassword {
    /// The password in use now.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::password::<{ crate::validate::PASSWORD_MAX }>))]
    pub password: String,
}

impl Validate for ConfirmPassword {
    fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::default();
        e.entered_password("password", &self.password);
        e.into_result()
    }
}

/// An authenticator app being set up: the secret to scan (as a QR code) or type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TotpSetup {
    /// The secret in base32, as apps take it when typed.
    pub secret: String,
    /// The `otpauth://` address the QR code holds.
    pub uri: String,
    /// The QR code, an SVG image.
    pub qr_svg: String,
}

/// A code from the authenticator app, which proves the setup worked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TotpCode {
    /// Six digits.
    pub code: String,
}

impl Validate for TotpCode {
    fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::default();
        check_code(&mut e, &self.code, false);
        e.into_result()
    }
}

/// Recovery codes, shown once (only their hashes are kept).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecoveryCodes {
    /// `XXXX-XXXX-XXXX-XXXX`, each good once.
    pub codes: Vec<String>,
}

/// The account's second factor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SecondFactorStatus {
    /// Since when an authenticator app is asked for at sign-in, if it is.
    pub totp_since: Option<chrono::DateTime<chrono::Utc>>,
    /// Recovery codes not used yet.
    pub recovery_codes_left: i64,
    /// The account's passkeys, the oldest first.
    #[serde(default)]
    pub passkeys: Vec<PasskeyView>,
}

impl SecondFactorStatus {
    /// Whether sign-in asks for a second factor (an app, or a passkey).
    pub fn in_use(&self) -> bool {
        self.totp_since.is_some() || !self.passkeys.is_empty()
    }
}

/// Sign-in's answer (202) when the password was right and the account has a
/// second factor: the ticket for the second step, and what can take it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SecondStep {
    /// Good once, for [`SECOND_STEP_MINUTES`].
    pub ticket: String,
    /// The account has an authenticator app (its codes are asked for).
    #[serde(default)]
    pub app: bool,
    /// The account has a passkey (which can take the step instead).
    #[serde(default)]
    pub passkey: bool,
}

/// The longest name of a passkey, in characters.
pub const PASSKEY_NAME_MAX: usize = 60;

/// How long a passkey ceremony (from its challenge to the authenticator's
/// answer) may take, in minutes.
pub const PASSKEY_CEREMONY_MINUTES: i64 = 5;

/// A passkey of the account (WebAuthn): a phone's or a computer's screen lock,
/// or a security key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasskeyView {
    pub id: i64,
    /// The person's name for it.
    pub name: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// When it last signed in, if it did.
    pub last_used_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// The first half of a passkey ceremony: the options to hand the browser's
/// WebAuthn API (`PublicKeyCredential.parseCreationOptionsFromJSON` or
/// `parseRequestOptionsFromJSON` take `options.publicKey`), and the
/// ceremony's token, which the answer names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasskeyChallenge {
    /// Good once, for [`PASSKEY_CEREMONY_MINUTES`].
    pub ceremony: String,
    /// WebAuthn's `{ "publicKey": … }` in its JSON form (base64url for bytes).
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub options: serde_json::Value,
}

/// A new passkey: the ceremony, a name, and the authenticator's answer
/// (`PublicKeyCredential.toJSON()`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewPasskey {
    pub ceremony: String,
    /// The person's name for it ("내 휴대폰"), one line.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::text::<1, PASSKEY_NAME_MAX>))]
    pub name: String,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub credential: serde_json::Value,
}

fn check_ceremony(e: &mut FieldErrors, ceremony: &str) {
    if ceremony.trim().is_empty() || ceremony.len() > crate::account::TOKEN_MAX {
        e.add("ceremony", ErrorCode::InvalidLink);
    }
}

fn check_credential(e: &mut FieldErrors, credential: &serde_json::Value) {
    if !credential.is_object() {
        e.add("credential", ErrorCode::WrongCode);
    }
}

impl Validate for NewPasskey {
    fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::default();
        check_ceremony(&mut e, &self.ceremony);
        e.text("name", &self.name, 1, PASSKEY_NAME_MAX);
        check_credential(&mut e, &self.credential);
        e.into_result()
    }
}

/// A passkey added: it, and the ten recovery codes when it is the account's
/// first second factor (shown this once; empty otherwise).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasskeyAdded {
    pub passkey: PasskeyView,
    pub recovery_codes: Vec<String>,
}

/// Starts signing in with a passkey: without a ticket the device offers the
/// passkeys it holds for Moim (no password at all); with the ticket of a
/// password sign-in's second step, the account's own passkeys.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasskeySignInStart {
    #[serde(default)]
    pub ticket: Option<String>,
}

impl Validate for PasskeySignInStart {
    fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::default();
        if let Some(t) = &self.ticket
            && (t.trim().is_empty() || t.len() > crate::account::TOKEN_MAX)
        {
            e.add("ticket", ErrorCode::InvalidLink);
        }
        e.into_result()
    }
}

/// Signs in with a passkey: the ceremony and the authenticator's answer
/// (`PublicKeyCredential.toJSON()`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasskeySignIn {
    pub ceremony: String,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub credential: serde_json::Value,
}

impl Validate for PasskeySignIn {
    fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::default();
        check_ceremony(&mut e, &self.ceremony);
        check_credential(&mut e, &self.credential);
        e.into_result()
    }
}

/// The second step of a sign-in: the ticket and a code from the authenticator
/// app or a recovery code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SecondFactor {
    /// From the first step's answer.
    pub ticket: String,
    /// Six digits, or a recovery code.
    pub code: String,
}

/// 회원 탈퇴: the password, and a code from the authenticator app (or a
/// recovery code) when the account has a second factor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CloseAccount {
    /// The password in use now.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::password::<{ crate::validate::PASSWORD_MAX }>))]
    pub password: String,
    /// Six digits or a recovery code; asked for only of an account that has a
    /// second factor (`422 code required` when it is missing there).
    #[serde(default)]
    pub code: Option<String>,
}

impl Validate for CloseAccount {
    fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::default();
        e.entered_password("password", &self.password);
        if let Some(code) = self.code.as_deref().filter(|c| !c.trim().is_empty()) {
            check_code(&mut e, code, true);
        }
        e.into_result()
    }
}

impl Validate for SecondFactor {
    fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::default();
        if self.ticket.trim().is_empty() || self.ticket.len() > crate::account::TOKEN_MAX {
            e.add("ticket", ErrorCode::InvalidLink);
        }
        check_code(&mut e, &self.code, true);
        e.into_result()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_read_as_people_type_them() {
        assert_eq!(totp_digits(" 123 456 ").as_deref(), Some("123456"));
        assert_eq!(totp_digits("12345"), None);
        assert_eq!(
            totp_digits("１２３４５６"),
            None,
            "full-width digits are not ASCII"
        );
        assert_eq!(totp_digits("12345a"), None);
        assert_eq!(
            recovery_code("abcd-efgh-jkmn-pqrs").as_deref(),
            Some("ABCDEFGHJKMNPQRS")
        );
        assert_eq!(
            recovery_code("ABCD EFGH JKMN PQR2").as_deref(),
            Some("ABCDEFGHJKMNPQR2")
        );
        assert_eq!(
            recovery_code("abcd-efgh-jkmn-pqro").as_deref(),
            Some("ABCDEFGHJKMNPQR0"),
            "an O is read as 0"
        );
        assert_eq!(
            recovery_code("ABCD-EFGH-JKMN-PQRU"),
            None,
            "no U in the alphabet"
        );
        assert_eq!(recovery_code("ABCD-EFGH-JKMN"), None);
        assert_eq!(
            format_recovery_code("ABCDEFGHJKMNPQRS"),
            "ABCD-EFGH-JKMN-PQRS"
        );
    }

    #[test]
    fn a_code_field_is_checked_before_anything_else() {
        let second = |code: &str| SecondFactor {
            ticket: "t".into(),
            code: code.into(),
        };
        assert!(second("123456").validate().is_ok());
        assert!(second("abcd-efgh-jkmn-pqrs").validate().is_ok());
        assert!(second("").validate().is_err());
        assert!(second("hello").validate().is_err());
        assert!(
            TotpCode {
                code: "abcd-efgh-jkmn-pqrs".into()
            }
            .validate()
            .is_err(),
            "setting up takes the app's code"
        );
    }
}
