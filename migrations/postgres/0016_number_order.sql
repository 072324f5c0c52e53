-- Sort keys put numbers in names in the order of their value ("nr 4"
-- before "nr 23"): the keys written before are cleared here and written
-- again by the program at start (store::sort_keys, store::teryt::name_units).
UPDATE organisation SET sort_key = NULL;
UPDATE person SET sort_key = NULL;
UPDATE account SET sort_key = NULL;
UPDATE local_government SET display_name = '';
