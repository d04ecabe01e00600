-- A theme cluster or consortium founded from a selected application: the
-- application it came from (one consortium per application) and the
-- organisation that runs it (운영기관, the application's lead).
ALTER TABLE consortia ADD COLUMN application_id BIGINT REFERENCES applications (id);
ALTER TABLE consortia ADD COLUMN operator_org_id BIGINT REFERENCES organisations (id);
CREATE UNIQUE INDEX consortia_application ON consortia (application_id);
