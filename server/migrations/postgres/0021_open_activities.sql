-- An activity open beyond its consortia (to everyone signed in), and whether its
-- place is shown to everyone or kept for people with a place and the managers.
-- Company visits already scheduled keep their addresses to those registered. The
-- programme (agenda items, JSON) is read and written with its activity only.
ALTER TABLE activities ADD COLUMN audience TEXT NOT NULL DEFAULT 'members' CHECK (audience IN ('members', 'signed_in'));
ALTER TABLE activities ADD COLUMN place_public BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE activities ADD COLUMN programme TEXT NOT NULL DEFAULT '[]';
UPDATE activities SET place_public = FALSE WHERE kind = 'company_visit';
