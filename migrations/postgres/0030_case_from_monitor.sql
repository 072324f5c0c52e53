-- A case staff opened from a gap of the cooperation monitor: the year of
-- the JST's facts it is about (one open case per JST, year and category),
-- and who its letters go to when not the JST's executive (the council's
-- chair, for a programme not adopted).
ALTER TABLE case_file ADD COLUMN monitoring_year BIGINT;
ALTER TABLE case_file ADD COLUMN addressee TEXT NOT NULL DEFAULT '';
CREATE INDEX case_file_monitoring ON case_file (monitoring_year, local_government);
