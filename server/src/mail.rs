//! Email from the outbox. Notifications write their mail into `mail_outbox` in the
//! transaction of their event; this worker claims due rows with a lease, sends them
//! (SMTP, or `.eml` files under the data directory when no SMTP is configured), and
//! marks them sent. A worker that dies mid-send leaves its rows leased; once the
//! lease ends another worker sends them. Each mail carries a Message-ID made from
//! its outbox row, so the one window left (the server accepted, the worker died
//! before marking) repeats the same message, which mail systems drop as a copy.

use crate::{
    Db,
    db::{
        self,
        outbox::{self, Claimed, Letter},
        recovery::{AccountMail, Link},
    },
    error::DbError,
};
use chrono::{DateTime, Duration, Utc};
use lettre::{
    AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
    message::{
        Body, Mailbox, SinglePart,
        header::{ContentTransferEncoding, ContentType},
    },
};
use moim_core::{KST, UserId, notification::NotificationKind};
use std::path::PathBuf;

/// Attempts before a mail is given up.
pub const MAX_ATTEMPTS: i64 = 8;

/// How mail leaves.
pub enum Transport {
    /// An SMTP server.
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    /// `.eml` files in this directory (the default: nothing to set up).
    Files(PathBuf),
}

/// The worker's settings.
pub struct Mailer {
    pub transport: Transport,
    pub from: Mailbox,
    /// The portal's address, for links (`https://moim.example`).
    pub base_url: String,
    /// How long a claimed mail stays with its worker.
    pub lease: Duration,
}

impl Mailer {
    /// From configuration: `smtp_url` like `smtps://user:pass@smtp.example:465` or
    /// `smtp://smtp.example:587?tls=required` (lettre's URL form), or none for files.
    pub fn new(
        smtp_url: Option<&str>,
        from: &str,
        base_url: &str,
        data_dir: &std::path::Path,
    ) -> Result<Mailer, String> {
        let transport = match smtp_url.filter(|u| !u.is_empty()) {
            Some(url) => Transport::Smtp(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|e| format!("MOIM_SMTP_URL: {e}"))?
                    .timeout(Some(std::time::Duration::from_secs(30)))
                    .build(),
            ),
            None => Transport::Files(data_dir.join("mail")),
        };
        Ok(Mailer {
            transport,
            from: from.parse().map_err(|e| format!("MOIM_MAIL_FROM: {e}"))?,
            base_url: base_url.trim_end_matches('/').to_owned(),
            lease: Duration::minutes(2),
        })
    }
}

/// When attempt `n` (1-based) is tried again: 1, 2, 4 … minutes, at most 2 hours.
pub fn backoff(now: DateTime<Utc>, attempts: i64) -> DateTime<Utc> {
    let minutes = 1_i64 << attempts.clamp(1, 8).saturating_sub(1);
    now + Duration::minutes(minutes.min(120))
}

/// Sends what is due at `now`; returns how many mails went out.
pub async fn tick(db: &Db, mailer: &Mailer, now: DateTime<Utc>) -> Result<usize, DbError> {
    let mut sent = send_due(db, mailer, now, None).await?;
    loop {
        let batch = outbox::claim_digest(db, now, now + mailer.lease).await?;
        let Some(first) = batch.first() else { break };
        let letters = outbox::letters(db, &ids(&batch)).await?;
        if letters.iter().any(|l| l.suspended) {
            for row in &batch {
                outbox::dropped(db, row.id, "the account is suspended or closed", now).await?;
            }
            continue;
        }
        let message = compose(mailer, &letters, first.id, true);
        if deliver(db, mailer, &batch, message).await? {
            sent += 1;
        }
    }
    Ok(sent)
}

/// Sends the account mail of one purpose that is due at `now` and nothing else
/// (the tests' way to read a verification link without sending other mail).
pub async fn tick_account_mail(
    db: &Db,
    mailer: &Mailer,
    now: DateTime<Utc>,
    purpose: AccountMail,
) -> Result<usize, DbError> {
    send_due(db, mailer, now, Some(purpose.code())).await
}

/// Sends the guest mail of one kind that is due at `now` and nothing else (the
/// tests' way to read a guest's link).
pub async fn tick_guest_mail(
    db: &Db,
    mailer: &Mailer,
    now: DateTime<Utc>,
    mail: db::guests::GuestMail,
) -> Result<usize, DbError> {
    send_due(db, mailer, now, Some(mail.code())).await
}

