-- Moim foundation schema (SQLite). Keep in step with ../postgres/0001_foundation.sql.
CREATE TABLE complexes (
    id          INTEGER PRIMARY KEY,
    name_ko     TEXT NOT NULL UNIQUE,
    name_en     TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('national', 'general', 'agro_industrial')),
    role        TEXT NOT NULL CHECK (role IN ('hub', 'linked')),
    region      TEXT NOT NULL,
    joined_year INTEGER
);

CREATE TABLE fields (
    id      INTEGER PRIMARY KEY,
    name_ko TEXT NOT NULL UNIQUE,
    name_en TEXT NOT NULL
);

CREATE TABLE organisations (
    id                INTEGER PRIMARY KEY,
    kind              TEXT NOT NULL CHECK (kind IN ('firm', 'university', 'institute', 'agency')),
    name              TEXT NOT NULL,
    business_no       TEXT UNIQUE,
    complex_id        INTEGER REFERENCES complexes (id),
    headcount         INTEGER,
    industry          TEXT,
    representative_id INTEGER REFERENCES users (id),
    is_sample         BOOLEAN NOT NULL DEFAULT FALSE,
    created_at        TEXT NOT NULL
);
CREATE INDEX organisations_name ON organisations (name);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    name          TEXT NOT NULL,
    department    TEXT,
    org_id        INTEGER NOT NULL REFERENCES organisations (id),
    role          TEXT NOT NULL DEFAULT 'member' CHECK (role IN ('member', 'admin')),
    is_expert     BOOLEAN NOT NULL DEFAULT FALSE,
    affiliation   TEXT NOT NULL DEFAULT 'confirmed' CHECK (affiliation IN ('confirmed', 'pending', 'declined')),
    is_sample     BOOLEAN NOT NULL DEFAULT FALSE,
    created_at    TEXT NOT NULL
);
CREATE INDEX users_org ON users (org_id);

CREATE TABLE expert_profiles (
    user_id    INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    fields     TEXT NOT NULL,
    keywords   TEXT NOT NULL,
    equipment  TEXT NOT NULL,
    bio        TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE sessions (
    token_hash   TEXT PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token   TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    expires_at   TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE login_failures (
    id  INTEGER PRIMARY KEY,
    key TEXT NOT NULL,
    at  TEXT NOT NULL
);
CREATE INDEX login_failures_key ON login_failures (key, at);

CREATE TABLE consortia (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('mini_cluster', 'theme_cluster', 'self_sustaining')),
    status      TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'archived')),
    complex_id  INTEGER NOT NULL REFERENCES complexes (id),
    field_id    INTEGER NOT NULL REFERENCES fields (id),
    description TEXT NOT NULL,
    term_start  DATE,
    term_end    DATE,
    is_sample   BOOLEAN NOT NULL DEFAULT FALSE,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    UNIQUE (complex_id, name)
);
CREATE INDEX consortia_name ON consortia (name);

CREATE TABLE consortium_managers (
    consortium_id INTEGER NOT NULL REFERENCES consortia (id),
    user_id       INTEGER NOT NULL REFERENCES users (id),
    appointed_at  TEXT NOT NULL,
    PRIMARY KEY (consortium_id, user_id)
);
CREATE INDEX consortium_managers_user ON consortium_managers (user_id);

CREATE TABLE memberships (
    consortium_id INTEGER NOT NULL REFERENCES consortia (id),
    org_id        INTEGER NOT NULL REFERENCES organisations (id),
    joined_at     TEXT NOT NULL,
    PRIMARY KEY (consortium_id, org_id)
);
CREATE INDEX memberships_org ON memberships (org_id);

CREATE TABLE join_requests (
    id            INTEGER PRIMARY KEY,
    consortium_id INTEGER NOT NULL REFERENCES consortia (id),
    org_id        INTEGER NOT NULL REFERENCES organisations (id),
    kind          TEXT NOT NULL CHECK (kind IN ('request', 'invitation')),
    status        TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'declined', 'withdrawn')),
    opened_by     INTEGER NOT NULL REFERENCES users (id),
    message       TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    decided_by    INTEGER REFERENCES users (id),
    reason        TEXT,
    decided_at    TEXT
);
-- At most one open request or invitation per organisation and consortium.
CREATE UNIQUE INDEX join_requests_one_open ON join_requests (consortium_id, org_id) WHERE status = 'pending';
CREATE INDEX join_requests_consortium ON join_requests (consortium_id, status);
CREATE INDEX join_requests_org ON join_requests (org_id, status);

CREATE TABLE notifications (
    id            INTEGER PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind          TEXT NOT NULL,
    consortium_id INTEGER REFERENCES consortia (id),
    org_id        INTEGER REFERENCES organisations (id),
    actor_id      INTEGER REFERENCES users (id),
    note          TEXT,
    read_at       TEXT,
    created_at    TEXT NOT NULL
);
CREATE INDEX notifications_user ON notifications (user_id, id);

CREATE TABLE audit_log (
    id              INTEGER PRIMARY KEY,
    actor_id        INTEGER REFERENCES users (id),
    action          TEXT NOT NULL,
    consortium_id   INTEGER REFERENCES consortia (id),
    org_id          INTEGER REFERENCES organisations (id),
    subject_user_id INTEGER REFERENCES users (id),
    note            TEXT,
    created_at      TEXT NOT NULL
);
CREATE INDEX audit_log_consortium ON audit_log (consortium_id, id);
