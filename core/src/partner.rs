//! Partners abroad (해외 협력기관): the overseas cluster bodies, foreign agencies
//! and buyers' associations the programme works with, the agreements signed with
//! them (MOU, joint declaration) and the events they co-organise. The agency's
//! admins keep the register; everyone reads it; the contact is for staff.

use crate::{
    ActivityId, ErrorCode, FieldErrors, PartnerAgreementId, PartnerId, Validate,
    activity::{ActivityKind, is_link},
    matchmaking::is_country,
};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

code_enum!(
    /// What kind of body a partner is.
    PartnerKind {
        /// 해외 클러스터 기관: a cluster organisation or network (e.g. TCI Network).
        Cluster = "cluster",
        /// 해외 정부·공공기관: a foreign government or public agency (e.g. the US EDA).
        Agency = "agency",
        /// 바이어·산업 협회: a buyers' or industry association.
        Association = "association",
        /// 기타.
        Other = "other",
    }
);

code_enum!(
    /// What kind of agreement was signed with a partner.
    AgreementKind {
        /// 업무협약 (MOU).
        Mou = "mou",
        /// 공동선언: a joint declaration.
        JointDeclaration = "joint_declaration",
        /// 기타 협약.
        Other = "other",
    }
);

/// Longest name (original or Korean), in characters.
pub const PARTNER_NAME_MAX: usize = 150;
/// Longest description.
pub const PARTNER_DESCRIPTION_MAX: usize = 2000;
/// Longest contact name.
pub const CONTACT_NAME_MAX: usize = 100;
/// Longest web address.
pub const WEBSITE_MAX: usize = 300;
/// Longest agreement title.
pub const AGREEMENT_TITLE_MAX: usize = 150;
/// Longest description of an agreement's scope.
pub const AGREEMENT_SCOPE_MAX: usize = 1000;
/// Most partners co-organising one event.
pub const EVENT_PARTNERS_MAX: usize = 10;
/// Largest agreement document, in bytes.
pub const DOCUMENT_MAX: usize = 10 * 1024 * 1024;
/// Partners per page of the register.
pub const PARTNERS_PER_PAGE: u32 = 30;
/// How many days before its expiry an agreement is shown as ending soon.
pub const EXPIRING_DAYS: i64 = 90;
/// The earliest year an agreement's dates may name.
pub const FIRST_YEAR: i32 = 1950;
/// The last year an agreement's dates may name.
pub const LAST_YEAR: i32 = 2100;

/// What an admin registers (and edits) of a partner.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SavePartner {
    /// Its name in the original (e.g. `TCI Network`).
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::text::<2, PARTNER_NAME_MAX>))]
    pub name: String,
    /// Its name in Korean (e.g. `TCI 네트워크`).
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::text::<1, PARTNER_NAME_MAX>))]
    pub name_ko: String,
    /// Country (ISO 3166-1 alpha-2, e.g. `ES`).
    pub country: String,
    /// Kind of body.
    pub kind: PartnerKind,
    /// Its web site (http or https).
    #[serde(default)]
    pub website: Option<String>,
    /// What it is and does with the programme.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::optional_paragraphs::<PARTNER_DESCRIPTION_MAX>))]
    pub description: String,
    /// The contact person there.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::optional_text::<CONTACT_NAME_MAX>))]
    pub contact_name: String,
    /// The contact's email.
    #[serde(default)]
    pub contact_email: Option<String>,
}

impl SavePartner {
    /// The web site as stored: trimmed, none when blank.
    pub fn website(&self) -> Option<&str> {
        self.website
            .as_deref()
            .map(str::trim)
            .filter(|w| !w.is_empty())
    }

    /// The contact's email as stored: trimmed, none when blank.
    pub fn contact_email(&self) -> Option<&str> {
        self.contact_email
            .as_deref()
            .map(str::trim)
            .filter(|w| !w.is_empty())
    }
}

impl Validate for SavePartner {
    fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::default();
        e.text("name", &self.name, 2, PARTNER_NAME_MAX);
        e.text("name_ko", &self.name_ko, 1, PARTNER_NAME_MAX);
        // A partner abroad: not Korea.
        if !is_country(&self.country) || self.country == "KR" {
            e.add("country", ErrorCode::InvalidChoice);
        }
        if let Some(w) = self.website() {
            if w.len() > WEBSITE_MAX {
                e.add("website", ErrorCode::TooLong { max: WEBSITE_MAX });
            } else if !is_link(w) {
                e.add("website", ErrorCode::InvalidChoice);
            }
        }
        e.optional_paragraphs(
            "description",
            Some(&self.description),
            PARTNER_DESCRIPTION_MAX,
        );
        e.optional_text("contact_name", Some(&self.contact_name), CONTACT_NAME_MAX);
        if let Some(m) = self.contact_email() {
            e.email("contact_email", m);
        }
        e.into_result()
    }
}

