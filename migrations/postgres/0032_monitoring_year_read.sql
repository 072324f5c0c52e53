-- A year's facts of a whole region read from one index (the monitor's
-- table, `store::monitoring::region`): the count of the programme's
-- elements found is kept beside the elements (filled at start for rows
-- written before, `fill_elements_found`), and the columns the statuses
-- and the index read are in the index, so the rows themselves are not
-- fetched.
ALTER TABLE monitoring ADD COLUMN elements_found BIGINT;
CREATE INDEX monitoring_statuses ON monitoring (local_government, year, stage, adopted_on,
    last_year, annulled_on, consultation_announced_on, report_submitted_on,
    report_published_on, checked_on, sample, council_exists, competitions, small_grants,
    elements_found);
