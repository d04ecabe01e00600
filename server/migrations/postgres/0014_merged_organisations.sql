-- An admin merges two records of one organisation: the one merged away is
-- closed and points at the one that stays.
ALTER TABLE organisations ADD COLUMN merged_into BIGINT REFERENCES organisations (id);
