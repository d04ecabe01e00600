//! Surveys (설문·성과조사): a questionnaire sent by an agency admin (to the
//! programme, a region or chosen consortia) or a CM (to their consortia) to
//! member firms or all member organisations, answered once per organisation or
//! once per person between an opening and a closing day, with a reminder to
//! those who have not answered some days before it closes.

use crate::{
    ConsortiumId, FieldErrors, SurveyId, Validate,
    questionnaire::{Answer, Answers, Questionnaire},
    reference::Region,
};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// The longest survey title.
pub const TITLE_MAX: usize = 100;
/// The longest survey description.
pub const DESCRIPTION_MAX: usize = 2000;
/// The most consortia a survey is sent to by name.
pub const CONSORTIA_MAX: usize = 50;
/// The most days before closing a reminder goes out.
pub const REMIND_DAYS_MAX: i64 = 14;
/// The longest a survey stays open, in days.
pub const OPEN_DAYS_MAX: i64 = 366;
/// The first and last years a survey's days may fall in.
pub const FIRST_YEAR: i32 = 2000;
pub const LAST_YEAR: i32 = 2100;

code_enum!(
    /// Whom a survey is sent to, by place.
    SurveyScope {
        /// The member organisations of every consortium (agency admins only).
        Programme = "programme",
        /// Those of the consortia of one region's complexes (agency admins only).
        Region = "region",
        /// Those of the consortia named.
        Consortia = "consortia",
    }
);

code_enum!(
    /// Whom a survey is sent to, by kind of organisation.
    Audience {
        /// Member firms only.
        Firms = "firms",
        /// Every member organisation (firms, universities, institutes, agencies).
        Members = "members",
    }
);

code_enum!(
    /// Who answers.
    Respondent {
        /// One answer per organisation, which any of its confirmed people may
        /// fill in (one shared draft).
        Organisation = "organisation",
        /// One answer per confirmed person of the organisations.
        Person = "person",
    }
);

code_enum!(
    /// Where a survey stands today.
    SurveyStatus {
        /// Before its opening day.
        Upcoming = "upcoming",
        /// From its opening day to its closing day (in Korea).
        Open = "open",
        /// After its closing day, or closed early by its author.
        Closed = "closed",
    }
);

impl SurveyStatus {
    /// The status of a survey open `opens_on..=closes_on` on `today`.
    pub fn on(today: NaiveDate, opens_on: NaiveDate, closes_on: NaiveDate, closed: bool) -> Self {
        if closed || today > closes_on {
            SurveyStatus::Closed
        } else if today < opens_on {
            SurveyStatus::Upcoming
        } else {
            SurveyStatus::Open
        }
    }
}

/// A survey as its author writes it (to create it, or to change it while it
/// has no answers).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SurveyDraft {
    /// Its title.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::text::<1, TITLE_MAX>))]
    pub title: String,
    /// What it is for, who reads the answers.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::optional_paragraphs::<DESCRIPTION_MAX>))]
    pub description: Option<String>,
    /// Sent to the programme, a region or the consortia named.
    pub scope: SurveyScope,
    /// The region, for the region scope.
    #[serde(default)]
    pub region: Option<Region>,
    /// The consortia, for the consortia scope (one to fifty).
    #[serde(default)]
    pub consortia: Vec<ConsortiumId>,
    /// Firms, or every member organisation.
    pub audience: Audience,
    /// One answer per organisation, or per person.
    pub respondent: Respondent,
    /// The first day answers are taken (in Korea).
    pub opens_on: NaiveDate,
    /// The last day answers are taken.
    pub closes_on: NaiveDate,
    /// Days before the closing day to remind those who have not answered
    /// (none: no reminder).
    #[serde(default, deserialize_with = "crate::ids::optional_whole")]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 14))]
    pub remind_days: Option<i64>,
    /// The questions.
    pub questionnaire: Questionnaire,
    /// For a yearly survey (연간 성과조사): the year whose figures its
    /// figure questions write, once an answer is submitted (the year it
    /// closes in or one of the two before).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(minimum = 2000, maximum = 2100))]
    pub figures_year: Option<i32>,
}

