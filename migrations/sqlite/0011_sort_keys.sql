-- Keys that sort names in Polish alphabetical order when compared byte by
-- byte (domain::search::sort_key): organisations by name, people by last
-- and first name, accounts by name. Every write fills them; rows written
-- before this migration are filled by the program at start (store::sort_keys).
ALTER TABLE organisation ADD COLUMN sort_key TEXT;
ALTER TABLE person ADD COLUMN sort_key TEXT;
ALTER TABLE account ADD COLUMN sort_key TEXT;
CREATE INDEX organisation_sort ON organisation (sort_key, id);
CREATE INDEX person_sort ON person (sort_key, id);
