-- Partners abroad (해외 협력기관): overseas cluster bodies, foreign agencies and
-- buyers' associations, kept by the agency's admins; the agreements signed with
-- them, each with its signed document if attached; and the events they
-- co-organise. A partner named by an event stays (RESTRICT); its agreements go
-- with it.
CREATE TABLE partners (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL,
    name_ko       TEXT NOT NULL,
    country       TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('cluster', 'agency', 'association', 'other')),
    website       TEXT,
    description   TEXT NOT NULL DEFAULT '',
    contact_name  TEXT NOT NULL DEFAULT '',
    contact_email TEXT,
    -- The name and both names as compared and searched, folded in Rust (SQLite's
    -- own lower() folds ASCII only): the same answers on both databases.
    name_key      TEXT NOT NULL,
    search_key    TEXT NOT NULL,
    -- Fictional sample data (the demo's), shown with a badge.
    is_sample     BOOLEAN NOT NULL DEFAULT FALSE,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
-- One entry per body: the same name twice (in any case) is the same partner.
CREATE UNIQUE INDEX partners_name_key ON partners (name_key);
CREATE INDEX partners_name_ko ON partners (name_ko);

CREATE TABLE partner_agreements (
    id          INTEGER PRIMARY KEY,
    partner_id  INTEGER NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL CHECK (kind IN ('mou', 'joint_declaration', 'other')),
    title       TEXT NOT NULL,
    scope       TEXT NOT NULL DEFAULT '',
    signed_on   TEXT NOT NULL,
    expires_on  TEXT,
    created_at  TEXT NOT NULL,
    CHECK (expires_on IS NULL OR expires_on > signed_on)
);
CREATE INDEX partner_agreements_partner ON partner_agreements (partner_id, signed_on);

-- An agreement's signed document (one; a new upload replaces it).
CREATE TABLE partner_documents (
    agreement_id INTEGER PRIMARY KEY REFERENCES partner_agreements (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL,
    storage_key  TEXT NOT NULL,
    created_at   TEXT NOT NULL
);

CREATE TABLE activity_partners (
    activity_id INTEGER NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    partner_id  INTEGER NOT NULL REFERENCES partners (id) ON DELETE RESTRICT,
    PRIMARY KEY (activity_id, partner_id)
);
CREATE INDEX activity_partners_partner ON activity_partners (partner_id);