impl SurveyDraft {
    /// Whether any question writes a firm's figure.
    pub fn writes_figures(&self) -> bool {
        self.questionnaire.questions().any(|q| q.figure.is_some())
    }
}

impl Validate for SurveyDraft {
    fn validate(&self) -> Result<(), FieldErrors> {
        use crate::ErrorCode;
        let mut e = FieldErrors::default();
        e.text("title", &self.title, 1, TITLE_MAX);
        e.optional_paragraphs("description", self.description.as_deref(), DESCRIPTION_MAX);
        match self.scope {
            SurveyScope::Region if self.region.is_none() => e.add("region", ErrorCode::Required),
            SurveyScope::Consortia if self.consortia.is_empty() => {
                e.add("consortia", ErrorCode::Required)
            }
            SurveyScope::Consortia if self.consortia.len() > CONSORTIA_MAX => {
                e.add("consortia", ErrorCode::TooLong { max: CONSORTIA_MAX })
            }
            SurveyScope::Consortia => {
                let mut ids: Vec<i64> = self.consortia.iter().map(|c| c.0).collect();
                ids.sort_unstable();
                ids.dedup();
                if ids.len() != self.consortia.len() {
                    e.add("consortia", ErrorCode::InvalidChoice);
                }
            }
            _ => {}
        }
        use chrono::Datelike;
        for (field, day) in [("opens_on", self.opens_on), ("closes_on", self.closes_on)] {
            crate::call::in_years(&mut e, field, day);
        }
        let days = (self.closes_on - self.opens_on).num_days();
        if days < 0 {
            e.add("closes_on", ErrorCode::EndBeforeStart);
        } else if days >= OPEN_DAYS_MAX {
            e.add(
                "closes_on",
                ErrorCode::OutOfRange {
                    min: 0,
                    max: OPEN_DAYS_MAX - 1,
                },
            );
        }
        if let Some(d) = self.remind_days {
            e.range("remind_days", d, 1, REMIND_DAYS_MAX);
        }
        if let Err(q) = self.questionnaire.validate() {
            for f in q.0 {
                e.add(format!("questionnaire.{}", f.field), f.code);
            }
        }
        // Figures are a firm's: written by one answer per firm, for a year
        // that has begun by the closing day.
        if self.writes_figures() {
            if self.audience != Audience::Firms {
                e.add("audience", ErrorCode::InvalidChoice);
            }
            if self.respondent != Respondent::Organisation {
                e.add("respondent", ErrorCode::InvalidChoice);
            }
            match self.figures_year {
                None => e.add("figures_year", ErrorCode::Required),
                // The year it closes in or one of the two before: a survey
                // does not rewrite a year long past.
                Some(y) if !(self.closes_on.year() - 2..=self.closes_on.year()).contains(&y) => e
                    .add(
                        "figures_year",
                        ErrorCode::OutOfRange {
                            min: i64::from(self.closes_on.year() - 2),
                            max: i64::from(self.closes_on.year()),
                        },
                    ),
                Some(_) => {}
            }
        }
        e.into_result()
    }
}

/// A survey in a list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SurveySummary {
    /// Id.
    pub id: SurveyId,
    /// Title.
    pub title: String,
    /// Where it stands today.
    pub status: SurveyStatus,
    /// First day.
    pub opens_on: NaiveDate,
    /// Last day.
    pub closes_on: NaiveDate,
    /// For whom answering: whether their (or their organisation's) answer is
    /// submitted.
    pub submitted: bool,
    /// For whom answering: whether a draft is kept.
    pub drafted: bool,
    /// For its managers: submitted answers.
    pub answers: Option<i64>,
    /// For its managers: how many are asked to answer (organisations or
    /// people, as the survey is answered).
    pub asked: Option<i64>,
}

/// The surveys a person sees: those they are asked to answer (open, or
/// closed with their answer) and those they manage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SurveyList {
    /// To answer (the open ones first).
    pub to_answer: Vec<SurveySummary>,
    /// Written by them, or (for an admin) by anyone; for a CM, those sent
    /// only to consortia they manage.
    pub managed: Vec<SurveySummary>,
    /// Whether they may write a survey (an admin, or a CM).
    pub can_create: bool,
}

