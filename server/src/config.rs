//! Run-time configuration, from flags or environment variables.

use std::{path::PathBuf, time::Duration};

/// How the server behaves; the database comes separately.
#[derive(Debug, Clone)]
pub struct Config {
    /// A session ends after this long without a request.
    pub session_idle: Duration,
    /// A session ends this long after sign-in, whatever happens.
    pub session_absolute: Duration,
    /// Mark the session cookie `Secure` (set when served over TLS).
    pub cookie_secure: bool,
    /// Believe `X-Forwarded-For`/`X-Forwarded-Proto` (behind a load balancer).
    pub trust_proxy: bool,
    /// Proxies in front that append to `X-Forwarded-For` (at least 1 when
    /// trusted): the client's address is that many entries from the right,
    /// since whatever lies to the left of them the client wrote itself.
    pub proxy_hops: usize,
    /// Failed sign-ins allowed per account within `throttle_window`.
    pub throttle_per_account: i64,
    /// Failed sign-ins allowed per client address within `throttle_window`.
    pub throttle_per_address: i64,
    /// The sliding window of the sign-in throttle.
    pub throttle_window: Duration,
    /// Where mail files (without SMTP) are written; uploaded files are kept by
    /// [`crate::files::Storage`], by default in `attachments/` below it.
    pub data_dir: PathBuf,
    /// The portal's public address (`https://moim.example`), for links in email,
    /// calendar files and check-in QR codes; without it, the request's `Host`.
    pub public_url: Option<String>,
    /// Agency admins and CMs use their powers only once their account has a
    /// second factor (on unless a deployment turns it off).
    pub staff_second_factor: bool,
    /// The bearer token `/metrics` asks for; without one there is no `/metrics`.
    pub metrics_token: Option<String>,
    /// A built app to serve instead of the one built into the binary (a directory
    /// written by `.ci/build-app`).
    pub site_dir: Option<PathBuf>,
}

impl Config {
    /// How long records are kept: what the privacy policy's table states
    /// (failed sign-ins for the throttle's window; a signed-in browser until
    /// idle or at most `session_absolute`; a browser remembered for a year; a
    /// spent link one day; a sent mail's address 30 days).
    pub fn retention(&self) -> crate::db::leaving::Retention {
        let d = |d: Duration| chrono::Duration::from_std(d).unwrap_or_default();
        crate::db::leaving::Retention {
            attempts: d(self.throttle_window),
            idle_session: d(self.session_idle),
            known_device: d(Duration::from_secs(crate::auth::DEVICE_MAX_AGE_SECS)),
            spent_links: chrono::Duration::days(1),
            mail_address: chrono::Duration::days(30),
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            session_idle: Duration::from_secs(12 * 3600),
            session_absolute: Duration::from_secs(14 * 24 * 3600),
            cookie_secure: false,
            trust_proxy: false,
            proxy_hops: 1,
            throttle_per_account: 5,
            throttle_per_address: 30,
            throttle_window: Duration::from_secs(15 * 60),
            data_dir: PathBuf::from("data"),
            public_url: None,
            staff_second_factor: true,
            metrics_token: None,
            site_dir: None,
        }
    }
}
