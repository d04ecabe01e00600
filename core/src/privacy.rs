//! Consent to the collection and use of personal information, as Korea's
//! Personal Information Protection Act (개인정보 보호법 §15, §22) asks: the
//! required consent and each optional one given separately, never ticked in
//! advance, each recorded with the version of the privacy policy (개인정보
//! 처리방침) it was given to and when. A new version of the policy asks again.

use crate::{ErrorCode, FieldErrors, Validate};
use serde::{Deserialize, Serialize};

/// The privacy policy in force (its effective date). A person whose last
/// consent was to another version is asked again before they act.
pub const PRIVACY_POLICY_VERSION: &str = "2026-12-06";

/// What a person agrees to: the required collection and use of their personal
/// information under `policy_version`, and the optional news mail.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConsentChoice {
    /// The version of the privacy policy the person was shown.
    #[serde(default)]
    pub policy_version: String,
    /// [필수] The collection and use of personal information.
    #[serde(default)]
    pub privacy: bool,
    /// [선택] News mail: support programmes, events, notices.
    #[serde(default)]
    pub news_mail: bool,
}

impl ConsentChoice {
    /// The required consent given, to the version in force; fields under `prefix`.
    pub fn check(&self, e: &mut FieldErrors, prefix: &str) {
        let field = |f: &str| {
            if prefix.is_empty() {
                f.to_owned()
            } else {
                format!("{prefix}.{f}")
            }
        };
        if !self.privacy {
            e.add(field("privacy"), ErrorCode::Required);
        }
        // A page from before a new version: it is reloaded and shown again.
        if self.policy_version != PRIVACY_POLICY_VERSION {
            e.add(field("policy_version"), ErrorCode::InvalidChoice);
        }
    }
}

impl Validate for ConsentChoice {
    fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::default();
        self.check(&mut e, "");
        e.into_result()
    }
}

/// Giving or withdrawing the optional consent to news mail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewsMail {
    /// Agreed.
    pub news_mail: bool,
}

impl Validate for NewsMail {
    fn validate(&self) -> Result<(), FieldErrors> {
        Ok(())
    }
}

/// One recorded consent: given or withdrawn, to which version, when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConsentRecord {
    /// `privacy` or `news_mail`.
    pub kind: String,
    /// The policy's version.
    pub version: String,
    /// Given (true) or withdrawn.
    pub given: bool,
    /// When.
    pub at: chrono::DateTime<chrono::Utc>,
}

/// A person's consents now, and their history (newest first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Consents {
    /// The version they last agreed to, if any.
    pub policy_version: Option<String>,
    /// The version in force.
    pub current_version: String,
    /// News mail agreed to.
    pub news_mail: bool,
    /// Every consent given or withdrawn.
    pub history: Vec<ConsentRecord>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_required_consent_to_the_version_in_force() {
        let given = ConsentChoice {
            policy_version: PRIVACY_POLICY_VERSION.into(),
            privacy: true,
            news_mail: false,
        };
        assert!(given.validate().is_ok());
        let refused = ConsentChoice {
            privacy: false,
            ..given.clone()
        };
        let mut e = FieldErrors::default();
        refused.check(&mut e, "consents");
        assert_eq!(e.get("consents.privacy"), Some(&ErrorCode::Required));
        let old = ConsentChoice {
            policy_version: "2020-01-01".into(),
            ..given
        };
        assert!(old.validate().is_err());
        assert!(
            ConsentChoice::default().validate().is_err(),
            "nothing is pre-ticked"
        );
    }
}
