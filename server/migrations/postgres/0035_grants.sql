-- The money of a selected application (협약·지급): its agreement (the grant
-- as decided, the day it was signed) and its milestones as the application
-- planned them, each with the payment of the grant recorded against it.
CREATE TABLE grants (
    application_id BIGINT PRIMARY KEY REFERENCES applications (id),
    grant_manwon   BIGINT NOT NULL CHECK (grant_manwon > 0),
    agreed_on      DATE NOT NULL,
    agreed_by      BIGINT REFERENCES users (id),
    created_at     TIMESTAMPTZ NOT NULL
);
CREATE TABLE grant_milestones (
    application_id BIGINT NOT NULL REFERENCES grants (application_id),
    position       BIGINT NOT NULL,
    title          TEXT NOT NULL,
    due_on         DATE NOT NULL,
    amount_manwon  BIGINT NOT NULL,
    paid_manwon    BIGINT CHECK (paid_manwon > 0),
    paid_on        DATE,
    paid_by        BIGINT REFERENCES users (id),
    PRIMARY KEY (application_id, position)
);
