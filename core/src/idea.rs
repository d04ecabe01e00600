//! The idea board (in the spirit of KICOX's IDEA STORAGE): ideas with photos,
//! 공감 votes, threaded comments, stages set by the consortium's CM, reports and
//! moderation, and the keyset-paged feeds.

use crate::{
    CommentId, ConsortiumId, IdeaId, ProblemId,
    account::PersonRef,
    error::{ErrorCode, FieldErrors},
    validate::{QUERY_MAX, REASON_MAX, Validate, char_len},
};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Shortest idea title.
pub const TITLE_MIN: usize = 2;
/// Longest idea title.
pub const TITLE_MAX: usize = 100;
/// Longest idea body.
pub const BODY_MAX: usize = 5000;
/// Most tags on an idea.
pub const TAGS_MAX: usize = 5;
/// Longest tag.
pub const TAG_MAX: usize = 20;
/// Longest comment.
pub const COMMENT_MAX: usize = 2000;
/// Most photos on an idea.
pub const PHOTOS_MAX: usize = 4;
/// Largest photo the server takes, in bytes (the app scales photos down to a few
/// hundred kilobytes before sending).
pub const PHOTO_MAX: usize = 5 * 1024 * 1024;
/// How long after posting an author may edit an idea or a comment, in hours.
pub const EDIT_WINDOW_HOURS: i64 = 24;
/// Ideas per feed page.
pub const FEED_PAGE: u32 = 20;

code_enum!(
    /// Where an idea stands; set by the consortium's CM (or an admin).
    IdeaStage {
        /// 새 아이디어.
        New = "new",
        /// 논의 중.
        Discussion = "discussion",
        /// 채택.
        Adopted = "adopted",
        /// R&D 과제로 발전 (linked to a problem).
        Problem = "problem",
        /// 보관.
        Archived = "archived",
    }
);

code_enum!(
    /// Order of a feed.
    FeedSort {
        /// Newest first.
        New = "new",
        /// Votes and comments weighted by age.
        Rising = "rising",
        /// Most comments first.
        Discussed = "discussed",
    }
);

code_enum!(
    /// Why a member reports a post.
    ReportReason {
        /// Advertising or spam.
        Spam = "spam",
        /// Abusive or offensive.
        Abuse = "abuse",
        /// Reveals confidential or personal information.
        Confidential = "confidential",
        /// Not about the cluster's business.
        OffTopic = "off_topic",
        /// Something else (the note says what).
        Other = "other",
    }
);

code_enum!(
    /// A step in an idea's history.
    IdeaEventKind {
        /// Posted.
        Posted = "posted",
        /// The stage changed.
        Stage = "stage",
        /// Hidden by a moderator.
        Hidden = "hidden",
        /// Restored by a moderator.
        Restored = "restored",
    }
);

/// Tags as stored: trimmed, a leading `#` dropped, no duplicates (in any case,
/// as the index keeps them lower-cased: "Énergie" and "énergie" are one), in order.
pub fn clean_tags(tags: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for t in tags {
        let t = t.trim().trim_start_matches('#').trim();
        if !t.is_empty() && !out.iter().any(|o| o.to_lowercase() == t.to_lowercase()) {
            out.push(t.to_owned());
        }
    }
    out
}

fn check_tags(e: &mut FieldErrors, tags: &[String]) {
    let tags = clean_tags(tags);
    if tags.len() > TAGS_MAX {
        e.add("tags", ErrorCode::TooLong { max: TAGS_MAX });
    } else if tags.iter().any(|t| char_len(t) > TAG_MAX) {
        e.add("tags", ErrorCode::TooLong { max: TAG_MAX });
    } else if tags
        .iter()
        .any(|t| crate::validate::has_control(t) || t.contains(','))
    {
        e.add("tags", ErrorCode::ControlCharacters);
    }
}

/// A new idea. Photos travel in the same multipart request (parts `photo`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewIdea {
    /// Title.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::text::<TITLE_MIN, TITLE_MAX>))]
    pub title: String,
    /// The idea.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::paragraphs::<1, BODY_MAX>))]
    pub body: String,
    /// Up to five tags.
    #[serde(default)]
    pub tags: Vec<String>,
    /// A consortium whose members alone see it; none means all members.
    #[serde(default)]
    pub consortium_id: Option<ConsortiumId>,
    /// A key the client makes once per idea: sending again returns the first.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::idempotency_key))]
    pub idempotency_key: String,
}

impl Validate for NewIdea {
    fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::default();
        e.text("title", &self.title, TITLE_MIN, TITLE_MAX);
        e.paragraphs("body", &self.body, 1, BODY_MAX);
        check_tags(&mut e, &self.tags);
        e.idempotency_key("idempotency_key", &self.idempotency_key);
        e.into_result()
    }
}

