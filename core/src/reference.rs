//! Reference data of the programme: the 5+2 regions, industrial complexes and
//! technology fields (../shared/DOMAIN.md).

use crate::{ComplexId, FieldId};
use serde::{Deserialize, Serialize};

/// One of the 5+2 wide economic regions (광역경제권).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Region {
    /// 수도권
    Capital,
    /// 충청권
    Chungcheong,
    /// 호남권
    Honam,
    /// 대경권
    Daegyeong,
    /// 동남권
    Dongnam,
    /// 강원권
    Gangwon,
    /// 제주권
    Jeju,
}

impl Region {
    /// All regions in the agency's usual order.
    pub const ALL: [Region; 7] = [
        Region::Capital,
        Region::Chungcheong,
        Region::Honam,
        Region::Daegyeong,
        Region::Dongnam,
        Region::Gangwon,
        Region::Jeju,
    ];

    /// The code stored in the database and used in URLs.
    pub fn code(self) -> &'static str {
        match self {
            Region::Capital => "capital",
            Region::Chungcheong => "chungcheong",
            Region::Honam => "honam",
            Region::Daegyeong => "daegyeong",
            Region::Dongnam => "dongnam",
            Region::Gangwon => "gangwon",
            Region::Jeju => "jeju",
        }
    }

    /// The region for a stored code.
    pub fn from_code(code: &str) -> Option<Region> {
        Region::ALL.into_iter().find(|r| r.code() == code)
    }

    /// Korean name.
    pub fn name_ko(self) -> &'static str {
        match self {
            Region::Capital => "수도권",
            Region::Chungcheong => "충청권",
            Region::Honam => "호남권",
            Region::Daegyeong => "대경권",
            Region::Dongnam => "동남권",
            Region::Gangwon => "강원권",
            Region::Jeju => "제주권",
        }
    }

    /// English name.
    pub fn name_en(self) -> &'static str {
        match self {
            Region::Capital => "Capital",
            Region::Chungcheong => "Chungcheong",
            Region::Honam => "Honam",
            Region::Daegyeong => "Daegyeong",
            Region::Dongnam => "Dongnam",
            Region::Gangwon => "Gangwon",
            Region::Jeju => "Jeju",
        }
    }
}

/// Legal kind of an industrial complex.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ComplexKind {
    /// 국가산업단지
    National,
    /// 일반산업단지
    General,
    /// 농공단지
    AgroIndustrial,
}

/// A complex's part in the cluster programme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ComplexRole {
    /// 거점단지: runs consortia.
    Hub,
    /// 연계단지: takes part in a hub's consortia.
    Linked,
}

/// An industrial complex (산업단지).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Complex {
    /// Id.
    pub id: ComplexId,
    /// Korean name, e.g. 창원국가산업단지.
    pub name_ko: String,
    /// English name.
    pub name_en: String,
    /// Legal kind.
    pub kind: ComplexKind,
    /// Hub or linked complex.
    pub role: ComplexRole,
    /// Wide economic region.
    pub region: Region,
    /// Year it joined the cluster programme, if known (2005 pilots, 2007 wave).
    pub joined_year: Option<i32>,
}

/// A technology field consortia and experts are grouped by.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TechField {
    /// Id.
    pub id: FieldId,
    /// Korean name, e.g. 금형.
    pub name_ko: String,
    /// English name, e.g. Moulds.
    pub name_en: String,
}

/// Everything the client needs to fill its filters and forms, in one response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Reference {
    /// All complexes, by region then name.
    pub complexes: Vec<Complex>,
    /// All technology fields, by Korean name.
    pub fields: Vec<TechField>,
}

/// Headline numbers of the programme for the home page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProgrammeStats {
    /// Active consortia.
    pub consortia: i64,
    /// Organisations that are members of at least one active consortium.
    pub member_organisations: i64,
    /// Complexes with at least one active consortium.
    pub complexes: i64,
    /// People with an expert profile.
    pub experts: i64,
}
