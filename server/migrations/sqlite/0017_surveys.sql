-- Surveys (설문·성과조사): a questionnaire (JSON, the `core::questionnaire`
-- model) sent by an admin or a CM to the member firms, or every member
-- organisation, of the programme, a region or chosen consortia, answered once
-- per organisation or per person from `opens_on` to `closes_on` (days in
-- Korea). `reminded_at` is set when the reminder to those who have not
-- answered went out, so it goes out once.
CREATE TABLE surveys (
    id            INTEGER PRIMARY KEY,
    title         TEXT NOT NULL,
    description   TEXT,
    scope         TEXT NOT NULL CHECK (scope IN ('programme', 'region', 'consortia')),
    region        TEXT,
    audience      TEXT NOT NULL CHECK (audience IN ('firms', 'members')),
    respondent    TEXT NOT NULL CHECK (respondent IN ('organisation', 'person')),
    opens_on      TEXT NOT NULL,
    closes_on     TEXT NOT NULL CHECK (closes_on >= opens_on),
    remind_days   INTEGER,
    questionnaire TEXT NOT NULL,
    author_id     INTEGER NOT NULL REFERENCES users (id),
    closed_at     TEXT,
    reminded_at   TEXT,
    is_sample     BOOLEAN NOT NULL DEFAULT FALSE,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);

CREATE TABLE survey_consortia (
    survey_id     INTEGER NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    consortium_id INTEGER NOT NULL REFERENCES consortia (id),
    PRIMARY KEY (survey_id, consortium_id)
);
CREATE INDEX survey_consortia_consortium ON survey_consortia (consortium_id, survey_id);

-- One answer per organisation (`user_id` empty) or per person; a draft until
-- `submitted_at` is set.
CREATE TABLE survey_answers (
    id           INTEGER PRIMARY KEY,
    survey_id    INTEGER NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    org_id       INTEGER NOT NULL REFERENCES organisations (id),
    user_id      INTEGER REFERENCES users (id),
    answers      TEXT NOT NULL,
    submitted_at TEXT,
    updated_by   INTEGER REFERENCES users (id),
    updated_at   TEXT NOT NULL
);
CREATE UNIQUE INDEX survey_answers_organisation ON survey_answers (survey_id, org_id) WHERE user_id IS NULL;
CREATE UNIQUE INDEX survey_answers_person ON survey_answers (survey_id, user_id) WHERE user_id IS NOT NULL;
CREATE INDEX survey_answers_org ON survey_answers (org_id);

ALTER TABLE notifications ADD COLUMN survey_id INTEGER REFERENCES surveys (id) ON DELETE CASCADE;
