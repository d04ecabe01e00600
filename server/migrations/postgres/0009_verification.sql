-- Addresses that belong to the person. A new account verifies its address by a
-- link mailed to it (until then the person reads but does not act); moving to a
-- new address verifies that one the same way. Accounts made before this were
-- made by people the programme knows: they count as verified.
ALTER TABLE users ADD COLUMN email_verified_at TIMESTAMPTZ;
UPDATE users SET email_verified_at = created_at;

-- Links now also verify an address ('verify') or a new one ('email_change',
-- whose address is `email`).
ALTER TABLE account_tokens DROP CONSTRAINT account_tokens_purpose_check;
ALTER TABLE account_tokens ADD CONSTRAINT account_tokens_purpose_check
    CHECK (purpose IN ('reset', 'verify', 'email_change'));
ALTER TABLE account_tokens ADD COLUMN email TEXT;

-- Account mail besides a reset link and a password notice: the verification
-- link, "you already have an account" (a sign-up with a taken address gets the
-- same answer as a new one, and the address's owner this mail), the link that
-- verifies a new address, and the notice to the old one. `address`: where the
-- mail goes when that is not the account's address (the new one, before it is).
ALTER TABLE mail_outbox DROP CONSTRAINT mail_outbox_purpose_check;
ALTER TABLE mail_outbox ADD CONSTRAINT mail_outbox_purpose_check
    CHECK (purpose IN ('reset', 'password_changed', 'verify', 'already_registered', 'email_change', 'email_changed'));
ALTER TABLE mail_outbox ADD COLUMN address TEXT;
