-- R&D problems, expert matching, proposals, collaborations (SQLite).
-- Keep in step with ../postgres/0002_problems.sql.
CREATE TABLE problems (
    id              INTEGER PRIMARY KEY,
    org_id          INTEGER NOT NULL REFERENCES organisations (id),
    consortium_id   INTEGER NOT NULL REFERENCES consortia (id),
    author_id       INTEGER NOT NULL REFERENCES users (id),
    title           TEXT NOT NULL,
    summary         TEXT NOT NULL,
    details         TEXT NOT NULL,
    keywords        TEXT NOT NULL,
    help            TEXT NOT NULL,
    timeline_months INTEGER,
    budget          TEXT NOT NULL,
    confidentiality TEXT NOT NULL CHECK (confidentiality IN ('members', 'nda', 'private')),
    status          TEXT NOT NULL CHECK (status IN ('draft', 'open', 'matched', 'closed')),
    proposal_count  INTEGER NOT NULL DEFAULT 0,
    is_sample       BOOLEAN NOT NULL DEFAULT FALSE,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    posted_at       TEXT NOT NULL
);
CREATE INDEX problems_status ON problems (status, posted_at, id);
CREATE INDEX problems_org ON problems (org_id, status);
CREATE INDEX problems_consortium ON problems (consortium_id, status);

CREATE TABLE problem_fields (
    problem_id INTEGER NOT NULL REFERENCES problems (id) ON DELETE CASCADE,
    field_id   INTEGER NOT NULL REFERENCES fields (id),
    PRIMARY KEY (problem_id, field_id)
);
CREATE INDEX problem_fields_field ON problem_fields (field_id, problem_id);

-- Search index: Korean-aware terms (moim_core::search) of title, summary, keywords
-- and field names. Never of the details, so search cannot reveal them.
CREATE TABLE problem_terms (
    term       INTEGER NOT NULL,
    problem_id INTEGER NOT NULL REFERENCES problems (id) ON DELETE CASCADE,
    weight     INTEGER NOT NULL,
    PRIMARY KEY (term, problem_id)
) WITHOUT ROWID;
CREATE INDEX problem_terms_problem ON problem_terms (problem_id);

CREATE TABLE problem_revisions (
    id         INTEGER PRIMARY KEY,
    problem_id INTEGER NOT NULL REFERENCES problems (id) ON DELETE CASCADE,
    number     INTEGER NOT NULL,
    title      TEXT NOT NULL,
    summary    TEXT NOT NULL,
    details    TEXT NOT NULL,
    editor_id  INTEGER NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    UNIQUE (problem_id, number)
);

