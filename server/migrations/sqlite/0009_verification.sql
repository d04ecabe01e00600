-- Addresses that belong to the person. A new account verifies its address by a
-- link mailed to it (until then the person reads but does not act); moving to a
-- new address verifies that one the same way. Accounts made before this were
-- made by people the programme knows: they count as verified.
ALTER TABLE users ADD COLUMN email_verified_at TEXT;
UPDATE users SET email_verified_at = created_at;

-- Links now also verify an address ('verify') or a new one ('email_change',
-- whose address is `email`).
CREATE TABLE account_tokens_new (
    token_hash TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose    TEXT NOT NULL CHECK (purpose IN ('reset', 'verify', 'email_change')),
    email      TEXT,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at    TEXT
);
INSERT INTO account_tokens_new (token_hash, user_id, purpose, created_at, expires_at, used_at)
    SELECT token_hash, user_id, purpose, created_at, expires_at, used_at FROM account_tokens;
DROP TABLE account_tokens;
ALTER TABLE account_tokens_new RENAME TO account_tokens;
CREATE INDEX account_tokens_user ON account_tokens (user_id, purpose);

-- Account mail besides a reset link and a password notice: the verification
-- link, "you already have an account" (a sign-up with a taken address gets the
-- same answer as a new one, and the address's owner this mail), the link that
-- verifies a new address, and the notice to the old one. `address`: where the
-- mail goes when that is not the account's address (the new one, before it is).
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
    purpose         TEXT CHECK (purpose IN ('reset', 'password_changed', 'verify', 'already_registered', 'email_change', 'email_changed')),
    expires_at      TEXT,
    address         TEXT
);
INSERT INTO mail_outbox_new (id, user_id, notification_id, digest, status, attempts, due_at, locked_until, last_error, created_at, sent_at, purpose, expires_at)
    SELECT id, user_id, notification_id, digest, status, attempts, due_at, locked_until, last_error, created_at, sent_at, purpose, expires_at FROM mail_outbox;
DROP TABLE mail_outbox;
ALTER TABLE mail_outbox_new RENAME TO mail_outbox;
CREATE INDEX mail_outbox_due ON mail_outbox (status, due_at);
CREATE INDEX mail_outbox_user ON mail_outbox (user_id, status);
