//! One-to-one meetings of a 수출상담회 (export matchmaking): the organiser sets
//! the sessions, slots, tables, booking phase, cap and interpreters, makes the
//! schedule and moves meetings by hand; a participant writes a marketplace
//! profile, browses the others, asks for meetings and answers the ones asked
//! of them, and sees their agenda (also as an `.ics` file). Korean and English
//! alike: foreign buyers use it in English.

use super::activity_text::error_text as activity_error_text;
use crate::{
    api::{self, ClientError, enc},
    components::cards::{ErrorView, Loading},
    country::{COUNTRIES, country_label},
    i18n::{Lang, pick, use_lang},
    load::Load,
    routing::id_param,
    submit::Submit,
    time::{kst, now, parse_local, to_local},
    tr,
};
use gloo_net::http::Method;
use leptos::prelude::*;
use leptos_router::components::A;
use moim_core::{
    ActivityId, ApiError, ConflictCode, FieldErrors, Validate, activity::ActivityView,
    matchmaking::*, paths,
};

/// A matchmaking conflict in words; the rest as the activity pages say them.
fn error_text(e: &ClientError, lang: Lang) -> String {
    if let ClientError::Api(ApiError::Conflict { code, field }) = e {
        let theirs = field.as_deref() == Some("to");
        let text = match code {
            ConflictCode::BookingClosed => Some(pick(
                lang,
                "지금은 상담 신청 기간이 아닙니다.",
                "Meeting requests are not taken now (outside the booking period).",
            )),
            ConflictCode::AlreadyRequested => Some(pick(
                lang,
                "이 참가자와는 이미 상담 신청이 오갔습니다.",
                "A request between you and this participant exists already.",
            )),
            ConflictCode::MeetingCapReached if theirs => Some(pick(
                lang,
                "상대방의 상담 일정이 모두 찼습니다.",
                "This participant has no meetings left.",
            )),
            ConflictCode::MeetingCapReached => Some(pick(
                lang,
                "신청할 수 있는 상담 수를 모두 채웠습니다. 다른 신청을 취소하면 다시 신청할 수 있습니다.",
                "You have as many meetings as allowed; withdraw a request to make another.",
            )),
            ConflictCode::SlotTaken => Some(pick(
                lang,
                "그 시간과 테이블은 이미 찼거나, 두 사람 중 한 명이 그 시간에 안 됩니다.",
                "That slot and table are taken, or one of the two cannot meet then.",
            )),
            ConflictCode::NotParticipating => Some(pick(
                lang,
                "먼저 상담 프로필을 작성해 주세요.",
                "Write your meeting profile first.",
            )),
            ConflictCode::MeetingNotYet => Some(pick(
                lang,
                "상담 시간이 되면 결과를 기록할 수 있습니다.",
                "You can record how it went once the meeting's time has come.",
            )),
            ConflictCode::MeetingReported => Some(pick(
                lang,
                "결과가 기록된 상담은 옮길 수 없고, 그런 상담이 있으면 세션·시간 단위·테이블 수도 바꿀 수 없습니다.",
                "A meeting with a recorded outcome stays where it was held; while there are such meetings the sessions, slots and tables stay too.",
            )),
            ConflictCode::AlreadyDecided => Some(pick(
                lang,
                "이미 답한 신청입니다.",
                "This request has been answered already.",
            )),
            _ => None,
        };
        if let Some(t) = text {
            return t.to_owned();
        }
    }
    activity_error_text(e, lang)
}

#[component]
fn MatchError(#[prop(into)] error: Signal<Option<ClientError>>) -> impl IntoView {
    let lang = use_lang();
    move || {
        error.get().map(|e| {
            view! { <p class="alert alert-error" role="alert">{error_text(&e, lang.get())}</p> }
        })
    }
}

fn role_label(r: MatchRole, lang: Lang) -> &'static str {
    match r {
        MatchRole::Buyer => pick(lang, "바이어", "Buyer"),
        MatchRole::Seller => pick(lang, "셀러 (수출기업)", "Seller"),
        MatchRole::Partner => pick(lang, "파트너", "Partner"),
    }
}

fn status_label(s: MeetingStatus, lang: Lang) -> &'static str {
    match s {
        MeetingStatus::Pending => pick(lang, "응답 대기", "Awaiting an answer"),
        MeetingStatus::Accepted => pick(lang, "수락됨", "Accepted"),
        MeetingStatus::Declined => pick(lang, "거절됨", "Declined"),
    }
}

/// A language in its own words (the reader finds theirs whatever the page's language).
fn language_label(l: Language) -> &'static str {
    match l {
        Language::Ko => "한국어",
        Language::En => "English",
        Language::Zh => "中文",
        Language::Ja => "日本語",
        Language::Vi => "Tiếng Việt",
        Language::Id => "Bahasa Indonesia",
        Language::Th => "ภาษาไทย",
        Language::Es => "Español",
        Language::De => "Deutsch",
        Language::Fr => "Français",
        Language::Ru => "Русский",
        Language::Ar => "العربية",
    }
}

/// A slot as people read it: its day and start, Korea time, and its end.
fn slot_text(s: &Slot) -> String {
    format!("{} – {}", kst(s.starts_at), crate::time::hm(s.ends_at))
}

/// Slot `slot` of `slots` in words (nothing when unplaced).
fn slot_label(slots: &[Slot], slot: Option<u32>) -> String {
    slot.and_then(|s| slots.get(s as usize))
        .map(slot_text)
        .unwrap_or_default()
}

/// The activity pages of one module: the organiser's form (new, edit) and the
/// one-to-one meetings.
#[component]
pub fn ActivityTools() -> impl IntoView {
    let path = leptos_router::hooks::use_location().pathname;
    let meetings = Memo::new(move |_| path.get().trim_end_matches('/').ends_with("/matchmaking"));
    move || {
        if meetings.get() {
            view! { <MatchmakingPage/> }.into_any()
        } else {
            view! { <super::activity_form::ScheduleForm/> }.into_any()
        }
    }
}

/// What the page says after a save or a schedule run: kept above the board,
/// which the save reloads and draws anew.
#[derive(Clone, Copy)]
struct Notices {
    setup_saved: RwSignal<bool>,
    profile_saved: RwSignal<bool>,
    scheduled: RwSignal<Option<ScheduleResult>>,
}

