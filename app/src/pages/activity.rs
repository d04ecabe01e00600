//! One activity: registering and cancelling (with the waiting list), adding it
//! to a calendar, checking in; for its managers, the check-in code with its QR
//! code, the list with attendance by hand, minutes, photos and cancelling.

use super::activity_text::{error_text, kind_label, status_label};
use crate::{
    api,
    components::cards::{ErrorView, Loading},
    i18n::{pick, use_lang},
    routing::{id_param, query_param},
    state::use_session,
    time::{kst, now, when},
    tr,
};
use leptos::{prelude::*, task::spawn_local};
use leptos_router::{components::A, hooks::use_navigate};
use moim_core::{
    ActivityId,
    activity::{
        ActivityView, Attendee, CANCEL_NOTE_MAX, CancelNote, CheckinCode, RegistrationStatus,
    },
};

#[component]
pub fn ActivityPage() -> impl IntoView {
    let id = id_param("id");
    let reload = RwSignal::new(0_u32);
    let session = use_session();
    let who = Memo::new(move |_| session.me.with(|m| m.as_ref().map(|m| m.id)));
    let activity = LocalResource::new(move || {
        reload.track();
        // What the caller may do depends on who they are: ask again once the
        // session is known (a page opened directly loads both at once).
        who.track();
        let id = id.get();
        async move {
            match id {
                Some(i) => api::activities::get_one(ActivityId(i)).await.map(Some),
                None => Ok(None),
            }
        }
    });
    view! {
        <section class="section activity-page">
            {move || match activity.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(e)) => view! { <ErrorView error=e/> }.into_any(),
                Some(Ok(None)) => view! { <super::NotFoundPage/> }.into_any(),
                Some(Ok(Some(a))) => view! { <Activity a=a reload=reload/> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn Activity(a: ActivityView, reload: RwSignal<u32>) -> impl IntoView {
    let lang = use_lang();
    let s = a.summary.clone();
    let id = s.id;
    let (kind, start, end) = (s.kind, s.starts_at, s.ends_at);
    let consortia = s
        .consortia
        .iter()
        .map(|c| c.name.clone())
        .collect::<Vec<_>>()
        .join(", ");
    let seats = {
        let s = s.clone();
        move || {
            let l = lang.get();
            let mut t = match s.capacity {
                Some(c) => pick(
                    l,
                    format!("정원 {c}명 중 {}명 신청", s.registered),
                    format!("{} of {c} places taken", s.registered),
                ),
                None => pick(
                    l,
                    format!("{}명 신청 (정원 없음)", s.registered),
                    format!("{} registered (no limit)", s.registered),
                ),
            };
            if s.waitlisted > 0 {
                t.push_str(&pick(
                    l,
                    format!(", 대기 {}명", s.waitlisted),
                    format!(", {} waiting", s.waitlisted),
                ));
            }
            t
        }
    };
    let deadline = a.deadline;
    let photos = a.photos.clone();
    let minutes = a.minutes.clone();
    view! {
        <article class="activity" aria-labelledby="act-title">
            <p class="crumbs"><A href="/activities">{tr!("← 활동 일정", "← Activities")}</A></p>
            <div class="badges">
                <span class=format!("badge kind-{}", kind.code())>{move || kind_label(kind, lang.get())}</span>
                {s.cancelled.then(|| view! { <span class="badge badge-warn">{tr!("취소됨", "Cancelled")}</span> })}
                {s.my_status.filter(|m| *m != RegistrationStatus::Cancelled).map(|m| view! { <span class=format!("badge status-{}", m.code())>{move || status_label(m, lang.get())}</span> })}
                {a.attended.then(|| view! { <span class="badge status-registered">{tr!("출석 완료", "Attended")}</span> })}
            </div>
            <h1 id="act-title">{s.title.clone()}</h1>
            <dl class="facts">
                <dt>{tr!("일시", "When")}</dt><dd data-testid="when">{move || when(start, end, lang.get())}</dd>
                <dt>{tr!("장소", "Where")}</dt>
                <dd>
                    {(!s.place.is_empty()).then(|| s.place.clone())}
                    {a.online_url.clone().map(|u| view! { <a href=u.clone() rel="noopener noreferrer" target="_blank">{tr!(" 온라인 참여 링크", " Online link")}</a> })}
                    {(s.online && a.online_url.is_none()).then(|| view! { <span class="hint">{tr!(" (온라인 링크는 참가 확정자에게 보입니다)", " (the online link shows once you are registered)")}</span> })}
                </dd>
                <dt>{tr!("협의체", "Consortia")}</dt><dd>{consortia}</dd>
                <dt>{tr!("신청", "Places")}</dt><dd data-testid="seats">{seats}</dd>
                <dt>{tr!("신청 마감", "Registration closes")}</dt><dd>{kst(deadline)}</dd>
                <dt>{tr!("담당", "Organised by")}</dt><dd>{a.created_by.clone()}</dd>
            </dl>
            {(!a.description.is_empty()).then(|| view! { <p class="activity-body">{a.description.clone()}</p> })}
            <Registration a=a.clone() reload=reload/>
            <p class="ics"><a href=format!("/api/activities/{id}/ics") download="">{tr!("캘린더에 추가 (.ics)", "Add to calendar (.ics)")}</a></p>
            {minutes.map(|m| view! {
                <section aria-labelledby="minutes-h">
                    <h2 id="minutes-h" class="h-small">{tr!("회의록", "Minutes")}</h2>
                    <p class="activity-body">{m}</p>
                </section>
            })}
            {(!photos.is_empty()).then(|| view! {
                <section aria-labelledby="photos-h">
                    <h2 id="photos-h" class="h-small">{tr!("사진", "Photos")}</h2>
                    <ul class="gallery">
                        {photos.into_iter().map(|p| view! {
                            <li><img src=format!("/api/activities/{id}/photos/{}", p.id) alt=p.name loading="lazy"/></li>
                        }).collect_view()}
                    </ul>
                </section>
            })}
        </article>
        {a.can_manage.then(|| view! { <Manage a=a.clone() reload=reload/> })}
    }
}

/// Register, cancel, or go to check-in.
#[component]
fn Registration(a: ActivityView, reload: RwSignal<u32>) -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let id = a.summary.id;
    let status = a.summary.my_status;
    let act = move |on: bool| {
        busy.set(true);
        spawn_local(async move {
            match api::activities::register(id, on).await {
                Ok(_) => {
                    error.try_set(None);
                    reload.try_update(|n| *n += 1);
                }
                Err(e) => {
                    error.try_set(Some(error_text(&e, lang.get_untracked())));
                }
            }
            busy.try_set(false);
        });
    };
    let full = a
        .summary
        .capacity
        .is_some_and(|c| a.summary.registered >= c);
    let state = match status {
        Some(RegistrationStatus::Registered) => view! {
            <p class="alert alert-success">{tr!("참가가 확정되었습니다.", "You have a place.")}</p>
            {(a.checkin_open && !a.attended).then(|| view! {
                <A href=format!("/activities/{id}/check-in") attr:class="btn btn-primary btn-block">{tr!("출석 확인하기", "Check in")}</A>
            })}
        }
        .into_any(),
        Some(RegistrationStatus::Waitlisted) => {
            let pos = a.my_position.unwrap_or(0);
            view! { <p class="alert alert-info">{move || pick(lang.get(), format!("대기 {pos}번입니다. 자리가 나면 자동으로 확정되고 알려 드립니다."), format!("You are number {pos} on the waiting list. If a place frees up it is yours, and we tell you."))}</p> }.into_any()
        }
        _ => ().into_any(),
    };
    let signed_in = session.me.with_untracked(Option::is_some);
    let active = matches!(
        status,
        Some(RegistrationStatus::Registered | RegistrationStatus::Waitlisted)
    );
    let button = if !signed_in {
        view! { <A href=format!("/signin?next=/activities/{id}") attr:class="btn btn-primary btn-block">{tr!("로그인하고 신청하기", "Sign in to register")}</A> }.into_any()
    } else if active && !a.summary.cancelled && a.summary.starts_at > now() {
        view! { <button type="button" class="btn btn-secondary btn-block" disabled=move || busy.get() on:click=move |_| act(false)>{tr!("신청 취소", "Cancel my registration")}</button> }.into_any()
    } else if a.can_register && !active {
        let label = move || match (full, a.waitlist) {
            (true, true) => pick(lang.get(), "대기 신청", "Join the waiting list"),
            _ => pick(lang.get(), "참가 신청", "Register"),
        };
        view! { <button type="button" class="btn btn-primary btn-block" disabled=move || busy.get() on:click=move |_| act(true)>{label}</button> }.into_any()
    } else if !a.can_register
        && !active
        && !a.can_manage
        && !a.summary.cancelled
        && a.summary.starts_at > now()
    {
        view! { <p class="hint">{tr!("이 활동은 해당 협의체 회원 기관만 신청할 수 있습니다. (또는 신청이 마감되었습니다)", "Only member organisations of these consortia can register (or registration has closed).")}</p> }.into_any()
    } else {
        ().into_any()
    };
    view! {
        <div class="register-box" aria-live="polite">
            {state}
            {button}
            {move || error.get().map(|e| view! { <p class="alert alert-error" role="alert">{e}</p> })}
        </div>
    }
}

/// The CM's tools for one activity.
#[component]
fn Manage(a: ActivityView, reload: RwSignal<u32>) -> impl IntoView {
    let lang = use_lang();
    let id = a.summary.id;
    let code = RwSignal::new(None::<CheckinCode>);
    let code_error = RwSignal::new(None::<String>);
    let open = move |_| {
        spawn_local(async move {
            match api::activities::open_checkin(id).await {
                Ok(c) => {
                    code.try_set(Some(c));
                    code_error.try_set(None);
                }
                Err(e) => {
                    code_error.try_set(Some(error_text(&e, lang.get_untracked())));
                }
            }
        });
    };
    let list = LocalResource::new(move || {
        reload.track();
        async move { api::activities::attendees(id).await }
    });
    let cancelled = a.summary.cancelled;
    let now = now();
    let begun = a.summary.starts_at <= now;
    let too_early = now
        < a.summary.starts_at - chrono::Duration::minutes(moim_core::activity::CHECKIN_OPENS_MIN)
        || now
            > a.summary.ends_at + chrono::Duration::minutes(moim_core::activity::CHECKIN_GRACE_MIN);
    view! {
        <section class="manage" aria-labelledby="manage-h">
            <h2 id="manage-h">{tr!("활동 관리", "Manage this activity")}</h2>
            <div class="manage-actions">
                <A href=format!("/activities/{id}/edit") attr:class="btn btn-secondary">{tr!("수정", "Edit")}</A>
            </div>
            <h3 class="h-small">{tr!("출석 확인", "Check-in")}</h3>
            {move || match code.get() {
                None => view! {
                    <p class="hint">{tr!("행사 1시간 전부터 출석 코드를 띄울 수 있습니다. 참석자는 휴대폰으로 코드를 입력하거나 QR 코드를 찍습니다.", "From an hour before the start, show a check-in code; attendees type it on their phones or scan the QR code.")}</p>
                    <button type="button" class="btn btn-primary" on:click=open disabled=cancelled || too_early>{tr!("출석 코드 띄우기", "Show the check-in code")}</button>
                }.into_any(),
                Some(c) => view! {
                    <div class="checkin-code">
                        <p class="code" data-testid="checkin-code" aria-label=tr!("출석 코드", "Check-in code")>{c.code.clone()}</p>
                        <img src=format!("/api/activities/{id}/checkin-qr?v={}", c.code) width="240" height="240"
                            alt=move || pick(lang.get(), "출석 확인 페이지로 가는 QR 코드", "QR code of the check-in page")/>
                        <p class="hint">{move || pick(lang.get(), format!("{}까지 유효", kst(c.expires_at)), format!("Valid until {}", kst(c.expires_at)))}</p>
                    </div>
                }.into_any(),
            }}
            {move || code_error.get().map(|e| view! { <p class="alert alert-error" role="alert">{e}</p> })}
            <h3 class="h-small">{tr!("신청자 명단", "People on the list")}</h3>
            {move || match list.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(e)) => view! { <ErrorView error=e/> }.into_any(),
                Some(Ok(people)) => view! { <Roster id=id people=people reload=reload/> }.into_any(),
            }}
            {begun.then(|| view! {
                <MinutesForm id=id current=a.minutes.clone().unwrap_or_default() reload=reload/>
                <PhotoUpload id=id reload=reload/>
            })}
            {(!cancelled && !begun).then(|| view! { <CancelForm id=id reload=reload/> })}
        </section>
    }
}

