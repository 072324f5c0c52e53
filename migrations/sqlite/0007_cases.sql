-- Advisory and interventions: reports from the public forms become cases
-- (INT/2026/001 for interventions, DOR/2026/001 for advisory requests)
-- with a timeline, files, letters to the JST and their reply deadlines;
-- advisory sessions are activities of kind 'advisory' with their details.

-- The last number given per register and year (numbers never repeat).
CREATE TABLE case_counter (
    register  TEXT NOT NULL,
    year      BIGINT NOT NULL,
    last      BIGINT NOT NULL,
    PRIMARY KEY (register, year)
);

CREATE TABLE case_file (
    id                INTEGER PRIMARY KEY,
    -- INT (intervention) or DOR (advisory request)
    register          TEXT NOT NULL,
    number            TEXT NOT NULL UNIQUE,
    -- INT: domain::cases::Category; DOR: domain::advisory::Topic
    category          TEXT NOT NULL,
    local_government  TEXT REFERENCES local_government (teryt),
    organisation_name TEXT NOT NULL,
    organisation_id   BIGINT REFERENCES organisation (id),
    person_id         BIGINT REFERENCES person (id),
    reporter_name     TEXT NOT NULL,
    reporter_email    TEXT NOT NULL,
    reporter_phone    TEXT NOT NULL,
    preferred_contact TEXT NOT NULL,
    -- Whether the reporter allowed their identity to be named to the JST.
    reveal_identity   BIGINT NOT NULL,
    description       TEXT NOT NULL,
    status            TEXT NOT NULL,
    outcome           TEXT,
    assignee_id       BIGINT REFERENCES account (id),
    consent_version   TEXT NOT NULL,
    consent_at        TEXT NOT NULL,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    closed_at         TEXT
);
CREATE INDEX case_file_status ON case_file (register, status);
CREATE INDEX case_file_jst ON case_file (local_government);
CREATE INDEX case_file_assignee ON case_file (assignee_id);

-- Everything that happened to a case, in order.
CREATE TABLE case_event (
    id          INTEGER PRIMARY KEY,
    case_id     BIGINT NOT NULL REFERENCES case_file (id),
    at          TEXT NOT NULL,
    account_id  BIGINT REFERENCES account (id),
    kind        TEXT NOT NULL,
    body        TEXT NOT NULL
);
CREATE INDEX case_event_case ON case_event (case_id, id);

-- Files of a case, stored in data_dir/attachments/ under a random name.
CREATE TABLE case_attachment (
    id          INTEGER PRIMARY KEY,
    case_id     BIGINT NOT NULL REFERENCES case_file (id),
    name        TEXT NOT NULL,
    file_type   TEXT NOT NULL,
    size        BIGINT NOT NULL,
    stored_as   TEXT NOT NULL UNIQUE,
    -- report (sent with the form), staff, letter (a letter as sent), reply
    source      TEXT NOT NULL,
    account_id  BIGINT REFERENCES account (id),
    created_at  TEXT NOT NULL
);
CREATE INDEX case_attachment_case ON case_attachment (case_id);

CREATE TABLE letter_template (
    code                TEXT PRIMARY KEY,
    name                TEXT NOT NULL,
    body_md             TEXT NOT NULL,
    -- A request under the act on access to public information: its reply
    -- deadline may be extended to two months.
    public_information  BIGINT NOT NULL,
    updated_at          TEXT NOT NULL
);

CREATE TABLE letter (
    id             INTEGER PRIMARY KEY,
    case_id        BIGINT NOT NULL REFERENCES case_file (id),
    template_code  TEXT NOT NULL REFERENCES letter_template (code),
    title          TEXT NOT NULL,
    dated_on       TEXT NOT NULL,
    body_md        TEXT NOT NULL,
    attachment_id  BIGINT NOT NULL REFERENCES case_attachment (id),
    public_information BIGINT NOT NULL,
    -- email, epuap, post
    sent_via       TEXT,
    sent_on        TEXT,
    delivered_on   TEXT,
    notified_on    TEXT,
    reply_due      TEXT,
    replied_on     TEXT,
    account_id     BIGINT REFERENCES account (id),
    created_at     TEXT NOT NULL
);
CREATE INDEX letter_case ON letter (case_id);
CREATE INDEX letter_due ON letter (reply_due);

