//! Words for the problem pages' choices, in the reader's language. Only the lazy
//! problem pages use them, so their code stays out of the first download.

use crate::i18n::{Lang, pick};
use moim_core::problem::*;

pub fn help(h: HelpKind, l: Lang) -> &'static str {
    match h {
        HelpKind::Commercialisation => pick(
            l,
            "생산기술사업화",
            "Production-technology commercialisation",
        ),
        HelpKind::Efficiency => pick(l, "제조기술효율화", "Manufacturing efficiency"),
        HelpKind::TechManagement => pick(l, "기술·경영 지원", "Technology & management support"),
        HelpKind::Marketing => pick(l, "토털 마케팅", "Total marketing"),
        HelpKind::Training => pick(l, "현장맞춤형 교육", "On-site training"),
        HelpKind::Mentoring => pick(l, "전문가 멘토링", "Expert mentoring"),
        HelpKind::JointRnd => pick(l, "공동 기술개발", "Joint R&D"),
        HelpKind::IpFiling => pick(l, "지식재산 출원", "IP filing"),
        HelpKind::Testing => pick(l, "시험·장비 지원", "Testing & equipment"),
    }
}

pub fn confidentiality(c: Confidentiality, l: Lang) -> &'static str {
    match c {
        Confidentiality::Members => pick(l, "협의체 회원 공개", "Consortium members"),
        Confidentiality::Nda => pick(
            l,
            "비밀유지 서약 후 공개",
            "After a non-disclosure statement",
        ),
        Confidentiality::Private => pick(l, "비공개", "Private"),
    }
}

pub fn confidentiality_help(c: Confidentiality, l: Lang) -> &'static str {
    match c {
        Confidentiality::Members => pick(
            l,
            "요약은 누구나, 상세 내용은 같은 협의체 회원과 초대한 전문가(서약 후)가 봅니다.",
            "Anyone reads the summary; members of the consortium and invited experts (after the statement) read the details.",
        ),
        Confidentiality::Nda => pick(
            l,
            "요약은 누구나, 상세 내용은 초대받아 비밀유지 서약에 동의한 전문가만 봅니다.",
            "Anyone reads the summary; only invited experts who accept the non-disclosure statement read the details.",
        ),
        Confidentiality::Private => pick(
            l,
            "우리 기업, 담당 CM, 초대한 전문가만 과제를 봅니다.",
            "Only your firm, its CMs and invited experts see the problem.",
        ),
    }
}

pub fn budget(b: Budget, l: Lang) -> &'static str {
    match b {
        Budget::Undecided => pick(l, "미정", "Undecided"),
        Budget::Under10m => pick(l, "1천만 원 미만", "Under ₩10M"),
        Budget::From10mTo50m => pick(l, "1천만~5천만 원", "₩10M–50M"),
        Budget::From50mTo100m => pick(l, "5천만~1억 원", "₩50M–100M"),
        Budget::Over100m => pick(l, "1억 원 이상", "Over ₩100M"),
    }
}

pub fn status(s: ProblemStatus, l: Lang) -> &'static str {
    match s {
        ProblemStatus::Draft => pick(l, "작성 중", "Draft"),
        ProblemStatus::Open => pick(l, "제안 접수 중", "Open"),
        ProblemStatus::Matched => pick(l, "매칭 완료", "Matched"),
        ProblemStatus::Closed => pick(l, "종료", "Closed"),
    }
}

pub fn stage(s: Stage, l: Lang) -> &'static str {
    match s {
        Stage::Matched => pick(l, "매칭", "Matched"),
        Stage::InProgress => pick(l, "진행 중", "In progress"),
        Stage::Completed => pick(l, "완료", "Completed"),
        Stage::Commercialised => pick(l, "사업화", "Commercialised"),
        Stage::Dropped => pick(l, "중단", "Dropped"),
    }
}

pub fn ip_terms(t: IpTerms, l: Lang) -> &'static str {
    match t {
        IpTerms::FirmOwns => pick(l, "성과는 기업 소유", "The firm owns the results"),
        IpTerms::Shared => pick(l, "성과 공동 소유", "Results shared"),
        IpTerms::ExpertKeepsBackground => pick(
            l,
            "성과는 기업 소유, 전문가 배경 IP 유지",
            "Firm owns results; expert keeps background IP",
        ),
    }
}

pub fn proposal_status(s: ProposalStatus, l: Lang) -> &'static str {
    match s {
        ProposalStatus::Submitted => pick(l, "검토 중", "Under review"),
        ProposalStatus::Accepted => pick(l, "채택", "Accepted"),
        ProposalStatus::NotSelected => pick(l, "미선정", "Not selected"),
        ProposalStatus::Withdrawn => pick(l, "철회", "Withdrawn"),
    }
}

pub fn reason(r: &MatchReason, l: Lang) -> String {
    let t = &r.text;
    match (r.kind, l) {
        (ReasonKind::Field, Lang::Ko) => format!("분야 일치: {t}"),
        (ReasonKind::Field, Lang::En) => format!("works in {t}"),
        (ReasonKind::Keyword, Lang::Ko) => format!("'{t}' 일치"),
        (ReasonKind::Keyword, Lang::En) => format!("matches {t}"),
        (ReasonKind::Equipment, Lang::Ko) => format!("{t} 보유"),
        (ReasonKind::Equipment, Lang::En) => format!("owns {t}"),
        (ReasonKind::Bio, Lang::Ko) => format!("소개에 '{t}'"),
        (ReasonKind::Bio, Lang::En) => format!("bio mentions {t}"),
        (ReasonKind::Collaborations, Lang::Ko) => format!("같은 분야 협력 {t}건"),
        (ReasonKind::Collaborations, Lang::En) => format!("{t} collaborations in the field"),
    }
}

pub fn event(e: &ProblemEvent, l: Lang) -> String {
    let note = e.note.clone().unwrap_or_default();
    match e.kind {
        EventKind::Published => pick(l, "과제 게시", "Published").to_owned(),
        EventKind::Edited => pick(
            l,
            format!("내용 수정 (판 {note})"),
            format!("Edited (revision {note})"),
        ),
        EventKind::Invited => pick(
            l,
            format!("전문가 초대: {note}"),
            format!("Expert invited: {note}"),
        ),
        EventKind::NdaAccepted => {
            pick(l, "비밀유지 서약 동의", "Non-disclosure statement accepted").to_owned()
        }
        EventKind::Question => pick(l, "질문 등록", "Question asked").to_owned(),
        EventKind::Proposal => pick(l, "제안서 접수", "Proposal received").to_owned(),
        EventKind::Accepted => pick(
            l,
            "제안 채택 · 협력 시작",
            "Proposal accepted · collaboration began",
        )
        .to_owned(),
        EventKind::StageChanged => {
            let s = e.stage.map(|s| stage(s, l)).unwrap_or_default();
            let extra = if note.is_empty() {
                String::new()
            } else {
                format!(" — {note}")
            };
            pick(
                l,
                format!("단계 변경: {s}{extra}"),
                format!("Stage: {s}{extra}"),
            )
        }
        EventKind::Note => pick(l, format!("CM 메모: {note}"), format!("CM note: {note}")),
        EventKind::Closed => pick(l, "과제 종료", "Closed").to_owned(),
    }
}

/// "₩30,000,000" from 만원.
pub fn won(manwon: i64, l: Lang) -> String {
    match l {
        Lang::Ko => format!("{}만 원", crate::i18n::number(manwon)),
        Lang::En => format!("₩{}", crate::i18n::number(manwon.saturating_mul(10_000))),
    }
}
