//! The privacy policy (개인정보 처리방침), versioned, and the consents it asks
//! for: at sign-up, and again at the next visit when a new version is in force.

use crate::{
    api,
    components::form::{FormError, FormState},
    i18n::{Lang, field_error, pick, use_lang},
    routing::next_path,
    state::use_session,
    submit::Submit,
};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use moim_core::{
    Validate,
    privacy::{ConsentChoice, PRIVACY_POLICY_VERSION},
};

/// What is collected, why, and for how long: the three things the Act asks a
/// consent to name (shown at sign-up and in the policy).
const ITEMS: &[(&str, &str, &str, &str, &str, &str)] = &[
    (
        "이메일, 비밀번호(해시로만 보관), 이름",
        "Email, password (kept only as a hash), name",
        "회원 확인, 로그인, 알림 메일",
        "Identifying members, signing in, notification mail",
        "회원 탈퇴 시까지",
        "Until the account is closed",
    ),
    (
        "소속 기관, 부서, 전문 분야·키워드·보유 장비(전문가)",
        "Organisation, department, fields, keywords and equipment (experts)",
        "협의체 참여, 애로과제와 전문가 연결",
        "Taking part in consortia, matching problems with experts",
        "회원 탈퇴 시까지",
        "Until the account is closed",
    ),
    (
        "접속 기록: 로그인된 기기(브라우저, IP 주소, 시각), 로그인 실패",
        "Access records: signed-in browsers (browser, IP address, time), failed sign-ins",
        "부정 이용 방지, 계정 보호",
        "Preventing abuse, protecting the account",
        "로그인 실패 15분, 로그인된 기기 로그아웃 또는 최대 14일, 로그인을 기억한 브라우저 1년, 발송한 메일의 수신 주소 30일",
        "Failed sign-ins 15 minutes; a signed-in browser until it signs out, at most 14 days; a browser remembered for sign-in a year; the address of a sent mail 30 days",
    ),
    (
        "행사 게스트(계정 없이 신청한 사람): 이름, 소속 기관, 이메일, 전화번호(선택), 참가 구분, 출석 여부; 수출상담회에서는 상담 프로필(제공·구매 희망, 국가, 사용 언어)과 상담 신청·결과",
        "Event guests (registered without an account): name, organisation, email, phone (optional), category, attendance; at export matchmaking, the meeting profile (offer, seek, country, languages) and meeting requests and outcomes",
        "행사 신청 확인, 안내 메일, 출석 확인, 1:1 상담 신청·일정·결과 조사",
        "Confirming the registration, mail about the event, check-in, one-to-one meetings and asking what came of them",
        "확인하지 않은 신청 7일, 그 밖에는 행사 종료 후 30일 (참가 구분, 출석 여부, 상담 프로필과 결과는 이름 없이 통계로 남음)",
        "Unconfirmed registrations 7 days, others 30 days after the event ends (category, attendance, the meeting profile and outcomes stay, without a name, for the counts)",
    ),
    (
        "해외 협력기관의 담당자: 이름, 이메일 (관리자가 입력, 관리자·CM에게만 보임)",
        "Contacts at partners abroad: name and email (entered by admins, shown to admins and CMs only)",
        "협력기관과의 행사·협약 연락",
        "Keeping in touch with the partner about events and agreements",
        "관리자가 지우거나 협력기관을 삭제할 때까지",
        "Until an admin removes them or the partner",
    ),
];

