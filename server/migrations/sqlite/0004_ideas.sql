-- The idea board (SQLite). Keep in step with ../postgres/0004_ideas.sql.
CREATE TABLE ideas (
    id              INTEGER PRIMARY KEY,
    author_id       INTEGER NOT NULL REFERENCES users (id),
    consortium_id   INTEGER REFERENCES consortia (id),
    title           TEXT NOT NULL,
    body            TEXT NOT NULL,
    tags            TEXT NOT NULL,
    stage           TEXT NOT NULL CHECK (stage IN ('new', 'discussion', 'adopted', 'problem', 'archived')),
    problem_id      INTEGER REFERENCES problems (id),
    state           TEXT NOT NULL CHECK (state IN ('live', 'hidden', 'deleted')),
    votes           INTEGER NOT NULL DEFAULT 0,
    comments        INTEGER NOT NULL DEFAULT 0,
    photo_count     INTEGER NOT NULL DEFAULT 0,
    -- moim_core::idea::rising_score(votes, comments, created_at), kept on every change.
    rising          INTEGER NOT NULL,
    idempotency_key TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    edited_at       TEXT,
    UNIQUE (author_id, idempotency_key)
);
-- Keyset feeds: newest is the primary key; rising and most discussed have their own.
CREATE INDEX ideas_rising ON ideas (rising, id);
CREATE INDEX ideas_discussed ON ideas (comments, id);
CREATE INDEX ideas_consortium ON ideas (consortium_id, id);

CREATE TABLE idea_tags (
    tag     TEXT NOT NULL,
    idea_id INTEGER NOT NULL REFERENCES ideas (id) ON DELETE CASCADE,
    PRIMARY KEY (tag, idea_id)
) WITHOUT ROWID;

-- Korean-aware search terms (moim_core::search) of title (3), tags (2) and body (1).
CREATE TABLE idea_terms (
    term    INTEGER NOT NULL,
    idea_id INTEGER NOT NULL REFERENCES ideas (id) ON DELETE CASCADE,
    weight  INTEGER NOT NULL,
    PRIMARY KEY (term, idea_id)
) WITHOUT ROWID;
CREATE INDEX idea_terms_idea ON idea_terms (idea_id);
-- A one-word search reads its best matches in order, without sorting every posting.
CREATE INDEX idea_terms_rank ON idea_terms (term, weight, idea_id);

CREATE TABLE idea_votes (
    idea_id    INTEGER NOT NULL REFERENCES ideas (id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    PRIMARY KEY (idea_id, user_id)
) WITHOUT ROWID;
CREATE INDEX idea_votes_user ON idea_votes (user_id, idea_id);

CREATE TABLE idea_follows (
    idea_id INTEGER NOT NULL REFERENCES ideas (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id),
    PRIMARY KEY (idea_id, user_id)
) WITHOUT ROWID;

CREATE TABLE idea_comments (
    id              INTEGER PRIMARY KEY,
    idea_id         INTEGER NOT NULL REFERENCES ideas (id) ON DELETE CASCADE,
    parent_id       INTEGER REFERENCES idea_comments (id),
    author_id       INTEGER NOT NULL REFERENCES users (id),
    body            TEXT NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('live', 'hidden', 'deleted')),
    idempotency_key TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    edited_at       TEXT,
    UNIQUE (author_id, idempotency_key)
);
CREATE INDEX idea_comments_idea ON idea_comments (idea_id, id);

CREATE TABLE idea_photos (
    id           INTEGER PRIMARY KEY,
    idea_id      INTEGER NOT NULL REFERENCES ideas (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL,
    storage_key  TEXT NOT NULL,
    UNIQUE (idea_id, position)
);

CREATE TABLE idea_events (
    id       INTEGER PRIMARY KEY,
    idea_id  INTEGER NOT NULL REFERENCES ideas (id) ON DELETE CASCADE,
    kind     TEXT NOT NULL,
    stage    TEXT,
    note     TEXT,
    actor_id INTEGER REFERENCES users (id),
    at       TEXT NOT NULL
);
CREATE INDEX idea_events_idea ON idea_events (idea_id, id);

CREATE TABLE idea_reports (
    id          INTEGER PRIMARY KEY,
    idea_id     INTEGER NOT NULL REFERENCES ideas (id) ON DELETE CASCADE,
    comment_id  INTEGER REFERENCES idea_comments (id),
    reporter_id INTEGER NOT NULL REFERENCES users (id),
    reason      TEXT NOT NULL,
    note        TEXT,
    created_at  TEXT NOT NULL,
    resolved_at TEXT
);
CREATE INDEX idea_reports_open ON idea_reports (resolved_at, idea_id);
CREATE UNIQUE INDEX idea_reports_once ON idea_reports (idea_id, COALESCE(comment_id, 0), reporter_id) WHERE resolved_at IS NULL;

ALTER TABLE notifications ADD COLUMN idea_id INTEGER REFERENCES ideas (id);
