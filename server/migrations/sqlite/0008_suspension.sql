-- An admin can suspend an account: its sessions end at once and it cannot sign in
-- until reactivated. The reason is shown to the person when they try.
ALTER TABLE users ADD COLUMN suspended_at TEXT;
ALTER TABLE users ADD COLUMN suspended_reason TEXT;
