//! Sign-up, sign-in, the signed-in person.

use super::{ClientError, builder, finish, get, read, send, send_empty, send_only};
use gloo_net::http::Method;
use moim_core::{
    UserId,
    account::{
        ChangeEmail, ChangePassword, CheckLink, Colleague, ConfirmColleague, ExpertProfile,
        ForgotPassword, LinkAccount, Me, OfferHandover, Representation, ResetPassword, SignIn,
        SignUp, UpdateAccount, Verified, VerifyEmail,
    },
    privacy::{ConsentChoice, NewsMail},
    second_factor::{
        CloseAccount, ConfirmPassword, RecoveryCodes, SecondFactor, SecondStep, TotpCode, TotpSetup,
    },
};

/// The signed-in person, or `None` when nobody is (no 401 noise in the console).
pub async fn session() -> Result<Option<Me>, ClientError> {
    get(moim_core::paths::SESSION).await
}

/// What the password step of signing in did.
pub enum SignedIn {
    /// Signed in.
    Done(Me),
    /// The account asks for a second factor too: the ticket of that step and
    /// what can take it.
    SecondStep(SecondStep),
}

pub async fn signin(req: &SignIn) -> Result<SignedIn, ClientError> {
    let req = builder(Method::POST, "/api/auth/signin")
        .json(req)
        .map_err(|_| ClientError::Decode)?;
    let res = finish(req.send().await).await?;
    Ok(if res.status() == 202 {
        SignedIn::SecondStep(read::<SecondStep>(res).await?)
    } else {
        SignedIn::Done(read(res).await?)
    })
}

/// The second step of signing in: a code from the app, or a recovery code.
pub async fn signin_second_step(req: &SecondFactor) -> Result<Me, ClientError> {
    send(Method::POST, "/api/auth/signin/second-factor", req).await
}

pub async fn start_totp(req: &ConfirmPassword) -> Result<TotpSetup, ClientError> {
    send(Method::POST, "/api/me/totp/setup", req).await
}

pub async fn confirm_totp(req: &TotpCode) -> Result<RecoveryCodes, ClientError> {
    send(Method::POST, "/api/me/totp", req).await
}

pub async fn remove_totp(req: &ConfirmPassword) -> Result<(), ClientError> {
    send_only(Method::DELETE, "/api/me/totp", req).await
}

pub async fn renew_recovery_codes(req: &ConfirmPassword) -> Result<RecoveryCodes, ClientError> {
    send(Method::POST, "/api/me/recovery-codes", req).await
}

/// Signs up: a link that verifies the address is mailed (the answer is the same
/// when the address has an account already; its owner is mailed instead).
pub async fn signup(req: &SignUp) -> Result<(), ClientError> {
    send_only(Method::POST, "/api/auth/signup", req).await
}

/// Opens a link that verifies an address (a new account's signs the person in).
pub async fn verify_email(req: &VerifyEmail) -> Result<Verified, ClientError> {
    send(Method::POST, "/api/auth/verify-email", req).await
}

/// Mails the link that verifies one's address again.
pub async fn resend_verification() -> Result<(), ClientError> {
    send_empty(Method::POST, "/api/me/verify-email").await
}

/// Asks to move one's account to a new address (verified by a mailed link).
pub async fn change_email(req: &ChangeEmail) -> Result<(), ClientError> {
    send_only(Method::POST, "/api/me/email", req).await
}

/// The representative offers the role to a colleague.
pub async fn offer_handover(to: UserId) -> Result<Representation, ClientError> {
    send(Method::POST, "/api/me/handover", &OfferHandover { to }).await
}

pub async fn withdraw_handover() -> Result<(), ClientError> {
    send_empty(Method::DELETE, "/api/me/handover").await
}

/// The colleague accepts the role offered to them.
pub async fn accept_handover() -> Result<Me, ClientError> {
    let res = finish(
        builder(Method::POST, "/api/me/handover/accept")
            .send()
            .await,
    )
    .await?;
    read(res).await
}

/// Agrees to the privacy policy in force (asked again when it changed).
pub async fn agree(req: &ConsentChoice) -> Result<Me, ClientError> {
    send(Method::POST, "/api/me/consents", req).await
}

/// Gives or withdraws the optional consent to news mail.
pub async fn set_news_mail(news_mail: bool) -> Result<(), ClientError> {
    send_only(
        Method::PUT,
        "/api/me/consents/news-mail",
        &NewsMail { news_mail },
    )
    .await
}

/// 회원 탈퇴: the account is closed and this browser signed out.
pub async fn close_account(req: &CloseAccount) -> Result<(), ClientError> {
    send_only(Method::POST, "/api/me/close", req).await
}

pub async fn signout() -> Result<(), ClientError> {
    send_empty(Method::POST, "/api/auth/signout").await
}

pub async fn update_account(req: &UpdateAccount) -> Result<Me, ClientError> {
    send(Method::PUT, "/api/me", req).await
}

pub async fn save_expert_profile(p: &ExpertProfile) -> Result<ExpertProfile, ClientError> {
    send(Method::PUT, "/api/me/expert-profile", p).await
}

pub async fn confirm_colleague(id: UserId, confirm: bool) -> Result<Vec<Colleague>, ClientError> {
    send(
        Method::POST,
        &format!("/api/me/colleagues/{id}"),
        &ConfirmColleague { confirm },
    )
    .await
}

/// Asks for a reset link (the answer is the same whether or not the address has
/// an account).
pub async fn forgot_password(req: &ForgotPassword) -> Result<(), ClientError> {
    send_only(Method::POST, "/api/auth/forgot-password", req).await
}

/// Whose account a reset link opens, if it is still good.
pub async fn check_reset_link(req: &CheckLink) -> Result<LinkAccount, ClientError> {
    send(Method::POST, "/api/auth/reset-password/check", req).await
}

pub async fn reset_password(req: &ResetPassword) -> Result<(), ClientError> {
    send_only(Method::POST, "/api/auth/reset-password", req).await
}

pub async fn change_password(req: &ChangePassword) -> Result<(), ClientError> {
    send_only(Method::POST, "/api/me/password", req).await
}

pub async fn end_session(id: &str) -> Result<(), ClientError> {
    send_empty(
        Method::DELETE,
        &format!("/api/me/sessions/{}", super::enc(id)),
    )
    .await
}

pub async fn end_other_sessions() -> Result<(), ClientError> {
    send_empty(Method::POST, "/api/me/sessions/end-others").await
}