CREATE TABLE problem_attachments (
    id           INTEGER PRIMARY KEY,
    problem_id   INTEGER NOT NULL REFERENCES problems (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL,
    storage_key  TEXT NOT NULL UNIQUE,
    uploaded_by  INTEGER NOT NULL REFERENCES users (id),
    created_at   TEXT NOT NULL
);
CREATE INDEX problem_attachments_problem ON problem_attachments (problem_id);

CREATE TABLE problem_invitations (
    problem_id      INTEGER NOT NULL REFERENCES problems (id) ON DELETE CASCADE,
    expert_id       INTEGER NOT NULL REFERENCES users (id),
    invited_by      INTEGER NOT NULL REFERENCES users (id),
    message         TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    nda_accepted_at TEXT,
    PRIMARY KEY (problem_id, expert_id)
);
CREATE INDEX problem_invitations_expert ON problem_invitations (expert_id);

CREATE TABLE problem_detail_views (
    id         INTEGER PRIMARY KEY,
    problem_id INTEGER NOT NULL REFERENCES problems (id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL REFERENCES users (id),
    at         TEXT NOT NULL
);
CREATE INDEX problem_detail_views_problem ON problem_detail_views (problem_id, id);

CREATE TABLE problem_messages (
    id         INTEGER PRIMARY KEY,
    problem_id INTEGER NOT NULL REFERENCES problems (id) ON DELETE CASCADE,
    parent_id  INTEGER REFERENCES problem_messages (id),
    author_id  INTEGER NOT NULL REFERENCES users (id),
    from_firm  BOOLEAN NOT NULL,
    body       TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX problem_messages_problem ON problem_messages (problem_id, id);

CREATE TABLE proposals (
    id              INTEGER PRIMARY KEY,
    problem_id      INTEGER NOT NULL REFERENCES problems (id) ON DELETE CASCADE,
    expert_id       INTEGER NOT NULL REFERENCES users (id),
    approach        TEXT NOT NULL,
    duration_months INTEGER NOT NULL,
    cost_manwon     INTEGER NOT NULL,
    resources       TEXT NOT NULL,
    ip_terms        TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('submitted', 'accepted', 'not_selected', 'withdrawn')),
    idempotency_key TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    decided_at      TEXT,
    UNIQUE (expert_id, idempotency_key)
);
-- One live proposal per expert and problem.
CREATE UNIQUE INDEX proposals_one_live ON proposals (problem_id, expert_id) WHERE status IN ('submitted', 'accepted');
CREATE INDEX proposals_expert ON proposals (expert_id);

CREATE TABLE offers (
    id            INTEGER PRIMARY KEY,
    expert_id     INTEGER NOT NULL REFERENCES users (id),
    org_id        INTEGER REFERENCES organisations (id),
    consortium_id INTEGER REFERENCES consortia (id),
    title         TEXT NOT NULL,
    body          TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('pending', 'accepted', 'declined')),
    reason        TEXT,
    decided_by    INTEGER REFERENCES users (id),
    created_at    TEXT NOT NULL,
    decided_at    TEXT,
    CHECK ((org_id IS NULL) <> (consortium_id IS NULL))
);
CREATE INDEX offers_expert ON offers (expert_id);
CREATE INDEX offers_org ON offers (org_id);
CREATE INDEX offers_consortium ON offers (consortium_id);

CREATE TABLE collaborations (
    id            INTEGER PRIMARY KEY,
    problem_id    INTEGER UNIQUE REFERENCES problems (id),
    proposal_id   INTEGER REFERENCES proposals (id),
    offer_id      INTEGER UNIQUE REFERENCES offers (id),
    org_id        INTEGER REFERENCES organisations (id),
    consortium_id INTEGER REFERENCES consortia (id),
    expert_id     INTEGER NOT NULL REFERENCES users (id),
    stage         TEXT NOT NULL CHECK (stage IN ('matched', 'in_progress', 'completed', 'commercialised', 'dropped')),
    instrument    TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX collaborations_expert ON collaborations (expert_id);
CREATE INDEX collaborations_org ON collaborations (org_id);

CREATE TABLE collaboration_steps (
    id               INTEGER PRIMARY KEY,
    collaboration_id INTEGER NOT NULL REFERENCES collaborations (id) ON DELETE CASCADE,
    stage            TEXT NOT NULL,
    actor_id         INTEGER NOT NULL REFERENCES users (id),
    note             TEXT,
    at               TEXT NOT NULL
);
CREATE INDEX collaboration_steps_collaboration ON collaboration_steps (collaboration_id, id);

CREATE TABLE problem_events (
    id         INTEGER PRIMARY KEY,
    problem_id INTEGER NOT NULL REFERENCES problems (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    actor_id   INTEGER REFERENCES users (id),
    stage      TEXT,
    note       TEXT,
    at         TEXT NOT NULL
);
CREATE INDEX problem_events_problem ON problem_events (problem_id, id);

CREATE TABLE field_follows (
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    field_id   INTEGER NOT NULL REFERENCES fields (id),
    created_at TEXT NOT NULL,
    PRIMARY KEY (user_id, field_id)
);
CREATE INDEX field_follows_field ON field_follows (field_id);

-- Matching index: terms of expert profiles, weighted by where they occur.
CREATE TABLE expert_terms (
    term    INTEGER NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    weight  INTEGER NOT NULL,
    PRIMARY KEY (term, user_id)
) WITHOUT ROWID;
CREATE INDEX expert_terms_user ON expert_terms (user_id);

ALTER TABLE notifications ADD COLUMN problem_id INTEGER REFERENCES problems (id);
