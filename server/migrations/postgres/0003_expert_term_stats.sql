-- How many expert profiles carry each term, kept by the profile transaction, so
-- matching reads document frequencies by key instead of counting posting lists.
CREATE TABLE expert_term_stats (
    term BIGINT PRIMARY KEY,
    n    BIGINT NOT NULL
);
INSERT INTO expert_term_stats (term, n) SELECT term, COUNT(*) FROM expert_terms GROUP BY term;

-- A one-word search reads the best matches of one term straight from this index.
CREATE INDEX problem_terms_rank ON problem_terms (term, weight, problem_id);