/// A partner as an event or a list names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PartnerTag {
    /// Id.
    pub id: PartnerId,
    /// Name in the original.
    pub name: String,
    /// Name in Korean.
    pub name_ko: String,
    /// Country (ISO 3166-1 alpha-2).
    pub country: String,
}

/// A partner in the register's list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PartnerSummary {
    /// Who it is.
    #[serde(flatten)]
    pub tag: PartnerTag,
    /// Kind of body.
    pub kind: PartnerKind,
    /// Agreements signed with it that are in force today.
    pub agreements_in_force: i64,
    /// The date of the latest agreement signed with it.
    pub latest_agreement: Option<NaiveDate>,
    /// Events it co-organised or co-organises.
    pub events: i64,
    /// Fictional sample data (the demo's).
    #[serde(default)]
    pub is_sample: bool,
}

/// A page of the register.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PartnerList {
    /// The partners of the page, by Korean name.
    pub items: Vec<PartnerSummary>,
    /// Partners matching the filters.
    pub total: i64,
    /// This page (1-based).
    pub page: u32,
    /// Pages in all.
    pub pages: u32,
    /// Every country some partner is from, for the filter.
    pub countries: Vec<String>,
    /// The caller may register and edit partners (an admin).
    pub can_edit: bool,
}

/// Filters of the register; every one optional.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct PartnerQuery {
    /// Words in either name.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", param(max_length = 100))]
    pub q: Option<String>,
    /// Country (ISO 3166-1 alpha-2).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", param(pattern = "^[A-Z]{2}$"))]
    pub country: Option<String>,
    /// Kind of body.
    #[serde(default)]
    pub kind: Option<PartnerKind>,
    /// 1-based page.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 100_000))]
    pub page: Option<u32>,
}

impl crate::query::ListQuery for PartnerQuery {
    fn normalized(self) -> Self {
        PartnerQuery {
            q: crate::query::clean(self.q),
            country: crate::query::clean(self.country),
            page: crate::query::clean_page(self.page),
            ..self
        }
    }
}

impl Validate for PartnerQuery {
    fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::default();
        if let Some(q) = &self.q {
            e.optional_text("q", Some(q), crate::validate::QUERY_MAX);
        }
        if self.country.as_deref().is_some_and(|c| !is_country(c)) {
            e.add("country", ErrorCode::InvalidChoice);
        }
        if let Some(p) = self.page {
            e.range("page", i64::from(p), 1, 100_000);
        }
        e.into_result()
    }
}

/// What an admin records of an agreement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SaveAgreement {
    /// Kind.
    pub kind: AgreementKind,
    /// Its title (e.g. `클러스터 협력 업무협약`).
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::text::<2, AGREEMENT_TITLE_MAX>))]
    pub title: String,
    /// What it covers.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::optional_paragraphs::<AGREEMENT_SCOPE_MAX>))]
    pub scope: String,
    /// Signed on.
    pub signed_on: NaiveDate,
    /// Ends on (none: open-ended).
    #[serde(default)]
    pub expires_on: Option<NaiveDate>,
}

impl Validate for SaveAgreement {
    fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::default();
        e.text("title", &self.title, 2, AGREEMENT_TITLE_MAX);
        e.optional_paragraphs("scope", Some(&self.scope), AGREEMENT_SCOPE_MAX);
        let years = |e: &mut FieldErrors, field: &str, day: NaiveDate| {
            let ok = (FIRST_YEAR..=LAST_YEAR).contains(&day.year());
            if !ok {
                let (min, max) = (i64::from(FIRST_YEAR), i64::from(LAST_YEAR));
                e.add(field, ErrorCode::OutOfRange { min, max });
            }
            ok
        };
        let signed = years(&mut e, "signed_on", self.signed_on);
        if let Some(x) = self.expires_on
            && years(&mut e, "expires_on", x)
            && signed
            && x <= self.signed_on
        {
            e.add("expires_on", ErrorCode::EndBeforeStart);
        }
        e.into_result()
    }
}

/// An agreement's signed document, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AgreementDocument {
    /// File name.
    pub name: String,
    /// Its checked type.
    pub content_type: String,
    /// Bytes.
    pub size: i64,
}