#[component]
fn MatchmakingPage() -> impl IntoView {
    let id = id_param("id");
    let reload = RwSignal::new(0_u32);
    // Someone not signed in takes part with their guest link (mailed, or the
    // one this device kept): its token goes with every call of this page.
    let session = crate::state::use_session();
    let guest = Memo::new(move |_| {
        let i = id.get()?;
        (session.ready.get() && session.me.with(Option::is_none))
            .then(|| super::activity_guest::guest_token(ActivityId(i)))
            .flatten()
    });
    on_cleanup(|| api::set_guest(None));
    let notices = Notices {
        setup_saved: RwSignal::new(false),
        profile_saved: RwSignal::new(false),
        scheduled: RwSignal::new(None),
    };
    let activity =
        Load::<ActivityView>::new(move || id.get().map(|i| paths::activity(ActivityId(i))));
    let board = Load::<MatchBoard>::new(move || {
        reload.track();
        if !session.ready.get() {
            return None;
        }
        let path = id.get().map(|i| paths::matchmaking(ActivityId(i)))?;
        api::set_guest(guest.get().map(|t| (path.clone(), t)));
        Some(path)
    });
    // A link that opens nothing any more (its guest's details gone) is forgotten.
    Effect::new(move |_| {
        if let (Some(Err(e)), Some(i)) = (board.get(), id.get())
            && e.fields().get("token").is_some()
        {
            super::activity_guest::forget_token(ActivityId(i));
        }
    });
    view! {
        <section class="section matchmaking-page">
            {move || match (activity.get(), board.get()) {
                (Some(Err(e)), _) | (_, Some(Err(e))) => view! { <ErrorView error=e/> }.into_any(),
                (Some(Ok(a)), Some(Ok(b))) => {
                    let guest = guest.get_untracked().is_some();
                    view! { <Board a=a b=b reload=reload notices=notices guest=guest/> }.into_any()
                }
                _ => view! { <Loading/> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn Board(
    a: ActivityView,
    b: MatchBoard,
    reload: RwSignal<u32>,
    notices: Notices,
    guest: bool,
) -> impl IntoView {
    let lang = use_lang();
    let id = a.summary.id;
    let slots = b.slots.clone();
    let phase = b
        .setup
        .as_ref()
        .map(|s| (s.booking_opens_at, s.booking_closes_at, s.cap));
    view! {
        <p><A href=format!("/activities/{id}")>{tr!("← 활동으로 돌아가기", "← Back to the activity")}</A></p>
        <h1 class="h-page">{tr!("1:1 상담", "One-to-one meetings")}</h1>
        <p class="lead">{a.summary.title.clone()}</p>
        {phase.map(|(opens, closes, cap)| view! {
            <p class="hint">
                {move || pick(lang.get(),
                    format!("상담 신청 기간: {} ~ {} · 1인당 최대 {cap}건", kst(opens), kst(closes)),
                    format!("Booking period: {} to {} (Korea time) · up to {cap} meetings each", kst(opens), kst(closes)))}
            </p>
            {b.booking_open.then(|| view! { <p class="badge badge-open">{tr!("신청 받는 중", "Booking open")}</p> })}
        })}
        {b.me.as_ref().filter(|_| guest).map(|m| view! {
            <p class="hint" data-testid="as-guest">{tr!("게스트로 참가 중: ", "Taking part as a guest: ")}<strong>{m.name.clone()}</strong>" · "{m.organisation.clone()}</p>
        })}
                {b.manager.then(|| view! { <Organiser a=a.clone() b=b.clone() reload=reload notices=notices/> })}
        {match (&b.setup, &b.me) {
            (None, _) => (!b.manager).then(|| view! {
                <p class="empty">{tr!("주최 측이 상담회를 준비하고 있습니다.", "The organiser is preparing the meetings.")}</p>
            }).into_any(),
            (Some(_), None) if !b.can_join => view! {
                <p class="empty">{tr!("이 행사에 참가 신청(확정)을 하면 상담 프로필을 쓰고 상담을 신청할 수 있습니다.",
                    "Register for this event (with a place) to write a profile and request meetings.")}</p>
            }.into_any(),
            (Some(_), me) => view! {
                <ProfileForm id=id slots=slots.clone() me=me.clone() draft=b.draft.clone() reload=reload saved=notices.profile_saved/>
                {me.is_some().then(|| view! {
                    <Meetings id=id b=b.clone() reload=reload guest=guest/>
                    <Browse id=id open=b.booking_open reload=reload/>
                })}
            }.into_any(),
        }}
    }
}

/// The caller's requests and agenda.
#[component]
fn Meetings(id: ActivityId, b: MatchBoard, reload: RwSignal<u32>, guest: bool) -> impl IntoView {
    let lang = use_lang();
    let me = b.me.as_ref().map(|m| m.id).unwrap_or_default();
    let slots = b.slots.clone();
    let mut agenda: Vec<Meeting> = b
        .meetings
        .iter()
        .filter(|m| m.slot.is_some() && m.status != MeetingStatus::Declined)
        .cloned()
        .collect();
    agenda.sort_by_key(|m| m.slot);
    let asked: Vec<Meeting> = b
        .meetings
        .iter()
        .filter(|m| m.to.id == me && m.status == MeetingStatus::Pending)
        .cloned()
        .collect();
    let sent: Vec<Meeting> = b
        .meetings
        .iter()
        .filter(|m| m.from.id == me)
        .cloned()
        .collect();
    let busy = Submit::new();
    let answer = move |rid: i64, accept: bool| {
        busy.run(async move {
            let path = format!("{}/requests/{rid}", paths::matchmaking(id));
            api::send_only(Method::POST, &path, &MeetingAnswer { accept }).await?;
            reload.update(|n| *n += 1);
            Ok(())
        });
    };
    let withdraw = move |rid: i64| {
        busy.run(async move {
            let path = format!("{}/requests/{rid}", paths::matchmaking(id));
            api::send_empty(Method::DELETE, &path).await?;
            reload.update(|n| *n += 1);
            Ok(())
        });
    };
    let other = move |m: &Meeting| {
        if m.from.id == me {
            m.to.clone()
        } else {
            m.from.clone()
        }
    };
    let cap = b.setup.as_ref().map(|s| s.cap).unwrap_or_default();
    let used = b.used;
    // The follow-up round asking now: the meetings still to answer, struck off
    // as their reports are saved.
    let due = RwSignal::new(
        b.follow_up
            .as_ref()
            .map(|f| f.unanswered.clone())
            .unwrap_or_default(),
    );
    let months = b
        .setup
        .as_ref()
        .map(|s| s.follow_up_months)
        .unwrap_or_default();
    view! {
        {b.follow_up.clone().map(|f| {
            let (asked, closes) = (f.meetings, kst(f.closes_at));
            view! {
                <div class="alert alert-info" role="status" data-testid="follow-up">
                    <p><strong>{move || match (f.round, lang.get()) {
                        (FollowUpRound::AfterEvent, Lang::Ko) => "상담 성과 조사 (행사 후)".to_owned(),
                        (FollowUpRound::AfterEvent, _) => "What came of your meetings (after the event)".to_owned(),
                        (FollowUpRound::Later, Lang::Ko) => format!("상담 성과 조사 ({months}개월 후)"),
                        (FollowUpRound::Later, _) => format!("What came of your meetings ({months} months on)"),
                    }}</strong></p>
                    <p>{move || {
                        let left = due.with(Vec::len);
                        match (left, lang.get()) {
                            (0, Lang::Ko) => format!("상담 {asked}건 모두 답했습니다. 고맙습니다. 바뀐 것이 있으면 {closes}까지 고칠 수 있습니다."),
                            (0, _) => format!("All {asked} meetings answered, thank you. You can change an answer until {closes}."),
                            (n, Lang::Ko) => format!("상담 {asked}건 중 {n}건의 후속 결과를 {closes}까지 아래 일정에서 알려 주세요."),
                            (n, _) => format!("Tell us below what came of {n} of your {asked} meetings, by {closes} (Korea time)."),
                        }
                    }}</p>
                </div>
            }
        })}
        <section class="card" aria-labelledby="agenda-h">
            <h2 id="agenda-h" class="h-section">{tr!("내 상담 일정", "My agenda")}</h2>
            {if agenda.is_empty() {
                view! { <p class="empty">{tr!("아직 배정된 상담이 없습니다. 주최 측이 신청 마감 후 일정을 만듭니다.", "No meetings scheduled yet; the organiser makes the schedule after booking closes.")}</p> }.into_any()
            } else {
                let slots = slots.clone();
                view! {
                    <ol class="agenda" data-testid="agenda">
                        {agenda.into_iter().map(|m| {
                            let o = other(&m);
                            let time = slot_label(&slots, m.slot);
                            let table = m.table.unwrap_or_default();
                            let pending = m.status == MeetingStatus::Pending;
                            // Its time has come: how it went can be told.
                            let begun = m.slot.and_then(|s| slots.get(s as usize)).is_some_and(|s| now() >= s.starts_at);
                            view! {
                                <li class="agenda-item">
                                    <p class="agenda-time">{time}" · "{move || pick(lang.get(), format!("{table}번 테이블"), format!("Table {table}"))}</p>
                                    <p><strong>{o.organisation.clone()}</strong>" ("{o.name.clone()}", "{move || country_label(&o.country, lang.get())}")"</p>
                                    {m.interpreter.clone().map(|i| view! { <p class="hint">{tr!("통역", "Interpreter")}": "{i}</p> })}
                                    {pending.then(|| view! { <p class="hint">{tr!("상대방 응답 대기 중", "Not yet accepted")}</p> })}
                                    {begun.then(|| view! { <ReportForm id=id m=m.clone() me=me due=due/> })}
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                    {if guest {
                        view! {
                            <button type="button" class="btn btn-secondary btn-sm" on:click=move |_| busy.run(download_agenda(id))>
                                {tr!("캘린더 파일(.ics) 받기", "Download as a calendar file (.ics)")}
                            </button>
                        }.into_any()
                    } else {
                        view! { <a class="btn btn-secondary btn-sm" href=format!("{}/agenda.ics", paths::matchmaking(id)) download="">{tr!("캘린더 파일(.ics) 받기", "Download as a calendar file (.ics)")}</a> }.into_any()
                    }}
                }.into_any()
            }}
        </section>
        <section class="card" aria-labelledby="asked-h">
            <h2 id="asked-h" class="h-section">{tr!("받은 상담 신청", "Requests to you")}</h2>
            {asked.is_empty().then(|| view! { <p class="empty">{tr!("답할 신청이 없습니다.", "Nothing to answer.")}</p> })}
            <ul class="plain-list">
                {asked.into_iter().map(|m| {
                    let rid = m.id;
                    view! {
                        <li class="request">
                            <p><strong>{m.from.organisation.clone()}</strong>" ("{m.from.name.clone()}", "{move || role_label(m.from.role, lang.get())}", "{move || country_label(&m.from.country, lang.get())}")"</p>
                            {(!m.message.is_empty()).then(|| view! { <p class="quote">{m.message.clone()}</p> })}
                            <div class="btn-row">
                                <button type="button" class="btn btn-primary btn-sm" on:click=move |_| answer(rid, true)>{tr!("수락", "Accept")}</button>
                                <button type="button" class="btn btn-secondary btn-sm" on:click=move |_| answer(rid, false)>{tr!("거절", "Decline")}</button>
                            </div>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
        <section class="card" aria-labelledby="sent-h">
            <h2 id="sent-h" class="h-section">{tr!("보낸 상담 신청", "Your requests")}</h2>
            <p class="hint">{move || pick(lang.get(), format!("상담 {used}건 / 최대 {cap}건 (거절된 신청은 세지 않습니다)"), format!("{used} of {cap} meetings (declined ones do not count)"))}</p>
            {sent.is_empty().then(|| view! { <p class="empty">{tr!("아래 참가자 목록에서 상담을 신청하세요.", "Request meetings from the list of participants below.")}</p> })}
            <ul class="plain-list">
                {sent.into_iter().map(|m| {
                    let rid = m.id;
                    let live = m.status != MeetingStatus::Declined && b.booking_open;
                    view! {
                        <li class="request">
                            <p><strong>{m.to.organisation.clone()}</strong>" ("{m.to.name.clone()}") · "{move || status_label(m.status, lang.get())}</p>
                            {live.then(|| view! {
                                <button type="button" class="btn btn-secondary btn-sm" on:click=move |_| withdraw(rid)>{tr!("신청 취소", "Withdraw")}</button>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ul>
            <MatchError error=busy.error()/>
        </section>
    }
}

/// A guest's agenda as a calendar file: fetched with their link's token (a
/// plain link would carry none) and handed to the browser as a download.
async fn download_agenda(id: ActivityId) -> Result<(), ClientError> {
    use wasm_bindgen::JsCast;
    let path = format!("{}/agenda.ics", paths::matchmaking(id));
    let res = api::finish(api::builder(Method::GET, &path).send().await).await?;
    let text = res.text().await.map_err(|_| ClientError::Decode)?;
    let a = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.create_element("a").ok())
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        .ok_or(ClientError::Decode)?;
    let href = format!("data:text/calendar;charset=utf-8,{}", enc(&text));
    let _ = a.set_attribute("href", &href);
    let _ = a.set_attribute("download", &format!("moim-meetings-{id}.ics"));
    // In the document while clicked (some browsers ignore a detached link).
    let body = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.body());
    if let Some(b) = &body {
        let _ = b.append_with_node_1(&a);
    }
    a.click();
    a.remove();
    Ok(())
}

/// What came of the event's meetings, by the sides' reports (values as
/// entered, per currency).
#[component]
fn Outcomes(o: MatchOutcomes) -> impl IntoView {
    let lang = use_lang();
    let values = |t: &ContractTally| {
        t.values
            .iter()
            .map(|m| {
                format!(
                    "{} {}",
                    m.currency.code().to_uppercase(),
                    crate::i18n::number(m.amount)
                )
            })
            .collect::<Vec<_>>()
            .join(" · ")
    };
    // The whole in won, when other currencies are in it and each has a rate.
    let won = |t: &ContractTally| {
        t.values
            .iter()
            .any(|m| m.currency != Currency::Krw)
            .then_some(t.krw)
            .flatten()
            .map(|k| format!(" ≈ KRW {}", crate::i18n::number(k)))
            .unwrap_or_default()
    };
    let (progress, signed) = (
        format!("{}{}", values(&o.in_progress), won(&o.in_progress)),
        format!("{}{}", values(&o.signed), won(&o.signed)),
    );
    let (n_progress, n_signed) = (o.in_progress.count, o.signed.count);
    view! {
        <section aria-labelledby="outcomes-h" data-testid="outcomes">
            <h3 id="outcomes-h" class="h-small">{tr!("상담 성과", "What came of it")}</h3>
            <dl class="facts">
                <dt>{tr!("진행된 상담", "Meetings held")}</dt><dd>{o.held}</dd>
                <dt>{tr!("불참", "No-shows")}</dt><dd>{o.no_show}</dd>
                <dt>{tr!("협상 중", "In negotiation")}</dt><dd>{o.negotiating}</dd>
                <dt>{tr!("계약 추진", "Contracts in progress")}</dt>
                <dd>{move || pick(lang.get(), format!("{n_progress}건"), n_progress.to_string())}{(!progress.is_empty()).then(|| format!(" ({progress})"))}</dd>
                <dt>{tr!("계약 체결", "Contracts signed")}</dt>
                <dd>{move || pick(lang.get(), format!("{n_signed}건"), n_signed.to_string())}{(!signed.is_empty()).then(|| format!(" ({signed})"))}
                    {(o.signed_on_site > 0).then(|| view! { " · "{move || pick(lang.get(), format!("현장 체결 {}건", o.signed_on_site), format!("{} on site", o.signed_on_site))} })}
                </dd>
            </dl>
        </section>
    }
}

/// One side's word on a meeting, for the organiser's table.
fn outcome_word(r: Option<&MeetingReport>, lang: Lang) -> &'static str {
    match r.map(|r| r.attendance) {
        Some(MeetingAttendance::Held) => pick(lang, "진행", "held"),
        Some(MeetingAttendance::NoShow) => pick(lang, "불참", "no-show"),
        None => "—",
    }
}

fn follow_up_label(f: FollowUp, lang: Lang) -> &'static str {
    match f {
        FollowUp::NoContact => pick(lang, "추가 연락 없음", "No further contact"),
        FollowUp::Negotiating => pick(lang, "협상 중", "In negotiation"),
        FollowUp::ContractInProgress => pick(lang, "계약 추진 중", "Contract in progress"),
        FollowUp::ContractSigned => pick(lang, "계약 체결", "Contract signed"),
    }
}

/// Sends a form's body with PUT; the fields the server names are marked.
async fn put_marking<B: serde::Serialize, T: serde::de::DeserializeOwned>(
    path: &str,
    body: &B,
    errors: RwSignal<FieldErrors>,
) -> Result<T, ClientError> {
    let r = api::send(Method::PUT, path, body).await;
    if let Err(e) = &r {
        errors.set(e.fields());
    }
    r
}

/// "Please check this." under a field the checks named.
fn check_note(errors: RwSignal<FieldErrors>, lang: RwSignal<Lang>, f: String) -> impl IntoView {
    move || {
        errors.with(|e| e.get(&f).is_some()).then(|| view! {
            <p class="error">{move || pick(lang.get(), "확인해 주세요.", "Please check this.")}</p>
        })
    }
}

/// One's report of a meeting whose time has come: held or the other side did
/// not come, a rating, and (then or later) what came of it, with a contract's
/// value as entered and its currency.
#[component]
fn ReportForm(id: ActivityId, m: Meeting, me: i64, due: RwSignal<Vec<i64>>) -> impl IntoView {
    let lang = use_lang();
    let rid = m.id;
    let asked = move || due.with(|d| d.contains(&rid));
    let mine = match m.from.id == me {
        true => m.from_report.clone(),
        false => m.to_report.clone(),
    };
    let told = RwSignal::new(mine.is_some());
    let open = mine.is_none() || due.with_untracked(|d| d.contains(&rid));
    let value = RwSignal::new(mine.unwrap_or(MeetingReport {
        attendance: MeetingAttendance::Held,
        rating: None,
        follow_up: None,
        amount: None,
        currency: None,
        signed_on_site: false,
    }));
    let errors = RwSignal::new(FieldErrors::default());
    let save = Submit::new();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let r = value.get_untracked();
        if let Err(e) = r.validate() {
            errors.set(e);
            return;
        }
        errors.set(FieldErrors::default());
        save.run(async move {
            let path = format!("{}/meetings/{rid}/report", paths::matchmaking(id));
            put_marking::<_, Meeting>(&path, &r, errors).await?;
            told.set(true);
            // What a follow-up round asks: what came of it, or that nobody came.
            if r.follow_up.is_some() || r.attendance == MeetingAttendance::NoShow {
                due.update(|d| d.retain(|x| *x != rid));
            }
            Ok(())
        });
    };
    // What no longer fits goes with the choice that ruled it out.
    let set_attendance = move |a: MeetingAttendance| {
        value.update(|v| {
            v.attendance = a;
            if a == MeetingAttendance::NoShow {
                (v.rating, v.follow_up, v.amount, v.currency) = (None, None, None, None);
                v.signed_on_site = false;
            }
        })
    };
    let set_follow_up = move |f: Option<FollowUp>| {
        value.update(|v| {
            v.follow_up = f;
            if f.is_some_and(FollowUp::is_contract) {
                v.currency = v.currency.or(Some(Currency::Krw));
            } else {
                (v.amount, v.currency) = (None, None);
            }
            if f != Some(FollowUp::ContractSigned) {
                v.signed_on_site = false;
            }
        })
    };
    let held = move || value.with(|v| v.attendance == MeetingAttendance::Held);
    let contract = move || value.with(|v| v.follow_up.is_some_and(FollowUp::is_contract));
    let signed = move || value.with(|v| v.follow_up == Some(FollowUp::ContractSigned));
    let idp = format!("rp-{rid}");
    let (rating_id, follow_id, amount_id, currency_id) = (
        format!("{idp}-rating"),
        format!("{idp}-follow"),
        format!("{idp}-amount"),
        format!("{idp}-currency"),
    );
    view! {
        <details class="report" open=open>
            <summary>{tr!("상담 결과 기록", "How it went")}{move || if asked() {
                Some(pick(lang.get(), " · 후속 결과 답변 필요", " · please tell us what came of it"))
            } else {
                told.get().then(|| pick(lang.get(), " · 기록됨", " · recorded"))
            }}</summary>
            <form class="form" on:submit=on_submit novalidate>
                <fieldset class="field">
                    <legend>{tr!("상담 진행 여부", "Did it take place?")}</legend>
                    {[(MeetingAttendance::Held, ("진행함", "It was held")), (MeetingAttendance::NoShow, ("상대방 불참", "The other side did not come"))].into_iter().map(|(a, (ko, en))| view! {
                        <label class="check">
                            <input type="radio" name=format!("{idp}-att") checked=move || value.with(|v| v.attendance == a) on:change=move |_| set_attendance(a)/>
                            {move || pick(lang.get(), ko, en)}
                        </label>
                    }).collect_view()}
                </fieldset>
                {move || held().then(|| view! {
                    <div class="field">
                        <label for=rating_id.clone()>{tr!("유익했던 정도 (1–5)", "How useful (1–5)")}</label>
                        <select id=rating_id.clone() on:change=move |ev| {
                            let r = event_target_value(&ev).parse().ok();
                            value.update(|v| v.rating = r);
                        }>
                            <option value="" selected=move || value.with(|v| v.rating.is_none())>{tr!("선택 안 함", "Not rated")}</option>
                            {(1..=5_i64).rev().map(|n| view! {
                                <option value=n.to_string() selected=move || value.with(|v| v.rating == Some(n))>{n}</option>
                            }).collect_view()}
                        </select>
                        {check_note(errors, lang, "rating".into())}
                    </div>
                    <div class="field">
                        <label for=follow_id.clone()>{tr!("후속 결과", "What came of it")}</label>
                        <select id=follow_id.clone() on:change=move |ev| set_follow_up(FollowUp::from_code(&event_target_value(&ev)))>
                            <option value="" selected=move || value.with(|v| v.follow_up.is_none())>{tr!("아직 모름", "Not known yet")}</option>
                            {FollowUp::ALL.iter().map(|f| view! {
                                <option value=f.code() selected=move || value.with(|v| v.follow_up == Some(*f))>{move || follow_up_label(*f, lang.get())}</option>
                            }).collect_view()}
                        </select>
                    </div>
                })}
                {move || contract().then(|| view! {
                    <div class="field amount-row">
                        <label for=amount_id.clone()>{tr!("계약 금액", "Contract value")}</label>
                        <input id=amount_id.clone() type="text" inputmode="numeric" autocomplete="off"
                            aria-invalid=move || errors.with(|e| e.get("amount").is_some()).then_some("true")
                            prop:value=move || value.with(|v| v.amount.map(|a| a.to_string()).unwrap_or_default())
                            on:input=move |ev| {
                                let digits: String = event_target_value(&ev).chars().filter(|c| c.is_ascii_digit()).collect();
                                value.update(|v| v.amount = digits.parse().ok());
                            }/>
                        <label for=currency_id.clone() class="sr-only">{tr!("통화", "Currency")}</label>
                        <select id=currency_id.clone() on:change=move |ev| {
                            let c = Currency::from_code(&event_target_value(&ev));
                            value.update(|v| v.currency = c);
                        }>
                            {Currency::ALL.iter().map(|c| view! {
                                <option value=c.code() selected=move || value.with(|v| v.currency == Some(*c))>{c.code().to_uppercase()}</option>
                            }).collect_view()}
                        </select>
                        {check_note(errors, lang, "amount".into())}
                    </div>
                })}
                {move || signed().then(|| view! {
                    <label class="check">
                        <input type="checkbox" prop:checked=move || value.with(|v| v.signed_on_site)
                            on:change=move |ev| value.update(|v| v.signed_on_site = event_target_checked(&ev))/>
                        {tr!("행사 현장에서 체결", "Signed at the event")}
                    </label>
                })}
                <button type="submit" class="btn btn-primary btn-sm" disabled=save.pending()>{tr!("결과 저장", "Save")}</button>
                <MatchError error=save.error()/>
            </form>
        </details>
    }
}

/// The marketplace profile: what one offers and seeks, country, languages,
/// an interpreter, and the slots one cannot make.
#[component]
fn ProfileForm(
    id: ActivityId,
    slots: Vec<Slot>,
    me: Option<Participant>,
    draft: Option<MatchProfile>,
    reload: RwSignal<u32>,
    saved: RwSignal<bool>,
) -> impl IntoView {
    let lang = use_lang();
    // One's own profile, else what the server drafted from one's organisation.
    let start = me
        .as_ref()
        .map(|m| m.profile.clone())
        .or(draft)
        .unwrap_or(MatchProfile {
            role: MatchRole::Seller,
            offer: String::new(),
            seek: String::new(),
            country: if lang.get_untracked() == Lang::Ko {
                "KR".into()
            } else {
                String::new()
            },
            languages: vec![if lang.get_untracked() == Lang::Ko {
                Language::Ko
            } else {
                Language::En
            }],
            interpreter: false,
            unavailable: Vec::new(),
            fields: Vec::new(),
        });
    let value = RwSignal::new(start);
    let errors = RwSignal::new(FieldErrors::default());
    let save = Submit::new();
    let first = me.is_none();
    let refs = crate::state::use_refs();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        let p = value.get_untracked();
        if let Err(e) = p.validate() {
            errors.set(e);
            return;
        }
        errors.set(FieldErrors::default());
        save.run(async move {
            let path = format!("{}/profile", paths::matchmaking(id));
            put_marking::<_, MatchBoard>(&path, &p, errors).await?;
            saved.set(true);
            reload.update(|n| *n += 1);
            Ok(())
        });
    };
    let err = move |f: &'static str| check_note(errors, lang, f.to_owned());
    let body = view! {
        <form class="form" on:submit=on_submit novalidate>
            <div class="field">
                <label for="mm-role">{tr!("참가 유형", "I take part as")}</label>
                <select id="mm-role" on:change=move |ev| {
                    if let Some(r) = MatchRole::from_code(&event_target_value(&ev)) { value.update(|v| v.role = r); }
                }>
                    {MatchRole::ALL.iter().map(|r| {
                        let selected = value.with_untracked(|v| v.role == *r);
                        view! { <option value=r.code() selected=selected>{move || role_label(*r, lang.get())}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="mm-offer">{tr!("제공하는 것 (제품·기술)", "What we offer (products, technologies)")}</label>
                <textarea id="mm-offer" rows="3" maxlength=PROFILE_TEXT_MAX prop:value=move || value.with(|v| v.offer.clone())
                    on:input=move |ev| value.update(|v| v.offer = event_target_value(&ev))></textarea>
                {err("offer")}
            </div>
            <div class="field">
                <label for="mm-seek">{tr!("찾는 것", "What we seek")}</label>
                <textarea id="mm-seek" rows="3" maxlength=PROFILE_TEXT_MAX prop:value=move || value.with(|v| v.seek.clone())
                    on:input=move |ev| value.update(|v| v.seek = event_target_value(&ev))></textarea>
            </div>
            <div class="field">
                <label for="mm-country">{tr!("국가", "Country")}</label>
                <select id="mm-country" on:change=move |ev| value.update(|v| v.country = event_target_value(&ev))>
                    <option value="">{tr!("선택", "Choose")}</option>
                    {COUNTRIES.iter().map(|c| {
                        let selected = value.with_untracked(|v| v.country == c.0);
                        view! { <option value=c.0 selected=selected>{move || pick(lang.get(), c.1, c.2)}</option> }
                    }).collect_view()}
                </select>
                {err("country")}
            </div>
            <fieldset class="field">
                <legend>{tr!("사용 언어", "Languages spoken")}</legend>
                <div class="check-grid">
                    {Language::ALL.iter().map(|l| {
                        let l = *l;
                        let on = move || value.with(|v| v.languages.contains(&l));
                        view! {
                            <label class="check"><input type="checkbox" prop:checked=on on:change=move |_| value.update(|v| {
                                if v.languages.contains(&l) { v.languages.retain(|x| *x != l) } else { v.languages.push(l) }
                            })/>" "{language_label(l)}</label>
                        }
                    }).collect_view()}
                </div>
                {err("languages")}
            </fieldset>
            <fieldset class="field">
                <legend>{move || pick(lang.get(), format!("기술 분야 (최대 {PROFILE_FIELDS_MAX}개, 선택)"), format!("Technology fields (up to {PROFILE_FIELDS_MAX}, optional)"))}</legend>
                <div class="check-grid">
                    {move || refs.get().fields.into_iter().map(|f| {
                        let fid = f.id;
                        let on = move || value.with(|v| v.fields.contains(&fid));
                        // Full: the others wait until one is taken off.
                        let full = move || value.with(|v| v.fields.len() >= PROFILE_FIELDS_MAX && !v.fields.contains(&fid));
                        let name = if lang.get() == Lang::Ko { f.name_ko } else { f.name_en };
                        view! {
                            <label class="check"><input type="checkbox" prop:checked=on prop:disabled=full on:change=move |_| value.update(|v| {
                                if v.fields.contains(&fid) { v.fields.retain(|x| *x != fid) } else { v.fields.push(fid) }
                            })/>" "{name}</label>
                        }
                    }).collect_view()}
                </div>
                {err("fields")}
            </fieldset>
            <label class="check">
                <input type="checkbox" prop:checked=move || value.with(|v| v.interpreter)
                    on:change=move |ev| value.update(|v| v.interpreter = event_target_checked(&ev))/>
                " "{tr!("통역이 필요합니다", "I need an interpreter")}
            </label>
            <details class="field">
                <summary>{tr!("상담이 어려운 시간 (선택)", "Times I cannot meet (optional)")}</summary>
                <div class="check-grid">
                    {slots.iter().enumerate().map(|(i, s)| {
                        let i = u32::try_from(i).unwrap_or_default();
                        let text = slot_text(s);
                        view! {
                            <label class="check"><input type="checkbox" prop:checked=move || value.with(|v| v.unavailable.contains(&i))
                                on:change=move |_| value.update(|v| {
                                    if v.unavailable.contains(&i) { v.unavailable.retain(|x| *x != i) } else { v.unavailable.push(i) }
                                })/>" "{text}</label>
                        }
                    }).collect_view()}
                </div>
            </details>
            <MatchError error=save.error()/>
            <button type="submit" class="btn btn-primary" disabled=save.pending()>{tr!("프로필 저장", "Save my profile")}</button>
        </form>
    };
    view! {
        <section class="card" aria-labelledby="profile-h">
            <h2 id="profile-h" class="h-section">{tr!("상담 프로필", "My meeting profile")}</h2>
            {if first {
                view! {
                    <p class="hint">{tr!("다른 참가자가 보고 상담을 신청할 수 있도록 소개를 써 주세요.", "Tell the others what you offer and seek, so they can ask to meet you.")}</p>
                    {body}
                }.into_any()
            } else {
                view! { <details><summary>{tr!("프로필 고치기", "Edit my profile")}</summary>{body}</details> }.into_any()
            }}
            {move || saved.get().then(|| view! { <p class="alert alert-success" role="status">{tr!("프로필을 저장했습니다.", "Profile saved.")}</p> })}
        </section>
    }
}

/// The other participants, to filter and ask for meetings.
#[component]
fn Browse(id: ActivityId, open: bool, reload: RwSignal<u32>) -> impl IntoView {
    let lang = use_lang();
    let role = RwSignal::new(String::new());
    let country = RwSignal::new(String::new());
    let field = RwSignal::new(String::new());
    let words = RwSignal::new(String::new());
    let query = RwSignal::new(String::new());
    let refs = crate::state::use_refs();
    let list = Load::<Vec<Participant>>::new(move || {
        reload.track();
        Some(format!(
            "{}/participants{}",
            paths::matchmaking(id),
            query.get()
        ))
    });
    // The answer, told apart from the last only when it differs.
    let shown = Memo::new(move |_| list.get());
    let shape = Memo::new(move |_| match shown.get() {
        None => Shape::Loading,
        Some(Err(_)) => Shape::Failed,
        Some(Ok(p)) if p.is_empty() => Shape::Empty,
        Some(Ok(_)) => Shape::List,
    });
    let on_search = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut q = Vec::new();
        for (k, v) in [
            ("role", role.get_untracked()),
            ("country", country.get_untracked()),
            ("field", field.get_untracked()),
            ("q", words.get_untracked()),
        ] {
            if !v.trim().is_empty() {
                q.push(format!("{k}={}", enc(v.trim())));
            }
        }
        query.set(if q.is_empty() {
            String::new()
        } else {
            format!("?{}", q.join("&"))
        });
    };
    view! {
        <section class="card" aria-labelledby="people-h">
            <h2 id="people-h" class="h-section">{tr!("참가자 찾기", "Find participants")}</h2>
            <form class="filters" role="search" on:submit=on_search>
                <div class="field">
                    <label for="mm-f-role">{tr!("유형", "Role")}</label>
                    <select id="mm-f-role" on:change=move |ev| role.set(event_target_value(&ev))>
                        <option value="">{tr!("전체", "All")}</option>
                        {MatchRole::ALL.iter().map(|r| view! { <option value=r.code()>{move || role_label(*r, lang.get())}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="mm-f-country">{tr!("국가", "Country")}</label>
                    <select id="mm-f-country" on:change=move |ev| country.set(event_target_value(&ev))>
                        <option value="">{tr!("전체", "All")}</option>
                        {COUNTRIES.iter().map(|c| view! { <option value=c.0>{move || pick(lang.get(), c.1, c.2)}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="mm-f-field">{tr!("기술 분야", "Technology field")}</label>
                    <select id="mm-f-field" on:change=move |ev| field.set(event_target_value(&ev))>
                        <option value="">{tr!("전체", "All")}</option>
                        {move || refs.field_options(lang.get()).into_iter().map(|(v, name)| {
                            let chosen = field.get_untracked() == v;
                            view! { <option value=v selected=chosen>{name}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="mm-f-q">{tr!("검색어", "Keywords")}</label>
                    <input id="mm-f-q" type="search" prop:value=words on:input=move |ev| words.set(event_target_value(&ev))/>
                </div>
                <button type="submit" class="btn btn-secondary">{tr!("찾기", "Search")}</button>
            </form>
            {move || match shape.get() {
                Shape::Loading => view! { <Loading/> }.into_any(),
                Shape::Failed => shown.get_untracked().and_then(Result::err).map(|e| view! { <ErrorView error=e/> }).into_any(),
                Shape::Empty => view! { <p class="empty">{tr!("맞는 참가자가 없습니다.", "No participant matches.")}</p> }.into_any(),
                // Keyed, and drawn again only when the list's shape changes: a
                // card someone is writing a request in stays as it is when the
                // list comes again (a search answered late, a reload).
                Shape::List => view! {
                    <ul class="plain-list people">
                        <For each=move || shown.get().and_then(Result::ok).unwrap_or_default()
                            key=|p| (p.id, p.request.as_ref().map(|r| (r.id, r.status.code())))
                            children=move |p| view! { <Card id=id p=p open=open reload=reload/> }/>
                    </ul>
                }.into_any(),
            }}
        </section>
    }
}

/// What the participant list shows.
#[derive(Clone, Copy, PartialEq)]
enum Shape {
    Loading,
    Failed,
    Empty,
    List,
}

#[component]
fn Card(id: ActivityId, p: Participant, open: bool, reload: RwSignal<u32>) -> impl IntoView {
    let lang = use_lang();
    let message = RwSignal::new(String::new());
    let ask = Submit::new();
    let to = p.id;
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let r = NewMeetingRequest {
            to,
            message: message.get_untracked(),
        };
        ask.run(async move {
            let path = format!("{}/requests", paths::matchmaking(id));
            api::send_only(Method::POST, &path, &r).await?;
            reload.update(|n| *n += 1);
            Ok(())
        });
    };
    let pr = p.profile.clone();
    let pr_fields = p.profile.fields.clone();
    let refs = crate::state::use_refs();
    let langs = pr
        .languages
        .iter()
        .map(|l| language_label(*l))
        .collect::<Vec<_>>()
        .join(", ");
    view! {
        <li class="person-card">
            <h3 class="h-small">{p.organisation.clone()}" · "{p.name.clone()}</h3>
            <p class="meta">{move || role_label(pr.role, lang.get())}" · "{move || country_label(&pr.country, lang.get())}" · "{langs}
                {pr.interpreter.then(|| view! { " · "{tr!("통역 필요", "needs an interpreter")} })}</p>
            {(!pr_fields.is_empty()).then(|| view! {
                <p class="meta">{move || {
                    let all = refs.get().fields;
                    pr_fields.iter().filter_map(|id| all.iter().find(|f| f.id == *id))
                        .map(|f| if lang.get() == Lang::Ko { f.name_ko.clone() } else { f.name_en.clone() })
                        .collect::<Vec<_>>().join(", ")
                }}</p>
            })}
            {(!p.profile.offer.is_empty()).then(|| view! { <p><strong>{tr!("제공", "Offers")}": "</strong>{p.profile.offer.clone()}</p> })}
            {(!p.profile.seek.is_empty()).then(|| view! { <p><strong>{tr!("찾는 것", "Seeks")}": "</strong>{p.profile.seek.clone()}</p> })}
            {match p.request {
                Some(r) => view! {
                    <p class="badge">{move || if r.sent { pick(lang.get(), "신청함", "Requested") } else { pick(lang.get(), "나에게 신청함", "Asked you") }}
                        " · "{move || status_label(r.status, lang.get())}</p>
                }.into_any(),
                None if open => view! {
                    <details class="ask">
                        <summary class="btn btn-primary btn-sm">{tr!("상담 신청", "Request a meeting")}</summary>
                        <form class="form" on:submit=on_submit>
                            <div class="field">
                                <label for=format!("mm-msg-{to}")>{tr!("메시지 (선택)", "Message (optional)")}</label>
                                <textarea id=format!("mm-msg-{to}") rows="3" maxlength=MESSAGE_MAX prop:value=message
                                    on:input=move |ev| message.set(event_target_value(&ev))></textarea>
                            </div>
                            <MatchError error=ask.error()/>
                            <button type="submit" class="btn btn-primary btn-sm" disabled=ask.pending()>{tr!("신청 보내기", "Send the request")}</button>
                        </form>
                    </details>
                }.into_any(),
                None => ().into_any(),
            }}
        </li>
    }
}

/// The organiser's side: the setup, making the schedule, every meeting.
#[component]
fn Organiser(
    a: ActivityView,
    b: MatchBoard,
    reload: RwSignal<u32>,
    notices: Notices,
) -> impl IntoView {
    let lang = use_lang();
    let id = a.summary.id;
    let run = Submit::new();
    let (saved, result) = (notices.setup_saved, notices.scheduled);
    let make = move |_| {
        run.run(async move {
            let path = format!("{}/schedule", paths::matchmaking(id));
            let r: ScheduleResult = api::send(Method::POST, &path, &serde_json::json!({})).await?;
            result.set(Some(r));
            reload.update(|n| *n += 1);
            Ok(())
        });
    };
    let all = Load::<Vec<Meeting>>::new(move || {
        reload.track();
        Some(format!("{}/meetings", paths::matchmaking(id)))
    });
    let has_setup = b.setup.is_some();
    let slots = b.slots.clone();
    let tables = b.setup.as_ref().map(|s| s.tables).unwrap_or_default();
    let rates = b
        .setup
        .as_ref()
        .map(|s| s.rates.clone())
        .unwrap_or_default();
    let months = b
        .setup
        .as_ref()
        .map(|s| s.follow_up_months)
        .unwrap_or_default();
    let tally = b.follow_up_tally.clone().map(|t| {
        let closes = kst(t.closes_at);
        view! {
            <p class="alert alert-info" data-testid="follow-up-tally">{move || match (t.round, lang.get()) {
                (FollowUpRound::AfterEvent, Lang::Ko) => format!("상담 성과 조사 (행사 후) 진행 중: {}명 중 {}명 답함 · {closes}까지 (답하지 않은 사람에게는 일주일마다 다시 알립니다)", t.asked, t.answered),
                (FollowUpRound::AfterEvent, _) => format!("Follow-up after the event: {} of {} people have answered · open until {closes} (reminded weekly)", t.answered, t.asked),
                (FollowUpRound::Later, Lang::Ko) => format!("상담 성과 조사 ({months}개월 후) 진행 중: {}명 중 {}명 답함 · {closes}까지 (답하지 않은 사람에게는 일주일마다 다시 알립니다)", t.asked, t.answered),
                (FollowUpRound::Later, _) => format!("Follow-up {months} months on: {} of {} people have answered · open until {closes} (reminded weekly)", t.answered, t.asked),
            }}</p>
        }
    });
    view! {
        <section class="card manage" aria-labelledby="org-h">
            <h2 id="org-h" class="h-section">{tr!("상담회 운영", "Run the meetings")}</h2>
            <details open=!has_setup>
                <summary>{tr!("상담회 설정 (세션·시간 단위·테이블·신청 기간·통역·성과 조사)", "Setup (sessions, slots, tables, booking, interpreters, follow-up)")}</summary>
                <SetupForm a=a b=b.clone() reload=reload saved=saved/>
            </details>
            {move || saved.get().then(|| view! { <p class="alert alert-success" role="status">{tr!("설정을 저장했습니다.", "Setup saved.")}</p> })}
            {has_setup.then(|| view! {
                <div class="btn-row">
                    <button type="button" class="btn btn-primary" on:click=make disabled=run.pending()>{tr!("상담 일정 만들기", "Make the schedule")}</button>
                </div>
                <p class="hint">{tr!("수락된 상담을 먼저 배정하고, 응답 대기 중인 신청은 남는 자리에 넣습니다. 직접 옮긴 상담은 그대로 둡니다.",
                    "Accepted meetings are placed first, unanswered requests in what is left; meetings moved by hand stay.")}</p>
                {move || result.get().map(|r| view! {
                    <p class="alert alert-success" role="status">{move || pick(lang.get(),
                        format!("수락된 상담 {}/{}건, 응답 대기 {}/{}건을 배정했습니다.", r.accepted_placed, r.accepted, r.pending_placed, r.pending),
                        format!("Placed {} of {} accepted meetings and {} of {} unanswered requests.", r.accepted_placed, r.accepted, r.pending_placed, r.pending))}</p>
                })}
                <MatchError error=run.error()/>
                {tally}
                {move || match all.get() {
                    None => view! { <Loading/> }.into_any(),
                    Some(Err(e)) => view! { <ErrorView error=e/> }.into_any(),
                    Some(Ok(list)) => view! { <Schedule id=id list=list slots=slots.clone() tables=tables rates=rates.clone() reload=reload/> }.into_any(),
                }}
            })}
        </section>
    }
}

/// Every meeting, by time, with a move by hand.
#[component]
fn Schedule(
    id: ActivityId,
    list: Vec<Meeting>,
    slots: Vec<Slot>,
    tables: u32,
    rates: Vec<ExchangeRate>,
    reload: RwSignal<u32>,
) -> impl IntoView {
    let lang = use_lang();
    let mut list = list;
    list.sort_by_key(|m| (m.slot.is_none(), m.slot, m.table));
    let moving = Submit::new();
    // The day's status, of the meetings whose time has come: held (by either
    // side's word), no-shows, not yet told.
    let (mut held, mut missed, mut untold) = (0, 0, 0);
    let begun = |m: &&Meeting| {
        m.status != MeetingStatus::Declined
            && m.slot
                .and_then(|s| slots.get(s as usize))
                .is_some_and(|s| now() >= s.starts_at)
    };
    for m in list.iter().filter(begun) {
        let said = [&m.from_report, &m.to_report].map(|r| r.as_ref().map(|r| r.attendance));
        if said.contains(&Some(MeetingAttendance::Held)) {
            held += 1;
        } else if said.contains(&Some(MeetingAttendance::NoShow)) {
            missed += 1;
        } else {
            untold += 1;
        }
    }
    let slot_options = slots
        .iter()
        .enumerate()
        .map(|(i, s)| (i, slot_text(s)))
        .collect::<Vec<_>>();
    let results = outcomes(&list, &rates);
    view! {
        {(results.held + results.no_show > 0).then(|| view! { <Outcomes o=results.clone()/> })}
        <p class="hint" data-testid="day-status">{move || pick(lang.get(),
            format!("진행 {held}건 · 불참 {missed}건 · 결과 미기록 {untold}건"),
            format!("{held} held · {missed} no-shows · {untold} not yet reported"))}</p>
        <div class="table-wrap">
            <table class="table table-wide">
                <caption>{tr!("전체 상담", "All meetings")}</caption>
                <thead><tr>
                    <th scope="col">{tr!("시간", "Time")}</th>
                    <th scope="col">{tr!("테이블", "Table")}</th>
                    <th scope="col">{tr!("신청", "From")}</th>
                    <th scope="col">{tr!("상대", "With")}</th>
                    <th scope="col">{tr!("상태", "Status")}</th>
                    <th scope="col">{tr!("통역", "Interpreter")}</th>
                    <th scope="col">{tr!("결과 (신청 측 / 상대)", "Outcome (from / with)")}</th>
                    <th scope="col">{tr!("옮기기", "Move")}</th>
                </tr></thead>
                <tbody>
                    {list.into_iter().map(|m| {
                        let rid = m.id;
                        let slot = RwSignal::new(m.slot.unwrap_or_default().to_string());
                        let table = RwSignal::new(m.table.unwrap_or(1).to_string());
                        let go = move |_| {
                            let p = MeetingPlace {
                                slot: slot.get_untracked().parse().unwrap_or_default(),
                                table: table.get_untracked().parse().unwrap_or_default(),
                            };
                            moving.run(async move {
                                let path = format!("{}/meetings/{rid}", paths::matchmaking(id));
                                api::send_only(Method::PUT, &path, &p).await?;
                                reload.update(|n| *n += 1);
                                Ok(())
                            });
                        };
                        let declined = m.status == MeetingStatus::Declined;
                        let options = slot_options.clone();
                        view! {
                            <tr>
                                <td>{slot_label(&slots, m.slot)}{m.pinned.then(|| view! { " "{tr!("(직접 배정)", "(by hand)")} })}</td>
                                <td>{m.table.map(|t| t.to_string()).unwrap_or_default()}</td>
                                <td>{m.from.organisation.clone()}" ("{m.from.name.clone()}")"</td>
                                <td>{m.to.organisation.clone()}" ("{m.to.name.clone()}")"</td>
                                <td>{move || status_label(m.status, lang.get())}</td>
                                <td>{m.interpreter.clone().unwrap_or_default()}</td>
                                <td>{move || format!("{} / {}", outcome_word(m.from_report.as_ref(), lang.get()), outcome_word(m.to_report.as_ref(), lang.get()))}</td>
                                <td>{(!declined).then(|| view! {
                                    <div class="move-row">
                                        <label class="sr-only" for=format!("mv-s-{rid}")>{tr!("시간", "Time")}</label>
                                        <select id=format!("mv-s-{rid}") on:change=move |ev| slot.set(event_target_value(&ev))>
                                            {options.into_iter().map(|(i, l)| {
                                                let selected = slot.get_untracked() == i.to_string();
                                                view! { <option value=i.to_string() selected=selected>{l}</option> }
                                            }).collect_view()}
                                        </select>
                                        <label class="sr-only" for=format!("mv-t-{rid}")>{tr!("테이블", "Table")}</label>
                                        <input id=format!("mv-t-{rid}") type="number" min="1" max=tables inputmode="numeric" prop:value=table
                                            on:input=move |ev| table.set(event_target_value(&ev))/>
                                        <button type="button" class="btn btn-secondary btn-sm" on:click=go>{tr!("옮기기", "Move")}</button>
                                    </div>
                                })}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <MatchError error=moving.error()/>
    }
}

/// The sessions, slot length, tables, booking period, cap and interpreters.
#[component]
fn SetupForm(
    a: ActivityView,
    b: MatchBoard,
    reload: RwSignal<u32>,
    saved: RwSignal<bool>,
) -> impl IntoView {
    let lang = use_lang();
    let id = a.summary.id;
    let (start, end) = (a.summary.starts_at, a.summary.ends_at);
    let now = crate::time::now();
    let s = b.setup.clone().unwrap_or(MatchSetup {
        sessions: vec![MatchSession {
            starts_at: start,
            ends_at: end,
        }],
        slot_minutes: 20,
        tables: 10,
        booking_opens_at: now.min(start),
        booking_closes_at: start - chrono::Duration::days(1),
        cap: 8,
        interpreters: Vec::new(),
        follow_up_months: 6,
        rates: Vec::new(),
    });
    let sessions = RwSignal::new(
        s.sessions
            .iter()
            .map(|x| (to_local(x.starts_at), to_local(x.ends_at)))
            .collect::<Vec<_>>(),
    );
    let slot_minutes = RwSignal::new(s.slot_minutes.to_string());
    let tables = RwSignal::new(s.tables.to_string());
    let cap = RwSignal::new(s.cap.to_string());
    let opens = RwSignal::new(to_local(s.booking_opens_at));
    let closes = RwSignal::new(to_local(s.booking_closes_at));
    let interpreters = RwSignal::new(
        s.interpreters
            .iter()
            .map(|i| {
                (
                    i.name.clone(),
                    i.languages
                        .iter()
                        .find(|l| **l != Language::Ko)
                        .copied()
                        .unwrap_or(Language::En),
                )
            })
            .collect::<Vec<_>>(),
    );
    let months = RwSignal::new(s.follow_up_months.to_string());
    // A rate field per foreign currency; blank is no rate.
    let rates: Vec<(Currency, RwSignal<String>)> = Currency::ALL
        .iter()
        .filter(|c| **c != Currency::Krw)
        .map(|c| {
            let now = s.rates.iter().find(|r| r.currency == *c);
            (
                *c,
                RwSignal::new(now.map(|r| r.krw.to_string()).unwrap_or_default()),
            )
        })
        .collect();
    let rate_fields = rates.clone();
    let errors = RwSignal::new(FieldErrors::default());
    let save = Submit::new();
    let bad = |s: &str| parse_local(s).unwrap_or(chrono::DateTime::<chrono::Utc>::MIN_UTC);
    let value = move || MatchSetup {
        sessions: sessions
            .get_untracked()
            .iter()
            .map(|(a, b)| MatchSession {
                starts_at: bad(a),
                ends_at: bad(b),
            })
            .collect(),
        slot_minutes: slot_minutes
            .get_untracked()
            .trim()
            .parse()
            .unwrap_or_default(),
        tables: tables.get_untracked().trim().parse().unwrap_or_default(),
        booking_opens_at: bad(&opens.get_untracked()),
        booking_closes_at: bad(&closes.get_untracked()),
        cap: cap.get_untracked().trim().parse().unwrap_or_default(),
        interpreters: interpreters
            .get_untracked()
            .into_iter()
            .map(|(name, l)| Interpreter {
                name: name.trim().to_owned(),
                languages: vec![Language::Ko, l],
            })
            .collect(),
        follow_up_months: months.get_untracked().trim().parse().unwrap_or_default(),
        rates: rates
            .iter()
            .filter_map(|(c, v)| {
                let v = v.get_untracked();
                let v = v.trim();
                (!v.is_empty()).then(|| ExchangeRate {
                    currency: *c,
                    krw: v.replace(',', "").parse().unwrap_or_default(),
                })
            })
            .collect(),
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        let v = value();
        let mut e = FieldErrors::default();
        v.check("matchmaking", start, end, &mut e);
        if !e.is_empty() {
            errors.set(e);
            return;
        }
        errors.set(FieldErrors::default());
        save.run(async move {
            put_marking::<_, MatchBoard>(&paths::matchmaking(id), &v, errors).await?;
            saved.set(true);
            reload.update(|n| *n += 1);
            Ok(())
        });
    };
    let err = move |f: String| check_note(errors, lang, f);
    let number = move |key: &'static str,
                       label: (&'static str, &'static str),
                       sig: RwSignal<String>,
                       min: u32,
                       max: u32| {
        view! {
            <div class="field">
                <label for=format!("mm-{key}")>{move || pick(lang.get(), label.0, label.1)}</label>
                <input id=format!("mm-{key}") type="number" inputmode="numeric" min=min max=max prop:value=sig
                    on:input=move |ev| sig.set(event_target_value(&ev))/>
                {err(format!("matchmaking.{key}"))}
            </div>
        }
    };
    view! {
        <form class="form" on:submit=on_submit novalidate>
            <fieldset>
                <legend>{tr!("상담 세션 (행사 시간 안에서, 최대 4개)", "Meeting sessions (within the event, up to 4)")}</legend>
                {move || sessions.get().into_iter().enumerate().map(|(i, (a, b))| view! {
                    <div class="session-row">
                        <div class="field">
                            <label for=format!("mm-s{i}-start")>{move || pick(lang.get(), format!("세션 {} 시작", i + 1), format!("Session {} starts", i + 1))}</label>
                            <input id=format!("mm-s{i}-start") type="datetime-local" prop:value=a
                                on:change=move |ev| sessions.update(|s| s[i].0 = event_target_value(&ev))/>
                            {err(format!("matchmaking.sessions[{i}].starts_at"))}
                        </div>
                        <div class="field">
                            <label for=format!("mm-s{i}-end")>{move || pick(lang.get(), format!("세션 {} 끝", i + 1), format!("Session {} ends", i + 1))}</label>
                            <input id=format!("mm-s{i}-end") type="datetime-local" prop:value=b
                                on:change=move |ev| sessions.update(|s| s[i].1 = event_target_value(&ev))/>
                            {err(format!("matchmaking.sessions[{i}].ends_at"))}
                        </div>
                        <button type="button" class="btn btn-tertiary btn-sm" on:click=move |_| sessions.update(|s| if s.len() > 1 { s.remove(i); })>{tr!("세션 빼기", "Remove session")}</button>
                    </div>
                }).collect_view()}
                {err("matchmaking.sessions".to_owned())}
                <button type="button" class="btn btn-secondary btn-sm" on:click=move |_| sessions.update(|s| if s.len() < SESSIONS_MAX {
                    let last = s.last().cloned().unwrap_or_default();
                    s.push(last);
                })>{tr!("세션 더하기", "Add a session")}</button>
            </fieldset>
            {number("slot_minutes", ("상담 한 건의 길이 (분)", "Length of a meeting (minutes)"), slot_minutes, SLOT_MIN, SLOT_MAX)}
            {number("tables", ("테이블 수", "Tables"), tables, 1, TABLES_MAX)}
            {number("cap", ("1인당 최대 상담 수", "Most meetings per person"), cap, 1, CAP_MAX)}
            <div class="field">
                <label for="mm-opens">{tr!("상담 신청 시작", "Booking opens")}</label>
                <input id="mm-opens" type="datetime-local" prop:value=opens on:change=move |ev| opens.set(event_target_value(&ev))/>
                {err("matchmaking.booking_opens_at".to_owned())}
            </div>
            <div class="field">
                <label for="mm-closes">{tr!("상담 신청 마감 (첫 세션 전)", "Booking closes (before the first session)")}</label>
                <input id="mm-closes" type="datetime-local" prop:value=closes on:change=move |ev| closes.set(event_target_value(&ev))/>
                {err("matchmaking.booking_closes_at".to_owned())}
            </div>
            <fieldset>
                <legend>{tr!("통역 (한국어와 다른 한 언어)", "Interpreters (Korean and one other language)")}</legend>
                {move || interpreters.get().into_iter().enumerate().map(|(i, (name, l))| view! {
                    <div class="session-row">
                        <div class="field">
                            <label for=format!("mm-i{i}-name")>{tr!("이름", "Name")}</label>
                            <input id=format!("mm-i{i}-name") type="text" maxlength=INTERPRETER_NAME_MAX prop:value=name
                                on:change=move |ev| interpreters.update(|v| v[i].0 = event_target_value(&ev))/>
                            {err(format!("matchmaking.interpreters[{i}].name"))}
                        </div>
                        <div class="field">
                            <label for=format!("mm-i{i}-lang")>{tr!("언어", "Language")}</label>
                            <select id=format!("mm-i{i}-lang") on:change=move |ev| {
                                if let Some(x) = Language::from_code(&event_target_value(&ev)) { interpreters.update(|v| v[i].1 = x) }
                            }>
                                {Language::ALL.iter().filter(|x| **x != Language::Ko).map(|x| view! {
                                    <option value=x.code() selected={*x == l}>{language_label(*x)}</option>
                                }).collect_view()}
                            </select>
                        </div>
                        <button type="button" class="btn btn-tertiary btn-sm" on:click=move |_| interpreters.update(|v| { v.remove(i); })>{tr!("빼기", "Remove")}</button>
                    </div>
                }).collect_view()}
                <button type="button" class="btn btn-secondary btn-sm" on:click=move |_| interpreters.update(|v| if v.len() < INTERPRETERS_MAX { v.push((String::new(), Language::En)) })>{tr!("통역 더하기", "Add an interpreter")}</button>
            </fieldset>
            <fieldset>
                <legend>{tr!("상담 성과 조사", "Asking what came of the meetings")}</legend>
                <p class="hint">{tr!("행사가 끝나면 바로, 그리고 정한 개월 수가 지난 뒤 다시 양측에 상담 결과를 묻습니다. 답하지 않으면 일주일마다 다시 알립니다 (최대 3번, 30일간).",
                    "Both sides are asked right after the event and again after the months set here; those who have not answered are reminded weekly (up to 3 times, for 30 days).")}</p>
                {number("follow_up_months", ("다시 묻는 시점 (행사 후 개월)", "Ask again after (months)"), months, 1, FOLLOW_UP_MONTHS_MAX)}
                <p class="hint">{tr!("합계에 쓸 환율 (원, 엔화는 100엔당). 비워 두면 해당 통화는 원화 합계에서 빠집니다.",
                    "Exchange rates for the totals (won; yen per 100). Left blank, a currency has no total in won.")}</p>
                <div class="rate-row">
                    {rate_fields.iter().map(|(c, v)| {
                        let (c, v) = (*c, *v);
                        let code = c.code().to_uppercase();
                        let per_100 = c.rate_unit() == 100;
                        let fields = rate_fields.clone();
                        // The server names a rate by its place among those sent
                        // (blank ones are not).
                        let wrong = move || {
                            let at = fields
                                .iter()
                                .filter(|(_, v)| !v.with(|v| v.trim().is_empty()))
                                .position(|(x, _)| *x == c)?;
                            errors
                                .with(|e| e.get(&format!("matchmaking.rates[{at}].krw")).is_some())
                                .then(|| view! { <p class="error">{move || pick(lang.get(), "확인해 주세요.", "Please check this.")}</p> })
                        };
                        view! {
                            <div class="field">
                                <label for=format!("mm-rate-{}", c.code())>{move || match (per_100, lang.get()) {
                                    (true, Lang::Ko) => format!("{code} 100엔당 환율 (원)"),
                                    (true, _) => format!("{code} rate per 100 yen (won)"),
                                    (false, Lang::Ko) => format!("{code} 환율 (원)"),
                                    (false, _) => format!("{code} rate (won)"),
                                }}</label>
                                <input id=format!("mm-rate-{}", c.code()) type="text" inputmode="numeric" size="8" prop:value=v
                                    on:input=move |ev| v.set(event_target_value(&ev))/>
                                {wrong}
                            </div>
                        }
                    }).collect_view()}
                </div>
            </fieldset>
            <p class="hint">{tr!("세션이나 시간 단위, 테이블 수를 바꾸면 만든 일정이 지워지고 다시 만들어야 합니다.", "Changing the sessions, slot length or tables clears the schedule; make it again.")}</p>
            <MatchError error=save.error()/>
            <button type="submit" class="btn btn-primary" disabled=save.pending()>{tr!("설정 저장", "Save the setup")}</button>
        </form>
    }
}
