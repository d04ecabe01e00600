-- Getting back in: single-use links (stored as the SHA-256 of their token), the
-- mails that carry them, and sessions a person can see and end one by one.

CREATE TABLE account_tokens (
    token_hash TEXT PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose    TEXT NOT NULL CHECK (purpose IN ('reset')),
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    used_at    TIMESTAMPTZ
);
CREATE INDEX account_tokens_user ON account_tokens (user_id, purpose);

-- The outbox also carries account mail (`purpose`): a reset link, a notice that
-- the password changed. A reset asked for an address without an account is a row
-- without a user, handled like the others and dropped by the worker, so the
-- request does the same work (and takes the same time) either way.
ALTER TABLE mail_outbox ALTER COLUMN user_id DROP NOT NULL;
ALTER TABLE mail_outbox DROP CONSTRAINT mail_outbox_status_check;
ALTER TABLE mail_outbox ADD CONSTRAINT mail_outbox_status_check CHECK (status IN ('pending', 'sent', 'failed', 'dropped'));
ALTER TABLE mail_outbox ADD COLUMN purpose TEXT CHECK (purpose IN ('reset', 'password_changed'));
ALTER TABLE mail_outbox ADD COLUMN expires_at TIMESTAMPTZ;

ALTER TABLE sessions ADD COLUMN public_id TEXT;
ALTER TABLE sessions ADD COLUMN user_agent TEXT;
ALTER TABLE sessions ADD COLUMN address TEXT;
UPDATE sessions SET public_id = md5(token_hash || random()::text);
CREATE UNIQUE INDEX sessions_public_id ON sessions (public_id);
