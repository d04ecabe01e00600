-- The money of a selected application (협약·지급): its agreement (the grant
-- as decided, the day it was signed) and its milestones as the application
-- planned them, each with the payment of the grant recorded against it.
CREATE TABLE grants (
    application_id INTEGER PRIMARY KEY REFERENCES applications (id),
    grant_manwon   INTEGER NOT NULL CHECK (grant_manwon > 0),
    agreed_on      TEXT NOT NULL,
    agreed_by      INTEGER REFERENCES users (id),
    created_at     TEXT NOT NULL
);
CREATE TABLE grant_milestones (
    application_id INTEGER NOT NULL REFERENCES grants (application_id),
    position       INTEGER NOT NULL,
    title          TEXT NOT NULL,
    due_on         TEXT NOT NULL,
    amount_manwon  INTEGER NOT NULL,
    paid_manwon    INTEGER CHECK (paid_manwon > 0),
    paid_on        TEXT,
    paid_by        INTEGER REFERENCES users (id),
    PRIMARY KEY (application_id, position)
);
