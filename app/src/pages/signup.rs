//! Sign up with an organisation: a firm by its business number (joining it when it
//! is registered already), or a university, institute or agency found by name or
//! registered new.

use crate::{
    api,
    components::form::{FormError, FormState, SelectField, TextField},
    i18n::{self, M, t, use_lang},
    routing::next_path,
    state::use_refs,
    submit::Submit,
};
use leptos::{prelude::*, task::spawn_local};
use leptos_router::{components::A, hooks::use_query_map};
use moim_core::{
    ComplexId, Validate,
    account::{NewOrganisation, OrgChoice, OrgKind, OrgSummary, SignUp, VERIFY_LINK_HOURS},
    privacy::{ConsentChoice, PRIVACY_POLICY_VERSION},
    validate::{
        DEPARTMENT_MAX, EMAIL_MAX, INDUSTRY_MAX, ORG_NAME_MAX, PASSWORD_MAX, PERSON_NAME_MAX,
        is_business_number,
    },
};

/// Where the verification page goes once the link signed the person in (kept on
/// the device at sign-up: the link leads to `/verify-email`).
pub const AFTER_VERIFY: &str = "moim.after-verify";

/// The pages of joining, in one module: the sign-up form and the privacy policy
/// it asks consent to (which one is the address's, as `core::routes` has it).
#[component]
pub fn JoinPages() -> impl IntoView {
    let path = leptos_router::hooks::use_location().pathname;
    let which = Memo::new(move |_| path.get());
    move || match which.get().trim_end_matches('/') {
        "/privacy" => view! { <super::privacy::PrivacyPage/> }.into_any(),
        _ => view! { <SignUpPage/> }.into_any(),
    }
}

