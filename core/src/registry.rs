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
    #[cfg_attr(feature = "openapi", param(min_length = 1, max_length = 100))]
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
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::text::<1, ADMIN_REASON_MAX>))]
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
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::text::<1, ADMIN_REASON_MAX>))]
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

code_enum!(
    /// What is wrong with a cell (or the file) of an import.
    ImportIssue {
        /// A cell that must be filled is empty.
        Required = "required",
        /// Longer than the field takes.
        TooLong = "too_long",
        /// A control character (a line break inside a cell, say).
        ControlCharacters = "control_characters",
        /// Not an email address.
        InvalidEmail = "invalid_email",
        /// Not a valid 사업자등록번호 (ten digits with the right check digit).
        InvalidBusinessNumber = "invalid_business_number",
        /// Not one of 기업, 대학, 연구기관, 지원기관 (or firm, university, institute, agency).
        UnknownKind = "unknown_kind",
        /// No industrial complex of that name.
        UnknownComplex = "unknown_complex",
        /// No open consortium of that name.
        UnknownConsortium = "unknown_consortium",
        /// The address is on an earlier line of the file.
        DuplicateEmail = "duplicate_email",
        /// The address has an account with another organisation.
        EmailElsewhere = "email_elsewhere",
        /// Several open organisations have that name and kind (give the business number).
        AmbiguousOrganisation = "ambiguous_organisation",
        /// The organisation is on an earlier line with another kind or complex.
        ConflictingOrganisation = "conflicting_organisation",
        /// A header the import does not know (a typo would lose a column).
        UnknownColumn = "unknown_column",
        /// A column the import needs is missing.
        MissingColumn = "missing_column",
        /// Not a CSV or XLSX file that can be read.
        Unreadable = "unreadable",
        /// No rows under the header.
        Empty = "empty",
        /// More rows than one import takes.
        TooManyRows = "too_many_rows",
        /// Not a number.
        NotANumber = "not_a_number",
        /// A number outside what the column takes (a year to come, a growth
        /// below -100 %).
        OutOfRange = "out_of_range",
        /// Not a KSIC division (two digits, 01-99).
        InvalidKsic = "invalid_ksic",
        /// The same industry and year are on an earlier line.
        DuplicateRow = "duplicate_row",
    }
);

/// Rows one import takes at most (the programme's ~8,300 member organisations
/// with their people fit in a few files).
pub const IMPORT_ROWS_MAX: usize = 10_000;

/// The columns of an import file, by their headers (Korean or English, any case).
/// One row is a person of an organisation, or an organisation alone (no name
/// and email); an organisation on several rows is one organisation.
pub const IMPORT_COLUMNS: &[(&str, &str, bool)] = &[
    // (Korean header, English header, required)
    ("기관명", "organisation", true),
    ("기관유형", "kind", false),
    ("사업자등록번호", "business_no", false),
    ("산업단지", "complex", false),
    ("협의체", "consortia", false),
    ("이름", "name", false),
    ("이메일", "email", false),
    ("부서", "department", false),
];

/// One problem of an import: where (line of the file, 1 being the header, and
/// column header; 0 and "" for the file itself) and what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportProblem {
    /// Line of the file (1 is the header row).
    pub line: u32,
    /// The column's header as the file has it.
    pub column: String,
    /// What is wrong.
    pub issue: ImportIssue,
    /// The cell's content (cut to 100 characters).
    pub value: String,
}

/// What an import found (a dry run) or did: counts of what is new and what was
/// there already (an import run twice finds everything there the second time),
/// and every problem. Nothing is written while there is a problem.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportReport {
    /// True when the import was written (never for a dry run).
    pub imported: bool,
    /// Rows read under the header.
    pub rows: u32,
    /// Organisations to create (or created).
    pub organisations_new: u32,
    /// Organisations already registered.
    pub organisations_existing: u32,
    /// People to invite (or invited).
    pub people_new: u32,
    /// People already with their organisation.
    pub people_existing: u32,
    /// Memberships to create, approved (or created).
    pub memberships_new: u32,
    /// Memberships already there.
    pub memberships_existing: u32,
    /// Every problem, in file order.
    pub problems: Vec<ImportProblem>,
}

/// Query of an import: a dry run (the default) reports and writes nothing.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct ImportQuery {
    /// `false` to write; anything else only checks.
    #[serde(default = "yes")]
    pub dry_run: bool,
}

fn yes() -> bool {
    true
}

impl Validate for ImportQuery {
    fn validate(&self) -> Result<(), FieldErrors> {
        Ok(())
    }
}

/// The kind an import cell names: the Korean label or the code.
pub fn import_kind(cell: &str) -> Option<OrgKind> {
    let c = cell.trim().to_lowercase();
    Some(match c.as_str() {
        "" | "기업" | "firm" => OrgKind::Firm,
        "대학" | "대학교" | "university" => OrgKind::University,
        "연구기관" | "연구소" | "institute" => OrgKind::Institute,
        "지원기관" | "agency" => OrgKind::Agency,
        _ => return None,
    })
}

/// The checks of one cell that need nothing but the cell: `Some(issue)` when it
/// is wrong. `max` characters; `required` refuses an empty cell.
pub fn import_text(cell: &str, max: usize, required: bool) -> Option<ImportIssue> {
    let mut e = FieldErrors::default();
    e.text("c", cell, usize::from(required), max);
    e.0.first().map(|f| match f.code {
        ErrorCode::ControlCharacters => ImportIssue::ControlCharacters,
        ErrorCode::Required | ErrorCode::TooShort { .. } => ImportIssue::Required,
        _ => ImportIssue::TooLong,
    })
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
