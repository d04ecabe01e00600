//! The admins' register of organisations: find one (by name or business
//! number), correct what it registered with, and merge two records of the same
//! organisation into one.

use crate::{
    ComplexId, OrgId,
    account::{NewOrganisation, OrgKind},
    error::{ErrorCode, FieldErrors},
    validate::{QUERY_MAX, Validate},
};
use serde::{Deserialize, Serialize};

/// Query of the admins' organisation search.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct RegisterQuery {
    /// Part of the name, or of the business number (dashes or not).
    #[serde(default)]
    pub q: String,
}

impl Validate for RegisterQuery {
    fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::default();
        e.text("q", &self.q, 1, QUERY_MAX);
        e.into_result()
    }
}

/// An organisation as the admins' register shows it: what it registered with,
/// and how much hangs on it (what a merge would move).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrgRecord {
    /// Id.
    pub id: OrgId,
    /// Kind.
    pub kind: OrgKind,
    /// Name.
    pub name: String,
    /// Business registration number as `123-45-67890` (firms).
    pub business_no: Option<String>,
    /// Complex (firms).
    pub complex_id: Option<ComplexId>,
    /// Its Korean name.
    pub complex_name: Option<String>,
    /// Staff (firms).
    pub headcount: Option<i64>,
    /// Industry (firms).
    pub industry: Option<String>,
    /// The representative's name.
    pub representative: Option<String>,
    /// People with an open account in it.
    pub people: i64,
    /// Consortia it is a member of.
    pub consortia: i64,
    /// Problems it posted (drafts included).
    pub problems: i64,
    /// Fictional sample data.
    pub is_sample: bool,
}

/// The longest reason an admin gives for a correction or a merge.
pub const ADMIN_REASON_MAX: usize = 200;

/// An admin corrects an organisation's registered data. The kind stays (an
/// organisation of the wrong kind is merged into a right one); the rules are
/// sign-up's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CorrectOrg {
    /// The data as it should be.
    pub organisation: NewOrganisation,
    /// Why, for the audit trail.
    pub reason: String,
}

impl Validate for CorrectOrg {
    fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::default();
        self.organisation.check(&mut e, "organisation");
        e.text("reason", &self.reason, 1, ADMIN_REASON_MAX);
        e.into_result()
    }
}

/// An admin merges the organisation of the path into `into`, another record of
/// the same organisation: its people, memberships, requests, problems and
/// history move to `into`, and the record is closed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MergeOrg {
    /// The record that stays.
    pub into: OrgId,
    /// Why, for the audit trail.
    pub reason: String,
}

impl Validate for MergeOrg {
    fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::default();
        e.text("reason", &self.reason, 1, ADMIN_REASON_MAX);
        e.into_result()
    }
}

impl MergeOrg {
    /// The checks that need both records: not itself, the same kind.
    pub fn check_pair(from: (OrgId, OrgKind), into: (OrgId, OrgKind)) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::default();
        if from.0 == into.0 || from.1 != into.1 {
            e.add("into", ErrorCode::NotMergeable);
        }
        e.into_result()
    }
}

/// What a merge moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Merged {
    /// The record that stays.
    pub into: OrgId,
    /// People moved.
    pub people: i64,
    /// Memberships moved (a consortium both were in is not counted: the kept
    /// record's membership stays).
    pub memberships: i64,
    /// Problems moved.
    pub problems: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn firm(name: &str) -> NewOrganisation {
        NewOrganisation {
            kind: OrgKind::Firm,
            name: name.into(),
            business_no: Some("220-81-62517".into()),
            complex_id: Some(ComplexId(1)),
            headcount: Some(40),
            industry: Some("금형".into()),
        }
    }

    #[test]
    fn a_correction_follows_sign_up_rules_and_says_why() {
        let ok = CorrectOrg {
            organisation: firm("(주)한빛정밀"),
            reason: "상호 변경".into(),
        };
        assert!(ok.validate().is_ok());
        let bad = CorrectOrg {
            organisation: NewOrganisation {
                business_no: Some("220-81-62510".into()),
                ..firm("")
            },
            reason: " ".into(),
        };
        let fields: Vec<String> = bad
            .validate()
            .unwrap_err()
            .0
            .into_iter()
            .map(|f| f.field)
            .collect();
        assert_eq!(
            fields,
            ["organisation.name", "organisation.business_no", "reason"]
        );
    }

    #[test]
    fn only_another_record_of_the_same_kind_takes_a_merge() {
        let (a, b) = (OrgId(1), OrgId(2));
        assert!(MergeOrg::check_pair((a, OrgKind::Firm), (b, OrgKind::Firm)).is_ok());
        for (from, into) in [
            ((a, OrgKind::Firm), (a, OrgKind::Firm)),
            ((a, OrgKind::Firm), (b, OrgKind::University)),
        ] {
            let e = MergeOrg::check_pair(from, into).unwrap_err();
            assert_eq!(e.0[0].code, ErrorCode::NotMergeable);
        }
        let m = MergeOrg {
            into: b,
            reason: String::new(),
        };
        assert!(m.validate().is_err());
    }
}