/// Sends the immediate mail due at `now` (with `only`, the account mail of that
/// purpose alone).
async fn send_due(
    db: &Db,
    mailer: &Mailer,
    now: DateTime<Utc>,
    only: Option<&str>,
) -> Result<usize, DbError> {
    let mut sent = 0;
    loop {
        let batch = outbox::claim(db, now, now + mailer.lease, 20, only).await?;
        if batch.is_empty() {
            break;
        }
        let mut letters = outbox::letters(db, &ids(&batch)).await?;
        for claimed in &batch {
            // Paired by row id: the claim's RETURNING order is not the letters'.
            let Some(at) = letters.iter().position(|l| l.outbox_id == claimed.id) else {
                continue;
            };
            let letter = letters.swap_remove(at);
            if letter.suspended {
                outbox::dropped(db, claimed.id, "the account is suspended or closed", now).await?;
                continue;
            }
            let message = match letter.purpose.as_deref() {
                None => compose(mailer, &[letter], claimed.id, false),
                Some(purpose) => {
                    let written = if purpose.starts_with("guest_") {
                        guest_mail(db, mailer, &letter, purpose, now).await?
                    } else {
                        account_mail(db, mailer, &letter, purpose, now).await?
                    };
                    match written {
                        Ok((subject, body)) => message(
                            mailer,
                            &flat(&letter.name),
                            &letter.email,
                            subject,
                            body,
                            claimed.id,
                        ),
                        Err(why) => {
                            outbox::dropped(db, claimed.id, why, now).await?;
                            continue;
                        }
                    }
                }
            };
            if deliver(db, mailer, std::slice::from_ref(claimed), message).await? {
                sent += 1;
            }
        }
    }
    Ok(sent)
}

fn ids(batch: &[Claimed]) -> Vec<i64> {
    batch.iter().map(|c| c.id).collect()
}

/// Sends one message for the claimed rows and records the outcome.
async fn deliver(
    db: &Db,
    mailer: &Mailer,
    rows: &[Claimed],
    message: Result<Message, String>,
) -> Result<bool, DbError> {
    let now = Utc::now();
    let ids = ids(rows);
    let attempts = rows.iter().map(|r| r.attempts).max().unwrap_or(1);
    let outcome = match message {
        Ok(m) => send(mailer, m, ids[0]).await,
        Err(e) => Err((e, true)),
    };
    match outcome {
        Ok(()) => {
            outbox::sent(db, &ids, now).await?;
            Ok(true)
        }
        Err((e, permanent)) => {
            tracing::warn!("mail {ids:?} attempt {attempts}: {e}");
            let retry = (!permanent && attempts < MAX_ATTEMPTS).then(|| backoff(now, attempts));
            outbox::failed(db, &ids, &e, retry).await?;
            Ok(false)
        }
    }
}

/// Sends; an error says whether trying again could help.
async fn send(mailer: &Mailer, message: Message, id: i64) -> Result<(), (String, bool)> {
    match &mailer.transport {
        Transport::Smtp(t) => t
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| (e.to_string(), e.is_permanent())),
        Transport::Files(dir) => {
            let write = async {
                tokio::fs::create_dir_all(dir).await?;
                let path = dir.join(format!("{id:08}.eml"));
                let tmp = dir.join(format!(".{id:08}.eml.tmp"));
                tokio::fs::write(&tmp, message.formatted()).await?;
                tokio::fs::rename(&tmp, &path).await
            };
            write.await.map_err(|e| (e.to_string(), false))
        }
    }
}

fn host(base_url: &str) -> &str {
    let rest = base_url.split("://").nth(1).unwrap_or(base_url);
    rest.split(['/', ':'])
        .next()
        .filter(|h| !h.is_empty())
        .unwrap_or("moim.local")
}

/// `s` on one line of a mail: every run of control characters (line breaks
/// included) becomes one space, so a name, title or note written by someone else
/// cannot add a line of its own (a fake "바로 가기" link) to what Moim says.
fn flat(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut gap = false;
    for c in s.chars() {
        if moim_core::validate::is_control(c) {
            gap = true;
        } else {
            if gap && !out.is_empty() {
                out.push(' ');
            }
            gap = false;
            out.push(c);
        }
    }
    out
}

