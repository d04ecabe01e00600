//! Reference data (regions, complexes, technology fields) and headline numbers.

use super::{Db, with_db};
use crate::error::DbError;
use moim_core::{
    ComplexId, FieldId,
    reference::{Complex, ComplexKind, ComplexRole, ProgrammeStats, Reference, Region, TechField},
};

#[derive(sqlx::FromRow)]
struct ComplexRow {
    id: i64,
    name_ko: String,
    name_en: String,
    kind: String,
    role: String,
    region: String,
    joined_year: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct FieldRow {
    id: i64,
    name_ko: String,
    name_en: String,
}

/// Kind code as stored.
pub fn complex_kind_code(k: ComplexKind) -> &'static str {
    match k {
        ComplexKind::National => "national",
        ComplexKind::General => "general",
        ComplexKind::AgroIndustrial => "agro_industrial",
    }
}

impl ComplexRow {
    fn into_complex(self) -> Option<Complex> {
        Some(Complex {
            id: ComplexId(self.id),
            name_ko: self.name_ko,
            name_en: self.name_en,
            kind: match self.kind.as_str() {
                "national" => ComplexKind::National,
                "general" => ComplexKind::General,
                "agro_industrial" => ComplexKind::AgroIndustrial,
                _ => return None,
            },
            role: if self.role == "hub" {
                ComplexRole::Hub
            } else {
                ComplexRole::Linked
            },
            region: Region::from_code(&self.region)?,
            joined_year: self.joined_year.and_then(|y| i32::try_from(y).ok()),
        })
    }
}

/// All complexes and fields.
pub async fn load(db: &Db) -> Result<Reference, DbError> {
    let (complexes, fields) = with_db!(db, p => {
        let c: Vec<ComplexRow> = sqlx::query_as("SELECT id, name_ko, name_en, kind, role, region, joined_year FROM complexes ORDER BY id")
            .fetch_all(p).await?;
        let f: Vec<FieldRow> = sqlx::query_as("SELECT id, name_ko, name_en FROM fields ORDER BY name_ko")
            .fetch_all(p).await?;
        (c, f)
    });
    let mut complexes: Vec<Complex> = complexes
        .into_iter()
        .filter_map(ComplexRow::into_complex)
        .collect();
    complexes.sort_by_key(|c| (Region::ALL.iter().position(|r| *r == c.region), c.id));
    Ok(Reference {
        complexes,
        fields: fields
            .into_iter()
            .map(|f| TechField {
                id: FieldId(f.id),
                name_ko: f.name_ko,
                name_en: f.name_en,
            })
            .collect(),
    })
}

/// Inserts the programme's complexes and fields when the tables are empty.
pub async fn seed(db: &Db) -> Result<(), DbError> {
    let mut tx = db.begin().await?;
    super::with_tx!(&mut tx, c => {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM complexes").fetch_one(&mut *c).await?;
        if n == 0 {
            for (name_ko, name_en, kind, role, region, year) in COMPLEXES {
                sqlx::query("INSERT INTO complexes (name_ko, name_en, kind, role, region, joined_year) VALUES ($1, $2, $3, $4, $5, $6)")
                    .bind(name_ko).bind(name_en).bind(complex_kind_code(*kind)).bind(if *role == ComplexRole::Hub { "hub" } else { "linked" })
                    .bind(region.code()).bind(*year)
                    .execute(&mut *c).await?;
            }
        }
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM fields").fetch_one(&mut *c).await?;
        if n == 0 {
            for (name_ko, name_en) in FIELDS {
                sqlx::query("INSERT INTO fields (name_ko, name_en) VALUES ($1, $2)").bind(name_ko).bind(name_en).execute(&mut *c).await?;
            }
        }
    });
    tx.commit().await
}

/// Headline numbers for the home page.
pub async fn stats(db: &Db) -> Result<ProgrammeStats, DbError> {
    let (consortia, member_organisations, complexes, experts): (i64, i64, i64, i64) = with_db!(db, p => sqlx::query_as(
        "SELECT
            (SELECT COUNT(*) FROM consortia WHERE status = 'active'),
            (SELECT COUNT(DISTINCT m.org_id) FROM memberships m JOIN consortia c ON c.id = m.consortium_id WHERE c.status = 'active'),
            (SELECT COUNT(DISTINCT complex_id) FROM consortia WHERE status = 'active'),
            (SELECT COUNT(*) FROM users WHERE is_expert)",
    ).fetch_one(p).await?);
    Ok(ProgrammeStats {
        consortia,
        member_organisations,
        complexes,
        experts,
    })
}

use ComplexKind::{AgroIndustrial as A, General as G, National as N};
use ComplexRole::{Hub as H, Linked as L};
use Region::*;

/// The complexes of the programme (DOMAIN.md): the 2005 pilots, the 2007 wave, and
/// linked complexes of each region.
/// Korean name, English name, kind, role, region, year it joined the programme.
type ComplexSeed = (
    &'static str,
    &'static str,
    ComplexKind,
    ComplexRole,
    Region,
    Option<i64>,
);