#[component]
pub fn SignUpPage() -> impl IntoView {
    let lang = use_lang();
    let refs = use_refs();
    let query = use_query_map();
    let sent = RwSignal::new(None::<String>);

    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let kind = RwSignal::new(OrgKind::Firm);
    let business_no = RwSignal::new(String::new());
    let org_name = RwSignal::new(String::new());
    let complex = RwSignal::new(String::new());
    let headcount = RwSignal::new(String::new());
    let industry = RwSignal::new(String::new());
    let department = RwSignal::new(String::new());
    let is_expert = RwSignal::new(false);
    // Consents: each on its own, none ticked for the person.
    let agree_privacy = RwSignal::new(false);
    let agree_news = RwSignal::new(false);
    // An organisation already registered that the person joins instead.
    let existing = RwSignal::new(None::<OrgSummary>);
    let org_query = RwSignal::new(String::new());
    let org_results = RwSignal::new(Vec::<OrgSummary>::new());

    let request = move || SignUp {
        email: email.get(),
        password: password.get(),
        name: name.get(),
        department: Some(department.get()).filter(|d| !d.trim().is_empty()),
        is_expert: is_expert.get(),
        organisation: match existing.get() {
            Some(o) => OrgChoice::Existing { id: o.id },
            None => {
                let firm = kind.get() == OrgKind::Firm;
                OrgChoice::New(NewOrganisation {
                    kind: kind.get(),
                    name: org_name.get(),
                    business_no: firm.then(|| business_no.get()),
                    complex_id: if firm {
                        complex.get().parse().ok().map(ComplexId)
                    } else {
                        None
                    },
                    headcount: if firm {
                        headcount
                            .get()
                            .trim()
                            .parse()
                            .ok()
                            .or(Some(0))
                            .filter(|_| !headcount.get().trim().is_empty())
                    } else {
                        None
                    },
                    industry: firm.then(|| industry.get()),
                })
            }
        },
        consents: ConsentChoice {
            policy_version: PRIVACY_POLICY_VERSION.to_owned(),
            privacy: agree_privacy.get(),
            news_mail: agree_news.get(),
        },
    };
    let form = FormState::new(move || request().validate().err().unwrap_or_default());
    let submit = Submit::for_form(form);
    let searching = Submit::new();

    // A valid business number is looked up as it is typed.
    Effect::new(move |_| {
        let no = business_no.get();
        if kind.get() != OrgKind::Firm || !is_business_number(&no) {
            if kind.get_untracked() == OrgKind::Firm {
                existing.set(None);
            }
            return;
        }
        // An aid: when the lookup fails, the form asks for the firm's details.
        spawn_local(async move {
            if let Ok(found) = api::orgs::lookup(&no).await {
                existing.set(found.organisation);
            }
        });
    });
    let search_orgs = move |_| {
        let q = org_query.get_untracked();
        if q.trim().is_empty() {
            return;
        }
        let k = kind.get_untracked();
        searching.run(async move {
            org_results.set(api::orgs::search(&q, Some(k)).await?);
            Ok(())
        });
    };

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !form.submit() {
            return;
        }
        let req = request();
        // Where to go once the link in the mail is opened (it signs the person in).
        crate::state::save(AFTER_VERIFY, &query.with_untracked(|q| next_path(q, "/me")));
        submit.run(async move {
            api::auth::signup(&req).await?;
            sent.set(Some(req.email.trim().to_owned()));
            Ok(())
        });
    };
    let complexes = Signal::derive(move || refs.complex_options(lang.get()));
    let firm = move || kind.get() == OrgKind::Firm;
    let signin_href = move || {
        format!(
            "/signin?next={}",
            api::enc(&query.with(|q| next_path(q, "/")))
        )
    };
    view! {
        <section class="section narrow">
            <h1>{crate::tr!("회원가입", "Sign up")}</h1>
            {move || sent.get().map(|to| view! {
                <div class="panel stack" role="status" data-testid="signup-sent">
                    <h2>{crate::tr!("메일을 확인해 주세요", "Check your mail")}</h2>
                    <p><strong>{to}</strong>{crate::tr!(" 주소로 메일을 보냈습니다. 메일의 링크를 누르면 가입이 끝나고 바로 로그인됩니다.", ": we sent a mail there. Open its link to finish signing up; it signs you in.")}</p>
                    <p class="muted">{move || if lang.get() == i18n::Lang::Ko {
                        format!("링크는 {VERIFY_LINK_HOURS}시간 동안 한 번 쓸 수 있습니다. 이미 가입한 주소라면 로그인하는 방법을 안내해 드립니다. 메일이 보이지 않으면 스팸함을 확인하거나, 로그인한 뒤 인증 메일을 다시 받으세요.")
                    } else {
                        format!("The link works once, for {VERIFY_LINK_HOURS} hours. If the address has an account already, the mail says how to sign in. No mail? Look in the spam folder, or sign in and have it sent again.")
                    }}</p>
                    <p><A href=signin_href>{t(M::SignIn)}</A></p>
                </div>
            })}
            <form class="stack card-form" on:submit=on_submit novalidate hidden=move || sent.with(Option::is_some)>
                <fieldset>
                    <legend>{crate::tr!("계정", "Account")}</legend>
                    <TextField form=form name="email" label=("이메일", "Email") value=email kind="email" autocomplete="email" maxlength=EMAIL_MAX required=true/>
                    <TextField form=form name="password" label=("비밀번호", "Password") value=password kind="password" autocomplete="new-password" hint=("8자 이상. 문장처럼 긴 비밀번호가 안전합니다.", "8 characters or more. A long phrase is safest.") maxlength=PASSWORD_MAX required=true/>
                    <TextField form=form name="name" label=("이름", "Full name") value=name autocomplete="name" maxlength=PERSON_NAME_MAX required=true/>
                </fieldset>
                <fieldset>
                    <legend>{crate::tr!("소속 기관", "Organisation")}</legend>
                    <div class="field" role="radiogroup" aria-labelledby="kind-label">
                        <p id="kind-label" class="label">{crate::tr!("기관 유형", "Organisation type")}</p>
                        <div class="choices">
                            {OrgKind::ALL.into_iter().map(|k| view! {
                                <label class="choice">
                                    <input type="radio" name="org-kind" value=k.code() prop:checked=move || kind.get() == k
                                        on:change=move |_| {
                                            kind.set(k);
                                            existing.set(None);
                                            org_results.set(Vec::new());
                                            is_expert.set(matches!(k, OrgKind::University | OrgKind::Institute));
                                        }/>
                                    <span>{move || i18n::org_kind(k, lang.get())}</span>
                                </label>
                            }).collect_view()}
                        </div>
                    </div>
                    <Show when=firm>
                        <TextField form=form name="organisation.business_no" label=M::BusinessNo value=business_no hint=("숫자 10자리 (예: 123-45-67890)", "10 digits (e.g. 123-45-67890)") inputmode="numeric" maxlength=12 required=true/>
                    </Show>
                    <Show when=move || !firm()>
                        <div class="field">
                            <label for="org-q">{crate::tr!("등록된 기관에서 찾기", "Find a registered organisation")}</label>
                            <div class="search">
                                <input id="org-q" type="search" prop:value=org_query on:input=move |ev| org_query.set(event_target_value(&ev))
                                    on:keydown=move |ev| if ev.key() == "Enter" { ev.prevent_default(); search_orgs(()); }/>
                                <button type="button" class="btn btn-secondary" on:click=move |_| search_orgs(())>{t(M::Search)}</button>
                            </div>
                            <ul class="plain results">
                                {move || org_results.get().into_iter().map(|o| {
                                    let chosen = o.clone();
                                    let oid = o.id;
                                    view! {
                                        <li class="row between">
                                            <span>{o.name}</span>
                                            <button type="button" class="btn btn-secondary btn-sm" aria-pressed=move || existing.with(|e| e.as_ref().map(|e| e.id) == Some(oid)).to_string()
                                                on:click=move |_| existing.set(Some(chosen.clone()))>
                                                {move || if existing.with(|e| e.as_ref().map(|e| e.id) == Some(oid)) { crate::tr!("선택됨", "Selected")() } else { crate::tr!("선택", "Choose")() }}
                                            </button>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                            <FormError error=searching.error()/>
                        </div>
                    </Show>
                    {move || existing.get().map(|o| view! {
                        <div class="alert alert-info" role="status">
                            <p>{crate::tr!("이미 등록된 기업입니다. 이 기업의 구성원으로 가입합니다:", "This firm is registered. You will join it:")}" "<strong>{o.name}</strong>
                                " "<button type="button" class="btn-text" on:click=move |_| existing.set(None)>{crate::tr!("취소", "Cancel")}</button></p>
                            <p class="hint">{crate::tr!("등록된 기관으로 가입하면 그 기관의 대표자가 확인한 뒤부터 기관을 대표해 활동할 수 있습니다.", "When you join a registered organisation, its representative confirms you before you act for it.")}</p>
                        </div>
                    })}
                    <Show when=move || existing.with(Option::is_none)>
                        <TextField form=form name="organisation.name" label=M::OrgName value=org_name autocomplete="organization" maxlength=ORG_NAME_MAX required=true/>
                        <Show when=firm>
                            <SelectField form=form name="organisation.complex_id" label=M::Complex value=complex options=complexes placeholder=M::ChooseComplex required=true/>
                            <div class="row">
                                <TextField form=form name="organisation.headcount" label=("임직원 수", "Staff") value=headcount kind="number" inputmode="numeric" required=true/>
                                <TextField form=form name="organisation.industry" label=("주요 업종", "Main industry") value=industry maxlength=INDUSTRY_MAX required=true/>
                            </div>
                        </Show>
                    </Show>
                    <Show when=move || !firm()>
                        <TextField form=form name="department" label=("학과·부서·연구실", "Department or lab") value=department maxlength=DEPARTMENT_MAX/>
                        <label class="check">
                            <input type="checkbox" prop:checked=is_expert on:change=move |ev| is_expert.set(event_target_checked(&ev))/>
                            {crate::tr!("전문가 프로필을 운영합니다 (교수·연구원)", "I keep an expert profile (professor, researcher)")}
                        </label>
                    </Show>
                </fieldset>
                <super::privacy::ConsentFields form=form privacy=agree_privacy news_mail=agree_news/>
                <Show when=move || form.has_errors() && submit.error().with(Option::is_none)>
                    <p class="alert alert-error" role="alert">{t(M::FixErrors)}</p>
                </Show>
                <FormError error=submit.error()/>
                <button type="submit" class="btn btn-primary btn-block" disabled=submit.pending()>{crate::tr!("가입하기", "Create account")}</button>
            </form>
            <p class="center" hidden=move || sent.with(Option::is_some)>{crate::tr!("이미 회원이신가요?", "Already a member?")}" "<A href=signin_href>{t(M::SignIn)}</A></p>
        </section>
    }
}
