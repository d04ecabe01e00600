//! Bringing the programme's existing members in from an admin's file: what
//! each row means (an organisation, found by its business number or else by
//! its name and kind; a person of it; its consortia), checked against the
//! register, then written in one transaction. A dry run checks in the same
//! transaction and rolls it back, so what it reports is what an import would
//! do. Importing a file again finds everything there and changes nothing.

use super::{
    Db, Tx,
    audit::{self, Subject},
    recovery::{self, AccountMail},
    requests,
    users::{self, NewUser, OrgTarget},
    with_tx,
};
use crate::import::Problems;
use crate::{error::DbError, import::Sheet};
use chrono::{DateTime, Duration, Utc};
use moim_core::{
    ComplexId, ConsortiumId, OrgId, UserId,
    account::{OrgKind, Role},
    consortium::AuditAction,
    reference::Reference,
    registry::{IMPORT_COLUMNS, ImportIssue, ImportReport, import_kind, import_text},
    validate::{
        DEPARTMENT_MAX, EMAIL_MAX, ORG_NAME_MAX, PERSON_NAME_MAX, is_business_number, is_email,
        normalize_email, plain_business_number,
    },
};
use std::collections::{BTreeSet, HashMap, HashSet};

/// How long an imported person's link to set their password works.
pub const INVITE_DAYS: i64 = 14;

/// The password hash of an account whose person has not set one yet: no
/// password matches it (`auth::verify_password`), and their first reset mail
/// is worded as an invitation.
pub const NO_PASSWORD: &str = "!invited";

struct PlanOrg {
    kind: OrgKind,
    name: String,
    business_no: Option<String>,
    complex: Option<ComplexId>,
    existing: Option<OrgId>,
    consortia: BTreeSet<ConsortiumId>,
    people: Vec<PlanPerson>,
}

struct PlanPerson {
    email: String,
    name: String,
    department: Option<String>,
}

