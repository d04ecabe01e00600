-- Evaluation (평가): a call's weighted criteria (JSON, `core::evaluation`),
-- the evaluators its admins appoint, and each evaluator's review of an
-- application: a declared conflict of interest, or a score per criterion
-- (JSON, in the call's order).
ALTER TABLE calls ADD COLUMN criteria TEXT NOT NULL DEFAULT '[]';

CREATE TABLE call_evaluators (
    call_id      INTEGER NOT NULL REFERENCES calls (id),
    user_id      INTEGER NOT NULL REFERENCES users (id),
    appointed_by INTEGER REFERENCES users (id),
    appointed_at TEXT NOT NULL,
    PRIMARY KEY (call_id, user_id)
);
CREATE INDEX call_evaluators_user ON call_evaluators (user_id);

CREATE TABLE application_reviews (
    application_id INTEGER NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    evaluator_id   INTEGER NOT NULL REFERENCES users (id),
    conflict       BOOLEAN NOT NULL,
    scores         TEXT NOT NULL,
    total_tenths   INTEGER,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    PRIMARY KEY (application_id, evaluator_id)
);
CREATE INDEX application_reviews_evaluator ON application_reviews (evaluator_id);
