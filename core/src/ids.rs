//! Id newtypes, so a consortium id can never be passed where a user id is meant.

use serde::{Deserialize, Deserializer, Serialize, de};

/// Reads an id or a count: an integer, or a number with no fraction (`2.0`). JSON Schema
/// counts `2.0` as an integer, and so do clients whose numbers are all floats;
/// the OpenAPI document says "integer", so both are taken.
pub(crate) fn whole<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    struct Whole;
    impl de::Visitor<'_> for Whole {
        type Value = i64;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("an integer")
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<i64, E> {
            Ok(v)
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<i64, E> {
            i64::try_from(v).map_err(|_| E::invalid_value(de::Unexpected::Unsigned(v), &self))
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<i64, E> {
            // 2^63 is exact as an f64; every whole f64 below it fits an i64.
            const LIMIT: f64 = 9_223_372_036_854_775_808.0;
            if v.fract() == 0.0 && (-LIMIT..LIMIT).contains(&v) {
                Ok(v as i64)
            } else {
                Err(E::invalid_value(de::Unexpected::Float(v), &self))
            }
        }
    }
    d.deserialize_i64(Whole)
}

/// [`whole`], for an optional field (`#[serde(default, deserialize_with = …)]`).
pub(crate) fn optional_whole<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    #[derive(Deserialize)]
    struct Whole(#[serde(deserialize_with = "whole")] i64);
    Ok(Option::<Whole>::deserialize(d)?.map(|w| w.0))
}

macro_rules! id_type {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(transparent)]
        pub struct $name(
            // The browser reads only ids the server wrote: it keeps serde's own
            // reader (and its first download stays smaller).
            #[cfg_attr(not(target_arch = "wasm32"), serde(deserialize_with = "whole"))]
            pub i64,
        );

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    )*};
}

id_type!(
    /// A person's account.
    UserId,
    /// A firm, university, research institute or support agency.
    OrgId,
    /// An industrial complex (산업단지).
    ComplexId,
    /// A technology field.
    FieldId,
    /// A consortium (산학연협의체 / mini-cluster / theme cluster).
    ConsortiumId,
    /// A request to join a consortium, or an invitation to one.
    JoinRequestId,
    /// An in-app notification.
    NotificationId,
    /// An audit-trail entry.
    AuditId,
    /// An R&D bottleneck problem (애로과제).
    ProblemId,
    /// An expert's proposal for a problem.
    ProposalId,
    /// A collaboration between a firm and an expert.
    CollaborationId,
    /// An idea on the idea board.
    IdeaId,
    /// A comment under an idea.
    CommentId,
    /// A networking activity (seminar, forum, company visit, guest lecture).
    ActivityId,
    /// A survey (설문·성과조사).
    SurveyId,
    /// A partner organisation abroad (해외 협력기관).
    PartnerId,
    /// An agreement (MOU, joint declaration) with a partner abroad.
    PartnerAgreementId,
    /// A call (공모) for theme clusters, consortia or support.
    CallId,
    /// An application (신청) to a call.
    ApplicationId,
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_whole_numbers_written_either_way() {
        assert_eq!(serde_json::from_str::<OrgId>("2").unwrap(), OrgId(2));
        assert_eq!(serde_json::from_str::<OrgId>("2.0").unwrap(), OrgId(2));
        assert_eq!(serde_json::from_str::<OrgId>("-7.0").unwrap(), OrgId(-7));
        assert!(serde_json::from_str::<OrgId>("2.5").is_err());
        assert!(serde_json::from_str::<OrgId>("1e30").is_err());
        assert!(serde_json::from_str::<OrgId>("9223372036854775808").is_err());
        assert!(serde_json::from_str::<OrgId>("\"2\"").is_err());
        assert_eq!(
            serde_json::from_str::<Vec<FieldId>>("[1, 2.0]").unwrap(),
            [FieldId(1), FieldId(2)]
        );
    }
}
