//! Handler tests through `app(state).oneshot(...)`. Every scenario runs twice: on a
//! fresh SQLite file and on a fresh PostgreSQL schema.

// Test helpers fail loudly on purpose: a panic is the test failing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

mod accounts;
mod activities;
mod backup;
mod calls;
mod cockpit;
mod consent;
mod consortia;
mod errors;
mod faults;
mod figures;
mod founding;
mod grants;
mod guests;
mod handover;
mod headlines;
mod ideas;
mod import;
mod leaving;
mod ledger;
mod mail;
mod matchmaking;
mod observe;
mod outages;
mod pages;
mod partners;
mod passkeys;
mod privacy;
mod problems;
mod recovery;
mod registry;
mod requests;
mod second_factor;
mod selection;
mod storage;
mod surveys;
mod verification;

#[test]
fn migration_versions_match_between_backends() {
    let (sqlite, postgres) = moim_server::db::migration_versions();
    assert!(!sqlite.is_empty());
    assert_eq!(
        sqlite, postgres,
        "every migration needs its twin in the other backend"
    );
}
