//! The work a server does beside answering requests, each job a loop that runs
//! until the server stops: activity reminders and the mail outbox every few
//! seconds (with the matchmaking follow-up rounds and the calls' phase notices); records past their retention and stored files no row names, hourly.
//! It sits above `db`, `mail` and `files` and is the only module that calls
//! them on a clock.

use crate::{
    Db, db,
    files::Storage,
    mail::{self, Mailer},
};
use chrono::Utc;
use std::{sync::Arc, time::Duration};

/// Runs until `stop` turns true: reminders, then due mail, every `every`. Each
/// round is a task of its own, so a failure in one (even a panic) never stops
/// the next.
pub async fn mail_rounds(
    db: Db,
    mailer: Arc<Mailer>,
    every: std::time::Duration,
    mut stop: tokio::sync::watch::Receiver<bool>,
) {
    while !*stop.borrow() {
        let (d, m) = (db.clone(), mailer.clone());
        let round = tokio::spawn(async move {
            let now = Utc::now();
            if let Err(e) = db::activities::send_reminders(&d, now).await {
                tracing::warn!("activity reminders failed: {e}");
            }
            if let Err(e) = db::surveys::send_reminders(&d, now).await {
                tracing::warn!("survey reminders failed: {e}");
            }
            if let Err(e) = db::matchmaking::follow_ups(&d, now).await {
                tracing::warn!("matchmaking follow-ups failed: {e}");
            }
            if let Err(e) = db::calls::tell_phases(&d, now).await {
                tracing::warn!("telling calls' phases failed: {e}");
            }
            match mail::tick(&d, &m, now).await {
                Ok(0) => {}
                Ok(n) => tracing::info!("mail: {n} sent"),
                Err(e) => tracing::warn!("mail worker: {e}"),
            }
        });
        if let Err(e) = round.await {
            tracing::error!("mail worker round failed: {e}");
        }
        // Stopping waits for the round (what it claimed is sent or marked
        // failed, so no lease is left), not for the next one.
        tokio::select! {
            () = tokio::time::sleep(every) => {}
            _ = stop.wait_for(|s| *s) => {}
        }
    }
    tracing::info!("mail worker stopped");
}

/// Runs forever, once an hour: records past the retention the privacy policy
/// states are purged, then stored files no row names (older than
/// `files::SWEEP_GRACE`) are removed.
pub async fn hourly(db: Db, files: Storage, retention: db::leaving::Retention) {
    loop {
        let now = Utc::now();
        match db::leaving::purge(&db, now, retention).await {
            Ok(purged) => tracing::debug!("purged {purged:?}"),
            Err(e) => tracing::warn!("purging records past their retention failed: {e}"),
        }
        match db::guests::purge(&db, now).await {
            Ok(0) => {}
            Ok(n) => tracing::info!("forgot {n} activity guests past their keeping time"),
            Err(e) => tracing::warn!("forgetting activity guests failed: {e}"),
        }
        let before = now - crate::files::SWEEP_GRACE;
        match crate::files::sweep(&db, &files, before).await {
            Ok(0) => {}
            Ok(n) => tracing::info!("removed {n} stored files no row names"),
            Err(e) => tracing::warn!("sweeping stored files failed: {e}"),
        }
        tokio::time::sleep(Duration::from_secs(3600)).await;
    }
}
