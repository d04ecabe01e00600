//! The schedule of networking activities: a list of what is coming (or of a
//! chosen period) and a month calendar, for everything, one consortium, one
//! region or one's own registrations; and one's calendar feed link.

use super::activity_text::{ActivityError, kind_label, status_label};
use crate::{
    api,
    components::cards::{ErrorView, Loading},
    i18n::{Lang, pick, use_lang},
    load::Load,
    routing::{list_href, list_query},
    state::use_session,
    submit::Submit,
    time::{day_label, kst_day, now, when},
    tr,
};
use chrono::{Datelike, Duration, Months, NaiveDate};
use leptos::prelude::*;
use leptos_router::{components::A, hooks::use_navigate};
use moim_core::{
    ConsortiumId,
    activity::{
        ActivityAudience, ActivityKind, ActivitySummary, RegistrationStatus, ScheduleQuery,
    },
    idea::ConsortiumTag,
    paths,
    reference::Region,
};

fn href(q: &ScheduleQuery) -> String {
    list_href("/activities", q)
}

#[component]
pub fn ActivitiesPage() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let navigate = use_navigate();
    let view_q = list_query::<ScheduleQuery>();
    let items =
        Load::<Vec<ActivitySummary>>::new(move || Some(paths::activities(&view_q.get().to_api())));
    let signed_in = Memo::new(move |_| session.me.with(Option::is_some));
    // The consortium filter of a signed-in person (an aid: none when it cannot load).
    let consortia = Load::<Vec<ConsortiumTag>>::new(move || {
        signed_in.get().then(|| paths::IDEA_CONSORTIA.to_owned())
    });
    let consortia = move || consortia.get().and_then(Result::ok).unwrap_or_default();
    let can_schedule = move || {
        session.me.with(|m| {
            m.as_ref()
                .is_some_and(|m| m.is_admin() || !m.managed_consortia.is_empty())
        })
    };
    let go = move |v: ScheduleQuery| navigate(&href(&v), Default::default());
    let this_month = kst_day(now()).with_day(1).unwrap_or_default();
    let tab = move |month: bool, mine: bool| {
        let v = view_q.get();
        href(&ScheduleQuery {
            month: month.then(|| v.month.unwrap_or(this_month)),
            mine,
            from: None,
            to: None,
            ..v
        })
    };
    let current = move |month: bool, mine: bool| {
        let v = view_q.get();
        (v.month.is_some() == month && v.mine == mine).then_some("page")
    };
    let pick_consortium = {
        let go = go.clone();
        move |ev| {
            go(ScheduleQuery {
                consortium: event_target_value(&ev).parse().ok().map(ConsortiumId),
                region: None,
                ..view_q.get_untracked()
            })
        }
    };
    let pick_region = move |ev| {
        let r = event_target_value(&ev);
        go(ScheduleQuery {
            region: (!r.is_empty()).then_some(r),
            consortium: None,
            ..view_q.get_untracked()
        })
    };
    view! {
        <section class="section activities-page">
            <div class="page-head">
                <h1>{tr!("네트워킹 활동", "Networking activities")}</h1>
                <p class="lead">{tr!("세미나, 포럼, 기업방문, 연사특강 일정을 보고 참가 신청하세요.", "Seminars, forums, company visits and guest lectures: see what is on and register.")}</p>
                <p><A href="/partners">{tr!("함께 행사를 여는 해외 협력기관 →", "Partners abroad who co-organise events →")}</A></p>
                <Show when=can_schedule>
                    <div class="head-actions">
                        <A href="/activities/new" attr:class="btn btn-primary">{tr!("활동 만들기", "Schedule an activity")}</A>
                        <A href="/cockpit" attr:class="btn btn-secondary">{tr!("성과 현황 보기", "KPI cockpit")}</A>
                    </div>
                </Show>
            </div>
            <nav class="tabs" aria-label=tr!("보기", "View")>
                <a href=move || tab(false, false) aria-current=move || current(false, false)>{tr!("다가오는 활동", "Coming up")}</a>
                <a href=move || tab(true, false) aria-current=move || current(true, false)>{tr!("월별 달력", "Month")}</a>
                <Show when=move || session.me.with(Option::is_some)>
                    <a href=move || tab(false, true) aria-current=move || current(false, true)>{tr!("내 신청", "My registrations")}</a>
                </Show>
            </nav>
            <div class="filters">
                <div class="filter">
                <label for="act-region">{tr!("지역", "Region")}</label>
                <select id="act-region" on:change=pick_region>
                    <option value="">{tr!("전체 지역", "All regions")}</option>
                    {Region::ALL.into_iter().map(|r| {
                        let selected = move || view_q.get().region.as_deref() == Some(r.code());
                        view! { <option value=r.code() selected=selected>{move || pick(lang.get(), r.name_ko(), r.name_en())}</option> }
                    }).collect_view()}
                </select>
                </div>
                <Show when=move || !consortia().is_empty()>
                    <div class="filter">
                    <label for="act-consortium">{tr!("협의체", "Consortium")}</label>
                    <select id="act-consortium" on:change=pick_consortium.clone()>
                        <option value="">{tr!("전체 협의체", "All consortia")}</option>
                        {move || consortia().into_iter().map(|c| {
                            let selected = view_q.get_untracked().consortium == Some(c.id);
                            view! { <option value=c.id.0.to_string() selected=selected>{c.name}</option> }
                        }).collect_view()}
                    </select>
                    </div>
                </Show>
            </div>
            {move || view_q.get().month.map(|m| view! { <MonthNav month=m view_q=view_q/> })}
            {move || match items.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(e)) => view! { <ErrorView error=e/> }.into_any(),
                Some(Ok(list)) => match view_q.get().month {
                    Some(m) => view! { <Month month=m items=list.clone()/><Agenda items=list/> }.into_any(),
                    None => view! { <Agenda items=list/> }.into_any(),
                },
            }}
            <Show when=move || session.me.with(Option::is_some)>
                <CalendarFeed/>
            </Show>
        </section>
    }
}

