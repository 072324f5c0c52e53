-- Which activities' free places a write changed, so that caches re-render
-- the pages of those activities alone: a row per registration written or
-- moved (the triggers; a registration made pending holds no place yet),
-- named with the places_version its transaction's bump set (NULL until
-- then: store::bump_version). Rows of old versions are pruned;
-- meta.places_pruned is the newest version pruned.
CREATE TABLE place_change (
    activity_id BIGINT NOT NULL,
    version     BIGINT
);
CREATE INDEX place_change_version ON place_change (version);
INSERT INTO meta (key, value) VALUES ('places_pruned', 0);

CREATE FUNCTION place_change() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' AND NEW.status = 'pending' THEN
        RETURN NEW;
    END IF;
    INSERT INTO place_change (activity_id) VALUES (NEW.activity_id);
    IF TG_OP = 'UPDATE' AND OLD.activity_id <> NEW.activity_id THEN
        INSERT INTO place_change (activity_id) VALUES (OLD.activity_id);
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER place_change AFTER INSERT OR UPDATE OF status, activity_id ON registration
    FOR EACH ROW EXECUTE FUNCTION place_change();
