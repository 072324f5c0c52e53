-- A city with powiat rights is one local government with two register
-- codes (Płock 1462 and 1462011): records name it by its powiat-level code,
-- the gmina code stays in the register but is no longer a JST to choose or
-- count. Units also get the name people write ("powiat płoński",
-- "m.st. Warszawa", "Płońsk (gmina wiejska)") and a key for Polish
-- alphabetical order; the program fills both from the register.

ALTER TABLE local_government ADD COLUMN display_name TEXT NOT NULL DEFAULT '';
ALTER TABLE local_government ADD COLUMN sort_key TEXT NOT NULL DEFAULT '';
CREATE INDEX local_government_sort ON local_government (sort_key);

UPDATE local_government SET is_jst = 0 WHERE LENGTH(teryt) = 7 AND SUBSTR(teryt, 3, 2) >= '61' AND SUBSTR(teryt, 7, 1) = '1';

UPDATE organisation SET local_government = SUBSTR(local_government, 1, 4) WHERE LENGTH(local_government) = 7 AND SUBSTR(local_government, 3, 2) >= '61' AND SUBSTR(local_government, 7, 1) = '1';
UPDATE person SET local_government = SUBSTR(local_government, 1, 4) WHERE LENGTH(local_government) = 7 AND SUBSTR(local_government, 3, 2) >= '61' AND SUBSTR(local_government, 7, 1) = '1';
UPDATE local_work SET local_government = SUBSTR(local_government, 1, 4) WHERE LENGTH(local_government) = 7 AND SUBSTR(local_government, 3, 2) >= '61' AND SUBSTR(local_government, 7, 1) = '1';
UPDATE activity SET local_government = SUBSTR(local_government, 1, 4) WHERE LENGTH(local_government) = 7 AND SUBSTR(local_government, 3, 2) >= '61' AND SUBSTR(local_government, 7, 1) = '1';
UPDATE affiliation SET local_government = SUBSTR(local_government, 1, 4) WHERE LENGTH(local_government) = 7 AND SUBSTR(local_government, 3, 2) >= '61' AND SUBSTR(local_government, 7, 1) = '1';
UPDATE registration SET local_government = SUBSTR(local_government, 1, 4) WHERE LENGTH(local_government) = 7 AND SUBSTR(local_government, 3, 2) >= '61' AND SUBSTR(local_government, 7, 1) = '1';
UPDATE case_file SET local_government = SUBSTR(local_government, 1, 4) WHERE LENGTH(local_government) = 7 AND SUBSTR(local_government, 3, 2) >= '61' AND SUBSTR(local_government, 7, 1) = '1';

DELETE FROM research_area WHERE LENGTH(local_government) = 7 AND SUBSTR(local_government, 3, 2) >= '61' AND SUBSTR(local_government, 7, 1) = '1' AND EXISTS (SELECT 1 FROM research_area r WHERE r.project_id = research_area.project_id AND r.method = research_area.method AND r.local_government = SUBSTR(research_area.local_government, 1, 4));
UPDATE research_area SET local_government = SUBSTR(local_government, 1, 4) WHERE LENGTH(local_government) = 7 AND SUBSTR(local_government, 3, 2) >= '61' AND SUBSTR(local_government, 7, 1) = '1';

DELETE FROM account_area WHERE LENGTH(local_government) = 7 AND SUBSTR(local_government, 3, 2) >= '61' AND SUBSTR(local_government, 7, 1) = '1' AND EXISTS (SELECT 1 FROM account_area a WHERE a.account_id = account_area.account_id AND a.local_government = SUBSTR(account_area.local_government, 1, 4));
UPDATE account_area SET local_government = SUBSTR(local_government, 1, 4) WHERE LENGTH(local_government) = 7 AND SUBSTR(local_government, 3, 2) >= '61' AND SUBSTR(local_government, 7, 1) = '1';

DELETE FROM office WHERE LENGTH(local_government) = 7 AND SUBSTR(local_government, 3, 2) >= '61' AND SUBSTR(local_government, 7, 1) = '1' AND EXISTS (SELECT 1 FROM office o WHERE o.local_government = SUBSTR(office.local_government, 1, 4));
UPDATE office SET local_government = SUBSTR(local_government, 1, 4) WHERE LENGTH(local_government) = 7 AND SUBSTR(local_government, 3, 2) >= '61' AND SUBSTR(local_government, 7, 1) = '1';
