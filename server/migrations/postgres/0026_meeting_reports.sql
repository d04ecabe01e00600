-- Export matchmaking, what came of it: each side's report of a meeting (held or a
-- no-show, a rating, later what followed and a contract's value as entered).
CREATE TABLE match_reports (
    request_id     BIGINT NOT NULL REFERENCES match_requests (id) ON DELETE CASCADE,
    participant_id BIGINT NOT NULL REFERENCES match_participants (id) ON DELETE CASCADE,
    attendance     TEXT NOT NULL CHECK (attendance IN ('held', 'no_show')),
    rating         BIGINT CHECK (rating BETWEEN 1 AND 5),
    follow_up      TEXT CHECK (follow_up IN ('no_contact', 'negotiating', 'contract_in_progress', 'contract_signed')),
    amount         BIGINT CHECK (amount >= 0),
    currency       TEXT CHECK (currency IN ('krw', 'usd', 'eur', 'jpy', 'cny')),
    signed_on_site BOOLEAN NOT NULL DEFAULT FALSE,
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (request_id, participant_id)
);
CREATE INDEX match_reports_participant ON match_reports (participant_id);
