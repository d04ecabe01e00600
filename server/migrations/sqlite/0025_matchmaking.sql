-- Export matchmaking (수출상담회). An activity of kind 'matchmaking' has a setup
-- (JSON: meeting sessions, slot length, tables, booking phase, the cap on
-- meetings per person, interpreters). People with a place take part with a
-- marketplace profile; a request between two of them is answered by the one
-- asked, and the schedule (or the organiser, by hand: `pinned`) puts it in a
-- slot (by its place in the event's slot list) at a table (from 1). One request
-- per pair, either way round (`low_id`, `high_id`); a table holds one meeting
-- a slot. Everything is written with the activity's row held.
-- SQLite changes a CHECK rule in place by rewriting the table's definition
-- (its documented way for changes that leave stored rows valid): writing the
-- table anew is not possible here, as migrations run in a transaction where
-- foreign keys stay on and dropping the old table would delete the rows that
-- refer to it. RESET reloads this connection's schema; the tables created
-- below change the schema's version, so every other connection reloads too.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
    SET sql = replace(sql, '''guest_lecture'', ''other'')', '''guest_lecture'', ''other'', ''matchmaking'')')
    WHERE type = 'table' AND name = 'activities';
PRAGMA writable_schema = RESET;
ALTER TABLE activities ADD COLUMN matchmaking TEXT;

CREATE TABLE match_participants (
    id          INTEGER PRIMARY KEY,
    activity_id INTEGER NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    user_id     INTEGER REFERENCES users (id) ON DELETE CASCADE,
    role        TEXT NOT NULL CHECK (role IN ('buyer', 'seller', 'partner')),
    offer       TEXT NOT NULL,
    seek        TEXT NOT NULL,
    country     TEXT NOT NULL,
    languages   TEXT NOT NULL,
    interpreter BOOLEAN NOT NULL,
    unavailable TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE UNIQUE INDEX match_participants_user ON match_participants (activity_id, user_id);

CREATE TABLE match_requests (
    id          INTEGER PRIMARY KEY,
    activity_id INTEGER NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    from_id     INTEGER NOT NULL REFERENCES match_participants (id) ON DELETE CASCADE,
    to_id       INTEGER NOT NULL REFERENCES match_participants (id) ON DELETE CASCADE,
    low_id      INTEGER NOT NULL,
    high_id     INTEGER NOT NULL,
    message     TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('pending', 'accepted', 'declined')),
    slot        INTEGER,
    table_no    INTEGER,
    interpreter TEXT,
    pinned      BOOLEAN NOT NULL DEFAULT FALSE,
    created_at  TEXT NOT NULL,
    answered_at TEXT,
    CHECK (from_id <> to_id)
);
CREATE UNIQUE INDEX match_requests_pair ON match_requests (activity_id, low_id, high_id);
CREATE UNIQUE INDEX match_requests_table ON match_requests (activity_id, slot, table_no);
CREATE INDEX match_requests_to ON match_requests (to_id);
CREATE INDEX match_requests_from ON match_requests (from_id);
