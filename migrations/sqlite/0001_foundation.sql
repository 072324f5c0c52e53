-- Foundation: register, programme, people, activities, attendance, trips, documents.
-- Times are ISO-8601 text in UTC ('YYYY-MM-DDTHH:MM:SSZ'); civil dates are 'YYYY-MM-DD'.

CREATE TABLE meta (
    key        TEXT PRIMARY KEY,
    value      BIGINT NOT NULL
);
INSERT INTO meta (key, value) VALUES ('data_version', 1);

CREATE TABLE local_government (
    teryt        TEXT PRIMARY KEY,
    kind         TEXT NOT NULL,
    is_jst       BIGINT NOT NULL,
    parent_teryt TEXT REFERENCES local_government (teryt),
    name         TEXT NOT NULL,
    name_extra   TEXT NOT NULL,
    valid_on     TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX local_government_parent ON local_government (parent_teryt);

CREATE TABLE project (
    id              INTEGER PRIMARY KEY,
    slug            TEXT NOT NULL UNIQUE,
    name            TEXT NOT NULL,
    lead_name       TEXT NOT NULL,
    starts_on       TEXT NOT NULL,
    ends_on         TEXT NOT NULL,
    summary_md      TEXT NOT NULL,
    funder_sentence TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);

CREATE TABLE partner (
    id           INTEGER PRIMARY KEY,
    project_id   BIGINT NOT NULL REFERENCES project (id),
    name         TEXT NOT NULL,
    role         TEXT NOT NULL,
    place        TEXT NOT NULL,
    position     BIGINT NOT NULL,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);

CREATE TABLE page (
    id          INTEGER PRIMARY KEY,
    project_id  BIGINT NOT NULL REFERENCES project (id),
    slug        TEXT NOT NULL,
    title       TEXT NOT NULL,
    body_md     TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    UNIQUE (project_id, slug)
);

CREATE TABLE organisation (
    id                   INTEGER PRIMARY KEY,
    name                 TEXT NOT NULL,
    legal_form           TEXT NOT NULL,
    krs                  TEXT,
    local_government     TEXT REFERENCES local_government (teryt),
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL
);
CREATE INDEX organisation_jst ON organisation (local_government);

CREATE TABLE person (
    id                INTEGER PRIMARY KEY,
    first_name        TEXT NOT NULL,
    last_name         TEXT NOT NULL,
    email             TEXT,
    gender            TEXT NOT NULL,
    person_group      TEXT NOT NULL,
    organisation_id   BIGINT REFERENCES organisation (id),
    local_government  TEXT REFERENCES local_government (teryt),
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
);
CREATE INDEX person_organisation ON person (organisation_id);

CREATE TABLE local_work (
    id               INTEGER PRIMARY KEY,
    project_id       BIGINT NOT NULL REFERENCES project (id),
    slug             TEXT NOT NULL UNIQUE,
    title            TEXT NOT NULL,
    local_government TEXT NOT NULL REFERENCES local_government (teryt),
    office           TEXT NOT NULL,
    period           TEXT NOT NULL,
    summary_md       TEXT NOT NULL,
    deliverables_md  TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);

CREATE TABLE activity (
    id               INTEGER PRIMARY KEY,
    project_id       BIGINT NOT NULL REFERENCES project (id),
    slug             TEXT NOT NULL UNIQUE,
    kind             TEXT NOT NULL,
    title            TEXT NOT NULL,
    topic            TEXT NOT NULL,
    summary_md       TEXT NOT NULL,
    starts_on        TEXT NOT NULL,
    ends_on          TEXT NOT NULL,
    start_time       TEXT NOT NULL,
    duration_minutes BIGINT NOT NULL,
    online           BIGINT NOT NULL,
    venue            TEXT NOT NULL,
    local_government TEXT REFERENCES local_government (teryt),
    audience         TEXT NOT NULL,
    capacity         BIGINT,
    co_organiser     TEXT,
    local_work_id    BIGINT REFERENCES local_work (id),
    organisation_id  BIGINT REFERENCES organisation (id),
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
CREATE INDEX activity_project_date ON activity (project_id, starts_on);
-- Covers the counts and sums of the figures and of the lists by kind.
CREATE INDEX activity_project_kind_date ON activity (project_id, kind, starts_on, ends_on, duration_minutes);
CREATE INDEX activity_jst ON activity (local_government);
CREATE INDEX activity_local_work ON activity (local_work_id);

CREATE TABLE activity_speaker (
    id           INTEGER PRIMARY KEY,
    activity_id  BIGINT NOT NULL REFERENCES activity (id),
    name         TEXT NOT NULL,
    role         TEXT NOT NULL,
    affiliation  TEXT NOT NULL,
    position     BIGINT NOT NULL
);
CREATE INDEX activity_speaker_activity ON activity_speaker (activity_id);

-- The activity's date and kind are copied here so that counting distinct
-- people over a date range reads one index, not the activity table.
CREATE TABLE attendance (
    activity_id    BIGINT NOT NULL REFERENCES activity (id),
    person_id      BIGINT NOT NULL REFERENCES person (id),
    project_id     BIGINT NOT NULL REFERENCES project (id),
    attended_on    TEXT NOT NULL,
    activity_kind  TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    PRIMARY KEY (activity_id, person_id)
);
CREATE INDEX attendance_project_date_person ON attendance (project_id, attended_on, person_id);
CREATE INDEX attendance_project_kind_date_person ON attendance (project_id, activity_kind, attended_on, person_id);
CREATE INDEX attendance_person ON attendance (person_id);

-- One row per person reached by a project, kept in step with attendance:
-- the all-time counts of recipients and training participants read this
-- table instead of counting distinct people over all attendance.
CREATE TABLE recipient (
    project_id        BIGINT NOT NULL REFERENCES project (id),
    person_id         BIGINT NOT NULL REFERENCES person (id),
    first_on          TEXT NOT NULL,
    first_training_on TEXT,
    PRIMARY KEY (project_id, person_id)
);
CREATE INDEX recipient_training ON recipient (project_id, first_training_on);

CREATE TABLE trip (
    id            INTEGER PRIMARY KEY,
    project_id    BIGINT NOT NULL REFERENCES project (id),
    travelled_on  TEXT NOT NULL,
    route         TEXT NOT NULL,
    kilometres    BIGINT NOT NULL CHECK (kilometres >= 0),
    activity_id   BIGINT REFERENCES activity (id),
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX trip_project_date ON trip (project_id, travelled_on, kilometres);

CREATE TABLE document (
    id             INTEGER PRIMARY KEY,
    project_id     BIGINT NOT NULL REFERENCES project (id),
    slug           TEXT NOT NULL UNIQUE,
    kind           TEXT NOT NULL,
    title          TEXT NOT NULL,
    audience       TEXT NOT NULL,
    description_md TEXT NOT NULL,
    published_on   TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);

CREATE TABLE research_area (
    id               INTEGER PRIMARY KEY,
    project_id       BIGINT NOT NULL REFERENCES project (id),
    local_government TEXT NOT NULL REFERENCES local_government (teryt),
    method           TEXT NOT NULL,
    summary          TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    UNIQUE (project_id, local_government, method)
);

CREATE TABLE network_member (
    person_id   BIGINT PRIMARY KEY REFERENCES person (id),
    project_id  BIGINT NOT NULL REFERENCES project (id),
    joined_on   TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

-- Background work: one row per job. A worker claims a due job by setting
-- locked_by/locked_until; a claim that expires is taken again.
CREATE TABLE job (
    id            INTEGER PRIMARY KEY,
    kind          TEXT NOT NULL,
    payload       TEXT NOT NULL,
    run_at        TEXT NOT NULL,
    attempts      BIGINT NOT NULL DEFAULT 0,
    locked_by     TEXT,
    locked_until  TEXT,
    done_at       TEXT,
    last_error    TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX job_due ON job (done_at, run_at);
