-- A second counter beside data_version: bumped by writes of records
-- (activities, people, pages…), not by registrations changing status.
-- Caches of records (the activities the registration pages read) are kept
-- while it stands; page caches still follow data_version.
INSERT INTO meta (key, value) VALUES ('records_version', 1);
