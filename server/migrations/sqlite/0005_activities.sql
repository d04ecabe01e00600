-- Networking activities, notification preferences, the mail outbox and calendar
-- feeds (SQLite). Keep in step with ../postgres/0005_activities.sql.
CREATE TABLE activities (
    id           INTEGER PRIMARY KEY,
    kind         TEXT NOT NULL CHECK (kind IN ('seminar', 'forum', 'company_visit', 'guest_lecture', 'other')),
    title        TEXT NOT NULL,
    description  TEXT NOT NULL,
    starts_at    TEXT NOT NULL,
    ends_at      TEXT NOT NULL,
    place        TEXT NOT NULL,
    online_url   TEXT,
    capacity     INTEGER,
    deadline     TEXT NOT NULL,
    waitlist     BOOLEAN NOT NULL,
    -- Kept in the transaction of every registration change, so lists and the
    -- cockpit never count registrations row by row.
    registered   INTEGER NOT NULL DEFAULT 0,
    waitlisted   INTEGER NOT NULL DEFAULT 0,
    attended     INTEGER NOT NULL DEFAULT 0,
    created_by   INTEGER NOT NULL REFERENCES users (id),
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    cancelled_at TEXT,
    code         TEXT,
    code_expires TEXT,
    minutes      TEXT,
    minutes_at   TEXT,
    reminded_at  TEXT,
    is_sample    BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX activities_starts ON activities (starts_at, id);
-- Covers the cockpit's sums over a period, so they never read the rows.
CREATE INDEX activities_kpi ON activities (starts_at, cancelled_at, registered, attended);
CREATE INDEX activities_remind ON activities (reminded_at, starts_at);

CREATE TABLE activity_consortia (
    activity_id   INTEGER NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    consortium_id INTEGER NOT NULL REFERENCES consortia (id),
    PRIMARY KEY (activity_id, consortium_id)
) WITHOUT ROWID;
CREATE INDEX activity_consortia_consortium ON activity_consortia (consortium_id, activity_id);

CREATE TABLE activity_registrations (
    activity_id INTEGER NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    user_id     INTEGER NOT NULL REFERENCES users (id),
    status      TEXT NOT NULL CHECK (status IN ('registered', 'waitlisted', 'cancelled')),
    -- The waiting list's order: when the person (last) joined it.
    queued_at   TEXT NOT NULL,
    seq         INTEGER NOT NULL,
    attended_at TEXT,
    by_hand     BOOLEAN NOT NULL DEFAULT FALSE,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (activity_id, user_id)
);
CREATE INDEX activity_registrations_queue ON activity_registrations (activity_id, status, seq);
CREATE INDEX activity_registrations_user ON activity_registrations (user_id, status);

CREATE TABLE activity_photos (
    id           INTEGER PRIMARY KEY,
    activity_id  INTEGER NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL,
    storage_key  TEXT NOT NULL,
    created_at   TEXT NOT NULL
);
CREATE INDEX activity_photos_activity ON activity_photos (activity_id, id);

ALTER TABLE notifications ADD COLUMN activity_id INTEGER REFERENCES activities (id);

CREATE TABLE notification_prefs (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind    TEXT NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('app', 'email', 'digest', 'off')),
    PRIMARY KEY (user_id, kind)
) WITHOUT ROWID;

-- Email waiting to go out, written in the transaction of the event it tells of.
-- A worker claims rows with a lease (locked_until), sends, and marks them sent.
CREATE TABLE mail_outbox (
    id              INTEGER PRIMARY KEY,
    user_id         INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    notification_id INTEGER REFERENCES notifications (id) ON DELETE SET NULL,
    digest          BOOLEAN NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    due_at          TEXT NOT NULL,
    locked_until    TEXT,
    last_error      TEXT,
    created_at      TEXT NOT NULL,
    sent_at         TEXT
);
CREATE INDEX mail_outbox_due ON mail_outbox (status, due_at);
CREATE INDEX mail_outbox_user ON mail_outbox (user_id, status);

CREATE TABLE calendar_feeds (
    user_id    INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);

-- The cockpit counts cohorts by date.
CREATE INDEX problems_posted ON problems (posted_at);
CREATE INDEX collaborations_created ON collaborations (created_at);
CREATE INDEX ideas_created ON ideas (created_at);
CREATE INDEX proposals_problem ON proposals (problem_id, created_at);
