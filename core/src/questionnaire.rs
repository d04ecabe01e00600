//! One questionnaire model for every form Moim asks people to fill in: a
//! survey (설문·성과조사), and later an event's registration questions and a
//! call's application form. Sections of typed questions, required or not, each
//! perhaps shown only when an earlier yes/no or single choice has a given
//! answer; and the answers, checked against it the same way in the browser (as
//! people type) and on the server (before anything is kept).

use crate::{ErrorCode, FieldErrors, Validate, validate::char_len};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The most sections of a questionnaire.
pub const SECTIONS_MAX: usize = 20;
/// The most questions of a questionnaire, all sections together.
pub const QUESTIONS_MAX: usize = 100;
/// The most choices of a question.
pub const OPTIONS_MAX: usize = 20;
/// The longest section title.
pub const SECTION_TITLE_MAX: usize = 100;
/// The longest question.
pub const QUESTION_MAX: usize = 300;
/// The longest help text under a question.
pub const HELP_MAX: usize = 500;
/// The longest choice.
pub const OPTION_MAX: usize = 100;
/// The longest unit of a number (백만원, 건, 명).
pub const UNIT_MAX: usize = 20;
/// The longest key of a question.
pub const KEY_MAX: usize = 32;
/// The longest short-text answer.
pub const SHORT_ANSWER_MAX: usize = 200;
/// The longest long-text answer.
pub const LONG_ANSWER_MAX: usize = 4000;
/// The largest number an answer may be (in either direction).
pub const NUMBER_MAX: f64 = 1e15;
/// The highest point of a scale question (from 1).
pub const SCALE_MAX: u32 = 5;

code_enum!(
    /// What kind of answer a question takes.
    QuestionType {
        /// One line of text.
        ShortText = "short_text",
        /// Paragraphs.
        LongText = "long_text",
        /// One of its choices.
        SingleChoice = "single_choice",
        /// Any of its choices.
        MultipleChoice = "multiple_choice",
        /// A number, with its unit shown.
        Number = "number",
        /// 1 (lowest) to 5 (highest).
        Scale = "scale",
        /// 예 or 아니요.
        YesNo = "yes_no",
    }
);

impl QuestionType {
    /// Whether it offers choices.
    pub fn has_options(self) -> bool {
        matches!(
            self,
            QuestionType::SingleChoice | QuestionType::MultipleChoice
        )
    }

    /// Whether a later question may be shown only for one of its answers.
    pub fn can_condition(self) -> bool {
        matches!(self, QuestionType::SingleChoice | QuestionType::YesNo)
    }
}

/// "Ask this only if question `question` was answered `equals`": `true` or
/// `false` for a yes/no question, a choice's number (from 0) for a single choice.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Condition {
    /// The key of an earlier question.
    pub question: String,
    /// The answer that shows this question.
    pub equals: Answer,
}

/// One question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Question {
    /// Its key, unique in the questionnaire: lower-case letters, digits and `_`.
    /// Answers and conditions name questions by it.
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 32, pattern = "^[a-z0-9_]+$")
    )]
    pub key: String,
    /// The question as asked.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::text::<1, QUESTION_MAX>))]
    pub text: String,
    /// A line of help under it.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::optional_text::<HELP_MAX>))]
    pub help: Option<String>,
    /// What kind of answer it takes.
    #[serde(rename = "type")]
    pub kind: QuestionType,
    /// The choices of a choice question (none for the others).
    #[serde(default)]
    pub options: Vec<String>,
    /// The unit of a number question (백만원, 건, 명).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::optional_text::<UNIT_MAX>))]
    pub unit: Option<String>,
    /// Whether an answer is needed to submit.
    #[serde(default)]
    pub required: bool,
    /// Shown only when an earlier answer is this.
    #[serde(default)]
    pub show_if: Option<Condition>,
    /// For a number question of a yearly survey: the firm's yearly figure
    /// its answer writes (a whole number from 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub figure: Option<crate::figures::FigureField>,
}

