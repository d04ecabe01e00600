-- Browsers that signed in to an account before, by the hash of their device cookie.
-- The sign-in throttle gives each its own budget, so failures from elsewhere never
-- lock a person out of the browsers they already use (OWASP's "device cookies").
CREATE TABLE known_devices (
    token_hash   TEXT PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   TIMESTAMPTZ NOT NULL,
    last_seen_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX known_devices_user ON known_devices (user_id);
