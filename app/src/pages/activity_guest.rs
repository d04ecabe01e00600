//! The registration forms drawn on demand. Guests without an account: the
//! form that registers one (a link is mailed to confirm), and what the mailed
//! link opens on the activity's page — their registration, confirmed on
//! opening, with cancelling and checking in. And the activity's registration
//! questions, answered by guests and members alike.

use super::activity_text::{ActivityError, CodeForm, error_text};
use crate::{
    api::{self, ClientError},
    components::{
        cards::{ErrorView, Loading},
        form::{FormError, FormState, TextField},
        questions::{QuestionField, asked, focus_first},
    },
    i18n::{field_error, pick, use_lang},
    load::Load,
    state,
    submit::Submit,
    time::kst,
    tr,
};
use leptos::{prelude::*, task::spawn_local};
use moim_core::{
    ActivityId, FieldErrors, Validate,
    activity::{
        ActivityQuestions, CategoryCount, GUEST_KEEP_DAYS, GuestRegistration, GuestStatus,
        GuestView, PHONE_MAX, Register, check_answers, registration_form,
    },
    paths,
    questionnaire::{Answer, Answers, Question, answer_text},
    validate::{EMAIL_MAX, ORG_NAME_MAX, PERSON_NAME_MAX},
};

/// Where this device keeps a guest's link token for an activity, so the
/// venue's QR code (which carries no person) checks the guest in.
fn key(id: ActivityId) -> String {
    format!("moim.guest.{id}")
}

/// The guest token of this page: from the mailed link's fragment (`#guest=…`,
/// which no server log or `Referer` sees; kept on the device), else the one
/// this device kept for the activity.
pub fn guest_token(id: ActivityId) -> Option<String> {
    let from_link = crate::routing::fragment_param("guest")
        .filter(|t| t.len() == 64 && t.chars().all(|c| c.is_ascii_hexdigit()));
    match from_link {
        Some(t) => {
            state::save(&key(id), &t);
            Some(t)
        }
        None => state::load(&key(id)),
    }
}

pub fn forget_token(id: ActivityId) {
    if let Some(s) = state::storage() {
        let _ = s.remove_item(&key(id));
    }
}

/// What the registration forms' module draws (it loads only when needed:
/// `core::routes`).
pub enum GuestPart {
    /// The guest's form, opened from the activity's page (whether the
    /// activity asks registration questions).
    Form(ActivityId, Vec<CategoryCount>, bool),
    /// What a guest's link opens.
    Panel {
        id: ActivityId,
        token: String,
        reload: RwSignal<u32>,
        can_register: bool,
        categories: Vec<CategoryCount>,
        asks: bool,
    },
    /// A member's answers to the registration questions, with the button
    /// that registers them through the page's `submit` (`choose`: the
    /// category chosen, none when one is needed and missing).
    Member {
        id: ActivityId,
        label: Signal<&'static str>,
        submit: Submit,
        choose: Callback<(), Option<Option<String>>>,
        reload: RwSignal<u32>,
    },
}

/// Draws a [`GuestPart`].
pub fn draw(part: GuestPart) -> AnyView {
    match part {
        GuestPart::Form(id, categories, asks) => with_questions(id, asks, move |questions| {
            view! { <GuestForm id=id categories=categories.clone() questions=questions/> }
                .into_any()
        }),
        GuestPart::Panel {
            id,
            token,
            reload,
            can_register,
            categories,
            asks,
        } => with_questions(id, asks, move |questions| {
            view! {
            <GuestPanel id=id token=token.clone() reload=reload can_register=can_register categories=categories.clone() questions=questions/>
        }
        .into_any()
        }),
        GuestPart::Member {
            id,
            label,
            submit,
            choose,
            reload,
        } => with_questions(id, true, move |questions| {
            view! { <MemberAnswers id=id questions=questions label=label submit=submit choose=choose reload=reload/> }
                .into_any()
        }),
    }
}

