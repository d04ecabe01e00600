-- A second factor. An authenticator app (TOTP, RFC 6238): its secret, whether
-- it is set up (`confirmed_at`; a row without it is being set up), and the last
-- time step a code was accepted for (a code is good once: replays are refused).
CREATE TABLE totp_factors (
    user_id      INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    secret       TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    confirmed_at TEXT,
    last_step    INTEGER NOT NULL DEFAULT 0
);

-- Ten single-use recovery codes, by their SHA-256 (80 random bits each).
CREATE TABLE recovery_codes (
    code_hash  TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    used_at    TEXT
);
CREATE INDEX recovery_codes_user ON recovery_codes (user_id);

-- A sign-in between its two steps: the password was right, the code is to come.
CREATE TABLE signin_tickets (
    token_hash TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX signin_tickets_user ON signin_tickets (user_id);

-- Account mail: a second factor was turned on, or off.
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
    purpose         TEXT CHECK (purpose IN ('reset', 'password_changed', 'verify', 'already_registered', 'email_change', 'email_changed', 'second_factor_on', 'second_factor_off')),
    expires_at      TEXT,
    address         TEXT
);
INSERT INTO mail_outbox_new (id, user_id, notification_id, digest, status, attempts, due_at, locked_until, last_error, created_at, sent_at, purpose, expires_at, address)
    SELECT id, user_id, notification_id, digest, status, attempts, due_at, locked_until, last_error, created_at, sent_at, purpose, expires_at, address FROM mail_outbox;
DROP TABLE mail_outbox;
ALTER TABLE mail_outbox_new RENAME TO mail_outbox;
CREATE INDEX mail_outbox_due ON mail_outbox (status, due_at);
CREATE INDEX mail_outbox_user ON mail_outbox (user_id, status);
