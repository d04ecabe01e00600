-- 회원 탈퇴: a closed account keeps its row (what the person wrote for others
-- stays under "탈퇴한 회원") with every personal field erased; an organisation
-- whose last person left is closed.
ALTER TABLE users ADD COLUMN closed_at TIMESTAMPTZ;
ALTER TABLE organisations ADD COLUMN closed_at TIMESTAMPTZ;
