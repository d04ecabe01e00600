//! One activity: registering and cancelling (with the waiting list), adding it
//! to a calendar, checking in; for its managers, the check-in code with its QR
//! code, the list with attendance by hand, minutes, photos and cancelling.

use super::{
    activity_guest::{GuestPart, guest_token},
    activity_text::{ActivityError, CodeForm, kind_label, status_label},
};
use crate::{
    api,
    components::cards::{ErrorView, Loading},
    i18n::{pick, use_lang},
    load::Load,
    routing::{id_param, query_param},
    state::use_session,
    submit::Submit,
    time::{kst, now, when},
    tr,
};
use leptos::prelude::*;
use leptos_router::{components::A, hooks::use_navigate};
use moim_core::{
    ActivityId,
    activity::{ActivityAudience, ActivityKind, ActivityView, CategoryCount, RegistrationStatus},
    paths,
};

#[component]
pub fn ActivityPage() -> impl IntoView {
    let id = id_param("id");
    let reload = RwSignal::new(0_u32);
    let session = use_session();
    let who = Memo::new(move |_| session.me.with(|m| m.as_ref().map(|m| m.id)));
    let activity = Load::<ActivityView>::new(move || {
        reload.track();
        // What the caller may do depends on who they are: ask again when they
        // sign in or out.
        who.track();
        id.get().map(|i| paths::activity(ActivityId(i)))
    });
    view! {
        <section class="section activity-page">
            {move || match activity.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(e)) => view! { <ErrorView error=e/> }.into_any(),
                Some(Ok(a)) => view! { <Activity a=a reload=reload/> }.into_any(),
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
    // A guest's mailed link (or the one this device kept), for someone not
    // signed in: their registration instead of the register box.
    let guest = use_session()
        .me
        .with_untracked(Option::is_none)
        .then(|| guest_token(id))
        .flatten();
    let photos = a.photos.clone();
    let minutes = a.minutes.clone();
    view! {
        <article class="activity" aria-labelledby="act-title">
            <p class="crumbs"><a href="/activities">{tr!("← 활동 일정", "← Activities")}</a></p>
            <div class="badges">
                <span class=format!("badge kind-{}", kind.code())>{move || kind_label(kind, lang.get())}</span>
                {(s.audience != ActivityAudience::Members).then(|| view! { <span class="badge badge-open">{tr!("공개 행사", "Open event")}</span> })}
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
                    {s.place_hidden.then(|| view! { <span class="hint">{tr!("주소는 참가가 확정되면 보입니다.", "The address shows once you have a place.")}</span> })}
                    {a.online_url.clone().map(|u| view! { <a href=u.clone() rel="noopener noreferrer" target="_blank">{tr!(" 온라인 참여 링크", " Online link")}</a> })}
                    {(s.online && a.online_url.is_none()).then(|| view! { <span class="hint">{tr!(" (온라인 링크는 참가 확정자에게 보입니다)", " (the online link shows once you are registered)")}</span> })}
                </dd>
                <dt>{tr!("협의체", "Consortia")}</dt><dd>{consortia}</dd>
                <dt>{tr!("신청", "Places")}</dt><dd data-testid="seats">{seats}</dd>
                {(!a.categories.is_empty()).then(|| {
                    let items = a.categories.iter().map(|c| {
                        let text = match c.capacity {
                            Some(cap) => format!("{} {}/{cap}", c.name, c.taken),
                            None => format!("{} {}", c.name, c.taken),
                        };
                        view! { <li>{text}</li> }
                    }).collect_view();
                    view! { <dt>{tr!("참가 구분", "Attending as")}</dt><dd><ul class="category-counts" data-testid="categories">{items}</ul></dd> }
                })}
                {a.my_category.clone().map(|c| view! { <dt>{tr!("내 참가 구분", "You attend as")}</dt><dd>{c}</dd> })}
                <dt>{tr!("신청 마감", "Registration closes")}</dt><dd>{kst(deadline)}</dd>
                <dt>{tr!("담당", "Organised by")}</dt><dd>{a.created_by.clone()}</dd>
                {(!a.partners.is_empty()).then(|| {
                    let partners = a.partners.iter().map(|p| {
                        let (ko, en) = (p.name_ko.clone(), p.name.clone());
                        view! { <li><A href=format!("/partners/{}", p.id)>{move || pick(lang.get(), ko.clone(), en.clone())}</A></li> }
                    }).collect_view();
                    view! { <dt>{tr!("공동 주최", "Co-organised with")}</dt><dd><ul class="inline-list" data-testid="co-organisers">{partners}</ul></dd> }
                })}
            </dl>
            {(!a.description.is_empty()).then(|| view! { <p class="activity-body">{a.description.clone()}</p> })}
            {(!a.programme.is_empty()).then(|| view! {
                <section aria-labelledby="programme-h">
                    <h2 id="programme-h" class="h-small">{tr!("프로그램", "Programme")}</h2>
                    <ol class="programme-list">
                        {a.programme.iter().map(|i| {
                            let at = crate::time::hm(i.starts_at);
                            view! {
                                <li>
                                    <time datetime=i.starts_at.to_rfc3339()>{at}</time>
                                    <span class="programme-what">
                                        <strong>{i.title.clone()}</strong>
                                        {(!i.speaker.is_empty() || !i.affiliation.is_empty()).then(|| {
                                            let who = match (i.speaker.is_empty(), i.affiliation.is_empty()) {
                                                (false, false) => format!("{} · {}", i.speaker, i.affiliation),
                                                (false, true) => i.speaker.clone(),
                                                _ => i.affiliation.clone(),
                                            };
                                            view! { <span class="programme-who">{who}</span> }
                                        })}
                                    </span>
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                </section>
            })}
            {match guest.clone() {
                Some(token) => {
                    let part = GuestPart::Panel { id, token, reload, can_register: a.can_register, categories: a.categories.clone(), asks: a.question_count > 0 };
                    Suspend::new(activity_guest(part)).into_any()
                }
                None => view! { <Registration a=a.clone() reload=reload/> }.into_any(),
            }}
            {(kind == ActivityKind::Matchmaking && !s.cancelled).then(|| view! {
                <p class="matchmaking-link"><A href=format!("/activities/{id}/matchmaking") attr:class="btn btn-secondary btn-block">{tr!("1:1 상담 신청·일정", "One-to-one meetings")}</A></p>
            })}
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
        {a.can_manage.then(|| Suspend::new(activity_manage((a.clone(), reload))))}
    }
}

/// Register, cancel, or go to check-in.
#[component]
fn Registration(a: ActivityView, reload: RwSignal<u32>) -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let submit = Submit::new();
    let busy = submit.pending();
    let id = a.summary.id;
    let status = a.summary.my_status;
    // The attendee category chosen, where the activity has categories.
    let category = RwSignal::new(String::new());
    let unchosen = RwSignal::new(false);
    let needs_category = !a.categories.is_empty();
    // The category chosen, where one is needed (else its field says so and
    // takes the focus): none when it is missing.
    let choose = move || {
        let chosen = Some(category.get_untracked()).filter(|c| !c.is_empty());
        if needs_category && chosen.is_none() {
            unchosen.set(true);
            crate::components::form::focus_soon("#act-category");
            return None;
        }
        Some(chosen)
    };
    let act = move |on: bool| {
        let chosen = match on {
            true => match choose() {
                Some(c) => c,
                None => return,
            },
            false => None,
        };
        submit.run(async move {
            if on {
                api::activities::register(id, chosen).await?;
            } else {
                api::activities::unregister(id).await?;
            }
            reload.try_update(|n| *n += 1);
            Ok(())
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
    let button = if !signed_in && a.can_register {
        // Open to anyone: sign in, or register as a guest.
        view! {
            <A href=format!("/signin?next=/activities/{id}") attr:class="btn btn-primary btn-block">{tr!("로그인하고 신청하기", "Sign in to register")}</A>
            <GuestBox id=id categories=a.categories.clone() asks={a.question_count > 0}/>
        }.into_any()
    } else if !signed_in {
        view! { <A href=format!("/signin?next=/activities/{id}") attr:class="btn btn-primary btn-block">{tr!("로그인하고 신청하기", "Sign in to register")}</A> }.into_any()
    } else if active && !a.summary.cancelled && a.summary.starts_at > now() {
        view! { <button type="button" class="btn btn-secondary btn-block" disabled=busy on:click=move |_| act(false)>{tr!("신청 취소", "Cancel my registration")}</button> }.into_any()
    } else if a.can_register && !active {
        let label = move || match (full, a.waitlist) {
            (true, true) => pick(lang.get(), "대기 신청", "Join the waiting list"),
            _ => pick(lang.get(), "참가 신청", "Register"),
        };
        let choices = a.categories.clone();
        let chooser = needs_category.then(|| view! {
            <div class="field">
                <label for="act-category">{tr!("참가 구분", "Attending as")}<span class="req" aria-hidden="true">" *"</span></label>
                <select id="act-category" required aria-invalid=move || unchosen.get().then_some("true")
                    aria-describedby=move || unchosen.get().then_some("act-category-error")
                    prop:value=category on:change=move |ev| { category.set(event_target_value(&ev)); unchosen.set(false); }>
                    <option value="">{tr!("고르세요", "Choose")}</option>
                    {choices.into_iter().map(|c| {
                        let full = c.full();
                        let left = c.capacity.map(|cap| (cap - c.taken).max(0));
                        let name = c.name.clone();
                        view! {
                            <option value=c.name.clone() disabled=full>
                                {move || match (full, left) {
                                    (true, _) => pick(lang.get(), format!("{name} (마감)"), format!("{name} (full)")),
                                    (false, Some(n)) => pick(lang.get(), format!("{name} (남은 자리 {n})"), format!("{name} ({n} left)")),
                                    (false, None) => name.clone(),
                                }}
                            </option>
                        }
                    }).collect_view()}
                </select>
                <p class="error" id="act-category-error">{move || unchosen.get().then(|| pick(lang.get(), "참가 구분을 골라 주세요.", "Choose how you attend."))}</p>
            </div>
        });
        // Questions to answer first: they are drawn by the registration
        // forms' module, loaded for such an activity only.
        let go = if a.question_count == 0 {
            view! { <button type="button" class="btn btn-primary btn-block" disabled=busy on:click=move |_| act(true)>{label}</button> }.into_any()
        } else {
            let part = GuestPart::Member {
                id,
                label: Signal::derive(label),
                submit,
                choose: Callback::new(move |()| choose()),
                reload,
            };
            Suspend::new(activity_guest(part)).into_any()
        };
        view! {
            {chooser}
            {go}
        }
        .into_any()
    } else if !a.can_register
        && !active
        && !a.can_manage
        && !a.summary.cancelled
        && a.summary.starts_at > now()
    {
        if now() >= a.deadline {
            view! { <p class="hint">{tr!("신청이 마감되었습니다.", "Registration has closed.")}</p> }.into_any()
        } else {
            view! { <p class="hint">{tr!("이 활동은 해당 협의체 회원 기관만 신청할 수 있습니다.", "Only member organisations of these consortia can register.")}</p> }.into_any()
        }
    } else {
        ().into_any()
    };
    view! {
        <div class="register-box" aria-live="polite">
            {state}
            {button}
            <ActivityError error=submit.error()/>
        </div>
    }
}

/// Registering without an account, opened on demand: the form is in the
/// guests' module, loaded when the box first opens.
#[component]
fn GuestBox(id: ActivityId, categories: Vec<CategoryCount>, asks: bool) -> impl IntoView {
    let opened = RwSignal::new(false);
    view! {
        <details class="guest-box" on:toggle=move |ev| {
            if event_target::<web_sys::Element>(&ev).has_attribute("open") {
                opened.set(true);
            }
        }>
            <summary>{tr!("계정 없이 신청하기 (게스트)", "Register without an account (guest)")}</summary>
            {move || opened.get().then(|| Suspend::new(activity_guest(GuestPart::Form(id, categories.clone(), asks))))}
        </details>
    }
}

/// The registration forms — a guest's, what a guest's link opens, and a
/// member's answers to the registration questions — a module of its own drawn
/// only when needed (`core::routes`: never named in the HTML).
#[leptos::lazy]
fn activity_guest(part: GuestPart) -> AnyView {
    super::activity_guest::draw(part)
}

/// The manager's tools, a module of its own (the server names it in the HTML for
/// CMs and admins, `core::routes`).
#[leptos::lazy]
fn activity_manage(args: (ActivityView, RwSignal<u32>)) -> AnyView {
    view! { <super::activity_manage::Manage a=args.0 reload=args.1/> }.into_any()
}

/// Check-in on a phone: the code the CM shows (filled in from the QR code's link).
#[component]
pub fn CheckInPage() -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    let id = id_param("id");
    let code = RwSignal::new(query_param("code").get_untracked().unwrap_or_default());
    // The activity's title and id, once checked in.
    let done = RwSignal::new(None::<(String, ActivityId)>);
    let checking = Submit::new();
    // A guest without an account: the link this device kept for the activity
    // checks them in (the QR code carries no person).
    let kept = StoredValue::new(id.get_untracked().and_then(|i| guest_token(ActivityId(i))));
    let guest = move || {
        session
            .me
            .with_untracked(Option::is_none)
            .then(|| kept.get_value())
            .flatten()
    };
    Effect::new(move |_| {
        if session.ready.get() && session.me.with(Option::is_none) && guest().is_none() {
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
    let submit = move |()| {
        let Some(i) = id.get_untracked() else { return };
        let c = code.get_untracked();
        let as_guest = guest();
        checking.run(async move {
            let got = match as_guest {
                Some(token) => {
                    let v = api::activities::guest_check_in(&token, c.trim()).await?;
                    (v.title, v.activity_id)
                }
                None => {
                    let a = api::activities::check_in(ActivityId(i), c.trim()).await?;
                    (a.summary.title, a.summary.id)
                }
            };
            done.try_set(Some(got));
            Ok(())
        });
    };
    view! {
        <section class="section checkin-page">
            <h1>{tr!("출석 확인", "Check in")}</h1>
            {move || match done.get() {
                Some((title, at)) => view! {
                    <div class="alert alert-success checkin-done" role="status">
                        <p><strong>{tr!("출석이 확인되었습니다.", "You are checked in.")}</strong></p>
                        <p>{title}</p>
                    </div>
                    <A href=format!("/activities/{at}") attr:class="btn btn-secondary btn-block">{tr!("활동 보기", "See the activity")}</A>
                }.into_any(),
                None => view! {
                    <CodeForm id="checkin-code" code=code checking=checking on_check=submit/>
                }.into_any(),
            }}
        </section>
    }
}