/// The list, with attendance by hand.
#[component]
fn Roster(id: ActivityId, people: Vec<Attendee>, reload: RwSignal<u32>) -> impl IntoView {
    let lang = use_lang();
    let error = RwSignal::new(None::<String>);
    if people.is_empty() {
        return view! { <p class="empty">{tr!("아직 신청자가 없습니다.", "Nobody has registered yet.")}</p> }.into_any();
    }
    let present = people.iter().filter(|p| p.attended_at.is_some()).count();
    let registered = people
        .iter()
        .filter(|p| p.status == RegistrationStatus::Registered)
        .count();
    view! {
        <p class="meta" data-testid="attendance">{move || pick(lang.get(), format!("참가 확정 {registered}명 중 {present}명 출석"), format!("{present} of {registered} registered attended"))}</p>
        <div class="table-wrap">
            <table class="roster">
                <thead><tr>
                    <th scope="col">{tr!("이름", "Name")}</th>
                    <th scope="col">{tr!("상태", "Status")}</th>
                    <th scope="col">{tr!("출석", "Present")}</th>
                </tr></thead>
                <tbody>
                    {people.into_iter().map(|p| {
                        let user = p.user_id;
                        let here = p.attended_at.is_some();
                        let label = format!("{} ({})", p.name, p.org_name);
                        let status = p.status;
                        let pos = p.position;
                        let toggle = move |ev: leptos::ev::Event| {
                            let on = event_target_checked(&ev);
                            spawn_local(async move {
                                match api::activities::mark(id, user, on).await {
                                    Ok(_) => { reload.try_update(|n| *n += 1); }
                                    Err(e) => { error.try_set(Some(error_text(&e, lang.get_untracked()))); }
                                }
                            });
                        };
                        let how = p.attended_at.map(|t| {
                            let by = p.by_hand;
                            move || format!("{}{}", kst(t), if by { pick(lang.get(), " · 수기", " · by hand") } else { "" })
                        });
                        view! {
                            <tr>
                                <th scope="row">{p.name.clone()}<span class="meta">{p.org_name.clone()}</span></th>
                                <td>{move || status_label(status, lang.get())}{pos.map(|n| format!(" {n}"))}</td>
                                <td>
                                    <label class="check">
                                        <input type="checkbox" checked=here on:change=toggle aria-label=label/>
                                        <span class="meta">{how}</span>
                                    </label>
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        {move || error.get().map(|e| view! { <p class="alert alert-error" role="alert">{e}</p> })}
    }
    .into_any()
}

#[component]
fn MinutesForm(id: ActivityId, current: String, reload: RwSignal<u32>) -> impl IntoView {
    let lang = use_lang();
    let text = RwSignal::new(current);
    let note = RwSignal::new(None::<(bool, String)>);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let t = text.get_untracked();
        spawn_local(async move {
            match api::activities::minutes(id, &t).await {
                Ok(_) => {
                    note.try_set(Some((
                        true,
                        pick(lang.get_untracked(), "저장했습니다.", "Saved.").to_owned(),
                    )));
                    reload.try_update(|n| *n += 1);
                }
                Err(e) => {
                    note.try_set(Some((false, error_text(&e, lang.get_untracked()))));
                }
            }
        });
    };
    view! {
        <form class="minutes-form" on:submit=save>
            <label for="act-minutes" class="h-small">{tr!("회의록 (회원에게 공개)", "Minutes (shown to members)")}</label>
            <textarea id="act-minutes" rows="5" prop:value=text on:input=move |ev| text.set(event_target_value(&ev)) maxlength="20000"></textarea>
            <button type="submit" class="btn btn-secondary">{tr!("회의록 저장", "Save minutes")}</button>
            {move || note.get().map(|(ok, t)| view! { <p class=if ok { "alert alert-success" } else { "alert alert-error" } role="status">{t}</p> })}
        </form>
    }
}

#[component]
fn PhotoUpload(id: ActivityId, reload: RwSignal<u32>) -> impl IntoView {
    let lang = use_lang();
    let note = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let pick_files = move |ev: leptos::ev::Event| {
        use wasm_bindgen::JsCast;
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(files) = input.files() else { return };
        if files.length() == 0 {
            return;
        }
        busy.set(true);
        spawn_local(async move {
            match api::activities::photos(id, &files).await {
                Ok(_) => {
                    note.try_set(None);
                    reload.try_update(|n| *n += 1);
                }
                Err(e) => {
                    note.try_set(Some(error_text(&e, lang.get_untracked())));
                }
            }
            busy.try_set(false);
        });
    };
    view! {
        <div class="field">
            <label for="act-photos" class="h-small">{tr!("사진 올리기 (위치 정보는 지워집니다)", "Add photos (location data is removed)")}</label>
            <input id="act-photos" type="file" accept="image/*" multiple on:change=pick_files disabled=move || busy.get()/>
            {move || note.get().map(|e| view! { <p class="alert alert-error" role="alert">{e}</p> })}
        </div>
    }
}

#[component]
fn CancelForm(id: ActivityId, reload: RwSignal<u32>) -> impl IntoView {
    let lang = use_lang();
    let reason = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let cancel = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let confirmed = web_sys::window()
            .and_then(|w| {
                w.confirm_with_message(pick(
                    lang.get_untracked(),
                    "활동을 취소할까요? 신청자 모두에게 알립니다.",
                    "Cancel the activity? Everyone on the list is told.",
                ))
                .ok()
            })
            .unwrap_or(false);
        if !confirmed {
            return;
        }
        let note = CancelNote {
            note: Some(reason.get_untracked()),
        };
        spawn_local(async move {
            match api::activities::cancel(id, &note).await {
                Ok(()) => {
                    reload.try_update(|n| *n += 1);
                }
                Err(e) => {
                    error.try_set(Some(error_text(&e, lang.get_untracked())));
                }
            }
        });
    };
    view! {
        <form class="cancel-form" on:submit=cancel>
            <label for="act-cancel">{tr!("활동 취소 사유 (신청자에게 전달)", "Reason for cancelling (sent to everyone on the list)")}</label>
            <input id="act-cancel" type="text" maxlength=CANCEL_NOTE_MAX prop:value=reason on:input=move |ev| reason.set(event_target_value(&ev))/>
            <button type="submit" class="btn btn-danger">{tr!("활동 취소", "Cancel the activity")}</button>
            {move || error.get().map(|e| view! { <p class="alert alert-error" role="alert">{e}</p> })}
        </form>
    }
}

/// Check-in on a phone: the code the CM shows (filled in from the QR code's link).
#[component]
pub fn CheckInPage() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let navigate = use_navigate();
    let id = id_param("id");
    let code = RwSignal::new(query_param("code").get_untracked().unwrap_or_default());
    let done = RwSignal::new(None::<ActivityView>);
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    Effect::new(move |_| {
        if session.ready.get() && session.me.with(Option::is_none) {
            let here = web_sys::window()
                .and_then(|w| w.location().href().ok())
                .unwrap_or_default();
            let path = here
                .split_once("//")
                .and_then(|(_, r)| r.split_once('/'))
                .map(|(_, p)| format!("/{p}"))
                .unwrap_or_default();
            navigate(
                &format!("/signin?next={}", api::enc(&path)),
                Default::default(),
            );
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(i) = id.get_untracked() else { return };
        let c = code.get_untracked();
        busy.set(true);
        spawn_local(async move {
            match api::activities::check_in(ActivityId(i), c.trim()).await {
                Ok(a) => {
                    done.try_set(Some(a));
                    error.try_set(None);
                }
                Err(e) => {
                    let l = lang.get_untracked();
                    let text = if e.fields().get("code").is_some() {
                        pick(
                            l,
                            "코드가 맞지 않습니다. 화면의 여섯 자리 숫자를 다시 확인해 주세요.",
                            "That code is not right. Check the six digits on the screen.",
                        )
                        .to_owned()
                    } else {
                        error_text(&e, l)
                    };
                    error.try_set(Some(text));
                }
            }
            busy.try_set(false);
        });
    };
    view! {
        <section class="section checkin-page">
            <h1>{tr!("출석 확인", "Check in")}</h1>
            {move || match done.get() {
                Some(a) => view! {
                    <div class="alert alert-success checkin-done" role="status">
                        <p><strong>{tr!("출석이 확인되었습니다.", "You are checked in.")}</strong></p>
                        <p>{a.summary.title.clone()}</p>
                    </div>
                    <A href=format!("/activities/{}", a.summary.id) attr:class="btn btn-secondary btn-block">{tr!("활동 보기", "See the activity")}</A>
                }.into_any(),
                None => view! {
                    <form on:submit=submit class="checkin-form">
                        <label for="checkin-code">{tr!("화면에 보이는 출석 코드 6자리", "The six-digit code on the screen")}</label>
                        <input id="checkin-code" type="text" inputmode="numeric" autocomplete="one-time-code" maxlength="6" pattern="[0-9]{6}"
                            prop:value=code on:input=move |ev| code.set(event_target_value(&ev)) aria-invalid=move || error.get().is_some().to_string()
                            aria-describedby="checkin-error"/>
                        <div id="checkin-error" role="alert">{move || error.get().map(|e| view! { <p class="alert alert-error">{e}</p> })}</div>
                        <button type="submit" class="btn btn-primary btn-block" disabled=move || busy.get()>{tr!("출석하기", "Check in")}</button>
                    </form>
                }.into_any(),
            }}
        </section>
    }
}
