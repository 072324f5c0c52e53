-- On PostgreSQL the places' changes now name their transaction (0026
-- there). SQLite keeps naming them with the version their transaction
-- sets: its single writer leaves no dead rows behind an UPDATE.
SELECT 1;
