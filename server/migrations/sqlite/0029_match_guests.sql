-- Guests without an account take part in an event's one-to-one meetings:
-- a participant is a member (user_id) or a guest (guest_id), never both.
ALTER TABLE match_participants ADD COLUMN guest_id INTEGER REFERENCES activity_guests (id) ON DELETE CASCADE;
CREATE UNIQUE INDEX match_participants_guest ON match_participants (activity_id, guest_id);
-- The technology fields of a profile (reference ids, JSON), to filter by.
ALTER TABLE match_participants ADD COLUMN fields TEXT NOT NULL DEFAULT '[]';

-- Mail to a guest about a meeting: asked for one, or their request answered
-- (the request it is about; a mail whose request was taken back is not sent,
-- and a sent one keeps its row and id); and what came of
-- their meetings (the follow-up round, while their details are kept).
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
    purpose         TEXT CHECK (purpose IN ('reset', 'password_changed', 'verify', 'already_registered', 'email_change', 'email_changed', 'second_factor_on', 'second_factor_off', 'passkey_added', 'passkey_removed', 'guest_confirm', 'guest_promoted', 'guest_reminder', 'guest_cancelled', 'guest_meeting_requested', 'guest_meeting_accepted', 'guest_meeting_declined', 'guest_follow_up')),
    expires_at      TEXT,
    address         TEXT,
    guest_id        INTEGER REFERENCES activity_guests (id) ON DELETE CASCADE,
    request_id      INTEGER REFERENCES match_requests (id) ON DELETE SET NULL
);
INSERT INTO mail_outbox_new (id, user_id, notification_id, digest, status, attempts, due_at, locked_until, last_error, created_at, sent_at, purpose, expires_at, address, guest_id)
    SELECT id, user_id, notification_id, digest, status, attempts, due_at, locked_until, last_error, created_at, sent_at, purpose, expires_at, address, guest_id FROM mail_outbox;
DROP TABLE mail_outbox;
ALTER TABLE mail_outbox_new RENAME TO mail_outbox;
CREATE INDEX mail_outbox_due ON mail_outbox (status, due_at);
CREATE INDEX mail_outbox_user ON mail_outbox (user_id, status);
CREATE INDEX mail_outbox_guest ON mail_outbox (guest_id);
CREATE INDEX mail_outbox_request ON mail_outbox (request_id);
