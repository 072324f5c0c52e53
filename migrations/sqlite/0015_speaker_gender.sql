-- A speaker's gender (`Gender` code), so that their role at an activity
-- is named in the form that agrees with them ("uczestniczka rozmowy").
ALTER TABLE activity_speaker ADD COLUMN gender TEXT NOT NULL DEFAULT 'undisclosed';