/// `then(questions)`, once the activity's registration questions are read
/// (at once, with none, when it asks none). They are not part of the
/// activity's page: only these forms read them.
fn with_questions(
    id: ActivityId,
    asks: bool,
    then: impl Fn(Vec<Question>) -> AnyView + Send + Sync + 'static,
) -> AnyView {
    if !asks {
        return then(Vec::new());
    }
    let asked = Load::<ActivityQuestions>::new(move || Some(paths::activity_questions(id)));
    view! {
        <Suspense fallback=Loading>
            {move || asked.get().map(|r| match r {
                Ok(a) => then(a.questions),
                Err(e) => view! { <ErrorView error=e/> }.into_any(),
            })}
        </Suspense>
    }
    .into_any()
}

/// The registration questions, each drawn for its kind and shown while its
/// condition holds.
#[component]
fn Questions(
    questions: Vec<Question>,
    answers: RwSignal<Answers>,
    errors: RwSignal<FieldErrors>,
) -> impl IntoView {
    let form = StoredValue::new(registration_form(&questions));
    let set = Callback::new(move |(k, a): (String, Option<Answer>)| {
        answers.update(|x| {
            match a {
                Some(a) => x.insert(k.clone(), a),
                None => x.remove(&k),
            };
        });
        let field = format!("answers.{k}");
        errors.update(|e| e.0.retain(|f| f.field != field));
    });
    view! {
        <div class="reg-questions" role="group" aria-labelledby="reg-questions-h">
            <p class="h-small" id="reg-questions-h">{tr!("신청 질문", "Registration questions")}</p>
            {questions.into_iter().map(|q| {
                let shown = { let q = q.clone(); move || form.with_value(|f| answers.with(|a| f.asked(&q, a))) };
                view! { <Show when=shown><QuestionField q=q.clone() answers=answers errors=errors set=set/></Show> }
            }).collect_view()}
        </div>
    }
}

/// The answers to send: only those of questions asked, checked as the server
/// will (the errors shown, the first focused, when they do not pass).
fn answers_to_send(
    questions: &[Question],
    answers: RwSignal<Answers>,
    errors: RwSignal<FieldErrors>,
) -> Option<Answers> {
    let kept = answers.with_untracked(|a| asked(&registration_form(questions), a));
    match check_answers(questions, &kept) {
        Ok(()) => Some(kept),
        Err(e) => {
            focus_first(&e);
            errors.set(e);
            None
        }
    }
}

/// A member answering the registration questions before registering.
#[component]
fn MemberAnswers(
    id: ActivityId,
    questions: Vec<Question>,
    label: Signal<&'static str>,
    submit: Submit,
    choose: Callback<(), Option<Option<String>>>,
    reload: RwSignal<u32>,
) -> impl IntoView {
    let answers = RwSignal::new(Answers::new());
    let errors = RwSignal::new(FieldErrors::default());
    let asked = StoredValue::new(questions.clone());
    let busy = submit.pending();
    let go = move |_| {
        let kept = asked.with_value(|q| answers_to_send(q, answers, errors));
        // The category second: its focus wins when both are missing.
        let Some(category) = choose.run(()) else {
            return;
        };
        let Some(answers) = kept else { return };
        submit.run(async move {
            let r = Register { category, answers };
            if let Err(e) = api::activities::register_answering(id, &r).await {
                errors.try_set(e.fields());
                return Err(e);
            }
            reload.try_update(|n| *n += 1);
            Ok(())
        });
    };
    view! {
        <Questions questions=questions answers=answers errors=errors/>
        <button type="button" class="btn btn-primary btn-block" disabled=busy on:click=go>{label}</button>
    }
}

/// The answers given, as a list of question and answer.
fn answered(questions: &[Question], answers: &Answers) -> impl IntoView + use<> {
    let rows: Vec<(String, String)> = questions
        .iter()
        .filter_map(|q| {
            answers
                .get(&q.key)
                .map(|a| (q.text.clone(), answer_text(q, a)))
        })
        .collect();
    (!rows.is_empty()).then(|| {
        view! {
            <dl class="facts reg-answers">
                {rows.into_iter().map(|(q, a)| view! { <dt>{q}</dt><dd>{a}</dd> }).collect_view()}
            </dl>
        }
    })
}