/// Where an agreement stands on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgreementState {
    /// Not yet signed (signed on a later day).
    Planned,
    /// In force.
    InForce,
    /// In force, ending within [`EXPIRING_DAYS`].
    EndingSoon,
    /// Ended.
    Expired,
}

/// An agreement with a partner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AgreementView {
    /// Id.
    pub id: PartnerAgreementId,
    /// What was recorded.
    #[serde(flatten)]
    pub agreement: SaveAgreement,
    /// The signed document, if attached (signed-in people download it).
    pub document: Option<AgreementDocument>,
}

impl AgreementView {
    /// Where it stands on `today`.
    pub fn state(&self, today: NaiveDate) -> AgreementState {
        let a = &self.agreement;
        match a.expires_on {
            _ if a.signed_on > today => AgreementState::Planned,
            Some(x) if x < today => AgreementState::Expired,
            Some(x) if (x - today).num_days() <= EXPIRING_DAYS => AgreementState::EndingSoon,
            _ => AgreementState::InForce,
        }
    }
}

/// An event a partner co-organises.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PartnerEvent {
    /// The activity.
    pub id: ActivityId,
    /// Kind.
    pub kind: ActivityKind,
    /// Title.
    pub title: String,
    /// Start.
    #[serde(with = "crate::wire_time")]
    pub starts_at: DateTime<Utc>,
    /// Cancelled by its organiser.
    pub cancelled: bool,
}

/// The contact person at a partner (for admins and CMs).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PartnerContact {
    /// Name.
    pub name: String,
    /// Email.
    pub email: Option<String>,
}

/// A partner's page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PartnerView {
    /// Who it is.
    #[serde(flatten)]
    pub tag: PartnerTag,
    /// Kind of body.
    pub kind: PartnerKind,
    /// Its web site.
    pub website: Option<String>,
    /// What it is and does with the programme.
    pub description: String,
    /// The contact, for admins and CMs only (none for anyone else, or when
    /// none was recorded).
    pub contact: Option<PartnerContact>,
    /// Agreements, the latest signed first.
    pub agreements: Vec<AgreementView>,
    /// Events it co-organises, the latest first.
    pub events: Vec<PartnerEvent>,
    /// The caller may edit it (an admin).
    pub can_edit: bool,
    /// Fictional sample data (the demo's).
    #[serde(default)]
    pub is_sample: bool,
}

impl PartnerView {
    /// What its edit form starts from.
    pub fn to_save(&self) -> SavePartner {
        let contact = self.contact.clone();
        SavePartner {
            name: self.tag.name.clone(),
            name_ko: self.tag.name_ko.clone(),
            country: self.tag.country.clone(),
            kind: self.kind,
            website: self.website.clone(),
            description: self.description.clone(),
            contact_name: contact.as_ref().map(|c| c.name.clone()).unwrap_or_default(),
            contact_email: contact.and_then(|c| c.email),
        }
    }
}

/// The partners co-organising an event, all of them (none to remove them all):
/// at most [`EVENT_PARTNERS_MAX`], each once.
pub fn check_event_partners(e: &mut FieldErrors, field: &str, ids: &[PartnerId]) {
    let mut sorted = ids.to_vec();
    sorted.sort();
    sorted.dedup();
    if ids.len() > EVENT_PARTNERS_MAX {
        e.add(
            field,
            ErrorCode::TooLong {
                max: EVENT_PARTNERS_MAX,
            },
        );
    } else if sorted.len() != ids.len() {
        e.add(field, ErrorCode::InvalidChoice);
    }
}