/// A respondent's answer as kept.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SurveyAnswer {
    /// The answers by question key.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub answers: Answers,
    /// When it was submitted (none: a draft).
    pub submitted_at: Option<DateTime<Utc>>,
    /// When it was last saved.
    pub updated_at: DateTime<Utc>,
    /// Who saved it last.
    pub updated_by: Option<String>,
}

/// One survey.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SurveyView {
    /// Id.
    pub id: SurveyId,
    /// The survey as written.
    pub survey: SurveyDraft,
    /// Where it stands today.
    pub status: SurveyStatus,
    /// Its author.
    pub author: Option<String>,
    /// Whether the reader manages it (edits it while unanswered, closes it,
    /// reads its results).
    pub can_manage: bool,
    /// Whether anyone has saved an answer (its questions are then fixed).
    pub answered: bool,
    /// Whether the reader is asked to answer it.
    pub can_answer: bool,
    /// For whom answers: for an organisation's survey, the organisation's name.
    pub answering_for: Option<String>,
    /// The reader's (or their organisation's) answer so far.
    pub answer: Option<SurveyAnswer>,
    /// For a yearly survey not yet answered: the firm's figures kept for the
    /// year (or, failing those, the year before), to start from.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub prefill: Answers,
}

/// Saves an answer: a draft (anything asked may be missing), or a submission
/// (every required question asked is answered). Once submitted, an answer is
/// changed only by submitting it again, until the survey closes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SaveAnswer {
    /// The answers by question key.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub answers: Answers,
    /// Submit it (else: keep it as a draft).
    #[serde(default)]
    pub submit: bool,
    /// A yearly survey's figures that look wrong next to last year's (or to
    /// each other) were seen and are meant: without it they are `422
    /// implausible` on their questions, as on the figures page.
    #[serde(default)]
    pub confirmed: bool,
    /// The `updated_at` of the answer these changes started from (none: a
    /// new answer). When sent, a save over an answer changed since (by a
    /// colleague, for an organisation's survey) is refused with `409
    /// answer_changed` instead of overwriting it.
    #[serde(default)]
    pub base: Option<DateTime<Utc>>,
}

/// Who has (and has not) answered, for one consortium.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConsortiumResponses {
    /// The consortium.
    pub consortium_id: ConsortiumId,
    /// Its name.
    pub name: String,
    /// Asked to answer.
    pub asked: i64,
    /// Submitted.
    pub submitted: i64,
    /// Those who have not submitted yet (organisations, or people with their
    /// organisation), for the CM to chase.
    pub missing: Vec<String>,
}

/// What the answers to one question add up to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuestionSummary {
    /// The question's key.
    pub key: String,
    /// Answers given (not blank).
    pub answered: i64,
    /// For choices, yes/no and scales: how many gave each answer (choices in
    /// order; 예 then 아니요; 1 to 5).
    pub counts: Vec<i64>,
    /// For numbers and scales: the mean.
    pub mean: Option<f64>,
    /// For numbers and scales: the median.
    pub median: Option<f64>,
    /// For texts: up to five of the latest answers.
    pub samples: Vec<String>,
}

/// A survey's results for its managers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SurveyResults {
    /// The survey.
    pub id: SurveyId,
    /// Its title.
    pub title: String,
    /// Where it stands.
    pub status: SurveyStatus,
    /// Its questions.
    pub questionnaire: Questionnaire,
    /// Asked to answer, in all.
    pub asked: i64,
    /// Submitted answers, in all.
    pub submitted: i64,
    /// Drafts not submitted yet.
    pub drafts: i64,
    /// By consortium.
    pub consortia: Vec<ConsortiumResponses>,
    /// By question (submitted answers only), in the questionnaire's order.
    pub questions: Vec<QuestionSummary>,
}

impl SurveyResults {
    /// The share of those asked who submitted, in percent.
    pub fn rate(&self) -> Option<f64> {
        (self.asked > 0).then(|| (self.submitted as f64) * 100.0 / (self.asked as f64))
    }
}

pub use crate::questionnaire::answer_text;