/// The words of one notification, and the link to what it is about.
fn lines(mailer: &Mailer, l: &Letter) -> (String, String, String) {
    let kind = l.kind.as_deref().and_then(NotificationKind::from_code);
    let (ko, en) = kind.map_or(("알림", "Notification"), NotificationKind::subject);
    let mut about = Vec::new();
    let mut link = format!("{}/notifications", mailer.base_url);
    for (title, path) in [
        (
            &l.activity_title,
            l.activity_id.map(|i| match kind {
                Some(
                    NotificationKind::MeetingRequested
                    | NotificationKind::MeetingAccepted
                    | NotificationKind::MeetingDeclined
                    | NotificationKind::MeetingFollowUp,
                ) => format!("/activities/{i}/matchmaking"),
                _ => format!("/activities/{i}"),
            }),
        ),
        (&l.idea_title, l.idea_id.map(|i| format!("/ideas/{i}"))),
        (
            &l.survey_title,
            l.survey_id.map(|i| format!("/surveys/{i}")),
        ),
        (
            &l.call_title,
            l.application_id.map(|i| format!("/applications/{i}")),
        ),
        (
            &l.problem_title,
            l.problem_id.map(|i| format!("/problems/{i}")),
        ),
    ] {
        if let (Some(t), Some(p)) = (title, path) {
            about.push(format!("「{}」", flat(t)));
            link = format!("{}{p}", mailer.base_url);
            break;
        }
    }
    for v in [&l.consortium_name, &l.org_name, &l.actor_name]
        .into_iter()
        .flatten()
    {
        about.push(flat(v));
    }
    if let Some(n) = &l.note {
        about.push(format!("“{}”", flat(n)));
    }
    (format!("{ko} ({en})"), about.join(" · "), link)
}

/// The last line of account and guest mails.
const SIGNATURE: &str = "— 모임 Moim, 산업단지 혁신클러스터 포털\n";