/// A name as the register compares and searches it: trimmed, lower-cased by
/// Unicode's rules (the databases' own `lower` folds ASCII only on SQLite).
pub fn name_key(name: &str) -> String {
    name.trim().to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn partner() -> SavePartner {
        SavePartner {
            name: "TCI Network".into(),
            name_ko: "TCI 네트워크".into(),
            country: "ES".into(),
            kind: PartnerKind::Cluster,
            website: Some("https://www.tci-network.org".into()),
            description: "클러스터 전문가 국제 네트워크.\n세계클러스터총회 공동 주최.".into(),
            contact_name: "Ifor Ffowcs-Williams".into(),
            contact_email: Some(" info@tci-network.org ".into()),
        }
    }

    fn fields(r: Result<(), FieldErrors>) -> Vec<String> {
        r.err()
            .map(|e| e.0.into_iter().map(|f| f.field).collect())
            .unwrap_or_default()
    }

    #[test]
    fn a_partner_needs_both_names_a_country_and_sound_links() {
        assert_eq!(partner().validate(), Ok(()));
        assert_eq!(partner().contact_email(), Some("info@tci-network.org"));
        let blank = SavePartner {
            website: Some("  ".into()),
            contact_email: Some("".into()),
            contact_name: String::new(),
            description: String::new(),
            ..partner()
        };
        assert_eq!(blank.validate(), Ok(()));
        assert_eq!(blank.website(), None);
        let korea = SavePartner {
            country: "KR".into(),
            ..partner()
        };
        assert_eq!(fields(korea.validate()), ["country"]);
        let bad = SavePartner {
            name: "T".into(),
            name_ko: " ".into(),
            country: "es".into(),
            website: Some("javascript:alert(1)".into()),
            contact_email: Some("not-an-email".into()),
            contact_name: "a\tb".into(),
            ..partner()
        };
        assert_eq!(
            fields(bad.validate()),
            [
                "name",
                "name_ko",
                "country",
                "website",
                "contact_name",
                "contact_email"
            ]
        );
        let long = SavePartner {
            website: Some(format!("https://{}", "a".repeat(WEBSITE_MAX))),
            description: "가".repeat(PARTNER_DESCRIPTION_MAX + 1),
            ..partner()
        };
        assert_eq!(fields(long.validate()), ["website", "description"]);
    }

    #[test]
    fn an_agreement_ends_after_it_is_signed() {
        let day = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
        let mou = SaveAgreement {
            kind: AgreementKind::Mou,
            title: "클러스터 협력 업무협약".into(),
            scope: "공동 포럼, 기업 교류".into(),
            signed_on: day(3, 1),
            expires_on: Some(day(3, 1)),
        };
        assert_eq!(fields(mou.validate()), ["expires_on"]);
        let mou = SaveAgreement {
            expires_on: Some(day(3, 2)),
            ..mou
        };
        assert_eq!(mou.validate(), Ok(()));
        // Dates both databases keep and order alike.
        let far = SaveAgreement {
            signed_on: NaiveDate::from_ymd_opt(-5000, 1, 1).unwrap(),
            expires_on: NaiveDate::from_ymd_opt(10_000, 1, 1),
            ..mou.clone()
        };
        assert_eq!(fields(far.validate()), ["signed_on", "expires_on"]);
        let view = |expires_on| AgreementView {
            id: PartnerAgreementId(1),
            agreement: SaveAgreement {
                expires_on,
                ..mou.clone()
            },
            document: None,
        };
        let open = view(None);
        assert_eq!(open.state(day(2, 28)), AgreementState::Planned);
        assert_eq!(open.state(day(3, 1)), AgreementState::InForce);
        let ending = view(Some(day(9, 1)));
        // Ninety days before its end (3 June to 1 September).
        assert_eq!(ending.state(day(6, 3)), AgreementState::EndingSoon);
        assert_eq!(ending.state(day(6, 2)), AgreementState::InForce);
        // In force on its last day, ended the day after.
        assert_eq!(ending.state(day(9, 1)), AgreementState::EndingSoon);
        assert_eq!(ending.state(day(9, 2)), AgreementState::Expired);
    }

    #[test]
    fn an_event_names_a_partner_once_and_a_few_at_most() {
        let check = |ids: &[i64]| {
            let mut e = FieldErrors::default();
            let ids: Vec<PartnerId> = ids.iter().map(|i| PartnerId(*i)).collect();
            check_event_partners(&mut e, "partners", &ids);
            e.into_result()
        };
        assert_eq!(check(&[]), Ok(()));
        assert_eq!(check(&[3, 1]), Ok(()));
        assert_eq!(
            check(&[3, 3]).map_err(|e| e.0[0].code.clone()),
            Err(ErrorCode::InvalidChoice)
        );
        assert_eq!(name_key("  Öresund Cluster "), "öresund cluster");
        let many: Vec<i64> = (1..=EVENT_PARTNERS_MAX as i64 + 1).collect();
        assert_eq!(fields(check(&many)), ["partners"]);
    }

    #[test]
    fn the_register_query_is_canonical() {
        use crate::query::ListQuery;
        let q = PartnerQuery::from_query("q=+TCI+&country=&kind=cluster&page=1");
        assert_eq!(q.to_query(), "q=TCI&kind=cluster");
        assert_eq!(
            PartnerQuery {
                country: Some("es".into()),
                ..Default::default()
            }
            .validate()
            .map_err(|e| e.0[0].field.clone()),
            Err("country".into())
        );
    }
}
