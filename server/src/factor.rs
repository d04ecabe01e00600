//! The second factor's arithmetic: an authenticator app's secret, its QR code
//! and codes (RFC 6238 through `totp-rs`: SHA-1, six digits, 30-second steps,
//! one step either side for a phone's clock), and recovery codes.

use crate::{auth, db, error::AppError};
use argon2::password_hash::rand_core::{OsRng, RngCore};
use chrono::{DateTime, Utc};
use moim_core::{
    UserId,
    second_factor::{
        RECOVERY_ALPHABET, RECOVERY_CODE_LEN, RECOVERY_CODES, TotpSetup, format_recovery_code,
        recovery_code, totp_digits,
    },
};
use totp_rs::{Secret, Totp};

/// The name apps show the account under.
const ISSUER: &str = "Moim";

/// A new secret: 160 random bits (RFC 4226's recommendation), base32.
pub fn new_secret() -> String {
    let mut bytes = [0u8; 20];
    OsRng.fill_bytes(&mut bytes);
    Secret::from(bytes).to_base32()
}

fn totp(secret: &str, account: &str) -> Result<Totp, AppError> {
    let secret = Secret::try_from_base32(secret)
        .map_err(|e| AppError::Internal(format!("a stored TOTP secret is not base32: {e:?}")))?;
    totp_rs::Builder::new()
        .with_secret(secret)
        .with_issuer(Some(ISSUER))
        // A label may not hold a colon (it separates the issuer).
        .with_account_name(account.replace(':', " "))
        .build()
        .map_err(|e| AppError::Internal(format!("totp: {e:?}")))
}

/// What the person scans or types to add the account to their app.
pub fn setup(secret: &str, account: &str) -> Result<TotpSetup, AppError> {
    let uri = totp(secret, account)?
        .to_url()
        .map_err(|e| AppError::Internal(format!("totp url: {e:?}")))?;
    let qr = qrcode::QrCode::with_error_correction_level(uri.as_bytes(), qrcode::EcLevel::M)
        .map_err(|e| AppError::Internal(format!("qr: {e}")))?;
    let qr_svg = qr
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(200, 200)
        .quiet_zone(true)
        .build();
    Ok(TotpSetup {
        secret: secret.to_owned(),
        uri,
        qr_svg,
    })
}

/// The time step a code from the app belongs to, if it is one of the steps
/// around `now` (the previous, this, the next).
pub fn step_of(secret: &str, code: &str, now: DateTime<Utc>) -> Result<Option<i64>, AppError> {
    let Some(digits) = totp_digits(code) else {
        return Ok(None);
    };
    let now = u64::try_from(now.timestamp()).unwrap_or(0);
    Ok(totp(secret, "")?
        .check(&digits, now)
        .and_then(|step| i64::try_from(step).ok()))
}

/// Ten new recovery codes: as shown (once), and their hashes (kept).
pub fn new_recovery_codes() -> (Vec<String>, Vec<String>) {
    (0..RECOVERY_CODES)
        .map(|_| {
            let mut bytes = [0u8; RECOVERY_CODE_LEN];
            OsRng.fill_bytes(&mut bytes);
            let key: String = bytes
                .iter()
                .map(|b| char::from(RECOVERY_ALPHABET[usize::from(b % 32)]))
                .collect();
            let hash = recovery_hash(&key);
            (format_recovery_code(&key), hash)
        })
        .unzip()
}

/// A recovery code's stored form (of its canonical characters).
pub fn recovery_hash(key: &str) -> String {
    auth::token_hash(&format!("recovery:{key}"))
}

/// Checks a second-step code of `user` (whose app, if they have one, has
/// `secret`) and uses it up in `tx`: a code from the app is good once and only
/// after every code used before, a recovery code once. False for anything else.
pub async fn use_code(
    tx: &mut db::Tx,
    user: UserId,
    secret: Option<&str>,
    code: &str,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    if let Some(secret) = secret
        && let Some(step) = step_of(secret, code, now)?
    {
        return Ok(db::factors::accept_step(tx, user, step, None, now).await?);
    }
    match recovery_code(code) {
        Some(key) => {
            let hash = recovery_hash(&key);
            Ok(db::factors::use_recovery_code(tx, user, &hash, now).await?)
        }
        None => Ok(false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_belongs_to_its_step_and_the_steps_around_it() -> Result<(), AppError> {
        let secret = new_secret();
        let app = totp(&secret, "a@b.example")?;
        let t = DateTime::from_timestamp(1_800_000_000, 0).unwrap_or_default();
        let now = 1_800_000_000u64;
        let code = app.generate(now).to_string();
        assert_eq!(step_of(&secret, &code, t)?, Some(60_000_000));
        let late = app.generate(now + 30).to_string();
        assert_eq!(step_of(&secret, &late, t)?, Some(60_000_001));
        let old = app.generate(now - 90).to_string();
        assert_eq!(
            step_of(&secret, &old, t)?,
            None,
            "two steps back is too old"
        );
        assert_eq!(step_of(&secret, "abc", t)?, None);
        Ok(())
    }

    #[test]
    fn recovery_codes_are_random_and_kept_by_hash() {
        let (codes, hashes) = new_recovery_codes();
        assert_eq!(codes.len(), RECOVERY_CODES);
        let mut unique = codes.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), RECOVERY_CODES);
        for (code, hash) in codes.iter().zip(&hashes) {
            let key = recovery_code(code).unwrap_or_default();
            assert_eq!(&recovery_hash(&key), hash, "{code}");
            assert!(!hash.contains(&key));
        }
    }
}
