-- The cooperation monitor: what each JST did of its duties towards NGOs,
-- year by year (domain::monitoring), as staff recorded it. Dates are
-- RRRR-MM-DD or NULL (not known); amounts whole złoty; the elements of
-- the programme (art. 5a ust. 4) one line each, where each is found.
CREATE TABLE monitoring (
    local_government          TEXT NOT NULL REFERENCES local_government (teryt),
    year                      BIGINT NOT NULL,
    stage                     TEXT NOT NULL,
    resolution                TEXT NOT NULL,
    adopted_on                TEXT,
    council                   TEXT NOT NULL,
    last_year                 BIGINT,
    funds                     BIGINT,
    programme_url             TEXT NOT NULL,
    journal                   TEXT NOT NULL,
    annulled_on               TEXT,
    ruling                    TEXT NOT NULL,
    elements                  TEXT NOT NULL,
    consultation_rules        TEXT NOT NULL,
    consultation_announced_on TEXT,
    consultation_days         BIGINT,
    consultation_form         TEXT NOT NULL,
    consultation_url          TEXT NOT NULL,
    consultation_report_url   TEXT NOT NULL,
    council_opinion           TEXT NOT NULL,
    report_submitted_on       TEXT,
    report_published_on       TEXT,
    report_url                TEXT NOT NULL,
    council_exists            TEXT NOT NULL,
    council_requested_on      TEXT,
    council_requested_by      TEXT NOT NULL,
    council_term              TEXT NOT NULL,
    competitions              BIGINT,
    competitions_amount       BIGINT,
    small_grants              BIGINT,
    small_grants_amount       BIGINT,
    checked_on                TEXT,
    checked_by                BIGINT REFERENCES account (id),
    notes                     TEXT NOT NULL,
    -- 1: invented facts the demo loaded, shown as such.
    sample                    BIGINT NOT NULL,
    updated_at                TEXT NOT NULL,
    PRIMARY KEY (local_government, year)
);
CREATE INDEX monitoring_year ON monitoring (year, local_government);
-- Its own topic: a change of the monitor re-renders the monitor's pages
-- and the JSTs' pages, nothing else.
INSERT INTO meta (key, value) VALUES ('monitoring_version', 1);
