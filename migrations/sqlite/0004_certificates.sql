-- Certificates of attendance: one per person and activity, issued when
-- first asked for (by the participant, by staff, or with the thank-you
-- e-mail). The code is what the printed certificate carries and what the
-- public verification page looks up; a certificate is valid while its
-- holder is on the activity's attendance.

CREATE TABLE certificate (
    id           INTEGER PRIMARY KEY,
    code         TEXT NOT NULL UNIQUE,
    activity_id  BIGINT NOT NULL REFERENCES activity (id),
    person_id    BIGINT NOT NULL REFERENCES person (id),
    issued_at    TEXT NOT NULL,
    UNIQUE (activity_id, person_id)
);
