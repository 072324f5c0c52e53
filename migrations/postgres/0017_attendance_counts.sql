-- Whether an attendance row counts in the figures (`domain::stats`): at a
-- held activity dated inside its project's period, by someone who is not
-- of the project's team. Kept in step by `store::activities::recount`
-- whenever attendance, an activity's date, kind or state, or a person's
-- group changes, so that distinct people over any date range read one
-- covering index instead of joining activities and people.
ALTER TABLE attendance ADD COLUMN counts BIGINT NOT NULL DEFAULT 0;
UPDATE attendance SET counts = 1
WHERE EXISTS (SELECT 1 FROM activity a WHERE a.id = attendance.activity_id AND a.status = 'held')
  AND EXISTS (SELECT 1 FROM project pr WHERE pr.id = attendance.project_id
              AND attendance.attended_on BETWEEN pr.starts_on AND pr.ends_on)
  AND EXISTS (SELECT 1 FROM person p WHERE p.id = attendance.person_id AND p.person_group <> 'team');
DROP INDEX attendance_project_date_person;
DROP INDEX attendance_project_kind_date_person;
CREATE INDEX attendance_counted_date_person ON attendance (project_id, counts, attended_on, person_id);
CREATE INDEX attendance_counted_kind_date_person
    ON attendance (project_id, counts, activity_kind, attended_on, person_id);
-- Hours and the number of trainings count held activities only.
CREATE INDEX activity_held_date
    ON activity (project_id, status, starts_on, kind, duration_minutes);
