//! Korean-aware search terms, shared by problem search and expert matching.
//!
//! Korean writes compounds without spaces (금형냉각, 사출금형) and people search
//! with one- or two-syllable words (열, 금형). Splitting on spaces finds neither,
//! so text is cut into *terms*: every syllable (unigram) and every pair of
//! adjacent syllables (bigram) of a Korean run, and whole words of Latin letters
//! and digits (CNC, 3d). A query word matches a text when all of its terms occur:
//! "냉각" (one bigram) finds 금형냉각채널, "열" (one unigram) finds 열처리.
//! Terms are integers so the index stays small and compares fast on both databases.

use std::collections::BTreeSet;

/// One search term as stored in the index.
pub type Term = i64;

const BIGRAM_TAG: i64 = 1 << 42;
const WORD_TAG: i64 = 1 << 43;

fn is_wide(c: char) -> bool {
    !c.is_ascii() && c.is_alphanumeric()
}

/// Words of a text: runs of wide letters (Hangul, Hanja) and runs of ASCII letters
/// and digits, lower-cased; "CNC가공" is two words, "cnc" and "가공".
pub fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut cur_wide = false;
    for c in text.chars() {
        let kind = if is_wide(c) {
            Some(true)
        } else if c.is_ascii_alphanumeric() {
            Some(false)
        } else {
            None
        };
        match kind {
            Some(w) if cur.is_empty() || w == cur_wide => {
                cur_wide = w;
                cur.extend(c.to_lowercase());
            }
            Some(w) => {
                out.push(std::mem::take(&mut cur));
                cur_wide = w;
                cur.extend(c.to_lowercase());
            }
            None => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn word_term(w: &str) -> Term {
    // FNV-1a: stable across platforms and releases, unlike std's hasher.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in w.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    WORD_TAG | i64::try_from(h >> 22).unwrap_or(0)
}

fn unigram(c: char) -> Term {
    i64::from(u32::from(c))
}

fn bigram(a: char, b: char) -> Term {
    BIGRAM_TAG | (i64::from(u32::from(a)) << 21) | i64::from(u32::from(b))
}

/// Terms of one word, as a query needs them: the fewest that pin the word down.
pub fn word_query_terms(word: &str) -> Vec<Term> {
    let chars: Vec<char> = word.chars().collect();
    match chars.as_slice() {
        [] => Vec::new(),
        [c] if is_wide(*c) => vec![unigram(*c)],
        cs if cs.first().copied().is_some_and(is_wide) => {
            let mut t: Vec<Term> = cs.windows(2).map(|p| bigram(p[0], p[1])).collect();
            t.sort_unstable();
            t.dedup();
            t
        }
        _ => vec![word_term(word)],
    }
}

/// Every term of a text, as the index stores them.
pub fn index_terms(text: &str) -> BTreeSet<Term> {
    let mut out = BTreeSet::new();
    for w in words(text) {
        let chars: Vec<char> = w.chars().collect();
        if chars.first().copied().is_some_and(is_wide) {
            out.extend(chars.iter().map(|c| unigram(*c)));
            out.extend(chars.windows(2).map(|p| bigram(p[0], p[1])));
        } else {
            out.insert(word_term(&w));
        }
    }
    out
}

/// The words of a query with their terms; words without terms are dropped.
pub fn query(text: &str) -> Vec<(String, Vec<Term>)> {
    let mut seen = BTreeSet::new();
    words(text)
        .into_iter()
        .filter(|w| seen.insert(w.clone()))
        .map(|w| {
            let t = word_query_terms(&w);
            (w, t)
        })
        .filter(|(_, t)| !t.is_empty())
        .take(8)
        .collect()
}

/// True when every term of the query word occurs in the text's terms.
pub fn word_matches(word_terms: &[Term], text_terms: &BTreeSet<Term>) -> bool {
    !word_terms.is_empty() && word_terms.iter().all(|t| text_terms.contains(t))
}

/// Share (0..=1) of `phrase`'s terms found in `text_terms`: how well a keyword such
/// as "금형 냉각" is covered by an expert's "금형냉각 채널 설계".
pub fn coverage(phrase: &str, text_terms: &BTreeSet<Term>) -> f64 {
    let terms: Vec<Term> = query(phrase).into_iter().flat_map(|(_, t)| t).collect();
    if terms.is_empty() {
        return 0.0;
    }
    let hit = terms.iter().filter(|t| text_terms.contains(t)).count();
    #[allow(clippy::cast_precision_loss)]
    let share = hit as f64 / terms.len() as f64;
    share
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_scripts_and_lowercases() {
        assert_eq!(
            words("CNC가공, 사출 금형"),
            vec!["cnc", "가공", "사출", "금형"]
        );
        assert_eq!(words("3D 금속프린터"), vec!["3d", "금속프린터"]);
    }

    #[test]
    fn compound_words_and_short_terms_match() {
        let text = index_terms("금형냉각채널 설계와 열처리, CNC 가공");
        for q in ["냉각", "금형", "열", "채널", "cnc", "CNC 가공", "냉각채널"] {
            assert!(
                query(q).iter().all(|(_, t)| word_matches(t, &text)),
                "{q} should match"
            );
        }
        for q in ["도금", "용접", "사출", "pcb"] {
            assert!(
                !query(q).iter().all(|(_, t)| word_matches(t, &text)),
                "{q} should not match"
            );
        }
    }

    #[test]
    fn terms_are_distinct_by_kind() {
        // A bigram never equals a unigram or an ASCII word.
        let a = index_terms("가나");
        assert_eq!(a.len(), 3);
        assert!(!index_terms("ab").iter().any(|t| a.contains(t)));
    }

    #[test]
    fn coverage_counts_shared_terms() {
        let expert = index_terms("금형냉각 채널 설계");
        assert!((coverage("금형 냉각", &expert) - 1.0).abs() < 1e-9);
        assert!(coverage("사출 성형", &expert) < 0.01);
    }
}