const COMPLEXES: &[ComplexSeed] = &[
    (
        "창원국가산업단지",
        "Changwon National Industrial Complex",
        N,
        H,
        Dongnam,
        Some(2005),
    ),
    (
        "구미국가산업단지",
        "Gumi National Industrial Complex",
        N,
        H,
        Daegyeong,
        Some(2005),
    ),
    (
        "울산·미포국가산업단지",
        "Ulsan-Mipo National Industrial Complex",
        N,
        H,
        Dongnam,
        Some(2005),
    ),
    (
        "반월·시화국가산업단지",
        "Banwol-Sihwa National Industrial Complex",
        N,
        H,
        Capital,
        Some(2005),
    ),
    (
        "광주첨단과학산업단지",
        "Gwangju Advanced Science Industrial Complex",
        N,
        H,
        Honam,
        Some(2005),
    ),
    (
        "원주문막산업단지",
        "Wonju Munmak Industrial Complex",
        G,
        H,
        Gangwon,
        Some(2005),
    ),
    (
        "군산국가산업단지",
        "Gunsan National Industrial Complex",
        N,
        H,
        Honam,
        Some(2005),
    ),
    (
        "오창과학산업단지",
        "Ochang Science Industrial Complex",
        G,
        H,
        Chungcheong,
        Some(2007),
    ),
    (
        "남동국가산업단지",
        "Namdong National Industrial Complex",
        N,
        H,
        Capital,
        Some(2007),
    ),
    (
        "녹산국가산업단지",
        "Noksan National Industrial Complex",
        N,
        H,
        Dongnam,
        Some(2007),
    ),
    (
        "대불국가산업단지",
        "Daebul National Industrial Complex",
        N,
        H,
        Honam,
        Some(2007),
    ),
    (
        "성서산업단지",
        "Seongseo Industrial Complex",
        G,
        H,
        Daegyeong,
        Some(2007),
    ),
    (
        "제주첨단과학기술단지",
        "Jeju Science Park",
        G,
        H,
        Jeju,
        Some(2010),
    ),
    (
        "아산국가산업단지",
        "Asan National Industrial Complex",
        N,
        L,
        Chungcheong,
        Some(2010),
    ),
    (
        "충주첨단산업단지",
        "Chungju Advanced Industrial Complex",
        G,
        L,
        Chungcheong,
        Some(2010),
    ),
    (
        "익산국가산업단지",
        "Iksan National Industrial Complex",
        N,
        L,
        Honam,
        Some(2010),
    ),
    (
        "여수국가산업단지",
        "Yeosu National Industrial Complex",
        N,
        L,
        Honam,
        Some(2010),
    ),
    (
        "함평농공단지",
        "Hampyeong Agro-Industrial Complex",
        A,
        L,
        Honam,
        Some(2010),
    ),
    (
        "포항철강산업단지",
        "Pohang Steel Industrial Complex",
        G,
        L,
        Daegyeong,
        Some(2010),
    ),
    (
        "달성산업단지",
        "Dalseong Industrial Complex",
        G,
        L,
        Daegyeong,
        Some(2010),
    ),
    (
        "김해골든루트산업단지",
        "Gimhae Golden Root Industrial Complex",
        G,
        L,
        Dongnam,
        Some(2010),
    ),
    (
        "양산산업단지",
        "Yangsan Industrial Complex",
        G,
        L,
        Dongnam,
        Some(2010),
    ),
    (
        "파주출판문화정보산업단지",
        "Paju Publishing Industrial Complex",
        N,
        L,
        Capital,
        Some(2010),
    ),
    (
        "강릉과학산업단지",
        "Gangneung Science Industrial Complex",
        G,
        L,
        Gangwon,
        Some(2010),
    ),
    (
        "횡성농공단지",
        "Hoengseong Agro-Industrial Complex",
        A,
        L,
        Gangwon,
        Some(2010),
    ),
];

/// Technology fields of the consortia named in DOMAIN.md, and their neighbours.
const FIELDS: &[(&str, &str)] = &[
    ("공작기계", "Machine tools"),
    ("금형", "Moulds"),
    ("메카트로닉스", "Mechatronics"),
    ("재활의료기기", "Rehabilitation medical devices"),
    ("의료기기부품", "Medical device parts"),
    ("기계·금속소재", "Machinery & metal materials"),
    ("지능형자동차", "Intelligent vehicles"),
    ("IT·전자·전기", "IT, electronics & electrical"),
    ("전통산업융합", "Traditional-industry convergence"),
    ("조선기자재", "Shipbuilding equipment"),
    ("도금", "Plating"),
    ("부품·소재", "Parts & materials"),
    ("수송기계부품", "Transport-equipment parts"),
    ("조선", "Shipbuilding"),
    ("선박부품", "Ship parts"),
    ("해양레저선박", "Marine leisure boats"),
    ("반도체", "Semiconductors"),
    ("전기·전자", "Electrical & electronic"),
    ("이차전지·소재", "Batteries & materials"),
    ("자동차부품", "Automotive parts"),
    ("정밀화학", "Fine chemicals"),
    ("바이오", "Bio"),
    ("광융합", "Photonics convergence"),
    ("식품가공", "Food processing"),
    ("에너지", "Energy"),
];

/// Every technology field's id.
pub async fn field_ids(db: &Db) -> Result<Vec<moim_core::FieldId>, DbError> {
    let rows: Vec<(i64,)> =
        with_db!(db, p => sqlx::query_as("SELECT id FROM fields").fetch_all(p).await?);
    Ok(rows
        .into_iter()
        .map(|(id,)| moim_core::FieldId(id))
        .collect())
}

/// A complex's Korean name.
pub async fn complex_name(db: &Db, id: moim_core::ComplexId) -> Result<Option<String>, DbError> {
    let row: Option<(String,)> = with_db!(db, p => sqlx::query_as("SELECT name_ko FROM complexes WHERE id = $1")
        .bind(id.0).fetch_optional(p).await?);
    Ok(row.map(|(n,)| n))
}