impl Question {
    /// A question of `kind` with key `key`, not required, with no choices.
    pub fn new(key: impl Into<String>, text: impl Into<String>, kind: QuestionType) -> Self {
        Question {
            key: key.into(),
            text: text.into(),
            help: None,
            kind,
            options: Vec::new(),
            unit: None,
            required: false,
            show_if: None,
            figure: None,
        }
    }
}

/// A titled group of questions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Section {
    /// Its title.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::text::<1, SECTION_TITLE_MAX>))]
    pub title: String,
    /// Its questions, in order.
    pub questions: Vec<Question>,
}

/// A questionnaire: sections of questions, in order.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Questionnaire {
    /// Its sections.
    pub sections: Vec<Section>,
}

/// One answer: `true`/`false` for yes/no; a number for a number or a scale;
/// a text; or the chosen choices' numbers (from 0; exactly one for a single
/// choice). Written untagged; read by its JSON shape (below), not by serde's
/// untagged reader, which buffers the value and tries each variant: that reader
/// cost every page that shows a questionnaire kilobytes.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(untagged)]
pub enum Answer {
    /// Yes or no.
    YesNo(bool),
    /// A number.
    Number(f64),
    /// A text.
    Text(String),
    /// Choices' numbers.
    Choices(Vec<u32>),
}

