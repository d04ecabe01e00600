-- Cooperation projects with universities or institutes that a firm declares
-- for a year (done outside Moim; the yearly survey asks for them).
ALTER TABLE firm_figures ADD COLUMN coop_projects BIGINT CHECK (coop_projects >= 0);

-- Each industry's average growth in a year, in percent, as an admin uploads it
-- (the agency takes it from official statistics). A file replaces its years.
CREATE TABLE industry_averages (
    year             INTEGER NOT NULL,
    ksic             TEXT NOT NULL,
    sales_growth     DOUBLE PRECISION,
    exports_growth   DOUBLE PRECISION,
    employees_growth DOUBLE PRECISION,
    uploaded_at      TIMESTAMPTZ NOT NULL,
    is_sample        BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (year, ksic)
);

-- The cockpit's headline numbers find a scope's firms by their industry.
CREATE INDEX organisations_ksic ON organisations (ksic) WHERE ksic IS NOT NULL;

-- A yearly survey (연간 성과조사): the year whose figures its figure
-- questions write when an answer is submitted.
ALTER TABLE surveys ADD COLUMN figures_year INTEGER;