/// The required consent and the optional one, each its own box, neither
/// ticked for the person. `prefix`: where their errors are (`consents.` in the
/// sign-up form).
#[component]
pub fn ConsentFields(
    form: FormState,
    privacy: RwSignal<bool>,
    news_mail: RwSignal<bool>,
    #[prop(default = "consents.")] prefix: &'static str,
) -> impl IntoView {
    let lang = use_lang();
    let field = format!("{prefix}privacy");
    let error = {
        let field = field.clone();
        move || form.error(&field)
    };
    let invalid = {
        let error = error.clone();
        move || error().is_some().to_string()
    };
    view! {
        <fieldset class="consents">
            <legend>{crate::tr!("개인정보 수집·이용 동의", "Consent to the use of personal information")}</legend>
            <ItemsTable/>
            <p class="hint">{crate::tr!(
                "동의를 거부할 수 있으나, 필수 항목에 동의하지 않으면 가입할 수 없습니다.",
                "You may refuse, but without the required consent you cannot sign up."
            )}</p>
            <label class="check">
                <input type="checkbox" id="consent-privacy" name=field.clone() prop:checked=privacy
                    aria-invalid=invalid aria-describedby="consent-privacy-error"
                    on:change=move |ev| { privacy.set(event_target_checked(&ev)); form.edited(&format!("{prefix}privacy")); }/>
                {crate::tr!("[필수] 개인정보 수집·이용에 동의합니다", "[Required] I agree to the collection and use of my personal information")}
            </label>
            <p class="error" id="consent-privacy-error">{move || error().map(|e| field_error(&e, lang.get()))}</p>
            <label class="check">
                <input type="checkbox" name=format!("{prefix}news_mail") prop:checked=news_mail
                    on:change=move |ev| news_mail.set(event_target_checked(&ev))/>
                {crate::tr!("[선택] 지원사업·행사 소식 메일을 받겠습니다", "[Optional] Send me news of support programmes and events")}
            </label>
            <p class="hint">{crate::tr!(
                "선택 항목은 동의하지 않아도 가입할 수 있고, 언제든 계정 보안에서 철회할 수 있습니다. ",
                "The optional one is up to you, and can be withdrawn any time on Account security. "
            )}<a href="/privacy" target="_blank">{crate::tr!("개인정보 처리방침 전문", "The full privacy policy")}</a></p>
        </fieldset>
    }
}