/// Checks `sheet` and, unless `dry_run` or a problem was found, imports it:
/// new organisations, their people (confirmed, each mailed a link to set a
/// password), approved memberships, one audit entry.
pub async fn run(
    db: &Db,
    sheet: &Sheet,
    reference: &Reference,
    admin: UserId,
    dry_run: bool,
    now: DateTime<Utc>,
) -> Result<ImportReport, DbError> {
    let mut report = ImportReport {
        rows: u32::try_from(sheet.rows.len()).unwrap_or(u32::MAX),
        ..Default::default()
    };
    let mut problems = Problems::default();
    let at = crate::import::columns(&sheet.header, IMPORT_COLUMNS, &mut problems);
    if !problems.0.is_empty() {
        report.problems = problems.0;
        return Ok(report);
    }

    let mut tx = db.begin().await?;
    let consortia = open_consortia(&mut tx).await?;
    let mut orgs: Vec<PlanOrg> = Vec::new();
    let mut by_key: HashMap<String, usize> = HashMap::new();
    let mut emails: HashSet<String> = HashSet::new();
    for (line, cells) in &sheet.rows {
        let line = *line;
        let before = problems.0.len();
        let cell = |field: &str| crate::import::cell(&at, cells, field);
        let (name, name_col) = cell("organisation");
        problems.check(line, &name_col, name, import_text(name, ORG_NAME_MAX, true));
        let (kind_cell, kind_col) = cell("kind");
        let kind = import_kind(kind_cell);
        let unknown = kind.is_none().then_some(ImportIssue::UnknownKind);
        problems.check(line, &kind_col, kind_cell, unknown);
        let (no, no_col) = cell("business_no");
        let bad_no = (!no.is_empty() && !is_business_number(no))
            .then_some(ImportIssue::InvalidBusinessNumber);
        problems.check(line, &no_col, no, bad_no);
        let (cx, cx_col) = cell("complex");
        let complex = complex_named(reference, cx);
        let unknown = (!cx.is_empty() && complex.is_none()).then_some(ImportIssue::UnknownComplex);
        problems.check(line, &cx_col, cx, unknown);
        let (cs, cs_col) = cell("consortia");
        let mut joins = BTreeSet::new();
        for c in cs.split(';').map(str::trim).filter(|c| !c.is_empty()) {
            match consortia.get(&c.to_lowercase()) {
                Some(id) => {
                    joins.insert(*id);
                }
                None => problems.add(line, &cs_col, ImportIssue::UnknownConsortium, c),
            }
        }
        let (person, person_col) = cell("name");
        let (email_cell, email_col) = cell("email");
        let (dept, dept_col) = cell("department");
        let has_person = !person.is_empty() || !email_cell.is_empty() || !dept.is_empty();
        let email = normalize_email(email_cell);
        if has_person {
            let bad = import_text(person, PERSON_NAME_MAX, true);
            problems.check(line, &person_col, person, bad);
            let bad = import_text(dept, DEPARTMENT_MAX, false);
            problems.check(line, &dept_col, dept, bad);
            let bad_email = if email.is_empty() {
                Some(ImportIssue::Required)
            } else if email.chars().count() > EMAIL_MAX || !is_email(&email) {
                Some(ImportIssue::InvalidEmail)
            } else if !emails.insert(email.clone()) {
                Some(ImportIssue::DuplicateEmail)
            } else {
                None
            };
            problems.check(line, &email_col, email_cell, bad_email);
        }
        let Some(kind) = kind.filter(|_| problems.0.len() == before) else {
            continue;
        };
        // The organisation: once per file, by business number or name and kind.
        let digits = plain_business_number(no);
        let key = match &digits {
            Some(d) => format!("b:{d}"),
            None => format!("n:{}:{}", kind.code(), name.to_lowercase()),
        };
        let index = match by_key.get(&key) {
            Some(&i) => {
                let o = &orgs[i];
                if o.kind != kind {
                    problems.add(
                        line,
                        &kind_col,
                        ImportIssue::ConflictingOrganisation,
                        kind_cell,
                    );
                } else if complex.is_some() && o.complex.is_some() && complex != o.complex {
                    problems.add(line, &cx_col, ImportIssue::ConflictingOrganisation, cx);
                }
                i
            }
            None => {
                let existing = match registered(&mut tx, kind, name, digits.as_deref()).await? {
                    Registered::New => None,
                    Registered::Found(id) => Some(id),
                    Registered::OtherKind => {
                        let issue = ImportIssue::ConflictingOrganisation;
                        problems.add(line, &kind_col, issue, kind_cell);
                        None
                    }
                    Registered::Ambiguous => {
                        let issue = ImportIssue::AmbiguousOrganisation;
                        problems.add(line, &name_col, issue, name);
                        None
                    }
                };
                orgs.push(PlanOrg {
                    kind,
                    name: name.to_owned(),
                    business_no: digits,
                    complex,
                    existing,
                    consortia: BTreeSet::new(),
                    people: Vec::new(),
                });
                by_key.insert(key, orgs.len() - 1);
                orgs.len() - 1
            }
        };
        if problems.0.len() != before {
            continue;
        }
        let org = &mut orgs[index];
        org.consortia.extend(joins);
        if has_person {
            let account: Option<(i64, i64)> = with_tx!(&mut tx, c => sqlx::query_as(
                "SELECT id, org_id FROM users WHERE email = $1")
                .bind(&email).fetch_optional(&mut *c).await?);
            match account {
                Some((_, org_id)) if org.existing == Some(OrgId(org_id)) => {
                    report.people_existing += 1;
                }
                Some(_) => {
                    let issue = ImportIssue::EmailElsewhere;
                    problems.add(line, &email_col, issue, email_cell);
                }
                None => org.people.push(PlanPerson {
                    email,
                    name: person.to_owned(),
                    department: Some(dept.to_owned()).filter(|d| !d.is_empty()),
                }),
            }
        }
    }
    report.problems = problems.0;

    for org in &orgs {
        match org.existing {
            Some(_) => report.organisations_existing += 1,
            None => report.organisations_new += 1,
        }
        report.people_new += u32::try_from(org.people.len()).unwrap_or(u32::MAX);
        let member_of: HashSet<i64> = match org.existing {
            Some(id) => with_tx!(&mut tx, c => sqlx::query_as::<_, (i64,)>(
                "SELECT consortium_id FROM memberships WHERE org_id = $1")
                .bind(id.0).fetch_all(&mut *c).await?)
            .into_iter()
            .map(|(c,)| c)
            .collect(),
            None => HashSet::new(),
        };
        for c in &org.consortia {
            if member_of.contains(&c.0) {
                report.memberships_existing += 1;
            } else {
                report.memberships_new += 1;
            }
        }
    }
    report.problems.sort_by_key(|p| p.line);
    if dry_run || !report.problems.is_empty() {
        drop(tx);
        return Ok(report);
    }

    for org in &orgs {
        let id = match org.existing {
            Some(id) => id,
            None => {
                let (id,): (i64,) = with_tx!(&mut tx, c => sqlx::query_as(
                    "INSERT INTO organisations (kind, name, business_no, complex_id, is_sample, created_at)
                     VALUES ($1, $2, $3, $4, FALSE, $5) RETURNING id")
                    .bind(org.kind.code()).bind(&org.name).bind(&org.business_no)
                    .bind(org.complex.map(|c| c.0)).bind(now)
                    .fetch_one(&mut *c).await?);
                OrgId(id)
            }
        };
        for p in &org.people {
            let user = NewUser {
                email: &p.email,
                password_hash: NO_PASSWORD,
                name: &p.name,
                department: p.department.as_deref(),
                is_expert: false,
                role: Role::Member,
                is_sample: false,
                // The programme's own register vouches for the address; the
                // person proves it by opening the link mailed to it.
                verified: true,
                // Asked at their first visit, as everyone is.
                consented: false,
            };
            // The first person of an organisation without a representative
            // becomes it; the others are confirmed colleagues.
            let target = OrgTarget::Existing {
                id,
                confirmed: true,
            };
            let (uid, _) = users::insert_in(&mut tx, &user, target, now).await?;
            recovery::queue(
                &mut tx,
                Some(uid),
                AccountMail::Reset,
                None,
                now,
                Some(now + Duration::days(INVITE_DAYS)),
            )
            .await?;
        }
        for c in &org.consortia {
            requests::add_member(&mut tx, *c, id, now).await?;
        }
    }
    let note = format!(
        "{} rows: {} organisations new, {} there; {} people invited, {} there; {} memberships new",
        report.rows,
        report.organisations_new,
        report.organisations_existing,
        report.people_new,
        report.people_existing,
        report.memberships_new
    );
    audit::record(
        &mut tx,
        Some(admin),
        AuditAction::OrganisationsImported,
        Subject {
            note: Some(note),
            ..Default::default()
        },
        now,
    )
    .await?;
    tx.commit().await?;
    report.imported = true;
    Ok(report)
}

/// Open consortia by their lower-case name.
async fn open_consortia(tx: &mut Tx) -> Result<HashMap<String, ConsortiumId>, DbError> {
    let rows: Vec<(i64, String)> = with_tx!(tx, c => sqlx::query_as(
        "SELECT id, name FROM consortia WHERE status = 'active'")
        .fetch_all(&mut *c).await?);
    Ok(rows
        .into_iter()
        .map(|(id, name)| (name.trim().to_lowercase(), ConsortiumId(id)))
        .collect())
}

/// A complex by its Korean or English name, or the start of its Korean name
/// when only one complex has it (`창원` for 창원국가산업단지).
fn complex_named(reference: &Reference, cell: &str) -> Option<ComplexId> {
    let c = cell.trim().to_lowercase();
    if c.is_empty() {
        return None;
    }
    if let Some(x) = reference
        .complexes
        .iter()
        .find(|x| x.name_ko == c || x.name_en.to_lowercase() == c)
    {
        return Some(x.id);
    }
    let mut starts = reference
        .complexes
        .iter()
        .filter(|x| x.name_ko.starts_with(&c));
    match (starts.next(), starts.next()) {
        (Some(x), None) => Some(x.id),
        _ => None,
    }
}

enum Registered {
    New,
    Found(OrgId),
    OtherKind,
    Ambiguous,
}

/// The open organisation a row names: by business number when it has one, else
/// by name and kind.
async fn registered(
    tx: &mut Tx,
    kind: OrgKind,
    name: &str,
    digits: Option<&str>,
) -> Result<Registered, DbError> {
    let rows: Vec<(i64, String)> = match digits {
        Some(d) => with_tx!(tx, c => sqlx::query_as(
            "SELECT id, kind FROM organisations WHERE business_no = $1 AND closed_at IS NULL")
            .bind(d).fetch_all(&mut *c).await?),
        None => with_tx!(tx, c => sqlx::query_as(
            "SELECT id, kind FROM organisations WHERE lower(name) = lower($1) AND kind = $2 AND closed_at IS NULL")
            .bind(name).bind(kind.code()).fetch_all(&mut *c).await?),
    };
    Ok(match rows.as_slice() {
        [] => Registered::New,
        [(id, k)] if k == kind.code() => Registered::Found(OrgId(*id)),
        [_] => Registered::OtherKind,
        _ => Registered::Ambiguous,
    })
}
