-- The periodic jobs (`jobs::Periodic`): the last slot of each that an
-- instance claimed, so that instances sharing the database run a slot once
-- (`store::jobs::claim_slot`). A slot is the job's period counted from the
-- Unix epoch.
CREATE TABLE scheduled_job (
    name        TEXT PRIMARY KEY,
    slot        BIGINT NOT NULL,
    claimed_by  TEXT NOT NULL,
    claimed_at  TEXT NOT NULL
);
