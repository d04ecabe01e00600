-- A firm's founding date (설립일): no certification may be dated before it.
ALTER TABLE organisations ADD COLUMN founded_on TEXT;
