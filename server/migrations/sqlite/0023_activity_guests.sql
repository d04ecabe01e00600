-- Guests without an account at activities open to anyone (`activities.guests`,
-- with audience 'signed_in'). A guest's registration holds nothing until the
-- mailed link is opened ('pending'); then it takes a place or waits in the one
-- line with the members (`seq` is drawn from the same count). Their name,
-- organisation, address and phone are kept until some days after the event
-- ends, then blanked: the status, category and attendance stay for the
-- counts. Links are stored as the SHA-256 of their token, one per mail sent.
ALTER TABLE activities ADD COLUMN guests BOOLEAN NOT NULL DEFAULT FALSE;

CREATE TABLE activity_guests (
    id          INTEGER PRIMARY KEY,
    activity_id INTEGER NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    org_name    TEXT NOT NULL,
    email       TEXT,
    phone       TEXT,
    category    TEXT,
    status      TEXT NOT NULL CHECK (status IN ('pending', 'registered', 'waitlisted', 'cancelled')),
    queued_at   TEXT NOT NULL,
    seq         INTEGER NOT NULL,
    attended_at TEXT,
    by_hand     BOOLEAN NOT NULL DEFAULT FALSE,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    purged_at   TEXT
);
CREATE UNIQUE INDEX activity_guests_email ON activity_guests (activity_id, email);
CREATE INDEX activity_guests_queue ON activity_guests (activity_id, status, seq);

CREATE TABLE guest_links (
    token_hash TEXT PRIMARY KEY,
    guest_id   INTEGER NOT NULL REFERENCES activity_guests (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL
);
CREATE INDEX guest_links_guest ON guest_links (guest_id);

-- Mail to a guest: the link to confirm, a place from the waiting list, the
-- reminder the day before, the activity cancelled.
CREATE TABLE mail_outbox_new (
    id              INTEGER PRIMARY KEY,
    user_id         INTEGER REFERENCES users (id) ON DELETE CASCADE,
    notification_id INTEGER REFERENCES notifications (id) ON DELETE SET NULL,
    digest          BOOLEAN NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed', 'dropped')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    due_at          TEXT NOT NULL,
    locked_until    TEXT,
    last_error      TEXT,
    created_at      TEXT NOT NULL,
    sent_at         TEXT,
    purpose         TEXT CHECK (purpose IN ('reset', 'password_changed', 'verify', 'already_registered', 'email_change', 'email_changed', 'second_factor_on', 'second_factor_off', 'passkey_added', 'passkey_removed', 'guest_confirm', 'guest_promoted', 'guest_reminder', 'guest_cancelled')),
    expires_at      TEXT,
    address         TEXT,
    guest_id        INTEGER REFERENCES activity_guests (id) ON DELETE CASCADE
);
INSERT INTO mail_outbox_new (id, user_id, notification_id, digest, status, attempts, due_at, locked_until, last_error, created_at, sent_at, purpose, expires_at, address)
    SELECT id, user_id, notification_id, digest, status, attempts, due_at, locked_until, last_error, created_at, sent_at, purpose, expires_at, address FROM mail_outbox;
DROP TABLE mail_outbox;
ALTER TABLE mail_outbox_new RENAME TO mail_outbox;
CREATE INDEX mail_outbox_due ON mail_outbox (status, due_at);
CREATE INDEX mail_outbox_user ON mail_outbox (user_id, status);
CREATE INDEX mail_outbox_guest ON mail_outbox (guest_id);
