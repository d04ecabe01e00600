-- A representative hands the role to a confirmed colleague, who accepts: the
-- colleague the role is offered to, until they accept or it is withdrawn.
ALTER TABLE organisations ADD COLUMN handover_to BIGINT REFERENCES users (id) ON DELETE SET NULL;
