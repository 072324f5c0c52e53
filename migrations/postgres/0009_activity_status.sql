-- What became of an activity: planned, held or cancelled
-- (`domain::activity::ActivityStatus`). The figures and certificates count
-- only held activities. Activities already recorded that began before
-- today were held; later ones are planned.
ALTER TABLE activity ADD COLUMN status TEXT NOT NULL DEFAULT 'held';
UPDATE activity SET status = 'planned' WHERE starts_on > to_char(CURRENT_DATE, 'YYYY-MM-DD');

-- The recipient table holds only attendance that counts: at a held
-- activity inside its project's period (`domain::stats`).
DELETE FROM recipient;
INSERT INTO recipient (project_id, person_id, first_on, first_training_on)
SELECT t.project_id, t.person_id, MIN(t.attended_on),
       MIN(CASE WHEN t.activity_kind IN ('training', 'workshop') THEN t.attended_on END)
FROM attendance t
JOIN activity a ON a.id = t.activity_id
JOIN project pr ON pr.id = t.project_id
JOIN person p ON p.id = t.person_id
WHERE a.status = 'held' AND t.attended_on BETWEEN pr.starts_on AND pr.ends_on
  AND p.person_group <> 'team'
GROUP BY t.project_id, t.person_id;