/// The author's edit, within [`EDIT_WINDOW_HOURS`].
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EditIdea {
    /// Title.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::text::<TITLE_MIN, TITLE_MAX>))]
    pub title: String,
    /// The idea.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::paragraphs::<1, BODY_MAX>))]
    pub body: String,
    /// Tags.
    #[serde(default)]
    pub tags: Vec<String>,
}

impl Validate for EditIdea {
    fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::default();
        e.text("title", &self.title, TITLE_MIN, TITLE_MAX);
        e.paragraphs("body", &self.body, 1, BODY_MAX);
        check_tags(&mut e, &self.tags);
        e.into_result()
    }
}

/// The consortium an idea belongs to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConsortiumTag {
    /// Id.
    pub id: ConsortiumId,
    /// Name.
    pub name: String,
}

/// An idea in a feed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IdeaSummary {
    /// Id.
    pub id: IdeaId,
    /// Title.
    pub title: String,
    /// The first lines of the body.
    pub excerpt: String,
    /// Tags.
    pub tags: Vec<String>,
    /// The consortium, when only its members see the idea.
    pub consortium: Option<ConsortiumTag>,
    /// Who posted it.
    pub author: PersonRef,
    /// Stage.
    pub stage: IdeaStage,
    /// 공감 votes.
    pub votes: i64,
    /// Comments (visible ones).
    pub comments: i64,
    /// The first photo, for the card.
    pub photo: Option<i64>,
    /// How many photos.
    pub photo_count: i64,
    /// Whether the caller gave it a 공감.
    pub voted: bool,
    /// Hidden by a moderator (only moderators and the author see such ideas).
    pub hidden: bool,
    /// Posted.
    #[serde(with = "crate::wire_time")]
    pub created_at: DateTime<Utc>,
}

/// A comment; hidden or deleted ones keep their place (for their replies) without
/// their text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CommentView {
    /// Id.
    pub id: CommentId,
    /// The comment it answers.
    pub parent_id: Option<CommentId>,
    /// Who wrote it.
    pub author: PersonRef,
    /// The text; empty when hidden from the caller or deleted.
    pub body: String,
    /// Written by the idea's author: shown as the author's answer.
    pub by_idea_author: bool,
    /// The caller wrote it.
    pub mine: bool,
    /// The author may still edit it.
    pub editable: bool,
    /// Hidden by a moderator.
    pub hidden: bool,
    /// Deleted by its author.
    pub deleted: bool,
    /// Edited after posting.
    pub edited: bool,
    /// Open reports (moderators only, else 0).
    pub reports: i64,
    /// Written.
    #[serde(with = "crate::wire_time")]
    pub created_at: DateTime<Utc>,
}

/// A step in an idea's history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IdeaEvent {
    /// What happened.
    pub kind: IdeaEventKind,
    /// The stage it moved to.
    pub stage: Option<IdeaStage>,
    /// The note given.
    pub note: Option<String>,
    /// Who did it.
    pub actor: Option<String>,
    /// When.
    #[serde(with = "crate::wire_time")]
    pub at: DateTime<Utc>,
}

/// An idea page: the idea, its photos, comments and history, and what the caller
/// may do with it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IdeaView {
    /// The card's fields.
    pub summary: IdeaSummary,
    /// The whole text.
    pub body: String,
    /// Photo ids, in order.
    pub photos: Vec<i64>,
    /// The R&D problem it became.
    pub problem_id: Option<ProblemId>,
    /// That problem's title.
    pub problem_title: Option<String>,
    /// The caller follows it (told of new comments).
    pub following: bool,
    /// The caller posted it.
    pub mine: bool,
    /// The author may still edit it.
    pub editable: bool,
    /// The caller is a CM of its consortium or an admin: may set the stage, hide
    /// and restore.
    pub can_moderate: bool,
    /// Open reports (moderators only, else 0).
    pub reports: i64,
    /// Edited after posting.
    #[serde(default, with = "crate::wire_time::option")]
    pub edited_at: Option<DateTime<Utc>>,
    /// Comments, oldest first.
    pub comments: Vec<CommentView>,
    /// History, oldest first.
    pub history: Vec<IdeaEvent>,
}

/// What a create or a retry of it answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Created {
    /// The idea.
    pub id: IdeaId,
}

/// An idea's 공감 after a tap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VoteState {
    /// 공감 votes now.
    pub votes: i64,
    /// Whether the caller's 공감 is among them.
    pub voted: bool,
}