-- Details of an advisory session (an activity of kind 'advisory'; the
-- person advised is on its attendance).
CREATE TABLE advisory_session (
    activity_id      BIGINT PRIMARY KEY REFERENCES activity (id),
    advisor_id       BIGINT REFERENCES account (id),
    organisation_id  BIGINT REFERENCES organisation (id),
    form             TEXT NOT NULL,
    summary          TEXT NOT NULL,
    case_id          BIGINT REFERENCES case_file (id)
);

-- Daily work done once a day whichever instance runs it.
CREATE TABLE daily_run (
    kind  TEXT NOT NULL,
    day   TEXT NOT NULL,
    PRIMARY KEY (kind, day)
);

-- The federation's three letters; admins edit them in the back office.
-- Placeholders: {{urzad}}, {{adres_urzedu}}, {{znak}}, {{kategoria}},
-- {{opis}}, {{zglaszajacy}}, {{data_zgloszenia}}, {{poprzednie_pismo}}.
INSERT INTO letter_template (code, name, body_md, public_information, updated_at) VALUES
('explanations', 'Prośba o wyjaśnienia',
'Szanowni Państwo,

zwracamy się z prośbą o wyjaśnienia w sprawie: {{kategoria}}.

Zgłoszenie w tej sprawie otrzymaliśmy od: {{zglaszajacy}}. Z przekazanych informacji wynika, że:

{{opis}}

Zgodnie z art. 5 ust. 3 ustawy z dnia 24 kwietnia 2003 r. o działalności pożytku publicznego i o wolontariacie współpraca samorządu z organizacjami pozarządowymi odbywa się na zasadach pomocniczości, suwerenności stron, partnerstwa, efektywności, uczciwej konkurencji i jawności, a organ stanowiący uchwala roczny program współpracy (art. 5a ust. 1).

Prosimy o wyjaśnienie sprawy i wskazanie podjętych lub planowanych działań w terminie 14 dni od otrzymania pisma.',
0, '2026-11-28T00:00:00Z'),
('public_information', 'Wniosek o udostępnienie informacji publicznej',
'Szanowni Państwo,

na podstawie art. 2 ust. 1 ustawy z dnia 6 września 2001 r. o dostępie do informacji publicznej wnosimy o udostępnienie informacji publicznej w sprawie: {{kategoria}}, w tym:

{{opis}}

Informację prosimy przekazać w formie elektronicznej na adres poczty elektronicznej nadawcy, bez zbędnej zwłoki, nie później niż w terminie 14 dni od dnia złożenia wniosku (art. 13 ust. 1). Jeżeli informacja nie może być udostępniona w tym terminie, prosimy o powiadomienie nas o powodach opóźnienia i o terminie udostępnienia, nie dłuższym niż 2 miesiące od dnia złożenia wniosku (art. 13 ust. 2).',
1, '2026-11-28T00:00:00Z'),
('reminder', 'Przypomnienie',
'Szanowni Państwo,

w nawiązaniu do naszego pisma z dnia {{poprzednie_pismo}} (znak {{znak}}) w sprawie: {{kategoria}}, uprzejmie przypominamy, że do dziś nie otrzymaliśmy odpowiedzi.

Prosimy o odpowiedź w terminie 7 dni od otrzymania niniejszego pisma. Brak odpowiedzi na wniosek o udostępnienie informacji publicznej stanowi bezczynność, na którą przysługuje skarga do wojewódzkiego sądu administracyjnego.',
0, '2026-11-28T00:00:00Z');
