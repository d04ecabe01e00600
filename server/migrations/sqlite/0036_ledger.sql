-- A consortium's member fees and donations (회비·기부금), what a
-- self-sustaining cluster lives on: a year's fee schedule (the day fees are
-- due, and per class of member its fee as JSON `[{class, amount_manwon}]`,
-- checked by `core::ledger`), an invoice per member organisation and year
-- (issued, paid on a day, or waived with a note), and donations received.
-- Amounts in 만원; days are days in Korea. Moim records payments; it does not
-- take them. An organisation merged into another takes its invoices along.
CREATE TABLE fee_schedules (
    consortium_id INTEGER NOT NULL REFERENCES consortia (id),
    year          INTEGER NOT NULL,
    due_on        TEXT NOT NULL,
    rates         TEXT NOT NULL,
    updated_by    INTEGER REFERENCES users (id),
    updated_at    TEXT NOT NULL,
    PRIMARY KEY (consortium_id, year)
);

CREATE TABLE fee_invoices (
    id            INTEGER PRIMARY KEY,
    consortium_id INTEGER NOT NULL REFERENCES consortia (id),
    year          INTEGER NOT NULL,
    org_id        INTEGER NOT NULL REFERENCES organisations (id),
    class         TEXT NOT NULL,
    amount_manwon INTEGER NOT NULL CHECK (amount_manwon > 0),
    due_on        TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('issued', 'paid', 'waived')),
    paid_on       TEXT,
    note          TEXT,
    issued_by     INTEGER REFERENCES users (id),
    issued_at     TEXT NOT NULL,
    settled_by    INTEGER REFERENCES users (id),
    settled_at    TEXT,
    CHECK ((status = 'paid') = (paid_on IS NOT NULL))
);
CREATE INDEX fee_invoices_year ON fee_invoices (consortium_id, year);
CREATE INDEX fee_invoices_org ON fee_invoices (org_id);

CREATE TABLE donations (
    id            INTEGER PRIMARY KEY,
    consortium_id INTEGER NOT NULL REFERENCES consortia (id),
    donor         TEXT NOT NULL,
    amount_manwon INTEGER NOT NULL CHECK (amount_manwon > 0),
    received_on   TEXT NOT NULL,
    note          TEXT,
    recorded_by   INTEGER REFERENCES users (id),
    recorded_at   TEXT NOT NULL
);
CREATE INDEX donations_received ON donations (consortium_id, received_on);