/// Registering without an account: name, organisation, email, phone, the
/// attendee category, and consent to keeping the details until some days
/// after the event. The answer: a link is on its way.
#[component]
pub fn GuestForm(
    id: ActivityId,
    categories: Vec<CategoryCount>,
    questions: Vec<Question>,
) -> impl IntoView {
    let lang = use_lang();
    let value = RwSignal::new(GuestRegistration::default());
    let answers = RwSignal::new(Answers::new());
    let answer_errors = RwSignal::new(FieldErrors::default());
    let asked_here = StoredValue::new(questions.clone());
    let form = FormState::new(move || value.with(|v| v.validate().err().unwrap_or_default()));
    let sending = Submit::new();
    let sent = RwSignal::new(None::<(String, String)>);
    let needs_category = !categories.is_empty();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        value.update(|v| {
            v.phone = v.phone.take().filter(|p| !p.trim().is_empty());
        });
        let kept = asked_here.with_value(|q| answers_to_send(q, answers, answer_errors));
        if !form.submit() {
            return;
        }
        let Some(kept) = kept else { return };
        let mut body = value.get_untracked();
        body.answers = kept;
        sending.run(async move {
            match api::activities::register_guest(id, &body).await {
                Ok(p) => {
                    sent.try_set(Some((p.email, kst(p.link_expires_at))));
                    // The form goes: focus moves to what took its place.
                    crate::components::form::focus_soon(".guest-sent");
                    Ok(())
                }
                Err(e) => {
                    form.server_errors(&e);
                    answer_errors.set(e.fields());
                    Err(e)
                }
            }
        });
    };
    let questions = (!questions.is_empty())
        .then(|| view! { <Questions questions=questions answers=answers errors=answer_errors/> });
    let category_error = move || form.error("category");
    let agree_error = move || form.error("agree");
    let chooser = needs_category.then(|| {
        view! {
            <div class="field" class:invalid=move || category_error().is_some()>
                <label for="guest-category">{tr!("참가 구분", "Attending as")}<span class="req" aria-hidden="true">" *"</span></label>
                <select id="guest-category" required aria-invalid=move || category_error().is_some().to_string()
                    aria-describedby=move || category_error().is_some().then_some("guest-category-error")
                    on:change=move |ev| {
                        let c = event_target_value(&ev);
                        value.update(|v| v.category = Some(c).filter(|c| !c.is_empty()));
                        form.edited("category");
                        form.touch("category");
                    }>
                    <option value="">{tr!("고르세요", "Choose")}</option>
                    {categories.into_iter().map(|c| {
                        let full = c.full();
                        let name = c.name.clone();
                        view! {
                            <option value=c.name.clone() disabled=full>
                                {move || if full { pick(lang.get(), format!("{name} (마감)"), format!("{name} (full)")) } else { name.clone() }}
                            </option>
                        }
                    }).collect_view()}
                </select>
                <p class="error" id="guest-category-error">{move || category_error().map(|e| field_error(&e, lang.get()))}</p>
            </div>
        }
    });
    let phone = crate::components::form::Text::of(
        value,
        |v| v.phone.as_ref().unwrap_or(&EMPTY),
        |v| v.phone.get_or_insert_with(String::new),
    );
    view! {
        {move || match sent.get() {
            Some((email, until)) => view! {
                <div class="alert alert-success guest-sent" role="status" tabindex="-1">
                    <p><strong>{tr!("메일을 보냈습니다.", "We sent you a mail.")}</strong></p>
                    <p>{move || pick(lang.get(),
                        format!("{email}(으)로 보낸 메일의 링크를 {until}까지 열면 신청이 확정됩니다. 메일이 오지 않으면 스팸함을 확인해 주세요."),
                        format!("Open the link in the mail sent to {email} by {until} (Korea time) to confirm. If it does not arrive, look in your spam folder."))}</p>
                </div>
            }.into_any(),
            None => ().into_any(),
        }}
        <form class="guest-form" on:submit=submit novalidate hidden=move || sent.get().is_some()>
            <p class="hint">{tr!(
                "입력하신 메일 주소로 확인 링크를 보냅니다. 링크를 열어야 신청이 확정됩니다.",
                "We mail a link to the address you give; your registration is confirmed when you open it."
            )}</p>
            <TextField form=form prefix="guest" name="name" label=("이름", "Name") value=crate::text!(value.name) autocomplete="name" maxlength=PERSON_NAME_MAX required=true/>
            <TextField form=form prefix="guest" name="org_name" label=("소속 기관", "Organisation") value=crate::text!(value.org_name) autocomplete="organization" maxlength=ORG_NAME_MAX required=true/>
            <TextField form=form prefix="guest" name="email" label=("이메일", "Email") value=crate::text!(value.email) kind="email" autocomplete="email" maxlength=EMAIL_MAX required=true/>
            <TextField form=form prefix="guest" name="phone" label=("전화번호 (선택)", "Phone (optional)") value=phone kind="tel" autocomplete="tel" inputmode="tel" maxlength=PHONE_MAX/>
            {chooser}
            {questions}
            <div class="field" class:invalid=move || agree_error().is_some()>
                <label class="check">
                    <input id="guest-agree" type="checkbox" required
                        aria-invalid=move || agree_error().is_some().to_string()
                        aria-describedby="guest-agree-error"
                        prop:checked=move || value.with(|v| v.agree)
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            value.update(|v| v.agree = on);
                            form.edited("agree");
                        }/>
                    <span>{move || pick(lang.get(),
                        format!("행사 운영을 위해 이름·기관·이메일·전화번호를 수집하는 데 동의합니다. 이 정보는 행사가 끝나고 {GUEST_KEEP_DAYS}일 뒤 지웁니다."),
                        format!("I agree that my name, organisation, email and phone are kept to run this event, and deleted {GUEST_KEEP_DAYS} days after it ends."))}</span>
                </label>
                <p class="error" id="guest-agree-error">{move || agree_error().map(|e| field_error(&e, lang.get()))}</p>
            </div>
            <FormError error=Signal::derive(move || sending.error().get().filter(|e| e.fields().is_empty()))/>
            <button type="submit" class="btn btn-primary btn-block" disabled=sending.pending()>{tr!("확인 메일 받기", "Mail me the link")}</button>
        </form>
    }
}