/// A feed query. `after` is the `next` of the previous page.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams, utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct FeedQuery {
    /// Order; newest first by default.
    pub sort: Option<FeedSort>,
    /// Only this consortium's ideas.
    pub consortium: Option<ConsortiumId>,
    /// Only ideas with this tag.
    #[cfg_attr(feature = "openapi", param(max_length = 20))]
    pub tag: Option<String>,
    /// Words to search for (Korean-aware; every word must occur).
    #[cfg_attr(feature = "openapi", param(max_length = 100))]
    pub q: Option<String>,
    /// Only ideas in this stage.
    pub stage: Option<IdeaStage>,
    /// Only the caller's ideas.
    pub mine: Option<bool>,
    /// The cursor of the page to continue from.
    pub after: Option<String>,
    /// Page size (at most 50).
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 50))]
    pub limit: Option<u32>,
}

impl crate::query::ListQuery for FeedQuery {
    fn normalized(self) -> Self {
        FeedQuery {
            sort: self.sort.filter(|s| *s != FeedSort::New),
            q: crate::query::clean(self.q),
            tag: crate::query::clean(self.tag),
            mine: self.mine.filter(|m| *m),
            after: crate::query::clean(self.after),
            ..self
        }
    }
}

impl Validate for FeedQuery {
    fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::default();
        e.optional_text("q", self.q.as_deref(), QUERY_MAX);
        e.optional_text("tag", self.tag.as_deref(), TAG_MAX);
        if self
            .after
            .as_deref()
            .is_some_and(|a| Cursor::parse(a).is_none())
        {
            e.add("after", ErrorCode::InvalidChoice);
        }
        if let Some(l) = self.limit {
            e.range("limit", i64::from(l), 1, 50);
        }
        e.into_result()
    }
}

/// A keyset position: the sort key of the last item and its id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    /// The sort key (id, score, comment count...).
    pub key: i64,
    /// The id, breaking ties.
    pub id: i64,
}

impl Cursor {
    /// Reads `key.id`.
    pub fn parse(s: &str) -> Option<Cursor> {
        let (k, i) = s.split_once('.')?;
        Some(Cursor {
            key: k.parse().ok()?,
            id: i.parse().ok()?,
        })
    }
}

impl std::fmt::Display for Cursor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.key, self.id)
    }
}

/// One page of a feed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FeedPage {
    /// The ideas.
    pub items: Vec<IdeaSummary>,
    /// The cursor of the next page, when there is one.
    pub next: Option<String>,
}

/// The "rising" score: log of engagement plus age, so newer ideas need fewer votes
/// to rank as high and nothing has to be recomputed as time passes (the order
/// between two ideas never changes while neither gets a vote or a comment).
/// Stored as an integer (micro-units) so it pages by keyset exactly.
pub fn rising_score(votes: i64, comments: i64, created_at: DateTime<Utc>) -> i64 {
    // Ten times the engagement (a vote is 1, a comment 2) = 12.5 hours of age.
    const HALF_DAY: f64 = 45_000.0;
    const EPOCH: i64 = 1_767_225_600; // 2026-01-01T00:00:00Z
    let engagement = (votes + 2 * comments).max(1) as f64;
    let age = (created_at.timestamp() - EPOCH) as f64 / HALF_DAY;
    #[allow(clippy::cast_possible_truncation)]
    let score = ((engagement.log10() + age) * 1_000_000.0).round() as i64;
    score
}

/// A comment or reply.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewComment {
    /// The text.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::paragraphs::<1, COMMENT_MAX>))]
    pub body: String,
    /// The comment answered, if any.
    #[serde(default)]
    pub parent_id: Option<CommentId>,
    /// A key the client makes once per comment.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::idempotency_key))]
    pub idempotency_key: String,
}

impl Validate for NewComment {
    fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::default();
        e.paragraphs("body", &self.body, 1, COMMENT_MAX);
        e.idempotency_key("idempotency_key", &self.idempotency_key);
        e.into_result()
    }
}

/// The author's edit of a comment.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EditComment {
    /// The text.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::paragraphs::<1, COMMENT_MAX>))]
    pub body: String,
}

impl Validate for EditComment {
    fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::default();
        e.paragraphs("body", &self.body, 1, COMMENT_MAX);
        e.into_result()
    }
}

/// A CM moves an idea to another stage, with a note; `problem_id` names the R&D
/// problem it became.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MoveIdea {
    /// The new stage.
    pub stage: IdeaStage,
    /// Why (shown in the history and told to followers).
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::paragraphs::<1, REASON_MAX>))]
    pub note: String,
    /// With stage `problem`: the problem.
    #[serde(default)]
    pub problem_id: Option<ProblemId>,
}

