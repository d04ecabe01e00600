-- Passkeys (WebAuthn): a credential on an authenticator (a phone's or a
-- laptop's screen lock, a security key). It is a second factor, and signs in
-- by itself without the password. `passkey` is the credential as webauthn-rs
-- keeps it (its public key and signature counter, JSON); `user_handle` is the
-- random id authenticators hold for the account (one per account).
CREATE TABLE passkeys (
    id            INTEGER PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    credential_id TEXT NOT NULL UNIQUE,
    user_handle   TEXT NOT NULL,
    name          TEXT NOT NULL,
    passkey       TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    last_used_at  TEXT
);
CREATE INDEX passkeys_user ON passkeys (user_id);
CREATE INDEX passkeys_handle ON passkeys (user_handle);

-- A WebAuthn ceremony between its two requests: the challenge the
-- authenticator signs and what the server must check the answer against.
-- Kept here, not in one instance's memory, so that the answer may reach
-- another instance. Registering is a signed-in person's; signing in may name
-- the account (the second step of a password sign-in, with its ticket) or not
-- (a passkey chosen on the device).
CREATE TABLE passkey_ceremonies (
    token_hash  TEXT PRIMARY KEY,
    purpose     TEXT NOT NULL CHECK (purpose IN ('register', 'signin')),
    user_id     INTEGER REFERENCES users (id) ON DELETE CASCADE,
    ticket_hash TEXT,
    state       TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL
);
CREATE INDEX passkey_ceremonies_user ON passkey_ceremonies (user_id);

-- Account mail: a passkey was added, or removed.
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
    purpose         TEXT CHECK (purpose IN ('reset', 'password_changed', 'verify', 'already_registered', 'email_change', 'email_changed', 'second_factor_on', 'second_factor_off', 'passkey_added', 'passkey_removed')),
    expires_at      TEXT,
    address         TEXT
);
INSERT INTO mail_outbox_new (id, user_id, notification_id, digest, status, attempts, due_at, locked_until, last_error, created_at, sent_at, purpose, expires_at, address)
    SELECT id, user_id, notification_id, digest, status, attempts, due_at, locked_until, last_error, created_at, sent_at, purpose, expires_at, address FROM mail_outbox;
DROP TABLE mail_outbox;
ALTER TABLE mail_outbox_new RENAME TO mail_outbox;
CREATE INDEX mail_outbox_due ON mail_outbox (status, due_at);
CREATE INDEX mail_outbox_user ON mail_outbox (user_id, status);