/// Items, purposes and how long each is kept.
#[component]
fn ItemsTable() -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class="table-wrap">
            <table class="items">
                <caption class="sr-only">{crate::tr!("수집 항목, 목적, 보유 기간", "Items, purposes, retention")}</caption>
                <thead><tr>
                    <th scope="col">{crate::tr!("항목", "Items")}</th>
                    <th scope="col">{crate::tr!("목적", "Purpose")}</th>
                    <th scope="col">{crate::tr!("보유 기간", "Kept")}</th>
                </tr></thead>
                <tbody>
                    {ITEMS.iter().map(|(ik, ie, pk, pe, rk, re)| view! {
                        <tr>
                            <td>{move || pick(lang.get(), *ik, *ie)}</td>
                            <td>{move || pick(lang.get(), *pk, *pe)}</td>
                            <td>{move || pick(lang.get(), *rk, *re)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
pub fn PrivacyPage() -> impl IntoView {
    let session = use_session();
    let asked = move || {
        session
            .me
            .with(|m| m.as_ref().is_some_and(|m| m.consent_required))
    };
    let lang = use_lang();
    view! {
        <section class="section narrow policy">
            <h1>{crate::tr!("개인정보 처리방침", "Privacy policy")}</h1>
            <p class="muted">{crate::tr!("시행일 ", "In force from ")}{PRIVACY_POLICY_VERSION}</p>
            <Show when=asked>
                <Agree/>
            </Show>
            {move || policy(lang.get())}
        </section>
    }
}

/// Agreeing again, when the policy changed since the person last did.
#[component]
fn Agree() -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    let query = use_query_map();
    let privacy = RwSignal::new(false);
    let news_mail = RwSignal::new(false);
    let request = move || ConsentChoice {
        policy_version: PRIVACY_POLICY_VERSION.to_owned(),
        privacy: privacy.get(),
        news_mail: news_mail.get(),
    };
    let form = FormState::new(move || request().validate().err().unwrap_or_default());
    let submit = Submit::for_form(form);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !form.submit() {
            return;
        }
        let req = request();
        let next = query.with_untracked(|q| next_path(q, "/"));
        let navigate = navigate.clone();
        submit.run(async move {
            session.set(api::auth::agree(&req).await?);
            navigate(&next, Default::default());
            Ok(())
        });
    };
    view! {
        <form class="panel stack" id="agree" on:submit=on_submit novalidate>
            <h2>{crate::tr!("개인정보 처리방침에 동의해 주세요", "Please agree to the privacy policy")}</h2>
            <p>{crate::tr!(
                "시행 중인 처리방침(새로 바뀌었거나 아직 동의하지 않은 것)입니다. 아래 내용을 확인하고 동의하시면 계속 이용할 수 있고, 그 전에는 글쓰기, 신청 같은 활동을 할 수 없습니다.",
                "This is the policy in force (new, or not agreed to yet). Read it and agree to go on: until then you can read but not post or apply."
            )}</p>
            <ConsentFields form=form privacy=privacy news_mail=news_mail prefix=""/>
            <FormError error=submit.error()/>
            <button type="submit" class="btn btn-primary" disabled=submit.pending()>{crate::tr!("동의하고 계속하기", "Agree and continue")}</button>
        </form>
    }
}

/// The policy's text.
fn policy(lang: Lang) -> impl IntoView {
    let sections: &[(&str, &str, &str, &str)] = &[
        (
            "1. 처리 목적",
            "1. Why",
            "모임은 산업단지 혁신클러스터 회원의 가입과 로그인, 협의체 참여, 애로과제와 전문가 연결, 아이디어 게시판, 네트워킹 활동의 운영과 알림을 위해 개인정보를 처리합니다. 이 목적 밖으로는 쓰지 않습니다.",
            "Moim processes personal information to run membership and sign-in, consortia, the matching of problems with experts, the idea board, networking activities and their notifications, and for nothing else.",
        ),
        (
            "2. 처리 항목과 보유 기간",
            "2. What, and for how long",
            "아래 표와 같습니다. 회원이 탈퇴하면 지체 없이 파기하되, 다른 사람의 글타래처럼 함께 쓴 기록의 본인 글은 '탈퇴한 회원'으로 남길 수 있습니다.",
            "As in the table below. When a member leaves, it is destroyed without delay; their posts in threads written with others may stay under \"a former member\".",
        ),
        (
            "3. 제3자 제공과 처리 위탁",
            "3. Third parties and processors",
            "개인정보를 제3자에게 제공하지 않습니다. 메일은 운영 기관이 정한 메일 서버로 보냅니다.",
            "Personal information is given to no third party. Mail goes through the mail server the operator chooses.",
        ),
        (
            "4. 정보주체의 권리",
            "4. Your rights",
            "언제든 내 정보에서 열람·정정할 수 있고, '내 정보 내려받기'로 모임이 가진 본인 정보를 모두 받을 수 있으며, 선택 동의는 계정 보안에서 철회할 수 있습니다. 계정 보안의 '회원 탈퇴'로 언제든 탈퇴할 수 있고, 처리 정지는 운영 기관에 요청할 수 있습니다.",
            "You can read and correct your information on My account at any time, download everything Moim holds about you there, and withdraw the optional consent on Account security. You can close your account yourself there at any time; ask the operator to stop processing.",
        ),
        (
            "5. 안전성 확보 조치",
            "5. How it is protected",
            "비밀번호는 Argon2 해시로만 보관하고, 로그인 링크와 복구 코드도 해시로만 보관합니다. 관리자와 CM은 2단계 인증을 써야 하며, 관리 행위는 처리 기록에 남습니다.",
            "Passwords, sign-in links and recovery codes are kept only as hashes (Argon2 for passwords). Admins and CMs must use two-step sign-in, and their acts are kept in the audit trail.",
        ),
        (
            "6. 개인정보 보호책임자",
            "6. Who is responsible",
            "운영 기관(한국산업단지공단)의 개인정보 보호책임자가 책임집니다. 문의와 요청은 포털 관리자에게 해 주세요.",
            "The data protection officer of the operator (KICOX). Send questions and requests to the portal's administrators.",
        ),
        (
            "7. 처리방침의 변경",
            "7. Changes",
            "처리방침이 바뀌면 새 시행일을 적고, 회원에게 다음 방문 때 다시 동의를 받습니다.",
            "When this policy changes it gets a new date, and members are asked to agree again at their next visit.",
        ),
    ];
    view! {
        <div class="stack">
            {sections.iter().enumerate().map(|(i, (hk, he, bk, be))| view! {
                <h2>{pick(lang, *hk, *he)}</h2>
                <p>{pick(lang, *bk, *be)}</p>
                {(i == 1).then(|| view! { <ItemsTable/> })}
            }).collect_view()}
        </div>
    }
}