impl Validate for MoveIdea {
    fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::default();
        e.paragraphs("note", &self.note, 1, REASON_MAX);
        match (self.stage, self.problem_id) {
            (IdeaStage::Problem, None) => e.add("problem_id", ErrorCode::Required),
            (s, Some(_)) if s != IdeaStage::Problem => {
                e.add("problem_id", ErrorCode::InvalidChoice);
            }
            _ => {}
        }
        e.into_result()
    }
}

/// A member reports an idea or one of its comments.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewReport {
    /// Why.
    pub reason: ReportReason,
    /// More words (required for `other`).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::optional_paragraphs::<REASON_MAX>))]
    pub note: Option<String>,
    /// The comment, when a comment is reported.
    #[serde(default)]
    pub comment_id: Option<CommentId>,
}

impl Validate for NewReport {
    fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::default();
        e.optional_paragraphs("note", self.note.as_deref(), REASON_MAX);
        if self.reason == ReportReason::Other
            && self.note.as_deref().is_none_or(|n| n.trim().is_empty())
        {
            e.add("note", ErrorCode::Required);
        }
        e.into_result()
    }
}

/// A moderator hides or restores an idea or a comment.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Moderate {
    /// Hide (true) or restore (false).
    pub hidden: bool,
    /// Why.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::optional_paragraphs::<REASON_MAX>))]
    pub note: Option<String>,
}

impl Validate for Moderate {
    fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::default();
        e.optional_paragraphs("note", self.note.as_deref(), REASON_MAX);
        e.into_result()
    }
}

/// An open report, for the moderators' queue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportView {
    /// Id.
    pub id: i64,
    /// The idea.
    pub idea_id: IdeaId,
    /// Its title.
    pub idea_title: String,
    /// The comment reported, if it was a comment.
    pub comment_id: Option<CommentId>,
    /// The reported text (the start of it).
    pub excerpt: String,
    /// Whether the reported post is hidden now.
    pub hidden: bool,
    /// Why.
    pub reason: ReportReason,
    /// More words.
    pub note: Option<String>,
    /// Reported by.
    pub reporter: PersonRef,
    /// When.
    #[serde(with = "crate::wire_time")]
    pub at: DateTime<Utc>,
}

/// The start of a text for cards: at most `max` characters, cut at a word.
pub fn excerpt(text: &str, max: usize) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if char_len(&flat) <= max {
        return flat;
    }
    let cut: String = flat.chars().take(max).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(a, _)| a);
    format!("{}…", cut.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn tags_are_cleaned_and_limited() {
        let t = clean_tags(&[
            "#금형".into(),
            " 금형 ".into(),
            "AI".into(),
            "ai".into(),
            " ".into(),
        ]);
        assert_eq!(t, vec!["금형".to_owned(), "AI".to_owned()]);
        // Beyond ASCII too: the index keeps tags lower-cased.
        let t = clean_tags(&["Énergie".into(), "énergie".into(), "Ω".into(), "ω".into()]);
        assert_eq!(t, vec!["Énergie".to_owned(), "Ω".to_owned()]);
        let idea = NewIdea {
            title: "스마트 금형".into(),
            body: "내용".into(),
            tags: (0..6).map(|i| format!("t{i}")).collect(),
            consortium_id: None,
            idempotency_key: "k1".into(),
        };
        let e = idea.validate().unwrap_err();
        assert_eq!(e.get("tags"), Some(&ErrorCode::TooLong { max: TAGS_MAX }));
    }

    #[test]
    fn rising_favours_newer_ideas_and_engagement() {
        let day = Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap();
        let later = day + chrono::Duration::days(1);
        assert!(rising_score(0, 0, later) > rising_score(0, 0, day));
        assert!(rising_score(10, 0, day) > rising_score(1, 0, day));
        // A hundred votes a day earlier still beat nothing today (2 × 12.5 h > 24 h).
        assert!(rising_score(100, 0, day) > rising_score(0, 0, later));
        assert!(rising_score(0, 5, day) > rising_score(5, 0, day));
    }

    #[test]
    fn cursor_round_trips() {
        let c = Cursor { key: -12, id: 7 };
        assert_eq!(Cursor::parse(&c.to_string()), Some(c));
        assert_eq!(Cursor::parse("x.1"), None);
        assert_eq!(Cursor::parse("17"), None);
    }

    #[test]
    fn excerpts_cut_at_words() {
        assert_eq!(excerpt("짧은 글", 10), "짧은 글");
        assert_eq!(
            excerpt("금형 냉각 채널을 새로 설계하면 좋겠습니다", 10),
            "금형 냉각 채널을…"
        );
        let m = MoveIdea {
            stage: IdeaStage::Problem,
            note: "과제로".into(),
            problem_id: None,
        };
        assert_eq!(
            m.validate().unwrap_err().get("problem_id"),
            Some(&ErrorCode::Required)
        );
    }
}
