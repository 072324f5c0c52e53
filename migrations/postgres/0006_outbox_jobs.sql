-- Every queued e-mail has a job that sends it: made by the database with
-- the outbox row, in the same statement, so queueing e-mails is one insert
-- (the kind is outbox::SEND_EMAIL; the payload the row's id).
CREATE FUNCTION outbox_job() RETURNS trigger AS $$
BEGIN
    INSERT INTO job (kind, payload, run_at, created_at, updated_at)
    VALUES ('send_email', CAST(NEW.id AS TEXT), NEW.created_at, NEW.created_at, NEW.created_at);
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER outbox_job AFTER INSERT ON outbox
    FOR EACH ROW EXECUTE FUNCTION outbox_job();
