-- Back office: staff accounts and sessions, sign-in throttling, password
-- resets, the e-mail outbox, the audit log, and the record details staff
-- keep (identifiers, contacts, affiliations, consents, JST offices).

CREATE TABLE account (
    id             INTEGER PRIMARY KEY,
    email          TEXT NOT NULL UNIQUE,
    name           TEXT NOT NULL,
    role           TEXT NOT NULL,
    password_hash  TEXT NOT NULL,
    totp_secret    TEXT,
    totp_last_step BIGINT,
    active         BIGINT NOT NULL DEFAULT 1,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);

-- The projects a coordinator runs.
CREATE TABLE account_project (
    account_id  BIGINT NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    project_id  BIGINT NOT NULL REFERENCES project (id),
    PRIMARY KEY (account_id, project_id)
);

-- The units (JST or county, with everything inside) a partner works in.
CREATE TABLE account_area (
    account_id       BIGINT NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    local_government TEXT NOT NULL REFERENCES local_government (teryt),
    PRIMARY KEY (account_id, local_government)
);

-- A signed-in browser. The cookie holds a random token; only its SHA-256
-- is stored. `second_factor_due` = password checked, TOTP code awaited.
CREATE TABLE staff_session (
    token_hash        TEXT PRIMARY KEY,
    account_id        BIGINT NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    csrf_token        TEXT NOT NULL,
    second_factor_due BIGINT NOT NULL,
    created_at        TEXT NOT NULL,
    last_seen_at      TEXT NOT NULL
);
CREATE INDEX staff_session_account ON staff_session (account_id);

CREATE TABLE sign_in_attempt (
    id         INTEGER PRIMARY KEY,
    email      TEXT NOT NULL,
    address    TEXT NOT NULL,
    succeeded  BIGINT NOT NULL,
    at         TEXT NOT NULL
);
CREATE INDEX sign_in_attempt_email ON sign_in_attempt (email, at);
CREATE INDEX sign_in_attempt_address ON sign_in_attempt (address, at);

CREATE TABLE password_reset (
    token_hash  TEXT PRIMARY KEY,
    account_id  BIGINT NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    expires_at  TEXT NOT NULL,
    used_at     TEXT,
    created_at  TEXT NOT NULL
);

-- E-mails to send; the job `send_email` carries the id.
CREATE TABLE outbox (
    id          INTEGER PRIMARY KEY,
    recipient   TEXT NOT NULL,
    subject     TEXT NOT NULL,
    body_text   TEXT NOT NULL,
    body_html   TEXT,
    sent_at     TEXT,
    last_error  TEXT,
    created_at  TEXT NOT NULL
);

-- Every change: who, when, what, before and after (JSON). Personal data
-- appears here only as record ids.
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    account_id  BIGINT,
    action      TEXT NOT NULL,
    entity      TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    before_json TEXT,
    after_json  TEXT
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);

-- Record details. `search_key` is the name folded to lower-case ASCII
-- ("Łódź" → "lodz"), kept by the application, so search ignores
-- diacritics on both engines.
ALTER TABLE organisation ADD COLUMN nip TEXT;
ALTER TABLE organisation ADD COLUMN regon TEXT;
ALTER TABLE organisation ADD COLUMN address TEXT NOT NULL DEFAULT '';
ALTER TABLE organisation ADD COLUMN is_opp BIGINT NOT NULL DEFAULT 0;
ALTER TABLE organisation ADD COLUMN areas TEXT NOT NULL DEFAULT '';
ALTER TABLE organisation ADD COLUMN search_key TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX organisation_nip ON organisation (nip);
CREATE UNIQUE INDEX organisation_krs ON organisation (krs);

ALTER TABLE person ADD COLUMN phone TEXT NOT NULL DEFAULT '';
ALTER TABLE person ADD COLUMN search_key TEXT NOT NULL DEFAULT '';
CREATE INDEX person_jst ON person (local_government);

ALTER TABLE local_government ADD COLUMN search_key TEXT NOT NULL DEFAULT '';

ALTER TABLE activity ADD COLUMN trainer_account_id BIGINT REFERENCES account (id);

-- Where a person works and in what role (NGO leader, official, authority,
-- councillor, other): at an organisation or at a JST office.
CREATE TABLE affiliation (
    id               INTEGER PRIMARY KEY,
    person_id        BIGINT NOT NULL REFERENCES person (id) ON DELETE CASCADE,
    organisation_id  BIGINT REFERENCES organisation (id),
    local_government TEXT REFERENCES local_government (teryt),
    role             TEXT NOT NULL,
    created_at       TEXT NOT NULL
);
CREATE INDEX affiliation_person ON affiliation (person_id);

CREATE TABLE consent (
    id           INTEGER PRIMARY KEY,
    person_id    BIGINT NOT NULL REFERENCES person (id) ON DELETE CASCADE,
    purpose      TEXT NOT NULL,
    text_version TEXT NOT NULL,
    given_at     TEXT NOT NULL,
    withdrawn_at TEXT
);
CREATE INDEX consent_person ON consent (person_id);

CREATE TABLE office (
    local_government TEXT PRIMARY KEY REFERENCES local_government (teryt),
    address          TEXT NOT NULL,
    email            TEXT NOT NULL,
    website          TEXT NOT NULL,
    bip              TEXT NOT NULL,
    notes            TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);

-- Existing rows get their keys here (Polish letters); the application keeps
-- them from now on.
UPDATE organisation SET search_key = LOWER(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(name, 'ą', 'a'), 'ć', 'c'), 'ę', 'e'), 'ł', 'l'), 'ń', 'n'), 'ó', 'o'), 'ś', 's'), 'ź', 'z'), 'ż', 'z'), 'Ą', 'A'), 'Ć', 'C'), 'Ę', 'E'), 'Ł', 'L'), 'Ń', 'N'), 'Ó', 'O'), 'Ś', 'S'), 'Ź', 'Z'), 'Ż', 'Z'));
UPDATE person SET search_key = LOWER(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(first_name || ' ' || last_name || ' ' || COALESCE(email, ''), 'ą', 'a'), 'ć', 'c'), 'ę', 'e'), 'ł', 'l'), 'ń', 'n'), 'ó', 'o'), 'ś', 's'), 'ź', 'z'), 'ż', 'z'), 'Ą', 'A'), 'Ć', 'C'), 'Ę', 'E'), 'Ł', 'L'), 'Ń', 'N'), 'Ó', 'O'), 'Ś', 'S'), 'Ź', 'Z'), 'Ż', 'Z'));
UPDATE local_government SET search_key = LOWER(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(name, 'ą', 'a'), 'ć', 'c'), 'ę', 'e'), 'ł', 'l'), 'ń', 'n'), 'ó', 'o'), 'ś', 's'), 'ź', 'z'), 'ż', 'z'), 'Ą', 'A'), 'Ć', 'C'), 'Ę', 'E'), 'Ł', 'L'), 'Ń', 'N'), 'Ó', 'O'), 'Ś', 'S'), 'Ź', 'Z'), 'Ż', 'Z'));
