//! How the idea pages word an idea's stage.

use crate::i18n::{Lang, pick};
use moim_core::idea::IdeaStage;

/// A stage as people say it.
pub fn stage_label(s: IdeaStage, lang: Lang) -> &'static str {
    match s {
        IdeaStage::New => pick(lang, "새 아이디어", "New"),
        IdeaStage::Discussion => pick(lang, "논의 중", "Under discussion"),
        IdeaStage::Adopted => pick(lang, "채택", "Adopted"),
        IdeaStage::Problem => pick(lang, "R&D 과제로 발전", "Became an R&D problem"),
        IdeaStage::Archived => pick(lang, "보관", "Archived"),
    }
}

/// Why someone reported a post, as people say it.
pub fn reason_label(r: moim_core::idea::ReportReason, lang: Lang) -> &'static str {
    match r {
        moim_core::idea::ReportReason::Spam => pick(lang, "광고·스팸", "Spam"),
        moim_core::idea::ReportReason::Abuse => pick(lang, "욕설·비방", "Abuse"),
        moim_core::idea::ReportReason::Confidential => {
            pick(lang, "기밀·개인정보 노출", "Confidential information")
        }
        moim_core::idea::ReportReason::OffTopic => pick(lang, "주제와 무관", "Off topic"),
        moim_core::idea::ReportReason::Other => pick(lang, "기타", "Other"),
    }
}
