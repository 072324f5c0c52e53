-- Local governments with local cooperation work held in a date range are
-- counted from the summaries, as distinct people are
-- (`domain::reach::Facet::LocalGovernment`): each JST is a subject (its
-- code as recorded, a city's gmina code counted as the city, under a
-- leading 1, as a number), its points the days on which an activity of its
-- local work was held. Kept by `store::summaries::local_governments_changed`.
INSERT INTO reach_point (facet, subject, project_id, day, prev)
SELECT 'jst', subject, project_id, starts_on,
       COALESCE(LAG(starts_on) OVER (PARTITION BY project_id, subject ORDER BY starts_on), '')
FROM (SELECT DISTINCT a.project_id,
             CAST('1' || CASE WHEN LENGTH(w.local_government) = 7
                                   AND SUBSTR(w.local_government, 3, 2) >= '61'
                                   AND SUBSTR(w.local_government, 7, 1) = '1'
                              THEN SUBSTR(w.local_government, 1, 4)
                              ELSE w.local_government END AS BIGINT) AS subject,
             a.starts_on
      FROM local_work w JOIN activity a ON a.local_work_id = w.id
      WHERE a.status = 'held') t;
INSERT INTO reach_cell (project_id, facet, level, d, p, n)
SELECT project_id, facet, 'mm', SUBSTR(day, 1, 7), SUBSTR(prev, 1, 7), COUNT(*)
FROM reach_point WHERE facet = 'jst'
GROUP BY project_id, facet, SUBSTR(day, 1, 7), SUBSTR(prev, 1, 7)
UNION ALL
SELECT project_id, facet, 'pm', prev, SUBSTR(day, 1, 7), COUNT(*)
FROM reach_point WHERE facet = 'jst'
GROUP BY project_id, facet, prev, SUBSTR(day, 1, 7)
UNION ALL
SELECT project_id, facet, 'dm', day, SUBSTR(prev, 1, 7), COUNT(*)
FROM reach_point WHERE facet = 'jst'
GROUP BY project_id, facet, day, SUBSTR(prev, 1, 7);
