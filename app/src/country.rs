//! Countries as people read them: the programme's buyers' and partners'
//! countries by their ISO 3166-1 codes, in Korean and English (the
//! matchmaking page and the cockpit).

use crate::i18n::{Lang, pick};

/// Countries of the programme's buyers and partners (code, Korean, English).
pub const COUNTRIES: &[(&str, &str, &str)] = &[
    ("KR", "대한민국", "Korea"),
    ("US", "미국", "United States"),
    ("CN", "중국", "China"),
    ("JP", "일본", "Japan"),
    ("VN", "베트남", "Viet Nam"),
    ("IN", "인도", "India"),
    ("ID", "인도네시아", "Indonesia"),
    ("TH", "태국", "Thailand"),
    ("MY", "말레이시아", "Malaysia"),
    ("SG", "싱가포르", "Singapore"),
    ("DE", "독일", "Germany"),
    ("FR", "프랑스", "France"),
    ("GB", "영국", "United Kingdom"),
    ("ES", "스페인", "Spain"),
    ("IT", "이탈리아", "Italy"),
    ("NL", "네덜란드", "Netherlands"),
    ("PL", "폴란드", "Poland"),
    ("TR", "튀르키예", "Türkiye"),
    ("AE", "아랍에미리트", "United Arab Emirates"),
    ("SA", "사우디아라비아", "Saudi Arabia"),
    ("MX", "멕시코", "Mexico"),
    ("BR", "브라질", "Brazil"),
    ("CA", "캐나다", "Canada"),
    ("AU", "호주", "Australia"),
];

pub fn country_label(code: &str, lang: Lang) -> String {
    COUNTRIES
        .iter()
        .find(|c| c.0 == code)
        .map_or_else(|| code.to_owned(), |c| pick(lang, c.1, c.2).to_owned())
}
