//! The notification centre.

use crate::{
    api,
    components::{
        cards::{ErrorView, Loading},
        form::FormError,
    },
    i18n::{self, Lang, pick, use_lang},
    load::Load,
    state::use_session,
    submit::Submit,
};
use leptos::prelude::*;
use leptos_router::components::A;
use moim_core::{
    notification::{Channel, NotificationKind, NotificationView, Preference, Preferences},
    paths,
};

#[component]
pub fn NotificationsPage() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let list = Load::<Vec<NotificationView>>::new(|| Some(paths::NOTIFICATIONS.to_owned()));
    let marking = Submit::new();
    let mark_all = move |_| {
        marking.run(async move {
            let c = api::notifications::mark_all_read().await?;
            session.set_unread(c.unread);
            list.refetch();
            Ok(())
        });
    };
    view! {
        <section class="section narrow">
            <div class="row between">
                <h1>{crate::tr!("알림", "Notifications")}</h1>
                <button type="button" class="btn btn-secondary btn-sm" on:click=mark_all disabled=marking.pending()>{crate::tr!("모두 읽음으로 표시", "Mark all read")}</button>
            </div>
            <FormError error=marking.error()/>
            <Suspense fallback=Loading>
                {move || list.get().map(|r| match r {
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                    Ok(items) if items.is_empty() => view! { <p class="empty">{crate::tr!("알림이 없습니다.", "No notifications.")}</p> }.into_any(),
                    Ok(items) => view! {
                        <ul class="notifications" data-testid="notifications">
                            {items.into_iter().map(|n| {
                                let unread = !n.read;
                                let nid = n.id;
                                let href = {
                                    use moim_core::notification::NotificationKind as K;
                                    if matches!(n.kind, K::OfferReceived | K::OfferAccepted | K::OfferDeclined) {
                                        "/collaborations".to_owned()
                                    } else if let (K::MeetingRequested | K::MeetingAccepted | K::MeetingDeclined | K::MeetingFollowUp, Some(a)) = (n.kind, n.activity_id) {
                                        format!("/activities/{a}/matchmaking")
                                    } else {
                                        n.activity_id.map(|a| format!("/activities/{a}"))
                                            .or_else(|| n.survey_id.map(|s| format!("/surveys/{s}")))
                                            .or_else(|| n.application_id.map(|a| format!("/applications/{a}")))
                                            .or_else(|| n.idea_id.map(|i| format!("/ideas/{i}")))
                                            .or_else(|| n.problem_id.map(|p| format!("/problems/{p}")))
                                            .or_else(|| n.consortium_id.map(|c| format!("/consortia/{c}")))
                                            .unwrap_or_else(|| "/me".into())
                                    }
                                };
                                let text = n.clone();
                                let read = move |_| {
                                    if unread {
                                        marking.run(async move {
                                            let c = api::notifications::mark_read(nid).await?;
                                            session.set_unread(c.unread);
                                            Ok(())
                                        });
                                    }
                                };
                                view! {
                                    <li class:unread=unread>
                                        {unread.then(|| view! { <span class="dot"><span class="sr-only">{crate::tr!("읽지 않음", "Unread")}</span></span> })}
                                        <A href=href on:click=read>{move || i18n::notification(&text, lang.get())}</A>
                                        {n.note.clone().map(|note| {
                                            use moim_core::notification::NotificationKind as K;
                                            let reason = matches!(n.kind, K::JoinDeclined | K::InvitationDeclined | K::AffiliationDeclined | K::OfferDeclined);
                                            view! { <p class="muted">{reason.then(|| view! { {crate::tr!("사유", "Reason")}": " })}"“"{note}"”"</p> }
                                        })}
                                        <time class="muted">{crate::time::kst(n.created_at)}</time>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                })}
            </Suspense>
            <Preferences/>
        </section>
    }
}

/// Each kind's name in the settings list.
fn kind_name(k: NotificationKind, l: Lang) -> &'static str {
    use NotificationKind::*;
    match k {
        JoinRequested => pick(l, "가입 신청 접수 (CM)", "Join requests (CMs)"),
        JoinApproved | JoinDeclined => pick(l, "가입 승인·반려", "Join decisions"),
        Invited => pick(l, "협의체 초대", "Invitations"),
        InvitationAccepted | InvitationDeclined => {
            pick(l, "초대 응답 (CM)", "Answers to invitations (CMs)")
        }
        AppointedManager => pick(l, "CM 지정", "Appointed CM"),
        MemberLeft => pick(l, "회원 탈퇴 (CM)", "Members leaving (CMs)"),
        AffiliationRequested | AffiliationConfirmed | AffiliationDeclined => {
            pick(l, "소속 확인", "Affiliation")
        }
        ProblemPosted => pick(l, "관심 분야 애로과제", "Problems in my fields"),
        ExpertInvited => pick(l, "전문가 초대", "Invitations to problems"),
        NdaAccepted => pick(l, "비밀유지 서약 동의", "NDA accepted"),
        QuestionAsked | QuestionAnswered => pick(l, "질문과 답변", "Questions and answers"),
        ProposalReceived => pick(l, "제안서 도착", "Proposals received"),
        ProposalAccepted | ProposalNotSelected => pick(l, "제안서 결과", "Proposal decisions"),
        StageChanged => pick(l, "협력 단계 변경", "Collaboration stages"),
        OfferReceived | OfferAccepted | OfferDeclined => {
            pick(l, "협력 제안", "Collaboration offers")
        }
        IdeaCommented | IdeaReplied => pick(l, "아이디어 댓글·답글", "Idea comments and replies"),
        IdeaStageChanged => pick(l, "아이디어 단계 변경", "Idea stages"),
        ActivityScheduled => pick(l, "새 네트워킹 활동", "New activities"),
        ActivityPromoted => pick(l, "대기 → 참가 확정", "Places from the waiting list"),
        ActivityReminder => pick(l, "활동 전날 알림", "Reminders the day before"),
        ActivityCancelled => pick(l, "활동 취소", "Cancelled activities"),
        ActivityMinutes => pick(l, "회의록 등록", "Minutes posted"),
        SurveyReminder => pick(l, "설문 마감 알림", "Survey reminders"),
        MeetingRequested => pick(l, "수출상담회 상담 요청", "Meeting requests (matchmaking)"),
        MeetingAccepted | MeetingDeclined => {
            pick(l, "상담 요청 결과", "Answers to my meeting requests")
        }
        MeetingFollowUp => pick(l, "상담 성과 조사", "What came of my meetings"),
        ApplicationInvited => pick(l, "공모 신청 참여 요청", "Asked onto an application"),
        ApplicationConfirmed | ApplicationDeclined => {
            pick(l, "참여 기관의 확인", "Partners' answers")
        }
        ApplicationSubmitted | ApplicationWithdrawn => pick(
            l,
            "공모 신청 제출·철회",
            "Applications submitted or withdrawn",
        ),
        ApplicationDecided => pick(l, "공모 선정 결과", "Decisions on my applications"),
        CallPhaseChanged => pick(l, "공모 진행 단계", "Calls I applied to moving on"),
        ConsortiumFounded => pick(
            l,
            "선정으로 구성된 협의체",
            "Consortia founded from my applications",
        ),
    }
}

/// How one hears of each kind: in the app, email right away, a daily digest, or not at all.
#[component]
fn Preferences() -> impl IntoView {
    let lang = use_lang();
    crate::routing::stylesheet("activities.css");
    let prefs = Load::<Preferences>::new(|| Some(paths::NOTIFICATION_PREFERENCES.to_owned()));
    let saving = Submit::new();
    let saved = RwSignal::new(false);
    let choices = [
        (Channel::App, "앱에서만", "In the app"),
        (Channel::Email, "앱 + 이메일 바로", "App + email now"),
        (
            Channel::Digest,
            "앱 + 하루 한 번 모아서",
            "App + daily digest",
        ),
        (Channel::Off, "받지 않음", "Off"),
    ];
    view! {
        <section id="settings" class="prefs" aria-labelledby="prefs-h">
            <h2 id="prefs-h">{crate::tr!("알림 받는 방법", "How you are notified")}</h2>
            {move || prefs.get().map(|p| match p {
                Err(e) => view! { <ErrorView error=e/> }.into_any(),
                Ok(p) => {
                let email = p.email.clone();
                // Kinds that share a name share one setting.
                let mut rows: Vec<(&'static str, Vec<NotificationKind>, Channel)> = Vec::new();
                for item in p.items {
                    let name = kind_name(item.kind, Lang::Ko);
                    match rows.iter_mut().find(|r| r.0 == name) {
                        Some(r) => r.1.push(item.kind),
                        None => rows.push((name, vec![item.kind], item.channel)),
                    }
                }
                view! {
                    <p class="muted">{move || pick(lang.get(), format!("이메일은 {email}(으)로 갑니다. 하루 한 번 모음은 아침 8시에 보냅니다."), format!("Email goes to {email}. The daily digest is sent at 08:00 Korea time."))}</p>
                    <ul class="pref-list">
                        {rows.into_iter().enumerate().map(|(i, (_, kinds, channel))| {
                            let first = kinds[0];
                            let id = format!("pref-{i}");
                            // What the server has: the select goes back to it when saving fails.
                            let stored = StoredValue::new(channel);
                            let change = move |ev| {
                                let Some(c) = Channel::from_code(&event_target_value(&ev)) else { return };
                                let select = event_target::<web_sys::HtmlSelectElement>(&ev);
                                let kinds = kinds.clone();
                                saved.set(false);
                                saving.run(async move {
                                    for k in kinds {
                                        if let Err(e) = api::notifications::set_preference(Preference { kind: k, channel: c }).await {
                                            if let Some(before) = stored.try_get_value() {
                                                select.set_value(before.code());
                                            }
                                            return Err(e);
                                        }
                                    }
                                    stored.try_set_value(c);
                                    saved.try_set(true);
                                    Ok(())
                                });
                            };
                            view! {
                                <li>
                                    <label for=id.clone()>{move || kind_name(first, lang.get())}</label>
                                    <select id=id on:change=change>
                                        {choices.into_iter().map(|(c, ko, en)| view! {
                                            <option value=c.code() selected=c == channel>{move || pick(lang.get(), ko, en)}</option>
                                        }).collect_view()}
                                    </select>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
                }
            })}
            <p role="status" class="muted">{move || saved.get().then(|| pick(lang.get(), "저장했습니다.", "Saved."))}</p>
            <FormError error=saving.error()/>
        </section>
    }
}