/// A guest mail's subject and body, or why it is not sent (the guest's details
/// are gone, or the link to confirm died before it could go). Each carries a
/// fresh link to the guest's registration on the activity's page (the token in
/// the fragment, which no server log keeps), made here and stored hashed.
async fn guest_mail(
    db: &Db,
    mailer: &Mailer,
    letter: &Letter,
    purpose: &str,
    now: DateTime<Utc>,
) -> Result<Result<(String, String), &'static str>, DbError> {
    use db::guests::GuestMail;
    use moim_core::activity::{GUEST_LINK_HOURS, GuestStatus};
    let (Some(mail), Some(id)) = (GuestMail::from_code(purpose), letter.guest_id) else {
        return Ok(Err("unknown purpose"));
    };
    if letter.email.is_empty() {
        return Ok(Err("the guest's details are no longer kept"));
    }
    if letter.expires_at.is_some_and(|e| e <= now) {
        return Ok(Err("the link expired before it could be sent"));
    }
    let guest = match db::guests::find(db, id).await {
        Err(DbError::NotFound) => return Ok(Err("no such guest")),
        other => other?,
    };
    let activity = db::activities::find(db, moim_core::ActivityId(guest.activity_id)).await?;
    let status = guest.status();
    if status == GuestStatus::Cancelled && mail != GuestMail::Cancelled {
        return Ok(Err("the guest cancelled"));
    }
    // A fresh link, for the mails that carry one (stored once the mail is
    // written: a mail not sent leaves no working link behind).
    let token = crate::auth::random_token();
    // Meeting mails open the meetings page; the rest the activity's.
    let meetings = matches!(
        mail,
        GuestMail::MeetingRequested
            | GuestMail::MeetingAccepted
            | GuestMail::MeetingDeclined
            | GuestMail::FollowUp
    );
    let page = if meetings { "/matchmaking" } else { "" };
    let link = format!(
        "{}/activities/{}{page}#guest={token}",
        mailer.base_url, activity.id
    );
    let name = flat(&letter.name);
    let title = flat(&activity.title);
    let at = moim_core::kst_minute;
    let when = at(activity.starts_at);
    let keep = at(db::guests::keep_until(activity.ends_at));
    let sign = SIGNATURE;
    let forget = format!(
        "입력하신 정보는 {keep}(한국 시간)까지만 보관하고 지웁니다.\nYour details are kept until {keep} (Korea time), then deleted."
    );
    let (subject, body) = match mail {
        GuestMail::Confirm if status == GuestStatus::Pending => {
            let until = at(now + Duration::hours(GUEST_LINK_HOURS));
            (
                format!("[모임] 참가 신청을 확정해 주세요: {title} (confirm your registration)"),
                format!(
                    "{name}님, 「{title}」({when}) 참가 신청을 받았습니다.\n\n아래 링크를 열면 신청이 확정됩니다. \
                     자리가 있으면 참가가 확정되고, 없으면 대기 순번을 드립니다. 링크는 {until}까지 확정에 쓸 수 있고, \
                     그 뒤에도 신청 확인·취소·출석 확인에 쓸 수 있습니다.\n\n{link}\n\n\
                     신청하지 않으셨다면 이 메일을 무시하세요. 확정하지 않은 신청은 자리를 차지하지 않고 일주일 뒤 지워집니다.\n\n\
                     Open the link above to confirm your registration for \"{title}\" ({when}, Korea time): you \
                     get a place if there is one, else a place on the waiting list. The link confirms until {until}; \
                     after that it still shows, cancels and checks in. If you did not register, ignore this mail.\n\n\
                     {forget}\n\n{sign}"
                ),
            )
        }
        GuestMail::Confirm => (
            format!("[모임] 참가 신청 내역: {title} (your registration)"),
            format!(
                "{name}님, 「{title}」({when}) 참가 신청은 이미 확정되어 있습니다. 신청 확인·취소·출석 확인은 \
                 아래 링크에서 하실 수 있습니다.\n\n{link}\n\n\
                 Your registration for \"{title}\" ({when}, Korea time) is confirmed already. See it, cancel it \
                 or check in with the link above.\n\n{forget}\n\n{sign}"
            ),
        ),
        GuestMail::Promoted => (
            format!("[모임] 자리가 났습니다: {title} (you have a place)"),
            format!(
                "{name}님, 「{title}」({when}) 대기 중이시던 자리가 확정되었습니다. 오실 수 없으면 아래 링크에서 \
                 취소해 주세요. 다음 분께 자리가 갑니다.\n\n{link}\n\n\
                 A place came free at \"{title}\" ({when}, Korea time): it is yours. If you cannot come, cancel \
                 with the link above so the next person gets it.\n\n{sign}"
            ),
        ),
        GuestMail::Reminder if status == GuestStatus::Waitlisted => (
            format!("[모임] 내일 행사: {title} (tomorrow)"),
            format!(
                "{name}님, 「{title}」이(가) {when}에 열립니다. 아직 대기 중이시며, 자리가 나면 바로 메일로 \
                         알려 드립니다. 신청 확인·취소는 아래 링크에서 하실 수 있습니다.\n\n{link}\n\n\
                         \"{title}\" is on {when} (Korea time). You are still on the waiting list; if a place frees \
                         up we mail you at once. See or cancel your registration with the link above.\n\n{sign}"
            ),
        ),
        GuestMail::Reminder => {
            let mut place = if status == GuestStatus::Registered && !activity.place.is_empty() {
                format!("\n장소 (Place): {}\n", flat(&activity.place))
            } else {
                String::new()
            };
            // At an export consultation, the guest's own meetings.
            let who = db::matchmaking::Who::Guest(id);
            if let Some(agenda) = db::matchmaking::agenda_of(db, activity.id, who).await? {
                place.push_str(&format!("\n{}\n", flat(&agenda)));
            }
            (
                format!("[모임] 내일 행사: {title} (tomorrow)"),
                format!(
                    "{name}님, 「{title}」이(가) {when}에 열립니다.{place}\n현장에서 아래 링크를 열고 화면의 출석 코드를 \
                     넣으면 출석이 확인됩니다. 오실 수 없으면 같은 링크에서 취소해 주세요.\n\n{link}\n\n\
                     \"{title}\" is on {when} (Korea time). At the venue, open the link above and enter the code on \
                     the screen to check in; if you cannot come, cancel with the same link.\n\n{sign}"
                ),
            )
        }
        GuestMail::MeetingRequested | GuestMail::MeetingAccepted | GuestMail::MeetingDeclined => {
            let Some(request) = letter.request_id else {
                return Ok(Err("the meeting request was taken back"));
            };
            let aid = moim_core::ActivityId(activity.id);
            let r = match db::matchmaking::request_row(db, aid, request).await {
                Err(DbError::NotFound) => return Ok(Err("the meeting request was taken back")),
                other => other?,
            };
            let people = db::matchmaking::people(db, aid, [r.from_id, r.to_id]).await?;
            let other = if mail == GuestMail::MeetingRequested {
                r.from_id
            } else {
                r.to_id
            };
            let Some(o) = people.get(&other) else {
                return Ok(Err("the other participant is gone"));
            };
            let who = format!("{} ({})", flat(&o.org_name), flat(&o.name));
            match mail {
                GuestMail::MeetingRequested => {
                    let said = match r.message.trim() {
                        "" => String::new(),
                        m => format!("\n\n“{}”", flat(m)),
                    };
                    (
                        format!("[모임] 1:1 상담 신청: {who} (meeting request)"),
                        format!(
                            "{name}님, 「{title}」의 1:1 상담에서 {who}이(가) 상담을 신청했습니다.{said}\n\n\
                             아래 링크에서 수락하거나 거절해 주세요.\n\n{link}\n\n\
                             {who} asks you for a one-to-one meeting at \"{title}\". Accept or decline with \
                             the link above.\n\n{sign}"
                        ),
                    )
                }
                GuestMail::MeetingAccepted => (
                    format!("[모임] 상담 신청이 수락되었습니다: {who} (meeting accepted)"),
                    format!(
                        "{name}님, {who}이(가) 「{title}」 1:1 상담 신청을 수락했습니다. 시간과 테이블은 주최 측이 \
                         일정을 만들면 아래 링크의 내 일정에 나옵니다.\n\n{link}\n\n\
                         {who} accepted your meeting request at \"{title}\". Its time and table show on your \
                         agenda (the link above) once the organiser makes the schedule.\n\n{sign}"
                    ),
                ),
                _ => (
                    format!("[모임] 상담 신청이 거절되었습니다: {who} (meeting declined)"),
                    format!(
                        "{name}님, {who}이(가) 「{title}」 1:1 상담 신청을 거절했습니다. 다른 참가자에게 \
                         신청할 수 있습니다.\n\n{link}\n\n\
                         {who} declined your meeting request at \"{title}\". You can ask other participants \
                         with the link above.\n\n{sign}"
                    ),
                ),
            }
        }
        GuestMail::FollowUp => {
            let aid = moim_core::ActivityId(activity.id);
            let round = db::matchmaking::setup(db, aid)
                .await?
                .and_then(|s| s.follow_up_round(activity.ends_at, letter.created_at));
            // The round the mail was queued in.
            let Some((_, _, closes_at)) = round else {
                return Ok(Err("no follow-up round was open"));
            };
            let closes = at(closes_at);
            (
                format!(
                    "[모임] 1:1 상담 결과를 알려 주세요: {title} (what came of your meetings?)"
                ),
                format!(
                    "{name}님, 「{title}」에서 하신 1:1 상담은 어떻게 되었나요? 상담마다 후속 결과(추가 연락 없음, \
                     협상 중, 계약 진행 중, 계약 체결)를 {closes}까지 아래 링크의 내 일정에서 알려 주세요.\n\n{link}\n\n\
                     What came of your one-to-one meetings at \"{title}\"? Tell us for each (no further contact, \
                     in negotiation, contract in progress, contract signed) on your agenda, with the link above, \
                     by {closes} (Korea time).\n\n{forget}\n\n{sign}"
                ),
            )
        }
        GuestMail::Cancelled => (
            format!("[모임] 행사가 취소되었습니다: {title} (cancelled)"),
            format!(
                "{name}님, 「{title}」({when})이(가) 취소되었습니다. 신청해 주셔서 감사합니다.\n\n\
                 \"{title}\" ({when}, Korea time) has been cancelled. Thank you for registering.\n\n{sign}"
            ),
        ),
    };
    if mail != GuestMail::Cancelled {
        db::guests::add_link(db, id, &crate::auth::token_hash(&token), now).await?;
    }
    Ok(Ok((subject, body)))
}

