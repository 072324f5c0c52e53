-- A counter per topic beside data_version: each write bumps the topics it
-- changes (activities, places, organisations, people, register, cases,
-- programme, accounts), so caches drop only the pages that depend on
-- them. They replace records_version (0005), which is no longer read or
-- bumped; its row goes in a later release (expand/contract).
INSERT INTO meta (key, value) VALUES
    ('activities_version', 1),
    ('places_version', 1),
    ('organisations_version', 1),
    ('people_version', 1),
    ('register_version', 1),
    ('cases_version', 1),
    ('programme_version', 1),
    ('accounts_version', 1);
