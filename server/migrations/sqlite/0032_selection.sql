-- Selection (선정): the call's admin decides on each submitted application
-- with a reason (and, selecting it, the grant given), then announces the
-- results. Rows are only added: before the announcement an application keeps
-- one decision (replaced as the admin changes their mind); after it, each
-- change is a correction of its own (`correction`, `was`), shown beside the
-- first. The current decision is an application's newest row.
ALTER TABLE calls ADD COLUMN announced_at TEXT;
ALTER TABLE calls ADD COLUMN announced_by INTEGER REFERENCES users (id);

CREATE TABLE application_decisions (
    id             INTEGER PRIMARY KEY,
    application_id INTEGER NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    decision       TEXT NOT NULL CHECK (decision IN ('selected', 'reserve', 'not_selected')),
    reason         TEXT NOT NULL,
    grant_manwon   INTEGER CHECK (grant_manwon > 0),
    correction     BOOLEAN NOT NULL,
    was            TEXT CHECK (was IN ('selected', 'reserve', 'not_selected')),
    decided_by     INTEGER REFERENCES users (id),
    decided_at     TEXT NOT NULL,
    CHECK ((decision = 'selected') = (grant_manwon IS NOT NULL))
);
CREATE INDEX application_decisions_application ON application_decisions (application_id, id);