/// An account mail's subject and body (`purpose`), or why it is not sent: the address has no
/// account, or the mail's link died before it could go. A reset mail's token is
/// made here, at sending, and only its hash is stored: the raw token exists in
/// the mail alone. A mail sent again after a failed attempt carries a new token;
/// every token stays good until it expires or the password is set.
async fn account_mail(
    db: &Db,
    mailer: &Mailer,
    letter: &Letter,
    purpose: &str,
    now: DateTime<Utc>,
) -> Result<Result<(String, String), &'static str>, DbError> {
    let Some(purpose) = AccountMail::from_code(purpose) else {
        return Ok(Err("unknown purpose"));
    };
    let Some(user) = letter.user_id else {
        return Ok(Err("no account with this address"));
    };
    if letter.expires_at.is_some_and(|e| e <= now) {
        return Ok(Err("the link expired before it could be sent"));
    }
    let name = flat(&letter.name);
    let at = moim_core::kst_minute;
    let verify_until = || {
        letter
            .expires_at
            .unwrap_or(now + Duration::hours(moim_core::account::VERIFY_LINK_HOURS))
    };
    let sign = SIGNATURE;
    let (subject, body) = match purpose {
        AccountMail::Verify => {
            // Asked for twice, say, and verified by the first: nothing to send.
            if db::users::find(db, UserId(user))
                .await?
                .email_verified_at
                .is_some()
            {
                return Ok(Err("the address is verified already"));
            }
            let expires = verify_until();
            let token = link_token(db, UserId(user), Link::Verify, None, now, expires).await?;
            let link = format!("{}/verify-email#token={token}", mailer.base_url);
            let until = at(expires);
            (
                "[모임] 이메일 주소를 확인해 주세요 (verify your email)".to_owned(),
                format!(
                    "{name}님, 모임에 가입해 주셔서 감사합니다.\n\n이 주소가 맞다면 아래 링크를 여세요. \
                     그때부터 글쓰기, 참여 신청, 행사 등록을 할 수 있습니다. 링크는 {until}(한국 시간)까지, \
                     한 번만 쓸 수 있습니다.\n\n{link}\n\n가입하지 않으셨다면 이 메일을 무시하세요. \
                     주소를 확인하지 않은 계정으로는 아무것도 할 수 없습니다.\n\n\
                     Thank you for joining Moim. Open the link above to confirm this address; then you \
                     can post, ask to join and register. It works once, until {until} (Korea time). If \
                     you did not sign up, ignore this mail.\n\n{sign}"
                ),
            )
        }
        AccountMail::AlreadyRegistered => {
            let forgot = format!("{}/forgot-password", mailer.base_url);
            let signin = format!("{}/signin", mailer.base_url);
            (
                "[모임] 이미 가입된 주소입니다 (you already have an account)".to_owned(),
                format!(
                    "{name}님, 안녕하세요.\n\n이 주소로 모임 가입(또는 이 주소로 계정 옮기기)이 요청되었지만, \
                     이 주소에는 이미 계정이 있습니다. 로그인: {signin}\n비밀번호가 생각나지 않으면: {forgot}\n\n\
                     직접 요청하지 않으셨다면 이 메일을 무시하세요. 계정은 그대로입니다.\n\n\
                     Someone (perhaps you) asked to sign up to Moim, or to move an account, with this \
                     address, which already has an account. Sign in: {signin} — forgot the password: \
                     {forgot}. If it was not you, ignore this mail: nothing changed.\n\n{sign}"
                ),
            )
        }
        AccountMail::EmailChange => {
            let expires = verify_until();
            let email = Some(letter.email.as_str());
            let token =
                link_token(db, UserId(user), Link::EmailChange, email, now, expires).await?;
            let link = format!("{}/verify-email#token={token}", mailer.base_url);
            let until = at(expires);
            (
                "[모임] 새 이메일 주소를 확인해 주세요 (confirm your new address)".to_owned(),
                format!(
                    "{name}님, 안녕하세요.\n\n모임 계정의 로그인 주소를 이 주소로 바꾸려면 아래 링크를 여세요. \
                     링크는 {until}(한국 시간)까지, 한 번만 쓸 수 있습니다.\n\n{link}\n\n\
                     요청하지 않으셨다면 이 메일을 무시하세요. 아무것도 바뀌지 않습니다.\n\n\
                     To make this the sign-in address of your Moim account, open the link above. It \
                     works once, until {until} (Korea time). If you did not ask for this, ignore this \
                     mail: nothing changes.\n\n{sign}"
                ),
            )
        }
        AccountMail::EmailChanged => {
            let when = at(letter.created_at);
            (
                "[모임] 로그인 주소가 바뀌었습니다 (your sign-in address changed)".to_owned(),
                format!(
                    "{name}님, 안녕하세요.\n\n모임 계정의 로그인 주소가 {when}(한국 시간)에 새 주소로 바뀌어, \
                     이 주소로는 더 이상 로그인할 수 없습니다. 직접 바꾸지 않으셨다면 운영자에게 알려 주세요.\n\n\
                     The sign-in address of your Moim account was changed to a new one at {when} (Korea \
                     time); this address no longer signs in. If this was not you, tell the portal's \
                     administrators.\n\n{sign}"
                ),
            )
        }
        AccountMail::PasskeyAdded => {
            let when = at(letter.created_at);
            let security = format!("{}/me/security", mailer.base_url);
            (
                "[모임] 패스키가 등록되었습니다 (a passkey was added)".to_owned(),
                format!(
                    "{name}님, 안녕하세요.\n\n모임 계정에 {when}(한국 시간) 새 패스키가 등록되었습니다. 이 패스키로 \
                     비밀번호 없이 로그인할 수 있고, 비밀번호로 로그인할 때의 2단계 인증도 됩니다. 직접 하지 \
                     않으셨다면 보안 설정에서 그 패스키를 지우고 비밀번호를 바꾼 뒤 운영자에게 알려 주세요: \
                     {security}\n\n\
                     A passkey was added to your Moim account at {when} (Korea time): it signs in without \
                     the password, and takes the second step of a password sign-in. If this was not you, \
                     remove it on the security page, change your password and tell the portal's \
                     administrators: {security}\n\n{sign}"
                ),
            )
        }
        AccountMail::PasskeyRemoved => {
            let when = at(letter.created_at);
            let security = format!("{}/me/security", mailer.base_url);
            (
                "[모임] 패스키가 삭제되었습니다 (a passkey was removed)".to_owned(),
                format!(
                    "{name}님, 안녕하세요.\n\n모임 계정에서 {when}(한국 시간) 패스키 하나가 삭제되었습니다. \
                     직접 하지 않으셨다면 지금 비밀번호를 바꾸고 보안 설정을 확인하세요: {security}\n\n\
                     A passkey was removed from your Moim account at {when} (Korea time). If this was not \
                     you, change your password now and check the security page: {security}\n\n{sign}"
                ),
            )
        }
        AccountMail::SecondFactorOn => {
            let when = at(letter.created_at);
            let security = format!("{}/me/security", mailer.base_url);
            (
                "[모임] 2단계 인증이 켜졌습니다 (two-step sign-in is on)".to_owned(),
                format!(
                    "{name}님, 안녕하세요.\n\n모임 계정에 {when}(한국 시간) 인증 앱이 등록되어, 이제 로그인할 때 \
                     비밀번호와 함께 앱의 6자리 코드(또는 복구 코드)를 입력합니다. 직접 하지 않으셨다면 \
                     비밀번호를 바꾸고 운영자에게 알려 주세요: {security}\n\n\
                     An authenticator app was added to your Moim account at {when} (Korea time): signing \
                     in now takes the password and a code from the app (or a recovery code). If this was \
                     not you, change your password and tell the portal's administrators: {security}\n\n{sign}"
                ),
            )
        }
        AccountMail::SecondFactorOff => {
            let when = at(letter.created_at);
            let security = format!("{}/me/security", mailer.base_url);
            (
                "[모임] 2단계 인증 수단이 삭제되었습니다 (a second factor was removed)".to_owned(),
                format!(
                    "{name}님, 안녕하세요.\n\n{when}(한국 시간)에 모임 계정의 인증 앱이 삭제되었습니다(관리자의 \
                     초기화였다면 패스키와 복구 코드도 모두). 남은 패스키가 없으면 이제 비밀번호만으로 로그인합니다. \
                     직접 하지 않으셨다면 지금 비밀번호를 바꾸고 2단계 인증을 다시 설정하세요: {security}\n\n\
                     The authenticator app of your Moim account was removed at {when} (Korea time); an \
                     admin's reset removes the passkeys and recovery codes too. Without a passkey left, \
                     the password alone signs in now. If this was not you, change your password and set up \
                     two-step sign-in again: {security}\n\n{sign}"
                ),
            )
        }
        AccountMail::Reset => {
            let expires = letter
                .expires_at
                .unwrap_or(now + Duration::minutes(moim_core::account::RESET_LINK_MINUTES));
            let invited = db::users::find(db, UserId(user))
                .await?
                .password_hash
                .starts_with('!');
            let token = link_token(db, UserId(user), Link::Reset, None, now, expires).await?;
            let link = format!("{}/reset-password#token={token}", mailer.base_url);
            let until = at(expires);
            if invited {
                // An account made by an admin's import, whose person has never
                // set a password: this is their welcome.
                return Ok(Ok((
                    "[모임] 산업단지 혁신클러스터 포털 모임에 초대합니다 (you are invited to Moim)"
                        .to_owned(),
                    format!(
                        "{name}님, 안녕하세요.\n\n산업단지 혁신클러스터 사업의 회원 명부에 따라 모임 계정을 \
                         만들어 두었습니다. 아래 링크에서 비밀번호를 정하면 소속 기관과 참여 협의체가 \
                         이미 연결된 상태로 시작합니다. 링크는 {until}(한국 시간)까지, 한 번만 쓸 수 \
                         있습니다.\n\n{link}\n\n모임은 미니클러스터·산학연협의체 회원이 애로과제를 올리고 \
                         전문가를 찾고, 아이디어를 나누고, 교류 활동에 참여하는 곳입니다. 원하지 않으시면 \
                         이 메일을 무시하세요.\n\n\
                         An account on Moim, the portal of Korea's industrial-complex innovation clusters, \
                         was made for you from the programme's register of members: your organisation and \
                         its consortia are already linked. Open the link above to set your password; it \
                         works once, until {until} (Korea time). If you do not want it, ignore this \
                         mail.\n\n{sign}"
                    ),
                )));
            }
            (
                "[모임] 비밀번호 재설정 (reset your password)".to_owned(),
                format!(
                    "{name}님, 안녕하세요.\n\n모임 계정의 새 비밀번호를 정하려면 아래 링크를 여세요. \
                     링크는 {until}(한국 시간)까지, 한 번만 쓸 수 있습니다.\n\n{link}\n\n\
                     비밀번호 재설정을 요청하지 않으셨다면 이 메일을 무시하세요. 비밀번호는 그대로입니다.\n\n\
                     To set a new password for your Moim account, open the link above. It works once, \
                     until {until} (Korea time). If you did not ask for this, ignore this mail: your \
                     password stays as it is.\n\n— 모임 Moim, 산업단지 혁신클러스터 포털\n"
                ),
            )
        }
        AccountMail::PasswordChanged => {
            let when = at(letter.created_at);
            let forgot = format!("{}/forgot-password", mailer.base_url);
            (
                "[모임] 비밀번호가 바뀌었습니다 (your password was changed)".to_owned(),
                format!(
                    "{name}님, 안녕하세요.\n\n모임 계정의 비밀번호가 {when}(한국 시간)에 바뀌었고, \
                     다른 모든 기기에서 로그아웃되었습니다. 직접 바꾸지 않으셨다면 지금 비밀번호를 \
                     다시 설정하세요: {forgot}\n\n\
                     The password of your Moim account was changed at {when} (Korea time) and every \
                     other browser was signed out. If this was not you, set a new one now: {forgot}\n\n\
                     — 모임 Moim, 산업단지 혁신클러스터 포털\n"
                ),
            )
        }
    };
    Ok(Ok((subject, body)))
}