static EMPTY: String = String::new();

fn status_text(v: &GuestView, lang: crate::i18n::Lang) -> String {
    match v.status {
        GuestStatus::Pending => pick(
            lang,
            "신청을 확정하는 중입니다…",
            "Confirming your registration…",
        )
        .to_owned(),
        GuestStatus::Registered => {
            pick(lang, "참가가 확정되었습니다.", "You have a place.").to_owned()
        }
        GuestStatus::Waitlisted => {
            let n = v.position.unwrap_or(0);
            pick(
                lang,
                format!("대기 {n}번입니다. 자리가 나면 자동으로 확정되고 메일로 알려 드립니다."),
                format!(
                    "You are number {n} on the waiting list. If a place frees up it is yours, and we mail you."
                ),
            )
        }
        GuestStatus::Cancelled => pick(
            lang,
            "신청이 취소되었습니다.",
            "Your registration is cancelled.",
        )
        .to_owned(),
    }
}

/// What a guest's link opens: their registration (confirmed on opening), with
/// cancelling and, on the day, checking in with the code on the screen.
#[component]
pub fn GuestPanel(
    id: ActivityId,
    token: String,
    reload: RwSignal<u32>,
    /// The activity takes registrations now (for a dead link: register again).
    can_register: bool,
    categories: Vec<CategoryCount>,
    questions: Vec<Question>,
) -> impl IntoView {
    let lang = use_lang();
    let guest = RwSignal::new(None::<Result<GuestView, ClientError>>);
    let acting = Submit::new();
    {
        let token = token.clone();
        spawn_local(async move {
            let mut got = api::activities::guest("view", &token).await;
            if matches!(&got, Ok(v) if v.status == GuestStatus::Pending) {
                got = api::activities::guest("confirm", &token).await;
                if got.is_ok() {
                    reload.try_update(|n| *n += 1);
                }
            }
            // A link of another activity opened here is not this page's.
            if let Ok(v) = &got
                && v.activity_id != id
            {
                got = Err(ClientError::Api(moim_core::ApiError::invalid(
                    "token",
                    moim_core::ErrorCode::InvalidLink,
                )));
            }
            if matches!(&got, Err(e) if e.fields().get("token").is_some()) {
                forget_token(id);
            }
            guest.try_set(Some(got));
        });
    }
    let act = {
        let token = token.clone();
        move |what: &'static str| {
            let token = token.clone();
            acting.run(async move {
                let v = api::activities::guest(what, &token).await?;
                // Cancelled: this device no longer needs the link.
                if v.status == GuestStatus::Cancelled {
                    forget_token(id);
                }
                guest.try_set(Some(Ok(v)));
                reload.try_update(|n| *n += 1);
                Ok(())
            });
        }
    };
    let code = RwSignal::new(String::new());
    let checking = Submit::new();
    let check_in = {
        let token = token.clone();
        move |()| {
            let (token, c) = (token.clone(), code.get_untracked());
            checking.run(async move {
                let v = api::activities::guest_check_in(&token, c.trim()).await?;
                guest.try_set(Some(Ok(v)));
                Ok(())
            });
        }
    };
    let check_in = StoredValue::new(check_in);
    let act = StoredValue::new(act);
    view! {
        <div class="register-box guest-panel" data-testid="guest-panel">
            {move || match guest.get() {
                None => view! { <p class="hint">{tr!("신청 내역을 불러오는 중…", "Loading your registration…")}</p> }.into_any(),
                Some(Err(e)) => {
                    let dead = e.fields().get("token").is_some();
                    let again = (dead && can_register).then(|| view! { <GuestForm id=id categories=categories.clone() questions=questions.clone()/> });
                    view! {
                        <p class="alert alert-error" role="alert">{move || if dead {
                            pick(lang.get(), "이 링크로는 더 이상 신청을 확정할 수 없습니다. 다시 신청해 주세요.", "This link can no longer confirm. Please register again.").to_owned()
                        } else {
                            error_text(&e, lang.get())
                        }}</p>
                        {again}
                    }.into_any()
                }
                Some(Ok(v)) => {
                    let ok = v.status == GuestStatus::Registered;
                    let alert = if ok { "alert alert-success" } else { "alert alert-info" };
                    let text = { let v = v.clone(); move || status_text(&v, lang.get()) };
                    let who = format!("{} · {}", v.name, v.org_name);
                    let kept = kst(v.kept_until);
                    view! {
                        <p class=alert role="status">{text}</p>
                        <dl class="facts guest-facts">
                            <dt>{tr!("게스트", "Guest")}</dt><dd>{who}</dd>
                            <dt>{tr!("이메일", "Email")}</dt><dd>{v.email.clone()}</dd>
                            {v.category.clone().map(|c| view! { <dt>{tr!("참가 구분", "Attending as")}</dt><dd>{c}</dd> })}
                            {(!v.place.is_empty()).then(|| view! { <dt>{tr!("장소", "Where")}</dt><dd>{v.place.clone()}</dd> })}
                            {v.online_url.clone().map(|u| view! { <dt>{tr!("온라인", "Online")}</dt><dd><a href=u rel="noopener noreferrer" target="_blank">{tr!("온라인 참여 링크", "Online link")}</a></dd> })}
                        </dl>
                        {answered(&questions, &v.answers)}
                        {v.attended.then(|| view! { <p class="alert alert-success">{tr!("출석이 확인되었습니다.", "You are checked in.")}</p> })}
                        {(v.checkin_open && !v.attended).then(|| view! {
                            <CodeForm id="guest-code" code=code checking=checking on_check=move |()| check_in.with_value(|f| f(()))/>
                        })}
                        {v.can_cancel.then(|| view! {
                            <button type="button" class="btn btn-secondary btn-block" disabled=acting.pending()
                                on:click=move |_| act.with_value(|f| f("cancel"))>{tr!("신청 취소", "Cancel my registration")}</button>
                        })}
                        <p class="hint">{move || pick(lang.get(),
                            format!("입력하신 정보는 {kept}까지 보관하고 지웁니다. 이 링크는 다른 사람과 나누지 마세요."),
                            format!("Your details are kept until {kept} (Korea time), then deleted. Do not share this link."))}</p>
                    }.into_any()
                }
            }}
            <ActivityError error=acting.error()/>
        </div>
    }
}
