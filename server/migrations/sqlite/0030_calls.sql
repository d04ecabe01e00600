-- Calls (공모) and applications (신청). A call selects theme clusters, new
-- consortia and their operators, or support for problems; its rules and form
-- (the `core::questionnaire` model) are JSON, checked by `core::call`. Amounts
-- are in 만원; days are days in Korea.
CREATE TABLE calls (
    id             INTEGER PRIMARY KEY,
    kind           TEXT NOT NULL CHECK (kind IN ('theme_cluster', 'consortium', 'support')),
    title          TEXT NOT NULL,
    description    TEXT NOT NULL,
    budget_manwon  INTEGER NOT NULL CHECK (budget_manwon > 0),
    rules          TEXT NOT NULL,
    region         TEXT,
    form           TEXT NOT NULL,
    opens_on       TEXT NOT NULL,
    closes_on      TEXT NOT NULL CHECK (closes_on >= opens_on),
    evaluation_on  TEXT NOT NULL CHECK (evaluation_on > closes_on),
    announce_on    TEXT NOT NULL CHECK (announce_on > evaluation_on),
    agreement_on   TEXT NOT NULL CHECK (agreement_on > announce_on),
    author_id      INTEGER NOT NULL REFERENCES users (id),
    is_sample      BOOLEAN NOT NULL DEFAULT FALSE,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
CREATE INDEX calls_closes ON calls (closes_on);

-- One application per lead organisation and call; the answers, milestones
-- are JSON. A withdrawn application may be written again and resubmitted while
-- the call is open.
CREATE TABLE applications (
    id                INTEGER PRIMARY KEY,
    call_id           INTEGER NOT NULL REFERENCES calls (id),
    org_id            INTEGER NOT NULL REFERENCES organisations (id),
    title             TEXT NOT NULL,
    answers           TEXT NOT NULL,
    government_manwon INTEGER NOT NULL DEFAULT 0,
    lead_share_manwon INTEGER NOT NULL DEFAULT 0,
    milestones        TEXT NOT NULL,
    problem_id        INTEGER REFERENCES problems (id),
    status            TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'withdrawn')),
    submitted_at      TEXT,
    created_by        INTEGER REFERENCES users (id),
    updated_by        INTEGER REFERENCES users (id),
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
);
CREATE UNIQUE INDEX applications_lead ON applications (call_id, org_id);
CREATE INDEX applications_org ON applications (org_id);

-- The partner organisations of an application; each one's representative
-- confirms (or declines) its place and share.
CREATE TABLE application_partners (
    application_id INTEGER NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    org_id         INTEGER NOT NULL REFERENCES organisations (id),
    position       INTEGER NOT NULL,
    share_manwon   INTEGER NOT NULL CHECK (share_manwon >= 0),
    status         TEXT NOT NULL CHECK (status IN ('invited', 'confirmed', 'declined')),
    decided_by     INTEGER REFERENCES users (id),
    decided_at     TEXT,
    PRIMARY KEY (application_id, org_id)
);
CREATE INDEX application_partners_org ON application_partners (org_id);

ALTER TABLE notifications ADD COLUMN application_id INTEGER REFERENCES applications (id) ON DELETE CASCADE;
