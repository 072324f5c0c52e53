-- The receipt of a report filed from a public form: the SHA-256 of a
-- random token carried only by the redirect to its confirmation page, so
-- that page shows the case as recorded and no number can be guessed
-- through it. Cases made otherwise (the demo) have none.
ALTER TABLE case_file ADD COLUMN receipt_hash TEXT;
CREATE UNIQUE INDEX case_file_receipt ON case_file (receipt_hash);