/// A link's token for `user`: made at sending, and only its hash is kept (the
/// raw token exists in the mail alone).
async fn link_token(
    db: &Db,
    user: UserId,
    link: Link,
    email: Option<&str>,
    now: DateTime<Utc>,
    expires: DateTime<Utc>,
) -> Result<String, DbError> {
    let token = crate::auth::random_token();
    let hash = crate::auth::token_hash(&token);
    db::recovery::issue(db, &hash, user, link, email, now, expires).await?;
    Ok(token)
}

/// One mail: a single notification, or a person's digest of several.
pub fn compose(
    mailer: &Mailer,
    letters: &[Letter],
    id: i64,
    digest: bool,
) -> Result<Message, String> {
    let first = letters.first().ok_or("nothing to send")?;
    let name = flat(&first.name);
    let settings = format!("{}/notifications#settings", mailer.base_url);
    let (subject, body) = if !digest {
        let (title, about, link) = lines(mailer, first);
        let body = format!(
            "{}님, 안녕하세요.\n\n{title}\n{about}\n\n바로 가기: {link}\n\n— 모임 Moim, 산업단지 혁신클러스터 포털\n알림 받는 방법 바꾸기 (change how you are notified): {settings}\n",
            name
        );
        (format!("[모임] {title}"), body)
    } else {
        let mut body = format!(
            "{}님, 오늘의 모임 소식 {}건입니다. (Your daily Moim digest)\n\n",
            name,
            letters.len()
        );
        for l in letters {
            let (title, about, link) = lines(mailer, l);
            let at = l.created_at.with_timezone(&KST).format("%m-%d %H:%M");
            body.push_str(&format!("• {at} {title}\n  {about}\n  {link}\n\n"));
        }
        body.push_str(&format!("알림 받는 방법 바꾸기: {settings}\n"));
        (
            format!("[모임] 오늘의 소식 {}건 (daily digest)", letters.len()),
            body,
        )
    };
    message(mailer, &name, &first.email, subject, body, id)
}