/// Previous and next month.
#[component]
fn MonthNav(month: NaiveDate, view_q: Memo<ScheduleQuery>) -> impl IntoView {
    let lang = use_lang();
    let link = move |m: NaiveDate| {
        href(&ScheduleQuery {
            month: Some(m),
            ..view_q.get()
        })
    };
    let prev = month - Months::new(1);
    let next = month + Months::new(1);
    let title = move || match lang.get() {
        Lang::Ko => format!("{}년 {}월", month.year(), month.month()),
        Lang::En => format!(
            "{} {}",
            [
                "January",
                "February",
                "March",
                "April",
                "May",
                "June",
                "July",
                "August",
                "September",
                "October",
                "November",
                "December"
            ][month.month0() as usize],
            month.year()
        ),
    };
    view! {
        <div class="month-nav">
            <a class="btn btn-secondary btn-sm" href=move || link(prev) aria-label=tr!("이전 달", "Previous month")>"‹"</a>
            <h2 class="month-title" aria-live="polite">{title}</h2>
            <a class="btn btn-secondary btn-sm" href=move || link(next) aria-label=tr!("다음 달", "Next month")>"›"</a>
        </div>
    }
}

/// The month as a grid of weeks; each day lists its activities.
#[component]
fn Month(month: NaiveDate, items: Vec<ActivitySummary>) -> impl IntoView {
    let lang = use_lang();
    let lead = month.weekday().num_days_from_sunday() as i64;
    let first = month - Duration::days(lead);
    let next = month + Months::new(1);
    let today = kst_day(now());
    let weeks: Vec<Vec<NaiveDate>> = (0..6)
        .map(|w| (0..7).map(|d| first + Duration::days(w * 7 + d)).collect())
        .filter(|week: &Vec<NaiveDate>| week[0] < next)
        .collect();
    let heads = [
        ("일", "Sun"),
        ("월", "Mon"),
        ("화", "Tue"),
        ("수", "Wed"),
        ("목", "Thu"),
        ("금", "Fri"),
        ("토", "Sat"),
    ];
    view! {
        <table class="month" aria-label=tr!("월별 활동 달력", "Activities by month")>
            <thead><tr>{heads.into_iter().map(|(ko, en)| view! { <th scope="col">{move || pick(lang.get(), ko, en)}</th> }).collect_view()}</tr></thead>
            <tbody>
                {weeks.into_iter().map(|week| view! {
                    <tr>
                        {week.into_iter().map(|d| {
                            let day: Vec<ActivitySummary> = items.iter().filter(|a| kst_day(a.starts_at) == d).cloned().collect();
                            let outside = d.month() != month.month();
                            view! {
                                <td class:outside=outside class:today=d == today>
                                    <span class="day-num" aria-label=move || day_label(d, lang.get())>{d.day()}</span>
                                    <ul>
                                        {day.into_iter().map(|a| view! {
                                            <li class:cancelled=a.cancelled><A href=format!("/activities/{}", a.id)>{a.title}</A></li>
                                        }).collect_view()}
                                    </ul>
                                </td>
                            }
                        }).collect_view()}
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// The activities by day, as cards.
#[component]
fn Agenda(items: Vec<ActivitySummary>) -> impl IntoView {
    let lang = use_lang();
    if items.is_empty() {
        return view! { <p class="empty">{tr!("이 기간에 예정된 활동이 없습니다.", "No activities in this period.")}</p> }.into_any();
    }
    let mut days: Vec<(NaiveDate, Vec<ActivitySummary>)> = Vec::new();
    for a in items {
        let d = kst_day(a.starts_at);
        match days.last_mut() {
            Some((last, list)) if *last == d => list.push(a),
            _ => days.push((d, vec![a])),
        }
    }
    view! {
        <div class="agenda">
            {days.into_iter().map(|(d, list)| view! {
                <section class="agenda-day">
                    <h2 class="h-small">{move || day_label(d, lang.get())}</h2>
                    <ul class="cards activity-list">
                        {list.into_iter().map(|a| view! { <ActivityCard a=a/> }).collect_view()}
                    </ul>
                </section>
            }).collect_view()}
        </div>
    }
    .into_any()
}

/// One activity in a list.
#[component]
pub fn ActivityCard(a: ActivitySummary) -> impl IntoView {
    let lang = use_lang();
    let (kind, mine, start, end) = (a.kind, a.my_status, a.starts_at, a.ends_at);
    let seats = move || {
        let l = lang.get();
        let mut s = match a.capacity {
            Some(c) => pick(
                l,
                format!("신청 {} / {c}명", a.registered),
                format!("{} of {c} places taken", a.registered),
            ),
            None => pick(
                l,
                format!("신청 {}명", a.registered),
                format!("{} registered", a.registered),
            ),
        };
        if a.waitlisted > 0 {
            s.push_str(&pick(
                l,
                format!(" · 대기 {}명", a.waitlisted),
                format!(" · {} waiting", a.waitlisted),
            ));
        }
        s
    };
    let full = a.capacity.is_some_and(|c| a.registered >= c);
    let consortia = a
        .consortia
        .iter()
        .map(|c| c.name.clone())
        .collect::<Vec<_>>()
        .join(", ");
    let place = if a.place.is_empty() {
        None
    } else {
        Some(a.place.clone())
    };
    view! {
        <li class="card activity-card" class:cancelled=a.cancelled>
            <div class="badges">
                <span class=format!("badge kind-{}", kind.code())>{move || kind_label(kind, lang.get())}</span>
                {(a.audience != ActivityAudience::Members).then(|| view! { <span class="badge badge-open">{tr!("공개 행사", "Open event")}</span> })}
                {a.online.then(|| view! { <span class="badge">{tr!("온라인", "Online")}</span> })}
                {a.cancelled.then(|| view! { <span class="badge badge-warn">{tr!("취소됨", "Cancelled")}</span> })}
                {mine.filter(|s| *s != RegistrationStatus::Cancelled).map(|s| view! { <span class=format!("badge status-{}", s.code())>{move || status_label(s, lang.get())}</span> })}
                {(full && !a.cancelled && mine.is_none()).then(|| view! { <span class="badge badge-pending">{tr!("마감 · 대기 신청 가능", "Full · waiting list")}</span> })}
            </div>
            <h3 class="card-title"><A href=format!("/activities/{}", a.id)>{a.title}</A></h3>
            <p class="meta when">{move || when(start, end, lang.get())}</p>
            {place.map(|p| view! { <p class="meta">{p}</p> })}
            {a.place_hidden.then(|| view! { <p class="meta">{tr!("주소는 참가 확정자에게 공개", "Address for people with a place")}</p> })}
            <p class="meta">{consortia}</p>
            <p class="meta seats">{seats}</p>
            // The page of a 수출상담회's one-to-one meetings (the activity's own
            // page links it too).
            {(kind == ActivityKind::Matchmaking && !a.cancelled).then(|| view! {
                <p><A href=format!("/activities/{}/matchmaking", a.id)>{tr!("1:1 상담 신청·일정 →", "One-to-one meetings →")}</A></p>
            })}
        </li>
    }
}

/// One's calendar feed: a secret link to subscribe to in any calendar app.
#[component]
fn CalendarFeed() -> impl IntoView {
    let link = RwSignal::new(None::<String>);
    let making = Submit::new();
    let make = move |_| {
        making.run(async move {
            let f = api::activities::calendar_link().await?;
            let origin = web_sys::window()
                .and_then(|w| w.location().origin().ok())
                .unwrap_or_default();
            link.try_set(Some(format!("{origin}{}", f.path)));
            Ok(())
        });
    };
    view! {
        <section class="calendar-feed" aria-labelledby="feed-h">
            <h2 id="feed-h" class="h-small">{tr!("내 캘린더로 구독", "Subscribe in your calendar")}</h2>
            <p class="hint">{tr!("신청한 활동이 휴대폰·PC 캘린더에 자동으로 나타납니다. 링크는 나만 아는 주소이니 공유하지 마세요.", "Activities you register for appear in your phone or desktop calendar. The link is private to you: do not share it.")}</p>
            {move || match link.get() {
                None => view! { <button type="button" class="btn btn-secondary" on:click=make>{tr!("구독 링크 만들기", "Make my calendar link")}</button> }.into_any(),
                Some(l) => view! {
                    <label for="feed-url">{tr!("구독 주소", "Subscription address")}</label>
                    <input id="feed-url" type="url" readonly prop:value=l.clone() on:focus=|ev| {
                        let input: web_sys::HtmlInputElement = event_target(&ev);
                        input.select();
                    }/>
                    <p class="hint">{tr!("새로 만들면 예전 링크는 더 이상 열리지 않습니다.", "Making a new link retires the old one.")}</p>
                }.into_any(),
            }}
            <ActivityError error=making.error()/>
        </section>
    }
}
