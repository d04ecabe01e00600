-- Guests without an account take part in an event's one-to-one meetings:
-- a participant is a member (user_id) or a guest (guest_id), never both.
ALTER TABLE match_participants ADD COLUMN guest_id BIGINT REFERENCES activity_guests (id) ON DELETE CASCADE;
CREATE UNIQUE INDEX match_participants_guest ON match_participants (activity_id, guest_id);
-- The technology fields of a profile (reference ids, JSON), to filter by.
ALTER TABLE match_participants ADD COLUMN fields TEXT NOT NULL DEFAULT '[]';

-- Mail to a guest about a meeting: asked for one, or their request answered
-- (the request it is about; a mail whose request was taken back is not sent,
-- and a sent one keeps its row and id); and what came of
-- their meetings (the follow-up round, while their details are kept).
ALTER TABLE mail_outbox DROP CONSTRAINT mail_outbox_purpose_check;
ALTER TABLE mail_outbox ADD CONSTRAINT mail_outbox_purpose_check
    CHECK (purpose IN ('reset', 'password_changed', 'verify', 'already_registered', 'email_change', 'email_changed', 'second_factor_on', 'second_factor_off', 'passkey_added', 'passkey_removed', 'guest_confirm', 'guest_promoted', 'guest_reminder', 'guest_cancelled', 'guest_meeting_requested', 'guest_meeting_accepted', 'guest_meeting_declined', 'guest_follow_up'));
ALTER TABLE mail_outbox ADD COLUMN request_id BIGINT REFERENCES match_requests (id) ON DELETE SET NULL;
CREATE INDEX mail_outbox_request ON mail_outbox (request_id);