impl<'de> Deserialize<'de> for Answer {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Answer, D::Error> {
        struct Shape;
        impl<'de> serde::de::Visitor<'de> for Shape {
            type Value = Answer;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("true or false, a number, a text or a list of choices")
            }
            fn visit_bool<E>(self, v: bool) -> Result<Answer, E> {
                Ok(Answer::YesNo(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Answer, E> {
                Ok(Answer::Number(v as f64))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Answer, E> {
                Ok(Answer::Number(v as f64))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Answer, E> {
                Ok(Answer::Number(v))
            }
            fn visit_str<E>(self, v: &str) -> Result<Answer, E> {
                Ok(Answer::Text(v.to_owned()))
            }
            fn visit_string<E>(self, v: String) -> Result<Answer, E> {
                Ok(Answer::Text(v))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Answer, A::Error> {
                let mut choices = Vec::new();
                while let Some(c) = seq.next_element::<u32>()? {
                    choices.push(c);
                }
                Ok(Answer::Choices(choices))
            }
        }
        d.deserialize_any(Shape)
    }
}

/// Answers by question key.
pub type Answers = BTreeMap<String, Answer>;

fn is_key(k: &str) -> bool {
    !k.is_empty()
        && k.len() <= KEY_MAX
        && k.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

impl Questionnaire {
    /// Every question, in order.
    pub fn questions(&self) -> impl Iterator<Item = &Question> {
        self.sections.iter().flat_map(|s| s.questions.iter())
    }

    /// The question keyed `key`.
    pub fn question(&self, key: &str) -> Option<&Question> {
        self.questions().find(|q| q.key == key)
    }

    /// Whether `q` is asked given `answers` (its condition holds, and the
    /// question it depends on is asked too).
    pub fn asked(&self, q: &Question, answers: &Answers) -> bool {
        let Some(c) = &q.show_if else { return true };
        match self.question(&c.question) {
            Some(on) => self.asked(on, answers) && answers.get(&c.question) == Some(&c.equals),
            None => false,
        }
    }

    /// Every error of `answers` (fields `answers.<key>`): an answer to no
    /// question of this questionnaire or to one not asked, an answer of the
    /// wrong kind, too long or out of range; and, when `complete` (a
    /// submission, not a draft), every required question asked but unanswered.
    pub fn check(&self, answers: &Answers, complete: bool) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::default();
        for key in answers.keys() {
            if self.question(key).is_none() {
                e.add(format!("answers.{key}"), ErrorCode::InvalidChoice);
            }
        }
        for q in self.questions() {
            let field = format!("answers.{}", q.key);
            match answers.get(&q.key) {
                None if complete && q.required && self.asked(q, answers) => {
                    e.add(field, ErrorCode::Required)
                }
                None => {}
                Some(_) if !self.asked(q, answers) => e.add(field, ErrorCode::InvalidChoice),
                Some(a) => {
                    if let Err(code) = q.accepts(a) {
                        e.add(field, code);
                    } else if complete && q.required && a.is_blank() {
                        e.add(field, ErrorCode::Required);
                    }
                }
            }
        }
        e.into_result()
    }
}

impl Answer {
    /// Whether it says nothing (an empty text or no choice).
    pub fn is_blank(&self) -> bool {
        match self {
            Answer::Text(t) => t.trim().is_empty(),
            Answer::Choices(c) => c.is_empty(),
            Answer::YesNo(_) | Answer::Number(_) => false,
        }
    }
}

impl Question {
    /// Whether `a` is an answer this question takes, or why not.
    pub fn accepts(&self, a: &Answer) -> Result<(), ErrorCode> {
        let choices = u32::try_from(self.options.len()).unwrap_or(u32::MAX);
        match (self.kind, a) {
            (QuestionType::ShortText | QuestionType::LongText, Answer::Text(t)) => {
                let (max, control) = if self.kind == QuestionType::ShortText {
                    (SHORT_ANSWER_MAX, crate::validate::has_control(t))
                } else {
                    (LONG_ANSWER_MAX, crate::validate::has_control_but_newline(t))
                };
                if control {
                    Err(ErrorCode::ControlCharacters)
                } else if char_len(t) > max {
                    Err(ErrorCode::TooLong { max })
                } else {
                    Ok(())
                }
            }
            (QuestionType::SingleChoice, Answer::Choices(c)) if c.len() <= 1 => {
                if c.iter().all(|i| *i < choices) {
                    Ok(())
                } else {
                    Err(ErrorCode::InvalidChoice)
                }
            }
            (QuestionType::MultipleChoice, Answer::Choices(c)) => {
                let mut seen = c.clone();
                seen.sort_unstable();
                seen.dedup();
                if seen.len() == c.len() && c.iter().all(|i| *i < choices) {
                    Ok(())
                } else {
                    Err(ErrorCode::InvalidChoice)
                }
            }
            (QuestionType::Number, Answer::Number(n)) if self.figure.is_some() => {
                let max = self.figure.map_or(0, crate::figures::FigureField::max);
                #[allow(clippy::cast_precision_loss)]
                if n.fract() == 0.0 && (0.0..=max as f64).contains(n) {
                    Ok(())
                } else {
                    Err(ErrorCode::OutOfRange { min: 0, max })
                }
            }
            (QuestionType::Number, Answer::Number(n)) => {
                if n.is_finite() && n.abs() <= NUMBER_MAX {
                    Ok(())
                } else {
                    Err(ErrorCode::OutOfRange {
                        min: -(NUMBER_MAX as i64),
                        max: NUMBER_MAX as i64,
                    })
                }
            }
            (QuestionType::Scale, Answer::Number(n)) => {
                if n.fract() == 0.0 && (1.0..=f64::from(SCALE_MAX)).contains(n) {
                    Ok(())
                } else {
                    Err(ErrorCode::OutOfRange {
                        min: 1,
                        max: i64::from(SCALE_MAX),
                    })
                }
            }
            (QuestionType::YesNo, Answer::YesNo(_)) => Ok(()),
            _ => Err(ErrorCode::InvalidChoice),
        }
    }
}

/// A choice's, yes/no's or scale point's words for an answer, as exports show
/// it (`예`, the choice's text, `4`).
pub fn answer_text(q: &Question, a: &Answer) -> String {
    match a {
        Answer::YesNo(true) => "예".to_owned(),
        Answer::YesNo(false) => "아니요".to_owned(),
        Answer::Number(n) => n.to_string(),
        Answer::Text(t) => t.clone(),
        Answer::Choices(c) => c
            .iter()
            .filter_map(|i| q.options.get(*i as usize).map(|o| o.trim().to_owned()))
            .collect::<Vec<_>>()
            .join("; "),
    }
}

impl Validate for Questionnaire {
    /// At least one question; at most [`SECTIONS_MAX`] sections and
    /// [`QUESTIONS_MAX`] questions; keys unique; choices (2 to
    /// [`OPTIONS_MAX`], each different) only on choice questions and a unit
    /// only on numbers; a condition only on an earlier yes/no or single
    /// choice question, with an answer it can have. Fields are named as in
    /// the JSON (`sections.0.questions.1.options`).
    fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::default();
        let total = self.questions().count();
        if self.sections.len() > SECTIONS_MAX {
            e.add("sections", ErrorCode::TooLong { max: SECTIONS_MAX });
        } else if total == 0 {
            e.add("sections", ErrorCode::Required);
        } else if total > QUESTIONS_MAX {
            e.add("sections", ErrorCode::TooLong { max: QUESTIONS_MAX });
        }
        let mut earlier: Vec<&Question> = Vec::new();
        for (s, section) in self.sections.iter().enumerate() {
            e.text(
                &format!("sections.{s}.title"),
                &section.title,
                1,
                SECTION_TITLE_MAX,
            );
            if section.questions.is_empty() {
                e.add(format!("sections.{s}.questions"), ErrorCode::Required);
            }
            for (i, q) in section.questions.iter().enumerate() {
                let at = format!("sections.{s}.questions.{i}");
                // A key of other characters, or an earlier question's.
                if !is_key(&q.key) || earlier.iter().any(|p| p.key == q.key) {
                    e.add(format!("{at}.key"), ErrorCode::InvalidChoice);
                }
                e.text(&format!("{at}.text"), &q.text, 1, QUESTION_MAX);
                e.optional_text(&format!("{at}.help"), q.help.as_deref(), HELP_MAX);
                let options = format!("{at}.options");
                if q.kind.has_options() {
                    if q.options.len() < 2 {
                        e.add(&options, ErrorCode::TooShort { min: 2 });
                    } else if q.options.len() > OPTIONS_MAX {
                        e.add(&options, ErrorCode::TooLong { max: OPTIONS_MAX });
                    }
                    for (o, text) in q.options.iter().enumerate() {
                        e.text(&format!("{options}.{o}"), text, 1, OPTION_MAX);
                        if q.options[..o].iter().any(|p| p.trim() == text.trim()) {
                            e.add(format!("{options}.{o}"), ErrorCode::InvalidChoice);
                        }
                    }
                } else if !q.options.is_empty() {
                    e.add(&options, ErrorCode::TooLong { max: 0 });
                }
                // A figure once, and only on a number question.
                if let Some(f) = q.figure
                    && (q.kind != QuestionType::Number
                        || earlier.iter().any(|p| p.figure == Some(f)))
                {
                    e.add(format!("{at}.figure"), ErrorCode::InvalidChoice);
                }
                match (q.kind, &q.unit) {
                    (QuestionType::Number, unit) => {
                        e.optional_text(&format!("{at}.unit"), unit.as_deref(), UNIT_MAX)
                    }
                    (_, Some(_)) => e.add(format!("{at}.unit"), ErrorCode::TooLong { max: 0 }),
                    (_, None) => {}
                }
                if let Some(c) = &q.show_if {
                    let field = format!("{at}.show_if");
                    match earlier.iter().find(|p| p.key == c.question) {
                        None => e.add(field, ErrorCode::InvalidChoice),
                        Some(on) if !on.kind.can_condition() => {
                            e.add(field, ErrorCode::InvalidChoice)
                        }
                        Some(on) => {
                            let fits = match &c.equals {
                                Answer::Choices(one) => {
                                    one.len() == 1 && on.accepts(&c.equals).is_ok()
                                }
                                other => on.accepts(other).is_ok(),
                            };
                            if !fits {
                                e.add(field, ErrorCode::InvalidChoice);
                            }
                        }
                    }
                }
                earlier.push(q);
            }
        }
        e.into_result()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn choice(key: &str, kind: QuestionType, options: &[&str]) -> Question {
        Question {
            options: options.iter().map(|o| (*o).to_owned()).collect(),
            ..Question::new(key, "질문", kind)
        }
    }

    /// 협력 여부 (yes/no), then how many (asked only on yes, required), then
    /// satisfaction (1–5), then a comment.
    fn sample() -> Questionnaire {
        let mut count = Question::new("count", "협력 과제 수", QuestionType::Number);
        count.unit = Some("건".into());
        count.required = true;
        count.show_if = Some(Condition {
            question: "coop".into(),
            equals: Answer::YesNo(true),
        });
        let mut coop = Question::new("coop", "산학연 협력을 했습니까?", QuestionType::YesNo);
        coop.required = true;
        Questionnaire {
            sections: vec![
                Section {
                    title: "협력".into(),
                    questions: vec![coop, count],
                },
                Section {
                    title: "만족도".into(),
                    questions: vec![
                        Question::new("satisfaction", "만족도", QuestionType::Scale),
                        choice(
                            "via",
                            QuestionType::MultipleChoice,
                            &["대학", "연구소", "기업"],
                        ),
                        Question::new("comment", "의견", QuestionType::LongText),
                    ],
                },
            ],
        }
    }

    fn answers(items: &[(&str, Answer)]) -> Answers {
        items
            .iter()
            .map(|(k, a)| ((*k).to_owned(), a.clone()))
            .collect()
    }

    fn codes(r: Result<(), FieldErrors>) -> Vec<(String, ErrorCode)> {
        r.err()
            .map(|e| e.0.into_iter().map(|f| (f.field, f.code)).collect())
            .unwrap_or_default()
    }

    #[test]
    fn a_sound_questionnaire_passes() {
        assert_eq!(sample().validate(), Ok(()));
    }

    #[test]
    fn a_questionnaire_without_questions_is_refused() {
        let empty = Questionnaire::default();
        assert_eq!(
            codes(empty.validate()),
            [("sections".into(), ErrorCode::Required)]
        );
        let hollow = Questionnaire {
            sections: vec![Section {
                title: "빈 구역".into(),
                questions: vec![],
            }],
        };
        assert!(codes(hollow.validate()).contains(&("sections".into(), ErrorCode::Required)));
    }

    #[test]
    fn keys_choices_units_and_conditions_are_checked() {
        let cases: Vec<(Question, &str, ErrorCode)> = vec![
            (
                Question::new("Bad Key", "q", QuestionType::YesNo),
                "key",
                ErrorCode::InvalidChoice,
            ),
            (
                Question::new("coop", "q", QuestionType::YesNo),
                "key",
                ErrorCode::InvalidChoice,
            ),
            (
                choice("one", QuestionType::SingleChoice, &["하나"]),
                "options",
                ErrorCode::TooShort { min: 2 },
            ),
            (
                choice("same", QuestionType::SingleChoice, &["가", " 가"]),
                "options.1",
                ErrorCode::InvalidChoice,
            ),
            (
                choice("text", QuestionType::ShortText, &["가", "나"]),
                "options",
                ErrorCode::TooLong { max: 0 },
            ),
            (
                Question {
                    unit: Some("건".into()),
                    ..Question::new("u", "q", QuestionType::Scale)
                },
                "unit",
                ErrorCode::TooLong { max: 0 },
            ),
            (
                Question {
                    show_if: Some(Condition {
                        question: "later".into(),
                        equals: Answer::YesNo(true),
                    }),
                    ..Question::new("c1", "q", QuestionType::YesNo)
                },
                "show_if",
                ErrorCode::InvalidChoice,
            ),
            (
                Question {
                    show_if: Some(Condition {
                        question: "count".into(),
                        equals: Answer::Number(1.0),
                    }),
                    ..Question::new("c2", "q", QuestionType::YesNo)
                },
                "show_if",
                ErrorCode::InvalidChoice,
            ),
            (
                Question {
                    show_if: Some(Condition {
                        question: "coop".into(),
                        equals: Answer::Choices(vec![0]),
                    }),
                    ..Question::new("c3", "q", QuestionType::YesNo)
                },
                "show_if",
                ErrorCode::InvalidChoice,
            ),
        ];
        for (q, field, code) in cases {
            let mut qs = sample();
            qs.sections[1].questions.push(q);
            let at = format!("sections.1.questions.3.{field}");
            assert_eq!(codes(qs.validate()), [(at, code)]);
        }
    }

    #[test]
    fn a_draft_may_be_partial_but_a_submission_answers_what_is_required() {
        let qs = sample();
        assert_eq!(qs.check(&answers(&[]), false), Ok(()));
        assert_eq!(
            codes(qs.check(&answers(&[]), true)),
            [("answers.coop".into(), ErrorCode::Required)]
        );
        // The count is asked, and required, only after a yes.
        let yes = answers(&[("coop", Answer::YesNo(true))]);
        assert_eq!(
            codes(qs.check(&yes, true)),
            [("answers.count".into(), ErrorCode::Required)]
        );
        let no = answers(&[("coop", Answer::YesNo(false))]);
        assert_eq!(qs.check(&no, true), Ok(()));
    }

    #[test]
    fn an_answer_must_fit_its_question() {
        let qs = sample();
        let cases: Vec<(&str, Answer, ErrorCode)> = vec![
            ("nope", Answer::YesNo(true), ErrorCode::InvalidChoice),
            ("count", Answer::Number(3.0), ErrorCode::InvalidChoice),
            (
                "satisfaction",
                Answer::Number(6.0),
                ErrorCode::OutOfRange { min: 1, max: 5 },
            ),
            (
                "satisfaction",
                Answer::Number(2.5),
                ErrorCode::OutOfRange { min: 1, max: 5 },
            ),
            (
                "satisfaction",
                Answer::Text("5".into()),
                ErrorCode::InvalidChoice,
            ),
            ("via", Answer::Choices(vec![3]), ErrorCode::InvalidChoice),
            ("via", Answer::Choices(vec![1, 1]), ErrorCode::InvalidChoice),
            (
                "comment",
                Answer::Text("a\u{0}".into()),
                ErrorCode::ControlCharacters,
            ),
            (
                "comment",
                Answer::Text("가".repeat(LONG_ANSWER_MAX + 1)),
                ErrorCode::TooLong {
                    max: LONG_ANSWER_MAX,
                },
            ),
        ];
        for (key, a, code) in cases {
            let got = codes(qs.check(&answers(&[("coop", Answer::YesNo(false)), (key, a)]), false));
            assert_eq!(got, [(format!("answers.{key}"), code)], "{key}");
        }
        let fine = answers(&[
            ("coop", Answer::YesNo(true)),
            ("count", Answer::Number(2.0)),
            ("satisfaction", Answer::Number(4.0)),
            ("via", Answer::Choices(vec![0, 2])),
            ("comment", Answer::Text("좋았습니다\n감사합니다".into())),
        ]);
        assert_eq!(qs.check(&fine, true), Ok(()));
    }

    #[test]
    fn answers_read_from_json_by_their_shape() {
        let a: Answers =
            serde_json::from_str(r#"{"coop":true,"count":2,"via":[0,2],"comment":"네"}"#).unwrap();
        assert_eq!(a["coop"], Answer::YesNo(true));
        assert_eq!(a["count"], Answer::Number(2.0));
        assert_eq!(a["via"], Answer::Choices(vec![0, 2]));
        assert_eq!(a["comment"], Answer::Text("네".into()));
        // Neither an object nor a list of anything but choices' numbers.
        for bad in [
            r#"{"a":{}}"#,
            r#"{"a":[-1]}"#,
            r#"{"a":["x"]}"#,
            r#"{"a":null}"#,
        ] {
            assert!(serde_json::from_str::<Answers>(bad).is_err(), "{bad}");
        }
        // What is written is read back the same.
        let text = serde_json::to_string(&a).unwrap();
        assert_eq!(serde_json::from_str::<Answers>(&text).unwrap(), a);
    }
}
