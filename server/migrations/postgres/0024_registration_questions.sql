-- Registration questions an organiser asks of everyone registering for an
-- activity (JSON: the questionnaire model's questions), and each person's
-- answers (JSON by question key), for members and guests alike. A guest's
-- answers are blanked with the rest of their details after the event.
ALTER TABLE activities ADD COLUMN questions TEXT NOT NULL DEFAULT '[]';
ALTER TABLE activity_registrations ADD COLUMN answers TEXT NOT NULL DEFAULT '{}';
ALTER TABLE activity_guests ADD COLUMN answers TEXT NOT NULL DEFAULT '{}';