/// A plain-text mail to `name <email>` with a Message-ID made from outbox row `id`.
fn message(
    mailer: &Mailer,
    name: &str,
    email: &str,
    subject: String,
    body: String,
    id: i64,
) -> Result<Message, String> {
    let to: Mailbox = format!("{} <{email}>", name.replace(['<', '>', '"'], ""))
        .parse()
        .or_else(|_| email.parse())
        .map_err(|e| format!("address {email}: {e}"))?;
    Message::builder()
        .message_id(Some(format!("<outbox-{id}@{}>", host(&mailer.base_url))))
        .from(mailer.from.clone())
        .to(to)
        .subject(subject)
        .singlepart(if matches!(mailer.transport, Transport::Files(_)) {
            // Files are for people to read in any editor: the text as it is (lettre
            // would pick base64 for Korean, and 8bit is only refused for transport).
            SinglePart::builder()
                .header(ContentType::TEXT_PLAIN)
                .body(Body::dangerous_pre_encoded(
                    body.replace('\n', "\r\n").into_bytes(),
                    ContentTransferEncoding::EightBit,
                ))
        } else {
            SinglePart::builder()
                .header(ContentType::TEXT_PLAIN)
                .body(body)
        })
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_others_wrote_stays_on_its_line() {
        assert_eq!(
            flat("김민수\r\nBcc: x@evil.example"),
            "김민수 Bcc: x@evil.example"
        );
        assert_eq!(
            flat("취소\n\n바로 가기: https://evil.example\r"),
            "취소 바로 가기: https://evil.example"
        );
        assert_eq!(flat("\t앞뒤\u{0}"), "앞뒤");
        assert_eq!(flat("제목\u{2028}바로 가기"), "제목 바로 가기");
    }

    #[test]
    fn backoff_doubles_and_stops_growing() {
        let now = Utc::now();
        assert_eq!(backoff(now, 1) - now, Duration::minutes(1));
        assert_eq!(backoff(now, 3) - now, Duration::minutes(4));
        assert_eq!(backoff(now, 20) - now, Duration::minutes(120));
    }
}
