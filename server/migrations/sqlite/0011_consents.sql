-- Consent to the collection and use of personal information (개인정보 보호법):
-- the version of the privacy policy the person last agreed to (NULL: none yet,
-- as for accounts made before this; they are asked at their next visit), the
-- optional news mail, and every consent given or withdrawn, with its version,
-- time and the address it came from.
ALTER TABLE users ADD COLUMN privacy_version TEXT;
ALTER TABLE users ADD COLUMN news_mail BOOLEAN NOT NULL DEFAULT FALSE;

CREATE TABLE consents (
    id      INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind    TEXT NOT NULL CHECK (kind IN ('privacy', 'news_mail')),
    version TEXT NOT NULL,
    given   BOOLEAN NOT NULL,
    at      TEXT NOT NULL,
    address TEXT
);
CREATE INDEX consents_user ON consents (user_id, at);