/// The yearly performance survey (연간 성과조사) for the figures of `year`:
/// the firm's figures (each question writes one, and starts from what the
/// firm has entered), the cooperation projects it did outside Moim (how
/// many, with whom, supported by which programme), satisfaction with its
/// consortium's activities, and comments. Sent to the programme's firms,
/// one answer per firm; the author may change any of it before sending.
pub fn yearly_survey(year: i32, opens_on: NaiveDate, closes_on: NaiveDate) -> SurveyDraft {
    use crate::{
        figures::FigureField as F,
        questionnaire::{Condition, Question, QuestionType as T, Section},
    };
    let number = |key: &str, text: String, unit: &str, figure: F, required: bool| Question {
        unit: Some(unit.to_owned()),
        required,
        figure: Some(figure),
        ..Question::new(key, text, T::Number)
    };
    let if_coop = Some(Condition {
        question: "coop".into(),
        equals: Answer::YesNo(true),
    });
    let figures = vec![
        number(
            "sales",
            format!("{year}년 매출액"),
            "백만원",
            F::Sales,
            true,
        ),
        number(
            "exports",
            format!("{year}년 수출액"),
            "백만원",
            F::Exports,
            false,
        ),
        number(
            "rnd_spending",
            format!("{year}년 연구개발비"),
            "백만원",
            F::RndSpending,
            true,
        ),
        number(
            "employees",
            format!("{year}년 말 상시근로자 수"),
            "명",
            F::Employees,
            true,
        ),
        number(
            "rnd_staff",
            "그중 연구개발 인력".into(),
            "명",
            F::RndStaff,
            false,
        ),
    ];
    let cooperation = vec![
        Question {
            required: true,
            ..Question::new(
                "coop",
                format!("{year}년에 모임 밖에서 대학·연구기관과 함께 한 협력 과제가 있습니까?"),
                T::YesNo,
            )
        },
        Question {
            show_if: if_coop.clone(),
            ..number(
                "coop_projects",
                "협력 과제 수".into(),
                "건",
                F::CoopProjects,
                true,
            )
        },
        Question {
            show_if: if_coop.clone(),
            help: Some("예: 창원대학교 기계공학과, 한국생산기술연구원".into()),
            ..Question::new("coop_partners", "함께한 대학·연구기관", T::ShortText)
        },
        Question {
            show_if: if_coop,
            options: [
                "산업단지 클러스터 사업",
                "기타 정부 연구개발 사업",
                "지방자치단체 사업",
                "자체 부담",
                "기타",
            ]
            .map(str::to_owned)
            .to_vec(),
            ..Question::new("coop_programme", "지원받은 사업", T::SingleChoice)
        },
    ];
    let activities = vec![
        Question {
            required: true,
            ..Question::new(
                "satisfaction",
                "협의체 활동에 얼마나 만족하십니까?",
                T::Scale,
            )
        },
        Question::new("comments", "바라는 점이나 제안", T::LongText),
    ];
    SurveyDraft {
        title: format!("{year}년 연간 성과조사"),
        description: Some(format!(
            "{year}년 기업 실적과 산학연 협력, 협의체 활동 만족도를 묻습니다. 제출한 실적은 귀사의 기업 성과 현황에 기록되며, 귀사 구성원과 소속 협의체 CM, 추진기관 관리자만 봅니다."
        )),
        scope: SurveyScope::Programme,
        region: None,
        consortia: Vec::new(),
        audience: Audience::Firms,
        respondent: Respondent::Organisation,
        opens_on,
        closes_on,
        remind_days: Some(3),
        questionnaire: Questionnaire {
            sections: vec![
                Section {
                    title: format!("{year}년 기업 실적 (금액은 백만원)"),
                    questions: figures,
                },
                Section {
                    title: "산학연 협력 (모임 밖)".into(),
                    questions: cooperation,
                },
                Section {
                    title: "협의체 활동".into(),
                    questions: activities,
                },
            ],
        },
        figures_year: Some(year),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        ErrorCode,
        questionnaire::{Question, QuestionType, Section},
    };

    fn draft() -> SurveyDraft {
        SurveyDraft {
            title: "2026 연간 성과조사".into(),
            description: None,
            scope: SurveyScope::Consortia,
            region: None,
            consortia: vec![ConsortiumId(1)],
            audience: Audience::Firms,
            respondent: Respondent::Organisation,
            opens_on: NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
            closes_on: NaiveDate::from_ymd_opt(2026, 12, 20).unwrap(),
            remind_days: Some(3),
            questionnaire: Questionnaire {
                sections: vec![Section {
                    title: "만족도".into(),
                    questions: vec![Question::new("s", "만족도", QuestionType::Scale)],
                }],
            },
            figures_year: None,
        }
    }

    fn fields(d: &SurveyDraft) -> Vec<(String, ErrorCode)> {
        d.validate()
            .err()
            .map(|e| e.0.into_iter().map(|f| (f.field, f.code)).collect())
            .unwrap_or_default()
    }

    #[test]
    fn a_survey_needs_a_target_dates_in_order_and_questions() {
        assert_eq!(draft().validate(), Ok(()));
        type Case = (fn(&mut SurveyDraft), &'static str, ErrorCode);
        let cases: Vec<Case> = vec![
            (|d| d.consortia.clear(), "consortia", ErrorCode::Required),
            (
                |d| d.consortia.push(ConsortiumId(1)),
                "consortia",
                ErrorCode::InvalidChoice,
            ),
            (
                |d| d.scope = SurveyScope::Region,
                "region",
                ErrorCode::Required,
            ),
            (
                |d| d.closes_on = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
                "closes_on",
                ErrorCode::EndBeforeStart,
            ),
            (
                |d| d.remind_days = Some(0),
                "remind_days",
                ErrorCode::OutOfRange { min: 1, max: 14 },
            ),
            (
                |d| d.questionnaire.sections.clear(),
                "questionnaire.sections",
                ErrorCode::Required,
            ),
            (|d| d.title = " ".into(), "title", ErrorCode::Required),
        ];
        for (change, field, code) in cases {
            let mut d = draft();
            change(&mut d);
            assert_eq!(fields(&d), [(field.to_owned(), code)], "{field}");
        }
    }

    #[test]
    fn status_follows_the_days_in_korea() {
        let d = |day| NaiveDate::from_ymd_opt(2026, 12, day).unwrap();
        assert_eq!(
            SurveyStatus::on(d(1), d(2), d(3), false),
            SurveyStatus::Upcoming
        );
        assert_eq!(
            SurveyStatus::on(d(2), d(2), d(3), false),
            SurveyStatus::Open
        );
        assert_eq!(
            SurveyStatus::on(d(3), d(2), d(3), false),
            SurveyStatus::Open
        );
        assert_eq!(
            SurveyStatus::on(d(4), d(2), d(3), false),
            SurveyStatus::Closed
        );
        assert_eq!(
            SurveyStatus::on(d(2), d(2), d(3), true),
            SurveyStatus::Closed
        );
    }

    #[test]
    fn the_yearly_survey_writes_figures_of_firms() {
        let day = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
        let yearly = yearly_survey(2025, day(3, 1), day(3, 31));
        assert!(yearly.validate().is_ok(), "{:?}", yearly.validate());
        assert!(yearly.writes_figures());
        // Per person, or to every member: refused; a year after closing too.
        let mut d = yearly.clone();
        d.respondent = Respondent::Person;
        d.audience = Audience::Members;
        d.figures_year = Some(2023);
        let fields: Vec<String> = d
            .validate()
            .unwrap_err()
            .0
            .into_iter()
            .map(|f| f.field)
            .collect();
        assert_eq!(fields, ["audience", "respondent", "figures_year"]);
        // A figure is a whole amount from 0, and a second question of the
        // same figure is refused.
        let q = &yearly.questionnaire;
        let sales = q.question("sales").unwrap();
        assert!(sales.accepts(&Answer::Number(5_000.0)).is_ok());
        assert!(sales.accepts(&Answer::Number(12.5)).is_err());
        assert!(sales.accepts(&Answer::Number(-1.0)).is_err());
        let mut twice = yearly.clone();
        twice.questionnaire.sections[0].questions[1].figure =
            Some(crate::figures::FigureField::Sales);
        let e = twice.validate().unwrap_err();
        assert_eq!(e.0[0].field, "questionnaire.sections.0.questions.1.figure");
    }
}
