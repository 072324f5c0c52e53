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

CREATE TRIGGER place_change_new AFTER INSERT ON registration
    WHEN NEW.status <> 'pending'
BEGIN
    INSERT INTO place_change (activity_id) VALUES (NEW.activity_id);
END;

CREATE TRIGGER place_change_moved AFTER UPDATE OF status, activity_id ON registration
BEGIN
    INSERT INTO place_change (activity_id)
    SELECT NEW.activity_id UNION SELECT OLD.activity_id;
END;
