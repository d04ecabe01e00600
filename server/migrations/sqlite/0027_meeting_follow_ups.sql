-- Export matchmaking, follow-up rounds: after the event and months later each
-- participant is asked what came of their meetings. One row per participant
-- and round, written when the round opens (`asked` = how many of their
-- meetings it asks about; 0 = nothing to ask), then each reminder (at most a
-- few, a week apart) until they have answered (`answered_at`). Rows are
-- claimed by writing them, so two instances never send the same ask twice.
CREATE TABLE match_follow_ups (
    participant_id INTEGER NOT NULL REFERENCES match_participants (id) ON DELETE CASCADE,
    round          TEXT NOT NULL CHECK (round IN ('after_event', 'later')),
    asked          INTEGER NOT NULL,
    asked_at       TEXT NOT NULL,
    reminded_at    TEXT NOT NULL,
    reminders      INTEGER NOT NULL DEFAULT 0,
    answered_at    TEXT,
    PRIMARY KEY (participant_id, round)
);

-- The cockpit and the follow-up rounds find the 수출상담회 of a period without
-- reading every activity of it.
CREATE INDEX activities_kind ON activities (kind, starts_at);
