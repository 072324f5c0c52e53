-- The catalogue under its filters (audience, topic, area, online, month)
-- counts the activities it selects and adds up their participants
-- (`store::activities::held_added`) from this index alone, without reading
-- the activities' rows; its topics and counties are read from it as
-- before, and advisory hours by topic (`advisory_by_topic`) too.
DROP INDEX activity_catalogue;
CREATE INDEX activity_catalogue ON activity
    (project_id, kind, status, audience, topic, local_government, online, starts_on, participants,
     duration_minutes);
-- The planner's statistics with the new index, so that a page of the
-- catalogue is still read in date order and not sorted whole.
ANALYZE activity;
