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
    ("NZ", "뉴질랜드", "New Zealand"),
    ("TW", "대만", "Taiwan"),
    ("HK", "홍콩", "Hong Kong"),
    ("PH", "필리핀", "Philippines"),
    ("KH", "캄보디아", "Cambodia"),
    ("MN", "몽골", "Mongolia"),
    ("KZ", "카자흐스탄", "Kazakhstan"),
    ("UZ", "우즈베키스탄", "Uzbekistan"),
    ("BD", "방글라데시", "Bangladesh"),
    ("PK", "파키스탄", "Pakistan"),
    ("IL", "이스라엘", "Israel"),
    ("QA", "카타르", "Qatar"),
    ("EG", "이집트", "Egypt"),
    ("ZA", "남아프리카공화국", "South Africa"),
    ("FI", "핀란드", "Finland"),
    ("SE", "스웨덴", "Sweden"),
    ("DK", "덴마크", "Denmark"),
    ("NO", "노르웨이", "Norway"),
    ("BE", "벨기에", "Belgium"),
    ("AT", "오스트리아", "Austria"),
    ("CH", "스위스", "Switzerland"),
    ("CZ", "체코", "Czechia"),
    ("HU", "헝가리", "Hungary"),
    ("PT", "포르투갈", "Portugal"),
    ("IE", "아일랜드", "Ireland"),
    ("CL", "칠레", "Chile"),
    ("CO", "콜롬비아", "Colombia"),
    ("AR", "아르헨티나", "Argentina"),
];

pub fn country_label(code: &str, lang: Lang) -> String {
    COUNTRIES
        .iter()
        .find(|c| c.0 == code)
        .map_or_else(|| code.to_owned(), |c| pick(lang, c.1, c.2).to_owned())
}
