-- Firms' yearly figures (기업 성과 현황): amounts in 백만원, people as counted at
-- the year's end; every figure may be missing. Entered by the firm's confirmed
-- people; `updated_by` names who entered them last.
CREATE TABLE firm_figures (
    org_id       BIGINT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    year         INTEGER NOT NULL,
    sales        BIGINT CHECK (sales >= 0),
    exports      BIGINT CHECK (exports >= 0),
    rnd_spending BIGINT CHECK (rnd_spending >= 0),
    employees    BIGINT CHECK (employees >= 0),
    rnd_staff    BIGINT CHECK (rnd_staff >= 0),
    updated_by   BIGINT REFERENCES users (id),
    updated_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (org_id, year)
);

-- The certifications a firm holds (이노비즈, 벤처기업, 메인비즈, 기업부설연구소).
CREATE TABLE firm_certifications (
    org_id       BIGINT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    kind         TEXT NOT NULL CHECK (kind IN ('innobiz', 'venture', 'mainbiz', 'rnd_lab')),
    certified_on DATE NOT NULL,
    expires_on   DATE,
    PRIMARY KEY (org_id, kind)
);

-- A firm's industry as its KSIC division (한국표준산업분류 중분류, two digits).
ALTER TABLE organisations ADD COLUMN ksic TEXT;
