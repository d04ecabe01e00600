//! The manager's tools on an activity: the check-in code with its QR code, the
//! list with attendance by hand, minutes, photos and cancelling. A module of its
//! own, loaded for the activity's managers only.

use super::activity_text::{ActivityError, status_label};
use crate::{
    api,
    components::cards::{ErrorView, Loading},
    i18n::{pick, use_lang},
    load::Load,
    submit::Submit,
    time::{kst, now},
    tr,
};
use leptos::prelude::*;
use leptos_router::components::A;
use moim_core::{
    ActivityId,
    activity::{
        ActivityView, Attendee, CANCEL_NOTE_MAX, CancelNote, CheckinCode, MINUTES_MAX,
        RegistrationStatus,
    },
    paths,
};

/// The CM's tools for one activity.
#[component]
pub fn Manage(a: ActivityView, reload: RwSignal<u32>) -> impl IntoView {
    let lang = use_lang();
    let id = a.summary.id;
    let code = RwSignal::new(None::<CheckinCode>);
    let opening = Submit::new();
    let open = move |_| {
        opening.run(async move {
            code.try_set(Some(api::activities::open_checkin(id).await?));
            Ok(())
        });
    };
    let list = Load::<Vec<Attendee>>::new(move || {
        reload.track();
        Some(paths::attendees(id))
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
            <ActivityError error=opening.error()/>
            <div class="roster-block">
                <h3 class="h-small">{tr!("신청자 명단", "People on the list")}</h3>
                // Printed as the sign-in sheet: the activity named above the list.
                <p class="print-only">{a.summary.title.clone()}" · "{kst(a.summary.starts_at)}" · "{a.summary.place.clone()}</p>
                <div class="btn-row no-print">
                    <a class="btn btn-secondary btn-sm" href=format!("/api/activities/{id}/attendees.csv") download="">{tr!("명단 CSV 내려받기", "Download the list (CSV)")}</a>
                    <button type="button" class="btn btn-secondary btn-sm" on:click=move |_| print()>{tr!("서명부 인쇄", "Print a sign-in sheet")}</button>
                </div>
                {move || match list.get() {
                    None => view! { <Loading/> }.into_any(),
                    Some(Err(e)) => view! { <ErrorView error=e/> }.into_any(),
                    Some(Ok(people)) => view! { <Roster id=id people=people reload=reload/> }.into_any(),
                }}
            </div>
            {begun.then(|| view! {
                <MinutesForm id=id current=a.minutes.clone().unwrap_or_default() reload=reload/>
                <PhotoUpload id=id reload=reload/>
            })}
            {(!cancelled && !begun).then(|| view! { <CancelForm id=id reload=reload/> })}
        </section>
    }
}

/// The browser's print dialog (the page's print styles leave the list alone).
fn print() {
    if let Some(w) = web_sys::window() {
        let _ = w.print();
    }
}

/// The list, with attendance by hand.
#[component]
fn Roster(id: ActivityId, people: Vec<Attendee>, reload: RwSignal<u32>) -> impl IntoView {
    let lang = use_lang();
    let marking = Submit::new();
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
                    <th scope="col" class="print-only">{tr!("서명", "Signature")}</th>
                </tr></thead>
                <tbody>
                    {people.into_iter().map(|p| {
                        let person = p.clone();
                        let here = p.attended_at.is_some();
                        // A guest's details are blanked some days after the event.
                        let gone = p.name.is_empty();
                        let label = {
                            let (name, org) = (p.name.clone(), p.org_name.clone());
                            move || if gone { pick(lang.get(), "지운 게스트", "Guest, details deleted").to_owned() } else { format!("{name} ({org})") }
                        };
                        let status = p.status;
                        let category = p.category.clone();
                        let pos = p.position;
                        let toggle = move |ev: leptos::ev::Event| {
                            let on = event_target_checked(&ev);
                            let person = person.clone();
                            marking.run(async move {
                                api::activities::mark(id, &person, on).await?;
                                reload.try_update(|n| *n += 1);
                                Ok(())
                            });
                        };
                        let how = p.attended_at.map(|t| {
                            let by = p.by_hand;
                            move || format!("{}{}", kst(t), if by { pick(lang.get(), " · 수기", " · by hand") } else { "" })
                        });
                        view! {
                            <tr class:cancelled=status == RegistrationStatus::Cancelled class:waiting=status == RegistrationStatus::Waitlisted>
                                <th scope="row">
                                    {move || if gone { pick(lang.get(), "(지운 게스트)", "(guest, details deleted)").to_owned() } else { p.name.clone() }}
                                    <span class="meta">{p.org_name.clone()}</span>
                                    {p.guest_id.is_some().then(|| view! { <span class="badge badge-guest">{tr!("게스트", "Guest")}</span> })}
                                    {p.email.clone().map(|e| view! { <a class="meta guest-contact" href=format!("mailto:{e}")>{e.clone()}</a> })}
                                    {p.phone.clone().map(|t| view! { <a class="meta guest-contact" href=format!("tel:{t}")>{t.clone()}</a> })}
                                </th>
                                <td>{move || status_label(status, lang.get())}{pos.map(|n| format!(" {n}"))}{category.clone().map(|c| view! { <span class="meta">{format!(" · {c}")}</span> })}</td>
                                <td>
                                    <label class="check">
                                        <input type="checkbox" checked=here on:change=toggle aria-label=label/>
                                        <span class="meta">{how}</span>
                                    </label>
                                </td>
                                <td class="print-only signature"></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <ActivityError error=marking.error()/>
    }
    .into_any()
}

#[component]
fn MinutesForm(id: ActivityId, current: String, reload: RwSignal<u32>) -> impl IntoView {
    let lang = use_lang();
    let text = RwSignal::new(current);
    let saved = RwSignal::new(false);
    let saving = Submit::new();
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let t = text.get_untracked();
        saved.set(false);
        saving.run(async move {
            api::activities::minutes(id, &t).await?;
            saved.try_set(true);
            reload.try_update(|n| *n += 1);
            Ok(())
        });
    };
    view! {
        <form class="minutes-form" on:submit=save>
            <label for="act-minutes" class="h-small">{tr!("회의록 (회원과 참가자에게 공개)", "Minutes (shown to members and attendees)")}</label>
            <textarea id="act-minutes" rows="5" prop:value=text on:input=move |ev| text.set(event_target_value(&ev)) maxlength=MINUTES_MAX></textarea>
            <button type="submit" class="btn btn-secondary" disabled=saving.pending()>{tr!("회의록 저장", "Save minutes")}</button>
            {move || saved.get().then(|| view! { <p class="alert alert-success" role="status">{move || pick(lang.get(), "저장했습니다.", "Saved.")}</p> })}
            <ActivityError error=saving.error()/>
        </form>
    }
}

#[component]
fn PhotoUpload(id: ActivityId, reload: RwSignal<u32>) -> impl IntoView {
    let uploading = Submit::new();
    let pick_files = move |ev: leptos::ev::Event| {
        let input = event_target::<web_sys::HtmlInputElement>(&ev);
        let Some(files) = input.files() else { return };
        if files.length() == 0 {
            return;
        }
        uploading.run(async move {
            api::activities::photos(id, &files).await?;
            reload.try_update(|n| *n += 1);
            Ok(())
        });
    };
    view! {
        <div class="field">
            <label for="act-photos" class="h-small">{tr!("사진 올리기 (위치 정보는 지워집니다)", "Add photos (location data is removed)")}</label>
            <input id="act-photos" type="file" accept="image/*" multiple on:change=pick_files disabled=uploading.pending()/>
            <ActivityError error=uploading.error()/>
        </div>
    }
}

#[component]
fn CancelForm(id: ActivityId, reload: RwSignal<u32>) -> impl IntoView {
    let lang = use_lang();
    let reason = RwSignal::new(String::new());
    let cancelling = Submit::new();
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
        cancelling.run(async move {
            api::activities::cancel(id, &note).await?;
            reload.try_update(|n| *n += 1);
            Ok(())
        });
    };
    view! {
        <form class="cancel-form" on:submit=cancel>
            <label for="act-cancel">{tr!("활동 취소 사유 (신청자에게 전달)", "Reason for cancelling (sent to everyone on the list)")}</label>
            <input id="act-cancel" type="text" maxlength=CANCEL_NOTE_MAX prop:value=reason on:input=move |ev| reason.set(event_target_value(&ev))/>
            <button type="submit" class="btn btn-danger" disabled=cancelling.pending()>{tr!("활동 취소", "Cancel the activity")}</button>
            <ActivityError error=cancelling.error()/>
        </form>
    }
}
