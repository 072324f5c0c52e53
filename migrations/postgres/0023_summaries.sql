-- The figures kept as summaries, in step with the records in the
-- transaction that changes them (`store::summaries`), so that any date
-- range is a bounded read (`domain::reach`, `domain::stats`).
--
-- reach_point: per facet (people, training, event) and person, each day
-- they attended something that counts (`attendance.counts`) with their
-- previous such day ('' for none). reach_cell: those points counted at
-- the grains (month, month of prev), (prev, month) and (day, month of prev).
CREATE TABLE reach_point (
    facet       TEXT NOT NULL,
    subject     BIGINT NOT NULL,
    project_id  BIGINT NOT NULL,
    day         TEXT NOT NULL,
    prev        TEXT NOT NULL,
    PRIMARY KEY (facet, subject, project_id, day)
);
CREATE INDEX reach_point_prev ON reach_point (project_id, facet, prev, day);
CREATE TABLE reach_cell (
    project_id  BIGINT NOT NULL,
    facet       TEXT NOT NULL,
    level       TEXT NOT NULL,
    d           TEXT NOT NULL,
    p           TEXT NOT NULL,
    n           BIGINT NOT NULL,
    PRIMARY KEY (project_id, facet, level, d, p)
);
-- Sums per day: minutes of held activities and of held advisory, held
-- trainings and events, kilometres, participations at trainings and at
-- events that count.
CREATE TABLE daily_figure (
    project_id  BIGINT NOT NULL,
    measure     TEXT NOT NULL,
    day         TEXT NOT NULL,
    n           BIGINT NOT NULL,
    PRIMARY KEY (project_id, measure, day)
);
-- 0 until the program has filled the tables from the records (once, at
-- start; `store::summaries::fill`).
INSERT INTO meta (key, value) VALUES ('summaries_built', 0);
-- The people reached, per project, as the figures read them before: no
-- longer read or kept, so not kept at all (a copy of who attended).
DROP TABLE recipient;
-- Which local governments had local work in a range: one probe per
-- local work.
CREATE INDEX activity_local_work_date ON activity (local_work_id, status, starts_on);
-- A prefix of the index above.
DROP INDEX activity_local_work;
-- What is to come (planned or cancelled) is few among many held: the
-- lists of upcoming activities read it alone.
CREATE INDEX activity_open ON activity (project_id, starts_on) WHERE status <> 'held';
-- The catalogue's count of what was held and its filters' topics and
-- counties, from the index alone.
CREATE INDEX activity_catalogue ON activity (project_id, kind, status, topic, local_government);
-- The people on an activity's attendance the public figures count
-- (without the project's team, `COUNTED_PERSON_SQL`), kept with the
-- attendance and the people's groups: lists show it per activity without
-- reading every person of every attendance.
ALTER TABLE activity ADD COLUMN participants BIGINT NOT NULL DEFAULT 0;
UPDATE activity SET participants = (SELECT COUNT(*) FROM attendance t
    JOIN person p ON p.id = t.person_id
    WHERE t.activity_id = activity.id AND p.person_group <> 'team');
