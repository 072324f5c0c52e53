-- Registration for trainings and events: one row per person and activity,
-- confirmed by an e-mailed link (double opt-in); capacity and a waitlist.

ALTER TABLE activity ADD COLUMN registration_closes_on TEXT;
ALTER TABLE activity ADD COLUMN online_link TEXT;

CREATE TABLE registration (
    id               INTEGER PRIMARY KEY,
    activity_id      BIGINT NOT NULL REFERENCES activity (id),
    first_name       TEXT NOT NULL,
    last_name        TEXT NOT NULL,
    email            TEXT NOT NULL,
    phone            TEXT NOT NULL,
    affiliation      TEXT NOT NULL,
    organisation_id  BIGINT REFERENCES organisation (id),
    local_government TEXT REFERENCES local_government (teryt),
    role             TEXT NOT NULL,
    gender           TEXT NOT NULL,
    -- pending, confirmed, waitlisted, cancelled, expired
    status           TEXT NOT NULL,
    -- The random token of the e-mailed links. Kept as is (not hashed) so
    -- every later e-mail can carry the cancellation link; it lets one only
    -- confirm or cancel this registration.
    token            TEXT NOT NULL UNIQUE,
    consent_version  TEXT NOT NULL,
    consent_at       TEXT NOT NULL,
    -- When the place (or the waitlist position) was given: the queue order.
    placed_at        TEXT,
    cancelled_at     TEXT,
    -- When the reminder before the activity was queued.
    reminded_at      TEXT,
    -- When the thank-you (with the feedback form) was queued, and when
    -- feedback was given (the answer itself is stored apart, anonymous).
    thanked_at       TEXT,
    feedback_at      TEXT,
    person_id        BIGINT REFERENCES person (id),
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
-- One live registration per address and activity.
CREATE UNIQUE INDEX registration_live ON registration (activity_id, email)
    WHERE status IN ('pending', 'confirmed', 'waitlisted');
CREATE INDEX registration_activity_status ON registration (activity_id, status, placed_at);
CREATE INDEX registration_pending ON registration (status, created_at);

-- Accessibility needs: special-category data (art. 9 GDPR), kept apart and
-- shown only to staff of the activity.
CREATE TABLE registration_need (
    registration_id BIGINT PRIMARY KEY REFERENCES registration (id) ON DELETE CASCADE,
    needs           TEXT NOT NULL
);

-- Anonymous feedback after an activity: no link to the registration; the
-- day only, so the answer cannot be matched by its time.
CREATE TABLE feedback (
    id           INTEGER PRIMARY KEY,
    activity_id  BIGINT NOT NULL REFERENCES activity (id),
    usefulness   BIGINT NOT NULL CHECK (usefulness BETWEEN 1 AND 5),
    trainer      BIGINT NOT NULL CHECK (trainer BETWEEN 1 AND 5),
    organisation BIGINT NOT NULL CHECK (organisation BETWEEN 1 AND 5),
    comment      TEXT NOT NULL,
    given_on     TEXT NOT NULL
);
CREATE INDEX feedback_activity ON feedback (activity_id);

-- Requests counted for rate limits of public forms (kind, client address).
CREATE TABLE form_hit (
    id       INTEGER PRIMARY KEY,
    kind     TEXT NOT NULL,
    address  TEXT NOT NULL,
    at       TEXT NOT NULL
);
CREATE INDEX form_hit_address ON form_hit (kind, address, at);

-- The programme of an event: items by day and time, with speakers.
CREATE TABLE agenda_item (
    id           INTEGER PRIMARY KEY,
    activity_id  BIGINT NOT NULL REFERENCES activity (id) ON DELETE CASCADE,
    day          TEXT NOT NULL,
    starts_at    TEXT NOT NULL,
    title        TEXT NOT NULL,
    speakers     TEXT NOT NULL,
    created_at   TEXT NOT NULL
);
CREATE INDEX agenda_item_activity ON agenda_item (activity_id, day, starts_at);

-- An attachment of an e-mail (an .ics invitation, later certificates).
ALTER TABLE outbox ADD COLUMN attachment_name TEXT;
ALTER TABLE outbox ADD COLUMN attachment_type TEXT;
ALTER TABLE outbox ADD COLUMN attachment TEXT;
