-- The cooperation monitor's evidence: a document staff found (the
-- resolution, the BIP page saved as PDF, the report), kept in the
-- database so that every instance serves it, with its SHA-256, the
-- address it came from, and who checked it and when.
CREATE TABLE monitoring_evidence (
    id               INTEGER PRIMARY KEY,
    local_government TEXT NOT NULL REFERENCES local_government (teryt),
    year             BIGINT NOT NULL,
    -- domain::monitoring_evidence::EvidenceOf
    fact             TEXT NOT NULL,
    name             TEXT NOT NULL,
    file_type        TEXT NOT NULL,
    size             BIGINT NOT NULL,
    sha256           TEXT NOT NULL,
    content          BLOB NOT NULL,
    source_url       TEXT NOT NULL,
    checked_by       BIGINT REFERENCES account (id),
    checked_on       TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
CREATE INDEX monitoring_evidence_unit ON monitoring_evidence (local_government, year);
