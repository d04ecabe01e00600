-- Attendee categories an organiser chooses for an activity (JSON: name and cap),
-- and the one each person registered under. A category's cap counts the people
-- registered and waiting under it, so promotion from the waiting list never
-- passes it.
ALTER TABLE activities ADD COLUMN categories TEXT NOT NULL DEFAULT '[]';
ALTER TABLE activity_registrations ADD COLUMN category TEXT;
